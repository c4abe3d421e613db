"""Normaliser tests driven by tables in tests/cases/normalize_*.yaml (a failure names the row)."""

from __future__ import annotations

import random

import pytest
import yaml

from conftest import CASES, shared_path
from fa_policy_nlp.normalize import Normalizer, default_normalizer, normalize


def _load(name: str) -> list[dict]:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def _params(rows: list[dict], xfail: bool = True) -> list:
    out = []
    for row in rows:
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=True)] if xfail and row.get("xfail") else []
        out.append(pytest.param(row, id=row["id"], marks=marks))
    return out


@pytest.fixture(scope="session")
def normalizer() -> Normalizer:
    return default_normalizer()


@pytest.fixture(scope="session")
def rules() -> Normalizer:
    """The rules alone (no corpus frequencies): the same output on every installation."""
    return Normalizer(wordfreq=False)


@pytest.mark.parametrize("row", _params(_load("normalize_cases.yaml")))
def test_normalize_case(rules, row):
    assert rules.normalize(row["input"]) == row["expected"]


@pytest.mark.parametrize("row", _params(_load("normalize_freq_cases.yaml")))
def test_normalize_freq_case(normalizer, row):
    from fa_policy_nlp.normalize import _wordfreq_fa

    if _wordfreq_fa() is None:
        pytest.skip("optional package wordfreq is not installed")
    assert normalizer.normalize(row["input"]) == row["expected"]


@pytest.mark.parametrize("row", _params(_load("normalize_cases.yaml") + _load("normalize_freq_cases.yaml"),
                                        xfail=False))
def test_case_is_idempotent_and_offsets_hold(normalizer, row):
    out = normalizer.normalize(row["input"])
    assert normalizer.normalize(out) == out
    nt = normalizer.normalize_with_offsets(row["input"])
    assert nt.text == out
    for s in range(len(nt.text)):
        sp = nt.span(s, s + 1)
        assert row["input"][sp.start:sp.end] == sp.text


@pytest.mark.parametrize("row", _params(_load("normalize_offsets.yaml")))
def test_offsets_case(normalizer, row):
    nt = normalizer.normalize_with_offsets(row["input"])
    k = nt.text.find(row["norm"])
    assert k >= 0, f"{row['norm']!r} not in {nt.text!r}"
    sp = nt.span(k, k + len(row["norm"]))
    assert (sp.text, sp.norm) == (row["raw"], row["norm"])
    assert row["input"][sp.start:sp.end] == sp.text


def test_module_function_uses_default(normalizer):
    assert default_normalizer() is normalizer
    assert normalize("يك") == "یک"


def test_ascii_digit_option():
    n = Normalizer(digits="ascii")
    assert n.normalize("۱۵ درصد و ١٢") == "15 درصد و 12"
    with pytest.raises(ValueError):
        Normalizer(digits="roman")


def test_zwnj_option_off():
    assert Normalizer(zwnj=False).normalize("میشود") == "میشود"


@pytest.mark.parametrize("bad", [b"bytes", None, 12, ["list"]])
def test_non_str_is_type_error(normalizer, bad):
    with pytest.raises(TypeError):
        normalizer.normalize(bad)
    with pytest.raises(TypeError):
        normalizer.normalize_with_offsets(bad)


def test_paragraphs_one_per_line(normalizer):
    raw = "خط اول\n\nخط  سوم میشود\n"
    nt = normalizer.normalize_with_offsets(raw)
    assert len(nt.paragraphs) == raw.count("\n") + 1
    assert [nt.text[s:e] for s, e in nt.paragraphs] == nt.text.split("\n")
    s, e = nt.paragraphs[2]
    assert nt.span(s, e).text == "خط  سوم میشود"


def _hostile() -> dict[str, str]:
    rnd = random.Random(3)
    alphabet = "ابپتیيكة۰۱۲3 \u200c\u200d\u200e\u202b\u202c\u2069\n\t\r.,:«»\"'<>/ـًّaZ😀\x00\x1b"
    return {
        "digits": "7" * 50_000,
        "number-phrase": "۱ میلیون و " * 4000,
        "random": "".join(rnd.choice(alphabet) for _ in range(200_000)),
        "control": "\x00\x01\x1b[31m\u202e\u200f" * 2000,
        "html": "<div class=\"x\"><p>وزير گفت: <b>۱۲.۵</b> درصد</p></div>\n" * 500,
        "lone-surrogate-free-astral": "𝔘𝔫𝔦 😀 سلام" * 1000,
    }


@pytest.mark.parametrize("name", list(_hostile()))
def test_hostile_input_does_not_crash(normalizer, name):
    raw = _hostile()[name]
    nt = normalizer.normalize_with_offsets(raw)
    assert len(nt.starts) == len(nt.ends) == len(nt.text)
    assert nt.text.count("\n") == raw.count("\n")
    assert all(0 <= a <= b <= len(raw) for a, b in zip(nt.starts, nt.ends))


def test_fars_news_sample_offsets(normalizer):
    """Real old-style news (Arabic ي/ك, "مي شود"): every normalised word maps back to raw text that normalises to it."""
    import json
    import re

    path = shared_path("bench", "fars-news", "fars-news-1.json")
    arts = json.loads(path.read_text(encoding="utf-8"))[:40]
    for a in arts:
        raw = "\n".join([a.get("title") or "", a.get("abstract") or ""] + list(a.get("paragraphs") or []))
        nt = normalizer.normalize_with_offsets(raw)
        for m in re.finditer(r"[^\s\u200c]+", nt.text):
            sp = nt.span(m.start(), m.end())
            assert raw[sp.start:sp.end] == sp.text
            letters = re.compile(r"[\W_]")  # compare letters and digits (quotes/dots are context-dependent)
            assert letters.sub("", normalizer.normalize(sp.text)) == letters.sub("", m.group()), (sp.text, m.group())


def test_frequency_layer_is_derived_at_construction():
    """The omission bias is measured on می‌ verb forms (a positive margin, well under 3 bels) and the compound tables
    come from wordfreq; without wordfreq neither exists."""
    from fa_policy_nlp.normalize import _lexicon, _wordfreq_fa

    if _wordfreq_fa() is None:
        pytest.skip("optional package wordfreq is not installed")
    lex = _lexicon(True)
    assert 0 < lex.margin < 300
    assert lex.compound_join and lex.binomials
    plain = _lexicon(False)
    assert plain.margin == 0 and not plain.compound_join
