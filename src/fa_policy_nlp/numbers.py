"""Persian numbers: digits with separators, number words, mixed forms, ordinals and simple fractions.

>>> parse_number("یک میلیون و سیصد هزار")
1300000
>>> parse_number("۱ میلیون و ۳۰۰ هزار")
1300000
>>> parse_number("۲.۵ میلیارد")
2500000000
>>> parse_number("هفتمین")
7
>>> parse_number("سه چهارم")
Decimal('0.75')
>>> parse_number("دوباره") is None
True

Value types: ``int`` whenever the value is integral; ``Decimal`` when it is a finite decimal (``۱۲٫۵``, ``۳/۵``,
``دو ممیز پنج``, ``سه چهارم``); ``Fraction`` otherwise (``یک سوم`` → ``Fraction(1, 3)``).

:func:`scan_numbers` finds every number expression in a text (a linear left-to-right pass over tokens, no
backtracking regular expression) and is what the figures and dates stages use. Word lists live in
``data/numbers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from typing import Union

from .errors import require_str
from .keys import match_key
from .resources import load_yaml

__all__ = ["parse_number", "scan_numbers", "NumberMatch", "Number"]

Number = Union[int, Decimal, Fraction]

# --------------------------------------------------------------------------------------------------- tokens
_DIGITS = "0-9\u06f0-\u06f9\u0660-\u0669"
_SEPS = ".,/\u066b\u066c"  # . , / Arabic decimal separator ٫, Arabic thousands separator ٬
_MARKS = "\u064b-\u065f\u0670"  # Arabic diacritics (not matched by \w)
# One token: a digit run with inner separators, or a word (letters/diacritics, parts joined by ZWNJ), or a percent
# sign. Each repetition starts with a character the previous one cannot match, so matching is linear. A word is
# matched as atomic runs of letters or of marks (the same strings as one character at a time, but ~25% faster).
_TOKEN = re.compile(
    rf"(?P<num>(?:(?<![\w\u200c{_SEPS}])[-\u2212])?[{_DIGITS}]+(?:[{_SEPS}][{_DIGITS}]+)*)"
    rf"|(?P<word>(?>[^\W\d_]+|[{_MARKS}]+)+(?:\u200c+(?>[^\W\d_]+|[{_MARKS}]+)+)*)"
)
_DIGIT_TRANS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_GAP_OK = re.compile(r"[ \t\u00a0\u200c\u200e\u200f\u202f]*")  # what may separate parts of one number
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MAX_DIGITS = 4000  # Python refuses int() on longer strings; such runs are codes, not quantities


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number expression at ``text[start:end]``.

    ``kind``: ``cardinal``, ``ordinal``, ``fraction`` or ``date`` (digits like ``۱۴۰۴/۰۷/۱۴``, value ``None``).
    ``words``/``digits``/``scaled`` say what the expression is made of; ``ambiguous`` marks a lone word that is also
    a common non-number word (``نه`` "no", ``یک`` "a"); ``code`` marks digit strings that are identifiers
    (leading zero, thousands of digits).
    """

    start: int
    end: int
    value: Number | None
    kind: str = "cardinal"
    words: bool = False
    digits: bool = False
    scaled: bool = False
    ambiguous: bool = False
    code: bool = False
    negative: bool = False
    negation: bool = False  # a lone نه: "no/not" more often than 9
    scale: int | None = None  # the last (smallest) scale word applied: ۹ میلیون -> 1000000


@dataclass(slots=True)
class _Atom:
    kind: str  # card digit scale and neg point half ord sfx word
    start: int
    end: int
    value: int | Fraction | None = None  # int whenever integral (cheaper than Fraction)
    gap_ok: bool = False  # only spaces/ZWNJ between the previous atom and this one
    frac_ok: bool = False  # ordinal usable as a fraction denominator (سوم, not سومین)
    scale_ord: bool = False  # ordinal of a scale word (هزارم, میلیونمین)
    ambiguous: bool = False
    negation: bool = False
    date: bool = False
    code: bool = False
    decimal: bool = False
    text: str = ""


