"""parse_number / scan_numbers against the data tables tests/cases/numbers.csv and numbers_scan.yaml."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fa_policy_nlp.numbers import parse_number, scan_numbers
from fa_policy_nlp.resources import load_yaml
from conftest import CASES


def _rows():
    with open(CASES / "numbers.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [pytest.param(row, id=row["id"],
                         marks=[pytest.mark.xfail(strict=True, reason=row["xfail"])] if row["xfail"] else [])
            for row in rows]


def _expected(text: str):
    if text == "":
        return None
    if "/" in text:
        return Fraction(text)
    return Fraction(Decimal(text))


@pytest.mark.parametrize("row", _rows())
def test_parse_number(row):
    got = parse_number(row["text"])
    exp = _expected(row["expected"])
    if exp is None:
        assert got is None
    else:
        assert got is not None and Fraction(got) == exp
        # value types: int when integral, Decimal for finite decimals, Fraction otherwise
        if exp.denominator == 1:
            assert type(got) is int
        else:
            assert isinstance(got, (Decimal, Fraction))


def _scan_rows():
    rows = yaml.safe_load((CASES / "numbers_scan.yaml").read_text(encoding="utf-8"))
    return [pytest.param(row, id=row["id"],
                         marks=[pytest.mark.xfail(strict=True, reason=row["xfail"])] if row.get("xfail") else [])
            for row in rows]


@pytest.mark.parametrize("row", _scan_rows())
def test_scan_numbers(row):
    text = row["text"]
    got = [(text[m.start:m.end], m.kind, None if m.value is None else Fraction(m.value))
           for m in scan_numbers(text) if not m.ambiguous]
    exp = [(e["text"], e.get("kind", "cardinal"), None if e.get("value") is None else Fraction(str(e["value"])))
           for e in row["expect"]]
    assert got == exp


def _pieces() -> list[str]:
    """Number words from the package data plus digits, separators and punctuation."""
    data = load_yaml("numbers.yaml")
    words = [*data["cardinals"], *data["scales"], *data["ordinals"], *data["negative"], *data["point"],
             *data["half"], *data["ordinal_suffixes"], *data["ordinal_suffixes_after_vowel"], data["conjunction"]]
    return words + list("۰۱۲۳۴۵۶۷۸۹0123456789.,/\u066b\u066c-\u2212 \u200c\n\u060c%\u064f") + ["x", "ab"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_pieces()), max_size=30).map("".join))
def test_scan_never_fails(text):
    for m in scan_numbers(text):
        assert 0 <= m.start < m.end <= len(text)
    parse_number(text)


# ------------------------------------------------------------------ the token regex (atomic runs) is the plain one
import dataclasses  # noqa: E402
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fa_policy_nlp import numbers as _numbers  # noqa: E402
from fa_policy_nlp.keys import match_key  # noqa: E402

# the definition before the speed change: one letter or mark at a time
_PLAIN_TOKEN = re.compile(
    rf"(?P<num>(?:(?<![\w\u200c{_numbers._SEPS}])[-\u2212])?[{_numbers._DIGITS}]+"
    rf"(?:[{_numbers._SEPS}][{_numbers._DIGITS}]+)*)"
    rf"|(?P<word>(?:[^\W\d_]|[{_numbers._MARKS}])+(?:\u200c+(?:[^\W\d_]|[{_numbers._MARKS}])+)*)"
)
_ALPHABET = list("ابپ۱۲3a_-.,/٫٬é ") + ["\u200c", "\u064b", "\u0651", "\u0670", "\u2212"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join))
def test_token_regex_matches_plain_definition(text):
    got = [(m.span(), m.lastgroup) for m in _numbers._TOKEN.finditer(text)]
    assert got == [(m.span(), m.lastgroup) for m in _PLAIN_TOKEN.finditer(text)]


# ------------------------------------------------------------------ the seek fast path of _atoms is the full scan
def _atoms_full_scan(text):
    """``numbers._atoms`` before the seek fast path: every token of ``_TOKEN.finditer`` visited in Python."""
    lex = _numbers._lexicon()
    out, prev_end, prev_numeric, broken = [], -1, False, False
    for m in _numbers._TOKEN.finditer(text):
        word = m.group("word")
        if word is not None and not prev_numeric and _numbers._word_template(word, False) is None:
            broken = True
            continue
        s, e = m.span()
        gap_ok = not broken and prev_end >= 0 and _numbers._GAP_OK.fullmatch(text, prev_end, s) is not None
        if word is None:
            got = _numbers._digit_pieces(m.group(), s)
            if (s > 0 and text[s - 1] in _numbers._LATIN) or (e < len(text) and text[e] in _numbers._LATIN):
                for a in got:
                    a.code = True
        else:
            attached = prev_numeric and (prev_end == s or text[prev_end:s].strip("\u200c") == "")
            tpl = _numbers._word_template(word, attached)
            if tpl is None:
                if prev_numeric and gap_ok and _numbers.match_key(word) in lex.suffixes_vowel:
                    got = [_numbers._Atom("sfx", s, e)]
                else:
                    broken, prev_numeric, prev_end = True, False, e
                    continue
            else:
                got = [_numbers._Atom(a.kind, a.start + s, a.end + s, a.value, True, a.frac_ok, a.scale_ord,
                                      a.ambiguous, a.negation, a.date, a.code, a.decimal, a.text) for a in tpl]
        got[0].gap_ok = gap_ok
        out.extend(got)
        broken, prev_end = False, e
        prev_numeric = got[-1].kind in ("digit", "card", "scale")
    return out


_NUM_DATA = _numbers.load_yaml("numbers.yaml")
_lex_words = sorted({*_NUM_DATA["cardinals"], *_NUM_DATA["scales"]})[:40]
_CONJ = _NUM_DATA["conjunction"]
# number words, the conjunction and ordinal suffixes (glued and spaced), words cut short or extended (near misses
# for the seek regex's trie), و glued before number words and near misses (و+word cut short), halves, ordinals,
# the negative and decimal-point words, Arabic letter variants, tatweel, hamza, diacritics, digits and separators
_SEEK_ALPHABET = (_lex_words + [w[:-1] for w in _lex_words[:15]] + [w + w[-1] for w in _lex_words[15:30]]
                  + [_CONJ + w for w in _lex_words[:6]] + [_CONJ + w[:-1] for w in _lex_words[6:12]]
                  + [_CONJ, _CONJ, _CONJ, *_NUM_DATA["ordinal_suffixes"], *_NUM_DATA["ordinal_suffixes_after_vowel"],
                     *_NUM_DATA["half"], *_NUM_DATA["quarter"], *_NUM_DATA["negative"], *_NUM_DATA["point"],
                     *list(_NUM_DATA["ordinals"])[:4]]
                  + ["\u0624", "\u064a", "\u0643", "\u0640", "\u0621", "\u064b", "\u0670", "ab", "_", "-", "\u2212",
                     "۱", "2", "٣", "٫", "/", ",", ".", " ", "  ", " ", " ", "\u200c", "\u200e", "\u00a0", "\u0967",
                     "½", "\u060c", "\n"])


def _place(a):
    return a.kind, a.start, a.end


def _unreachable(atoms):
    """Atoms no parse can reach: not a start (scan_numbers skips "and" atoms), and without gap_ok or after another
    such atom (a parse only goes on to an atom with gap_ok)."""
    out, prev_out = set(), True
    for a in atoms:
        prev_out = a.kind == "and" and (not a.gap_ok or prev_out)
        if prev_out:
            out.add(_place(a))
    return out


def _check_seek_atoms(text):
    """``_atoms`` is the full scan but for و-alone "and" atoms that no parse can reach (which it leaves out), and
    for the ``gap_ok`` of the atom after such a one (then False); the numbers they make are the same."""
    fast, full = _numbers._atoms(text), _atoms_full_scan(text)
    assert _numbers._matches(fast) == _numbers._matches(full)
    kept = {_place(a) for a in fast}
    dropped = [a for a in full if _place(a) not in kept]
    unreachable = _unreachable(full)
    assert all(_place(a) in unreachable and match_key(text[a.start:a.end]) == match_key(_CONJ) for a in dropped)
    expect = []
    for prev, a in zip([None] + full, full):
        if _place(a) in kept:
            if prev is not None and _place(prev) not in kept:
                a = dataclasses.replace(a, gap_ok=False)
            expect.append(a)
    assert fast == expect


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SEEK_ALPHABET), max_size=25).map("".join))
def test_seek_atoms_equal_full_scan(text):
    _check_seek_atoms(text)


_CONJ_CASES = [  # و alone after a plain word (left out) next to numbers, halves, decimals and another و
    "{two} {point} {twenty} {c} ab {c} {six}", "{two} {point} {twenty} {c}، {c} {six}", "{half} {c} {half}",
    "{half} {c} ab {c} {half}", "{c} {six}", "ab {c} {six} {c} {c} {twenty}", "{twenty} {c} ab {c} {c} {six}",
    "{neg} {c} {six}", "{point} {c} ab {c} {two}", "۱۴۰۳ {c} ab {c} ۵", "{c}\u200c{six} {c}{six}",
]


@pytest.mark.parametrize("pattern", _CONJ_CASES)
def test_seek_atoms_conjunction_cases(pattern):
    card = {int(v): k for k, v in _NUM_DATA["cardinals"].items()}
    words = {"c": _CONJ, "two": card[2], "six": card[6], "twenty": card[20], "point": _NUM_DATA["point"][0],
             "half": _NUM_DATA["half"][0], "neg": _NUM_DATA["negative"][0]}
    _check_seek_atoms(pattern.format(**words))
