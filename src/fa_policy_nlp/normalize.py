"""Normalisation with an offset map back to the raw input.

PROVISIONAL: only same-length character unification for now (the foundation issue replaces this with the
hazm-based normaliser that restores ZWNJ). The public interface below is what the other stages rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .errors import require_str
from .types import Span

_TRANSLATE = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه"})


@dataclass(slots=True)
class NormalizedText:
    """Normalised text plus the map back to the raw input.

    ``starts[i]`` is the raw offset where normalised character ``i`` begins, ``ends[i]`` the raw offset where it
    ends; inserted characters (e.g. a restored ZWNJ) get an empty raw extent at their insertion point.
    """

    raw: str
    text: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in normalised text

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to raw offsets ``(rs, re)`` with ``0 <= rs <= re <= len(raw)``."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.starts[start] if start < n else len(self.raw)
            return pos, pos
        rs = self.starts[start]
        re_ = self.ends[end - 1]
        return rs, max(rs, re_)

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for the normalised span ``[start, end)``, with raw text and offsets."""
        rs, re_ = self.to_raw(start, end)
        return Span(self.raw[rs:re_], rs, re_, self.text[start:end])


class Normalizer:
    """Build once, reuse: ``Normalizer().normalize(text)``."""

    def normalize(self, text: str) -> str:
        return require_str(text).translate(_TRANSLATE)

    def normalize_with_offsets(self, text: str) -> NormalizedText:
        text = require_str(text)
        norm = text.translate(_TRANSLATE)
        idx = list(range(len(norm)))
        paras, pos = [], 0
        for line in norm.split("\n"):
            paras.append((pos, pos + len(line)))
            pos += len(line) + 1
        return NormalizedText(text, norm, idx, [i + 1 for i in idx], paras)


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    return Normalizer()


def normalize(text: str) -> str:
    """Normalise Persian text (see :class:`Normalizer`)."""
    return default_normalizer().normalize(text)
