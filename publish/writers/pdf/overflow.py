"""Nothing lost silently: content the print edition sets past the text block.

WeasyPrint 70 never drops content that does not fit: ``overflow: visible``
draws it where the layout put it, past the text block, into the margin and
off the page, where the PDF viewer (and the guillotine) cut it.  A table of
30 columns, a word or URL with no break opportunity, a long token in a code
line, an image taller than the page: exit 0, no warning, text gone.

``check`` walks the laid-out boxes of every page once (O(boxes), no layout
and no drawing), finds the text, images and table cells that reach past the
page's content box (the text block) by more than a tolerance, and logs one
warning per manuscript block through ``LOGGER`` (so ``--strict`` fails the
build), naming the chapter and the file and line the block comes from.

A box inside one with ``overflow: hidden`` (a theme may set it on ``pre``)
is measured against that box's padding box, where WeasyPrint clips it.

What is not looked at: margin boxes (running heads, folios), which are not
manuscript text; white space (a code line's trailing blanks are measured
without them); absolutely positioned boxes (an outside list marker, which
may hang in the margin by design); and the bleed and the crop marks, which
are drawn by the page, not laid out in it.  The footnote area is looked at
(a URL in a note is cut like any other).  Widths are the boxes' own,
justification included, so a line-end mark set at half width (``halt``)
counts as half (pdfplumber reports its full advance; the layout does not).

The model keeps no source positions, so a block's file and line are found
by looking for its text (the overflowing box's words, a table's first row,
an image's ``src``) in the manuscript (``locate.Sources``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ... import model as m
from ...log import LOGGER
from .locate import Sources

#: How far past the text block (CSS px, 1/96 in) a box may reach unreported.
TOLERANCE_X = 4 / 3          # 1 pt: rounding, justification
TOLERANCE_Y = 8.0            # 6 pt: a subscript on the last line sits a little low
PX_TO_MM = 25.4 / 96

_BLOCK_TAGS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                         "figure", "blockquote", "div"})
_DIVISIONS = ("chapter", "front", "part")


@dataclass
class Overflow:
    """One manuscript block that reaches past the text block, on one or more pages."""

    kind: str                       # table, code, image, heading, text
    division: object | None         # the chapter/front/part <section> element, or None
    where: str                      # "the table of contents", "the title page"… when generated
    needle: str                     # the text (or image src) of the first box past the edge
    alt: str = ""                   # an image's alt text, a second needle
    page: int = 0                   # the first page (1-based) it happens on
    right: float = 0.0              # px past the right edge of the text block
    left: float = 0.0
    bottom: float = 0.0
    off_page: bool = False          # past the page's edge too: cut off in the PDF
    clipped: bool = False           # past a box with overflow: hidden, which cuts it
    block_text: str = field(default="", repr=False)
    row: tuple[str, ...] = ()       # a table's first row: its cells' texts


class _Limits(NamedTuple):
    """How far a box may reach (CSS px, the tolerances included) unreported."""

    right: float
    left: float
    bottom: float
    clipped: bool    # set by an ancestor with overflow: hidden, not by the text block


class _Context(NamedTuple):
    """What a box takes from its ancestors."""

    division: object | None    # the chapter/front/part <section> it is in
    block: object | None       # the manuscript block (p, table, pre…) it belongs to
    kind: str                  # that block's kind: table, code, heading, text, note
    where: str                 # the generated matter it is in ("the title page"…)
    in_notes: bool             # inside the footnote area
    limits: _Limits


@dataclass
class _Page:
    """One page being walked: its text block and edges (CSS px), what has been
    found so far, and the first chapter met on it (for boxes outside any)."""

    number: int
    x0: float                  # the text block's left edge
    x1: float                  # its right edge
    y1: float                  # its bottom
    right: float               # the page's right edge
    bottom: float              # the page's bottom
    found: dict[int, Overflow]
    division: object | None = None


def find(pages) -> list[Overflow]:
    """The blocks of a rendered WeasyPrint document that reach past the text block,
    or past the padding box of an ancestor with ``overflow: hidden``, which clips them."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, Overflow] = {}
    for number, page in enumerate(pages, 1):
        _walk_page(page._page_box, number, found, boxes)
    return list(found.values())


