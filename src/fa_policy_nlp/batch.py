"""Batch extraction over article dumps: chunked, parallel (processes or Dask), resumable, atomic.

How a run works
---------------
Input records are read in a deterministic order and grouped into numbered chunks of ``chunk_size`` records
(quarter chunks at the end of the input; broken records included, so numbering never depends on what failed).
Each chunk is analysed by a process that builds the pipeline once (with ``--jobs N``, this one and N-1 workers),
and its rows are written to ``OUTPUT/.fa-policy-parts/chunk-NNNNNN/`` under a temporary name that is renamed when
complete — a chunk folder either exists whole or not at all. ``--resume`` skips the chunks
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
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import __version__
from .errors import InputError, WorkerError
from .io import BadRecord, FieldSpec, Record, read_records
from .tables import TABLES, article_rows, empty_rows, rows_to_arrow

__all__ = ["RunConfig", "Summary", "run_extract", "process_chunk"]

PARTS = ".fa-policy-parts"
RUN_FILE = "run.json"
ROW_GROUP_ROWS = 16_384
TAIL_WINDOW = 3  # the last 2-3 chunks' worth of records is cut into quarter chunks (see _chunks)
CHUNKING = 2  # bump when the chunk boundaries of a given input change: a resume must not mix two layouts


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
    start_method: str = "auto"  # --jobs workers: auto (fork on Linux when safe, else spawn) | fork | spawn

    def fingerprint(self) -> dict[str, Any]:
        """What must not change between a run and its resumption."""
        return {
            "inputs": [os.path.abspath(p) for p in self.inputs],
            "spec": asdict(self.spec),
            "format": self.format,
            "chunk_size": self.chunk_size,
            "chunking": CHUNKING,
            "version": __version__,  # another version may analyse or lay out tables differently: no mixing
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
    resumed_analysed: int = 0  # of ``analysed``, in chunks reused from an interrupted run

    def line(self) -> str:
        rate = (self.analysed - self.resumed_analysed) / self.seconds if self.seconds > 0 else 0.0
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
    _exit_with_parent()
    _pipeline(model)


def _worker_context(method: str = "auto"):
    """The multiprocessing context of ``--jobs`` workers. ``auto``: ``fork`` on Linux when this process runs no
    other thread (the workers then start with the parent's built pipeline and imports, nothing to redo), ``spawn``
    everywhere else (macOS and Windows, or a program with threads: forking those is unsafe)."""
    import multiprocessing as mp

    if method == "auto":
        method = "fork" if sys.platform == "linux" and _other_threads() == 0 else "spawn"
    if method not in mp.get_all_start_methods():
        raise InputError(f"start method {method!r} is not available here ({', '.join(mp.get_all_start_methods())})")
    return mp.get_context(method)


def _other_threads() -> int | None:
    """How many threads besides the calling one this process runs (Linux: read from /proc; None when unknown).
    jemalloc's background threads (pyarrow's allocator) do not count: jemalloc's own fork handlers make forking
    safe for it."""
    try:
        names = []
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/comm", "rb") as f:
                names.append(f.read().strip())
    except OSError:
        return None
    return sum(1 for n in names if n != b"jemalloc_bg_thd") - 1


def _warm_up(model: str | None, first: tuple[int, list[Record | BadRecord]] | None) -> None:
    """Before forking workers: build the pipeline and do what the first article and the first table write would
    do lazily (imports, compiled patterns), so the workers inherit it instead of each redoing it. Analyses the first
    good record of the first chunk and drops the result (its chunk analyses it again; an error there is reported
    then)."""
    import pandas  # noqa: F401  (pyarrow imports it at the first conversion of rows to a table)

    pipe = _pipeline(model)
    for item in first[1] if first else ():
        if isinstance(item, Record):
            try:
                pipe(item.text)
            except Exception:  # noqa: BLE001 - reported when its chunk is analysed
                pass
            return


def _exit_with_parent() -> None:
    """End this worker when the process that spawned it ends. A worker waits for tasks on a queue it also holds the
    writing end of, so it would not notice a parent killed with SIGKILL and would stay idle, holding its memory,
    forever; a daemon thread waits on the parent's sentinel instead and exits (nothing of the worker's own is lost:
    a chunk is written whole or not at all, and ``--resume`` redoes the ones not written)."""
    from multiprocessing import connection, parent_process

    parent = parent_process()
    if parent is None:
        return

    def watch() -> None:
        connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="fa-policy-parent-watch", daemon=True).start()


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
    """Analyse one chunk and write its part folder in this process (the local engine's parent and workers: workers
    return only counts, not every row for the parent to write). Returns the counts."""
    result = process_chunk(items, model, fmt)
    _write_chunk(Path(parts), index, result, fmt)
    return {"read": result["read"], "analysed": result["analysed"], "failed": result["failed"]}


# --------------------------------------------------------------------------------------------- parent side
def _chunks(records: Iterable[Record | BadRecord], size: int) -> Iterator[tuple[int, list[Record | BadRecord]]]:
    """Numbered chunks of ``size`` records, except at the end of the input: the records left once at most
    ``TAIL_WINDOW * size`` remain go out in chunks of ``max(1, size // 4)``, so parallel workers finish within a
    quarter chunk of each other (with whole chunks, one worker may idle for up to a chunk while the other finishes).
    Boundaries depend only on the input and ``size`` (never on ``--jobs``), so ``--resume`` finds the same chunks.
    Holds at most ``TAIL_WINDOW * size + 1`` records."""
    window = TAIL_WINDOW * size
    buf: list[Record | BadRecord] = []
    index = 0
    for rec in records:
        buf.append(rec)
        if len(buf) > window:  # records follow these ``size``: they are not in the tail
            yield index, buf[:size]
            del buf[:size]
            index += 1
    step = max(1, size // 4)
    for i in range(0, len(buf), step):
        yield index, buf[i:i + step]
        index += 1


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
    chunk_dirs = sorted((p for p in parts.iterdir() if p.name.startswith("chunk-")),
                        key=lambda p: int(p.name.split("-")[1]))  # by number: chunk-1000000 follows chunk-999999
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
                    t = _read_part(d / f"{name}.parquet", SCHEMAS[name])
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


def _read_part(path: Path, schema: Any) -> Any:
    """One part file as a Table with ``schema``, read through ``ParquetFile``: ``pq.read_table`` would import
    ``pyarrow.dataset`` (and pandas, if nothing imported it yet) for a plain read of one file."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        table = pf.read()
    return table if table.schema.equals(schema) else table.cast(schema)


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
                f"(inputs, field names, --format, --chunk-size and --model must be the same, and the run must have "
                f"been started by this version of fa-policy, {__version__})"
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
    class _Bar(tqdm):
        monitor_interval = 0  # no monitor thread (one bar, updated per chunk; and --jobs forks only without threads)

    return _Bar(unit=" articles", desc="extract", disable=disable, file=sys.stderr, smoothing=0.1)


class _SharedChunks:
    """The numbered chunks of a run, taken by several threads of this process (one at a time)."""

    def __init__(self, chunks: Iterator[tuple[int, list[Record | BadRecord]]]) -> None:
        self._chunks = chunks
        self._lock = threading.Lock()

    def take(self) -> tuple[int, list[Record | BadRecord]] | None:
        with self._lock:
            return next(self._chunks, None)


def _run_dask(config: RunConfig, parts: Path, chunks: Iterator[tuple[int, list[Record | BadRecord]]],
              account: Callable[[dict[str, Any]], None]) -> None:
    """``--engine dask``: chunks go to the cluster as tasks (at most ``2 * --jobs`` at a time, also with
    ``--scheduler``, whatever the cluster's size); rows come back to
    this process, which writes them (workers may be on other machines). On an error or interruption, ``close``
    drops the work still pending."""
    from .adapters.dask import dask_executor

    submit, wait_some, close = dask_executor(config)
    inflight: dict[Any, int] = {}
    limit = max(2, 2 * config.jobs)

    def collect(until: int) -> None:
        while len(inflight) > until:
            for fut in wait_some(list(inflight)):
                i = inflight.pop(fut)
                result = fut.result()
                _write_chunk(parts, i, result, config.format)
                account(result)

    finished = False
    try:
        for index, items in chunks:
            inflight[submit(index, items)] = index
            collect(limit - 1)
        collect(0)
        finished = True
    finally:
        close(finished)


def _run_parallel(config: RunConfig, parts: Path, chunks: Iterator[tuple[int, list[Record | BadRecord]]],
                  account: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
    """``--jobs N`` on this machine: this process and N-1 worker processes all analyse chunks.

    Workers start from a pipeline built once: forked (Linux, see :func:`_worker_context`) once this process has
    built and warmed up its own, so they start analysing at once with nothing to import or build; or spawned, while
    this process builds its own. Either way a run pays the start-up of one process, not of one more. A feeder thread
    keeps each worker supplied with a chunk in hand and one queued (one in hand once the input's finer tail is
    reached, so no worker holds back small chunks the parent could take); the main thread takes the next chunk
    whenever it has finished one and analyses it itself. Workers write their own part folders; the parent only
    counts their results. On any error (a crashed worker, an error in the parent, Ctrl-C) the chunks not yet handed
    to a worker are cancelled; those a worker already holds or has queued (up to two per worker) are finished and
    written first, then the error is raised.

    Returns ``join``, to be called once the parts are merged: the workers, told to stop when the last result came
    in, exit while the parent merges; ``join`` waits for them and lets go of the pool (its queues' semaphores are
    released when the pool is freed, so a process that then ends without the usual teardown leaks none)."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = config.jobs - 1
    if sys.platform == "win32":  # ProcessPoolExecutor refuses more than 61 workers there
        workers = min(workers, 61)
    ctx = _worker_context(config.start_method)
    forking = ctx.get_start_method() == "fork"
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=_init_worker, initargs=(config.model,))
    shared = _SharedChunks(chunks)
    capacity = threading.Condition()
    state = {"limit": 2 * workers, "inflight": 0, "stop": False, "error": None}
    futures: list[Future] = []

    def released(_fut: Future) -> None:
        with capacity:
            state["inflight"] -= 1
            capacity.notify()

    def submit(index: int, items: list[Record | BadRecord]) -> None:
        with capacity:
            state["inflight"] += 1
            if len(items) < config.chunk_size:  # the tail: one chunk in hand per worker from now on
                state["limit"] = workers
        fut = pool.submit(process_and_write, str(parts), index, items, config.model, config.format)
        futures.append(fut)
        fut.add_done_callback(released)

    def feed() -> None:
        try:
            while True:
                with capacity:
                    while state["inflight"] >= state["limit"] and not state["stop"]:
                        capacity.wait()
                    if state["stop"]:
                        return
                taken = shared.take()
                if taken is None:
                    return
                submit(*taken)
        except BaseException as exc:  # e.g. BrokenProcessPool; the main thread re-raises it
            state["error"] = exc

    accounted = 0

    def fail(exc: BaseException) -> None:
        if isinstance(exc, BrokenProcessPool):
            raise WorkerError(f"a worker process ended unexpectedly ({exc}); the chunks finished so far are kept: "
                              f"rerun with --resume to continue") from exc
        raise exc

    def collect(block: bool) -> None:
        nonlocal accounted
        while accounted < len(futures) and (block or futures[accounted].done()):
            try:
                result = futures[accounted].result()  # raises a worker's error here, in the main thread
            except BrokenProcessPool as exc:
                fail(exc)
            account(result)
            accounted += 1

    feeder = threading.Thread(target=feed, name="fa-policy-feeder", daemon=True)
    finished = False
    try:
        # the parent's first chunk is taken before the feeder starts: a run of one chunk never waits for a
        # worker to start up (no worker is even spawned)
        taken = shared.take()
        if forking:
            _warm_up(config.model, taken)
            second = shared.take()
            if second is not None:
                submit(*second)  # forks the workers here, before any thread of this run starts
        feeder.start()
        _pipeline(config.model)  # spawn: built while the workers start
        while taken is not None:
            index, items = taken
            account(process_and_write(str(parts), index, items, config.model, config.format))
            collect(block=False)
            if state["error"] is not None:
                fail(state["error"])
            taken = shared.take()
        feeder.join()
        if state["error"] is not None:
            fail(state["error"])
        collect(block=True)
        finished = True
    finally:
        with capacity:
            state["stop"] = True
            capacity.notify_all()
        if finished:
            # Every result is in: the workers have nothing left to do but exit. A spawned interpreter's exit
            # (tearing down its caches) takes ~0.2 s, so it overlaps with the merge instead of preceding it: a
            # thread shuts the pool down and waits for it, and ``join`` waits for that thread. (Not
            # ``shutdown(wait=False)`` now and ``shutdown()`` later: once the first call has let go of the pool's
            # manager thread, the second returns at once, without waiting for the workers.)
            closer = threading.Thread(target=pool.shutdown, name="fa-policy-pool-shutdown")
            closer.start()
        else:
            pool.shutdown(wait=True, cancel_futures=True)
    del pool  # the closer thread holds the last reference and lets go of it when it ends
    return closer.join


def run_extract(config: RunConfig) -> Summary:
    """Run a whole extraction; returns the :class:`Summary`. Raises :class:`InputError` for usage problems."""
    if config.format not in ("parquet", "jsonl"):
        raise InputError(f"unknown --format {config.format!r} (parquet or jsonl)")
    if config.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    if config.jobs > 1 and config.engine == "local":
        _worker_context(config.start_method)  # an unknown or unavailable start method fails before any work
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
        summary.resumed_analysed += meta["analysed"]

    spec = config.spec
    chunks = ((i, items) for i, items in _chunks(read_records(config.inputs, spec), config.chunk_size)
              if i not in done)
    join_workers = None
    try:
        if config.engine == "dask":
            _run_dask(config, parts, chunks, account)
        elif config.jobs > 1:
            join_workers = _run_parallel(config, parts, chunks, account)
        else:
            _pipeline(config.model)  # build once, before the clock of the first chunk
            for index, items in chunks:
                account(process_and_write(str(parts), index, items, config.model, config.format))
    finally:
        bar.close()
    errors_path = Path(config.errors) if config.errors else output / "errors.jsonl"
    _merge(parts, output, config.format, errors_path)
    if join_workers is not None:
        join_workers()
    shutil.rmtree(parts, ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary

