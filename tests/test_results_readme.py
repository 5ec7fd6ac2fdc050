"""The README's measured figures must be the ones in training/results/*.json.

Each benchmark script writes its figures and its own command line to a JSON file; the
README quotes them. These tests fail when a result file changes and the README row does
not (or the other way round).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "training" / "results"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _load(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def _quoted(value: float) -> str:
    return f"{value:.3f}"


def _command(result: dict) -> str:
    return result["command"].removeprefix("python ").strip()


@pytest.mark.parametrize("name", sorted(p.name for p in RESULTS.glob("semeval2016*.json")))
def test_semeval_rows(name: str):
    result = _load(name)
    assert _command(result) in README, f"README has no row with the command of {name}"
    assert _quoted(result["test_f_avg"]) in README
    assert _quoted(result["dev_f_avg"]) in README
    for baseline in result.get("baselines", {}).values():
        assert _quoted(baseline["test_f_avg"]) in README


@pytest.mark.parametrize("name", sorted(p.name for p in RESULTS.glob("checkthat2024*.json")))
def test_checkthat_rows(name: str):
    result = _load(name)
    assert _command(result) in README, f"README has no row with the command of {name}"
    for split in ("dev_test", "test"):
        assert _quoted(result["f1_yes"][split]) in README


def test_corpus_row():
    result = _load("corpus.json")
    for task, systems in result["tasks"].items():
        for system in ("model", "tfidf_logreg", "majority"):
            assert _quoted(systems[system]["macro_f1"]) in README, (task, system)
    for group in result["by_domain_group"].values():
        for task in result["tasks"]:
            assert _quoted(group[task]) in README


def test_speed_and_segmentation_rows():
    speed = _load("speed.json")
    assert f"**{speed['sentences_per_second']['stancekit']:.0f}**" in README
    assert f"{speed['speedup_vs_pipeline']:.1f}x" in README
    seg = _load("segmentation.json")
    assert _quoted(seg["systems"]["stancekit.segment"]["f1"]) in README
