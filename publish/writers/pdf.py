"""Write the print edition: ``dist/<slug>.pdf`` with WeasyPrint (pinned 70.0).

The book is rendered as one XHTML document (``xhtml``, footnotes at the
foot of the page, punctuation pairs compressed) styled by the theme's
base.css and print.css plus a page geometry computed here: the trim size,
and a text block that is a whole number of body characters wide and a whole
number of lines high, the margins taking what is left (inner smaller than
outer, top smaller than bottom).  WeasyPrint's justification is extended to
CJK text (``justify``); every character is checked against the fonts that
will set it before anything is laid out (the tofu gate); WeasyPrint may
fetch nothing but files inside the manuscript and the theme; PDF page labels
(i, ii … 1, 2) are added in the same pass.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from .. import model as m
from .. import overflow
from ..errors import PrintError
from ..files import atomic_write, build_time
from ..fonts import (
    BODY_FONT,
    HEADING_FONT,
    face_characters,
    find_font,
    font_css,
    installed_font_covers,
    missing_characters,
)
from ..inputs import InputError, check_input
from ..log import LOGGER, PROGRESS
from ..options import Option
from ..themes import load_theme, theme_dir
from ..typography import is_han
from ..xhtml import CHAPTER_LABEL, Renderer, attr, chapter_label_for, text

NAME = "pdf"
SUFFIX = ".pdf"

MM = 72 / 25.4
#: Trim sizes (width, height in mm).
TRIMS = {
    "a5": (148.0, 210.0),
    "32k": (130.0, 184.0),        # 32开
    "da32k": (140.0, 203.0),      # 大32开
    "16k": (185.0, 260.0),        # 16开
    "6x9in": (152.4, 228.6),
    "5.5x8.5in": (139.7, 215.9),
}
_TRIM_ALIASES = {"32开": "32k", "大32开": "da32k", "16开": "16k", "6x9": "6x9in",
                 "5.5x8.5": "5.5x8.5in"}
BODY_SIZE = 10.5          # pt, 五号
LINE_HEIGHT = 1.7
_MIN_MARGINS = {"inner": 15.0, "outer": 15.0, "top": 18.0, "bottom": 20.0}  # mm



def _problem(check, value: object) -> str | None:
    """What ``check(value)`` raises, as an option's problem."""
    try:
        check(str(value))
    except PrintError as e:
        return e.message
    return None


#: The options this writer reads (see publish.options): the command line's
#: flags and book.toml's [edition] keys come from here.
TRIM = Option("trim", str, "a5", "Trim size: a5, 32k, da32k, 16k, 6x9in, 5.5x8.5in, or WxH mm.",
              check=lambda v: _problem(parse_trim, v))
BLEED = Option("bleed", str, "", "Bleed around the trim, e.g. 3mm (at most 25 mm).",
               check=lambda v: _problem(parse_bleed, v) if v else None)
MARKS = Option("marks", bool, False, "Crop and cross marks.")
PROFILE = Option("profile", str, "print", "print, or screen: coloured links, no bleed or marks.",
                 choices=("print", "screen"))
FONT_SIZE = Option("font_size", float, BODY_SIZE, "Body type size in pt (the text block is "
                   "a whole number of characters of it): 10.5 is 五号.",
                   minimum=6, maximum=24)
ALLOW_MISSING_GLYPHS = Option("allow_missing_glyphs", bool, False,
                              "A character no font has is a warning, not an error.")
OPTIONS = (TRIM, BLEED, MARKS, PROFILE, FONT_SIZE, BODY_FONT, HEADING_FONT, CHAPTER_LABEL,
           ALLOW_MISSING_GLYPHS)


# --- page geometry ------------------------------------------------------------------


