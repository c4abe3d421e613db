"""Training domain models: :func:`train_model` for programs and the ``fa-policy train`` click command.

A model is TF-IDF over the normalised text (word 1-2-grams and character 3-5-grams inside words after removing
hazm's stop words, sublinear TF, smoothed IDF, each block L2-normalised) + multinomial logistic regression with
balanced class weights; the softmax temperature is fitted on the out-of-fold scores of the cross-validation, so
``score`` behaves like a probability. An optional topic lexicon (terms with labels) adds one-term training texts.
Feature vocabularies keep n-grams seen in at least ``min_df`` texts (and every word n-gram of a lexicon term), then
the ``max_features`` n-grams with the largest weights are kept and the classifier is refitted on them (a small, fast
model file). Training is deterministic for a given ``seed``. The cross-validation refits the vocabulary inside each
fold.
"""

from __future__ import annotations

import collections
import csv
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .domain import DomainModel, _Featurizer, load_taxonomy, ngrams, prepare
from .errors import InputError

__all__ = ["train_model", "cross_validate", "format_report", "read_labelled", "read_term_lists", "train_command",
           "DEFAULTS"]

DEFAULTS: dict[str, Any] = {
    "word_ngram": [1, 2],
    "char_ngram": [3, 5],
    "char_weight": 1.0,
    "min_df": 2,
    "max_features": 60000,
    "C": 10.0,
    "stop_words": "hazm",
}


def stop_words(spec: Any) -> list[str]:
    """The stop-word list in prepared form: ``"hazm"`` (hazm's MIT-licensed ``stopwords_list()``), a list, or none."""
    if not spec:
        return []
    if spec == "hazm":
        from hazm import stopwords_list

        spec = stopwords_list()
    elif isinstance(spec, str):
        raise InputError(f"stop_words must be 'hazm', a list of words or empty, not {spec!r}")
    return sorted({w for word in spec for w in prepare(word).split()})


def _resolve(features: dict[str, Any] | None) -> dict[str, Any]:
    f = {**DEFAULTS, **(features or {})}
    f["stop_words"] = stop_words(f["stop_words"])
    return f


# -- data ----------------------------------------------------------------------------------------------------------

