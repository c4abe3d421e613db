"""The example article's hand-annotated dates (../shared/seed/gold.json): surfaces, values, recall >= 0.95."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import SHARED

_GOLD_FILE = SHARED / "seed" / "gold.json"
_GOLD = json.loads(_GOLD_FILE.read_text(encoding="utf-8"))["dates"] if _GOLD_FILE.exists() else []


def _accepted_starts(item: dict) -> set[str]:
    starts = {item["start"]}
    if "2024-10-06" in item.get("note", "") and item["start"] == "2024-10-05":
        starts.add("2024-10-06")  # the gold note accepts Gregorian arithmetic too
    return starts


def _match(article, item):
    for d in article.dates:
        if d.text == item["surface"]:
            return d
    return None


@pytest.mark.parametrize("item", _GOLD, ids=[g["surface"] for g in _GOLD])
def test_gold_date(seed_article, item):
    d = _match(seed_article, item)
    assert d is not None, [x.text for x in seed_article.dates]
    assert seed_article.text[d.start:d.end] == d.text
    assert d.start_date is not None and d.start_date.isoformat() in _accepted_starts(item)
    assert d.end_date == dt.date.fromisoformat(item["end"])
    assert d.granularity == item["granularity"]
    assert d.relative == item["relative"]
    if "jalali" in item:
        assert d.jalali == item["jalali"]


def test_gold_recall_and_precision(seed_article, gold):
    items = gold["dates"]
    found = [g for g in items if (d := _match(seed_article, g)) is not None and d.start_date is not None
             and d.start_date.isoformat() in _accepted_starts(g) and d.end_date.isoformat() == g["end"]]
    recall = len(found) / len(items)
    assert recall >= 0.95
    surfaces = {g["surface"] for g in items}
    extra = [d.text for d in seed_article.dates if d.text not in surfaces]
    assert extra == []
