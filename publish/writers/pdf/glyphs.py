"""The tofu gate: every character of the book is checked against the face that
will set it before anything is laid out; a character no font has stops the
build with a list naming chapter, file and line.
"""

from __future__ import annotations

import unicodedata

from ... import model as m
from ...errors import FontError, PrintError
from ...fonts import (
    BODY_FAMILY,
    EMPHASIS_FAMILY,
    emphasis_characters,
    face_characters,
    find_font,
    installed_font_covers,
    missing_characters,
)
from ...log import LOGGER
from ...typography import is_han


def check_glyphs(book: m.Book, html: str, allow_missing: bool) -> None:
    """The tofu gate: every character must have a glyph before anything is laid out.

    A Han character must be in the SC face that sets it (a fallback font would
    set another style or a Japanese form); any other character may come from
    another installed font (Tamil, a rare symbol), as fontconfig would pick it,
    but a private-use one (U+E000…) only from the book's faces: what another
    font draws there is its own (AR PL UKai HK has HKSCS characters there).
    """
    body = html.split("<body", 1)[1]
    check_emphasis(body)
    missing: dict[str, list[str]] = {}
    for (family, bold), chars in face_characters([body]).items():
        for ch in sorted(missing_characters(find_font(family, bold), chars)):
            if _invisible(ch):
                continue
            if not is_han(ch) and not _private_use(ch) and installed_font_covers(ch):
                continue
            missing.setdefault(ch, []).append(f"{family}{' Bold' if bold else ''}")
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


def check_emphasis(body: str) -> None:
    """Warn when Chinese emphasis cannot be set in the Kai face: it is not
    installed, or lacks some of its Han characters (those are set in the body
    face, upright, which shows no emphasis)."""
    chars = {ch for ch in emphasis_characters([body]) if is_han(ch)}
    if not chars:
        return
    try:
        font = find_font(EMPHASIS_FAMILY)
    except FontError:
        LOGGER.warning("emphasis in Chinese text is set in %s, which is not installed "
                       "(scripts/setup.sh installs fonts-arphic-ukai): it is set in %s",
                       EMPHASIS_FAMILY, BODY_FAMILY)
        return
    if (gaps := sorted(missing_characters(font, chars))):
        LOGGER.warning("%d character(s) of emphasised Chinese text are not in %s and are "
                       "set in %s: %s", len(gaps), EMPHASIS_FAMILY, BODY_FAMILY,
                       "".join(gaps[:20]) + ("…" if len(gaps) > 20 else ""))


def _private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def _invisible(ch: str) -> bool:
    """Format characters, combining marks and variation selectors need no glyph of their own."""
    return (unicodedata.category(ch) in ("Cf", "Mn", "Me", "Zs", "Cc")
            or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF)


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

