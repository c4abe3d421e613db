"""Claims stage, driven by the data table tests/cases/claims.yaml."""

from __future__ import annotations

import pytest
import yaml

from conftest import CASES
from fa_policy_nlp.keys import match_key

CLAIM_CASES = yaml.safe_load((CASES / "claims.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def small_pipeline():
    from fa_policy_nlp.pipeline import Pipeline

    return Pipeline(stages=("figures", "dates", "officials", "claims"))


def _param(rows):
    return [pytest.param(r, id=r["id"], marks=[pytest.mark.xfail(reason=r["xfail"], strict=True)]
                         if r.get("xfail") else []) for r in rows]


def _speaker_label(art, claim, expected):
    """The claim's speaker as written in the table: ``None``, ``source:<id>``, or the expected label when it is
    the official's name, role or the text of one of its mentions (else the official's name or role)."""
    if claim.speaker is None or claim.speaker.startswith("source:"):
        return claim.speaker
    off = {o.id: o for o in art.officials}[claim.speaker]
    labels = {_k(off.name), _k(off.role), *(_k(m.text) for m in off.mentions)}
    if expected and _k(expected) in labels:
        return _k(expected)
    return _k(off.name or off.role)


def _k(s):
    return match_key(s) if s and not s.startswith("source:") else s


@pytest.mark.parametrize("row", _param(CLAIM_CASES))
def test_claims_table(row, small_pipeline):
    art = small_pipeline(row["text"], published=row.get("published"))
    exp_speakers = [c["speaker"] for c in row["claims"]] + [None] * len(art.claims)
    got = [(_speaker_label(art, c, e), _k(c.cue.text) if c.cue else None)
           for c, e in zip(art.claims, exp_speakers)]
    want = [(_k(c["speaker"]), _k(c["cue"])) for c in row["claims"]]
    assert got == want
    for c, exp in zip(art.claims, row["claims"]):
        assert art.text[c.start:c.end] == c.text
        if c.cue:
            assert art.text[c.cue.start:c.cue.end] == c.cue.text
        if exp.get("content"):
            assert c.content is not None and art.text[c.content.start:c.content.end] == c.content.text
            assert match_key(c.content.text).startswith(match_key(exp["content"]))
    assert [c.id for c in art.claims] == [f"c{i}" for i in range(1, len(art.claims) + 1)]


def test_claim_figures_inside_claim(small_pipeline):
    rows = {r["id"]: r for r in CLAIM_CASES}
    text = rows["colon-cue"]["text"] + "\n" + rows["narration"]["text"]
    art = small_pipeline(text)
    assert len(art.claims) == 2 and len(art.figures) >= 2
    for c in art.claims:
        for f in c.figures:
            assert c.start <= f.start and f.end <= c.end
    assert sum(len(c.figures) for c in art.claims) == len(art.figures)


def test_empty_text(small_pipeline):
    art = small_pipeline("")
    assert art.claims == [] and art.officials == []
