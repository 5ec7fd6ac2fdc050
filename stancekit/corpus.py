"""The annotated corpus in ``seeds/``: load it and validate it.

Layout::

    seeds/corpus/{train,dev,test}.jsonl   one sentence a line: id, text, claim_type, stance,
                                          domain, article (id or null), note (+ style)
    seeds/articles.jsonl                  one article a line: id, domain, split, text and
                                          units [{id, start, end}] (offsets into text)

``validate_corpus`` checks schema and labels, exact and near duplicates, split leakage
and article offsets, and counts labels per split. Run it as ``stancekit validate`` or
``python -m stancekit.corpus``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import CLAIM_TYPE, STANCE

SPLITS = ("train", "dev", "test")
FIELDS = ("id", "text", "claim_type", "stance", "domain", "article", "note")
NEAR_DUP_THRESHOLD = 0.85
TARGETS = {"sentences": 3000, "articles": 40, "claim_type_min": 250, "stance_min": 400,
           "domains": 20, "test_fraction": 0.15, "test_only_domains": 3}


def default_root() -> Path:
    """``seeds/`` of the source checkout (the corpus is not part of the wheel)."""
    return Path(__file__).resolve().parent.parent / "seeds"


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, spaces collapsed: the key for exact duplicates.

    Example:
        >>> normalise("  ALSO READ: ") == normalise("Also read")
        True
    """
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def is_boilerplate(row: dict[str, Any]) -> bool:
    """Short ``none`` lines ("ALSO READ:", "Advertisement") that recur across articles."""
    return row.get("claim_type") == "none" and len(normalise(row.get("text", "")).split()) <= 8


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL file, naming the line of any broken JSON."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
    return rows


