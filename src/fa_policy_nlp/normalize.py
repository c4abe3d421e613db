"""Normalisation with an offset map back to the raw input.

:class:`Normalizer` (build once per process, reuse) turns raw Persian news text into the canonical form every stage
searches:

* characters: hazm's unification table (Arabic ي/ك/ى and presentation forms -> Persian letters, ``ة`` -> ``ه``),
  ligatures expanded (``﷼`` -> ``ریال``), digits unified (Persian by default, ``digits="ascii"`` keeps ASCII),
  diacritics, keshide, bidi/control characters, ZWJ and BOM removed, odd spaces turned into plain spaces;
* style and spacing (hazm's rules): ``"…"`` -> ``«…»``, decimal point -> ``٫``, ``...`` -> ``…``, one space between
  words, no space before ``. : ، ؛ ؟ ! » )`` and after ``« (``, a space after them and between digits and letters;
* ZWNJ (U+200C): restored in joined forms (``میشود`` -> ``می‌شود``, ``جادههای`` -> ``جاده‌های``,
  ``سرمایهگذار`` -> ``سرمایه‌گذار``) and in place of a space (``می شود``, ``برنامه های``, ``رئیس جمهور``), using a
  lexicon derived from hazm's ``words.dat``/``verbs.dat`` (MIT) plus the project's rules and compounds
  (``data/zwnj_rules.yaml``, ``data/zwnj_compounds.txt``, ``data/zwnj_compounds_general.txt``); words that are
  legitimately joined (``بهار``, ``میز``,
  ``همه``, ``تنها``) are never split, and no ZWNJ is inserted after a non-joining letter (``روزهای``, ``کشورها``
  stay joined; a space there becomes a ZWNJ). Rules also cover بی before a word (``بی توجهی``), bound second
  elements (``زیست شناسی``, ``حاشیه نشین``, ``کشته شدگان``), Arabic ``-الله/-الدین/-الاسلام`` names and titles, ی-final
  words with clitics (``صندلی‌ای``, ``زندگی‌اش``) and a few fixed compounds (``سه‌شنبه``, ``علی‌رغم``).
  With ``wordfreq`` (a dependency; ``wordfreq=False`` turns it off), its Persian frequencies, read once at
  construction (nothing of wordfreq is shipped), arbitrate: (1) between the joined spelling of a word and its ruled
  or attested ZWNJ spelling, the joined one wins only when more frequent by more than the corpus's ZWNJ-omission
  bias, measured on می‌ verb forms (so ``مهم‌ترین``, ``می‌کنم``; but ``بیشترین``, ``اینکه`` stay joined); (2) two
  space-separated words are glued into an attested ZWNJ compound when the compound is at least a tenth as frequent
  as its rarer part (``رئیس جمهور``, ``پیش بینی``; not ``محیط زیست``, ``کره شمالی``), never after a function word or
  before an auxiliary (``انجام شده است``); (3) a joined run unknown to both lexicons that splits into two common
  words is a compound missing its ZWNJ (``زیستمحیطی``), never split at a clitic or at a suffix the Academy writes
  joined (``سلامتشان``, ``پاسبان``, ``دامداران``). Pronoun plurals take a ZWNJ (``آن‌ها``, Academy orthography);
  the conjunctions ``اینکه/آنکه`` stay joined (both spellings are accepted; the joined one is the common news
  spelling). Stray ZWNJs (doubled, next to a space or punctuation) are removed. Existing ZWNJs are kept.

Measured by ``benchmarks/zwnj.py`` (F1 of restored ZWNJ words on Hamshahri news: about 0.91 with ZWNJs removed,
0.87 with ZWNJs turned into spaces) and ``benchmarks/normalize_speed.py`` (about 0.7x the time of hazm's
``Normalizer.normalize``). Normalisation is idempotent and never adds or removes a newline.

Line structure is preserved: the normalised text has exactly as many ``\\n`` as the raw text, so paragraph ``k`` of
the normalised text is line ``k`` of the input. :meth:`Normalizer.normalize_with_offsets` aligns each line of the
normalised text with its raw line (a linear two-pointer walk over folded characters with a small local re-sync on
mismatch) and returns a :class:`NormalizedText` whose ``span``/``to_raw`` map any normalised span to raw offsets.

hazm is used without ``import hazm`` (which pulls in nltk, ~2 s): its constants and word lists are read from the
installed package directory once per process.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ResourceError, require_str
from .resources import load_list, load_yaml
from .types import Span

__all__ = ["NormalizedText", "Normalizer", "default_normalizer", "normalize", "ZWNJ"]

ZWNJ = "\u200c"
# Letters of the Arabic script after unification (Unicode ranges, not words).
_L = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_SEP = frozenset(" \u200c")

# Characters removed outright: bidi marks and embeddings, ZWJ/ZWSP/word joiner, BOM, soft hyphen, keshide,
# C0/C1 controls (except \n and \t, handled below).
_DROP_CHARS = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t\x0b\x0c\x1c\x1d\x1e\x1f"]
    + [chr(c) for c in range(0x7f, 0xa0) if c != 0x85]
    + list("\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
           "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\u00ad\u0640\ufffe\uffff")
)
# Characters that become a plain space (tabs, odd spaces, line/paragraph separators other than \n).
_SPACE_CHARS = list("\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ASCII_DIGITS = "0123456789"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def _hazm_dir() -> Path:
    spec = importlib.util.find_spec("hazm")  # locates the package without importing it (no nltk)
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError("hazm is not installed; fa-policy-nlp needs its word lists (pip install hazm)")
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def _hazm_constants() -> dict:
    """hazm's ``constants.py`` (plain tables, no imports) evaluated on its own."""
    path = _hazm_dir() / "constants.py"
    ns: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), ns)  # noqa: S102 - installed package file
    return ns


@lru_cache(maxsize=2)
def _char_table(digits: str) -> dict[int, str | None]:
    c = _hazm_constants()
    table: dict[int, str | None] = {}
    for s, d in zip(c["TRANSLATION_SRC"], c["TRANSLATION_DST"]):
        if s != d:
            table[ord(s)] = d
    table[ord("ة")] = "ه"
    for pattern, repl in c["UNICODE_REPLACEMENTS"]:  # hazm writes some as regex alternations: expand them
        for ch in pattern.strip("()").split("|"):
            if len(ch) == 1:
                table[ord(ch)] = repl
    for pattern, _ in c["DIACRITICS_PATTERNS"] + c["SPECIAL_CHARS_PATTERNS"]:
        for ch in re.findall(r"\\u([0-9a-fA-F]{4})", pattern):
            table[int(ch, 16)] = None
    for ch in _DROP_CHARS:
        table[ord(ch)] = None
    for ch in _SPACE_CHARS:
        table[ord(ch)] = " "
    target = _PERSIAN_DIGITS if digits == "persian" else _ASCII_DIGITS
    for src in (_ASCII_DIGITS, _PERSIAN_DIGITS, _ARABIC_DIGITS):
        for a, b in zip(src, target):
            if a != b:
                table[ord(a)] = b
            else:
                table.pop(ord(a), None)
    if digits == "persian":
        table[ord("%")] = "٪"
    table.pop(ord("\n"), None)
    table.pop(ord(ZWNJ), None)
    return table


