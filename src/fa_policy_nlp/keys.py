"""Matching keys that ignore orthographic variation (ZWNJ, spaces, hamza and yeh/kaf variants, diacritics).

``match_key("رئیس‌جمهور") == match_key("رئیس جمهور") == match_key("رييسجمهور")`` and
``match_key("مؤمنی") == match_key("مومنی")``; ``match_key("بطحائی") == match_key("بطحایی")``.
Use it for dictionary look-ups (gazetteers, unit lists), never for reporting text.
"""

from __future__ import annotations

import re

# Folding table: Arabic yeh/kaf, alef variants, hamza carriers, teh marbuta, digits.
_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ؤ": "و", "أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا",
    "ة": "ه", "ۀ": "ه", "ء": None,
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
# ZWNJ, ZWJ, bidi marks, tatweel, Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef), spaces.
_DROP = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\u0640\u064b-\u065f\u0670]+")


def match_key(text: str) -> str:
    """A key for comparing Persian names, roles and words regardless of spacing and spelling variants."""
    return _DROP.sub("", text.translate(_FOLD))


class Memo(dict):
    """A pure function of one string, memoised in a plain dict for the stages' hot loops.

    ``map(memo.__getitem__, strings)`` costs one C dict look-up per string seen before (an ``lru_cache`` also
    reorders its recency list on every hit); ``__missing__`` computes and stores a new value, emptying the memo
    first when it holds ``limit`` entries (bounded memory on endless input). The function is pure, so the memo
    changes no value.
    """

    __slots__ = ("func", "limit")

    def __init__(self, func, limit: int) -> None:
        super().__init__()
        self.func, self.limit = func, limit

    def __missing__(self, arg: str):
        if len(self) >= self.limit:
            self.clear()
        value = self[arg] = self.func(arg)
        return value


WORD_KEYS = Memo(match_key, 200_000)
word_key = WORD_KEYS.__getitem__  # match_key of one running-text word, memoised per process (shared by the stages)
