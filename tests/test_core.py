"""End to end: really train a few steps, save, load, classify; the shipped default model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import stancekit
from stancekit.schema import CLAIM_TYPE, STANCE

ROOT = Path(__file__).resolve().parent.parent


def test_tiny_model_layout(tiny_model: Path):
    names = {p.name for p in tiny_model.iterdir()}
    assert {"config.json", "heads.safetensors", "adapter_model.safetensors",
            "adapter_config.json", "README.md", "metrics.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pkl", ".pt"))]
    cfg = json.loads((tiny_model / "config.json").read_text())
    assert cfg["tasks"]["stance"]["id2label"]["0"] == "favor"
    assert cfg["tasks"]["claim_type"]["label2id"]["none"] == 5
    assert cfg["base"]["sha256"] == stancekit.base.MINILM_SHA256
    assert set(cfg["temperatures"]) == {"claim_type", "stance"}


def test_tiny_model_classifies(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    r = clf.classify("Both sides should return to the table.")
    assert isinstance(r, stancekit.Result)
    assert r.claim_type.label in CLAIM_TYPE.labels
    assert r.stance.label in STANCE.labels
    assert abs(sum(r.stance.scores.values()) - 1.0) < 1e-4
    assert r.stance.score == max(r.stance.scores.values())
    many = clf.classify(["One.", "Two sentences here.", "Three."], batch_size=2)
    assert [m.text for m in many] == ["One.", "Two sentences here.", "Three."]
    assert many[0].to_dict()["stance"]["label"] in STANCE.labels


def test_batch_order_and_padding_do_not_change_scores(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    texts = ["Short.", "A much longer sentence about the ceasefire talks in Doha this week.", "Mid size one here."]
    alone = [clf.classify(t).stance.scores for t in texts]
    together = [r.stance.scores for r in clf.classify(texts, batch_size=3)]
    for a, b in zip(alone, together):
        for k in a:
            assert abs(a[k] - b[k]) < 1e-4


def test_inputs_iterables_series_and_min_score(tiny_model: Path):
    import pandas as pd

    clf = stancekit.load(tiny_model)
    gen = (t for t in ["a b c", "d e f"])
    assert len(clf.classify(gen)) == 2
    series = pd.Series(["Talks resume.", "No deal."], index=[10, 20])
    out = clf.classify(series)
    assert len(out) == 2
    r = clf.classify("Talks resume.", min_score=1.0)
    assert r.stance.label is None and r.stance.score < 1.0
    frame = stancekit.to_frame(out)
    assert list(frame.columns) == ["text", "start", "end", "claim_type", "claim_type_score",
                                   "stance", "stance_score"]


def test_document_mode_offsets(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    text = (ROOT / "seeds" / "000_0234990e34670abe.txt").read_text(encoding="utf-8")
    units = clf.classify_document(text)
    assert len(units) >= 14
    for u in units:
        assert text[u.start:u.end] == u.text
    flat = clf.classify([text, "Second doc. Two sentences."], split=True)
    assert len(flat) == len(units) + 2


def test_retrain_with_other_columns_and_labels(tmp_path: Path):
    import pandas as pd

    rows = [{"sentence": f"Item {i}: the union {'accepts' if i % 2 else 'rejects'} the offer.",
             "verdict": "yes" if i % 2 else "no", "tone": ["calm", "angry", "flat"][i % 3]}
            for i in range(30)]
    path = tmp_path / "mine.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    res = stancekit.train(path, out=tmp_path / "m", text_column="sentence",
                          label_columns=["verdict", "tone"], max_steps=3, batch_size=8, quiet=True)
    clf = stancekit.load(res.path)
    assert clf.labels == {"verdict": ("no", "yes"), "tone": ("angry", "calm", "flat")}
    r = clf.classify("The union accepts the offer.")
    assert r.verdict.label in ("no", "yes") and r.tone.label in ("angry", "calm", "flat")


def test_target_pairs(tmp_path: Path):
    rows = [{"text": f"Tweet {i} about it", "target": ["Atheism", "Climate"][i % 2],
             "Stance": ["FAVOR", "AGAINST", "NONE"][i % 3]} for i in range(24)]
    res = stancekit.train(rows, out=tmp_path / "t", label_columns=["Stance"],
                          target_column="target", max_steps=2, batch_size=8, quiet=True)
    clf = stancekit.load(res.path)
    assert clf.config.pair_input
    out = clf.classify(["I love it", "I hate it"], targets=["Atheism", "Climate"])
    assert out[0].target == "Atheism" and out[0].Stance.label in ("AGAINST", "FAVOR", "NONE")


def test_selection_metric_is_scored_on_dev_and_checked(tmp_path: Path):
    """metric= picks checkpoints by a benchmark metric; its dev score must be that metric of
    the saved model's own dev predictions, and a metric for an unknown task must fail early."""
    from stancekit.errors import DataError
    from stancekit.metrics import semeval_favg

    rows = [{"text": f"Tweet {i} {'love' if i % 3 == 0 else 'hate' if i % 3 == 1 else 'meh'}",
             "target": ["Atheism", "Climate"][i % 2], "Stance": ["FAVOR", "AGAINST", "NONE"][i % 3]}
            for i in range(48)]
    dev = rows[36:]
    res = stancekit.train(rows[:36], dev=dev, out=tmp_path / "s", label_columns=["Stance"],
                          target_column="target", max_steps=6, eval_steps=3, batch_size=8,
                          quiet=True, metric={"Stance": "semeval_favg"})
    assert res.metrics["selection_metric"] == {"Stance": "semeval_favg"}
    pred = stancekit.load(res.path).classify([r["text"] for r in dev],
                                             targets=[r["target"] for r in dev])
    favg = semeval_favg([r["Stance"] for r in dev], [p.Stance.label for p in pred])
    assert abs(favg - res.metrics["dev"]["Stance"]["semeval_favg"]) < 1e-9
    with pytest.raises(DataError, match="unknown tasks"):
        stancekit.train(rows, out=tmp_path / "x", label_columns=["Stance"], max_steps=1,
                        quiet=True, metric={"stance_typo": "semeval_favg"})


