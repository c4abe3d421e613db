"""Calendar conversion: project case table, the official leap-year table and ICU pairs (through parse_date)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import CASES, shared_path
from fa_policy_nlp.calendar import (
    add_jalali_months,
    gregorian_to_hijri,
    gregorian_to_jalali,
    hijri_to_gregorian,
    jalali_to_gregorian,
)
from fa_policy_nlp.dates import parse_date
from fa_policy_nlp.resources import load_yaml

_CASES = yaml.safe_load((CASES / "dates_calendar.yaml").read_text(encoding="utf-8"))
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_NAMES = load_yaml("dates.yaml")


def _jname(m: int) -> str:
    return _NAMES["jalali_months"][m][0]


def _gname(m: int) -> str:
    return _NAMES["gregorian_months"][m][0]


def _written(d: int, name: str, y: int) -> str:
    return f"{d} {name} {y}".translate(_FA)


@pytest.mark.parametrize("row", _CASES["jalali_to_gregorian"], ids=lambda r: "-".join(map(str, r["jalali"])))
def test_jalali_cases(row):
    want = dt.date.fromisoformat(row["gregorian"])
    assert jalali_to_gregorian(*row["jalali"]) == want
    assert gregorian_to_jalali(want) == tuple(row["jalali"])
    y, m, d = row["jalali"]
    assert parse_date(_written(d, _jname(m), y)).start_date == want


@pytest.mark.parametrize("row", _CASES["hijri_to_gregorian"], ids=lambda r: "-".join(map(str, r["hijri"])))
def test_hijri_cases(row):
    want = dt.date.fromisoformat(row["gregorian"])
    assert hijri_to_gregorian(*row["hijri"]) == want
    assert gregorian_to_hijri(want) == tuple(row["hijri"])


def test_hijri_round_trip():
    start = dt.date(1900, 1, 1)
    bad = [start + dt.timedelta(days=i) for i in range(0, 73000, 7)
           if hijri_to_gregorian(*gregorian_to_hijri(start + dt.timedelta(days=i))) != start + dt.timedelta(days=i)]
    assert bad == []


@pytest.mark.parametrize("row", _CASES["add_jalali_months"], ids=lambda r: f"{r['date']}{r['months']:+d}")
def test_add_jalali_months(row):
    assert add_jalali_months(dt.date.fromisoformat(row["date"]), row["months"]) == dt.date.fromisoformat(row["expect"])


def _kabise() -> list[tuple[int, bool, dt.date]]:
    rows = []
    for line in shared_path("eval", "calendar", "kabise.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        year, iso = line.split()
        rows.append((int(year.rstrip("*")), year.endswith("*"), dt.date.fromisoformat(iso)))
    return rows


def test_official_leap_table_through_parse_date():
    """Every 1 Farvardin and every last day of Esfand (29, or 30 in leap years) of 1206–1498, written out."""
    rows = _kabise()
    errors = []
    for (year, leap, first), nxt in zip(rows, rows[1:] + [None]):
        got = parse_date(_written(1, _jname(1), year))
        if got is None or got.start_date != first or got.jalali != f"{year:04d}-01-01":
            errors.append((year, "1 Farvardin", got and got.start_date, first))
        if nxt is not None:
            last_day = 30 if leap else 29
            want = nxt[2] - dt.timedelta(days=1)
            got = parse_date(_written(last_day, _jname(12), year))
            if got is None or got.start_date != want or got.granularity != "day":
                errors.append((year, f"{last_day} Esfand", got and got.start_date, want))
            if (nxt[2] - first).days != (366 if leap else 365):
                errors.append((year, "table length vs leap mark", (nxt[2] - first).days, leap))
    assert errors == []


def test_icu_pairs_through_parse_date():
    lines = shared_path("eval", "calendar", "icu_persian_mapping.tsv").read_text(encoding="utf-8").splitlines()
    errors = []
    for line in lines[1:]:
        if not line.strip():
            continue
        gy, gm, gd, py, pm, pd = (int(x) for x in line.split("\t"))
        greg = dt.date(gy, gm, gd)
        j = parse_date(_written(pd, _jname(pm), py))
        if j is None or j.start_date != greg:
            errors.append(("jalali->gregorian", line, j and j.start_date))
        g = parse_date(_written(gd, _gname(gm), gy))
        if g is None or g.jalali != f"{py:04d}-{pm:02d}-{pd:02d}" or g.calendar != "gregorian":
            errors.append(("gregorian->jalali", line, g and g.jalali))
    assert errors == []
