"""Flat, analysis-ready tables from :class:`~fa_policy_nlp.types.Article` objects.

One schema per table (``TABLES``), keyed by ``article_id``; the CLI writes each as a Parquet file and
:func:`rows_to_frames` turns rows into pandas DataFrames with the same columns and dtypes. Values that are
structured (``domain_scores``, ``related``, ``honorifics``) are stored as JSON text so every engine reads them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa

from .types import Article, to_jsonable

__all__ = ["TABLES", "SCHEMAS", "article_rows", "rows_to_frames", "rows_to_arrow", "empty_rows"]

_S, _I, _F, _B, _D = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", _S), ("source", _S), ("published", _D), ("input_file", _S), ("input_line", _I),
        ("n_chars", _I), ("n_paragraphs", _I), ("n_sentences", _I), ("n_tokens", _I), ("n_figures", _I),
        ("n_dates", _I), ("n_officials", _I), ("n_claims", _I), ("domain", _S), ("domain_score", _F),
        ("domain_scores", _S),
    ]),
    "claims": pa.schema([
        ("article_id", _S), ("claim_id", _S), ("paragraph", _I), ("text", _S), ("start", _I), ("end", _I),
        ("speaker_id", _S), ("speaker_name", _S), ("cue", _S), ("cue_start", _I), ("cue_end", _I),
        ("content", _S), ("content_start", _I), ("content_end", _I), ("n_figures", _I), ("n_dates", _I),
        ("domain", _S), ("domain_score", _F), ("domain_scores", _S),
    ]),
    "figures": pa.schema([
        ("article_id", _S), ("figure_id", _S), ("claim_id", _S), ("text", _S), ("start", _I), ("end", _I),
        ("value", _F), ("value_exact", _S), ("unit", _S), ("kind", _S), ("currency", _S), ("qualifier", _S),
        ("approximate", _B), ("relation", _S), ("related", _S),
    ]),
    "dates": pa.schema([
        ("article_id", _S), ("date_id", _S), ("claim_id", _S), ("text", _S), ("start", _I), ("end", _I),
        ("calendar", _S), ("jalali", _S), ("start_date", _D), ("end_date", _D), ("granularity", _S),
        ("relative", _B),
    ]),
    "officials": pa.schema([
        ("article_id", _S), ("official_id", _S), ("name", _S), ("role", _S), ("organization", _S),
        ("honorifics", _S), ("gazetteer_id", _S), ("wikidata", _S), ("n_mentions", _I),
        ("text", _S), ("start", _I), ("end", _I),
    ]),
    "mentions": pa.schema([
        ("article_id", _S), ("official_id", _S), ("kind", _S), ("text", _S), ("start", _I), ("end", _I),
    ]),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def empty_rows() -> dict[str, list[dict[str, Any]]]:
    return {name: [] for name in TABLES}


def _num(value: Any) -> tuple[float | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, Fraction):
        return float(value), f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return float(value), str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return value, str(int(value))
    return float(value), str(value)


def _json(value: Any) -> str | None:
    if value is None or value == {} or value == ():
        return None
    if type(value) is dict and all(type(k) is str and type(v) in _PLAIN for k, v in value.items()):
        # label -> score maps (one per article and claim): already JSON-safe, to_jsonable would return an equal
        # dict (it keeps str keys, floats, ints and str as they are), so skip its per-item walk
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


_PLAIN = frozenset({float, int, str})


def _inside(start: int, end: int, spans: list[tuple[int, int, str]]) -> str | None:
    for s, e, cid in spans:
        if s <= start and end <= e:
            return cid
    return None


def article_rows(article: Article, *, article_id: str | None = None, input_file: str | None = None,
                 input_line: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """All table rows of one article (a dict table name → list of row dicts matching :data:`SCHEMAS`)."""
    aid = article_id or article.id or ""
    rows = empty_rows()
    best = max(article.domain_scores.items(), key=lambda kv: kv[1]) if article.domain_scores else (None, None)
    rows["articles"].append({
        "article_id": aid, "source": article.source, "published": article.published,
        "input_file": input_file, "input_line": input_line, "n_chars": len(article.text),
        "n_paragraphs": len(article.paragraphs), "n_sentences": len(article.sentences),
        "n_tokens": len(article.tokens), "n_figures": len(article.figures), "n_dates": len(article.dates),
        "n_officials": len(article.officials), "n_claims": len(article.claims),
        "domain": article.domain, "domain_score": best[1] if article.domain else None,
        "domain_scores": _json(article.domain_scores),
    })
    claim_spans = [(c.start, c.end, c.id) for c in article.claims]
    names = {o.id: (o.name or o.role) for o in article.officials}
    for c in article.claims:
        rows["claims"].append({
            "article_id": aid, "claim_id": c.id, "paragraph": c.paragraph, "text": c.text, "start": c.start,
            "end": c.end, "speaker_id": c.speaker, "speaker_name": c.speaker_name or names.get(c.speaker),
            "cue": c.cue.text if c.cue else None, "cue_start": c.cue.start if c.cue else None,
            "cue_end": c.cue.end if c.cue else None, "content": c.content.text if c.content else None,
            "content_start": c.content.start if c.content else None,
            "content_end": c.content.end if c.content else None, "n_figures": len(c.figures),
            "n_dates": len(c.dates), "domain": c.domain,
            "domain_score": c.domain_scores.get(c.domain) if c.domain and c.domain_scores else None,
            "domain_scores": _json(c.domain_scores),
        })
    for i, f in enumerate(article.figures, 1):
        value, exact = _num(f.value)
        rows["figures"].append({
            "article_id": aid, "figure_id": f"f{i}", "claim_id": _inside(f.start, f.end, claim_spans),
            "text": f.text, "start": f.start, "end": f.end, "value": value, "value_exact": exact, "unit": f.unit,
            "kind": f.kind, "currency": f.currency, "qualifier": f.qualifier, "approximate": bool(f.approximate),
            "relation": f.relation, "related": _json(f.related),
        })
    for i, d in enumerate(article.dates, 1):
        rows["dates"].append({
            "article_id": aid, "date_id": f"d{i}", "claim_id": _inside(d.start, d.end, claim_spans),
            "text": d.text, "start": d.start, "end": d.end, "calendar": d.calendar, "jalali": d.jalali,
            "start_date": d.start_date, "end_date": d.end_date, "granularity": d.granularity,
            "relative": bool(d.relative),
        })
    for o in article.officials:
        rows["officials"].append({
            "article_id": aid, "official_id": o.id, "name": o.name, "role": o.role,
            "organization": o.organization, "honorifics": _json(list(o.honorifics)) if o.honorifics else None,
            "gazetteer_id": o.gazetteer_id, "wikidata": o.wikidata, "n_mentions": len(o.mentions),
            "text": o.text if o.mentions else None, "start": o.start if o.mentions else None,
            "end": o.end if o.mentions else None,
        })
        for m in o.mentions:
            rows["mentions"].append({
                "article_id": aid, "official_id": o.id, "kind": m.kind, "text": m.text, "start": m.start,
                "end": m.end,
            })
    return rows


def rows_to_arrow(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows of one table as a pyarrow Table with the fixed schema."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def rows_to_frames(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Rows of every table as pandas DataFrames (same columns and dtypes as the Parquet files)."""
    return {name: rows_to_arrow(name, rows.get(name, [])).to_pandas() for name in TABLES}
