"""A box's used lengths read once per style, not once per layout.

WeasyPrint's ``layout.percent.resolve_percentages`` sets a box's margins,
paddings, widths, heights and border widths from its style each time the
box is laid out: every inline box of every line, on every attempt at a page.
For the JavaScript tutorial that is 220,000 calls and 2.9 million property
reads, about a tenth of the layout's time.  When none of a style's lengths
is a percentage or a ``calc()``, they do not depend on the containing block,
so here they are read once per style object, kept on it, and set on each box
in one step; a style with a percentage, a ``calc()``, collapsed borders
(whose widths the table layout sets on the box) or a ``box-sizing`` other
than ``content-box`` goes to WeasyPrint's function.  The PDF is byte for
byte the same.

WeasyPrint changes a style in place only on a copy it has just made (flex
and grid items), before the copy is laid out; a style copy starts without
the kept lengths.
"""

from __future__ import annotations

_installed = False
_resolve_percentages = None  # WeasyPrint's, for the styles it must resolve
_Dimension = None             # weasyprint.css.properties.Dimension

#: The lengths ``resolve_percentages`` sets, as the box attributes they become.
_LENGTHS = ("margin_left", "margin_right", "margin_top", "margin_bottom",
            "padding_left", "padding_right", "padding_top", "padding_bottom",
            "width", "min_width", "max_width", "height", "min_height", "max_height")
_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width",
            "border_left_width")
#: WeasyPrint's modules that call ``resolve_percentages`` by the name they imported.
USERS = ("layout.block", "layout.inline", "layout.page", "layout.float", "layout.grid",
         "layout.absolute", "layout.column", "layout.table")


def install() -> None:
    """Put ``resolve_percentages`` in WeasyPrint's layout modules (once per process)."""
    global _installed, _resolve_percentages, _Dimension
    if _installed:
        return
    import importlib

    from weasyprint.css.properties import Dimension
    from weasyprint.layout import percent

    _resolve_percentages, _Dimension = percent.resolve_percentages, Dimension
    for name in USERS:
        module = importlib.import_module(f"weasyprint.{name}")
        if module.resolve_percentages is _resolve_percentages:
            module.resolve_percentages = resolve_percentages
    _installed = True


def installed() -> bool:
    return _installed


def resolve_percentages(box, containing_block) -> None:
    """WeasyPrint's function of that name, from the lengths kept on the style."""
    style = box.style
    used = style.__dict__.get("_publish_used")
    if used is None:  # a style, or a copy of one, not seen yet
        used = style.__dict__["_publish_used"] = _used(style)
    if used:
        box.__dict__.update(used)
    else:
        _resolve_percentages(box, containing_block)


def _used(style) -> dict | bool:
    """The used value of each length of ``style``, or False when one depends
    on the containing block or on the table layout."""
    if style["box_sizing"] != "content-box" or style["border_collapse"] == "collapse":
        return False
    used: dict = {}
    for name in _LENGTHS:
        value = style[name]
        if value == "auto":
            used[name] = 0 if name in ("min_width", "min_height") else "auto"
        elif isinstance(value, _Dimension) and value.unit == "px":
            used[name] = value.value
        else:  # a percentage, a calc(), or what WeasyPrint alone knows
            return False
    for name in _BORDERS:
        used[name] = style[name]
    return used