class _Lexicon:
    """Number words from data/numbers.yaml, keyed by :func:`keys.match_key`."""

    def __init__(self) -> None:
        data = load_yaml("numbers.yaml")
        self.cards: dict[str, int] = {match_key(k): int(v) for k, v in data["cardinals"].items()}
        self.scales: dict[str, int] = {match_key(k): int(v) for k, v in data["scales"].items()}
        self.compounds: dict[str, tuple[int, int]] = {
            match_key(k): (int(v[0]), int(v[1])) for k, v in (data.get("compounds") or {}).items()}
        self.conj = match_key(data["conjunction"])
        self.neg = {match_key(w) for w in data["negative"]}
        self.point = {match_key(w) for w in data["point"]}
        self.half = {match_key(w) for w in data["half"]}
        self.quarter = {match_key(w) for w in data["quarter"]}
        self.ambiguous = {match_key(w) for w in data["ambiguous"]}
        self.negation = {match_key(w) for w in data["negation_like"]}
        sfx = [match_key(s) for s in data["ordinal_suffixes"]]
        sfx_v = [match_key(s) for s in data["ordinal_suffixes_after_vowel"]]
        self.suffixes = set(sfx) | set(sfx_v)
        self.suffixes_vowel = set(sfx_v)
        # ordinals: key -> (value, usable as fraction denominator)
        self.ords: dict[str, tuple[int, bool]] = {}
        irregular = {match_key(k): int(v) for k, v in data["ordinals"].items()}
        irregular_values = set(irregular.values())
        vowel_endings = tuple(match_key(v) for v in data["vowel_endings"])
        for word, v in list(self.cards.items()) + list(self.scales.items()):
            if v in irregular_values or v == 0:
                continue  # دو/سه/یک have irregular ordinals (سهم is "share", not "third")
            ends_vowel = word.endswith(vowel_endings)
            for i, s in enumerate(sfx_v if ends_vowel else sfx):
                self.ords.setdefault(word + s, (v, i == 0))
        self.scale_ords = {w + s for w in self.scales for s in sfx}
        for word, v in irregular.items():
            frac = not word.endswith(sfx[-1]) and v >= 2  # دوم/سوم are denominators, دومین/اول are not
            self.ords[word] = (v, frac)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


def _room(v: int) -> int:
    """How large a number word may follow ``v`` additively (سیصد → 99, بیست → 9, پنج → 0)."""
    if 100 <= v < 1000:
        return 99 if v % 100 == 0 else (9 if v % 10 == 0 and v % 100 >= 20 else 0)
    if 20 <= v < 100 and v % 10 == 0:
        return 9
    return 0


# --------------------------------------------------------------------------------------------------- digits
_DIGIT_RUN = re.compile(r"\d+", re.ASCII)
_DIGIT_GROUP = re.compile(rf"[{_DIGITS}]+")
_NONDIGIT = re.compile(r"[^0-9]", re.ASCII)


