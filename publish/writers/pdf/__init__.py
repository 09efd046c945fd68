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

import contextlib
import dataclasses
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ... import model as m
from ...errors import PrintError
from ...files import atomic_write
from ...fontcss import font_css
from ...fonts import BODY_FONT, HEADING_FONT
from ...highlight import HIGHLIGHT
from ...labels import labels
from ...languages import book_languages
from ...log import LOGGER, PROGRESS, plural
from ...options import Option
from ...pagemap import CACHE, write_page_map
from ...profiles import PROFILES
from ...themes import BOOK_STYLE, Theme, book_style, load_theme, theme_dir
from ...xhtml import CHAPTER_LABEL, attr
from . import merge, overflow, parallel, press, weasy
from .cascade import page_style
from .codefit import CodeMeasure
from .document import document, document_parts, label_css, toc_folios_css
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
from .pagemap import page_map, page_starts, starts_map
from .unitcache import UnitCache, font_fingerprint
from .weasy import justify

__all__ = ["MM", "OPTIONS", "SUFFIX", "TRIMS", "Geometry", "PrintError", "check_glyphs",
           "document", "page_geometry", "parse_trim", "write"]

NAME = "pdf"
SUFFIX = ".pdf"


def _problem(check, value: object) -> str | None:
    """What ``check(value)`` raises, as an option's problem."""
    try:
        check(str(value))
    except PrintError as e:
        return e.message
    return None


#: The options this writer reads (see publish.options): the command line's
#: flags and book.toml's [edition] keys come from here.
TRIM = Option("trim", str, "a5", "Trim size: a5, a4, b5-jis, b5-iso, 32k, da32k, 16k, KDP's "
              "(6x9in…; README lists them), or WxH mm / WxH in.",
              check=lambda v: _problem(parse_trim, v))
BLEED = Option("bleed", str, "", "Bleed around the trim, e.g. 3mm (at most 25 mm).",
               check=lambda v: _problem(parse_bleed, v) if v else None)
MARKS = Option("marks", bool, False, "Crop and cross marks.")
PROFILE = Option("profile", str, "print", "What the PDF is for (publish/profiles.py): "
                 + "; ".join(f"{p.name}: {p.summary}" for p in PROFILES.values()) + ".",
                 choices=tuple(PROFILES))
FONT_SIZE = Option("font_size", float, None, "Body type size in pt (the text block is a "
                   "whole number of characters of it; default: the style sheets', else 10.5, "
                   "五号).", minimum=6, maximum=24, example=BODY_SIZE)
ALLOW_MISSING_GLYPHS = Option("allow_missing_glyphs", bool, False,
                              "A character no font has is a warning, not an error.")
JOBS = Option("jobs", int, 0, "Processes laying out the PDF's chapters at the same time "
              "(0: one per core; 1: the whole book in one document).", minimum=0)
CHAPTERS = Option("chapters", str, "", "A proof of some chapters only, with the folios and "
                  "running heads they have in the book: 37, 3-5 or a chapter's id (written "
                  "as <slug>-proof-37.pdf; with publish pdf).", aliases=("--chapter",))
WEASYPRINT_EXTENSIONS = Option("weasyprint_extensions", bool, True,
                               "CJK justification and the speed-ups (--no-weasyprint-extensions "
                               "builds a PDF with plain WeasyPrint, Chinese lines ragged).")
OPTIONS = (TRIM, BLEED, MARKS, PROFILE, press.PDFX, press.PAPER_KIND, FONT_SIZE, BODY_FONT,
           HEADING_FONT, CHAPTER_LABEL, ALLOW_MISSING_GLYPHS, JOBS, CHAPTERS,
           WEASYPRINT_EXTENSIONS,
           HIGHLIGHT)


