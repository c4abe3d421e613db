"""Equivalence tests for the fast paths of officials.py.

Each fast path is compared with a straightforward form kept here as the reference: the plain tokeniser
``_reference_tokenize``, ``scan`` trying anaphor, role and name at every word, the longest phrase match,
``_subject_before_cue`` without its cue-prefix rejection and the every-word loop of ``_surnames``. Inputs are the
officials/claims case tables, the sample articles and dense random "word salads" drawn from the lexicon itself
(names, titles, honorifics, cues, pronouns, punctuation and join characters), where every rule fires often.
"""

from __future__ import annotations

import json
import random

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from fa_policy_nlp.keys import match_key
import fa_policy_nlp.officials as O
from fa_policy_nlp.pipeline import Pipeline

ROOT = CASES.parents[1]
ZWNJ = "\u200c"


def _case_texts() -> list[str]:
    texts = []
    for name in ("officials.yaml", "officials_persons.yaml", "claims.yaml"):
        for row in yaml.safe_load((CASES / name).read_text(encoding="utf-8")) or []:
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                texts.append(row["text"])
    sample = ROOT / "corpora" / "sample" / "articles.jsonl"
    for line in sample.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append(r["title"] + "\n" + r["text"])
    return texts


def _salads(n: int = 400, length: int = 60) -> list[str]:
    """Deterministic random texts built from the lexicon's own words, with punctuation and join characters."""
    lex = O.lexicon()
    rng = random.Random(7)
    pools = [sorted(lex.first_names)[:400], sorted(lex.first_amb), sorted(lex.last_names)[:400],
             sorted(lex.last_amb), sorted(lex.heads.table), sorted(lex.standalone.table),
             sorted(lex.honorifics.table), sorted(lex.cues.table), sorted(lex.pronouns), sorted(lex.anaphora_det),
             sorted(lex.places.table)[:200], sorted(lex.orgs.table)[:200], sorted(lex.ministries.table),
             sorted(lex.modifiers.table), sorted(lex.generic_heads.table), sorted(lex.subject_next),
             sorted(lex.nonsubject), sorted(lex.name_stop)[:200], sorted(lex.verb_forms)[:100],
             sorted(lex.gazetteer.table)[:300], sorted(lex.occupations)]
    pools = [p for p in pools if p]
    gaps = [" "] * 12 + [ZWNJ, "، ", ". ", ": ", "\n", " «", "» ", " (", ") ", "؟ ", " و ", "\t", "\u00a0",
                         " \u200e", "_", "\u0640"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(length):
            parts.append(rng.choice(rng.choice(pools)))
            parts.append(rng.choice(gaps))
        out.append("".join(parts))
    return out


TEXTS = _case_texts() + _salads()


# ---- the plain definitions (tokeniser, scan, longest phrase match) and property tests against them.
# Words are drawn from the lexicon itself (no Persian literals here), mixed with separators and odd characters.

def _reference_tokenize(text):
    """The plain tokenizer: every word, its match key, and a full-match test of each gap."""
    from fa_policy_nlp.officials import _JOIN_GAP, _WORD, Words

    ms = list(_WORD.finditer(text))
    starts = [m.start() for m in ms]
    ends = [m.end() for m in ms]
    keys = [match_key(m.group()) for m in ms]
    joins = [_JOIN_GAP.fullmatch(text, ends[i], starts[i + 1]) is not None for i in range(len(ms) - 1)]
    return Words(text, starts, ends, keys, joins + ([False] if ms else []))


def _reference_scan(det, w):
    """Detector.scan without its skip test: anaphor, role and name tried at every word."""
    roles, names, pronouns = [], [], []
    i, n = 0, len(w.keys)
    while i < n:
        a = det.anaphor_at(w, i)
        if a > i:
            pronouns.append((i, a))
            i = a
            continue
        r = det.role_at(w, i)
        if r:
            roles.append(r)
            i = r.j
            continue
        nh = det.name_at(w, i)
        if nh:
            names.append(nh)
            i = nh.j
            continue
        if w.keys[i] in det.lex.pronouns:
            pronouns.append((i, i + 1))
        i += 1
    det._names_next_to_roles(w, roles, names)
    det._coordinated_names(w, roles, names)
    return roles, names, pronouns


def _lexicon_words():
    """Groups of lexicon words (drawn group first, so that names, titles and verbs meet often)."""
    from fa_policy_nlp import resources

    def lst(name, n=80):
        return [x.lstrip("?") for x in resources.load_list(name)[:n]]

    titles = resources.load_yaml("titles.yaml")
    orgs = resources.load_yaml("organizations.yaml")
    verbs = resources.load_yaml("reporting_verbs.yaml")
    groups = [
        lst("off_first_names_core.txt"), lst("names_first.txt"), lst("names_last.txt"),
        lst("honorifics.txt") + lst("pronouns.txt") + list((titles.get("anaphora") or {}).get("determiners") or []),
        lst("name_stopwords.txt") + lst("off_occupations.txt") + lst("off_places.txt") + lst("off_surname_suffixes.txt"),
        [x for k in ("heads", "minister_heads", "place_heads", "modifiers", "stop") for x in (titles.get(k) or [])[:40]]
        + [e["role"] for e in (titles.get("standalone") or [])[:20]],
        [x for e in (orgs.get("ministries") or [])[:10] for x in e.get("minister") or []]
        + (orgs.get("generic_heads") or [])[:20] + [e["name"] for e in (orgs.get("organizations") or [])[:20]],
        (verbs.get("strong") or [])[:20] + (verbs.get("weak") or [])[:10],
    ]
    return [sorted({w for w in g if w}) for g in groups if any(g)]


_LEX_GROUPS = _lexicon_words()
_word = st.one_of(*(st.sampled_from(g) for g in _LEX_GROUPS))
_SEPS = [" ", " ", " ", "\u200c", "\u060c ", ". ", ": ", "\n", " \u00ab", "\u00bb ", " (", ") ", "\u200e", "_", "\u0640"]
_texts = st.lists(st.tuples(_word, st.sampled_from(_SEPS)), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts))
_odd_texts = st.text(alphabet=st.sampled_from(
    list("\u0627\u0628\u06cc\u064a\u0643\u0626\u0621\u064b\u06f1\u06f2a1_ .\u060c:\n\u00ab\u00bb")
    + ["\u200c", "\u200b", "\u200e", "\u200f", "\u0640", "\u00a0", "\t"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_texts, _odd_texts))
def test_tokenize_equals_plain_tokenizer(text):
    from fa_policy_nlp.officials import _tokenize

    got, want = _tokenize(text), _reference_tokenize(text)
    assert (got.starts, got.ends, got.keys, got.joins) == (want.starts, want.ends, want.keys, want.joins)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_scan_equals_scan_without_skipping(text):
    from fa_policy_nlp.officials import _detector, tokenize

    det = _detector()
    w = tokenize(text)
    assert det.scan(w) == _reference_scan(det, w)


@settings(max_examples=300, deadline=None)
@given(_texts, st.integers(min_value=0, max_value=45), st.one_of(st.none(), st.integers(min_value=-1, max_value=6)))
def test_phrase_match_equals_plain_longest_match(text, i, limit):
    from fa_policy_nlp.officials import lexicon, tokenize

    w = tokenize(text)
    lex = lexicon()
    for table in (lex.standalone, lex.heads, lex.honorifics, lex.gazetteer, lex.cues, lex.orgs):
        n_max = min(table.max_words, len(w.keys) - i, 10**9 if limit is None else limit)
        want = None
        for n in range(1, max(n_max, 0) + 1):
            if n > 1 and not w.joins[i + n - 2]:
                break
            hit = table.table.get("".join(w.keys[i:i + n]))
            if hit is not None:
                want = (n, hit)
        assert table.match(w, i, limit) == want


def _reference_subject_before_cue(det: O.Detector, w: O.Words, i: int) -> int:
    """``Detector._subject_before_cue`` without the cue-prefix rejection."""
    if not det._clause_start(w, i):
        return i
    for n in (2, 1):
        end = i + n
        if end >= len(w.keys) or not all(w.joins[k] for k in range(i, end)):
            continue
        if not all(det.namelike(w, k) and not det._verb_like(w, k) and w.keys[k] not in det.lex.adjectives
                   for k in range(i, end)):
            continue
        cue = det.lex.cues.match(w, end)
        if cue and not w.keys[end + cue[0] - 1].endswith(O._PLURAL):
            return end
    return i


def _reference_surnames(self, w, ents, roles, names) -> None:
    """``OfficialExtractor._surnames`` with its every-word loop."""
    index = {}
    for e in ents:
        k = e.surname_key
        if k and k not in self.lex.not_name and (
                len(k) >= 4 or self.det.is_last(k) or self.det.surname_shaped(k) or k in self.lex.gazetteer):
            index.setdefault(k, e)
    if not index:
        return
    covered = set()
    for r in roles:
        covered.update(range(r.i, r.j))
    for h in names:
        covered.update(range(h.h_start if h.h_start >= 0 else h.i, h.j))
    for i, k in enumerate(w.keys):
        if i in covered:
            continue
        e = index.get(k)
        if e is not None:
            e.mentions.append((i, i + 1, "surname"))


@pytest.fixture(scope="module")
def pipe():
    return Pipeline(stages=("officials",))


def test_tokenize_matches_reference_on_texts(pipe):
    for text in TEXTS:
        for t in (text, pipe.normalizer.normalize_with_offsets(text).text):
            assert O._tokenize(t) == _reference_tokenize(t)


_CHARS = ["\u0627", "\u0628", "\u06cc", "\u064a", "a", "_", "1", "\u06f1", "\u0640", "\u064e", " ", "  ", ZWNJ,
          ZWNJ + ZWNJ, "\u200b", "\u200d", "\u200e", "\u200f", "\u00a0", "\t", "\n", "\u060c", ".", "-"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_CHARS), max_size=40).map("".join), st.text(max_size=40)))