def read_labelled(paths: str | Path | Sequence[str | Path], text_col: str = "text",
                  label_col: str = "label") -> tuple[list[str], list[str]]:
    """Read ``(texts, labels)`` from CSV/TSV (header row) or JSON Lines / JSON (list of objects) files."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    texts: list[str] = []
    labels: list[str] = []
    for path in paths:
        path = Path(path)
        suffix = path.suffix.lower()
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from exc
        if suffix in (".jsonl", ".ndjson"):
            rows = []
            for n, line in enumerate(raw.splitlines(), 1):
                if line.strip():
                    try:
                        rows.append((n, json.loads(line)))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{n}: not valid JSON: {exc}") from exc
        elif suffix == ".json":
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: not valid JSON: {exc}") from exc
            if not isinstance(data, list):
                raise InputError(f"{path}: a .json file must hold a list of objects")
            rows = list(enumerate(data, 1))
        elif suffix in (".csv", ".tsv", ".tab", ".txt"):
            reader = csv.DictReader(raw.splitlines(), delimiter="\t" if suffix != ".csv" else ",")
            rows = list(enumerate(reader, 2))
        else:
            raise InputError(f"{path}: unknown file type {suffix!r}; use .csv, .tsv, .jsonl or .json")
        for n, row in rows:
            if not isinstance(row, dict):
                raise InputError(f"{path}:{n}: expected an object/row, got {type(row).__name__}")
            for col in (text_col, label_col):
                if col not in row:
                    raise InputError(f"{path}:{n}: no column {col!r} (columns: {', '.join(map(str, row))}); "
                                     "choose with --text-col/--label-col")
            text, label = row[text_col], row[label_col]
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{path}:{n}: empty or non-text {text_col!r}")
            if label is None or str(label).strip() == "":
                raise InputError(f"{path}:{n}: empty label in {label_col!r}")
            texts.append(text)
            labels.append(str(label).strip())
    if not texts:
        raise InputError("no labelled rows found")
    return texts, labels


def read_term_lists(folder: str | Path, pattern: str = "*-*.txt") -> tuple[list[str], list[str]]:
    """Read a topic lexicon from a folder of term lists, one file per label named ``<prefix>-<label>.txt`` (e.g.
    ``corpora/cap/terms/cap-7.txt``), one term a line. Returns ``(terms, labels)`` for ``train_model(lexicon=...)``."""
    terms: list[str] = []
    labels: list[str] = []
    for path in sorted(Path(folder).glob(pattern)):
        label = path.stem.split("-", 1)[1]
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from exc
        for line in lines:
            if line.strip():
                terms.append(line.strip())
                labels.append(label)
    return terms, labels


def _sorted_labels(labels: Iterable[str]) -> list[str]:
    uniq = set(labels)
    if all(l.lstrip("-").isdigit() for l in uniq):
        return sorted(uniq, key=int)
    return sorted(uniq)


def _normalize_all(texts: Sequence[str]) -> list[str]:
    from .normalize import default_normalizer

    norm = default_normalizer().normalize
    return [norm(t) for t in texts]


# -- fitting -------------------------------------------------------------------------------------------------------

def _fit_vocab(prepared: Sequence[str], features: dict[str, Any], n_lexicon: int = 0):
    """Vocabularies (sorted n-grams in >= min_df texts) and smoothed IDF, ln((1+n)/(1+df)) + 1, for both blocks.
    The word n-grams of the last ``n_lexicon`` texts (lexicon terms, see :func:`train_model`) are kept whatever
    their count: a term is one text, so a word only it holds would never reach ``min_df``."""
    n = len(prepared)
    stop = frozenset(features.get("stop_words") or ())
    df_word: collections.Counter = collections.Counter()
    df_char: collections.Counter = collections.Counter()
    always: set[str] = set()
    for i, text in enumerate(prepared):
        word, char = ngrams(text, features, stop)
        df_word.update(set(word))
        df_char.update(set(char))
        if i >= n - n_lexicon:
            always.update(word)
    min_df = min(features["min_df"], n)
    vocabs, idfs = [], []
    for df, keep in ((df_word, always), (df_char, set())):
        vocab = sorted(g for g, c in df.items() if c >= min_df or g in keep)
        vocabs.append(vocab)
        idfs.append(np.log((1.0 + n) / (1.0 + np.array([df[g] for g in vocab], dtype=np.float64))) + 1.0)
    return vocabs[0], vocabs[1], np.concatenate(idfs).astype(np.float32)


def _fit_linear(x, y: np.ndarray, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, tol=1e-4, random_state=seed)
    clf.fit(x, y)
    return clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32)


def _fit(prepared: Sequence[str], y: np.ndarray, features: dict[str, Any], seed: int, n_lexicon: int = 0):
    """Vocabulary + classifier, pruned to ``max_features`` and refitted. Returns the model arrays. The last
    ``n_lexicon`` texts are lexicon terms (see :func:`_fit_vocab`)."""
    word_vocab, char_vocab, idf = _fit_vocab(prepared, features, n_lexicon)
    feat = _Featurizer(word_vocab, char_vocab, idf, features)
    x = feat.transform(prepared)
    coef, intercept = _fit_linear(x, y, features["C"], seed)
    limit = int(features.get("max_features") or 0)
    if 0 < limit < coef.shape[1]:
        keep = np.sort(np.argsort(-np.abs(coef).max(axis=0), kind="stable")[:limit])
        n_word = len(word_vocab)
        kw, kc = keep[keep < n_word], keep[keep >= n_word]
        word_vocab = [word_vocab[i] for i in kw]
        char_vocab = [char_vocab[i - n_word] for i in kc]
        idf = idf[keep]
        feat = _Featurizer(word_vocab, char_vocab, idf, features)
        x = feat.transform(prepared)
        coef, intercept = _fit_linear(x, y, features["C"], seed)
    if coef.shape[0] == 1:  # binary problem: sklearn gives one row; make it a symmetric two-class softmax
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    return word_vocab, char_vocab, idf, coef, intercept, feat


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature minimising the negative log-likelihood of out-of-fold scores (golden search)."""
    def nll(log_t: float) -> float:
        z = scores / math.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return round(math.exp((lo + hi) / 2), 4)


