"""ZWNJ restoration on real news: fa-policy-nlp's normaliser against hazm.

Data: ``../shared/eval/zwnj/hamshahri-dev.jsonl`` (Hamshahri titles+summaries written with correct ZWNJ; evaluation
data only — nothing in the project's word lists comes from it).

Method. For every record, the gold text is corrupted in one of two modes:

* ``strip``: every ZWNJ (U+200C) is removed (``جاده‌های`` -> ``جادههای``);
* ``space``: every ZWNJ becomes a space (``جاده‌های`` -> ``جاده های``);
* ``clean``: the gold text itself (how much a system changes text that already has its ZWNJs: a precision check).

The corrupted text is normalised by each system and compared word by word with the gold text.

Metric (per word position). A *word* is a maximal run of ``\\w`` characters and ZWNJs. Its *position* is the number
of non-space, non-ZWNJ characters before it in the text (so gold and output words line up even when the system
changed spaces or ZWNJs); characters are folded before comparison (digits to ASCII, Arabic ي/ك to Persian, «»/“” to
``"``, ``٫`` to ``.``, ``…`` to ``...``) so that orthographic changes other than ZWNJ do not count. When a system
adds or drops other characters, output positions are mapped to gold positions with difflib.

* a gold word containing a ZWNJ is *restored* (true positive) when the output has exactly that word (same letters,
  same ZWNJs) at that position; otherwise it is a false negative;
* an output word containing a ZWNJ that is not a gold word at that position is a false positive (this includes a
  ZWNJ inserted into a word that gold writes joined or as two words, and a wrongly placed ZWNJ).

Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean. The same metric is applied to hazm's
``Normalizer().normalize`` and to the unnormalised corrupted text (``none``). ``fa-policy-nlp rules`` is
``Normalizer(wordfreq=False)``; ``fa-policy-nlp +wf`` (shown when the optional ``wordfreq`` package is installed) adds
its Persian word frequencies to choose between joined and ZWNJ spellings.

The last line, ``ceiling (oracle)``, is not a system: it writes every gold ZWNJ word in the spelling the gold uses
most often for it (``a‌b``, ``a b`` or ``ab``), which bounds what any context-free normaliser can score in space mode
(Hamshahri writes e.g. both ``رئیس‌جمهور`` and ``رئیس جمهور``; word types without a ZWNJ in gold are not counted, so
the true bound is lower).

``--data project`` runs the same table on text the project wrote instead (no ``../shared`` needed): the lines of
``corpora/cap/*.jsonl`` that contain a ZWNJ (the corpus README says about a fifth of its lines were made "careless",
losing their ZWNJs; those are left out) and the 32 articles of ``corpora/sample/articles.jsonl``. It is a
development set: the word lists may be checked against it, never against the Hamshahri file.

Run: ``.venv/bin/python benchmarks/zwnj.py [--data hamshahri|project] [--limit N] [--errors K]`` (``--errors`` prints K example errors of the
best project system to stderr, for debugging only; never copy them into word lists).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "zwnj" / "hamshahri-dev.jsonl"
ZWNJ = "\u200c"

_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ك": "ک", "«": '"', "»": '"', "“": '"', "”": '"', "٫": ".", "…": "...", "ـ": None,
    **{p: str(i) for i, p in enumerate("۰۱۲۳۴۵۶۷۸۹")}, **{p: str(i) for i, p in enumerate("٠١٢٣٤٥٦٧٨٩")},
    **{chr(c): None for c in range(0x064B, 0x0653)},
})
_WORD = re.compile(r"[\w\u200c]+")
_GAP = re.compile(r"[\s\u200c]")


def words(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(skeleton, [(skeleton position, word)]) of a text; words keep their inner ZWNJs."""
    text = text.translate(_FOLD)
    out = []
    skel_before = 0
    last = 0
    for m in _WORD.finditer(text):
        skel_before += len(_GAP.sub("", text[last:m.start()]))
        w = m.group().strip(ZWNJ)
        if w:
            out.append((skel_before, w))
        skel_before += len(m.group().replace(ZWNJ, ""))
        last = m.end()
    return _GAP.sub("", text), out


