"""The default model on the seeds/ test split, beside the built-in baselines, per task.

    python training/benchmarks/corpus.py [--model DIR] [--split test]

Uses the public ``stancekit.evaluate`` with the baselines (majority class, TF-IDF +
logistic regression) trained on seeds/corpus/train.jsonl, writes the full report
(report.json/.md/.html with figures) to training/results/corpus_report/ and the headline
figures to training/results/corpus.json. Also scores the test rows of the three domains
that are absent from train separately.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from _common import RESULTS, ROOT, write_result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=None, help="model directory (default: shipped model)")
    p.add_argument("--split", default="test", choices=("dev", "test"))
    p.add_argument("--report", default=str(RESULTS / "corpus_report"))
    args = p.parse_args(argv)

    import pandas as pd

    import stancekit
    from stancekit.evaluate import task_report

    corpus = ROOT / "seeds" / "corpus"
    data = corpus / f"{args.split}.jsonl"
    rep = stancekit.evaluate(model=args.model, data=data, out=args.report,
                             train=corpus / "train.jsonl", quiet=True)
    summary: dict = {"split": args.split, "n": rep.report["n_rows"], "tasks": {}}
    for task, tr in rep.report["tasks"].items():
        row = {"model": {"macro_f1": tr["macro_f1"], "accuracy": tr["accuracy"],
                         "ece": (tr.get("calibration") or {}).get("ece")}}
        for name, b in tr.get("baselines", {}).items():
            row[name] = {"macro_f1": b["macro_f1"], "accuracy": b["accuracy"]}
        summary["tasks"][task] = row

    # generalisation: test rows in domains absent from train, and the rest
    frame = pd.read_json(data, lines=True)
    train_domains = set(pd.read_json(corpus / "train.jsonl", lines=True)["domain"])
    clf = stancekit.load(args.model)
    results = clf.classify(frame["text"].tolist())
    unseen = ~frame["domain"].isin(train_domains)
    summary["by_domain_group"] = {}
    for name, mask in (("domains_seen_in_train", ~unseen), ("domains_absent_from_train", unseen)):
        idx = [i for i, m in enumerate(mask) if m]
        if not idx:
            continue
        group = {"n": len(idx)}
        for task in clf.tasks:
            gold = [frame[task][i] for i in idx]
            pred = [getattr(results[i], task).label for i in idx]
            labels = list(clf.labels[task])
            group[task] = task_report(gold, pred, None, labels, [frame["text"][i] for i in idx],
                                      top_errors=0)["macro_f1"]
        summary["by_domain_group"][name] = group
    summary["report"] = str(Path(args.report).relative_to(ROOT)) if Path(args.report).is_relative_to(ROOT) else args.report
    write_result("corpus", summary)
    print(json.dumps(summary["tasks"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
