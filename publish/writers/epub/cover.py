"""The typographic cover drawn when the book names no cover image.

``make_cover(book)``: a 1600×2560 PNG of the design ``coverart`` lays out
(the title, subtitle, contributors and publisher centred in the body face of
the book's language inside a ruled frame), the same design the print
cover's front panel sets.
"""

from __future__ import annotations

import io

from ... import model as m
from ...coverart import ACCENT, FRAME_WIDTH, INK, PAPER, RULE_WIDTH, cover_layout
from ...fonts import find_font

COVER_SIZE = (1600, 2560)


def make_cover(book: m.Book) -> bytes:
    """A typographic cover, 1600×2560 PNG: title, subtitle and contributors in the book's face."""
    from PIL import Image, ImageDraw, ImageFont

    layout = cover_layout(book.meta, COVER_SIZE[1])
    image = Image.new("RGB", COVER_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle(list(layout.frame), outline=ACCENT, width=FRAME_WIDTH)
    fonts: dict[tuple[str, bool, int], object] = {}
    for line in layout.lines:
        key = (line.family, line.bold, line.size)
        if key not in fonts:
            font_file = find_font(line.family, bold=line.bold)
            fonts[key] = ImageFont.truetype(str(font_file.path), line.size,
                                            index=font_file.index)
        length = draw.textlength(line.text, font=fonts[key])
        draw.text(((layout.width - length) / 2, line.top), line.text, font=fonts[key], fill=INK)
    draw.line([layout.rule[:2], layout.rule[2:]], fill=ACCENT, width=RULE_WIDTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
