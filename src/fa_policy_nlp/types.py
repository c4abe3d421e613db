"""Result types.

Every extracted item is a frozen dataclass carrying ``text``, ``start`` and ``end`` such that
``article.raw[start:end] == text`` (offsets into the *raw* input, never into normalised text).
Items also carry ``norm``: the same span in normalised form (ZWNJ restored, Arabic letters unified).

All types serialise to JSON-safe dicts with :func:`to_dict` (dates become ISO strings, Decimals floats).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import operator
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from collections.abc import Sequence
from typing import Any, Callable, Iterable, Iterator, Protocol, overload

__all__ = [
    "Span",
    "Token",
    "Tokens",
    "Sentence",
    "Paragraph",
    "Figure",
    "DateMention",
    "Mention",
    "Official",
    "Claim",
    "Prediction",
    "Article",
    "to_jsonable",
]


def to_jsonable(value: Any) -> Any:
    """Convert a result value (dataclass, date, Decimal, tuple…) into plain JSON-safe Python."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, Fraction)):
        as_float = float(value)
        return int(as_float) if as_float.is_integer() and abs(as_float) < 2**53 else as_float
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, Tokens)):
        return [to_jsonable(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the raw input: ``raw[start:end] == text``; ``norm`` is its normalised form."""

    text: str
    start: int
    end: int
    norm: str = ""

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str = ""
    sentence: int = 0  # index into Article.sentences

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


class TokenSource(Protocol):
    """Where a lazy :class:`Tokens` gets its tokens (the segmenter's, for an analysed article)."""

    def count(self) -> int: ...

    def build(self) -> list[Token]: ...


def _list_method(op: Callable[[list, list], Any], swap: bool = False) -> Callable[[Any, object], Any]:
    """A binary method of :class:`Tokens` that applies the list operation ``op`` to its tokens and a list (or other
    Tokens), operands swapped for a reflected method; ``NotImplemented`` for anything else, as a list does."""

    def method(self: Any, other: object) -> Any:
        items = self._other(other)
        if items is None:
            return NotImplemented
        return op(items, self._built()) if swap else op(self._built(), items)

    method.__name__ = f"__{'r' if swap else ''}{op.__name__}__"
    return method


class Tokens(Sequence[Token]):
    """An article's word tokens: a read-only sequence of :class:`Token`, tokenised when first used.

    Most analyses never look at single tokens (each stage tokenises for its own needs), so :func:`analyze` does
    not tokenise the article for ``Article.tokens`` until the sequence is used, as spaCy builds its token objects on
    access: ``len()`` counts the tokens (and remembers only the number), indexing or iterating builds the
    :class:`Token` objects, once (threads that use it at the same time wait for one build). Until then it keeps the
    normalised text and its offset map, which take less memory than the tokens they stand for (texts of 100,000
    characters or more are tokenised at once, where the offset map would not). It behaves like a read-only list:
    it compares equal to a list of the same tokens (or another ``Tokens``), slices, concatenates (``+``) and
    repeats (``*``) to a list, orders like one, and converts to JSON (``to_jsonable``, ``to_dict()``) and pickles as
    its tokens (unpickled, it holds them built). ``dataclasses.asdict``/``astuple`` leave it as it is (they only
    recurse into real lists): use ``Article.to_dict()``. ``Tokens(items)`` wraps tokens already built.
    """

    __slots__ = ("_items", "_source")

    def __init__(self, items: Iterable[Token] = (), *, source: TokenSource | None = None) -> None:
        self._items: list[Token] | None = None if source is not None else list(items)
        self._source = source

    def _built(self) -> list[Token]:
        items = self._items
        if items is None:
            with _BUILD_LOCK:
                items = self._items
                if items is None:  # no other thread built it while this one waited
                    items = self._source.build()  # type: ignore[union-attr]
                    self._items = items
                    self._source = None  # the normalised text is not needed any more
        return items

    @property
    def is_built(self) -> bool:
        """Whether the :class:`Token` objects exist yet (for tests and benchmarks)."""
        return self._items is not None

    def __len__(self) -> int:
        items = self._items
        if items is not None:
            return len(items)
        source = self._source
        return source.count() if source is not None else len(self._built())

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self) -> Iterator[Token]:
        return iter(self._built())

    def __reversed__(self) -> Iterator[Token]:
        return reversed(self._built())

    def __contains__(self, value: object) -> bool:
        return value in self._built()

    def copy(self) -> list[Token]:
        """A list of the tokens (like ``list.copy``)."""
        return list(self._built())

    @staticmethod
    def _other(other: object) -> list[Token] | None:
        if isinstance(other, Tokens):
            return other._built()
        return other if isinstance(other, list) else None

    def __eq__(self, other: object) -> bool:
        items = self._other(other)
        if items is None:
            return NotImplemented
        return self is other or self._built() == items

    __hash__ = None  # type: ignore[assignment]  # like a list

    __lt__, __le__, __gt__, __ge__ = map(_list_method, (operator.lt, operator.le, operator.gt, operator.ge))
    __add__, __radd__ = _list_method(operator.add), _list_method(operator.add, swap=True)

    def __mul__(self, n: int) -> list[Token]:
        return self._built() * n

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"Tokens({self._built()!r})"

    def __reduce__(self):
        return (Tokens, (self._built(),))

    def __copy__(self) -> "Tokens":
        return Tokens(self._built())

    def __deepcopy__(self, memo: dict) -> "Tokens":
        import copy

        return Tokens(copy.deepcopy(self._built(), memo))


_BUILD_LOCK = threading.Lock()  # builds are short (one article's tokens); one lock for all keeps Tokens small


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    norm: str = ""
    paragraph: int = 0  # index into Article.paragraphs

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    start: int
    end: int
    norm: str = ""
    index: int = 0

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Figure:
    """A stated quantity: ``۱۱۶ همت`` → value 1.16e14, unit ``تومان``, kind ``money``, currency ``IRT``.

    ``text``/``start``/``end`` cover the number and its unit (and scale/currency words), not the qualifier;
    the qualifier (``حدود``, ``بیش از``) is reported separately with ``approximate`` set when it hedges.
    ``relation`` is one of ``None``, ``"part_of"``, ``"change"``, ``"range"``; ``related`` holds details
    (``{"total": 560}``, ``{"direction": "decrease"}``, ``{"low": 10, "high": 20}``).
    """

    text: str
    start: int
    end: int
    value: int | float | Decimal | None
    unit: str | None = None
    kind: str = "count"  # count | money | percent | measure | ordinal
    currency: str | None = None  # IRR | IRT | USD | EUR | ...
    qualifier: str | None = None
    approximate: bool = False
    relation: str | None = None
    related: dict[str, Any] | None = None
    norm: str = ""
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved to a Gregorian interval.

    ``jalali`` is as precise as stated (``1405-02-11``, ``1404-07``, ``1404``); ``start_date``/``end_date`` are
    ``datetime.date`` (inclusive); both ``None`` when a relative expression could not be resolved.
    ``granularity``: ``day`` | ``week`` | ``month`` | ``season`` | ``year`` | ``interval`` | ``weekday``.
    """

    text: str
    start: int
    end: int
    calendar: str = "jalali"  # jalali | gregorian | hijri
    jalali: str | None = None
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    granularity: str = "day"
    relative: bool = False
    norm: str = ""
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to an official: full name, surname, role only, or pronoun."""

    text: str
    start: int
    end: int
    kind: str = "name"  # name | surname | role | pronoun
    official: str | None = None  # Official.id
    norm: str = ""
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Official:
    id: str
    name: str | None
    role: str | None = None
    organization: str | None = None
    honorifics: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    gazetteer_id: str | None = None
    wikidata: str | None = None

    @property
    def text(self) -> str:
        return self.mentions[0].text if self.mentions else (self.name or self.role or "")

    @property
    def start(self) -> int:
        return self.mentions[0].start if self.mentions else -1

    @property
    def end(self) -> int:
        return self.mentions[0].end if self.mentions else -1

    def to_dict(self) -> dict[str, Any]:
        d = to_jsonable(self)
        d.update(text=self.text, start=self.start, end=self.end)
        return d


@dataclass(frozen=True, slots=True)
class Prediction:
    """A policy-domain prediction: best ``code``/``label``/``score`` plus ``scores`` for every label."""

    code: str | None
    label: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    explanation: tuple[tuple[str, float], ...] = ()

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda kv: -kv[1])[:k]

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True, slots=True)
class Claim:
    """A reported statement: who (``speaker``, an Official id or a named source), the ``cue`` verb and the
    ``content`` span, with the figures and dates inside it. ``speaker`` is an :class:`Official` id, ``"source:<id>"``
    for a news source (``به گزارش ایرنا`` → ``source:irna``), or ``None`` for narration."""

    text: str
    start: int
    end: int
    id: str = ""
    speaker: str | None = None  # Official.id, "source:<id>", or None
    speaker_name: str | None = None  # display name of the speaker (official name/role, or a source such as an agency)
    cue: Span | None = None
    content: Span | None = None
    figures: tuple[Figure, ...] = ()
    dates: tuple[DateMention, ...] = ()
    domain: str | None = None
    domain_scores: dict[str, float] = field(default_factory=dict)
    paragraph: int = 0
    norm: str = ""

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(slots=True)
class Article:
    """The analysis of one article. ``text`` is the raw input; all offsets point into it."""

    text: str
    normalized: str = ""
    id: str | None = None
    source: str | None = None
    published: _dt.date | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Sequence[Token] = field(default_factory=list)  # a Tokens for analysed articles
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    domain: str | None = None
    domain_scores: dict[str, float] = field(default_factory=dict)

    @property
    def raw(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the whole analysis."""
        return to_jsonable(self)

    def to_frames(self) -> dict[str, Any]:
        """The same tables as ``fa-policy extract`` (articles, claims, figures, dates, officials, mentions)."""
        from .tables import article_rows, rows_to_frames

        return rows_to_frames(article_rows(self))
