"""Find installed fonts (fontconfig) and subset them (HarfBuzz, else fontTools).

``find_font("Noto Serif CJK SC", bold=False)`` returns the file and the
face index inside a collection; ``subset_font`` returns an OpenType font
holding only the characters a book uses.  ``faces(language)`` names the
faces that set a language: Han of a zh-Hant book in Noto's TC faces, of
Japanese in its JP faces (the glyph forms of that language), and
``font_css`` names them for the editions.  Imports nothing from the package
but ``errors``, ``options`` and ``themes``.
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
from .themes import css_string

BODY_FAMILY = "Noto Serif CJK SC"
HEADING_FAMILY = "Noto Sans CJK SC"
MONO_FAMILY = "Noto Sans Mono CJK SC"


@dataclass(frozen=True)
class Faces:
    """The faces that set a language: body (serif), headings (sans), code
    (mono), and CJK emphasis (``em .cjk``: a Kai face, or the sans)."""

    serif: str = BODY_FAMILY
    sans: str = HEADING_FAMILY
    mono: str = MONO_FAMILY
    emphasis: str = "AR PL UKai CN"


#: Noto CJK's faces by the forms they draw (its region code), and the faces
#: a reading system may have instead, for the EPUB's stacks.
_REGIONS = {
    "SC": ("Source Han Serif SC, Songti SC, STSong, SimSun",
           "Source Han Sans SC, PingFang SC, Microsoft YaHei"),
    "TC": ("Source Han Serif TC, Songti TC, PMingLiU",
           "Source Han Sans TC, PingFang TC, Microsoft JhengHei"),
    "HK": ("Source Han Serif HK, Songti TC, MingLiU_HKSCS",
           "Source Han Sans HK, PingFang HK, Microsoft JhengHei"),
    "JP": ("Source Han Serif JP, Hiragino Mincho ProN, Yu Mincho",
           "Source Han Sans JP, Hiragino Sans, Yu Gothic"),
    "KR": ("Source Han Serif KR, AppleMyungjo, Batang",
           "Source Han Sans KR, Apple SD Gothic Neo, Malgun Gothic"),
}


#: The Kai face (楷体) Chinese emphasis is set in, upright, by the forms it
#: draws (AR PL UKai, scripts/setup.sh installs fonts-arphic-ukai; Noto has
#: no Kai), and the Kai faces a reading system may have instead.  Japanese
#: and Korean have no Kai: their emphasis is set in the language's Gothic
#: (sans) face, as Japanese text sets emphasis in ゴシック体 when it does not
#: use emphasis dots.
_KAI = {
    "SC": ("AR PL UKai CN", "Kaiti SC, STKaiti, KaiTi"),
    "TC": ("AR PL UKai TW", "Kaiti TC, BiauKai, DFKai-SB"),
    "HK": ("AR PL UKai HK", "Kaiti TC, BiauKai"),
}
#: The faces of Chinese emphasis, whichever its forms: each falls back to the
#: body face, so a character one lacks is a warning, not a missing glyph.
KAI_FAMILIES = frozenset(family for family, _ in _KAI.values())


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
                 _KAI[region][0] if region in _KAI else sans)


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

    def keys(self) -> Iterator[tuple[str, bool]]:
        yield self.faces.serif, False
        for on, key in ((self.bold, (self.faces.serif, True)), (self.sans, (self.faces.sans, True)),
                        (self.mono, (self.faces.mono, False)),
                        (self.kai, (self.faces.emphasis, False))):
            if on:
                yield key

    def child(self, tag: str, attrs: str) -> _Open:
        lang = _LANG.search(attrs)
        current = faces(lang.group(1)) if lang and cjk_region(lang.group(1)) else self.faces
        bold = self.bold or tag in _BOLD_SERIF_TAGS
        sans = self.sans or tag in _SANS_TAGS or bool(_SANS_CLASS.search(attrs))
        kai = self.kai or (self.em and not (bold or sans) and bool(_CJK_CLASS.search(attrs)))
        return _Open(tag, current, bold, sans, self.mono or tag in _MONO_TAGS,
                     self.em or tag == "em", kai)


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
#: Selectors of the default theme that set body text, headings and code.
BODY_SELECTORS = "body, blockquote, .halftitle p, .footnote"
HEADING_SELECTORS = ("h1, h2, h3, h4, h5, h6, .speaker, .book-title, .notes-title, .label, "
                     "th, nav.toc li.toc-part")
MONO_SELECTORS = "pre, code"


def font_css(body: str, heading: str, pages: bool = False, languages: Iterable[str] = ()) -> str:
    """CSS naming the chosen faces before the theme's (\"\" when none is chosen
    and the book is not in another CJK language than Simplified Chinese);
    with ``pages``, the running heads (heading face) and folios (body face) too.

    ``languages``: the book's language first, then those of its passages in
    other languages.  A book in Traditional Chinese, Japanese or Korean is
    set in the faces of that language; a passage in another CJK language
    than the book's in the faces of its own (``:lang()``), whatever element
    sets it."""
    languages = list(languages) or ["zh-Hans"]
    region = cjk_region(languages[0]) or "SC"
    book = faces(languages[0])
    own = region != "SC"  # the theme names the SC faces
    stacks = [_stack(chosen, family, region, generic) if chosen or own else ""
              for chosen, family, generic in ((body, book.serif, "serif"),
                                              (heading, book.sans, "sans-serif"))]
    mono = _stack("", book.mono, "", "monospace") if own else ""
    rules = [f"{selectors} {{ font-family: {stack}; }}"
             for selectors, stack in ((BODY_SELECTORS, stacks[0]), (HEADING_SELECTORS, stacks[1]),
                                      (MONO_SELECTORS, mono)) if stack]
    if own:
        rules += emphasis_css(languages[0])
    if pages:  # running heads in the heading face, folios in the body face
        rules += [f"@page :{side} {{ @{edge}-{side} {{ font-family: {stack}; }} }}"
                  for side in ("left", "right")
                  for edge, stack in (("top", stacks[1]), ("bottom", stacks[0])) if stack]
    seen = {region}
    for language in dict.fromkeys(languages[1:]):
        if cjk_region(language) and cjk_region(language) not in seen | {""}:
            rules += _passage_css(language)
    return "\n".join(rules) + ("\n" if rules else "")


def _stack(chosen: str, family: str, region: str, generic: str) -> str:
    """A font stack: the chosen face, the language's Noto face, the faces a
    reading system may have instead, the generic family."""
    alternatives = ""
    if region in _REGIONS and region != "SC":  # the theme's stacks name SC's
        alternatives = _REGIONS[region][0 if generic == "serif" else 1]
    names = [chosen] * bool(chosen) + [family] + [n.strip() for n in alternatives.split(",") if n]
    return ", ".join(css_string(name) for name in dict.fromkeys(names)) + f", {generic}"


def _passage_css(language: str) -> list[str]:
    """The faces of a passage in ``language`` (``<span lang="ja">``): each element
    that carries the language, or sets a role's face inside it, takes that
    role's face in this language."""
    found = faces(language)
    region = cjk_region(language)
    tag = re.sub(r"[^A-Za-z0-9-]", "", language)  # a BCP 47 tag is an identifier already
    out = []
    for selectors, family, generic in ((BODY_SELECTORS, found.serif, "serif"),
                                       (HEADING_SELECTORS, found.sans, "sans-serif"),
                                       (MONO_SELECTORS, found.mono, "monospace")):
        names = [s.strip() for s in selectors.split(",")]
        chosen = [f"{name}:lang({tag})" for name in names] + [f"{name} [lang|={tag}]"
                                                             for name in names]
        if generic == "serif":
            chosen.insert(0, f"[lang|={tag}]")
        out.append(f"{', '.join(chosen)} {{ font-family: "
                   f"{_stack('', family, region if generic != 'monospace' else '', generic)}; }}")
    return out + emphasis_css(language, f":lang({tag})")