def _finisher(front_pages: int, identifier: bytes, job: press.Job):
    """A WeasyPrint finisher: /PageLabels (roman for the front matter, then 1,
    2…), the file identifier /ID, and a page laid out across the trim (a
    broadside table, print.css's ``@page broadside``) turned a quarter
    counter-clockwise (/Rotate 270, CSS's ``page-orientation: rotate-left``,
    which WeasyPrint 70 lacks): its top at the left of the upright page, as a
    book sets a wide table."""
    import pydyf

    def finisher(document, pdf) -> None:
        _turn_broadsides(document, pdf)
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
    if CHAPTERS.of(options):
        setup = _Setup(book, out_dir, render, stylesheets, counters, job, written, identifier,
                       images, refused, trim, _settings(stylesheets, sheets, options, job),
                       options.cache)
        spec = str(CHAPTERS.of(options))
        proof = options.file_name(f"{book.meta.slug}-proof-{_safe(spec)}", SUFFIX)
        return atomic_write(out_dir / proof, _write_proof(setup, parts, spec, jobs, name))
    if JOBS.of(options) != 1 and len(parts.body) > 1 and weasy.installed() \
            and not job.profile.tagged and not job.variant.startswith("pdf/x"):
        setup = _Setup(book, out_dir, render, stylesheets, counters, job, written, identifier,
                       images, refused, trim, _settings(stylesheets, sheets, options, job),
                       options.cache)
        return atomic_write(out_dir / name, _write_units(setup, parts, jobs, name))
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


@dataclass(frozen=True)
class _Setup:
    """What laying the book out in units shares with the one-document path."""
    book: m.Book
    out_dir: Path
    render: object          # XHTML (, style sheets) -> WeasyPrint Document
    stylesheets: list
    counters: object
    job: press.Job
    written: dict           # write_pdf's options
    identifier: bytes
    images: _PrintImages
    refused: list[str]
    trim: tuple[float, float]
    settings: str           # a digest of all but the units' XHTML (unitcache)
    cache: Path | None      # the build cache's folder (BuildOptions.cache)


def _write_units(setup: _Setup, parts, jobs: int, name: str) -> bytes:
    """The PDF of the book laid out a unit at a time in ``jobs`` processes
    (``parallel``), the units kept from the last build used again
    (``unitcache``), its front matter last, joined (``merge``)."""
    with _units(setup, parts, name) as (work, cache, keys):
        kept = _kept(cache, keys, range(len(keys)))
        laid = _keep(cache, keys, parallel.lay_out(work, jobs, kept))
        cache.prune()
        for item in laid:
            if item is kept.get(item.index):
                parallel.retell(item)
        front = _front(setup, parts, work, laid)
        return _join(setup, front, laid, work, name, len(laid) - len(kept), jobs)


@contextlib.contextmanager
def _units(setup: _Setup, parts, name: str):
    """The work of laying out ``parts``' body units, the cache of the edition
    ``name`` and each unit's key; a folder for the units' PDFs while it lasts."""
    import tempfile

    root = setup.cache or setup.out_dir / CACHE
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".units-", dir=root))
    try:
        links = [parallel.ids_and_links(source) for source in parts.body]
        work = parallel.Work(
            lambda source: setup.render(parts.alone(source)), list(parts.body),
            [frozenset(linked - own) for own, linked in links], folder, root / "fonts",
            lambda rendered: _told(setup.book, rendered, setup.refused),
            lambda rendered: rendered.write_pdf(
                finisher=_unit_finisher(setup.identifier, setup.job), **setup.written),
            setup.images.failures)
        cache = UnitCache(root / "units" / name, setup.settings)
        keys = [cache.key(parts.alone(source), foreign, Path(setup.book.root or "."))
                for source, foreign in zip(parts.body, work.foreign)]
        yield work, cache, keys
    finally:
        setup.images.close()
        shutil.rmtree(folder, ignore_errors=True)


def _kept(cache: UnitCache, keys: list[str], indices) -> dict:
    """The kept units among ``indices``, by index."""
    return {index: laid for index in indices
            if (laid := cache.get(keys[index], index)) is not None}


