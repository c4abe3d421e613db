"""pandas API: analyse a DataFrame of articles into the same tables as ``fa-policy extract``."""

from __future__ import annotations

from typing import Any

from ..tables import TABLES, article_rows, empty_rows, rows_to_frames


def analyze_frame(df: Any, text_col: str | list[str] = "text", *, date_col: str | None = None,
                  id_col: str | None = None, source_col: str | None = None, model: Any = None,
                  errors: str = "raise") -> dict[str, Any]:
    """Analyse every row of ``df`` and return ``{"articles": DataFrame, "claims": …, "figures": …, "dates": …,
    "officials": …, "mentions": …}`` keyed by ``article_id`` (the ``id_col`` value, or the row index).

    ``text_col`` may name several columns (joined with a newline). ``errors="skip"`` leaves out rows that fail
    (their ids are listed in ``result["errors"]``) instead of raising.

    >>> import pandas as pd
    >>> tables = analyze_frame(pd.DataFrame({"text": ["وزیر کشور گفت: ۱۵ درصد کاهش یافت."]}))
    >>> sorted(tables)[:3]
    ['articles', 'claims', 'dates']
    """
    import pandas as pd

    from ..pipeline import default_pipeline

    if errors not in ("raise", "skip"):
        raise ValueError("errors must be 'raise' or 'skip'")
    cols = [text_col] if isinstance(text_col, str) else list(text_col)
    missing = [c for c in cols + [date_col, id_col, source_col] if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"column(s) not in the DataFrame: {', '.join(missing)}")
    pipe = default_pipeline(model)
    rows = empty_rows()
    failed: list[dict[str, Any]] = []
    for index, rec in zip(df.index, df.to_dict("records")):
        aid = str(rec[id_col]) if id_col else str(index)
        text = "\n".join(str(rec[c]) for c in cols if rec[c] is not None and not pd.isna(rec[c]))
        try:
            art = pipe(text, published=rec[date_col] if date_col and not pd.isna(rec[date_col]) else None,
                       source=rec[source_col] if source_col else None, id=aid)
        except Exception as exc:
            if errors == "raise":
                raise
            failed.append({"article_id": aid, "reason": f"{type(exc).__name__}: {exc}"})
            continue
        part = article_rows(art, article_id=aid)
        for name in TABLES:
            rows[name].extend(part[name])
    frames = rows_to_frames(rows)
    frames["errors"] = pd.DataFrame(failed, columns=["article_id", "reason"])
    return frames