#: Where emphasis is set in the sans, and where CJK emphasis keeps the bold
#: face around it (``_BOLD_SERIF_TAGS``, ``_SANS_TAGS``, ``_SANS_CLASS``);
#: base.css has the same lists for the SC faces.
_SANS_CONTEXTS = ("h1", "h2", "h3", "h4", "h5", "h6", "th", ".book-title", ".speaker", ".label",
                  ".admonition-title")
_BOLD_CONTEXTS = ("strong", "b", "dt", *_SANS_CONTEXTS)


def emphasis_css(language: str, scope: str = "") -> list[str]:
    """The faces of emphasis in ``language``: Latin text in Noto's italic
    before the language's faces; CJK text (``em .cjk``) in its Kai face (its
    Gothic for Japanese and Korean), the Kai faces a reading system may have,
    its body face; in bold text the bold face around it.  ``scope`` narrows
    the rules to a passage (``:lang(zh-Hant)``)."""
    found = faces(language)
    region = cjk_region(language) or "SC"
    if region in _KAI:
        family, alternatives = _KAI[region]
        names = (family, *alternatives.split(", "), found.serif)
        kai = ", ".join(css_string(name) for name in names) + ", serif"
    else:
        kai = _stack("", found.emphasis, region, "sans-serif")
    sans = ", ".join(f"{context} em{scope}" for context in _SANS_CONTEXTS)
    bold = [f"{context} em .cjk{scope}" for context in _BOLD_CONTEXTS]
    bold += [f"em {tag} .cjk{scope}" for tag in ("strong", "b")]
    return [f"em{scope} {{ font-family: {_stack('Noto Serif', found.serif, region, 'serif')}; }}",
            f"{sans} {{ font-family: {_stack('Noto Sans', found.sans, region, 'sans-serif')}; }}",
            f"em .cjk{scope} {{ font-family: {kai}; }}",
            f"{', '.join(bold)} {{ font-family: inherit; }}"]


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
