"""Figures stage (PROVISIONAL placeholder: finds nothing yet; the figures issue implements it)."""
from __future__ import annotations


class FigureExtractor:
    def __call__(self, doc) -> None:
        doc.article.figures = []
