"""Read annotated data (CSV, TSV, JSONL, JSON, a DataFrame or a ``datasets.Dataset``),
map its columns to tasks and check it, with errors that say how to fix the data.
"""

from __future__ import annotations

import io
import json
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError
from .schema import DEFAULT_TASKS, Task

DataLike = Any  # str | os.PathLike | pandas.DataFrame | datasets.Dataset | list[dict]
_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".ndjson")


def _decode(raw: bytes, path: Path) -> str:
    """Decode bytes as UTF-8; lines that are not UTF-8 are read as cp1252 (with a warning)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    bad = 0
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            bad += 1
            out.append(line.decode("cp1252", errors="replace"))
    warnings.warn(f"{path}: {bad} of {len(lines)} line(s) are not UTF-8 and were read as "
                  "cp1252 (Windows-1252); re-save the file as UTF-8 to silence this",
                  stacklevel=4)
    return "\n".join(out).lstrip("\ufeff")


def read_table(data: DataLike, *, encoding: str | None = None):  # type: ignore[no-untyped-def]
    """Read annotated data into a pandas DataFrame.

    Accepts a path to ``.csv``/``.tsv``/``.jsonl``/``.json``, a DataFrame, a
    ``datasets.Dataset`` or a list of dicts. Files are read as UTF-8; lines in another
    encoding are read as cp1252 with a warning, unless ``encoding`` is given.

    Example:
        >>> read_table([{"text": "Talks resume.", "stance": "neutral"}]).shape
        (1, 2)
    """
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data.reset_index(drop=True)
    if isinstance(data, list):
        return pd.DataFrame(data)
    try:
        import datasets

        if isinstance(data, datasets.Dataset):
            return data.to_pandas()
        if isinstance(data, datasets.DatasetDict):
            raise DataError("got a DatasetDict; pass one split, e.g. ds['train'], as data and "
                            "another, e.g. ds['validation'], as dev")
    except ImportError:  # pragma: no cover
        pass
    if not isinstance(data, (str, os.PathLike)):
        raise DataError(f"cannot read data of type {type(data).__name__}; pass a path to a "
                        "CSV/TSV/JSONL file, a pandas DataFrame or a datasets.Dataset")
    path = Path(data).expanduser()
    if not path.exists():
        raise DataError(f"data file {path} does not exist; check the path")
    if path.is_dir():
        raise DataError(f"{path} is a directory; pass a CSV, TSV or JSONL file")
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise DataError(f"{path}: unknown file type {suffix!r}; use one of {', '.join(_SUFFIXES)}")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(f"data file {path} is empty; it needs a header (CSV) or one JSON object "
                        "per line (JSONL) and at least one annotated row")
    text = raw.decode(encoding) if encoding else _decode(raw, path)
    try:
        if suffix in (".csv", ".tsv"):
            frame = pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",",
                                dtype=str, keep_default_na=False, na_values=[""])
        elif suffix == ".json" and text.lstrip().startswith("["):
            frame = pd.DataFrame(json.loads(text))
        else:
            rows = []
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise DataError(f"{path}, line {number}: not valid JSON ({exc.msg}); "
                                        "JSONL needs one JSON object per line") from exc
            frame = pd.DataFrame(rows)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{path} could not be parsed as {suffix[1:].upper()}: {exc}") from exc
    if frame.empty:
        raise DataError(f"data file {path} has a header but no rows; add annotated rows")
    return frame


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


@dataclass
class Prepared:
    """Checked data: texts, optional targets and, per task, label indices (-100 = missing)."""

    texts: list[str]
    targets: list[str] | None
    labels: dict[str, list[int]]
    ids: list[str] | None = None

    def __len__(self) -> int:
        return len(self.texts)


def infer_tasks(frame: Any, label_columns: Sequence[str]) -> list[Task]:
    """Build one :class:`Task` per label column from the labels present.

    The default tasks keep the codebook's label order when their labels are a subset of
    it; other columns get their labels in sorted order.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"t": ["a", "b"], "mood": ["up", "down"]})
        >>> infer_tasks(df, ["mood"])[0].labels
        ('down', 'up')
    """
    tasks = []
    defaults = {t.name: t for t in DEFAULT_TASKS}
    for col in label_columns:
        values = sorted({str(v).strip() for v in frame[col] if not _missing(v)})
        if len(values) < 2:
            raise DataError(
                f"label column {col!r} has {len(values)} distinct label(s) {values} in the "
                "training data; a classifier needs at least two classes. Add examples of "
                "other classes or drop this column from --label-columns"
            )
        default = defaults.get(col)
        if default is not None and set(values) <= set(default.labels):
            tasks.append(default)
        else:
            tasks.append(Task(col, tuple(values)))
    return tasks


def prepare(frame: Any, *, text_column: str, label_columns: Sequence[str],
            tasks: Sequence[Task], target_column: str | None = None,
            allow_missing_labels: bool = False, where: str = "data",
            require_labels: bool = True) -> Prepared:
    """Check columns and labels of ``frame`` against ``tasks`` and turn labels into ids.

    Raises :class:`DataError` for a missing column, unknown labels, missing labels
    (unless ``allow_missing_labels``), or duplicate ids. Rows with empty text are
    dropped with a warning.

    Example:
        >>> import pandas as pd
        >>> from stancekit.schema import STANCE
        >>> df = pd.DataFrame({"text": ["Talks resume.", "Shelling went on."],
        ...                    "stance": ["neutral", "unrelated"]})
        >>> prepare(df, text_column="text", label_columns=["stance"], tasks=[STANCE]).labels
        {'stance': [2, 3]}
    """
    columns = list(frame.columns)
    needed = [text_column] + (list(label_columns) if require_labels else [])
    if target_column:
        needed.append(target_column)
    absent = [c for c in needed if c not in columns]
    if absent:
        raise DataError(f"{where} has no column(s) {absent}; its columns are {columns}. "
                        "Name the right ones with --text-column / --label-columns / "
                        "--target-column")
    if "id" in columns:
        ids = frame["id"].astype(str)
        dup = ids[ids.duplicated()].unique().tolist()
        if dup:
            raise DataError(f"{where} has duplicate ids {dup[:5]}; ids must be unique. "
                            "Fix or drop the duplicated rows")
    empty = [i for i, v in enumerate(frame[text_column]) if _missing(v)]
    if empty:
        warnings.warn(f"{where}: {len(empty)} row(s) with empty text dropped (rows {empty[:5]})",
                      stacklevel=3)
        frame = frame.drop(index=frame.index[empty]).reset_index(drop=True)
    if len(frame) == 0:
        raise DataError(f"{where} has no rows with text in column {text_column!r}")
    labels: dict[str, list[int]] = {}
    if require_labels:
        for task, col in zip(tasks, label_columns):
            mapping = task.label2id
            ids_: list[int] = []
            unknown: set[str] = set()
            missing_rows: list[int] = []
            for i, v in enumerate(frame[col]):
                if _missing(v):
                    missing_rows.append(i)
                    ids_.append(-100)
                    continue
                key = str(v).strip()
                if key not in mapping:
                    unknown.add(key)
                    ids_.append(-100)
                else:
                    ids_.append(mapping[key])
            if unknown:
                raise DataError(
                    f"{where}: column {col!r} has label(s) {sorted(unknown)} that the model's "
                    f"task {task.name!r} does not know (its labels: {list(task.labels)}). "
                    "Fix the typos, or add examples of these labels to the training data"
                )
            if missing_rows and not allow_missing_labels:
                raise DataError(
                    f"{where}: column {col!r} has {len(missing_rows)} empty/NaN label(s) "
                    f"(rows {missing_rows[:5]}); fill or drop them, or pass "
                    "allow_missing_labels=True (--allow-missing-labels) so those rows train "
                    "only the tasks they have labels for"
                )
            if all(x == -100 for x in ids_):
                raise DataError(f"{where}: column {col!r} has no labels at all")
            labels[task.name] = ids_
    targets = None
    if target_column:
        targets = ["" if _missing(v) else str(v) for v in frame[target_column]]
    return Prepared(
        texts=[str(v) for v in frame[text_column]],
        targets=targets,
        labels=labels,
        ids=[str(v) for v in frame["id"]] if "id" in columns else None,
    )
