"""``stancekit evaluate``: score a model on annotated data beside baselines; write reports."""

from __future__ import annotations

import argparse

EXAMPLE = """examples:
  stancekit evaluate --data test.csv --out reports/default
  stancekit evaluate --model models/semeval --data semeval_test.csv --train semeval_train.csv \\
      --out reports/semeval --metric stance=semeval_favg --positive-label stance=FAVOR/AGAINST
  stancekit evaluate --model models/checkthat --data ct_test.tsv --out reports/ct \\
      --label-columns check_worthy=class_label --metric check_worthy=positive_f1 \\
      --positive-label check_worthy=Yes

metrics: macro_f1 (default), semeval_favg (mean F1 of FAVOR and AGAINST), positive_f1
(F1 of the --positive-label class). The report folder gets report.json, report.md,
report.html (self-contained) and PNG figures.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``evaluate`` subcommand.

    Example:
        >>> import argparse
        >>> parser = argparse.ArgumentParser()
        >>> add_parser(parser.add_subparsers(dest="command"))
        >>> args = parser.parse_args(["evaluate", "--data", "t.csv", "--out", "r",
        ...                           "--metric", "stance=semeval_favg"])
        >>> args.metric, args.model
        (['stance=semeval_favg'], None)
    """
    p = sub.add_parser("evaluate", help="evaluate a model on annotated data, with baselines",
                       description="Score a model on annotated data: per-class precision, recall "
                                   "and F1, macro/weighted F1, accuracy, confusion matrices, "
                                   "calibration and the most confident errors, beside a "
                                   "majority-class and a TF-IDF + logistic regression baseline "
                                   "trained on the model's training data.",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", "-m", default=None, help="model directory (default: shipped model)")
    p.add_argument("--data", "-d", required=True,
                   help="annotated evaluation data (.csv/.tsv/.jsonl) with a column per task")
    p.add_argument("--out", "-o", required=True, help="directory for the report files")
    p.add_argument("--train", default=None,
                   help="training data for the baselines (default: the train_data recorded in "
                        "the model's config; without either the baselines are skipped)")
    p.add_argument("--metric", action="append", default=None, metavar="TASK=METRIC",
                   help="headline metric per task: macro_f1, semeval_favg or positive_f1 "
                        "(repeatable or comma-separated; a bare METRIC applies to every task)")
    p.add_argument("--positive-label", action="append", default=None, metavar="TASK=LABEL",
                   help="positive class of positive_f1 (e.g. check_worthy=Yes), or the two "
                        "classes of semeval_favg (e.g. stance=favor/against)")
    p.add_argument("--text-column", default=None, help="text column (default: the model's)")
    p.add_argument("--target-column", default=None,
                   help="target column of pair-input models (default: the model's)")
    p.add_argument("--label-columns", action="append", default=None, metavar="TASK=COLUMN",
                   help="label column of a task when it is not named after the task "
                        "(repeatable or comma-separated)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the evaluation, print a summary table and where the reports went.

    Example:
        >>> import argparse
        >>> parser = argparse.ArgumentParser()
        >>> add_parser(parser.add_subparsers())
        >>> run(parser.parse_args(["evaluate", "--data", "t.csv", "--out", "r", "--batch-size", "0"]))
        Traceback (most recent call last):
        ValueError: --batch-size must be at least 1, got 0
    """
    from ..evaluate import evaluate
    from ..report import summary_table

    if args.batch_size < 1:
        raise ValueError(f"--batch-size must be at least 1, got {args.batch_size}")
    result = evaluate(model=args.model, data=args.data, out=args.out, train=args.train,
                      metric=args.metric, positive_label=args.positive_label,
                      text_column=args.text_column, target_column=args.target_column,
                      label_columns=args.label_columns, batch_size=args.batch_size,
                      quiet=args.quiet)
    print(summary_table(result.report))
    for note in result.notes:
        print(f"note: {note}")
    print(f"report: {result.files['html']} (also report.md, report.json)")
    return 0
