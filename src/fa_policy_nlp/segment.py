"""Paragraph, sentence and word segmentation as spans with raw offsets.

:class:`Segmenter` wraps hazm's ``SentenceTokenizer`` and ``WordTokenizer(join_verb_parts=False)`` (built once per
process, on first use, so that ``import fa_policy_nlp`` stays light) and turns their bare strings back into spans:
each sentence/token is located in the normalised paragraph from a moving cursor and mapped to raw offsets as
:meth:`NormalizedText.span` does (read from its offset maps directly: spans here are never empty). With
``join_verb_parts=False`` every token is a substring of the text (no ``شده_است``).

* paragraphs: one per non-blank line of the input (``NormalizedText.paragraphs``); a sentence never crosses one;
* sentences: hazm splits after ``. ! ? ؟`` followed by a space; the text after a reporting colon (``گفت:``) stays in
  its sentence, and sentences inside an open ``«…»`` quotation are merged until the quotation closes;
* tokens: hazm's word tokens (punctuation separate, numbers with their decimal separator kept whole).

Speed: for ``join_verb_parts=False`` hazm's word tokenizer is one ``re.sub`` that pads punctuation and digit runs
with spaces followed by ``split(" ")``; :data:`_WORD_TOKEN` is the same rule as one ``finditer`` that yields the
token offsets directly (no re-location of token strings). Its sentence tokenizer is likewise one regex
(:data:`_SENT_END`), applied in place for single-line text. Both are checked against hazm itself in
``tests/test_segment.py`` (property test); text with a newline still goes through hazm. Tokens, sentences and
paragraphs are built through draft classes (:func:`_draft_class`). The tokens are not made by :meth:`Segmenter.segment`
but when first used (a lazy :class:`~fa_policy_nlp.types.Tokens` over :class:`_TokenSource`): making ~400 token
objects and their strings per article, and freeing them, was about a sixth of :func:`analyze`, and no stage reads them.
These fast paths are compared with their plain forms in ``tests/test_segment_fastpath.py`` and
``tests/test_normalize_fastpath.py``.
"""

from __future__ import annotations

import dataclasses
import gc
import re
from functools import lru_cache

from .normalize import NormalizedText
from .types import Paragraph, Sentence, Token, Tokens

_GC_PAUSE_CHARS = 100_000  # texts at least this long are segmented with the garbage collector paused
# Texts at least this long get their tokens at once rather than on first use: from about this length the offset map
# that a lazy Tokens keeps takes more memory than the tokens (news articles are a few thousand characters).
_EAGER_TOKENS_CHARS = 100_000


# A sentence also ends after a closing guillemet that follows final punctuation: «... کنیم.» او افزود (the split is at
# the spaces, group 1). The pattern starts with the guillemet rather than with a look-behind (like _SENT_END), so that
# the regex engine skips ahead to the next guillemet; it is searched within sentence spans, which never start with a
# space (they are stripped), so the guillemet of a split is always inside the span.
_QUOTE_END = re.compile(r"»(?<=[.!?؟]»)( +)")
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
# start where a run starts and the run is taken whole (possessive ``*+``), which finds the same matches in linear
# time. "Where a run starts" is checked by a look-behind placed *after* the first mark (the mark and the character
# before it are not both marks) rather than before it: a pattern that begins with a character class lets the regex
# engine skip ahead to the next mark, where one beginning with a look-behind is tried at every position (~3x slower
# on news paragraphs). The form with the look-behind first is the reference in tests/test_segment_fastpath.py.
_SENT_END = re.compile(r"([!.?⸮؟](?<![!.?⸮؟]{2})[!.?⸮؟]*+)[ \n]+")


