"""Snapshot the full analysis output of a fixed set of articles, and compare a later run with it.

For performance work: a speed-up must not change any output. Save a snapshot before the change, check after it:

    .venv/bin/python scripts/output_snapshot.py save /tmp/before.jsonl
    # ... change the code ...
    .venv/bin/python scripts/output_snapshot.py check /tmp/before.jsonl

The articles are the 32 of ``corpora/sample/articles.jsonl`` and, when ``../shared`` exists, the 1,500 Fars News
articles of ``../shared/bench`` (read-only benchmark data; nothing of it is written into the repository). One line
per article: ``Article.to_dict()`` as canonical JSON. ``check`` prints the first differing fields and exits 1 when
any article differs. The package is imported from this checkout's ``src/`` (so a git worktree checks its own code).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH = ROOT.parent / "shared" / "bench" / "fars-news"


def inputs() -> Iterator[tuple[str, str | None]]:
    if BENCH.is_dir():
        for path in sorted(BENCH.glob("fars-news-*.json")):
            for a in json.loads(path.read_text(encoding="utf-8")):
                parts = [a.get("title") or "", a.get("abstract") or "", *(a.get("paragraphs") or [])]
                yield "\n".join(p for p in parts if p), None
    for line in (ROOT / "corpora" / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield row["title"] + "\n" + row["text"], row["published"]


def snapshot() -> Iterator[str]:
    from fa_policy_nlp.pipeline import Pipeline

    pipe = Pipeline()
    for text, published in inputs():
        yield json.dumps(pipe(text, published=published).to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__)
        return 2
    import fa_policy_nlp

    print(f"package: {fa_policy_nlp.__file__}", file=sys.stderr)
    path = Path(argv[1])
    if argv[0] == "save":
        lines = list(snapshot())
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"saved {len(lines)} articles to {path}")
        return 0
    base = path.read_text(encoding="utf-8").splitlines()
    new = list(snapshot())
    if len(new) != len(base):
        print(f"{len(base)} articles in the snapshot, {len(new)} now (was ../shared there both times?)")
        return 1
    bad = 0
    for i, (old_line, new_line) in enumerate(zip(base, new)):
        if old_line != new_line:
            bad += 1
            if bad <= 3:
                old, cur = json.loads(old_line), json.loads(new_line)
                for key in old:
                    if old[key] != cur.get(key):
                        print(f"article {i}: {key!r} differs\n  before {str(old[key])[:400]}\n  after  "
                              f"{str(cur.get(key))[:400]}")
    print(f"{bad} of {len(base)} articles differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
