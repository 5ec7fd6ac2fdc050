"""Render an evaluation report dict (see :mod:`stancekit.evaluate`) as JSON, Markdown,
self-contained HTML and PNG figures.

The HTML embeds its figures as base64 ``data:`` URIs and its CSS inline; it loads nothing
from the network. Figures are drawn with matplotlib's Agg canvas (no display needed).
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Block = tuple[Any, ...]  # ("h1"|"h2"|"h3"|"p", text) | ("list", items) | ("table", head, rows) | ("img", name, alt)

METRIC_NAMES = {"macro_f1": "macro-F1", "semeval_favg": "SemEval F_avg",
                "positive_f1": "F1 of"}
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;border:1px solid #eee;margin:.4rem 0}
code{background:#f5f5f5;padding:0 .2rem}ul{padding-left:1.3rem}
"""


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _metric_label(headline: dict[str, Any]) -> str:
    name = METRIC_NAMES.get(headline["metric"], headline["metric"])
    if headline.get("positive"):
        positive = "/".join(headline["positive"])
        name += f" {positive}" if headline["metric"] == "positive_f1" else f" ({positive})"
    return name


# --------------------------------------------------------------------------- figures

def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def confusion_png(matrix: Sequence[Sequence[int]], labels: Sequence[str], *,
                  title: str = "Confusion matrix") -> bytes:
    """A confusion-matrix heat map (rows gold, columns predicted) as PNG bytes.

    Example:
        >>> confusion_png([[3, 1], [0, 2]], ["yes", "no"])[:4]
        b'\\x89PNG'
    """
    import numpy as np
    from matplotlib.figure import Figure

    m = np.asarray(matrix)
    size = max(3.6, 0.7 * len(labels) + 2.2)
    fig = Figure(figsize=(size + 0.8, size))
    ax = fig.add_subplot()
    image = ax.imshow(m, cmap="Blues")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks(range(len(labels)), labels=list(labels), rotation=40, ha="right")
    ax.set_yticks(range(len(labels)), labels=list(labels))
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    top = m.max() if m.size else 0
    for (i, j), count in np.ndenumerate(m):
        ax.text(j, i, str(count), ha="center", va="center",
                color="white" if top and count > top / 2 else "black", fontsize=9)
    fig.tight_layout()
    return _png(fig)


