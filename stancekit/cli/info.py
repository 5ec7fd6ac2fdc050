"""``stancekit info``: what a model directory holds (tasks, labels, base, metrics)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="describe a model directory",
                       description="Show the tasks, labels, base encoder, calibration and "
                                   "metrics of a saved model.",
                       epilog="example:\n  stancekit info --model models/stancekit-default --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", "-m", default=None, help="model directory (default: shipped model)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..modeldir import check_weights, config_summary, default_model_dir, read_config

    path = Path(args.model) if args.model else default_model_dir()
    cfg = read_config(path)
    check_weights(path, cfg)
    info = {"model": str(path), **config_summary(cfg)}
    metrics_path = path / "metrics.json"
    if metrics_path.exists():
        info["metrics"] = json.loads(metrics_path.read_text(encoding="utf-8"))
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"model: {info['model']}")
    print(f"base: {cfg.base_name} (sha256 {cfg.base_sha256 or 'unknown'}), adapter: {cfg.adapter}")
    print(f"input: max_length {cfg.max_length}, target pairs: {cfg.pair_input}")
    for t in cfg.tasks:
        temp = cfg.temperatures.get(t.name, 1.0)
        print(f"task {t.name}: {', '.join(t.labels)} (temperature {temp:.3f})")
    for split in ("dev", "test"):
        for name, m in info.get("metrics", {}).get(split, {}).items():
            if isinstance(m, dict) and "macro_f1" in m:
                print(f"{split} {name}: macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}")
    return 0
