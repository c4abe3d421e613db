"""The only module that reads bundled data files. Every loader is cached: each file is parsed once per process.

Files live in ``fa_policy_nlp/data/``:

* ``*.txt``  — one entry per line; ``#`` starts a comment; blank lines ignored.
* ``*.yaml`` — structured data keyed by meaning (dateparser style).
* ``*.tsv``  — tables with a header row.
* ``*.json`` — structured data.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources as _ir
from pathlib import Path
from typing import Any

from .errors import ResourceError

DATA_PACKAGE = "fa_policy_nlp.data"


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file."""
    path = Path(str(_ir.files(DATA_PACKAGE).joinpath(name)))
    if not path.exists():
        raise ResourceError(f"bundled data file {name!r} is missing from {path.parent}")
    return path


@lru_cache(maxsize=None)
def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_list(name: str) -> tuple[str, ...]:
    """Entries of a ``.txt`` list, in file order, comments and blanks removed, duplicates dropped."""
    seen: dict[str, None] = {}
    for line in read_text(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            seen.setdefault(line, None)
    return tuple(seen)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A bundled YAML file, parsed with libyaml's safe loader when PyYAML has it (about 10x faster at start-up
    than the pure-Python one; same safe constructors, same result), else with the pure-Python safe loader."""
    import yaml

    try:
        return yaml.load(read_text(name), Loader=_safe_loader())
    except yaml.YAMLError as exc:  # pragma: no cover - packaging bug
        raise ResourceError(f"bundled data file {name!r} is not valid YAML: {exc}") from exc


def _safe_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    try:
        return json.loads(read_text(name))
    except json.JSONDecodeError as exc:  # pragma: no cover - packaging bug
        raise ResourceError(f"bundled data file {name!r} is not valid JSON: {exc}") from exc


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    lines = [l for l in read_text(name).splitlines() if l.strip() and not l.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines, delimiter="\t"))
