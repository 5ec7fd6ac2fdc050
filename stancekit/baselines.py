"""Baselines trained on the same data as a model: majority class and TF-IDF + logistic regression.

Both return a :class:`BaselineOutput` whose probabilities are in the order of the task's
labels, so they go through :func:`stancekit.evaluate.task_report` like the model's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import DataError

MAJORITY = "majority"
TFIDF = "tfidf_logreg"
BASELINES = (MAJORITY, TFIDF)
DESCRIPTIONS = {
    MAJORITY: "majority class of the training data (scores: training class priors)",
    TFIDF: "TF-IDF word 1-2grams + char 2-5grams, logistic regression, balanced class weights",
}


@dataclass
class BaselineOutput:
    """Predictions of one baseline on evaluation texts.

    ``probs`` has shape ``(n, len(labels))`` with columns in ``labels`` order.
    """

    name: str
    labels: list[str]
    predictions: list[str]
    probs: np.ndarray


def _check_labels(train_labels: Sequence[str], labels: Sequence[str]) -> None:
    if not train_labels:
        raise DataError("the training data for the baseline has no labelled rows; "
                        "pass training data with labels for this task")
    unknown = sorted(set(train_labels) - set(labels))
    if unknown:
        raise DataError(f"training labels {unknown} are not among the task's labels "
                        f"{list(labels)}; fix the training data or the label names")


def majority_baseline(train_labels: Sequence[str], n: int, *,
                      labels: Sequence[str]) -> BaselineOutput:
    """Predict the most frequent training label for each of ``n`` rows.

    Ties go to the label that comes first in ``labels``; the scores are the training
    class frequencies.

    Example:
        >>> out = majority_baseline(["no", "yes", "no"], 2, labels=["yes", "no"])
        >>> out.predictions, out.probs[0].round(2).tolist()
        (['no', 'no'], [0.33, 0.67])
    """
    _check_labels(train_labels, labels)
    counts = Counter(train_labels)
    prior = np.array([counts.get(lab, 0) for lab in labels], dtype=np.float64)
    prior /= prior.sum()
    best = labels[int(np.argmax(prior))]  # argmax takes the first of tied maxima
    return BaselineOutput(MAJORITY, list(labels), [best] * n, np.tile(prior, (n, 1)))


def _frame(texts: Sequence[str], targets: Sequence[str] | None):  # type: ignore[no-untyped-def]
    import pandas as pd

    columns = {"text": list(texts)}
    if targets is not None:
        columns["target"] = list(targets)
    return pd.DataFrame(columns)


def tfidf_pipeline(*, with_target: bool = False, seed: int = 0):  # type: ignore[no-untyped-def]
    """The scikit-learn pipeline of the TF-IDF baseline (fit on a DataFrame with a
    ``text`` column, and a ``target`` column when ``with_target``).

    Example:
        >>> [name for name, _ in tfidf_pipeline(with_target=True).steps]
        ['features', 'logreg']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    parts = [
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_features=200_000),
         "text"),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                 max_features=300_000), "text"),
    ]
    if with_target:
        parts.append(("target", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "target"))
    return Pipeline([
        ("features", ColumnTransformer(parts)),
        ("logreg", LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)),
    ])


def tfidf_baseline(train_texts: Sequence[str], train_labels: Sequence[str],
                   texts: Sequence[str], *, labels: Sequence[str],
                   train_targets: Sequence[str] | None = None,
                   targets: Sequence[str] | None = None, seed: int = 0) -> BaselineOutput:
    """Fit TF-IDF + logistic regression on training texts and predict ``texts``.

    With ``train_targets`` and ``targets`` (pair-input models) the target text adds its
    own TF-IDF features. Raises :class:`DataError` when the training labels have fewer
    than two classes.

    Example:
        >>> out = tfidf_baseline(["talks resume", "talks fail", "talks resume now", "talks fail again"],
        ...                      ["up", "down", "up", "down"], ["talks resume soon"],
        ...                      labels=["up", "down"])
        >>> out.predictions
        ['up']
    """
    _check_labels(train_labels, labels)
    if len(set(train_labels)) < 2:
        raise DataError(f"the training data has only the label {sorted(set(train_labels))}; "
                        "logistic regression needs at least two classes")
    if len(train_texts) != len(train_labels):
        raise ValueError(f"got {len(train_texts)} training texts but {len(train_labels)} labels")
    with_target = train_targets is not None and targets is not None
    pipe = tfidf_pipeline(with_target=with_target, seed=seed)
    pipe.fit(_frame(train_texts, train_targets if with_target else None), list(train_labels))
    test = _frame(texts, targets if with_target else None)
    probs = np.zeros((len(texts), len(labels)), dtype=np.float64)
    if len(texts):
        column = {lab: i for i, lab in enumerate(labels)}
        proba = pipe.predict_proba(test)
        for j, cls in enumerate(pipe.classes_):
            probs[:, column[str(cls)]] = proba[:, j]
    predictions = [labels[i] for i in probs.argmax(axis=1)] if len(texts) else []
    return BaselineOutput(TFIDF, list(labels), predictions, probs)


__all__ = ["BASELINES", "DESCRIPTIONS", "MAJORITY", "TFIDF", "BaselineOutput",
           "majority_baseline", "tfidf_baseline", "tfidf_pipeline"]
