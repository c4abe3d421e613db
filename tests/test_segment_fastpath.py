"""Equivalence tests for the fast paths of segment.py, each against the plain form it replaced (kept here).

* ``_SENT_END`` (its look-behind placed after the first mark, so that the pattern starts with a character class)
  and ``_QUOTE_END`` (starting with the guillemet) against the forms with the look-behind first;
* ``Segmenter.segment`` (paragraphs, sentences and tokens built through draft classes, raw offsets read from the
  offset maps directly) against the plain form: :meth:`NormalizedText.span` and the dataclass constructors, with the
  token loop over every token (``_reference_tokens``, from test_normalize_fastpath.py, where ``Segmenter.tokens`` is
  also compared with it by a property test).

Both on the case table (tests/cases/segment_cases.yaml) and on generated text (hypothesis).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import CASES
from fa_policy_nlp.normalize import ZWNJ, NormalizedText, default_normalizer
from fa_policy_nlp.segment import _QUOTE_END, _SENT_END, _TOKEN_DRAFT, Segmenter, _draft_class
from fa_policy_nlp.types import Paragraph, Sentence, Token
from test_normalize_fastpath import _reference_tokens

_NORM = default_normalizer()
_SEG = Segmenter()
ROWS = yaml.safe_load((CASES / "segment_cases.yaml").read_text(encoding="utf-8"))

# the sentence-end rules as first written: the look-behind first (tried at every position of the text)
_REFERENCE_SENT_END = re.compile(r"(?<![!.?⸮؟])((?>[!.?⸮؟]+))[ \n]+")
_REFERENCE_QUOTE_END = re.compile(r"(?<=[.!?؟]») +")


def _reference_segment(nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], list[Token]]:
    """Segmenter.segment in its plain form: nt.span for every item, the dataclass constructors, every token visited."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    text = nt.text
    for ps, pe in nt.paragraphs:
        while ps < pe and text[ps].isspace():
            ps += 1
        while pe > ps and text[pe - 1].isspace():
            pe -= 1
        if ps >= pe:
            continue
        pi = len(paragraphs)
        sp = nt.span(ps, pe)
        paragraphs.append(Paragraph(sp.text, sp.start, sp.end, sp.norm, pi))
        for ss, se in _SEG.sentences(text, ps, pe):
            si = len(sentences)
            sp = nt.span(ss, se)
            sentences.append(Sentence(sp.text, sp.start, sp.end, sp.norm, pi))
            for ts, te in _reference_tokens(text, ss, se):
                sp = nt.span(ts, te)
                tokens.append(Token(sp.text, sp.start, sp.end, sp.norm, si))
    return paragraphs, sentences, tokens


def _check_segment(raw: str) -> None:
    nt = _NORM.normalize_with_offsets(raw)
    got, want = _SEG.segment(nt), _reference_segment(nt)
    # the lazy tokens: counted from their offsets alone, then built on first use
    assert not got[2].is_built and len(got[2]) == len(want[2]) and not got[2].is_built
    assert got == want and got[2].is_built
    for items, refs in zip(got, want):
        for obj, ref in zip(items, refs):
            # the object made from a draft is the constructor's in every observable way
            assert type(obj) is type(ref)
            assert repr(obj) == repr(ref) and hash(obj) == hash(ref) and obj.to_dict() == ref.to_dict()
            assert pickle.loads(pickle.dumps(obj)) == ref and copy.copy(obj) == ref
            with pytest.raises(dataclasses.FrozenInstanceError):
                obj.start = 0


def _params(rows):
    return [pytest.param(r["input"], id=r["id"]) for r in rows]


@pytest.mark.parametrize("raw", _params(ROWS))
def test_segment_equals_reference_on_cases(raw):
    _check_segment(raw)


@pytest.mark.parametrize("raw", _params(ROWS))
def test_tokens_equal_reference_on_cases(raw):
    nt = _NORM.normalize_with_offsets(raw)
    for ps, pe in nt.paragraphs:
        for ss, se in _SEG.sentences(nt.text, ps, pe):
            assert _SEG.tokens(nt.text, ss, se) == _reference_tokens(nt.text, ss, se)


# letters (Persian/Arabic: the normaliser changes their offsets), digits of three scripts, every mark the splitters
# look at, quotation marks, separators and other white space, line breaks (paragraphs)
_ALPHABET = list("ابپتسیيكکه") + list("1۱۲٣") + list('.:!?؟⸮،؛«»()[]"/٫٬,²') + [
    " ", "  ", "\t", "\n", "\n\n", "\r", "\u00a0", "\u2009", ZWNJ, "...", "۱۲٫۵", "۱۴۰۴/۰۷/۱۴", "۱۲:۳۰.", "گفت: «"]
_TEXT = st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_segment_equals_reference(raw):
    _check_segment(raw)


_MARKS = st.lists(st.sampled_from(list("ab.!?⸮؟") + [" ", "\n", "..", "?!"]), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_MARKS)
def test_sentence_end_regex_equals_reference(text):
    def ends(pattern):
        return [(m.span(), m.span(1)) for m in pattern.finditer(text)]

    assert ends(_SENT_END) == ends(_REFERENCE_SENT_END)


_QUOTES = st.lists(st.sampled_from(list("a.!?؟»«") + [" ", "  ", ".»", "؟» "]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_QUOTES, st.integers(0, 30), st.integers(0, 30))
def test_quote_end_regex_equals_reference(text, start, end):
    # searched within a sentence span (pos/endpos), which never starts with a space (spans are stripped): only there
    # would the reference find spaces whose guillemet precedes the span
    assume(not text[start:start + 1].isspace())
    got = [m.span(1) for m in _QUOTE_END.finditer(text, start, end)]
    assert got == [m.span() for m in _REFERENCE_QUOTE_END.finditer(text, start, end)]


def test_draft_only_for_an_exact_frozen_slotted_dataclass():
    """_draft_class refuses (None: the constructor is used) any class it could not stand in for."""
    names = ("text", "start", "end", "norm", "sentence")
    assert _TOKEN_DRAFT is not None and _draft_class(Token, names) is not None
    assert _draft_class(Token, names[:-1]) is None  # other fields

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithPostInit:
        text: str
        start: int
        end: int
        norm: str = ""
        sentence: int = 0

        def __post_init__(self):
            pass

    @dataclasses.dataclass(frozen=True, slots=True, weakref_slot=True)
    class WithWeakref:  # one more slot than its fields
        text: str
        start: int
        end: int
        norm: str = ""
        sentence: int = 0

    @dataclasses.dataclass(frozen=True)
    class WithoutSlots:
        text: str
        start: int
        end: int
        norm: str = ""
        sentence: int = 0

    for cls in (WithPostInit, WithWeakref, WithoutSlots):
        assert _draft_class(cls, names) is None, cls