def parse_trim(value: str) -> tuple[float, float]:
    """A trim size in mm from a preset name or ``WxH mm`` / ``WxH in``.

    >>> parse_trim("a5"), parse_trim("130x184mm"), parse_trim("6 x 9 in")
    ((148.0, 210.0), (130.0, 184.0), (152.4, 228.6))
    """
    key = value.strip().lower().replace(" ", "")
    key = _TRIM_ALIASES.get(key, key)
    if key in TRIMS:
        return TRIMS[key]
    found = re.fullmatch(r"(\d+(?:\.\d+)?)[x×*](\d+(?:\.\d+)?)(mm|cm|in)?", key)
    if not found:
        raise PrintError(f"unknown trim size {value!r} (presets: {', '.join(TRIMS)}; "
                         "or WxH mm, e.g. 130x184mm)")
    factor = {"mm": 1.0, "cm": 10.0, "in": 25.4, None: 1.0}[found.group(3)]
    width, height = float(found.group(1)) * factor, float(found.group(2)) * factor
    if not (70 <= width <= 400 and 100 <= height <= 500):
        raise PrintError(f"trim size {value!r} is outside 70x100 mm to 400x500 mm")
    return round(width, 2), round(height, 2)


@dataclass(frozen=True)
class Geometry:
    """A page: trim size and a text block of ``chars`` × ``lines`` (版心)."""

    width: float        # mm
    height: float       # mm
    font_size: float    # pt
    line_height: float  # ratio
    chars: int
    lines: int
    inner: float        # pt
    outer: float
    top: float
    bottom: float

    @property
    def measure(self) -> float:
        """The width of the text block, pt."""
        return self.chars * self.font_size

    @property
    def block_height(self) -> float:
        return self.lines * self.font_size * self.line_height


