"""Assemble seeds/raw/* into the fixed splits seeds/corpus/{train,dev,test}.jsonl and
seeds/articles.jsonl.

    python training/assemble_corpus.py            # rewrite the splits (deterministic)

Raw files are written by annotators (see seeds/raw/AUTHORING.md). Adjudicated gold labels
from the second annotation pass (seeds/annotation/adjudicated.jsonl) and the few
relabels for consistency with codebook v3 (seeds/annotation/v3_consistency.jsonl)
override raw labels.
Splits are grouped: an article and every near-duplicate cluster stay in one split. The
domains in TEST_ONLY_DOMAINS go to test only, to measure generalisation to new domains.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stancekit.corpus import _near_duplicates, is_boilerplate, normalise  # noqa: E402

SEEDS = ROOT / "seeds"
TEST_ONLY_DOMAINS = ("sports_labour", "debt_restructuring", "pandemic_health_treaty")
TEST_FRACTION = 0.20
DEV_FRACTION = 0.10
SEED = 2026
FIELDS = ("id", "text", "claim_type", "stance", "domain", "article", "note", "style")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_raw() -> tuple[list[dict], list[dict]]:
    rows: list[dict] = []
    articles: list[dict] = []
    for path in sorted((SEEDS / "raw").glob("*_articles.jsonl")):
        for art in _read(path):
            key = art["key"]
            paragraphs = []
            units = []
            cursor = 0
            n = 0
            for p_index, para in enumerate(art["paragraphs"]):
                if p_index:
                    cursor += 2  # "\n\n"
                parts = []
                for u_index, unit in enumerate(para):
                    text = unit["text"].strip()
                    if u_index:
                        cursor += 1  # " "
                    n += 1
                    uid = f"{key}-u{n:02d}"
                    units.append({"id": uid, "start": cursor, "end": cursor + len(text)})
                    cursor += len(text)
                    parts.append(text)
                    rows.append({"id": uid, "text": text, "claim_type": unit["claim_type"],
                                 "stance": unit["stance"], "domain": art["domain"],
                                 "article": key, "note": unit.get("note") or None,
                                 "style": unit.get("style") or art.get("style")})
                paragraphs.append(" ".join(parts))
            text = "\n\n".join(paragraphs)
            for u in units:
                assert text[u["start"]:u["end"]] == next(r["text"] for r in rows if r["id"] == u["id"])
            articles.append({"id": key, "domain": art["domain"], "style": art.get("style"),
                             "title": art.get("title"), "text": text, "units": units,
                             **({"source_file": art["source_file"]} if "source_file" in art else {})})
    seen = {normalise(r["text"]) for r in rows if not is_boilerplate(r)}
    dropped = 0
    for path in sorted((SEEDS / "raw").glob("*_sentences.jsonl")):
        author = path.name.split("_")[0]
        for n, raw in enumerate(_read(path), 1):
            text = raw["text"].strip()
            key = normalise(text)
            row = {"id": f"{author}-s{n:04d}", "text": text, "claim_type": raw["claim_type"],
                   "stance": raw["stance"], "domain": raw["domain"], "article": None,
                   "note": raw.get("note") or None, "style": raw.get("style")}
            if key in seen and not is_boilerplate(row):
                dropped += 1
                continue
            seen.add(key)
            rows.append(row)
    print(f"read {len(rows)} rows, {len(articles)} articles; dropped {dropped} exact duplicates")
    return rows, articles


ADJUDICATION_FILES = ("adjudicated.jsonl", "v3_consistency.jsonl")


def apply_adjudication(rows: list[dict]) -> int:
    by_id = {r["id"]: r for r in rows}
    changed = 0
    decisions = [dec for name in ADJUDICATION_FILES if (SEEDS / "annotation" / name).exists()
                 for dec in _read(SEEDS / "annotation" / name)]
    for dec in decisions:
        row = by_id.get(dec["id"])
        if row is None:
            continue
        for task in ("claim_type", "stance"):
            gold = dec.get(f"gold_{task}")
            if gold and gold != row[task]:
                row[task] = gold
                changed += 1
        if dec.get("note"):
            row["note"] = dec["note"]
    return changed


def assign_splits(rows: list[dict], articles: list[dict]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    group_of = {r["id"]: (f"A:{r['article']}" if r["article"] else f"S:{r['id']}") for r in rows}
    for g in group_of.values():
        find(g)
    for i, j, _ in _near_duplicates(rows, 0.80):
        if is_boilerplate(rows[i]) and is_boilerplate(rows[j]):
            continue
        union(group_of[rows[i]["id"]], group_of[rows[j]["id"]])
    members: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        members[find(group_of[r["id"]])].append(r)
    total = len(rows)
    split_of_group: dict[str, str] = {}
    size = {"train": 0, "dev": 0, "test": 0}
    rest = []
    for g, items in sorted(members.items()):
        if any(r["domain"] in TEST_ONLY_DOMAINS for r in items):
            split_of_group[g] = "test"
            size["test"] += len(items)
        else:
            rest.append(g)
    rng = random.Random(SEED)
    rng.shuffle(rest)
    # articles first so each split gets whole articles, then single sentences
    rest.sort(key=lambda g: 0 if any(r["article"] for r in members[g]) else 1)
    art_groups = [g for g in rest if any(r["article"] for r in members[g])]
    n_art = len(art_groups)
    for k, g in enumerate(art_groups):
        split = "test" if k < round(0.15 * n_art) else "dev" if k < round(0.25 * n_art) else "train"
        split_of_group[g] = split
        size[split] += len(members[g])
    for g in rest:
        if g in split_of_group:
            continue
        if size["test"] < TEST_FRACTION * total:
            split = "test"
        elif size["dev"] < DEV_FRACTION * total:
            split = "dev"
        else:
            split = "train"
        split_of_group[g] = split
        size[split] += len(members[g])
    print("split sizes:", size)
    return {r["id"]: split_of_group[find(group_of[r["id"]])] for r in rows}


def main() -> int:
    rows, articles = load_raw()
    changed = apply_adjudication(rows)
    if changed:
        print(f"applied {changed} adjudicated label(s)")
    split = assign_splits(rows, articles)
    out = SEEDS / "corpus"
    out.mkdir(exist_ok=True)
    for name in ("train", "dev", "test"):
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for r in rows:
                if split[r["id"]] == name:
                    handle.write(json.dumps({k: r.get(k) for k in FIELDS}, ensure_ascii=False) + "\n")
    with (SEEDS / "articles.jsonl").open("w", encoding="utf-8") as handle:
        for art in articles:
            art["split"] = split[art["units"][0]["id"]]
            handle.write(json.dumps(art, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
