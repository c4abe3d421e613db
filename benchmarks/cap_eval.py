"""Accuracy of the domain classifier on real news it never saw (evaluation data in ../shared; read-only).

    .venv/bin/python benchmarks/cap_eval.py [--model PATH] [--confusion]

1. ``../shared/eval/cap/hamshahri-silver-dev.jsonl``: 1,149 Hamshahri titles+summaries whose site section maps to
   one CAP major (silver labels, 10 labels). ``classify(text)`` on title+summary over ALL labels of the model;
   per-label precision/recall/F1 and macro-F1 over the 10 labels present. A prediction outside those 10 labels
   (e.g. 20 Government Operations) counts as an error: a miss for the true label and no label's true positive.
2. ``../shared/seed/gold.json``: accuracy on the example article's paragraph claims marked ``clear_domain``
   (the paragraph text = line ``paragraph`` of the seed article), and on all 18 for reference; then the same for
   the claims the pipeline itself finds (classified on their content), and the article's own domain.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

from _common import label_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    from fa_policy_nlp.domain import classify, load_taxonomy, resolve_model
    from fa_policy_nlp.training import format_report

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="model file (default: the shipped CAP model)")
    ap.add_argument("--confusion", action="store_true", help="also print the confusion counts")
    args = ap.parse_args(argv)
    eval_path = SHARED / "eval" / "cap" / "hamshahri-silver-dev.jsonl"
    if not eval_path.exists():
        print(f"evaluation data {eval_path} not available; nothing to do")
        return 0
    model = resolve_model(args.model)
    print(f"model: {model.path} ({len(model.labels)} labels, {model.coef.shape[1]} features, "
          f"written by fa-policy-nlp {model.meta.get('package_version')})")

    rows = [json.loads(l) for l in eval_path.read_text(encoding="utf-8").splitlines() if l.strip()]
    texts = [r["text"] for r in rows]
    gold = [str(r["cap"]) for r in rows]
    t0 = time.perf_counter()
    preds = classify(texts, model=model, explain=False)
    elapsed = time.perf_counter() - t0
    pred = [p.code or "abstain" for p in preds]
    eval_labels = sorted(set(gold), key=int)
    report = label_report(gold, pred, eval_labels)
    names = {code: v["name"] for code, v in load_taxonomy()["labels"].items()} | model.names
    print(format_report(report, names, title=f"\nHamshahri silver dev ({len(gold)} items, title+summary; "
                                                    f"predictions outside these labels count as errors)"))
    outside = collections.Counter(x for x in pred if x not in eval_labels)
    print(f"predicted outside the 10 labels: {sum(outside.values())} "
          f"({', '.join(f'{k}:{v}' for k, v in outside.most_common())})")
    # Diagnostic only (not the headline number): the same scores with the choice limited to the 10 labels.
    cols = [model.labels.index(l) for l in eval_labels if l in model.labels]
    limited = [max(cols, key=lambda j: p.scores.get(model.labels[j], 0.0)) for p in preds]
    limited = [model.labels[j] for j in limited]
    f_lim = label_report(gold, limited, eval_labels)["macro_f1"]
    print(f"diagnostic: choosing only among these {len(cols)} labels would give macro-F1 {f_lim:.3f}")
    print(f"classify() time: {elapsed:.2f} s for {len(texts)} texts")
    if args.confusion:
        conf = collections.Counter(zip(gold, pred))
        cols = sorted(set(pred), key=lambda x: int(x) if x.isdigit() else 10**6)
        print("\nconfusion (rows gold, columns predicted)\n" + " " * 6 + "".join(f"{c:>5}" for c in cols))
        for g in eval_labels:
            print(f"{g:>6}" + "".join(f"{conf[(g, c)] or '.':>5}" for c in cols))

    gold_path = SHARED / "seed" / "gold.json"
    seed_path = SHARED / "seed" / "mehr-interior-ministry.txt"
    if gold_path.exists() and seed_path.exists():
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        lines = seed_path.read_text(encoding="utf-8").split("\n")
        claims = g["claims"]
        cp = classify([lines[c["paragraph"] - 1] for c in claims], model=model, explain=False)
        print("\nseed article claims (paragraph text)\n  para  gold  pred  score  clear")
        for c, pr in zip(claims, cp):
            print(f"  {c['paragraph']:>4}  {c['cap']:>4}  {pr.code or '-':>4}  {pr.score:5.2f}  "
                  f"{'yes' if c.get('clear_domain') else ''}")
        clear = [(str(c["cap"]), pr.code) for c, pr in zip(claims, cp) if c.get("clear_domain")]
        ok = sum(a == b for a, b in clear)
        ok_all = sum(str(c["cap"]) == pr.code for c, pr in zip(claims, cp))
        print(f"clear claims: {ok}/{len(clear)} correct ({ok / len(clear):.0%}); "
              f"all claims: {ok_all}/{len(claims)} ({ok_all / len(claims):.0%})")
        # The pipeline's own claims (DomainAnnotator classifies a claim's content), scored against their paragraph.
        from fa_policy_nlp.pipeline import Pipeline

        article = Pipeline(model=model)(seed_path.read_text(encoding="utf-8"), published=g.get("published"))
        by_para = {c["paragraph"] - 1: c for c in claims}
        scored = [(str(by_para[c.paragraph]["cap"]), c.domain, by_para[c.paragraph].get("clear_domain"))
                  for c in article.claims if c.paragraph in by_para]
        clear_p = [(a, b) for a, b, clear in scored if clear]
        print(f"pipeline claims ({len(scored)} found): clear {sum(a == b for a, b in clear_p)}/{len(clear_p)}, "
              f"all {sum(a == b for a, b, _ in scored)}/{len(scored)} correct")
        print(f"whole article (the article's domain): {article.domain} "
              f"{model.names.get(article.domain, '')} ({max(article.domain_scores.values(), default=0):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
