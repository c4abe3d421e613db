"""The domain classifier: taxonomy, classify() API, the stage, training and the `train` command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from conftest import CASES, ROOT
from fa_policy_nlp.domain import (DEFAULT_MODEL_PATH, DomainAnnotator, DomainModel, classify, default_model,
                                  load_model, load_taxonomy, ngrams, prepare)
from fa_policy_nlp.errors import InputError, ModelError
from fa_policy_nlp.normalize import default_normalizer
from fa_policy_nlp.training import cross_validate, read_labelled, train_command, train_model
from fa_policy_nlp.types import Prediction

SAMPLE = ROOT / "corpora" / "sample" / "articles.jsonl"
CAP_CODES = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13", "14", "15", "16", "17", "18", "19",
             "20", "21", "23", "999"]


def _cases(name: str):
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def _params(rows):
    out = []
    for row in rows:
        marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row.get("xfail") else []
        out.append(pytest.param(row, id=row["id"], marks=marks))
    return out


@pytest.fixture(scope="session")
def model() -> DomainModel:
    return default_model()


@pytest.fixture(scope="session")
def toy():
    data = _cases("domain_train.yaml")
    texts = [t for label, items in data["labels"].items() for t in items]
    labels = [label for label, items in data["labels"].items() for _ in items]
    return texts, labels, data["probes"]


@pytest.fixture(scope="session")
def toy_model(toy) -> DomainModel:
    texts, labels, _ = toy
    return train_model(texts, labels, folds=5, seed=0, features={"min_df": 1})


# -- taxonomy ------------------------------------------------------------------------------------------------------

def test_taxonomy_has_the_cap_majors_with_both_names():
    labels = load_taxonomy()["labels"]
    assert list(labels) == CAP_CODES
    for code, item in labels.items():
        assert item.get("name") and item.get("name_fa") and item.get("scope"), code


def test_user_taxonomy(tmp_path, toy):
    texts, labels, _ = toy
    tax = tmp_path / "tax.yaml"
    tax.write_text(yaml.safe_dump({"name": "toy", "labels": [{"code": l, "name": l.title()}
                                                             for l in sorted(set(labels))]}), encoding="utf-8")
    m = train_model(texts, labels, folds=0, taxonomy=str(tax), features={"min_df": 1})
    assert m.names == {"health": "Health", "sport": "Sport", "weather": "Weather"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"labels": [{"code": "health", "name": "H"}]}), encoding="utf-8")
    with pytest.raises(InputError, match="not in taxonomy"):
        train_model(texts, labels, folds=0, taxonomy=str(bad), features={"min_df": 1})


# -- feature text --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("row", _params(_cases("domain_prepare.yaml")))
def test_prepare_ignores_spelling_variants(row):
    norm = default_normalizer().normalize
    assert prepare(norm(row["a"])) == prepare(norm(row["b"]))
    assert prepare(norm(row["a"])).strip()


# -- the shipped model ---------------------------------------------------------------------------------------------

def test_shipped_model_loads_with_versions(model):
    assert model.path == str(DEFAULT_MODEL_PATH)
    assert model.meta["format_version"] == 1 and model.meta["package_version"]
    assert set(model.labels) <= set(CAP_CODES)
    assert DEFAULT_MODEL_PATH.stat().st_size < 20e6


@pytest.mark.parametrize("row", _params(_cases("domain_classify.yaml")))
def test_clear_sentences(model, row):
    if row["code"] not in model.labels:
        pytest.fail(f"the shipped model has no label {row['code']} (corpus incomplete?)")
    pred = classify(row["text"], model=model)[0]
    assert pred.code == row["code"], (pred.code, pred.top(3), pred.explanation)


@pytest.mark.parametrize("row", _params(_cases("domain_classify.yaml")))
def test_clear_sentences_without_zwnj(model, row):
    """Careless dumps lose ZWNJ (glued or spaced): the prediction must not change."""
    text = row["text"]
    codes = [p.code for p in classify([text, text.replace("\u200c", ""), text.replace("\u200c", " ")], model=model)]
    assert codes == [row["code"]] * 3


def test_classify_api(model):
    texts = [r["text"] for r in _cases("domain_classify.yaml")[:3]]
    preds = classify(texts, model=model)
    assert len(preds) == 3 and all(isinstance(p, Prediction) for p in preds)
    p = preds[0]
    assert set(p.scores) == set(model.labels)
    assert abs(sum(p.scores.values()) - 1) < 1e-2
    assert p.score == pytest.approx(max(p.scores.values()), abs=1e-4)
    assert list(p.scores.values()) == sorted(p.scores.values(), reverse=True)
    assert p.label == model.names[p.code]
    # explanation: words of the text (feature form) that pushed towards the label, strongest first
    feature_words = set(prepare(default_normalizer().normalize(texts[0])).split())
    assert p.explanation and all(w > 0 for _, w in p.explanation)
    assert all(set(term.split()) <= feature_words for term, _ in p.explanation)
    assert [w for _, w in p.explanation] == sorted((w for _, w in p.explanation), reverse=True)
    # a single string gives a one-element list, equal to the batch result
    assert classify(texts[0], model=model) == preds[:1]


def test_batches_give_the_same_result(model, monkeypatch):
    texts = [r["text"] for r in _cases("domain_classify.yaml")] + [""]
    whole = classify(texts, model=model)
    probs = model.proba([default_normalizer().normalize(t) for t in texts])
    monkeypatch.setattr(model, "_BATCH", 3)
    assert classify(texts, model=model) == whole
    assert np.allclose(model.proba([default_normalizer().normalize(t) for t in texts]), probs)
    assert [model.labels[j] for j in probs[:-1].argmax(axis=1)] == [p.code for p in whole[:-1]]


def test_top_k_and_threshold(model):
    text = _cases("domain_classify.yaml")[0]["text"]
    full = classify(text, model=model)[0]
    top2 = classify(text, model=model, top_k=2)[0]
    assert list(top2.scores) == list(full.scores)[:2] and top2.code == full.code
    abstain = classify(text, model=model, threshold=1.0)[0]
    if full.score < 1.0:
        assert abstain.code is None and abstain.label is None and abstain.score == full.score
    keep = classify(text, model=model, threshold=0.0)[0]
    assert keep.code == full.code
    with pytest.raises(InputError):
        classify(text, model=model, top_k=0)
    with pytest.raises(InputError):
        classify(text, model=model, threshold=1.5)


@pytest.mark.parametrize("text", ["", "   ", "۱۲۳ ۴۵۶", "!!!"])
def test_no_evidence_abstains(model, text):
    p = classify(text, model=model)[0]
    assert (p.code, p.label, p.score, p.scores) == (None, None, 0.0, {})


def test_bad_inputs(model):
    with pytest.raises(TypeError):
        classify([b"bytes"], model=model)
    with pytest.raises(TypeError):
        classify("text", model=42)
    assert classify([], model=model) == []


def test_model_by_path_is_the_same(model):
    text = _cases("domain_classify.yaml")[0]["text"]
    assert classify(text, model=str(DEFAULT_MODEL_PATH)) == classify(text, model=model)


# -- the stage -----------------------------------------------------------------------------------------------------

def test_stage_sets_article_and_claim_domains(pipeline, model):
    text = "\n".join(r["text"] for r in _cases("domain_classify.yaml")[:2])
    art = pipeline(text)
    assert art.domain in model.labels and art.domain_scores
    assert art.domain == classify(text, model=model)[0].code
    for claim in art.claims:
        assert claim.domain in model.labels and claim.domain_scores
        assert art.text[claim.start:claim.end] == claim.text


def test_stage_classifies_claims_on_their_own(model):
    """Each claim on its own text; on its content (what is said) when that has at least three words."""
    from fa_policy_nlp.pipeline import Doc
    from fa_policy_nlp.types import Article, Claim, Span

    rows = {r["id"]: r["text"] for r in _cases("domain_classify.yaml")}
    lead = rows["foreign-affairs"] + ": "
    raw = rows["sport-football"] + "\n" + lead + rows["health-vaccine"] + "\n" + lead + "بله"
    nt = default_normalizer().normalize_with_offsets(raw)
    i, j = raw.index("\n"), raw.rindex("\n")
    c0, c1 = i + 1 + len(lead), j + 1 + len(lead)
    claims = [Claim(raw[:i], 0, i),
              Claim(raw[i + 1:j], i + 1, j, content=Span(raw[c0:j], c0, j)),
              Claim(raw[j + 1:], j + 1, len(raw), content=Span(raw[c1:], c1, len(raw)))]
    art = Article(text=raw, claims=claims)
    DomainAnnotator(model)(Doc(nt, art))
    expected = [classify(t, model=model)[0].code for t in (raw[:i], raw[c0:j], raw[j + 1:])]
    assert [c.domain for c in art.claims] == expected
    assert expected[:2] == ["999", "3"]
    assert art.domain is not None


# -- fast paths and their plain references --------------------------------------------------------------------
# The featuriser, the scores and the stage take shortcuts (chunk cache, ids as int32 bytes, whole-chunk spans as
# slices, vectorised rounding, positional Claim construction). The plain forms below are the definitions they must
# equal exactly: same CSR bits, same predictions.

def _plain_ids(feat, normalized: str) -> tuple[list[int], list[int]]:
    """Word and character n-gram ids of one text, straight from the definition (ngrams of the prepared text)."""
    words, chars = ngrams(prepare(normalized), feat.features, feat.stop_words)
    return ([feat.word_index[g] for g in words if g in feat.word_index],
            [feat.char_index[g] for g in chars if g in feat.char_index])


def _plain_tfidf(feat, rows):
    """Rows of (word ids, char ids) -> CSR, as first written (one id array per row, np.unique counts)."""
    import scipy.sparse as sp

    n_rows, n_feat = len(rows), feat.n_features
    lengths = np.fromiter((len(w) + len(c) for w, c in rows), np.int64, n_rows)
    pieces = [np.asarray(ids, dtype=np.int64) for row in rows for ids in row]
    flat = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
    keys = np.repeat(np.arange(n_rows, dtype=np.int64), lengths) * n_feat + flat
    keys, counts = np.unique(keys, return_counts=True)
    row, col = np.divmod(keys, n_feat)
    data = (1.0 + np.log(counts.astype(np.float32))) * feat.idf[col]
    is_char = col >= feat.n_word
    block = row * 2 + is_char
    norms = np.sqrt(np.bincount(block, weights=data.astype(np.float64) ** 2, minlength=2 * n_rows))
    norms[norms == 0] = 1.0
    data = (data * (np.where(is_char, feat.char_weight, 1.0) / norms[block])).astype(np.float32)
    indptr = np.zeros(n_rows + 1, np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix((data, col.astype(np.int32), indptr), shape=(n_rows, n_feat))


def _plain_transform(feat, texts):
    return _plain_tfidf(feat, [_plain_ids(feat, t) for t in texts])


def _plain_predict_x(model, x, top_k=None, threshold=None):
    """Predictions from a feature matrix as first written: Python's round() on each probability, one by one."""
    k = len(model.labels) if top_k is None else min(top_k, len(model.labels))
    probs = model._probs(x)
    order = np.argsort(-probs, axis=1, kind="stable")
    empty = np.diff(x.indptr) == 0
    out = []
    for i, (b, row, p) in enumerate(zip(order[:, 0].tolist(), order[:, :k].tolist(), probs.tolist())):
        if empty[i]:
            out.append(Prediction(None, None, 0.0, {}, ()))
            continue
        scores = {model.labels[j]: round(p[j], 4) for j in row}
        if threshold is not None and p[b] < threshold:
            out.append(Prediction(None, None, p[b], scores, ()))
        else:
            out.append(Prediction(model.labels[b], model.names[model.labels[b]], p[b], scores, ()))
    return out