def _char_class(codes) -> str:
    """A regex character class matching exactly the code points ``codes`` (runs written as ranges)."""
    codes = sorted(codes)
    parts = []
    k = 0
    while k < len(codes):
        a = b = codes[k]
        while k + 1 < len(codes) and codes[k + 1] == b + 1:
            k += 1
            b = codes[k]
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        k += 1
    return "[" + "".join(parts) + "]"


# Characters that _Translator replaces with str.replace before the run-by-run translation: Arabic yeh, kaf and
# alef maksura, the most frequent characters that the table changes (whole articles are typed with them).
_PRE_REPLACED = "\u064a\u0643\u0649"
_SENTINEL = "\uffff"  # dropped by every character table, so never in normalised text
_MISSING = object()  # memo miss (the join memo stores None)


class _AllWords:
    """The partners of a right word that ``_join`` may glue to any left word (see ``right_partners``)."""

    __slots__ = ()

    def __contains__(self, word: object) -> bool:
        return True


_ANY_WORD = _AllWords()


class _Translator:
    """``str.translate(table)`` done only where it changes something (same result, about 4x faster on news).

    ``str.translate`` with a dict looks every character up (a failed lookup, i.e. an unchanged character, costs an
    exception internally); here one regex finds the runs of characters that *are* keys of the table, in C, and only
    those runs are translated. Translation is per character, so translating the runs alone gives the same string.

    ``one_to_one`` translates with the alignment table (in the same way; it is only needed for lines with a dropped
    or expanded character): a character whose translation is one character maps to it, a dropped or expanded one to
    :data:`_SENTINEL`, so position ``i`` of the result corresponds to raw position ``i``. ``uneven`` finds a dropped
    or expanded character.
    """

    def __init__(self, table: dict[int, str | None]) -> None:
        self.table = table
        self.align_table = {k: v if v is not None and len(v) == 1 else _SENTINEL for k, v in table.items()}
        # The frequent one-character translations (:data:`_PRE_REPLACED`: Arabic yeh/kaf, dense in some sources) are
        # done first by ``str.replace`` (a C loop, no call per run). Same result as translating them with the rest:
        # a target is never itself a key of the table (checked here), so nothing is translated twice.
        self._pre = tuple((chr(k), table[k]) for k in map(ord, _PRE_REPLACED)
                          if k in table and table[k] is not None and len(table[k]) == 1 and ord(table[k]) not in table)
        self._runs = re.compile(_char_class(table) + "+")
        # characters that are dropped or expanded: a text without any is translated one to one
        uneven = [k for k, v in self.align_table.items() if v == _SENTINEL]
        self.uneven = re.compile(_char_class(uneven)).search if uneven else lambda text: None
        self._sub = self._runs.sub
        self._full = lambda m: m.group().translate(table)
        self._one = lambda m: m.group().translate(self.align_table)

    def __call__(self, text: str) -> str:
        for src, dst in self._pre:
            text = text.replace(src, dst)
        return self._sub(self._full, text)

    def one_to_one(self, text: str) -> str:
        # the same two steps with the alignment table (it has the same keys, and the same one-character values)
        for src, dst in self._pre:
            text = text.replace(src, dst)
        return self._sub(self._one, text)


@lru_cache(maxsize=2)
def _translator(digits: str) -> _Translator:
    return _Translator(_char_table(digits))


