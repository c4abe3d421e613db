"""Per-article cost of `analyze()` against hazm's own normalise + sentence + word tokenisation.

Same 1,500 Fars News articles, same process, objects built once before timing (both sides). Target: analyze()
<= 2.0x hazm's normalise+tokenise (stretch 1.5x). Also reports the cost of each stage.
"""

from __future__ import annotations

import time

from _common import fars_articles, fars_text, machine, table


def main() -> None:
    texts = [fars_text(a) for a in fars_articles()]
    import hazm

    from fa_policy_nlp.pipeline import STAGES, Pipeline

    norm = hazm.Normalizer()
    sent = hazm.SentenceTokenizer()
    word = hazm.WordTokenizer(join_verb_parts=False)

    def hazm_all(t: str) -> None:
        n = norm.normalize(t)
        for s in sent.tokenize(n):
            word.tokenize(s)

    pipe = Pipeline()
    for t in texts[:20]:  # warm caches on both sides
        hazm_all(t)
        pipe(t)
    t0 = time.perf_counter()
    for t in texts:
        hazm_all(t)
    hz = (time.perf_counter() - t0) / len(texts)
    t0 = time.perf_counter()
    for t in texts:
        pipe(t)
    ours = (time.perf_counter() - t0) / len(texts)

    # cost per stage: pipelines with growing prefixes of the stage list
    stage_rows = []
    prev = None
    base = Pipeline(stages=())
    t0 = time.perf_counter()
    for t in texts:
        base(t)
    prev = (time.perf_counter() - t0) / len(texts)
    stage_rows.append(["normalise + segment", prev * 1000])
    for i in range(1, len(STAGES) + 1):
        p = Pipeline(stages=STAGES[:i])
        t0 = time.perf_counter()
        for t in texts:
            p(t)
        cur = (time.perf_counter() - t0) / len(texts)
        stage_rows.append([f"+ {STAGES[i - 1]}", (cur - prev) * 1000])
        prev = cur
    print(f"machine: {machine()}; {len(texts)} articles, mean {sum(map(len, texts)) / len(texts):.0f} chars")
    print(table(["per article", "ms", "ratio to hazm"], [
        ["hazm normalise + sentences + words", hz * 1000, 1.0],
        ["fa_policy_nlp analyze() (all stages)", ours * 1000, ours / hz],
    ]))
    print()
    print(table(["stage", "ms per article"], stage_rows))


if __name__ == "__main__":
    main()
