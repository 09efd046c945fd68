"""Measure a PDF the way a proofreader would: lines of body text from glyph positions.

``body_lines(pdf_path, geometry)`` groups the characters set at the body size
into lines, each with its page index, left and right edges and the edges of
the text block on that page (recto and verso mirror).  A full line is one
that ends less than a character from the right edge of the block (a
ragged full line ends less than one character short) and is not the last
line of its paragraph: the next line neither starts indented nor after a
gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

from publish.writers.pdf import Geometry

#: The full-width marks set in an em box (GB/T 15834: the pause and stop marks
#: ，。、；：？！, every bracket and quotation mark), written out from the
#: standard for the checks, not taken from ``publish.typography``.
FULL_WIDTH_MARKS = frozenset("，。、；：？！（）〔〕［］｛｝《》〈〉「」『』【】〖〗“”‘’")


@dataclass
class Line:
    page: int
    chars: list[dict]
    block_left: float
    block_right: float
    full: bool = False

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def left(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def right(self) -> float:
        return max(c["x1"] for c in self.chars)

    def advance(self, i: int) -> float:
        """How far character ``i`` moves the pen (its box width for the last one).

        Compressed punctuation and justification change the advance, not the
        glyph box pdfplumber reports, so the next character's position tells.
        """
        if i + 1 < len(self.chars):
            return self.chars[i + 1]["x0"] - self.chars[i]["x0"]
        return self.chars[i]["x1"] - self.chars[i]["x0"]

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)


def is_body(char: dict, size: float) -> bool:
    """Set about the body size: text, speakers (0.95 em), inline code (0.9 em); not
    footnotes (0.8 em), running heads (8 pt) or code blocks (0.82 em)."""
    return 0.86 * size <= char["size"] <= size + 0.05


def body_lines(path, g: Geometry, first_page: int = 0, last_page: int | None = None) -> list[Line]:
    """Body lines of the pages from ``first_page`` to ``last_page`` (excluded)."""
    out: list[Line] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages[:last_page]):
            if index < first_page:
                continue
            left = g.inner if index % 2 == 0 else g.outer   # page 1 is a recto
            rows: dict[int, list[dict]] = {}
            top, bottom = g.top, g.top + g.block_height + g.font_size   # folios lie below
            for ch in page.chars:
                if is_body(ch, g.font_size) and ch["text"].strip() and top <= ch["top"] <= bottom:
                    # Group by baseline: faces of different ascent share a line.
                    rows.setdefault(round(ch["matrix"][5] / 2), []).append(ch)
            for _, chars in sorted(rows.items(), reverse=True):
                # Characters stay in drawing order: glyph boxes of compressed
                # punctuation overlap, so sorting by position could swap them.
                line = Line(index, chars, left, left + g.measure)
                line.full = -2 < line.block_right - line.right < 0.95 * g.font_size
                out.append(line)
    pitch = g.font_size * g.line_height
    for line, following in zip(out, out[1:] + [None]):
        if following is None:
            line.full = False
            continue
        indented = following.left >= following.block_left + 1.5 * g.font_size
        gap = following.page == line.page and following.top - line.top > pitch + 1
        if indented or gap:
            line.full = False
    return out


def rag(line: Line) -> float:
    """How far a line ends from the right edge of the text block (pt; negative: beyond)."""
    return line.block_right - line.right