def _digit_pieces(raw: str, start: int) -> list[_Atom]:
    """Interpret one digit token (``۱٬۲۳۴٫۵``, ``1,234``, ``۳/۵``, ``۱۴۰۴/۰۷/۱۴``) as one or more digit atoms."""
    if raw.isdigit() and len(raw) <= _MAX_DIGITS:  # fast path: plain digit run
        s = raw.translate(_DIGIT_TRANS)
        return [_Atom("digit", start, start + len(raw), int(s), code=len(s) > 1 and s[0] == "0", text=raw)]
    if raw[0] in "-\u2212":
        got = _digit_pieces(raw[1:], start + 1)
        first = got[0]
        if first.value is not None and not first.date:
            first.value = -first.value
            first.start = start
            first.text = raw[0] + first.text
        return got
    s = raw.translate(_DIGIT_TRANS)
    groups = _DIGIT_RUN.findall(s)
    seps = _NONDIGIT.findall(s)
    end = start + len(raw)
    if sum(len(g) for g in groups) > _MAX_DIGITS:
        return [_Atom("digit", start, end, None, code=True, text=raw)]
    if not seps:
        code = len(s) > 1 and s[0] == "0"
        return [_Atom("digit", start, end, int(s), code=code, text=raw)]
    if "/" in seps:
        if seps == ["/"] and len(groups[0]) <= 3 and len(groups[1]) <= 3:
            return [_Atom("digit", start, end, Fraction(f"{groups[0]}.{groups[1]}"), decimal=True, text=raw)]
        return [_Atom("digit", start, end, None, date=True, text=raw)]
    for th, dec in ((",", "."), ("\u066c", "\u066b"), (",", "\u066b"), ("\u066c", "."), (".", "\u066b"),
                    (None, "\u066b")):
        if any(c not in (th, dec) for c in seps):
            continue
        ndec = seps.count(dec)
        if ndec > 1 or (ndec == 1 and seps[-1] != dec):
            continue
        int_groups = groups[:-1] if ndec else groups
        if len(int_groups) > 1 and (len(int_groups[0]) > 3 or any(len(g) != 3 for g in int_groups[1:])):
            continue
        text = "".join(int_groups) + ("." + groups[-1] if ndec else "")
        code = len(int_groups[0]) > 1 and int_groups[0][0] == "0"
        return [_Atom("digit", start, end, Fraction(text), decimal=bool(ndec), code=code, text=raw)]
    # no consistent reading: separate numbers (۱۰,۲۰)
    atoms = []
    for g in _DIGIT_GROUP.finditer(raw):
        v = g.group().translate(_DIGIT_TRANS)
        atoms.append(_Atom("digit", start + g.start(), start + g.end(), int(v), gap_ok=False, text=g.group()))
    return atoms


# --------------------------------------------------------------------------------------------------- atoms
def _word_atoms(lex: _Lexicon, word: str, start: int, prev_numeric: bool) -> list[_Atom] | None:
    """Atoms of a ZWNJ-joined word, or None when any part is not a number part (میلیون‌ها, دوباره)."""
    atoms: list[_Atom] = []
    pos = 0
    for part in word.split("\u200c"):
        ps = start + word.index(part, pos) if part else start + pos
        pos = ps - start + len(part)
        if not part:
            continue
        key = match_key(part)
        got = _part_atoms(lex, key, ps, ps + len(part), attached=bool(atoms) or prev_numeric)
        if got is None:
            return None
        for a in got:
            a.gap_ok = True
        atoms.extend(got)
    return atoms


_MAX_SOLID = 64  # longest solid number word split at its و (eight parts of eight letters)


def _part_atoms(lex: _Lexicon, key: str, s: int, e: int, attached: bool, split_conj: bool = True) -> list[_Atom] | None:
    if key in lex.cards:
        v = lex.cards[key]
        return [_Atom("card", s, e, v, ambiguous=key in lex.ambiguous, negation=key in lex.negation)]
    if key in lex.scales:
        return [_Atom("scale", s, e, lex.scales[key])]
    if key in lex.ords:
        v, frac = lex.ords[key]
        return [_Atom("ord", s, e, v, frac_ok=frac, scale_ord=key in lex.scale_ords)]
    if key in lex.compounds:
        a, b = lex.compounds[key]
        return [_Atom("card", s, s, a), _Atom("scale", s, e, b)]
    if key == lex.conj:
        return [_Atom("and", s, e)]
    if key in lex.half:
        return [_Atom("half", s, e, Fraction(1, 2), ambiguous=key in lex.ambiguous)]
    if key in lex.quarter:
        return [_Atom("half", s, e, Fraction(1, 4), ambiguous=key in lex.ambiguous)]
    if key in lex.neg:
        return [_Atom("neg", s, e)]
    if key in lex.point:
        return [_Atom("point", s, e)]
    if attached and key in lex.suffixes:
        return [_Atom("sfx", s, e)]
    if split_conj and len(key) > 1 and key[-1] == lex.conj:  # و glued after: هزارو
        head = _part_atoms(lex, key[:-1], s, e - 1, attached=False, split_conj=False)
        if head is not None and head[-1].kind in ("card", "scale"):
            return head + [_Atom("and", e - 1, e)]
    if split_conj and len(key) > 1 and key[0] == lex.conj:
        rest = _part_atoms(lex, key[1:], s + 1, e, attached=False, split_conj=False)
        if rest is not None and rest[0].kind in ("card", "scale", "ord", "half"):
            return [_Atom("and", s, s + 1)] + rest
    # و inside a solid word: سیصدوپنجاه, هشتصدوهشتادوهشت. Only for words of at most _MAX_SOLID letters: the search
    # recurses once per و, so an unbounded run ("یکو" * 3000) would be quadratic and exhaust the stack.
    if split_conj and len(key) == e - s and len(key) <= _MAX_SOLID:
        i = key.find(lex.conj, 1)
        while 0 < i < len(key) - 1:
            head = _part_atoms(lex, key[:i], s, s + i, attached=False, split_conj=False)
            if head is not None and len(head) == 1 and head[0].kind in ("card", "scale"):
                tail = _part_atoms(lex, key[i + 1:], s + i + 1, e, attached=False, split_conj=True)
                if tail is not None and tail[0].kind in ("card", "scale", "ord", "half"):
                    return head + [_Atom("and", s + i, s + i + 1)] + tail
            i = key.find(lex.conj, i + 1)
    return None


