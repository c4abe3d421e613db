"""spaCy component ``fa_policy``: the toolkit as a pipeline step.

After ``pip install fa-policy-nlp[spacy]`` the factory is found through the ``spacy_factories`` entry point::

    import spacy
    nlp = spacy.blank("fa")          # the "fa" vocab makes displacy render right-to-left
    nlp.add_pipe("fa_policy")
    doc = nlp(text)
    doc.ents, doc.spans["claims"], doc._.claims, doc._.officials, doc._.figures, doc._.dates, doc.cats

The Doc is built on the original text, so offsets never drift; the normalised form of each token (ZWNJ restored,
letters unified) is put in ``token.norm_``. Entities come from officials' mentions (``OFFICIAL``), figures
(``MONEY``, ``PERCENT``, ``QUANTITY``, ``ORDINAL``) and dates (``DATE``).

Alignment policy: a span is snapped to spaCy tokens with ``alignment_mode="contract"`` (tokens fully inside the
span); if that leaves nothing, ``"expand"`` (tokens touching the span). Overlapping entities are resolved with
``spacy.util.filter_spans`` (longest first). Spans that cannot be aligned are counted in
``doc._.fa_policy_unaligned``. Extension values are plain dicts/lists (msgpack-serialisable), so ``DocBin`` with
``store_user_data=True`` round-trips them. Set ``doc._.published`` (ISO or Jalali string) before the component runs
to resolve relative dates, or give ``published`` in the component config.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

FACTORY = "fa_policy"
EXTENSIONS = ("claims", "officials", "figures", "dates", "published", "fa_policy_unaligned")
FIGURE_LABELS = {"money": "MONEY", "percent": "PERCENT", "count": "QUANTITY", "measure": "QUANTITY",
                 "ordinal": "ORDINAL"}


def _install_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="contract")
    if span is None or len(span) == 0:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span if span is not None and len(span) else None


class FaPolicyComponent:
    """Runs :class:`fa_policy_nlp.pipeline.Pipeline` on ``doc.text`` and writes the results onto the Doc."""

    def __init__(self, nlp: Language, name: str = FACTORY, *, model: str | None = None,
                 stages: list[str] | None = None, published: str | None = None, entities: bool = True) -> None:
        from ..pipeline import STAGES, Pipeline

        self.name = name
        self.model = model
        self.stages = list(stages) if stages else list(STAGES)
        self.published = published
        self.entities = entities
        self.pipeline = Pipeline(stages=self.stages, model=model or None)
        _install_extensions()

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published or self.published
        art = self.pipeline(doc.text, published=published)
        unaligned = 0
        if self.entities:
            spans: list[Span] = []
            for o in art.officials:
                for m in o.mentions:
                    if m.kind in ("name", "surname", "role"):
                        s = _char_span(doc, m.start, m.end, "OFFICIAL")
                        unaligned += s is None
                        if s is not None:
                            spans.append(s)
            for f in art.figures:
                s = _char_span(doc, f.start, f.end, FIGURE_LABELS.get(f.kind, "QUANTITY"))
                unaligned += s is None
                if s is not None:
                    spans.append(s)
            for d in art.dates:
                s = _char_span(doc, d.start, d.end, "DATE")
                unaligned += s is None
                if s is not None:
                    spans.append(s)
            doc.ents = filter_spans(spans)
        claim_spans = []
        for c in art.claims:
            s = _char_span(doc, c.start, c.end, "CLAIM")
            if s is not None:
                claim_spans.append(s)
        doc.spans["claims"] = claim_spans
        doc._.claims = [c.to_dict() for c in art.claims]
        doc._.officials = [o.to_dict() for o in art.officials]
        doc._.figures = [f.to_dict() for f in art.figures]
        doc._.dates = [d.to_dict() for d in art.dates]
        doc._.fa_policy_unaligned = unaligned
        if art.domain_scores:
            doc.cats = {str(k): float(v) for k, v in art.domain_scores.items()}
        for t in art.tokens:
            s = doc.char_span(t.start, t.end)
            if s is not None and len(s) == 1 and t.norm and t.norm != s[0].text:
                s[0].norm_ = t.norm
        return doc


@Language.factory(
    FACTORY,
    default_config={"model": None, "stages": None, "published": None, "entities": True},
)
def make_fa_policy(nlp: Language, name: str, model: str | None, stages: list[str] | None,
                   published: str | None, entities: bool) -> FaPolicyComponent:
    """spaCy factory (registered under ``fa_policy``; version 1 of its config)."""
    return FaPolicyComponent(nlp, name, model=model, stages=stages, published=published, entities=entities)


def set_extensions() -> None:
    """Install the Doc extensions (idempotent); needed before reading a DocBin in a fresh process."""
    _install_extensions()


__all__ = ["FaPolicyComponent", "make_fa_policy", "set_extensions", "FACTORY"]