@lru_cache(maxsize=1)
def _wordfreq_fa() -> dict[str, int] | None:
    """Persian word frequencies from the optional ``wordfreq`` package (its ``small_fa`` list: ~31,000 words from
    Wikipedia, subtitles, web text...), read directly without importing wordfreq.

    Returns ``{word: -bucket}`` (higher is more frequent; bucket = centibels below 1), or ``None`` when wordfreq (or
    msgpack) is not installed: the normaliser then relies on its rules alone.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "small_fa.msgpack.gz"
    try:
        import gzip

        import msgpack

        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
        freq: dict[str, int] = {}
        for i, bucket in enumerate(data[1:]):
            for w in bucket:
                freq.setdefault(w, -i)
        return freq
    except Exception:  # noqa: BLE001 - optional resource: any problem means "not available"
        return None


class _ZwnjLexicon:
    """Tables for ZWNJ restoration, built once per process from hazm's word lists and ``data/zwnj_*``."""

    def __init__(self, use_freq: bool = True) -> None:
        rules = load_yaml("zwnj_rules.yaml")
        hazm_data = _hazm_dir() / "data"
        known: dict[str, int] = {}
        zwnj: dict[str, int] = {}
        try:
            with open(hazm_data / "words.dat", encoding="utf-8") as fh:
                for line in fh:
                    parts = line.rstrip("\n").split("\t")
                    # Entries tagged "0" are unchecked spellings (often wrongly joined: "میشود", "کتابها").
                    if len(parts) != 3 or parts[2] == "0" or not parts[0]:
                        continue
                    (zwnj if ZWNJ in parts[0] else known)[parts[0]] = int(parts[1])
            verb_lines = (hazm_data / "verbs.dat").read_text(encoding="utf-8").splitlines()
        except OSError as exc:  # pragma: no cover - broken hazm install
            raise ResourceError(f"cannot read hazm word lists in {hazm_data}: {exc}") from exc

        # Verb forms with a ZWNJ after the prefix (می‌شود, نمی‌دانند), from hazm's past#present stems.
        prefixes = tuple(rules["verb_prefixes"])
        morph = rules["morphology"]
        past_end = tuple(morph["past_endings"])
        pres_end = tuple(morph["present_endings"])
        vowel_end = tuple(morph["present_endings_after_vowel"])
        verb_forms: set[str] = set()
        for line in verb_lines:
            if "#" not in line:
                continue
            past, present = (s.strip() for s in line.split("#", 1))
            stems = [past + e for e in past_end if past]
            if present:
                stems += [present] + [present + e for e in pres_end]  # bare stem: می‌توان
                if present[-1] in morph["stem_final_vowels"]:
                    stems += [present + e for e in vowel_end]
            for p in prefixes:
                verb_forms.update(p + ZWNJ + s for s in stems)

        # Two tiers of project compounds: the core list always wins; the general news vocabulary is always glued
        # when typed with a space ("ثبت نام"), but a joined run ("ثبتنام") is split only when wordfreq does not
        # prefer the joined spelling (many such words are also legitimately written joined), as for hazm's entries.
        # Protected (joined) words of both lists are never split.
        project = load_list("zwnj_compounds.txt")
        general = load_list("zwnj_compounds_general.txt")
        protected = {w for w in project + general if ZWNJ not in w}
        project_zwnj = {w for w in project if ZWNJ in w}
        general_zwnj = {w for w in general if ZWNJ in w} - project_zwnj
        self.non_joining = frozenset(rules["non_joining"])
        # Participles are words too (نگرفته، شده): stems for the clitics اند/ام/ای.
        for line in verb_lines:
            past = line.split("#", 1)[0].strip()
            if past:
                for w in (past + morph["participle"], morph["negation"] + past + morph["participle"]):
                    known.setdefault(w, 0)
        for w in protected:
            known.setdefault(w, 0)
        self.counts = known
        self.known: frozenset[str] = frozenset(known)

        # joined spelling -> ZWNJ spelling (strip mode: "سرمایهگذار" -> "سرمایه‌گذار"). A ZWNJ after a
        # non-joining letter is dropped from the target (it is invisible and usually not written).
        split_map: dict[str, str] = {}
        best: dict[str, int] = {}
        for w, count in zwnj.items():
            key = w.replace(ZWNJ, "")
            if key in known and known[key] >= count:
                continue  # the joined spelling is the more common word (بیشتر, not بیش‌تر)
            if key in protected or best.get(key, -1) >= count:
                continue
            target = self._visible(w)
            if ZWNJ in target:
                split_map[key], best[key] = target, count
        for w in verb_forms:
            key = w.replace(ZWNJ, "")
            if key not in self.known:
                split_map.setdefault(key, w)
        for w in general_zwnj:  # in strip mode wordfreq arbitrates these (see _by_frequency)
            target = self._visible(w)
            if ZWNJ in target:
                split_map[w.replace(ZWNJ, "")] = target
        for w in project_zwnj:
            split_map[w.replace(ZWNJ, "")] = w
        self.split_map = split_map
        self.split_counts = best
        # ZWNJ spellings whose space-separated form is glued back ("رئیس جمهور" -> "رئیس‌جمهور"): generated verb
        # forms, the project's compounds, and attested (count > 0) two-part lexicon words of which one part cannot
        # stand alone ("بین المللی"; but "قابل قبول", "محیط زیست" stay two words).
        # Auxiliary verbs as second part never join (the pair is usually a verb phrase: "گرفته شده است").
        aux = frozenset(rules.get("compound_right_never", ()))
        lexical = set()
        for w, c in zwnj.items():
            parts = w.split(ZWNJ)
            if c > 0 and len(parts) == 2 and not (parts[0] in known and parts[1] in known) and parts[1] not in aux:
                lexical.add(w)
        self.join_set: frozenset[str] = frozenset(lexical | verb_forms | project_zwnj | general_zwnj)
        self.verb_forms = frozenset(verb_forms)
        self.verb_prefixes = frozenset(prefixes)
        # Preverbs before می/نمی (برمی‌گردد): handled at look-up time, not by multiplying the verb tables.
        self.preverbs = tuple(rules.get("preverbs", ()))
        self.preverb_prefixes = {pv + p: pv for pv in self.preverbs for p in prefixes}
        # a piece after one of these and a ZWNJ is a verb stem: never split again (می‌میرند, not می‌می‌رند)
        self.mi_prefixes = frozenset(self.verb_prefixes) | frozenset(self.preverb_prefixes)
        self.space_heh = frozenset(rules.get("space_suffixes_after_heh", ()))
        self.suffixes_any = frozenset(rules["suffixes_any"])
        self.suffixes_heh = frozenset(rules["suffixes_after_heh"])
        self.suffixes = sorted(self.suffixes_any | self.suffixes_heh, key=len, reverse=True)
        self.min_stem = int(rules.get("min_stem", 2))
        self.min_stem_heh = int(rules.get("min_stem_heh", 3))
        self.no_join_left = frozenset(rules["no_join_left"])
        self.no_join_right = frozenset(rules["no_join_right"])
        self.heh = morph["heh"]
        self.yeh = morph["yeh"]
        self.comparative = morph["comparative"]
        self.comparative_ext = frozenset(morph["comparative_extensions"])
        self.yi_suffix = morph["yi_suffix"]
        self.yi_stem_final = morph["yi_stem_final"]
        self.productive = sorted(rules.get("productive_suffixes", ()), key=len, reverse=True)
        self.join_always = frozenset(rules.get("join_always_right", ())) | frozenset(self.productive)
        self.noun_prefixes = tuple(rules.get("noun_prefixes", ()))
        self.arabic_right = tuple(rules.get("arabic_right_elements", ()))
        self.right_suffixes = tuple(sorted(rules.get("compound_right_suffixes", ()), key=len, reverse=True))
        self.heh_gi = frozenset(rules.get("heh_to_gaf_endings", ()))
        self.stem_endings = tuple(sorted(set(self.right_suffixes) | set(rules.get("prefix_stem_endings", ()))
                                         | self.heh_gi, key=len, reverse=True))
        self.suffixes_unknown = frozenset(rules.get("suffixes_unknown_stem", ()))
        self.min_unknown_stem = int(rules.get("min_unknown_stem", 3))
        self.verbal_unknown = frozenset(rules.get("verbal_clitics_unknown_stem", ()))
        self.poss_yeh = tuple(rules.get("possessives_after_yeh", ()))
        self.poss = tuple(rules.get("possessives", ()))
        # Optional corpus frequencies: between the rules' spelling, the joined spelling and the ZWNJ spelling
        # attested in wordfreq, the most frequent one wins (protected words excepted).
        self.freq = _wordfreq_fa() if use_freq else None
        self.freq_zwnj: dict[str, str] = {}
        if self.freq:
            for w, f in self.freq.items():
                if ZWNJ in w and w.strip(ZWNJ) == w:
                    key = w.replace(ZWNJ, "")
                    if key not in protected and (key not in self.freq_zwnj or f > self.freq[self.freq_zwnj[key]]):
                        self.freq_zwnj[key] = w
        self._protected = frozenset(protected)
        self.project_zwnj = frozenset(project_zwnj)
        self.glue = frozenset(project_zwnj | general_zwnj)  # pairs glued in space mode before any other test
        self.project_split = {w.replace(ZWNJ, ""): self._visible(w) for w in project_zwnj}
        # Omission bias of the frequency list: how much more frequent the joined spelling of a می‌ verb form (always
        # written with ZWNJ) is than its ZWNJ spelling, at the given quantile over all attested pairs.
        self.margin = 0
        if self.freq:
            diffs = sorted(self.freq[w.replace(ZWNJ, "")] - self.freq[w] for w in verb_forms
                           if w in self.freq and w.replace(ZWNJ, "") in self.freq)
            if diffs:
                q = float(rules.get("frequency_bias_quantile", 0.95))
                self.margin = max(0, diffs[min(len(diffs) - 1, int(q * len(diffs)))])
        # Space mode: two free words glued into an attested ZWNJ compound (hazm entries whose parts are both words,
        # wordfreq ZWNJ spellings) when the compound is common relative to its rarer part, i.e. a good share of that
        # part's occurrences are in the compound ("رئیس جمهور"), and not a free pairing ("محیط زیست").
        self.compound_join: frozenset[str] = frozenset()
        # Binomials written as one word (حمل‌ونقل، گفت‌وگو): the project's, and wordfreq's that pass the share test.
        self.conj = morph["conjunction"]
        self.binomials: frozenset[str] = frozenset(
            w for w in self.glue if len(w.split(ZWNJ)) == 2 and w.split(ZWNJ)[1][:1] == self.conj)
        self.min_compound = int(rules.get("compound_min_length", 6))
        self.part_min_freq = int(rules.get("compound_part_min_freq", -500))
        self.second_never = frozenset(rules.get("compound_second_never", ()))
        if self.freq:
            min_share = int(rules.get("compound_min_share", -100))
            f = self.freq
            cands = {w for w in zwnj if zwnj[w] > 0} | set(self.freq_zwnj.values())
            ok = set()
            for w in cands:
                parts = w.split(ZWNJ)
                if len(parts) != 2 or len(parts[0]) < 2 or len(parts[1]) < 2 or w not in f:
                    continue
                a, b = parts
                if a in self.no_join_left or b in self.no_join_right or a in self.noun_prefixes or b in aux:
                    continue
                if f[w] - min(f.get(a, -900), f.get(b, -900)) < min_share:
                    continue
                joined = a + b
                if joined in f and f[joined] - f[w] > self.margin:
                    continue  # written joined (no ZWNJ) far more often
                ok.add(w)
            self.compound_join = frozenset(ok)
            self.binomials |= {w for w in ok if w.split(ZWNJ)[1][:1] == self.conj and len(w.split(ZWNJ)[1]) >= 3}
            # the same test for hazm's lexical compounds attested in wordfreq ("محیط زیست" fails it); unattested ones
            # (wordfreq's list is short) are kept
            self.join_set = frozenset(
                w for w in self.join_set
                if w in self.verb_forms or w in self.glue or w in ok or w not in f)
        self._cache: dict[str, str] = {}
        self._join_cache: dict[tuple[str, str], str | None] = {}
        self.decomposed: set[str] = set()  # runs split by _decompose (not inside a word that already has a ZWNJ)
        # For the chain walk: the left words that each right word can join at all (see right_partners), and a memo
        # space-free word -> (its spelling, the spelling's first ZWNJ-piece, right_partners(that piece)), filled by
        # word() for runs of joined letters and by Normalizer._zwnj_word for words with ZWNJs.
        self.left_active = frozenset(self.noun_prefixes) | frozenset(self.preverb_prefixes)
        self._open_right = frozenset(self.suffixes_any | self.join_always | set(self.arabic_right) | self.suffixes_heh
                                     | self.space_heh)
        self._partners = _left_parts(self.glue, self.join_set, self.compound_join)
        self._stem_partners = _left_parts(self.compound_join)
        self._words: dict[str, tuple[str, str, frozenset[str] | _AllWords]] = {}
        self._partner_sets: dict[str, frozenset[str]] = {}  # right_partners of words that have partners

    def _visible(self, word: str) -> str:
        """``word`` without the ZWNJs that follow a non-joining letter."""
        if ZWNJ not in word:
            return word
        pieces = word.split(ZWNJ)
        out = pieces[0]
        for p in pieces[1:]:
            out += p if out[-1:] in self.non_joining else ZWNJ + p
        return out

    # -- strip mode: one run of joined letters ----------------------------------------------------------------
    def split_run(self, run: str) -> str:
        """ZWNJ spelling of a run of joined letters (``run`` itself when it is a word or unknown)."""
        out = self._cache.get(run)
        if out is None:
            out = self.project_split.get(run) or self._split(run)
            if self.freq and run not in self._protected:
                out = self._by_frequency(run, out)
                if (out == run and self.min_compound <= len(run) <= 40 and run not in self.known
                        and run not in self.freq):  # (longer runs are not words: no quadratic work on them)
                    out = self._decompose(run)
                    if out != run and len(self.decomposed) < 500_000:
                        self.decomposed.add(run)
            if ZWNJ in out:  # make the result stable (idempotence): re-split each piece
                pieces = out.split(ZWNJ)
                out = ZWNJ.join([pieces[0] if pieces[0] in self.known else self.split_run(pieces[0])] + [
                    p if p in self.known or prev in self.mi_prefixes else self.split_run(p)
                    for prev, p in zip(pieces, pieces[1:])])
            if len(self._cache) < 500_000:
                self._cache[run] = out
        return out

    def _by_frequency(self, run: str, ruled: str) -> str:
        """Arbitrate between the joined spelling ``run`` and a ZWNJ spelling (the rules' or wordfreq's).

        wordfreq's Persian counts come largely from informal text that omits ZWNJs, so a joined spelling only wins
        when it beats the ZWNJ spelling by more than ``self.margin`` (the omission bias measured on می‌ verb forms,
        which are always written with ZWNJ). A joined word of hazm's lexicon needs a more frequent ZWNJ spelling.
        """
        freq = self.freq
        if ruled in self.project_zwnj:
            return ruled
        z = self.freq_zwnj.get(run)
        zw = ruled if ZWNJ in ruled else z
        if z is not None and zw != z and freq[z] > freq.get(zw, -(10**6)):
            zw = z
        if zw is None:
            return ruled
        fz = freq.get(zw)
        if fz is None:
            return run if run in freq else ruled
        fj = freq.get(run)
        if fj is None:
            return zw
        if run in self.known:
            return zw if fz > fj else run
        return run if fj - fz > self.margin else zw

    def _decompose(self, run: str) -> str:
        """An unknown run made of two common words is a compound written without its ZWNJ (بیناستانی -> بین‌استانی).

        Both parts must be words of at least 3 letters and ``compound_part_min_freq`` frequency in wordfreq (the second
        may carry a plural or ی ending, and is no clitic or joined suffix), the first ending in a joining letter; the
        most frequent split (by its rarer part) wins.
        """
        freq = self.freq
        best, best_score = run, self.part_min_freq - 1
        never = self.second_never
        for i in range(3, len(run) - 2):
            a, b = run[:i], run[i:]
            if a[-1] in self.non_joining or b in never:
                continue
            fa = freq.get(a)
            if fa is None or fa < self.part_min_freq or a in self.no_join_left:
                continue
            fb = freq.get(b)
            if fb is None:
                for suf in self.right_suffixes:
                    if b.endswith(suf) and len(b) - len(suf) >= 3 and b[: -len(suf)] in freq \
                            and b[: -len(suf)] not in never:
                        fb = freq[b[: -len(suf)]]
                        break
            if fb is None or fb < self.part_min_freq or b in self.no_join_right:
                continue
            score = min(fa, fb)
            if score > best_score:
                best, best_score = a + ZWNJ + b, score
        return best

    def _split(self, run: str) -> str:
        if len(run) < 3 or run in self.known:
            return run
        mapped = self.split_map.get(run)
        if mapped is not None:
            return mapped
        for pv in self.preverbs:  # برمیگردد -> بر + می‌گردد
            if run.startswith(pv):
                mapped = self.split_map.get(run[len(pv):])
                if mapped is not None and mapped in self.verb_forms:
                    return pv + mapped
        best, best_score = run, -1
        for suf in self.suffixes:
            if not run.endswith(suf):
                continue
            stem = run[: -len(suf)]
            if stem[-1:] in self.non_joining:
                if suf in self.suffixes_any and stem in self.known:
                    return run  # روزهای, کشورها: legitimately joined (not روزه‌ای)
                continue
            if suf in self.comparative_ext and stem + self.comparative in self.known:
                return run  # بیشترین
            if suf == self.yi_suffix and stem + self.yi_stem_final in self.known:
                return run  # تنهایی
            if suf in self.suffixes_any:
                if len(stem) < self.min_stem:
                    continue
            elif len(stem) < self.min_stem_heh or not stem.endswith(self.heh):
                continue
            if stem in self.known:
                score = self.counts.get(stem, 0)
                cand = stem
            else:
                cand = self.split_map.get(stem)
                if cand is None:
                    continue
                score = self.split_counts.get(stem, 0)
            if score > best_score:
                best, best_score = cand + ZWNJ + suf, score
        if best_score >= 0:
            return best
        for suf in self.suffixes:  # stems missing from the lexicon (loanwords, participles)
            stem = run[: -len(suf)]
            if not run.endswith(suf) or stem[-1:] in self.non_joining:
                continue
            if suf in self.suffixes_unknown and len(stem) >= self.min_unknown_stem:
                return stem + ZWNJ + suf
            if suf in self.verbal_unknown and len(stem) >= 4 and stem.endswith(self.heh):
                return stem + ZWNJ + suf
        for suf in self.poss_yeh + self.poss:  # possessives: ایرانیاش -> ایرانی‌اش, خانهشان -> خانه‌شان
            stem = run[: -len(suf)]
            if (run.endswith(suf) and len(stem) >= 3 and (stem in self.known or self.freq and stem in self.freq)
                    and stem[-1] not in self.non_joining and stem.endswith(self.heh if suf in self.poss else self.yeh)
                    and run[:-1] not in self.known):  # دریای = دریا + ی, not دری + ای
                return stem + ZWNJ + suf
        for suf in self.productive:  # مقاومسازی -> مقاوم‌سازی
            stem = run[: -len(suf)]
            if run.endswith(suf) and len(stem) >= 3 and stem[-1] not in self.non_joining and stem in self.known:
                return stem + ZWNJ + suf
        for suf in self.arabic_right:  # روحالله -> روح‌الله (عبدالله, نصرالله: after a non-joining letter)
            stem = run[: -len(suf)]
            if run.endswith(suf) and len(stem) >= 3 and stem[-1] not in self.non_joining:
                return stem + ZWNJ + suf
        for pre in self.noun_prefixes:  # بیتوجه -> بی‌توجه
            rest = run[len(pre):]
            if run.startswith(pre) and len(rest) >= 3 and (
                    rest in self.known or self.freq is not None and run not in self.freq and self._is_stem(rest)):
                return pre + ZWNJ + rest  # (an ending on the stem only for runs unknown to wordfreq: بیصبرانه)
        return run

    def is_binomial(self, left: str, right: str) -> bool:
        """``left و right`` is a binomial written as one word (``right`` may carry a plural/ی ending)."""
        head = left + ZWNJ + self.conj
        if head + right in self.binomials:
            return True
        return any(right.endswith(suf) and head + right[: -len(suf)] in self.binomials for suf in self.right_suffixes)

    def _is_word(self, w: str) -> bool:
        return w in self.known or (self.freq is not None and w in self.freq)

    def _is_stem(self, w: str) -> bool:
        """``w`` is a word, or a word plus an ending (توجهی, صبرانه; حوصلگی from حوصله)."""
        if self._is_word(w):
            return True
        for suf in self.stem_endings:
            if w.endswith(suf) and len(w) - len(suf) >= 2:
                stem = w[: -len(suf)]
                if self._is_word(stem) or (suf in self.heh_gi and self._is_word(stem + self.heh)):
                    return True
        return False

    def word(self, run: str) -> tuple[str, str, frozenset[str] | _AllWords]:
        """``(split_run(run), first, right_partners(first))`` for a run of joined letters (cached): ``first`` is the
        part before the first ZWNJ of the spelling; the chain walk asks ``join(left, first)`` only for a ``left`` in
        the partners."""
        out = self._words.get(run)
        if out is None:
            out = self.remember(run, self.split_run(run))
        return out

    _WORDS_MAX = 500_000  # entries of the word memo (bounded memory on endless input)

    def remember(self, word: str, spelled: str) -> tuple[str, str, frozenset[str] | _AllWords]:
        """Store and return the word memo's entry ``(spelled, first, right_partners(first))`` for ``word`` (a run
        of joined letters, or a word with ZWNJs from :meth:`Normalizer._zwnj_word`), while the memo has room."""
        first = spelled.partition(ZWNJ)[0]
        out = (spelled, first, self.right_partners(first))
        if len(self._words) < self._WORDS_MAX:
            self._words[word] = out
        return out

    def right_partners(self, right: str) -> frozenset[str] | _AllWords:
        """The words ``left`` for which ``_join(left, right)`` (``right`` without ZWNJ) can return a spelling: a superset
        of them, or :data:`_ANY_WORD` when ``_join`` decides on general properties of ``left`` (``right`` is a suffix,
        a bound element, the second half of a binomial).

        Apart from the noun prefixes and preverb+prefixes (:attr:`left_active`, the two tests of ``_join`` on ``left``
        alone), every branch of ``_join`` that returns a spelling needs ``right`` in one of the word sets of
        :attr:`_open_right`, ``right`` starting with the conjunction and longer than two letters, or
        ``left + ZWNJ + right`` (or ``right`` minus a right suffix) in a compound set: ``left`` is then what precedes
        the last ZWNJ of such a compound (:attr:`_partners`, :attr:`_stem_partners`). Keep in step with ``_join``.
        """
        if right in self._open_right or (right[:1] == self.conj and len(right) > 2):
            return _ANY_WORD
        hit = self._partner_sets.get(right)
        if hit is None:
            lefts = self._partners.get(right, [])
            stems = self._stem_partners
            for suf in self.right_suffixes:
                if right.endswith(suf) and right[: -len(suf)] in stems:
                    lefts = lefts + stems[right[: -len(suf)]]
            # one set per distinct right word (runs sharing a first piece share it in the word memo); words with
            # no partner of their own share left_active, so this memo holds only the few that have partners
            hit = self.left_active.union(lefts) if lefts else self.left_active
            if lefts:
                self._partner_sets[right] = hit
        return hit

    # -- space mode: glue two space-separated words --------------------------------------------------------------
    def join(self, left: str, right: str) -> str | None:
        """``left right`` (separated by a space) written as one word, or ``None`` to keep the space (cached)."""
        key = (left, right)
        try:
            return self._join_cache[key]
        except KeyError:
            pass
        out = self._join(left, right)
        if len(self._join_cache) < 200_000:  # bounded memory (~30 MB at most)
            self._join_cache[key] = out
        return out

    def _join(self, left: str, right: str) -> str | None:
        if right in self.suffixes_any:
            if len(left) < 2 or left in self.no_join_right:
                return None
            return left + ZWNJ + right  # the space was a ZWNJ (invisible after a non-joining letter)
        if right in self.join_always and len(left) >= 2 and left not in self.no_join_left:
            return left + ZWNJ + right
        if left in self.noun_prefixes and len(right) >= 2 and self._is_stem(right):
            return left + ZWNJ + right  # بی توجهی -> بی‌توجهی
        if right in self.arabic_right and len(left) >= 2 and left[-1] not in self.non_joining \
                and left not in self.no_join_left:
            return left + ZWNJ + right  # آیت الله، روح الله
        if left + ZWNJ + right in self.glue:
            return left + ZWNJ + right  # سه شنبه (سه is otherwise a free number word)
        if right[:1] == self.conj and len(right) > 2 and self.is_binomial(left.rpartition(ZWNJ)[2], right[1:]):
            return left + ZWNJ + right  # حمل ونقل -> حمل‌ونقل (the spaced "حمل و نقل" is a correct spelling: kept)
        if left in self.no_join_left or right in self.no_join_right:
            return None
        if right in self.suffixes_heh or right in self.space_heh:
            if left.endswith(self.heh) and len(left) >= self.min_stem_heh:
                return left + ZWNJ + right
            if right in self.poss_yeh and left.endswith(self.yeh) and len(left) >= 3 and self._is_word(left):
                return left + ZWNJ + right  # صندلی ای -> صندلی‌ای, زندگی ام -> زندگی‌ام
            return None
        if left + ZWNJ + right in self.join_set:
            return left + ZWNJ + right
        if self.compound_join:
            if left + ZWNJ + right in self.compound_join:
                return left + ZWNJ + right
            for suf in self.right_suffixes:  # اصلاح طلبان -> اصلاح‌طلب + ان
                if right.endswith(suf) and left + ZWNJ + right[: -len(suf)] in self.compound_join:
                    return left + ZWNJ + right
        pv = self.preverb_prefixes.get(left)  # برمی گردد -> برمی‌گردد
        if pv is not None and left[len(pv):] + ZWNJ + right in self.verb_forms:
            return left + ZWNJ + right
        return None


