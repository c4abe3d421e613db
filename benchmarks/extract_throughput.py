"""Throughput, peak memory and cold start of `fa-policy extract` on the 1,500 Fars News articles.

Runs the real command in a subprocess (as a user would) with --jobs 1 and --jobs 2, on 150 and 1,500 articles, and
with --jobs 2 on 15,000 (the 1,500 ten times over; peak RSS must stay flat when the dump grows tenfold), and a one-article dump for cold start (command start to exit,
which includes interpreter start, imports, building the pipeline, analysing and writing the tables).
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
        secs, rss = run([*FA, *base[:1], str(dumps[15000]), *base[1:], "-o", str(tmp / "o15000"), "--jobs", "2"])
        rows.append([15000, 2, secs, 15000 / secs, rss])
        cold, cold_rss = run([*FA, "extract", str(dumps[1]), *base[1:], "-o", str(tmp / "o1")])
    print(f"machine: {machine()}")
    print(table(["articles", "jobs", "seconds", "articles/s", "peak RSS MB (largest process)"], rows))
    print()
    speedup = results[(1500, 1)] / results[(1500, 2)]
    print(table(["measure", "value", "target"], [
        ["--jobs 2 speed-up over --jobs 1 (1,500 articles)", f"{speedup:.2f}x", ">= 1.7x"],
        ["cold start: one-article extract, command start to exit (s)", f"{cold:.2f}", "first article <= 3 s"],
    ]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
