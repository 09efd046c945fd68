"""Print pages in XHTML: the place a page starts at, found again in the markup.

The print edition marks each place a page may start at (``model.pages``)
with ``data-page-at`` on its element (``addressed``), so that the laid-out
pages tell where they start.  The EPUB puts a page-break marker
(``marker``: EPUB 3 ``epub:type="pagebreak"``, DPUB-ARIA
``role="doc-pagebreak"`` named by its ``aria-label``, the print folio)
there (``with_markers``): before a heading, or inside a block's text after
as many letters as the print page had set before it, at the start of the
word a hyphen broke.  A note call's number and a formula's MathML are not
counted: the print edition sets them elsewhere, or as a picture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .content import attr

#: The attribute naming the place an element is (print only).
PLACE_ATTRIBUTE = "data-page-at"
#: The id of the marker of the page with folio ``label``.
MARKER_ID = "page-{}"

# Markup whose letters are not the block's text: a note call, a formula.
_SKIPPED = (re.compile(r'<a\b[^>]*epub:type="noteref"'), "</a>"), \
    (re.compile(r"<math\b"), "</math>")
_WORD = re.compile(r"[A-Za-z0-9]")


def addressed(html: str, address: str) -> str:
    """``html`` with ``data-page-at`` on its first element."""
    start = html.find("<")
    end = start + 1
    while end < len(html) and (html[end].isalnum() or html[end] in ":-"):
        end += 1
    if start < 0 or end == start + 1:
        return html
    return f'{html[:end]} {PLACE_ATTRIBUTE}="{attr(address)}"{html[end:]}'


def marker(label: str) -> str:
    """The page-break marker of the print page whose folio is ``label``."""
    return (f'<span id="{attr(MARKER_ID.format(label))}" epub:type="pagebreak" '
            f'role="doc-pagebreak" aria-label="{attr(label)}"></span>')


def with_markers(html: str, markers: Sequence[tuple[int, str]]) -> str:
    """``html`` with a marker for each ``(offset, label)``: before the
    element at offset 0, else before the letter after ``offset`` letters
    of its text (at the start of a Latin word cut there), at the end past
    its last letter."""
    if not markers:
        return html
    wanted = sorted(markers, key=lambda pair: pair[0])
    cuts = _positions(html, [offset for offset, _ in wanted])
    out, last = [], 0
    for (_, label), at in zip(wanted, cuts):
        out += [html[last:at], marker(label)]
        last = at
    out.append(html[last:])
    return "".join(out)


def _positions(html: str, offsets: list[int]) -> list[int]:
    """Where in ``html`` each offset (ascending, in letters) falls."""
    found = [0 for offset in offsets if offset <= 0]
    letters, i, word = 0, 0, -1
    while len(found) < len(offsets) and i < len(html):
        char = html[i]
        if char == "<":
            i = _after_tag(html, i)
            continue
        if char == "&":
            i = html.index(";", i) + 1
            word = -1
            continue
        if char.isalnum():
            latin = bool(_WORD.match(char))
            if not latin or word < 0:
                word = i
            while len(found) < len(offsets) and offsets[len(found)] <= letters:
                found.append(word)
            letters += 1
            if not latin:
                word = -1
        else:
            word = -1
        i += 1
    return found + [len(html)] * (len(offsets) - len(found))


def _after_tag(html: str, i: int) -> int:
    """The index after the tag at ``i``, or after the whole element when its
    text is not counted (a note call, a formula)."""
    for opening, closing in _SKIPPED:
        if opening.match(html, i):
            end = html.find(closing, i)
            if end >= 0:
                return end + len(closing)
    return html.index(">", i) + 1


def markers_by_place(starts: Sequence[tuple[str, str, int]],
                     places: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The markers of the pages ``starts`` (folio, address, offset), by the
    place they go in: a page that starts nowhere among ``places`` (a blank
    verso, the half-title, the printed contents) has its marker where the
    next page's is, and the last such pages where the page before them has."""
    out: dict[str, list[tuple[int, str]]] = {}
    waiting: list[str] = []
    last: tuple[str, int] | None = None
    for label, address, offset in starts:
        waiting.append(label)
        if address in places:
            out.setdefault(address, []).extend((offset, folio) for folio in waiting)
            waiting, last = [], (address, offset)
    if waiting and last is not None:
        out[last[0]].extend((last[1], folio) for folio in waiting)
    return out
