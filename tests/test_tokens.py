"""Article.tokens as a lazy, read-only sequence (types.Tokens): built on first use, otherwise like a list."""

from __future__ import annotations

import copy
import json
import pickle
import threading

import pytest

from fa_policy_nlp import Pipeline
from fa_policy_nlp.types import Token, Tokens

TEXT = "وزیر کشور گفت: «۱۲٫۵ درصد از بودجه ۱۴۰۴ هزینه شد.» او افزود که برنامه‌ها ادامه دارد."

_PIPE = Pipeline(stages=())


def _fresh():
    return _PIPE(TEXT)


def _eager():
    """The same tokens, built at once (what Article.tokens was before it became lazy)."""
    return list(_fresh().tokens)


def test_analyze_leaves_tokens_unbuilt_and_len_does_not_build_them():
    art = _fresh()
    assert isinstance(art.tokens, Tokens) and not art.tokens.is_built
    n = len(art.tokens)
    assert n == len(_eager()) > 10 and not art.tokens.is_built
    assert art.tokens[0].text == "وزیر" and art.tokens.is_built
    assert len(art.tokens) == n


def test_tokens_are_the_words_of_the_sentences_with_raw_offsets():
    art = _fresh()
    for tok in art.tokens:
        assert art.text[tok.start:tok.end] == tok.text
        sent = art.sentences[tok.sentence]
        assert sent.start <= tok.start and tok.end <= sent.end
    assert [t.text for t in art.tokens][:4] == ["وزیر", "کشور", "گفت", ":"]
    assert "۱۲٫۵" in [t.text for t in art.tokens]  # a number with its decimal separator stays one token


@pytest.mark.parametrize("use", [
    lambda t: list(t), lambda t: t[3], lambda t: t[-1], lambda t: t[1:4], lambda t: list(reversed(t)),
    lambda t: t[0] in t, lambda t: t == [], lambda t: repr(t), lambda t: t.index(t[2]), lambda t: t.count(t[2]),
    lambda t: pickle.dumps(t), lambda t: copy.deepcopy(t), lambda t: t.copy(), lambda t: t + t[:2],
    lambda t: t[:2] + t, lambda t: t * 2, lambda t: 2 * t, lambda t: sum([t], []), lambda t: t < t[:-1],
    lambda t: t[:-1] <= t, lambda t: t > t[:3], lambda t: t >= t, lambda t: bool(t),
])
def test_every_kind_of_use_gives_what_the_built_list_gives(use):
    lazy, eager = _fresh().tokens, _eager()
    got = use(lazy)
    want = use(eager)
    if isinstance(want, str):  # repr: the list's, wrapped
        assert got == f"Tokens({want})"
    elif isinstance(want, bytes):
        assert pickle.loads(got) == eager
    else:
        assert got == want


def test_equality_with_lists_tuples_and_other_tokens():
    a, b = _fresh().tokens, _fresh().tokens
    eager = _eager()
    assert a == b and a == eager and eager == a and not (a != eager)
    assert a != eager[:-1] and a != "not tokens" and a != Tokens(eager[:-1])
    assert a != tuple(eager) and tuple(eager) != a  # like a list: a tuple is never equal to it
    with pytest.raises(TypeError):
        hash(a)
    assert Tokens() == [] and len(Tokens()) == 0 and Tokens(eager) == a


def test_pickle_copy_and_json_round_trips():
    art = _fresh()
    back = pickle.loads(pickle.dumps(art))
    assert back == art and isinstance(back.tokens, Tokens) and back.tokens.is_built
    assert copy.deepcopy(art) == art and copy.copy(art.tokens) == art.tokens
    d = art.to_dict()
    assert d["tokens"] == [t.to_dict() for t in _eager()]
    json.dumps(d, ensure_ascii=False)


def test_article_equality_does_not_depend_on_whether_tokens_were_built():
    a, b = _fresh(), _fresh()
    list(a.tokens)
    assert a.tokens.is_built and not b.tokens.is_built
    assert a == b


def test_read_only():
    toks = _fresh().tokens
    with pytest.raises(TypeError):
        toks[0] = toks[1]  # type: ignore[index]
    assert not hasattr(toks, "append")


def test_built_once_when_threads_race():
    import sys

    raw = (TEXT + "\n") * 40  # a build long enough for threads to interleave in it
    want = list(_PIPE(raw).tokens)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        for _ in range(10):
            toks = _PIPE(raw).tokens
            seen: list[list[Token]] = []
            barrier = threading.Barrier(4)

            def use():
                barrier.wait()
                seen.append([toks[i] for i in range(0, len(want), 7)])

            threads = [threading.Thread(target=use) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(seen) == 4 and seen[0] == want[::7]
            # one build: every thread got the very objects the sequence keeps
            assert all(a is b for s in seen for a, b in zip(s, toks[::7]))
    finally:
        sys.setswitchinterval(interval)


def test_long_text_builds_with_the_collector_restored():
    import gc

    raw = (TEXT + "\n") * 1500  # > 100,000 characters: built at once, with the cyclic collector paused
    art = _PIPE(raw)
    assert gc.isenabled() and art.tokens.is_built  # tokenised at once: its offset map would outweigh the tokens
    assert len(art.tokens) == 1500 * len(_eager()) and gc.isenabled()
    assert art.tokens[-1].sentence == len(art.sentences) - 1 and gc.isenabled()


def test_asdict_is_not_the_way_to_json_but_to_dict_is():
    """dataclasses.asdict recurses only into real lists: it leaves the Tokens (documented); to_dict converts."""
    import dataclasses

    art = _fresh()
    assert isinstance(dataclasses.asdict(art)["tokens"], Tokens)
    assert art.to_dict()["tokens"][0] == _eager()[0].to_dict()
