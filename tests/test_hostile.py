"""analyze() on hostile input: no exception, every span slices the input; bad types give clear errors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from fa_policy_nlp import analyze

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "hostile.yaml").read_text(encoding="utf-8"))
ALPHABET = ("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةى" "۰۱۲۳۴۵۶۷۸۹0123456789" "abcXYZ .,:;!?«»()\n\u200c\u200d"
            "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u064b\u064e\u0640")


def random_mixed(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def random_unicode(n: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        c = rng.randrange(0, 0x110000)
        if not 0xD800 <= c <= 0xDFFF:
            out.append(chr(c))
    return "".join(out)


def check_spans(article) -> None:
    raw = article.text
    items = [*article.paragraphs, *article.sentences, *article.tokens, *article.figures, *article.dates,
             *article.claims, *(m for o in article.officials for m in o.mentions)]
    for c in article.claims:
        items += [s for s in (c.cue, c.content) if s is not None]
    for it in items:
        assert 0 <= it.start <= it.end <= len(raw), it
        assert raw[it.start:it.end] == it.text, it


@pytest.mark.parametrize("name,expr", CASES, ids=[c[0] for c in CASES])
def test_hostile_input(name, expr):
    text = eval(expr, {"random_mixed": random_mixed, "random_unicode": random_unicode})
    article = analyze(text, published="2025-10-06")
    check_spans(article)


@pytest.mark.parametrize("bad", [None, b"\xd9\x88", 42, 3.5, ["متن"]])
def test_non_str_input_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="must be str"):
        analyze(bad)


@pytest.mark.parametrize("published", ["1404-13-01", "tomorrow", "2025-02-30"])
def test_bad_published_is_a_value_error(published):
    with pytest.raises(ValueError, match="published"):
        analyze("متن", published=published)
