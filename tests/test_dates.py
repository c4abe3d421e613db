"""Date extraction: the case table tests/cases/dates.yaml, API behaviour and property tests."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES
from fa_policy_nlp.dates import DateExtractor, extract_dates, find_time_spans, parse_date

_TABLE = yaml.safe_load((CASES / "dates.yaml").read_text(encoding="utf-8"))
_DEFAULT_REF = _TABLE["default_reference"]


def _params():
    for row in _TABLE["cases"]:
        marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row.get("xfail") else []
        yield pytest.param(row, id=row["id"], marks=marks)


def _iso(value):
    return None if value is None else value.isoformat()


@pytest.mark.parametrize("row", list(_params()))
def test_date_case(row):
    ref = row.get("reference", _DEFAULT_REF)
    found = extract_dates(row["text"], ref)
    for d in found:
        assert row["text"][d.start:d.end] == d.text
    got = [
        {"text": d.text, "calendar": d.calendar, "jalali": d.jalali, "start": _iso(d.start_date),
         "end": _iso(d.end_date), "granularity": d.granularity, "relative": d.relative}
        for d in found
    ]
    want = row["expect"]
    assert len(got) == len(want), got
    for g, w in zip(got, want):
        assert {k: g[k] for k in w} == w


def test_parse_date_first_and_none():
    d = parse_date("جلسه ۱۱ اردیبهشت ۱۴۰۵ و ۱ مهر ۱۴۰۴")
    assert d is not None and d.start_date == dt.date(2026, 5, 1)
    assert parse_date("هیچ تاریخی اینجا نیست") is None


@pytest.mark.parametrize("reference", [dt.date(2025, 10, 6), "2025-10-06", "1404-07-14", "۱۴۰۴/۰۷/۱۴",
                                       dt.datetime(2025, 10, 6, 12, 0)])
def test_reference_forms(reference):
    d = parse_date("دیروز", reference)
    assert d.start_date == dt.date(2025, 10, 5)


def test_offsets_survive_zwnj_and_arabic_letters():
    text = "گزارش\u200cها: در روز سه\u200cشنبه ۱۰ دي\u200cماه ۱۴۰۳ و اردیبهشت\u200cماه ۱۴۰۵"
    found = extract_dates(text, "2025-10-06")
    assert [d.text for d in found] == ["روز سه\u200cشنبه ۱۰ دي\u200cماه ۱۴۰۳", "اردیبهشت\u200cماه ۱۴۰۵"]
    assert all(text[d.start:d.end] == d.text for d in found)


def test_stage_sets_sorted_dates_with_sentences(pipeline):
    art = pipeline("خبر اول. امروز دوشنبه جلسه بود. انتخابات ۱۱ اردیبهشت ۱۴۰۵ است.", published="2025-10-06")
    assert [d.text for d in art.dates] == ["امروز دوشنبه", "۱۱ اردیبهشت ۱۴۰۵"]
    assert [d.start for d in art.dates] == sorted(d.start for d in art.dates)
    for d in art.dates:
        assert art.text[d.start:d.end] == d.text
        if d.sentence is not None and art.sentences:
            s = art.sentences[d.sentence]
            assert s.start <= d.start < s.end


def test_stage_without_published_keeps_relative_unresolved():
    from types import SimpleNamespace

    from fa_policy_nlp.normalize import default_normalizer
    from fa_policy_nlp.types import Article

    text = "امروز و ۱۱ اردیبهشت ۱۴۰۵"
    art = Article(text=text)
    DateExtractor()(SimpleNamespace(nt=default_normalizer().normalize_with_offsets(text), article=art))
    today, fixed = art.dates
    assert today.relative and today.start_date is None and today.end_date is None
    assert not fixed.relative and fixed.start_date == dt.date(2026, 5, 1)


@pytest.mark.parametrize("text,expected", [
    ("ساعت ۱۰ صبح", ["ساعت ۱۰ صبح"]),
    ("ساعت ۱۴:۳۰", ["ساعت ۱۴:۳۰"]),
    ("عصر", ["عصر"]),
    ("۵ نفر", []),
])
def test_time_spans(text, expected):
    assert [text[s:e] for s, e in find_time_spans(text)] == expected


def _vocabulary() -> list[str]:
    from fa_policy_nlp.resources import load_yaml

    out: list[str] = []

    def walk(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(load_yaml("dates.yaml"))
    return sorted(set(out))


_CHARS = "۰۱۲۳۴۵۶۷۸۹0123456789/-.: \u200c\nاآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكئؤةۀ،؛⑷²٫\u200f"
_ALPHABET = st.sampled_from(_vocabulary() + list(_CHARS)
                            + ["مهر", "اردیبهشت", "امروز", "سال", "ماه", "گذشته", "تا", "ابتدای", "دوشنبه",
                               "رمضان", "مارس", "یک", "بیست و پنجم", "۱۴۰۴", "ه.ش", "دهه", "نیمه", "اول"])


_JOINED = st.tuples(st.lists(_ALPHABET, max_size=40), st.sampled_from(["", " ", "\u200c"])).map(
    lambda t: t[1].join(t[0]))


@settings(max_examples=500, deadline=None)
@given(_JOINED,
       st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_property_no_exception_valid_offsets(text, reference):
    found = extract_dates(text, reference)
    prev_end = -1
    for d in found:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text
        assert d.start >= prev_end
        prev_end = d.end
        assert (d.start_date is None) == (d.end_date is None)
        if d.start_date is not None:
            assert d.start_date <= d.end_date


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.just("2025-10-06")))
def test_property_arbitrary_unicode(text, reference):
    for d in extract_dates(text, reference):
        assert text[d.start:d.end] == d.text
    for s, e in find_time_spans(text):
        assert 0 <= s < e <= len(text)


def _fake_normalized(raw: str, norm: str):
    """A NormalizedText for ``norm`` = ``raw`` with ZWNJs inserted (or replacing a space), digits mapped 1:1."""
    from fa_policy_nlp.normalize import NormalizedText

    starts, ends, r = [], [], 0
    for ch in norm:
        if ch == "\u200c" and (r >= len(raw) or raw[r] not in " \u200c"):
            starts.append(r)
            ends.append(r)  # inserted: empty raw extent
        else:
            starts.append(r)
            ends.append(r + 1)
            r += 1
    assert r == len(raw)
    return NormalizedText(raw, norm, starts, ends, [(0, len(norm))])


def test_stage_with_longer_normalised_text():
    from types import SimpleNamespace

    from fa_policy_nlp.types import Article

    raw = "میشود سه شنبه دو هفته قبل و 11 اردیبهشتماه 1405 میشود"
    norm = "می\u200cشود سه\u200cشنبه دو هفته قبل و ۱۱ اردیبهشت\u200cماه ۱۴۰۵ می\u200cشود"
    art = Article(text=raw, published=dt.date(2025, 10, 6))
    DateExtractor()(SimpleNamespace(nt=_fake_normalized(raw, norm), article=art))
    assert [d.text for d in art.dates] == ["سه شنبه", "دو هفته قبل", "11 اردیبهشتماه 1405"]
    assert all(raw[d.start:d.end] == d.text for d in art.dates)
    assert art.dates[-1].norm == "۱۱ اردیبهشت\u200cماه ۱۴۰۵"
    assert art.dates[-1].start_date == dt.date(2026, 5, 1)


def test_vocabulary_integrity():
    """dates.yaml: complete calendars, every entry a non-empty string, no word in two incompatible roles."""
    from fa_policy_nlp.keys import match_key
    from fa_policy_nlp.resources import read_text, load_yaml

    data = load_yaml("dates.yaml")
    assert read_text("dates.yaml").startswith("#")  # header naming the source
    for table in ("jalali_months", "gregorian_months", "hijri_months"):
        assert sorted(data[table]) == list(range(1, 13)), table
    assert sorted(data["weekdays"]) == list(range(7))
    assert sorted(data["seasons"]) == [1, 4, 7, 10]
    roles: dict[str, str] = {}
    for table in ("jalali_months", "gregorian_months", "hijri_months", "weekdays", "seasons"):
        for words in data[table].values():
            for w in words:
                assert isinstance(w, str) and w.strip()
                key = match_key(w)
                assert roles.setdefault(key, table) == table, (w, roles[key], table)


# ------------------------------------------------------------------ the seek fast path of _atoms is the full scan
import datetime as _dt  # noqa: E402
from unittest import mock  # noqa: E402

from fa_policy_nlp import dates as _dates  # noqa: E402


def _atoms_full_scan(text, lex):
    """``dates._atoms`` before the seek fast path (7dca81a): every token listed."""
    toks: list[tuple[int, int, str, str]] = []  # start, end, kind, key
    joined: list[bool] = []  # joined[i]: token i and i+1 belong to one expression if needed
    comma: list[bool] = []  # comma[i]: only a comma between them ("دوشنبه، ۱۴ مهر")
    hot: list[int] = []  # tokens that may start an atom (all others are skipped by the second pass)
    keys = lex.key_cache
    table, first_keys, maxt = lex.table, lex.first_keys, lex.max_tokens
    append, j_append, c_append, h_append = toks.append, joined.append, comma.append, hot.append
    gap, comma_gap = _dates._GAP.fullmatch, _dates._COMMA_GAP.fullmatch
    pe = -1  # end of the previous token
    for m in lex.token_re.finditer(text):
        kind = m.lastgroup or "w"
        s, e = m.span()
        if pe >= 0:
            if s - pe == 1 and text[pe] == " ":  # the common case: one space
                j_append(True)
                c_append(False)
            else:
                jn = s - pe <= 4 and gap(text, pe, s) is not None
                j_append(jn)
                c_append(not jn and s - pe <= 5 and comma_gap(text, pe, s) is not None)
        pe = e
        if kind == "w":
            g = m.group()
            got = keys.get(g)
            if got is None:
                if len(keys) >= _dates._KEY_CACHE_MAX:
                    keys.clear()
                key = _dates.match_key(g)
                got = keys[g] = (key, key in first_keys or key in table or (key[:1].isascii() and key[:1].isdigit()))
            key, is_hot = got
            if is_hot:
                h_append(len(toks))
            append((s, e, kind, key))
        else:
            h_append(len(toks))
            append((s, e, kind, m.group()))
    n = len(toks)
    if n:
        joined.append(False)
        comma.append(False)
    atoms: list[_dates._Atom] = []
    free = 0  # tokens before this one are part of an atom already
    for i in hot:
        if i < free:
            continue
        s, e, kind, key = toks[i]
        if kind == "nd":
            atoms.append(_dates._Atom(s, e, i, i + 1, {"nd": key}))
            continue
        if kind == "tm":
            atoms.append(_dates._Atom(s, e, i, i + 1, {"tm": key}))
            continue
        if kind == "ab":
            cal = next((c for p, c in lex.abbr_cal if p.fullmatch(key)), "jalali")
            atoms.append(_dates._Atom(s, e, i, i + 1, {"cal": cal}))
            continue
        found = None
        if key in first_keys:
            acc = key
            for j in range(i + 1, min(n, i + maxt)):
                if not joined[j - 1] or toks[j][2] != "w":
                    break
                acc += toks[j][3]
                if acc in table:
                    found = (j + 1, table[acc])
        if found:
            j, feats = found
            atoms.append(_dates._Atom(s, toks[j - 1][1], i, j, feats))
            free = j
            continue
        feats = table.get(key)
        if feats is None and key[:1].isascii() and key[:1].isdigit():
            feats = _dates._number_feats(key, lex)
        if feats is not None:
            atoms.append(_dates._Atom(s, e, i, i + 1, feats))
    return atoms, joined, comma



def _atom_view(text, atoms_joined_comma):
    atoms, joined, comma = atoms_joined_comma
    p = _dates._Parser(text, atoms, joined, None, comma)
    return ([(a.s, a.e, a.f) for a in atoms], [p.adj(k) for k in range(len(atoms))],
            [p.adj_comma(k) for k in range(len(atoms))])


def _date_pieces():
    """Words and phrases of data/dates.yaml (multi-word entries whole and split, words cut short or extended, so
    that the seek regex's trie meets near misses), digits, date shapes and separators."""
    from fa_policy_nlp.resources import load_yaml

    found: list[str] = []

    def walk(o):
        if isinstance(o, str):
            found.append(o)
        elif isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    data = load_yaml("dates.yaml")
    walk(data)
    # texts the calendar abbreviation patterns match (ه.ش, ه. ق, ه‌ش), spelled out of the patterns themselves
    abbrs = [p.replace("\\s?", " ").replace("\\.", ".").replace("?", "").replace("\\u200c", "\u200c")
             for pats in data["calendar_abbreviations"].values() for p in pats]
    abbrs += [a.replace(" ", "") for a in abbrs]
    phrases = sorted({w for w in found if len(w.split()) >= 3})[:12]
    words = sorted({p for w in found for p in w.split() if p.isalpha()})[::7]
    near = [w[:-1] for w in words[:20] if len(w) > 2] + [w + w[-1] for w in words[20:40]]
    return abbrs + phrases + words + near + [
        "۱۴۰۴", "11", "۲۰", "۱۴۰۴/۰۷/۱۴", "10:30", "\u064a", "\u0643", "\u0640", "\u0621", "\u064b", "ab", "_", "-",
        "/", ".", ",", "\u060c", " ", "  ", "\u200c", "\u00a0", "\n", "\u0967", "\u0663"]


def _lazy_pieces():
    """Words _atoms may leave out (و, از, تا, directions, calendar words…) and the rests of the keys that start with a
    first key (و + سط spells وسط): where they are kept, left out, or read by a look-up."""
    from fa_policy_nlp.resources import load_yaml

    data = load_yaml("dates.yaml")
    lex = _dates._lexicon()
    words = [*data["and_word"], *data["range_words"], *data["from_words"], *data["this_words"],
             *[w for ws in data["directions"].values() for w in ws][:6], *data["until_now"][:2]]
    rests = sorted({k[len(f):] for f in lex.first_keys for k in lex.table if k.startswith(f) and k != f})
    return words + words + rests[::5]


_DATE_PIECES = _date_pieces() + _lazy_pieces()


def _reachable(view):
    """Indices of the atoms a parse may read: those a rule starts at, and the joined/comma neighbours of those."""
    places, adj, adj_comma = view
    out = set()
    for k, (_s, _e, f) in enumerate(places):
        if not f.keys().isdisjoint(_dates._START_FEATS | _dates._TIME_START_FEATS) or (
                k - 1 in out and (adj[k - 1] or adj_comma[k - 1])):
            out.add(k)
    return out


def _check_seek_atoms(text):
    """_atoms keeps the full scan's atoms (and their adjacency) but for lazy ones no parse reaches, and dates and time
    spans found from them are the full scan's."""
    lex = _dates._lexicon()
    fast, full = _atom_view(text, _dates._atoms(text, lex)), _atom_view(text, _atoms_full_scan(text, lex))
    kept = {(s, e) for s, e, _f in fast[0]}
    idx = [k for k, (s, e, _f) in enumerate(full[0]) if (s, e) in kept]
    assert fast == tuple([full[i][k] for k in idx] for i in range(3))
    assert _reachable(full) <= set(idx)
    assert all(full[0][k][2].keys().isdisjoint(_dates._START_FEATS | _dates._TIME_START_FEATS)
               for k in range(len(full[0])) if k not in idx)
    for ref in (None, _dt.date(2025, 10, 6)):
        with mock.patch.object(_dates, "_atoms", _atoms_full_scan):
            expect = _dates._find(text, ref), _dates.find_time_spans(text)
        assert (_dates._find(text, ref), _dates.find_time_spans(text)) == expect


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=25).map("".join))
def test_seek_atoms_equal_full_scan(text):
    _check_seek_atoms(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=12).map(" ".join))