def test_distillation_from_a_teacher(tiny_model: Path, tmp_path: Path):
    """A student trained with teacher= learns from the teacher's softened probabilities;
    a teacher whose labels differ from the data's is refused with a clear error."""
    import torch
    from conftest import tiny_rows

    from stancekit.errors import DataError
    from stancekit.model import distill_loss

    # the loss is zero when the student's softened distribution equals the teacher's
    teacher = torch.softmax(torch.tensor([[2.0, 0.5, -1.0]]) / 2.0, dim=-1)
    assert float(distill_loss(torch.tensor([[2.0, 0.5, -1.0]]), teacher, 2.0)) < 1e-6
    assert float(distill_loss(torch.tensor([[-1.0, 0.5, 2.0]]), teacher, 2.0)) > 0.1
    # with distill_alpha=1 the gold labels no longer matter: shuffled gold labels must
    # give the same model (this fails if the teacher's probabilities never reach the loss)
    rows = tiny_rows(24)
    shuffled = [{**r, "stance": rows[(i + 5) % len(rows)]["stance"],
                 "claim_type": rows[(i + 7) % len(rows)]["claim_type"]}
                for i, r in enumerate(rows)]
    logits = []
    for k, data in enumerate((rows, shuffled)):
        out = stancekit.train(data, dev=rows, out=tmp_path / f"a{k}", max_steps=3, batch_size=8,
                              quiet=True, teacher=str(tiny_model), distill_alpha=1.0,
                              calibrate=False, seed=5)
        assert out.metrics["distilled_from"] == str(tiny_model)
        student = stancekit.load(out.path)
        assert student.classify("Talks resume.").stance.label in STANCE.labels
        logits.append(student.logits(["Talks resume.", "No deal."])[0])
    for a, b in zip(*logits):
        assert abs(a - b).max() < 1e-5
    rows = [{"text": f"Row {i}", "mood": ["up", "down"][i % 2]} for i in range(20)]
    with pytest.raises(DataError, match="same labels"):
        stancekit.train(rows, out=tmp_path / "x", label_columns=["mood"], max_steps=1,
                        quiet=True, teacher=str(tiny_model))


def test_seed_reproducible(tmp_path: Path):
    from conftest import tiny_rows

    rows = tiny_rows(24)
    a = stancekit.train(rows, out=tmp_path / "a", max_steps=2, batch_size=8, quiet=True, seed=3)
    b = stancekit.train(rows, out=tmp_path / "b", max_steps=2, batch_size=8, quiet=True, seed=3)
    ra = stancekit.load(a.path).classify("A sentence.").stance.scores
    rb = stancekit.load(b.path).classify("A sentence.").stance.scores
    for k in ra:
        assert abs(ra[k] - rb[k]) < 1e-5


