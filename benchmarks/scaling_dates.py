"""Date extraction time vs input size (10 kB vs 1 MB of news text) and adversarial inputs.

Run: .venv/bin/python benchmarks/scaling_dates.py
Linear time means the 1 MB / 10 kB time ratio stays near 100. Text: Fars News articles from ../shared/bench
(falls back to a synthetic date-dense text when ../shared is absent). Times include normalisation
(``extract_dates``); "search only" is the date matcher on already-normalised text.
"""

from __future__ import annotations

import time

from _common import SHARED, machine, table

from fa_policy_nlp.dates import _find, extract_dates, find_time_spans
from fa_policy_nlp.normalize import default_normalizer


def corpus_text(size: int) -> str:
    folder = SHARED / "bench" / "fars-news"
    if folder.exists():
        from _common import fars_articles, fars_text

        parts, n = [], 0
        for art in fars_articles():
            t = fars_text(art)
            parts.append(t)
            n += len(t) + 1
            if n >= size:
                break
        text = "\n".join(parts)
    else:
        text = "امروز دوشنبه ۱۴ مهر ۱۴۰۴ و در یک سال گذشته از ابتدای امسال تا پایان اسفند ماه. " * 10
    while len(text) < size:
        text += "\n" + text
    return text[:size]


def timed(fn, *args, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    print(machine())
    norm = default_normalizer()
    extract_dates("امروز", "2025-10-06")  # build tables once
    rows = []
    sizes = {}
    for label, size in (("news 10 kB", 10_000), ("news 100 kB", 100_000), ("news 1 MB", 1_000_000)):
        text = corpus_text(size)
        t_all, found = timed(extract_dates, text, "2025-10-06", repeat=3 if size < 10**6 else 1)
        nt = norm.normalize_with_offsets(text)
        t_find, _ = timed(_find, nt.text, None, repeat=3 if size < 10**6 else 1)
        sizes[label] = (t_all, t_find)
        rows.append([label, len(text), len(found), t_all * 1000, t_find * 1000, len(text) / t_all / 1000])
    adversarial = {
        '"۱۱ اردیبهشت " * 5000': "۱۱ اردیبهشت " * 5000,
        '"۱ میلیون و " * 4000': "۱ میلیون و " * 4000,
        '"سال " * 50000': "سال " * 50000,
        '"۱۴۰۴/" * 20000': "۱۴۰۴/" * 20000,
        '"ابتدای " * 30000 + "امسال"': "ابتدای " * 30000 + "امسال",
        '"بیست و " * 20000': "بیست و " * 20000,
        '"۱ تا " * 20000 + "مهر"': "۱ تا " * 20000 + "مهر",
        '"ه.ش." * 20000': "ه.ش." * 20000,
        '"۱۰:" * 30000': "۱۰:" * 30000,
    }
    for label, text in adversarial.items():
        t_all, found = timed(extract_dates, text, "2025-10-06", repeat=1)
        t_find, _ = timed(_find, norm.normalize(text), None, repeat=1)
        rows.append([label, len(text), len(found), t_all * 1000, t_find * 1000, len(text) / t_all / 1000])
    t_times, _ = timed(find_time_spans, corpus_text(1_000_000), repeat=1)
    print(table(["input", "chars", "dates", "extract_dates ms", "search only ms", "k chars/s"], rows))
    r_all = sizes["news 1 MB"][0] / sizes["news 10 kB"][0]
    r_find = sizes["news 1 MB"][1] / sizes["news 10 kB"][1]
    print(f"\n1 MB / 10 kB time ratio (100x the text): extract_dates {r_all:.0f}x, search only {r_find:.0f}x")
    print(f"find_time_spans on 1 MB: {t_times * 1000:.0f} ms")


if __name__ == "__main__":
    main()
