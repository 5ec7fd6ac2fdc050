"""CLEF CheckThat! 2024 Task 1 (English): is a sentence worth fact-checking? F1 of "Yes".

    python training/benchmarks/checkthat2024.py [--data DIR] [--base minilm] [--epochs 2]

Trains through the public API on the English train set (22,501 sentences), uses the
official dev set (1,032) for early stopping and calibration, and reports F1 of the
positive class on dev-test (318) and on the held-out test set (341). Writes
training/results/checkthat2024[-tag].json.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import EXTERNAL, require, write_result

DEFAULT = EXTERNAL / "checkthat2024_task1_english"


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
    with tempfile.TemporaryDirectory() as tmp:
        res = stancekit.train(frames["train"], dev=frames["dev"], out=Path(tmp) / "model",
                              text_column="text", label_columns=["label"], base=args.base,
                              adapter=args.adapter, epochs=args.epochs, learning_rate=lr,
                              batch_size=args.batch_size, eval_steps=args.eval_steps,
                              seed=args.seed, quiet=True, early_stopping_patience=4)
        train_s = time.time() - started
        clf = stancekit.load(res.path)
        scores = {}
        for name in ("dev", "dev_test", "test"):
            frame = frames[name]
            pred = [r.label.label for r in clf.classify(frame["text"].astype(str).tolist())]
            scores[name] = positive_f1(frame["label"].tolist(), pred, positive="Yes")
    result = {
        "task": "CheckThat! 2024 Task 1 English, check-worthiness",
        "metric": "F1 of the positive class 'Yes'",
        "base": args.base, "adapter": args.adapter, "epochs_max": args.epochs,
        "learning_rate": lr, "seed": args.seed,
        "n": {k: len(v) for k, v in frames.items()},
        "f1_yes": scores,
        "train_metrics": res.metrics,
        "train_seconds": round(train_s, 1),
        "anchors": {"n-gram baseline (dev-test)": 0.599,
                    "plain 2-epoch fine-tune of MiniLM (dev-test / test)": [0.847, 0.658]},
    }
    write_result("checkthat2024" + (f"-{args.tag}" if args.tag else ""), result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
