"""Dates stage: find date expressions and resolve them to Gregorian intervals.

How it works (linear in the input, no backtracking regex):

1. *Tokens*: one compiled regex splits the normalised text into words (ZWNJ-joined parts kept together), numeric
   dates (``۱۴۰۴/۰۷/۰۱``), clock times and dotted calendar abbreviations.
2. *Atoms*: runs of up to a few adjacent tokens are looked up, by :func:`keys.match_key` of their concatenation,
   in a table built once from ``data/dates.yaml`` (months of three calendars, weekdays, seasons, relative words,
   units, directions, part-of-period words, number words). Because the key drops spaces and ZWNJ,
   ``سه شنبه`` / ``سه‌شنبه`` / ``سهشنبه`` and ``اردیبهشت ماه`` / ``اردیبهشت‌ماه`` are the same atom, so matching
   works on raw text and on ZWNJ-restored normalised text alike.
3. *Grammar*: a small hand-written parser combines adjacent atoms (left to right, longest rule wins) into a
   mention and resolves it against the reference (publication) date.

Policies (documented in the README):

* Day+month without a year takes the reference's year (``relative=True``); without a reference it keeps
  ``jalali``/dates ``None``.
* Ambiguous month names (``مهر``, ``تیر``, ``دی``…) need a day before, a year after or the word ``ماه``.
* A bare 4-digit number is a year only after ``سال``/``دهه``, in a date shape, or with a calendar word
  (``۲۰۲۵ میلادی``). A 2-digit year after ``سال`` or a Jalali month means 13NN (50–99) or 14NN (00–10);
  11–49 are not read as years (``۱۱ اردیبهشت ۱۲ نفر``).
* ``N روز/هفته/ماه/سال گذشته|اخیر`` is the interval from N units before the reference up to it (Jalali month
  arithmetic: ``یک سال گذشته`` on 14 Mehr 1404 starts on 14 Mehr 1403); ``… آینده`` the interval after it.
  ``N روز پیش/قبل`` (``بعد/دیگر``) is a point of the unit's granularity (a day, the week, the Jalali month…).
  Without N: ``سال گذشته`` is the previous Jalali year, ``ماه آینده`` the next month, ``هفته جاری`` this week
  (weeks run Saturday–Friday).
* A weekday alone is that day in the reference's week; ``دوشنبه گذشته``/``آینده`` the previous/next one.
* ``ابتدای X`` when X contains the reference (``ابتدای امسال``) is the interval from X's start up to the
  reference ("since the start of"); otherwise its first tenth. ``اوایل``/``اواسط``/``اواخر`` are thirds,
  ``پایان`` the last tenth, ``نیمه اول/دوم`` halves (of a Jalali year: Farvardin–Shahrivar, Mehr–Esfand),
  ``نیمه`` of a month its 15th day; ``دهه اول/دوم/آخر MONTH`` ten-day parts; ``سه ماهه نخست امسال`` blocks of
  months; ``X تاکنون`` the interval from X up to the reference.
* ``N روز قبل/بعد از EVENT`` counts from an event, not from the reference: kept with ``relative=True`` and no dates.
* Decades and centuries are Jalali unless a calendar word follows (``دهه ۹۰`` = 1390–1399, ``قرن بیستم میلادی``).
* Lunar Hijri dates use the tabular Islamic calendar (±1–2 days from Iran's official sighting); a Hijri month
  without a year takes the reference's Hijri year.
* ``jalali`` is as precise as stated (``1405-02-11``, ``1404-07``, ``1404``); for ranges it is ``A/B``; for
  Gregorian/Hijri days it is the converted Jalali day, for their months and years ``None``.
* Time expressions are not dates; :func:`find_time_spans` finds them for the parstdex span benchmark only.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .calendar import (
    add_jalali_months,
    gregorian_to_hijri,
    gregorian_to_jalali,
    hijri_month_bounds,
    hijri_to_gregorian,
    hijri_year_bounds,
    jalali_month_bounds,
    jalali_to_gregorian,
    jalali_year_bounds,
    parse_published,
)
from .errors import require_str
from .keys import match_key
from .resources import load_yaml
from .types import DateMention

__all__ = ["DateExtractor", "parse_date", "extract_dates", "find_time_spans"]

_DAY = _dt.timedelta(days=1)
_MAX_NUMBER_ATOMS = 12  # longest number phrase looked at ("نهصد و نود و نه هزار و …")
_SHORT_YEAR_MAX = 10  # a 2-digit Jalali year below 50 is read as 14NN only up to 1410
_GAP = re.compile(r"[ \u00a0\u200c\u200e\u200f\t]{0,4}")  # what may separate two tokens of one expression
_KEY_CACHE_MAX = 200_000  # match_key of running-text words, cached per process (cleared when full)
_COMMA_GAP = re.compile(r"[ \u00a0\u200c\u200e\u200f\t]{0,2}[,\u060c][ \u00a0\u200c\u200e\u200f\t]{0,2}")


# --------------------------------------------------------------------------------------------------------
# Lexicon (built once per process from data/dates.yaml)
# --------------------------------------------------------------------------------------------------------

class _Lexicon:
    def __init__(self) -> None:
        data = load_yaml("dates.yaml")
        self.table: dict[str, dict[str, Any]] = {}
        self.first_keys: set[str] = set()
        self.max_tokens = 1
        amb = {match_key(w) for w in data["ambiguous_months"]}
        mah = [match_key(w) for w in data["month_word"]]

        for cal, tag in (("jalali_months", "jm"), ("gregorian_months", "gm"), ("hijri_months", "hm")):
            for month, words in data[cal].items():
                for w in words:
                    self._add(w, {tag: int(month), "amb": match_key(w) in amb})
                    if tag == "jm":
                        for m in mah:  # اردیبهشت‌ماه / مهرماه: never ambiguous
                            self._add(w + " " + m, {tag: int(month), "amb": False, "mahsuf": True})
        for w in data["month_word"]:
            self._add(w, {"mahw": True})
        for wd, words in data["weekdays"].items():
            for w in words:
                self._add(w, {"wd": int(wd)})
        for first, words in data["seasons"].items():
            for w in words:
                self._add(w, {"season": int(first)})
        for w in data["season_word"]:
            self._add(w, {"fasl": True})
        for off, words in data["relative_days"].items():
            for w in words:
                self._add(w, {"relday": int(off)})
        for off, words in data["relative_years"].items():
            for w in words:
                self._add(w, {"relyear": int(off)})
        for unit, words in data["units"].items():
            for w in words:
                self._add(w, {"unit": unit})
        for unit, words in data["plural_units"].items():
            for w in words:
                self._add(w, {"punit": unit})
        for kind, words in data["directions"].items():
            for w in words:
                self._add(w, {"dir": kind})
        for w in data["this_words"]:
            self._add(w, {"this": True})
        for kind, words in data["parts"].items():
            for w in words:
                self._add(w, {"part": kind})
        for cal, words in data["calendar_words"].items():
            for w in words:
                self._add(w, {"cal": cal})
        for key, feat in (("range_words", "ta"), ("from_words", "az"), ("day_word", "dayw"),
                          ("year_word", "salw"), ("vague_numbers", "vague")):
            for w in data[key]:
                self._add(w, {feat: True})
        # number words: units, teens, tens, "tens و unit" composites (cardinal and ordinal)
        cards = {int(v): ws for v, ws in data["cardinals"].items()}
        ords = {int(v): ws for v, ws in data["ordinals"].items()}
        ands = data["and_word"]
        for w in ands:
            self._add(w, {"and": True})
        for v, ws in cards.items():
            for w in ws:
                self._add(w, {"card": v})
        for v, ws in ords.items():
            for w in ws:
                self._add(w, {"ord": v})
        for tens in range(20, 100, 10):
            for unit in range(1, 10):
                for tw in cards.get(tens, ()):
                    for a in ands:
                        for uw in cards.get(unit, ()):
                            self._add(f"{tw} {a} {uw}", {"card": tens + unit})
                        for uw in ords.get(unit, ()):
                            self._add(f"{tw} {a} {uw}", {"ord": tens + unit})
        for w in data["not_dates"]:
            self._add(w, {"block": True})
        for w in data["until_now"]:
            self._add(w, {"until_now": True})
        for name, md in data["jalali_holidays"].items():
            self._add(name, {"holiday": tuple(int(x) for x in md)})
        for w in data["month_block_word"]:
            self._add(w, {"mblock": True})
            for v, ws in cards.items():  # سه‌ماهه / سهماهه written as one word
                if v <= 12:
                    for cw in ws:
                        self._add(cw + " " + w, {"mblock": v})
        self.ord_suffixes = tuple(sorted({match_key(s) for s in data["ordinal_suffix"]}, key=len, reverse=True))
        # word -> (match_key(word), may start an atom), filled by _atoms
        self.key_cache: dict[str, tuple[str, bool]] = {}
        # time words (benchmark only)
        tw = data["time_words"]
        for kind in ("hour", "minute", "half", "quarter"):
            for w in tw[kind]:
                self._add(w, {"t_" + kind: True})
        for w in tw["dayparts"]:
            self._add(w, {"t_daypart": True})
        # after the last _add: the seek in _atoms keeps a multi-word look-up running while its keys are a prefix
        # of some key, so every key must be in here (the time words above once were not)
        self.prefixes = {k[:i] for k in self.table for i in range(1, len(k) + 1)}
        abbr = "|".join(p for pats in data["calendar_abbreviations"].values() for p in pats)
        self.abbr_cal = [(re.compile(p), cal) for cal, pats in data["calendar_abbreviations"].items() for p in pats]
        ab = rf"(?<![^\W_])(?:{abbr})(?![^\W_])"
        w = r"[^\W_]+(?:\u200c+[^\W_]+)*"
        self.token_re = re.compile(
            r"(?P<nd>(?<![\d/.\-])\d{1,4}(?P<sep>[/\-.])\d{1,2}(?P=sep)\d{1,4}(?![\d/\-]|\.\d))"
            r"|(?P<tm>(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:]))"
            rf"|(?P<ab>{ab})"
            rf"|(?P<w>{w})"
        )
        # seek_re: from a token boundary, skip (possessively, in C) what _atoms would not keep: characters where no
        # token starts and whole words that start with a letter and are not hot; then the next token exactly as
        # token_re reads it. A word is hot when its match_key is in table/first_keys or starts with a digit:
        # `hot` spells that on raw text (a trie of the keys, each letter a class of the letters match_key folds
        # to it, the letters it drops inside a word — tatweel, hamza, ZWNJ — allowed anywhere).
        # Lazy keys are left out of `hot`: words whose atom starts no rule of the parser (nor of find_time_spans) and
        # begins no multi-word key (و, از, تا, گذشته…). Such an atom is read only as the one after an atom it is
        # joined to (or follows across a comma), so _atoms keeps it only there (see there) and seek_re skips it.
        from .numbers import fold_trie_pattern

        self.lazy, lazy_unless = self._lazy_keys(_START_FEATS | _TIME_START_FEATS)
        drop = "\u0640\u0621\u200c"
        gap = " \u00a0\u200c\u200e\u200f\t"
        keys_trie = fold_trie_pattern((set(self.table) | self.first_keys) - self.lazy - set(lazy_unless), drop,
                                      r"(?![^\W_])")
        # a first key of lazy_unless is hot where one of its rests may follow (across gaps, as its look-up reads)
        unless = "|".join(fold_trie_pattern([first], drop, rf"(?![^\W_])(?=[{gap}]*+"
                                            rf"{fold_trie_pattern(rests, drop + gap, '')})")
                          for first, rests in sorted(lazy_unless.items()))
        hot = rf"[{drop}]*+(?:[0-9\u0660-\u0669\u06f0-\u06f9]|{keys_trie}{'|' + unless if unless else ''})"
        # lazy_next_re: at the end of a token, what joined/comma needs between two tokens (at most five spaces,
        # ZWNJ, bidi marks or commas) and then a word that may be lazy: the same trie spelling, on the short lazy
        # keys, and on the first three letters of the longer ones (a prefilter: a small trie compiles fast)
        lazy_all = self.lazy | set(lazy_unless)
        short = {k for k in lazy_all if len(k) <= 3}
        heads = {k[:3] for k in lazy_all if len(k) > 3}
        lazy_trie = "|".join([fold_trie_pattern(short, drop, r"(?![^\W_])")] * bool(short)
                             + [fold_trie_pattern(heads, drop, "")] * bool(heads)) or r"(?!)"
        self.lazy_next_re = re.compile(rf"[ \u00a0\u200c\u200e\u200f\t,\u060c]{{0,5}}[{drop}]*+(?:{lazy_trie})")
        abbr_patterns = [p for pats in data["calendar_abbreviations"].values() for p in pats]
        if all(p[:1].isalpha() and p[1:2] not in ("?", "*", "{") and "|" not in p for p in abbr_patterns):
            # every abbreviation starts with a letter (a literal one: no alternation, no quantifier on it), so
            # none starts at a non-word character or at "_": skip those without trying `ab` there
            nonword, under, trail = r"\W++", "_", " ?+"  # (a skipped word takes the space after it: fewer turns)
        else:
            nonword, under, trail = rf"(?:(?!{ab})\W)++", rf"(?!{ab})_", ""
        self.seek_re = re.compile(
            rf"(?:{nonword}|(?=[^\W\d_])(?!{hot}|{ab})[^\W_]++(?:\u200c++[^\W_]++)*+{trail}|{under})*+"
            r"(?:(?P<nd>(?<![\d/.\-])\d{1,4}(?P<sep>[/\-.])\d{1,2}(?P=sep)\d{1,4}(?![\d/\-]|\.\d))"
            r"|(?P<tm>(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:]))"
            rf"|(?P<ab>{ab})"
            rf"|(?P<w>{w}))"
        )

    def _lazy_keys(self, starts: frozenset[str]) -> tuple[set[str], dict[str, set[str]]]:
        """Keys whose atoms start no rule (no feature in ``starts``) and that _atoms may leave out (see there):
        (always, {first key: rests}) where a first key of multi-word keys is left out unless a rest follows it.

        Leaving out the token of a first key (و of و نیم) must change nothing after it. Its look-up builds the keys
        that start with it, from the joined words that follow: those that start no rule are left out with it, and
        their rests hold no part that is a key starting a rule or a look-up, so the words it would have taken are
        left out as well (or never kept: not hot). A key that would start a rule (وسط, which و + سط spells) is its
        rest: the first key is kept where its rest may follow (seek_re spells that on raw text)."""
        quiet = {k for k, f in self.table.items() if f.keys().isdisjoint(starts)}
        lazy = quiet - self.first_keys
        loud = (set(self.table) | self.first_keys) - lazy
        unless: dict[str, set[str]] = {}
        for first in quiet & self.first_keys:
            longer = [k for k in self.table if k.startswith(first) and k != first]
            rests = {k[len(first):] for k in longer if k in quiet}
            parts = {r[i:j] for r in rests for i in range(len(r)) for j in range(i + 1, len(r) + 1)}
            if parts.isdisjoint(loud):
                unless[first] = {k[len(first):] for k in longer if k not in quiet}
        for first, rests in list(unless.items()):
            if not rests:
                lazy.add(first)
                del unless[first]
        return lazy, unless

    def _add(self, phrase: str, feats: dict[str, Any]) -> None:
        parts = [p for p in re.split(r"[\s\u200c]+", phrase) if p]
        key = match_key(phrase)
        if not key:
            return
        entry = self.table.setdefault(key, {})
        for k, v in feats.items():
            if k == "amb" and "amb" in entry:
                entry["amb"] = entry["amb"] and v
            else:
                entry.setdefault(k, v)
        if len(parts) > 1:
            self.first_keys.add(match_key(parts[0]))
            self.max_tokens = max(self.max_tokens, len(parts))
        # ezafe: هفته‌ی / هفتهٔ (the hamza is dropped by match_key) / نیمه‌ی
        if key.endswith("ه") and "mahsuf" not in feats:
            ez = self.table.setdefault(key + "ی", {})
            for k, v in feats.items():
                ez.setdefault(k, v)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


# --------------------------------------------------------------------------------------------------------
# Tokens and atoms
# --------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Atom:
    s: int  # start in the searched text
    e: int  # end
    ti: int  # first token index
    tj: int  # one past the last token index
    f: dict[str, Any]


def _atoms(text: str, lex: _Lexicon) -> tuple[list[_Atom], list[bool], list[bool]]:
    toks: list[tuple[int, int, str, str]] = []  # start, end, kind, key
    joined: list[bool] = []  # joined[i]: token i and i+1 belong to one expression if needed
    comma: list[bool] = []  # comma[i]: only a comma between them ("دوشنبه، ۱۴ مهر")
    hot: list[int] = []  # tokens that may start an atom (all others are skipped by the second pass)
    keys = lex.key_cache
    table, first_keys, maxt = lex.table, lex.first_keys, lex.max_tokens
    append, j_append, c_append, h_append = toks.append, joined.append, comma.append, hot.append
    gap, comma_gap = _GAP.fullmatch, _COMMA_GAP.fullmatch
    pe = -1  # end of the previous token
    # Fast path: only the tokens that can matter are kept: hot tokens, and after a first-key token the tokens its
    # multi-word look-up below may read (it concatenates keys of joined "w" tokens, at most max_tokens - 1 more,
    # so it stops mattering once the concatenation is no prefix of a table key). Those are read exactly with
    # token_re.search from the previous token's end (the same tokens finditer yields). Elsewhere seek_re jumps,
    # in C, over words that are not hot to the next token that may be. Where tokens were left out between two
    # kept ones, the text between them holds a word character (every token does), so _GAP and _COMMA_GAP fail
    # and joined/comma are False there: no adjacency and no multi-word look-up crosses the gap, as with every
    # token listed (the parser reads token indices only together with joined/comma). Atoms are the same.
    #
    # Lazy words (Lexicon.lazy: و, از, تا…) are hot but seek_re skips them too: their atoms start no rule and are read
    # only as the atom after one they are joined to (adj) or follow across a comma (adj_comma). So the token after a
    # kept one is read exactly (token_re.search) when lazy_next_re says a lazy word may follow there, and a lazy word
    # is left out elsewhere. What is left out that way is an atom no parse reaches (by induction: every atom a rule
    # reads is a start atom or the joined/comma neighbour of one it read, and such a neighbour is kept) together
    # with its token; as above, joined/comma are then False across it, and so are adj/adj_comma of the atoms around
    # it, which they were already (the left-out atom was between them). Indices of the atoms change, but the parser
    # compares them only along such chains (_merge_ranges: j0 == k1 + 2 with adj in between).
    search, seek = lex.token_re.search, lex.seek_re.match
    lazy_next = lex.lazy_next_re.match
    prefixes = lex.prefixes
    active: list[tuple[str, int]] = []  # (keys so far, tokens it may still read) of look-ups still running
    follow = False  # a lazy word may follow the last kept token: read the next token exactly
    pos = 0
    while True:
        m = search(text, pos) if active or follow else seek(text, pos)
        if m is None:
            break
        kind = m.lastgroup or "w"
        s, e = m.span(kind)
        pos = e
        if kind == "w":
            g = m.group(kind)
            got = keys.get(g)
            if got is None:
                if len(keys) >= _KEY_CACHE_MAX:
                    keys.clear()
                key = match_key(g)
                got = keys[g] = (key, key in first_keys or key in table or (key[:1].isascii() and key[:1].isdigit()))
            key, is_hot = got
            if not is_hot and not active:
                follow = False
                continue  # left out (seek_re stops at words starting with a non-ASCII digit)
        else:
            key, is_hot = m.group(kind), True
        jn = False
        if pe >= 0:
            if s - pe == 1 and text[pe] == " ":  # the common case: one space
                jn = True
                j_append(True)
                c_append(False)
            else:
                jn = s - pe <= 4 and gap(text, pe, s) is not None
                j_append(jn)
                c_append(not jn and s - pe <= 5 and comma_gap(text, pe, s) is not None)
        pe = e
        if active:
            active = [(a + key, r - 1) for a, r in active if r > 1 and a + key in prefixes] \
                if jn and kind == "w" else []
        if is_hot:
            h_append(len(toks))
            if kind == "w" and key in first_keys:
                active.append((key, maxt - 1))
        append((s, e, kind, key))
        follow = lazy_next(text, e) is not None
    n = len(toks)
    if n:
        joined.append(False)
        comma.append(False)
    atoms: list[_Atom] = []
    free = 0  # tokens before this one are part of an atom already
    for i in hot:
        if i < free:
            continue
        s, e, kind, key = toks[i]
        if kind == "nd":
            atoms.append(_Atom(s, e, i, i + 1, {"nd": key}))
            continue
        if kind == "tm":
            atoms.append(_Atom(s, e, i, i + 1, {"tm": key}))
            continue
        if kind == "ab":
            cal = next((c for p, c in lex.abbr_cal if p.fullmatch(key)), "jalali")
            atoms.append(_Atom(s, e, i, i + 1, {"cal": cal}))
            continue
        found = None
        if key in first_keys:
            acc = key
            for j in range(i + 1, min(n, i + maxt)):
                if not joined[j - 1] or toks[j][2] != "w":
                    break
                acc += toks[j][3]
                if acc in table:
                    found = (j + 1, table[acc])
        if found:
            j, feats = found
            atoms.append(_Atom(s, toks[j - 1][1], i, j, feats))
            free = j
            continue
        feats = table.get(key)
        if feats is None and key[:1].isascii() and key[:1].isdigit():
            feats = _number_feats(key, lex)
        if feats is not None:
            atoms.append(_Atom(s, e, i, i + 1, feats))
    return atoms, joined, comma


def _number_feats(key: str, lex: _Lexicon) -> dict[str, Any] | None:
    if key.isascii() and key.isdigit():  # match_key folded Persian/Arabic digits to ASCII; "⑷" is no number
        return {"num": int(key), "nd_len": len(key)} if len(key) <= 4 else None
    for suf in lex.ord_suffixes:
        head = key[: -len(suf)]
        if key.endswith(suf) and head.isascii() and head.isdigit() and len(head) <= 2:
            return {"ord": int(key[: -len(suf)])}
    return None


# --------------------------------------------------------------------------------------------------------
# Resolution helpers
# --------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Res:
    calendar: str = "jalali"
    jalali: str | None = None
    start: _dt.date | None = None
    end: _dt.date | None = None
    gran: str = "day"
    relative: bool = False
    # for range merging: a day/month whose year was taken from the reference
    cal_parts: tuple[int, int, int] | None = None  # (year, month, day or 0) in `calendar`
    year_inferred: bool = False


def _jstr(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _jday(date: _dt.date) -> str:
    return _jstr(*gregorian_to_jalali(date))


def _week_bounds(date: _dt.date) -> tuple[_dt.date, _dt.date]:
    start = date - _dt.timedelta(days=(date.weekday() - 5) % 7)  # back to Saturday
    return start, start + _dt.timedelta(days=6)


def _period(unit: str, ref: _dt.date, offset: int) -> _Res:
    """The calendar period ``unit`` containing ``ref``, moved by ``offset`` periods."""
    if unit == "day":
        d = ref + _dt.timedelta(days=offset)
        return _Res(jalali=_jday(d), start=d, end=d, gran="day", relative=True)
    if unit == "week":
        s, e = _week_bounds(ref + _dt.timedelta(days=7 * offset))
        return _Res(jalali=None, start=s, end=e, gran="week", relative=True)
    if unit == "month":
        y, m, _ = gregorian_to_jalali(ref)
        total = y * 12 + m - 1 + offset
        y, m = divmod(total, 12)
        m += 1
        s, e = jalali_month_bounds(y, m)
        return _Res(jalali=_jstr(y, m), start=s, end=e, gran="month", relative=True)
    if unit in ("decade", "century"):
        size = 10 if unit == "decade" else 100
        y = (gregorian_to_jalali(ref)[0] - 1) // size * size + 1 + size * offset if unit == "century" else \
            gregorian_to_jalali(ref)[0] // 10 * 10 + 10 * offset
        return _Res(jalali=None, start=jalali_year_bounds(y)[0], end=jalali_year_bounds(y + size - 1)[1],
                    gran="interval", relative=True)
    y = gregorian_to_jalali(ref)[0] + offset
    s, e = jalali_year_bounds(y)
    return _Res(jalali=_jstr(y), start=s, end=e, gran="year", relative=True)


def _shift(ref: _dt.date, unit: str, n: int) -> _dt.date:
    if unit == "day":
        return ref + _dt.timedelta(days=n)
    if unit == "week":
        return ref + _dt.timedelta(days=7 * n)
    if unit == "month":
        return add_jalali_months(ref, n)
    if unit == "decade":
        return add_jalali_months(ref, 120 * n)
    if unit == "century":
        return add_jalali_months(ref, 1200 * n)
    return add_jalali_months(ref, 12 * n)


_INVALID = object()  # a rule matched an impossible date: consume the atoms, report nothing

# Features an atom needs for any rule of ``_Parser.expr`` to start at it (read off the rules' first checks:
# r_calendar_date relday/dayw/wd/day number/mahw/month, r_part part/ord, r_numeric nd, r_year salw/punit/num,
# r_relative relyear/this/vague/num/card/unit/punit, r_season fasl/season, r_decade and r_century unit, r_holiday
# holiday, r_month_block mblock/num/card). An atom with none of them (و, گذشته, تا, میلادی…) makes every rule
# return None, so ``parse`` skips it without calling them.
_START_FEATS = frozenset({"relday", "dayw", "wd", "num", "ord", "card", "mahw", "jm", "gm", "hm", "part", "nd",
                          "salw", "punit", "relyear", "this", "vague", "unit", "fasl", "season", "holiday",
                          "mblock"})
# An atom with only these features (این, ۱۰, سه, دوم, اوایل) makes every rule return None unless the next atom is
# joined to it (adj; adj_comma is read after a weekday only): read off the rules' first checks, which for them all
# need the next atom (r_calendar_date: a day needs adj, and without a month, weekday or relative day it returns
# None; r_part: adj; r_year: nxt cal; r_relative: nxt unit after این, number_phrase needs nxt unit/punit/mblock;
# r_month_block: number_phrase). ``parse`` skips such an atom when it is not joined to the next one.
_NEEDS_NEXT = frozenset({"this", "num", "nd_len", "card", "ord", "part"})
# Features of the atoms find_time_spans starts at (its first checks: tm, t_hour, num/card, t_daypart).
_TIME_START_FEATS = frozenset({"tm", "t_hour", "num", "card", "t_daypart"})


def _unresolved(gran: str) -> _Res:
    return _Res(jalali=None, start=None, end=None, gran=gran, relative=True)


def _year_value(a: _Atom, cal: str | None, allow_short: bool) -> tuple[int, str] | None:
    """(year, calendar) if atom ``a`` can be a year in calendar ``cal`` (None: decide from the value)."""
    v, n = a.f.get("num"), a.f.get("nd_len", 0)
    if v is None:
        return None
    if n == 2 and allow_short and cal in (None, "jalali"):
        # "۹۸" = 1398, "۰۴" = 1404; 11..49 are more often counts ("۱۱ اردیبهشت ۱۲ نفر") than years
        if v >= 50 or v <= _SHORT_YEAR_MAX:
            return (1300 + v if v >= 50 else 1400 + v), "jalali"
        return None
    if n not in (3, 4):
        return None
    if cal is None:
        if 1200 <= v < 1600:
            return v, "jalali"
        if 1600 <= v <= 2200:
            return v, "gregorian"
        return None
    if cal in ("jalali", "hijri"):
        return (v, cal) if 1 <= v < 1600 and (n == 4 or cal == "hijri") else None
    return (v, cal) if 1000 <= v <= 2200 else None


def _day_value(a: _Atom) -> int | None:
    f = a.f
    if "num" in f:
        v = f["num"]
        return v if f.get("nd_len", 0) <= 2 and 1 <= v <= 31 else None
    if "ord" in f and 1 <= f["ord"] <= 31:
        return f["ord"]
    if "card" in f and 1 <= f["card"] <= 31:
        return f["card"]
    return None


def _count_value(a: _Atom) -> int | None:
    f = a.f
    if "num" in f:
        return f["num"] if f.get("nd_len", 0) <= 3 else None
    if "card" in f:
        return f["card"]
    return None


def _number_value(text: str, parts: list[int]) -> int | None:
    """Value of a number phrase: ``numbers.parse_number`` when present, else additive with ×1000."""
    try:
        from .numbers import parse_number
    except ImportError:  # numbers.py not available: compose the word values ourselves
        parse_number = None
    if parse_number is not None:
        try:
            v = parse_number(text)
        except Exception:  # a number parser failure must not break date extraction
            v = None
        if v is not None and float(v).is_integer() and v > 0:
            return int(v)
    total = cur = 0
    for p in parts:
        if p >= 1000:
            total += max(cur, 1) * p
            cur = 0
        else:
            cur += p
    return total + cur or None


def _month_bounds(cal: str, y: int, m: int) -> tuple[_dt.date, _dt.date]:
    if cal == "jalali":
        return jalali_month_bounds(y, m)
    if cal == "hijri":
        return hijri_month_bounds(y, m)
    s = _dt.date(y, m, 1)
    nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
    return s, nxt - _DAY


def _year_bounds(cal: str, y: int) -> tuple[_dt.date, _dt.date]:
    if cal == "jalali":
        return jalali_year_bounds(y)
    if cal == "hijri":
        return hijri_year_bounds(y)
    return _dt.date(y, 1, 1), _dt.date(y, 12, 31)


def _to_date(cal: str, y: int, m: int, d: int) -> _dt.date:
    if cal == "jalali":
        return jalali_to_gregorian(y, m, d)
    if cal == "hijri":
        return hijri_to_gregorian(y, m, d)
    return _dt.date(y, m, d)


def _ref_year(cal: str, ref: _dt.date) -> int:
    if cal == "jalali":
        return gregorian_to_jalali(ref)[0]
    if cal == "hijri":
        return gregorian_to_hijri(ref)[0]
    return ref.year


def _resolve_ymd(cal: str, y: int | None, m: int, d: int | None, ref: _dt.date | None) -> _Res | None:
    inferred = y is None
    if inferred:
        if ref is None:
            return _Res(calendar=cal, gran="day" if d else "month", relative=True)
        y = _ref_year(cal, ref)
    try:
        if d:
            date = _to_date(cal, y, m, d)
            res = _Res(calendar=cal, start=date, end=date, gran="day",
                       jalali=_jstr(y, m, d) if cal == "jalali" else _jday(date))
        else:
            s, e = _month_bounds(cal, y, m)
            res = _Res(calendar=cal, start=s, end=e, gran="month", jalali=_jstr(y, m) if cal == "jalali" else None)
    except (ValueError, OverflowError):
        return None
    res.relative = inferred
    res.year_inferred = inferred
    res.cal_parts = (y, m, d or 0)
    return res


# --------------------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str, atoms: list[_Atom], joined: list[bool], ref: _dt.date | None,
                 comma: list[bool] | None = None) -> None:
        self.text, self.A, self.joined, self.ref = text, atoms, joined, ref
        self.comma = comma or [False] * len(joined)

    # adjacency: atom k+1 directly follows atom k (only spaces/ZWNJ between them)
    def adj(self, k: int) -> bool:
        A = self.A
        return k + 1 < len(A) and A[k + 1].ti == A[k].tj and self.joined[A[k].tj - 1]

    def adj_comma(self, k: int) -> bool:
        A = self.A
        return k + 1 < len(A) and A[k + 1].ti == A[k].tj and self.comma[A[k].tj - 1]

    def at(self, k: int, feat: str) -> bool:
        return k < len(self.A) and feat in self.A[k].f

    def nxt(self, k: int, feat: str) -> bool:
        """Atom k+1 exists, is adjacent to k and has ``feat``."""
        return self.adj(k) and feat in self.A[k + 1].f

    # ---- top level ----------------------------------------------------------------------------------
    def parse(self) -> list[tuple[int, int, _Res]]:
        out: list[tuple[int, int, int, int, _Res]] = []  # (first atom, last atom, s, e, res)
        A, k = self.A, 0
        while k < len(A):
            feats = A[k].f.keys()
            if feats.isdisjoint(_START_FEATS) or (feats <= _NEEDS_NEXT and not self.adj(k)):
                k += 1  # fast path: no rule can start here (و, گذشته, تا…; این, ۱۰ before a plain word)
                continue
            got = self.expr(k)
            if got is None:
                k += 1
                continue
            last, res = got
            if res is not _INVALID:
                if self.nxt(last, "until_now") and res.start is not None and self.ref is not None \
                        and res.start <= self.ref:  # "از سال ۱۴۰۰ تاکنون"
                    last += 1
                    res = _Res(calendar=res.calendar, jalali=res.jalali, start=res.start, end=self.ref,
                               gran="interval", relative=True)
                out.append((k, last, A[k].s, A[last].e, res))
            k = last + 1
        return self._merge_ranges(out)

    def expr(self, k: int) -> tuple[int, _Res] | None:
        best = None
        feats = self.A[k].f.keys()
        for rule, start in _RULE_STARTS:
            if feats.isdisjoint(start):
                continue  # fast path: the rule returns None without one of these features at atom k
            got = rule(self, k)
            if got is not None and (best is None or got[0] > best[0]):
                best = got
        return best

    def period(self, k: int) -> tuple[int, _Res] | None:
        """A period after a part word: anything but another part."""
        best = None
        for rule in (self.r_calendar_date, self.r_year, self.r_relative, self.r_season, self.r_bare_unit,
                     self.r_holiday, self.r_decade, self.r_century, self.r_month_block):
            got = rule(k, True) if rule == self.r_calendar_date else rule(k)
            if got is not None and (best is None or got[0] > best[0]):
                best = got
        return best

    # ---- rules: each returns (index of the last atom used, resolution) or None -------------------------
    def r_calendar_date(self, k: int, in_context: bool = False) -> tuple[int, _Res] | None:
        """[امروز] [روز] [weekday] [روز] [day [تا day]] month [[سال] year [calendar]]; or the prefix alone.

        ``in_context``: after a part word (``اواخر مهر``), where an ambiguous month name needs nothing more.
        """
        A, ref = self.A, self.ref
        i = k
        relday = wd = None
        last = None
        if self.at(i, "relday"):
            relday, last = A[i].f["relday"], i
            if not self.adj(i):
                return self._relday(k, last, relday, wd)
            i += 1
        if self.at(i, "dayw") and self.adj(i) and ("wd" in A[i + 1].f or _day_value(A[i + 1]) is not None):
            i += 1
        if self.at(i, "wd"):
            wd, last = A[i].f["wd"], i
            if not self.adj(i) and not (self.adj_comma(i) and i + 1 < len(A) and _day_value(A[i + 1]) is not None):
                return self._relday(k, last, relday, wd)
            i += 1
            if self.at(i, "dayw") and self.adj(i):
                i += 1
        # day [تا day] month
        day = day2 = None
        j = i
        if j < len(A) and _day_value(A[j]) is not None and self.adj(j):
            day = _day_value(A[j])
            if self.nxt(j, "ta") and self.adj(j + 1) and j + 2 < len(A) and _day_value(A[j + 2]) is not None \
                    and self.adj(j + 2):
                day2 = _day_value(A[j + 2])
                j += 2
            j += 1
        mah_pre = False
        if day is None and self.at(j, "mahw") and self.adj(j) and any(t in A[j + 1].f for t in ("jm", "gm", "hm")):
            mah_pre = True
            j += 1
        month_atom = A[j] if j < len(A) else None
        cal = None
        if month_atom is not None and (j == i or day is not None or mah_pre):
            for tag, c in (("jm", "jalali"), ("gm", "gregorian"), ("hm", "hijri")):
                if tag in month_atom.f:
                    cal = c
                    break
            # "دو" is a weekday prefix, "مه"/"می" are words: a word-number day needs an unambiguous month
            if cal and day is not None and "num" not in A[i].f and "ord" not in A[i].f and month_atom.f.get("amb"):
                cal = None
        if cal is None:
            if wd is not None or relday is not None:
                return self._relday(k, last, relday, wd)
            return None
        tag = {"jalali": "jm", "gregorian": "gm", "hijri": "hm"}[cal]
        month = month_atom.f[tag]
        mlast = j
        # year part
        year = None
        y_last = mlast
        p = mlast
        if self.adj(p) and self.at(p + 1, "mahw") and cal != "jalali":
            p += 1
        q = p
        if self.adj(q) and self.at(q + 1, "salw"):
            q += 1
        if self.adj(q) and q + 1 < len(A):
            yv = _year_value(A[q + 1], cal, allow_short=(cal == "jalali"))
            if yv is not None:
                year, y_last = yv[0], q + 1
                if self.nxt(y_last, "cal"):
                    ycal = A[y_last + 1].f["cal"]
                    if ycal == cal or (cal == "hijri" and ycal == "jalali" and A[y_last + 1].f.get("cal")):
                        y_last += 1
        amb = month_atom.f.get("amb") and not month_atom.f.get("mahsuf") and not in_context
        if amb and cal == "jalali" and (self.nxt(mlast, "relyear") or (
                self.nxt(mlast, "salw") and self.nxt(mlast + 1, "dir"))):
            amb = False  # "مهر امسال", "دی سال گذشته"
        if amb and day is None and year is None and not mah_pre:
            if cal == "jalali" and self.nxt(mlast, "mahw"):
                mlast = y_last = mlast + 1
            elif wd is not None or relday is not None:
                return self._relday(k, last, relday, wd)
            else:
                return None
        if cal == "gregorian" and month_atom.f.get("amb") and year is None and not in_context:
            if wd is not None or relday is not None:
                return self._relday(k, last, relday, wd)
            return None
        if day is not None and month_atom.f.get("amb") and cal == "hijri" and year is None and "num" not in A[i].f:
            return None
        if cal == "jalali" and y_last == mlast and self.nxt(mlast, "mahw"):
            mlast = y_last = mlast + 1
        rel_year = False
        if year is None and ref is not None:
            got_rel = self._month_relative_year(y_last, cal, month, ref)
            if got_rel is not None:
                (y_last, year), rel_year = got_rel, True
        res = _resolve_ymd(cal, year, month, day, ref)
        if res is None:  # ۳۰ اسفند ۱۴۰۴: an impossible date is consumed, not re-read as a month
            return (y_last, _INVALID) if not in_context else None
        if rel_year:
            res.relative = True
        if day2 is not None:
            res2 = _resolve_ymd(cal, year, month, day2, ref)
            if res2 is None or (res.start and res2.start and res2.start < res.start):
                return None
            res = _Res(calendar=cal, jalali=(f"{res.jalali}/{res2.jalali}" if res.jalali and res2.jalali else None),
                       start=res.start, end=res2.end, gran="interval", relative=res.relative,
                       cal_parts=res.cal_parts, year_inferred=res.year_inferred)
        return y_last, res

    def _month_relative_year(self, p: int, cal: str, month: int, ref: _dt.date) -> tuple[int, int] | None:
        """``خرداد امسال``, ``اسفند سال گذشته``, ``مهر ماه جاری``, ``اسفند گذشته``: (last atom, year)."""
        A = self.A
        if not self.adj(p) or cal != "jalali":
            return None
        f = A[p + 1].f
        ry, rm = gregorian_to_jalali(ref)[:2]
        off = None
        last = p + 1
        if "relyear" in f:
            off = f["relyear"]
        elif "salw" in f and self.nxt(p + 1, "dir"):
            off = {"past": -1, "ago": -1, "future": 1, "later": 1, "current": 0}.get(A[p + 2].f["dir"])
            last = p + 2
        elif "salw" in f and self.nxt(p + 1, "this"):
            return None
        elif "dir" in f:
            d = f["dir"]
            if d == "current":
                off = 0
            elif d in ("past", "ago"):
                off = -1 if month >= rm else 0
            elif d in ("future", "later"):
                off = 1 if month <= rm else 0
        if off is None:
            return None
        return last, ry + off

    def _relday(self, k: int, last: int | None, relday: int | None, wd: int | None) -> tuple[int, _Res] | None:
        ref = self.ref
        if last is None:
            return None
        if relday is not None:
            if ref is None:
                return last, _unresolved("day")
            d = ref + _dt.timedelta(days=relday)
            return last, _Res(jalali=_jday(d), start=d, end=d, gran="day", relative=True)
        if wd is None:
            return None
        # weekday [هفته] [گذشته|آینده]
        A = self.A
        direction, p = None, last
        if self.nxt(p, "unit") and A[p + 1].f["unit"] == "week" and self.nxt(p + 1, "dir"):
            direction, p = ("week", A[p + 2].f["dir"]), p + 2
        elif self.nxt(p, "dir") and A[p + 1].f["dir"] in ("past", "ago", "future", "later", "current"):
            direction, p = ("day", A[p + 1].f["dir"]), p + 1
        if ref is None:
            return p, _unresolved("weekday")
        if direction is None:
            s, _ = _week_bounds(ref)
            d = s + _dt.timedelta(days=(wd - 5) % 7)
        elif direction[0] == "week":
            off = {"past": -1, "ago": -1, "future": 1, "later": 1}.get(direction[1], 0)
            s, _ = _week_bounds(ref + _dt.timedelta(days=7 * off))
            d = s + _dt.timedelta(days=(wd - 5) % 7)
        elif direction[1] in ("past", "ago"):
            d = ref - _dt.timedelta(days=(ref.weekday() - wd) % 7 or 7)
        elif direction[1] in ("future", "later"):
            d = ref + _dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
        else:
            s, _ = _week_bounds(ref)
            d = s + _dt.timedelta(days=(wd - 5) % 7)
        return p, _Res(jalali=_jday(d), start=d, end=d, gran="weekday", relative=True)

    def r_numeric(self, k: int) -> tuple[int, _Res] | None:
        A = self.A
        if not self.at(k, "nd"):
            return None
        raw = A[k].f["nd"]
        parts = re.split(r"[/\-.]", match_key(raw))
        if len(parts) != 3:
            return None
        a, b, c = parts
        cand = []
        if len(a) == 4:
            cand.append((int(a), int(b), int(c)))
        elif len(c) == 4:
            cand.append((int(c), int(b), int(a)))
        elif len(a) == 2 and "/" in raw and len(c) <= 2:
            ya = int(a)
            cand.append(((1300 + ya if ya >= 50 else 1400 + ya), int(b), int(c)))
        for y, m, d in cand:
            cal = "jalali" if 1200 <= y < 1600 else "gregorian" if 1600 <= y <= 2200 else None
            if cal is None or not 1 <= m <= 12:
                continue
            last = k
            if self.nxt(k, "cal"):
                c2 = A[k + 1].f["cal"]
                if c2 == "hijri" and y < 1600:
                    cal = "hijri"
                last = k + 1
            res = _resolve_ymd(cal, y, m, d, self.ref)
            if res is not None:
                return last, res
        return None

    def r_year(self, k: int) -> tuple[int, _Res] | None:
        """سال YEAR [cal] [تا YEAR]; سال‌های YEAR تا YEAR; YEAR calendar-word."""
        A = self.A
        if self.at(k, "salw") or (self.at(k, "punit") and A[k].f["punit"] == "year"):
            if not self.adj(k) or k + 1 >= len(A):
                return None
            i = k + 1
            cal = None
            if self.nxt(i, "cal"):
                cal = A[i + 1].f["cal"]
            yv = _year_value(A[i], cal, allow_short=True)
            if yv is None:
                return None
            y, cal = yv
            last = i + 1 if self.nxt(i, "cal") else i
            res = self._year_res(cal, y)
            if res is None:
                return None
            if self.nxt(last, "ta") and self.adj(last + 1) and last + 2 < len(A):
                yv2 = _year_value(A[last + 2], cal, allow_short=True)
                if yv2 is not None and yv2[0] > y:
                    res2 = self._year_res(cal, yv2[0])
                    if res2 is not None:
                        return last + 2, _Res(calendar=cal, jalali=(f"{res.jalali}/{res2.jalali}"
                                              if res.jalali and res2.jalali else None),
                                              start=res.start, end=res2.end, gran="interval")
            return last, res
        if self.at(k, "num") and self.nxt(k, "cal") and A[k].f.get("nd_len") == 4:
            yv = _year_value(A[k], A[k + 1].f["cal"], allow_short=False)
            if yv is None:
                return None
            res = self._year_res(yv[1], yv[0])
            return (k + 1, res) if res else None
        return None

    def _year_res(self, cal: str, y: int) -> _Res | None:
        try:
            s, e = _year_bounds(cal, y)
        except (ValueError, OverflowError):
            return None
        return _Res(calendar=cal, jalali=_jstr(y) if cal == "jalali" else None, start=s, end=e, gran="year",
                    cal_parts=(y, 0, 0))

    def r_relative(self, k: int) -> tuple[int, _Res] | None:
        A, ref = self.A, self.ref
        f = A[k].f
        if "relyear" in f:
            if ref is None:
                return k, _unresolved("year")
            return k, _period("year", ref, f["relyear"])
        if "this" in f and self.nxt(k, "unit"):
            unit = A[k + 1].f["unit"]
            if unit in ("decade", "day"):  # "در این روز" points back to a date named earlier
                return None
            return k + 1, (_period(unit, ref, 0) if ref else _unresolved(unit))
        # [N] unit direction
        n = None
        i = k
        vague = False
        if "vague" in f and self.adj(k) and (self.at(k + 1, "unit") or self.at(k + 1, "punit")):
            vague, i = True, k + 1
        elif "num" in f or "card" in f:
            got = self.number_phrase(k)
            if got is None:
                return None
            nl, n = got
            if not (self.adj(nl) and (self.at(nl + 1, "unit") or self.at(nl + 1, "punit"))):
                return None
            i = nl + 1
        g = A[i].f
        unit = g.get("unit") or g.get("punit")
        if unit is None or not self.nxt(i, "dir"):
            return None
        direction = A[i + 1].f["dir"]
        last = i + 1
        plural = "punit" in g and "unit" not in g
        if plural or vague:
            if n is not None:
                pass
            elif direction in ("past", "recent", "future"):
                return last, _unresolved("interval")
            else:
                return None
        point_like = direction in ("ago", "later") or (n is None and direction != "recent")
        if direction in ("ago", "later") and self.nxt(last, "az"):
            # "دو روز قبل از انتخابات": counted from an event, not from the reference
            return last, _unresolved(unit)
        if ref is None:
            return last, _unresolved(unit if point_like else "interval")
        if n is None and direction != "recent":
            off = {"past": -1, "ago": -1, "future": 1, "later": 1, "current": 0}[direction]
            return last, _period(unit, ref, off)
        n = 1 if n is None else n
        if direction == "current":
            return None
        try:
            if direction in ("past", "recent"):
                s = _shift(ref, unit, -n)
                return last, _Res(jalali=None, start=s, end=ref, gran="interval", relative=True)
            if direction == "future":
                e = _shift(ref, unit, n)
                return last, _Res(jalali=None, start=ref, end=e, gran="interval", relative=True)
            point = _shift(ref, unit, -n if direction == "ago" else n)
            return last, _period(unit, point, 0)
        except (ValueError, OverflowError):  # beyond the calendars' range ("۲ هزار سال پیش")
            return last, _unresolved("interval" if direction in ("past", "recent", "future") else unit)

    def number_phrase(self, k: int, followers: tuple[str, ...] = ("unit", "punit", "mblock")
                      ) -> tuple[int, int] | None:
        """(last atom, value) of a count at atom k: digits, a number word, or words joined by و / هزار
        (``صد و بیست``, ``۲ هزار``). Values come from ``numbers.parse_number`` when it is available."""
        A = self.A
        f = A[k].f
        if "num" in f:
            if f.get("nd_len", 0) > 3:
                return None
        elif "card" not in f:
            return None
        last = k
        while last - k < _MAX_NUMBER_ATOMS:  # bounded: "بیست و " * 20000 must stay linear
            if self.nxt(last, "and") and self.adj(last + 1) and self.at(last + 2, "card"):
                last += 2
            elif self.nxt(last, "card") and A[last + 1].f["card"] >= 1000:
                last += 1
            else:
                break
        if not any(self.nxt(last, feat) for feat in followers):
            return None  # only a count directly before a unit is worth a value
        if last == k:
            return k, f["num"] if "num" in f else f["card"]
        value = _number_value(self.text[A[k].s:A[last].e],
                              [A[i].f.get("num", A[i].f.get("card")) for i in range(k, last + 1)
                               if "and" not in A[i].f])
        return (last, value) if value is not None else None

    def r_month_block(self, k: int) -> tuple[int, _Res] | None:
        """N ماهه|ماه ORD YEAR: ``سه ماهه نخست امسال`` (Farvardin–Khordad), ``شش ماهه دوم سال ۱۴۰۳``,
        ``نه ماه اول سال``; ORD may be ``آخر`` (the last block)."""
        A = self.A
        f = A[k].f
        if isinstance(f.get("mblock"), int) and f["mblock"] is not True:
            n, i = f["mblock"], k
        else:
            got = self.number_phrase(k)
            if got is None or not self.adj(got[0]):
                return None
            i = got[0] + 1
            g = A[i].f
            if not (g.get("mblock") is True or g.get("unit") == "month"):
                return None
            n = got[1]
        if not 1 <= n <= 12 or not self.adj(i) or i + 1 >= len(A):
            return None
        h = A[i + 1].f
        if "ord" in h and 1 <= h["ord"] <= 12 // n:
            block = h["ord"]
        elif h.get("part") == "end":
            block = 12 // n
        else:
            return None
        if not self.adj(i + 1):
            return None
        got = self.period(i + 2)
        if got is None or got[1] is _INVALID or got[1].gran != "year" or got[1].calendar != "jalali" \
                or not got[1].jalali:
            return None
        last, res = got
        y = int(res.jalali)
        m1, m2 = (block - 1) * n + 1, block * n
        s, e = jalali_month_bounds(y, m1)[0], jalali_month_bounds(y, m2)[1]
        return last, _Res(jalali=f"{_jstr(y, m1)}/{_jstr(y, m2)}", start=s, end=e, gran="interval",
                          relative=res.relative)

    def r_century(self, k: int) -> tuple[int, _Res] | None:
        """قرن چهاردهم / قرن ۱۴ [شمسی|میلادی|قمری]: years (N-1)*100+1 .. N*100 of the calendar (Jalali by default)."""
        A = self.A
        if not (self.at(k, "unit") and A[k].f["unit"] == "century" and self.adj(k)):
            return None
        g = A[k + 1].f
        n = g.get("ord") if "ord" in g else (g["num"] if "num" in g and g.get("nd_len", 0) <= 2 else None)
        if not n or n > 21:
            return None
        last, cal = k + 1, "jalali"
        if self.nxt(last, "cal"):
            cal, last = A[last + 1].f["cal"], last + 1
        y0, y1 = (n - 1) * 100 + 1, n * 100
        try:
            s, e = _year_bounds(cal, y0)[0], _year_bounds(cal, y1)[1]
        except (ValueError, OverflowError):
            return None
        return last, _Res(calendar=cal, jalali=None, start=s, end=e, gran="interval")

    def r_holiday(self, k: int) -> tuple[int, _Res] | None:
        """نوروز / شب یلدا / دهه فجر [[سال] YEAR | امسال | سال گذشته]: fixed days of the Solar Hijri year."""
        A, ref = self.A, self.ref
        hol = A[k].f.get("holiday")
        if hol is None:
            return None
        last, year, rel = k, None, True
        if self.adj(k):
            q = k + 1 if self.nxt(k, "salw") else k
            if self.adj(q) and q + 1 < len(A):
                yv = _year_value(A[q + 1], "jalali", allow_short=True)
                if yv is not None:
                    last, year, rel = q + 1, yv[0], False
        if year is None and ref is not None:
            got = self._month_relative_year(k, "jalali", hol[0], ref)
            if got is not None:
                last, year = got
            else:
                year = gregorian_to_jalali(ref)[0]
        if year is None:
            return last, _unresolved("day" if len(hol) == 2 else "interval")
        try:
            s = jalali_to_gregorian(year, hol[0], hol[1])
            e = jalali_to_gregorian(year, hol[2], hol[3]) if len(hol) == 4 else s
        except ValueError:
            return None
        return last, _Res(jalali=_jstr(year, hol[0], hol[1]), start=s, end=e,
                          gran="day" if s == e else "interval", relative=rel)

    def r_bare_unit(self, k: int) -> tuple[int, _Res] | None:
        """After a part word: "ابتدای سال" / "اواخر ماه" / "آخر هفته" = the current period."""
        A = self.A
        unit = A[k].f.get("unit")
        if unit not in ("week", "month", "year"):
            return None
        return k, (_period(unit, self.ref, 0) if self.ref else _unresolved(unit))

    def r_season(self, k: int) -> tuple[int, _Res] | None:
        A, ref = self.A, self.ref
        i = k
        fasl = False
        if self.at(i, "fasl") and self.nxt(i, "season"):
            fasl, i = True, i + 1
        if not self.at(i, "season"):
            return None
        first = A[i].f["season"]
        y = None
        last = i
        mode = None
        if self.adj(i):
            nf = A[i + 1].f
            if "relyear" in nf:
                mode, last = ("rel", nf["relyear"]), i + 1
            elif "salw" in nf and self.adj(i + 1) and i + 2 < len(A):
                yv = _year_value(A[i + 2], "jalali", allow_short=True)
                if yv is not None:
                    y, last = yv[0], i + 2
                elif "dir" in A[i + 2].f:
                    d = A[i + 2].f["dir"]
                    off = {"past": -1, "ago": -1, "future": 1, "later": 1, "current": 0}.get(d)
                    if off is not None:
                        mode, last = ("rel", off), i + 2
            elif "num" in nf:
                yv = _year_value(A[i + 1], "jalali", allow_short=False)
                if yv is not None:
                    y, last = yv[0], i + 1
            elif "dir" in nf and nf["dir"] in ("past", "ago", "future", "later", "current"):
                mode, last = ("seq", nf["dir"]), i + 1
            elif "this" in nf:
                pass
        if y is None and mode is None and not fasl:
            return None
        if y is not None:
            s = jalali_to_gregorian(y, first, 1)
            e = jalali_month_bounds(y, first + 2)[1]
            return last, _Res(jalali=_jstr(y), start=s, end=e, gran="season")
        if ref is None:
            return last, _unresolved("season")
        ry = gregorian_to_jalali(ref)[0]
        if mode is not None and mode[0] == "rel":
            ry += mode[1]
        elif mode is not None and mode[0] == "seq":
            cur_first = (gregorian_to_jalali(ref)[1] - 1) // 3 * 3 + 1
            if mode[1] in ("past", "ago") and first >= cur_first:
                ry -= 1
            elif mode[1] in ("future", "later") and first <= cur_first:
                ry += 1
        s = jalali_to_gregorian(ry, first, 1)
        e = jalali_month_bounds(ry, first + 2)[1]
        return last, _Res(jalali=_jstr(ry), start=s, end=e, gran="season", relative=True)

    def r_decade(self, k: int) -> tuple[int, _Res] | None:
        """دهه ۹۰ / دهه ۱۳۹۰ (Jalali decades); دهه اول|دوم|سوم|آخر MONTH (ten-day parts of a month);
        هفته اول..چهارم MONTH (days 1–7, 8–14, …), هفته آخر MONTH (its last seven days)."""
        A = self.A
        if not (self.at(k, "unit") and A[k].f["unit"] in ("decade", "week") and self.adj(k)):
            return None
        size = 10 if A[k].f["unit"] == "decade" else 7
        g = A[k + 1].f
        if "num" in g and size == 10:
            v, n = g["num"], g.get("nd_len", 0)
            if n == 2 and v % 10 == 0:
                y0 = 1300 + v
            elif n == 4 and v % 10 == 0 and 1200 <= v < 1600:
                y0 = v
            else:
                return None
            return k + 1, _Res(jalali=None, start=jalali_year_bounds(y0)[0], end=jalali_year_bounds(y0 + 9)[1],
                               gran="interval")
        parts = 3 if size == 10 else 4  # دهه اول|دوم|سوم|آخر, هفته اول|…|چهارم|آخر of a month
        which = g.get("ord") if "ord" in g else (parts if g.get("part") == "end" else None)
        if which is None or not 1 <= which <= parts or not self.adj(k + 1):
            return None
        got = self.r_calendar_date(k + 2, in_context=True)
        if got is None or got[1] is _INVALID or got[1].gran != "month" or got[1].start is None:
            return None
        last, res = got
        s, e = res.start, res.end
        ds = s + _dt.timedelta(days=size * (which - 1))
        de = e if which == parts and size == 10 else min(e, ds + _dt.timedelta(days=size - 1))
        if size == 7 and "ord" not in g:  # هفته آخر: the month's last seven days
            ds, de = e - _dt.timedelta(days=6), e
        return last, _Res(calendar=res.calendar, jalali=res.jalali, start=ds, end=de, gran="interval",
                          relative=res.relative)

    def r_part(self, k: int) -> tuple[int, _Res] | None:
        A = self.A
        f = A[k].f
        kind = f.get("part")
        if kind is None and f.get("ord") == 1 and "part" not in f:
            kind = "begin"
        if kind is None or not self.adj(k):
            return None
        i = k + 1
        which = None
        if kind == "half" and self.at(i, "ord") and A[i].f["ord"] in (1, 2) and self.adj(i):
            which, i = A[i].f["ord"], i + 1
        got = self.period(i)
        if got is None or got[1] is _INVALID:
            return None
        last, res = got
        if res.start is None or res.end is None:
            return last, _Res(calendar=res.calendar, gran="interval", relative=True)
        s, e = res.start, res.end
        length = (e - s).days + 1
        ref = self.ref
        if kind == "begin" and ref is not None and s <= ref <= e:
            return last, _Res(calendar=res.calendar, jalali=_jday(s), start=s, end=ref, gran="interval",
                              relative=True)
        tenth = max(1, round(length / 10))
        third = max(1, round(length / 3))
        if kind == "begin":
            ps, pe = s, s + _dt.timedelta(days=tenth - 1)
        elif kind == "early":
            ps, pe = s, s + _dt.timedelta(days=third - 1)
        elif kind == "middle" or (kind == "half" and which is None and res.gran != "month"):
            ps, pe = s + _dt.timedelta(days=third), e - _dt.timedelta(days=third)
        elif kind == "half" and which is None:  # نیمه شعبان: the 15th
            ps = pe = s + _dt.timedelta(days=14)
        elif kind == "half" and res.gran == "year" and res.calendar == "jalali" and res.jalali:
            y = int(res.jalali)  # Jalali halves: Farvardin–Shahrivar, Mehr–Esfand
            ps, pe = (s, jalali_to_gregorian(y, 7, 1) - _DAY) if which == 1 else (jalali_to_gregorian(y, 7, 1), e)
        elif kind == "half":
            mid = s + _dt.timedelta(days=length // 2)
            ps, pe = (s, mid - _DAY) if which == 1 else (mid, e)
        elif kind == "late":
            ps, pe = e - _dt.timedelta(days=third - 1), e
        else:  # end
            ps, pe = e - _dt.timedelta(days=tenth - 1), e
        if pe < ps or ps < s or pe > e:  # too short to divide ("میانه روز طبیعت"): the period itself
            ps, pe = s, e
        gran = "day" if ps == pe else "interval"
        return last, _Res(calendar=res.calendar, jalali=_jday(ps) if ps == pe else res.jalali, start=ps, end=pe,
                          gran=gran,
                          relative=res.relative)

    # ---- ranges ---------------------------------------------------------------------------------------
    def _merge_ranges(self, out: list[tuple[int, int, int, int, _Res]]) -> list[tuple[int, int, _Res]]:
        """``X تا Y`` (and ``از X تا Y``): one interval; X takes Y's year when X had none."""
        merged: list[tuple[int, int, _Res]] = []
        idx = 0
        while idx < len(out):
            k0, k1, s, e, res = out[idx]
            if idx + 1 < len(out):
                j0, j1, s2, e2, res2 = out[idx + 1]
                if (j0 == k1 + 2 and self.nxt(k1, "ta") and self.adj(k1 + 1) and res.start is not None
                        and res2.start is not None):
                    r1 = res
                    if res.year_inferred and not res2.year_inferred and res2.cal_parts and res.cal_parts \
                            and res.calendar == res2.calendar:
                        y = res2.cal_parts[0]
                        _, m, d = res.cal_parts
                        r1 = _resolve_ymd(res.calendar, y, m, d or None, self.ref) or res
                        if r1.start and r1.start > res2.end:  # ۲۰ اسفند تا ۱۰ فروردین ۱۴۰۴
                            r1 = _resolve_ymd(res.calendar, y - 1, m, d or None, self.ref) or r1
                    if r1.start <= res2.end:
                        jal = f"{r1.jalali}/{res2.jalali}" if r1.jalali and res2.jalali else None
                        merged.append((s, e2, _Res(calendar=r1.calendar, jalali=jal, start=r1.start,
                                                   end=res2.end, gran="interval",
                                                   relative=r1.relative and res2.relative)))
                        idx += 2
                        continue
            merged.append((s, e, res))
            idx += 1
        return merged


