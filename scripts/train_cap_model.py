"""Rebuild the shipped CAP domain model from the project's own corpus (corpora/cap/cap-*.jsonl) only.

    .venv/bin/python scripts/train_cap_model.py [--output src/fa_policy_nlp/models/cap.npz] [--folds 5] [--seed 0]

Prints the corpus counts, the cross-validated per-label table, the time of the final fit (one core) and writes the
model. Deterministic: the same corpus and seed give a byte-identical file. Never trains on ../shared.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, as the README states
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import collections  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    from fa_policy_nlp.domain import DEFAULT_MODEL_PATH, load_model
    from fa_policy_nlp.training import DEFAULTS, format_report, read_labelled, read_term_lists, train_model

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "cap")
    ap.add_argument("--lexicon", type=Path, default=ROOT / "corpora" / "cap" / "terms",
                    help="folder of topic term lists cap-<code>.txt (one term a line); 'none' to train without")
    ap.add_argument("--output", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    files = sorted(args.corpus.glob("cap-*.jsonl"))
    if not files:
        print(f"no corpus files in {args.corpus}", file=sys.stderr)
        return 1
    if "shared" in args.corpus.resolve().parts:
        print("refusing to train on ../shared (evaluation data)", file=sys.stderr)
        return 1
    texts, labels = read_labelled(files, "text", "cap")
    counts = collections.Counter(labels)
    print(f"corpus: {len(texts)} texts in {len(files)} files, {len(counts)} labels")
    print("  " + "  ".join(f"{k}:{v}" for k, v in sorted(counts.items(), key=lambda kv: int(kv[0]))))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    info = {"corpus": "corpora/cap/cap-*.jsonl", "corpus_sha256_16": digest,
            "counts": {k: counts[k] for k in sorted(counts, key=int)}}
    lexicon = None
    if str(args.lexicon) != "none":
        term_files = sorted(args.lexicon.glob("cap-*.txt"))
        if "shared" in args.lexicon.resolve().parts:
            print("refusing to train on ../shared (evaluation data)", file=sys.stderr)
            return 1
        terms, term_labels = read_term_lists(args.lexicon, "cap-*.txt")
        if terms:
            lexicon = (terms, term_labels)
            tcounts = collections.Counter(term_labels)
            print(f"lexicon: {len(terms)} terms in {len(term_files)} files")
            print("  " + "  ".join(f"{k}:{v}" for k, v in sorted(tcounts.items(), key=lambda kv: int(kv[0]))))
            info["lexicon"] = "corpora/cap/terms/cap-*.txt"
            info["lexicon_sha256_16"] = hashlib.sha256(b"".join(f.read_bytes() for f in term_files)).hexdigest()[:16]

    t0 = time.perf_counter()
    model = train_model(texts, labels, folds=args.folds, seed=args.seed, info=info, lexicon=lexicon)
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    train_model(texts, labels, folds=0, seed=args.seed, lexicon=lexicon)  # the final fit alone, for the timing line
    fit_only = time.perf_counter() - t0
    if "cv" in model.meta:
        print(format_report(model.meta["cv"], model.names, title=f"\n{args.folds}-fold cross-validation (corpus only)"))
    path = model.save(args.output)
    t0 = time.perf_counter()
    load_model(path)
    load_s = time.perf_counter() - t0
    print(f"\nfeatures: {model.coef.shape[1]} ({len(model.word_vocab)} word, {len(model.char_vocab)} char), "
          f"C={DEFAULTS['C']}, temperature={model.temperature}")
    print(f"time (1 core): final fit {fit_only:.1f} s, with cross-validation {total:.1f} s, load {load_s:.2f} s")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({path.stat().st_size / 1e6:.2f} MB, sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
