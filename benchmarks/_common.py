"""Shared helpers for the benchmark scripts (data locations, machine description, table printing)."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))


def need(path: Path) -> Path:
    """Exit cleanly (status 0, with a message) when evaluation data is not available."""
    if not path.exists():
        print(f"skipped: {path} not available (evaluation data lives in ../shared)")
        raise SystemExit(0)
    return path


def fars_articles() -> list[dict]:
    """The 1,500 Fars News articles of ../shared/bench (title, abstract, paragraphs…)."""
    folder = need(SHARED / "bench" / "fars-news")
    out = []
    for i in range(1, 6):
        out.extend(json.loads((folder / f"fars-news-{i}.json").read_text(encoding="utf-8")))
    return out


def fars_text(article: dict) -> str:
    parts = [article.get("title") or "", article.get("abstract") or "", *(article.get("paragraphs") or [])]
    return "\n".join(p for p in parts if p)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _fmt(c: object) -> str:
    if isinstance(c, float):
        return f"{c:.3f}" if abs(c) < 100 else f"{c:.0f}"
    return str(c)


def label_report(gold: list[str], pred: list[str], labels: list[str]) -> dict:
    """Per-label precision/recall/F1 over ``labels``, their macro-F1 and the accuracy over all items, in the shape
    ``fa_policy_nlp.training.format_report`` prints."""
    import numpy as np
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return {
        "n": len(gold),
        "labels": labels,
        "per_label": {l: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, l in enumerate(labels)},
        "macro_f1": float(np.mean(f)),
        "accuracy": float(np.mean([a == b for a, b in zip(gold, pred)])),
    }