def _draft_class(cls: type, names: tuple[str, ...]) -> type | None:
    """A plain class with the slot layout of ``cls``, whose instances are filled and then turned into ``cls`` ones.

    ``Token``, ``Sentence`` and ``Paragraph`` are frozen slotted dataclasses: their generated ``__init__`` sets each
    field through ``object.__setattr__`` (their own ``__setattr__`` refuses), which makes them slow to build, and an
    article has hundreds of tokens. :meth:`Segmenter.segment` instead fills an instance of this draft class with plain
    attribute stores (the interpreter's fast path for slots) and then assigns its ``__class__``: Python allows that
    between classes with the same layout (same base, same ``__slots__``), and the object is then exactly what
    ``cls(...)`` builds (same type, ==, hash, repr, pickling: tests/test_segment_fastpath.py). This is about 2.5x
    cheaper than that ``__init__`` and 1.4x cheaper than calling the slot descriptors' ``__set__``. ``None`` (use
    ``cls(...)``) unless ``cls`` is exactly such a class: the fields ``names`` as its slots, no ``__post_init__``,
    no ``__new__``, and the assignment accepted.
    """
    if (tuple(f.name for f in dataclasses.fields(cls)) != names or hasattr(cls, "__post_init__")
            or getattr(cls, "__slots__", None) != names or cls.__new__ is not object.__new__):
        return None
    draft = type(f"_{cls.__name__}Draft", (), {"__slots__": names, "__module__": __name__})
    try:
        draft().__class__ = cls
    except TypeError:
        return None
    return draft


_TOKEN_DRAFT = _draft_class(Token, ("text", "start", "end", "norm", "sentence"))
_SENTENCE_DRAFT = _draft_class(Sentence, ("text", "start", "end", "norm", "paragraph"))
_PARAGRAPH_DRAFT = _draft_class(Paragraph, ("text", "start", "end", "norm", "index"))


def _new_sentence(text: str, start: int, end: int, norm: str, paragraph: int) -> Sentence:
    """``Sentence(text, start, end, norm, paragraph)``, built through its draft (:func:`_draft_class`) if any."""
    if _SENTENCE_DRAFT is None:
        return Sentence(text, start, end, norm, paragraph)
    obj = _SENTENCE_DRAFT()
    obj.text = text
    obj.start = start
    obj.end = end
    obj.norm = norm
    obj.paragraph = paragraph
    obj.__class__ = Sentence
    return obj


def _new_paragraph(text: str, start: int, end: int, norm: str, index: int) -> Paragraph:
    """``Paragraph(text, start, end, norm, index)``, built through its draft (:func:`_draft_class`) if any."""
    if _PARAGRAPH_DRAFT is None:
        return Paragraph(text, start, end, norm, index)
    obj = _PARAGRAPH_DRAFT()
    obj.text = text
    obj.start = start
    obj.end = end
    obj.norm = norm
    obj.index = index
    obj.__class__ = Paragraph
    return obj


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
    if s < e and not text[s].isspace() and not text[e - 1].isspace():  # the usual case: nothing to strip
        out.append((s, e))
        return
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


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """:meth:`Segmenter.sentences` (a function: called once per paragraph)."""
    if text.find("\n", start, end) < 0:
        spans = _sentence_spans(text, start, end)
    else:  # hazm turns newlines into spaces inside sentences: keep its exact behaviour
        spans = _locate(_hazm_tokenizers()[0].tokenize(text[start:end]), text, start, end)
    if text.find("«", start, end) < 0:
        return spans
    split: list[tuple[int, int]] = []
    for s, e in spans:
        for m in _QUOTE_END.finditer(text, s, e):
            split.append((s, m.start(1)))
            s = m.end(1)
        split.append((s, e))
    return _merge_quotes(split, text)


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """:meth:`Segmenter.tokens` (a function: called once per sentence)."""
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