MAX_BLEED_MM = 25
_MM_PER = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def parse_bleed(value: str) -> str:
    """A bleed as CSS takes it: ``parse_bleed("3mm") -> '3mm'``; at most 25 mm."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*(mm|pt|in|cm)", value.strip()):
        raise PrintError(f"bleed {value!r}: give a length such as 3mm")
    if _millimetres(value) > MAX_BLEED_MM:
        raise PrintError(f"bleed {value!r} is more than {MAX_BLEED_MM} mm (printers ask for "
                         "3 to 5 mm)")
    return value.strip()


def _millimetres(length: str) -> float:
    """``_millimetres("0.125in") -> 3.175``"""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|pt|in|cm)", length.strip())
    return float(found.group(1)) * _MM_PER[found.group(2)] if found else 0.0


def page_geometry(trim: tuple[float, float], font_size: float = BODY_SIZE,
                  line_height: float = LINE_HEIGHT) -> Geometry:
    """The text block and margins for a trim size: whole characters, whole lines."""
    width, height = trim
    w_pt, h_pt = width * MM, height * MM
    pitch = font_size * line_height
    chars = int((w_pt - (_MIN_MARGINS["inner"] + _MIN_MARGINS["outer"]) * MM) // font_size)
    lines = int((h_pt - (_MIN_MARGINS["top"] + _MIN_MARGINS["bottom"]) * MM) // pitch)
    spare_w = w_pt - chars * font_size
    spare_h = h_pt - lines * pitch
    inner = spare_w * 0.45
    top = spare_h * 0.45
    return Geometry(width, height, font_size, line_height, chars, lines,
                    inner, spare_w - inner, top, spare_h - top)


def geometry_css(g: Geometry, title: str, bleed: str, marks: bool, screen: bool) -> str:
    """The @page rules that depend on the trim size and the book."""
    extra = ""
    if bleed and not screen:
        extra += f" bleed: {bleed};"
    if marks and not screen:
        extra += " marks: crop cross;"
    css = [
        f"@page {{ size: {g.width}mm {g.height}mm;{extra} }}",
        f"@page :left {{ margin: {g.top:.3f}pt {g.inner:.3f}pt {g.bottom:.3f}pt {g.outer:.3f}pt; }}",
        f"@page :right {{ margin: {g.top:.3f}pt {g.outer:.3f}pt {g.bottom:.3f}pt {g.inner:.3f}pt; }}",
        f'@page chapter:left, mainmatter:left {{ @top-left {{ content: "{_css_string(title)}"; }} }}',
        "@page chapter:nth(1 of chapter), mainmatter:nth(1 of mainmatter) "
        "{ @top-left { content: none; } }",
        f"html {{ font-size: {g.font_size}pt; }}",
        f"body {{ line-height: {g.line_height}; }}",
    ]
    if screen:
        css.append("a { color: #1d4f91; }")
    return "\n".join(css) + "\n"


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


# --- the document ---------------------------------------------------------------------


def document(book: m.Book, options: m.BuildOptions) -> str:
    """The whole book as one XHTML document for WeasyPrint."""
    meta = book.meta
    r = Renderer(book, href=lambda target: f"#{target}", image_href=_image_url,
                 footnotes=True, chapter_unit=str(CHAPTER_LABEL.of(options)))
    authors = ", ".join(c.name for c in meta.contributors)
    when = build_time(book.manuscript or book.root, meta.date).isoformat().replace("+00:00", "Z")
    head = [f"<title>{text(meta.title)}</title>",
            f'<meta name="author" content="{attr(authors)}"/>' if authors else "",
            f'<meta name="description" content="{attr(meta.description)}"/>'
            if meta.description else "",
            '<meta name="generator" content="publish"/>',
            f'<meta name="dcterms.created" content="{when}"/>',
            f'<meta name="dcterms.modified" content="{when}"/>']
    has_parts = any(isinstance(item, m.Part) for item in book.body)
    body = [f'<section class="halftitle"><p>{text(meta.title)}</p></section>\n',
            r.title_page(), r.copyright_page(options.version_label), r.toc()]
    if book.front is not None:
        body.append(r.front(book.front))
    first = True
    for item in book.body:
        chapters = item.chapters if isinstance(item, m.Part) else (item,)
        if isinstance(item, m.Part):
            body.append(_mark_first(r.part(item), first))
            first = False
        for chapter in chapters:
            label = chapter_label_for(chapter, str(CHAPTER_LABEL.of(options)))
            body.append(_mark_first(r.chapter(chapter, label), first))
            first = False
    lang = attr(meta.language)
    return (f'<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}">\n'
            f'<head><meta charset="utf-8"/>{"".join(head)}</head>\n'
            f'<body class="{"has-parts" if has_parts else ""}">\n{"".join(body)}</body>\n</html>\n')


def _mark_first(html: str, first: bool) -> str:
    """Put ``mainmatter-start`` (page counter reset to 1) on the first body item."""
    return html.replace('class="', 'class="mainmatter-start ', 1) if first else html


# --- the tofu gate -------------------------------------------------------------------


def check_glyphs(book: m.Book, html: str, allow_missing: bool) -> None:
    """The tofu gate: every character must have a glyph before anything is laid out.

    A Han character must be in the SC face that sets it (a fallback font would
    set another style or a Japanese form); any other character may come from
    another installed font (Tamil, a rare symbol), as fontconfig would pick it.
    """
    body = html.split("<body", 1)[1]
    missing: dict[str, list[str]] = {}
    for (family, bold), chars in face_characters([body]).items():
        for ch in sorted(missing_characters(find_font(family, bold), chars)):
            if _invisible(ch):
                continue
            if not is_han(ch) and installed_font_covers(ch):
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
    if not allow_missing:
        raise PrintError(message + " (--allow-missing-glyphs prints them as boxes)")
    LOGGER.warning("%s", message)


def _invisible(ch: str) -> bool:
    """Format characters, combining marks and variation selectors need no glyph of their own."""
    return (unicodedata.category(ch) in ("Cf", "Mn", "Me", "Zs", "Cc")
            or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF)


def _describe(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X})"


def _where(book: m.Book, ch: str) -> str:
    """' in ch03 “title”, file.md:12' for the first place ``ch`` appears."""
    chapter = next((c for c in ((book.front,) if book.front else ()) + book.chapters
                    if ch in m.blocks_text(tuple(m.container_blocks(c)))
                    or ch in m.plain_text(c.title)), None)
    where = f" in {chapter.id} “{m.plain_text(chapter.title)}”" if chapter else ""
    for source in book.sources:
        pos = source.text.find(ch)
        if pos >= 0:
            return f"{where}, {source.path}:{source.text.count(chr(10), 0, pos) + 1}"
    return where


# --- WeasyPrint -----------------------------------------------------------------------


def _fetcher(root: Path, theme_files: frozenset[Path], refused: list[str],
             images: _PrintImages | None = None):
    """A WeasyPrint URL fetcher that reads the theme's files (those
    ``themes.load_theme`` checked) and files of the manuscript that pass the
    input gate (regular, inside, under the size limit), and refuses the rest;
    manuscript images come through ``images`` (SVGs rewritten, rasters
    resampled for print)."""
    from weasyprint.urls import URLFetcher

    def readable(path: Path) -> bool:
        if path in theme_files:
            return True
        try:
            check_input(path, [root], "file", "image")
        except InputError:
            return False
        return True

    class ContainedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if readable(path):
                    served = images.serve(path, url) if images is not None else None
                    if served is not None:
                        return served
                    return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"publish does not fetch {url[:80]}")

    return ContainedFetcher()


# --- images --------------------------------------------------------------------------


def _image_url(src: str) -> str:
    """The URL of a manuscript image (a path relative to the root, as the model
    holds it) in the print document: percent-encoded, so ``my pic.png`` or
    ``a#1.png`` is that file."""
    return quote(src, safe="/")