# The rules of _Parser.expr in order, each with the features atom k needs for it to return anything (read off
# its first checks; their union is _START_FEATS).
_RULE_STARTS = (
    (_Parser.r_calendar_date, frozenset({"relday", "dayw", "wd", "num", "ord", "card", "mahw", "jm", "gm", "hm"})),
    (_Parser.r_part, frozenset({"part", "ord"})),
    (_Parser.r_numeric, frozenset({"nd"})),
    (_Parser.r_year, frozenset({"salw", "punit", "num"})),
    (_Parser.r_relative, frozenset({"relyear", "this", "vague", "num", "card", "unit", "punit"})),
    (_Parser.r_season, frozenset({"fasl", "season"})),
    (_Parser.r_decade, frozenset({"unit"})),
    (_Parser.r_holiday, frozenset({"holiday"})),
    (_Parser.r_month_block, frozenset({"mblock", "num", "card"})),
    (_Parser.r_century, frozenset({"unit"})),
)
assert _START_FEATS == frozenset().union(*(start for _, start in _RULE_STARTS))


# --------------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------------

def _find(text: str, ref: _dt.date | None) -> list[tuple[int, int, _Res]]:
    lex = _lexicon()
    atoms, joined, comma = _atoms(text, lex)
    if not atoms:
        return []
    return _Parser(text, atoms, joined, ref, comma).parse()


