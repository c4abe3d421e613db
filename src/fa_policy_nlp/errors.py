"""Errors raised by fa-policy-nlp. Everything derives from :class:`FaPolicyError`."""

from __future__ import annotations


class FaPolicyError(Exception):
    """Base class for every error this package raises on purpose."""


class InputError(FaPolicyError, ValueError):
    """An input record or argument is malformed (with a message that says which and why)."""


class ModelError(FaPolicyError):
    """A model file is missing, of an unknown format version, tampered with, or unsafe to load."""


class WorkerError(FaPolicyError, RuntimeError):
    """A worker process of a ``--jobs`` run ended unexpectedly (killed, out of memory); finished chunks are kept."""


class ResourceError(FaPolicyError):
    """A bundled language-data file is missing or malformed (a packaging bug)."""


def require_str(text: object, name: str = "text") -> str:
    """Return ``text`` if it is a ``str``; raise a clear ``TypeError`` otherwise."""
    if isinstance(text, str):
        return text
    hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
    raise TypeError(f"{name} must be str, not {type(text).__name__}{hint}")