class Segmenter:
    """Build once, reuse: ``Segmenter().segment(nt) -> (paragraphs, sentences, tokens)``."""

    def __init__(self) -> None:
        pass  # hazm is imported (~2 s) only for multi-line input to sentences(); see _WORD_TOKEN/_SENT_END

    def sentences(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans of ``text[start:end]`` (one paragraph) as offsets into ``text``."""
        return _sentences(text, start, len(text) if end is None else end)

    def tokens(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Word-token spans of ``text[start:end]`` as offsets into ``text``."""
        return _tokens(text, start, len(text) if end is None else end)

    def segment(self, nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], Tokens]:
        """Paragraphs, sentences and tokens of the normalised text, with raw offsets.

        The tokens come as a lazy :class:`~fa_policy_nlp.types.Tokens`: the text is tokenised when the sequence is
        first used (``len()`` counts them, indexing or iterating builds the objects), not here; texts of
        ``_EAGER_TOKENS_CHARS`` or more are tokenised here (keeping their offset map would take more memory).

        For long texts the cyclic garbage collector is paused while the spans are built (and restored after, if
        it was on): a 1 MB article makes hundreds of thousands of acyclic span objects, and the collector's
        passes over them made segmentation cost grow faster than the text (``benchmarks/scaling.py``).
        """
        with _gc_paused(len(nt.text)):
            paragraphs, sentences, spans = self._segment(nt)
            source = _TokenSource(nt, spans)
            if len(nt.text) >= _EAGER_TOKENS_CHARS:  # the offset map would take more memory than the tokens
                return paragraphs, sentences, Tokens(source.build())
        return paragraphs, sentences, Tokens(source=source)

    def _segment(self, nt: NormalizedText) -> tuple[list[Paragraph], list[Sentence], list[tuple[int, int]]]:
        """Paragraphs, sentences and the normalised span of each sentence (what :class:`_TokenSource` needs)."""
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        spans: list[tuple[int, int]] = []
        text = nt.text
        for ps, pe in nt.paragraphs:
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if ps >= pe:
                continue
            pi = len(paragraphs)
            fields = nt.span_fields(ps, pe)
            paragraphs.append(_new_paragraph(*fields, pi))
            for ss, se in _sentences(text, ps, pe):
                # most paragraphs are one sentence: same span, so the same fields
                sentences.append(_new_sentence(*(fields if ss == ps and se == pe else nt.span_fields(ss, se)), pi))
                spans.append((ss, se))
        return paragraphs, sentences, spans


class _gc_paused:
    """Pause the cyclic garbage collector for a text of ``size`` characters when it is long (see
    :meth:`Segmenter.segment`); restore it after, if it was on."""

    __slots__ = ("pause",)

    def __init__(self, size: int) -> None:
        self.pause = size >= _GC_PAUSE_CHARS and gc.isenabled()

    def __enter__(self) -> None:
        if self.pause:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.pause:
            gc.enable()


class _TokenSource:
    """The tokens of a segmented text, for a lazy :class:`~fa_policy_nlp.types.Tokens`: their number
    (:meth:`count`, remembered) and the :class:`Token` objects with raw offsets read from the offset maps
    (:meth:`build`, once: ``Tokens`` drops its source after). Only the number is remembered, not the token offsets
    it counted, so that a counted but unbuilt ``Tokens`` holds no more than an uncounted one."""

    __slots__ = ("nt", "sentences", "n")

    def __init__(self, nt: NormalizedText, sentences: list[tuple[int, int]]) -> None:
        self.nt = nt
        self.sentences = sentences  # normalised (start, end) of sentence i
        self.n: int | None = None

    def _offsets(self) -> list[list[tuple[int, int]]]:
        """Token offsets (normalised text) of each sentence."""
        text = self.nt.text
        with _gc_paused(len(text)):
            return [_tokens(text, ss, se) for ss, se in self.sentences]

    def count(self) -> int:
        if self.n is None:
            self.n = sum(map(len, self._offsets()))
        return self.n

    def build(self) -> list[Token]:
        nt = self.nt
        with _gc_paused(len(nt.text)):
            return self._build(nt, self._offsets())

    @staticmethod
    def _build(nt: NormalizedText, offsets: list[list[tuple[int, int]]]) -> list[Token]:
        tokens: list[Token] = []
        text, raw, starts, ends = nt.text, nt.raw, nt.starts, nt.ends
        append = tokens.append
        draft = _TOKEN_DRAFT
        for si, spans in enumerate(offsets):
            for ts, te in spans:  # inlined nt.span(ts, te): tokens are never empty
                rs = starts[ts]
                re_ = ends[te - 1]
                if re_ < rs:
                    re_ = rs
                if draft is not None:  # Token(...) built through its draft (see _draft_class)
                    tok = draft()
                    tok.text = raw[rs:re_]
                    tok.start = rs
                    tok.end = re_
                    tok.norm = text[ts:te]
                    tok.sentence = si
                    tok.__class__ = Token
                    append(tok)
                else:
                    append(Token(raw[rs:re_], rs, re_, text[ts:te], si))
        return tokens
