"""Speed of the domain classifier on one core: training the shipped model, loading it, classifying 10,000 claims.

    .venv/bin/python benchmarks/cap_speed.py [--n 10000] [--repeat 3]

Targets (from the classifier issue): train < 30 s, load < 2 s, 10,000 claims < 10 s. Claims are sentence-sized
texts: paragraphs of the Fars News benchmark articles in ../shared/bench when present, else the corpus lines
(repeated as needed). Times are the best of --repeat runs, except training and the cold load (one run each).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FARS = ROOT.parent / "shared" / "bench" / "fars-news"


def claim_texts(n: int) -> tuple[list[str], str]:
    texts: list[str] = []
    if FARS.exists():
        for p in sorted(FARS.glob("*.json")):
            for art in json.loads(p.read_text(encoding="utf-8")):
                texts += [t for t in art.get("paragraphs") or [] if len(t.split()) >= 5]
        source = "Fars News paragraphs (../shared/bench)"
    if not texts:
        texts = [json.loads(l)["text"] for p in sorted((ROOT / "corpora" / "cap").glob("cap-*.jsonl"))
                 for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
        source = "corpus lines"
    while len(texts) < n:
        texts = texts + texts
    return texts[:n], source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from fa_policy_nlp.domain import DEFAULT_MODEL_PATH, classify, load_model
    from fa_policy_nlp.normalize import default_normalizer
    from fa_policy_nlp.training import read_labelled, read_term_lists, train_model

    rows = []
    files = sorted((ROOT / "corpora" / "cap").glob("cap-*.jsonl"))
    texts, labels = read_labelled(files, "text", "cap")
    lexicon = read_term_lists(ROOT / "corpora" / "cap" / "terms", "cap-*.txt")
    t0 = time.perf_counter()
    train_model(texts, labels, folds=0, lexicon=lexicon)  # as scripts/train_cap_model.py builds the shipped model
    rows.append(("train (final fit, no CV)", f"{len(texts)} texts + {len(lexicon[0])} terms",
                 time.perf_counter() - t0, 30.0))

    cold = subprocess.run([sys.executable, "-c",
                           "import time; t=time.perf_counter(); from fa_policy_nlp.domain import load_model; "
                           f"load_model({str(DEFAULT_MODEL_PATH)!r}); print(time.perf_counter()-t)"],
                          capture_output=True, text=True, check=True)
    rows.append(("load, new process (with imports)", DEFAULT_MODEL_PATH.name, float(cold.stdout.strip()), 2.0))
    best = min(_timed(lambda: load_model(DEFAULT_MODEL_PATH)) for _ in range(args.repeat))
    rows.append(("load, warm process", f"{DEFAULT_MODEL_PATH.stat().st_size / 1e6:.2f} MB", best, 2.0))

    model = load_model(DEFAULT_MODEL_PATH)
    claims, source = claim_texts(args.n)
    default_normalizer().normalize("warm up")
    chars = sum(map(len, claims))
    for explain in (True, False):
        best = min(_timed(lambda: classify(claims, model=model, explain=explain)) for _ in range(args.repeat))
        rows.append((f"classify {len(claims)} claims{'' if explain else ', explain=False'}",
                     f"{chars / 1e6:.1f} M chars", best, 10.0))
    norm = default_normalizer().normalize
    normalized = [norm(t) for t in claims]
    best = min(_timed(lambda: model.predict_normalized(normalized, explain=False)) for _ in range(args.repeat))
    rows.append(("  of which model only (pre-normalised)", "", best, None))

    for name, text in (("adversarial: '۱ میلیون و ' * 4000", "۱ میلیون و " * 4000),
                       ("one 1 MB article (claims joined)", "\n".join(claims)[:1_000_000])):
        rows.append((name, f"{len(text) / 1e6:.2f} M chars", _timed(lambda: classify(text, model=model)), None))

    print(f"domain classifier speed, one core (claims: {source})")
    print(f"{'step':<42} {'size':>14} {'seconds':>9} {'target':>8}")
    for name, size, sec, target in rows:
        print(f"{name:<42} {size:>14} {sec:9.2f} {('< %g' % target) if target else '':>8}")
    return 0


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
