"""Evaluate a model on annotated data, beside majority and TF-IDF baselines, and write reports.

:func:`evaluate` predicts every row of the evaluation data, scores each task with
scikit-learn, trains the baselines of :mod:`stancekit.baselines` on the model's training
data, and writes ``report.json``, ``report.md``, a self-contained ``report.html`` and
PNG figures (see :mod:`stancekit.report`). The pure functions :func:`task_report`,
:func:`headline_score` and :func:`resolve_metric` score predictions from anywhere
(benchmark scripts reuse them).

Benchmark metrics (per task, ``metric=``):

* ``macro_f1`` (default): macro-averaged F1 over the labels that occur in the gold
  labels or the predictions (scikit-learn's default label set).
* ``semeval_favg``: SemEval-2016 Task 6, mean of F1(FAVOR) and F1(AGAINST) over the pooled
  set; NONE is not averaged in. The two labels default to ``FAVOR``/``AGAINST`` (matched
  case-insensitively); override with ``positive_label="favor/against"``.
* ``positive_f1``: F1 of one positive class (CheckThat!: ``positive_label="Yes"``).

``report.json`` schema (a plain dict; floats are never NaN)::

    {
      "format": "stancekit-eval-report", "format_version": 1,
      "stancekit_version": str, "created": ISO-8601 UTC time,
      "model": model directory, "data": evaluation data (path or kind),
      "train_data": training data of the baselines (path or kind) or null,
      "n_rows": rows evaluated, "n_long_texts": rows read in several windows,
      "systems": ["model", "majority", "tfidf_logreg"] (baselines only when run),
      "baselines": {name: description},
      "notes": [str, ...] (skipped baselines or tasks, and why),
      "tasks": {
        task: {
          "column": label column in the data, "temperature": float,
          "images": {"confusion_matrix": file name, "reliability": file name}
                    (added when the report is written),
          ...task report of the model (below)...,
          "baselines": {"majority": task report, "tfidf_logreg": task report}  ({} if skipped)
        }
      }
    }

A task report (:func:`task_report`)::

    {
      "n": labelled rows, "labels": [label, ...],
      "headline": {"metric": name, "value": float, "positive": [label, ...] (if any)},
      "per_class": {label: {"precision", "recall", "f1": float, "support": int}},
      "macro_f1": float, "weighted_f1": float, "accuracy": float,
      "confusion_matrix": {"labels": [...], "matrix": [[int]]}  (rows gold, columns predicted),
      "calibration": null | {"ece": float, "ece_uncalibrated": float | null,
                             "bins": [bin], "bins_uncalibrated": [bin] | null},
      "errors": [{"row", "id", "text", "target", "gold", "predicted", "confidence",
                  "gold_probability"}]  (most confident errors first)
    }

``row`` is the 0-based position among the rows evaluated (rows with empty text are
dropped first) and ``id`` the data's ``id`` column when it has one (else null); ``target``
appears only with a target column. A bin is ``{"lo", "hi", "count", "accuracy",
"confidence"}`` (``accuracy`` and ``confidence`` are null for an empty bin). ``ece`` uses
the model's fitted temperature, ``ece_uncalibrated`` temperature 1.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import sys
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import DataError
from .metrics import METRICS, expected_calibration_error, positive_f1, semeval_favg

DEFAULT_METRIC = "macro_f1"
SEMEVAL_LABELS = ("FAVOR", "AGAINST")
CHECKTHAT_POSITIVE = "Yes"
TOP_ERRORS = 10
BINS = 10
MODEL = "model"

Assignments = Mapping[str, str] | str | Sequence[str] | None


# --------------------------------------------------------------------------- options

def parse_assignments(values: Assignments, *, what: str = "option",
                      allow_bare: bool = True) -> dict[str, str]:
    """Parse ``TASK=VALUE`` settings (a dict, ``"a=x,b=y"``, or a list of such strings).

    A bare ``VALUE`` (no ``=``) applies to every task and is stored under ``"*"``.

    Example:
        >>> parse_assignments(["stance=semeval_favg", "claim_type=macro_f1,x=positive_f1"])
        {'stance': 'semeval_favg', 'claim_type': 'macro_f1', 'x': 'positive_f1'}
        >>> parse_assignments("macro_f1")
        {'*': 'macro_f1'}
    """
    if values is None:
        return {}
    if isinstance(values, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in values.items()}
    items = [values] if isinstance(values, str) else list(values)
    out: dict[str, str] = {}
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            if not sep:
                if not allow_bare:
                    raise DataError(f"{what} {part!r} is not of the form TASK=VALUE, "
                                    f"e.g. stance=stance_gold")
                key, value = "*", key
            if not key.strip() or not value.strip():
                raise DataError(f"{what} {part!r} has an empty task or value; write TASK=VALUE")
            out[key.strip()] = value.strip()
    return out


def _for_task(settings: Mapping[str, str], task: str) -> str | None:
    return settings.get(task, settings.get("*"))


def _match_label(wanted: str, labels: Sequence[str], *, task: str, metric: str) -> str:
    if wanted in labels:
        return wanted
    folded = [lab for lab in labels if lab.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise DataError(f"{metric} for task {task!r} needs the label {wanted!r}, but the task's "
                    f"labels are {list(labels)}; name the label(s) with --positive-label "
                    f"{task}=LABEL (positive_label={{{task!r}: 'LABEL'}})")


def resolve_metric(metric: str | None, labels: Sequence[str], *,
                   positive_label: str | Sequence[str] | None = None,
                   task: str = "task") -> dict[str, Any]:
    """Check a benchmark metric against a task's labels and settle its positive labels.

    ``semeval_favg`` takes two labels (``"favor/against"`` or a pair; default
    FAVOR/AGAINST, matched case-insensitively), ``positive_f1`` one (default ``Yes``).

    Example:
        >>> resolve_metric("semeval_favg", ["favor", "against", "none"])
        {'metric': 'semeval_favg', 'positive': ['favor', 'against']}
        >>> resolve_metric(None, ["a", "b"])
        {'metric': 'macro_f1'}
    """
    name = (metric or DEFAULT_METRIC).strip().lower().replace("-", "_")
    if name not in METRICS:
        raise DataError(f"unknown metric {metric!r} for task {task!r}; choose one of "
                        f"{', '.join(METRICS)}, e.g. --metric {task}=macro_f1")
    if name == "macro_f1":
        return {"metric": name}
    if isinstance(positive_label, str):
        wanted = [p.strip() for p in positive_label.split("/") if p.strip()]
    else:
        wanted = list(positive_label or [])
    if name == "semeval_favg":
        wanted = wanted or list(SEMEVAL_LABELS)
        if len(wanted) != 2:
            raise DataError(f"semeval_favg for task {task!r} needs two labels, favor and "
                            f"against, got {wanted}; write --positive-label {task}=FAVOR/AGAINST")
    else:
        wanted = wanted or [CHECKTHAT_POSITIVE]
        if len(wanted) != 1:
            raise DataError(f"positive_f1 for task {task!r} needs one positive label, got "
                            f"{wanted}; write --positive-label {task}=LABEL")
    return {"metric": name,
            "positive": [_match_label(w, labels, task=task, metric=name) for w in wanted]}


def headline_score(y_true: Sequence[str], y_pred: Sequence[str], spec: Mapping[str, Any]) -> float:
    """The benchmark metric ``spec`` (from :func:`resolve_metric`) of predictions.

    Example:
        >>> spec = resolve_metric("semeval_favg", ["FAVOR", "AGAINST", "NONE"])
        >>> headline_score(["FAVOR", "AGAINST", "NONE"], ["FAVOR", "AGAINST", "FAVOR"], spec)
        0.8333333333333333
    """
    from sklearn.metrics import f1_score

    name = spec["metric"]
    if name == "semeval_favg":
        favor, against = spec["positive"]
        return semeval_favg(y_true, y_pred, favor=favor, against=against)
    if name == "positive_f1":
        return positive_f1(y_true, y_pred, positive=spec["positive"][0])
    return float(f1_score(list(y_true), list(y_pred), average="macro", zero_division=0))


# --------------------------------------------------------------------------- scoring

def calibration_bins(probs: np.ndarray, y_true: Sequence[int], *, bins: int = BINS) -> list[dict]:
    """Reliability-diagram bins of top-label confidence (the bins of the ECE).

    Example:
        >>> import numpy as np
        >>> b = calibration_bins(np.array([[0.9, 0.1], [0.2, 0.8]]), [0, 1], bins=5)
        >>> [(x["count"], x["accuracy"]) for x in b][-2:]
        [(1, 1.0), (1, 1.0)]
    """
    probs = np.asarray(probs, dtype=np.float64)
    y = np.asarray(y_true)
    conf = probs.max(axis=1) if len(probs) else np.zeros(0)
    correct = probs.argmax(axis=1) == y if len(probs) else np.zeros(0, dtype=bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    out = []
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        count = int(mask.sum())
        out.append({"lo": float(lo), "hi": float(hi), "count": count,
                    "accuracy": float(correct[mask].mean()) if count else None,
                    "confidence": float(conf[mask].mean()) if count else None})
    return out


def most_confident_errors(y_true: Sequence[str], y_pred: Sequence[str], probs: np.ndarray | None,
                          labels: Sequence[str], texts: Sequence[str], *,
                          ids: Sequence[str] | None = None, targets: Sequence[str] | None = None,
                          rows: Sequence[int] | None = None, top: int = TOP_ERRORS) -> list[dict]:
    """The ``top`` wrong predictions, most confident first (in data order without ``probs``).

    Example:
        >>> import numpy as np
        >>> errs = most_confident_errors(["a", "b", "b"], ["b", "a", "b"],
        ...     np.array([[0.4, 0.6], [0.9, 0.1], [0.2, 0.8]]), ["a", "b"], ["x", "y", "z"])
        >>> [(e["text"], e["confidence"]) for e in errs]
        [('y', 0.9), ('x', 0.6)]
    """
    index = {lab: i for i, lab in enumerate(labels)}
    wrong = [i for i, (t, p) in enumerate(zip(y_true, y_pred)) if t != p]
    if probs is not None:
        wrong.sort(key=lambda i: -float(probs[i, index[y_pred[i]]]))
    out = []
    for i in wrong[:max(top, 0)]:
        item: dict[str, Any] = {"row": int(rows[i]) if rows is not None else i,
                                "id": ids[i] if ids is not None else None, "text": texts[i]}
        if targets is not None:
            item["target"] = targets[i]
        item.update({"gold": y_true[i], "predicted": y_pred[i],
                     "confidence": float(probs[i, index[y_pred[i]]]) if probs is not None else None,
                     "gold_probability": float(probs[i, index[y_true[i]]])
                     if probs is not None else None})
        out.append(item)
    return out


def task_report(y_true: Sequence[str], y_pred: Sequence[str], probs: np.ndarray | None,
                labels: Sequence[str], texts: Sequence[str], *,
                uncalibrated_probs: np.ndarray | None = None, metric: str | None = None,
                positive_label: str | Sequence[str] | None = None,
                ids: Sequence[str] | None = None, targets: Sequence[str] | None = None,
                rows: Sequence[int] | None = None, top_errors: int = TOP_ERRORS,
                bins: int = BINS, task: str = "task") -> dict[str, Any]:
    """Score one task's predictions: per-class precision/recall/F1/support, macro and
    weighted F1, accuracy, confusion matrix, calibration, most confident errors and the
    headline benchmark metric (see the module docstring for the dict's schema).

    ``probs``: calibrated probabilities, shape ``(n, len(labels))`` in ``labels`` order,
    or None (no calibration section, errors in data order). ``uncalibrated_probs``: the
    same at temperature 1, for the ECE before temperature scaling.

    Example:
        >>> r = task_report(["yes", "no", "no"], ["yes", "yes", "no"], None, ["yes", "no"],
        ...                 ["a", "b", "c"], metric="positive_f1", positive_label="yes")
        >>> r["per_class"]["yes"], r["headline"]
        ({'precision': 0.5, 'recall': 1.0, 'f1': 0.6666666666666666, 'support': 1}, {'metric': 'positive_f1', 'value': 0.6666666666666666, 'positive': ['yes']})
        >>> r["confusion_matrix"]["matrix"]
        [[1, 0], [1, 1]]
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )

    y_true, y_pred, labels = list(y_true), list(y_pred), list(labels)
    n = len(y_true)
    if n == 0:
        raise DataError(f"task {task!r} has no labelled rows to evaluate")
    if len(y_pred) != n or len(texts) != n:
        raise ValueError(f"task {task!r}: got {n} gold labels, {len(y_pred)} predictions and "
                         f"{len(texts)} texts; they must have the same length")
    unknown = sorted((set(y_true) | set(y_pred)) - set(labels))
    if unknown:
        raise DataError(f"task {task!r}: labels {unknown} are not among {labels}; "
                        "fix the data or pass the full label list")
    for name, p in (("probs", probs), ("uncalibrated_probs", uncalibrated_probs)):
        if p is not None and np.shape(p) != (n, len(labels)):
            raise ValueError(f"task {task!r}: {name} has shape {np.shape(p)}, expected "
                             f"({n}, {len(labels)}): one row per example, one column per label")
    prec, rec, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0)
    spec = resolve_metric(metric, labels, positive_label=positive_label, task=task)
    report: dict[str, Any] = {
        "n": n,
        "labels": labels,
        "headline": {"metric": spec["metric"], "value": headline_score(y_true, y_pred, spec),
                     **({"positive": spec["positive"]} if "positive" in spec else {})},
        "per_class": {lab: {"precision": float(prec[i]), "recall": float(rec[i]),
                            "f1": float(f1[i]), "support": int(support[i])}
                      for i, lab in enumerate(labels)},
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(y_true, y_pred, average="weighted", zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "confusion_matrix": {"labels": labels,
                             "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
        "calibration": None,
    }
    if probs is not None:
        index = {lab: i for i, lab in enumerate(labels)}
        gold = [index[t] for t in y_true]
        report["calibration"] = {
            "ece": expected_calibration_error(np.asarray(probs), gold, bins=bins),
            "ece_uncalibrated": expected_calibration_error(np.asarray(uncalibrated_probs), gold,
                                                           bins=bins)
            if uncalibrated_probs is not None else None,
            "bins": calibration_bins(probs, gold, bins=bins),
            "bins_uncalibrated": calibration_bins(uncalibrated_probs, gold, bins=bins)
            if uncalibrated_probs is not None else None,
        }
    report["errors"] = most_confident_errors(y_true, y_pred, probs, labels, texts, ids=ids,
                                             targets=targets, rows=rows, top=top_errors)
    return report


def evaluate_predictions(gold: Mapping[str, Sequence[str]], predicted: Mapping[str, Sequence[str]],
                         *, labels: Mapping[str, Sequence[str]], texts: Sequence[str],
                         probs: Mapping[str, np.ndarray] | None = None,
                         metric: Assignments = None, positive_label: Assignments = None,
                         top_errors: int = TOP_ERRORS) -> dict[str, dict[str, Any]]:
    """Task reports for several tasks at once (``None`` gold labels are left out).

    Example:
        >>> out = evaluate_predictions({"stance": ["FAVOR", "NONE", None]},
        ...     {"stance": ["FAVOR", "FAVOR", "NONE"]}, labels={"stance": ["FAVOR", "AGAINST", "NONE"]},
        ...     texts=["a", "b", "c"], metric="stance=semeval_favg")
        >>> out["stance"]["n"], round(out["stance"]["headline"]["value"], 3)
        (2, 0.333)
    """
    metrics = parse_assignments(metric, what="--metric")
    positives = parse_assignments(positive_label, what="--positive-label")
    out = {}
    for task, y_true in gold.items():
        keep = [i for i, v in enumerate(y_true) if v is not None]
        p = (probs or {}).get(task)
        out[task] = task_report(
            [y_true[i] for i in keep], [predicted[task][i] for i in keep],
            None if p is None else np.asarray(p)[keep], labels[task], [texts[i] for i in keep],
            metric=_for_task(metrics, task), positive_label=_for_task(positives, task),
            rows=keep, top_errors=top_errors, task=task)
    return out


# --------------------------------------------------------------------------- training data

def repo_root() -> Path:
    """The directory above the ``stancekit`` package (the repository root of a checkout).

    Example:
        >>> (repo_root() / "stancekit").is_dir()
        True
    """
    return Path(__file__).resolve().parent.parent


def resolve_train_data(train: Any, training: Mapping[str, Any] | None) -> tuple[Any, str | None]:
    """Which training data the baselines use, and a note when there is none.

    ``train`` wins (returned as given); else ``training["train_data"]`` from the model's
    config, a path tried against the current directory and then the repository root.

    Example:
        >>> resolve_train_data(None, {})[0] is None
        True
        >>> resolve_train_data(None, {"train_data": "pyproject.toml"})[0] == repo_root() / "pyproject.toml"
        True
    """
    if train is not None:
        return train, None
    named = (training or {}).get("train_data")
    if not named:
        return None, ("baselines skipped: no training data; pass --train FILE (train=...) or "
                      "record train_data in the model's config")
    path = Path(str(named)).expanduser()
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, repo_root() / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate, None
    return None, (f"baselines skipped: the model's training data {named} was not found "
                  f"(looked at {', '.join(str(c) for c in candidates)}); pass --train FILE")


# --------------------------------------------------------------------------- evaluate

@dataclass
class EvalReport:
    """What :func:`evaluate` returns.

    ``tasks``: per task the report dict (model metrics, ``headline``, ``baselines``);
    ``report``: the whole ``report.json`` dict; ``files``: written files by kind
    (``json``, ``md``, ``html``, ``confusion_<task>``, ``reliability_<task>``).
    """

    tasks: dict[str, dict[str, Any]]
    report: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def headline(self, task: str, system: str = MODEL) -> float:
        """The headline metric of ``system`` (``"model"`` or a baseline) on ``task``."""
        entry = self.tasks[task]
        return float((entry if system == MODEL else entry["baselines"][system])["headline"]["value"])


@dataclass
class _Columns:
    text: str
    target: str | None
    labels: dict[str, str]  # task -> column


def _describe(data: Any) -> str:
    if isinstance(data, (str, os.PathLike)):
        return str(data)
    return f"<{type(data).__name__}>"


def _columns(cfg: Any, frame: Any, *, text_column: str | None, target_column: str | None,
             label_columns: Assignments, notes: list[str]) -> _Columns:
    mapping = parse_assignments(label_columns, what="--label-columns", allow_bare=False)
    names = [t.name for t in cfg.tasks]
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise DataError(f"--label-columns names task(s) {unknown} that the model does not have; "
                        f"its tasks are {names}. Write TASK=COLUMN with one of those tasks")
    present = set(frame.columns)
    chosen: dict[str, str] = {}
    for name in names:
        column = mapping.get(name, name)
        if name in mapping or column in present:
            chosen[name] = column
        else:
            notes.append(f"task {name!r} not evaluated: the data has no column {column!r} "
                         f"(map one with --label-columns {name}=COLUMN)")
    if not chosen:
        raise DataError(f"the evaluation data has none of the label columns {names}; its columns "
                        f"are {list(frame.columns)}. Map them with --label-columns TASK=COLUMN")
    target = target_column or cfg.target_column
    if not cfg.pair_input:
        if target_column:
            warnings.warn(f"the model was trained without targets; column {target_column!r} "
                          "is shown in the report but not given to the model", stacklevel=3)
        target = target_column
    elif not target:
        raise DataError("the model was trained with a target column (pair input) but its config "
                        "names none; pass --target-column COLUMN")
    return _Columns(text=text_column or cfg.text_column, target=target, labels=chosen)


def _prepared(frame: Any, cols: _Columns, tasks: Sequence[Any], *, where: str):  # type: ignore[no-untyped-def]
    from .data import prepare

    return prepare(frame, text_column=cols.text, label_columns=[cols.labels[t.name] for t in tasks],
                   tasks=tasks, target_column=cols.target, allow_missing_labels=True, where=where)


def _model_outputs(clf: Any, texts: list[str], targets: list[str] | None, *,
                   batch_size: int, progress: bool = False) -> tuple[list[np.ndarray], int]:
    from .predict import _clean

    cleaned = [unicodedata.normalize("NFC", _clean(t)) for t in texts]
    logits, long_flags = clf.logits(cleaned, targets if clf.config.pair_input else None,
                                    batch_size=batch_size, progress=progress)
    return logits, int(sum(long_flags))


def _baselines(task: Any, labels: list[str], train: Any, test: Any, *, pair: bool,
               metric: str | None, positive: str | None, top_errors: int,
               notes: list[str]) -> dict[str, dict[str, Any]]:
    from .baselines import majority_baseline, tfidf_baseline

    keep_tr = [i for i, v in enumerate(train.labels[task.name]) if v != -100]
    keep = [i for i, v in enumerate(test.labels[task.name]) if v != -100]
    y_train = [labels[train.labels[task.name][i]] for i in keep_tr]
    y_true = [labels[test.labels[task.name][i]] for i in keep]
    texts = [test.texts[i] for i in keep]
    targets = [test.targets[i] for i in keep] if test.targets is not None else None
    outputs = [majority_baseline(y_train, len(keep), labels=labels)]
    try:
        use_targets = pair and train.targets is not None and targets is not None
        outputs.append(tfidf_baseline(
            [train.texts[i] for i in keep_tr], y_train, texts, labels=labels,
            train_targets=[train.targets[i] for i in keep_tr] if use_targets else None,
            targets=targets if use_targets else None))
    except DataError as exc:
        notes.append(f"task {task.name!r}: tfidf_logreg skipped: {exc}")
    return {out.name: task_report(
        y_true, out.predictions, out.probs, labels, texts, metric=metric, positive_label=positive,
        ids=[test.ids[i] for i in keep] if test.ids else None, targets=targets, rows=keep,
        top_errors=top_errors, task=task.name) for out in outputs}


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def evaluate(*, data: Any, model: Any = None, out: str | os.PathLike[str] | None = None,
             train: Any = None, metric: Assignments = None, positive_label: Assignments = None,
             text_column: str | None = None, target_column: str | None = None,
             label_columns: Assignments = None, batch_size: int = 64, baselines: bool = True,
             top_errors: int = TOP_ERRORS, quiet: bool = False) -> EvalReport:
    """Evaluate a model on annotated data, beside baselines, and write the reports to ``out``.

    ``model``: a model directory, a loaded :class:`~stancekit.Classifier`, or None for the
    default model. ``data``/``train``: a CSV/TSV/JSONL path, a DataFrame or a list of
    dicts; label columns are named after the tasks unless ``label_columns``
    (``{"stance": "gold"}`` or ``"stance=gold"``) says otherwise; rows with an empty label
    are left out of that task. Training data for the baselines: ``train``, else the
    ``train_data`` recorded in the model's config, else the baselines are skipped (noted).
    ``metric``/``positive_label``: per-task settings, e.g. ``{"stance": "semeval_favg"}``
    and ``{"check_worthy": "Yes"}``. ``out=None`` writes nothing.

    Example:
        >>> import stancekit, tempfile
        >>> rows = [{"text": "Both sides should return to the table.", "claim_type": "policy",
        ...          "stance": "favor"}, {"text": "Shelling went on.", "claim_type": "fact",
        ...          "stance": "unrelated"}]
        >>> rep = stancekit.evaluate(data=rows, out=tempfile.mkdtemp(), quiet=True)
        >>> sorted(rep.files)[:3], rep.tasks["stance"]["headline"]["metric"]
        (['confusion_claim_type', 'confusion_stance', 'html'], 'macro_f1')
    """
    from . import __version__
    from .data import read_table
    from .modeldir import default_model_dir, read_config
    from .predict import Classifier, load, softmax

    if isinstance(model, Classifier):
        cfg, model_dir = model.config, model.path
    else:
        model_dir = str(default_model_dir() if model is None else Path(model).expanduser())
        cfg = read_config(model_dir)
    notes: list[str] = []
    frame = read_table(data)
    cols = _columns(cfg, frame, text_column=text_column, target_column=target_column,
                    label_columns=label_columns, notes=notes)
    tasks = [t for t in cfg.tasks if t.name in cols.labels]
    metrics = parse_assignments(metric, what="--metric")
    positives = parse_assignments(positive_label, what="--positive-label")
    for settings, flag in ((metrics, "--metric"), (positives, "--positive-label")):
        stray = sorted(set(settings) - {"*"} - {t.name for t in cfg.tasks})
        if stray:
            raise DataError(f"{flag} names task(s) {stray} that the model does not have; its "
                            f"tasks are {[t.name for t in cfg.tasks]}")
    for t in tasks:  # fail on a bad metric before any slow work
        resolve_metric(_for_task(metrics, t.name), t.labels,
                       positive_label=_for_task(positives, t.name), task=t.name)
    test = _prepared(frame, cols, tasks, where="evaluation data")
    train_source, note = resolve_train_data(train, cfg.training) if baselines else (None, None)
    if note:
        notes.append(note)
    train_prep = None
    if train_source is not None:
        train_frame = read_table(train_source)
        train_tasks = [t for t in tasks if cols.labels[t.name] in train_frame.columns]
        for t in tasks:
            if t not in train_tasks:
                notes.append(f"task {t.name!r}: baselines skipped: the training data has no "
                             f"column {cols.labels[t.name]!r}")
        if train_tasks:
            train_cols = _Columns(cols.text, cols.target if cfg.pair_input else None, cols.labels)
            train_prep = _prepared(train_frame, train_cols, train_tasks, where="training data")

    _say(quiet, f"evaluating {len(test)} rows with {model_dir}")
    clf = model if isinstance(model, Classifier) else load(model)
    logits, n_long = _model_outputs(clf, test.texts, test.targets, batch_size=batch_size,
                                    progress=not quiet and sys.stderr.isatty())
    by_name = dict(zip([t.name for t in clf.config.tasks], logits))
    result: dict[str, dict[str, Any]] = {}
    for t in tasks:
        labels = list(t.labels)
        keep = [i for i, v in enumerate(test.labels[t.name]) if v != -100]
        lg = by_name[t.name][keep]
        temperature = float(cfg.temperatures.get(t.name, 1.0))
        probs = softmax(lg, temperature)
        entry = {"column": cols.labels[t.name], "temperature": temperature}
        entry.update(task_report(
            [labels[test.labels[t.name][i]] for i in keep], [labels[i] for i in lg.argmax(-1)],
            probs, labels, [test.texts[i] for i in keep], uncalibrated_probs=softmax(lg, 1.0),
            metric=_for_task(metrics, t.name), positive_label=_for_task(positives, t.name),
            ids=[test.ids[i] for i in keep] if test.ids else None,
            targets=[test.targets[i] for i in keep] if test.targets is not None else None,
            rows=keep, top_errors=top_errors, task=t.name))
        entry["baselines"] = {}
        if train_prep is not None and t.name in train_prep.labels:
            _say(quiet, f"training baselines for {t.name}")
            entry["baselines"] = _baselines(
                t, labels, train_prep, test, pair=cfg.pair_input,
                metric=_for_task(metrics, t.name), positive=_for_task(positives, t.name),
                top_errors=top_errors, notes=notes)
        result[t.name] = entry
    report = _assemble(result, notes=notes, model_dir=model_dir, data=data, train=train_source,
                       n_rows=len(test), n_long=n_long, version=__version__)
    files: dict[str, Path] = {}
    if out is not None:
        from .report import write_report

        files = write_report(report, out)
        _say(quiet, f"wrote {files['html']}")
    return EvalReport(tasks=result, report=report, files=files, notes=notes)


def _assemble(tasks: dict[str, dict[str, Any]], *, notes: list[str], model_dir: Any, data: Any,
              train: Any, n_rows: int, n_long: int, version: str) -> dict[str, Any]:
    from .baselines import BASELINES, DESCRIPTIONS

    ran = [b for b in BASELINES if any(b in t["baselines"] for t in tasks.values())]
    return {
        "format": "stancekit-eval-report",
        "format_version": 1,
        "stancekit_version": version,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "model": str(model_dir),
        "data": _describe(data),
        "train_data": None if train is None else _describe(train),
        "n_rows": n_rows,
        "n_long_texts": n_long,
        "systems": [MODEL, *ran],
        "baselines": {b: DESCRIPTIONS[b] for b in ran},
        "notes": list(notes),
        "tasks": tasks,
    }


__all__ = ["EvalReport", "calibration_bins", "evaluate", "evaluate_predictions", "headline_score",
           "most_confident_errors", "parse_assignments", "repo_root", "resolve_metric",
           "resolve_train_data", "task_report"]
