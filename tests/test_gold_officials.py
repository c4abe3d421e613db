"""The example article (../shared/seed/gold.json): officials, their mentions and claim speakers.

Skips when ../shared is absent. Gold paragraphs are 1-based; ours are 0-based.
"""

from __future__ import annotations

import pytest

from conftest import shared_path
from fa_policy_nlp.keys import match_key


@pytest.fixture(scope="module")
def gold_article():
    import json

    from fa_policy_nlp.pipeline import Pipeline

    gold = json.loads(shared_path("seed", "gold.json").read_text(encoding="utf-8"))
    text = shared_path("seed", "mehr-interior-ministry.txt").read_text(encoding="utf-8")
    art = Pipeline(stages=("figures", "dates", "officials", "claims"))(text, published=gold["published"])
    return gold, art


def _strip_honorifics(name: str, honorifics) -> str:
    words = name.split()
    while words and words[0] in honorifics:
        words = words[1:]
    return " ".join(words)


def _match(gold_off: dict, officials) -> object | None:
    want = {match_key(gold_off["name"]), match_key(_strip_honorifics(gold_off["name"], gold_off["honorifics"]))}
    for o in officials:
        if o.name and match_key(o.name) in want:
            return o
    return None


def test_exactly_the_gold_officials(gold_article):
    gold, art = gold_article
    assert len(art.officials) == len(gold["officials"])
    for g in gold["officials"]:
        o = _match(g, art.officials)
        assert o is not None, g["name"]
        assert match_key(o.role) == match_key(g["role"]), g["id"]
        assert {match_key(h) for h in g["honorifics"]} <= {match_key(h) for h in o.honorifics}


def _gold_mentions():
    import json

    p = shared_path("seed", "gold.json")
    gold = json.loads(p.read_text(encoding="utf-8"))
    return [pytest.param((g["id"], int(par), text), id=f"{g['id']}-p{par}-{i}")
            for g in gold["officials"] for par, texts in g["mentions_by_paragraph"].items()
            for i, text in enumerate(texts)]


def pytest_generate_tests(metafunc):
    if "gold_mention" in metafunc.fixturenames:
        try:
            params = _gold_mentions()
        except pytest.skip.Exception:
            params = []
        metafunc.parametrize("gold_mention", params or [pytest.param(None, marks=pytest.mark.skip("no ../shared"))])


def test_gold_mention_linked(gold_mention, gold_article):
    gold, art = gold_article
    gid, par, text = gold_mention
    g = next(x for x in gold["officials"] if x["id"] == gid)
    o = _match(g, art.officials)
    assert o is not None
    wanted = {match_key(text), match_key(_strip_honorifics(text, g["honorifics"]))}
    para = art.paragraphs[par - 1]
    found = [m for m in o.mentions if para.start <= m.start < para.end and match_key(m.text) in wanted]
    assert found, f"{text!r} in paragraph {par} not linked to {gid}"


def test_claim_speakers(gold_article):
    gold, art = gold_article
    ids = {g["id"]: _match(g, art.officials) for g in gold["officials"]}
    right = 0
    for gc in gold["claims"]:
        claims = [c for c in art.claims if c.paragraph == gc["paragraph"] - 1]
        with_cue = [c for c in claims if c.cue is not None] or claims
        speaker = with_cue[0].speaker if with_cue else "missing"
        want = ids[gc["speaker"]].id if gc["speaker"] else None
        right += speaker == want
    assert right / len(gold["claims"]) >= 0.9


def test_claim_cues(gold_article):
    gold, art = gold_article
    right = 0
    for gc in gold["claims"]:
        claims = [c for c in art.claims if c.paragraph == gc["paragraph"] - 1 and c.cue is not None]
        cue = claims[0].cue.text if claims else None
        right += (match_key(cue) if cue else None) == (match_key(gc["cue"]) if gc["cue"] else None)
    assert right / len(gold["claims"]) >= 0.9


def test_source_is_not_an_official(gold_article):
    gold, art = gold_article
    agency = match_key(gold["source"]["agency"])
    for o in art.officials:
        assert all(agency not in match_key(m.text) for m in o.mentions)


def test_offsets(gold_article):
    _gold, art = gold_article
    for o in art.officials:
        for m in o.mentions:
            assert art.text[m.start:m.end] == m.text
    for c in art.claims:
        assert art.text[c.start:c.end] == c.text
        for sp in (c.cue, c.content):
            if sp is not None:
                assert art.text[sp.start:sp.end] == sp.text
