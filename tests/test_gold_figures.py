"""The seed article's gold figures (../shared/seed/gold.json): recall >= 0.95, precision >= 0.90, right values.

Each gold figure is its own parametrised case (so a failure names it); the aggregate test checks recall and
precision. Ordinals are reported with kind "ordinal" and are not counted as figures (gold "not_figures" allows
"هفتمین دوره" as an ordinal, never as a count).
"""

from __future__ import annotations

import json

import pytest

from conftest import shared_path


def _gold():
    try:
        path = shared_path("seed", "gold.json")
    except pytest.skip.Exception:
        return []
    return json.loads(path.read_text(encoding="utf-8"))["figures"]


def _find(figures, g):
    return [f for f in figures if f.text == g["surface"]]


def _counted(figures):
    return [f for f in figures if f.kind != "ordinal"]


@pytest.mark.parametrize("g", _gold() or [pytest.param(None, marks=pytest.mark.skip("no ../shared"))],
                         ids=lambda g: g["surface"] if g else "none")
def test_gold_figure(seed_article, g):
    cands = _find(seed_article.figures, g)
    assert cands, f"{g['surface']} not found"
    f = cands[0]
    assert f.value == pytest.approx(g["value"])
    assert f.unit == g["unit"]
    assert f.kind == g["kind"]
    assert f.currency == g.get("currency")
    assert f.qualifier == g["qualifier"]
    assert seed_article.text[f.start:f.end] == f.text


def test_gold_recall_precision(seed_article, gold):
    figs = _counted(seed_article.figures)
    golds = gold["figures"]
    hit = sum(1 for g in golds if any(f.text == g["surface"] and f.value == pytest.approx(g["value"]) for f in figs))
    surfaces = {g["surface"] for g in golds}
    correct = sum(1 for f in figs if f.text in surfaces)
    assert hit / len(golds) >= 0.95
    assert figs and correct / len(figs) >= 0.90


def test_gold_not_figures(seed_article, gold):
    for nf in gold["not_figures"]:
        for f in seed_article.figures:
            if f.text in nf["surface"] or nf["surface"] in f.text:
                assert f.kind == "ordinal", f


def test_no_date_numbers(seed_article, gold):
    """Numbers inside gold dates (سال ۱۴۰۴, ۱۱ اردیبهشت ۱۴۰۵) are not figures."""
    for d in gold["dates"]:
        i = seed_article.text.find(d["surface"])
        assert i >= 0
        j = i + len(d["surface"])
        for f in seed_article.figures:
            assert f.end <= i or f.start >= j, (f.text, d["surface"])