def _walk_page(page_box, number: int, found: dict[int, Overflow], boxes) -> None:
    """Look at every box of one page, depth first, but its margin boxes."""
    x0 = page_box.content_box_x()
    page = _Page(number, x0, x0 + page_box.width, page_box.content_box_y() + page_box.height,
                 page_box.margin_width(), page_box.margin_height(), found)
    limits = _Limits(page.x1 + TOLERANCE_X, page.x0 - TOLERANCE_X, page.y1 + TOLERANCE_Y, False)
    stack = [(child, _Context(None, None, "", "", isinstance(child, boxes.FootnoteAreaBox),
                              limits))
             for child in reversed(page_box.children) if not isinstance(child, boxes.MarginBox)]
    while stack:
        box, context = stack.pop()
        if isinstance(box, boxes.TextBox):
            _check_text(page, box, context)
        elif isinstance(box, boxes.ReplacedBox):
            _check_image(page, box, context)
        else:
            if isinstance(box, boxes.TableCellBox):
                _check_cell(page, box, context)
            if not isinstance(box, boxes.ParentBox) or not box.children:
                continue
            if type(box) is not boxes.LineBox:
                context = _enter(page, box, context)
            stack.extend((child, context) for child in reversed(box.children))


def _enter(page: _Page, box, context: _Context) -> _Context:
    """What a box's children take from it: the chapter a <section> opens, the
    manuscript block it starts, the clip of ``overflow: hidden``."""
    division, block, kind, where, in_notes, limits = context
    tag = box.element_tag
    if tag == "section" or tag == "nav":
        division, where = _division(box, division, where)
        if division is not None and page.division is None and not in_notes:
            page.division = division
    block, kind = _block(box, tag, block, kind, in_notes)
    if box.style["overflow"] != "visible":
        limits = _clip(page, box, limits)
    return _Context(division, block, kind, where, in_notes, limits)


def _block(box, tag: str, block, kind: str, in_notes: bool):
    """The manuscript block a box starts and its kind, or ``block`` and ``kind``
    as they were: whatever is inside a table or a code block is part of it."""
    if tag == "table":
        if kind != "table":
            return box.element, "table"
    elif tag == "pre":
        if kind != "table":
            return box.element, "code"
    elif tag in _BLOCK_TAGS and kind not in ("table", "code"):
        return box.element, "heading" if tag[0] == "h" and tag[1:].isdigit() else "text"
    elif in_notes and tag == "span" and kind not in ("table", "code", "note"):
        return box.element, "note"
    return block, kind


def _clip(page: _Page, box, limits: _Limits) -> _Limits:
    """The limits inside a box that WeasyPrint clips to its padding box."""
    clip_x = box.padding_box_x()
    clip_right = clip_x + box.padding_width() + TOLERANCE_X
    clip_bottom = box.padding_box_y() + box.padding_height() + TOLERANCE_Y
    return _Limits(min(limits.right, clip_right),
                   max(limits.left, clip_x - TOLERANCE_X),
                   min(limits.bottom, clip_bottom),
                   limits.clipped or clip_right < limits.right
                   or clip_bottom < limits.bottom or clip_x > page.x0)


def _check_text(page: _Page, box, context: _Context) -> None:
    """A text box past its limits, white space at its end not counted."""
    limits = context.limits
    left = box.position_x
    right = left + box.width
    bottom = box.position_y + box.height
    if right <= limits.right and left >= limits.left and bottom <= limits.bottom:
        return
    if not box.text.strip():
        return
    if right > limits.right and box.text != box.text.rstrip():
        right = left + _stripped_width(box)
    _check_extent(page, box, context, context.kind, left, right, bottom)


def _check_image(page: _Page, box, context: _Context) -> None:
    """An image (a replaced box) past its limits."""
    left = box.border_box_x()
    right = left + box.border_width()
    bottom = box.border_box_y() + box.border_height()
    kind = context.kind if context.kind == "table" else "image"
    _check_extent(page, box, context, kind, left, right, bottom)


