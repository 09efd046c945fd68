"""The tofu gate: every character of the book is checked against the face that
will set it before anything is laid out; a character no font has stops the
build with a list naming chapter, file and line.  A formula's characters
are checked against the math face that draws it (``formulas``), which has
no fallback.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from ... import model as m
from ...errors import FontError, PrintError
from ...fonts import (
    KAI_FAMILIES,
    KAI_PACKAGES,
    face_characters,
    faces,
    find_font,
    installed_font_covers,
    missing_characters,
)
from ...log import LOGGER
from ...typography import is_han
from . import formulas


def check_glyphs(book: m.Book, html: str, allow_missing: bool) -> None:
    """The tofu gate: every character must have a glyph before anything is laid out.

    A Han character must be in the face of its language that sets it (the SC
    face in a zh-Hans book, TC in a zh-Hant one, JP in a Japanese passage: a
    fallback font would set another style or another language's forms), and
    so must a private-use one (its meaning is that face's); any other
    character may come from another installed font (Tamil, a rare symbol), as
    fontconfig would pick it.  Chinese emphasis and block quotations are set
    in a Kai face of their language's forms (LXGW WenKai; AR PL UKai TW, HK), which
    falls back to the body face: a Han character it lacks, or the face
    missing, is a warning (``check_emphasis``).
    """
    body = html.split("<body", 1)[1]
    missing: dict[str, list[str]] = {}
    language = book.meta.language
    for (family, bold), chars in face_characters([body], language).items():
        if family in KAI_FAMILIES:
            check_emphasis(family, chars, faces(language).serif)
            continue
        for ch in sorted(missing_characters(find_font(family, bold), chars)):
            if _invisible(ch):
                continue
            if not is_han(ch) and not _private_use(ch) and installed_font_covers(ch):
                continue
            missing.setdefault(ch, []).append(f"{family}{' Bold' if bold else ''}")
    for ch in sorted(_formula_characters_missing(body)):
        missing.setdefault(ch, []).append(f"{formulas.MATH_FACE} (formulas)")
    if not missing:
        return
    lines = [f"{_describe(ch)} not in {', '.join(faces)}{_where(book, ch)}"
             for ch, faces in missing.items()]
    message = (f"{len(missing)} character(s) no installed font can set as the book asks: "
               + "; ".join(lines[:20]))
    if len(lines) > 20:
        message += f"; … and {len(lines) - 20} more"
    if any(_is_emoji(ch) for ch in missing):
        message += " (emoji are set in Noto Color Emoji: scripts/setup.sh installs " \
                   "fonts-noto-color-emoji)"
    if not allow_missing:
        raise PrintError(message + " (--allow-missing-glyphs prints them as boxes)")
    LOGGER.warning("%s", message)


_FORMULA = re.compile(r'<img class="math[^"]*" src="[^"]*" alt="([^"]*)"')


def _formula_characters_missing(body: str) -> set[str]:
    """The characters of the formulas drawn in ``body`` (each image's
    alternative text is its TeX) that the math face has no glyph for, or
    that are private use (STIX Two Math's own glyphs there are not the book's)."""
    found: set[str] = set()
    for tex in {unescape(alt) for alt in _FORMULA.findall(body)}:
        found |= {ch for ch in formulas.missing(tex) if not _invisible(ch)}
        found |= {ch for ch in tex if _private_use(ch)}
    return found


def check_emphasis(family: str, chars: set[str], body_face: str) -> None:
    """Warn when Chinese emphasis or a quotation cannot be set in its Kai face
    ``family``: it is not installed, or lacks some of its Han characters
    ``chars`` (those are set in the body face, upright, which shows no
    emphasis)."""
    chars = {ch for ch in chars if is_han(ch)}
    if not chars:
        return
    try:
        font = find_font(family)
    except FontError:
        LOGGER.warning("emphasis and quotations in Chinese text are set in %s, which is "
                       "not installed (scripts/setup.sh installs %s): they are set in %s",
                       family, KAI_PACKAGES.get(family, "a Kai face"), body_face)
        return
    if (gaps := sorted(missing_characters(font, chars))):
        LOGGER.warning("%d character(s) of emphasised or quoted Chinese text are not in %s "
                       "and are set in %s: %s", len(gaps), family, body_face,
                       "".join(gaps[:20]) + ("…" if len(gaps) > 20 else ""))


def _invisible(ch: str) -> bool:
    """Format characters, combining marks and variation selectors need no glyph of their own."""
    return (unicodedata.category(ch) in ("Cf", "Mn", "Me", "Zs", "Cc")
            or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF)


def _private_use(ch: str) -> bool:
    """A private-use character means what the font the book names gives it, so
    another installed font's glyph for it (AR PL UKai has some) is no match."""
    return unicodedata.category(ch) == "Co"


def _is_emoji(ch: str) -> bool:
    """Pictographs and the dingbats and symbols drawn as emoji (Unicode's
    emoji blocks: U+1F000–1FAFF, U+2600–27BF)."""
    return 0x1F000 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF


def _describe(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X})"


def _where(book: m.Book, ch: str) -> str:
    """' in ch03 “title”, file.md:12' for the first place ``ch`` appears."""
    chapter = next((c for c in book.all_chapters
                    if ch in m.blocks_text(tuple(m.container_blocks(c)))
                    or ch in m.plain_text(c.title)), None)
    where = f" in {chapter.id} “{m.plain_text(chapter.title)}”" if chapter else ""
    for source in book.sources:
        pos = source.text.find(ch)
        if pos >= 0:
            return f"{where}, {source.path}:{source.text.count(chr(10), 0, pos) + 1}"
    return where

