"""Person-name detection on the Arman NER test fold (../shared/eval/ner/arman-test-fold1.txt, IOB `pers`).

Runs ``fa_policy_nlp.officials.find_persons`` (the officials stage's name finder: gazetteer + honorifics +
first/last-name lists + names next to titles) on each sentence rebuilt from its whitespace-separated tokens,
then scores person entities: entity-level exact match P/R/F1, and token level P/R/F1.

    .venv/bin/python benchmarks/ner_arman.py [--errors N] [--speed]

``--speed`` also times the officials and claims stages (and find_persons) on adversarial inputs and on the
Fars News bench articles (../shared/bench/fars-news), to show they stay linear on megabyte inputs.

Evaluation only: nothing from the Arman file is copied into the package or used to build word lists.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARMAN = ROOT.parent / "shared" / "eval" / "ner" / "arman-test-fold1.txt"


def read_conll(path: Path):
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            if sent:
                yield sent
            sent = []
            continue
        parts = line.rsplit(None, 1)
        if len(parts) == 2:
            sent.append((parts[0], parts[1]))
    if sent:
        yield sent


def gold_entities(tags: list[str], label: str = "pers") -> set[tuple[int, int]]:
    ents, start = set(), None
    for i, t in enumerate(tags + ["O"]):
        if t == f"B-{label}" or (t == f"I-{label}" and start is None):
            if start is not None:
                ents.add((start, i))
            start = i
        elif t != f"I-{label}":
            if start is not None:
                ents.add((start, i))
            start = None
    return ents


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0, help="print N false positives and N misses")
    ap.add_argument("--speed", action="store_true", help="also time the stages on hostile and bench inputs")
    args = ap.parse_args()
    if args.speed:
        speed()
    if not ARMAN.exists():
        print(f"{ARMAN} not available", file=sys.stderr)
        return 0
    from fa_policy_nlp.officials import find_persons, lexicon

    t0 = time.perf_counter()
    lexicon()
    t_load = time.perf_counter() - t0
    etp = efp = efn = 0
    ttp = tfp = tfn = 0
    fps, fns = [], []
    n_sent = n_tok = 0
    t0 = time.perf_counter()
    for sent in read_conll(ARMAN):
        toks = [t for t, _ in sent]
        tags = [g for _, g in sent]
        text, offs, pos = [], [], 0
        for t in toks:
            offs.append((pos, pos + len(t)))
            text.append(t)
            pos += len(t) + 1
        text = " ".join(text)
        n_sent += 1
        n_tok += len(toks)
        spans = find_persons(text)
        # character spans -> token spans (a span covering part of a token covers that token)
        pred = set()
        for s in spans:
            ti = [k for k, (a, b) in enumerate(offs) if a < s.end and s.start < b]
            if ti:
                pred.add((ti[0], ti[-1] + 1))
        gold = gold_entities(tags)
        etp += len(pred & gold)
        efp += len(pred - gold)
        efn += len(gold - pred)
        ptok = {k for a, b in pred for k in range(a, b)}
        gtok = {k for a, b in gold for k in range(a, b)}
        ttp += len(ptok & gtok)
        tfp += len(ptok - gtok)
        tfn += len(gtok - ptok)
        if args.errors:
            for a, b in sorted(pred - gold):
                fps.append(" ".join(toks[a:b]) + "   ⟵ " + " ".join(toks[max(0, a - 3):b + 3]))
            for a, b in sorted(gold - pred):
                fns.append(" ".join(toks[a:b]) + "   ⟵ " + " ".join(toks[max(0, a - 3):b + 3]))
    elapsed = time.perf_counter() - t0
    ep, er, ef = prf(etp, efp, efn)
    tp_, tr, tf = prf(ttp, tfp, tfn)
    print(f"Arman NER test fold 1: {n_sent} sentences, {n_tok} tokens, {etp + efn} gold person entities")
    print(f"lexicon load {t_load:.2f} s; detection {elapsed:.2f} s ({n_tok / elapsed:,.0f} tokens/s)")
    print()
    print("| level  | precision | recall | F1    | TP   | FP   | FN   |")
    print("|--------|-----------|--------|-------|------|------|------|")
    print(f"| entity | {ep:.3f}     | {er:.3f}  | {ef:.3f} | {etp:<4} | {efp:<4} | {efn:<4} |")
    print(f"| token  | {tp_:.3f}     | {tr:.3f}  | {tf:.3f} | {ttp:<4} | {tfp:<4} | {tfn:<4} |")
    if args.errors:
        print("\nfalse positives:")
        for x in fps[: args.errors]:
            print("  ", x)
        print("\nmissed:")
        for x in fns[: args.errors]:
            print("  ", x)
    return 0


def speed() -> None:
    import json

    from fa_policy_nlp.officials import find_persons
    from fa_policy_nlp.pipeline import Pipeline

    pipe = Pipeline(stages=("officials", "claims"))
    # adversarial inputs are built from Unicode escapes (no Persian literals outside data files)
    w = {k: v.encode().decode("unicode_escape") for k, v in {
        "million": "\\u06f1 \\u0645\\u06cc\\u0644\\u06cc\\u0648\\u0646 \\u0648 ",
        "role": "\\u0631\\u0626\\u06cc\\u0633 \\u0633\\u0627\\u0632\\u0645\\u0627\\u0646 ",
        "said": "\\u0648\\u06cc \\u06af\\u0641\\u062a: ",
        "minister_said": "\\u0648\\u0632\\u06cc\\u0631 \\u06a9\\u0634\\u0648\\u0631 \\u06af\\u0641\\u062a: ",
        "he_said": "\\u0627\\u0648 \\u06af\\u0641\\u062a. ",
    }.items()}
    import random

    from fa_policy_nlp import resources

    rnd = random.Random(1)
    letters = [chr(c) for c in range(0x0627, 0x064A)] + [chr(c) for c in (0x06CC, 0x06A9, 0x067E, 0x0686, 0x06AF)]
    alphabet = letters + [" "] * 6 + ["\u200c", "\u060c ", ". ", ": ", "\u00ab", "\u00bb", "\n"]
    firsts = resources.load_list("off_first_names_core.txt")[:50]
    # 4,000 different people: a listed first name + a random surname-shaped word (ending in yeh), each saying something
    distinct = "".join(f"{rnd.choice(firsts)} {''.join(rnd.choice(letters[1:15]) for _ in range(5))}\u06cc "
                       f"{w['minister_said'][-6:]}{w['he_said']}" for _ in range(4000))
    cases = {
        "'1 million and ' x 4000": w["million"] * 4000,
        "'head organisation ' x 20000": w["role"] * 20000,
        "'he said: ' x 30000": w["said"] * 30000,
        "'«' x 50000 + said + '»' x 50000": "\u00ab" * 50000 + w["said"] + "\u00bb" * 50000,
        "'minister of interior said: ' x 5000": w["minister_said"] * 5000,
        "200 kB random letters and punctuation": "".join(rnd.choice(alphabet) for _ in range(200_000)),
        "4000 different people, each speaking": distinct,
    }
    bench = ROOT.parent / "shared" / "bench" / "fars-news" / "fars-news-1.json"
    if bench.exists():
        arts = json.loads(bench.read_text(encoding="utf-8"))
        cases["fars-news-1: 300 articles joined"] = "\n".join(
            "\n".join(a.get("paragraphs") or []) for a in arts)
    pipe("")
    print("| input | chars | officials+claims stages (s) | find_persons (s) | officials | claims |")
    print("|---|---|---|---|---|---|")
    for name, text in cases.items():
        t0 = time.perf_counter()
        art = pipe(text)
        t1 = time.perf_counter() - t0
        t0 = time.perf_counter()
        find_persons(text)
        t2 = time.perf_counter() - t0
        print(f"| {name} | {len(text):,} | {t1:.2f} | {t2:.2f} | {len(art.officials)} | {len(art.claims)} |")
    print("(stage times include normalisation and segmentation)")
    stage_cost()
    print()


def stage_cost(repeat: int = 3) -> None:
    """CPU ms per article of the officials and claims stages alone on the 1,500 Fars News articles (each article
    normalised, segmented and run through figures/dates once, then the two stages timed; best of ``repeat``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _common import SHARED, fars_articles, fars_text

    if not (SHARED / "bench" / "fars-news").exists():
        return
    from fa_policy_nlp.pipeline import Doc, Pipeline
    from fa_policy_nlp.types import Article

    pipe = Pipeline(stages=("figures", "dates", "officials", "claims"))
    fig, dat, off, cla = pipe.stages
    docs = []
    for a in fars_articles():
        text = fars_text(a)
        nt = pipe.normalizer.normalize_with_offsets(text)
        art = Article(text=text, normalized=nt.text)
        art.paragraphs, art.sentences, art.tokens = pipe.segmenter.segment(nt)
        doc = Doc(nt, art)
        fig(doc)
        dat(doc)
        docs.append(doc)
    best = {"officials": 1e9, "claims": 1e9}
    for _ in range(repeat):
        t = {"officials": 0.0, "claims": 0.0}
        for doc in docs:
            t0 = time.process_time()
            off(doc)
            t1 = time.process_time()
            cla(doc)
            t["officials"] += t1 - t0
            t["claims"] += time.process_time() - t1
        best = {k: min(best[k], t[k]) for k in best}
    print(f"| stage ({len(docs)} Fars News articles, CPU time, best of {repeat}) | ms per article |")
    print("|---|---|")
    for k, v in best.items():
        print(f"| {k} | {v / len(docs) * 1000:.2f} |")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
