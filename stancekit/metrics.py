"""Metrics from scikit-learn: macro-F1, SemEval F_avg, F1 of one positive class, ECE."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

METRICS = ("macro_f1", "semeval_favg", "positive_f1")


def semeval_favg(y_true: Sequence[str], y_pred: Sequence[str], *, favor: str = "FAVOR",
                 against: str = "AGAINST") -> float:
    """SemEval-2016 Task 6 score: mean of F1(FAVOR) and F1(AGAINST), NONE not averaged in.

    Example:
        >>> semeval_favg(["FAVOR", "AGAINST", "NONE"], ["FAVOR", "AGAINST", "FAVOR"])
        0.8333333333333333
    """
    from sklearn.metrics import f1_score

    scores = f1_score(list(y_true), list(y_pred), labels=[favor, against], average=None,
                      zero_division=0)
    return float(np.mean(scores))


def positive_f1(y_true: Sequence[str], y_pred: Sequence[str], *, positive: str) -> float:
    """F1 of one positive class (CheckThat! check-worthiness: ``positive="Yes"``).

    Example:
        >>> positive_f1(["Yes", "No", "Yes"], ["Yes", "Yes", "Yes"], positive="Yes")
        0.8
    """
    from sklearn.metrics import f1_score

    return float(f1_score(list(y_true), list(y_pred), labels=[positive], average="macro",
                          zero_division=0))


def expected_calibration_error(probs: np.ndarray, y_true: Sequence[int], *, bins: int = 10) -> float:
    """Expected calibration error of the top-label confidence, equal-width bins.

    Example:
        >>> import numpy as np
        >>> round(expected_calibration_error(np.array([[0.9, 0.1], [0.2, 0.8]]), [0, 1]), 6)
        0.15
    """
    probs = np.asarray(probs)
    y = np.asarray(y_true)
    conf = probs.max(axis=1)
    pred = probs.argmax(axis=1)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs((pred[mask] == y[mask]).mean() - conf[mask].mean())
    return float(ece)


def task_scores(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Macro-F1 and accuracy of one task, rows labelled -100 left out."""
    from sklearn.metrics import accuracy_score, f1_score

    t = np.asarray(y_true)
    p = np.asarray(y_pred)
    keep = t != -100
    if not keep.any():
        return {"macro_f1": float("nan"), "accuracy": float("nan")}
    labels = sorted(set(t[keep].tolist()) | set(p[keep].tolist()))
    return {
        "macro_f1": float(f1_score(t[keep], p[keep], labels=labels, average="macro",
                                   zero_division=0)),
        "accuracy": float(accuracy_score(t[keep], p[keep])),
    }