def test_tokenize_matches_reference(text):
    assert O._tokenize(text) == _reference_tokenize(text)


def test_scan_and_subject_cue_match_reference(pipe):
    det = O._detector()
    for text in TEXTS:
        w = O._tokenize(pipe.normalizer.normalize_with_offsets(text).text)
        assert det.scan(w) == _reference_scan(det, w)
        for i in range(len(w)):
            assert det._subject_before_cue(w, i) == _reference_subject_before_cue(det, w, i)


def test_officials_match_reference_stage(pipe, monkeypatch):
    """The whole stage with every fast path swapped for its reference gives the same officials."""
    def run():
        out = []
        for text in TEXTS:
            O._LAST_WORDS[0] = None
            out.append(pipe(text, published="1404-07-14").officials)
        return out

    fast = run()
    monkeypatch.setattr(O, "_tokenize", _reference_tokenize)
    monkeypatch.setattr(O.Detector, "scan", _reference_scan)
    monkeypatch.setattr(O.Detector, "_subject_before_cue", _reference_subject_before_cue)
    monkeypatch.setattr(O.OfficialExtractor, "_surnames", _reference_surnames)
    assert run() == fast
    O._LAST_WORDS[0] = None


def test_role_at_rejection_matches_full_rules(pipe):
    det = O._detector()
    for text in TEXTS:
        w = O._tokenize(pipe.normalizer.normalize_with_offsets(text).text)
        for i in range(len(w) + 1):
            for depth in (0, 1):
                assert det.role_at(w, i, depth) == det._role_at(w, i, depth)


