"""CLEF CheckThat! 2024 Task 1 (English): is a sentence worth fact-checking? F1 of "Yes".

    python training/benchmarks/checkthat2024.py [--data DIR] [--base minilm] [--epochs 2]
        [--select-on dev|dev_test] [--tune-threshold]

Trains through the public API on the English train set (22,501 sentences), uses the
official dev set (1,032) for early stopping (by F1 of "Yes") and calibration, and reports
F1 of the positive class on dev-test (318) and on the held-out test set (341). Writes
training/results/checkthat2024[-tag].json.

Train and dev are ClaimBuster sentences from past US debates; dev-test and test are newer
sentences. ``--select-on dev_test`` makes dev-test the selection split instead (early
stopping, calibration and, with ``--tune-threshold``, the probability threshold for "Yes"
that maximises its F1) and adds the official dev set to the training data; dev-test is
then no longer a held-out figure, and test stays untouched by every choice.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import EXTERNAL, require, write_result

DEFAULT = EXTERNAL / "checkthat2024_task1_english"


def _labels(p_yes, threshold):  # type: ignore[no-untyped-def]
    return ["Yes" if p >= threshold else "No" for p in p_yes]


def best_threshold(gold, p_yes):  # type: ignore[no-untyped-def]
    """The probability threshold for "Yes" with the best F1(Yes) on (gold, p_yes); ties go
    to the threshold nearest 0.5."""
    from stancekit.metrics import positive_f1

    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scored = [(positive_f1(gold, _labels(p_yes, t), positive="Yes"), -abs(t - 0.5), t)
              for t in grid]
    return float(max(scored)[2])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(DEFAULT), help="the checkthat2024_task1_english folder")
    p.add_argument("--base", default="minilm")
    p.add_argument("--adapter", choices=("lora", "full"), default="lora")
    p.add_argument("--epochs", type=float, default=2)
    p.add_argument("--learning-rate", type=float, default=None)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--eval-steps", type=int, default=200)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--select-on", choices=("dev", "dev_test"), default="dev",
                   help="the split for early stopping, calibration and threshold tuning")
    p.add_argument("--tune-threshold", action="store_true",
                   help="predict Yes when P(Yes) >= the threshold that maximises F1(Yes) on "
                        "the selection split (default: the most probable label)")
    p.add_argument("--tag", default="")
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)

    import pandas as pd

    import stancekit
    from stancekit.metrics import positive_f1

    folder = Path(args.data) / "processed"
    frames = {name: pd.read_csv(require(folder / f"ct24_english_{name}.csv", f"CheckThat! {name}"))
              for name in ("train", "dev", "dev_test", "test")}
    lr = args.learning_rate or (1e-3 if args.adapter == "lora" else 5e-5)
    started = time.time()
    train_frame = frames["train"]
    if args.select_on == "dev_test":
        train_frame = pd.concat([frames["train"], frames["dev"]], ignore_index=True)
    with tempfile.TemporaryDirectory() as tmp:
        res = stancekit.train(train_frame, dev=frames[args.select_on], out=Path(tmp) / "model",
                              text_column="text", label_columns=["label"], base=args.base,
                              adapter=args.adapter, epochs=args.epochs, learning_rate=lr,
                              batch_size=args.batch_size, eval_steps=args.eval_steps,
                              seed=args.seed, quiet=True, early_stopping_patience=4,
                              metric={"label": "positive_f1"}, positive_label={"label": "Yes"})
        train_s = time.time() - started
        clf = stancekit.load(res.path)
        p_yes = {name: np.array([r.label.scores["Yes"] for r in
                                 clf.classify(frame["text"].astype(str).tolist())])
                 for name, frame in frames.items() if name != "train"}
    gold = {name: frames[name]["label"].tolist() for name in p_yes}
    threshold = best_threshold(gold[args.select_on], p_yes[args.select_on]) \
        if args.tune_threshold else None
    scores, argmax_scores = {}, {}
    for name, probs in p_yes.items():
        argmax_scores[name] = positive_f1(gold[name], _labels(probs, 0.5), positive="Yes")
        scores[name] = positive_f1(gold[name], _labels(probs, threshold or 0.5), positive="Yes")
    result = {
        "task": "CheckThat! 2024 Task 1 English, check-worthiness",
        "metric": "F1 of the positive class 'Yes'",
        "base": args.base, "adapter": args.adapter, "epochs_max": args.epochs,
        "learning_rate": lr, "seed": args.seed,
        "n": {k: len(v) for k, v in frames.items()}, "n_train": len(train_frame),
        "selection_split": args.select_on,
        "held_out": ["dev_test", "test"] if args.select_on == "dev" else ["test"],
        "threshold": threshold,
        "f1_yes": scores,
        "f1_yes_argmax": argmax_scores,
        "train_metrics": res.metrics,
        "train_seconds": round(train_s, 1),
        "anchors": {"n-gram baseline (dev-test)": 0.599,
                    "plain 2-epoch fine-tune of MiniLM (dev-test / test)": [0.847, 0.658]},
    }
    write_result("checkthat2024" + (f"-{args.tag}" if args.tag else ""), result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