def remap(out_skel: str, gold_skel: str, items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if out_skel == gold_skel:
        return items
    sm = difflib.SequenceMatcher(None, out_skel, gold_skel, autojunk=False)
    mapping = {}
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            mapping[a + k] = b + k
    return [(mapping.get(p, -1 - p), w) for p, w in items]


def zwnj_words(gold: str, output: str):
    """(gold ZWNJ words, output ZWNJ words, gold words, output words), positions aligned to the gold."""
    gs, gw = words(gold)
    os_, ow = words(output)
    ow = remap(os_, gs, ow)
    return {x for x in gw if ZWNJ in x[1]}, {x for x in ow if ZWNJ in x[1]}, gw, ow


def score(gold_texts: list[str], outputs: list[str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for g, o in zip(gold_texts, outputs):
        gz, oz, _, _ = zwnj_words(g, o)
        tp += len(gz & oz)
        fp += len(oz - gz)
        fn += len(gz - oz)
    return tp, fp, fn


def ceiling(gold_texts: list[str]) -> tuple[int, int, int]:
    """(TP, FP, FN) of an oracle that writes every ZWNJ word type of the gold in its majority gold spelling.

    For each gold ZWNJ word (``a‌b``), its occurrences written ``a‌b``, ``a b`` or ``ab`` are counted; in space mode
    these are the same input, so no context-free normaliser can be right on both spellings. The oracle writes the
    majority spelling: the minority occurrences are its errors (an upper bound, computed on the gold itself).
    """
    text = "\n".join(t.translate(_FOLD) for t in gold_texts)
    types: dict[str, int] = {}
    for t in gold_texts:
        for _, w in words(t)[1]:
            if ZWNJ in w:
                types[w] = types.get(w, 0) + 1
    tp = fp = fn = 0
    for w in types:
        parts = w.split(ZWNJ)
        pat = "(?<![\\w\u200c])" + "([ \u200c]?)".join(re.escape(p) for p in parts) + "(?![\\w\u200c])"
        forms: dict[tuple, int] = {}
        for m in re.finditer(pat, text):
            forms[m.groups()] = forms.get(m.groups(), 0) + 1
        zform = tuple([ZWNJ] * (len(parts) - 1))
        best = max(forms, key=forms.get)
        if best == zform:
            tp += forms[best]
            fp += sum(forms.values()) - forms[best]
        else:
            fn += forms.get(zform, 0)
    return tp, fp, fn


def project_texts() -> list[str]:
    """The project-written development set (see the module docstring)."""
    texts = []
    for path in sorted((ROOT / "corpora" / "cap").glob("cap-*.jsonl")):
        for line in path.open(encoding="utf-8"):
            if line.strip():
                text = json.loads(line)["text"]
                if ZWNJ in text:
                    texts.append(text)
    for line in (ROOT / "corpora" / "sample" / "articles.jsonl").open(encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            texts.append(row["title"] + "\n" + row["text"])
    return texts


def corrupt(text: str, mode: str) -> str:
    if mode == "clean":
        return text
    return text.replace(ZWNJ, "" if mode == "strip" else " ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--no-hazm", action="store_true")
    ap.add_argument("--data", choices=("hamshahri", "project"), default="hamshahri",
                    help="evaluation file (default) or the project's own corpora (a development set)")
    args = ap.parse_args()
    if args.data == "project":
        gold, name = project_texts(), "the project's corpora (cap lines with a ZWNJ + sample articles)"
    elif not DATA.exists():
        print(f"evaluation data {DATA} not available")
        return
    else:
        gold = [json.loads(line)["text"] for line in DATA.open(encoding="utf-8") if line.strip()]
        name = DATA.name
    if args.limit:
        gold = gold[: args.limit]

    from fa_policy_nlp.normalize import Normalizer, _wordfreq_fa

    systems = {"none": lambda s: s, "fa-policy-nlp rules": Normalizer(wordfreq=False).normalize}
    if _wordfreq_fa() is not None:
        systems["fa-policy-nlp +wf"] = Normalizer().normalize
    if not args.no_hazm:
        import hazm

        systems["hazm"] = hazm.Normalizer().normalize

    last = "fa-policy-nlp +wf" if "fa-policy-nlp +wf" in systems else "fa-policy-nlp rules"
    print(f"ZWNJ restoration on {name}: {len(gold)} records, "
          f"{sum(t.count(ZWNJ) for t in gold)} gold ZWNJs in "
          f"{sum(1 for t in gold for _, w in words(t)[1] if ZWNJ in w)} words")
    print(f"{'system':<20}{'mode':<7}{'TP':>7}{'FP':>7}{'FN':>7}{'precision':>11}{'recall':>8}{'F1':>8}{'sec':>7}")
    for name, fn_ in systems.items():
        for mode in ("strip", "space", "clean"):
            inputs = [corrupt(t, mode) for t in gold]
            t0 = time.perf_counter()
            outs = [fn_(t) for t in inputs]
            secs = time.perf_counter() - t0
            tp, fp, fn = score(gold, outs)
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"{name:<20}{mode:<7}{tp:>7}{fp:>7}{fn:>7}{p:>11.3f}{r:>8.3f}{f1:>8.3f}{secs:>7.2f}")
            if args.errors and name == last:
                shown = 0
                for g, o in zip(gold, outs):
                    gz, oz, gw, ow = zwnj_words(g, o)
                    gmap, omap = dict(gw), dict(ow)
                    for p_, w in sorted(oz - gz):
                        print(f"  {mode} FP {w!r} gold={gmap.get(p_)!r}", file=sys.stderr)
                        shown += 1
                    for p_, w in sorted(gz - oz):
                        print(f"  {mode} FN gold={w!r} out={omap.get(p_)!r}", file=sys.stderr)
                        shown += 1
                    if shown >= args.errors:
                        break
    tp, fp, fn = ceiling(gold)
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(f"{'ceiling (oracle)':<20}{'space':<7}{tp:>7}{fp:>7}{fn:>7}{p:>11.3f}{r:>8.3f}{2 * p * r / (p + r):>8.3f}"
          "   (majority gold spelling of each ZWNJ word; the gold's own inconsistency)")


if __name__ == "__main__":
    main()