def _left_parts(*compound_sets) -> dict[str, list[str]]:
    """``{last ZWNJ-part: [what precedes it, ...]}`` over the compounds of the sets (``a+ZWNJ+b+ZWNJ+c`` gives
    ``a+ZWNJ+b`` for ``c``)."""
    lefts: dict[str, list[str]] = {}
    for compounds in compound_sets:
        for w in compounds:
            left, _, right = w.rpartition(ZWNJ)
            lefts.setdefault(right, []).append(left)
    return lefts


@lru_cache(maxsize=2)
def _lexicon(use_freq: bool = True) -> _ZwnjLexicon:
    return _ZwnjLexicon(use_freq)


# --- spacing and style rules (hazm's, restricted so they do not break URLs or Latin text) -------------------------
# Each rule names a character it needs first (literal or small class), not a look-behind: the regex engine then
# jumps to candidate characters in C instead of trying every position (5-20x faster; the same matches). The rule in
# the comment is the original zero-width form it is equivalent to.
_ZWNJ_RUN = re.compile("\u200c{2,}")
_ZWNJ_STRAY = re.compile(f"\u200c(?:(?<![{_L}]\u200c)|(?![{_L}]))")  # (?<![L])\u200c|\u200c(?![L])
_MULTI_SPACE = re.compile("   *")  # " {2,}" (two literal spaces first: the engine looks for that pair in C)
_EDGE_SPACE = re.compile("^ +| +$", re.M)
_DECIMAL = re.compile(r"\.(?<=\d\.)(?=\d)")  # (?<=\d)\.(?=\d)
_ELLIPSIS = re.compile(r" ?\.\.\.")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[:!،؛؟»)\]}]|\.(?:\s|$))")
_SPACE_AFTER_OPEN = re.compile(r"([«(\[{]) +")  # (?<=[«(\[{]) + -> "", as \1
# insertions of a space, written as the character before the insertion point (sub: r"\g<0> ") or after it
# (sub: r" \g<0>"), each consumed alone so that every qualifying position is found
_SPACE_AFTER_PUNCT = re.compile(f"[.:!؟،؛»)\\]}}](?=[{_L}«])")  # (?<=[.:!؟،؛»)\]}])(?=[L«])
_SPACE_AFTER_COLON = re.compile(f"[.:!؟،؛](?<=[{_L}].)(?=\\d)")  # "گفت:۱۵" (not "۱۲:۳۰"): (?<=[L][.:!؟،؛])(?=\d)
_SPACE_BEFORE_OPEN = re.compile(f"[«(\\[{{](?<=[{_L}\\d].)")  # (?<=[L\d])(?=[«(\[{]), inserting before
# (?<=\d)(?=[L])|(?<=[L])(?=\d) as two passes (neither creates nor removes a position of the other: a space is
# neither a digit nor a letter)
_DIGIT_THEN_LETTER = re.compile(f"\\d(?=[{_L}])")  # inserting after the digit
_LETTER_THEN_DIGIT = re.compile(f"\\d(?<=[{_L}]\\d)")  # inserting before the digit
_AFTER = r"\g<0> "
_BEFORE = r" \g<0>"
# Tests that a rule (or pair of rules) has a match at all, found from a rarer character than the rule's own first
# one (a space, any digit): ``search`` finds something exactly when the rule would; the rule then runs as written.
# _SPACE_BEFORE_PUNCT: a space just before one of its marks (a "." only when followed by whitespace or the end).
_SPACE_BEFORE_PUNCT_SEARCH = re.compile(r"[:!،؛؟»)\]}.](?<= .)(?:(?<!\.)|(?=\s|$))").search
# _DIGIT_THEN_LETTER or _LETTER_THEN_DIGIT: a digit next to a letter (if neither matches, neither pass changes anything).
_DIGIT_LETTER_SEARCH = re.compile(f"\\d(?:(?=[{_L}])|(?<=[{_L}]\\d))").search
# A chain of letter runs separated by single spaces or ZWNJs: the unit of ZWNJ restoration, or a lone run of 3 or more
# letters. The separators are disjoint from the letter class, so the nested repetition cannot backtrack; written
# with possessive runs and the lone run's length as a look-behind, the first run is matched once (the same matches
# as "[L]+(?:[ \u200c][L]+)+|[L]{3,}": a run is maximal, so the 3 characters before its end are letters exactly when
# it has 3 or more).
_CHAIN = re.compile(f"[{_L}]++(?:(?:[ \u200c][{_L}]++)+|(?<=[{_L}]{{3}}))")
_PIECES = re.compile("([ \u200c])")


def _guillemets(text: str) -> str:
    """Straight double quotes -> « » on each line with an even number of them (alternating open/close).

    Unlike a pairwise regex, one pass leaves no quote behind, so normalisation stays idempotent."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if '"' in line and line.count('"') % 2 == 0:
            parts = line.split('"')
            lines[k] = parts[0] + "".join(("«" if i % 2 == 0 else "»") + p for i, p in enumerate(parts[1:]))
    return "\n".join(lines)


@dataclass(slots=True)
class NormalizedText:
    """Normalised text plus the map back to the raw input.

    ``starts[i]`` is the raw offset where normalised character ``i`` begins, ``ends[i]`` the raw offset where it
    ends; inserted characters (e.g. a restored ZWNJ) get an empty raw extent at their insertion point.
    """

    raw: str
    text: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in normalised text

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to raw offsets ``(rs, re)`` with ``0 <= rs <= re <= len(raw)``."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.starts[start] if start < n else len(self.raw)
            return pos, pos
        rs = self.starts[start]
        re_ = self.ends[end - 1]
        return rs, max(rs, re_)

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for the normalised span ``[start, end)``, with raw text and offsets."""
        rs, re_ = self.to_raw(start, end)
        return Span(self.raw[rs:re_], rs, re_, self.text[start:end])

    def span_fields(self, start: int, end: int) -> tuple[str, int, int, str]:
        """``span(start, end)``'s fields ``(text, start, end, norm)`` without building a :class:`Span`, for a
        non-empty span inside the text (``0 <= start < end <= len(text)``: whole words, sentences, paragraphs), where
        :meth:`to_raw` neither clamps nor takes its empty-span branch. The hot-path form for stages that build many
        spans; the caller guarantees the bounds."""
        rs = self.starts[start]
        re_ = max(rs, self.ends[end - 1])
        return self.raw[rs:re_], rs, re_, self.text[start:end]


