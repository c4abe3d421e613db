"""Calendar helpers: Solar Hijri (Jalali) <-> Gregorian through persiantools, and publication-date parsing."""

from __future__ import annotations

import datetime as _dt
import re

from persiantools.jdatetime import JalaliDate

from .errors import InputError

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")


def jalali_to_gregorian(year: int, month: int, day: int) -> _dt.date:
    return JalaliDate(year, month, day).to_gregorian()


def gregorian_to_jalali(date: _dt.date) -> tuple[int, int, int]:
    j = JalaliDate(date)
    return j.year, j.month, j.day


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