def cross_validate(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0,
                   features: dict[str, Any] | None = None, normalized: bool = False,
                   lexicon: tuple[Sequence[str], Sequence[str]] | None = None) -> dict[str, Any]:
    """Stratified k-fold cross-validation. Returns the per-label report plus out-of-fold scores.

    The report: ``{"labels", "per_label": {label: {precision, recall, f1, support}}, "macro_f1", "accuracy",
    "folds", "n"}``; the out-of-fold raw scores are under ``"_oof"`` (used to fit the temperature).
    ``lexicon`` (terms, labels) joins the training part of every fold and is never scored.
    """
    from sklearn.model_selection import StratifiedKFold

    features = _resolve(features)
    label_list = _sorted_labels(labels)
    index = {l: i for i, l in enumerate(label_list)}
    y = np.array([index[l] for l in labels])
    counts = np.bincount(y, minlength=len(label_list))
    if folds < 2:
        raise InputError(f"cross-validation needs at least 2 folds, got {folds}")
    small = [label_list[i] for i, c in enumerate(counts) if c < folds]
    if small:
        raise InputError(f"labels {small} have fewer examples than --folds={folds}; add examples or use fewer folds")
    prepared = [prepare(t) for t in (texts if normalized else _normalize_all(texts))]
    lex_prepared, lex_y = _prepare_lexicon(lexicon, index, normalized)
    oof = np.zeros((len(y), len(label_list)), dtype=np.float64)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in skf.split(np.zeros(len(y)), y):
        sub = [prepared[i] for i in train_idx] + lex_prepared
        sub_y = np.concatenate([y[train_idx], lex_y])
        present = np.unique(sub_y)
        _, _, _, coef, intercept, feat = _fit(sub, np.searchsorted(present, sub_y), features, seed,
                                              len(lex_prepared))
        s = np.asarray(feat.transform([prepared[i] for i in test_idx]) @ coef.T) + intercept
        full = np.full((len(test_idx), len(label_list)), -1e9)
        full[:, present] = s
        oof[test_idx] = full
    return _report(y, oof, label_list, folds)


def _prepare_lexicon(lexicon: tuple[Sequence[str], Sequence[str]] | None, index: dict[str, int],
                     normalized: bool) -> tuple[list[str], np.ndarray]:
    """Prepared lexicon terms and their label indices (``index``: label -> index); a term's label must be one of
    the training labels."""
    if not lexicon:
        return [], np.zeros(0, dtype=int)
    terms, term_labels = list(lexicon[0]), [str(l).strip() for l in lexicon[1]]
    if len(terms) != len(term_labels):
        raise InputError(f"lexicon: {len(terms)} terms but {len(term_labels)} labels")
    unknown = sorted(set(term_labels) - set(index))
    if unknown:
        raise InputError(f"lexicon labels {unknown} are not among the training labels")
    prepared = [prepare(t) for t in (terms if normalized else _normalize_all(terms))]
    return prepared, np.array([index[l] for l in term_labels], dtype=int)


def _report(y: np.ndarray, scores: np.ndarray, label_list: list[str], folds: int) -> dict[str, Any]:
    from sklearn.metrics import precision_recall_fscore_support

    pred = scores.argmax(axis=1)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=np.arange(len(label_list)), zero_division=0)
    return {
        "n": int(len(y)),
        "folds": folds,
        "labels": label_list,
        "per_label": {l: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                          "f1": round(float(f[i]), 4), "support": int(s[i])} for i, l in enumerate(label_list)},
        "macro_f1": round(float(np.mean(f)), 4),
        "accuracy": round(float(np.mean(pred == y)), 4),
        "_oof": scores,
        "_y": y,
    }