def _assert_same_csr(fast, plain):
    assert fast.shape == plain.shape
    assert fast.indptr.tolist() == plain.indptr.tolist()
    assert fast.indices.tolist() == plain.indices.tolist()
    assert fast.data.dtype == plain.data.dtype == np.float32
    assert fast.data.view(np.uint32).tolist() == plain.data.view(np.uint32).tolist()  # bit for bit


# Letters (with Arabic variants and a diacritic), digits, punctuation, spaces, ZWNJ and a bidi mark: the characters
# that decide chunk and word boundaries in prepare().
_ALPHABET = "ابپتسشکگیيكلمنوهرزدئؤآة\u064e۱2،.:«» \n\u200c\u200f"
_SEPARATORS = [" ", "  ", "\n", "\u200c", " \u200c", "\u200d", "\t"]


@pytest.fixture(scope="session")
def words(model) -> list[str]:
    """Words the model knows (unigrams, halves of bigrams) and its stop words: texts made of them hit the word
    n-gram vocabulary, which random letters rarely do."""
    feat = model.featurizer
    vocab = [w for w in model.word_vocab[::50]]
    return sorted({part for w in vocab for part in w.split(" ")} | set(sorted(feat.stop_words)[::10]))


@st.composite
def _text_and_spans(draw, words):
    """A text of words (some glued to punctuation or digits) and separators, and spans of it: most at chunk
    boundaries (like claims), some anywhere (cutting into chunks), some empty."""
    pieces, bounds = [], [0]
    for _ in range(draw(st.integers(0, 14))):
        word = draw(st.sampled_from(words) | st.text(alphabet=_ALPHABET, min_size=1, max_size=6))
        if draw(st.integers(0, 5)) == 0:
            word += draw(st.sampled_from(list("،.:«»2۱\u200f")))
        pieces += [word, draw(st.sampled_from(_SEPARATORS))]
        bounds += [bounds[-1] + len(word), bounds[-1] + len(word) + len(pieces[-1])]
    text = "".join(pieces)[:draw(st.integers(0, 1000))]
    bounds = [b for b in bounds if b <= len(text)]
    position = st.sampled_from(bounds) | st.integers(0, len(text))
    spans = draw(st.lists(st.tuples(position, position), max_size=6))
    return text, [(min(a, b), max(a, b)) for a, b in spans]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80), cuts=st.lists(st.tuples(st.integers(0, 80),
                                                                              st.integers(0, 80)), max_size=6))
