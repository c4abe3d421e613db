"""`fa-policy extract`: broken records, exit codes, atomic output, resume after SIGKILL, engines agree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

from batch_helpers import assert_same_tables, sample_records, write_jsonl
from conftest import shared_path
from fa_policy_nlp.batch import PARTS
from fa_policy_nlp.cli import main
from fa_policy_nlp.errors import InputError

FA_POLICY = [sys.executable, "-m", "fa_policy_nlp.cli"]


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_dump(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("dump") / "sample.jsonl", sample_records(repeat=2))


@pytest.fixture(scope="module")
def reference(sample_dump, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "out"
    res = run_cli("extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "-q")
    assert res.exit_code == 0, res.output
    return out


def test_fars_200_with_broken_records(tmp_path):
    fars = json.loads(shared_path("bench", "fars-news", "fars-news-1.json").read_text(encoding="utf-8"))
    seen, good = set(), []
    for art in fars:
        if art["link"] not in seen:
            seen.add(art["link"])
            good.append(art)
        if len(good) == 200:
            break
    lines = [json.dumps(a, ensure_ascii=False).encode("utf-8") for a in good]
    lines.insert(50, json.dumps(good[0], ensure_ascii=False).encode("utf-8")[:80])  # truncated JSON
    lines.insert(120, b'{"link": "bad-utf8", "title": "\xff\xfe\xfd"}')  # invalid UTF-8
    lines.insert(170, b'{"link": "no-text", "cat": "politics"}')  # no text
    dump = tmp_path / "fars.jsonl"
    dump.write_bytes(b"\n".join(lines) + b"\n")
    out, errors = tmp_path / "out", tmp_path / "errors.jsonl"
    res = run_cli("extract", str(dump), "-o", str(out), "--text-field", "title,abstract,paragraphs",
                  "--id-field", "link", "--date-field", "", "--source-field", "", "--errors", str(errors), "-q")
    assert res.exit_code == 0, res.output
    arts = pq.read_table(out / "articles.parquet").to_pandas()
    assert len(arts) == 200 and set(arts.article_id) == {a["link"] for a in good}
    errs = [json.loads(l) for l in errors.read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errs] == [51, 121, 171]
    assert ["invalid JSON" in errs[0]["reason"], "UTF-8" in errs[1]["reason"], "no text" in errs[2]["reason"]] == [True] * 3
    assert errs[2]["id"] == "no-text"
    assert not (out / PARTS).exists()


def test_strict_exit_code_and_existing_output(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"id": "a", "text": "خبر"}\n{"id": "b"}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("extract", str(dump), "-o", str(out), "-q").exit_code == 0
    # results already there: a usage error (2) unless --overwrite
    assert run_cli("extract", str(dump), "-o", str(out), "-q").exit_code == 2
    assert run_cli("extract", str(dump), "-o", str(out), "-q", "--overwrite", "--strict").exit_code == 1
    assert run_cli("extract", str(tmp_path / "missing.jsonl"), "-o", str(out)).exit_code == 2


def test_console_command_exit_codes_and_output(tmp_path):
    """The installed command (cli.run: main, then an exit without teardown) keeps exit codes and flushed output."""
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"id": "a", "text": "خبر"}\n{"id": "b"}\n', encoding="utf-8")
    out = tmp_path / "out"

    def fa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*FA_POLICY, "extract", str(dump), "-o", str(out), *args], capture_output=True,
                              text=True)

    res = fa("--jobs", "2", "--chunk-size", "1")
    assert res.returncode == 0 and "read 2 · analysed 1 · failed 1" in res.stderr, res.stderr
    assert "leaked" not in res.stderr  # the pool is joined before the exit (its semaphores released)
    assert pq.read_table(out / "articles.parquet").num_rows == 1
    res = fa()
    assert res.returncode == 2 and "--overwrite" in res.stderr
    res = fa("--overwrite", "--strict", "-q")
    assert res.returncode == 1 and res.stderr == ""


def test_jsonl_format_nested(sample_dump, tmp_path):
    out = tmp_path / "out"
    assert run_cli("extract", str(sample_dump), "-o", str(out), "--format", "jsonl", "-q").exit_code == 0
    arts = [json.loads(l) for l in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(arts) == len(sample_records(repeat=2))
    for a in arts:
        for fig in a["figures"]:
            assert a["text"][fig["start"]:fig["end"]] == fig["text"]


def test_offsets_in_tables_slice_the_input(reference, sample_dump):
    texts = {}
    for r in sample_records(repeat=2):
        texts[r["id"]] = "\n".join(t for t in (r.get("title", ""), r.get("text", "")) if t)
    for name in ("figures", "dates", "claims", "mentions"):
        df = pq.read_table(reference / f"{name}.parquet").to_pandas()
        for row in df.itertuples():
            assert texts[row.article_id][row.start:row.end] == row.text, (name, row)


@pytest.mark.parametrize("jobs", [2, 3])
def test_jobs_n_gives_identical_tables(sample_dump, reference, tmp_path, jobs):
    out = tmp_path / "out"
    res = run_cli("extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "--jobs", str(jobs), "-q")
    assert res.exit_code == 0, res.output
    assert_same_tables(reference, out)


def test_console_jobs_run_gives_identical_tables(sample_dump, reference, tmp_path):
    """The installed command (fork start on Linux: no extra threads there) gives the same tables as --jobs 1."""
    out = tmp_path / "out"
    res = subprocess.run([*FA_POLICY, "extract", str(sample_dump), "-o", str(out), "--chunk-size", "5", "--jobs", "3",
                          "-q"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_tables(reference, out)


_START_PROBE = """
import os, sys, threading
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # as the fa-policy command does
from fa_policy_nlp import batch
from fa_policy_nlp.pipeline import Pipeline
import pandas
Pipeline()("")
print(batch._worker_context().get_start_method())
threading.Thread(target=threading.Event().wait, daemon=True).start()
print(batch._worker_context().get_start_method())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="fork is chosen on Linux only")
def test_workers_fork_only_from_a_process_without_threads():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    res = subprocess.run([sys.executable, "-c", _START_PROBE], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["fork", "spawn"]


def test_worker_start_method_can_be_chosen(sample_dump, reference, tmp_path):
    from fa_policy_nlp import batch

    assert batch._worker_context("spawn").get_start_method() == "spawn"
    with pytest.raises(InputError, match="not available"):
        batch._worker_context("teleport")
    batch.run_extract(batch.RunConfig(inputs=[str(sample_dump)], output=str(tmp_path / "out"), jobs=2,
                                      chunk_size=7, quiet=True, start_method="spawn"))
    assert_same_tables(reference, tmp_path / "out")


def test_dask_engine_gives_identical_tables(sample_dump, reference, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    res = run_cli("extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "--engine", "dask",
                  "--jobs", "2", "-q")
    assert res.exit_code == 0, res.output
    assert_same_tables(reference, out)


@pytest.mark.parametrize("kill_after_chunks,jobs", [(1, 1), (3, 1), (6, 1), (3, 2)])
def test_sigkill_then_resume_equals_uninterrupted(sample_dump, reference, tmp_path, kill_after_chunks, jobs):
    out = tmp_path / "out"
    args = [*FA_POLICY, "extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "-q", "--jobs", str(jobs)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parts = out / PARTS
    deadline = time.monotonic() + 120
    killed = False
    children: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and sum(p.name.startswith("chunk-") for p in parts.iterdir()) >= kill_after_chunks:
            children = _children(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    proc.wait()
    assert killed, "the run finished before it could be killed; use a larger dump"
    if jobs > 1 and Path("/proc").is_dir():  # the workers end with their parent, not idle forever
        assert children, "no worker process found"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
    assert not (out / "articles.parquet").exists(), "a killed run must not leave final tables behind"
    res = subprocess.run([*args, "--resume"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_tables(reference, out)
    assert not parts.exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers through /proc")
def test_ctrl_c_stops_a_jobs_run_and_resume_finishes(sample_dump, reference, tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole process group (parent and workers): the run stops with exit
    status 1, its workers end, no final table is written, and --resume completes the same tables."""
    out = tmp_path / "out"
    args = [*FA_POLICY, "extract", str(sample_dump), "-o", str(out), "--chunk-size", "5", "-q", "--jobs", "2"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    parts = out / PARTS
    deadline = time.monotonic() + 120
    children: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and sum(p.name.startswith("chunk-") for p in parts.iterdir()) >= 2:
            children = _children(proc.pid)
            os.killpg(proc.pid, signal.SIGINT)
            break
        time.sleep(0.01)
    err = proc.communicate(timeout=60)[1]
    assert children, "the run finished (or had no worker) before it could be interrupted; use a larger dump"
    assert proc.returncode == 1, err
    assert "Traceback" not in err, err
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)
    assert not (out / "articles.parquet").exists()
    res = subprocess.run([*args, "--resume"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_tables(reference, out)


def _children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended (its parent, gone, cannot reap it; init will)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker through /proc")
def test_a_killed_worker_ends_the_run_with_a_clear_error_and_resume_finishes(sample_dump, reference, tmp_path):
    out = tmp_path / "out"
    args = [*FA_POLICY, "extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "--jobs", "2"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parts = out / PARTS
    deadline = time.monotonic() + 120
    worker = None
    while time.monotonic() < deadline and proc.poll() is None and worker is None:
        if parts.exists() and sum(p.name.startswith("chunk-") for p in parts.iterdir()) >= 2:
            for pid in _children(proc.pid):
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"resource_tracker" not in cmd:  # a forked or spawned worker
                    worker = pid
        time.sleep(0.01)
    assert worker is not None, "no worker found while the run was going"
    os.kill(worker, signal.SIGKILL)
    err = proc.communicate()[1]
    assert proc.returncode == 1 and "worker process ended unexpectedly" in err and "--resume" in err, err
    assert "Traceback" not in err
    assert not (out / "articles.parquet").exists()
    res = subprocess.run([*args, "--resume", "-q"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_tables(reference, out)


def test_resume_refuses_other_options(sample_dump, tmp_path):
    out = tmp_path / "out"
    (out / PARTS).mkdir(parents=True)
    (out / PARTS / "run.json").write_text("{}", encoding="utf-8")
    res = run_cli("extract", str(sample_dump), "-o", str(out), "--resume", "-q")
    assert res.exit_code == 2 and "cannot resume" in res.output


def test_every_record_accounted_and_no_writes_outside_output(tmp_path):
    """Hostile ids and names: outputs go only to fixed names inside --output; read = analysed + failed."""
    work = tmp_path / "work"
    work.mkdir()
    recs = [
        {"id": "../../escape", "text": "وزیر کشور گفت: ۱۵ درصد کاهش یافت."},
        {"id": "/etc/passwd", "text": "خبر دوم"},
        {"id": "a\nb", "text": "خبر سوم"},
        {"id": "x", "text": ""},
        "not an object",
    ]
    dump = work / "d.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs) + "{broken\n",
                    encoding="utf-8")
    before = {p for p in tmp_path.rglob("*")}
    out = work / "out"
    res = run_cli("extract", str(dump), "-o", str(out))
    assert res.exit_code == 0, res.output
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(out in p.parents or p == out for p in created), created
    assert {p.name for p in out.iterdir()} == {f"{n}.parquet" for n in
                                               ("articles", "claims", "figures", "dates", "officials", "mentions")} | {"errors.jsonl"}
    n_articles = pq.read_table(out / "articles.parquet").num_rows
    n_errors = len((out / "errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert (n_articles, n_errors) == (3, 3)
    assert "read 6 · analysed 3 · failed 3" in res.output


def test_cli_lists_and_runs_the_lazily_imported_train_command():
    from click.testing import CliRunner

    from fa_policy_nlp.cli import main

    listing = CliRunner().invoke(main, ["--help"])
    assert listing.exit_code == 0 and "train" in listing.output and "extract" in listing.output
    res = CliRunner().invoke(main, ["train", "--help"])
    assert res.exit_code == 0 and "--text-col" in res.output
    assert CliRunner().invoke(main, ["no-such-command"]).exit_code == 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.dictionaries(st.text(max_size=5), st.one_of(st.floats(allow_nan=False), st.integers(), st.text(max_size=5),
                                                   st.booleans(), st.none(), st.lists(st.integers(), max_size=3)),
                    max_size=6),
    st.lists(st.integers(), max_size=3)))
def test_table_json_cells_equal_the_to_jsonable_walk(value):
    import json

    from fa_policy_nlp.tables import _json
    from fa_policy_nlp.types import to_jsonable

    expected = None if value == {} else json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)
    assert _json(value) == expected


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 1_500), size=st.integers(1, 250))
def test_chunks_keep_order_and_cut_only_the_tail_finer(n, size):
    from fa_policy_nlp.batch import TAIL_WINDOW, _chunks

    consumed = 0

    def records():
        nonlocal consumed
        for i in range(n):
            consumed += 1
            yield i

    step = max(1, size // 4)
    out, sizes, emitted = [], [], 0
    for index, items in _chunks(records(), size):
        assert index == len(sizes)
        assert consumed - emitted <= TAIL_WINDOW * size + 1  # bounded look-ahead
        emitted += len(items)
        out.extend(items)
        sizes.append(len(items))
    assert out == list(range(n))
    window = TAIL_WINDOW * size
    whole = max(0, -(-(n - window) // size))  # whole chunks: while more than the window is left after them
    tail = sizes[whole:]
    assert sizes[:whole] == [size] * whole
    assert all(s == step for s in tail[:-1]) and all(0 < s <= step for s in tail)
    assert sum(tail) == n - whole * size <= window
    if n > window:
        assert sum(tail) > window - size


def test_chunks_of_1500_records():
    from fa_policy_nlp.batch import _chunks

    assert [len(c) for _, c in _chunks(range(1_500), 200)] == [200] * 5 + [50] * 10


def test_jobs_run_returns_after_its_workers_end(sample_dump, tmp_path, monkeypatch):
    """The pool is joined before run_extract returns, even when the merge takes no time (the console command exits
    with os._exit right after: a worker still running then would leave its queues' semaphores to the tracker)."""
    import multiprocessing as mp

    from fa_policy_nlp import batch

    monkeypatch.setattr(batch, "_merge", lambda *a, **k: None)
    batch.run_extract(batch.RunConfig(inputs=[str(sample_dump)], output=str(tmp_path / "out"), jobs=2,
                                      chunk_size=7, quiet=True))
    assert mp.active_children() == []


def test_merge_keeps_chunk_order_past_a_million_chunks(tmp_path):
    from fa_policy_nlp.batch import _chunk_dir, _merge

    parts = tmp_path / "parts"
    for index in (1_000_000, 999_999, 3):
        d = _chunk_dir(parts, index)
        d.mkdir(parents=True)
        (d / "articles.jsonl").write_text(f"{index}\n", encoding="utf-8")
        (d / "errors.jsonl").write_text("", encoding="utf-8")
    _merge(parts, tmp_path, "jsonl", None)
    assert (tmp_path / "articles.jsonl").read_text(encoding="utf-8").split() == ["3", "999999", "1000000"]


def test_summary_rate_counts_only_this_runs_articles():
    from fa_policy_nlp.batch import Summary

    line = Summary(read=10, analysed=10, seconds=2.0, chunks=5, resumed_chunks=4, resumed_analysed=8).line()
    assert "(1.0 articles/s)" in line and "4 chunk(s) reused" in line


def test_jobs_2_run_of_one_chunk_spawns_no_worker(tmp_path, monkeypatch):
    """The parent takes the first chunk before the feeder starts, so a one-chunk run never waits for a worker."""
    from concurrent.futures import ProcessPoolExecutor

    from fa_policy_nlp import batch

    submitted = []
    real_submit = ProcessPoolExecutor.submit
    monkeypatch.setattr(ProcessPoolExecutor, "submit",
                        lambda self, fn, *a, **k: submitted.append(a[1]) or real_submit(self, fn, *a, **k))
    dump = write_jsonl(tmp_path / "d.jsonl", sample_records()[:3])
    batch.run_extract(batch.RunConfig(inputs=[str(dump)], output=str(tmp_path / "one"), jobs=2, quiet=True))
    assert submitted == []
    batch.run_extract(batch.RunConfig(inputs=[str(dump)], output=str(tmp_path / "three"), jobs=2, chunk_size=1,
                                      quiet=True))
    assert submitted and 0 not in submitted  # chunk 0 is the parent's


def test_worker_count_capped_on_windows(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    from fa_policy_nlp import batch

    seen = []
    real_init = ProcessPoolExecutor.__init__
    monkeypatch.setattr(ProcessPoolExecutor, "__init__",
                        lambda self, max_workers=None, **k: seen.append(max_workers) or real_init(self, 2, **k))
    dump = write_jsonl(tmp_path / "d.jsonl", sample_records()[:2])
    for platform in ("linux", "win32"):
        monkeypatch.setattr(batch.sys, "platform", platform)
        batch.run_extract(batch.RunConfig(inputs=[str(dump)], output=str(tmp_path / platform), jobs=100,
                                          quiet=True))
    assert seen == [99, 61]


def test_resume_refuses_a_run_of_another_version(sample_dump, tmp_path):
    out = tmp_path / "out"
    args = ["extract", str(sample_dump), "-o", str(out), "--chunk-size", "7", "-q"]
    assert run_cli(*args).exit_code == 0
    from fa_policy_nlp.batch import RunConfig, _prepare_output  # a run left behind by "another version"
    from fa_policy_nlp.io import FieldSpec

    config = RunConfig(inputs=[str(sample_dump)], output=str(out), spec=FieldSpec(), chunk_size=7, overwrite=True)
    _prepare_output(config)
    run_file = out / PARTS / "run.json"
    fingerprint = json.loads(run_file.read_text(encoding="utf-8"))
    assert run_cli(*args, "--resume").exit_code == 0  # same version: resumes
    _prepare_output(config)
    run_file.write_text(json.dumps({**fingerprint, "version": "0.0.1"}), encoding="utf-8")
    res = run_cli(*args, "--resume")
    assert res.exit_code == 2 and "this version of fa-policy" in res.output
