"""Officials stage: named officials, their roles and every mention (name, surname, role, pronoun).

How it works (all language data in ``data/``, read once through :mod:`fa_policy_nlp.resources`):

1. The normalised text is cut into words; every look-up uses :func:`keys.match_key` over one or more
   consecutive words (only whitespace/ZWNJ between them), so ``رئیسجمهور`` = ``رئیس جمهور`` = ``رئیس‌جمهور``.
2. Roles: a standalone role (``رئیس‌جمهور``), or a title head (``وزیر``, ``رئیس``, ``معاون`` …) + modifiers +
   an organisation: a ministry short form (``وزیر کشور``), a known organisation (``organizations.yaml``), a
   nested role (``معاون اول رئیس‌جمهور``), a place (``استاندار تهران``) or a generic organisation phrase
   (``سازمان …`` running to a stop word).
3. Names: the officials gazetteer, honorific + name, first-name list + surname (list or surname ending), and
   unknown names right next to a role (``وزیر کشور اسکندر مؤمنی``).
4. Linking: appositives (``name، role`` / ``role name``) join a name and its role; a role introduced before any
   name is joined to the next new full name; later roles, surnames and pronouns (``وی``) are linked to the
   official they refer to (pronouns: the subject of the last sentence that had one).

:func:`find_persons` exposes the name finder alone (no linking) for evaluation on NER corpora.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress
from operator import not_, or_
from typing import Any, Iterable

from . import resources
from .errors import ResourceError
from .keys import Memo, match_key, word_key
from .types import Mention, Official, Span

__all__ = ["OfficialExtractor", "find_persons", "lexicon", "tokenize"]

# A word: letters/digits, possibly joined by ZWNJ (one written word).
_WORD = re.compile(r"[^\W_\u0640]+(?:\u200c[^\W_\u0640]+)*")
# What may separate two words of one phrase: spaces or ZWNJ only (no punctuation, no line break).
_JOIN_GAP = re.compile(r"[ \t\u00a0\u200c\u200b\u200e\u200f]*")
# The same words as the captured group of a split (see _tokenize), and the join characters of _JOIN_GAP. The
# quantifiers are possessive (about 30% faster): nothing follows the word in the pattern, so the greedy form never
# gives characters back either (its first attempt at each position succeeds) and both match the same words.
_WORD_SPLIT = re.compile(r"([^\W_\u0640]++(?:\u200c[^\W_\u0640]++)*+)")
_JOIN_CHARS = " \t\u00a0\u200c\u200b\u200e\u200f"
# An appositive gap between a name and its role: spaces and at most one comma.
_APPOS_GAP = re.compile(r"[ \t\u00a0\u200c]*[،,]?[ \t\u00a0\u200c]*")
_VERB_PREFIXES = ("\u0645\u06cc\u200c", "\u0646\u0645\u06cc\u200c")  # the verb prefixes mi- and nemi- + ZWNJ
_PLURAL = match_key("\u0646\u062f")  # the plural verb ending -and
_AND = match_key("\u0648")  # the conjunction (a Unicode escape: no Persian literals in code)
_LETTERS = re.compile(r"^[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u200c]+$")


# --------------------------------------------------------------------------------------------------- words


@dataclass(slots=True)
class Words:
    """The words of a normalised text with their match keys and whether each joins the next one."""

    text: str
    starts: list[int]
    ends: list[int]
    keys: list[str]
    joins: list[bool]  # joins[i]: only whitespace/ZWNJ between word i and word i+1

    def __len__(self) -> int:
        return len(self.starts)

    def gap(self, i: int) -> str:
        """Text between word i and word i+1 (or to the end)."""
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.ends[i]:end]

    def gap_before(self, i: int) -> str:
        start = self.ends[i - 1] if i > 0 else 0
        return self.text[start:self.starts[i]]


def _gap_joins(sep: str) -> bool:
    """A separator (no word character in it) joins its two words when it holds only join characters."""
    return not sep.strip(_JOIN_CHARS)


_GAP_JOINS = Memo(_gap_joins, 20_000)  # separator -> joins (nearly all are one of a few short strings)
_LAST_WORDS: list = [None]  # [(text, Words)] of the last call: the officials and claims stages share it


def tokenize(text: str) -> Words:
    """The words of ``text`` (cached for the last text, which both stages tokenise)."""
    last = _LAST_WORDS[0]
    if last is not None and last[0] is text:
        return last[1]
    words = _tokenize(text)
    _LAST_WORDS[0] = (text, words)  # one assignment: safe across threads
    return words


def _tokenize(text: str) -> Words:
    """Words of ``text`` without a Python loop over match objects.

    ``_WORD_SPLIT.split`` alternates separators and words (``[sep0, w0, sep1, w1, …, wN-1, sepN]``); the running
    sum of the part lengths gives every word's start and end; the memos of ``match_key`` and ``_gap_joins`` are
    mapped over the words and separators (C code for every string seen before). Word i joins word i+1 when the
    separator between them strips to nothing with the join characters of ``_JOIN_GAP``. This equals the plain
    definition (each ``_WORD`` match, and a full match of ``_JOIN_GAP`` on each gap;
    ``tests/test_officials_fastpath.py``): a separator holds no word character, so it is a join gap exactly when
    all of it is join characters.
    """
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    n = len(words)
    if not n:
        return Words(text, [], [], [], [])
    offsets = list(accumulate(map(len, parts), initial=0))
    starts = offsets[1:2 * n:2]
    ends = offsets[2::2]
    keys = list(map(word_key, words))
    joins = list(map(_GAP_JOINS.__getitem__, parts[2:-1:2]))
    joins.append(False)
    return Words(text, starts, ends, keys, joins)


class PhraseTable:
    """Phrases looked up by the concatenated match keys of consecutive joined words (longest match wins)."""

    def __init__(self) -> None:
        self.table: dict[str, Any] = {}
        self.prefixes: set[str] = set()  # every leading part of every key: prunes look-ups early
        self.max_words = 1

    def add(self, phrase: str, payload: Any, *, overwrite: bool = False) -> None:
        key = match_key(phrase)
        if not key:
            return
        if overwrite or key not in self.table:
            self.table[key] = payload
        self.prefixes.update(key[:n] for n in range(1, len(key) + 1))
        self.max_words = max(self.max_words, len([p for p in re.split(r"[\s\u200c]+", phrase) if p]) + 1)

    def __contains__(self, key: str) -> bool:
        return key in self.table

    def match(self, words: Words, i: int, limit: int | None = None) -> tuple[int, Any] | None:
        """Longest phrase starting at word ``i``: ``(number of words, payload)`` or ``None``."""
        wkeys = words.keys
        # fast rejection: most words start no phrase (one set look-up, no other work)
        if i >= len(wkeys) or wkeys[i] not in self.prefixes:
            return None
        n_max = min(self.max_words, len(wkeys) - i, 10**9 if limit is None else limit)
        if n_max <= 0:
            return None
        prefixes, table, joins = self.prefixes, self.table, words.joins
        key = wkeys[i]
        best = None
        n = 1
        while key in prefixes:
            hit = table.get(key)
            if hit is not None:
                best = (n, hit)
            if n >= n_max or not joins[i + n - 1]:
                break
            key += wkeys[i + n]
            n += 1
        return best


# ------------------------------------------------------------------------------------------------ lexicon


def _opt_list(name: str) -> tuple[str, ...]:
    try:
        return resources.load_list(name)
    except ResourceError:
        return ()


def _opt_yaml(name: str) -> Any:
    try:
        return resources.load_yaml(name)
    except ResourceError:
        return None


@dataclass(slots=True)
class Lexicon:
    honorifics: PhraseTable
    pronouns: frozenset[str]
    anaphora_det: frozenset[str]  # demonstratives opening an anaphoric title ("این مقام مسئول")
    anaphora_heads: PhraseTable
    standalone: PhraseTable  # -> (role, organization)
    heads: PhraseTable  # -> canonical head
    minister_heads: frozenset[str]
    place_heads: PhraseTable
    modifiers: PhraseTable
    role_stop: frozenset[str]
    ministries: PhraseTable  # short form -> (short canonical, ministry name)
    orgs: PhraseTable  # -> canonical organisation name
    generic_heads: PhraseTable
    generic_max: int
    free_heads: PhraseTable  # heads that may take a department phrase without an organisation word
    free_max: int
    places: PhraseTable
    first_names: frozenset[str]
    last_names: frozenset[str]
    name_stop: frozenset[str]
    first_amb: frozenset[str]  # first names that are also common words ('?' entries, or in name_stopwords)
    last_amb: frozenset[str]  # surnames that are also common words
    surname_suffixes: tuple[str, ...]
    weak_honorifics: frozenset[str]
    occupations: frozenset[str]  # words that follow a name in apposition and end it
    adjectives: frozenset[str]  # -ی adjectives that only look like surnames
    verb_forms: frozenset[str]  # frequent verb forms (never part of a name or a role)
    gazetteer: PhraseTable  # name/alias -> entry dict
    gaz_by_role: dict[str, list[dict]]
    gaz_ambiguous: frozenset[str]  # aliases shared by several gazetteer officials
    gaz_common: frozenset[str]  # aliases that are also ordinary words
    not_name: frozenset[str]  # keys that can never be a name word
    nonsubject: frozenset[str]
    name_prefixes: frozenset[str]  # honorifics kept inside a mention span (سید, سیده)
    cues: PhraseTable  # strong reporting verbs (a surname right before one is a name)
    subject_next: frozenset[str]  # words that follow a sentence-initial subject (با, در …)
    not_surname_endings: tuple[str, ...]  # endings of plurals/superlatives that look like surnames


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All officials language data, built once per process."""
    titles = resources.load_yaml("titles.yaml")
    orgs_data = resources.load_yaml("organizations.yaml")

    honorifics = PhraseTable()
    for h in resources.load_list("honorifics.txt"):
        honorifics.add(h, h)
    pronouns = frozenset(match_key(p) for p in resources.load_list("pronouns.txt"))

    standalone = PhraseTable()
    for entry in titles.get("standalone", []):
        for form in [entry["role"], *(entry.get("aliases") or [])]:
            standalone.add(form, (entry["role"], entry.get("organization")))
    heads = PhraseTable()
    for h in titles.get("heads", []):
        heads.add(h, h)
    minister_heads = frozenset(match_key(h) for h in titles.get("minister_heads", []))
    for h in titles.get("minister_heads", []):
        heads.add(h, h)
    place_heads = PhraseTable()
    for h in titles.get("place_heads", []):
        place_heads.add(h, h)
    modifiers = PhraseTable()
    for m in titles.get("modifiers", []):
        modifiers.add(m, m)
    role_stop = frozenset(match_key(w) for w in titles.get("stop", []))
    ana_heads = PhraseTable()
    for h in (titles.get("anaphora") or {}).get("heads", []):
        ana_heads.add(h, h)
    free_heads = PhraseTable()
    for h in titles.get("free_heads", []):
        free_heads.add(h, h)

    ministries = PhraseTable()
    orgs = PhraseTable()
    for entry in orgs_data.get("ministries", []):
        for short in entry.get("minister", []):
            ministries.add(short, (short, entry["name"]))
        for form in [entry["name"], *(entry.get("aliases") or [])]:
            orgs.add(form, entry["name"])
    for entry in orgs_data.get("organizations", []):
        for form in [entry["name"], *(entry.get("aliases") or [])]:
            orgs.add(form, entry["name"])
    generic_heads = PhraseTable()
    for g in orgs_data.get("generic_heads", []):
        generic_heads.add(g, g)
    places = PhraseTable()
    for p in resources.load_list("off_places.txt"):
        places.add(p, p)

    name_stop = frozenset(match_key(w) for w in resources.load_list("name_stopwords.txt"))
    # names_first/names_last mark names that are also common words with a leading '?': those count only next
    # to another name cue (a surname after them, a first name or honorific before them)
    raw_first = _opt_list("names_first.txt")
    raw_last = _opt_list("names_last.txt")
    firsts = {match_key(n) for n in resources.load_list("off_first_names_core.txt")}
    firsts |= {match_key(n) for n in resources.load_list("off_foreign_first_names.txt")}
    firsts |= {match_key(n) for n in raw_first if not n.startswith("?")}
    first_amb = {match_key(n[1:]) for n in raw_first if n.startswith("?")}
    lasts = {match_key(n) for n in raw_last if not n.startswith("?")}
    lasts |= {match_key(n) for n in resources.load_list("off_foreign_surnames.txt")}
    last_amb = {match_key(n[1:]) for n in raw_last if n.startswith("?")}
    firsts -= first_amb
    lasts -= last_amb
    suffixes = tuple(sorted({match_key(s) for s in resources.load_list("off_surname_suffixes.txt")}, key=len,
                            reverse=True))

    gazetteer = PhraseTable()
    gaz_by_role: dict[str, list[dict]] = {}
    gaz = _opt_yaml("officials_gazetteer.yaml") or {}
    for entry in gaz.get("officials", []) or []:
        if not entry or not entry.get("name"):
            continue
        forms = [entry["name"], *(entry.get("aliases") or [])]
        for form in forms:
            k = match_key(form)
            if len(k) < 3 or k in name_stop:
                continue
            gazetteer.add(form, entry)
        for r in entry.get("roles") or []:
            if r and r.get("role"):
                gaz_by_role.setdefault(match_key(r["role"]), []).append(entry)

    # words that can never be part of a person's name
    verbs = resources.load_yaml("reporting_verbs.yaml")
    not_name = set(role_stop) | set(pronouns) | name_stop
    for table in (honorifics, heads, place_heads, generic_heads, standalone):
        not_name |= {k for k in table.table}
    for group in ("strong", "weak"):
        for v in verbs.get(group, []):
            not_name |= {match_key(w) for w in v.split()}
    for w in titles.get("heads", []) + titles.get("place_heads", []):
        not_name |= {match_key(x) for x in w.split()}
    for g in orgs_data.get("generic_heads", []):
        not_name |= {match_key(x) for x in g.split()}
    nonsubject = frozenset(match_key(w) for w in resources.load_list("off_nonsubject_before.txt"))
    not_name |= {match_key(x) for x in resources.load_list("off_occupations.txt")}
    verb_forms = frozenset(match_key(x) for x in resources.load_list("off_verb_forms.txt"))
    not_name |= verb_forms
    cues = PhraseTable()
    for v in verbs.get("strong", []):
        cues.add(v, v)
    prefixes = frozenset(match_key(w) for w in resources.load_list("off_name_prefixes.txt"))
    subject_next = frozenset(match_key(w) for w in resources.load_list("off_subject_next.txt"))

    return Lexicon(
        honorifics=honorifics, pronouns=pronouns, standalone=standalone, heads=heads,
        anaphora_det=frozenset(match_key(x) for x in (titles.get("anaphora") or {}).get("determiners", [])),
        anaphora_heads=ana_heads,
        minister_heads=minister_heads, place_heads=place_heads, modifiers=modifiers, role_stop=role_stop,
        ministries=ministries, orgs=orgs, generic_heads=generic_heads,
        generic_max=int(orgs_data.get("generic_max_tokens", 5)), places=places,
        free_heads=free_heads, free_max=int(titles.get("free_max_tokens", 6)),
        first_names=frozenset(firsts - name_stop), last_names=frozenset(lasts - name_stop), name_stop=name_stop,
        first_amb=frozenset(first_amb | (firsts & name_stop)), last_amb=frozenset(last_amb | (lasts & name_stop)),
        surname_suffixes=suffixes,
        weak_honorifics=frozenset(match_key(x) for x in resources.load_list("off_weak_honorifics.txt")),
        occupations=frozenset(match_key(x) for x in resources.load_list("off_occupations.txt")),
        adjectives=frozenset(match_key(x) for x in resources.load_list("off_adjectives.txt"))
        | frozenset(places.table),  # a place after a first name is a team or a town, not a surname
        verb_forms=verb_forms,
        gazetteer=gazetteer, gaz_by_role=gaz_by_role, not_name=frozenset(not_name),
        gaz_ambiguous=frozenset(match_key(a) for a in gaz.get("ambiguous_aliases") or ()),
        gaz_common=frozenset(match_key(a) for a in gaz.get("common_word_aliases") or ()),
        nonsubject=nonsubject, name_prefixes=prefixes, cues=cues, subject_next=subject_next,
        not_surname_endings=tuple(match_key(x) for x in resources.load_list("off_not_surname_endings.txt")),
    )