def test_seek_atoms_equal_full_scan_spaced(text):
    """As above, the pieces one space apart as in running text (lazy words joined to what comes before them)."""
    _check_seek_atoms(text)


@pytest.mark.parametrize("text", yaml.safe_load((CASES / "dates_seek.yaml").read_text(encoding="utf-8")))
def test_seek_atoms_lazy_words(text):
    _check_seek_atoms(text)


# ------------------------------------------------------------------ the parser's fast paths = every rule at every atom
def _parse_reference(p):
    """``_Parser.parse`` as first written: every rule tried at every atom (no start-feature or lone-atom skip)."""
    out = []
    A, k = p.A, 0
    while k < len(A):
        best = None
        for rule, _start in _dates._RULE_STARTS:
            got = rule(p, k)
            if got is not None and (best is None or got[0] > best[0]):
                best = got
        if best is None:
            k += 1
            continue
        last, res = best
        if res is not _dates._INVALID:
            if p.nxt(last, "until_now") and res.start is not None and p.ref is not None and res.start <= p.ref:
                last += 1
                res = _dates._Res(calendar=res.calendar, jalali=res.jalali, start=res.start, end=p.ref,
                                  gran="interval", relative=True)
            out.append((k, last, A[k].s, A[last].e, res))
        k = last + 1
    return p._merge_ranges(out)


