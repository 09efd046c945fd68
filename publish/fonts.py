"""Find installed fonts (fontconfig) and subset them (HarfBuzz, else fontTools).

``find_font("Noto Serif CJK SC", bold=False)`` returns the file and the
face index inside a collection; ``subset_font`` returns an OpenType font
holding only the characters a book uses.  Imports nothing from the package
but ``errors``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from .errors import FontError
from .options import Option
from .themes import css_string

BODY_FAMILY = "Noto Serif CJK SC"
HEADING_FAMILY = "Noto Sans CJK SC"
MONO_FAMILY = "Noto Sans Mono CJK SC"
#: The Kai face (楷体) the default theme sets Chinese emphasis in (``em .cjk``;
#: scripts/setup.sh installs it: fonts-arphic-ukai).
EMPHASIS_FAMILY = "AR PL UKai CN"

# Which face sets which text, as the default theme's CSS says (base.css):
# bold serif for strong text and copyright labels; bold sans for headings,
# speakers, labels and table heads; mono for code; the regular serif for
# everything (a heading's text also appears in the TOC and running heads).
_BOLD_SERIF = re.compile(r"<(strong|b|dt)\b[^>]*>(.*?)</\1>", re.S)
_BOLD_SANS = re.compile(
    r'<(h[1-6]|th)\b[^>]*>(.*?)</\1>|<span class="(?:speaker|label)">(.*?)</span>', re.S)
_MONO = re.compile(r"<(code|pre)\b[^>]*>(.*?)</\1>", re.S)
_EMPHASIS_CJK = re.compile(r'<span class="cjk">([^<]*)</span>')
_TAG = re.compile(r"<[^>]+>")



@dataclass(frozen=True)
class FontFile:
    family: str
    bold: bool
    path: Path
    index: int


def face_characters(bodies: list[str]) -> dict[tuple[str, bool], set[str]]:
    """The characters each face sets, from XHTML bodies: {(family, bold): characters}."""
    def chars(pattern: re.Pattern[str] | None) -> set[str]:
        found: set[str] = set()
        for body in bodies:
            pieces = [body] if pattern is None else [
                "".join(g for g in m.groups()[1:] if g) for m in pattern.finditer(body)]
            for piece in pieces:
                found.update(unescape(_TAG.sub("", piece)))
        return {c for c in found if not c.isspace()}

    return {
        (BODY_FAMILY, False): chars(None),
        (BODY_FAMILY, True): chars(_BOLD_SERIF),
        (HEADING_FAMILY, True): chars(_BOLD_SANS),
        (MONO_FAMILY, False): chars(_MONO),
    }


def emphasis_characters(bodies: list[str]) -> set[str]:
    """The characters of Chinese emphasis (the renderer's ``<em>…<span
    class="cjk">``), which the default theme sets in ``EMPHASIS_FAMILY``."""
    return {c for body in bodies for found in _EMPHASIS_CJK.finditer(body)
            for c in unescape(found.group(1)) if not c.isspace()}


def missing_characters(font: FontFile, characters: Iterable[str]) -> set[str]:
    """The characters the face has no glyph for (HarfBuzz answers in milliseconds;
    fontTools takes a quarter of a second to read the cmap of a CJK face)."""
    hb = _harfbuzz_subset()
    if hb is not None:
        blob = hb.hb_blob_create_from_file(str(font.path).encode())
        face = hb.hb_face_create(blob, font.index)
        unicodes = hb.hb_set_create()
        try:
            hb.hb_face_collect_unicodes(face, unicodes)
            if hb.hb_set_get_population(unicodes):
                return {ch for ch in characters if not hb.hb_set_has(unicodes, ord(ch))}
        finally:
            hb.hb_set_destroy(unicodes)
            hb.hb_face_destroy(face)
            hb.hb_blob_destroy(blob)
    from fontTools.ttLib import TTFont

    try:
        have = TTFont(str(font.path), fontNumber=font.index, lazy=True).getBestCmap()
    except Exception as e:  # fontTools raises many kinds on a bad file
        raise FontError(f"cannot read font {font.path}: {e}") from None
    return {ch for ch in characters if ord(ch) not in have}


@lru_cache(maxsize=4096)
def installed_font_covers(ch: str) -> str:
    """The family of an installed font that has ``ch`` ("" when none has)."""
    if shutil.which("fc-list") is None:
        return ""
    found = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"],
                           capture_output=True, text=True, check=False)
    families = sorted(line.split(",")[0] for line in found.stdout.splitlines() if line.strip())
    return families[0] if families else ""


def _installed(family: object) -> str | None:
    try:
        find_font(str(family))
    except FontError:
        return f"{family!r} is not an installed font family (fc-list : family lists them)"
    return None


#: The faces a book is set in, for the EPUB's CSS and the PDF: named first in
#: the theme's stacks for body text and for headings (the theme's faces follow).
BODY_FONT = Option("body_font", str, "", "Body face: an installed font family, named before "
                   "the theme's (default: the theme's, Noto Serif CJK SC).",
                   check=lambda v: _installed(v) if v else None)
HEADING_FONT = Option("heading_font", str, "", "Heading face: an installed font family "
                      "(default: the theme's, Noto Sans CJK SC).",
                      check=lambda v: _installed(v) if v else None)
#: Selectors of the default theme that set body text and headings.
BODY_SELECTORS = "body, blockquote, .halftitle p, .footnote"
HEADING_SELECTORS = ("h1, h2, h3, h4, h5, h6, .speaker, .book-title, .notes-title, .label, "
                     "th, nav.toc li.toc-part")


def font_css(body: str, heading: str, pages: bool = False) -> str:
    """CSS naming the chosen faces before the theme's (\"\" when none is chosen);
    with ``pages``, the running heads (heading face) and folios (body face) too."""
    body_stack = f'{css_string(body)}, "{BODY_FAMILY}", serif' if body else ""
    heading_stack = f'{css_string(heading)}, "{HEADING_FAMILY}", sans-serif' if heading else ""
    rules = [f"{selectors} {{ font-family: {stack}; }}"
             for selectors, stack in ((BODY_SELECTORS, body_stack),
                                      (HEADING_SELECTORS, heading_stack)) if stack]
    if pages:  # running heads in the heading face, folios in the body face
        rules += [f"@page :{side} {{ @{edge}-{side} {{ font-family: {stack}; }} }}"
                  for side in ("left", "right")
                  for edge, stack in (("top", heading_stack), ("bottom", body_stack)) if stack]
    return "\n".join(rules) + ("\n" if rules else "")


@lru_cache(maxsize=32)
def find_font(family: str, bold: bool = False) -> FontFile:
    """The file fontconfig uses for ``family``; an error if it substitutes another family."""
    if shutil.which("fc-match") is None:
        raise FontError("fc-match (fontconfig) is not installed; run scripts/setup.sh")
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
                           capture_output=True, text=True, check=False)
    parts = found.stdout.split("\t")
    if found.returncode != 0 or len(parts) < 3 or family not in parts[2].split(","):
        raise FontError(f"font {family!r} is not installed (install fonts-noto-cjk)")
    return FontFile(family, bold, Path(parts[0]), int(parts[1] or 0))


def subset_font(font: FontFile, characters: str) -> bytes:
    """An OpenType font with the glyphs of ``characters`` (and what their layout needs).

    HarfBuzz's subsetter (libharfbuzz-subset, installed by the set-up) does a
    CJK face in tens of milliseconds; fontTools, the fallback, takes seconds.
    """
    hb = _harfbuzz_subset()
    if hb is not None:
        data = _subset_with_harfbuzz(hb, font, characters)
        if data:
            return data
    return _subset_with_fonttools(font, characters)


@lru_cache(maxsize=1)
def _harfbuzz_subset() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0"
    try:
        hb = ctypes.CDLL(name)
    except OSError:
        return None
    p, u = ctypes.c_void_p, ctypes.c_uint
    signatures = {
        "hb_blob_create_from_file": (p, [ctypes.c_char_p]),
        "hb_face_create": (p, [p, u]),
        "hb_subset_input_create_or_fail": (p, []),
        "hb_subset_input_unicode_set": (p, [p]),
        "hb_set_add": (None, [p, ctypes.c_uint32]),
        "hb_subset_or_fail": (p, [p, p]),
        "hb_face_reference_blob": (p, [p]),
        "hb_blob_get_data": (ctypes.POINTER(ctypes.c_char), [p, ctypes.POINTER(u)]),
        "hb_blob_destroy": (None, [p]),
        "hb_face_destroy": (None, [p]),
        "hb_subset_input_destroy": (None, [p]),
        "hb_set_create": (p, []),
        "hb_set_destroy": (None, [p]),
        "hb_set_has": (ctypes.c_int, [p, ctypes.c_uint32]),
        "hb_set_get_population": (u, [p]),
        "hb_face_collect_unicodes": (None, [p, p]),
    }
    for fn, (restype, argtypes) in signatures.items():
        func = getattr(hb, fn, None)
        if func is None:
            return None
        func.restype, func.argtypes = restype, argtypes
    return hb


def _subset_with_harfbuzz(hb: ctypes.CDLL, font: FontFile, characters: str) -> bytes:
    blob = hb.hb_blob_create_from_file(str(font.path).encode())
    face = hb.hb_face_create(blob, font.index)
    subset_input = hb.hb_subset_input_create_or_fail()
    try:
        unicodes = hb.hb_subset_input_unicode_set(subset_input)
        for ch in set(characters):
            hb.hb_set_add(unicodes, ord(ch))
        result = hb.hb_subset_or_fail(face, subset_input)
        if not result:
            return b""
        out_blob = hb.hb_face_reference_blob(result)
        length = ctypes.c_uint()
        data = ctypes.string_at(hb.hb_blob_get_data(out_blob, ctypes.byref(length)), length.value)
        hb.hb_blob_destroy(out_blob)
        hb.hb_face_destroy(result)
        return data
    finally:
        hb.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _subset_with_fonttools(font: FontFile, characters: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]       # keep vert, halt, locl… for the reading system
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False      # the same bytes for the same book
    options.drop_tables += ["DSIG"]
    try:
        tt = TTFont(str(font.path), fontNumber=font.index, lazy=False)
    except Exception as e:  # fontTools raises many kinds on a bad file
        raise FontError(f"cannot read font {font.path}: {e}") from None
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(ch) for ch in characters})
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()