def _check_extent(page: _Page, box, context: _Context, kind: str, left: float, right: float,
                  bottom: float) -> None:
    """Record a box whose extent reaches past its limits."""
    limits = context.limits
    if right > limits.right or left < limits.left or bottom > limits.bottom:
        right_edge, left_edge, bottom_edge = _edges(page, limits)
        _record(page, box, context, kind,
                (right - right_edge, left_edge - left, bottom - bottom_edge),
                right > page.right or left < 0 or bottom > page.bottom)


def _check_cell(page: _Page, box, context: _Context) -> None:
    """A table cell past the edge (an empty column too); its text is looked at
    with its children."""
    limits = context.limits
    left = box.border_box_x()
    right = left + box.border_width()
    if right > limits.right or left < limits.left:
        right_edge, left_edge, _ = _edges(page, limits)
        _record(page, box, context, context.kind, (right - right_edge, left_edge - left, 0.0),
                right > page.right or left < 0)


def _edges(page: _Page, limits: _Limits) -> tuple[float, float, float]:
    """The right, left and bottom edges an overflow is measured from: those of
    the clipping box when there is one, else the text block's."""
    if limits.clipped:
        return (limits.right - TOLERANCE_X, limits.left + TOLERANCE_X,
                limits.bottom - TOLERANCE_Y)
    return page.x1, page.x0, page.y1


def _division(box, division, where):
    """The chapter (front matter, part) a <section> opens, or the generated matter it is."""
    element = box.element
    classes = (element.get("class") or "").split()
    if box.element_tag == "nav" and "toc" in classes:
        return None, "the table of contents"
    if any(c in classes for c in _DIVISIONS):
        return element, ""
    for name, label in (("titlepage", "the title page"), ("halftitle", "the half-title"),
                        ("copyright", "the copyright page")):
        if name in classes:
            return None, label
    return division, where


def _record(page: _Page, box, context: _Context, kind: str,
            past: tuple[float, float, float], off_page: bool) -> None:
    """Note that ``box`` reaches ``past`` (right, left, bottom) its edges, in
    the entry of its manuscript block (made on its first page)."""
    element = context.block if context.block is not None else box.element
    key = id(element)
    entry = page.found.get(key)
    if entry is None:
        entry = page.found[key] = _entry(box, element, kind, context.division or page.division,
                                         context.where, page.number)
    right, left, bottom = past
    entry.right = max(entry.right, right)
    entry.left = max(entry.left, left)
    entry.bottom = max(entry.bottom, bottom)
    entry.off_page = entry.off_page or off_page
    entry.clipped = entry.clipped or context.limits.clipped


def _entry(box, element, kind: str, division, where: str, page: int) -> Overflow:
    """A new entry for the block ``element``, from the first box of it found past an edge."""
    needle, alt = _needle(box)
    kind = kind or ("image" if alt or box.element_tag == "img" else "text")
    if kind in ("text", "note", "heading") and box.element_tag == "img":
        kind = "image"
    block_text = ""
    if element is not None:
        try:
            block_text = "".join(element.itertext())
        except (AttributeError, TypeError):  # pragma: no cover - not an element
            block_text = ""
    return Overflow(kind, division, where, needle, alt, page, block_text=block_text,
                    row=_first_row(element) if kind == "table" else ())


def _first_row(table) -> tuple[str, ...]:
    """The texts of the first cells of a table's first row (up to four, none empty)."""
    try:
        row = next(table.iter("tr"), None)
        cells = [] if row is None else ["".join(c.itertext()).strip() for c in row]
    except (AttributeError, TypeError):  # pragma: no cover - not an element
        return ()
    cells = [c for c in cells if c]
    return tuple(cells[:4]) if len(cells) >= 2 else ()


def _needle(box) -> tuple[str, str]:
    """What to look for in the manuscript: a box's text, or an image's src and alt."""
    text = getattr(box, "text", None)
    if text:
        return text.strip(), ""
    element = box.element
    if element is not None and box.element_tag == "img":
        return element.get("src") or "", element.get("alt") or ""
    if element is not None:
        try:
            return "".join(element.itertext()).strip(), ""
        except (AttributeError, TypeError):  # pragma: no cover
            pass
    return "", ""


