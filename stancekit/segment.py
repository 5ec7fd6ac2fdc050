"""Split an article into units (sentences, headlines, boilerplate lines) with character offsets.

Sentences inside paragraphs are found by pysbd's rule-based splitter. Lines that do not
end like a sentence (headlines, captions without a full stop, "ALSO READ:",
"Advertisement") are kept whole, as are known boilerplate lines. Hard-wrapped lines
(a line that ends without punctuation and a next line that starts in lower case) are
joined before splitting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TERMINAL = tuple(".!?…\"”’'»)]")
_BOILERPLATE = re.compile(
    r"^\s*(also read|read more|read also|related|advertisement|advertising|sponsored|"
    r"video|watch|live updates?|live|share( this)?( article| story)?|sign up|subscribe|"
    r"follow us|click here|photo|image|getty images|copyright|©|all rights reserved|"
    r"more on this story|recommended|trending|most read|listen)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """One unit of a document: its text and its ``[start, end)`` offsets in the document.

    ``kind`` is ``"sentence"`` for a sentence found inside running text and ``"line"``
    for a line kept whole (headline, caption, boilerplate).
    """

    text: str
    start: int
    end: int
    kind: str = "sentence"


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _is_whole_line(line: str) -> bool:
    stripped = line.strip()
    if _BOILERPLATE.match(stripped):
        return True
    return not stripped.endswith(_TERMINAL)


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Spans of logical lines: physical lines, with hard-wrapped continuations joined."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        if not match.group().strip():
            continue
        if spans:
            prev_start, prev_end = spans[-1]
            previous = text[prev_start:prev_end].strip()
            gap = text[prev_end:start]
            first = match.group().lstrip()[:1]
            if (
                gap.count("\n") == 1
                and not previous.endswith(_TERMINAL)
                and not _BOILERPLATE.match(previous)
                and first.islower()
            ):
                spans[-1] = (prev_start, end)
                continue
        spans.append((start, end))
    return spans


def _split_sentences(text: str, start: int, end: int) -> list[Unit]:
    chunk = text[start:end].replace("\n", " ")
    try:
        pieces = _segmenter().segment(chunk)
    except Exception:  # pysbd fails on some odd inputs; keep the line whole then
        pieces = [chunk]
    units: list[Unit] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = chunk.find(piece, cursor)
        if found < 0:  # pysbd changed the text: fall back to the rest of the line
            rest = chunk[cursor:].strip()
            if rest:
                offset = chunk.find(rest, cursor)
                units.append(Unit(text[start + offset:start + offset + len(rest)],
                                  start + offset, start + offset + len(rest)))
            return units
        units.append(Unit(text[start + found:start + found + len(piece)],
                          start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return units


def segment(text: str) -> list[Unit]:
    """Split ``text`` into units with offsets such that ``text[u.start:u.end] == u.text``.

    Example:
        >>> units = segment("Talks resume in Doha\\n\\nThe delegations met. Both sides spoke.")
        >>> [(u.text, u.kind) for u in units]
        [('Talks resume in Doha', 'line'), ('The delegations met.', 'sentence'), \
('Both sides spoke.', 'sentence')]
    """
    if not isinstance(text, str):
        raise TypeError(f"segment() needs a str, got {type(text).__name__}")
    units: list[Unit] = []
    for start, end in _logical_lines(text):
        line = text[start:end]
        lead = len(line) - len(line.lstrip())
        trail = len(line.rstrip())
        start, end = start + lead, start + trail
        if start >= end:
            continue
        if _is_whole_line(text[start:end]):
            units.append(Unit(text[start:end], start, end, "line"))
        else:
            units.extend(_split_sentences(text, start, end))
    return units
