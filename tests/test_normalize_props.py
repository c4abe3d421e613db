"""Property tests (hypothesis): offsets stay valid and normalisation is idempotent on arbitrary Unicode."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fa_policy_nlp.normalize import default_normalizer

_N = default_normalizer()

# Persian-heavy alphabet with everything the normaliser rewrites, mixed with arbitrary Unicode.
_PERSIAN = st.sampled_from(list(
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئؤأءيكىةۀ۰۱۲۳۴۵۶۷۸۹٠١٢0123456789"
    " \u200c\u200d\u200e\u200f\u202a\u202c\u2066\u2069\ufeff\u00a0\t\r\n.:!?،؛؟«»()[]\"'…٫%ـًٌٍَُِّْ﷼ﻻ")
    + ["می", "نمی", "ها", "های", "ترین", "ای", "اند", "رئیس", "جمهور", "...", " می ", " ها ", "شود", "کتاب"])
_TEXT = st.lists(st.one_of(_PERSIAN, st.characters()), max_size=60).map("".join) | st.text(max_size=80)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_offsets_valid(raw):
    nt = _N.normalize_with_offsets(raw)
    n = len(nt.text)
    assert len(nt.starts) == len(nt.ends) == n
    prev = 0
    for a, b in zip(nt.starts, nt.ends):
        assert 0 <= a <= b <= len(raw)
        assert a >= prev
        prev = a
    for s in range(0, n + 1, max(1, n // 7)):
        for e in (s, min(n, s + 1), min(n, s + 5), n):
            if e < s:
                continue
            sp = nt.span(s, e)
            assert raw[sp.start:sp.end] == sp.text
            assert sp.norm == nt.text[s:e]
    assert [nt.text[a:b] for a, b in nt.paragraphs] == nt.text.split("\n")
    assert nt.text.count("\n") == raw.count("\n")


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_idempotent(raw):
    once = _N.normalize(raw)
    assert _N.normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_string_and_offset_paths_agree(raw):
    assert _N.normalize_with_offsets(raw).text == _N.normalize(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابپ كيی ۱2 \u200c\n.،ـً", min_size=1, max_size=40), st.data())
def test_span_fields_equal_span_on_non_empty_spans(raw, data):
    from fa_policy_nlp.normalize import default_normalizer

    nt = default_normalizer().normalize_with_offsets(raw)
    if not nt.text:
        return
    start = data.draw(st.integers(0, len(nt.text) - 1))
    end = data.draw(st.integers(start + 1, len(nt.text)))
    sp = nt.span(start, end)
    assert nt.span_fields(start, end) == (sp.text, sp.start, sp.end, sp.norm)