class _PrintImages:
    """The manuscript's images as WeasyPrint gets them: an SVG rewritten
    (``images.clean_svg``: nothing remote, no scripts, bounded), a raster
    image resampled to 300 dpi at its placed size (150 for the screen) and in
    a mode WeasyPrint draws (``images.print_copy``), the copies in a
    temporary directory, never in the manuscript.  While the PDF is made,
    WeasyPrint's log is watched: an image it fails on is an error of the
    build (``check``), not a log line."""

    def __init__(self, root: Path, max_width: float, dpi: int):
        import tempfile

        self.root = root
        self.max_width = max_width
        self.dpi = dpi
        self.copies: dict[Path, Path | None] = {}
        self.temp = tempfile.TemporaryDirectory(prefix="publish-images-")
        self.failures: list[tuple[str, str]] = []
        self.logger = logging.getLogger("weasyprint")
        self.handler = _FailureHandler(self.failures)
        self.logger.addHandler(self.handler)

    def serve(self, path: Path, url: str):
        """The response for a manuscript image, or None to read the file as it is."""
        from weasyprint.urls import URLFetcherResponse

        from ..images import SVG, ImageProblem, clean_svg, media_type, print_copy

        if not path.is_relative_to(self.root):
            return None
        kind = media_type(path)
        if kind == SVG:
            try:
                data = clean_svg(path, [self.root], lambda real, _: real.as_uri()).data
            except ImageProblem as e:
                raise PrintError(f"image {self._name(path)!r}: {e}", path) from None
            return URLFetcherResponse(url, data, {"Content-Type": SVG})
        if kind is None:
            return None
        if path not in self.copies:
            self.copies[path] = print_copy(path, self.max_width, self.dpi, Path(self.temp.name))
        copy = self.copies[path]
        if copy is None:
            return None
        # A file URL: WeasyPrint reads the copy again when it writes the PDF
        # instead of keeping its bytes.
        kind = "image/jpeg" if copy.suffix == ".jpg" else "image/png"
        return URLFetcherResponse(copy.as_uri(), copy.open("rb"), {"Content-Type": kind})

    def _name(self, path: Path) -> str:
        inside = path.is_relative_to(self.root)
        return path.relative_to(self.root).as_posix() if inside else str(path)

    def check(self) -> None:
        """Stop watching the log and remove the copies; an image WeasyPrint
        failed on is a ``PrintError`` naming it."""
        self.logger.removeHandler(self.handler)
        self.temp.cleanup()
        for url, message in self.failures:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)) if parsed.scheme == "file" else None
            if url and (path is None or not path.is_relative_to(self.root)):
                continue  # a theme's URL the fetcher refused: a warning of its own
            if not url:
                raise PrintError(f"an image could not be drawn in the PDF ({message})")
            name = self._name(path) if path is not None else url[:80]
            raise PrintError(f"image {name!r} could not be drawn in the PDF ({message})",
                             path if path is not None else None)


class _FailureHandler(logging.Handler):
    """Keeps WeasyPrint's complaints about images: (URL, message)."""

    def __init__(self, failures: list[tuple[str, str]]):
        super().__init__(logging.WARNING)
        self.failures = failures

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "image" in message.lower() and (record.levelno >= logging.ERROR
                                           or "image mode" in message):
            url = next((a for a in record.args or () if isinstance(a, str) and ":" in a), "")
            self.failures.append((url, message))


