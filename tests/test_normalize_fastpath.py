"""Equivalence tests (hypothesis) for the fast paths of normalize.py and segment.py.

Each fast path is compared with the straightforward form it replaced, kept here as the reference:
``str.translate`` for :class:`_Translator`, the zero-width look-behind rules for the rewritten spacing rules, every
rule run on every text for the tests that skip rules in ``Normalizer._rules``, the character-by-character walk for
:func:`_align_line`, the piece-by-piece walk for ``Normalizer._fix_chain`` and the dataclass constructor for the
tokens of ``Segmenter.segment``.
"""

from __future__ import annotations

import importlib
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fa_policy_nlp.normalize import ZWNJ, _L, default_normalizer
from fa_policy_nlp.segment import _NUMBER, _NUMBER_TAIL, _TOKEN_DRAFT, _WORD_TOKEN, Segmenter
from fa_policy_nlp.types import Token

N = importlib.import_module("fa_policy_nlp.normalize")  # (the package exports a function of that name)
_NORM = default_normalizer()

# everything the rules and tables look at: letters (Persian/Arabic/Latin), digits of three scripts, marks, brackets,
# spaces and invisible characters, characters that are dropped or expanded by the table
_ALPHABET = list("ابپیيكکهةى") + list("1۱٢") + list('.:!?؟،؛«»()[]{}"…٫%') + [
    " ", "  ", "\n", "\t", ZWNJ, ZWNJ + ZWNJ, "\u200d", "\u200f", "\ufeff", "\u00a0", "\u0640", "\u064e", "\ufdfc",
    "\ufefb", "...", "x"]
_TEXT = st.lists(st.sampled_from(_ALPHABET), max_size=50).map("".join)

# the rules as first written (zero-width, look-behind first; " {2,}") -> their replacement
_REFERENCE_RULES = [
    (N._ZWNJ_STRAY, f"(?<![{_L}])\u200c|\u200c(?![{_L}])", ""),
    (N._DECIMAL, r"(?<=\d)\.(?=\d)", "٫"),
    (N._MULTI_SPACE, " {2,}", " "),
    (N._SPACE_AFTER_PUNCT, f"(?<=[.:!؟،؛»)\\]}}])(?=[{_L}«])", " "),
    (N._SPACE_AFTER_COLON, f"(?<=[{_L}][.:!؟،؛])(?=\\d)", " "),
    (N._SPACE_BEFORE_OPEN, f"(?<=[{_L}\\d])(?=[«(\\[{{])", " "),
    (N._SPACE_AFTER_OPEN, r"(?<=[«(\[{]) +", ""),
]


def _random_texts(n: int = 3000, length: int = 40) -> list[str]:
    """A fixed sample of dense random strings over the alphabet (deterministic, complements hypothesis)."""
    rng = random.Random(0)
    return ["".join(rng.choice(_ALPHABET) for _ in range(length)) for _ in range(n)]


