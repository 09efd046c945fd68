"""The page of the print edition: trim sizes, bleed, and a text block a whole
number of body characters wide and a whole number of lines high, the
margins taking what is left (inner smaller than outer, top smaller than
bottom), or, where the style sheets set margins, the most whole characters
and lines that fit inside them (the rest added to the outer and the bottom
margin); the CSS that sets it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...errors import PrintError, did_you_mean
from ...profiles import length_mm
from ...themes import css_string
from ..declarations.pdf import BODY_SIZE  # pt, 五号

MM = 72 / 25.4
#: Trim sizes (width, height in mm): ISO 216, JIS and ISO B5, the Chinese
#: book formats (GB/T 788), and KDP's paperback trims (inches, as KDP names them).
TRIMS = {
    "a5": (148.0, 210.0),
    "a4": (210.0, 297.0),
    "b5-jis": (182.0, 257.0),     # JIS B5, the B5 of Chinese and Japanese printers
    "b5-iso": (176.0, 250.0),     # ISO 216 B5
    "32k": (130.0, 184.0),        # 32开
    "da32k": (140.0, 203.0),      # 大32开
    "16k": (185.0, 260.0),        # 16开
    **{f"{w}x{h}in": (round(w * 25.4, 2), round(h * 25.4, 2)) for w, h in (
        (5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (6.69, 9.61),
        (7, 10), (7.44, 9.69), (7.5, 9.25), (8, 10), (8.25, 6), (8.25, 8.25), (8.5, 8.5),
        (8.5, 11), (8.27, 11.69))},
}
_TRIM_ALIASES = {"32开": "32k", "大32开": "da32k", "16开": "16k",
                 **{name[:-2]: name for name in TRIMS if name.endswith("in")}}
#: Names that mean two sizes.
_AMBIGUOUS = {"b5": ("b5-jis", "b5-iso")}
LINE_HEIGHT = 1.7
_MIN_MARGINS = {"inner": 15.0, "outer": 15.0, "top": 18.0, "bottom": 20.0}  # mm

def parse_trim(value: str) -> tuple[float, float]:
    """A trim size in mm from a preset name or ``WxH mm`` / ``WxH in``.

    >>> parse_trim("a5"), parse_trim("130x184mm"), parse_trim("6 x 9 in")
    ((148.0, 210.0), (130.0, 184.0), (152.4, 228.6))
    """
    key = value.strip().lower().replace(" ", "")
    key = _TRIM_ALIASES.get(key, key)
    if key in TRIMS:
        return TRIMS[key]
    if key in _AMBIGUOUS:
        raise PrintError(f"trim size {value!r} names two sizes: " + " or ".join(
            f"{name} ({TRIMS[name][0]:g}×{TRIMS[name][1]:g} mm)" for name in _AMBIGUOUS[key]))
    found = re.fullmatch(r"(\d+(?:\.\d+)?)[x×*](\d+(?:\.\d+)?)(mm|cm|in)?", key)
    if not found:
        raise PrintError(f"unknown trim size {value!r}{did_you_mean(key, TRIMS)} (presets: "
                         f"{', '.join(TRIMS)}; or WxH mm or in, e.g. 130x184mm)")
    factor = {"mm": 1.0, "cm": 10.0, "in": 25.4, None: 1.0}[found.group(3)]
    width, height = float(found.group(1)) * factor, float(found.group(2)) * factor
    if not (70 <= width <= 400 and 100 <= height <= 500):
        raise PrintError(f"trim size {value!r} is outside 70x100 mm to 400x500 mm")
    return round(width, 2), round(height, 2)


@dataclass(frozen=True)
class Geometry:
    """A page: trim size and a text block of ``chars`` × ``lines`` (版心)."""

    width: float        # mm
    height: float       # mm
    font_size: float    # pt
    line_height: float  # ratio
    chars: int
    lines: int
    inner: float        # pt
    outer: float
    top: float
    bottom: float

    @property
    def measure(self) -> float:
        """The width of the text block, pt."""
        return self.chars * self.font_size

    @property
    def block_height(self) -> float:
        return self.lines * self.font_size * self.line_height


MAX_BLEED_MM = 25


def parse_bleed(value: str) -> str:
    """A bleed as CSS takes it: ``parse_bleed("3mm") -> '3mm'``; at most 25 mm."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*(mm|pt|in|cm)", value.strip()):
        raise PrintError(f"bleed {value!r}: give a length such as 3mm")
    if length_mm(value) > MAX_BLEED_MM:
        raise PrintError(f"bleed {value!r} is more than {MAX_BLEED_MM} mm (printers ask for "
                         "3 to 5 mm)")
    return value.strip()