def _stripped_width(box) -> float:
    """The width of a text box without its trailing white space (a code line's blanks)."""
    from weasyprint.text.line_break import Layout, line_size

    try:
        layout = Layout(box.style, getattr(box, "justification_spacing", 0))
        layout.set_text(box.text.rstrip())
        line, _ = layout.get_first_line()
        width, _ = line_size(line, box.style)
    except Exception:  # noqa: BLE001 - measuring is best effort: keep the box's width
        return box.width
    return min(width, box.width)


# --- reporting ----------------------------------------------------------------------------


def report(book: m.Book, overflows: list[Overflow]) -> None:
    """One warning per block: ``file:line: chapter 第三章: a table runs 42 mm past …``."""
    if not overflows:
        return
    sources = Sources(book)
    for item in overflows:
        division_id = item.division.get("id") if item.division is not None else None
        place = sources.locate(division_id, _needles(item))
        name = item.where or sources.label(division_id)
        LOGGER.warning("%s: %s: %s", place, name, describe(item))


def describe(item: Overflow) -> str:
    """``a table runs 42 mm past the right edge of the text block (columns cut off in the PDF)``."""
    what = {"table": "a table", "code": "a code line", "image": "an image",
            "heading": "a heading", "note": "a footnote"}.get(item.kind, "a line of text")
    sides = [(amount, side) for amount, side in
             ((item.right, "right edge"), (item.left, "left edge"), (item.bottom, "bottom"))
             if amount > (TOLERANCE_Y if side == "bottom" else TOLERANCE_X)]
    runs = " and ".join(f"{_mm(amount)} mm past the {side}" for amount, side in sides)
    lost = {"table": "columns cut off", "image": "the image cut off"}.get(item.kind,
                                                                         "text cut off")
    if item.bottom > TOLERANCE_Y and item.kind == "table":
        lost = "rows cut off"
    if item.clipped:
        edge = "of a box with overflow: hidden"
        consequence = f"{lost} in the PDF"
    else:
        edge = "of the text block"
        consequence = f"{lost} in the PDF" if item.off_page else "into the margin"
    if item.kind in ("text", "note", "heading") and item.right > TOLERANCE_X:
        consequence += "; a word or URL with no break opportunity"
    return f"{what} runs {runs} {edge} on PDF page {item.page} ({consequence})"


def _mm(px: float) -> str:
    value = px * PX_TO_MM
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _needles(item: Overflow) -> list[str | re.Pattern[str]]:
    """Strings (or a table's first row as a pattern) to look for, most specific first."""
    out: list[str | re.Pattern[str]] = []
    if item.row:
        # The first row's cells in order on one line: the table's first line.
        out.append(re.compile(r"[^\n]*?".join(re.escape(cell) for cell in item.row)))
    if item.kind == "image" or item.alt:
        out += [f"]({item.needle}", item.needle, item.alt]
    words = sorted(re.findall(r"\S+", item.needle), key=len, reverse=True)
    for word in words[:3]:
        out.append(word[:60])
    out.append(item.needle[:60])
    block_words = sorted(set(re.findall(r"\S{3,}", item.block_text)), key=len, reverse=True)
    out += [word[:60] for word in block_words[:3]]
    return [n for n in out if not isinstance(n, str) or len(n) >= 2]


def check(book: m.Book, document) -> list[Overflow]:
    """Find what the rendered ``document`` sets past the text block and warn about it."""
    try:
        overflows = find(document.pages)
    except Exception as error:  # noqa: BLE001 - a box tree this walk does not know
        LOGGER.warning("%s: could not check the print edition for content past the text "
                       "block (%s: %s)", book.manuscript or book.root, type(error).__name__,
                       error)
        return []
    try:
        report(book, overflows)
    except Exception:  # noqa: BLE001 - the warnings matter more than their line numbers
        for item in overflows:
            LOGGER.warning("%s: %s", book.manuscript or book.root, describe(item))
    return overflows