def _keep(cache: UnitCache, keys: list[str], laid: list) -> list:
    """``laid`` with each unit laid out now kept in the cache."""
    return [item if item.path.parent == cache.folder else cache.put(keys[item.index], item)
            for item in laid]


def _write_proof(setup: _Setup, parts, spec: str, jobs: int, name: str) -> bytes:
    """A PDF of the chapters ``spec`` names, their folios and running heads
    the book's: the pages before them counted from the cache, or laid out
    (and kept) when it lacks some."""
    chosen = _chosen(parts, spec)
    with _units(setup, parts, name) as (work, cache, keys):
        kept = _kept(cache, keys, range(chosen.stop))
        if missing := [i for i in range(chosen.start) if i not in kept]:
            PROGRESS.info("Counting the pages of %s before the proof (kept for the next)",
                          plural(len(missing), "chapter"))
            counted = parallel.lay_out(dataclasses.replace(
                work, sources=work.sources[:chosen.start], foreign=work.foreign[:chosen.start]),
                jobs, kept)
            kept.update({item.index: item for item in _keep(cache, keys, counted)})
        base = sum(parallel.padded(kept[i].pages) for i in range(chosen.start))
        sub = dataclasses.replace(work, sources=[work.sources[i] for i in chosen],
                                  foreign=[work.foreign[i] for i in chosen])
        shifted = {j: dataclasses.replace(kept[i], index=j) for j, i in enumerate(chosen)
                   if i in kept}
        laid = parallel.lay_out(sub, jobs, shifted, base)
        laid = [item if item.path.parent == cache.folder else
                dataclasses.replace(cache.put(keys[chosen[item.index]], item), index=item.index)
                for item in laid]
        PROGRESS.info("Proof of %s: pages %d–%d", spec, base + 1,
                      base + sum(parallel.padded(item.pages) for item in laid))
        units = [merge.Unit(item.path, frozenset(item.anchors), item.levels,
                            item.pages % 2 == 1 and item is not laid[-1]) for item in laid]
        data = merge.merge(units, 0, setup.identifier, work.fonts, first=base + 1)
        setup.images.check()
        return data


def _chosen(parts, spec: str) -> range:
    """The body units the chapters ``spec`` names (``37``, ``3-5``, an id) take."""
    chapters = [(index, chapter) for index, chapter in enumerate(parts.chapters)
                if chapter is not None]
    numbers = {number: index for index, (_, number) in chapters}
    ids = {chapter_id: index for index, (chapter_id, _) in chapters}
    first, _, last = spec.partition("-") if re.fullmatch(r"\d+-\d+", spec) else (spec, "", spec)
    found = [numbers.get(int(part)) if part.isdigit() else ids.get(part)
             for part in (first, last)]
    if None in found or found[0] > found[1]:
        raise PrintError(f"--chapters {spec}: the book's body has chapters 1 to "
                         f"{len(chapters)}; give a number, a range such as 3-5, or a "
                         "chapter's id")
    return range(found[0], found[1] + 1)


def _safe(spec: str) -> str:
    """``spec`` as part of a file name."""
    return re.sub(r"[^\w.-]+", "_", spec)[:60]


def _front(setup: _Setup, parts, work, laid):
    """The front matter laid out in this process, its contents' page numbers
    those of the body units ``laid``."""
    book = setup.book
    folios = {anchor: str(offset + page + 1) for item, offset in zip(laid, _offsets(laid))
              for anchor, page in item.anchors.items()}
    front_css = toc_folios_css(labels(book.meta.language, book.meta.labels), folios)
    sheets = [*setup.stylesheets, _css(front_css, setup.counters)]
    source = parts.alone(parts.front)
    own, linked = parallel.ids_and_links(source)
    with weasy.units.unit(lambda pages: 0, work.fonts):
        return parallel.unit_result(work, -1, setup.render(source, sheets),
                                    frozenset(linked - own), work.folder / "front.pdf")


