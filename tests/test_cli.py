"""The command line: subcommands, formats, help, errors without tracebacks (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stancekit.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stancekit", *args], input=stdin,
                          capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"})


@pytest.mark.parametrize("command", ["classify", "train", "evaluate", "info", "validate"])
def test_help_has_example(command: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "example" in capsys.readouterr().out.lower()


def test_classify_args_jsonl(tiny_model: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["classify", "--model", str(tiny_model), "--format", "jsonl",
                 "Talks resume.", "No deal."]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["text"] for x in lines] == ["Talks resume.", "No deal."]
    assert "label" in lines[0]["stance"]


def test_classify_txt_article_is_split(tiny_model: Path, capsys: pytest.CaptureFixture[str]):
    seed = ROOT / "seeds" / "000_0234990e34670abe.txt"
    assert main(["classify", "--model", str(tiny_model), "--file", str(seed), "--format", "jsonl"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    text = seed.read_text(encoding="utf-8")
    assert len(rows) >= 14
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_classify_csv_in_csv_out(tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = tmp_path / "in.csv"
    src.write_text("id,sentence\n1,Talks resume.\n2,\n3,No deal.\n")
    out = tmp_path / "out.csv"
    assert main(["classify", "--model", str(tiny_model), "--file", str(src), "--text-column",
                 "sentence", "--format", "csv", "--output", str(out)]) == 0
    import pandas as pd

    frame = pd.read_csv(out)
    assert len(frame) == 3 and {"id", "stance", "stance_score", "claim_type"} <= set(frame.columns)
    assert frame["stance"].isna().tolist() == [False, True, False]


def test_classify_table_and_stdin(tiny_model: Path):
    res = run_cli("classify", "--model", str(tiny_model), "--format", "table",
                  stdin="Talks resume.\nNo deal.\n")
    assert res.returncode == 0, res.stderr
    assert "stance" in res.stdout.splitlines()[0] and len(res.stdout.splitlines()) == 4


def test_info(tiny_model: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["info", "--model", str(tiny_model), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["tasks"]["stance"] == ["favor", "against", "neutral", "unrelated"]
    assert info["adapter"] == "lora" and "metrics" in info


def test_train_cli_other_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    import pandas as pd

    rows = [{"sentence": f"Row {i} says {'yes' if i % 2 else 'no'}.", "answer": "y" if i % 2 else "n"}
            for i in range(20)]
    pd.DataFrame(rows).to_csv(tmp_path / "d.csv", index=False)
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--text-column", "sentence",
                 "--label-columns", "answer", "--out", str(tmp_path / "m"), "--max-steps", "2",
                 "--batch-size", "8", "--quiet", "--metric", "answer=positive_f1",
                 "--positive-label", "answer=y"]) == 0
    assert json.loads(capsys.readouterr().out)["model"].endswith("m")
    saved = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert saved["selection_metric"] == {"answer": "positive_f1"}
    assert 0.0 <= saved["dev"]["answer"]["positive_f1"] <= 1.0
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--text-column", "sentence",
                 "--label-columns", "answer", "--out", str(tmp_path / "s"), "--max-steps", "1",
                 "--batch-size", "8", "--quiet", "--teacher", str(tmp_path / "m"),
                 "--distill-alpha", "0.8"]) == 0
    capsys.readouterr()
    student = json.loads((tmp_path / "s" / "metrics.json").read_text())
    assert student["distilled_from"] == str(tmp_path / "m")
    assert main(["classify", "--model", str(tmp_path / "m"), "--format", "jsonl", "yes"]) == 0


def test_errors_exit_2_without_traceback(tmp_path: Path):
    res = run_cli("train", "--data", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "m"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("classify", "--model", str(tmp_path / "nope"), "hello")
    assert res.returncode == 2 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("info", "--model", str(tmp_path))
    assert res.returncode == 2 and "config.json" in res.stderr


def test_validate_corpus_cli(capsys: pytest.CaptureFixture[str]):
    assert main(["validate", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["counts"]["total"] > 0