# ----------------------------------------------------------------------------------------------- detection


@dataclass(slots=True)
class RoleHit:
    i: int  # first word
    j: int  # one past the last word
    role: str
    organization: str | None


@dataclass(slots=True)
class NameHit:
    i: int
    j: int
    honorifics: tuple[str, ...] = ()
    h_start: int = -1  # first word of the honorifics (or i)
    gazetteer: dict | None = None
    how: str = "list"
    span_start: int = -1  # first word of the reported span: the name, or a lineage prefix (سید) before it


_SPACES = re.compile(r"[ \t\u00a0]+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65_536)
def _phrase_key(text: str) -> str:
    """:func:`match_key` memoised for the detector and linker (role, honorific and name strings recur across
    articles and mentions); a pure function, so the memo changes no result."""
    return match_key(text)


class Detector:
    """Finds roles, honorifics, names and pronouns in one text's words."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._shaped: dict[str, bool] = {}  # memo of surname_shaped (a pure function of the key)
        # keys that may open a role, an anaphor, an honorific, a gazetteer name or a listed first name/surname:
        # any other word starts nothing unless it opens a clause (see scan)
        self._may_start = frozenset().union(
            lex.standalone.prefixes, lex.heads.prefixes, lex.place_heads.prefixes, lex.anaphora_det,
            lex.honorifics.prefixes, lex.gazetteer.prefixes, lex.first_names, lex.first_amb, lex.last_names)
        # the listed names in it: such a word goes through the full tests at once; a word that is only a phrase
        # prefix ("و" starts many keys) first has its phrase tables tried, and a demonstrative its anaphor (see scan)
        self._listed_start = frozenset().union(lex.first_names, lex.first_amb, lex.last_names)
        # one table with the keys of the honorific, gazetteer and title tables: it matches wherever one of them
        # does (same prefixes, at least their word limit), so a miss there rules all of them out in one walk
        self._phrase_start = PhraseTable()
        for t in (lex.honorifics, lex.gazetteer, lex.standalone, lex.heads, lex.place_heads):
            self._phrase_start.table.update(dict.fromkeys(t.table, True))
            self._phrase_start.prefixes |= t.prefixes
            self._phrase_start.max_words = max(self._phrase_start.max_words, t.max_words)
        # words scan must visit even when joined to the previous word (see scan's fast path)
        self._scan_start = self._may_start | lex.pronouns
        # a role can only start at a key that is a prefix of a standalone role, a title head or a place head
        self._role_prefixes = frozenset().union(lex.standalone.prefixes, lex.heads.prefixes, lex.place_heads.prefixes)
        # what must follow an unlisted clause-opening word for name_at to find a name there (see scan): a role or a
        # cue at the next word, or a cue at the word after it
        self._unlisted_next1 = self._role_prefixes | lex.cues.prefixes
        self._unlisted_next2 = lex.cues.prefixes

    # ---- word classes
    def is_first(self, k: str) -> bool:
        return k in self.lex.first_names

    def is_last(self, k: str) -> bool:
        return k in self.lex.last_names

    def surname_shaped(self, k: str) -> bool:
        hit = self._shaped.get(k)
        if hit is None:
            if len(self._shaped) > 200_000:
                self._shaped.clear()
            hit = self._shaped[k] = self._surname_shaped(k)
        return hit

    def _surname_shaped(self, k: str) -> bool:
        if len(k) < 4 or k in self.lex.not_name or k in self.lex.adjectives or k.endswith(self.lex.not_surname_endings):
            return False
        if not k.endswith(self.lex.surname_suffixes):
            return False
        return any(k.endswith(s) and len(k) > len(s) + 1 for s in self.lex.surname_suffixes)

    def namelike(self, w: Words, i: int) -> bool:
        k = w.keys[i]
        if len(k) < 2 or k in self.lex.not_name:
            return False
        return _LETTERS.match(w.text[w.starts[i]:w.ends[i]]) is not None

    # ---- roles
    def role_at(self, w: Words, i: int, depth: int = 0) -> RoleHit | None:
        """The longest role starting at word ``i`` (see :meth:`_role_at`), or ``None``."""
        # fast rejection: every role found by _role_at starts with a standalone/heads/place_heads match at word i,
        # and a phrase table matches only at a word whose key is one of its prefixes
        if i >= len(w.keys) or w.keys[i] not in self._role_prefixes:
            return None
        return self._role_at(w, i, depth)

    def _role_at(self, w: Words, i: int, depth: int) -> RoleHit | None:
        lex = self.lex
        hit = lex.standalone.match(w, i)
        best: RoleHit | None = None
        if hit:
            n, (role, org) = hit
            best = RoleHit(i, i + n, role, org)
        head = lex.heads.match(w, i)
        phead = lex.place_heads.match(w, i)
        cands: list[RoleHit] = []
        if head:
            n, _ = head
            r = self._role_after_head(w, i, i + n, depth, minister=_phrase_key(
                "".join(w.keys[i:i + n])) in lex.minister_heads)
            if r:
                cands.append(r)
        if phead:
            n, _ = phead
            j = i + n
            if j < len(w.keys) and w.joins[j - 1]:
                p = lex.places.match(w, j)
                if p:
                    cands.append(RoleHit(i, j + p[0], self._text(w, i, j + p[0]), None))
                elif self.namelike(w, j) and not self._name_start(w, j) and not lex.heads.match(w, j) \
                        and not lex.generic_heads.match(w, j) and w.keys[j] not in lex.first_names:
                    # an unlisted town ("امام جمعه بابل", "فرماندار ملکان")
                    cands.append(RoleHit(i, j + 1, self._text(w, i, j + 1), None))
        for c in cands:
            if best is None or c.j > best.j:
                best = c
        return best

    def _text(self, w: Words, i: int, j: int) -> str:
        return _clean(w.text[w.starts[i]:w.ends[j - 1]])

    def _role_after_head(self, w: Words, i: int, j: int, depth: int, minister: bool) -> RoleHit | None:
        lex = self.lex
        # modifiers ("معاون اول", "معاون سیاسی")
        for _ in range(3):
            if j < len(w.keys) and w.joins[j - 1]:
                m = lex.modifiers.match(w, j)
                if m:
                    j += m[0]
                    continue
            break
        if j >= len(w.keys) or not w.joins[j - 1]:
            return None
        if minister:
            m = lex.ministries.match(w, j)
            if m:
                n, (_short, ministry) = m
                # a known full ministry/organisation name may be longer ("وزیر امور خارجه")
                return RoleHit(i, j + n, self._text(w, i, j + n), ministry)
        if depth == 0:
            nested = self.role_at(w, j, depth=1)
            if nested:
                return RoleHit(i, nested.j, self._text(w, i, nested.j), nested.organization)
        o = lex.orgs.match(w, j)
        if o:
            n, org = o
            end = j + n
            # "مجلس" is an alias, but "مجلس شورای اسلامی" should not stop short: orgs match is longest already.
            return RoleHit(i, end, self._text(w, i, end), org)
        g = lex.generic_heads.match(w, j)
        if g:
            n, _ = g
            end = self._org_phrase_end(w, j + n, lex.generic_max)
            if end == j + n and not lex.orgs.match(w, j):
                # a bare generic head ("رئیس سازمان") is no role, except self-contained ones (دولت, مجلس)
                return None
            org = self._text(w, j, end)
            return RoleHit(i, end, self._text(w, i, end), org)
        if lex.free_heads.match(w, i):
            # a department without an organisation word: "مدیر منابع آب شهرستان …", "مدیرکل فرهنگ و ارشاد …";
            # it must end at a clear boundary (punctuation, a stop word, a verb, a name)
            end = self._org_phrase_end(w, j, lex.free_max)
            if end > j and self._role_boundary(w, end):
                return RoleHit(i, end, self._text(w, i, end), self._text(w, j, end))
        return None

    def _org_phrase_end(self, w: Words, end: int, limit: int) -> int:
        """End of the words continuing an organisation name from word ``end`` (at most ``limit`` words)."""
        count = 0
        while end < len(w.keys) and w.joins[end - 1] and count < limit:
            if w.keys[end] == _AND and count > 0 and end + 1 < len(w.keys) and w.joins[end] \
                    and count + 1 < limit and self._org_word(w, end + 1):
                end += 2  # "شرکت آب و فاضلاب": a coordinated word inside the name
                count += 2
                continue
            o = self.lex.orgs.match(w, end)
            if o:
                end += o[0]  # a known organisation inside the phrase counts as one word
                count += 1
                continue
            if not self._org_word(w, end):
                break
            end += 1
            count += 1
        return end

    def _role_boundary(self, w: Words, i: int) -> bool:
        if i >= len(w.keys) or not w.joins[i - 1]:
            return True
        return (w.keys[i] in self.lex.role_stop or bool(self.lex.cues.match(w, i)) or self._verb_like(w, i)
                or bool(self.lex.honorifics.match(w, i)) or self._name_start(w, i))

    def _org_word(self, w: Words, i: int) -> bool:
        """Word ``i`` may continue a generic organisation name."""
        lex = self.lex
        k = w.keys[i]
        if k in lex.role_stop or k in lex.pronouns or lex.honorifics.match(w, i) or self._name_start(w, i) \
                or lex.cues.match(w, i) or self._verb_like(w, i):
            return False
        if (lex.heads.match(w, i) or lex.generic_heads.match(w, i)) and not lex.orgs.match(w, i):
            return False
        return _LETTERS.match(w.text[w.starts[i]:w.ends[i]]) is not None

    def _name_start(self, w: Words, i: int) -> bool:
        """A full name (first name + surname) starts at word i."""
        k = w.keys[i]
        if not self.is_first(k) or i + 1 >= len(w.keys) or not w.joins[i]:
            return False
        k2 = w.keys[i + 1]
        return self.is_last(k2) or self.is_first(k2) or self.surname_shaped(k2)

    # ---- names
    def name_at(self, w: Words, i: int) -> NameHit | None:
        lex = self.lex
        # honorifics (chained: "حجت‌الاسلام والمسلمین سید"); lineage prefixes (سید) stay in the mention span
        h_start, hon = i, []
        j = i
        span_start = -1
        while j < len(w.keys) and len(hon) < 5:
            h = lex.honorifics.match(w, j)
            if not h:
                break
            if _phrase_key("".join(w.keys[j:j + h[0]])) in lex.name_prefixes:
                if span_start < 0:
                    span_start = j
            else:
                span_start = -1
            hon.append(_clean(w.text[w.starts[j]:w.ends[j + h[0] - 1]]))
            j += h[0]
            if j < len(w.keys) and not w.joins[j - 1]:
                break
        if hon and (j >= len(w.keys) or not w.joins[j - 1]):
            return None
        after_h = bool(hon)
        strong_h = bool(hon) and _phrase_key(hon[-1]) not in lex.weak_honorifics
        best: NameHit | None = None
        g = lex.gazetteer.match(w, j)
        if g:
            n, entry = g
            gkey = "".join(w.keys[j:j + n])
            if gkey in lex.gaz_ambiguous:
                entry = None  # several officials share this alias: a person, but not linked to one of them
            if gkey in lex.gaz_common and not after_h:
                g = None  # also an ordinary word: only after that official's full name (see _surnames)
        if g:
            end = j + n
            if n == 1:
                end = self._extend_surname(w, end)
            if end - j > 1 or self._single_ok(w, j, after_h, h_start):
                best = NameHit(j, end, tuple(hon), h_start, entry, "gazetteer")
        end = self._name_words(w, j, after_honorific=after_h, strong=strong_h)
        if end == j and self._single_ok(w, j, after_h, h_start, need_shape=True):
            end = self._extend_surname(w, j + 1)
        if end == j and best is None and not hon:
            end = self._subject_before_cue(w, j)
        if end > j and (best is None or end > best.j):
            best = NameHit(j, end, tuple(hon), h_start, None, "honorific" if hon else "list")
        if best is not None:
            best.span_start = span_start if span_start >= 0 else best.i
        return best

    def _subject_before_cue(self, w: Words, i: int) -> int:
        """One or two unknown name-like words opening a clause right before a singular reporting verb
        ("پتی گفت: …") are a name; returns the end word, or ``i``."""
        # fast rejection: a cue (a phrase of self.lex.cues) must start at word i+1 or i+2, and a phrase can only
        # start at a word whose key is one of the table's prefixes (PhraseTable.match returns None otherwise)
        keys, cue_prefixes = w.keys, self.lex.cues.prefixes
        if not ((i + 1 < len(keys) and keys[i + 1] in cue_prefixes)
                or (i + 2 < len(keys) and keys[i + 2] in cue_prefixes)):
            return i
        if not self._clause_start(w, i):
            return i
        for n in (2, 1):
            end = i + n
            if end >= len(w.keys) or not all(w.joins[k] for k in range(i, end)):
                continue
            if not all(self.namelike(w, k) and not self._verb_like(w, k) and w.keys[k] not in self.lex.adjectives
                       for k in range(i, end)):
                continue
            cue = self.lex.cues.match(w, end)
            if cue and not w.keys[end + cue[0] - 1].endswith(_PLURAL):
                return end
        return i

    def _extend_surname(self, w: Words, end: int) -> int:
        """A second surname word ("هاشمی رفسنجانی", "موسوی خوئینی")."""
        if end < len(w.keys) and w.joins[end - 1] and self.namelike(w, end) and not self.is_first(w.keys[end]) \
                and not self._verb_like(w, end) and (
                    self.is_last(w.keys[end]) or (self.surname_shaped(w.keys[end]) and self._boundary(w, end + 1))):
            return end + 1
        return end

    def _clause_start(self, w: Words, i: int) -> bool:
        if i == 0:
            return True
        if w.joins[i - 1]:
            return False  # only spaces/ZWNJ (or invisible marks) before the word: no punctuation
        gap = w.gap_before(i).strip(" \t\u00a0\u200c")
        return bool(gap) and gap[-1] in ".!?\u061f:\n\u060c\u061b\u00ab\u00bb()"

    def _single_ok(self, w: Words, i: int, after_honorific: bool, h_start: int, need_shape: bool = False) -> bool:
        """A one-word name (a surname) needs context: an honorific, or a clause start followed by a reporting
        verb, a role or an appositive comma; ``need_shape`` also asks for a surname list entry or ending."""
        if i >= len(w.keys) or not self.namelike(w, i):
            return False
        k = w.keys[i]
        nxt = i + 1
        if need_shape and not (self.is_last(k) or self.surname_shaped(k)):
            # an unknown word is still a name right before an appositive role at a clause start ("نواب، معاون …")
            return (not after_honorific and nxt < len(w.keys) and self._clause_start(w, i)
                    and "\u060c" in w.gap(i) and _APPOS_GAP.fullmatch(w.text, w.ends[i], w.starts[nxt]) is not None
                    and self.role_at(w, nxt) is not None)
        if after_honorific:
            return not need_shape  # honorific + one word is handled by _name_words
        if len(k) >= 3 and self.is_last(k):
            return True  # a listed (unambiguous) surname on its own: "گفتمان خاتمی"
        if len(k) < 3 or not self._clause_start(w, i):
            return False
        shaped = self.is_last(k) or self.surname_shaped(k)
        if not need_shape and shaped:
            return True  # a gazetteer surname opening a clause ("بطحائی، …", "مؤمنی با …")
        nxt = i + 1
        if nxt >= len(w.keys):
            return False
        if w.joins[i] and (self.lex.cues.match(w, nxt) or self.role_at(w, nxt)):
            return True
        if _APPOS_GAP.fullmatch(w.text, w.ends[i], w.starts[nxt]) and self.role_at(w, nxt):
            return True
        return w.joins[i] and w.keys[nxt] in self.lex.subject_next and (not need_shape or self.is_last(k))

    def _name_words(self, w: Words, i: int, after_honorific: bool, strong: bool = False) -> int:
        """End word (exclusive) of a person name starting at word i, or i when there is none."""
        lex = self.lex
        n = len(w.keys)
        j = i
        plain = 0
        while j < n and j - i < 3 and (j == i or w.joins[j - 1]):
            k = w.keys[j]
            if self.is_first(k):
                plain += 1
            elif not (k in lex.first_amb and (j > i or after_honorific or self._listed_surname(w, j + 1) or (
                    self._surname_at(w, j + 1, strict=True) and self._boundary(w, j + 2)) or (
                    j == i and self._clause_start(w, i) and self._unknown_then_boundary(w, j + 1)))):
                break
            j += 1
        firsts = j - i
        if firsts == 0:
            if after_honorific and i < n and self.namelike(w, i) and (
                    self.is_last(w.keys[i]) or w.keys[i] in lex.last_amb or self.surname_shaped(w.keys[i])):
                # honorific + surname ("آقای رحیمی"); a bare common word after دکتر/مهندس is not a name
                return self._extend_surname(w, i + 1)
            if strong and i < n and self.namelike(w, i) and not self._verb_like(w, i):
                # آقای/خانم/آیت‌الله/پروفسور + any name-like word (foreign or unlisted names)
                end = i + 1
                if end < n and w.joins[end - 1] and self.namelike(w, end) and not self._verb_like(w, end) and (
                        self._surname_at(w, end, strict=False) or self._boundary(w, end + 1)):
                    end += 1
                return end
            return i
        # surname after the first names (an ambiguous surname needs a plain first name or an honorific, and
        # then a clause start, an honorific or a clear end: "طرح هادی روستایی" is no name)
        if self._surname_at(w, j, strict=True):
            return self._extend_surname(w, j + 1)
        if (plain or after_honorific) and self._surname_at(w, j, strict=False) and (
                after_honorific or self._clause_start(w, i)
                or (self._boundary(w, j + 1) and w.keys[j] not in lex.adjectives)):
            return self._extend_surname(w, j + 1)
        if j < n and w.joins[j - 1] and self.namelike(w, j):
            if after_honorific:
                return self._extend_surname(w, j + 1)
            if (plain or self._clause_start(w, i)) and self._unknown_then_boundary(w, j):
                return j + 1  # first name + an unknown word that ends the phrase ("محمدرضا فروتن، …")
        if firsts >= 2 and self.is_last(w.keys[j - 1]) and plain:
            return j
        if after_honorific and plain:
            return j
        return i

    def _unknown_then_boundary(self, w: Words, j: int) -> bool:
        """Word j is a name-like word (not an adjective, place or verb) followed by a clear boundary."""
        return (j < len(w.keys) and w.joins[j - 1] and self.namelike(w, j) and not self._verb_like(w, j)
                and w.keys[j] not in self.lex.adjectives and self._boundary(w, j + 1))

    def _listed_surname(self, w: Words, j: int) -> bool:
        return j < len(w.keys) and w.joins[j - 1] and self.is_last(w.keys[j])

    def _verb_like(self, w: Words, i: int) -> bool:
        """A written verb form: the continuous/negative prefix joined by ZWNJ (می‌…, نمی‌…) or a listed form."""
        word = w.text[w.starts[i]:w.ends[i]]
        return word.startswith(_VERB_PREFIXES) or w.keys[i] in self.lex.role_stop or w.keys[i] in self.lex.verb_forms

    def _surname_at(self, w: Words, j: int, strict: bool) -> bool:
        """Word j (joined to the word before) is a surname: listed, or with a surname ending."""
        if j >= len(w.keys) or not w.joins[j - 1] or not self.namelike(w, j):
            return False
        k = w.keys[j]
        if self.is_last(k) or self.surname_shaped(k):
            return True
        return not strict and k in self.lex.last_amb

    def _boundary(self, w: Words, i: int) -> bool:
        """Word i starts something that cannot continue a name: end, punctuation, a stop word, a role, a verb."""
        if i >= len(w.keys) or not w.joins[i - 1]:
            return True
        k = w.keys[i]
        return k in self.lex.role_stop or k in self.lex.occupations or bool(self.lex.cues.match(w, i)) \
            or bool(self.lex.heads.match(w, i)) or bool(self.lex.standalone.match(w, i))

    # ---- everything
    def anaphor_at(self, w: Words, i: int) -> int:
        """End word of a demonstrative + title phrase referring back to a person ("این مقام مسئول",
        "این نماینده مجلس"), or ``i``."""
        lex = self.lex
        if w.keys[i] not in lex.anaphora_det or i + 1 >= len(w.keys) or not w.joins[i]:
            return i
        r = self.role_at(w, i + 1)
        if r:
            return r.j
        h = lex.anaphora_heads.match(w, i + 1) or lex.heads.match(w, i + 1)
        return i + 1 + h[0] if h else i

    def scan(self, w: Words) -> tuple[list[RoleHit], list[NameHit], list[tuple[int, int]]]:
        """Roles, names and pronouns (word spans) in text order (non-overlapping)."""
        lex = self.lex
        roles: list[RoleHit] = []
        names: list[NameHit] = []
        pronouns: list[tuple[int, int]] = []
        n = len(w.keys)
        keys, may_start, clause_start, namelike = w.keys, self._may_start, self._clause_start, self.namelike
        listed, phrase_start, anaphora_det, pronoun_keys = self._listed_start, self._phrase_start, lex.anaphora_det, \
            lex.pronouns
        next1, next2 = self._unlisted_next1, self._unlisted_next2
        ps_table, ps_prefixes, joins = phrase_start.table, phrase_start.prefixes, w.joins
        # Fast path: only candidate words are visited. A word that is not in _may_start, is no pronoun and is
        # joined to the word before it (so no clause starts there) does nothing in the loop below but step on
        # (the first branch's tests all fail), so skipping it gives the same hits. The candidates are picked in
        # C: a set look-up per key, or-ed with "not joined to the previous word" (word 0 always qualifies).
        cands = compress(range(n), map(or_, map(self._scan_start.__contains__, keys),
                                       map(not_, chain((False,), w.joins))))
        pos = 0  # first word not yet consumed by a hit
        for i in cands:
            if i < pos:
                continue
            pos = i + 1
            k = keys[i]
            if k in anaphora_det:
                # an anaphor is tried first at every word (see _reference_scan in the tests); when there is none,
                # the word goes on like any other: a demonstrative (این, همین) is no listed name, so name_at can
                # find a name at it only where the unlisted-word test below does
                a = self.anaphor_at(w, i)
                if a > i:
                    pronouns.append((i, a))
                    pos = a
                    continue
            # (a word that is no phrase key itself and whose key joined with the next word's is no phrase prefix
            # fails phrase_start.match at once: common words like "و"/"در" are prefixes of longer keys only)
            if k not in may_start or (k not in listed and (
                    (k not in ps_table and not (i + 1 < n and joins[i] and k + keys[i + 1] in ps_prefixes))
                    or not phrase_start.match(w, i))):
                # no anaphor, role, honorific or gazetteer name starts here, and no listed name: a name only as an
                # unlisted name-like word opening a clause (see _single_ok and _subject_before_cue); else a pronoun.
                # Fast path: for such a word name_at finds no honorific, gazetteer name or listed first name, so it
                # finds a name only through _single_ok (needs a role or cue at word i+1: the word is no listed
                # surname) or _subject_before_cue (a cue at word i+1 or i+2); a phrase can only start at a word
                # whose key is a prefix of its table, so without such a key name_at would return None.
                # (a clause start needs a break before the word: tested first, it turns most words away at once)
                if (i == 0 or not joins[i - 1]) \
                        and ((i + 1 < n and keys[i + 1] in next1) or (i + 2 < n and keys[i + 2] in next2)) \
                        and clause_start(w, i) and namelike(w, i):
                    nh = self.name_at(w, i)
                    if nh:
                        names.append(nh)
                        pos = nh.j
                        continue
                if k in pronoun_keys:
                    pronouns.append((i, i + 1))
                continue
            r = self.role_at(w, i)
            if r:
                roles.append(r)
                pos = r.j
                continue
            nh = self.name_at(w, i)
            if nh:
                names.append(nh)
                pos = nh.j
                continue
            if k in lex.pronouns:
                pronouns.append((i, i + 1))
        self._names_next_to_roles(w, roles, names)
        self._coordinated_names(w, roles, names)
        return roles, names, pronouns

    def _coordinated_names(self, w: Words, roles: list[RoleHit], names: list[NameHit]) -> None:
        """In a list of names ("الف ب، ج د و هـ و"), a 2-3 word item next to a found full name is a name too
        when it starts with a (possibly ambiguous) first name or ends with a surname."""
        if not names:
            return
        covered = set()
        for r in roles:
            covered.update(range(r.i, r.j))
        for nh in names:
            covered.update(range(nh.span_start if nh.span_start >= 0 else nh.i, nh.j))
        lex, n = self.lex, len(w.keys)

        def sep_after(j: int) -> int | None:
            """Index of the first word of the next item when word j-1 is followed by "،" or "و", else None."""
            if j >= n:
                return None
            gap = w.gap(j - 1).strip(" \t\u00a0\u200c")
            if gap in ("\u060c", ","):
                return j
            if not gap and w.keys[j] == _AND and j + 1 < n and w.joins[j]:
                return j + 1
            return None

        def item_at(i: int) -> int | None:
            """End of a 2-3 word name-like item starting at word i that ends at a separator or boundary."""
            if i in covered:
                return None
            end = i
            while end < n and end - i < 3 and end not in covered and self.namelike(w, end) \
                    and (end == i or w.joins[end - 1]) and not self._verb_like(w, end):
                end += 1
            if end - i < 2:
                return None
            k0, kl = w.keys[i], w.keys[end - 1]
            first_ok = self.is_first(k0) or k0 in lex.first_amb
            last_ok = self.is_last(kl) or kl in lex.last_amb or self.surname_shaped(kl)
            if not first_ok:
                return None
            if not last_ok and not self._boundary(w, end) and sep_after(end) is None:
                return None
            if end < n and w.joins[end - 1] and not self._boundary(w, end) and sep_after(end) is None:
                return None
            return end

        new: list[NameHit] = []
        for nh in list(names):
            if nh.j - nh.i < 2:
                continue
            # forwards
            j = nh.j
            for _ in range(20):
                nxt = sep_after(j)
                if nxt is None:
                    break
                end = item_at(nxt)
                if end is None:
                    break
                new.append(NameHit(nxt, end, (), nxt, None, "list-item"))
                covered.update(range(nxt, end))
                j = end
        if new:
            names.extend(new)
            names.sort(key=lambda h: h.i)

    def _names_next_to_roles(self, w: Words, roles: list[RoleHit], names: list[NameHit]) -> None:
        """Unknown names written right after or before a role (``وزیر کشور اسکندر مؤمنی``)."""
        covered = set()
        for r in roles:
            covered.update(range(r.i, r.j))
        for nh in names:
            covered.update(range(nh.h_start if nh.h_start >= 0 else nh.i, nh.j))
        new: list[NameHit] = []
        n = len(w.keys)
        for r in roles:
            # after: role + 2-3 name-like words
            j = r.j
            if j < n and r.j - 1 >= 0 and w.joins[r.j - 1] and j not in covered:
                end = j
                while end < n and end - j < 3 and end not in covered and self.namelike(w, end) \
                        and (end == j or w.joins[end - 1]):
                    end += 1
                if end - j >= 2 and (self.is_first(w.keys[j]) or any(self.is_last(k) for k in w.keys[j:end])):
                    new.append(NameHit(j, end, (), j, None, "role"))
                    covered.update(range(j, end))
            # before: 2-3 name-like words + (comma) + role, at a clause start
            i = r.i
            if i >= 2 and _APPOS_GAP.fullmatch(w.text, w.ends[i - 1], w.starts[i]) and (i - 1) not in covered:
                start = i
                while start > 0 and i - start < 3 and (start - 1) not in covered and self.namelike(w, start - 1) \
                        and (start == i or w.joins[start - 1]):
                    start -= 1
                if i - start >= 2 and (self.is_first(w.keys[start]) or any(self.is_last(k) for k in w.keys[start:i])) and (
                        start == 0 or not w.joins[start - 1] or w.keys[start - 1] in self.lex.role_stop):
                    new.append(NameHit(start, i, (), start, None, "role"))
                    covered.update(range(start, i))
        if new:
            names.extend(new)
            names.sort(key=lambda h: h.i)


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(lexicon())


def find_persons(text: str) -> list[Span]:
    """Person names in ``text`` (gazetteer, honorific + name, name lists, names next to roles), as raw spans.

    Honorifics are not part of the span (``دکتر مسعود پزشکیان`` → ``مسعود پزشکیان``).

    >>> [(s.text, s.start, s.end) for s in find_persons("دکتر مسعود پزشکیان رئیس‌جمهور گفت.")]
    [('مسعود پزشکیان', 5, 18)]
    """
    from .normalize import default_normalizer

    nt = default_normalizer().normalize_with_offsets(text)
    w = tokenize(nt.text)
    _roles, names, _pronouns = _detector().scan(w)
    return [nt.span(w.starts[h.span_start if h.span_start >= 0 else h.i], w.ends[h.j - 1]) for h in names]


# ------------------------------------------------------------------------------------------------- linking


@dataclass(slots=True)
class _Entity:
    name: str | None = None
    name_key: str = ""
    surname_key: str = ""
    honorifics: tuple[str, ...] = ()
    role: str | None = None
    role_key: str = ""
    organization: str | None = None
    gazetteer: dict | None = None
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (word i, word j, kind)
    first: int = 10**9
    paragraph: int = 0


def _jalali(published) -> str | None:
    if published is None:
        return None
    try:
        from persiantools.jdatetime import JalaliDate

        return JalaliDate(published).strftime("%Y-%m-%d")
    except Exception:  # pragma: no cover - persiantools missing or odd date
        return None


def _gaz_role(entry: dict, jdate: str | None) -> dict | None:
    roles = [r for r in entry.get("roles") or [] if r and r.get("role")]
    if not roles:
        return None
    if jdate is None:
        return None  # undated article: the gazetteer cannot say which post the person held
    for r in roles:
        start, end = str(r.get("start") or ""), r.get("end")
        if (not start or start[:len(jdate)] <= jdate) and (end is None or jdate <= str(end) + "~"):
            return r
    return None


class OfficialExtractor:
    """Stage: fills ``doc.article.officials`` (see the module docstring)."""

    def __init__(self) -> None:
        self.lex = lexicon()
        self.det = _detector()

    def __call__(self, doc) -> None:
        nt, art = doc.nt, doc.article
        w = tokenize(nt.text)
        roles, names, pronouns = self.det.scan(w)
        jdate = _jalali(getattr(doc, "published", None) or art.published)
        sent_starts = [s.start for s in art.sentences]
        para_starts = [p.start for p in art.paragraphs]

        raw_starts, word_starts, word_ends = nt.starts, w.starts, w.ends
        # A word's raw start is raw_starts[word_starts[i]] (= nt.to_raw(w.starts[i], w.starts[i] + 1)[0]): a word
        # starts inside the text, so to_raw's clamping and empty-span case never apply.

        def sentence_of(i: int) -> int | None:
            if not sent_starts:
                return None
            return max(0, bisect.bisect_right(sent_starts, raw_starts[word_starts[i]]) - 1)

        def paragraph_of(i: int) -> int:
            return max(0, bisect.bisect_right(para_starts, raw_starts[word_starts[i]]) - 1) if para_starts else 0

        ents = self._link(w, roles, names, paragraph_of, jdate)
        self._surnames(w, ents, roles, names)
        self._gazetteer_fill(ents, jdate)
        self._roles_of_named_subjects(w, ents, sentence_of, paragraph_of)
        self._pronouns(w, ents, pronouns, sentence_of)

        ents = [e for e in ents if e.mentions]
        ents.sort(key=lambda e: min(m[0] for m in e.mentions))
        officials = []
        for n, e in enumerate(ents, 1):
            oid = f"o{n}"
            mentions = []
            for i, j, kind in sorted(set(e.mentions)):
                text, rs, re_, norm = nt.span_fields(word_starts[i], word_ends[j - 1])
                mentions.append(Mention(text, rs, re_, kind, oid, norm, sentence_of(i)))
            gaz = e.gazetteer or {}
            officials.append(Official(
                id=oid, name=e.name, role=e.role, organization=e.organization, honorifics=e.honorifics,
                mentions=tuple(mentions), gazetteer_id=gaz.get("id"), wikidata=gaz.get("wikidata")))
        art.officials = officials

    # ---- linking helpers
    def _link(self, w: Words, roles: list[RoleHit], names: list[NameHit], paragraph_of,
              jdate: str | None = None) -> list[_Entity]:
        items: list[tuple[int, str, Any]] = [(r.i, "role", r) for r in roles] + [(h.i, "name", h) for h in names]
        items.sort(key=lambda t: t[0])
        role_used: set[int] = set()
        # appositives: name + role, role + name
        pair_role: dict[int, RoleHit] = {}
        for idx, (pos, kind, obj) in enumerate(items):
            if kind != "name":
                continue
            h: NameHit = obj
            nxt = items[idx + 1] if idx + 1 < len(items) else None
            prv = items[idx - 1] if idx > 0 else None
            if nxt and nxt[1] == "role" and id(nxt[2]) not in role_used and \
                    _APPOS_GAP.fullmatch(w.text, w.ends[h.j - 1], w.starts[nxt[2].i]):
                pair_role[id(h)] = nxt[2]
                role_used.add(id(nxt[2]))
            elif prv and prv[1] == "role" and id(prv[2]) not in role_used:
                start = h.h_start if h.h_start >= 0 else h.i
                if _APPOS_GAP.fullmatch(w.text, w.ends[prv[2].j - 1], w.starts[start]):
                    pair_role[id(h)] = prv[2]
                    role_used.add(id(prv[2]))
        ents: list[_Entity] = []

        # Look-ups return the latest entity that fits. Each condition needs an equal key (gazetteer id, name key,
        # surname key or role key), so entities are indexed by those keys when they get them (stale entries are
        # re-checked) instead of scanning every entity for every mention (quadratic on long texts).
        order: dict[int, int] = {}  # id(entity) -> position in ents (ents only grows)
        by_gid: dict[str, list[_Entity]] = {}
        by_key: dict[str, list[_Entity]] = {}
        by_sur: dict[str, list[_Entity]] = {}
        by_rkey: dict[str, list[_Entity]] = {}
        unnamed: list[_Entity] = []  # entities opened by a role, in creation order (they may get a name later)

        def add(e: _Entity) -> None:
            order[id(e)] = len(ents)
            ents.append(e)

        def index(e: _Entity) -> None:
            for table, k in ((by_key, e.name_key), (by_sur, e.surname_key), (by_rkey, e.role_key),
                             (by_gid, (e.gazetteer or {}).get("id"))):
                if k is not None:
                    lst = table.setdefault(k, [])
                    if not lst or lst[-1] is not e:
                        lst.append(e)

        def latest(cands, ok) -> _Entity | None:
            best, best_pos = None, -1
            for e in cands:
                pos = order[id(e)]
                if pos > best_pos and ok(e):
                    best, best_pos = e, pos
            return best

        def by_name(h: NameHit) -> _Entity | None:
            key = "".join(w.keys[h.i:h.j])
            sur = w.keys[h.j - 1]
            gid = (h.gazetteer or {}).get("id")
            single = h.j - h.i == 1

            def ok(e: _Entity) -> bool:
                if gid and e.gazetteer and e.gazetteer.get("id") == gid:
                    return True
                return bool(e.name_key) and (e.name_key == key or (single and e.surname_key == sur)
                                             or (e.surname_key == sur and e.name_key.endswith(key))
                                             or (e.name_key == e.surname_key == sur))

            cands = [*(by_gid.get(gid, ()) if gid else ()), *by_key.get(key, ()), *by_sur.get(sur, ())]
            return latest(cands, ok)

        def by_role(key: str) -> _Entity | None:
            return latest(by_rkey.get(key, ()), lambda e: e.role_key == key)

        def unnamed_role(para: int) -> _Entity | None:
            """The latest entity opened by a role and still unnamed, at most one paragraph back."""
            while unnamed and unnamed[-1].name_key:
                unnamed.pop()
            for cand in reversed(unnamed):
                if para - cand.paragraph > 1:
                    return None  # entities are created in text order: earlier ones are further back
                if not cand.name_key and cand.role:
                    return cand
            return None

        for _pos, kind, obj in items:
            if kind == "name" and obj.gazetteer and obj.j - obj.i == 1 and _gaz_role(obj.gazetteer, jdate) is None:
                # a bare surname is linked to a gazetteer official only when he held a post on the article's date
                obj.gazetteer = None
            if kind == "role":
                if id(obj) in role_used:
                    continue
                r: RoleHit = obj
                key = _phrase_key(r.role)
                e = by_role(key)
                if e is None:
                    e = _Entity(role=r.role, role_key=key, organization=r.organization, first=r.i,
                                paragraph=paragraph_of(r.i))
                    add(e)
                    index(e)
                    unnamed.append(e)
                e.mentions.append((r.i, r.j, "role"))
                continue
            h: NameHit = obj
            r = pair_role.get(id(h))
            e = by_name(h)
            if e is None and r is not None:
                e = by_role(_phrase_key(r.role))
                if e is not None and e.name_key:
                    e = None  # same title, another person
            if e is None and r is None and h.j - h.i >= 2:
                # a role introduced before the name ("رئیس سازمان … گفت" … "سید محمد بطحائی")
                e = unnamed_role(paragraph_of(h.i))
            if e is None:
                e = _Entity(first=h.i, paragraph=paragraph_of(h.i))
                add(e)
            if not e.name_key or (h.j - h.i > 1 and e.name_key == e.surname_key):  # none yet, or surname only
                e.name = _clean(w.text[w.starts[h.i]:w.ends[h.j - 1]])
                if h.gazetteer and h.j - h.i == 1 and h.gazetteer.get("name"):
                    e.name = h.gazetteer["name"]  # only a surname is written: the gazetteer's full name
                e.name_key = "".join(w.keys[h.i:h.j])
                e.surname_key = w.keys[h.j - 1]
                e.honorifics = h.honorifics
            elif h.honorifics and not e.honorifics:
                e.honorifics = h.honorifics
            if h.gazetteer and not e.gazetteer and (
                    h.j - h.i > 1 or e.name_key == e.surname_key
                    or e.name_key == _phrase_key(h.gazetteer.get("name") or "")):
                # a bare surname links the gazetteer entry only to an official not named otherwise in the text
                e.gazetteer = h.gazetteer
            kind_ = "surname" if h.j - h.i == 1 and e.name_key != w.keys[h.i] else "name"
            if h.j - h.i == 1 and e.name_key == w.keys[h.i]:
                kind_ = "name"
            e.mentions.append((h.span_start if h.span_start >= 0 else h.i, h.j, kind_))
            if r is not None:
                if not e.role:
                    e.role, e.role_key, e.organization = r.role, _phrase_key(r.role), r.organization
                e.mentions.append((r.i, r.j, "role"))
            index(e)
        return ents

    def _surnames(self, w: Words, ents: list[_Entity], roles: list[RoleHit], names: list[NameHit]) -> None:
        """Bare surnames (``مؤمنی``) of officials already named in the article."""
        index: dict[str, _Entity] = {}
        for e in ents:
            k = e.surname_key
            if k and k not in self.lex.not_name and (
                    len(k) >= 4 or self.det.is_last(k) or self.det.surname_shaped(k) or k in self.lex.gazetteer):
                index.setdefault(k, e)
        if not index:
            return
        covered = set()
        for r in roles:
            covered.update(range(r.i, r.j))
        for h in names:
            covered.update(range(h.h_start if h.h_start >= 0 else h.i, h.j))
        # only words whose key is indexed can be a surname mention: pick them in C (a set look-up per key), in
        # text order, instead of visiting every word
        keys = w.keys
        for i in compress(range(len(keys)), map(index.__contains__, keys)):
            if i not in covered:
                index[keys[i]].mentions.append((i, i + 1, "surname"))

    def _gazetteer_fill(self, ents: list[_Entity], jdate: str | None) -> None:
        for e in ents:
            if e.gazetteer and not e.role:
                r = _gaz_role(e.gazetteer, jdate)
                if r:
                    e.role, e.organization = r["role"], r.get("organization")
                    e.role_key = _phrase_key(e.role)
            if not e.name_key and jdate is not None and e.role_key in self.lex.gaz_by_role:
                # a role written without a name: its holder on the publication date (never guessed undated)
                holders = [g for g in self.lex.gaz_by_role[e.role_key]
                           if (_gaz_role(g, jdate) or {}).get("role") and _phrase_key(_gaz_role(g, jdate)["role"])
                           == e.role_key]
                if len(holders) == 1:
                    e.gazetteer = holders[0]
                    e.name = holders[0]["name"]
                    e.honorifics = tuple(holders[0].get("honorifics") or ())

    def _roles_of_named_subjects(self, w: Words, ents: list[_Entity], sentence_of, paragraph_of) -> None:
        """A role first written as a sentence subject after a named subject without a role is that person's
        role ("هاشم فاطمی … گفت" … "مدیر منابع آب … افزود"), the usual way news reports name a speaker."""
        events = sorted(((i, e) for e in ents for i, _j, _k in e.mentions), key=lambda t: t[0])
        last_named: _Entity | None = None
        last_para = -10
        seen_sentence: set = set()
        first_of = {id(e): min(i for i, _j, _k in e.mentions) for e in ents if e.mentions}
        for i, e in events:
            s = sentence_of(i)
            if s in seen_sentence or self._after_nonsubject(w, i):
                continue
            seen_sentence.add(s)  # the sentence's subject: its first mention not governed by a preposition
            para = paragraph_of(i)
            if e.name_key:
                last_named, last_para = e, para
                continue
            if (last_named is not None and not last_named.role and e.role and not e.gazetteer
                    and first_of.get(id(e)) == i and para - last_para <= 2):
                last_named.role, last_named.role_key, last_named.organization = e.role, e.role_key, e.organization
                last_named.mentions.extend(e.mentions)
                e.mentions = []
                last_para = para

    def _pronouns(self, w: Words, ents: list[_Entity], pronouns: list[tuple[int, int]], sentence_of) -> None:
        """``وی``/``او``/``ایشان``/``این مقام مسئول`` → the subject of the latest sentence that had one (not merely
        the last name mentioned)."""
        if not pronouns:
            return
        events: list[tuple[int, int, _Entity | None, int]] = []  # (word, order, entity or None, end word)
        for e in ents:
            for i, j, _k in e.mentions:
                events.append((i, 1, e, j))
        for p, pj in pronouns:
            events.append((p, 0, None, pj))
        events.sort(key=lambda t: (t[0], t[1]))
        last_subject: _Entity | None = None
        cur_sent, cur_subject = None, None
        for i, _o, e, end in events:
            s = sentence_of(i)
            if s != cur_sent:
                if cur_subject is not None:
                    last_subject = cur_subject
                cur_sent, cur_subject = s, None
            if e is None:
                target = cur_subject or last_subject
                if target is not None:
                    target.mentions.append((i, end, "pronoun"))
                    if cur_subject is None and not self._after_nonsubject(w, i):
                        cur_subject = target
                continue
            if cur_subject is None and not self._after_nonsubject(w, i):
                cur_subject = e
        # (the subject of the final sentence needs no carrying over)

    def _after_nonsubject(self, w: Words, i: int) -> bool:
        if i == 0:
            return False
        gap = w.gap_before(i)
        if gap.strip(" \u200c\t") and not gap.strip(" \u200c\t") in ("،", ","):
            return False
        return w.keys[i - 1] in self.lex.nonsubject


def iter_mentions(officials: Iterable[Official]) -> list[Mention]:
    """All mentions of ``officials`` in text order."""
    return sorted((m for o in officials for m in o.mentions), key=lambda m: m.start)
