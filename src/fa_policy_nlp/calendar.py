"""Calendar helpers.

* Solar Hijri (Jalali) <-> Gregorian through persiantools (MIT; exact on the official 1206–1498 leap-year table,
  checked by ``benchmarks/calendar_check.py`` and ``tests/test_calendar.py``).
* Lunar Hijri <-> Gregorian with the *tabular* (arithmetical) Islamic calendar — 30-year cycle with leap years
  2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 and the civil epoch 16 July 622 (Julian), as in Reingold & Dershowitz,
  *Calendrical Calculations*. Iran's official lunar calendar follows moon sighting, so a converted day may differ
  by ±1–2 days from the official one.
* Jalali period arithmetic (month/year bounds, adding months or years with the day clamped) and
  :func:`parse_published`.
"""

from __future__ import annotations

import datetime as _dt
import re

from persiantools.jdatetime import JalaliDate

from .errors import InputError

__all__ = [
    "jalali_to_gregorian",
    "gregorian_to_jalali",
    "jalali_month_days",
    "jalali_month_bounds",
    "jalali_year_bounds",
    "add_jalali_months",
    "hijri_to_gregorian",
    "gregorian_to_hijri",
    "hijri_month_days",
    "hijri_month_bounds",
    "hijri_year_bounds",
    "parse_published",
]

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")


# --- Solar Hijri ------------------------------------------------------------------------------------------

def jalali_to_gregorian(year: int, month: int, day: int) -> _dt.date:
    """Gregorian date of a Jalali date; raises ``ValueError`` for an invalid Jalali date."""
    return JalaliDate(year, month, day).to_gregorian()


def gregorian_to_jalali(date: _dt.date) -> tuple[int, int, int]:
    j = JalaliDate(date)
    return j.year, j.month, j.day


def jalali_month_days(year: int, month: int) -> int:
    """Days in a Jalali month (31 for months 1–6, 30 for 7–11, 29 or 30 for Esfand)."""
    return JalaliDate.days_in_month(month, year)


def jalali_month_bounds(year: int, month: int) -> tuple[_dt.date, _dt.date]:
    """First and last Gregorian day of a Jalali month."""
    return jalali_to_gregorian(year, month, 1), jalali_to_gregorian(year, month, jalali_month_days(year, month))


def jalali_year_bounds(year: int) -> tuple[_dt.date, _dt.date]:
    """First and last Gregorian day of a Jalali year (1 Farvardin .. 29/30 Esfand)."""
    return jalali_to_gregorian(year, 1, 1), jalali_to_gregorian(year + 1, 1, 1) - _dt.timedelta(days=1)


def add_jalali_months(date: _dt.date, months: int) -> _dt.date:
    """``date`` moved by ``months`` Jalali months (negative = back), the day clamped to the month's length.

    ``add_jalali_months(date(2025, 10, 6), -12)`` (14 Mehr 1404) is 14 Mehr 1403 = 2024-10-05.
    """
    y, m, d = gregorian_to_jalali(date)
    total = y * 12 + (m - 1) + months
    ny, nm = divmod(total, 12)
    nm += 1
    return jalali_to_gregorian(ny, nm, min(d, jalali_month_days(ny, nm)))


# --- Lunar Hijri (tabular) --------------------------------------------------------------------------------

_ISLAMIC_EPOCH = _dt.date(622, 7, 19).toordinal()  # = Julian 16 July 622 (R.D. 227015)


def _islamic_leap(year: int) -> bool:
    return (14 + 11 * year) % 30 < 11


def hijri_month_days(year: int, month: int) -> int:
    """Days in a month of the tabular Islamic calendar (odd months 30, even 29, Dhu al-Hijja 30 in leap years)."""
    if not 1 <= month <= 12:
        raise ValueError(f"Hijri month must be 1..12, not {month}")
    if month == 12 and _islamic_leap(year):
        return 30
    return 30 if month % 2 == 1 else 29


def hijri_to_gregorian(year: int, month: int, day: int) -> _dt.date:
    """Gregorian date of a lunar Hijri date in the tabular Islamic calendar (may differ ±1–2 days from sighting)."""
    if year < 1 or not 1 <= day <= hijri_month_days(year, month):
        raise ValueError(f"invalid Hijri date {year}-{month}-{day}")
    rd = (day + 29 * (month - 1) + (6 * month - 1) // 11 + (year - 1) * 354 + (3 + 11 * year) // 30
          + _ISLAMIC_EPOCH - 1)
    return _dt.date.fromordinal(rd)


def gregorian_to_hijri(date: _dt.date) -> tuple[int, int, int]:
    """Tabular Islamic (lunar Hijri) date of a Gregorian date."""
    rd = date.toordinal()
    year = (30 * (rd - _ISLAMIC_EPOCH) + 10646) // 10631
    prior = rd - hijri_to_gregorian(year, 1, 1).toordinal()
    month = (11 * prior + 330) // 325
    day = rd - hijri_to_gregorian(year, month, 1).toordinal() + 1
    return year, month, day


def hijri_month_bounds(year: int, month: int) -> tuple[_dt.date, _dt.date]:
    return hijri_to_gregorian(year, month, 1), hijri_to_gregorian(year, month, hijri_month_days(year, month))


def hijri_year_bounds(year: int) -> tuple[_dt.date, _dt.date]:
    return hijri_to_gregorian(year, 1, 1), hijri_to_gregorian(year + 1, 1, 1) - _dt.timedelta(days=1)


# --- Publication dates ------------------------------------------------------------------------------------

def parse_published(value: object) -> _dt.date | None:
    """Accept ``None``, a ``date``/``datetime``, ISO ``2025-10-06`` or Jalali ``1404-07-14`` (any digits).

    A year below 1700 is read as Solar Hijri. Raises :class:`InputError` for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"published must be a date or an ISO/Jalali date string, not {type(value).__name__}")
    m = _ISO.match(value.translate(_DIGITS))
    if not m:
        raise InputError(f"published date {value!r} is neither ISO (2025-10-06) nor Jalali (1404-07-14)")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return jalali_to_gregorian(y, mo, d) if y < 1700 else _dt.date(y, mo, d)
    except ValueError as exc:
        raise InputError(f"published date {value!r} is not a valid date: {exc}") from exc
