"""``stancekit train``: fine-tune a model on annotated CSV/JSONL data."""

from __future__ import annotations

import argparse
import json

EXAMPLE = """example:
  stancekit train --data train.csv --dev dev.csv --text-column sentence \\
      --label-columns claim,stance --out models/my-model
  stancekit train --data tweets.csv --text-column Tweet --label-columns Stance \\
      --target-column Target --base /path/to/encoder --out models/semeval
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a model on annotated data",
                       description="Fine-tune a shared encoder (LoRA by default) with one head "
                                   "per label column; the model is saved atomically to --out.",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="training data: .csv, .tsv or .jsonl")
    p.add_argument("--dev", help="dev data for early stopping and calibration "
                                 "(default: a stratified 10%% carved from --data)")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-columns", default="claim_type,stance",
                   help="comma-separated label columns, one task each")
    p.add_argument("--target-column", default=None,
                   help="optional column with the stance target (encoded as a text pair)")
    p.add_argument("--base", default="minilm",
                   help="base encoder: 'minilm' (packaged), a local directory or a hub name")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--adapter", choices=("lora", "full"), default="lora")
    p.add_argument("--epochs", type=float, default=8.0)
    p.add_argument("--max-steps", type=int, default=-1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=None,
                   help="default 1e-3 for LoRA, 5e-5 for full fine-tuning")
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--patience", type=int, default=3, help="early-stopping patience in evaluations")
    p.add_argument("--metric", action="append", default=None, metavar="TASK=METRIC",
                   help="dev metric that picks the best checkpoint, per task: macro_f1 "
                        "(default), semeval_favg or positive_f1 (repeatable)")
    p.add_argument("--positive-label", action="append", default=None, metavar="TASK=LABEL",
                   help="the label(s) of --metric: stance=FAVOR/AGAINST, check=Yes")
    p.add_argument("--teacher", default=None,
                   help="distil from this trained stancekit model (same tasks and labels)")
    p.add_argument("--distill-alpha", type=float, default=0.5,
                   help="share of the teacher's soft labels in the loss (0..1)")
    p.add_argument("--distill-temperature", type=float, default=2.0,
                   help="temperature that softens the teacher's and the student's logits")
    p.add_argument("--no-class-weights", action="store_true", help="do not balance classes")
    p.add_argument("--allow-missing-labels", action="store_true",
                   help="rows with an empty label train only the tasks they have")
    p.add_argument("--resume", action="store_true",
                   help="resume from the last checkpoint in <out>.checkpoints")
    p.add_argument("--keep-checkpoints", action="store_true")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def _joined(values: list[str] | None) -> str | None:
    return ",".join(values) if values else None


def run(args: argparse.Namespace) -> int:
    from ..train import train
    from ._common import show_progress

    lr = args.learning_rate if args.learning_rate is not None else (
        1e-3 if args.adapter == "lora" else 5e-5)
    result = train(
        args.data, dev=args.dev, out=args.out, text_column=args.text_column,
        label_columns=tuple(c.strip() for c in args.label_columns.split(",") if c.strip()),
        target_column=args.target_column, base=args.base, adapter=args.adapter,
        epochs=args.epochs, max_steps=args.max_steps, batch_size=args.batch_size,
        learning_rate=lr, max_length=args.max_length, seed=args.seed,
        early_stopping_patience=args.patience, metric=_joined(args.metric),
        positive_label=_joined(args.positive_label), teacher=args.teacher,
        distill_alpha=args.distill_alpha, distill_temperature=args.distill_temperature,
        class_weights=None if args.no_class_weights else "balanced",
        allow_missing_labels=args.allow_missing_labels, resume=args.resume,
        keep_checkpoints=args.keep_checkpoints, quiet=not show_progress(args),
    )
    print(json.dumps({"model": str(result.path), "dev": result.metrics["dev"],
                      "temperatures": result.metrics["temperatures"]}, indent=2))
    return 0
