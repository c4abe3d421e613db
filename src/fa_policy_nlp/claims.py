"""Claims stage (PROVISIONAL placeholder: finds nothing yet; the claims issue implements it)."""
from __future__ import annotations


class ClaimExtractor:
    def __call__(self, doc) -> None:
        doc.article.claims = []
