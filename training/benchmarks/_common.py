"""Shared bits of the benchmark scripts: paths, data checks, result files."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT.parent / "shared" / "data" / "external"
RESULTS = ROOT / "training" / "results"
sys.path.insert(0, str(ROOT))


def require(path: Path, what: str) -> Path:
    """Fail with a clear message when benchmark data is missing."""
    if not path.exists():
        raise SystemExit(
            f"error: {what} not found at {path}. These benchmarks cannot be redistributed; "
            "get the data from its publisher and pass its folder with --data.")
    return path


def write_result(name: str, result: dict[str, Any], out: str | None = None) -> Path:
    """Write a result JSON (with the machine and the command line) and print it."""
    import torch

    result = {"benchmark": name, "command": "python " + " ".join(sys.argv),
              "date": time.strftime("%Y-%m-%d"),
              "machine": {"platform": platform.platform(), "threads": torch.get_num_threads(),
                          "torch": torch.__version__},
              **result}
    path = Path(out) if out else RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return path
