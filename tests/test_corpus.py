"""The annotated corpus in seeds/ passes validation, and the validator catches problems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from stancekit.corpus import default_root, validate_corpus


def test_corpus_is_valid():
    rep = validate_corpus()
    assert rep.ok, rep.errors[:10]
    assert rep.counts["total"] > 0
    for split in ("train", "dev", "test"):
        assert rep.counts["split"][split] > 0


def test_corpus_meets_size_targets():
    rep = validate_corpus()
    missed = {k: v for k, v in rep.targets.items() if not v["ok"]}
    assert not missed


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    (root / "corpus").mkdir(parents=True)
    for split in ("train", "dev", "test"):
        shutil.copy(default_root() / "corpus" / f"{split}.jsonl", root / "corpus")
    shutil.copy(default_root() / "articles.jsonl", root)
    return root


def _edit(path: Path, fn) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows = fn(rows)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_validator_catches_bad_label_leak_and_offsets(tmp_path: Path):
    root = _copy(tmp_path)
    train = root / "corpus" / "train.jsonl"
    test = root / "corpus" / "test.jsonl"
    leaked = json.loads(train.read_text().splitlines()[5])

    def bad_label(rows):
        rows[0]["stance"] = "maybe"
        return rows

    _edit(train, bad_label)
    _edit(test, lambda rows: [*rows, {**leaked, "id": "leak-1", "text": leaked["text"] + " ."}])
    arts = root / "articles.jsonl"
    _edit(arts, lambda rows: [{**rows[0], "text": "X" + rows[0]["text"]}, *rows[1:]])
    rep = validate_corpus(root)
    text = "\n".join(rep.errors)
    assert "not in" in text and "'maybe'" in text
    assert "duplicate" in text
    assert "does not match unit" in text
