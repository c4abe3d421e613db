"""Date/time span F1 on parstdex's own test set (../shared/eval/dates/parstdex-data.json, 305 sentences).

Run: .venv/bin/python benchmarks/dates_parstdex.py
     PARSTDEX_PYTHON=/path/to/venv/bin/python .venv/bin/python benchmarks/dates_parstdex.py   (adds parstdex's score)

parstdex needs ``pytextspan`` (a Rust extension without wheels for Python 3.12); it installs from PyPI into a
Python 3.9 venv: ``python3.9 -m venv V && V/bin/pip install --only-binary pytextspan parstdex``. Its score is
computed here, with the same metrics, from its ``extract_span(text)["datetime"]`` (what the gold spans are).

Metrics: "sentences exact" = predicted span list equals the gold list (parstdex's own unit test);
span P/R/F1 with exact boundaries; span P/R/F1 counting any character overlap as a match.
Our modes: "dates" = extract_dates() spans; "dates+times" = dates plus find_time_spans(), spans that touch or are
separated only by spaces merged (parstdex reports a date followed by a time as one datetime span).
The gold follows parstdex's conventions (durations such as "چهل دقیقه", leading prepositions, centuries,
colloquial spellings); the set was not used to write or tune our word lists.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import time

from _common import SHARED, need, table

DATA = SHARED / "eval" / "dates" / "parstdex-data.json"

_PARSTDEX_CODE = r"""
import json, sys
from parstdex import Parstdex
m = Parstdex()
out = []
for text in json.load(sys.stdin):
    try:
        out.append([list(s) for s in m.extract_span(text)["datetime"]])
    except Exception as exc:  # report, do not hide
        out.append({"error": repr(exc)})
json.dump(out, sys.stdout)
"""


def load() -> list[tuple[str, list[tuple[int, int]]]]:
    rows = json.loads(need(DATA).read_text(encoding="utf-8-sig"))
    return [(r["test_input"], [tuple(s) for s in ast.literal_eval(r["expected"])]) for r in rows]


def merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or text[out[-1][1]:s].strip() == ""):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def score(pred: list[list[tuple[int, int]]], gold: list[list[tuple[int, int]]]) -> dict[str, float]:
    exact_sent = sum(sorted(p) == sorted(g) for p, g in zip(pred, gold))
    tp = sum(len(set(p) & set(g)) for p, g in zip(pred, gold))
    np_, ng = sum(map(len, pred)), sum(map(len, gold))
    ov_p = sum(any(ps < ge and gs < pe for gs, ge in g) for p, g in zip(pred, gold) for ps, pe in p)
    ov_r = sum(any(ps < ge and gs < pe for ps, pe in p) for p, g in zip(pred, gold) for gs, ge in g)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    P, R = tp / np_ if np_ else 0.0, tp / ng if ng else 0.0
    oP, oR = ov_p / np_ if np_ else 0.0, ov_r / ng if ng else 0.0
    return {"sent": exact_sent / len(gold), "P": P, "R": R, "F1": f1(P, R), "oP": oP, "oR": oR, "oF1": f1(oP, oR)}


def run_parstdex(texts: list[str]) -> tuple[list | None, str]:
    exe = os.environ.get("PARSTDEX_PYTHON")
    if not exe:
        return None, "not run: set PARSTDEX_PYTHON to a Python with parstdex installed (see docstring)"
    try:
        t0 = time.perf_counter()
        res = subprocess.run([exe, "-c", _PARSTDEX_CODE], input=json.dumps(texts), capture_output=True,
                             text=True, timeout=1800)
        dt = time.perf_counter() - t0
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"not run: {exc!r}"
    if res.returncode != 0:
        return None, f"failed: {res.stderr.strip().splitlines()[-1] if res.stderr.strip() else res.returncode}"
    out = json.loads(res.stdout)
    errors = sum(isinstance(x, dict) for x in out)
    spans = [[] if isinstance(x, dict) else [tuple(s) for s in x] for x in out]
    return spans, f"ran offline in {dt:.1f} s (incl. start-up){f', {errors} errors' if errors else ''}"


def main() -> None:
    from fa_policy_nlp.dates import extract_dates, find_time_spans

    rows = load()
    texts, gold = [r[0] for r in rows], [r[1] for r in rows]
    t0 = time.perf_counter()
    dates = [[(d.start, d.end) for d in extract_dates(t)] for t in texts]
    t_dates = time.perf_counter() - t0
    both = [merge(d + find_time_spans(t), t) for d, t in zip(dates, texts)]
    results = [("fa-policy-nlp dates", score(dates, gold)), ("fa-policy-nlp dates+times", score(both, gold))]
    pspans, note = run_parstdex(texts)
    if pspans is not None:
        results.append(("parstdex 1.3.1 (its own test set)", score(pspans, gold)))
    print(f"parstdex test set: {len(rows)} sentences, {sum(map(len, gold))} gold date/time spans, "
          f"{sum(1 for g in gold if not g)} sentences without any")
    print(table(["system", "sentences exact", "P", "R", "F1", "overlap P", "overlap R", "overlap F1"],
                [[name, s["sent"], s["P"], s["R"], s["F1"], s["oP"], s["oR"], s["oF1"]] for name, s in results]))
    print(f"\nfa-policy-nlp extract_dates on all sentences: {t_dates:.2f} s")
    print(f"parstdex: {note}")


if __name__ == "__main__":
    main()
