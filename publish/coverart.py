"""The typographic cover's design, shared by the EPUB's cover image and the
print cover's front panel, so the two match: where the title, subtitle,
contributors and publisher stand, in which face and size, the ruled frame
and the short rule under the title.

``cover_layout(meta, height)`` lays the design out on a canvas 1600 units
wide and ``height`` high (the EPUB's 1600×2560 PNG; the print front panel's
proportions for the cover PDF).  It draws nothing: ``writers.epub.cover``
draws it with Pillow, ``writers.pdf.cover`` sets it as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .fonts import faces
from .labels import credit, labels
from .wrapping import wrap

WIDTH = 1600
MARGIN = 160
PAPER, INK, ACCENT = (246, 241, 231), (34, 34, 34), (150, 32, 32)
FRAME_WIDTH, RULE_WIDTH = 6, 5


@dataclass(frozen=True)
class Line:
    """One centred line of text: its top (the ascender line), size, face."""

    text: str
    top: int
    size: int
    family: str
    bold: bool


@dataclass(frozen=True)
class Layout:
    """The design on a canvas of ``width`` × ``height`` units."""

    width: int
    height: int
    frame: tuple[int, int, int, int]          # left, top, right, bottom
    rule: tuple[int, int, int, int]           # x0, y0, x1, y1
    lines: tuple[Line, ...]


def cover_layout(meta: m.Meta, height: int = 2560) -> Layout:
    """The title block from 560 units down, a rule under it, the contributors
    720 and the publisher 380 units above the foot, inside a frame half a
    margin in from the edges."""
    family = faces(meta.language).serif
    lines: list[Line] = []

    def block(text: str, size: int, top: int, bold: bool) -> int:
        columns = max(4, int((WIDTH - 2 * MARGIN) / (size / 2)))
        for line in wrap(text, columns):
            lines.append(Line(line, top, size, family, bold))
            top += int(size * 1.35)
        return top

    y = block(meta.title, 150, 560, True)
    if meta.subtitle:
        y = block(meta.subtitle, 72, y + 60, False)
    rule = (WIDTH // 2 - 120, y + 80, WIDTH // 2 + 120, y + 80)
    words = labels(meta.language, meta.labels)
    names = words["credits"].join(credit(words, c.role, c.name, "cover_credit")
                                  for c in meta.contributors)
    if names:
        block(names, 64, height - 720, False)
    if meta.publisher:
        block(meta.publisher, 56, height - 380, False)
    frame = (MARGIN // 2, MARGIN // 2, WIDTH - MARGIN // 2, height - MARGIN // 2)
    return Layout(WIDTH, height, frame, rule, tuple(lines))
