"""Paragraph, sentence and word segmentation as spans with raw offsets.

:class:`Segmenter` wraps hazm's ``SentenceTokenizer`` and ``WordTokenizer(join_verb_parts=False)`` (built once per
process, on first use, so that ``import fa_policy_nlp`` stays light) and turns their bare strings back into spans:
each sentence/token is located in the normalised paragraph from a moving cursor and mapped to raw offsets through
:meth:`NormalizedText.span`. With ``join_verb_parts=False`` every token is a substring of the text (no ``شده_است``).

* paragraphs: one per non-blank line of the input (``NormalizedText.paragraphs``); a sentence never crosses one;
* sentences: hazm splits after ``. ! ? ؟`` followed by a space; the text after a reporting colon (``گفت:``) stays in
  its sentence, and sentences inside an open ``«…»`` quotation are merged until the quotation closes;
* tokens: hazm's word tokens (punctuation separate, numbers with their decimal separator kept whole).

Speed: for ``join_verb_parts=False`` hazm's word tokenizer is one ``re.sub`` that pads punctuation and digit runs
with spaces followed by ``split(" ")``; :data:`_WORD_TOKEN` is the same rule as one ``finditer`` that yields the
token offsets directly (no re-location of token strings). Its sentence tokenizer is likewise one regex
(:data:`_SENT_END`), applied in place for single-line text. Both are checked against hazm itself in
``tests/test_segment.py`` (property test); text with a newline still goes through hazm.
"""

from __future__ import annotations

import dataclasses
import gc
import re
from functools import lru_cache

from .normalize import NormalizedText
from .types import Paragraph, Sentence, Token

_GC_PAUSE_CHARS = 100_000  # texts at least this long are segmented with the garbage collector paused


# A sentence also ends after a closing guillemet that follows final punctuation: «... کنیم.» او افزود
_QUOTE_END = re.compile(r"(?<=[.!?؟]») +")
# Numbers hazm cuts at the separator (۱۲٫۵ -> ۱۲ ٫ ۵; ۱۴۰۴/۰۷/۱۴) are glued back into one token.
_NUMBER = re.compile(r"\d+(?:[٫٬.,/:]\d+)*")
# what may follow a string matching _NUMBER (which ends with a digit) so that the whole still matches it
_NUMBER_TAIL = re.compile(r"\d*(?:[٫٬.,/:]\d+)*")
# hazm.WordTokenizer(join_verb_parts=False).tokenize as offsets: its pattern ([؟!?]+|[\d.:]+|one punctuation mark)
# padded with spaces, then split on space/newline/tab: every other run of characters is one token.
_HAZM_PUNCT = r':.،؛»\])}"«\[({/\\'
# The alternatives start with disjoint characters (: and . go to [\d.:]+, before the punctuation class), so their order
# does not change the matches: the common one, a word, is tried first.
_WORD_TOKEN = re.compile(rf"[^ \n\t؟!?\d.:{_HAZM_PUNCT}]+|[\d.:]+|[؟!?]+|[{_HAZM_PUNCT}]")
_ANY_DIGIT = re.compile(r"\d")
_SPAN = re.Match.span
# hazm.SentenceTokenizer: a sentence ends after a run of final punctuation followed by spaces/newlines. hazm's
# ([!.?⸮؟]+)[ \n]+ is quadratic on a long run of such marks (retried from every mark of the run); a match can only
# start where a run starts and the run is taken whole (atomic), which finds the same matches in linear time.
_SENT_END = re.compile(r"(?<![!.?⸮؟])((?>[!.?⸮؟]+))[ \n]+")


def _token_slot_setters():
    """The slot setters of ``Token`` (text, start, end, norm, sentence), to build tokens about twice as fast.

    ``Token`` is a frozen slotted dataclass: its generated ``__init__`` sets each field through
    ``object.__setattr__``. Articles have hundreds of tokens, so :meth:`Segmenter.segment` creates the instance with
    ``object.__new__`` and fills its five slots through their slot descriptors directly -- what that ``__init__``
    does, minus the attribute look-ups. ``None`` (use ``Token(...)``) unless ``Token`` is exactly such a class (these
    five fields, no ``__post_init__``, no ``__new__``).
    """
    names = ("text", "start", "end", "norm", "sentence")
    if (tuple(f.name for f in dataclasses.fields(Token)) != names or hasattr(Token, "__post_init__")
            or getattr(Token, "__slots__", None) != names or Token.__new__ is not object.__new__):
        return None
    return tuple(Token.__dict__[n].__set__ for n in names)


_SLOT_SETTERS = _token_slot_setters()


@lru_cache(maxsize=1)
def _hazm_tokenizers():
    from hazm.sentence_tokenizer import SentenceTokenizer  # imports hazm (and nltk): ~2 s, once per process
    from hazm.word_tokenizer import WordTokenizer

    return SentenceTokenizer(), WordTokenizer(join_verb_parts=False)


