"""Formulas in the print edition: TeX drawn as SVG by ziamath, in the
STIX Two Math face the ziamath package ships (no system font is needed).

WeasyPrint sets no MathML, so each formula is an ``<img>`` whose source is a
``data:image/svg+xml`` URL (the fetcher lets exactly those through, see
``fetch``), sized in ``em`` so it follows the size of the text around it (a
formula in a footnote is a footnote's size), and lowered by its depth so its
baseline is the line's.  A displayed formula is a block, centred.  The TeX
is the image's alternative text.

``missing(tex)`` is the glyph check's part: the characters of a formula the
math face has no glyph for (ziamath would draw an empty box), such as Han
characters in ``\\text{}``.
"""

from __future__ import annotations

import base64
import logging
import warnings
from functools import lru_cache
from pathlib import Path

from ... import formula
from ...fonts import FontFile, missing_characters
from ...xhtml import attr
from .fetch import SVG_URL

#: The font size ziamath draws at (its unit is the SVG's user unit); the
#: image's size in em is its size in these units divided by this.
_SIZE = 20.0
MATH_FACE = "STIX Two Math"


def _ziamath():
    """The ziamath module (imported on first use: it reads its face, 0.2 s)."""
    with warnings.catch_warnings():  # its own import uses a deprecated resource API
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath
    return ziamath


@lru_cache(maxsize=1)
def math_font() -> FontFile:
    """The face ziamath draws with (shipped in the ziamath package)."""
    import ziamath.fonts

    path = Path(ziamath.fonts.__file__).parent / "STIXTwoMath-Regular.ttf"
    return FontFile(MATH_FACE, False, path, 0)


class _Complaints(logging.Handler):
    """ziamath and ziafont log through the root logger, whose first use would
    give it a handler (``logging.basicConfig``) and so print every message of
    the build twice: while they draw, the root has this handler instead,
    which keeps what they say."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> _Complaints:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)


@lru_cache(maxsize=4096)
def image(tex: str, display: bool) -> str | None:
    """The formula as an ``<img>`` (None when ziamath cannot draw it)."""
    ziamath = _ziamath()
    ziamath.config.svg2 = False  # plain paths, no <symbol>/<use>: one drawing per image
    with _Complaints() as complaints:
        try:
            drawn = ziamath.Latex(tex, size=_SIZE, inline=not display, margin=0)
            svg = drawn.svg()
            width, _ = drawn.getsize()
            depth = -drawn.getyofst()
        except Exception:  # ziamath raises many kinds on MathML it does not know
            return None
    if any(message.startswith("Undefined element") for message in complaints.messages):
        return None  # an element it does not draw: part of the formula would be missing
    url = SVG_URL + base64.b64encode(svg.encode()).decode("ascii")
    cls = "math display" if display else "math"
    lower = "" if display else f"; vertical-align: {-depth / _SIZE:.3f}em"
    return (f'<img class="{cls}" src="{url}" alt="{attr(tex)}" '
            f'style="width: {width / _SIZE:.3f}em{lower}"/>')


def missing(tex: str) -> set[str]:
    """The characters of ``tex`` the math face cannot draw."""
    try:
        shown = formula.characters(tex)
    except formula.FormulaError:
        return set()
    return missing_characters(math_font(), shown)
