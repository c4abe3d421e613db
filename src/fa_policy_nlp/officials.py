"""Officials stage (PROVISIONAL placeholder: finds nothing yet; the officials issue implements it)."""
from __future__ import annotations


class OfficialExtractor:
    def __call__(self, doc) -> None:
        doc.article.officials = []