def _locate(parts: list[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of ``parts`` found in order in ``text[start:end]`` (parts not found are skipped)."""
    out = []
    cur = start
    for p in parts:
        k = text.find(p, cur, end)
        if k < 0:
            continue
        out.append((k, k + len(p)))
        cur = k + len(p)
    return out


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """hazm's sentence split of single-line ``text[start:end]`` as stripped, non-empty spans."""
    out: list[tuple[int, int]] = []
    cur = 0
    part = text[start:end]  # a slice: the look-behind must not see text before ``start``
    for m in _SENT_END.finditer(part):
        _strip_span(text, start + cur, start + m.end(1), out)
        cur = m.end()
    _strip_span(text, start + cur, end, out)
    return out


def _strip_span(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


def _merge_quotes(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Merge consecutive sentences from one that opens a « up to the one that closes it (same paragraph);
    a quotation that is never closed keeps hazm's split."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        depth = text.count("«", s, e) - text.count("»", s, e)
        j = i
        while depth > 0 and j + 1 < len(spans):
            j += 1
            depth += text.count("«", *spans[j]) - text.count("»", *spans[j])
        if depth > 0:  # never closed: keep hazm's split
            out.append((s, e))
            i += 1
        else:
            out.append((s, spans[j][1]))
            i = j + 1
    return out


class Segmenter:
    """Build once, reuse: ``Segmenter().segment(nt) -> (paragraphs, sentences, tokens)``."""

    def __init__(self) -> None:
        pass  # hazm is imported (~2 s) only for multi-line input to sentences(); see _WORD_TOKEN/_SENT_END

    def sentences(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans of ``text[start:end]`` (one paragraph) as offsets into ``text``."""
        end = len(text) if end is None else end
        if text.find("\n", start, end) < 0:
            spans = _sentence_spans(text, start, end)
        else:  # hazm turns newlines into spaces inside sentences: keep its exact behaviour
            spans = _locate(_hazm_tokenizers()[0].tokenize(text[start:end]), text, start, end)
        if text.find("«", start, end) < 0:
            return spans
        split: list[tuple[int, int]] = []
        for s, e in spans:
            for m in _QUOTE_END.finditer(text, s, e):
                split.append((s, m.start()))
                s = m.end()
            split.append((s, e))
        return _merge_quotes(split, text)

    def tokens(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Word-token spans of ``text[start:end]`` as offsets into ``text``."""
        end = len(text) if end is None else end
        if _ANY_DIGIT.search(text, start, end) is None:  # nothing to trim or glue (both need a \d digit)
            return list(map(_SPAN, _WORD_TOKEN.finditer(text, start, end)))
        out: list[tuple[int, int]] = []
        append = out.append
        number, tail = _NUMBER.fullmatch, _NUMBER_TAIL.fullmatch
        glued = -1  # start of the last glued number token
        for m in _WORD_TOKEN.finditer(text, start, end):
            span = m.span()
            s, e = span
            if not text[e - 1].isdecimal() and not text[s].isdigit():  # fast path: a word or punctuation
                append(span)
                continue
            k = e
            while k - 1 > s and text[k - 1] in ".:" and text[s].isdigit():  # "۱۲:۳۰." -> "۱۲:۳۰" "."
                k -= 1
            if k < e:
                append((s, k))
                span = (k, e)
            append(span)
            while len(out) >= 3 and out[-3][1] == out[-2][0] and out[-2][1] == out[-1][0]:
                s3 = out[-3][0]
                # a number glued before is known to match: only its new tail is checked (linear on ۱٫۱٫۱٫…)
                if not (tail(text, out[-2][0], out[-1][1]) if s3 == glued else number(text, s3, out[-1][1])):
                    break
                out[-3:] = [(s3, out[-1][1])]
                glued = s3
        return out

    def segment(self, nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], list[Token]]:
        """Paragraphs, sentences and tokens of the normalised text, with raw offsets.

        For long texts the cyclic garbage collector is paused while the spans are built (and restored after, if
        it was on): a 1 MB article makes hundreds of thousands of acyclic span objects, and the collector's
        passes over them made segmentation cost grow faster than the text (``benchmarks/scaling.py``).
        """
        if len(nt.text) < _GC_PAUSE_CHARS or not gc.isenabled():
            return self._segment(nt)
        gc.disable()
        try:
            return self._segment(nt)
        finally:
            gc.enable()

    def _segment(self, nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], list[Token]]:
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        tokens: list[Token] = []
        text, raw, starts, ends = nt.text, nt.raw, nt.starts, nt.ends
        append = tokens.append
        fast = _SLOT_SETTERS is not None
        new = object.__new__
        set_text, set_start, set_end, set_norm, set_sentence = _SLOT_SETTERS or (None,) * 5
        for ps, pe in nt.paragraphs:
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if ps >= pe:
                continue
            pi = len(paragraphs)
            sp = nt.span(ps, pe)
            paragraphs.append(Paragraph(sp.text, sp.start, sp.end, sp.norm, pi))
            for ss, se in self.sentences(text, ps, pe):
                si = len(sentences)
                sp = nt.span(ss, se)
                sentences.append(Sentence(sp.text, sp.start, sp.end, sp.norm, pi))
                for ts, te in self.tokens(text, ss, se):  # inlined nt.span(ts, te): tokens are never empty
                    rs = starts[ts]
                    re_ = ends[te - 1]
                    if re_ < rs:
                        re_ = rs
                    if fast:  # Token(...) without its __init__ (see _token_slot_setters)
                        tok = new(Token)
                        set_text(tok, raw[rs:re_])
                        set_start(tok, rs)
                        set_end(tok, re_)
                        set_norm(tok, text[ts:te])
                        set_sentence(tok, si)
                        append(tok)
                    else:
                        append(Token(raw[rs:re_], rs, re_, text[ts:te], si))
        return paragraphs, sentences, tokens
