"""fa-policy-nlp: structured, citable data from Persian (Farsi) news for policy research.

>>> from fa_policy_nlp import analyze
>>> article = analyze(text, published="1404-07-14")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

from .errors import FaPolicyError, InputError, ModelError, ResourceError
from .normalize import Normalizer, NormalizedText, normalize
from .pipeline import Pipeline, analyze
from .types import (Article, Claim, DateMention, Figure, Mention, Official, Paragraph, Prediction, Sentence,
                    Span, Token)

try:
    __version__ = _version("fa-policy-nlp")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "analyze",
    "normalize",
    "Normalizer",
    "NormalizedText",
    "Pipeline",
    "Article",
    "Claim",
    "DateMention",
    "Figure",
    "Mention",
    "Official",
    "Paragraph",
    "Prediction",
    "Sentence",
    "Span",
    "Token",
    "FaPolicyError",
    "InputError",
    "ModelError",
    "ResourceError",
]
