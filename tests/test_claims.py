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


# ---- fast path (performance pass): _cues must give exactly what the plain word-by-word loop gives.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _reference_cues(ex, w, wi, wj, text, ne):
    """The plain loop: quotation depth counted at every word, every cue table tried at every word."""
    from fa_policy_nlp.claims import _COLON, _Cue

    found, according, depth, i = [], [], 0, wi
    while i < wj:
        gap = text[w.ends[i - 1] if i > wi else w.starts[wi]:w.starts[i]]
        depth = max(depth + gap.count("\u00ab") - gap.count("\u00bb"), 0)
        a = ex.lex.according.match(w, i, limit=wj - i)
        if a and depth == 0:
            according.append(_Cue(i, i + a[0], None, True, according=True))
            i += a[0]
            continue
        hit, strong = ex.lex.strong.match(w, i, limit=wj - i), True
        if not hit:
            hit, strong = ex.lex.weak.match(w, i, limit=wj - i), False
        if hit and depth == 0:
            m = _COLON.match(text, w.ends[i + hit[0] - 1], ne)
            found.append(_Cue(i, i + hit[0], m.end() if m else None, strong))
            i += hit[0]
            continue
        i += 1
    colon = [c for c in found if c.colon_end is not None]
    if colon:
        return colon
    if according:
        return according[:1]
    strong_ = [c for c in found if c.strong]
    return [strong_[-1]] if strong_ else found[-1:]


def _cue_words():
    from fa_policy_nlp import resources

    verbs = resources.load_yaml("reporting_verbs.yaml")
    groups = [verbs.get(k) or [] for k in ("strong", "weak", "according_to", "report_of", "continuation")]
    groups.append([x.lstrip("?") for x in resources.load_list("off_first_names_core.txt")[:30]])
    groups.append(list(resources.load_list("pronouns.txt")))
    return [sorted(set(g)) for g in groups if g]


_cue_text = st.lists(st.tuples(st.one_of(*(st.sampled_from(g) for g in _cue_words())), st.sampled_from(
    [" ", " ", "\u200c", ": ", " \u00ab", "\u00bb ", "\u00ab\u00ab", "\u00bb\u00bb ", "\u060c ", " :"])),
    max_size=30).map(lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=300, deadline=None)
@given(_cue_text, st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=5))
def test_cues_equal_plain_loop(text, cut_lo, cut_hi):
    from fa_policy_nlp.claims import ClaimExtractor
    from fa_policy_nlp.officials import tokenize

    ex = ClaimExtractor()
    w = tokenize(text)
    wi, wj = min(cut_lo, len(w.keys)), max(min(cut_lo, len(w.keys)), len(w.keys) - cut_hi)
    assert ex._cues(w, wi, wj, text, len(text)) == _reference_cues(ex, w, wi, wj, text, len(text))
