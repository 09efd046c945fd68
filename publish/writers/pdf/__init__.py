"""Write the print edition: ``dist/<slug>.pdf`` with WeasyPrint (pinned 70.0).

The book is rendered as one XHTML document (``document``: the shared
``xhtml`` renderer with footnotes at the foot of the page) styled by the
theme's base.css and print.css, then style.css beside the manuscript, plus
a page geometry computed here: the trim size, and a text block that is a
whole number of body characters wide and a whole number of lines high, the
margins taking what is left (inner smaller than outer, top smaller than
bottom).  The body size and the margins are those the style sheets set
(``cascade``), the size of ``--font-size`` or book.toml's ``font_size``
outranking them, so the generated CSS restates the author's values rather
than overriding them.  WeasyPrint's justification is
extended to CJK text, punctuation pairs compressed (``weasy.justify``);
every character is checked against the fonts that will set it before
anything is laid out (the tofu gate); WeasyPrint may fetch nothing but files
inside the manuscript and the theme; PDF page labels (i, ii … 1, 2) are
added in the same pass.  Where each page starts in the book (``pagemap``)
is left in the output's cache folder (``publish.pagemap``), for the EPUB's
page list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ... import model as m
from ...errors import PrintError
from ...files import atomic_write
from ...fontcss import font_css
from ...fonts import BODY_FONT, HEADING_FONT
from ...labels import labels
from ...languages import book_languages
from ...log import LOGGER, PROGRESS, plural
from ...pagemap import write_page_map
from ...themes import BOOK_STYLE, Theme, book_style, load_theme, theme_dir
from ...xhtml import attr
from ..declarations.pdf import (
    ALLOW_MISSING_GLYPHS,
    BLEED,
    CHAPTERS,
    FONT_SIZE,
    JOBS,
    MARKS,
    OPTIONS,
    PROFILE,
    TRIM,
    WEASYPRINT_EXTENSIONS,
)
from . import assembly, overflow, parallel, press, weasy
from .cascade import page_style
from .codefit import CodeMeasure
from .document import document, document_parts, label_css
from .fetch import _fetcher, _PrintImages
from .geometry import (
    BODY_SIZE,
    MM,
    TRIMS,
    Geometry,
    geometry_css,
    page_geometry,
    parse_bleed,
    parse_trim,
)
from .glyphs import check_glyphs
from .pagemap import page_map
from .weasy import justify

__all__ = ["MM", "OPTIONS", "SUFFIX", "TRIMS", "Geometry", "PrintError", "check_glyphs",
           "document", "page_geometry", "parse_trim", "write"]

NAME = "pdf"
SUFFIX = ".pdf"
#: The options this writer reads (see publish.options) are declared apart, in
#: ``declarations.pdf``: every command knows them without importing WeasyPrint.



def _finisher(front_pages: int, identifier: bytes, job: press.Job):
    """A WeasyPrint finisher: /PageLabels (roman for the front matter, then 1,
    2…), the file identifier /ID, and a page laid out across the trim (a
    broadside table, print.css's ``@page broadside``) turned a quarter
    counter-clockwise (/Rotate 270, CSS's ``page-orientation: rotate-left``,
    which WeasyPrint 70 lacks): its top at the left of the upright page, as a
    book sets a wide table."""
    import pydyf

    def finisher(document, pdf) -> None:
        assembly.turn_broadsides(document, pdf)
        nums = pydyf.Array()
        if front_pages:
            nums.extend([0, pydyf.Dictionary({"S": "/r"})])
        nums.extend([front_pages, pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
        press.finish(pdf, job, identifier)  # the bleed box; X-4's XMP made reproducible
        _write_identifier(pdf, identifier)
    return finisher


def _write_identifier(pdf, identifier: bytes) -> None:
    """Give the PDF the /ID [identifier, MD5 of the file] once it is written.

    pydyf computes that MD5 by serialising and compressing every object a
    second time (0.6 s of 7 on a 117-page book); the MD5 of the bytes it
    has just written is the same kind of fingerprint at no cost.  The /ID
    goes into the cross-reference stream's dictionary, the file's last
    object (or a PDF 1.4 file's trailer, after its cross-reference table),
    so no offset moves.
    """
    import pydyf

    write = pdf.write

    def write_with_identifier(output, version, _identifier, compress):
        write(output, version, False, compress)
        data = output.getvalue()
        xref = data.rfind(b"<</Type /XRef")
        if xref < 0:  # PDF 1.4 (PDF/X-1a, X-3): a cross-reference table and a trailer
            xref = data.index(b"<<", data.rindex(b"trailer"))
        xref += len(b"<<")
        digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode()
        entry = (b"/ID [" + pydyf.String(identifier).data + b" "
                 + pydyf.String(digest).data + b"]")
        output.seek(xref)
        output.truncate()
        output.write(entry + data[xref:])

    pdf.write = write_with_identifier


def write(book: m.Book, out_dir: Path, options: m.BuildOptions) -> Path:
    """Write the PDF of ``book`` into ``out_dir`` and return its path."""
    if WEASYPRINT_EXTENSIONS.of(options):
        weasy.install()
    elif not weasy.installed():
        LOGGER.warning("the PDF is built without publish's WeasyPrint extensions: Chinese "
                       "lines are left ragged, a note may leave its call's page and fonts "
                       "are copied whole")
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    trim = parse_trim(str(TRIM.of(options)))
    bleed = parse_bleed(str(BLEED.of(options))) if BLEED.of(options) else ""
    job = press.job(str(PROFILE.of(options)), bleed, bool(MARKS.of(options)),
                    str(press.PDFX.of(options)), str(press.PAPER_KIND.of(options)))
    press.check_trim(job, str(TRIM.of(options)), trim)
    screen = job.profile.screen
    root = Path(book.root or ".").resolve()
    # The theme, then style.css; the body size and margins they set, under the option's size.
    sheets = _cascade(options.theme_dir or theme_dir("default"), book.root)
    given = FONT_SIZE.of(options)
    style = page_style(sheets, None if given is None else float(given), BODY_SIZE, trim)
    geometry = page_geometry(trim, style.body, margins=style.margins)
    refused: list[str] = []
    images = _PrintImages(root, geometry.measure, 150 if screen else 300, press.converter(job))
    fetcher = _fetcher(root, frozenset().union(*(theme.paths for theme, _ in sheets)),
                       refused, images)
    stylesheets, counters = _stylesheets(sheets, fetcher, options, book)
    stylesheets.append(_css(geometry_css(geometry, book.meta.title, job.page_bleed,
                                         False, screen, style.rules()),  # press draws marks
                            counters))
    rendering = press.render_options(job)

    # One font configuration for every document of the build: each new one loads
    # Fontconfig's configuration and a Pango font map anew (a unit's 80 ms, 20 MB).
    fonts = FontConfiguration()

    def render(source: str, sheets=stylesheets):
        return HTML(string=source, base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, counter_style=counters, font_config=fonts, **rendering)

    try:
        # A code box's measure in columns is laid out with these style sheets (codefit).
        # Tables are fitted to the text block (tables.fit).
        parts = document_parts(book, options,
                               CodeMeasure(render, attr(book.meta.language)).columns,
                               geometry.chars, geometry)
        html = parts.whole()
        check_glyphs(book, html, bool(ALLOW_MISSING_GLYPHS.of(options)))
    except BaseException:
        images.close()
        raise
    PROGRESS.info("Laying out pages (%s, %d×%d text block, %s pt)",
                  f"{trim[0]:g}×{trim[1]:g} mm", geometry.chars, geometry.lines,
                  f"{geometry.font_size:g}")
    identifier = book.meta.identifier.encode()[:32] or book.meta.slug.encode()
    written = {"pdf_variant": job.variant or None, **press.write_options(job)}
    name = options.file_name(book.meta.slug, SUFFIX)
    jobs = int(JOBS.of(options) or parallel.cores())

    def setup() -> assembly.Setup:
        return assembly.Setup(book, out_dir, render, stylesheets, lambda text: _css(text, counters),
                              job, written, identifier, images, refused, trim,
                              assembly.settings(stylesheets, sheets, options, job),
                              options.cache)
    if CHAPTERS.of(options):
        spec = str(CHAPTERS.of(options))
        proof = options.file_name(f"{book.meta.slug}-proof-{assembly.safe(spec)}", SUFFIX)
        return atomic_write(out_dir / proof, assembly.write_proof(
            setup(), parts, spec, jobs, name))
    if JOBS.of(options) != 1 and len(parts.body) > 1 and weasy.installed():
        return atomic_write(out_dir / name, assembly.write_units(setup(), parts, jobs, name))
    rendered = render(html)
    _report(book, rendered, refused)
    front_pages = _first_page_of(rendered, _first_body_id(book))
    blank = lambda: render("<html><body></body></html>", [_css(press.blank_page_css(  # noqa: E731
        geometry.width, geometry.height, job), counters)]).pages[0]
    if added := press.pad(rendered, job, blank):
        PROGRESS.info("%s added to fill a %d-page signature", plural(added, "blank page"),
                      job.profile.signature)
    press.check_pages(job, len(rendered.pages), trim)
    data = rendered.write_pdf(finisher=_finisher(front_pages, identifier, job), **written)
    images.check()
    PROGRESS.info("%s (%d front matter)", plural(len(rendered.pages), "page"), front_pages)
    # Where each page starts, for the EPUB's page list (publish.pagemap).
    write_page_map(out_dir, page_map(book, rendered.pages, front_pages, name))
    return atomic_write(out_dir / name, data)


def _report(book: m.Book, rendered, refused: list[str]) -> None:
    """What the laid-out book tells the author: resources not fetched, what
    passes the text block (warnings), the lines left short."""
    for url in refused:
        LOGGER.warning("%s: not fetched (outside the manuscript and theme)", url[:120])
    overflow.check(book, rendered)  # what would be cut off past the text block: warnings
    if justify.installed() and (short := justify.short_lines(rendered.pages)):
        PROGRESS.info("%s left short: spacing the characters out would have passed "
                      "a quarter em", plural(short, "line"))


def _cascade(theme: Path, manuscript_root: Path | None) -> list[tuple[Theme, str]]:
    """The style sheets of the print edition in cascade order, each read and
    checked with what it imports and names: the theme's base.css and
    print.css, then style.css beside the manuscript."""
    loaded = load_theme(theme, ("base.css", "print.css"))
    sheets = [(loaded, name) for name in ("base.css", "print.css") if name in loaded.css]
    if (style := book_style(manuscript_root)) is not None:
        sheets.append((style, BOOK_STYLE))
    return sheets


def _stylesheets(sheets: list[tuple[Theme, str]], fetcher, options: m.BuildOptions,
                 book: m.Book):
    """WeasyPrint's style sheets: the book's labels that CSS sets (first, so
    a theme may word them otherwise), ``sheets``, then the faces of the
    book's languages and those book.toml chooses; and the counter styles
    they share."""
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle()  # @counter-style rules are shared through this object
    stylesheets = [_css(label_css(labels(book.meta.language, book.meta.labels)), counters)]
    stylesheets += [_css(theme.css[name], counters, fetcher, (theme.folder / name).absolute())
                    for theme, name in sheets]
    if (faces := font_css(str(BODY_FONT.of(options)), str(HEADING_FONT.of(options)), True,
                          book_languages(book))):
        stylesheets.append(_css(faces, counters))
    return stylesheets, counters


def _css(text: str, counters, fetcher=None, path: Path | None = None):
    """A WeasyPrint style sheet of ``text`` (read from ``path``, if any)."""
    from weasyprint import CSS

    if path is None:
        sheet = CSS(string=text, counter_style=counters)
    else:
        sheet = CSS(string=text, url_fetcher=fetcher, base_url=path.as_uri(),
                    counter_style=counters)
    sheet.publish_text = text  # for the build cache's key (unitcache)
    return sheet


def _first_body_id(book: m.Book) -> str | None:
    """The id of the part or chapter page 1 is the first page of."""
    first = book.first_body
    return first.id if first is not None else None


def _first_page_of(rendered, anchor: str | None) -> int:
    """The index of the page holding ``anchor`` (0 when there is none)."""
    if anchor is None:
        return 0
    for index, page in enumerate(rendered.pages):
        if anchor in page.anchors:
            return index
    return 0
