"""Sentence splitting against the gold units of the 43 annotated articles in seeds/.

    python training/benchmarks/segmentation.py

A predicted unit counts as correct when its (start, end) equals a gold unit's exactly.
Compares stancekit.segment with plain pysbd on each line and with splitting on blank
lines only. Writes training/results/segmentation.json.
"""

from __future__ import annotations

import json

from _common import ROOT, write_result


def _spans_pysbd(text: str) -> set[tuple[int, int]]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    out = set()
    for span in seg.segment(text):
        piece = span.sent
        stripped = piece.strip()
        if stripped:
            start = span.start + (len(piece) - len(piece.lstrip()))
            out.add((start, start + len(stripped)))
    return out


def _spans_paragraphs(text: str) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for para in text.split("\n\n"):
        stripped = para.strip()
        if stripped:
            start = pos + para.find(stripped)
            out.add((start, start + len(stripped)))
        pos += len(para) + 2
    return out


def main() -> int:
    from stancekit.segment import segment

    articles = [json.loads(x) for x in (ROOT / "seeds" / "articles.jsonl").read_text().splitlines()]
    systems = {"stancekit.segment": lambda t: {(u.start, u.end) for u in segment(t)},
               "pysbd (whole text)": _spans_pysbd,
               "blank-line paragraphs": _spans_paragraphs}
    result: dict = {"articles": len(articles),
                    "gold_units": sum(len(a["units"]) for a in articles), "systems": {}}
    for name, fn in systems.items():
        tp = n_pred = n_gold = 0
        for art in articles:
            gold = {(u["start"], u["end"]) for u in art["units"]}
            pred = fn(art["text"])
            tp += len(gold & pred)
            n_pred += len(pred)
            n_gold += len(gold)
        p, r = tp / n_pred, tp / n_gold
        result["systems"][name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}
    write_result("segmentation", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
