"""The typographic cover drawn when the book names no cover image.

``make_cover(book)``: a 1600×2560 PNG, the title, subtitle, contributors and
publisher centred in the body face of the book's language (Noto Serif CJK SC
for Simplified Chinese, TC for Traditional…) inside a ruled frame.
"""

from __future__ import annotations

import io

from ... import model as m
from ...fonts import faces, find_font
from ...labels import credit, labels
from ...wrapping import wrap

COVER_SIZE = (1600, 2560)


def make_cover(book: m.Book) -> bytes:
    """A typographic cover, 1600×2560 PNG: title, subtitle and contributors in the book's face."""
    from PIL import Image, ImageDraw, ImageFont

    meta = book.meta
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, (246, 241, 231))
    draw = ImageDraw.Draw(image)
    family = faces(meta.language).serif
    bold = find_font(family, bold=True)
    regular = find_font(family, bold=False)
    margin = 160
    ink, accent = (34, 34, 34), (150, 32, 32)
    draw.rectangle([margin // 2, margin // 2, width - margin // 2, height - margin // 2],
                   outline=accent, width=6)

    def block(text: str, font_file, size: int, top: int, fill) -> int:
        font = ImageFont.truetype(str(font_file.path), size, index=font_file.index)
        columns = max(4, int((width - 2 * margin) / (size / 2)))
        for line in wrap(text, columns):
            length = draw.textlength(line, font=font)
            draw.text(((width - length) / 2, top), line, font=font, fill=fill)
            top += int(size * 1.35)
        return top

    y = block(meta.title, bold, 150, 560, ink)
    if meta.subtitle:
        y = block(meta.subtitle, regular, 72, y + 60, ink)
    draw.line([(width / 2 - 120, y + 80), (width / 2 + 120, y + 80)], fill=accent, width=5)
    words = labels(meta.language, meta.labels)
    names = words["credits"].join(credit(words, c.role, c.name, "cover_credit")
                                  for c in meta.contributors)
    if names:
        block(names, regular, 64, height - 720, ink)
    if meta.publisher:
        block(meta.publisher, regular, 56, height - 380, ink)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