def _join(setup: _Setup, front, laid, work, name: str, fresh: int, jobs: int) -> bytes:
    """Join the front matter and the body units; the page map beside it."""
    job = setup.job
    front_pages = parallel.padded(front.pages)
    total = front_pages + _offsets(laid)[-1] + laid[-1].pages
    extra = press.padded(total, job.profile) - total
    if extra:
        PROGRESS.info("%s added to fill a %d-page signature", plural(extra, "blank page"),
                      job.profile.signature)
    press.check_pages(job, total + extra, setup.trim)
    data = merge.merge(parallel.merge_units(laid, front), front_pages, setup.identifier,
                       work.fonts, extra)
    _tell(setup, [front, *laid])
    setup.images.check()
    PROGRESS.info("%s (%d front matter); %s of %d laid out, in %s",
                  plural(total + extra, "page"), front_pages, plural(fresh, "chapter"),
                  len(laid), plural(min(jobs, max(fresh, 1)), "process", "processes"))
    starts = [*front.told["starts"], *([("", 0)] * (front_pages - front.pages))]
    for item in laid:
        starts += item.told["starts"] + [("", 0)] * (parallel.padded(item.pages) - item.pages)
    starts = starts[:total] + [("", 0)] * extra
    write_page_map(setup.out_dir, starts_map(setup.book, starts, front_pages, name))
    return data


def _settings(stylesheets, sheets, options: m.BuildOptions, job: press.Job) -> str:
    """A digest of what lays a unit out besides its XHTML: the versions of
    publish and WeasyPrint, the fonts installed, the options, the style sheets'
    text and the theme's files."""
    import weasyprint

    from ... import __version__

    parts = [__version__, weasyprint.__version__, font_fingerprint(), repr(job),
             repr(sorted((k, repr(v)) for k, v in options.values.items()))]
    parts += [getattr(sheet, "publish_text", "") for sheet in stylesheets]
    for theme, _ in sheets:
        for path in sorted(theme.paths):
            stat = path.stat()
            parts.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _offsets(laid) -> list[int]:
    """The body pages before each unit."""
    offsets, offset = [], 0
    for item in laid:
        offsets.append(offset)
        offset += parallel.padded(item.pages)
    return offsets


def _told(book: m.Book, rendered, refused: list[str]) -> dict:
    """In a worker: what a unit's layout tells (warnings logged as they come)."""
    overflow.check(book, rendered)
    told = {"starts": page_starts(rendered.pages), "refused": list(refused),
            "short": justify.short_lines(rendered.pages) if justify.installed() else 0}
    refused.clear()
    return told


def _tell(setup: _Setup, laid) -> None:
    """What the units' layouts told, once for the book."""
    for url in dict.fromkeys(url for item in laid for url in item.told["refused"]):
        LOGGER.warning("%s: not fetched (outside the manuscript and theme)", url[:120])
    if short := sum(item.told["short"] for item in laid):
        PROGRESS.info("%s left short: spacing the characters out would have passed "
                      "a quarter em", plural(short, "line"))


def _unit_finisher(identifier: bytes, job: press.Job):
    """A unit's finisher: broadside pages turned, the bleed box (``_finisher``
    without what the join sets: page labels, the file identifier)."""
    def finisher(document, pdf) -> None:
        _turn_broadsides(document, pdf)
        press.finish(pdf, job, identifier)
    return finisher


def _turn_broadsides(document, pdf) -> None:
    """/Rotate 270 on each page laid out across the trim (see ``_finisher``)."""
    first = document.pages[0]
    for page, number in zip(document.pages, pdf.pages["Kids"][::3]):
        if (page.width > page.height) != (first.width > first.height):
            pdf.objects[number]["Rotate"] = 270
