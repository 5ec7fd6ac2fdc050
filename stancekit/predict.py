"""Inference: batching with length-sorted dynamic padding, calibrated scores, documents.

Texts longer than the model window are split into overlapping token windows whose
logits are averaged (a warning says so); empty or whitespace-only texts get a result
whose labels are ``None`` with score 0.0 (a warning says so).
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .calibrate import softmax
from .results import Result, TaskResult
from .segment import segment

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_WINDOWS = 64  # at most this many windows of a single text are read (about 6,000 tokens)


def _clean(text: str) -> str:
    """Drop control characters and lone surrogates that tokenizers choke on."""
    text = _CONTROL.sub(" ", text)
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _as_list(texts: Any, what: str) -> list[str]:
    if isinstance(texts, (bytes, bytearray)):
        raise TypeError(f"{what} must be text, got bytes; decode first, e.g. data.decode('utf-8')")
    items = list(texts)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            kind = "None (an empty cell?)" if item is None or (
                isinstance(item, float) and math.isnan(item)) else type(item).__name__
            raise TypeError(
                f"{what}[{i}] is {kind}, not a str; classify takes strings only. "
                "Drop or fill missing values first, e.g. series.dropna() or series.fillna('')"
            )
    return items


class Classifier:
    """A loaded model that labels sentences.

    Build one with :meth:`Classifier.from_pretrained` (or :func:`stancekit.load`).

    Example:
        >>> import stancekit
        >>> clf = stancekit.load()
        >>> clf.classify("Both sides should return to the table.").stance.label in clf.labels["stance"]
        True
    """

    def __init__(self, model: Any, tokenizer: Any, config: Any, *, path: str | None = None) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.config = config
        self.path = path

    @classmethod
    def from_pretrained(cls, model_dir: str | os.PathLike[str] | None = None, *,
                        device: str | None = None) -> Classifier:
        """Load a saved model directory (the default model when ``None``), with no network,
        onto ``device`` (default: the first CUDA GPU when torch sees one, else the CPU).

        Example:
            >>> Classifier.from_pretrained().tasks
            ('claim_type', 'stance')
        """
        from .modeldir import default_model_dir, load_model

        path = default_model_dir() if model_dir is None else Path(model_dir)
        model, tokenizer, config = load_model(path)
        if device is None:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device != "cpu":
            model.to(device)
        return cls(model, tokenizer, config, path=str(path))

    @property
    def tasks(self) -> tuple[str, ...]:
        """Task names in order."""
        return tuple(t.name for t in self.config.tasks)

    @property
    def labels(self) -> dict[str, tuple[str, ...]]:
        """Label set of each task."""
        return {t.name: t.labels for t in self.config.tasks}

    def logits(self, texts: Sequence[str], targets: Sequence[str] | None = None, *,
               batch_size: int = 64,
               progress: bool = False) -> tuple[list[np.ndarray], list[bool]]:
        """Raw logits per task (one array of shape ``(n, n_labels)`` each), and for each
        text whether it was longer than one window.

        Example:
            >>> import stancekit
            >>> logits, long_text = stancekit.load().logits(["Talks resume.", "No deal."])
            >>> [a.shape for a in logits], long_text
            ([(2, 6), (2, 4)], [False, False])
        """
        import torch

        tok = self.tokenizer
        max_len = self.config.max_length
        n = len(texts)
        n_tasks = len(self.config.tasks)
        if n == 0:
            return [np.zeros((0, len(t.labels)), dtype=np.float32) for t in self.config.tasks], []
        stride = max(8, max_len // 4)
        kwargs: dict[str, Any] = {"truncation": "only_first" if targets is not None else True,
                                  "max_length": max_len, "return_overflowing_tokens": True,
                                  "stride": stride}
        if targets is not None:
            enc = tok(list(texts), list(targets), **kwargs)
        else:
            enc = tok(list(texts), **kwargs)
        mapping = list(enc["overflow_to_sample_mapping"])
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        windows = [{k: enc[k][i] for k in keys} for i in range(len(mapping))]
        per_sample: dict[int, int] = {}
        keep = []
        for w, s in enumerate(mapping):
            if per_sample.get(s, 0) < MAX_WINDOWS:
                keep.append(w)
                per_sample[s] = per_sample.get(s, 0) + 1
        long_text = [per_sample.get(i, 1) > 1 for i in range(n)]
        order = sorted(keep, key=lambda w: len(windows[w]["input_ids"]))
        sums = [np.zeros((n, len(t.labels)), dtype=np.float64) for t in self.config.tasks]
        device = next(self.model.parameters()).device
        self.model.eval()
        with torch.inference_mode():
            starts = range(0, len(order), batch_size)
            if progress:
                from tqdm.auto import tqdm

                starts = tqdm(starts, desc="classify", unit="batch", leave=False)
            for b in starts:
                chunk = order[b:b + batch_size]
                batch = tok.pad([windows[w] for w in chunk], return_tensors="pt")
                batch = {k: v.to(device) for k, v in batch.items() if k in keys}
                out = self.model(**batch)["logits"]
                for t in range(n_tasks):
                    arr = out[t].float().cpu().numpy()
                    for row, w in enumerate(chunk):
                        sums[t][mapping[w]] += arr[row]
        counts = np.array([per_sample.get(i, 1) for i in range(n)], dtype=np.float64)[:, None]
        return [(s / counts).astype(np.float32) for s in sums], long_text

    def classify(self, texts: str | Iterable[str], *, targets: str | Iterable[str] | None = None,
                 batch_size: int = 64, min_score: float | None = None,
                 split: bool = False, progress: bool = False) -> Result | list[Result]:
        """Label one text (returns a :class:`Result`) or many (returns a list).

        ``targets`` gives, per text, what the stance is toward (models trained with a
        target column only). ``min_score``: a task's label is ``None`` when its calibrated
        score is below it. ``split=True`` treats each text as a document and returns
        its units (see :meth:`classify_document`); for a list it returns a flat list.
        ``progress=True`` shows a progress bar over batches.

        Example:
            >>> import stancekit
            >>> r = stancekit.load().classify("The union rejected the offer on Sunday.")
            >>> sorted(r.tasks)
            ['claim_type', 'stance']
        """
        single = isinstance(texts, str)
        items = [texts] if single else _as_list(texts, "texts")  # type: ignore[list-item]
        if split:
            out: list[Result] = []
            for doc in items:
                out.extend(self.classify_document(doc, batch_size=batch_size, min_score=min_score))
            return out
        target_list: list[str] | None = None
        if targets is not None:
            target_list = [targets] * len(items) if isinstance(targets, str) else _as_list(
                targets, "targets")
            if len(target_list) != len(items):
                raise ValueError(f"got {len(items)} texts but {len(target_list)} targets; "
                                 "give one target per text, or one str for all")
        if target_list is not None and not self.config.pair_input:
            warnings.warn("this model was trained without targets; the targets are ignored",
                          stacklevel=2)
            target_list = None
        results = self._run(items, target_list, batch_size=batch_size, min_score=min_score,
                            progress=progress)
        return results[0] if single else results

    def _run(self, items: list[str], targets: list[str] | None, *, batch_size: int,
             min_score: float | None, spans: list[tuple[int, int, str]] | None = None,
             progress: bool = False) -> list[Result]:
        if min_score is not None and not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must be between 0 and 1, got {min_score}")
        cleaned = [unicodedata.normalize("NFC", _clean(t)) for t in items]
        live = [i for i, t in enumerate(cleaned) if t.strip()]
        if len(live) < len(items):
            warnings.warn(f"{len(items) - len(live)} empty or whitespace-only text(s) get "
                          "labels None with score 0.0", stacklevel=3)
        live_targets = [targets[i] for i in live] if targets is not None else None
        logits, long_flags = self.logits([cleaned[i] for i in live], live_targets,
                                         batch_size=batch_size, progress=progress)
        if any(long_flags):
            warnings.warn(
                f"{sum(long_flags)} text(s) are longer than the model window of "
                f"{self.config.max_length} tokens; each was read in overlapping windows "
                f"(at most {MAX_WINDOWS}) and the window logits averaged. For articles use "
                "classify_document() to get one result per sentence.", stacklevel=3)
        probs = [softmax(lg, self.config.temperatures.get(t.name, 1.0))
                 for lg, t in zip(logits, self.config.tasks)]
        position = {i: k for k, i in enumerate(live)}
        results = []
        for i, text in enumerate(items):
            tasks: dict[str, TaskResult] = {}
            notes: tuple[str, ...] = ()
            if i in position:
                k = position[i]
                for t, p in zip(self.config.tasks, probs):
                    row = p[k]
                    best = int(row.argmax())
                    score = float(row[best])
                    label = t.labels[best] if min_score is None or score >= min_score else None
                    tasks[t.name] = TaskResult(label, score,
                                               {lab: float(v) for lab, v in zip(t.labels, row)})
                if long_flags[k]:
                    notes = ("long text: window logits averaged",)
            else:
                for t in self.config.tasks:
                    tasks[t.name] = TaskResult(None, 0.0, {})
                notes = ("empty text: no label",)
            start, end, kind = spans[i] if spans is not None else (None, None, None)
            results.append(Result(text, tasks, start=start, end=end, kind=kind,
                                  target=targets[i] if targets is not None else None,
                                  warnings=notes))
        return results

    def classify_document(self, text: str, *, batch_size: int = 64,
                          min_score: float | None = None) -> list[Result]:
        """Split an article into units and label each; results carry ``start``/``end``.

        Example:
            >>> import stancekit
            >>> doc = "Talks stall in Doha\\n\\nThe delegations met for four hours. No deal came."
            >>> [(r.start, r.end) for r in stancekit.load().classify_document(doc)]
            [(0, 19), (21, 56), (57, 70)]
        """
        if not isinstance(text, str):
            raise TypeError(f"classify_document needs a str, got {type(text).__name__}")
        units = segment(text)
        if not units:
            return []
        return self._run([u.text for u in units], None, batch_size=batch_size,
                         min_score=min_score, spans=[(u.start, u.end, u.kind) for u in units])


@lru_cache(maxsize=8)
def _cached(path: str | None) -> Classifier:
    return Classifier.from_pretrained(path)


def load(model_dir: str | os.PathLike[str] | None = None) -> Classifier:
    """Load a model once per process (the default model when ``model_dir`` is None).

    Example:
        >>> import stancekit
        >>> stancekit.load() is stancekit.load()
        True
    """
    return _cached(None if model_dir is None else str(Path(model_dir).expanduser().resolve()))
