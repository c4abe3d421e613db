"""Batch extraction over article dumps: chunked, parallel (processes or Dask), resumable, atomic.

How a run works
---------------
Input records are read in a deterministic order and grouped into numbered chunks of ``chunk_size`` records
(broken records included, so numbering never depends on what failed). Each chunk is analysed by a worker that
builds the pipeline once, and its rows are written to ``OUTPUT/.fa-policy-parts/chunk-NNNNNN/`` under a temporary
name that is renamed when complete — a chunk folder either exists whole or not at all. ``--resume`` skips the chunks
that exist. When every chunk is done, the parts are merged (streamed, row groups as they fill) into
``OUTPUT/<table>.parquet`` (or ``articles.jsonl``) written under a temporary name and renamed, the errors file is
written the same way, and the parts folder is removed. Output only ever goes to fixed file names inside
``OUTPUT``: nothing in the input decides a path.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import InputError
from .io import BadRecord, FieldSpec, Record, read_records
from .tables import TABLES, article_rows, empty_rows, rows_to_arrow

__all__ = ["RunConfig", "Summary", "run_extract", "process_chunk"]

PARTS = ".fa-policy-parts"
RUN_FILE = "run.json"
ROW_GROUP_ROWS = 16_384


@dataclass(slots=True)
class RunConfig:
    inputs: Sequence[str]
    output: str
    spec: FieldSpec = field(default_factory=FieldSpec)
    format: str = "parquet"  # parquet | jsonl
    jobs: int = 1
    chunk_size: int = 200
    model: str | None = None
    errors: str | None = None
    resume: bool = False
    overwrite: bool = False
    quiet: bool = False
    engine: str = "local"  # local | dask
    scheduler: str | None = None

    def fingerprint(self) -> dict[str, Any]:
        """What must not change between a run and its resumption."""
        return {
            "inputs": [os.path.abspath(p) for p in self.inputs],
            "spec": asdict(self.spec),
            "format": self.format,
            "chunk_size": self.chunk_size,
            "model": os.path.abspath(self.model) if self.model else None,
        }


@dataclass(slots=True)
class Summary:
    read: int = 0
    analysed: int = 0
    failed: int = 0
    seconds: float = 0.0
    chunks: int = 0
    resumed_chunks: int = 0

    def line(self) -> str:
        rate = self.analysed / self.seconds if self.seconds > 0 else 0.0
        extra = f", {self.resumed_chunks} chunk(s) reused from the interrupted run" if self.resumed_chunks else ""
        return (f"read {self.read} · analysed {self.analysed} · failed {self.failed} · "
                f"{self.seconds:.1f} s ({rate:.1f} articles/s){extra}")


# --------------------------------------------------------------------------------------------- worker side
_WORKER_PIPELINES: dict[Any, Any] = {}


def _pipeline(model: str | None):
    pipe = _WORKER_PIPELINES.get(model)
    if pipe is None:
        from .pipeline import Pipeline

        pipe = _WORKER_PIPELINES[model] = Pipeline(model=model)
    return pipe


def _init_worker(model: str | None) -> None:
    _pipeline(model)


def process_chunk(items: Sequence[Record | BadRecord], model: str | None = None,
                  fmt: str = "parquet") -> dict[str, Any]:
    """Analyse one chunk; never raises for a bad record (it becomes an error row)."""
    from .calendar import parse_published

    pipe = _pipeline(model)
    rows = empty_rows()
    nested: list[str] = []
    errors: list[dict[str, Any]] = []
    ok = 0
    for item in items:
        if isinstance(item, BadRecord):
            errors.append(item.to_dict())
            continue
        try:
            try:
                published = parse_published(item.published)
            except InputError as exc:
                published = None
                errors.append({"file": item.file, "line": item.line, "id": item.id, "level": "warning",
                               "reason": f"{exc}; analysed without a publication date"})
            article = pipe(item.text, published=published, source=item.source, id=item.id)
        except Exception as exc:  # one broken record must not stop the run
            errors.append({"file": item.file, "line": item.line, "id": item.id,
                           "reason": f"analysis failed: {type(exc).__name__}: {exc}"})
            continue
        ok += 1
        if fmt == "jsonl":
            d = article.to_dict()
            d["input_file"], d["input_line"] = item.file, item.line
            nested.append(json.dumps(d, ensure_ascii=False))
        else:
            part = article_rows(article, article_id=item.id, input_file=item.file, input_line=item.line)
            for name in TABLES:
                rows[name].extend(part[name])
    failed = sum(1 for e in errors if e.get("level") != "warning")
    return {"rows": rows, "nested": nested, "errors": errors, "read": len(items), "analysed": ok, "failed": failed}


def process_and_write(parts: str, index: int, items: Sequence[Record | BadRecord], model: str | None = None,
                      fmt: str = "parquet") -> dict[str, Any]:
    """Analyse one chunk and write its part folder here, in the worker (local ``--jobs``): the parent then only
    counts, instead of receiving every row and writing it while the workers use the cores. Returns the counts."""
    result = process_chunk(items, model, fmt)
    _write_chunk(Path(parts), index, result, fmt)
    return {"read": result["read"], "analysed": result["analysed"], "failed": result["failed"], "written": True}


# --------------------------------------------------------------------------------------------- parent side
def _chunks(records: Iterable[Record | BadRecord], size: int) -> Iterator[tuple[int, list[Record | BadRecord]]]:
    buf: list[Record | BadRecord] = []
    index = 0
    for rec in records:
        buf.append(rec)
        if len(buf) >= size:
            yield index, buf
            index += 1
            buf = []
    if buf:
        yield index, buf


def _chunk_dir(parts: Path, index: int) -> Path:
    return parts / f"chunk-{index:06d}"


def _write_chunk(parts: Path, index: int, result: dict[str, Any], fmt: str) -> None:
    import pyarrow.parquet as pq

    final = _chunk_dir(parts, index)
    tmp = parts / f".tmp-chunk-{index:06d}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    if fmt == "jsonl":
        (tmp / "articles.jsonl").write_text("".join(line + "\n" for line in result["nested"]), encoding="utf-8")
    else:
        for name in TABLES:
            pq.write_table(rows_to_arrow(name, result["rows"][name]), tmp / f"{name}.parquet")
    with open(tmp / "errors.jsonl", "w", encoding="utf-8") as fh:
        for e in result["errors"]:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    meta = {k: result[k] for k in ("read", "analysed", "failed")}
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, final)


def _atomic_path(path: Path) -> Path:
    return path.with_name(f".tmp-{path.name}-{os.getpid()}")


def _merge(parts: Path, output: Path, fmt: str, errors_path: Path | None) -> None:
    chunk_dirs = sorted(p for p in parts.iterdir() if p.name.startswith("chunk-"))
    if fmt == "jsonl":
        _concat_atomic(chunk_dirs, "articles.jsonl", output / "articles.jsonl")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .tables import SCHEMAS

        for name in TABLES:
            target = output / f"{name}.parquet"
            tmp = _atomic_path(target)
            with pq.ParquetWriter(tmp, SCHEMAS[name]) as writer:
                pending: list[pa.Table] = []
                pending_rows = 0
                for d in chunk_dirs:
                    t = pq.read_table(d / f"{name}.parquet", schema=SCHEMAS[name])
                    if t.num_rows:
                        pending.append(t)
                        pending_rows += t.num_rows
                    if pending_rows >= ROW_GROUP_ROWS:
                        writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
                        pending, pending_rows = [], 0
                if pending:
                    writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
            os.replace(tmp, target)
    if errors_path is not None:
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        _concat_atomic(chunk_dirs, "errors.jsonl", errors_path)


def _concat_atomic(chunk_dirs: list[Path], member: str, target: Path) -> None:
    """Concatenate ``member`` of every chunk into ``target``, written under a temporary name and renamed."""
    tmp = _atomic_path(target)
    with open(tmp, "wb") as out:
        for d in chunk_dirs:
            with open(d / member, "rb") as fh:
                shutil.copyfileobj(fh, out)
    os.replace(tmp, target)


def _prepare_output(config: RunConfig) -> tuple[Path, Path, set[int]]:
    output = Path(config.output)
    parts = output / PARTS
    finals = [output / f"{n}.parquet" for n in TABLES] + [output / "articles.jsonl", output / "errors.jsonl"]
    fingerprint = json.loads(json.dumps(config.fingerprint()))  # as it reads back from run.json
    done: set[int] = set()
    if output.exists() and not output.is_dir():
        raise InputError(f"--output {output} exists and is not a directory")
    if config.resume and parts.exists():
        run_file = parts / RUN_FILE
        previous = json.loads(run_file.read_text(encoding="utf-8")) if run_file.exists() else None
        if previous != fingerprint:
            raise InputError(
                f"cannot resume into {output}: the interrupted run used other inputs or options "
                f"(inputs, field names, --format, --chunk-size and --model must be the same)"
            )
        for p in parts.iterdir():
            if p.name.startswith("chunk-"):
                done.add(int(p.name.split("-")[1]))
            elif p.name.startswith(".tmp-chunk-"):
                shutil.rmtree(p, ignore_errors=True)
        return output, parts, done
    if any(f.exists() for f in finals) and not (config.overwrite or config.resume):
        raise InputError(f"{output} already holds results; pass --overwrite to replace them")
    if parts.exists():
        shutil.rmtree(parts)
    parts.mkdir(parents=True)
    (parts / RUN_FILE).write_text(json.dumps(fingerprint, ensure_ascii=False), encoding="utf-8")
    return output, parts, done


def _progress(config: RunConfig):
    from tqdm import tqdm

    disable = config.quiet or not sys.stderr.isatty()
    return tqdm(unit=" articles", desc="extract", disable=disable, file=sys.stderr, smoothing=0.1)


def _executor(config: RunConfig, parts: Path):
    """(submit(index, items), wait_some, close(finished)) for the chosen engine; None for in-process work. A result
    with ``written`` set has already been written to its part folder by the worker. ``close(True)`` is called when
    every result is in, ``close(False)`` on an error or interruption (pending work is cancelled)."""
    if config.engine == "dask":
        from .adapters.dask import dask_executor

        return dask_executor(config)
    if config.jobs > 1:
        import multiprocessing as mp
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        pool = ProcessPoolExecutor(max_workers=config.jobs, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker, initargs=(config.model,))

        def submit(index, items):
            return pool.submit(process_and_write, str(parts), index, items, config.model, config.format)

        def wait_some(futures):
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            return done

        def close(finished: bool) -> None:
            # When every result is in, the workers have nothing left to do but exit; a spawned interpreter's
            # exit (tearing down its caches) takes ~0.2 s, so it overlaps with the merge instead of preceding it
            # (the interpreter still waits for the workers before it exits; a Ctrl-C during the merge may also
            # print the exiting workers' KeyboardInterrupt tracebacks: harmless, their parts are all written).
            pool.shutdown(wait=not finished, cancel_futures=not finished)

        return submit, wait_some, close
    return None


def run_extract(config: RunConfig) -> Summary:
    """Run a whole extraction; returns the :class:`Summary`. Raises :class:`InputError` for usage problems."""
    if config.format not in ("parquet", "jsonl"):
        raise InputError(f"unknown --format {config.format!r} (parquet or jsonl)")
    if config.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    for p in config.inputs:
        if not Path(p).exists():
            raise InputError(f"input {p} does not exist")
    t0 = time.perf_counter()
    output, parts, done = _prepare_output(config)
    summary = Summary(resumed_chunks=len(done))
    bar = _progress(config)

    def account(result: dict[str, Any]) -> None:
        summary.read += result["read"]
        summary.analysed += result["analysed"]
        summary.failed += result["failed"]
        summary.chunks += 1
        bar.update(result["read"])

    for index in sorted(done):
        meta = json.loads((_chunk_dir(parts, index) / "meta.json").read_text(encoding="utf-8"))
        account(meta)

    spec = config.spec
    chunks = ((i, items) for i, items in _chunks(read_records(config.inputs, spec), config.chunk_size)
              if i not in done)
    executor = _executor(config, parts)
    try:
        if executor is None:
            _pipeline(config.model)  # build once, before the clock of the first chunk
            for index, items in chunks:
                result = process_chunk(items, config.model, config.format)
                _write_chunk(parts, index, result, config.format)
                account(result)
        else:
            submit, wait_some, close = executor
            inflight: dict[Any, int] = {}
            limit = max(2, 2 * config.jobs)

            def collect(until: int) -> None:
                while len(inflight) > until:
                    for fut in wait_some(list(inflight)):
                        i = inflight.pop(fut)
                        result = fut.result()
                        if not result.get("written"):
                            _write_chunk(parts, i, result, config.format)
                        account(result)

            finished = False
            first = config.format == "parquet"
            try:
                for index, items in chunks:
                    inflight[submit(index, items)] = index
                    if first:  # the merge needs it: load it while the workers start, not after they finish
                        import pyarrow.parquet  # noqa: F401
                        first = False
                    collect(limit - 1)
                collect(0)
                finished = True
            finally:
                close(finished)
    finally:
        bar.close()
    errors_path = Path(config.errors) if config.errors else output / "errors.jsonl"
    _merge(parts, output, config.format, errors_path)
    shutil.rmtree(parts, ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary

