"""Integrity of the bundled language data written by hand: the officials gazetteer and the name lists.

Data tests in the dateparser style: every person / every list entry is one parametrised case, so a failure names
the row (``test_person_schema[pezeshkian-masoud]``). No expected values are hard-coded here: the checks are rules
(schema, unique ids, valid Jalali dates, start <= end, one current holder per single-seat office, aliases shared by
several people only when declared ambiguous, name lists free of stop words).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from persiantools.jdatetime import JalaliDate

from fa_policy_nlp.keys import match_key
from fa_policy_nlp.resources import load_yaml, read_text

GAZ = load_yaml("officials_gazetteer.yaml")
PEOPLE = GAZ["officials"]
IDS = [p.get("id", f"#{i}") for i, p in enumerate(PEOPLE)]

PERSON_KEYS = {"id", "name", "aliases", "honorifics", "wikidata", "roles", "source", "note"}
REQUIRED_PERSON_KEYS = {"id", "name", "aliases", "honorifics", "roles", "source"}
ROLE_KEYS = {"role", "organization", "start", "end", "note"}
REQUIRED_ROLE_KEYS = {"role", "organization", "start", "end"}

SLUG = re.compile(r"^[a-z]+(?:-[a-z]+)+$")
JALALI = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
WIKIDATA = re.compile(r"^Q[1-9]\d*$")
# Persian letters (Arabic block without Arabic-only yeh/kaf variants), hamza forms, ZWNJ, single spaces.
PERSIAN_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc\u0654\u200c]+"
                          r"(?: [\u0621-\u063a\u0641-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc\u0654\u200c]+)*$")
ROLE_TEXT = re.compile(r"^[\u0621-\u063a\u0641-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc\u0654\u200c ،]+$")
ARABIC_VARIANTS = re.compile(r"[\u064a\u0643\u0649]")  # ي ك ى must not appear in canonical data
YEAR_MIN, YEAR_MAX = 1357, 1406  # the Islamic Republic; compilation year + 1


def _parse(date: str) -> tuple[int, int | None, int | None]:
    m = JALALI.match(date)
    assert m, f"{date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    y, mo, d = (int(g) if g else None for g in m.groups())
    return y, mo, d


def _bounds(date: str) -> tuple[JalaliDate, JalaliDate]:
    """Earliest and latest day a (possibly partial) Jalali date can mean."""
    y, mo, d = _parse(date)
    if mo is None:
        return JalaliDate(y, 1, 1), JalaliDate(y, 12, 30 if JalaliDate.is_leap(y) else 29)
    if d is None:
        last = 31 if mo <= 6 else 30 if mo <= 11 else (30 if JalaliDate.is_leap(y) else 29)
        return JalaliDate(y, mo, 1), JalaliDate(y, mo, last)
    day = JalaliDate(y, mo, d)
    return day, day


def _keys(person: dict) -> set[str]:
    return {match_key(a) for a in [person["name"], *person["aliases"]]}


# ------------------------------------------------------------------ gazetteer: per person


@pytest.mark.parametrize("person", PEOPLE, ids=IDS)
def test_person_schema(person):
    assert set(person) <= PERSON_KEYS, f"unknown keys {set(person) - PERSON_KEYS}"
    assert REQUIRED_PERSON_KEYS <= set(person), f"missing keys {REQUIRED_PERSON_KEYS - set(person)}"
    assert SLUG.match(person["id"]), person["id"]
    assert isinstance(person["aliases"], list) and person["aliases"], "aliases must be a non-empty list"
    assert isinstance(person["honorifics"], list)
    assert isinstance(person["roles"], list) and person["roles"], "at least one role"
    assert isinstance(person["source"], str) and person["source"].strip()
    if "wikidata" in person:
        assert WIKIDATA.match(str(person["wikidata"])), person["wikidata"]
    for text in [person["name"], *person["aliases"], *person["honorifics"]]:
        assert isinstance(text, str) and PERSIAN_NAME.match(text), f"{text!r}: not a clean Persian name"
        assert not ARABIC_VARIANTS.search(text), f"{text!r}: Arabic yeh/kaf in canonical data"


@pytest.mark.parametrize("person", PEOPLE, ids=IDS)
def test_person_aliases(person):
    """The surname (all words after the first name) alone is an alias; aliases differ from the name and from each other by more than ZWNJ/spacing."""
    keys = [match_key(a) for a in person["aliases"]]
    assert len(keys) == len(set(keys)), f"aliases repeat up to ZWNJ/space/hamza variants: {person['aliases']}"
    assert match_key(person["name"]) not in keys, "an alias equals the name"
    surname = person["name"].split(" ", 1)[-1]  # everything after the first name (compound surnames)
    assert match_key(surname) in keys, f"the surname {surname!r} alone is not among the aliases"
    honorific_keys = {match_key(h) for h in person["honorifics"]}
    assert not honorific_keys & set(keys), "an honorific is listed as an alias"


@pytest.mark.parametrize("person", PEOPLE, ids=IDS)
def test_person_roles(person):
    for role in person["roles"]:
        assert set(role) <= ROLE_KEYS, f"unknown role keys {set(role) - ROLE_KEYS}"
        assert REQUIRED_ROLE_KEYS <= set(role), f"missing role keys {REQUIRED_ROLE_KEYS - set(role)}"
        for field in ("role", "organization"):
            assert isinstance(role[field], str) and ROLE_TEXT.match(role[field]), f"{field}: {role[field]!r}"
            assert not ARABIC_VARIANTS.search(role[field])
        assert isinstance(role["start"], str), f"start must be a quoted string, got {role['start']!r}"
        s_lo, s_hi = _bounds(role["start"])  # raises on an impossible day (e.g. 1403-12-30)
        assert YEAR_MIN <= s_lo.year <= YEAR_MAX, role["start"]
        if role["end"] is not None:
            assert isinstance(role["end"], str), f"end must be a quoted string or null, got {role['end']!r}"
            e_lo, e_hi = _bounds(role["end"])
            assert YEAR_MIN <= e_lo.year <= YEAR_MAX, role["end"]
            assert s_lo <= e_hi, f"{role['role']}: start {role['start']} after end {role['end']}"


# ------------------------------------------------------------------ gazetteer: across people


def test_ids_unique():
    dupes = sorted({i for i in IDS if IDS.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def _shared_aliases() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in PEOPLE:
        for k in _keys(p):
            owners[k].add(p["id"])
    return {k: ids for k, ids in owners.items() if len(ids) > 1}


def test_shared_aliases_are_declared_ambiguous():
    declared = {match_key(a) for a in GAZ.get("ambiguous_aliases") or []}
    undeclared = {k: sorted(v) for k, v in _shared_aliases().items() if k not in declared}
    assert not undeclared, f"aliases shared by several people but not in ambiguous_aliases: {undeclared}"


def test_declared_ambiguous_aliases_are_shared():
    shared = _shared_aliases()
    stale = [a for a in GAZ.get("ambiguous_aliases") or [] if match_key(a) not in shared]
    assert not stale, f"ambiguous_aliases that are no longer shared: {stale}"


def test_common_word_aliases_exist():
    all_alias_keys = {match_key(a) for p in PEOPLE for a in p["aliases"]}
    unknown = [a for a in GAZ.get("common_word_aliases") or [] if match_key(a) not in all_alias_keys]
    assert not unknown, f"common_word_aliases that are nobody's alias: {unknown}"


def _single_seat(role: str) -> bool:
    """Offices held by one person at a time (ministers, heads of branches, spokespersons, governors...)."""
    first = role.split(" ")[0]
    return first in {"وزیر", "رئیس‌جمهور", "رئیس‌کل", "سخنگوی", "شهردار", "استاندار", "دبیر", "دادستان",
                     "فرمانده", "مدیرعامل"} or role.startswith(("رئیس ", "رهبر ", "معاون اول "))


SEATS: dict[str, list[tuple[str, dict]]] = defaultdict(list)
for _p in PEOPLE:
    for _r in _p["roles"]:
        if _single_seat(_r["role"]):
            SEATS[match_key(_r["role"])].append((_p["id"], _r))


@pytest.mark.parametrize("seat", sorted(SEATS), ids=lambda k: SEATS[k][0][1]["role"])
def test_one_holder_at_a_time(seat):
    holders = SEATS[seat]
    current = [pid for pid, r in holders if r["end"] is None]
    assert len(current) <= 1, f"several current holders: {current}"
    # Overlap check only where both terms are known to the day (year-only dates are approximate).
    exact = [(pid, _bounds(r["start"])[0], _bounds(r["end"])[0] if r["end"] else JalaliDate(YEAR_MAX, 12, 29))
             for pid, r in holders if _parse(r["start"])[2] and (r["end"] is None or _parse(r["end"])[2])]
    exact.sort(key=lambda t: t[1])
    for (a, _, a_end), (b, b_start, _) in zip(exact, exact[1:]):
        assert b_start >= a_end, f"{a} (until {a_end}) overlaps {b} (from {b_start})"


# ------------------------------------------------------------------ name lists

NAME_FILES = ["names_first.txt", "names_last.txt"]


def _stop_words() -> set[str]:
    """Function words from hazm's and spaCy's Persian stop-word lists (third-party data, not ours)."""
    words: set[str] = set()
    try:
        from hazm import stopwords_list

        words |= set(stopwords_list())
    except Exception:  # pragma: no cover - hazm is a runtime dependency
        pass
    try:
        from spacy.lang.fa.stop_words import STOP_WORDS

        words |= set(STOP_WORDS)
    except Exception:  # pragma: no cover
        pass
    return {match_key(w) for w in words}


STOP = _stop_words()


def _entries(name: str) -> list[tuple[int, str, bool]]:
    """(line number, entry, ambiguous?) of a name list; ambiguous entries sit after '# ambiguous:' with a '?'."""
    out, in_ambiguous = [], False
    for n, line in enumerate(read_text(name).splitlines(), 1):
        stripped = line.strip()
        if stripped.lower().startswith("# ambiguous"):
            in_ambiguous = True
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.append((n, entry, in_ambiguous))
    return out


@pytest.mark.parametrize("name", NAME_FILES)
def test_name_list_header_and_size(name):
    text = read_text(name)
    assert text.startswith("#"), "header comment naming the source first"
    assert "fa-policy-nlp" in text.split("\n\n", 1)[0], "header says the list was written by the project"
    entries = [e for _, e, amb in _entries(name) if not amb]
    low, high = {"names_first.txt": (400, 900), "names_last.txt": (600, 1600)}[name]
    assert low <= len(entries) <= high, f"{len(entries)} entries"


@pytest.mark.parametrize("name", NAME_FILES)
def test_name_list_entries(name):
    problems = []
    seen: dict[str, int] = {}
    for n, entry, amb in _entries(name):
        word = entry[1:] if amb else entry
        if amb and not entry.startswith("?"):
            problems.append(f"line {n}: {entry!r} after '# ambiguous:' must start with '?'")
        if not amb and entry.startswith("?"):
            problems.append(f"line {n}: {entry!r} has '?' outside the ambiguous section")
        if not PERSIAN_NAME.match(word) or ARABIC_VARIANTS.search(word):
            problems.append(f"line {n}: {entry!r} is not a clean Persian name")
        key = match_key(word)
        if key in seen and seen[key] != n:
            problems.append(f"line {n}: {entry!r} repeats line {seen[key]} (up to ZWNJ/space/hamza)")
        seen.setdefault(key, n)
        if not amb and key in STOP:
            problems.append(f"line {n}: {entry!r} is a stop word")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NAME_FILES)
def test_name_list_excludes_gazetteer_common_words(name):
    """Surnames the gazetteer flags as ordinary words must be in the ambiguous section, not plain entries."""
    common = {match_key(a) for a in GAZ.get("common_word_aliases") or []}
    plain = [(n, e) for n, e, amb in _entries(name) if not amb and match_key(e) in common]
    assert not plain, f"common words listed as plain names: {plain}"

