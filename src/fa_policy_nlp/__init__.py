"""fa-policy-nlp: structured, citable data from Persian (Farsi) news for policy research.

>>> from fa_policy_nlp import analyze
>>> article = analyze(text, published="1404-07-14")
"""

from __future__ import annotations

from .errors import FaPolicyError, InputError, ModelError, ResourceError, WorkerError
from .normalize import Normalizer, NormalizedText, normalize
from .pipeline import Pipeline, analyze
from .types import (Article, Claim, DateMention, Figure, Mention, Official, Paragraph, Prediction, Sentence,
                    Span, Token, Tokens)

# The one place the version is written (pyproject.toml reads it from here): reading it back with
# importlib.metadata would cost ~0.2 s of every start-up (and of every --jobs worker).
__version__ = "0.1.0"

# Heavier entry points are imported on first use (PEP 562), so `import fa_policy_nlp` stays light.
_LAZY = {
    "parse_number": ("numbers", "parse_number"),
    "parse_date": ("dates", "parse_date"),
    "extract_figures": ("figures", "extract_figures"),
    "extract_dates": ("dates", "extract_dates"),
    "find_persons": ("officials", "find_persons"),
    "classify": ("domain", "classify"),
    "load_model": ("domain", "load_model"),
    "train_model": ("training", "train_model"),
    "analyze_frame": ("adapters.pandas", "analyze_frame"),
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "__version__",
    "analyze",
    "analyze_frame",
    "classify",
    "extract_dates",
    "extract_figures",
    "find_persons",
    "load_model",
    "parse_date",
    "parse_number",
    "train_model",
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
    "Tokens",
    "FaPolicyError",
    "InputError",
    "ModelError",
    "ResourceError",
    "WorkerError",
]