def test_spacing_rules_on_a_fixed_sample():
    for text in _random_texts():
        check_spacing_rules(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_spacing_rules_match_their_lookbehind_form(text):
    check_spacing_rules(text)


def check_spacing_rules(text: str) -> None:
    new = {
        N._ZWNJ_STRAY: lambda t: N._ZWNJ_STRAY.sub("", t),
        N._DECIMAL: lambda t: N._DECIMAL.sub("٫", t),
        N._MULTI_SPACE: lambda t: N._MULTI_SPACE.sub(" ", t),
        N._SPACE_AFTER_PUNCT: lambda t: N._SPACE_AFTER_PUNCT.sub(N._AFTER, t),
        N._SPACE_AFTER_COLON: lambda t: N._SPACE_AFTER_COLON.sub(N._AFTER, t),
        N._SPACE_BEFORE_OPEN: lambda t: N._SPACE_BEFORE_OPEN.sub(N._BEFORE, t),
        N._SPACE_AFTER_OPEN: lambda t: N._SPACE_AFTER_OPEN.sub(r"\1", t),
    }
    for rule, pattern, repl in _REFERENCE_RULES:
        assert new[rule](text) == re.sub(pattern, repl, text), pattern
    chain = f"[{_L}]+(?:[ \u200c][{_L}]+)+|[{_L}]{{3,}}"  # _CHAIN as first written
    assert [m.span() for m in N._CHAIN.finditer(text)] == [m.span() for m in re.finditer(chain, text)]
    digit_letter = f"(?<=\\d)(?=[{_L}])|(?<=[{_L}])(?=\\d)"
    two_passes = N._LETTER_THEN_DIGIT.sub(N._BEFORE, N._DIGIT_THEN_LETTER.sub(N._AFTER, text))
    assert two_passes == re.sub(digit_letter, " ", text)
    # the tests run before rules: they find something exactly when the rule (one of the pair) would
    assert (N._DIGIT_LETTER_SEARCH(text) is None) == (
        N._DIGIT_THEN_LETTER.search(text) is None and N._LETTER_THEN_DIGIT.search(text) is None)
    assert (N._SPACE_BEFORE_PUNCT_SEARCH(text) is None) == (N._SPACE_BEFORE_PUNCT.search(text) is None)


def _reference_rules(norm: N.Normalizer, text: str) -> str:
    """Normalizer._rules as first written: every rule on every text, no test of what the text contains first."""
    text = N._ZWNJ_RUN.sub(ZWNJ, text)
    text = N._ZWNJ_STRAY.sub("", text)
    if norm.persian_style:
        text = N._guillemets(text)
        if norm.digits == "persian":
            text = N._DECIMAL.sub("\u066b", text)
        text = N._ELLIPSIS.sub(" \u2026", text)
    text = N._MULTI_SPACE.sub(" ", text)
    text = N._SPACE_AFTER_PUNCT.sub(N._AFTER, text)
    text = N._SPACE_BEFORE_OPEN.sub(N._BEFORE, text)
    text = N._DIGIT_THEN_LETTER.sub(N._AFTER, text)
    text = N._LETTER_THEN_DIGIT.sub(N._BEFORE, text)
    text = N._SPACE_BEFORE_PUNCT.sub("", text)
    text = N._SPACE_AFTER_OPEN.sub(r"\1", text)
    text = N._SPACE_AFTER_COLON.sub(N._AFTER, text)
    text = N._EDGE_SPACE.sub("", text)
    if norm._lex is not None:
        text = N._CHAIN.sub(norm._fix_chain, text)
    return text


_RULE_NORMALIZERS = [_NORM, N.Normalizer(persian_style=False), N.Normalizer(digits="ascii", zwnj=False)]


def check_rules(text: str) -> None:
    for norm in _RULE_NORMALIZERS:
        for t in (text, norm._translate(text)):
            assert norm._rules(t) == _reference_rules(norm, t)


def test_rules_on_a_fixed_sample():
    for text in _random_texts():
        check_rules(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_rules_match_the_rules_as_first_written(text):
    check_rules(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=40)))
def test_translator_is_str_translate(text):
    for digits in ("persian", "ascii"):
        table = N._char_table(digits)
        tr = N._translator(digits)
        assert tr(text) == text.translate(table)
        one = "".join(t if t is not None and len(t) == 1 else N._SENTINEL
                      for t in (table.get(ord(c), c) for c in text))
        assert tr.one_to_one(text) == one
        assert (tr.uneven(text) is None) == (N._SENTINEL not in one)


def _reference_align(raw: str, norm: str, base: int, table: dict, starts: list, ends: list) -> None:
    """The character-by-character walk of _align_line, without the run fast path."""
    i = j = 0
    nr, nn = len(raw), len(norm)
    while j < nn:
        if i >= nr:
            starts.append(base + nr)
            ends.append(base + nr)
            j += 1
            continue
        c = raw[i]
        t = table.get(ord(c), c)
        if t is None or t == "":
            i += 1
            continue
        n = norm[j]
        if len(t) == 1:
            if t == n or (t, n) in N._EQUIV:
                starts.append(base + i)
                ends.append(base + i + 1)
                i += 1
                j += 1
                continue
        elif norm.startswith(t, j):
            starts.extend([base + i] * len(t))
            ends.extend([base + i + 1] * len(t))
            i += 1
            j += len(t)
            continue
        if n == "…" and raw.startswith("...", i):
            starts.append(base + i)
            ends.append(base + i + 3)
            i += 3
            j += 1
            continue
        if n in N._SEP:
            starts.append(base + i)
            ends.append(base + i)
            j += 1
            continue
        if t in N._SEP:
            i += 1
            continue
        di, dj = N._resync(raw, norm, i, j, table)
        if di == 0 and dj == 0:
            di = dj = 1
        for _ in range(dj):
            starts.append(base + i)
            ends.append(base + i + di)
        i += di
        j += dj


