"""Helpers shared by the batch tests: small dumps written by the project, table comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from fa_policy_nlp.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "articles.jsonl"


def sample_records(repeat: int = 1) -> list[dict]:
    """The project's sample articles (written for the project), repeated with unique ids."""
    base = [json.loads(l) for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    out = []
    for r in range(repeat):
        for rec in base:
            rec = dict(rec)
            rec["id"] = f"{rec['id']}-r{r}"
            out.append(rec)
    return out


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_tables(folder: Path) -> dict:
    return {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = read_tables(a), read_tables(b)
    for name in TABLES:
        assert ta[name].schema == tb[name].schema, name
        assert ta[name].num_rows == tb[name].num_rows, (name, ta[name].num_rows, tb[name].num_rows)
        assert ta[name].equals(tb[name]), f"table {name} differs"
