"""Score `analyze()` on the hand-annotated example article (../shared/seed/gold.json): the first acceptance test.

Matching rules (per paragraph = 1-based line of the raw file):
- figures: a gold figure is found when a predicted figure in the same paragraph has the same surface text; its value
  is right when equal (relative 1e-9). Precision counts predicted non-ordinal figures (ordinals are not figures).
- dates: found when a predicted date in the same paragraph has the same surface; right when start/end dates agree
  (for `یک سال گذشته` either accepted start).
- officials: a gold official matches the predicted official whose name key (ZWNJ/space/hamza-insensitive) equals
  or ends with the gold name's surname; extra persons are predicted officials matching no gold official.
- mentions: a gold mention is linked when a mention with the same key in that paragraph belongs to the matched official.
- claims: the speaker of a paragraph is the speaker of its first claim (None when there is none, or narration).
- domain: accuracy of the paragraph's first claim's `domain` on the gold claims marked `clear_domain`.
"""

from __future__ import annotations

import json
import math

from _common import SHARED, need, table


def main() -> dict:
    from fa_policy_nlp import analyze
    from fa_policy_nlp.keys import match_key as K

    gold = json.loads(need(SHARED / "seed" / "gold.json").read_text(encoding="utf-8"))
    raw = (SHARED / "seed" / gold["article"]).read_text(encoding="utf-8")
    art = analyze(raw, published=gold["published"])
    line_starts = [0]
    for i, ch in enumerate(raw):
        if ch == "\n":
            line_starts.append(i + 1)

    def para(offset: int) -> int:
        import bisect

        return bisect.bisect_right(line_starts, offset)

    for item in [*art.figures, *art.dates, *art.claims]:
        assert raw[item.start:item.end] == item.text, "offset invariant broken"

    # figures
    preds = [f for f in art.figures if f.kind != "ordinal"]
    found = right = 0
    for g in gold["figures"]:
        m = [f for f in preds if para(f.start) == g["paragraph"] and f.text == g["surface"]]
        if m:
            found += 1
            if m[0].value is not None and math.isclose(float(m[0].value), g["value"], rel_tol=1e-9):
                right += 1
    fig_p = found / len(preds) if preds else 0.0
    fig_r = found / len(gold["figures"])
    # dates
    dfound = dright = 0
    for g in gold["dates"]:
        m = [d for d in art.dates if para(d.start) == g["paragraph"] and d.text == g["surface"]]
        if m:
            dfound += 1
            d = m[0]
            starts = {g["start"], "2024-10-06"} if g["surface"] == "یک سال گذشته" else {g["start"]}
            if d.start_date and d.start_date.isoformat() in starts and d.end_date and d.end_date.isoformat() == g["end"]:
                dright += 1
    # officials
    matched = {}
    for g in gold["officials"]:
        surname = K(g["name"].split()[-1])
        for o in art.officials:
            if o.name and K(o.name).endswith(surname):
                matched[g["id"]] = o
                break
    extra = [o for o in art.officials if o not in matched.values()]
    roles_ok = sum(1 for g in gold["officials"] if g["id"] in matched and matched[g["id"]].role
                   and K(matched[g["id"]].role) == K(g["role"]))
    gm = lm = 0
    for g in gold["officials"]:
        o = matched.get(g["id"])
        for p, surfaces in g["mentions_by_paragraph"].items():
            for s in surfaces:
                gm += 1
                if o and any(para(m.start) == int(p) and K(m.text) == K(s) for m in o.mentions):
                    lm += 1
    # claims
    id_map = {o.id: gid for gid, o in matched.items()}
    sp_ok = dom_ok = dom_n = 0
    for g in gold["claims"]:
        cs = [c for c in art.claims if para(c.start) == g["paragraph"]]
        speaker = id_map.get(cs[0].speaker, cs[0].speaker) if cs else None
        sp_ok += speaker == g["speaker"]
        if g["clear_domain"]:
            dom_n += 1
            dom_ok += bool(cs) and cs[0].domain == str(g["cap"])
    rows = [
        ["figures recall", fig_r, ">= 0.95"],
        ["figures precision", fig_p, ">= 0.90"],
        ["figure values right (of gold)", right / len(gold["figures"]), ""],
        ["dates recall", dfound / len(gold["dates"]), ">= 0.95"],
        ["dates resolved right (of gold)", dright / len(gold["dates"]), ""],
        ["officials found (of 3)", f"{len(matched)}/3", "3/3"],
        ["extra persons", len(extra), "0"],
        ["roles right (of 3)", f"{roles_ok}/3", "3/3"],
        ["gold mentions linked", lm / gm, ""],
        ["claim speaker right (18 paragraphs)", sp_ok / len(gold["claims"]), ">= 0.90"],
        ["domain accuracy, clear claims", f"{dom_ok}/{dom_n}", ""],
    ]
    print("example article ../shared/seed/mehr-interior-ministry.txt against gold.json")
    print(table(["measure", "value", "target"], rows))
    return {r[0]: r[1] for r in rows}


if __name__ == "__main__":
    main()