@settings(max_examples=400, deadline=None)
@given(_TEXT, _TEXT)
def test_align_line_matches_the_plain_walk(raw, other):
    table = N._char_table("persian")
    line = raw.replace("\n", " ")
    # the normalised line, and an unrelated one (exercises re-sync and the end-of-raw branch)
    for norm in (_NORM.normalize(line), other.replace("\n", " ")):
        expected: tuple[list, list] = ([], [])
        _reference_align(line, norm, 7, table, *expected)
        got: tuple[list, list] = ([], [])
        N._align_line(line, norm, 7, table, *got, N._translator("persian").one_to_one(line))
        assert got == expected


@given(st.text("ab", min_size=1, max_size=150), st.text("ab", max_size=150), st.text("ab", max_size=150),
       st.integers(0, 3))
def test_common_len(prefix, x, y, shift):
    a, b = "c" * shift + prefix + x, prefix + y
    naive = 0
    while naive < min(len(a) - shift, len(b)) and a[shift + naive] == b[naive]:
        naive += 1
    assert N._common_len(a, shift, b, 0) == naive


def _reference_fix_chain(norm: N.Normalizer, chain: str) -> str:
    """Normalizer._fix_chain as a walk over the pieces between spaces and ZWNJs."""
    lex = norm._lex
    if " " not in chain and ZWNJ not in chain:
        return lex.split_run(chain)
    parts = re.split("([ \u200c])", chain)
    n = len(parts)
    words = [lex.split_run(parts[0])]
    if n > 1 and parts[1] == ZWNJ and parts[0] in lex.decomposed:
        words[0] = parts[0]
    k = 1
    while k < n:
        if parts[k] == ZWNJ and (parts[k - 1] in lex.mi_prefixes or (
                parts[k + 1][:1] == lex.conj and parts[k - 1] + ZWNJ + parts[k + 1] in lex.binomials)):
            piece = parts[k + 1]
        else:
            piece = lex.split_run(parts[k + 1])
            if piece != parts[k + 1] and parts[k + 1] in lex.decomposed and (
                    parts[k] == ZWNJ or k + 2 < n and parts[k + 2] == ZWNJ):
                piece = parts[k + 1]
        if parts[k] == ZWNJ:
            words[-1] = words[-1] + ZWNJ + piece
            k += 2
            continue
        k += 2
        first, zw, rest = piece.partition(ZWNJ)
        joined = lex.join(words[-1], first)
        if joined is None:
            words.append(piece)
        else:
            words[-1] = joined + zw + rest
    return " ".join(words)


def _chain_words() -> list[str]:
    lex = _NORM._lex
    words = ["رئیس", "جمهور", "برنامه", "های", "بی", "توجهی", "سرمایهگذار", "زیستمحیطی", "حمل", "ونقل", "کتاب",
             "خانه", "ای", "شده", "است", "انجام", "روح", "الله", "سه", "شنبه", "برمی", "گردد", "صندلی", "اش"]
    words += sorted(lex.mi_prefixes)[:12] + sorted(lex.suffixes_any)[:12] + sorted(lex.noun_prefixes)[:6]
    words += [p for b in sorted(lex.binomials)[:10] for p in b.split(ZWNJ)]
    return words


_CHAIN = st.lists(st.tuples(st.sampled_from(_chain_words()), st.sampled_from([" ", ZWNJ, ""])),
                  min_size=1, max_size=10).map(lambda ws: "".join(w + s for w, s in ws).strip(" " + ZWNJ))


@settings(max_examples=400, deadline=None)
@given(_CHAIN)
def test_fix_chain_matches_the_piece_walk(text):
    for m in N._CHAIN.finditer(text):
        assert _NORM._fix_chain(m) == _reference_fix_chain(_NORM, m.group())


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_segment_tokens_are_tokens(text):
    """segment() builds Tokens through a draft class (_TOKEN_DRAFT): the objects equal Token(...) from their fields."""
    assert _TOKEN_DRAFT is not None  # the fast path is in use for the current Token
    _, _, tokens = Segmenter().segment(_NORM.normalize_with_offsets(text + " گفت ۱۲٫۵ درصد."))
    assert tokens
    for tok in tokens:
        ref = Token(tok.text, tok.start, tok.end, tok.norm, tok.sentence)
        assert type(tok) is Token
        assert tok == ref and repr(tok) == repr(ref) and hash(tok) == hash(ref) and tok.to_dict() == ref.to_dict()


