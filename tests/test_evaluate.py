"""stancekit.evaluate, stancekit.baselines, stancekit.report and ``stancekit evaluate``."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_rows
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from stancekit.baselines import majority_baseline, tfidf_baseline
from stancekit.errors import DataError
from stancekit.evaluate import (
    evaluate,
    evaluate_predictions,
    parse_assignments,
    resolve_metric,
    resolve_train_data,
    task_report,
)

PNG = b"\x89PNG\r\n\x1a\n"


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _cli(argv: list[str]) -> argparse.Namespace:
    from stancekit.cli import evaluate as cli

    parser = argparse.ArgumentParser(prog="stancekit")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["evaluate", *argv])


# --------------------------------------------------------------------------- pure scoring

def test_task_report_matches_sklearn():
    labels = ["favor", "against", "neutral", "unrelated"]
    gold = ["favor", "favor", "against", "neutral", "neutral", "unrelated", "against", "favor"]
    pred = ["favor", "against", "against", "neutral", "favor", "unrelated", "neutral", "favor"]
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(4), size=len(gold))
    for i, p in enumerate(pred):  # make the argmax agree with the predictions
        probs[i, labels.index(p)] += 1.0
    probs /= probs.sum(axis=1, keepdims=True)
    rep = task_report(gold, pred, probs, labels, [f"t{i}" for i in range(len(gold))],
                      uncalibrated_probs=probs, top_errors=2)
    prec, rec, f1, sup = precision_recall_fscore_support(gold, pred, labels=labels,
                                                         zero_division=0)
    for i, lab in enumerate(labels):
        assert rep["per_class"][lab] == pytest.approx(
            {"precision": prec[i], "recall": rec[i], "f1": f1[i], "support": sup[i]})
    assert rep["macro_f1"] == pytest.approx(f1_score(gold, pred, average="macro"))
    assert rep["weighted_f1"] == pytest.approx(f1_score(gold, pred, average="weighted"))
    assert rep["accuracy"] == pytest.approx(5 / 8)
    assert rep["confusion_matrix"]["matrix"] == confusion_matrix(gold, pred, labels=labels).tolist()
    assert rep["headline"] == {"metric": "macro_f1", "value": rep["macro_f1"]}
    cal = rep["calibration"]
    assert cal["ece"] == cal["ece_uncalibrated"] and 0.0 <= cal["ece"] <= 1.0
    assert sum(b["count"] for b in cal["bins"]) == len(gold)
    errors = rep["errors"]
    assert len(errors) == 2 and errors[0]["confidence"] >= errors[1]["confidence"]
    assert all(e["gold"] != e["predicted"] and e["text"].startswith("t") for e in errors)
    json.dumps(rep, allow_nan=False)  # plain, strict JSON


def test_metric_selection_semeval_and_positive():
    gold = ["FAVOR", "AGAINST", "NONE", "NONE", "FAVOR"]
    pred = ["FAVOR", "AGAINST", "FAVOR", "NONE", "AGAINST"]
    texts = list("abcde")
    rep = task_report(gold, pred, None, ["FAVOR", "AGAINST", "NONE"], texts, metric="semeval_favg")
    expected = f1_score(gold, pred, labels=["FAVOR", "AGAINST"], average=None).mean()
    assert rep["headline"]["metric"] == "semeval_favg"
    assert rep["headline"]["value"] == pytest.approx(expected)
    assert rep["headline"]["value"] != pytest.approx(rep["macro_f1"])  # NONE not averaged in
    assert rep["calibration"] is None
    low = [g.lower() for g in gold], [p.lower() for p in pred]
    rep = task_report(*low, None, ["favor", "against", "none"], texts, metric="semeval_favg",
                      positive_label="favor/against")
    assert rep["headline"]["value"] == pytest.approx(expected)
    assert rep["headline"]["positive"] == ["favor", "against"]
    ct = task_report(["Yes", "No", "No", "Yes"], ["Yes", "Yes", "No", "No"], None, ["No", "Yes"],
                     list("abcd"), metric="positive_f1")
    assert ct["headline"] == {"metric": "positive_f1", "value": 0.5, "positive": ["Yes"]}
    multi = evaluate_predictions({"s": gold}, {"s": pred}, labels={"s": ["FAVOR", "AGAINST", "NONE"]},
                                 texts=texts, metric=["s=semeval_favg"])
    assert multi["s"]["headline"]["value"] == pytest.approx(expected)


def test_metric_and_option_errors():
    assert parse_assignments(["a=x,b=y", "c=z"]) == {"a": "x", "b": "y", "c": "z"}
    assert parse_assignments({"stance": "macro_f1"}) == {"stance": "macro_f1"}
    with pytest.raises(DataError, match="TASK=VALUE"):
        parse_assignments("stance", allow_bare=False)
    with pytest.raises(DataError, match="unknown metric 'f2'"):
        resolve_metric("f2", ["a", "b"], task="stance")
    with pytest.raises(DataError, match="--positive-label stance=LABEL"):
        resolve_metric("semeval_favg", ["pro", "con", "none"], task="stance")
    with pytest.raises(DataError, match="needs one positive label"):
        resolve_metric("positive_f1", ["Yes", "No"], positive_label="Yes/No")
    with pytest.raises(DataError, match="not among"):
        task_report(["a"], ["c"], None, ["a", "b"], ["x"])


def test_baselines_pure():
    maj = majority_baseline(["b", "a", "b", "a"], 3, labels=["a", "b"])  # tie: first label wins
    assert maj.predictions == ["a", "a", "a"] and maj.probs.shape == (3, 2)
    texts = ["we must negotiate", "no talks ever", "negotiate now please", "never any talks"]
    out = tfidf_baseline(texts, ["favor", "against", "favor", "against"],
                         ["please negotiate", "no talks"], labels=["favor", "against", "neutral"],
                         train_targets=["war"] * 4, targets=["war", "war"])
    assert out.predictions == ["favor", "against"]
    assert out.probs.shape == (2, 3) and np.allclose(out.probs[:, 2], 0.0)
    with pytest.raises(DataError, match="two classes"):
        tfidf_baseline(texts, ["favor"] * 4, texts, labels=["favor", "against"])


def test_train_data_from_config(tmp_path, monkeypatch):
    _csv(tmp_path / "train.csv", tiny_rows(4))
    monkeypatch.chdir(tmp_path)
    assert resolve_train_data(None, {"train_data": "train.csv"}) == (tmp_path / "train.csv", None)
    assert resolve_train_data("given.csv", {"train_data": "train.csv"}) == ("given.csv", None)
    path, note = resolve_train_data(None, {"train_data": "nowhere/train.csv"})
    assert path is None and "not found" in note and "--train" in note


# --------------------------------------------------------------------------- with a model

def test_evaluate_writes_self_contained_reports(tiny_model, tmp_path):
    data = _csv(tmp_path / "test.csv", tiny_rows(24))
    out = tmp_path / "report"
    import stancekit.evaluate  # the module shadows the function name; both must still work

    rep = stancekit.evaluate(model=tiny_model, data=data, out=out, quiet=True)
    for name in ("report.json", "report.md", "report.html", "confusion_stance.png",
                 "reliability_claim_type.png"):
        assert (out / name).is_file(), name
    assert (out / "confusion_claim_type.png").read_bytes().startswith(PNG)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 4
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["systems"] == ["model"] and report["n_rows"] == 24
    assert any("baselines skipped" in n for n in report["notes"])
    for task in ("claim_type", "stance"):
        entry = report["tasks"][task]
        assert entry["baselines"] == {}
        assert entry["headline"] == {"metric": "macro_f1", "value": entry["macro_f1"]}
        assert set(entry["calibration"]) >= {"ece", "ece_uncalibrated"}
        assert entry["images"]["reliability"] == f"reliability_{task}.png"
        assert sum(map(sum, entry["confusion_matrix"]["matrix"])) == 24
        assert len(entry["errors"]) <= 10
    assert rep.tasks["stance"]["n"] == 24 and rep.files["html"] == out / "report.html"
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Task stance" in md and "(reliability_stance.png)" in md


def test_cli_with_baselines_and_benchmark_metrics(tiny_model, tmp_path, capsys):
    from stancekit.cli import evaluate as cli

    train = _csv(tmp_path / "train.csv", tiny_rows(36))
    data = _csv(tmp_path / "test.csv", tiny_rows(24))
    out = tmp_path / "report"
    args = _cli(["--model", str(tiny_model), "--data", str(data), "--out", str(out),
                 "--train", str(train), "--metric", "stance=semeval_favg,claim_type=positive_f1",
                 "--positive-label", "claim_type=policy", "--positive-label",
                 "stance=favor/against", "--quiet"])
    assert cli.run(args) == 0
    printed = capsys.readouterr().out
    assert "tfidf_logreg" in printed and "report.html" in printed
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["systems"] == ["model", "majority", "tfidf_logreg"]
    stance, claim = report["tasks"]["stance"], report["tasks"]["claim_type"]
    for entry, positives in ((stance, ["favor", "against"]), (claim, ["policy"])):
        for system in (entry, *entry["baselines"].values()):
            head = system["headline"]
            assert head["positive"] == positives
            f1s = [system["per_class"][p]["f1"] for p in positives]
            assert head["value"] == pytest.approx(float(np.mean(f1s)))
    assert stance["headline"]["metric"] == "semeval_favg"
    assert claim["headline"]["metric"] == "positive_f1"
    assert set(stance["baselines"]) == {"majority", "tfidf_logreg"}
    # the majority baseline predicts one label everywhere
    majority = stance["baselines"]["majority"]["confusion_matrix"]["matrix"]
    assert sum(1 for col in zip(*majority) if any(col)) == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "SemEval F_avg (favor/against)" in html and "F1 of policy" in html and "tfidf_logreg" in html


def test_column_overrides_and_missing_task(tiny_model, tmp_path):
    rows = [{"sentence": r["text"], "gold": r["stance"]} for r in tiny_rows(12)]
    data = _csv(tmp_path / "renamed.csv", rows)
    rep = evaluate(model=tiny_model, data=data, out=None, text_column="sentence",
                   label_columns="stance=gold", baselines=False, quiet=True)
    assert list(rep.tasks) == ["stance"] and rep.tasks["stance"]["column"] == "gold"
    assert any("claim_type" in n and "not evaluated" in n for n in rep.notes)
    assert rep.files == {}
    with pytest.raises(DataError, match="label-columns"):
        evaluate(model=tiny_model, data=data, text_column="sentence", quiet=True)
    with pytest.raises(DataError, match="does not have"):
        evaluate(model=tiny_model, data=data, label_columns="topic=gold", quiet=True)


def test_unknown_labels_are_a_data_error(tiny_model, tmp_path, capsys):
    rows = tiny_rows(6)
    rows[2]["stance"] = "pro-talks"
    data = _csv(tmp_path / "bad.csv", rows)
    with pytest.raises(DataError, match=r"pro-talks") as info:
        evaluate(model=tiny_model, data=data, out=tmp_path / "r", quiet=True)
    assert "stance" in str(info.value)
    assert not (tmp_path / "r").exists()
    from stancekit.cli import main

    code = main(["evaluate", "--model", str(tiny_model), "--data", str(data), "--out",
                 str(tmp_path / "r"), "--quiet"])
    assert code == 2 and "pro-talks" in capsys.readouterr().err
    with pytest.raises(DataError, match="semeval_favg"):
        evaluate(model=tiny_model, data=_csv(tmp_path / "ok.csv", tiny_rows(6)),
                 metric="semeval_favg", quiet=True)  # claim_type has no favor/against


def test_top_level_names_are_the_functions_not_the_submodules() -> None:
    import importlib
    import subprocess
    import sys

    import stancekit

    importlib.import_module("stancekit.evaluate")
    importlib.import_module("stancekit.cli.evaluate")
    assert stancekit.evaluate is evaluate and callable(stancekit.evaluate)
    assert stancekit.train.__module__ == "stancekit.train" and callable(stancekit.train)
    # A fresh process that imports the submodules first sees the same.
    code = ("import stancekit.evaluate, stancekit.train, stancekit, types; "
            "assert not isinstance(stancekit.evaluate, types.ModuleType); "
            "assert not isinstance(stancekit.train, types.ModuleType)")
    subprocess.run([sys.executable, "-c", code], check=True)
