"""Segmenter time on long adversarial inputs: must grow linearly with the text (x2 text -> ~x2 time).

Inputs are built from pieces (no evaluation data). Times are for ``Segmenter.segment`` and building its tokens on an
already normalised text (normalisation is measured by normalize_speed.py).

    .venv/bin/python benchmarks/scaling_segment.py
"""

from __future__ import annotations

import time

from _common import machine, table

PIECES = ["۱.", "۱٫", "۱۲:", "۱ .", "۱/", "ا", "« الف. » ", "۱ میلیون و ", "؟!"]


def main() -> None:
    from fa_policy_nlp.normalize import default_normalizer
    from fa_policy_nlp.segment import Segmenter

    norm, seg = default_normalizer(), Segmenter()
    rows = []
    for piece in PIECES:
        times = []
        for reps in (50_000, 100_000):
            nt = norm.normalize_with_offsets(piece * reps)
            t0 = time.perf_counter()
            _, _, tokens = seg.segment(nt)
            list(tokens)  # built on first use: timed with the segmentation
            times.append(time.perf_counter() - t0)
        rows.append([repr(piece), len(piece) * 100_000, len(tokens), times[0] * 1000, times[1] * 1000,
                     times[1] / max(times[0], 1e-9)])
    print(f"machine: {machine()}")
    print(table(["piece", "chars (x100k)", "tokens", "ms x50k", "ms x100k", "ratio (2 = linear)"], rows))


if __name__ == "__main__":
    main()