def _mention(span_text: str, start: int, end: int, norm: str, res: _Res, sentence: int | None = None) -> DateMention:
    return DateMention(text=span_text, start=start, end=end, calendar=res.calendar, jalali=res.jalali,
                       start_date=res.start, end_date=res.end, granularity=res.gran, relative=res.relative,
                       norm=norm, sentence=sentence)


def _normalized(text: str):
    from .normalize import default_normalizer

    return default_normalizer().normalize_with_offsets(text)


def extract_dates(text: str, reference: object = None) -> list[DateMention]:
    """Every date mention in ``text`` (sorted by start), resolved against ``reference`` when relative.

    >>> [(d.text, str(d.start_date)) for d in extract_dates("در ۱۱ اردیبهشت ۱۴۰۵ برگزار می‌شود")]
    [('۱۱ اردیبهشت ۱۴۰۵', '2026-05-01')]
    """
    text = require_str(text)
    ref = parse_published(reference)
    nt = _normalized(text)
    out = []
    for s, e, res in _find(nt.text, ref):
        sp = nt.span(s, e)
        out.append(_mention(sp.text, sp.start, sp.end, sp.norm, res))
    return out


def parse_date(text: str, reference: object = None) -> DateMention | None:
    """The first date mention in ``text`` or ``None``; ``reference`` is a date, ISO or Jalali string.

    >>> d = parse_date("انتخابات در ۱۱ اردیبهشت ۱۴۰۵ برگزار می‌شود.")
    >>> d.text, d.jalali, d.start_date.isoformat()
    ('۱۱ اردیبهشت ۱۴۰۵', '1405-02-11', '2026-05-01')
    >>> d = parse_date("از ابتدای امسال", reference="1404-07-14")
    >>> d.start_date.isoformat(), d.end_date.isoformat(), d.relative
    ('2025-03-21', '2025-10-06', True)
    """
    found = extract_dates(text, reference)
    return found[0] if found else None


