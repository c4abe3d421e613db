"""Scaling of the figures stage: time on 10 kB / 100 kB / 1 MB of article text and on adversarial inputs
(each at two sizes, 10x apart: linear growth keeps the µs/kB column flat).

Article text: the example article (../shared/seed) and the fars-news bench articles (../shared/bench), repeated to
the target size; falls back to a synthetic Persian sentence when ../shared is absent. Each row is the best of
``REPEAT`` runs of ``extract_figures`` (normalisation included). Linear growth shows as a flat µs/kB column.

Run: .venv/bin/python benchmarks/scaling_figures.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from fa_policy_nlp.figures import extract_figures
from fa_policy_nlp.numbers import scan_numbers

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REPEAT = 3


def _corpus() -> str:
    parts: list[str] = []
    seed = SHARED / "seed" / "mehr-interior-ministry.txt"
    if seed.exists():
        parts.append(seed.read_text(encoding="utf-8"))
    bench = SHARED / "bench" / "fars-news"
    if bench.exists():
        for p in sorted(bench.glob("*.json")):
            for rec in json.loads(p.read_text(encoding="utf-8")):
                parts.extend(str(rec.get(k) or "") for k in ("title", "abstract", "body", "text"))
    if not parts:  # synthetic fallback (digits and words built from code points, no Persian literals)
        parts.append("\u062d\u062f\u0648\u062f \u06f4 \u0645\u06cc\u0644\u06cc\u0648\u0646 \u0646\u0641\u0631. ")
    return "\n".join(p for p in parts if p)


def _best(fn, arg) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(REPEAT):
        t = time.perf_counter()
        n = len(fn(arg))
        best = min(best, time.perf_counter() - t)
    return best, n


def _sized(text: str, nbytes: int) -> str:
    out = text
    while len(out.encode("utf-8")) < nbytes:
        out += "\n" + text
    raw = out.encode("utf-8")[:nbytes]
    return raw.decode("utf-8", errors="ignore")


def main() -> None:
    corpus = _corpus()
    rows = []
    for label, size in (("articles 10 kB", 10_000), ("articles 100 kB", 100_000), ("articles 1 MB", 1_000_000)):
        rows.append((label, _sized(corpus, size)))
    one = "\u06f1"
    million = "\u0645\u06cc\u0644\u06cc\u0648\u0646"
    va = "\u0648"
    yek = "\u06cc\u06a9"
    sisad = "\u0633\u06cc\u0635\u062f"
    # (label, repeated piece, sizes): the pieces are the adversarial inputs named in the figures issue
    adversarial = [
        (f"'{one} {million} {va} ' * N", f"{one} {million} {va} ", (4000, 40_000)),
        (f"'{yek} {million} {va} {sisad} {va} ' * N", f"{yek} {million} {va} {sisad} {va} ", (3000, 30_000)),
        (f"'{one}' * N (one digit run)", one, (50_000, 500_000)),
        (f"'{one},' * N", one + ",", (50_000, 500_000)),
        (f"'{one}/' * N", one + "/", (50_000, 500_000)),
        (f"'{one} ' * N", one + " ", (50_000, 500_000)),
        (f"'{va} ' * N", va + " ", (50_000, 500_000)),
    ]
    for label, piece, sizes in adversarial:
        for n in sizes:
            rows.append((label.replace("N", f"{n:,}"), piece * n))
    print(f"{'input':<40}{'kB':>9}{'figures s':>11}{'µs/kB':>9}{'found':>7}{'numbers s':>11}")
    for label, text in rows:
        kb = len(text.encode("utf-8")) / 1000
        t_fig, n = _best(extract_figures, text)
        t_num, _ = _best(scan_numbers, text)
        print(f"{label:<40}{kb:>9.1f}{t_fig:>11.3f}{t_fig * 1e6 / kb:>9.0f}{n:>7}{t_num:>11.3f}")


if __name__ == "__main__":
    main()
