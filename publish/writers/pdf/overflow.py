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
an image's ``src``) in the texts the reader took (``Book.sources``), in the
stretch between its chapter's heading and the next, after the last block
found there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ... import model as m
from ...log import LOGGER

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


def find(pages) -> list[Overflow]:
    """The blocks of a rendered WeasyPrint document that reach past the text block,
    or past the padding box of an ancestor with ``overflow: hidden``, which clips them."""
    from weasyprint.formatting_structure import boxes as B

    text_box, replaced, cell = B.TextBox, B.ReplacedBox, B.TableCellBox
    parent_box, line_box = B.ParentBox, B.LineBox
    margin_box, footnote_area = B.MarginBox, B.FootnoteAreaBox
    found: dict[int, Overflow] = {}
    for number, page in enumerate(pages, 1):
        pb = page._page_box
        x0 = pb.content_box_x()
        x1 = x0 + pb.width
        y1 = pb.content_box_y() + pb.height
        page_right, page_bottom = pb.margin_width(), pb.margin_height()
        page_division = None
        # (box, division, block element, block kind, generated-matter name, in the
        #  footnote area, limits: right, left, bottom, clipped by an ancestor)
        limits = (x1 + TOLERANCE_X, x0 - TOLERANCE_X, y1 + TOLERANCE_Y, False)
        stack = []
        for child in reversed(pb.children):
            if not isinstance(child, margin_box):
                stack.append((child, None, None, "", "", isinstance(child, footnote_area),
                              limits))
        while stack:
            box, division, block, kind, where, in_notes, limits = stack.pop()
            right_limit, left_limit, bottom_limit, clipped = limits
            if isinstance(box, text_box):
                left = box.position_x
                right = left + box.width
                bottom = box.position_y + box.height
                if right <= right_limit and left >= left_limit and bottom <= bottom_limit:
                    continue
                if not box.text.strip():
                    continue
                if right > right_limit and box.text != box.text.rstrip():
                    right = left + _stripped_width(box)
            elif isinstance(box, replaced):
                left = box.border_box_x()
                right = left + box.border_width()
                bottom = box.border_box_y() + box.border_height()
                kind = kind if kind == "table" else "image"
            else:
                if isinstance(box, cell):
                    # A cell past the edge (an empty column too); its text is looked at below.
                    left = box.border_box_x()
                    right = left + box.border_width()
                    if right > right_limit or left < left_limit:
                        right_edge = right_limit - TOLERANCE_X if clipped else x1
                        left_edge = left_limit + TOLERANCE_X if clipped else x0
                        _record(found, box, block, kind, division or page_division, where,
                                number, right - right_edge, left_edge - left, 0.0,
                                right > page_right or left < 0, clipped)
                if not isinstance(box, parent_box) or not box.children:
                    continue
                tag = box.element_tag
                if type(box) is not line_box:
                    if tag == "section" or tag == "nav":
                        division, where = _division(box, division, where)
                        if division is not None and page_division is None and not in_notes:
                            page_division = division
                    if tag == "table":
                        if kind != "table":
                            block, kind = box.element, "table"
                    elif tag == "pre":
                        if kind != "table":
                            block, kind = box.element, "code"
                    elif tag in _BLOCK_TAGS and kind not in ("table", "code"):
                        block = box.element
                        kind = "heading" if tag[0] == "h" and tag[1:].isdigit() else "text"
                    elif in_notes and tag == "span" and kind not in ("table", "code", "note"):
                        block, kind = box.element, "note"
                    if box.style["overflow"] != "visible":
                        # WeasyPrint clips the box's content to its padding box.
                        clip_x = box.padding_box_x()
                        clip_right = clip_x + box.padding_width() + TOLERANCE_X
                        clip_bottom = box.padding_box_y() + box.padding_height() + TOLERANCE_Y
                        limits = (min(right_limit, clip_right),
                                  max(left_limit, clip_x - TOLERANCE_X),
                                  min(bottom_limit, clip_bottom),
                                  clipped or clip_right < right_limit
                                  or clip_bottom < bottom_limit or clip_x > x0)
                for child in reversed(box.children):
                    stack.append((child, division, block, kind, where, in_notes, limits))
                continue
            if right > right_limit or left < left_limit or bottom > bottom_limit:
                if clipped:
                    # Measured from the clipping box, not the text block.
                    right_edge = right_limit - TOLERANCE_X
                    left_edge = left_limit + TOLERANCE_X
                    bottom_edge = bottom_limit - TOLERANCE_Y
                else:
                    right_edge, left_edge, bottom_edge = x1, x0, y1
                _record(found, box, block, kind, division or page_division, where, number,
                        right - right_edge, left_edge - left, bottom - bottom_edge,
                        right > page_right or left < 0 or bottom > page_bottom, clipped)
    return list(found.values())


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


