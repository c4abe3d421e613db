"""Readers: every supported format yields the same records; broken records are reported, never fatal."""

from __future__ import annotations

import csv
import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fa_policy_nlp.io import BadRecord, FieldSpec, Record, read_records

ROWS = [
    {"id": "n1", "title": "افزایش صادرات غیرنفتی", "text": "صادرات غیرنفتی ۱۲ درصد بیشتر شد.", "published": "1404-07-14"},
    {"id": "n2", "title": "نشست استانداران", "text": "وزیر کشور در این نشست سخن گفت.", "published": "2025-10-06"},
]


def _write(fmt, path):
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    elif fmt == "jsonl.gz":
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS))
    elif fmt == "json":
        path.write_text(json.dumps(ROWS, ensure_ascii=False, indent=2), encoding="utf-8")
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
            w.writeheader()
            w.writerows(ROWS)
    elif fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(ROWS), path)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "json", "csv", "parquet"])
def test_formats_yield_same_records(tmp_path, fmt):
    path = _write(fmt, tmp_path / f"dump.{fmt}")
    recs = list(read_records([path]))
    assert all(isinstance(r, Record) for r in recs)
    assert [r.id for r in recs] == ["n1", "n2"]
    assert recs[0].text == ROWS[0]["title"] + "\n" + ROWS[0]["text"]
    assert recs[1].published == "2025-10-06"


def test_json_array_streams_in_small_chunks(tmp_path):
    from fa_policy_nlp.io import _read_json_array

    path = _write("json", tmp_path / "d.json")
    recs = list(_read_json_array(path, FieldSpec(), chunk_size=7))
    assert [r.id for r in recs] == ["n1", "n2"]


def test_folder_of_txt(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("متن خبر اول", encoding="utf-8")
    (tmp_path / "b.txt").write_text("متن خبر دوم", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  ", encoding="utf-8")
    recs = list(read_records([tmp_path]))
    ok = [r for r in recs if isinstance(r, Record)]
    bad = [r for r in recs if isinstance(r, BadRecord)]
    assert [r.id for r in ok] == ["a/x", "b"]
    assert len(bad) == 1 and "empty" in bad[0].reason


BROKEN = [
    # (line bytes, expected reason fragment)
    (b'{"id": "t1", "text": "\xd9\x85\xd8\xaa\xd9\x86", "x": ', "invalid JSON"),
    (b'{"id": "t2", "text": "\xff\xfe"}', "invalid UTF-8"),
    (b'{"id": "t3"}', "no text"),
    (b'{"id": "t4", "text": ""}', "no text"),
    (b'["not", "an", "object"]', "not an object"),
    (b'{"id": "t5", "text": {"nested": 1}}', "object"),
]


@pytest.mark.parametrize("line,reason", BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_jsonl_lines_are_reported_with_line_numbers(tmp_path, line, reason):
    good = json.dumps({"id": "g", "text": "خبر سالم"}, ensure_ascii=False).encode()
    path = tmp_path / "d.jsonl"
    path.write_bytes(good + b"\n" + line + b"\n" + good + b"\n")
    recs = list(read_records([path]))
    assert [type(r).__name__ for r in recs] == ["Record", "BadRecord", "Record"]
    assert recs[1].line == 2 and reason in recs[1].reason


def test_text_fields_join_lists(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"link": "u1", "title": "عنوان", "paragraphs": ["بند یک", "بند دو"]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    (rec,) = read_records([path], FieldSpec(text=("title", "paragraphs"), id="link"))
    assert rec.id == "u1" and rec.text == "عنوان\nبند یک\nبند دو"
