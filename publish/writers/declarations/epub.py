"""The options the EPUB writer (``writers/epub``) reads."""

from __future__ import annotations

from ...fonts import BODY_FONT, HEADING_FONT
from ...highlight import HIGHLIGHT
from ...options import Option
from ...xhtml import CHAPTER_LABEL

HORIZONTAL, VERTICAL = "horizontal-tb", "vertical-rl"
EMBED_FONTS = Option("embed_fonts", bool, False, "Embed the CJK faces, subset to the book's "
                     "characters.")
WRITING_MODE = Option("writing_mode", str, HORIZONTAL,
                      "The EPUB's writing mode: vertical-rl sets it in columns from "
                      "right to left, pages turned leftwards (--vertical for short); "
                      "the PDF stays horizontal.",
                      choices=(HORIZONTAL, VERTICAL), shorthand=("vertical", VERTICAL))
OPTIONS = (EMBED_FONTS, BODY_FONT, HEADING_FONT, CHAPTER_LABEL, HIGHLIGHT, WRITING_MODE)
