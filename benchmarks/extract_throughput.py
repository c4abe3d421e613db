"""Throughput, peak memory and cold start of `fa-policy extract` on the 1,500 Fars News articles.

Runs the real command in a subprocess (as a user would) with --jobs 1 and --jobs 2, on 150 and 1,500 articles, and
with --jobs 1 and 2 on 15,000 (the 1,500 ten times over; peak RSS must stay flat when the dump grows tenfold), and a
one-article dump with --jobs 1 and 2 for cold start (command start to exit, which includes interpreter start, imports,
building the pipeline -- in each worker with --jobs 2 -- analysing and writing the tables). The speed-up is given
end to end and without the fixed cost of a run (the one-article time, subtracted from both sides).
Peak RSS is the largest resident set of any process of the run (parent or worker), from getrusage(RUSAGE_CHILDREN)
measured in a fresh wrapper process per run.
"""

from __future__ import annotations

import json
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
        base = ["extract", "--text-field", "title,abstract,paragraphs", "--date-field", "", "--source-field", "",
                "-q", "--overwrite"]
        rows = []
        results = {}
        for n in (150, 1500):
            for jobs in (1, 2):
                secs, rss = run([*FA, *base[:1], str(dumps[n]), *base[1:], "-o", str(tmp / f"o{n}{jobs}"),
                                 "--jobs", str(jobs)])
                results[(n, jobs)] = secs
                rows.append([n, jobs, secs, n / secs, rss])
        for jobs in (1, 2):
            secs, rss = run([*FA, *base[:1], str(dumps[15000]), *base[1:], "-o", str(tmp / f"o15000{jobs}"),
                             "--jobs", str(jobs)])
            results[(15000, jobs)] = secs
            rows.append([15000, jobs, secs, 15000 / secs, rss])
        for jobs in (1, 2):
            results[(1, jobs)], cold_rss = run([*FA, "extract", str(dumps[1]), *base[1:], "-o", str(tmp / "o1"),
                                                "--jobs", str(jobs)])
        cold = results[(1, 1)]
    print(f"machine: {machine()}")
    print(table(["articles", "jobs", "seconds", "articles/s", "peak RSS MB (largest process)"], rows))
    print()
    def speedup(n: int, fixed: bool = False) -> float:
        j1, j2 = results[(n, 1)], results[(n, 2)]
        return (j1 - results[(1, 1)]) / (j2 - results[(1, 2)]) if fixed else j1 / j2

    print(table(["measure", "value", "target"], [
        ["--jobs 2 speed-up over --jobs 1 (1,500 articles)", f"{speedup(1500):.2f}x", ">= 1.7x"],
        ["  the same without the one-article run time of each", f"{speedup(1500, True):.2f}x", ""],
        ["--jobs 2 speed-up over --jobs 1 (15,000 articles)", f"{speedup(15000):.2f}x", ""],
        ["fixed cost of a run: one-article extract, --jobs 1 / --jobs 2 (s)",
         f"{results[(1, 1)]:.2f} / {results[(1, 2)]:.2f}", ""],
        ["cold start: one-article extract, command start to exit (s)", f"{cold:.2f}", "first article <= 3 s"],
    ]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
