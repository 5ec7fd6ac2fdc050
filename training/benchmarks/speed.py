"""Speed: stancekit.classify against the plain transformers pipeline on the same encoder.

    python training/benchmarks/speed.py [--threads 2] [--repeats 3] [--n 800]

Both run on the same sentences (the seeds/ test split, repeated to --n), interleaved in
one process (stancekit, pipeline, stancekit, pipeline, ...), with torch limited to
--threads threads. A separate fresh process measures import + load + first classify of one
sentence and the peak RSS of classifying all sentences. Figures go to
training/results/speed.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "training" / "results" / "speed.json"

COLD = r"""
import time, json, resource, sys
t0 = time.perf_counter()
import torch
torch.set_num_threads({threads})
import stancekit
clf = stancekit.load()
r = stancekit.classify("Both sides should return to the table.")
first = time.perf_counter() - t0
texts = json.load(open({texts!r}))
t1 = time.perf_counter()
stancekit.classify(texts)
full = time.perf_counter() - t1
print(json.dumps({{"import_load_first_s": first, "classify_all_s": full,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def sentences(n: int) -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "seeds" / "corpus" / "test.jsonl").read_text().splitlines()]
    texts = [r["text"] for r in rows]
    return (texts * (n // len(texts) + 1))[:n]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--n", type=int, default=800)
    p.add_argument("--out", default=str(RESULTS))
    args = p.parse_args(argv)

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    import stancekit
    from stancekit.base import resolve_base

    torch.set_num_threads(args.threads)
    texts = sentences(args.n)
    tmp = Path(args.out).with_suffix(".texts.tmp")
    tmp.write_text(json.dumps(texts))
    cold_runs = []
    for _ in range(2):  # the first warms the file cache; report the second ("warm")
        res = subprocess.run([sys.executable, "-c", COLD.format(threads=args.threads, texts=str(tmp))],
                             capture_output=True, text=True, check=True)
        cold_runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    tmp.unlink()

    clf = stancekit.load()
    base = resolve_base("minilm")
    tok = AutoTokenizer.from_pretrained(base.path)
    hf = AutoModelForSequenceClassification.from_pretrained(base.path, num_labels=4)
    pipe = pipeline("text-classification", model=hf, tokenizer=tok, device=-1)
    clf.classify(texts[:32])
    pipe(texts[:8])
    runs: dict[str, list[float]] = {"stancekit": [], "pipeline": []}
    for _ in range(args.repeats):
        t = time.perf_counter()
        clf.classify(texts)
        runs["stancekit"].append(time.perf_counter() - t)
        t = time.perf_counter()
        pipe(texts, truncation=True, max_length=128)
        runs["pipeline"].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in runs.items()}
    result = {
        "command": "python training/benchmarks/speed.py " + " ".join(argv or sys.argv[1:]),
        "machine": {"cpu": platform.processor() or platform.machine(), "threads": args.threads,
                    "torch": torch.__version__},
        "sentences": len(texts),
        "seconds": runs,
        "sentences_per_second": {k: len(texts) / v for k, v in best.items()},
        "speedup_vs_pipeline": best["pipeline"] / best["stancekit"],
        "note": "pipeline = transformers.pipeline('text-classification') on the same MiniLM "
                "encoder with a fresh 4-label head, default batch size, same sentences; both "
                "tasks' heads are included in stancekit's time",
        "fresh_process": cold_runs[-1],
        "fresh_process_first_run": cold_runs[0],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