def test_word_raw_start_is_the_offset_map_entry(pipe):
    """OfficialExtractor reads a word's raw start as ``nt.starts[start]`` instead of ``nt.to_raw(start, start + 1)``."""
    for text in TEXTS:
        nt = pipe.normalizer.normalize_with_offsets(text)
        for s in O._tokenize(nt.text).starts:
            assert nt.starts[s] == nt.to_raw(s, s + 1)[0]


def _reference_cues(self, w, wi, wj, text, ne):
    """``ClaimExtractor._cues`` as first written: every word of the sentence visited in a while loop."""
    from fa_policy_nlp.claims import _COLON, _Cue

    found, according = [], []
    depth = 0
    i = wi
    keys, starts, ends = w.keys, w.starts, w.ends
    first = self._cue_first
    quoted = wj > wi and "«" in text[starts[wi]:starts[wj - 1]]
    while i < wj:
        if quoted:
            gap = text[ends[i - 1] if i > wi else starts[wi]:starts[i]]
            depth += gap.count("«") - gap.count("»")
            depth = max(depth, 0)
        if keys[i] not in first:
            i += 1
            continue
        a = self.lex.according.match(w, i, limit=wj - i)
        if a and depth == 0:
            according.append(_Cue(i, i + a[0], None, True, according=True))
            i += a[0]
            continue
        hit = self.lex.strong.match(w, i, limit=wj - i)
        strong = True
        if not hit:
            hit = self.lex.weak.match(w, i, limit=wj - i)
            strong = False
        if hit and depth == 0:
            n = hit[0]
            end = w.ends[i + n - 1]
            m = _COLON.match(text, end, ne)
            found.append(_Cue(i, i + n, m.end() if m else None, strong))
            i += n
            continue
        i += 1
    colon = [c for c in found if c.colon_end is not None]
    if colon:
        return colon
    if according:
        return according[:1]
    strong = [c for c in found if c.strong]
    if strong:
        return [strong[-1]]
    return found[-1:] if found else []


