"""The wheel carries the default model; an installed wheel classifies from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, timeout=600)
    return next(out.glob("stancekit-*.whl"))


def test_wheel_contains_default_model_and_py_typed(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("stancekit/py.typed", "stancekit/default_model/config.json",
                   "stancekit/default_model/heads.safetensors",
                   "stancekit/default_model/adapter_model.safetensors",
                   "stancekit/default_model/README.md"):
        assert needed in names, needed
    assert not [n for n in names if n.endswith((".bin", ".pkl", ".pt"))]
    assert wheel.stat().st_size < 10 * 1024 * 1024


@pytest.mark.slow
def test_installed_wheel_classifies_offline(wheel: Path, tmp_path: Path):
    """Install the wheel into a separate folder that shadows the source checkout, then
    classify from an unrelated working directory with the hub switched off."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True)
    code = ("import stancekit, pathlib; r = stancekit.classify('Talks resume.'); "
            "print(pathlib.Path(stancekit.__file__).parent, r.stance.label)")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(site)}
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True)
    where, label = res.stdout.split()
    assert where.startswith(str(site)) and label in ("favor", "against", "neutral", "unrelated")
