"""Accuracy of domain models on the project's held-out dev set (``corpora/cap/dev/cap-dev.jsonl``).

    .venv/bin/python benchmarks/cap_dev.py [--model PATH ...] [--confusion]

The dev set is RSS-style items and headlines for every CAP label, written by the project after the training corpus
by writers who did not work from its lines, and never trained on (``scripts/train_cap_model.py`` reads only
``corpora/cap/cap-*.jsonl``). It exists to compare model variants (features, lexicon versions, corpus rounds)
without touching ``../shared/eval``; it needs no ``../shared``. It is synthetic like the training text, so its
scores sit between the corpus's cross-validation and real news (``benchmarks/cap_eval.py``).

Prints, per model (default: the shipped one), the per-label precision/recall/F1 over all labels, macro-F1 and
accuracy; with several ``--model`` a one-line comparison at the end.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from _common import label_report

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpora" / "cap" / "dev" / "cap-dev.jsonl"


def evaluate(model_path: str | None, texts: list[str], gold: list[str], confusion: bool) -> tuple[float, float]:
    from fa_policy_nlp.domain import classify, load_taxonomy, resolve_model
    from fa_policy_nlp.training import format_report

    model = resolve_model(model_path)
    pred = [p.code or "abstain" for p in classify(texts, model=model, explain=False)]
    report = label_report(gold, pred, sorted(set(gold), key=int))
    names = {code: v["name"] for code, v in load_taxonomy()["labels"].items()} | model.names
    print(format_report(report, names, title=f"\nmodel {model.path}: project dev set ({len(gold)} texts)"))
    if confusion:
        conf = collections.Counter((g, x) for g, x in zip(gold, pred) if g != x)
        print("most frequent confusions (gold -> predicted): "
              + ", ".join(f"{g}->{x}:{n}" for (g, x), n in conf.most_common(15)))
    return report["macro_f1"], report["accuracy"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", help="model file (repeatable; default: the shipped CAP model)")
    ap.add_argument("--confusion", action="store_true", help="also print the most frequent confusions")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    gold = [str(r["cap"]) for r in rows]
    results = [(m or "shipped", *evaluate(m, texts, gold, args.confusion)) for m in (args.model or [None])]
    if len(results) > 1:
        print("\nmodel                                              macro-F1  accuracy")
        for name, f1, acc in results:
            print(f"{name[-50:]:50s} {f1:8.3f} {acc:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