def format_report(report: dict[str, Any], names: dict[str, str] | None = None, title: str = "") -> str:
    """A plain-text per-label table of a report from :func:`cross_validate` (or the evaluation benchmark)."""
    names = names or {}
    lines = [title] if title else []
    lines.append(f"{'label':>6}  {'name':<24} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>6}")
    for label in report["labels"]:
        m = report["per_label"][label]
        lines.append(f"{label:>6}  {names.get(label, '')[:24]:<24} {m['precision']:6.3f} {m['recall']:6.3f} "
                     f"{m['f1']:6.3f} {m['support']:6d}")
    lines.append(f"{'':>6}  {'macro-F1':<24} {'':>6} {'':>6} {report['macro_f1']:6.3f} {report['n']:6d}")
    lines.append(f"{'':>6}  {'accuracy':<24} {'':>6} {'':>6} {report['accuracy']:6.3f}")
    return "\n".join(lines)


def _label_names(label_list: Sequence[str], names: dict[str, str] | None, taxonomy: str | None) -> dict[str, str]:
    if names:
        return {l: names.get(l, l) for l in label_list}
    tax = load_taxonomy(taxonomy)["labels"]
    if taxonomy is not None:
        unknown = [l for l in label_list if l not in tax]
        if unknown:
            raise InputError(f"labels {unknown} are not in taxonomy {taxonomy}")
    return {l: tax.get(l, {}).get("name", l) for l in label_list}


def train_model(texts: Sequence[str], labels: Sequence[Any], *, names: dict[str, str] | None = None,
                taxonomy: str | None = None, folds: int = 5, seed: int = 0,
                features: dict[str, Any] | None = None, info: dict[str, Any] | None = None,
                lexicon: tuple[Sequence[str], Sequence[Any]] | None = None) -> DomainModel:
    """Train a domain model on ``texts`` with ``labels`` (any hashable labels; stored as strings).

    ``lexicon`` is an optional topic dictionary, ``(terms, labels)``: words or short phrases strongly indicative
    of a label, each added as a one-term training text (its word n-grams enter the vocabulary even when seen once).
    Cross-validation scores only ``texts`` (the terms join every training fold).

    With ``folds >= 2`` it first cross-validates (the report is kept in ``model.meta["cv"]`` and the softmax
    temperature is fitted on the out-of-fold scores); ``folds=0`` skips that (temperature 1). Label names come from
    ``names``, else from ``taxonomy`` (a YAML file; the bundled CAP taxonomy by default, labels it does not know keep
    their code as name). ``features`` overrides :data:`DEFAULTS`. Save the result with ``model.save(path)``.

    >>> texts = ["بانک مرکزی نرخ سود را افزایش داد", "تورم ماهانه کاهش یافت", "تیم ملی فوتبال پیروز شد",
    ...          "استقلال و پرسپولیس مساوی کردند"]
    >>> model = train_model(texts, ["1", "1", "999", "999"], folds=0)
    >>> model.labels
    ('1', '999')
    """
    texts = list(texts)
    labels = [str(l).strip() for l in labels]
    if len(texts) != len(labels):
        raise InputError(f"{len(texts)} texts but {len(labels)} labels")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] must be str, not {type(t).__name__}")
    label_list = _sorted_labels(labels)
    if len(label_list) < 2:
        raise InputError(f"need at least two different labels, got {label_list}")
    features = _resolve(features)
    names = _label_names(label_list, names, taxonomy)
    normalized = _normalize_all(texts)
    lex_normalized = None
    if lexicon:
        lex_normalized = (_normalize_all(list(lexicon[0])), list(lexicon[1]))
    meta: dict[str, Any] = {"training": {"n": len(texts), "seed": seed, **(info or {})}}
    if lex_normalized:
        meta["training"]["lexicon_terms"] = len(lex_normalized[0])
    temperature = 1.0
    if folds:
        report = cross_validate(normalized, labels, folds=folds, seed=seed, features=features, normalized=True,
                                lexicon=lex_normalized)
        temperature = _fit_temperature(report["_oof"], report["_y"])
        meta["cv"] = {k: v for k, v in report.items() if not k.startswith("_")}
    index = {l: i for i, l in enumerate(label_list)}
    y = np.array([index[l] for l in labels])
    prepared = [prepare(t) for t in normalized]
    lex_prepared, lex_y = _prepare_lexicon(lex_normalized, index, True)
    word_vocab, char_vocab, idf, coef, intercept, _ = _fit(prepared + lex_prepared, np.concatenate([y, lex_y]),
                                                           features, seed, len(lex_prepared))
    return DomainModel(labels=label_list, word_vocab=word_vocab, char_vocab=char_vocab, idf=idf, coef=coef,
                       intercept=intercept, features=features, temperature=temperature, names=names, meta=meta)


