"""Claims stage: one claim per reported statement, with speaker, cue and content.

For each paragraph, sentence by sentence (all matching on :func:`keys.match_key` over words, so ZWNJ and spacing
do not matter; language data in ``data/reporting_verbs.yaml`` and ``data/news_sources.yaml``):

* a **cue** is a reporting verb (``گفت``, ``افزود``, ``اظهار داشت``, ``تصریح کرد`` …). The cue right before a colon
  opens the content (``… و افزود: …``); several colon cues in one sentence give several claims (two speakers, or
  one speaker with two quoted clauses). Without a colon the last strong cue is used, else the last weak one
  (``تقدیر کرد``, ``برشمرد``). ``به گفته X، …`` makes X the speaker of what follows.
* the **speaker** is the first official mention before the cue that is not governed by a preposition
  (``با حضور دکتر …`` is not the subject), a pronoun resolved by the officials stage, a named news source, or —
  for a subject-less continuation (``همچنین افزود``) — the last speaker of the paragraph (or previous one).
* a sentence without a cue continues the statement opened earlier in the same paragraph; sentences before any cue
  form a narration claim (``speaker=None``).

``speaker`` is an :class:`Official` id (``o1``) or ``source:<id>`` for a news source (``source:mehr``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from . import resources
from .officials import _AND, PhraseTable, Words, lexicon, tokenize
from .types import Claim

__all__ = ["ClaimExtractor"]

_COLON = re.compile(r"[ \t\u00a0\u200c]*[:：]")
_OPEN_Q = "«\"“"
_CLOSE_Q = "»\"”"
_STRIP = " \t\u00a0\u200c\n.،,:؛;«»\"“”"


def _inside(items, starts, start: int, end: int) -> tuple:
    """Items (sorted by start; ``starts`` their starts) whose span lies in ``[start, end)``."""
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return tuple(x for x in items[lo:hi] if x.end <= end)


@dataclass(slots=True)
class _Lex:
    strong: PhraseTable
    weak: PhraseTable
    according: PhraseTable
    report: PhraseTable
    sources: PhraseTable  # -> (id, name)
    after_report: PhraseTable
    continuation: PhraseTable


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    verbs = resources.load_yaml("reporting_verbs.yaml")
    plural = verbs.get("plural_suffix") or ""
    no_plural = tuple(verbs.get("no_plural_after") or ())
    strong, weak = PhraseTable(), PhraseTable()
    for table, group in ((strong, "strong"), (weak, "weak")):
        for v in verbs.get(group, []):
            table.add(v, v)
            if plural and not v.endswith(no_plural):
                table.add(v + plural, v + plural)
    according, report, cont = PhraseTable(), PhraseTable(), PhraseTable()
    for p in verbs.get("according_to", []):
        according.add(p, p)
    for p in verbs.get("report_of", []):
        report.add(p, p)
    for p in verbs.get("continuation", []):
        cont.add(p, p)
    sources, after = PhraseTable(), PhraseTable()
    for s in (resources.load_yaml("news_sources.yaml") or {}).get("sources", []):
        for n in s.get("names") or []:
            sources.add(n, (s["id"], s["name"]))
        for n in s.get("after_report") or []:
            after.add(n, (s["id"], s["name"]))
    return _Lex(strong, weak, according, report, sources, after, cont)


@dataclass(slots=True)
class _Cue:
    i: int  # first word
    j: int  # one past last word
    colon_end: int | None  # normalised offset just after the colon, when the cue opens a quote
    strong: bool
    according: bool = False


@dataclass(slots=True)
class _Stmt:
    start: int  # normalised offsets
    end: int
    speaker: str | None
    speaker_name: str | None
    cue: tuple[int, int] | None  # normalised
    content: tuple[int, int] | None
    paragraph: int


class ClaimExtractor:
    """Stage: fills ``doc.article.claims`` (see the module docstring)."""

    def __init__(self) -> None:
        self.lex = _lex()
        self.olex = lexicon()
        # first-word keys that may open a cue of any kind (one set look-up per word in _cues)
        self._cue_first = frozenset(self.lex.according.prefixes | self.lex.strong.prefixes | self.lex.weak.prefixes)
        # every whole key of those tables: a word whose key is none of them opens a cue only together with the next
        # word (see _cues)
        self._cue_keys = frozenset(self.lex.according.table.keys() | self.lex.strong.table.keys()
                                   | self.lex.weak.table.keys())

    # ------------------------------------------------------------------------------------------------
    def __call__(self, doc) -> None:
        nt, art = doc.nt, doc.article
        text = nt.text
        w = tokenize(text)
        norm_of_raw = nt.starts  # monotonic: normalised index -> raw start

        def to_norm(raw_pos: int) -> int:
            return bisect.bisect_left(norm_of_raw, raw_pos)

        # official mentions in normalised coordinates
        ments: list[tuple[int, int, str, str]] = []  # (ns, ne, official id, display name)
        names = {}
        for o in art.officials:
            names[o.id] = o.name or o.role or o.id
            for m in o.mentions:
                ments.append((to_norm(m.start), to_norm(m.end), o.id, m.kind))
        ments.sort()
        ment_starts = [m[0] for m in ments]
        word_starts = w.starts

        stmts: list[_Stmt] = []
        last_speaker: tuple[str | None, str | None, int] = (None, None, -10)  # (id, name, paragraph)
        by_para: dict[int, list] = {}
        for s in art.sentences:
            by_para.setdefault(s.paragraph, []).append(s)
        for p in art.paragraphs:
            p_sents = by_para.get(p.index, [])
            open_stmt: _Stmt | None = None
            narration: _Stmt | None = None
            for s in p_sents:
                ns, ne = to_norm(s.start), to_norm(s.end)
                wi = bisect.bisect_left(word_starts, ns)
                wj = bisect.bisect_left(word_starts, ne)
                cues = self._cues(w, wi, wj, text, ne)
                if not cues:
                    src = self._report_source(w, wi, wj)
                    if open_stmt is not None:
                        open_stmt.end = ne
                        if open_stmt.content:
                            open_stmt.content = (open_stmt.content[0], ne)
                    elif src is not None:
                        sid, sname, ci, cj, after = src
                        open_stmt = _Stmt(ns, ne, sid, sname, (w.starts[ci], w.ends[cj - 1]), (after, ne), p.index)
                        stmts.append(open_stmt)
                    elif narration is not None:
                        narration.end = ne
                    else:
                        narration = _Stmt(ns, ne, None, None, None, None, p.index)
                        stmts.append(narration)
                    continue
                seg_start = ns
                for k, cue in enumerate(cues):
                    nxt = cues[k + 1] if k + 1 < len(cues) else None
                    c_s, c_e = w.starts[cue.i], w.ends[cue.j - 1]
                    if cue.according:
                        spk = self._speaker_after(w, cue.j, wj, ments, ment_starts, names)
                        comma = text.find("،", c_e, ne)
                        content = (comma + 1 if comma >= 0 else c_e, ne)
                    else:
                        spk = self._speaker_before(w, seg_start, c_s, ments, ment_starts, names)
                        if cue.colon_end is not None:
                            content = (cue.colon_end, ne)
                        else:  # what was said runs from after the speaker to the cue
                            content = (max(seg_start, spk[2]) if spk else seg_start, c_s)
                    if nxt is not None and not cue.according:
                        # the next statement starts after this content's closing quote, or at its clause
                        end = self._split_point(text, content[0], w.starts[nxt.i], w, cue, nxt)
                        content = (content[0], end)
                    else:
                        end = ne
                    sid, sname = spk[:2] if spk else (None, None)
                    if sid is None and not cue.according and self._subjectless(w, seg_start, c_s):
                        # subject-less continuation ("همچنین افزود") or unresolved pronoun: the last speaker
                        if last_speaker[0] is not None and p.index - last_speaker[2] <= 1:
                            sid, sname = last_speaker[0], last_speaker[1]
                    content = self._trim(text, *content)
                    st = _Stmt(seg_start, end, sid, sname, (c_s, c_e), content, p.index)
                    stmts.append(st)
                    open_stmt = st
                    narration = None
                    if sid is not None:
                        last_speaker = (sid, sname, p.index)
                    seg_start = end
                    while seg_start < ne and text[seg_start] in _STRIP:
                        seg_start += 1

        claims: list[Claim] = []
        figures = sorted(art.figures, key=lambda x: x.start)
        dates_ = sorted(art.dates, key=lambda x: x.start)
        fig_starts = [f.start for f in figures]
        date_starts = [d.start for d in dates_]
        for n, st in enumerate(stmts, 1):
            s, e = self._trim(text, st.start, st.end)
            if e <= s:
                continue
            sp = nt.span(s, e)
            cue = nt.span(*st.cue) if st.cue else None
            content = None
            if st.content and st.content[1] > st.content[0]:
                content = nt.span(*st.content)
            figs = _inside(figures, fig_starts, sp.start, sp.end)
            dates = _inside(dates_, date_starts, sp.start, sp.end)
            claims.append(Claim(sp.text, sp.start, sp.end, id=f"c{len(claims) + 1}", speaker=st.speaker,
                                speaker_name=st.speaker_name, cue=cue, content=content, figures=figs, dates=dates,
                                paragraph=st.paragraph, norm=sp.norm))
        art.claims = claims

    # ------------------------------------------------------------------------------------------------
    def _cues(self, w: Words, wi: int, wj: int, text: str, ne: int) -> list[_Cue]:
        """Cues of one sentence: all colon cues, else the best cue without a colon (plus ``به گفته``)."""
        found: list[_Cue] = []
        according: list[_Cue] = []
        depth = 0
        keys, starts, ends, joins = w.keys, w.starts, w.ends, w.joins
        first, cue_keys = self._cue_first, self._cue_keys
        # without an opening guillemet between the words the quotation depth stays 0: skip counting
        quoted = wj > wi and "«" in text[starts[wi]:starts[wj - 1]]
        # Fast path: unquoted, a word whose key is in no table's prefixes does nothing but step on, so only the
        # others are visited (picked in C). Quoted, every word is visited: the depth counts each gap passed.
        cands = range(wi, wj) if quoted else compress(range(wi, wj), map(first.__contains__, keys[wi:wj]))
        pos = wi  # first word not yet consumed by a cue (words inside a cue are not visited, as before)
        for i in cands:
            if i < pos:
                continue
            pos = i + 1
            if quoted:
                # do not take verbs inside a quotation as cues of the sentence
                gap = text[ends[i - 1] if i > wi else starts[wi]:starts[i]]
                depth += gap.count("«") - gap.count("»")
                depth = max(depth, 0)
            k = keys[i]
            if k not in first:  # starts no cue phrase (every table would reject it)
                continue
            if k not in cue_keys and not (i + 1 < wj and joins[i] and k + keys[i + 1] in first):
                # no table has the key, and joined with the next word's it is no table's prefix: every
                # PhraseTable.match below would return None (common words like "و"/"در" are mere prefixes)
                continue
            a = self.lex.according.match(w, i, limit=wj - i)
            if a and depth == 0:
                according.append(_Cue(i, i + a[0], None, True, according=True))
                pos = i + a[0]
                continue
            hit = self.lex.strong.match(w, i, limit=wj - i)
            strong = True
            if not hit:
                hit = self.lex.weak.match(w, i, limit=wj - i)
                strong = False
            if hit and depth == 0:
                n = hit[0]
                end = w.ends[i + n - 1]
                m = _COLON.match(text, end, ne)
                found.append(_Cue(i, i + n, m.end() if m else None, strong))
                pos = i + n
        colon = [c for c in found if c.colon_end is not None]
        if colon:
            return colon
        if according:
            return according[:1]
        strong = [c for c in found if c.strong]
        if strong:
            return [strong[-1]]
        return found[-1:] if found else []

    def _split_point(self, text: str, content_start: int, next_cue_start: int, w: Words, cue: _Cue,
                     nxt: _Cue) -> int:
        """Where the statement of ``cue`` ends when another colon cue follows in the same sentence."""
        seg = text[content_start:next_cue_start]
        close = max(seg.rfind(c) for c in _CLOSE_Q)
        if close >= 0 and seg[:close].lstrip(" \u200c").startswith(tuple(_OPEN_Q)):
            return content_start + close + 1
        # unquoted: cut at the last clause boundary (comma, or the word before the next speaker's clause)
        for sep in ("،", "؛", ","):
            pos = seg.rfind(sep)
            if pos > 0:
                return content_start + pos + 1
        # fall back: the word before the next cue ("… و افزود")
        k = nxt.i - 1
        while k > cue.j and w.starts[k] > content_start:
            if w.keys[k] == _AND:
                return w.starts[k]
            k -= 1
        return next_cue_start

    def _subjectless(self, w: Words, seg_start: int, cue_start: int) -> bool:
        """The clause before the cue names no subject of its own: it opens with a continuation word or a
        pronoun, or is at most a few words long (``و افزود``, ``همچنین تاکید کرد``)."""
        wi = bisect.bisect_left(w.starts, seg_start)
        wj = bisect.bisect_left(w.starts, cue_start)
        if wj - wi <= 2:
            return True
        if self.lex.continuation.match(w, wi, limit=wj - wi):
            return True
        return w.keys[wi] in self.olex.pronouns or w.keys[wi] in self.olex.anaphora_det

    def _speaker_before(self, w: Words, seg_start: int, cue_start: int, ments, ment_starts, names):
        lo = bisect.bisect_left(ment_starts, seg_start)
        hi = bisect.bisect_left(ment_starts, cue_start)
        skip_until = self._report_prefix_end(w, seg_start, cue_start)
        for k in range(lo, hi):
            ns, ne, oid, kind = ments[k]
            if ns < skip_until:
                continue
            if not self._governed(w, ns):
                # the subject may run on with an apposition of the same official ("اسکندر مؤمنی وزیر کشور")
                while k + 1 < hi and ments[k + 1][2] == oid and ments[k + 1][0] - ne <= 2:
                    k += 1
                    ne = max(ne, ments[k][1])
                return oid, names.get(oid), ne
        # a named news source as the subject ("ایرنا گزارش داد")
        wi = bisect.bisect_left(w.starts, max(seg_start, skip_until))
        wj = bisect.bisect_left(w.starts, cue_start)
        i = wi
        while i < wj:
            hit = self.lex.sources.match(w, i, limit=wj - i)
            if hit:
                return f"source:{hit[1][0]}", hit[1][1], w.ends[i + hit[0] - 1]
            i += 1
        return None

    def _speaker_after(self, w: Words, wi: int, wj: int, ments, ment_starts, names):
        if wi >= len(w.starts):
            return None
        start = w.starts[wi]
        lo = bisect.bisect_left(ment_starts, start)
        if lo < len(ments) and ments[lo][0] < (w.ends[min(wj, len(w.starts)) - 1] if wj > wi else start + 1):
            # the first mention right after the phrase (before its comma)
            comma = w.text.find("،", start)
            if comma < 0 or ments[lo][0] < comma:
                return ments[lo][2], names.get(ments[lo][2])
        hit = self.lex.sources.match(w, wi, limit=wj - wi) or self.lex.after_report.match(w, wi, limit=wj - wi)
        if hit:
            return f"source:{hit[1][0]}", hit[1][1]
        return None

    def _report_prefix_end(self, w: Words, seg_start: int, cue_start: int) -> int:
        """End of a leading "به گزارش X،" (the article's source, not the speaker), else ``seg_start``."""
        wi = bisect.bisect_left(w.starts, seg_start)
        if wi >= len(w.starts) or w.starts[wi] >= cue_start:
            return seg_start
        hit = self.lex.report.match(w, wi)
        if not hit:
            return seg_start
        comma = w.text.find("،", w.ends[wi + hit[0] - 1], cue_start)
        return comma + 1 if comma >= 0 else seg_start

    def _report_source(self, w: Words, wi: int, wj: int):
        """``به گزارش X، …`` at the start of a cue-less sentence: X reports it."""
        if wi >= wj:
            return None
        hit = self.lex.report.match(w, wi, limit=wj - wi)
        if not hit:
            return None
        j0 = wi + hit[0]
        src = None
        # the source may follow a few words ("به گزارش خبرنگار فارس", "به گزارش گروه سیاسی ایرنا")
        for j in range(j0, min(wj, j0 + 5)):
            if j > j0 and not w.joins[j - 1]:
                break
            src = self.lex.sources.match(w, j, limit=wj - j) or self.lex.after_report.match(w, j, limit=wj - j)
            if src:
                break
        if not src:
            return None
        k = j + src[0]
        comma = w.text.find("،", w.ends[k - 1])
        after = comma + 1 if comma >= 0 else w.ends[k - 1]
        sid, sname = src[1]
        return f"source:{sid}", sname, wi, j0, after

    def _governed(self, w: Words, norm_pos: int) -> bool:
        """The mention at ``norm_pos`` follows a preposition-like word (not the subject)."""
        i = bisect.bisect_left(w.starts, norm_pos)
        if i == 0:
            return False
        # skip honorifics before the name
        k = i - 1
        while k >= 0 and self.olex.honorifics.match(w, k) and w.joins[k]:
            k -= 1
        if k < 0:
            return False
        gap = w.text[w.ends[k]:w.starts[k + 1]]
        if gap.strip(" \u200c\t"):
            return False
        return w.keys[k] in self.olex.nonsubject

    @staticmethod
    def _trim(text: str, s: int, e: int) -> tuple[int, int]:
        while s < e and text[s] in " \t\u00a0\u200c\n:،,":
            s += 1
        while e > s and text[e - 1] in " \t\u00a0\u200c\n،,":
            e -= 1
        return s, e
