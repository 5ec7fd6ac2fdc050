"""``stancekit classify``: label text arguments, a file or stdin."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import DataError

EXAMPLE = """examples:
  stancekit classify "Both sides should return to the table."
  stancekit classify --file article.txt              # a .txt is split into sentences
  stancekit classify --file rows.csv --text-column sentence --format csv > out.csv
  cat sentences.txt | stancekit classify --format jsonl   # one sentence per line
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="label sentences or articles",
                       description="Label sentences by claim type and stance; a .txt file or "
                                   "--document input is split into sentences with offsets.",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("texts", nargs="*", help="sentences to label (else --file or stdin)")
    p.add_argument("--file", "-f", help="a .txt article, or a .jsonl/.csv/.tsv with a text column")
    p.add_argument("--model", "-m", default=None, help="model directory (default: shipped model)")
    p.add_argument("--text-column", default="text", help="text column of a .jsonl/.csv input")
    p.add_argument("--document", action="store_true",
                   help="treat each input (or stdin as a whole) as an article to split")
    p.add_argument("--format", choices=("table", "jsonl", "csv"), default=None,
                   help="output format (default: table on a terminal, jsonl otherwise)")
    p.add_argument("--min-score", type=float, default=None,
                   help="labels whose calibrated score is below this are left empty")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--output", "-o", help="write to this file instead of stdout")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.set_defaults(run=run)


def _inputs(args: argparse.Namespace) -> tuple[list[str], bool, list[dict] | None]:
    """Texts to label, whether they are documents, and extra columns to carry along."""
    if args.texts:
        return list(args.texts), args.document, None
    if args.file:
        path = Path(args.file)
        if not path.exists():
            raise DataError(f"input file {path} does not exist; check the path")
        if path.suffix.lower() in (".jsonl", ".csv", ".tsv", ".json", ".ndjson"):
            from ..data import read_table

            frame = read_table(path)
            if args.text_column not in frame.columns:
                raise DataError(f"{path} has no column {args.text_column!r}; its columns are "
                                f"{list(frame.columns)}. Name the text with --text-column")
            frame = frame.fillna("")
            texts = [str(v) for v in frame[args.text_column]]
            extras = frame.drop(columns=[args.text_column]).to_dict(orient="records")
            return texts, args.document, extras
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        return [text], True, None
    if sys.stdin is None or sys.stdin.isatty():
        raise DataError("nothing to classify: give sentences as arguments, --file FILE, "
                        "or pipe text on stdin")
    data = sys.stdin.read()
    if args.document:
        return [data], True, None
    return [line for line in data.splitlines() if line.strip()], False, None


def _table(rows: list[dict], tasks: list[str]) -> str:
    width = 64
    head = f"{'text':<{width}}  " + "  ".join(f"{t:<22}" for t in tasks)
    lines = [head, "-" * len(head)]
    for row in rows:
        text = row["text"].replace("\n", " ")
        text = text if len(text) <= width else text[: width - 1] + "…"
        cells = []
        for t in tasks:
            label = row[t]["label"]
            cell = f"{label or '-'} ({row[t]['score']:.2f})"
            cells.append(f"{cell:<22}")
        lines.append(f"{text:<{width}}  " + "  ".join(cells))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..predict import load
    from ._common import show_progress

    texts, documents, extras = _inputs(args)
    clf = load(args.model)
    results = []
    if documents:
        for i, doc in enumerate(texts):
            for r in clf.classify_document(doc, batch_size=args.batch_size,
                                           min_score=args.min_score):
                row = r.to_dict()
                if len(texts) > 1:
                    row["document"] = i
                results.append(row)
    else:
        for i, r in enumerate(clf.classify(texts, batch_size=args.batch_size,
                                           min_score=args.min_score,
                                           progress=show_progress(args))):
            row = r.to_dict()
            if extras:
                row = {**{k: v for k, v in extras[i].items() if k not in row}, **row}
            results.append(row)
    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    tasks = list(clf.tasks)
    if fmt == "table":
        out = _table(results, tasks) + "\n"
    elif fmt == "jsonl":
        out = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    else:
        import pandas as pd

        flat = []
        for r in results:
            row = {k: v for k, v in r.items() if k not in tasks and k != "warnings"}
            for t in tasks:
                row[t] = r[t]["label"]
                row[f"{t}_score"] = round(r[t]["score"], 6)
            flat.append(row)
        out = pd.DataFrame(flat).to_csv(index=False)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0
