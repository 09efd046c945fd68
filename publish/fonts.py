"""Find installed fonts (fontconfig) and subset them (HarfBuzz, else fontTools).

``find_font("Noto Serif CJK SC", bold=False)`` returns the file and the
face index inside a collection; ``subset_font`` returns an OpenType font
holding only the characters a book uses.  ``faces(language)`` names the
faces that set a language: Han of a zh-Hant book in Noto's TC faces, of
Japanese in its JP faces (the glyph forms of that language), its emphasis
in the Kai face of those forms; ``face_characters`` says which characters
each face sets (``fontcss`` names the faces in the editions' CSS).  Imports
nothing from the package but ``errors`` and ``options``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from .errors import FontError
from .options import Option

BODY_FAMILY = "Noto Serif CJK SC"
HEADING_FAMILY = "Noto Sans CJK SC"
MONO_FAMILY = "Noto Sans Mono CJK SC"


@dataclass(frozen=True)
class Faces:
    """The faces that set a language: body (serif), headings (sans), code
    (mono), CJK emphasis (``em .cjk``: a Kai face, or the sans), and block
    quotations (a Kai face for Chinese; "" for the body face)."""

    serif: str = BODY_FAMILY
    sans: str = HEADING_FAMILY
    mono: str = MONO_FAMILY
    emphasis: str = "LXGW WenKai"
    quote: str = ""


#: The Kai face (楷体) Chinese emphasis and block quotations are set in,
#: upright, by the forms it draws: LXGW WenKai for Simplified Chinese (its
#: marks sit low left, as GB/T 15834 has them; AR PL UKai CN centres them and
#: breaks ——), AR PL UKai TW and HK for Traditional (centred marks, as Taiwan
#: and Hong Kong set them); scripts/setup.sh installs fonts-lxgw-wenkai and
#: fonts-arphic-ukai; Noto has no Kai.  Japanese and Korean have none: their
#: emphasis is set in the language's Gothic (sans) face, as Japanese text sets
#: emphasis in ゴシック体 when it does not use emphasis dots, and quotations
#: in the body face.
_KAI = {"SC": "LXGW WenKai", "TC": "AR PL UKai TW", "HK": "AR PL UKai HK"}
#: The Debian package of each, for the warning when one is missing.
KAI_PACKAGES = {"LXGW WenKai": "fonts-lxgw-wenkai", "AR PL UKai TW": "fonts-arphic-ukai",
                "AR PL UKai HK": "fonts-arphic-ukai"}
#: The faces of Chinese emphasis, whichever its forms: each falls back to the
#: body face, so a character one lacks is a warning, not a missing glyph.
KAI_FAMILIES = frozenset(_KAI.values())


def cjk_region(language: str) -> str:
    """The forms a CJK language's Han take, as Noto names its faces: ``"TC"``
    for zh-Hant and zh-TW, ``"HK"`` for zh-HK and Cantonese, ``"JP"``,
    ``"KR"``, ``"SC"`` for any other Chinese; "" for a language that is not CJK."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "ja":
        return "JP"
    if parts[0] == "ko":
        return "KR"
    if parts[0] == "yue" or "hk" in parts[1:]:
        return "HK"
    if parts[0] in ("zh", "lzh", "wuu", "hak", "nan", "gan"):
        return "TC" if {"hant", "tw", "mo"} & set(parts[1:]) else "SC"
    return ""


def faces(language: str) -> Faces:
    """The faces that set ``language``: ``faces("zh-Hant").serif -> 'Noto Serif
    CJK TC'``; a language that is not CJK takes the default (SC) faces."""
    region = cjk_region(language) or "SC"
    sans = f"Noto Sans CJK {region}"
    return Faces(f"Noto Serif CJK {region}", sans, f"Noto Sans Mono CJK {region}",
                 _KAI.get(region, sans), _KAI.get(cjk_region(language), ""))


# Which face sets which text, as the default theme's CSS says (base.css):
# bold serif for strong text, copyright labels and defined terms; bold sans
# for headings, speakers, labels, admonition titles and table heads; mono for
# code; the regular serif for everything (a heading's text also appears in
# the TOC and running heads).
_BOLD_SERIF_TAGS = frozenset({"strong", "b", "dt"})
_SANS_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th"})
_SANS_CLASS = re.compile(r'\bclass="(?:speaker|label|admonition-title)"')
_MONO_TAGS = frozenset({"code", "pre"})
_TOKEN = re.compile(r"<(/?)([A-Za-z][\w:-]*)([^>]*?)(/?)>|<[^>]*>|([^<]+)")
_LANG = re.compile(r'\blang="([^"]*)"')
# CJK text inside emphasis (the renderer's ``<em>…<span class="cjk">``) is set
# in the emphasis face, but in bold text (strong, headings, table heads…),
# which keeps its bold face: the Kai face has no bold.
_CJK_CLASS = re.compile(r'\bclass="cjk"')
# A Chinese block quotation is set in the Kai face (``Faces.quote``), but its
# bold text, its emphasis (the body face, the contrast with Kai), its
# English runs (``lang="en"``), its tables, its full-width marks and the
# footnotes it calls (the print edition's ``<span class="footnote">``);
# ``fontcss`` says the same.
_OUT_OF_KAI = re.compile(r'\blang="en\b|\bclass="footnote"|\bclass="punct"')
# The full-width marks of Kai text (the renderer's ``<span class="punct">``) are
# set in the body face: the Kai faces draw “ ” narrow and have no ``halt``.
_PUNCT_CLASS = re.compile(r'\bclass="punct"')