class Normalizer:
    """Build once, reuse: ``Normalizer().normalize(text)``.

    ``digits``: ``"persian"`` (default, ``۱۲۳``) or ``"ascii"`` (``123``) in the normalised text.
    ``zwnj``: restore ZWNJ (default ``True``). ``wordfreq``: when the optional ``wordfreq`` package is installed,
    let its Persian frequencies choose between the joined, ruled and ZWNJ spellings of a word (default ``True``;
    ``False`` gives the rules alone, identical on every installation). ``persian_style``: quotes to guillemets,
    ``٫`` as decimal point, ``…`` (default ``True``).

    >>> nt = Normalizer().normalize_with_offsets("سرمایهگذاری ۱۱۶ همت در محلهمحوری")
    >>> nt.text == "سرمایه\u200cگذاری ۱۱۶ همت در محله\u200cمحوری"
    True
    >>> nt.span(nt.text.index("محله"), len(nt.text)).text   # raw slice of a span found in normalised text
    'محلهمحوری'
    """

    def __init__(self, *, digits: str = "persian", zwnj: bool = True, wordfreq: bool = True,
                 persian_style: bool = True) -> None:
        if digits not in ("persian", "ascii"):
            raise ValueError(f"digits must be 'persian' or 'ascii', not {digits!r}")
        self.digits = digits
        self.persian_style = persian_style
        self._table = _char_table(digits)
        self._translate = _translator(digits)
        self._lex = _lexicon(wordfreq) if zwnj else None

    # -- the string path ---------------------------------------------------------------------------------------------
    def normalize(self, text: str) -> str:
        return self._rules(self._translate(require_str(text)))

    def _rules(self, text: str) -> str:
        """Everything after the character table (``text`` is already translated)."""
        # (each rule runs only where it can match: `in` checks are cheap scans, and a rule that finds nothing
        # returns the text unchanged anyway)
        if ZWNJ in text:  # before the decimal rule, so that digit-ZWNJ-dot-digit becomes a decimal in one pass
            if ZWNJ + ZWNJ in text:
                text = _ZWNJ_RUN.sub(ZWNJ, text)
            text = _ZWNJ_STRAY.sub("", text)
        if self.persian_style:
            if '"' in text:
                text = _guillemets(text)
            if "." in text:
                if self.digits == "persian":
                    text = _DECIMAL.sub("٫", text)
                if "..." in text:
                    text = _ELLIPSIS.sub(" …", text)
        if "  " in text:
            text = _MULTI_SPACE.sub(" ", text)
        # insertions first, then removals, so that a second pass finds nothing to do (idempotence)
        # the two bracket rules need an opening bracket (the rules from here on add and remove spaces only)
        opening = "«" in text or "(" in text or "[" in text or "{" in text
        text = _SPACE_AFTER_PUNCT.sub(_AFTER, text)
        if opening:
            text = _SPACE_BEFORE_OPEN.sub(_BEFORE, text)
        if _DIGIT_LETTER_SEARCH(text):  # (these three rules scan every digit or space: a cheaper test first)
            text = _DIGIT_THEN_LETTER.sub(_AFTER, text)
            text = _LETTER_THEN_DIGIT.sub(_BEFORE, text)
        if _SPACE_BEFORE_PUNCT_SEARCH(text):
            text = _SPACE_BEFORE_PUNCT.sub("", text)
        if opening:
            text = _SPACE_AFTER_OPEN.sub(r"\1", text)
        text = _SPACE_AFTER_COLON.sub(_AFTER, text)  # needs the letter glued to the mark: after the removals
        if text[:1] == " " or text[-1:] == " " or " \n" in text or "\n " in text:
            text = _EDGE_SPACE.sub("", text)
        if self._lex is not None:
            text = _CHAIN.sub(self._fix_chain, text)
        return text

    def _fix_chain(self, m: re.Match) -> str:
        """ZWNJ restoration of one chain of letter runs separated by single spaces/ZWNJs.

        The chain is taken one space-separated word at a time: :meth:`_fix_word` settles the ZWNJ pieces inside a
        word (they only look at their own word), then the word is glued to the previous one when
        :meth:`_ZwnjLexicon.join` accepts the pair (previous word, first ZWNJ-piece of this word).

        The lexicon's word memo (:meth:`_ZwnjLexicon.word` for runs of joined letters, :meth:`_zwnj_word` for words
        with ZWNJs: spelling, first ZWNJ-piece, partners) and the pair memo are read inline (a hit has no side
        effect); a miss calls the method, in the same left-to-right order as a piece-by-piece walk. A pair whose left
        word is not among the right word's partners (:meth:`_ZwnjLexicon.right_partners`: the only words it can join)
        is not looked up at all. ``join``, ``split_run`` and ``_fix_word`` give the same answer whenever they are asked
        (their memos, and the ``decomposed`` record of split runs, only store what they computed), so skipping calls
        whose answer is known changes nothing.
        """
        lex = self._lex
        chain = m.group()
        if " " not in chain:
            return lex.split_run(chain) if ZWNJ not in chain else self._fix_word(chain)
        word_memo = lex._words.get
        word_info = self._word_info
        join = lex.join
        pair_memo = lex._join_cache.get
        words = iter(chain.split(" "))
        first_word = next(words)
        prev = (word_memo(first_word) or word_info(first_word))[0]
        out: list[str] = []
        for sw in words:
            word, first, partners = word_memo(sw) or word_info(sw)
            # decide on the first ZWNJ-piece of the word, as a second pass would see it (idempotence)
            if prev not in partners:
                joined = None  # _join(prev, first) is None (see _ZwnjLexicon.right_partners)
            else:
                joined = pair_memo((prev, first), _MISSING)
                if joined is _MISSING:
                    joined = join(prev, first)
            if joined is None:
                out.append(prev)
                prev = word
            else:
                prev = joined + word[len(first):]
        out.append(prev)
        return " ".join(out)

    def _word_info(self, word: str) -> tuple[str, str, frozenset[str] | _AllWords]:
        """``(spelling, first, partners)`` of a space-free word (see :meth:`_ZwnjLexicon.word`), cached."""
        return self._zwnj_word(word) if ZWNJ in word else self._lex.word(word)

    def _zwnj_word(self, word: str) -> tuple[str, str, frozenset[str] | _AllWords]:
        """``(_fix_word(word), first, right_partners(first))`` for a space-free ``word`` with ZWNJs (cached in the
        lexicon's word memo, like :meth:`_ZwnjLexicon.word`): ``first`` is the part of the spelling before its first
        ZWNJ."""
        return self._lex.remember(word, self._fix_word(word))

    def _fix_word(self, word: str) -> str:
        """ZWNJ spelling of one space-free ``word`` that contains ZWNJs (its pieces are runs of joined letters)."""
        lex = self._lex
        split_run = lex.split_run
        decomposed = lex.decomposed
        pieces = word.split(ZWNJ)
        prev = pieces[0]
        out = split_run(prev)
        if prev in decomposed:
            out = prev  # a writer who placed ZWNJs in this word is trusted with the rest of it
        mi = lex.mi_prefixes
        binomials = lex.binomials
        conj = lex.conj
        for p in pieces[1:]:
            if prev in mi or (p[:1] == conj and prev + ZWNJ + p in binomials):
                piece = p  # a verb stem after می‌, the second half of حمل‌ونقل: already split
            else:
                piece = split_run(p)
                if piece != p and p in decomposed:
                    piece = p
            out = out + ZWNJ + piece
            prev = p
        return out

    # -- the offset path -----------------------------------------------------------------------------------------------
    def normalize_with_offsets(self, text: str) -> NormalizedText:
        text = require_str(text)
        translated = self._translate(text)
        norm = self._rules(translated)
        raw_lines = text.split("\n")
        norm_lines = norm.split("\n")
        tr_lines = translated.split("\n")  # the table keeps every newline and makes none
        starts: list[int] = []
        ends: list[int] = []
        paragraphs: list[tuple[int, int]] = []
        if not len(raw_lines) == len(norm_lines) == len(tr_lines):  # pragma: no cover - never add/remove a newline
            raw_lines, norm_lines, tr_lines = [text], [norm], [translated]
        rpos = npos = 0
        table = self._table
        translate = self._translate
        uneven = translate.uneven
        # Lines mapped one to one and the "\n" between lines (raw [p, p + 1) each) form stretches of identity
        # extents: each stretch is appended at once, when a line that needs the alignment walk (or the end) is reached.
        stretch = 0  # raw offset where the pending stretch begins
        for rl, nl, tl in zip(raw_lines, norm_lines, tr_lines):
            paragraphs.append((npos, npos + len(nl)))
            # the line translated one to one: its full translation ``tl`` unless a character is dropped or expanded
            one = nl if rl == nl else tl if uneven(rl) is None else translate.one_to_one(rl)
            # identity extents when the line's translation is the normalised line, character for character
            # (``one == nl`` implies it; a line with dropped/expanded characters needs the full translation)
            if not (one == nl or (len(nl) == len(rl) and _SENTINEL in one and tl == nl)):
                _extend_one_to_one(starts, ends, stretch, rpos - stretch)
                _align_line(rl, nl, rpos, table, starts, ends, one)
                stretch = rpos + len(rl)  # the "\n" after the line
            rpos += len(rl) + 1
            npos += len(nl) + 1
        _extend_one_to_one(starts, ends, stretch, len(text) - stretch)
        return NormalizedText(text, norm, starts, ends, paragraphs)