def _record(found, box, block, kind, division, where, page, right, left, bottom, off_page,
            clipped):
    element = block if block is not None else box.element
    key = id(element)
    entry = found.get(key)
    if entry is None:
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
        entry = found[key] = Overflow(kind, division, where, needle, alt, page,
                                      block_text=block_text,
                                      row=_first_row(element) if kind == "table" else ())
    entry.right = max(entry.right, right)
    entry.left = max(entry.left, left)
    entry.bottom = max(entry.bottom, bottom)
    entry.off_page = entry.off_page or off_page
    entry.clipped = entry.clipped or clipped


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
        place = sources.locate(division_id, item)
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


class Sources:
    """The manuscript's files in reading order, for finding a block's file and line."""

    def __init__(self, book: m.Book):
        self.book = book
        self.files = [(source.path, source.text) for source in book.sources]
        self.starts: list[int] = []
        parts, offset = [], 0
        for _, text in self.files:
            self.starts.append(offset)
            parts.append(text + "\n")
            offset += len(text) + 1
        self.text = "".join(parts)
        self.titles = _titles(book)
        self.regions = self._regions()
        self.cursors: dict[str | None, int] = {}

    def label(self, division_id: str | None) -> str:
        if division_id is None:
            return "the book"
        if division_id == "front":
            return "front matter"
        title = self.titles.get(division_id, "")
        if len(title) > 40:
            title = title[:39] + "…"
        kind = "part" if division_id.startswith("part") else "chapter"
        return f"{kind} {title or division_id}"

    def locate(self, division_id: str | None, item: Overflow) -> str:
        """``file:line`` of the block, or of the chapter's heading, or the manuscript.

        Blocks come in reading order, so each is looked for after the last one
        found in its chapter first (two code blocks with the same long line).
        """
        start, end = self.regions.get(division_id, (0, len(self.text)))
        after = self.cursors.get(division_id, start)
        for needle in _needles(item):
            for low, high in ((after, end), (start, end), (0, len(self.text))):
                pos = (_search(self.text, needle, low, high) if isinstance(needle, str)
                       else _find(needle, self.text, low, high))
                if pos >= 0:
                    self.cursors[division_id] = pos + 1
                    return self._at(pos)
        if division_id in self.regions:
            return self._at(start)
        return str(self.book.manuscript or self.book.root or "the manuscript")

    def _at(self, pos: int) -> str:
        index = max(i for i, s in enumerate(self.starts) if s <= pos) if self.starts else 0
        path, _ = self.files[index]
        line = self.text.count("\n", self.starts[index], pos) + 1
        return f"{path}:{line}"

    def _regions(self) -> dict[str, tuple[int, int]]:
        """Each division's stretch of the sources, from its heading to the next one's."""
        headings = [(match.start(), _normal(match.group("text") or match.group("text2")
                                            or match.group("text3")))
                    for match in _HEADING.finditer(self.text)]
        found: list[tuple[str, int]] = []
        cursor = 0
        for ident, title in self.titles.items():
            wanted = _normal(title)
            if not wanted:
                continue
            for index in range(cursor, len(headings)):
                if wanted in headings[index][1]:
                    found.append((ident, headings[index][0]))
                    cursor = index + 1
                    break
        regions: dict[str, tuple[int, int]] = {}
        starts = [pos for _, pos in found]
        for i, (ident, pos) in enumerate(found):
            regions[ident] = (pos, starts[i + 1] if i + 1 < len(starts) else len(self.text))
        if self.book.front is not None:
            regions["front"] = (0, starts[0] if starts else len(self.text))
        return regions


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>[^\n]*)$"
                      r"|^(?P<text2>[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$"
                      r"|<h[1-6][^>]*>(?P<text3>.*?)</h[1-6]>", re.M | re.S)


def _normal(value: str | None) -> str:
    """Heading text without markup or white space, for matching titles."""
    return re.sub(r"[\s*_`#\[\]()<>/\\]|\{#[^}]*\}", "", value or "").lower()


def _titles(book: m.Book) -> dict[str, str]:
    """Division id -> plain title, parts and chapters in reading order."""
    out: dict[str, str] = {}
    for item in book.body:
        out[item.id] = m.plain_text(item.title)
        if isinstance(item, m.Part):
            for chapter in item.chapters:
                out[chapter.id] = m.plain_text(chapter.title)
    return out


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


def _find(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    found = pattern.search(text, start, end)
    return found.start() if found else -1


def _search(text: str, needle: str, start: int, end: int) -> int:
    pos = text.find(needle, start, end)
    if pos >= 0:
        return pos
    # Markdown escapes (\_ \*) and line breaks (dropped between Han characters)
    # may stand between the characters.
    pattern = r"(?:\\|\s)*".join(re.escape(ch) for ch in needle[:40])
    found = re.compile(pattern).search(text, start, end)
    return found.start() if found else -1


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
