"""The analysis pipeline: ordered stages, heavy objects built once per process.

Each stage is a small object with ``__call__(doc: Doc) -> None`` that reads the normalised text (``doc.nt``) and the
article built so far, and fills its own fields of ``doc.article``. Stages find spans in normalised text and report
raw offsets through ``doc.nt.span(start, end)`` / ``doc.nt.to_raw``.
"""

from __future__ import annotations

import datetime as _dt
import os
from time import perf_counter
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .calendar import parse_published
from .errors import require_str
from .normalize import NormalizedText, Normalizer, default_normalizer
from .segment import Segmenter
from .types import Article

STAGES = ("figures", "dates", "officials", "claims", "domain")


@dataclass(slots=True)
class Doc:
    """What stages share: the normalised text with its offset map and the article being filled."""

    nt: NormalizedText
    article: Article

    @property
    def published(self) -> _dt.date | None:
        return self.article.published


def _build_stage(name: str, model: Any = None) -> Callable[[Doc], None]:
    if name == "figures":
        from .figures import FigureExtractor

        return FigureExtractor()
    if name == "dates":
        from .dates import DateExtractor

        return DateExtractor()
    if name == "officials":
        from .officials import OfficialExtractor

        return OfficialExtractor()
    if name == "claims":
        from .claims import ClaimExtractor

        return ClaimExtractor()
    if name == "domain":
        from .domain import DomainAnnotator

        return DomainAnnotator(model)
    raise ValueError(f"unknown stage {name!r}; choose from {', '.join(STAGES)}")


class Pipeline:
    """Build once per process and call for each article.

    ``stages`` picks a subset of :data:`STAGES` (always run in pipeline order); ``model`` is the domain model
    (None = the shipped CAP model, a path to a model from ``fa-policy train``, or a loaded model).

    >>> pipe = Pipeline(stages=("figures", "dates"))
    >>> art = pipe("حدود ۴ میلیون زائر در اربعین سال ۱۴۰۴ به عراق سفر کردند.", published="1404-07-14")
    >>> [(f.text, f.value, f.qualifier) for f in art.figures]
    [('۴ میلیون زائر', 4000000, 'حدود')]
    >>> [(d.text, d.jalali) for d in art.dates]
    [('سال ۱۴۰۴', '1404')]
    """

    def __init__(self, *, stages: Sequence[str] = STAGES, model: Any = None,
                 normalizer: Normalizer | None = None) -> None:
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise ValueError(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}")
        self.stage_names = tuple(s for s in STAGES if s in stages)  # canonical order
        self.normalizer = normalizer or default_normalizer()
        self.segmenter = Segmenter()
        self.stages = [_build_stage(name, model) for name in self.stage_names]

    def __call__(self, text: str, *, published: object = None, source: str | None = None,
                 id: str | None = None) -> Article:
        return self._run(text, published, source, id, None)

    def timed(self, text: str, *, published: object = None, times: dict[str, float]) -> Article:
        """Like calling the pipeline, adding each step's seconds to ``times`` (keys ``normalise``, ``segment``
        and the stage names): what ``benchmarks/analyze_cost.py`` reports per stage."""
        return self._run(text, published, None, None, times)

    def _run(self, text: str, published: object, source: str | None, id: str | None,
             times: dict[str, float] | None) -> Article:
        text = require_str(text)
        t0 = perf_counter() if times is not None else 0.0
        nt = self.normalizer.normalize_with_offsets(text)
        article = Article(text=text, normalized=nt.text, id=id, source=source,
                          published=parse_published(published))
        if times is not None:
            t1 = perf_counter()
            times["normalise"] = times.get("normalise", 0.0) + t1 - t0
            t0 = t1
        article.paragraphs, article.sentences, article.tokens = self.segmenter.segment(nt)
        doc = Doc(nt, article)
        if times is None:
            for stage in self.stages:
                stage(doc)
            return article
        t1 = perf_counter()
        times["segment"] = times.get("segment", 0.0) + t1 - t0
        for name, stage in zip(self.stage_names, self.stages):
            t0 = perf_counter()
            stage(doc)
            times[name] = times.get(name, 0.0) + perf_counter() - t0
        return article


_PIPELINES: dict[Any, tuple[Any, Pipeline]] = {}


def default_pipeline(model: Any = None) -> Pipeline:
    """The process-wide pipeline for ``model`` (None = shipped CAP model, a path, or a loaded model), built once."""
    if model is None:
        key: Any = None
    elif isinstance(model, (str, os.PathLike)):
        key = os.path.abspath(model)
    else:
        key = id(model)
    hit = _PIPELINES.get(key)
    if hit is None:
        hit = _PIPELINES[key] = (model, Pipeline(model=model))
    return hit[1]


def analyze(text: str, *, published: object = None, source: str | None = None, id: str | None = None,
            model: Any = None) -> Article:
    """Analyse one article.

    >>> art = analyze("اسکندر مؤمنی وزیر کشور گفت: ۱۵ درصد کاهش یافت.", published="1404-07-14")
    >>> [f.text for f in art.figures]
    ['۱۵ درصد']
    """
    return default_pipeline(model)(text, published=published, source=source, id=id)