def page_geometry(trim: tuple[float, float], font_size: float = BODY_SIZE,
                  line_height: float = LINE_HEIGHT,
                  margins: Mapping[str, float] | None = None) -> Geometry:
    """The text block and margins for a trim size: whole characters, whole
    lines.  ``margins`` (mm by side: inner, outer, top, bottom) are the least
    the style sheets ask for; an axis with none of its two gets the default
    minimums and the rest shared 45:55."""
    width, height = trim
    pitch = font_size * line_height
    margins = margins or {}
    chars, inner, outer = _fit(width * MM, font_size, margins, "inner", "outer")
    lines, top, bottom = _fit(height * MM, pitch, margins, "top", "bottom")
    if chars < 1 or lines < 1:
        asked = (" with margins of " + ", ".join(f"{side} {mm:g} mm" for side, mm in
                                                  margins.items())) if margins else ""
        raise PrintError(f"a {font_size:g} pt body on a {width:g}×{height:g} mm page{asked} "
                         "leaves no room for a line of text")
    return Geometry(width, height, font_size, line_height, chars, lines,
                    inner, outer, top, bottom)


def _fit(extent: float, step: float, margins: Mapping[str, float], first: str,
         second: str) -> tuple[int, float, float]:
    """How many ``step``s fit across ``extent`` (pt) and the two margins (pt)."""
    if first not in margins and second not in margins:
        count = int((extent - (_MIN_MARGINS[first] + _MIN_MARGINS[second]) * MM) // step)
        spare = extent - count * step
        return count, spare * 0.45, spare - spare * 0.45
    before = margins.get(first, _MIN_MARGINS[first]) * MM
    after = margins.get(second, _MIN_MARGINS[second]) * MM
    count = int((extent - before - after + 1e-6) // step)  # 1e-6: an exact fit fits
    return count, before, extent - count * step - before


def broadside_css(g: Geometry) -> list[str]:
    """A page laid out across the trim for a table too wide for the text
    block (print.css's ``@page broadside``): turned a quarter counter-clockwise
    once written (the PDF writer's /Rotate), its text block is the upright
    page's, so its margins are the upright page's turned: the top one the
    left margin (inner on a recto, outer on a verso), the left one the bottom."""
    css = []
    for side, left in (("right", g.inner), ("left", g.outer)):
        right = g.outer if side == "right" else g.inner
        css.append(f"@page broadside:{side} {{ size: {g.height}mm {g.width}mm; margin: "
                   f"{left:.3f}pt {g.top:.3f}pt {right:.3f}pt {g.bottom:.3f}pt; }}")
    return css


def geometry_css(g: Geometry, title: str, bleed: str, marks: bool, screen: bool,
                 size_rules: Sequence[str] = ()) -> str:
    """The @page rules that depend on the trim size and the book, and the
    type size (``size_rules``; by default html set at the body's size)."""
    extra = ""
    if bleed and not screen:
        extra += f" bleed: {bleed};"
    if marks and not screen:
        extra += " marks: crop cross;"
    css = [
        f"@page {{ size: {g.width}mm {g.height}mm;{extra} }}",
        f"@page :left {{ margin: {g.top:.3f}pt {g.inner:.3f}pt {g.bottom:.3f}pt {g.outer:.3f}pt; }}",
        f"@page :right {{ margin: {g.top:.3f}pt {g.outer:.3f}pt {g.bottom:.3f}pt {g.inner:.3f}pt; }}",
        *broadside_css(g),
        f'@page chapter:left, mainmatter:left {{ @top-left {{ content: {css_string(title)}; }} }}',
        "@page chapter:nth(1 of chapter), mainmatter:nth(1 of mainmatter) "
        "{ @top-left { content: none; } }",
        *(size_rules or [f"html {{ font-size: {g.font_size}pt; }}"]),
        f"body {{ line-height: {g.line_height}; }}",
        # What a figure may take (print.css: images).
        f"html {{ --text-block-height: {g.block_height:.3f}pt; }}",
    ]
    if screen:
        css.append("a { color: #1d4f91; }")
    return "\n".join(css) + "\n"