def load_corpus(root: str | Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of each split.

    Example:
        >>> sorted(load_corpus())
        ['dev', 'test', 'train']
    """
    base = Path(root) if root else default_root()
    return {s: read_jsonl(base / "corpus" / f"{s}.jsonl") for s in SPLITS}


@dataclass
class CorpusReport:
    """What ``validate_corpus`` found: errors (fatal), warnings, counts and target checks."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def targets_met(self) -> bool:
        return all(t["ok"] for t in self.targets.values())


def _near_duplicates(rows: list[dict[str, Any]], threshold: float) -> list[tuple[int, int, float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r["text"] for r in rows]
    if len(texts) < 2:
        return []
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True, min_df=1)
    m = vec.fit_transform(texts)
    sim = (m @ m.T).tocoo()
    pairs = []
    for i, j, v in zip(sim.row, sim.col, sim.data):
        if i < j and v >= threshold:
            pairs.append((int(i), int(j), float(v)))
    return pairs


def validate_corpus(root: str | Path | None = None, *,
                    near_threshold: float = NEAR_DUP_THRESHOLD) -> CorpusReport:
    """Check the corpus under ``root`` (default ``seeds/``) and count its labels.

    Example:
        >>> report = validate_corpus()
        >>> report.ok, report.counts["total"] > 0
        (True, True)
    """
    base = Path(root) if root else default_root()
    rep = CorpusReport()
    rows: list[dict[str, Any]] = []
    for split in SPLITS:
        path = base / "corpus" / f"{split}.jsonl"
        if not path.exists():
            rep.errors.append(f"missing split file {path}")
            continue
        try:
            for r in read_jsonl(path):
                r["_split"] = split
                rows.append(r)
        except ValueError as exc:
            rep.errors.append(str(exc))
    allowed = {"claim_type": set(CLAIM_TYPE.labels), "stance": set(STANCE.labels)}
    ids: Counter[str] = Counter()
    for r in rows:
        where = f"{r['_split']}:{r.get('id')}"
        missing = [f for f in FIELDS if f not in r]
        if missing:
            rep.errors.append(f"{where}: missing field(s) {missing}")
            continue
        if not isinstance(r["text"], str) or not r["text"].strip():
            rep.errors.append(f"{where}: empty text")
        if r["text"] != r["text"].strip():
            rep.errors.append(f"{where}: text has leading/trailing whitespace")
        for task, labels in allowed.items():
            if r[task] not in labels:
                rep.errors.append(f"{where}: {task} {r[task]!r} not in {sorted(labels)}")
        if not isinstance(r["domain"], str) or not r["domain"]:
            rep.errors.append(f"{where}: empty domain")
        if r["note"] is not None and not isinstance(r["note"], str):
            rep.errors.append(f"{where}: note must be a string or null")
        ids[str(r["id"])] += 1
    for i, n in ids.items():
        if n > 1:
            rep.errors.append(f"id {i} appears {n} times")

    # exact duplicates
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_key[normalise(r.get("text", ""))].append(r)
    boiler_dups = 0
    for _key, group in by_key.items():
        if len(group) < 2:
            continue
        labels = {(g["claim_type"], g["stance"]) for g in group}
        if all(is_boilerplate(g) for g in group):
            boiler_dups += len(group) - 1
            if len(labels) > 1:
                rep.errors.append(f"boilerplate {group[0]['text']!r} has conflicting labels {labels}")
            continue
        same_article = len({g["article"] for g in group}) == 1 and group[0]["article"] is not None
        if same_article and len({g["_split"] for g in group}) == 1:
            rep.warnings.append(f"repeated within article {group[0]['article']}: {group[0]['text'][:60]!r}")
            continue
        rep.errors.append(f"exact duplicate text {group[0]['text'][:70]!r} "
                          f"({', '.join(g['id'] for g in group)})")

    # near duplicates
    near = [p for p in _near_duplicates(rows, near_threshold)
            if not (is_boilerplate(rows[p[0]]) and is_boilerplate(rows[p[1]]))]
    cross = 0
    for i, j, v in near:
        a, b = rows[i], rows[j]
        if normalise(a["text"]) == normalise(b["text"]):
            continue
        if a["_split"] != b["_split"]:
            cross += 1
            rep.errors.append(f"near-duplicate pair crosses splits ({v:.2f}): {a['id']} "
                              f"[{a['_split']}] ~ {b['id']} [{b['_split']}]")
        else:
            rep.warnings.append(f"near duplicates in {a['_split']} ({v:.2f}): {a['id']} ~ {b['id']}")

    # articles
    articles_path = base / "articles.jsonl"
    articles = read_jsonl(articles_path) if articles_path.exists() else []
    if not articles_path.exists():
        rep.errors.append(f"missing {articles_path}")
    by_id = {str(r["id"]): r for r in rows}
    article_ids = set()
    for art in articles:
        aid = art.get("id")
        article_ids.add(aid)
        text = art.get("text", "")
        last_end = -1
        for u in art.get("units", []):
            row = by_id.get(u.get("id"))
            if row is None:
                rep.errors.append(f"article {aid}: unit {u.get('id')} not in the corpus")
                continue
            s, e = u.get("start"), u.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                rep.errors.append(f"article {aid}: unit {u['id']} has bad offsets {s}-{e}")
                continue
            if text[s:e] != row["text"]:
                rep.errors.append(f"article {aid}: text[{s}:{e}] does not match unit {u['id']}")
            if s < last_end:
                rep.errors.append(f"article {aid}: unit {u['id']} overlaps the previous unit")
            last_end = e
            if row["article"] != aid:
                rep.errors.append(f"unit {u['id']}: article field {row['article']!r} != {aid!r}")
            if row["_split"] != art.get("split"):
                rep.errors.append(f"article {aid} is in {art.get('split')} but unit {u['id']} "
                                  f"is in {row['_split']} (article leaks across splits)")
    for r in rows:
        if r.get("article") is not None and r["article"] not in article_ids:
            rep.errors.append(f"{r['id']}: article {r['article']!r} not in articles.jsonl")

    # counts
    counts: dict[str, Any] = {"total": len(rows), "articles": len(articles),
                              "article_units": sum(len(a.get("units", [])) for a in articles),
                              "exact_boilerplate_repeats": boiler_dups,
                              "near_duplicate_pairs_within_split": len(near) - cross}
    for task in ("claim_type", "stance"):
        table: dict[str, dict[str, int]] = {}
        for label in (CLAIM_TYPE if task == "claim_type" else STANCE).labels:
            table[label] = {s: 0 for s in SPLITS}
        for r in rows:
            if r.get(task) in table:
                table[r[task]][r["_split"]] += 1
        counts[task] = table
    dom: dict[str, dict[str, int]] = defaultdict(lambda: {s: 0 for s in SPLITS})
    for r in rows:
        dom[r.get("domain", "?")][r["_split"]] += 1
    counts["domain"] = dict(sorted(dom.items()))
    dom_label: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        dom_label[r.get("domain", "?")][f"{r.get('claim_type')}"] += 1
        dom_label[r.get("domain", "?")][f"{r.get('stance')}"] += 1
    counts["domain_label"] = {d: dict(v) for d, v in sorted(dom_label.items())}
    counts["split"] = {s: sum(1 for r in rows if r["_split"] == s) for s in SPLITS}
    train_domains = {d for d, c in dom.items() if c["train"] > 0}
    counts["test_only_domains"] = sorted(d for d, c in dom.items() if c["test"] > 0 and
                                         d not in train_domains)
    counts["with_note"] = sum(1 for r in rows if r.get("note"))
    rep.counts = counts

    counts["style"] = dict(Counter(str(r.get("style")) for r in rows).most_common())
    lengths = sorted(len(r.get("text", "").split()) for r in rows)
    if lengths:
        counts["words"] = {"min": lengths[0], "median": lengths[len(lengths) // 2],
                           "max": lengths[-1],
                           "25_or_more": sum(1 for n in lengths if n >= 25)}
    agreement = _agreement(base, by_id, rep)
    if agreement:
        counts["agreement"] = agreement

    total = max(len(rows), 1)
    def target(name: str, value: Any, ok: bool) -> None:
        rep.targets[name] = {"value": value, "ok": bool(ok)}
    target("sentences >= 3000", len(rows), len(rows) >= TARGETS["sentences"])
    target("articles >= 40", len(articles), len(articles) >= TARGETS["articles"])
    target("domains >= 20", len(dom), len(dom) >= TARGETS["domains"])
    for label, c in counts["claim_type"].items():
        n = sum(c.values())
        target(f"claim_type {label} >= 250", n, n >= TARGETS["claim_type_min"])
    for label, c in counts["stance"].items():
        n = sum(c.values())
        target(f"stance {label} >= 400", n, n >= TARGETS["stance_min"])
    frac = counts["split"]["test"] / total
    target("test >= 15% of sentences", round(frac, 3), frac >= TARGETS["test_fraction"])
    n_only = len(counts["test_only_domains"])
    target("test domains absent from train >= 3", n_only, n_only >= TARGETS["test_only_domains"])
    return rep


def _agreement(base: Path, by_id: dict[str, dict[str, Any]], rep: CorpusReport) -> dict[str, Any]:
    """Cohen's kappa and macro-F1 of the blind second pass against the first, and a check
    that every disagreement was adjudicated into the corpus labels."""
    ann = base / "annotation"
    first_path, second_path = ann / "first_pass.jsonl", ann / "second_pass.jsonl"
    if not (first_path.exists() and second_path.exists()):
        return {}
    from sklearn.metrics import cohen_kappa_score, f1_score

    first = {r["id"]: r for r in read_jsonl(first_path)}
    second = read_jsonl(second_path)
    adjudicated = {r["id"]: r for r in read_jsonl(ann / "adjudicated.jsonl")} if (
        ann / "adjudicated.jsonl").exists() else {}
    out: dict[str, Any] = {"n": len(second), "disagreements": 0, "tasks": {}}
    disagree = set()
    for task in ("claim_type", "stance"):
        a = [first[s["id"]][task] for s in second if s["id"] in first]
        b = [s[task] for s in second if s["id"] in first]
        if len(a) != len(second):
            rep.errors.append("annotation: first_pass.jsonl lacks ids of second_pass.jsonl")
            return {}
        out["tasks"][task] = {"cohen_kappa": round(float(cohen_kappa_score(a, b)), 3),
                              "macro_f1": round(float(f1_score(a, b, average="macro")), 3),
                              "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 3)}
        disagree |= {s["id"] for s in second if first[s["id"]][task] != s[task]}
    out["disagreements"] = len(disagree)
    for sid in sorted(disagree):
        dec = adjudicated.get(sid)
        if dec is None:
            rep.errors.append(f"annotation: disagreement on {sid} was not adjudicated")
            continue
        row = by_id.get(sid)
        if row is not None and (row["claim_type"], row["stance"]) != (
                dec["gold_claim_type"], dec["gold_stance"]):
            rep.errors.append(f"annotation: corpus labels of {sid} differ from the adjudicated gold")
    return out


def format_report(rep: CorpusReport, *, markdown: bool = False) -> str:
    """Human-readable (or Markdown) tables of a :class:`CorpusReport`."""
    c = rep.counts
    out: list[str] = []
    def table(title: str, rows: dict[str, dict[str, int]]) -> None:
        out.append(f"\n{'### ' if markdown else ''}{title}\n")
        header = ["", *SPLITS, "total"]
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for name, per in rows.items():
            vals = [per.get(s, 0) for s in SPLITS]
            out.append("| " + " | ".join([name, *map(str, vals), str(sum(vals))]) + " |")
        totals = [sum(per.get(s, 0) for per in rows.values()) for s in SPLITS]
        out.append("| " + " | ".join(["**total**", *map(str, totals), str(sum(totals))]) + " |")
    out.append(f"sentences: {c.get('total', 0)}  articles: {c.get('articles', 0)} "
               f"({c.get('article_units', 0)} units)  splits: {c.get('split')}")
    out.append(f"test-only domains: {', '.join(c.get('test_only_domains', [])) or 'none'}")
    out.append(f"rows with an annotator note: {c.get('with_note', 0)}; repeated boilerplate "
               f"lines: {c.get('exact_boilerplate_repeats', 0)}; near-duplicate pairs within a "
               f"split: {c.get('near_duplicate_pairs_within_split', 0)}")
    if "words" in c:
        w = c["words"]
        out.append(f"words per sentence: min {w['min']}, median {w['median']}, max {w['max']}; "
                   f"{w['25_or_more']} sentences of 25 words or more")
    if "style" in c:
        out.append("styles: " + ", ".join(f"{k} {v}" for k, v in c["style"].items()))
    if "agreement" in c:
        ag = c["agreement"]
        out.append(f"\n{'### ' if markdown else ''}agreement of the blind second pass "
                   f"({ag['n']} sentences, {ag['disagreements']} with a disagreement, all "
                   "adjudicated)\n")
        out.append("| task | Cohen's kappa | macro-F1 (second vs first) | raw agreement |")
        out.append("|---|---|---|---|")
        for task, v in ag["tasks"].items():
            out.append(f"| {task} | {v['cohen_kappa']:.3f} | {v['macro_f1']:.3f} | "
                       f"{v['agreement']:.3f} |")
    if "claim_type" in c:
        table("claim_type x split", c["claim_type"])
        table("stance x split", c["stance"])
        table("domain x split", c["domain"])
        labels = [*CLAIM_TYPE.labels, *STANCE.labels]
        out.append(f"\n{'### ' if markdown else ''}domain x label (claim_type | stance)\n")
        out.append("| domain | " + " | ".join(labels) + " |")
        out.append("|---|" + "---|" * len(labels))
        for d, per in c.get("domain_label", {}).items():
            out.append(f"| {d} | " + " | ".join(str(per.get(lab, 0)) for lab in labels) + " |")
    out.append(f"\n{'### ' if markdown else ''}targets\n")
    for name, t in rep.targets.items():
        out.append(f"- [{'x' if t['ok'] else ' '}] {name}: {t['value']}")
    out.append(f"\nerrors: {len(rep.errors)}  warnings: {len(rep.warnings)}")
    for e in rep.errors[:50]:
        out.append(f"ERROR {e}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """``python -m stancekit.corpus [ROOT] [--strict] [--json] [--markdown]``."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m stancekit.corpus", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))


def add_arguments(p: Any) -> None:
    p.add_argument("root", nargs="?", default=None, help="corpus folder (default: seeds/)")
    p.add_argument("--strict", action="store_true", help="also fail when a size target is missed")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables")


def run(args: Any) -> int:
    rep = validate_corpus(args.root)
    if args.json:
        print(json.dumps({"ok": rep.ok, "errors": rep.errors, "warnings": rep.warnings,
                          "counts": rep.counts, "targets": rep.targets}, indent=2))
    else:
        print(format_report(rep, markdown=args.markdown))
    if not rep.ok or (args.strict and not rep.targets_met):
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