def _partner_sample_words():
    """Right and left words for the right_partners tests: parts of the compound sets, the word sets of _join, lexicon
    words, right words with a suffix, the conjunction before parts, and compounds' left parts (with ZWNJ)."""
    lex = _NORM._lex
    sets = [lex.suffixes_any, lex.join_always, lex.arabic_right, lex.suffixes_heh, lex.space_heh,
            lex.noun_prefixes, lex.no_join_left, lex.no_join_right]
    compounds = sorted(lex.project_zwnj | lex.compound_join)[::7] + sorted(lex.join_set)[::53]
    parts = sorted({p for w in compounds for p in w.split(ZWNJ)} | {x for s in sets for x in s})
    words = parts + sorted(lex.known)[::97] + [p + suf for p in parts[::5] for suf in lex.right_suffixes[:4]]
    words += [lex.conj, lex.conj + lex.yeh] + [lex.conj + p for p in parts[::9]]
    lefts = words + sorted(lex.left_active) + [w.rpartition(ZWNJ)[0] for w in compounds]
    return lefts, words


def test_right_partners_cover_every_join():
    """right_partners: a left word outside the partners of a right word never joins it (fixed sample of pairs)."""
    lex = _NORM._lex
    rng = random.Random(1)
    lefts, words = _partner_sample_words()
    checked = 0
    for _ in range(40000):
        left, right = rng.choice(lefts), rng.choice(words)
        if ZWNJ in right or left in lex.right_partners(right):
            continue
        checked += 1
        assert lex._join(left, right) is None, (left, right)
    assert checked > 1000


def test_right_partners_of_the_compound_sets():
    """Every pair of the compound sets that _join glues (also with a right suffix) is among the partners."""
    lex = _NORM._lex
    joined = 0
    head = sorted(lex.known)[0] + ZWNJ  # a left word that is itself a compound (binomials look at its last part)
    for w in sorted(lex.glue | lex.join_set | lex.compound_join):
        left, _, right = w.rpartition(ZWNJ)
        for lw in (left, head + left):
            for r in [right] + [right + suf for suf in lex.right_suffixes]:
                if lex._join(lw, r) is not None:
                    joined += 1
                    assert lw in lex.right_partners(r), (lw, r)
    assert joined > 10000


def _reference_tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Segmenter.tokens as one loop over the token matches (no shortcut for text without digits)."""
    out: list[tuple[int, int]] = []
    glued = -1
    for m in _WORD_TOKEN.finditer(text, start, end):
        span = m.span()
        s, e = span
        if not text[e - 1].isdecimal() and not text[s].isdigit():
            out.append(span)
            continue
        k = e
        while k - 1 > s and text[k - 1] in ".:" and text[s].isdigit():
            k -= 1
        if k < e:
            out.append((s, k))
            span = (k, e)
        out.append(span)
        while len(out) >= 3 and out[-3][1] == out[-2][0] and out[-2][1] == out[-1][0]:
            s3 = out[-3][0]
            if not (_NUMBER_TAIL.fullmatch(text, out[-2][0], out[-1][1]) if s3 == glued
                    else _NUMBER.fullmatch(text, s3, out[-1][1])):
                break
            out[-3:] = [(s3, out[-1][1])]
            glued = s3
    return out


_NUMBERS = ["1", "۲", "٣", "۱۲", ".", ":", "٫", "٬", ",", "/", "²", "½", "ب", "a", " ", "؟", "!", "«", "-", "..", "۱۲۳٫۵"]


def _check_tokens(text: str) -> None:
    seg = Segmenter()
    for start, end in ((0, len(text)), (1, max(1, len(text) - 1))):
        assert seg.tokens(text, start, end) == _reference_tokens(text, start, end)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NUMBERS), max_size=40).map("".join))
def test_tokens_match_the_token_loop(text):
    _check_tokens(text)


def test_tokens_on_a_fixed_sample():
    rng = random.Random(2)
    for _ in range(3000):
        _check_tokens("".join(rng.choice(_NUMBERS) for _ in range(30)))
