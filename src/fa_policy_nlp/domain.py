"""Policy-domain classification (CAP major topics by default): the model, :func:`classify` and the stage.

The model is a linear classifier over TF-IDF features of the normalised text: word unigrams+bigrams and character
n-grams inside each word (:func:`ngrams`; stop words, stored in the model, removed first), with a softmax whose
temperature is fitted on cross-validated predictions (see :mod:`fa_policy_nlp.training`, which builds models;
this module only loads and applies them, with NumPy/SciPy and without scikit-learn).

Model files are a single ``.npz`` archive of plain NumPy arrays read with ``numpy.load(allow_pickle=False)``:
nothing is ever unpickled, and a file holding pickled objects (or any unexpected member) is refused with
:class:`~fa_policy_nlp.errors.ModelError`. The archive carries a JSON metadata member (format name and version,
the package version that wrote it, labels and their names, feature settings, the softmax temperature and the
SHA-256 of every array) and a checksum of that metadata, so a modified file is refused as tampered.
(This detects corruption and naive edits; it is an integrity check, not a signature.)

Text preparation (:func:`prepare`): the normaliser's output is folded with :func:`fa_policy_nlp.keys.match_key`
(hamza/yeh/kaf variants, diacritics) word by word, split at spaces *and* ZWNJ (so ``برنامه‌ها``, ``برنامه ها``
share the stem feature ``برنامه``), lower-cased; digits and punctuation are dropped.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import operator
import io
import json
import re
import zipfile
from functools import lru_cache
from importlib import resources as _ir
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import InputError, ModelError
from .keys import match_key
from .types import Claim, Prediction

__all__ = [
    "DomainModel",
    "DomainAnnotator",
    "classify",
    "load_model",
    "default_model",
    "load_taxonomy",
    "prepare",
    "ngrams",
    "DEFAULT_MODEL_PATH",
    "FORMAT_NAME",
    "FORMAT_VERSION",
]

FORMAT_NAME = "fa-policy-nlp/domain-model"
FORMAT_VERSION = 1
DEFAULT_MODEL_NAME = "cap.npz"
DEFAULT_MODEL_PATH = Path(str(_ir.files("fa_policy_nlp").joinpath("models", DEFAULT_MODEL_NAME)))

# Members of a model archive, with the dtype kind each must have ("u" = raw UTF-8 bytes as uint8, "f" = float).
_MEMBERS = {
    "meta": "u",          # JSON metadata, UTF-8
    "meta_sha256": "u",   # hex SHA-256 of the metadata bytes
    "vocab_word": "u",    # "\n"-joined word n-grams, in feature order
    "vocab_char": "u",    # "\n"-joined character n-grams, in feature order
    "idf": "f",           # (n_word + n_char,)
    "coef": "f",          # (n_labels, n_word + n_char)
    "intercept": "f",     # (n_labels,)
}
_ARRAYS = ("vocab_word", "vocab_char", "idf", "coef", "intercept")

# Separators: whitespace and ZWNJ/ZWJ become a word boundary that match_key keeps ("|" is neither folded nor
# dropped by it); after folding everything that is not a letter becomes a space.
_SEP = re.compile(r"[\s\u200c\u200d]+")
_NONLETTER = re.compile(r"[\W\d_]+")
_CHUNK = re.compile(r"[^\s\u200c\u200d]+")  # runs between separators
_SEP_SPLIT = re.compile(r"([\s\u200c\u200d]+)")  # ...and the separators, kept by split()
_FIRST, _SECOND, _THIRD = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)
_EXPLAIN_TERMS = 5


def prepare(normalized: str) -> str:
    """The feature text of an already normalised string (see the module docstring)."""
    return _NONLETTER.sub(" ", match_key(_SEP.sub("|", normalized)).lower()).strip()


@lru_cache(maxsize=1)
def load_taxonomy(path: str | None = None) -> dict[str, Any]:
    """The label taxonomy: the bundled CAP one (``path=None``) or a user's YAML file in the same format.

    Returns ``{"name": ..., "labels": {code(str): {"name": ..., "name_fa": ..., "scope": ...}}}``.
    """
    import yaml

    from .resources import load_yaml

    if path is None:
        data = load_yaml("cap_taxonomy.yaml")
    else:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"cannot read taxonomy {path}: {exc}") from exc
    try:
        labels = {str(item["code"]): {k: v for k, v in item.items() if k != "code"} for item in data["labels"]}
    except (TypeError, KeyError) as exc:
        raise InputError(f"taxonomy {path or 'cap_taxonomy.yaml'} needs a 'labels' list of {{code, name}}") from exc
    return {"name": data.get("name", ""), "labels": labels}


def _word_grams(toks: list[str], lo: int, hi: int) -> list[str]:
    grams: list[str] = []
    for n in range(lo, hi + 1):
        grams += toks if n == 1 else map(" ".join, zip(*(toks[i:] for i in range(n))))
    return grams


def _char_grams(word: str, lo: int, hi: int) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(lo, min(hi, size) + 1):
        grams += [padded[i:i + n] for i in range(size - n + 1)]
    return grams


def _words(prepared: str, stop: frozenset[str]) -> tuple[list[str], list[str]]:
    words = [w for w in prepared.split() if w not in stop] if stop else prepared.split()
    return words, [w for w in words if len(w) > 1]


def ngrams(prepared: str, features: dict[str, Any], stop: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Word and character n-grams of a prepared text (the definition both training and prediction follow).

    Stop words are removed first. Word n-grams are built over the words of two letters or more, joined by a space;
    character n-grams are taken inside each word padded with a space on both sides (like scikit-learn's
    ``char_wb``).
    """
    words, toks = _words(prepared, stop)
    lo, hi = features["char_ngram"]
    return _word_grams(toks, *features["word_ngram"]), [g for w in words for g in _char_grams(w, lo, hi)]


