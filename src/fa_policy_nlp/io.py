"""Streaming readers for article dumps.

Supported inputs: JSON Lines (``.jsonl``/``.ndjson``), JSON arrays (``.json``, streamed element by element), CSV
(``.csv``/``.tsv``), Parquet, the ``.gz`` forms of the text formats, and folders (``.txt`` files are one article
each; other supported files inside are read as dumps). Every record comes out as a :class:`Record` or, when it is
broken, a :class:`BadRecord` naming the file, the line (or row/element number) and the reason — a broken record
never stops the stream.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from .errors import InputError

__all__ = ["Record", "BadRecord", "read_records", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".txt")


@dataclass(slots=True)
class Record:
    """One input article. ``key`` (file + position) identifies it for resuming and error reports."""

    file: str
    line: int  # 1-based line (JSONL, CSV data row counting the header as line 1), element (JSON), row (Parquet)
    id: str
    text: str
    published: Any = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BadRecord:
    file: str
    line: int
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "id": self.id, "reason": self.reason}


@dataclass(slots=True)
class FieldSpec:
    """Which fields of a record hold the text (joined with a newline), id, publication date and source."""

    text: Sequence[str] = ("title", "text")
    id: str | None = "id"
    date: str | None = "published"
    source: str | None = "source"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\n".join(_as_text(v) for v in value if v is not None and _as_text(v) != "")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        raise TypeError("a text field holds an object")
    return str(value)


def _make_record(obj: Any, file: str, line: int, spec: FieldSpec) -> Record | BadRecord:
    if not isinstance(obj, dict):
        return BadRecord(file, line, f"record is a JSON {type(obj).__name__}, not an object")
    rid = obj.get(spec.id) if spec.id else None
    rid = None if rid is None or rid == "" else str(rid)
    parts = []
    try:
        for name in spec.text:
            if name in obj:
                t = _as_text(obj[name]).strip()
                if t:
                    parts.append(t)
    except TypeError as exc:
        return BadRecord(file, line, f"text field: {exc}", rid)
    if not parts:
        wanted = ", ".join(spec.text)
        return BadRecord(file, line, f"record has no text in field(s) {wanted}", rid)
    source = obj.get(spec.source) if spec.source else None
    return Record(
        file=file,
        line=line,
        id=rid if rid is not None else f"{Path(file).name}:{line}",
        text="\n".join(parts),
        published=obj.get(spec.date) if spec.date else None,
        source=None if source is None else str(source),
    )


def _open_binary(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_jsonl(path: Path, spec: FieldSpec) -> Iterator[Record | BadRecord]:
    name = str(path)
    with _open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield BadRecord(name, lineno, f"invalid UTF-8 at byte {exc.start}: {exc.reason}")
                continue
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRecord(name, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            yield _make_record(obj, name, lineno, spec)


_WS = " \t\r\n"


def _read_json_array(path: Path, spec: FieldSpec, chunk_size: int = 1 << 20) -> Iterator[Record | BadRecord]:
    """Stream the elements of a top-level JSON array without loading the whole file (``line`` = element number)."""
    name = str(path)
    decoder = json.JSONDecoder()
    reader = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with _open_binary(path) as fh:
        buf = ""
        pos = 0
        eof = False
        started = False
        index = 0

        def fill() -> bool:
            nonlocal buf, pos, eof
            if eof:
                return False
            data = fh.read(chunk_size)
            try:
                text = reader.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid UTF-8 ({exc.reason}); the file cannot be read as a JSON array")
            if not data:
                eof = True
            buf = buf[pos:] + text
            pos = 0
            return bool(data) or bool(text)

        try:
            fill()
            if buf.startswith("\ufeff"):
                pos = 1
            while True:
                while pos < len(buf) and buf[pos] in _WS:
                    pos += 1
                if pos >= len(buf):
                    if not fill():
                        break
                    continue
                ch = buf[pos]
                if not started:
                    if ch != "[":
                        # Not an array: a single object (or JSON Lines saved as .json).
                        yield from _read_jsonl(path, spec)
                        return
                    started = True
                    pos += 1
                    continue
                if ch == ",":
                    pos += 1
                    continue
                if ch == "]":
                    break
                while True:
                    try:
                        obj, end = decoder.raw_decode(buf, pos)
                        break
                    except json.JSONDecodeError as exc:
                        if not fill():
                            index += 1
                            yield BadRecord(name, index, f"invalid JSON in array element: {exc.msg}")
                            return
                index += 1
                pos = end
                yield _make_record(obj, name, index, spec)
        except InputError as exc:
            yield BadRecord(name, index + 1, str(exc))


def _read_csv(path: Path, spec: FieldSpec) -> Iterator[Record | BadRecord]:
    name = str(path)
    delimiter = "\t" if _base_suffix(path) == ".tsv" else ","
    with _open_binary(path) as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8-sig", errors="strict", newline="")
        rows = csv.reader(text, delimiter=delimiter)
        try:
            header = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            yield BadRecord(name, 1, f"invalid UTF-8 in header: {exc.reason}")
            return
        lineno = 1
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                yield BadRecord(name, lineno + 1, f"invalid UTF-8: {exc.reason}; rest of file skipped")
                break
            except csv.Error as exc:
                lineno = rows.line_num
                yield BadRecord(name, lineno, f"malformed CSV row: {exc}")
                continue
            lineno = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield BadRecord(name, lineno, f"row has {len(row)} fields, header has {len(header)}")
                continue
            yield _make_record(dict(zip(header, row)), name, lineno, spec)


def _read_parquet(path: Path, spec: FieldSpec) -> Iterator[Record | BadRecord]:
    import pyarrow.parquet as pq

    name = str(path)
    row = 0
    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=1024):
        for obj in batch.to_pylist():
            row += 1
            yield _make_record(obj, name, row, spec)


def _read_txt(path: Path, root: Path, spec: FieldSpec) -> Iterator[Record | BadRecord]:
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadRecord(name, 1, f"invalid UTF-8 at byte {exc.start}: {exc.reason}")
        return
    if not text.strip():
        yield BadRecord(name, 1, "file is empty")
        return
    rel = path.relative_to(root).with_suffix("").as_posix() if root != path else path.stem
    yield Record(file=name, line=1, id=rel, text=text)


def _iter_files(path: Path) -> Iterator[tuple[Path, Path]]:
    if path.is_dir():
        found = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for fn in filenames:
                p = Path(dirpath) / fn
                if not fn.startswith(".") and _base_suffix(p) in SUPPORTED_SUFFIXES:
                    found.append(p)
        for p in sorted(found, key=lambda q: q.relative_to(path).as_posix()):
            yield p, path
    else:
        yield path, path


def read_records(paths: Sequence[str | os.PathLike], spec: FieldSpec | None = None) -> Iterator[Record | BadRecord]:
    """Yield every record of every input, in a deterministic order (inputs as given, folders sorted)."""
    spec = spec or FieldSpec()
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise InputError(f"input {path} does not exist")
        for file, root in _iter_files(path):
            kind = _base_suffix(file)
            if kind in (".jsonl", ".ndjson"):
                yield from _read_jsonl(file, spec)
            elif kind == ".json":
                yield from _read_json_array(file, spec)
            elif kind in (".csv", ".tsv"):
                yield from _read_csv(file, spec)
            elif kind == ".parquet":
                yield from _read_parquet(file, spec)
            elif kind == ".txt":
                yield from _read_txt(file, root, spec)
            else:
                raise InputError(
                    f"input {file}: unsupported format {kind or '(no suffix)'}; "
                    f"use one of {', '.join(SUPPORTED_SUFFIXES)} (optionally .gz) or a folder"
                )