def test_spans_are_featurised_like_their_slices(model, text, cuts):
    """transform_spans (an article and its claims, featurised once) equals transform of each slice, and both equal
    the plain definition."""
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in cuts]
    feat = model.featurizer
    fast = feat.transform_spans(text, spans)
    slices = [text[s:e] for s, e in spans] + [text]
    _assert_same_csr(fast, feat.transform(slices))
    _assert_same_csr(fast, _plain_transform(feat, slices))
    assert np.allclose(fast[-1:].toarray(), feat.transform([prepare(text)]).toarray(), atol=1e-6)  # prepared text


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_spans_of_vocabulary_text_equal_the_plain_reference(model, words, data):
    """Texts made of known words (word unigrams and bigrams hit the vocabulary), spans mostly at chunk boundaries:
    transform_spans and transform equal the plain definition bit for bit."""
    text, spans = data.draw(_text_and_spans(words))
    feat = model.featurizer
    slices = [text[s:e] for s, e in spans] + [text]
    plain = _plain_transform(feat, slices)
    _assert_same_csr(feat.transform_spans(text, spans), plain)
    _assert_same_csr(feat.transform(slices), plain)


def test_featuriser_without_cache_equals_the_plain_reference(model, words):
    """Every chunk a cache miss (a fresh featuriser that caches nothing): the same matrices."""
    from fa_policy_nlp.domain import _Featurizer

    feat = _Featurizer(model.word_vocab, model.char_vocab, model.featurizer.idf, model.features)
    feat._CACHE_CHUNKS = 0
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:4]]
    norm = default_normalizer().normalize
    for row in rows:
        text = norm(row["title"] + "\n" + row["text"])
        spans = [(0, len(text) // 2), (len(text) // 3, len(text)), (5, 5)]
        _assert_same_csr(feat.transform_spans(text, spans),
                         _plain_transform(feat, [text[s:e] for s, e in spans] + [text]))
    assert not feat._chunk_cache


def test_article_claim_spans_equal_the_plain_reference(pipeline, model):
    """Real articles and the spans the stage classifies (the claims' content or whole claim)."""
    from fa_policy_nlp.domain import _norm_range

    feat = model.featurizer
    annotate = DomainAnnotator(model)
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    seen = 0
    for row in rows:
        art = pipeline(row["title"] + "\n" + row["text"])
        nt = default_normalizer().normalize_with_offsets(art.text)
        spans = [_norm_range(nt, annotate._claim_span(c)) for c in art.claims]
        assert None not in spans
        x = feat.transform_spans(nt.text, spans)
        _assert_same_csr(x, _plain_transform(feat, [nt.text[s:e] for s, e in spans] + [nt.text]))
        assert model._predict_x(x, None, None, False) == _plain_predict_x(model, x)
        seen += len(spans)
    assert seen >= 50


@settings(max_examples=200, deadline=None)
@given(data=st.data(), top_k=st.none() | st.integers(1, 30), threshold=st.none() | st.floats(0, 1))
def test_predictions_equal_the_plain_reference(model, words, data, top_k, threshold):
    """Vectorised scores (labels gathered in NumPy, _round4) equal round() of each probability, with every option."""
    text, spans = data.draw(_text_and_spans(words))
    x = model.featurizer.transform_spans(text, spans)
    assert model._predict_x(x, top_k, threshold, False) == _plain_predict_x(model, x, top_k, threshold)


def _near_ties() -> list[float]:
    """Values next to k.5 / 10**4 (a few ulps either side) and exact binary ties such as 1/32."""
    out = [1 / 32, 3 / 32, 0.5, 0.0, 1.0, 0.00005, 0.99995]
    for k in range(0, 10_000, 7):
        v = (k + 0.5) / 1e4
        for _ in range(3):
            out += [v, float(np.float32(v))]
            v = float(np.nextafter(v, 2.0))
        v = (k + 0.5) / 1e4
        for _ in range(3):
            v = float(np.nextafter(v, -1.0))
            out += [v, float(np.float32(v))]
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round4_near_half_ties_equals_round(dtype):
    from fa_policy_nlp.domain import _round4

    values = np.array(_near_ties(), dtype=dtype).reshape(1, -1)
    assert _round4(values) == [[round(v, 4) for v in row] for row in values.tolist()]


@settings(max_examples=500, deadline=None)
@given(values=st.lists(st.floats(width=32, allow_nan=False) | st.floats(0, 1, width=32), min_size=1, max_size=40),
       wide=st.lists(st.floats(allow_nan=False) | st.floats(0, 1), min_size=1, max_size=40))
def test_round4_equals_round(values, wide):
    """_round4 equals Python's round(v, 4) for any float (probabilities in [0, 1], huge, tiny, infinite)."""
    from fa_policy_nlp.domain import _round4

    for arr in (np.array([values], dtype=np.float32), np.array([wide], dtype=np.float64)):
        got, want = _round4(arr), [[round(v, 4) for v in row] for row in arr.tolist()]
        assert got == want
        assert [[math.copysign(1, v) for v in row] for row in got] == \
               [[math.copysign(1, v) for v in row] for row in want]  # the sign of zero too


@settings(max_examples=300, deadline=None)
@given(vocab=st.lists(st.text(alphabet="abc ", max_size=5), max_size=30),
       toks=st.lists(st.text(alphabet="abcd", min_size=1, max_size=3), max_size=12))
def test_word_tables_equal_string_lookup(vocab, toks):
    """Unigram and bigram ids from token keys equal word_index.get of the token and of the two tokens joined by a
    space, for any vocabulary (duplicates, entries with odd spaces, no bigrams at all)."""
    from fa_policy_nlp.domain import _WordTables

    word_index = {t: i for i, t in enumerate(vocab)}
    tables = _WordTables(word_index)
    keys = np.array([tables.key.get(t, -1) for t in toks], dtype=np.int32)
    assert tables.unigrams(keys).tolist() == [word_index.get(t, -1) for t in toks]
    assert tables.bigrams(keys).tolist() == [word_index.get(a + " " + b, -1) for a, b in zip(toks, toks[1:])]


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(st.integers(0, 2**31 - 1) | st.integers(0, 20), max_size=60), wide=st.booleans())
def test_count_equals_np_unique(keys, wide):
    from fa_policy_nlp.domain import _count

    arr = np.array(keys, dtype=np.int64 if wide else np.int32)
    want_keys, want_counts = np.unique(arr, return_counts=True)
    got_keys, got_counts = _count(arr.copy())
    assert got_keys.tolist() == want_keys.tolist() and got_counts.tolist() == want_counts.tolist()
    assert got_keys.dtype == arr.dtype


def test_with_domain_equals_dataclasses_replace(pipeline):
    """The stage's positional Claim construction equals dataclasses.replace, field for field."""
    import dataclasses

    from fa_policy_nlp.domain import _with_domain
    from fa_policy_nlp.types import Claim

    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:4]]
    claims = [c for row in rows for c in pipeline(row["title"] + "\n" + row["text"]).claims]
    assert claims
    for c in claims:
        got = _with_domain(c, "3", {"3": 0.5})
        want = dataclasses.replace(c, domain="3", domain_scores={"3": 0.5})
        assert got == want and type(got) is Claim
        assert [getattr(got, f.name) for f in dataclasses.fields(Claim)] == \
               [getattr(want, f.name) for f in dataclasses.fields(Claim)]

    @dataclasses.dataclass(frozen=True, slots=True)
    class Sub(Claim):
        extra: int = 7

    sub = Sub("t", 0, 1, extra=9)
    assert _with_domain(sub, None, {}) == Sub("t", 0, 1, domain=None, domain_scores={}, extra=9)


