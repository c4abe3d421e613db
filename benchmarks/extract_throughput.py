"""Throughput, peak memory and cold start of `fa-policy extract` on the 1,500 Fars News articles.

Runs the real command in a subprocess (as a user would) with --jobs 1 and --jobs 2: on 1, 150 and 1,500 articles
``--repeat`` times, interleaved, reporting the median and range (the shared machine's speed drifts by 10-20% within
minutes), and once on 15,000 (the 1,500 ten times over; peak RSS must stay flat when the dump grows tenfold). The
one-article run is the cold start and the fixed cost of a run (command start to exit: interpreter start, imports,
building the pipeline, analysing, writing the tables; with --jobs 2 a one-chunk run spawns no worker). The speed-up
is given end to end and without the fixed cost (the one-article time of the same round subtracted from both sides).
Peak RSS is the largest resident set of any process of the run (parent or worker), from getrusage(RUSAGE_CHILDREN)
measured in a fresh wrapper process per run.

    .venv/bin/python benchmarks/extract_throughput.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, fars_articles, machine, table

FA = [sys.executable, "-m", "fa_policy_nlp.cli"]
WRAP = (
    "import resource, subprocess, sys, time; t=time.perf_counter(); "
    "r=subprocess.run(sys.argv[1:]); d=time.perf_counter()-t; "
    "print(d, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
)


def run(args: list[str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", WRAP, *args], capture_output=True, text=True, check=True)
    seconds, rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"extract failed: {args}")
    return float(seconds), int(rss_kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each 1-, 150- and 1,500-article configuration, interleaved (default 3); the "
                         "15,000-article runs are done once")
    args = ap.parse_args()
    arts = fars_articles()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dumps = {}
        for n in (1, 150, 1500, 15000):
            p = tmp / f"fars-{n}.jsonl"
            with open(p, "w", encoding="utf-8") as fh:
                for i in range(n):  # 15,000 = the 1,500 articles ten times over, with distinct ids
                    fh.write(json.dumps({**arts[i % len(arts)], "id": f"{i}"}, ensure_ascii=False) + "\n")
            dumps[n] = p
        base = ["--text-field", "title,abstract,paragraphs", "--date-field", "", "--source-field", "",
                "-q", "--overwrite"]

        def extract(n: int, jobs: int) -> tuple[float, float]:
            return run([*FA, "extract", str(dumps[n]), *base, "-o", str(tmp / f"o{n}-{jobs}"), "--jobs", str(jobs)])

        times: dict[tuple[int, int], list[float]] = {}
        rss: dict[tuple[int, int], float] = {}
        for _ in range(args.repeat):  # interleaved, so a slow spell of the machine hits both sides
            for n in (1, 150, 1500):
                for jobs in (1, 2):
                    secs, peak = extract(n, jobs)
                    times.setdefault((n, jobs), []).append(secs)
                    rss[(n, jobs)] = max(rss.get((n, jobs), 0.0), peak)
        for jobs in (1, 2):
            secs, rss[(15000, jobs)] = extract(15000, jobs)
            times[(15000, jobs)] = [secs]
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = [[n, jobs, f"{med[(n, jobs)]:.3f}", f"{min(times[(n, jobs)]):.3f}-{max(times[(n, jobs)]):.3f}",
             f"{n / med[(n, jobs)]:.0f}", f"{rss[(n, jobs)]:.0f}"]
            for n in (150, 1500, 15000) for jobs in (1, 2)]
    print(f"machine: {machine()}")
    print(f"runs per 1/150/1,500-article configuration: {args.repeat} (median, range); 15,000: one run each")
    print(table(["articles", "jobs", "seconds (median)", "range", "articles/s", "peak RSS MB (largest process)"],
                rows))
    print()

    def speedups(n: int, fixed: bool = False) -> list[float]:
        """--jobs 1 over --jobs 2 time, run by run (each pair ran back to back)."""
        out = []
        for k, (j1, j2) in enumerate(zip(times[(n, 1)], times[(n, 2)])):
            f1, f2 = (times[(1, 1)][k], times[(1, 2)][k]) if fixed else (0.0, 0.0)
            out.append((j1 - f1) / (j2 - f2))
        return out

    def fmt(v: list[float]) -> str:
        return f"{statistics.median(v):.2f}x" + (f" ({min(v):.2f}-{max(v):.2f})" if len(v) > 1 else "")

    print(table(["measure", "value", "target"], [
        ["--jobs 2 speed-up over --jobs 1 (1,500 articles)", fmt(speedups(1500)), ">= 1.7x"],
        ["  the same without the one-article run time of each", fmt(speedups(1500, True)), ""],
        ["--jobs 2 speed-up over --jobs 1 (15,000 articles)", fmt(speedups(15000)), ""],
        ["fixed cost of a run: one-article extract, --jobs 1 / --jobs 2 (s, median)",
         f"{med[(1, 1)]:.2f} / {med[(1, 2)]:.2f}", ""],
        ["cold start: one-article extract, command start to exit (s, median)", f"{med[(1, 1)]:.2f}",
         "first article <= 3 s"],
    ]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
