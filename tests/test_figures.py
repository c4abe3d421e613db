"""Figures stage: data-table cases (tests/cases/figures.yaml), property tests on arbitrary text, pipeline wiring."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from fa_policy_nlp.figures import FigureExtractor, extract_figures
from fa_policy_nlp.resources import load_yaml


def _rows():
    rows = yaml.safe_load((CASES / "figures.yaml").read_text(encoding="utf-8"))
    return [pytest.param(r, id=r["id"],
                         marks=[pytest.mark.xfail(strict=True, reason=r["xfail"])] if r.get("xfail") else [])
            for r in rows]


@pytest.mark.parametrize("row", _rows())
def test_figure_case(row):
    figs = extract_figures(row["text"])
    for f in figs:
        assert row["text"][f.start:f.end] == f.text
    assert [f.text for f in figs] == [e["text"] for e in row["expect"]]
    for f, e in zip(figs, row["expect"]):
        for key, want in e.items():
            got = getattr(f, key)
            if key == "value" and want is not None:
                assert got == pytest.approx(want), key
            else:
                assert got == want, key


def _pieces() -> list[str]:
    nums = load_yaml("numbers.yaml")
    units = load_yaml("units.yaml")
    figs = load_yaml("figures.yaml")
    words = [*nums["cardinals"], *nums["scales"], *nums["ordinals"], nums["conjunction"], *units["currencies"],
             *units["currency_scales"], *units["percent"], *units["counted"][:10], *figs["qualifiers"],
             *figs["months"][:3], *figs["range_sep"], *figs["part_of"]]
    return words + list("۰۱۲۳۴۵۶۷۸۹0123456789.,/\u066b\u066c-      \u200c\n\u060c%\u064f") + ["ab", "\u0643", "\u064a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_pieces()), max_size=40).map("".join))
def test_offsets_valid_on_arbitrary_text(text):
    figs = extract_figures(text)
    for f in figs:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
    assert figs == sorted(figs, key=lambda f: (f.start, f.end))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_no_exception_on_any_text(text):
    for f in extract_figures(text):
        assert text[f.start:f.end] == f.text


def test_stage_sets_figures_and_sentences(pipeline):
    row = next(r for r in yaml.safe_load((CASES / "figures.yaml").read_text(encoding="utf-8"))
               if r["id"] == "count_people")
    text = row["text"] + "\n" + row["text"]
    art = pipeline(text)
    assert [f.text for f in art.figures] == [row["expect"][0]["text"]] * 2
    for f in art.figures:
        s = art.sentences[f.sentence]
        assert s.start <= f.start and f.end <= s.end
    assert art.figures[0].sentence != art.figures[1].sentence


def test_extractor_is_reusable():
    ex = FigureExtractor()
    assert ex.data is FigureExtractor().data  # language data loaded once per process


# ------------------------------------------------------------------ _words_before: backwards fast path = forward scan
from fa_policy_nlp import figures as _figures  # noqa: E402

_WB_PIECES = ["بیش", "از", "حدود", "کتاب\u200cها", "\u200c", " ", "  ", "\t", "\u00a0", "%", "٪", "\u064b", "ـ", "a",
              "۱۲", "3", ".", "،", "_", "²", "x" * 30, "ب" * 25, "\u200e", "\n"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WB_PIECES), min_size=1, max_size=30).map("".join), st.integers(0, 400),
       st.integers(1, 4))
def test_words_before_equals_forward_scan(text, at, k):
    pos = at % (len(text) + 1)
    assert _figures._words_before(text, pos, k) == _figures._words_before_scan(text, pos, k)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=8), st.text(max_size=8))
def test_match_key_of_two_words_is_the_concatenation(a, b):
    """figures._unit builds the key of a two-word unit as w0.key + w1.key."""
    from fa_policy_nlp.keys import match_key

    assert match_key(a + b) == match_key(a) + match_key(b)


# ------------------------------------------------------------------ words read once around a number: = read again
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WB_PIECES), min_size=1, max_size=30).map("".join), st.integers(0, 400),
       st.integers(0, 4))
def test_words_after_end_equals_reading_there(text, at, which):
    """_figure takes the two words after a unit from the words read after the number: the same as reading them
    at the unit's end (``end`` is the number's end or the end of one of those words)."""
    pos = at % (len(text) + 1)
    ws = _figures._words_after(text, pos, _figures._AFTER_READ)
    ends = [pos] + [w.end for w in ws]
    end = ends[which % len(ends)]
    assert _figures._words_after_end(text, pos, ws, end) == _figures._words_after(text, end, 2)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WB_PIECES), min_size=1, max_size=30).map("".join), st.integers(0, 400),
       st.integers(2, 4))
def test_no_word_right_before_means_none_at_all(text, at, k):
    """_qualifier reads no words when the number has none right before it (``prev``): there are none to read."""
    pos = at % (len(text) + 1)
    if not _figures._words_before(text, pos, 1):
        assert _figures._words_before(text, pos, k) == []


# ------------------------------------------------------------------ _unit (memoised) = _unit_of (computed)
def _unit_pieces():
    """Unit words of data/units.yaml and data/figures.yaml (their first words and whole phrases), adjectival forms,
    words that block or date a number, light verbs, plain words and separators."""
    from fa_policy_nlp.resources import load_yaml

    units, fig = load_yaml("units.yaml"), load_yaml("figures.yaml")
    words: list[str] = []
    for table in ("currencies", "currency_scales", "measures", "time_units", "counted"):
        words += list(units[table])[::3]
    words += [*units["percent"], *units["percent_points"], *units["classifiers"][:5], *fig["relative_time"][:6],
              *fig["light_verbs"][:6], *list(fig["months"])[:4], *fig["time_of_day"][:2], *fig["eras"][:2],
              *fig["verb_prefixes"], *fig["function_words"][:6]]
    words += [w + s for w in words[:12] for s in units["adjective_suffixes"][:2]]
    return words + ["x", "ab", " ", " ", " ", "  ", "\u200c", "،", "۱۲"]


_UNIT_PIECES = _unit_pieces()


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_UNIT_PIECES), min_size=1, max_size=14).map(" ".join))
def test_unit_memo_equals_computed(text):
    """Every position twice (the second time from the memo, filled at other positions and by earlier examples)."""
    from fa_policy_nlp.numbers import NumberMatch

    ex = _figures._extractor()
    for _ in range(2):
        for pos in range(len(text) + 1):
            ws = _figures._words_after(text, pos, _figures._AFTER_READ)
            expect = ex._unit_of(ws) if ws else None
            assert ex._unit(text, NumberMatch(pos, pos, 1)) == expect
            assert ex._unit(text, NumberMatch(pos, pos, 1), ws) == expect


# ------------------------------------------------------------------ _words_after (one match) = one word at a time
_WORD_AFTER = re.compile(rf"{_figures._SPACE}({_figures._WORD_SRC})")


def _words_after_one_at_a_time(text, pos, k):
    out = []
    while len(out) < k:
        m = _WORD_AFTER.match(text, pos)
        if not m:
            break
        s, pos = m.span(1)
        out.append(_figures._W(s, pos, m.group(1), _figures.match_key(m.group(1))))
    return out


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WB_PIECES), min_size=1, max_size=30).map("".join), st.integers(0, 400),
       st.integers(1, 4))
def test_words_after_equals_one_at_a_time(text, at, k):
    pos = at % (len(text) + 1)
    assert _figures._words_after(text, pos, k) == _words_after_one_at_a_time(text, pos, k)
