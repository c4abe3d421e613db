"""Officials stage and person finder, driven by the data tables tests/cases/officials*.yaml."""

from __future__ import annotations

import pytest
import yaml

from conftest import CASES
from fa_policy_nlp.keys import match_key

OFFICIAL_CASES = yaml.safe_load((CASES / "officials.yaml").read_text(encoding="utf-8"))
PERSON_CASES = yaml.safe_load((CASES / "officials_persons.yaml").read_text(encoding="utf-8"))


def _param(rows):
    out = []
    for row in rows:
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=True)] if row.get("xfail") else []
        out.append(pytest.param(row, id=row["id"], marks=marks))
    return out


@pytest.fixture(scope="session")
def small_pipeline():
    from fa_policy_nlp.pipeline import Pipeline

    return Pipeline(stages=("figures", "dates", "officials", "claims"))


def _k(s):
    return match_key(s) if s else None


@pytest.mark.parametrize("row", _param(OFFICIAL_CASES))
def test_officials_table(row, small_pipeline):
    art = small_pipeline(row["text"], published=row.get("published"))
    got = art.officials
    want = row["officials"]
    assert [(_k(o.name), _k(o.role)) for o in got] == [(_k(o["name"]), _k(o["role"])) for o in want]
    for o, exp in zip(got, want):
        if "honorifics" in exp:
            assert [_k(h) for h in o.honorifics] == [_k(h) for h in exp["honorifics"]]
        assert sorted(_k(m.text) for m in o.mentions) == sorted(_k(m) for m in exp["mentions"])
        for m in o.mentions:
            assert art.text[m.start:m.end] == m.text
            assert m.official == o.id


@pytest.mark.parametrize("row", _param(PERSON_CASES))
def test_find_persons_table(row):
    from fa_policy_nlp.officials import find_persons

    text = row["text"]
    spans = find_persons(text)
    for s in spans:
        assert text[s.start:s.end] == s.text
    assert [_k(s.text) for s in spans] == [_k(p) for p in row["persons"]]


def test_official_ids_stable_and_unique(small_pipeline):
    text = OFFICIAL_CASES[0]["text"] + "\n" + OFFICIAL_CASES[1]["text"]
    a1 = small_pipeline(text)
    a2 = small_pipeline(text)
    ids = [o.id for o in a1.officials]
    assert len(ids) == len(set(ids)) >= 2
    assert ids == [o.id for o in a2.officials]


def test_lexicon_built_once():
    from fa_policy_nlp.officials import lexicon

    assert lexicon() is lexicon()


def test_officials_core_without_spacy():
    """The spaCy-free core: the stage runs in a process where spaCy cannot be imported."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['spacy'] = None\n"
        "from fa_policy_nlp.pipeline import Pipeline\n"
        "a = Pipeline(stages=('officials', 'claims'))(sys.argv[1])\n"
        "assert a.officials and a.claims and a.claims[0].speaker == a.officials[0].id\n"
    )
    text = next(r for r in OFFICIAL_CASES if r["id"] == "spokesman")["text"]
    subprocess.run([sys.executable, "-c", code, text], check=True)


DATA_FILES = yaml.safe_load((CASES / "officials_data.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_has_source_and_loads(name):
    from fa_policy_nlp import resources

    head = resources.read_text(name).lstrip().splitlines()[:6]
    assert head and head[0].startswith("#")
    assert any("source" in line.lower() for line in head if line.startswith("#"))
    loaded = resources.load_yaml(name) if name.endswith(".yaml") else resources.load_list(name)
    assert loaded


# ---- fast paths (performance pass): each must give exactly what the plain algorithm gives.
# Words are drawn from the lexicon itself (no Persian literals here), mixed with separators and odd characters.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


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


def test_phrase_table_limit_zero_matches_nothing():
    """A limit of 0 words (a phrase that would have to start past the end of a sentence) finds nothing."""
    from fa_policy_nlp.officials import PhraseTable, tokenize

    table = PhraseTable()
    table.add("وزیر کشور", "role")
    words = tokenize("وزیر کشور گفت")
    assert table.match(words, 0) == (2, "role")
    assert table.match(words, 0, limit=1) is None
    assert table.match(words, 0, limit=0) is None
