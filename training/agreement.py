"""Inter-annotator agreement of the blind second pass, and the disagreements to adjudicate.

    python training/agreement.py

Compares the first annotation (seeds/raw, before adjudication) with the blind second pass
(seeds/annotation/second_pass.jsonl) on the sampled sentences: Cohen's kappa and macro-F1
of one pass against the other, per task (scikit-learn). Writes
seeds/annotation/first_pass.jsonl (the first-pass labels of the sample),
agreement.json and disagreements.jsonl. `stancekit validate` recomputes the agreement
from first_pass.jsonl and second_pass.jsonl.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assemble_corpus import load_raw  # noqa: E402

ANN = ROOT / "seeds" / "annotation"


def main() -> int:
    rows, _ = load_raw()
    first = {r["id"]: r for r in rows}
    second = [json.loads(x) for x in (ANN / "second_pass.jsonl").read_text().splitlines() if x.strip()]
    sample_ids = [json.loads(x)["id"] for x in (ANN / "blind_sample.jsonl").read_text().splitlines()]
    if [s["id"] for s in second] != sample_ids:
        raise SystemExit("second_pass.jsonl does not match blind_sample.jsonl id for id")
    result: dict = {"n": len(second), "tasks": {}}
    disagreements = []
    for task in ("claim_type", "stance"):
        a = [first[s["id"]][task] for s in second]
        b = [s[task] for s in second]
        confusions = Counter((x, y) for x, y in zip(a, b) if x != y)
        result["tasks"][task] = {
            "cohen_kappa": cohen_kappa_score(a, b),
            "macro_f1_second_vs_first": f1_score(a, b, average="macro"),
            "raw_agreement": sum(x == y for x, y in zip(a, b)) / len(a),
            "top_confusions_first_to_second": [
                {"first": x, "second": y, "count": n} for (x, y), n in confusions.most_common(8)],
        }
    for s in second:
        r = first[s["id"]]
        if r["claim_type"] != s["claim_type"] or r["stance"] != s["stance"]:
            disagreements.append({
                "id": s["id"], "text": r["text"],
                "first": {"claim_type": r["claim_type"], "stance": r["stance"], "note": r["note"]},
                "second": {"claim_type": s["claim_type"], "stance": s["stance"],
                           "note": s.get("note")}})
    result["n_disagreements"] = len(disagreements)
    with (ANN / "first_pass.jsonl").open("w") as handle:
        for s in second:
            r = first[s["id"]]
            handle.write(json.dumps({"id": s["id"], "claim_type": r["claim_type"],
                                     "stance": r["stance"]}) + "\n")
    (ANN / "agreement.json").write_text(json.dumps(result, indent=2) + "\n")
    with (ANN / "disagreements.jsonl").open("w") as handle:
        for d in disagreements:
            handle.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
