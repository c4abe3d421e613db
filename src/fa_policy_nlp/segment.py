"""Sentence and word segmentation as spans with raw offsets.

PROVISIONAL regex segmenter (the foundation issue replaces it with hazm's tokenisers built once).
"""

from __future__ import annotations

import re

from .normalize import NormalizedText
from .types import Paragraph, Sentence, Token

_SENT_END = re.compile(r"[^.!?؟\n]+(?:[.!?؟]+|$)")
_WORD = re.compile(r"\w+(?:\u200c\w+)*|[^\w\s]")


class Segmenter:
    def segment(self, nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], list[Token]]:
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        tokens: list[Token] = []
        for pi, (ps, pe) in enumerate(nt.paragraphs):
            if not nt.text[ps:pe].strip():
                continue
            sp = nt.span(ps, pe)
            paragraphs.append(Paragraph(sp.text, sp.start, sp.end, sp.norm, len(paragraphs)))
            for m in _SENT_END.finditer(nt.text, ps, pe):
                s, e = m.start(), m.end()
                while s < e and nt.text[s].isspace():
                    s += 1
                if s >= e:
                    continue
                ss = nt.span(s, e)
                si = len(sentences)
                sentences.append(Sentence(ss.text, ss.start, ss.end, ss.norm, len(paragraphs) - 1))
                for w in _WORD.finditer(nt.text, s, e):
                    ws = nt.span(w.start(), w.end())
                    tokens.append(Token(ws.text, ws.start, ws.end, ws.norm, si))
        return paragraphs, sentences, tokens
