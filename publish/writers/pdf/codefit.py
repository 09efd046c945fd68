"""How many columns of code a line of a code block holds on the printed page,
measured by WeasyPrint itself.

The print renderer wraps a code line that does not fit its box (a mark at
each break, a hanging indent: ``document.PrintRenderer.code_body``), so it
has to know the box's measure in columns before the book is laid out.  The
measure depends on everything the style sheets say: the text block, the
code's size and face, the box's padding and rule, and the margins of what
the block stands in (a list item, a quotation, an admonition).  Rather than
repeat those rules here, ``CodeMeasure`` lays out a one-page probe with the
book's own style sheets: a ``<pre>`` holding ten ``0`` inside the same
containers, and reads the content width of the box and the advance of a
column (``0``, as CSS's ``ch``).  One probe per kind of place a code block
stands in (the body of a chapter, an item of a list in a quotation…),
each laid out once (a tenth of a second).
"""

from __future__ import annotations

from collections.abc import Callable

#: The blocks a code block stands in, outermost first: each its opening and closing tags.
Context = tuple[tuple[str, str], ...]

_PROBE = "0" * 10


class CodeMeasure:
    """Columns of code a ``<pre>`` holds, by where it stands.  ``render``
    lays out an XHTML document with the book's style sheets (a WeasyPrint
    ``Document``); ``lang`` is the book's language (``<html lang>``, escaped)."""

    def __init__(self, render: Callable[[str], object], lang: str):
        self._render = render
        self._lang = lang
        self._found: dict[Context, int | None] = {}

    def columns(self, context: Context) -> int | None:
        """Columns a code line holds inside ``context`` (the ``<body>``, the
        ``<section>``, the blocks); None when the probe finds no box."""
        if context not in self._found:
            self._found[context] = self._measure(context)
        return self._found[context]

    def _measure(self, context: Context) -> int | None:
        opening = "".join(open_ for open_, _ in context)
        closing = "".join(close for _, close in reversed(context))
        html = ('<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
                f'lang="{self._lang}"><head><meta charset="utf-8"/></head>{opening}'
                f'<pre class="highlight"><code>{_PROBE}</code></pre>{closing}</html>')
        document = self._render(html)
        for page in document.pages:
            found = _probe_box(page._page_box)
            if found is not None:
                width, advance = found
                # The least that fits: a hair less than an exact fit counts as one column less.
                return int((width - 0.01) // advance) if advance > 0 else None
        return None


def _probe_box(page_box) -> tuple[float, float] | None:
    """The probe's ``<pre>``: its content width and the advance of one column (px)."""
    from weasyprint.formatting_structure import boxes

    stack = [(page_box, None)]
    while stack:
        box, pre = stack.pop()
        if pre is None and getattr(box, "element_tag", None) == "pre":
            pre = box
        if isinstance(box, boxes.TextBox) and pre is not None and box.text == _PROBE:
            return pre.width, box.width / len(_PROBE)
        stack.extend((child, pre) for child in getattr(box, "children", ()))
    return None