def _finisher(front_pages: int, identifier: bytes):
    """A WeasyPrint finisher: /PageLabels (roman for the front matter, then 1,
    2…) and the file identifier /ID."""
    import pydyf

    def finisher(document, pdf) -> None:
        nums = pydyf.Array()
        if front_pages:
            nums.extend([0, pydyf.Dictionary({"S": "/r"})])
        nums.extend([front_pages, pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
        _write_identifier(pdf, identifier)
    return finisher


def _write_identifier(pdf, identifier: bytes) -> None:
    """Give the PDF the /ID [identifier, MD5 of the file] once it is written.

    pydyf computes that MD5 by serialising and compressing every object a
    second time (0.6 s of 7 on a 117-page book); the MD5 of the bytes it
    has just written is the same kind of fingerprint at no cost.  The /ID
    goes into the cross-reference stream's dictionary, the file's last
    object, so no offset moves.
    """
    import pydyf

    write = pdf.write

    def write_with_identifier(output, version, _identifier, compress):
        write(output, version, False, compress)
        data = output.getvalue()
        xref = data.rfind(b"<</Type /XRef") + len(b"<<")
        digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode()
        entry = (b"/ID [" + pydyf.String(identifier).data + b" "
                 + pydyf.String(digest).data + b"]")
        output.seek(xref)
        output.truncate()
        output.write(entry + data[xref:])

    pdf.write = write_with_identifier


def write(book: m.Book, out_dir: Path, options: m.BuildOptions) -> Path:
    """Write the PDF of ``book`` into ``out_dir`` and return its path."""
    from .. import fontdata, justify, speedups
    justify.check()     # the WeasyPrint version both rely on
    speedups.install()  # before justify, whose draw wrapper calls its line drawing
    justify.install()
    fontdata.install()
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    theme = options.theme_dir or theme_dir("default")
    screen = PROFILE.of(options) == "screen"
    trim = parse_trim(str(TRIM.of(options)))
    geometry = page_geometry(trim, float(FONT_SIZE.of(options)))
    bleed = parse_bleed(str(BLEED.of(options))) if BLEED.of(options) else ""
    marks = bool(MARKS.of(options))
    html = document(book, options)
    check_glyphs(book, html, bool(ALLOW_MISSING_GLYPHS.of(options)))

    root = Path(book.root or ".").resolve()
    refused: list[str] = []
    images = _PrintImages(root, geometry.measure, 150 if screen else 300)
    loaded = load_theme(theme, ("base.css", "print.css"))  # checks what they import and name
    fetcher = _fetcher(root, loaded.paths, refused, images)
    counters = CounterStyle()  # @counter-style rules are shared through this object
    css = loaded.css
    stylesheets = [CSS(string=css[name], url_fetcher=fetcher,
                       base_url=(theme / name).as_uri(), counter_style=counters)
                   for name in ("base.css", "print.css") if name in css]
    if (faces := font_css(str(BODY_FONT.of(options)), str(HEADING_FONT.of(options)), True)):
        stylesheets.append(CSS(string=faces, counter_style=counters))
    stylesheets.append(CSS(string=geometry_css(geometry, book.meta.title, bleed, marks, screen),
                           counter_style=counters))
    PROGRESS.info("Laying out pages (%s, %d×%d text block)",
                  f"{trim[0]:g}×{trim[1]:g} mm", geometry.chars, geometry.lines)
    rendered = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=stylesheets, counter_style=counters)
    for url in refused:
        LOGGER.warning("%s: not fetched (outside the manuscript and theme)", url[:120])
    overflow.check(book, rendered)  # what would be cut off past the text block: warnings
    front_pages = _first_page_of(rendered, _first_body_id(book))
    identifier = book.meta.identifier.encode()[:32] or book.meta.slug.encode()
    data = rendered.write_pdf(finisher=_finisher(front_pages, identifier))
    images.check()
    PROGRESS.info("%d pages (%d front matter)", len(rendered.pages), front_pages)
    return atomic_write(out_dir / options.file_name(book.meta.slug, SUFFIX), data)


def _first_body_id(book: m.Book) -> str | None:
    return book.body[0].id if book.body else None


def _first_page_of(rendered, anchor: str | None) -> int:
    """The index of the page holding ``anchor`` (0 when there is none)."""
    if anchor is None:
        return 0
    for index, page in enumerate(rendered.pages):
        if anchor in page.anchors:
            return index
    return 0