@dataclass(frozen=True)
class FontFile:
    family: str
    bold: bool
    path: Path
    index: int


def face_characters(bodies: list[str], language: str = "zh-Hans"
                    ) -> dict[tuple[str, bool], set[str]]:
    """The characters each face sets, from XHTML bodies (what follows ``<body``
    in each document: the tag's attributes, then its content) of a book in
    ``language``: {(family, bold): characters}.
    Text inside an element with ``lang`` of a CJK language is set in that
    language's faces; CJK text inside emphasis in its emphasis face too (a
    Kai face: ``KAI_FAMILIES``)."""
    found: dict[tuple[str, bool], set[str]] = {}
    book = faces(language)
    for key in ((book.serif, False), (book.serif, True), (book.sans, True), (book.mono, False)):
        found[key] = set()
    for body in bodies:
        _collect(body, book, found)
    return {key: {c for c in chars if not c.isspace()} for key, chars in found.items()}


@dataclass(frozen=True)
class _Open:
    """An open element, for ``_collect``: its tag, the faces of its language,
    and which faces its text is set in besides the regular serif."""

    tag: str
    faces: Faces
    bold: bool = False       # bold serif
    sans: bool = False       # bold sans
    mono: bool = False
    em: bool = False         # inside <em>
    kai: bool = False        # CJK emphasis, in the emphasis face
    quote: bool = False      # in a Chinese block quotation, in its Kai face

    def keys(self) -> Iterator[tuple[str, bool]]:
        yield self.faces.serif, False
        quote = self.quote and not (self.bold or self.sans or self.mono or self.kai)
        for on, key in ((self.bold, (self.faces.serif, True)), (self.sans, (self.faces.sans, True)),
                        (self.mono, (self.faces.mono, False)),
                        (self.kai and not self.quote, (self.faces.emphasis, False)),
                        (quote, (self.faces.quote, False))):
            if on:
                yield key

    def child(self, tag: str, attrs: str) -> _Open:
        lang = _LANG.search(attrs)
        current = faces(lang.group(1)) if lang and cjk_region(lang.group(1)) else self.faces
        bold = self.bold or tag in _BOLD_SERIF_TAGS
        sans = self.sans or tag in _SANS_TAGS or bool(_SANS_CLASS.search(attrs))
        kai = (self.kai or (self.em and not (bold or sans) and bool(_CJK_CLASS.search(attrs)))
               ) and not _PUNCT_CLASS.search(attrs)
        quote = ((self.quote or tag == "blockquote") and bool(current.quote)
                 and tag != "table" and not _OUT_OF_KAI.search(attrs))
        return _Open(tag, current, bold, sans, self.mono or tag in _MONO_TAGS,
                     self.em or tag == "em", kai, quote)


def _collect(body: str, book: Faces, found: dict[tuple[str, bool], set[str]]) -> None:
    """Add the characters of ``body`` to the faces that set them (``face_characters``)."""
    stack = [_Open("", book)]
    for token in _TOKEN.finditer(body, body.find(">") + 1):
        closing, tag, attrs, empty, content = token.groups()
        if content is not None:
            chars = set(unescape(content))
            for key in stack[-1].keys():
                found.setdefault(key, set()).update(chars)
        elif tag is None or empty:
            continue
        elif closing:
            while len(stack) > 1 and stack.pop().tag != tag.lower():
                pass
        else:
            stack.append(stack[-1].child(tag.lower(), attrs))


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


def advance_widths(font: FontFile, characters: Iterable[str]) -> dict[str, float]:
    """How far each character moves the pen, in em, in the face (its nominal
    glyph, no shaping); a character the face lacks is left out.  Without
    HarfBuzz, none: the caller estimates."""
    hb = _harfbuzz_subset()
    if hb is None:
        return {}
    blob = hb.hb_blob_create_from_file(str(font.path).encode())
    face = hb.hb_face_create(blob, font.index)
    hb_font = hb.hb_font_create(face)
    try:
        upem = hb.hb_face_get_upem(face) or 1000
        glyph, out = ctypes.c_uint32(), {}
        for ch in set(characters):
            if hb.hb_font_get_nominal_glyph(hb_font, ord(ch), ctypes.byref(glyph)):
                out[ch] = hb.hb_font_get_glyph_h_advance(hb_font, glyph.value) / upem
        return out
    finally:
        hb.hb_font_destroy(hb_font)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


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
                   "the theme's (default: the theme's, Noto Serif CJK SC; TC, JP… for a book "
                   "in Traditional Chinese, Japanese…).",
                   check=lambda v: _installed(v) if v else None)
HEADING_FONT = Option("heading_font", str, "", "Heading face: an installed font family "
                      "(default: the theme's, Noto Sans CJK SC; TC, JP… likewise).",
                      check=lambda v: _installed(v) if v else None)
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
        "hb_face_get_upem": (u, [p]),
        "hb_font_create": (p, [p]),
        "hb_font_destroy": (None, [p]),
        "hb_font_get_nominal_glyph": (ctypes.c_int, [p, ctypes.c_uint32,
                                                     ctypes.POINTER(ctypes.c_uint32)]),
        "hb_font_get_glyph_h_advance": (ctypes.c_int32, [p, ctypes.c_uint32]),
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
