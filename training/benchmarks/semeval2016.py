"""SemEval-2016 Task 6, subtask A: stance toward five targets in tweets, scored by F_avg.

    python training/benchmarks/semeval2016.py [--data DIR] [--base minilm] [--adapter lora]
        [--ensemble N] [--select macro_f1|semeval_favg] [--teacher DIR [--augment K]]

Trains through the public API (``stancekit.train`` with ``target_column``) on the official
train + trial tweets, with a stratified dev split carved from them (never from test) for
early stopping, checkpoint selection (by dev 3-class macro-F1, or by dev F_avg with
``--select semeval_favg``) and calibration; evaluates once on test A (1,249 tweets) with
the official pooled F_avg = (F1(FAVOR) + F1(AGAINST)) / 2. Writes training/results/semeval2016[-tag].json.

``--teacher DIR`` distils a saved model (``--save-model`` of an earlier run) into this one;
``--augment K`` adds K perturbed copies of each training tweet (``_augment.py``), so the
student also learns the teacher's probabilities on inputs it was never given labels for.
Dev and test tweets are never augmented.

In the same run, on the same training rows, the obvious alternatives are scored too
(``--no-baselines`` skips them): TF-IDF + logistic regression (stancekit.baselines) and a
plain transformers fine-tune of the same base (``_plain.py``: Trainer defaults, last
checkpoint, no dev set).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import EXTERNAL, require, write_result

DEFAULT = EXTERNAL / "semeval2016_task6"


def load(folder: Path):  # type: ignore[no-untyped-def]
    import pandas as pd

    train = pd.read_csv(require(folder / "processed" / "taskA_train.csv", "SemEval train"))
    test = pd.read_csv(require(folder / "processed" / "taskA_test.csv", "SemEval test A"))
    for frame in (train, test):
        frame["text"] = frame["text"].str.replace("#SemST", "", regex=False).str.strip()
    return train, test


def _probs(results, labels):  # type: ignore[no-untyped-def]
    return np.array([[r.stance.scores[lab] for lab in labels] for r in results])


def _argmax(probs, labels):  # type: ignore[no-untyped-def]
    return [labels[i] for i in probs.argmax(axis=1)]


def baselines(tr, test, *, base: str, seed: int) -> dict:  # type: ignore[no-untyped-def]
    """TF-IDF + LR and a plain transformers fine-tune, trained on ``tr``, scored on test."""
    from _plain import plain_finetune

    from stancekit.baselines import DESCRIPTIONS, TFIDF, tfidf_baseline
    from stancekit.metrics import semeval_favg

    gold = test["stance"].tolist()
    labels = sorted(set(tr["stance"]))
    tfidf = tfidf_baseline(tr["text"].tolist(), tr["stance"].tolist(), test["text"].tolist(),
                           labels=labels, train_targets=tr["target"].tolist(),
                           targets=test["target"].tolist(), seed=seed)
    plain = plain_finetune(tr["text"].tolist(), tr["stance"].tolist(), test["text"].tolist(),
                           base_path=base, train_pairs=tr["target"].tolist(),
                           pairs=test["target"].tolist(), seed=seed)
    return {
        TFIDF: {"description": DESCRIPTIONS[TFIDF],
                "test_f_avg": semeval_favg(gold, tfidf.predictions)},
        "plain_transformers": {"description": "transformers AutoModelForSequenceClassification "
                               "on the same base, Trainer defaults, last checkpoint",
                               **plain["settings"], "train_seconds": plain["train_seconds"],
                               "test_f_avg": semeval_favg(gold, plain["predictions"])},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(DEFAULT), help="the semeval2016_task6 folder")
    p.add_argument("--base", default="minilm")
    p.add_argument("--adapter", choices=("lora", "full"), default="lora")
    p.add_argument("--epochs", type=float, default=15)
    p.add_argument("--learning-rate", type=float, default=None)
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--ensemble", type=int, default=1,
                   help="train this many models (seeds seed, seed+1, ...) and average their "
                        "calibrated probabilities")
    p.add_argument("--no-class-weights", action="store_true",
                   help="plain cross-entropy instead of balanced class weights")
    p.add_argument("--select", choices=("semeval_favg", "macro_f1"), default="macro_f1",
                   help="dev metric that picks the best checkpoint and drives early stopping")
    p.add_argument("--patience", type=int, default=4)
    p.add_argument("--teacher", default=None,
                   help="distil from this trained stancekit model (e.g. one saved with "
                        "--save-model from an MPNet run)")
    p.add_argument("--distill-alpha", type=float, default=0.5)
    p.add_argument("--distill-temperature", type=float, default=2.0)
    p.add_argument("--augment", type=int, default=0, metavar="K",
                   help="add K perturbed copies of each training tweet (_augment.py); with "
                        "--teacher they form a transfer set labelled by the teacher")
    p.add_argument("--save-model", default=None,
                   help="keep the (first) trained model in this directory")
    p.add_argument("--no-baselines", action="store_true",
                   help="skip the TF-IDF and plain-transformers runs")
    p.add_argument("--tag", default="")
    p.add_argument("--out", default=None, help="result JSON path")
    args = p.parse_args(argv)

    from sklearn.model_selection import train_test_split

    import stancekit
    from stancekit.base import resolve_base
    from stancekit.metrics import semeval_favg

    train, test = load(Path(args.data))
    strat = train["target"] + "/" + train["stance"]
    tr, dev = train_test_split(train, test_size=0.1, random_state=args.seed, stratify=strat)
    fit_rows = tr
    if args.augment:
        import pandas as pd
        from _augment import augment_texts

        copies = augment_texts(tr["text"].tolist(), copies=args.augment, seed=args.seed)
        extra = tr.loc[tr.index.repeat(args.augment)].copy()
        extra["text"] = [c for cs in copies for c in cs]
        extra["id"] = [f"{i}-aug{k}" for i in tr["id"] for k in range(args.augment)]
        fit_rows = pd.concat([tr, extra], ignore_index=True)
    lr = args.learning_rate or (1e-3 if args.adapter == "lora" else 5e-5)
    started = time.time()
    members = []
    labels = ("AGAINST", "FAVOR", "NONE")
    test_probs = np.zeros((len(test), 3))
    dev_probs = np.zeros((len(dev), 3))
    for k in range(args.ensemble):
        seed = args.seed + k
        with tempfile.TemporaryDirectory() as tmp:
            res = stancekit.train(fit_rows, dev=dev, out=Path(tmp) / "model", text_column="text",
                                  label_columns=["stance"], target_column="target",
                                  base=args.base, adapter=args.adapter, epochs=args.epochs,
                                  learning_rate=lr, lora_r=args.lora_r,
                                  batch_size=args.batch_size, seed=seed, quiet=True,
                                  early_stopping_patience=args.patience,
                                  metric={"stance": args.select}, teacher=args.teacher,
                                  distill_alpha=args.distill_alpha,
                                  distill_temperature=args.distill_temperature,
                                  class_weights=None if args.no_class_weights else "balanced")
            clf = stancekit.load(res.path)
            tp = _probs(clf.classify(test["text"].tolist(), targets=test["target"].tolist()), labels)
            dp = _probs(clf.classify(dev["text"].tolist(), targets=dev["target"].tolist()), labels)
            if args.save_model and k == 0:
                shutil.copytree(res.path, args.save_model, dirs_exist_ok=True)
        test_probs += tp
        dev_probs += dp
        members.append({
            "seed": seed,
            "test_f_avg": semeval_favg(test["stance"].tolist(), _argmax(tp, labels)),
            "dev_f_avg": semeval_favg(dev["stance"].tolist(), _argmax(dp, labels)),
            "dev_macro_f1": res.metrics["dev"]["stance"]["macro_f1"],
            "best_checkpoint": Path(res.metrics["best_checkpoint"] or "").name,
            "epochs_run": res.metrics["epochs_run"], "train_seconds": res.metrics["train_seconds"],
        })
    train_s = time.time() - started
    y = _argmax(test_probs, labels)
    dev_y = _argmax(dev_probs, labels)
    per_target = {}
    for target in sorted(test["target"].unique()):
        mask = (test["target"] == target).tolist()
        per_target[target] = semeval_favg([g for g, m in zip(test["stance"], mask) if m],
                                          [p_ for p_, m in zip(y, mask) if m])
    result = {
        "task": "SemEval-2016 Task 6 subtask A (test A, 1,249 tweets)",
        "metric": "F_avg = mean(F1 FAVOR, F1 AGAINST), pooled over targets",
        "base": args.base, "base_sha256": resolve_base(args.base).sha256,
        "adapter": args.adapter, "epochs_max": args.epochs, "learning_rate": lr,
        "batch_size": args.batch_size, "seed": args.seed, "selection_metric": args.select,
        **({"teacher": args.teacher, "distill_alpha": args.distill_alpha,
            "distill_temperature": args.distill_temperature} if args.teacher else {}),
        **({"augment": args.augment, "n_train_augmented": len(fit_rows)} if args.augment else {}),
        "n_train": len(tr), "n_dev": len(dev), "n_test": len(test),
        "ensemble": args.ensemble,
        "class_weights": None if args.no_class_weights else "balanced",
        "test_f_avg": semeval_favg(test["stance"].tolist(), y),
        "dev_f_avg": semeval_favg(dev["stance"].tolist(), dev_y),
        "test_f_avg_per_target": per_target,
        "members": members,
        "train_seconds": round(train_s, 1),
        "anchors": {"MITRE (2016 best)": 0.678, "SVM": 0.673, "RoBERTa-base": 0.680,
                    "BERTweet": 0.712, "TimeLMs-2021": 0.729},
    }
    if not args.no_baselines:
        result["baselines"] = baselines(tr, test, base=resolve_base(args.base).path,
                                        seed=args.seed)
    write_result("semeval2016" + (f"-{args.tag}" if args.tag else ""), result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