# -- command line --------------------------------------------------------------------------------------------------

def _make_command():
    import click

    @click.command("train")
    @click.argument("labels", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    @click.option("--text-col", default="text", show_default=True, help="Column/key holding the text.")
    @click.option("--label-col", default="label", show_default=True, help="Column/key holding the label.")
    @click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
                  help="Where to write the model (.npz); use it with 'analyze --model PATH'.")
    @click.option("--folds", default=5, show_default=True, type=click.IntRange(min=0),
                  help="Cross-validation folds for the report (0 = no cross-validation).")
    @click.option("--seed", default=0, show_default=True, type=int)
    @click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False),
                  help="YAML taxonomy with label names (default: the CAP taxonomy).")
    @click.option("--max-features", default=DEFAULTS["max_features"], show_default=True, type=click.IntRange(min=0),
                  help="Keep this many n-grams (0 = all).")
    @click.option("--c", "c", default=DEFAULTS["C"], show_default=True, type=click.FloatRange(min=0, min_open=True),
                  help="Inverse regularisation strength of the logistic regression.")
    @click.option("--lexicon", "lexicon_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                  help="Topic terms (a file like LABELS, read with the same columns): each term is added as a "
                       "one-term training text; cross-validation scores only LABELS. Repeatable.")
    def train_command(labels, text_col, label_col, output, folds, seed, taxonomy, max_features, c,
                      lexicon_files) -> None:
        """Train a domain model on LABELS (CSV/TSV/JSONL/JSON files with a text and a label column).

        Prints cross-validated per-label precision/recall/F1 and writes a model that 'analyze --model' and
        analyze(..., model=PATH) load.
        """
        if not output.endswith(".npz"):
            raise click.BadParameter("the model file name must end in .npz", param_hint="--output")
        try:
            texts, ys = read_labelled(labels, text_col, label_col)
            lexicon = read_labelled(lexicon_files, text_col, label_col) if lexicon_files else None
            info: dict[str, Any] = {"sources": [Path(p).name for p in labels]}
            if lexicon_files:
                info["lexicon_sources"] = [Path(p).name for p in lexicon_files]
            t0 = time.perf_counter()
            model = train_model(texts, ys, taxonomy=taxonomy, folds=folds, seed=seed,
                                features={"max_features": max_features, "C": c}, info=info, lexicon=lexicon)
        except InputError as exc:
            raise click.UsageError(str(exc)) from exc
        elapsed = time.perf_counter() - t0
        if "cv" in model.meta:
            click.echo(format_report(model.meta["cv"], model.names,
                                     title=f"{folds}-fold cross-validation on {len(texts)} texts"))
        path = model.save(output)
        click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(model.labels)} labels, "
                   f"{model.coef.shape[1]} features) in {elapsed:.1f} s", err=False)

    return train_command


try:
    train_command = _make_command()
except ImportError:  # pragma: no cover - click is a dependency
    train_command = None

if __name__ == "__main__":  # pragma: no cover
    sys.exit(train_command())
