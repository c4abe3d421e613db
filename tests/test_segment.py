"""Segmenter tests driven by tests/cases/segment_cases.yaml (a failure names the row), plus raw-offset checks."""

from __future__ import annotations

import pytest
import yaml

from conftest import CASES
from fa_policy_nlp.normalize import default_normalizer
from fa_policy_nlp.segment import Segmenter

ROWS = yaml.safe_load((CASES / "segment_cases.yaml").read_text(encoding="utf-8"))


def _params(rows):
    return [pytest.param(r, id=r["id"], marks=[pytest.mark.xfail(reason=r["xfail"], strict=True)]
                         if r.get("xfail") else []) for r in rows]


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return Segmenter()


def _segment(segmenter, raw):
    return segmenter.segment(default_normalizer().normalize_with_offsets(raw))


def _check_offsets(raw, items):
    for it in items:
        assert raw[it.start:it.end] == it.text, it


@pytest.mark.parametrize("row", _params(ROWS))
def test_segment_case(segmenter, row):
    raw = row["input"]
    paragraphs, sentences, tokens = _segment(segmenter, raw)
    assert [s.norm for s in sentences] == row["sentences"]
    if "tokens" in row:
        assert [t.norm for t in tokens] == row["tokens"]
    if "paragraphs" in row:
        assert [p.norm for p in paragraphs] == row["paragraphs"]
    for items in (paragraphs, sentences, tokens):
        _check_offsets(raw, items)


@pytest.mark.parametrize("row", _params(ROWS))
def test_structure_indices(segmenter, row):
    paragraphs, sentences, tokens = _segment(segmenter, row["input"])
    assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
    for s in sentences:
        p = paragraphs[s.paragraph]
        assert p.start <= s.start <= s.end <= p.end
    for t in tokens:
        s = sentences[t.sentence]
        assert s.start <= t.start <= t.end <= s.end
        assert "_" not in t.norm


def test_old_style_input_offsets(segmenter):
    raw = "وزير كشور گفت:  ۱۵ درصد كاهش مي يابد .\r\nپاراگراف\u200f دوم  ."
    paragraphs, sentences, tokens = _segment(segmenter, raw)
    assert len(paragraphs) == 2
    for items in (paragraphs, sentences, tokens):
        _check_offsets(raw, items)
    assert [t.text for t in tokens if "\u200c" in t.norm] == ["مي يابد"]


def test_seed_article(segmenter, seed_text):
    paragraphs, sentences, tokens = _segment(segmenter, seed_text)
    assert len(paragraphs) == sum(1 for line in seed_text.split("\n") if line.strip())
    for items in (paragraphs, sentences, tokens):
        _check_offsets(seed_text, items)
    # a reporting colon never ends a sentence
    assert not any(s.norm.rstrip().endswith(":") for s in sentences)


# ------------------------------------------------------------------ the regex forms of hazm's tokenizers
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fa_policy_nlp.segment import _WORD_TOKEN, _hazm_tokenizers, _locate, _sentence_spans  # noqa: E402

# letters, digits (ASCII/Persian/Arabic), every mark of hazm's patterns, separators and look-alikes
_ALPHABET = list("ابپتسیکو") + list("12۱۲٣٤") + list(':.،؛»])}"«[({/\\؟!?⸮٫٬,-') + [
    " ", "  ", "\t", "\u200c", "\u00a0", "\r", "\u2009"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_word_token_regex_is_hazm(text):
    hazm_words = _hazm_tokenizers()[1].tokenize(text)
    assert [m.span() for m in _WORD_TOKEN.finditer(text)] == _locate(hazm_words, text, 0, len(text))


_TEXT = st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_sentence_regex_is_hazm(before, text):
    # hazm splits text[start:end] on its own: what precedes ``start`` (here ``before``) must not matter
    whole = before + text
    hazm_sents = _hazm_tokenizers()[0].tokenize(text)
    assert _sentence_spans(whole, len(before), len(whole)) == _locate(hazm_sents, whole, len(before), len(whole))


@pytest.mark.parametrize("enabled", [True, False])
def test_long_text_leaves_the_garbage_collector_as_it_was(enabled):
    """Long texts are segmented with the collector paused; its state is restored (also when it was off)."""
    import gc

    from fa_policy_nlp.normalize import default_normalizer
    from fa_policy_nlp.segment import _GC_PAUSE_CHARS, Segmenter

    nt = default_normalizer().normalize_with_offsets("وزیر کشور گفت: ۱۵ درصد افزایش یافت. " * (_GC_PAUSE_CHARS // 30))
    assert len(nt.text) >= _GC_PAUSE_CHARS
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        paragraphs, sentences, tokens = Segmenter().segment(nt)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert len(sentences) >= _GC_PAUSE_CHARS // 40 and all(nt.raw[t.start:t.end] == t.text for t in tokens)
