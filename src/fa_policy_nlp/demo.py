"""Print a short summary of an ``fa-policy extract`` output folder (used by ``make demo``)."""

from __future__ import annotations

import sys
from pathlib import Path


def summarize(folder: str | Path) -> str:
    import pandas as pd

    folder = Path(folder)
    t = {name: pd.read_parquet(folder / f"{name}.parquet")
         for name in ("articles", "claims", "figures", "dates", "officials")}
    lines = [
        f"articles: {len(t['articles'])}  claims: {len(t['claims'])}  figures: {len(t['figures'])}  "
        f"dates: {len(t['dates'])}  officials: {len(t['officials'])}",
    ]
    if len(t["articles"]) and t["articles"]["domain"].notna().any():
        top = t["articles"]["domain"].value_counts().head(5)
        lines.append("top article domains (CAP): " + ", ".join(f"{k}×{v}" for k, v in top.items()))
    if len(t["officials"]):
        names = t["officials"]["name"].fillna(t["officials"]["role"]).value_counts().head(5)
        lines.append("most present officials: " + "، ".join(f"{k} ({v})" for k, v in names.items()))
    money = (t["figures"][t["figures"]["kind"] == "money"].drop_duplicates(["article_id", "text"])
             .sort_values("value", ascending=False).head(3))
    for _, f in money.iterrows():
        lines.append(f"largest money figure: {f['text']} = {f['value']:.3g} {f['currency'] or ''} ({f['article_id']})")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(summarize(sys.argv[1] if len(sys.argv) > 1 else "demo-out"))
