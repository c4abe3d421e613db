"""Calendar conversion check: official Solar Hijri leap-year table (1206–1498) and ICU Gregorian<->Jalali pairs.

Run: .venv/bin/python benchmarks/calendar_check.py
Each date is converted directly (persiantools via fa_policy_nlp.calendar) and as text ``D MONTHNAME YYYY``
(Persian digits) through ``fa_policy_nlp.dates.parse_date``. Reads ../shared/eval/calendar (evaluation only).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fa_policy_nlp.calendar import gregorian_to_hijri, gregorian_to_jalali, hijri_to_gregorian, jalali_to_gregorian
from fa_policy_nlp.dates import parse_date
from fa_policy_nlp.resources import load_yaml

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "calendar"
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
NAMES = load_yaml("dates.yaml")


def written(d: int, table: str, m: int, y: int) -> str:
    return f"{d} {NAMES[table][m][0]} {y}".translate(FA)


def main() -> int:
    if not SHARED.exists():
        print(f"{SHARED} not found: nothing to check")
        return 0
    rows = []
    for line in (SHARED / "kabise.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            y, iso = line.split()
            rows.append((int(y.rstrip("*")), y.endswith("*"), dt.date.fromisoformat(iso)))
    results: dict[str, list[bool]] = {k: [] for k in (
        "kabise 1 Farvardin: jalali_to_gregorian", "kabise 1 Farvardin: parse_date text",
        "kabise last day of Esfand: parse_date text", "kabise leap marks = year length",
        "kabise gregorian_to_jalali(1 Farvardin)",
        "ICU jalali->gregorian: parse_date text", "ICU gregorian->jalali: parse_date text",
        "ICU gregorian_to_jalali", "tabular Hijri round trip 1900-2100 (days)")}
    for (y, leap, first), nxt in zip(rows, rows[1:] + [None]):
        results["kabise 1 Farvardin: jalali_to_gregorian"].append(jalali_to_gregorian(y, 1, 1) == first)
        results["kabise gregorian_to_jalali(1 Farvardin)"].append(gregorian_to_jalali(first) == (y, 1, 1))
        p = parse_date(written(1, "jalali_months", 1, y))
        results["kabise 1 Farvardin: parse_date text"].append(p is not None and p.start_date == first)
        if nxt is not None:
            last = nxt[2] - dt.timedelta(days=1)
            p = parse_date(written(30 if leap else 29, "jalali_months", 12, y))
            results["kabise last day of Esfand: parse_date text"].append(p is not None and p.start_date == last)
            results["kabise leap marks = year length"].append((nxt[2] - first).days == (366 if leap else 365))
    lines = (SHARED / "icu_persian_mapping.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in filter(str.strip, lines):
        gy, gm, gd, py, pm, pd = (int(x) for x in line.split("\t"))
        g = dt.date(gy, gm, gd)
        p = parse_date(written(pd, "jalali_months", pm, py))
        results["ICU jalali->gregorian: parse_date text"].append(p is not None and p.start_date == g)
        p = parse_date(written(gd, "gregorian_months", gm, gy))
        results["ICU gregorian->jalali: parse_date text"].append(
            p is not None and p.jalali == f"{py:04d}-{pm:02d}-{pd:02d}")
        results["ICU gregorian_to_jalali"].append(gregorian_to_jalali(g) == (py, pm, pd))
    d = dt.date(1900, 1, 1)
    while d <= dt.date(2100, 12, 31):
        results["tabular Hijri round trip 1900-2100 (days)"].append(hijri_to_gregorian(*gregorian_to_hijri(d)) == d)
        d += dt.timedelta(days=1)
    width = max(map(len, results))
    print(f"{'check':<{width}}  {'rows':>6}  {'exact':>6}  {'%':>7}")
    print("-" * (width + 25))
    ok = True
    for name, vals in results.items():
        n, good = len(vals), sum(vals)
        ok &= n == good
        print(f"{name:<{width}}  {n:>6}  {good:>6}  {100 * good / max(n, 1):>6.2f}%")
    print("\nall exact" if ok else "\nMISMATCHES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
