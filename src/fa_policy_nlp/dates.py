"""Dates stage (PROVISIONAL placeholder: finds nothing yet; the dates issue implements it)."""
from __future__ import annotations


class DateExtractor:
    def __call__(self, doc) -> None:
        doc.article.dates = []
