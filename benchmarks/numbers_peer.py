"""Peer suite: persian-tools' wordsToNumber / moneyWordsToNumber cases through fa_policy_nlp.parse_number.

Reads ../shared/eval/numbers/*.cases.json (evaluation data, MIT, see its SOURCE.txt); prints pass rates.
wordsToNumber rows with ``options: null`` are the target; moneyWordsToNumber is reported for information only
(persian-tools' colloquial money conventions such as "یک تومن" = 1000 are not ours).

Conventions: persian-tools answers 0 for a text without any number ("سلام دنیا"); parse_number answers None. The
"mapped" column counts None as that answer for rows expecting 0; the "strict" column does not.

Run: .venv/bin/python benchmarks/numbers_peer.py [--show-failures]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fa_policy_nlp.numbers import parse_number

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "numbers"


def _expected(v):
    if isinstance(v, str):
        try:
            return float(v.replace(",", ""))
        except ValueError:
            return v
    return v


def run(name: str, show: bool) -> tuple[int, int, int]:
    rows = [r for r in json.loads((SHARED / f"{name}.cases.json").read_text(encoding="utf-8")) if r["options"] is None]
    ok = strict = 0
    for r in rows:
        try:
            got = parse_number(r["input"])
        except Exception as exc:  # report, do not crash the benchmark
            got = f"ERROR {type(exc).__name__}: {exc}"
        exp = _expected(r["expected"])
        good = got is not None and not isinstance(got, str) and isinstance(exp, (int, float)) and got == exp
        strict += good
        good = good or (got is None and exp == 0)
        ok += good
        if show and not good:
            print(f"  FAIL {name}: {r['input']!r} expected {r['expected']!r} got {got!r}")
    return strict, ok, len(rows)


def main() -> None:
    if not SHARED.exists():
        print(f"evaluation data {SHARED} not available")
        return
    show = "--show-failures" in sys.argv
    print(f"{'suite (options: null)':<24}{'total':>7}{'strict':>8}{'rate':>8}{'mapped':>8}{'rate':>8}")
    for name in ("wordsToNumber", "moneyWordsToNumber"):
        strict, ok, total = run(name, show)
        print(f"{name:<24}{total:>7}{strict:>8}{strict / total:>8.1%}{ok:>8}{ok / total:>8.1%}")


if __name__ == "__main__":
    main()
