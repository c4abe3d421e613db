"""Time of analyze() on each hostile input of tests/cases/hostile.yaml (one core); target: well under 10 s each."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from _common import ROOT, machine, table

sys.path.insert(0, str(ROOT / "tests"))
from test_hostile import random_mixed, random_unicode  # noqa: E402


def main() -> None:
    from fa_policy_nlp import analyze

    analyze("گرم کردن", published="2025-10-06")
    cases = yaml.safe_load((ROOT / "tests" / "cases" / "hostile.yaml").read_text(encoding="utf-8"))
    rows = []
    for name, expr in cases:
        text = eval(expr, {"random_mixed": random_mixed, "random_unicode": random_unicode})
        t0 = time.perf_counter()
        art = analyze(text, published="2025-10-06")
        n_tokens = len(list(art.tokens))  # tokens are built on first use: timed with the rest
        rows.append([name, len(text), time.perf_counter() - t0, n_tokens, len(art.figures), len(art.dates),
                     len(art.claims)])
    print(f"machine: {machine()}")
    print(table(["input", "chars", "seconds", "tokens", "figures", "dates", "claims"], rows))


if __name__ == "__main__":
    main()