def test_stage_on_found_claims_equals_classifying_each(pipeline, model):
    """The stage's claim and article domains equal classify() on each claim's text (fast path, real claims)."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:6]]
    seen = 0
    for row in rows:
        art = pipeline(row["title"] + "\n" + row["text"])
        texts = [(c.content if c.content and len(c.content.norm.split()) >= 3 else c).norm for c in art.claims]
        preds = model.predict_normalized(texts + [art.normalized], explain=False)
        assert [c.domain for c in art.claims] + [art.domain] == [p.code for p in preds]
        for c, p in zip(art.claims, preds):
            assert list(c.domain_scores.items()) == list(p.scores.items())  # same features, so the same scores
        seen += len(art.claims)
    assert seen >= 10


# -- training ------------------------------------------------------------------------------------------------------

def test_toy_training(toy_model, toy):
    _, _, probes = toy
    assert toy_model.labels == ("health", "sport", "weather")
    cv = toy_model.meta["cv"]
    assert set(cv["per_label"]) == set(toy_model.labels) and 0 <= cv["macro_f1"] <= 1
    assert sum(m["support"] for m in cv["per_label"].values()) == 15
    for probe in probes:
        assert toy_model.classify(probe["text"])[0].code == probe["label"], probe


def test_training_is_reproducible(toy, toy_model, tmp_path):
    texts, labels, _ = toy
    again = train_model(texts, labels, folds=5, seed=0, features={"min_df": 1})
    a, b = toy_model.save(tmp_path / "a.npz"), again.save(tmp_path / "b.npz")
    assert a.read_bytes() == b.read_bytes()


def test_save_load_roundtrip(toy_model, toy, tmp_path):
    _, _, probes = toy
    path = toy_model.save(tmp_path / "toy.npz")
    loaded = load_model(path)
    texts = [p["text"] for p in probes]
    assert loaded.classify(texts) == toy_model.classify(texts)
    assert loaded.meta["cv"]["macro_f1"] == toy_model.meta["cv"]["macro_f1"]
    with pytest.raises(InputError):
        toy_model.save(tmp_path / "toy.pkl")


def test_analyze_with_user_model(toy_model, toy, tmp_path):
    from fa_policy_nlp.pipeline import Pipeline

    _, _, probes = toy
    path = toy_model.save(tmp_path / "toy.npz")
    art = Pipeline(model=str(path))(probes[1]["text"])
    assert art.domain == "sport"


def test_cross_validate_needs_enough_examples(toy):
    texts, labels, _ = toy
    with pytest.raises(InputError, match="fewer examples"):
        cross_validate(texts, labels, folds=6)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "json"])
def test_read_labelled_formats(tmp_path, toy, fmt):
    texts, labels, _ = toy
    rows = [{"body": t, "y": l} for t, l in zip(texts, labels)]
    path = tmp_path / f"data.{fmt}"
    if fmt in ("csv", "tsv"):
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, ["body", "y"], delimiter="," if fmt == "csv" else "\t")
            w.writeheader()
            w.writerows(rows)
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert read_labelled(path, "body", "y") == (texts, labels)
    with pytest.raises(InputError, match="no column 'text'"):
        read_labelled(path, "text", "y")


def _write_labels(path, texts, labels):
    """A JSONL labels file with the text under "t" and the label under "y"."""
    path.write_text("".join(json.dumps({"t": t, "y": l}, ensure_ascii=False) + "\n" for t, l in zip(texts, labels)),
                    encoding="utf-8")
    return path


def test_train_command(tmp_path, toy):
    texts, labels, probes = toy
    data = _write_labels(tmp_path / "labels.jsonl", texts, labels)
    out = tmp_path / "model.npz"
    res = CliRunner().invoke(train_command, [str(data), "--text-col", "t", "--label-col", "y", "--output", str(out),
                                             "--folds", "3", "--seed", "1"])
    assert res.exit_code == 0, res.output
    for label in ("health", "sport", "weather", "macro-F1"):
        assert label in res.output
    m = load_model(out)
    assert m.meta["training"]["seed"] == 1 and m.meta["cv"]["folds"] == 3
    assert m.classify(probes[0]["text"])[0].code == "health"
    bad = CliRunner().invoke(train_command, [str(data), "--text-col", "nope", "--output", str(out)])
    assert bad.exit_code != 0 and "nope" in bad.output


_TOY_LEXICON = (["دیالیز", "ضربه پنالتی", "تگرگ"], ["health", "sport", "weather"])


def test_lexicon_terms_join_training_but_not_the_cross_validation(toy):
    texts, labels, _ = toy
    plain = train_model(texts, labels, folds=5, seed=0)
    model = train_model(texts, labels, folds=5, seed=0, lexicon=_TOY_LEXICON)
    for word in ("دیالیز", "پنالتی", "ضربه پنالتی", "تگرگ"):  # seen once each: kept although min_df is 2
        assert word in model.word_vocab and word not in plain.word_vocab, word
    assert sum(m["support"] for m in model.meta["cv"]["per_label"].values()) == 15  # terms are never scored
    assert model.meta["training"]["lexicon_terms"] == 3
    assert [p.code for p in model.classify(["دیالیز", "ضربه پنالتی", "تگرگ"])] == _TOY_LEXICON[1]
    with pytest.raises(InputError, match="not among the training labels"):
        train_model(texts, labels, folds=0, lexicon=(["آتش‌سوزی"], ["fire"]))
    with pytest.raises(InputError, match="2 terms but 1 labels"):
        train_model(texts, labels, folds=0, lexicon=(["آتش", "دود"], ["health"]))


def test_train_command_with_a_lexicon(tmp_path, toy):
    texts, labels, _ = toy
    data = _write_labels(tmp_path / "labels.jsonl", texts, labels)
    lex = tmp_path / "terms.csv"
    lex.write_text("t,y\n" + "".join(f"{t},{l}\n" for t, l in zip(*_TOY_LEXICON)), encoding="utf-8")
    out = tmp_path / "model.npz"
    res = CliRunner().invoke(train_command, [str(data), "--text-col", "t", "--label-col", "y", "--output", str(out),
                                             "--folds", "3", "--lexicon", str(lex)])
    assert res.exit_code == 0, res.output
    m = load_model(out)
    assert m.meta["training"]["lexicon_sources"] == ["terms.csv"] and "تگرگ" in m.word_vocab
