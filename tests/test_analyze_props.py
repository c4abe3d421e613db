"""Property test: analyze() never raises on arbitrary text and every span slices the raw input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fa_policy_nlp import analyze
from test_hostile import ALPHABET, check_spans

PIECES = list(ALPHABET) + ["میلیون", "هزار", "درصد", "گفت:", "وزیر کشور ", "اردیبهشت", "امسال", " و ", "۱۴۰۴",
                           "وی ", "بیش از ", "حدود ", "تومان", "همت", "رئیس جمهور", "دکتر ", "سید "]
persianish = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(persianish, st.text(max_size=200)))
def test_analyze_offsets_valid(text):
    check_spans(analyze(text, published="1404-07-14"))
