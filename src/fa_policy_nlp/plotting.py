"""Persian text in matplotlib: shaped (joined letter forms) and in visual right-to-left order.

matplotlib draws characters one by one, left to right, without Arabic-script shaping, so raw Persian comes out as
disconnected letters in reverse order. :func:`fa` reshapes with ``arabic-reshaper`` and reorders with
``python-bidi``; :func:`use_persian_font` selects a font that has the Arabic presentation forms (DejaVu Sans, which
ships with matplotlib under a free licence, or Vazirmatn/Noto Sans Arabic when installed).
"""

from __future__ import annotations

from functools import lru_cache

FONT_CANDIDATES = ("Vazirmatn", "Vazir", "Noto Sans Arabic", "DejaVu Sans")


@lru_cache(maxsize=1)
def _reshaper():
    try:
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("Persian plot labels need the 'notebooks' extra: "
                          "pip install 'fa-policy-nlp[notebooks]'") from exc
    reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": True})
    return reshaper, get_display


def fa(text: object) -> str:
    """A label ready for matplotlib: ``plt.title(fa("وزیر کشور"))``. Non-strings are converted with ``str``."""
    text = "" if text is None else str(text)
    reshaper, get_display = _reshaper()
    return get_display(reshaper.reshape(text))


def use_persian_font() -> str:
    """Make matplotlib use the first installed Persian-capable font; returns its family name."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in FONT_CANDIDATES if f in installed), "DejaVu Sans")
    matplotlib.rcParams["font.family"] = family
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def is_shaped(text: str) -> bool:
    """True when every Arabic-script letter of ``text`` is a presentation form (i.e. it went through shaping)."""
    letters = [c for c in text if "\u0600" <= c <= "\u06ff" and c.isalpha()]
    return not letters
