"""Figures stage: stated quantities with value, unit, kind, currency, qualifier and relations.

``۱۱۶ همت`` → value 1.16e14, unit ``تومان``, currency ``IRT``, kind ``money``;
``بیش از ۱ میلیون و ۳۰۰ هزار نفر`` → 1,300,000 ``نفر`` with qualifier ``بیش از``.

How it works: :func:`numbers.scan_numbers` finds number expressions in the normalised text (one linear pass); for
each, the words right after it are read to find the unit (percent, currency scale words such as ``همت``,
currencies, measures, durations, counted nouns from ``data/units.yaml``, else a generic noun that is not a function
word from ``data/figures.yaml``), the words right before it give the qualifier, and neighbouring numbers give
relations (``۶۰ پروژه از ۵۶۰ پروژه`` part of a total, ``بین ۱۰ تا ۲۰ درصد`` a range, ``۱۵ درصد کاهش`` a change).
Numbers in dates (``سال ۱۴۰۴``, ``۱۱ اردیبهشت ۱۴۰۵``, ``۱۴۰۴/۰۷/۱۴``), identifiers (``ماده ۱۲``) and bare numbers
without a unit are not figures. Ordinals are reported with ``kind="ordinal"`` (never as counts).

Values: ``int`` when integral, ``float`` otherwise (``۲.۵ درصد`` → 2.5); a range has ``value=None`` and its bounds
in ``related``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from .errors import ResourceError, require_str
from .keys import match_key, word_key
from .numbers import NumberMatch, scan_numbers
from .resources import load_yaml
from .types import Figure

__all__ = ["FigureExtractor", "extract_figures"]

_LETTER = r"(?:[^\W\d_]|[\u064b-\u065f\u0670])"
_WORD_SRC = rf"{_LETTER}+(?:\u200c+{_LETTER}+)*|[%\u066a]"
_SPACE = "[ \\t\\u00a0\\u200c\\u200e\\u200f\\u202f]*"
_WORD = re.compile(_WORD_SRC)
_GAP = re.compile(_SPACE)
_LOOKBACK = 80  # characters of context read before a number
_GAP_CHARS = frozenset(" \t\u00a0\u200c\u200e\u200f\u202f")


_key = word_key  # match_key of words read around numbers (shared bounded memo)


class _W(NamedTuple):
    """A word read around a number (a tuple: cheaper to build than a frozen dataclass)."""

    start: int
    end: int
    text: str
    key: str


_new_tuple = tuple.__new__  # _new_tuple(_W, (start, end, text, key)) is _W(...) without its Python-level __new__


def _words_after(text: str, pos: int, k: int) -> list[_W]:
    """Up to ``k`` words right after ``pos`` (each after the previous one across spaces/ZWNJ only), read by one
    match of ``_chain`` (the same words as ``_SPACE`` + a word matched one at a time)."""
    rx = _WORDS_AFTER.get(k)
    if rx is None:
        rx = _WORDS_AFTER[k] = _chain(k, _SPACE, _WORD_SRC)
    m = rx.match(text, pos)
    if m is None:
        return []
    out: list[_W] = []
    span = m.span
    for i, w in enumerate(m.groups(), 1):
        if w is None:
            break
        s, e = span(i)
        out.append(_new_tuple(_W, (s, e, w, _key(w))))
    return out


def _chain(k: int, gap: str, word: str) -> re.Pattern:
    """Up to ``k`` words, each after ``gap``, as nested optional groups (group i: the i-th word). A word is a maximal
    run, so no later group can make an earlier one match less: the groups are the words read one at a time."""
    src = ""
    for _ in range(k):
        src = f"{gap}({word})" + (f"(?:{src})?" if src else "")
    return re.compile(src)


_WORDS_AFTER: dict[int, re.Pattern] = {}  # k -> _chain of up to k words


_AFTER_READ = 3  # words read once after a number (_figure): the unit's and, from them, the two after the unit


def _words_after_end(text: str, pos: int, ws: list[_W], end: int) -> list[_W]:
    """``_words_after(text, end, 2)``, taken from ``ws = _words_after(text, pos, _AFTER_READ)`` when it holds them.

    ``end`` is ``pos`` or the end of a word of ``ws`` (where a unit ends). The words after a word of that chain are
    the rest of the chain, read the same way from there; a chain shorter than ``_AFTER_READ`` stopped because no
    further word follows, so its rest is complete. Otherwise (too few left, or another ``end``) they are read.
    """
    if end == pos:
        rest = ws[:2]
    else:
        for i, w in enumerate(ws):
            if w.end == end:
                rest = ws[i + 1:i + 3]
                break
        else:
            return _words_after(text, end, 2)
    if len(rest) == 2 or len(ws) < _AFTER_READ:
        return rest
    return _words_after(text, end, 2)


# a word of the reversed text (the pattern is its own mirror image)
_WORD_REV_SRC = rf"[%\u066a]|{_LETTER}+(?:\u200c+{_LETTER}+)*"
_reversed_text: tuple[str, str] = ("", "")  # (text, text[::-1]) of the last text read backwards; one atomic tuple


_WORDS_REV: dict[int, re.Pattern] = {}  # k -> _chain over the reversed text (gaps possessive: no word char in them)


def _word_right_before(text: str, pos: int) -> bool:
    """Whether a word character (letter, percent sign, diacritic) precedes ``pos`` across spaces/ZWNJ only."""
    p = pos
    while p > 0 and text[p - 1] in _GAP_CHARS:
        p -= 1
    ch = text[p - 1] if p else ""
    return bool(ch) and (ch.isalpha() or ch in "%\u066a" or "\u064b" <= ch <= "\u065f" or ch == "\u0670")


def _words_before(text: str, pos: int, k: int) -> list[_W]:
    """Up to ``k`` words right before ``pos`` (nearest last), separated only by spaces/ZWNJ.

    The words are those of ``_WORD.finditer`` over the ``_LOOKBACK`` characters before ``pos`` (a word touching
    that window's start counts as cut off and ends the list). Fast path: instead of scanning the window
    forwards, the words are read backwards, by one match of ``_chain`` on the reversed text from ``pos`` to the
    window's start: a word is a maximal run of letters joined by ZWNJ, or one percent sign, so reading the run
    from its end finds the same word. When a run reaches back to the window's start (where the forward scan may
    cut it differently), the forward scan is used.
    """
    global _reversed_text
    if not _word_right_before(text, pos):
        return []  # fast path: no word right before
    lo = max(0, pos - _LOOKBACK)
    cached = _reversed_text
    if cached[0] is not text:
        cached = _reversed_text = (text, text[::-1])
    rev = cached[1]
    n = len(text)
    rx = _WORDS_REV.get(k)
    if rx is None:
        rx = _WORDS_REV[k] = _chain(k, f"[{''.join(sorted(_GAP_CHARS))}]*+", _WORD_REV_SRC)
    m = rx.match(rev, n - pos, n - lo)
    if m is None:
        return []
    out: list[_W] = []
    span = m.span
    for i, w in enumerate(m.groups(), 1):
        if w is None:
            break
        a, b = span(i)
        s = n - b
        if s <= lo:
            return _words_before_scan(text, pos, k)
        w = w[::-1]
        out.append(_new_tuple(_W, (s, n - a, w, _key(w))))
    out.reverse()
    return out


def _words_before_scan(text: str, pos: int, k: int) -> list[_W]:
    """:func:`_words_before` by scanning the window forwards (the definition)."""
    if not _word_right_before(text, pos):
        return []  # fast path: no word right before
    lo = max(0, pos - _LOOKBACK)
    found = list(_WORD.finditer(text, lo, pos))
    out: list[_W] = []
    end = pos
    for m in reversed(found):
        if len(out) >= k or _GAP.fullmatch(text, m.end(), end) is None:
            break
        if m.start() == lo and lo > 0:
            break  # may be cut off
        w = m.group()
        out.append(_W(m.start(), m.end(), w, _key(w)))
        end = m.start()
    out.reverse()
    return out


def _keys(items) -> set[str]:
    return {match_key(str(x)) for x in items}


class _Data:
    def __init__(self) -> None:
        units = load_yaml("units.yaml")
        fig = load_yaml("figures.yaml")
        self.currencies = {match_key(k): (v[0], v[1]) for k, v in units["currencies"].items()}
        self.currency_scales = {match_key(k): (int(v[0]), v[1], v[2]) for k, v in units["currency_scales"].items()}
        self.percent = _keys(units["percent"])
        self.percent_unit = units["percent"][0]
        self.percent_points = {match_key(k): k for k in units["percent_points"]}
        self.light_verbs = _keys(fig["light_verbs"])
        self.measures = {match_key(k): v for k, v in units["measures"].items()}
        self.time_units = {match_key(k): v for k, v in units["time_units"].items()}
        self.counted = {match_key(k): k for k in units["counted"]}
        self.classifiers = _keys(units["classifiers"])
        self.qualifiers: dict[str, tuple[str, bool]] = {}
        for k, v in fig["qualifiers"].items():  # first spelling of a key is the canonical one
            self.qualifiers.setdefault(match_key(k), (k, bool(v)))
        self.adj_suffixes = sorted((match_key(x) for x in units["adjective_suffixes"]), key=len, reverse=True)
        self.qual_len = max(len(k.split()) for k in fig["qualifiers"])
        self.range_open = {match_key(k): v for k, v in fig["range_open"].items()}
        self.range_sep = _keys(fig["range_sep"])
        self.time_adj_suffixes = sorted((match_key(x) for x in units["time_adjective_suffixes"]), key=len,
                                        reverse=True)
        self.month_suffix = match_key(fig["month_suffix"])
        self.time_of_day = _keys(fig["time_of_day"])
        self.weekday_words = _keys(fig["weekday_words"])
        self.part_of = _keys(fig["part_of"])
        self.change = {match_key(w): d for d, ws in fig["change"].items() for w in ws}
        self.not_before = _keys(fig["not_before"])
        self.vague_before = _keys(fig["vague_before"])
        self.relative_time = _keys(fig["relative_time"])
        self.months = _keys(fig["months"]) | _dates_months()
        self.eras = _keys(fig["eras"])
        self.function_words = _keys(fig["function_words"])
        nums = load_yaml("numbers.yaml")
        self.number_words = _keys([*nums["cardinals"], *nums["scales"], *nums["ordinals"], *nums["negative"],
                                   *nums["half"], *nums["point"]])
        # verb prefixes (written with ZWNJ) rejected by the generic noun fallback
        self.verb_prefix_raw = tuple(fig["verb_prefixes"])


def _dates_months() -> set[str]:
    """Month names of the dates stage (data/dates.yaml), when that file is there: one vocabulary for both."""
    try:
        dates = load_yaml("dates.yaml")
    except ResourceError:
        return set()
    out: set[str] = set()
    for table in ("jalali_months", "gregorian_months", "hijri_months"):
        for names in (dates.get(table) or {}).values() if isinstance(dates, dict) else ():
            out |= _keys(names if isinstance(names, list) else [names])
    return out


@lru_cache(maxsize=1)
def _data() -> _Data:
    return _Data()


_MISSING = object()
_UNIT_MEMO_MAX = 50_000  # (first word, second key) pairs kept by FigureExtractor._unit (cleared when full)


@dataclass(slots=True)
class _Unit:
    end: int  # end offset (normalised text) of the unit words
    unit: str | None
    kind: str
    currency: str | None = None
    mult: int = 1
    lexicon: bool = True


def _to_value(v: Any) -> int | float | None:
    if v is None:
        return None
    if isinstance(v, int):
        return v
    f = Fraction(v)
    if f.denominator == 1:
        return int(f.numerator)
    return float(f)


class FigureExtractor:
    """The figures stage: ``FigureExtractor()(doc)`` sets ``doc.article.figures``. Build once, reuse."""

    def __init__(self) -> None:
        self.data = _data()
        self._unit_memo: dict[tuple[str, str | None], tuple | None] = {}  # see _unit

    # ------------------------------------------------------------------------------------------ public
    def __call__(self, doc) -> None:
        sentences = getattr(doc.article, "sentences", None) or []
        doc.article.figures = self.extract(doc.nt, [s.start for s in sentences] if sentences else None)

    def extract(self, nt, sentence_starts: list[int] | None = None) -> list[Figure]:
        """Figures in a :class:`normalize.NormalizedText` (raw offsets); with the sentences' raw start offsets,
        each figure's ``sentence`` is set."""
        text = nt.text
        matches = scan_numbers(text)
        out: list[Figure] = []
        skip_until = -1
        for i, m in enumerate(matches):
            if m.start < skip_until:
                continue
            nxt = matches[i + 1] if i + 1 < len(matches) else None
            fig, consumed_next = self._figure(text, m, nxt)
            if fig is None:
                continue
            raw_end = nt.to_raw(m.start, m.end)[1]
            if nt.raw[raw_end:raw_end + 1] == "\u0640":
                continue  # "۲ــ" (number, tatweel): a list item marker; the normaliser drops the tatweel
            s, e, fields = fig
            sp = nt.span(s, e)
            sent = None if sentence_starts is None else max(0, bisect.bisect_right(sentence_starts, sp.start) - 1)
            out.append(Figure(text=sp.text, start=sp.start, end=sp.end, norm=sp.norm, sentence=sent, **fields))
            if consumed_next:
                skip_until = e
        out.sort(key=lambda f: (f.start, f.end))
        return out

    # ------------------------------------------------------------------------------------------ internals
    def _unit(self, text: str, m: NumberMatch, ws: list[_W] | None = None) -> _Unit | None:
        """The unit right after number ``m``; ``None`` when there is none; kind ``"date"`` for a date. ``ws``: the
        words after it if already read (``_words_after(text, m.end, _AFTER_READ)``; only the first two are used).

        Memoised: :meth:`_unit_of` reads nothing of ``ws`` but the first word's text and key (its key is
        ``_key(text)``), the second word's key, and the ends of these two words, which only become the unit's end.
        So its answer for one (first text, second key) is that answer with the ends of the words at hand: the memo
        keeps which word the unit ends at and the other fields. Running text repeats its units (درصد, میلیارد).
        """
        if ws is None:
            ws = _words_after(text, m.end, _AFTER_READ)
        if not ws:
            return None
        memo = self._unit_memo
        key = (ws[0].text, ws[1].key if len(ws) > 1 else None)
        spec = memo.get(key, _MISSING)
        if spec is _MISSING:
            u = self._unit_of(ws)
            spec = None if u is None else (0 if u.end == ws[0].end else 1, u.unit, u.kind, u.currency, u.mult,
                                           u.lexicon)
            if len(memo) >= _UNIT_MEMO_MAX:
                memo.clear()
            memo[key] = spec
        if spec is None:
            return None
        i, unit, kind, currency, mult, lexicon = spec
        return _Unit(ws[i].end, unit, kind, currency, mult, lexicon)

    def _unit_of(self, ws: list[_W]) -> _Unit | None:
        """:meth:`_unit` from the (non-empty) words after the number, computed."""
        d = self.data
        w0 = ws[0]
        two = w0.key + ws[1].key if len(ws) > 1 else None  # = match_key(w0.text + ws[1].text): it works per char
        if w0.key in d.months or w0.key in d.eras or w0.key in d.time_of_day or w0.key in d.weekday_words or (
                w0.key.endswith(d.month_suffix) and w0.key[: -len(d.month_suffix)] in d.months):
            return _Unit(w0.end, None, "date")
        if two is not None and two in d.percent_points:
            return _Unit(ws[1].end, d.percent_points[two], "percent")  # ۴ واحد درصد: percentage points
        if w0.key in d.percent:
            return _Unit(w0.end, d.percent_unit, "percent")
        if w0.key in d.currency_scales:
            mult, cur, unit = d.currency_scales[w0.key]
            return _Unit(w0.end, unit, "money", cur, mult)
        # two-word units first (واحد تولیدی, دلار آمریکا), then one word, then adjectival forms (یورویی, نفری)
        tables = ((d.currencies, "money"), (d.measures, "measure"), (d.counted, "count"))
        cands = [(two, ws[1].end)] if two is not None else []
        cands.append((w0.key, w0.end))
        cands += [(w0.key[: -len(x)], w0.end) for x in d.adj_suffixes
                  if w0.key.endswith(x) and len(w0.key) > len(x) + 1]
        for key, end in cands:
            for table, kind in tables:
                if key in table:
                    v = table[key]
                    return _Unit(end, v[1], kind, v[0]) if kind == "money" else _Unit(end, v, kind)
        tu = w0.key if w0.key in d.time_units else next(
            (w0.key[: -len(x)] for x in d.time_adj_suffixes
             if w0.key.endswith(x) and w0.key[: -len(x)] in d.time_units), None)  # ده روزه, چهار هفته‌ای
        if tu is not None:
            if len(ws) > 1 and ws[1].key in d.relative_time:
                return _Unit(ws[1].end, None, "date")
            return _Unit(w0.end, d.time_units[tu], "measure", lexicon=False)
        if self._generic_noun(w0) and not (len(ws) > 1 and ws[1].key in d.light_verbs):
            # (a word followed by a light verb is the verb's complement: ۱۷ صادر شده, ۷ عنوان کرد)
            return _Unit(w0.end, w0.text, "count", lexicon=False)
        return None

    def _generic_noun(self, w: _W) -> bool:
        d = self.data
        k = w.key
        if (len(k) < 2 or k in d.function_words or k in d.number_words or k in d.months or k in d.change
                or k in d.range_sep or k in d.qualifiers):
            return False
        if w.text.startswith(d.verb_prefix_raw):
            return False
        return True

    def _qualifier(self, text: str, start: int, prev: list[_W]) -> tuple[str | None, bool, int]:
        """Qualifier words right before ``start``: (qualifier, approximate, qualifier start). ``prev``: the word
        right before it (``_words_before(text, start, 1)``); when there is none, there are none at all."""
        d = self.data
        if not prev:
            return None, False, start
        before = _words_before(text, start, d.qual_len)
        keys = [w.key for w in before]
        for n in range(len(before), 0, -1):
            key = "".join(keys[-n:])
            if key in d.qualifiers:
                canon, approx = d.qualifiers[key]
                return canon, approx, before[-n].start
        return None, False, start

    def _change(self, text: str, end: int, start: int, after: list[_W] | None = None,
                before: list[_W] | None = None) -> str | None:
        """Direction of a change word right after ``end`` or right before ``start``. ``after``/``before``: the
        words there if already read (2 after, 1 before)."""
        d = self.data
        if after is None:
            after = _words_after(text, end, 2)
        if after and after[0].key in d.change:
            if len(after) > 1 and after[0].key + after[1].key in d.qualifiers:
                return None  # "کمتر از ۴ متر": a qualifier of the next number, not a change
            return d.change[after[0].key]
        if before is None:
            before = _words_before(text, start, 1)
        if before and before[0].key in d.change:
            return d.change[before[0].key]
        return None

    def _figure(self, text: str, m: NumberMatch, nxt: NumberMatch | None):
        d = self.data
        if m.value is None or m.kind == "date" or m.code:
            return None, False
        prev = _words_before(text, m.start, 1)
        if prev and prev[0].key in d.vague_before:
            return None, False  # صدها میلیون دلار, چند هزار نفر
        blocked = bool(prev) and (prev[0].key in d.not_before or prev[0].key in d.months)
        if m.kind == "ordinal":
            if blocked:
                return None, False
            if m.value == 1 and m.words:
                return None, False  # اول / نخست: too ambiguous (اول مهر, نخست وزیر)
            unit = self._unit(text, m, _words_after(text, m.end, _AFTER_READ))
            if unit is not None and unit.kind == "date":
                return None, False
            return (m.start, m.end, {"value": _to_value(m.value), "unit": None, "kind": "ordinal"}), False
        ws = _words_after(text, m.end, _AFTER_READ)
        unit = self._unit(text, m, ws)
        if unit is not None and unit.kind == "date":
            return None, False
        year_like = (m.digits and not m.words and not m.scaled and isinstance(m.value, int)
                     and (1300 <= m.value <= 1499 or 1900 <= m.value <= 2100))
        if blocked and (unit is None or not unit.lexicon or unit.kind == "measure"):
            return None, False  # سال ۱۴۰۴, ماده ۱۲ قانون, ساعت ۱۰ صبح (but: این جلسه ۱۰ نفر)
        if unit is not None and not unit.lexicon and (m.ambiguous or year_like):
            unit = None
        if m.ambiguous and unit is None:
            return None, False
        if m.ambiguous and m.value == 1 and unit.kind == "count" and match_key(unit.unit or "") not in d.classifiers:
            return None, False  # یک کشور خارجی: "a country" (indefinite article), but یک نفر, یک دستگاه
        if m.kind == "fraction" and (unit is None or unit.kind == "count"):
            return None, False  # یک سوم دانشجویان: a share of a group, not a count
        relation = related = None
        consumed = False
        end = unit.end if unit else m.end
        start = m.start
        # Words right after ``end`` are read once, two of them (what the range, part-of and change checks read;
        # reading one word gives the first of these two): ``after_end`` holds them for this ``end``.
        after_end = None
        # range: (بین) ۱۰ تا ۲۰ درصد, ۱۰ درصد تا ۲۰ درصد
        if nxt is not None and nxt.value is not None and nxt.kind == "cardinal":
            after_end = _words_after_end(text, m.end, ws, end)
            between = after_end[:1]
            if between and between[0].key in d.range_sep and _GAP.fullmatch(text, between[0].end, nxt.start):
                unit2 = self._unit(text, nxt)
                if unit2 is not None and unit2.kind != "date" and (unit is None or unit.unit == unit2.unit):
                    unit = unit2
                    relation = "range"
                    low = m.value
                    if not m.scaled and nxt.scale and low * nxt.scale <= nxt.value:
                        low = low * nxt.scale  # ۵ تا ۹ میلیون: the scale word serves both bounds
                    related = {"low": _to_value(low * unit.mult), "high": _to_value(nxt.value * unit.mult)}
                    end = unit.end
                    after_end = None  # (not read again: a range has its relation)
                    consumed = True
        if unit is None:
            if m.scaled and not m.ambiguous:
                unit = _Unit(m.end, None, "count")
            else:
                # ۶۰ از ۵۶۰ پروژه: the unit comes with the total
                return None, False
        qual, approx, _qs = self._qualifier(text, start, prev)
        if relation == "range":
            before = prev  # the words right before start (= m.start), read above
            if before and before[0].key in d.range_open:
                qual, approx = d.range_open[before[0].key], False
        value = None if relation == "range" else _to_value(m.value * unit.mult)
        # part of a total: ۶۰ پروژه از ۵۶۰ پروژه
        if relation is None and nxt is not None and nxt.value is not None and nxt.kind == "cardinal":
            between = after_end  # read above for this end (the range check ran: same condition)
            for n in (2, 1):  # از مجموع ۵۶۰, از ۵۶۰
                if len(between) >= n and "".join(w.key for w in between[:n]) in d.part_of and _GAP.fullmatch(
                        text, between[n - 1].end, nxt.start):
                    unit2 = self._unit(text, nxt)
                    if unit2 is not None and unit2.kind == unit.kind and unit2.unit == unit.unit:
                        relation, related = "part_of", {"total": _to_value(nxt.value * unit2.mult)}
                    break
        if relation is None:
            if after_end is None:
                after_end = _words_after_end(text, m.end, ws, end)
            direction = self._change(text, end, start if qual is None else _qs, after_end,
                                     prev if qual is None else None)
            if direction is not None:
                relation, related = "change", {"direction": direction}
        fields = {"value": value, "unit": unit.unit, "kind": unit.kind, "currency": unit.currency,
                  "qualifier": qual, "approximate": approx, "relation": relation, "related": related}
        return (start, end, fields), consumed


def extract_figures(text: str) -> list[Figure]:
    """Figures in plain text (normalised internally; offsets point into ``text``).

    >>> text = "وزیر کشور گفت: بیش از ۱ میلیون و ۳۰۰ هزار نفر خارج شدند و ۱۱۶ همت سرمایه جذب شد."
    >>> [(f.text, f.value, f.unit, f.currency, f.qualifier) for f in extract_figures(text)]
    [('۱ میلیون و ۳۰۰ هزار نفر', 1300000, 'نفر', None, 'بیش از'), ('۱۱۶ همت', 116000000000000, 'تومان', 'IRT', None)]
    """
    from .normalize import default_normalizer

    text = require_str(text)
    return _extractor().extract(default_normalizer().normalize_with_offsets(text))


@lru_cache(maxsize=1)
def _extractor() -> FigureExtractor:
    return FigureExtractor()