@lru_cache(maxsize=65536)
def _word_template(word: str, attached: bool) -> tuple[_Atom, ...] | None:
    """Atoms of ``word`` at offset 0 (cached: running text repeats its words), or None for a plain word."""
    got = _word_atoms(_lexicon(), word, 0, attached)
    return None if got is None else tuple(got)


# --------------------------------------------------------------------------------------------------- seek
# Most words of running text are plain (no number part): ``_atoms`` lets one regex skip them in C. A word is plain
# for ``_word_template(word, False)`` unless its first ZWNJ part's key starts with a lexicon key (``_part_atoms``
# with attached=False returns atoms only for a lexicon key, a lexicon key followed by glued و, or a key starting
# with و). ``_CAND`` is that necessary condition, spelled on raw text: every key letter as the class of letters
# ``match_key`` folds to it, with the characters ``match_key`` drops (tatweel, hamza, diacritics) allowed
# anywhere. It is only a prefilter: every word it lets through is still looked up exactly.
_KEY_DROP = "\u0640\u0621\u064b-\u065f\u0670"  # inside a word part, what match_key deletes


def fold_trie_pattern(keys, drop: str, tail: str) -> str:
    """A regex (no groups) matching raw text whose :func:`keys.match_key` starts with one of ``keys`` (folded
    keys), then ``tail``: a trie of the keys, each letter a class of the raw letters folding to it, each followed by
    ``[drop]*+`` (possessive is safe: ``drop`` holds no key letter). Linear: one alternative per trie edge."""
    from .keys import _FOLD

    sources: dict[str, list[str]] = {}
    for src, dst in _FOLD.items():
        if isinstance(dst, str) and len(dst) == 1:
            sources.setdefault(dst, []).append(chr(src))
    trie: dict = {}
    for k in keys:
        if not k:
            continue
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def cls(ch: str) -> str:
        alts = [ch] + sorted(sources.get(ch, ()))
        return re.escape(ch) if len(alts) == 1 else "[" + "".join(re.escape(c) for c in alts) + "]"

    def emit(node: dict) -> str:
        alts = [cls(ch) + f"[{drop}]*+" + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append(tail)
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def _seek_regex() -> re.Pattern:
    lex = _lexicon()
    heads = set(lex.cards) | set(lex.scales) | set(lex.ords) | set(lex.compounds) | lex.half | lex.quarter \
        | lex.neg | lex.point
    conj = fold_trie_pattern([lex.conj], _KEY_DROP, "")
    end = rf"(?![^\W\d_]|[{_MARKS}])"
    # A lexicon key, after a glued و or not (وپنج: ``_part_atoms`` looks up the rest), that ends the part or is
    # followed by و (glued: هزارو, سیصدوپنجاه); or a part that is و alone when another part follows it in the word
    # (و‌پنج). A word that is و alone is no candidate (``_atoms`` says why and where it reads one).
    cand = (rf"[{_KEY_DROP}]*+(?:(?:{conj})?{fold_trie_pattern(heads, _KEY_DROP, f'(?:{conj}|{end})')}"
            rf"|{conj}{end}(?=\u200c))")
    num = _TOKEN.pattern.split("|(?P<word>")[0]
    word = rf"(?:(?>[^\W\d_]+|[{_MARKS}]+)+(?:\u200c+(?>[^\W\d_]+|[{_MARKS}]+)+)*)"
    # the same maximal word with possessive repeats (nothing follows inside the skip loop): ~30% faster in sre
    skip_word = rf"(?:[^\W\d_]++|[{_MARKS}]++)++(?:\u200c++(?:[^\W\d_]++|[{_MARKS}]++)++)*+"
    # Skipped, possessively: runs of characters no token starts at, whole plain words (with the space after one:
    # fewer turns of the loop), digits outside _DIGITS, _ and a minus that starts no number. Then the next token
    # exactly as _TOKEN reads it.
    return re.compile(
        rf"(?:[^\w\-\u2212{_MARKS}]++|(?!{cand}){skip_word} ?+|(?!{num[len('(?P<num>'):-1]})[\d_\-\u2212])*+"
        rf"(?:{num}|(?P<word>{word}))"
    )


@lru_cache(maxsize=1)
def _seek() -> re.Pattern:
    return _seek_regex()


def _atoms(text: str) -> list[_Atom]:
    """Number atoms of ``text``. Plain words are left out; the atom after one gets ``gap_ok=False``. A word that is
    و alone is left out too where no parse can read it (below).

    Fast path: after a plain word (and before the first atom), ``_seek()`` jumps (in C) over plain words to the
    next digit token or candidate word; the tokens it returns are exactly the ones ``_TOKEN.finditer`` yields
    there, because it starts at a token boundary and skips only whole tokens or characters where no token starts.
    A skipped word would only have set ``broken``; that is implied, as ``gap_ok`` also needs nothing but
    ``_GAP_OK`` characters between the previous atom and this one, and a word between them is not. Right after an
    atom the next token is read with ``_TOKEN`` itself (a suffix, attached word or و may follow).

    و alone (the commonest word of running text) is an "and" atom, but ``_seek()`` skips it: it only seeks after a
    plain word, where that atom would get ``gap_ok=False`` (or follow only such "and" atoms: و و). Such atoms are
    never read: ``scan_numbers`` starts no parse at an "and" atom, ``_parse_at`` stops at an atom without
    ``gap_ok`` and so never reaches them nor, through them, the atoms after them, and what a parse reads of the
    atom after its last one (``neg``/``point``: ``gap_ok`` first; ``and`` in the main loop: a kind, then
    ``gap_ok``) fails alike for them and for the next atom, which now has ``gap_ok=False``. The one read of a next
    atom's kind alone that could then go on is the "and" of the decimal loop after ``point``; so after an "and"
    atom with ``gap_ok`` every token is read with ``_TOKEN`` (no seek) until the next atom (rare: in about one
    article in ten).
    """
    lex = _lexicon()
    out: list[_Atom] = []
    prev_end = -1
    prev_numeric = False
    broken = False  # a plain word since the last atom
    conj_next = False  # the last atom is "and" with gap_ok: read every token until the next atom (see above)
    template = _word_template
    seek, search = _seek().match, _TOKEN.search
    pos = 0
    while True:
        # right after an atom, or after an "and" atom with gap_ok: the next token exactly
        m = search(text, pos) if (not broken and prev_end >= 0) or conj_next else seek(text, pos)
        if m is None:
            break
        g = m.lastindex  # 1: num, 2: word
        s, e = m.span(g)
        pos = e
        word = m.group(2) if g == 2 else None
        if word is not None and not prev_numeric and template(word, False) is None:
            # a candidate that is a plain word, not right after a number. It breaks the number; prev_end
            # is not read again until the next atom sets it (gap_ok needs not broken, attached prev_numeric).
            broken = True
            continue
        gap_ok = not broken and prev_end >= 0 and _GAP_OK.fullmatch(text, prev_end, s) is not None
        if word is None:
            got = _digit_pieces(m.group(1), s)
            if (s > 0 and text[s - 1] in _LATIN) or (e < len(text) and text[e] in _LATIN):
                for a in got:
                    a.code = True  # F14, pc7, 5G: part of an identifier
        else:
            # glued to a number (۷مین, ۲۰‌ام): an ordinal suffix may follow
            attached = prev_numeric and (prev_end == s or text[prev_end:s].strip("\u200c") == "")
            tpl = template(word, attached)
            if tpl is None:
                if prev_numeric and gap_ok and match_key(word) in lex.suffixes_vowel:
                    got = [_Atom("sfx", s, e)]  # spaced suffix: سی ام
                else:
                    broken = True
                    prev_numeric = False
                    prev_end = e
                    continue
            else:
                got = [_Atom(a.kind, a.start + s, a.end + s, a.value, True, a.frac_ok, a.scale_ord, a.ambiguous,
                             a.negation, a.date, a.code, a.decimal, a.text) for a in tpl]
        got[0].gap_ok = gap_ok
        out.extend(got)
        broken = False
        prev_end = e
        last = got[-1]
        prev_numeric = last.kind in ("digit", "card", "scale")
        conj_next = last.kind == "and" and last.gap_ok
    return out


# --------------------------------------------------------------------------------------------------- parser
def _clean(v: Fraction | int) -> Number:
    if isinstance(v, int):
        return v
    if v.denominator == 1:
        return int(v.numerator)
    d = v.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        with localcontext() as ctx:
            ctx.prec = max(28, len(str(v.numerator)) + len(str(v.denominator)) + 2)
            return (Decimal(v.numerator) / Decimal(v.denominator)).normalize()
    return v


def _parse_at(atoms: list[_Atom], i: int) -> tuple[NumberMatch | None, int]:
    """Parse the longest number expression starting at atom ``i``; return it and the index after it."""
    n = len(atoms)
    first = atoms[i]
    if first.kind == "digit" and (first.date or first.value is None):
        kind = "date" if first.date else "cardinal"
        return NumberMatch(first.start, first.end, None, kind, digits=True, code=first.code), i + 1
    neg = False
    j = i
    if first.kind == "neg":
        if i + 1 < n and atoms[i + 1].gap_ok and atoms[i + 1].kind in ("card", "digit"):
            neg = True
            j = i + 1
        else:
            return None, i + 1
    parts: list[list[Fraction]] = []  # [amount, scale], scales decreasing
    cur: Fraction | None = None
    room = 0
    cur_digit = False
    pending_and = False
    best: tuple | None = None  # (value, end_atom_index, kind)
    group_best: tuple | None = None
    flags = {"words": False, "digits": False, "scaled": False}

    def total() -> Fraction:
        if not parts:
            return cur if cur is not None else 0
        return sum((p[0] for p in parts), 0) + (cur or 0)

    while j < n:
        a = atoms[j]
        if j > i and not a.gap_ok:
            break
        k = a.kind
        if k == "card":
            v = a.value
            if cur is None:
                if parts:
                    if v >= parts[-1][1]:
                        break
                    group_best = best
                cur, room, cur_digit = v, _room(int(v)), False
            elif v == 100 and not cur_digit and 1 <= cur <= 9 and cur.denominator == 1:
                cur, room = cur * 100, 99  # spaced hundreds: شش صد
            else:
                if cur_digit or v > room or v == 0:
                    break
                cur += v
                room = _room(int(v))
            pending_and = False
            flags["words"] = True
        elif k == "digit":
            if a.value is None or a.date:
                break
            if cur is not None:
                # صد و ۵۰: digits after a word group and و, when they fit (not after digits)
                if cur_digit or not pending_and or a.value.denominator != 1 or not 0 < a.value <= room:
                    break
                cur += a.value
                room, cur_digit, pending_and = 0, True, False
                flags["digits"] = True
                best = (total(), j, "cardinal")
                j += 1
                continue
            if parts:
                # ۱ میلیون و ۳۰۰ هزار, ۱۰۳ هزار و ۹۸۸: digits continue a number only after a scale word and و
                if not (pending_and and a.value.denominator == 1 and 0 < a.value < parts[-1][1]):
                    break
                group_best = best
            cur, room, cur_digit = a.value, 0, True
            pending_and = False
            flags["digits"] = True
        elif k == "scale":
            S = a.value
            after_and = pending_and
            if pending_and and not (cur is None and parts and S < parts[-1][1]):
                break
            pending_and = False
            absorbed = 0
            while absorbed < len(parts) and parts[len(parts) - 1 - absorbed][1] < S:
                absorbed += 1
            if cur is None and not absorbed:
                if parts and not after_and:
                    break
                x = 1
            else:
                x = (cur or 0) + sum((p[0] for p in parts[len(parts) - absorbed:]), 0)
            remaining = parts[: len(parts) - absorbed]
            if remaining and remaining[-1][1] <= S:
                if cur is not None and group_best is not None:
                    best = group_best
                break
            parts = remaining + [[x * S, S]]
            cur, room, cur_digit = None, 0, False
            flags["scaled"] = True
        elif k == "and":
            if best is None or pending_and or j + 1 >= n or atoms[j + 1].kind not in ("card", "digit", "half", "ord",
                                                                                        "scale"):
                break
            pending_and = True
            j += 1
            continue
        elif k == "half":
            q = a.value
            if best is None:
                cur, room, cur_digit = q, 0, True
            elif pending_and:
                if cur is not None:
                    cur += q
                    room, cur_digit = 0, True
                elif parts:
                    parts[-1][0] += parts[-1][1] * q
                    best = (total(), j, "cardinal")
                    j += 1
                    break
            else:
                break
            pending_and = False
            flags["words"] = True
        elif k == "point":
            if cur is None or pending_and or j + 1 >= n or not atoms[j + 1].gap_ok:
                break
            nxt = atoms[j + 1]
            if nxt.kind == "digit" and nxt.value is not None and not nxt.decimal and nxt.value.denominator == 1:
                digits = nxt.text.translate(_DIGIT_TRANS)
                frac = Fraction(int(digits), 10 ** len(digits))
                j += 2
            elif nxt.kind == "card":
                num = nxt.value
                rm = _room(int(num))
                j2 = j + 2
                while j2 < n and atoms[j2].gap_ok:
                    b = atoms[j2]
                    if b.kind == "and" and j2 + 1 < n and atoms[j2 + 1].kind == "card" and atoms[j2 + 1].value <= rm:
                        j2 += 1
                        continue
                    if b.kind == "card" and 0 < b.value <= rm:
                        num += b.value
                        rm = _room(int(b.value))
                        j2 += 1
                        continue
                    break
                den = 10 ** len(str(int(num)))
                if j2 < n and atoms[j2].gap_ok and atoms[j2].kind == "ord" and atoms[j2].value in (10, 100, 1000):
                    den = int(atoms[j2].value)
                    j2 += 1
                frac = Fraction(num, den)
                j = j2
            else:
                break
            cur = cur + frac
            room, cur_digit = 0, True
            best = (total(), j - 1, "cardinal")
            flags["words"] = True
            continue
        elif k == "ord":
            v = a.value
            if best is None:
                cur = v
                best = (total(), j, "ordinal")
                flags["words"] = True
            elif (cur is not None and not pending_and and not parts and a.frac_ok and cur < v
                  and (not cur_digit or (v in (10, 100, 1000) and cur.denominator == 1))
                  and (not a.scale_ord or cur == 1)):
                best = (Fraction(cur) / v, j, "fraction")  # یک سوم, سه چهارم, ۸ صدم, یک هزارم (but سه هزارم is 3000th)
            elif a.scale_ord and not pending_and and cur is not None and (not parts or v < parts[-1][1]):
                prev = sum((p[0] for p in parts), 0)
                best = (prev + cur * v, j, "ordinal")  # سه هزارمین
            elif pending_and and cur is not None and not cur_digit and v <= room:
                best = (total() + v, j, "ordinal")
            elif pending_and and cur is None and parts and v < parts[-1][1]:
                best = (total() + v, j, "ordinal")
            else:
                break
            j += 1
            break
        elif k == "sfx":
            if (best is None or pending_and or atoms[j - 1].kind not in ("card", "digit", "scale")
                    or (cur is not None and cur.denominator != 1)):
                break
            best = (total(), j, "ordinal")
            j += 1
            break
        else:
            break
        best = (total(), j, "cardinal")
        j += 1
    if best is None:
        return None, max(i + 1, j if j > i else i + 1)
    value, end_idx, kind = best
    last_scale = next((int(a.value) for a in reversed(atoms[i:end_idx + 1]) if a.kind == "scale"), None)
    if neg:
        value = -value
    start_atom = atoms[i]
    ambiguous = end_idx == i and start_atom.ambiguous
    m = NumberMatch(start_atom.start, atoms[end_idx].end, _clean(value), kind, words=flags["words"],
                    digits=flags["digits"], scaled=flags["scaled"], ambiguous=ambiguous,
                    code=start_atom.code and end_idx == i, negative=neg,
                    negation=ambiguous and start_atom.negation, scale=last_scale)
    return m, end_idx + 1


def scan_numbers(text: str) -> list[NumberMatch]:
    """Every number expression in ``text`` (offsets into ``text``), left to right, non-overlapping."""
    return _matches(_atoms(require_str(text)))


def _matches(atoms: list[_Atom]) -> list[NumberMatch]:
    """The number expressions that ``atoms`` (of ``_atoms``) make, left to right."""
    out: list[NumberMatch] = []
    i, n = 0, len(atoms)
    while i < n:
        a = atoms[i]
        if a.kind in ("word", "and", "sfx", "point"):
            i += 1
            continue
        m, nxt = _parse_at(atoms, i)
        if m is not None:
            out.append(m)
        i = max(nxt, i + 1)
    return out


_TRIM = " \t\r\n\u200c\u200f\u200e\u00a0.,;:!?؟،؛()[]«»\"'"


def parse_number(text: str) -> Number | None:
    """The value of the number expression in ``text``, or ``None`` when it holds no number.

    When ``text`` is exactly one number expression (ignoring surrounding spaces/punctuation) that number is
    returned even if it is an ambiguous word (``نه`` → 9); otherwise the first expression in the text is used
    (``سه ماه گذشته`` → 3, ``یک سال گذشته`` → 1), skipping lone ambiguous words that do not open the text and a
    lone ``نه`` ("not") before other words (``نه تنها`` → None). Digit dates (``۱۴۰۴/۰۷/۱۴``) are not numbers.

    >>> parse_number("یک میلیون و سیصد هزار"), parse_number("۲.۵ میلیارد"), parse_number("هفتمین")
    (1300000, 2500000000, 7)
    >>> parse_number("سه چهارم"), parse_number("دوباره")
    (Decimal('0.75'), None)
    """
    text = require_str(text)
    stripped = text.strip(_TRIM)
    if not stripped:
        return None
    matches = scan_numbers(stripped)
    if not matches:
        return None
    whole = len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(stripped)
    if len(matches) > 1 and all(m.value is not None and m.kind == "cardinal" for m in matches) and _only_gaps(
            stripped, matches):
        # nothing but numbers (چهارصد 200): groups written one after another add up (persian-tools convention)
        neg = matches[0].negative
        total = sum((Fraction(abs(m.value)) if neg else Fraction(m.value) for m in matches), Fraction(0))
        return _clean(-total if neg else total)
    for m in matches:
        if m.kind == "date" or m.value is None:
            if whole:
                return None
            continue
        if m.ambiguous and not whole and (m.start > 0 or m.negation):
            continue  # نه تنها, but یک سال گذشته -> 1
        return m.value
    return None


def _only_gaps(text: str, matches: list[NumberMatch]) -> bool:
    pos = 0
    for m in matches:
        if text[pos:m.start].strip(" \u200c\u00a0") or (pos and text[pos:m.start] == ""):
            return False
        pos = m.end
    return pos == len(text)
