"""Print the README's public-benchmark tables from training/results/*.json.

    python training/results_table.py

Every figure comes from a result file that a benchmark script wrote, with the command
that wrote it, so the README cannot drift from the measurements (tests/test_results_readme.py
checks that it has not).
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# file -> what the run is (the command line says how); README order
SEMEVAL_RUNS = {
    "semeval2016.json": "MiniLM + LoRA (the library's default recipe)",
    "semeval2016-full.json": "MiniLM, full fine-tune",
    "semeval2016-full-noweights.json": "MiniLM, full fine-tune, plain cross-entropy",
    "semeval2016-full-ensemble3.json": "MiniLM, full fine-tune, 3 seeds, probabilities averaged",
    "semeval2016-full-favg-ensemble3.json": "MiniLM, same 3 seeds, checkpoints picked on dev F_avg",
    "semeval2016-full-distilled.json": "MiniLM, full fine-tune distilled from the MPNet model below",
    "semeval2016-full-distilled-ensemble3.json": "MiniLM, 3 distilled seeds, probabilities "
                                                 "averaged",
    "semeval2016-full-distilled-aug5.json": "MiniLM distilled from MPNet, with 5 perturbed "
                                            "copies of each training tweet labelled by the "
                                            "teacher",
    "semeval2016-full-distilled-aug10.json": "MiniLM distilled from MPNet, with 10 perturbed "
                                             "copies of each training tweet labelled by the "
                                             "teacher",
    "semeval2016-mpnet-full.json": "MPNet (all-mpnet-base-v2), full fine-tune (the teacher)",
}


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def semeval_table() -> str:
    lines = ["| run | command (→ result file in training/results/) | dev F_avg | test F_avg |",
             "|---|---|---|---|"]
    for name, what in SEMEVAL_RUNS.items():
        path = RESULTS / name
        if not path.exists():
            continue
        r = json.loads(path.read_text(encoding="utf-8"))
        members = r.get("members") or []
        extra = ""
        if len(members) > 1:
            extra = " (members: " + ", ".join(_f(m["test_f_avg"]) for m in members) + ")"
        lines.append(f"| {what} | `{r['command'].removeprefix('python ')}` → `{name}` | "
                     f"{_f(r['dev_f_avg'])} | **{_f(r['test_f_avg'])}**{extra} |")
        for key, base in r.get("baselines", {}).items():
            label = {"tfidf_logreg": "TF-IDF + logistic regression",
                     "plain_transformers": "plain `transformers` fine-tune of MiniLM "
                                           "(Trainer defaults: 3 epochs, lr 5e-5, batch 8, "
                                           "last checkpoint)"}.get(key, key)
            lines.append(f"| ↳ same run, same training rows: {label} | | – | {_f(base['test_f_avg'])} |")
    return "\n".join(lines)


def checkthat_table() -> str:
    lines = ["| run | command (→ result file in training/results/) | selection split | "
             "dev | dev-test | test |", "|---|---|---|---|---|---|"]
    for path in sorted(RESULTS.glob("checkthat2024*.json"),
                       key=lambda p: (p.stem != "checkthat2024", p.name)):
        r = json.loads(path.read_text(encoding="utf-8"))
        sel = r.get("selection_split", "dev")
        thr = r.get("threshold")
        adapter = {"lora": "LoRA", "full": "full fine-tune"}.get(r["adapter"], r["adapter"])
        what = f"MiniLM + {adapter}, {r['epochs_max']:g} epochs"
        if sel == "dev_test":
            what += ", trained on train + dev"
        if thr is not None:
            what += f", threshold P(Yes) ≥ {thr:.2f} tuned on {sel}"
        f1 = r["f1_yes"]
        cells = [_f(f1["dev"]), _f(f1["dev_test"]), f"**{_f(f1['test'])}**"]
        if sel == "dev_test":
            cells[0] += " (in training)"
            cells[1] += " (selection)"
        lines.append(f"| {what} | `{r['command'].removeprefix('python ')}` → `{path.name}` | "
                     f"{sel} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    print("SemEval-2016 Task 6 A\n")
    print(semeval_table())
    print("\nCheckThat! 2024 Task 1 English\n")
    print(checkthat_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
