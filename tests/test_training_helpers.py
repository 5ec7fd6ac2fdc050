"""Helpers of the benchmark scripts in training/benchmarks that choose what a model sees.

The scripts themselves need benchmark data that cannot be shipped; the pieces that shape
training data or decisions are checked here on small inputs the tests make.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "training" / "benchmarks"


def _load(name: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_augment_gives_distinct_perturbed_copies_reproducibly() -> None:
    aug = _load("_augment")
    texts = ["Unions and #employers resume wage talks in Berlin on Monday",
             "Ceasefire holds", "ok"]
    out = aug.augment_texts(texts, copies=4, seed=3)
    assert [len(v) for v in out] == [4, 4, 4]
    first = out[0]
    assert len(set(first)) == 4 and texts[0] not in first
    original = set(texts[0].replace("#", "").split())
    for variant in first:
        assert set(variant.replace("#", "").split()) <= original
    assert out == aug.augment_texts(texts, copies=4, seed=3)
    assert out != aug.augment_texts(texts, copies=4, seed=4)
    assert out[2] == ["ok"] * 4  # a one-word text cannot vary; it is repeated, not dropped


def test_best_threshold_maximises_positive_f1() -> None:
    ct = _load("checkthat2024")
    from stancekit.metrics import positive_f1

    rng = np.random.default_rng(0)
    gold = ["Yes"] * 30 + ["No"] * 70
    p_yes = np.concatenate([rng.uniform(0.25, 0.9, 30), rng.uniform(0.0, 0.35, 70)])
    t = ct.best_threshold(gold, p_yes)
    best = positive_f1(gold, ct._labels(p_yes, t), positive="Yes")
    for other in np.arange(0.05, 0.951, 0.01):
        assert best >= positive_f1(gold, ct._labels(p_yes, other), positive="Yes") - 1e-12
    assert best > positive_f1(gold, ct._labels(p_yes, 0.5), positive="Yes")


@pytest.mark.parametrize("name", ["semeval2016", "checkthat2024"])
def test_benchmark_fails_clearly_without_data(name: str, tmp_path: Path) -> None:
    script = _load(name)
    with pytest.raises(SystemExit) as err:
        script.main(["--data", str(tmp_path / "missing")])
    assert "not found" in str(err.value) and "--data" in str(err.value)
