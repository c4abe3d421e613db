"""spaCy component: entry-point factory, entities on the example article, RTL displacy, serialisation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("fa")
    nlp.add_pipe("fa_policy", config={"published": "2025-10-06"})  # found through the entry point
    return nlp


@pytest.fixture(scope="module")
def doc(nlp, seed_text):
    return nlp(seed_text)


def test_entities_claims_and_cats_on_example(doc):
    labels = {e.label_ for e in doc.ents}
    assert "OFFICIAL" in labels
    assert labels & {"MONEY", "PERCENT"}
    assert "DATE" in labels
    assert doc._.claims and doc.spans["claims"]
    assert doc.cats and abs(sum(doc.cats.values()) - 1.0) < 1e-2
    for e in doc.ents:
        assert doc.text[e.start_char:e.end_char] == e.text


def test_norm_holds_restored_zwnj(doc):
    norms = {t.text: t.norm_ for t in doc}
    assert "\u200c" in norms.get("میشود", "")


def test_displacy_right_to_left(doc):
    from spacy import displacy

    html = displacy.render(doc, style="ent")
    assert "direction: rtl" in html


def test_docbin_round_trip(nlp, doc):
    from spacy.tokens import DocBin

    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (back,) = DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab)
    as_json = lambda x: json.loads(json.dumps(x, ensure_ascii=False))  # msgpack gives tuples for lists
    assert as_json(back._.claims) == as_json(doc._.claims)
    assert as_json(back._.figures) == as_json(doc._.figures)
    assert [(e.start_char, e.end_char, e.label_) for e in back.ents] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_to_disk_and_load_in_fresh_process(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp('وزیر کشور گفت: ۱۵ درصد کاهش یافت.'); print(nlp.pipe_names, [e.label_ for e in doc.ents])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "fa_policy" in out.stdout and "PERCENT" in out.stdout
