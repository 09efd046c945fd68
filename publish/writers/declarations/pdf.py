"""The options the PDF writer (``writers/pdf``) reads."""

from __future__ import annotations

import importlib

from ...errors import PrintError
from ...fonts import BODY_FONT, HEADING_FONT
from ...highlight import HIGHLIGHT
from ...options import Option
from ...profiles import PROFILES
from ...xhtml import CHAPTER_LABEL

BODY_SIZE = 10.5          # pt, 五号


def _problem(check: str, value: object) -> str | None:
    """What ``writers.pdf.geometry``'s ``check(value)`` raises, as an option's
    problem (the PDF writer's code imported when a value is checked)."""
    geometry = importlib.import_module("publish.writers.pdf.geometry")
    try:
        getattr(geometry, check)(str(value))
    except PrintError as e:
        return e.message
    return None


#: The options this writer reads (see publish.options): the command line's
#: flags and book.toml's [edition] keys come from here.
TRIM = Option("trim", str, "a5", "Trim size: a5, a4, b5-jis, b5-iso, 32k, da32k, 16k, KDP's "
              "(6x9in…; README lists them), or WxH mm / WxH in.",
              check=lambda v: _problem("parse_trim", v))
BLEED = Option("bleed", str, "", "Bleed around the trim, e.g. 3mm (at most 25 mm).",
               check=lambda v: _problem("parse_bleed", v) if v else None)
MARKS = Option("marks", bool, False, "Crop and cross marks.")
PROFILE = Option("profile", str, "print", "What the PDF is for (publish/profiles.py): "
                 + "; ".join(f"{p.name}: {p.summary}" for p in PROFILES.values()) + ".",
                 choices=tuple(PROFILES))
PDFX = Option("pdfx", str, "", "The PDF/X version of a PDF/X profile (press): 4 (the "
              "profile's default) or 1a (a printer whose RIP wants no transparency and "
              "CMYK only).", choices=("", "1a", "4"))
PAPER_KIND = Option("paper", str, "white", "The interior's paper: white, cream or colour. "
                    "The cover's spine is as wide as the profile's thickness of it, and a "
                    "vendor's page limit may depend on it (KDP: 776 pages on cream).",
                    choices=("white", "cream", "colour"))
FONT_SIZE = Option("font_size", float, None, "Body type size in pt (the text block is a "
                   "whole number of characters of it; default: the style sheets', else 10.5, "
                   "五号).", minimum=6, maximum=24, example=BODY_SIZE)
ALLOW_MISSING_GLYPHS = Option("allow_missing_glyphs", bool, False,
                              "A character no font has is a warning, not an error.")
JOBS = Option("jobs", int, 0, "Processes laying out the PDF's chapters at the same time "
              "(0: one per core; 1: the whole book in one document).", minimum=0)
CHAPTERS = Option("proof", str, "", "A proof of some chapters only, with the folios and "
                  "running heads they have in the book: 37, 3-5 or a chapter's id (written "
                  "as <slug>-proof-37.pdf; with publish pdf).",
                  aliases=("--chapter", "--chapters"), setting=False)
WEASYPRINT_EXTENSIONS = Option("weasyprint_extensions", bool, True,
                               "CJK justification and the speed-ups (--no-weasyprint-extensions "
                               "builds a PDF with plain WeasyPrint, Chinese lines ragged).")
OPTIONS = (TRIM, BLEED, MARKS, PROFILE, PDFX, PAPER_KIND, FONT_SIZE, BODY_FONT,
           HEADING_FONT, CHAPTER_LABEL, ALLOW_MISSING_GLYPHS, JOBS, CHAPTERS,
           WEASYPRINT_EXTENSIONS,
           HIGHLIGHT)
