"""Domain stage (PROVISIONAL placeholder: classifies nothing yet; the classifier issue implements it)."""
from __future__ import annotations


class DomainAnnotator:
    def __init__(self, model=None) -> None:
        self.model = model

    def __call__(self, doc) -> None:
        return None
