"""Normalisation speed on 1,500 real Fars News articles: fa-policy-nlp against hazm's ``Normalizer.normalize``.

Data: ``../shared/bench/fars-news/fars-news-{1..5}.json`` (title, abstract and paragraphs of each article joined by
newlines; benchmark data only). Each system normalises every article once after a warm-up pass over the first 50;
the best of ``--repeat`` runs is reported. Builds (word-list parsing) are timed separately.

Also times adversarial inputs (long digit runs, repeated number phrases, random mixed Unicode, HTML, control
characters) to show no rule backtracks catastrophically.

Run: ``.venv/bin/python benchmarks/normalize_speed.py [--repeat 3] [--no-hazm]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "fars-news"


def load_articles() -> list[str]:
    texts = []
    for p in sorted(DATA.glob("fars-news-*.json")):
        for a in json.loads(p.read_text(encoding="utf-8")):
            parts = [a.get("title") or "", a.get("abstract") or ""] + list(a.get("paragraphs") or [])
            texts.append("\n".join(x for x in parts if x))
    return texts


def best_time(fn, texts, repeat: int) -> float:
    for t in texts[:50]:
        fn(t)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return best


def adversarial() -> dict[str, str]:
    rnd = random.Random(7)
    alphabet = ("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكة۰۱۲۳۴۵۶۷۸۹0123456789 \u200c\u200d\u200e\u200f\u202a\u202b"
                "\u202c\u2066\u2069\n\t\r.,:;!?،؛؟«»()\"'<>/&ـًٌٍَُِّْaAzZ€😀\x00\x1b")
    return {
        "50,000 digits": "7" * 50_000,
        "'۱ میلیون و ' x 4000": "۱ میلیون و " * 4000,
        "200,000 random mixed chars": "".join(rnd.choice(alphabet) for _ in range(200_000)),
        "HTML 100 KB": ("<div class=\"x\"><p>وزير گفت: <b>۱۲.۵</b> درصد</p></div>\n" * 2000),
        "control chars 100 KB": "\x00\x01\x1b[31m\u202e\u200f" * 15_000,
        "100,000 ZWNJ+space": "\u200c " * 50_000,
        "one 100 KB word": "ب" * 100_000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-hazm", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from fa_policy_nlp.normalize import Normalizer

    ours = Normalizer()
    ours.normalize("آزمایش")
    build_ours = time.perf_counter() - t0

    rows = []
    if DATA.exists():
        texts = load_articles()
        chars = sum(map(len, texts))
        print(f"Fars News: {len(texts)} articles, {chars:,} characters; best of {args.repeat} runs")
        if not args.no_hazm:
            t0 = time.perf_counter()
            import hazm

            theirs = hazm.Normalizer()
            build_hazm = time.perf_counter() - t0
            t_hazm = best_time(theirs.normalize, texts, args.repeat)
            rows.append(("hazm Normalizer.normalize", build_hazm, t_hazm))
        else:
            t_hazm = None
        rows.append(("fa-policy-nlp normalize", build_ours, best_time(ours.normalize, texts, args.repeat)))
        rows.append(("fa-policy-nlp normalize_with_offsets", build_ours,
                     best_time(ours.normalize_with_offsets, texts, args.repeat)))
        t0 = time.perf_counter()
        from fa_policy_nlp.segment import Segmenter

        seg = Segmenter()
        build_seg = time.perf_counter() - t0
        nts = [ours.normalize_with_offsets(t) for t in texts]
        rows.append(("fa-policy-nlp Segmenter.segment (given nt)", build_seg, best_time(seg.segment, nts, args.repeat)))
        print(f"{'system':<40}{'build s':>9}{'total s':>9}{'ms/article':>12}{'x hazm':>8}")
        for name, build, total in rows:
            ratio = f"{total / t_hazm:.2f}" if t_hazm else "-"
            print(f"{name:<40}{build:>9.2f}{total:>9.2f}{1000 * total / len(texts):>12.2f}{ratio:>8}")
        print("(build of hazm includes `import hazm`; the normaliser reads hazm's word lists without importing hazm;"
              " the segmenter's build imports hazm's tokenisers)")
    else:
        print(f"benchmark data {DATA} not available; adversarial inputs only")

    print()
    print(f"{'adversarial input':<30}{'chars':>9}{'normalize s':>13}{'with_offsets s':>16}")
    for name, text in adversarial().items():
        t0 = time.perf_counter()
        ours.normalize(text)
        t1 = time.perf_counter()
        nt = ours.normalize_with_offsets(text)
        t2 = time.perf_counter()
        assert len(nt.starts) == len(nt.text)
        print(f"{name:<30}{len(text):>9,}{t1 - t0:>13.3f}{t2 - t1:>16.3f}")


if __name__ == "__main__":
    main()