class _Featurizer:
    """Word and character n-gram counts over fixed vocabularies -> sublinear TF * IDF, each block L2-normalised.

    Pure Python + NumPy (no scikit-learn at prediction time, so loading a model stays fast). Text is handled per
    *chunk*, a run of characters between separators (whitespace, ZWNJ, ZWJ): :func:`prepare` works character by
    character inside chunks, so the prepared words of a text are the concatenation of its chunks' words. Each
    chunk's words, their token keys and its character n-gram ids are cached (chunks repeat a lot), up to
    ``_CACHE_CHUNKS`` chunks. :meth:`transform` featurises texts; :meth:`transform_spans` featurises one text and spans of it (an
    article and its claims) reusing the whole text's chunks, with the same result as :meth:`transform` on the
    slices.

    Feature ids travel as the raw bytes of ``int32`` arrays (``_ID``), not as lists: the ids of a run of chunks
    are then one ``bytes.join`` (or slice) away, a C-level copy, and all the ids of a matrix become one NumPy
    array with a single ``numpy.frombuffer``. Word n-gram ids are kept per start position, ``-1`` for an n-gram
    not in the vocabulary, so that the n-grams of a run of whole chunks are a slice; :meth:`_tfidf` drops the
    ``-1``. Only the multiset of ids of a row matters (:meth:`_tfidf` counts them), not their order.

    Word unigrams and bigrams are looked up as numbers (:class:`_WordTables`): each token is stored with its
    chunk as a *token key*, so a text's word n-gram ids come from its keys with a few NumPy operations.
    """

    _CACHE_CHUNKS = 200_000

    def __init__(self, word_vocab: Sequence[str], char_vocab: Sequence[str], idf: np.ndarray,
                 features: dict[str, Any]) -> None:
        self.n_word = len(word_vocab)
        self.n_features = len(word_vocab) + len(char_vocab)
        self.features = dict(features)
        self.word_index = {t: i for i, t in enumerate(word_vocab)}
        self.char_index = {t: i + self.n_word for i, t in enumerate(char_vocab)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.char_weight = float(features.get("char_weight", 1.0))
        # Stop words travel with the model (features["stop_words"], in prepared form) and are removed before both
        # the word and the character n-grams are taken.
        self.stop_words = frozenset(features.get("stop_words") or ())
        self._words = _WordTables(self.word_index)
        self._chunk_cache: dict[str, tuple[list[str], bytes, bytes]] = {}

    def _chunk(self, chunk: str) -> tuple[list[str], bytes, bytes]:
        """(tokens for word n-grams, their token keys, character n-gram ids) of one separator-free chunk of
        normalised text; keys and ids as ``_ID`` bytes."""
        hit = self._chunk_cache.get(chunk)
        if hit is None:
            stop, get, (lo, hi) = self.stop_words, self.char_index.get, self.features["char_ngram"]
            words = [w for w in _NONLETTER.sub(" ", match_key(chunk).lower()).split() if w not in stop]
            ids = [j for w in words for j in map(get, _char_grams(w, lo, hi)) if j is not None]
            toks = [w for w in words if len(w) > 1]
            hit = (toks, _id_bytes(map(self._words.key.get, toks, itertools.repeat(-1))), _id_bytes(ids))
            if len(self._chunk_cache) < self._CACHE_CHUNKS:
                self._chunk_cache[chunk] = hit
        return hit

    def _chunks(self, chunks: list[str]) -> list[tuple[list[str], bytes, bytes]]:
        """:meth:`_chunk` of each chunk; cached ones are fetched with C-level calls only (map/dict.get)."""
        hits = list(map(self._chunk_cache.get, chunks))
        if None in hits:
            chunk = self._chunk
            hits = [h if h is not None else chunk(c) for h, c in zip(hits, chunks)]
        return hits

    def _gram_ids(self, hits: list[tuple[list[str], bytes, bytes]]) -> list[bytes]:
        """For each n of ``word_ngram``: the ids of the word n-grams of the tokens of these chunks by start position
        (-1: not in the vocabulary), as ``_ID`` bytes. Unigrams and bigrams from the token keys; longer n-grams
        (not used by the shipped model) from the tokens joined by a space."""
        lo, hi = self.features["word_ngram"]
        keys = np.frombuffer(b"".join(map(_SECOND, hits)), _ID)
        out = []
        for n in range(lo, hi + 1):
            if n <= 2:
                out.append((self._words.unigrams(keys) if n == 1 else self._words.bigrams(keys)).tobytes())
            else:
                toks = list(itertools.chain.from_iterable(map(_FIRST, hits)))
                grams = map(" ".join, zip(*(itertools.islice(toks, i, None) for i in range(n))))
                out.append(_id_bytes(map(self.word_index.get, grams, itertools.repeat(-1))))
        return out

    def _row(self, hits: list[tuple[list[str], bytes, bytes]]) -> list[bytes]:
        """The id pieces of a text made of these chunks: its character n-gram ids, then its word n-gram ids."""
        return [b"".join(map(_THIRD, hits)), *self._gram_ids(hits)]

    def transform(self, normalized: Sequence[str]):
        """A CSR matrix ``(len(normalized), n_features)`` of float32 TF-IDF weights of normalised texts."""
        chunks = self._chunks
        return self._tfidf([self._row(chunks(_CHUNK.findall(text))) for text in normalized])

    def transform_spans(self, normalized: str, spans: Sequence[tuple[int, int]]):
        """Like ``transform([normalized[s:e] for s, e in spans] + [normalized])``, featurising the text only once.

        A span made of whole chunks (nearly all claims) takes its ids as slices of the whole text's: the character
        n-gram ids of its chunks, and the word n-grams that start and end inside it. A span that cuts into a chunk
        is featurised from its own tokens (:meth:`_cut_span_row`).
        """
        # Chunks and separators alternate in the split (chunks may be empty at the ends); offsets are running sums
        # of their lengths.
        parts = _SEP_SPLIT.split(normalized)
        pos = list(itertools.accumulate(map(len, parts), initial=0))
        starts, ends = pos[0::2], pos[1::2]
        hits = self._chunks(parts[0::2])
        # byte offsets of each chunk's first token (in the keys and n-gram ids) and first character n-gram id
        tptr = list(itertools.accumulate(map(len, map(_SECOND, hits)), initial=0))
        cptr = list(itertools.accumulate(map(len, map(_THIRD, hits)), initial=0))
        char_ids = b"".join(map(_THIRD, hits))
        grams = self._gram_ids(hits)
        lo = self.features["word_ngram"][0]
        size = _ID.itemsize
        rows: list[list[bytes]] = []
        for s, e in spans:
            a = bisect.bisect_left(starts, s)   # first chunk starting inside the span
            b = bisect.bisect_right(ends, e)    # chunks [a, b) lie wholly inside
            cut_head = a > 0 and ends[a - 1] > s                      # the span starts inside chunk a - 1
            cut_tail = b < len(starts) and starts[b] < e and b >= a  # the span ends inside chunk b
            if cut_head or cut_tail:
                rows.append(self._cut_span_row(normalized, s, e, hits[a:b], starts, ends, a, b, cut_head, cut_tail))
                continue
            p, q = tptr[a], tptr[b]
            # n-grams of the tokens at bytes [p, q): those starting at tokens p .. q - n
            rows.append([char_ids[cptr[a]:cptr[b]],
                         *(g[p:max(p, q - (n - 1) * size)] for n, g in enumerate(grams, lo))])
        rows.append([char_ids, *grams])
        return self._tfidf(rows)

    def _cut_span_row(self, normalized: str, s: int, e: int, whole: list, starts: list[int], ends: list[int],
                      a: int, b: int, cut_head: bool, cut_tail: bool) -> list[bytes]:
        """The id pieces of a span that starts or ends inside a chunk: the cut pieces of those chunks (their own
        chunks) around the whole chunks ``whole`` (chunks a .. b - 1), as :meth:`transform` sees the slice."""
        pieces = list(whole)
        if cut_head:
            pieces.insert(0, self._chunk(normalized[s:min(ends[a - 1], e)]))
        if cut_tail:
            pieces.append(self._chunk(normalized[max(starts[b], s):e]))
        return self._row(pieces)

    def _tfidf(self, rows: Sequence[Sequence[bytes]]):
        """Feature ids per row (pieces of ``_ID`` bytes; -1 entries ignored) -> CSR of sublinear TF * IDF, each
        block (word, character) L2-normalised."""
        import scipy.sparse as sp

        n_rows, n_feat = len(rows), self.n_features
        lengths = [sum(map(len, row)) // _ID.itemsize for row in rows]
        flat = np.frombuffer(b"".join(itertools.chain.from_iterable(rows)), _ID)
        # one key per id, row * n_feat + id: int32 when every key fits (sorting them is the main cost)
        key_type = np.int32 if n_rows * n_feat <= np.iinfo(np.int32).max else np.int64
        keys = (np.repeat(np.arange(0, n_rows * n_feat, n_feat, dtype=key_type), lengths) + flat)[flat >= 0]
        keys, counts = _count(keys)  # sorted: by row, then feature
        row, col = np.divmod(keys, n_feat)
        data = (1.0 + np.log(counts.astype(np.float32))) * self.idf[col]
        is_char = col >= self.n_word
        block = row * 2 + is_char
        norms = np.sqrt(np.bincount(block, weights=data.astype(np.float64) ** 2, minlength=2 * n_rows))
        norms[norms == 0] = 1.0
        data = (data * (np.where(is_char, self.char_weight, 1.0) / norms[block])).astype(np.float32)
        indptr = np.zeros(n_rows + 1, np.int64)
        np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
        return sp.csr_matrix((data, col.astype(np.int32), indptr), shape=(n_rows, n_feat))


_ID = np.dtype(np.int32)  # feature ids as stored in the chunk cache (see _Featurizer)


def _id_bytes(ids: Iterable[int]) -> bytes:
    return np.fromiter(ids, _ID).tobytes()


def _count(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)`` (sorted distinct keys, their counts), sorting ``keys`` in place;
    the same steps without np.unique's generality (and its cost on a few thousand keys)."""
    keys.sort()
    first = np.empty(len(keys), bool)  # a key differing from the one before starts a run
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys[starts], np.diff(starts, append=len(keys))


class _WordTables:
    """Word unigram and bigram ids as NumPy lookups over *token keys*.

    Every token that is a vocabulary unigram or half of a vocabulary bigram has a key ``0 .. T-1`` (``key``); any
    other token has key -1 and is in no vocabulary unigram or bigram. Unigram ids are ``unigram[key]``, the
    last entry being -1 so that key -1 maps to -1. A bigram of keys (k1, k2) is the number ``k1 * T + k2``, looked
    up in the sorted array of the vocabulary's bigram numbers (ending with a sentinel larger than any). Ids are
    taken from ``word_index``, so a bigram id is the same as ``word_index.get(t1 + " " + t2, -1)``: vocabulary
    bigrams are two tokens (which contain no space) joined by one space.
    """

    def __init__(self, word_index: dict[str, int]) -> None:
        unigrams = [g for g in word_index if " " not in g]
        bigrams = [g for g in word_index if g.count(" ") == 1]
        halves = " ".join(bigrams).split(" ") if bigrams else []  # first and second half of each bigram, in turn
        self.key = dict(zip(dict.fromkeys(itertools.chain(unigrams, halves)), itertools.count()))
        self.n_keys = len(self.key)
        self.unigram = np.fromiter(itertools.chain(map(word_index.get, self.key, itertools.repeat(-1)), [-1]), _ID)
        pairs = np.fromiter(map(self.key.__getitem__, halves), np.int64, len(halves)).reshape(-1, 2)
        numbers = pairs[:, 0] * self.n_keys + pairs[:, 1]
        order = np.argsort(numbers)
        self.pair_numbers = np.append(numbers[order], np.iinfo(np.int64).max)
        self.pair_ids = np.append(np.fromiter(map(word_index.__getitem__, bigrams), _ID, len(bigrams))[order],
                                  -1).astype(_ID)

    def unigrams(self, keys: np.ndarray) -> np.ndarray:
        """Unigram id of each token key (-1: not in the vocabulary)."""
        return self.unigram[keys]

    def bigrams(self, keys: np.ndarray) -> np.ndarray:
        """Bigram id of each pair of consecutive token keys (-1: not in the vocabulary)."""
        first, second = keys[:-1].astype(np.int64), keys[1:]
        numbers = np.where((first >= 0) & (second >= 0), first * self.n_keys + second, -1)
        at = np.searchsorted(self.pair_numbers, numbers)  # < len: the sentinel is larger than any number
        return np.where(self.pair_numbers[at] == numbers, self.pair_ids[at], -1).astype(_ID, copy=False)


def _u8(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8)


def _sha(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def _pkg_version() -> str:
    from . import __version__

    return __version__


class DomainModel:
    """A loaded (or freshly trained) domain classifier. Build with :func:`load_model` or ``training.train_model``.

    ``labels`` are the label codes as strings (``"3"``, ``"19"``, ``"999"``); ``names`` maps a code to its display
    name. ``meta`` holds the metadata written with the model (format and package version, training summary).
    """

    def __init__(self, *, labels: Sequence[str], word_vocab: Sequence[str], char_vocab: Sequence[str],
                 idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray, features: dict[str, Any],
                 temperature: float = 1.0, names: dict[str, str] | None = None,
                 meta: dict[str, Any] | None = None, path: str | None = None) -> None:
        self.labels = tuple(str(l) for l in labels)
        self.word_vocab = tuple(word_vocab)
        self.char_vocab = tuple(char_vocab)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.temperature = float(temperature)
        self.names = {l: (names or {}).get(l, l) for l in self.labels}
        self.meta = dict(meta or {})
        self.path = path
        n_feat = len(self.word_vocab) + len(self.char_vocab)
        if self.coef.shape != (len(self.labels), n_feat) or self.intercept.shape != (len(self.labels),) \
                or np.shape(idf) != (n_feat,):
            raise ModelError(f"inconsistent model arrays: coef {self.coef.shape}, intercept {self.intercept.shape}, "
                             f"idf {np.shape(idf)} for {len(self.labels)} labels and {n_feat} features")
        if len(self.labels) < 2 or len(set(self.labels)) != len(self.labels):
            raise ModelError(f"a model needs at least two distinct labels, got {list(self.labels)}")
        if not self.temperature > 0:
            raise ModelError(f"softmax temperature must be positive, got {self.temperature}")
        self.features = dict(features)
        self.featurizer = _Featurizer(self.word_vocab, self.char_vocab, idf, self.features)
        # Contribution of a word feature to a label relative to the average label (for explanations).
        self._rel_word = self.coef[:, : len(self.word_vocab)] - self.coef[:, : len(self.word_vocab)].mean(axis=0)
        self._label_array = np.array(self.labels, dtype=object)  # labels by column, for fancy indexing

    def __repr__(self) -> str:
        return (f"DomainModel({len(self.labels)} labels, {self.coef.shape[1]} features, "
                f"format {self.meta.get('format_version', FORMAT_VERSION)}, path={self.path!r})")

    # -- prediction -------------------------------------------------------------------------------------------------
    _BATCH = 4096  # texts featurised at a time (bounds memory for long lists)

    def _probs(self, x) -> np.ndarray:
        return _softmax((np.asarray(x @ self.coef.T) + self.intercept) / self.temperature)

    def proba(self, normalized: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities ``(n_texts, n_labels)`` for already normalised texts (columns: ``labels``)."""
        parts = [self._probs(self.featurizer.transform(normalized[i:i + self._BATCH]))
                 for i in range(0, len(normalized), self._BATCH)]
        return np.vstack(parts) if parts else np.zeros((0, len(self.labels)))

    @staticmethod
    def _check_options(top_k: int | None, threshold: float | None) -> None:
        if top_k is not None and top_k < 1:
            raise InputError(f"top_k must be >= 1, got {top_k}")
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise InputError(f"threshold must be within [0, 1], got {threshold}")

    def predict_normalized(self, normalized: Sequence[str], *, top_k: int | None = None,
                           threshold: float | None = None, explain: bool = True) -> list[Prediction]:
        """Predictions for already normalised texts (users call :func:`classify`)."""
        self._check_options(top_k, threshold)
        out: list[Prediction] = []
        for start in range(0, len(normalized), self._BATCH):
            x = self.featurizer.transform(normalized[start:start + self._BATCH])
            out += self._predict_x(x, top_k, threshold, explain)
        return out

    def predict_spans(self, normalized: str, spans: Sequence[tuple[int, int]], *, top_k: int | None = None,
                      threshold: float | None = None, explain: bool = True) -> list[Prediction]:
        """Predictions for ``[normalized[s:e] for s, e in spans] + [normalized]`` (spans of one text, then the
        whole text), featurising the text once: what the stage uses for an article and its claims."""
        self._check_options(top_k, threshold)
        return self._predict_x(self.featurizer.transform_spans(normalized, spans), top_k, threshold, explain)

    def _predict_x(self, x, top_k: int | None, threshold: float | None, explain: bool) -> list[Prediction]:
        k = len(self.labels) if top_k is None else min(top_k, len(self.labels))
        probs = self._probs(x)
        order = np.argsort(-probs, axis=1, kind="stable")
        best = order[:, 0]
        explanations = self._explain(x, best) if explain else {}
        empty = (np.diff(x.indptr) == 0).tolist()  # no known word or n-gram: no evidence, abstain
        top = order[:, :k]
        # scores as {label: round(p, 4)}, best first: labels and rounded probabilities gathered row by row in
        # NumPy (labels are distinct, so dict(zip(...)) keeps every pair in that order)
        top_labels = self._label_array[top].tolist()
        top_scores = _round4(np.take_along_axis(probs, top, axis=1))
        best_p = np.take_along_axis(probs, best[:, None], axis=1)[:, 0].tolist()
        out: list[Prediction] = []
        names = self.names
        for i, (b, score, labels, rounded) in enumerate(zip(best.tolist(), best_p, top_labels, top_scores)):
            if empty[i]:
                out.append(Prediction(None, None, 0.0, {}, ()))
                continue
            scores = dict(zip(labels, rounded))
            expl = explanations.get(i, ())
            if threshold is not None and score < threshold:
                out.append(Prediction(None, None, score, scores, expl))
            else:
                code = self.labels[b]
                out.append(Prediction(code, names.get(code, code), score, scores, expl))
        return out

    def _explain(self, x, best: np.ndarray) -> dict[int, tuple[tuple[str, float], ...]]:
        """Per row, the word features with the largest positive contribution to the row's best label (vectorised)."""
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        keep = x.indices < len(self.word_vocab)
        rows, idx = rows[keep], x.indices[keep]
        contrib = x.data[keep] * self._rel_word[best[rows], idx]
        pos = contrib > 0
        rows, idx, contrib = rows[pos], idx[pos], contrib[pos]
        order = np.lexsort((-contrib, rows))  # by row, then strongest first
        rows, idx, contrib = rows[order], idx[order], contrib[order]
        starts = np.searchsorted(rows, np.arange(x.shape[0]))
        rank = np.arange(len(rows)) - starts[rows]
        out: dict[int, list] = {}
        for r, j, c in zip(*(a[rank < _EXPLAIN_TERMS].tolist() for a in (rows, idx, contrib))):
            out.setdefault(r, []).append((self.word_vocab[j], round(c, 3)))
        return {r: tuple(v) for r, v in out.items()}

    def classify(self, texts: str | Iterable[str], *, top_k: int | None = None, threshold: float | None = None,
                 explain: bool = True) -> list[Prediction]:
        """See :func:`classify`."""
        from .normalize import default_normalizer

        if isinstance(texts, str):
            texts = [texts]
        norm = default_normalizer().normalize
        normalized = []
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] must be str, not {type(t).__name__}")
            normalized.append(norm(t))
        return self.predict_normalized(normalized, top_k=top_k, threshold=threshold, explain=explain)

    # -- persistence ------------------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model as one ``.npz`` archive (no pickle); returns the path written."""
        path = Path(path)
        if path.suffix != ".npz":
            raise InputError(f"model files end in .npz, got {path}")
        arrays = {
            "vocab_word": _u8("\n".join(self.word_vocab).encode("utf-8")),
            "vocab_char": _u8("\n".join(self.char_vocab).encode("utf-8")),
            "idf": self.featurizer.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
        }
        for name, arr in (("word", self.word_vocab), ("char", self.char_vocab)):
            if any("\n" in t for t in arr):
                raise InputError(f"{name} vocabulary entries may not contain newlines")
        meta = {k: v for k, v in self.meta.items() if k not in ("format", "format_version", "package_version",
                                                                 "sha256")}
        meta.update(format=FORMAT_NAME, format_version=FORMAT_VERSION, package_version=_pkg_version(),
                    labels=list(self.labels), names=self.names, features=self.features,
                    temperature=self.temperature, n_word=len(self.word_vocab), n_char=len(self.char_vocab),
                    sha256={k: _sha(v) for k, v in arrays.items()})
        meta_bytes = json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        members = {"meta": _u8(meta_bytes),
                   "meta_sha256": _u8(hashlib.sha256(meta_bytes).hexdigest().encode("ascii")), **arrays}
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        # Like numpy.savez_compressed, but with fixed timestamps so that a rebuild is byte-identical.
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, arr in members.items():
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as fh:
                    np.lib.format.write_array(fh, arr, allow_pickle=False)
        path.write_bytes(buf.getvalue())
        self.meta = meta
        self.path = str(path)
        return path


# Python's round(v, 4) is correctly rounded on the exact binary value of v; NumPy's np.round(v, 4) rounds
# fl(v * 1e4), which differs when v * 1e4 lies within the multiplication's rounding error of a half-integer.
_ROUND_SCALE = 1e4
_ROUND_MARGIN = 1e-6     # distance from a half-integer that no rounding error of fl(v * 1e4) can cross ...
_ROUND_LIMIT = 2.0 ** 30  # ... while |v * 1e4| < 2**30 (the error is then at most 2**-23 < 1e-6 / 2)


def _round4(values: np.ndarray) -> list[list[float]]:
    """``[[round(v, 4) for v in row] for row in values.tolist()]``, bit for bit, mostly in NumPy.

    ``round(v, 4)`` is the double nearest to K / 10**4, K the integer nearest to the exact v * 10**4 (ties to
    even). Here ``y = fl(v * 1e4)`` is within 2**-23 of the exact product when |y| < 2**30, so when y is further
    than ``_ROUND_MARGIN`` from a half-integer, ``rint(y)`` is that same K; and ``K / 1e4`` (K and 1e4 exact,
    division correctly rounded) is the double nearest to K / 10**4, like the decimal string CPython converts back.
    The few values close to a half-integer (or huge, or not finite) go through Python's round() itself.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite values: handled below
        y = values.astype(np.float64) * _ROUND_SCALE  # float32 probabilities widen exactly, like tolist()
        out = (np.rint(y) / _ROUND_SCALE).tolist()
        unsure = ~(np.abs(y - np.floor(y) - 0.5) > _ROUND_MARGIN) | ~(np.abs(y) < _ROUND_LIMIT)  # NaN: unsure
    if unsure.any():
        plain = values.tolist()
        for i, j in zip(*np.nonzero(unsure)):
            out[i][j] = round(plain[i][j], 4)
    return out


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# -- loading ------------------------------------------------------------------------------------------------------

_PICKLE_HINT = ("fa-policy-nlp never unpickles model files (unpickling can run arbitrary code); "
                "train a model with 'fa-policy train' to get a .npz model")


def load_model(path: str | Path) -> DomainModel:
    """Load a model archive written by :meth:`DomainModel.save`, refusing anything unsafe or tampered.

    Raises :class:`ModelError` with a message that says why: missing file, not a model archive, pickled content,
    unknown members, unsupported format version, checksum mismatch (tampered or corrupted), inconsistent arrays.

    >>> from fa_policy_nlp.domain import DEFAULT_MODEL_PATH
    >>> model = load_model(DEFAULT_MODEL_PATH)
    >>> model.classify(["بانک مرکزی نرخ سود سپرده را افزایش داد"])[0].code in model.labels
    True
    """
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"model file {p} does not exist" + (" (it is a directory)" if p.is_dir() else ""))
    with p.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(0, p.stat().st_size - 1))
        last = fh.read(1)
    # Pickles start with PROTO (protocol >= 2) or, for protocol 0/1, an opcode such as MARK/GLOBAL, and end in STOP.
    if head[:1] == b"\x80" or (head[:1] in (b"(", b"c", b"}", b"]", b"N", b"I", b"S", b"V") and last == b"."):
        raise ModelError(f"{p} is a Python pickle, refused: {_PICKLE_HINT}")
    if head[:2] != b"PK":
        raise ModelError(f"{p} is not a fa-policy-nlp model (expected a .npz archive)")
    try:
        with zipfile.ZipFile(p) as zf:
            members = {n[:-4] if n.endswith(".npy") else n for n in zf.namelist()}
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{p} is not a readable model archive: {exc}") from exc
    unexpected = sorted(members - set(_MEMBERS))
    missing = sorted(set(_MEMBERS) - members)
    if unexpected or missing:
        raise ModelError(f"{p} is not a fa-policy-nlp model archive: "
                         + (f"unexpected members {unexpected}" if unexpected else "")
                         + ("; " if unexpected and missing else "") + (f"missing members {missing}" if missing else ""))
    arrays: dict[str, np.ndarray] = {}
    try:
        with np.load(p, allow_pickle=False) as npz:
            for name, kind in _MEMBERS.items():
                arr = npz[name]
                if arr.dtype.hasobject or (arr.dtype != np.uint8 if kind == "u" else arr.dtype.kind != "f"):
                    raise ModelError(f"{p}: member {name!r} has dtype {arr.dtype}, expected "
                                     f"{'uint8' if kind == 'u' else 'float'}")
                arrays[name] = arr
    except ValueError as exc:  # numpy refuses object arrays when allow_pickle=False
        raise ModelError(f"{p} contains pickled Python objects, refused: {_PICKLE_HINT} ({exc})") from exc
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"{p} is not a readable model archive: {exc}") from exc
    meta_bytes = arrays["meta"].tobytes()
    if hashlib.sha256(meta_bytes).hexdigest().encode("ascii") != arrays["meta_sha256"].tobytes():
        raise ModelError(f"{p} has been modified or corrupted (metadata checksum mismatch); refusing to load it")
    try:
        meta = json.loads(meta_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{p}: metadata is not valid JSON: {exc}") from exc
    if meta.get("format") != FORMAT_NAME:
        raise ModelError(f"{p} is not a fa-policy-nlp domain model (format {meta.get('format')!r})")
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ModelError(f"{p} has model format version {version!r}; this fa-policy-nlp ({_pkg_version()}) reads "
                         f"versions 1..{FORMAT_VERSION} (written by fa-policy-nlp {meta.get('package_version')})")
    sha = meta.get("sha256") or {}
    bad = [name for name in _ARRAYS if sha.get(name) != _sha(arrays[name])]
    if bad:
        raise ModelError(f"{p} has been modified or corrupted (checksum mismatch in {bad}); refusing to load it")
    try:
        word_vocab = _split_vocab(arrays["vocab_word"])
        char_vocab = _split_vocab(arrays["vocab_char"])
        return DomainModel(labels=meta["labels"], word_vocab=word_vocab, char_vocab=char_vocab, idf=arrays["idf"],
                           coef=arrays["coef"], intercept=arrays["intercept"], features=meta["features"],
                           temperature=meta.get("temperature", 1.0), names=meta.get("names"), meta=meta,
                           path=str(p))
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{p}: malformed model metadata ({type(exc).__name__}: {exc})") from exc


def _split_vocab(arr: np.ndarray) -> list[str]:
    data = arr.tobytes().decode("utf-8")
    return data.split("\n") if data else []


@lru_cache(maxsize=1)
def default_model() -> DomainModel:
    """The shipped CAP model (loaded once per process)."""
    if not DEFAULT_MODEL_PATH.is_file():
        raise ModelError(f"the shipped CAP model {DEFAULT_MODEL_PATH} is missing; rebuild it with "
                         "'python scripts/train_cap_model.py' or pass model=PATH")
    return load_model(DEFAULT_MODEL_PATH)


@lru_cache(maxsize=8)
def _load_cached(path: str) -> DomainModel:
    return load_model(path)


def resolve_model(model: Any = None) -> DomainModel:
    """``None`` -> the shipped model; a path -> that model file (cached); a :class:`DomainModel` -> itself."""
    if model is None:
        return default_model()
    if isinstance(model, DomainModel):
        return model
    if isinstance(model, (str, Path)):
        return _load_cached(str(Path(model).resolve()))
    raise TypeError(f"model must be None, a path or a DomainModel, not {type(model).__name__}")


def classify(texts: str | Iterable[str], *, model: Any = None, top_k: int | None = None,
             threshold: float | None = None, explain: bool = True) -> list[Prediction]:
    """Classify texts into policy domains (CAP major topics with the shipped model).

    ``texts`` is a string or an iterable of strings; the result is always a list of :class:`Prediction`
    (one per text, so ``classify(s)[0]`` for a single string). Each prediction has the best ``code`` (CAP code as
    a string), its ``label`` (English name), ``score`` (calibrated probability), ``scores`` (label -> probability,
    best first; only the ``top_k`` best when ``top_k`` is given) and ``explanation``: up to five words or word
    pairs of the text that pushed most towards the predicted label, with their weight. With ``threshold``, a
    prediction whose best score is below it abstains: ``code`` and ``label`` are ``None`` (``score``/``scores``
    still tell what the model thought). A text with no word the model knows gets ``code=None``, ``score=0.0``
    and empty ``scores``. ``model`` is ``None`` (shipped model), a path or a loaded model.

    >>> classify("واکسیناسیون کودکان در بیمارستان‌ها آغاز شد")[0].label  # doctest: +SKIP
    'Health'
    """
    return resolve_model(model).classify(texts, top_k=top_k, threshold=threshold, explain=explain)


class DomainAnnotator:
    """The domain stage: sets each claim's ``domain``/``domain_scores`` and the article's.

    A claim is classified on its ``content`` (what is said) when that has at least three words, else on the whole
    claim: the speaker and cue ("the interior minister said") would otherwise pull every claim towards the
    speaker's ministry. The article is classified on its whole normalised text (title and body together, one
    TF-IDF vector), which does not depend on how many claims were found; with no claims only the article is
    classified. The article text is featurised once and the claims reuse its chunks
    (:meth:`DomainModel.predict_spans`); the result is the same as classifying each text on its own.
    """

    def __init__(self, model: Any = None) -> None:
        self.model = resolve_model(model)

    @staticmethod
    def _claim_span(claim):
        content = claim.content
        if content is not None and len((content.norm or content.text).split()) >= 3:
            return content
        return claim

    def __call__(self, doc) -> None:
        article, nt = doc.article, doc.nt
        claims = list(article.claims)
        spans = [_norm_range(nt, self._claim_span(c)) for c in claims]
        if all(r is not None for r in spans):  # always, for claims found by the claims stage
            preds = self.model.predict_spans(nt.text, spans, explain=False)
        else:  # claims set by hand, without their normalised form in this text
            texts = [self._claim_span(c).norm or _normalize(self._claim_span(c).text) for c in claims]
            preds = self.model.predict_normalized(texts + [nt.text], explain=False)
        if claims:
            article.claims = [_with_domain(c, p.code, p.scores) for c, p in zip(claims, preds)]
        article.domain, article.domain_scores = preds[-1].code, preds[-1].scores


# Claim's fields in order, where domain/domain_scores sit among them, and whether all of them can be passed to
# Claim() positionally in that order (for _with_domain).
_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))
_CLAIM_DOMAIN = _CLAIM_FIELDS.index("domain")
_CLAIM_POSITIONAL = (all(f.init and not f.kw_only for f in dataclasses.fields(Claim))
                     and _CLAIM_FIELDS[_CLAIM_DOMAIN + 1] == "domain_scores")
_claim_values = operator.attrgetter(*_CLAIM_FIELDS)


def _with_domain(claim: Claim, code: str | None, scores: dict[str, float]) -> Claim:
    """``dataclasses.replace(claim, domain=code, domain_scores=scores)``, faster (about 1.8 us instead of 3 us).

    replace() spends most of its time collecting the fields by name into keyword arguments; this passes them
    positionally, in the class's field order. It relies on every field of :class:`Claim` being an ``__init__``
    parameter in that order, with ``domain_scores`` right after ``domain`` (``_CLAIM_POSITIONAL``, checked at
    import); otherwise, or for a subclass (other fields possible), it uses replace().
    """
    if not _CLAIM_POSITIONAL or type(claim) is not Claim:
        return dataclasses.replace(claim, domain=code, domain_scores=scores)
    values = list(_claim_values(claim))
    values[_CLAIM_DOMAIN:_CLAIM_DOMAIN + 2] = code, scores
    return Claim(*values)


def _norm_range(nt, span) -> tuple[int, int] | None:
    """The normalised offsets of a span of ``nt`` (found from its raw offsets and checked), or None."""
    norm = span.norm
    if not norm:
        return None
    i = bisect.bisect_left(nt.starts, span.start)
    for cand in (i, i + 1, i + 2, i - 1):
        if 0 <= cand and nt.text.startswith(norm, cand) and nt.to_raw(cand, cand + len(norm)) == (span.start,
                                                                                                   span.end):
            return cand, cand + len(norm)
    return None


def _normalize(text: str) -> str:
    from .normalize import default_normalizer

    return default_normalizer().normalize(text)