def _cue_salads(n: int = 300, length: int = 40) -> list[str]:
    """Random texts dense in cue words (reporting verbs, 'according to' phrases), quotes, colons and stops."""
    from fa_policy_nlp.claims import _lex

    lex, olex = _lex(), O.lexicon()
    rng = random.Random(11)
    pools = [sorted(lex.strong.table), sorted(lex.weak.table), sorted(lex.according.table),
             sorted(lex.continuation.table), sorted(lex.sources.table), sorted(olex.first_names)[:200],
             sorted(olex.pronouns), sorted(olex.heads.table)]
    pools = [p for p in pools if p]
    gaps = [" "] * 10 + [ZWNJ, ": ", " «", "» ", "«", "»", "، ", ". ", "\n", " و "]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(length):
            parts.append(rng.choice(rng.choice(pools)))
            parts.append(rng.choice(gaps))
        out.append("".join(parts))
    return out


def test_claim_cues_match_reference():
    from fa_policy_nlp.claims import ClaimExtractor

    ce = ClaimExtractor()
    pipe = Pipeline(stages=("officials", "claims"))
    for text in TEXTS + _cue_salads():
        nt = pipe.normalizer.normalize_with_offsets(text)
        w = O._tokenize(nt.text)
        n = len(w)
        bounds = sorted({0, n, *(i for i in range(1, n) if not w.joins[i - 1])})
        for a, b in zip(bounds, bounds[1:]):  # every run between punctuation, and every whole text
            for wi, wj in ((a, b), (0, b), (a, n)):
                ne = w.ends[wj - 1] if wj > wi else 0
                assert ce._cues(w, wi, wj, nt.text, ne) == _reference_cues(ce, w, wi, wj, nt.text, ne)


def test_claims_match_reference_stage(monkeypatch):
    """Officials + claims with every fast path swapped for its reference give the same claims."""
    from fa_policy_nlp.claims import ClaimExtractor

    pipe = Pipeline(stages=("officials", "claims"))
    texts = TEXTS + _cue_salads(100)

    def run():
        out = []
        for text in texts:
            O._LAST_WORDS[0] = None
            art = pipe(text, published="1404-07-14")
            out.append((art.officials, art.claims))
        return out

    fast = run()
    monkeypatch.setattr(O, "_tokenize", _reference_tokenize)
    monkeypatch.setattr(O.Detector, "scan", _reference_scan)
    monkeypatch.setattr(O.Detector, "_subject_before_cue", _reference_subject_before_cue)
    monkeypatch.setattr(O.OfficialExtractor, "_surnames", _reference_surnames)
    monkeypatch.setattr(ClaimExtractor, "_cues", _reference_cues)
    assert run() == fast
    O._LAST_WORDS[0] = None


def test_word_span_is_the_normalised_text_span(pipe):
    """Mentions are built with ``nt.span_fields`` instead of ``nt.span``: equal on every run of whole words."""
    for text in TEXTS:
        nt = pipe.normalizer.normalize_with_offsets(text)
        w = O._tokenize(nt.text)
        for i in range(len(w)):
            for j in range(i + 1, min(i + 5, len(w)) + 1):
                sp = nt.span(w.starts[i], w.ends[j - 1])
                assert nt.span_fields(w.starts[i], w.ends[j - 1]) == (sp.text, sp.start, sp.end, sp.norm)


def test_memo_values_and_bound():
    """``keys.Memo`` returns its function's value, computes each string once, and empties itself when full."""
    from fa_policy_nlp.keys import Memo

    calls = []

    def f(s):
        calls.append(s)
        return s[::-1]

    memo = Memo(f, 3)
    words = ["ab", "cd", "ab", "ef", "gh", "cd"]
    assert list(map(memo.__getitem__, words)) == [x[::-1] for x in words]
    assert calls == ["ab", "cd", "ef", "gh", "cd"]  # repeats come from the memo; "gh" found it full and emptied it
    assert set(memo) == {"gh", "cd"} and len(memo) <= 3


def test_tokenize_memos_hold_their_functions():
    """After tokenising the texts, every memo entry is its function's value (keys and join tests)."""
    for text in TEXTS[:50]:
        O._tokenize(text)
    from fa_policy_nlp.keys import WORD_KEYS

    assert all(O.match_key(word) == key for word, key in WORD_KEYS.items())
    assert all(O._JOIN_GAP.fullmatch(sep) is not None for sep, joins in O._GAP_JOINS.items() if joins)
    assert all(O._JOIN_GAP.fullmatch(sep) is None for sep, joins in O._GAP_JOINS.items() if not joins)