class DateExtractor:
    """Pipeline stage: fills ``doc.article.dates`` (sorted by start, ``sentence`` set), relative to ``published``."""

    def __init__(self) -> None:
        _lexicon()  # build the tables once, up front

    def __call__(self, doc) -> None:
        nt, article = doc.nt, doc.article
        sent_starts = [s.start for s in article.sentences]
        dates = []
        for s, e, res in _find(nt.text, article.published):
            sp = nt.span(s, e)
            sent = bisect.bisect_right(sent_starts, sp.start) - 1 if sent_starts else None
            dates.append(_mention(sp.text, sp.start, sp.end, sp.norm, res,
                                  sent if sent is not None and sent >= 0 else None))
        dates.sort(key=lambda d: (d.start, d.end))
        article.dates = dates


# --------------------------------------------------------------------------------------------------------
# Time expressions (for the parstdex span benchmark's "dates+times" score only)
# --------------------------------------------------------------------------------------------------------

def find_time_spans(text: str) -> list[tuple[int, int]]:
    """Spans (in ``text``) of clock-time expressions: ``ساعت ۱۰ صبح``, ``۱۰:۳۰``, ``ظهر``, ``امشب``…

    Not part of ``Article.dates``; used to score date-and-time spans against parstdex's test set.
    """
    text = require_str(text)
    lex = _lexicon()
    atoms, joined, comma = _atoms(text, lex)
    p = _Parser(text, atoms, joined, None, comma)
    spans = []
    k = 0
    while k < len(atoms):
        f = atoms[k].f
        last = None
        if "tm" in f:
            last = k
        elif "t_hour" in f and p.adj(k) and k + 1 < len(atoms) and (
                "num" in atoms[k + 1].f or "card" in atoms[k + 1].f or "tm" in atoms[k + 1].f):
            last = k + 1
        elif ("num" in f or "card" in f) and (p.nxt(k, "t_daypart") or p.nxt(k, "t_half")) \
                and _count_value(atoms[k]) is not None and _count_value(atoms[k]) <= 24:
            last = k
        elif "t_daypart" in f:
            last = k
        if last is None:
            k += 1
            continue
        while True:
            if p.nxt(last, "t_daypart") or p.nxt(last, "t_minute") or p.nxt(last, "t_half") \
                    or p.nxt(last, "t_quarter"):
                last += 1
            elif (p.nxt(last, "num") or p.nxt(last, "card")) and p.nxt(last + 1, "t_minute"):
                last += 2
            elif p.nxt(last, "and") and (p.nxt(last + 1, "num") or p.nxt(last + 1, "card")) \
                    and p.nxt(last + 2, "t_minute"):
                last += 3
            else:
                break
        spans.append((atoms[k].s, atoms[last].e))
        k = last + 1
    return spans
