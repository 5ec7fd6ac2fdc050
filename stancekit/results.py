"""Result dataclasses returned by ``classify`` and a helper that turns them into a DataFrame."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskResult:
    """One task's answer for one unit: the label (``None`` under ``min_score``), its
    calibrated probability, and the full distribution over labels."""

    label: str | None
    score: float
    scores: dict[str, float]


@dataclass(frozen=True, repr=False)
class Result:
    """The answer for one sentence or unit.

    Tasks are reachable as attributes (``r.stance.label``) or through ``r.tasks``.
    ``start``/``end`` are character offsets when the unit came from a document.

    Example:
        >>> r = Result("Talks resume.", {"stance": TaskResult("neutral", 0.8, {"neutral": 0.8})})
        >>> r.stance.label, r.to_dict()["stance"]["score"]
        ('neutral', 0.8)
        >>> r
        Result('Talks resume.', stance='neutral' (0.80))
    """

    text: str
    tasks: dict[str, TaskResult]
    start: int | None = None
    end: int | None = None
    target: str | None = None
    kind: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        labels = ", ".join(f"{k}={v.label!r} ({v.score:.2f})" for k, v in self.tasks.items())
        where = f", start={self.start}, end={self.end}" if self.start is not None else ""
        return f"Result({text!r}, {labels}{where})"

    def __getattr__(self, name: str) -> TaskResult:
        if name.startswith("__") or name == "tasks":
            raise AttributeError(name)
        try:
            return self.tasks[name]
        except KeyError:
            raise AttributeError(
                f"Result has no task {name!r}; tasks are {sorted(self.tasks)}") from None

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-able dict: text, offsets, and per task label/score/scores."""
        out: dict[str, Any] = {"text": self.text}
        for key in ("start", "end", "target", "kind"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        for name, res in self.tasks.items():
            out[name] = {"label": res.label, "score": res.score, "scores": dict(res.scores)}
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def to_frame(results: Iterable[Result]):  # type: ignore[no-untyped-def]
    """One row per result: text, offsets, and ``<task>`` / ``<task>_score`` columns.

    Example:
        >>> r = Result("x", {"stance": TaskResult("favor", 0.9, {"favor": 0.9})})
        >>> list(to_frame([r]).columns)
        ['text', 'start', 'end', 'stance', 'stance_score']
    """
    import pandas as pd

    rows = []
    for r in results:
        row: dict[str, Any] = {"text": r.text, "start": r.start, "end": r.end}
        if r.target is not None:
            row["target"] = r.target
        for name, res in r.tasks.items():
            row[name] = res.label
            row[f"{name}_score"] = res.score
        rows.append(row)
    return pd.DataFrame(rows)
