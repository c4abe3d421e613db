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


def test_phrase_table_limit_zero_matches_nothing():
    """A limit of 0 words (a phrase that would have to start past the end of a sentence) finds nothing."""
    from fa_policy_nlp.officials import PhraseTable, tokenize

    table = PhraseTable()
    table.add("وزیر کشور", "role")
    words = tokenize("وزیر کشور گفت")
    assert table.match(words, 0) == (2, "role")
    assert table.match(words, 0, limit=1) is None
    assert table.match(words, 0, limit=0) is None