def reliability_png(bins: Sequence[dict[str, Any]], *,
                    uncalibrated: Sequence[dict[str, Any]] | None = None,
                    ece: float | None = None, ece_uncalibrated: float | None = None,
                    temperature: float = 1.0, title: str = "Reliability diagram") -> bytes:
    """A reliability diagram (accuracy against confidence per bin) as PNG bytes, with the
    temperature-1 curve beside the calibrated one when ``uncalibrated`` is given.

    Example:
        >>> from stancekit.evaluate import calibration_bins
        >>> import numpy as np
        >>> reliability_png(calibration_bins(np.array([[0.9, 0.1], [0.3, 0.7]]), [0, 0]))[:4]
        b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.8, 5.2))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color="#888", linewidth=1, label="perfect")
    series = [(uncalibrated, ece_uncalibrated, "T = 1 (raw)", "#d95f02")] if uncalibrated else []
    series.append((bins, ece, f"T = {temperature:.2f}", "#1b6ac9"))
    for data, value, name, color in series:
        full = [b for b in data if b["count"]]
        if not full:
            continue
        label = name + (f" (ECE {value:.3f})" if value is not None else "")
        ax.plot([b["confidence"] for b in full], [b["accuracy"] for b in full], marker="o",
                color=color, label=label)
        total = sum(b["count"] for b in full)
        ax.scatter([b["confidence"] for b in full], [b["accuracy"] for b in full],
                   s=[20 + 300 * b["count"] / total for b in full], color=color, alpha=0.25)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence (top label)")
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8,
              frameon=False)
    fig.tight_layout()
    return _png(fig)


def figures(report: dict[str, Any]) -> dict[str, bytes]:
    """PNG bytes of each task's confusion matrix and reliability diagram, by file name.

    Example:
        >>> from stancekit.evaluate import task_report
        >>> rep = {"tasks": {"t": task_report(["a", "b"], ["a", "a"], None, ["a", "b"], ["x", "y"])}}
        >>> sorted(figures(rep))
        ['confusion_t.png']
    """
    out = {}
    for task, entry in report["tasks"].items():
        cm = entry["confusion_matrix"]
        out[f"confusion_{task}.png"] = confusion_png(cm["matrix"], cm["labels"],
                                                     title=f"{task}: confusion matrix (model)")
        cal = entry.get("calibration")
        if cal:
            out[f"reliability_{task}.png"] = reliability_png(
                cal["bins"], uncalibrated=cal.get("bins_uncalibrated"), ece=cal["ece"],
                ece_uncalibrated=cal.get("ece_uncalibrated"),
                temperature=float(entry.get("temperature", 1.0)),
                title=f"{task}: reliability (model)")
    return out


# --------------------------------------------------------------------------- document

def _systems(entry: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [("model", entry), *entry.get("baselines", {}).items()]


def _task_blocks(task: str, entry: dict[str, Any]) -> list[Block]:
    labels = entry["labels"]
    systems = _systems(entry)
    blocks: list[Block] = [
        ("h2", f"Task {task}"),
        ("p", f"Label column: {entry.get('column', task)}; {entry['n']} labelled rows; "
              f"headline metric: {_metric_label(entry['headline'])}."),
        ("h3", "Scores"),
        ("table", ["system", _metric_label(entry["headline"]), "macro-F1", "weighted-F1",
                   "accuracy", "ECE"],
         [[name, _fmt(r["headline"]["value"]), _fmt(r["macro_f1"]), _fmt(r["weighted_f1"]),
           _fmt(r["accuracy"]), _fmt((r.get("calibration") or {}).get("ece"))]
          for name, r in systems]),
        ("h3", "Per class (model)"),
        ("table", ["label", "precision", "recall", "F1", "support",
                   *[f"F1 {name}" for name, _ in systems[1:]]],
         [[lab, *[_fmt(entry["per_class"][lab][k]) for k in ("precision", "recall", "f1", "support")],
           *[_fmt(r["per_class"][lab]["f1"]) for _, r in systems[1:]]] for lab in labels]),
        ("h3", "Confusion matrix (model; rows gold, columns predicted)"),
        ("table", ["gold \\ predicted", *labels],
         [[lab, *[str(c) for c in row]] for lab, row in zip(labels, entry["confusion_matrix"]["matrix"])]),
        ("img", f"confusion_{task}.png", f"confusion matrix of {task}"),
    ]
    cal = entry.get("calibration")
    if cal:
        blocks += [
            ("h3", "Calibration (model)"),
            ("p", f"Expected calibration error (10 equal-width bins of top-label confidence): "
                  f"{_fmt(cal.get('ece_uncalibrated'))} before temperature scaling (T = 1), "
                  f"{_fmt(cal['ece'])} after (T = {float(entry.get('temperature', 1.0)):.3f})."),
            ("img", f"reliability_{task}.png", f"reliability diagram of {task}"),
        ]
    errors = entry.get("errors", [])
    blocks.append(("h3", f"Most confident errors (model, top {len(errors)})"))
    if errors:
        has_target = any("target" in e for e in errors)
        head = ["#", "id", "gold", "predicted", "confidence", *(["target"] if has_target else []),
                "text"]
        rows = [[str(k), str(e["id"] if e.get("id") is not None else e["row"]), e["gold"],
                 e["predicted"], _fmt(e["confidence"]),
                 *([e.get("target", "")] if has_target else []), e["text"]]
                for k, e in enumerate(errors, 1)]
        blocks.append(("table", head, rows))
    else:
        blocks.append(("p", "No errors."))
    return blocks


def document(report: dict[str, Any]) -> list[Block]:
    """The report as a list of blocks (headings, paragraphs, tables, images) that the
    Markdown and HTML renderers share.

    Example:
        >>> document({"model": "m", "data": "d", "n_rows": 0, "tasks": {}})[0]
        ('h1', 'stancekit evaluation')
    """
    tasks = report["tasks"]
    systems = report.get("systems") or ["model"]
    facts = [f"model: {report['model']}",
             f"data: {report['data']} ({report['n_rows']} rows)",
             f"baseline training data: {report.get('train_data') or 'none'}"]
    facts += [f"baseline {name}: {text}" for name, text in report.get("baselines", {}).items()]
    if report.get("n_long_texts"):
        facts.append(f"{report['n_long_texts']} text(s) longer than the model window were read "
                     "in overlapping windows")
    if report.get("created"):
        facts.append(f"created {report['created']} with stancekit {report.get('stancekit_version', '')}")
    blocks: list[Block] = [("h1", "stancekit evaluation"), ("list", facts)]
    if report.get("notes"):
        blocks += [("h3", "Notes"), ("list", list(report["notes"]))]
    blocks += [("h2", "Summary"),
               ("table", ["task", "n", "metric", *systems],
                [[task, str(e["n"]), _metric_label(e["headline"]),
                  *[_fmt(dict(_systems(e)).get(s, {}).get("headline", {}).get("value"))
                    for s in systems]] for task, e in tasks.items()])]
    for task, entry in tasks.items():
        blocks += _task_blocks(task, entry)
    return blocks


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown; images are linked by file name (written beside it).

    Example:
        >>> print(render_markdown({"model": "m", "data": "d", "n_rows": 0, "tasks": {}}).splitlines()[0])
        # stancekit evaluation
    """
    lines: list[str] = []
    for block in document(report):
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + block[1], ""]
        elif kind == "p":
            lines += [block[1], ""]
        elif kind == "list":
            lines += [f"- {_md_cell(item)}" for item in block[1]] + [""]
        elif kind == "table":
            lines.append("| " + " | ".join(_md_cell(h) for h in block[1]) + " |")
            lines.append("|" + "---|" * len(block[1]))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block[2]]
            lines.append("")
        elif kind == "img":
            lines += [f"![{block[2]}]({block[1]})", ""]
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_html(report: dict[str, Any], images: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page: inline CSS, PNGs as base64 data URIs,
    no scripts and no links out.

    Example:
        >>> page = render_html({"model": "m", "data": "d", "n_rows": 0, "tasks": {}}, {})
        >>> page.startswith("<!DOCTYPE html>"), "http" in page
        (True, False)
    """
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>stancekit evaluation</title>", f"<style>{CSS}</style>", "</head>", "<body>"]
    for block in document(report):
        kind = block[0]
        if kind in ("h1", "h2", "h3", "p"):
            parts.append(f"<{kind}>{e(block[1])}</{kind}>")
        elif kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(str(h))}</th>" for h in block[1])
            body = "".join(
                "<tr>" + "".join(f'<td class="num">{e(c)}</td>' if _numeric(c) else f"<td>{e(c)}</td>"
                                 for c in map(str, row)) + "</tr>" for row in block[2])
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img" and block[1] in images:
            data = base64.b64encode(images[block[1]]).decode("ascii")
            parts.append(f'<img src="data:image/png;base64,{data}" alt="{e(block[2])}">')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def summary_table(report: dict[str, Any]) -> str:
    """A plain-text table of the headline metric per task and system (for terminals).

    Example:
        >>> from stancekit.evaluate import task_report
        >>> rep = {"systems": ["model"], "tasks": {"t": task_report(["a", "b"], ["a", "b"], None,
        ...        ["a", "b"], ["x", "y"])}}
        >>> print(summary_table(rep))
        task  n  metric    model  macro-F1  accuracy
        t     2  macro-F1  1.000  1.000     1.000
    """
    systems = report.get("systems") or ["model"]
    head = ["task", "n", "metric", *systems, "macro-F1", "accuracy"]
    rows = [head]
    for task, entry in report["tasks"].items():
        scores = dict(_systems(entry))
        rows.append([task, str(entry["n"]), _metric_label(entry["headline"]),
                     *[_fmt(scores.get(s, {}).get("headline", {}).get("value")) for s in systems],
                     _fmt(entry["macro_f1"]), _fmt(entry["accuracy"])])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def write_report(report: dict[str, Any], out: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``report.json``, ``report.md``, ``report.html`` and the PNG figures into the
    directory ``out`` (created if needed); returns the written paths by kind and records
    each task's figure names under ``report["tasks"][task]["images"]``.

    Example:
        >>> import tempfile
        >>> from stancekit.evaluate import task_report
        >>> rep = {"model": "m", "data": "d", "n_rows": 2,
        ...        "tasks": {"t": task_report(["a", "b"], ["a", "a"], None, ["a", "b"], ["x", "y"])}}
        >>> sorted(write_report(rep, tempfile.mkdtemp()))
        ['confusion_t', 'html', 'json', 'md']
    """
    folder = Path(out).expanduser()
    if folder.exists() and not folder.is_dir():
        from .errors import DataError

        raise DataError(f"--out {folder} is a file; give a directory for the report")
    folder.mkdir(parents=True, exist_ok=True)
    images = figures(report)
    files: dict[str, Path] = {}
    for name, data in images.items():
        path = folder / name
        path.write_bytes(data)
        files[name.removesuffix(".png")] = path
    for task, entry in report["tasks"].items():
        names = {"confusion_matrix": f"confusion_{task}.png",
                 "reliability": f"reliability_{task}.png"}
        entry["images"] = {kind: name for kind, name in names.items() if name in images}
    files["json"] = folder / "report.json"
    files["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                             encoding="utf-8")
    files["md"] = folder / "report.md"
    files["md"].write_text(render_markdown(report), encoding="utf-8")
    files["html"] = folder / "report.html"
    files["html"].write_text(render_html(report, images), encoding="utf-8")
    return files


__all__ = ["confusion_png", "document", "figures", "reliability_png", "render_html",
           "render_markdown", "summary_table", "write_report"]