def test_default_model_classifies_seed_article():
    text = (ROOT / "seeds" / "000_0234990e34670abe.txt").read_text(encoding="utf-8")
    units = stancekit.classify_document(text)
    assert len(units) >= 14
    for u in units:
        assert u.claim_type.label in CLAIM_TYPE.labels
        assert u.stance.label in STANCE.labels
    assert units[3].text == "ALSO READ:"
    single = stancekit.classify("Both sides should return to the table without preconditions.")
    assert single.claim_type.label in CLAIM_TYPE.labels


def test_default_model_is_small_and_hash_pinned():
    from stancekit.modeldir import default_model_dir, read_config

    path = default_model_dir()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 10 * 1024 * 1024
    cfg = read_config(path)
    assert cfg.base_sha256 == stancekit.base.MINILM_SHA256
    assert [t.name for t in cfg.tasks] == ["claim_type", "stance"]
    assert "test" in json.loads((path / "metrics.json").read_text())


@pytest.mark.slow
def test_full_default_rebuild(tmp_path: Path):
    import subprocess
    import sys

    out = tmp_path / "default"
    subprocess.run([sys.executable, str(ROOT / "training" / "build_default.py"), "--out", str(out),
                    "--quiet"], check=True)
    assert stancekit.load(out).classify("Talks resume.").stance.label in STANCE.labels


def test_reported_dev_metrics_match_predictions(tmp_path: Path):
    """metrics.json must score the same predictions classify() makes (guards against
    pairing length-grouped predictions with labels in dataset order)."""
    from conftest import tiny_rows
    from sklearn.metrics import accuracy_score

    rows = tiny_rows(60)
    dev = rows[40:]
    res = stancekit.train(rows[:40], dev=dev, out=tmp_path / "m", max_steps=8, batch_size=8,
                          quiet=True, seed=2)
    clf = stancekit.load(res.path)
    pred = clf.classify([r["text"] for r in dev])
    for task in ("claim_type", "stance"):
        acc = accuracy_score([r[task] for r in dev], [getattr(p, task).label for p in pred])
        assert abs(acc - res.metrics["dev"][task]["accuracy"]) < 1e-6
    assert all(0.05 < t < 20.0 for t in res.metrics["temperatures"].values())


def test_fast_backend_matches_transformers(tiny_model: Path):
    """stancekit.fastbert (plain torch + tokenizers) must give transformers' numbers."""
    import numpy as np

    from stancekit.fastbert import FastBert
    from stancekit.modeldir import default_model_dir, load_model
    from stancekit.predict import Classifier

    texts = ["Talks resume.", "A much longer sentence about the ceasefire talks in Doha.",
             " ".join(["The negotiators met again and agreed on nothing."] * 40), "Ünïcödé — ok?"]
    for path in (tiny_model, default_model_dir()):
        fast = Classifier(*load_model(path))
        slow = Classifier(*load_model(path, backend="transformers"))
        assert isinstance(fast.model.encoder, FastBert)
        assert not isinstance(slow.model.encoder, FastBert)
        a, long_a = fast.logits(texts)
        b, long_b = slow.logits(texts)
        assert long_a == long_b == [False, False, True, False]
        for x, y in zip(a, b):
            assert np.abs(x - y).max() < 1e-4
        pairs = (["I love it", "nope"], ["Atheism", "Climate"])
        kw = {"truncation": "only_first", "max_length": 16, "return_overflowing_tokens": True,
              "stride": 4}
        enc_a, enc_b = fast.tokenizer(*pairs, **kw), slow.tokenizer(*pairs, **kw)
        for key in ("input_ids", "token_type_ids", "overflow_to_sample_mapping"):
            assert list(enc_a[key]) == list(enc_b[key])


def test_local_path_base_and_full_fine_tune(tmp_path: Path):
    """Another encoder given by local path, trained without LoRA (full weights saved)."""
    from conftest import tiny_rows

    from stancekit.base import _packaged_minilm_dir

    local = tmp_path / "my-encoder"
    shutil.copytree(_packaged_minilm_dir(), local)
    res = stancekit.train(tiny_rows(24), out=tmp_path / "full", base=str(local), adapter="full",
                          learning_rate=5e-5, max_steps=2, batch_size=8, quiet=True)
    names = {p.name for p in res.path.iterdir()}
    assert "encoder" in names and "adapter_model.safetensors" not in names
    assert (res.path / "encoder" / "model.safetensors").exists()
    cfg = json.loads((res.path / "config.json").read_text())
    assert cfg["base"]["name"] == str(local.resolve()) and cfg["adapter"] == "full"
    r = stancekit.load(res.path).classify("Talks resume.")
    assert r.stance.label in STANCE.labels