def _check_parse(text):
    atoms, joined, comma = _dates._atoms(text, _dates._lexicon())
    for ref in (None, _dt.date(2025, 10, 6)):
        got = _dates._Parser(text, atoms, joined, ref, comma).parse()
        assert got == _parse_reference(_dates._Parser(text, atoms, joined, ref, comma))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=12).map(" ".join))
def test_parse_equals_every_rule_at_every_atom(text):
    _check_parse(text)


@pytest.mark.parametrize("row", _TABLE["cases"], ids=lambda r: r["id"])
def test_parse_equals_every_rule_on_case_table(row):
    _check_parse(row["text"])


@settings(max_examples=200, deadline=None)
@given(gap=st.one_of(st.from_regex(_dates._GAP.pattern, fullmatch=True),
                     st.from_regex(_dates._COMMA_GAP.pattern, fullmatch=True)),
       pick=st.integers(min_value=0))
def test_lazy_next_covers_every_gap_the_rules_accept(gap, pick):
    """lazy_next_re spells its own gap (at most five spaces/marks/commas): it must accept every gap _GAP and
    _COMMA_GAP accept, or a lazy word the rules would read after such a gap is dropped by the seek."""
    lex = _dates._lexicon()
    lazy = sorted(lex.lazy)
    word = lazy[pick % len(lazy)]
    assert lex.lazy_next_re.match(gap + word + " ")


@pytest.mark.parametrize("text", ["بعد از ظهر ـ", "بعد از ظهر ء", "بعد از ظهر ء امروز", "ساعت ۵ بعد از ظهر ء"])
def test_seek_atoms_multiword_keys_added_last(text):
    """Keys added to the table last (time words such as بعد از ظهر) are prefixes too: the seek keeps their look-up
    running over a following word whose key is empty (a lone hamza or tatweel), as the full scan does."""
    _check_seek_atoms(text)
