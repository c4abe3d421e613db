"""Time of every stage as input grows (10 kB → 100 kB → 1 MB of real Fars News text): linear means the per-kB cost
stays flat. Stages run in pipeline order on one Doc, each timed on its own (best of 2)."""

from __future__ import annotations

import time

from _common import fars_articles, fars_text, machine, table


def run() -> None:
    from fa_policy_nlp.pipeline import STAGES, Doc, Pipeline
    from fa_policy_nlp.types import Article

    corpus = "\n".join(fars_text(a) for a in fars_articles())
    pipe = Pipeline()
    pipe("گرم کردن")
    sizes = [10_000, 100_000, 1_000_000]
    rows = []
    per_kb: dict[str, list[float]] = {}
    for size in sizes:
        text = corpus[:size]
        best: dict[str, float] = {}
        for _ in range(2):
            t0 = time.perf_counter()
            nt = pipe.normalizer.normalize_with_offsets(text)
            t1 = time.perf_counter()
            art = Article(text=text, normalized=nt.text)
            art.paragraphs, art.sentences, art.tokens = pipe.segmenter.segment(nt)
            list(art.tokens)  # tokens are built on first use: timed here with the segmentation
            t2 = time.perf_counter()
            times = {"normalise": t1 - t0, "segment": t2 - t1}
            doc = Doc(nt, art)
            for name, stage in zip(pipe.stage_names, pipe.stages):
                t = time.perf_counter()
                stage(doc)
                times[name] = time.perf_counter() - t
            for k, v in times.items():
                best[k] = min(best.get(k, v), v)
        for k, v in best.items():
            per_kb.setdefault(k, []).append(v / (size / 1000) * 1e6)
        rows.append([f"{size // 1000} kB", *(best[k] for k in ["normalise", "segment", *STAGES])])
    print(f"machine: {machine()}")
    print(table(["input", "normalise s", "segment s", *(f"{s} s" for s in STAGES)], rows))
    print()
    print(table(["stage", *(f"µs/kB at {s // 1000} kB" for s in sizes), "1 MB / 10 kB per-kB ratio"],
                [[k, *v, v[-1] / v[0]] for k, v in per_kb.items()]))


if __name__ == "__main__":
    run()