_EQUIV = {('"', "«"), ('"', "»"), (".", "٫"), (" ", ZWNJ), (ZWNJ, " ")}

# Raw offsets 0 .. 2**16 as int objects made once: the extents of a run of characters that map one to one are copied
# from slices of this list (pointers) instead of being made from a range (a new int per offset above 256).
_OFFSETS = list(range(1 << 16))


def _extend_one_to_one(starts: list[int], ends: list[int], raw_start: int, n: int) -> None:
    """Append the extents of ``n`` characters mapped one to one from raw offset ``raw_start`` on (``[r, r + 1)``)."""
    if raw_start + n < len(_OFFSETS):
        starts += _OFFSETS[raw_start:raw_start + n]
        ends += _OFFSETS[raw_start + 1:raw_start + n + 1]
    else:
        starts.extend(range(raw_start, raw_start + n))
        ends.extend(range(raw_start + 1, raw_start + n + 1))


def _common_len(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]``, given ``a[i] == b[j]``.

    Galloping (blocks of 16, 64, 256... characters) then bisection, each step one ``b.startswith(a-slice, pos)``
    done in C: O(log n) comparisons instead of a Python step per character."""
    n = min(len(a) - i, len(b) - j)
    lo, step = 1, 16  # a[i:i+lo] == b[j:j+lo]
    starts_with = b.startswith
    while True:
        hi = lo + step
        if hi >= n:
            if starts_with(a[i + lo:i + n], j + lo):
                return n
            hi = n
            break
        if not starts_with(a[i + lo:i + hi], j + lo):
            break
        lo = hi
        step *= 4
    while hi - lo > 1:  # a[i+lo:i+hi] != b[j+lo:j+hi]: the first difference is in there
        mid = (lo + hi) // 2
        if starts_with(a[i + lo:i + mid], j + lo):
            lo = mid
        else:
            hi = mid
    return lo


def _align_line(raw: str, norm: str, base: int, table: dict, starts: list[int], ends: list[int],
                one: str) -> None:
    """Append the raw extent of each character of ``norm`` (one normalised line) aligned to ``raw``.

    Linear two-pointer walk: a raw character matches the normalised characters its translation produces; a
    normalised space/ZWNJ with no raw counterpart is an insertion (empty extent); a raw space/ZWNJ or dropped
    character with no normalised counterpart is a deletion; anything else re-syncs within a small window.

    Fast path: ``one`` is ``raw`` translated character for character (:meth:`_Translator.one_to_one`, a sentinel
    where a character is dropped or expanded), so ``one[i] == norm[j]`` is exactly the walk's "translation is the
    same single character" step; a whole run of such steps is found by :func:`_common_len` and its extents (one raw
    character each) are appended at once. Every other case takes the character-by-character walk below (which reads
    a one-character translation from ``one`` too).
    """
    i = j = 0
    nr, nn = len(raw), len(norm)
    while j < nn:
        if i >= nr:
            starts.append(base + nr)
            ends.append(base + nr)
            j += 1
            continue
        if one[i] == norm[j]:
            if one[i:i + 8] == norm[j:j + 8]:  # a run (8 or more, or to the end): find its end in C
                k = _common_len(one, i, norm, j)
                _extend_one_to_one(starts, ends, base + i, k)
                i += k
                j += k
            else:  # one character: short runs (mixed-script text) are cheaper walked than searched
                starts.append(base + i)
                ends.append(base + i + 1)
                i += 1
                j += 1
            continue
        t = one[i]  # the raw character's translation when it is one character
        if t == _SENTINEL:  # a dropped or expanded character: its translation from the table
            t = table[ord(raw[i])]
            if t is None or t == "":
                i += 1
                continue
        n = norm[j]
        if len(t) == 1:
            if t == n or (t, n) in _EQUIV:
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
        if n in _SEP:  # inserted space or ZWNJ
            starts.append(base + i)
            ends.append(base + i)
            j += 1
            continue
        if t in _SEP:  # deleted space or ZWNJ
            i += 1
            continue
        di, dj = _resync(raw, norm, i, j, table)
        if di == 0 and dj == 0:  # substitution
            di = dj = 1
        for _ in range(dj):
            starts.append(base + i)
            ends.append(base + i + di)
        i += di
        j += dj


def _resync(raw: str, norm: str, i: int, j: int, table: dict) -> tuple[int, int]:
    """Smallest skip ``(di, dj)`` after which two consecutive characters agree again; ``(0, 0)`` if none."""
    nr, nn = len(raw), len(norm)
    for d in range(1, 9):
        for di in range(d + 1):
            dj = d - di
            a, b = i + di, j + dj
            if a >= nr or b >= nn:
                continue
            if (table.get(ord(raw[a]), raw[a]) or "") [:1] != norm[b]:
                continue
            if a + 1 >= nr or b + 1 >= nn or (table.get(ord(raw[a + 1]), raw[a + 1]) or "")[:1] == norm[b + 1]:
                return di, dj
    return 0, 0


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    """The process-wide :class:`Normalizer` (built on first use)."""
    return Normalizer()


def normalize(text: str) -> str:
    """Normalise Persian text with the process-wide :class:`Normalizer` (built on first use).

    >>> normalize("رئیس جمهور گفت برنامه های دولت اجرا میشود")
    'رئیس\u200cجمهور گفت برنامه\u200cهای دولت اجرا می\u200cشود'
    """
    return default_normalizer().normalize(text)
