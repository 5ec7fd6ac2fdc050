"""Bad input: classify, training data and model directories fail clearly or degrade gracefully."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import stancekit
from stancekit.errors import BaseModelError, DataError, ModelDirError

# ---- classify ---------------------------------------------------------------------------


def test_empty_and_whitespace_give_no_label(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    with pytest.warns(UserWarning, match="empty or whitespace-only"):
        out = clf.classify(["", "   \n\t", "Talks resume."])
    assert out[0].stance.label is None and out[0].stance.score == 0.0
    assert out[1].claim_type.label is None
    assert out[2].stance.label is not None
    with pytest.warns(UserWarning):
        assert clf.classify("").stance.label is None


def test_none_and_non_strings_are_rejected_with_position(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    with pytest.raises(TypeError, match=r"texts\[1\] is None"):
        clf.classify(["ok", None])
    with pytest.raises(TypeError, match=r"texts\[0\] is int"):
        clf.classify([3])
    with pytest.raises(TypeError, match="fillna"):
        clf.classify(pd.Series(["a", np.nan]))
    with pytest.raises(TypeError, match="bytes"):
        clf.classify(b"raw bytes")
    with pytest.raises(TypeError):
        clf.classify(None)


def test_very_long_text_is_windowed(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    text = " ".join(["The negotiators met again and agreed on nothing."] * 2000)  # ~100k chars
    assert len(text) > 90_000
    with pytest.warns(UserWarning, match="overlapping windows"):
        r = clf.classify(text)
    assert r.stance.label in clf.labels["stance"]
    assert "long text" in r.warnings[0]


def test_binary_garbage_and_non_english(tiny_model: Path):
    clf = stancekit.load(tiny_model)
    garbage = bytes(range(256)).decode("latin-1") + "\x00\x01\ud800"
    out = clf.classify([garbage, "Переговоры возобновятся в понедельник.", "停火谈判将于周一恢复。",
                        "🙂🙂🙂"])
    assert len(out) == 4
    for r in out:
        assert r.stance.label in clf.labels["stance"]


def test_min_score_out_of_range(tiny_model: Path):
    with pytest.raises(ValueError, match="min_score"):
        stancekit.load(tiny_model).classify("x", min_score=2)


# ---- training data ------------------------------------------------------------------------


def _train(data, tmp_path: Path, **kw):
    return stancekit.train(data, out=tmp_path / "m", max_steps=1, batch_size=4, quiet=True, **kw)


def test_missing_and_empty_file(tmp_path: Path):
    with pytest.raises(DataError, match="does not exist"):
        _train(tmp_path / "nope.csv", tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="is empty"):
        _train(empty, tmp_path)
    header = tmp_path / "header.csv"
    header.write_text("text,claim_type,stance\n")
    with pytest.raises(DataError, match="no rows"):
        _train(header, tmp_path)


def test_missing_columns(tiny_csv: Path, tmp_path: Path):
    with pytest.raises(DataError, match=r"no column 'sentence'.*--text-column"):
        _train(tiny_csv, tmp_path, text_column="sentence")
    with pytest.raises(DataError, match="no column 'topic'"):
        _train(tiny_csv, tmp_path, label_columns=["stance", "topic"])


def test_label_in_dev_that_train_lacks(tmp_path: Path):
    from conftest import tiny_rows

    rows = tiny_rows(24)
    dev = [dict(r) for r in rows[:4]]
    dev[0]["stance"] = "sideways"
    with pytest.raises(DataError, match=r"\['sideways'\].*does not know"):
        _train(rows, tmp_path, dev=dev)


def test_nan_labels(tmp_path: Path):
    from conftest import tiny_rows

    rows = tiny_rows(24)
    rows[3]["stance"] = None
    with pytest.raises(DataError, match="allow_missing_labels"):
        _train(rows, tmp_path)
    res = _train(rows, tmp_path, allow_missing_labels=True, dev_fraction=0.25)
    assert res.path.exists()


def test_one_class_task(tmp_path: Path):
    rows = [{"text": f"t{i}", "stance": "favor"} for i in range(10)]
    with pytest.raises(DataError, match="at least two classes"):
        _train(rows, tmp_path, label_columns=["stance"])


def test_duplicate_ids(tmp_path: Path):
    from conftest import tiny_rows

    rows = tiny_rows(24)
    rows[5]["id"] = rows[4]["id"]
    with pytest.raises(DataError, match="duplicate ids"):
        _train(rows, tmp_path)


def test_mixed_encodings_are_read_with_warning(tmp_path: Path):
    from stancekit.data import read_table

    path = tmp_path / "mixed.csv"
    lines = ["text,stance", "Caf\u00e9 talks resume,favor"]
    data = ("\n".join(lines) + "\n").encode("utf-8") + "Na\u00efve deal rejected,against\n".encode("cp1252")
    path.write_bytes(data)
    with pytest.warns(UserWarning, match="cp1252"):
        frame = read_table(path)
    assert frame["text"].tolist() == ["Café talks resume", "Naïve deal rejected"]


def test_bad_jsonl_line(tmp_path: Path):
    from stancekit.data import read_table

    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "stance": "favor"}\n{not json}\n')
    with pytest.raises(DataError, match="line 2"):
        read_table(path)


def test_datasets_dataset_input(tmp_path: Path):
    import datasets
    from conftest import tiny_rows

    ds = datasets.Dataset.from_list(tiny_rows(24))
    res = _train(ds, tmp_path)
    assert stancekit.load(res.path).tasks == ("claim_type", "stance")


# ---- model directories ---------------------------------------------------------------------


def test_missing_model_dir(tmp_path: Path):
    with pytest.raises(ModelDirError, match="does not exist"):
        stancekit.Classifier.from_pretrained(tmp_path / "nothing")


def test_corrupt_config(tiny_model: Path, tmp_path: Path):
    bad = tmp_path / "bad"
    shutil.copytree(tiny_model, bad)
    (bad / "config.json").write_text("{ this is not json")
    with pytest.raises(ModelDirError, match="corrupt"):
        stancekit.Classifier.from_pretrained(bad)
    (bad / "config.json").write_text(json.dumps({"architectures": ["BertModel"]}))
    with pytest.raises(ModelDirError, match="no 'tasks'"):
        stancekit.Classifier.from_pretrained(bad)


def test_base_hash_mismatch(tiny_model: Path, tmp_path: Path):
    bad = tmp_path / "hash"
    shutil.copytree(tiny_model, bad)
    cfg = json.loads((bad / "config.json").read_text())
    cfg["base"]["sha256"] = "0" * 64
    cfg["base"]["name"] = str(tmp_path / "fake-base")
    fake = tmp_path / "fake-base"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the real weights")
    (bad / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(BaseModelError, match="sha256"):
        stancekit.Classifier.from_pretrained(bad)


def test_packaged_base_hash_is_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from stancekit import base

    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"tampered")
    monkeypatch.setattr(base, "_packaged_minilm_dir", lambda: fake)
    with pytest.raises(BaseModelError, match="reinstall"):
        base.resolve_base("minilm")


def test_pickle_only_weights_refused(tiny_model: Path, tmp_path: Path):
    bad = tmp_path / "pickled"
    shutil.copytree(tiny_model, bad)
    (bad / "adapter_model.safetensors").unlink()
    (bad / "heads.safetensors").rename(bad / "pytorch_model.bin")
    with pytest.raises(ModelDirError, match="pickle"):
        stancekit.Classifier.from_pretrained(bad)


def test_pickle_only_base_refused(tmp_path: Path):
    from stancekit.base import resolve_base

    (tmp_path / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(BaseModelError, match="pickle"):
        resolve_base(tmp_path)


def test_no_trust_remote_code_anywhere():
    root = Path(stancekit.__file__).parent
    for py in root.rglob("*.py"):
        assert "trust_remote_code=True" not in py.read_text(encoding="utf-8"), py


def test_warnings_do_not_leak_for_normal_input(tiny_model: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        stancekit.load(tiny_model).classify(["Talks resume on Monday."])


def test_network_is_blocked_in_tests():
    import socket

    from conftest import NetworkBlocked

    with pytest.raises(NetworkBlocked):
        socket.create_connection(("198.51.100.7", 443), timeout=1)
    assert __import__("os").environ["HF_HUB_OFFLINE"] == "1"
