"""The print cover: one PDF page that wraps the book, ``<slug>-cover.pdf``.

Back | spine | front, side by side, with the profile's bleed all round: the
page's TrimBox is the wrap (2 × trim width + spine, × trim height), its
BleedBox and MediaBox the wrap and the bleed.  The spine is as wide as the
interior is thick: pages × the thickness of one page of the paper
(``profiles.spine_mm``; ``paper_caliper_mm`` gives the printer's figure).

- Front: the book's cover image (``cover`` in book.toml) scaled to cover
  the front panel and its bleed, else the typographic design the EPUB's
  cover draws (``coverart``), set here as text.
- Spine: title, author and publisher, only when the spine is wide enough
  (the profile's ``spine_text_pages``, else 6 mm): turned a quarter
  clockwise for a Latin book (read top to bottom), one character under the
  other for a CJK book (a run of Latin letters in it turned), inside a
  margin.
- Back: the description and, with an ISBN, its EAN-13 bar code (python-
  barcode's SVG) in a white box at the lower right, the ISBN above it.
"""

from __future__ import annotations

import base64
import dataclasses
import mimetypes
import re
import tempfile
from dataclasses import dataclass
from html import escape
from itertools import groupby
from pathlib import Path

from ... import model as m
from ...coverart import ACCENT, FRAME_WIDTH, INK, PAPER, RULE_WIDTH, cover_layout
from ...files import atomic_write
from ...fonts import cjk_region, faces
from ...log import PROGRESS
from ...profiles import PROFILES, length_mm, padded, spine_mm
from ...typography import is_east_asian
from ..declarations.pdf_cover import OPTIONS, PAPER_CALIPER  # noqa: F401  (declared apart)
from . import BLEED, MARKS, PROFILE, TRIM, press
from .geometry import parse_trim

SUFFIX = "-cover.pdf"
#: Spine text from this width when the profile names no page count (mm):
#: room for a line of about 9 pt with a margin either side.
SPINE_TEXT_MM = 6.0
#: Kept clear inside the spine's folds, and at its head and foot (mm):
#: KDP asks 0.0625 in either side of spine text.
SPINE_MARGIN_MM = 1.6
SPINE_END_MM = 12.0
#: A cover needs a bleed even when the interior has none.
#: The back's text and bar code keep this far inside the trim (mm).
BACK_MARGIN_MM = 15.0



@dataclass(frozen=True)
class Wrap:
    """The cover's measures, mm: what the build manifest records."""

    profile: str
    paper: str
    pages: int
    trim: tuple[float, float]
    spine: float
    bleed: float

    @property
    def size(self) -> tuple[float, float]:
        """The trimmed wrap: back, spine and front; then the bleed all round."""
        return 2 * self.trim[0] + self.spine, self.trim[1]

    @property
    def spine_text(self) -> bool:
        chosen = PROFILES[self.profile]
        if chosen.spine_text_pages:
            return self.pages > chosen.spine_text_pages
        return self.spine >= SPINE_TEXT_MM


def wrap_of(options: m.BuildOptions, pages: int) -> Wrap:
    """The wrap of a book of ``pages`` pages (padded as the interior is, to
    the profile's signature) with these options; a PrintError for a trim
    the profile's vendor does not print."""
    job = _job(options)
    trim = parse_trim(str(TRIM.of(options)))
    press.check_trim(job, str(TRIM.of(options)), trim)
    caliper = PAPER_CALIPER.of(options)
    pages = padded(pages, job.profile)
    press.check_pages(job, pages, trim)
    spine = spine_mm(pages, job.profile, None if caliper is None else float(caliper))
    return Wrap(job.profile.name, job.profile.paper, pages, trim, round(spine, 3),
                length_mm(job.profile.cover_bleed))


def _job(options: m.BuildOptions, wrap: Wrap | None = None) -> press.Job:
    """The interior's job (PDF/X, CMYK output intent, colours as CMYK, marks)
    with the cover's bleed and, for ``wrap``, fold marks at the spine."""
    job = press.job(str(PROFILE.of(options)), str(BLEED.of(options) or ""),
                    bool(MARKS.of(options)), str(press.PDFX.of(options)),
                    str(press.PAPER_KIND.of(options)))
    folds = (wrap.trim[0], wrap.trim[0] + wrap.spine) if wrap else ()
    return dataclasses.replace(job, bleed=job.profile.cover_bleed, folds=folds)


def write_cover(book: m.Book, out_dir: Path, options: m.BuildOptions,
                pages: int) -> tuple[Path, Wrap]:
    """Write ``<slug>-cover.pdf`` for an interior of ``pages`` pages into
    ``out_dir``; return its path and its measures."""
    from weasyprint import HTML

    wrap = wrap_of(options, pages)
    PROGRESS.info("Cover: %d pages on %s paper, spine %.2f mm, %s", wrap.pages, wrap.paper,
                  wrap.spine, "spine text" if wrap.spine_text else "no spine text (too thin)")
    root = Path(book.root or ".").resolve()
    job = _job(options, wrap)
    identifier = (book.meta.identifier or book.meta.slug).encode()[:32]
    with tempfile.TemporaryDirectory(prefix="publish-cover-") as folder:
        image = Path(book.root or ".") / book.meta.cover if book.meta.cover else None
        if image is not None and (convert := press.converter(job)) is not None:
            image = convert(image, Path(folder))  # CMYK, flattened: PDF/X-1a
        html = _document(book, wrap, options, job.page_bleed, image)
        rendered = HTML(string=html, base_url=root.as_uri() + "/").render(
            **press.render_options(job))
        data = rendered.write_pdf(finisher=lambda _document, pdf: press.finish(pdf, job, identifier),
                                  **press.write_options(job))
    path = out_dir / options.file_name(book.meta.slug, SUFFIX)
    return atomic_write(path, data), wrap


def _document(book: m.Book, wrap: Wrap, options: m.BuildOptions, page_bleed: str,
              image: Path | None = None) -> str:
    """The cover as one HTML page: positions in mm from the trimmed wrap's top
    left; the page's bleed ``page_bleed`` (the bleed, and the slug for marks
    beyond it: the paper colour covers the bleed only)."""
    meta = book.meta
    width, height = wrap.size
    when = (options.built.isoformat().replace("+00:00", "Z") if options.built else "")
    family = faces(meta.language).serif
    css = (f"@page {{ size: {width:.3f}mm {height:.3f}mm; margin: 0; bleed: {page_bleed}; }}\n"
           f"body {{ margin: 0; font-family: '{family}', serif; color: rgb{INK}; }}\n"
           "div { position: absolute; box-sizing: border-box; }\n"
           ".line, .char { white-space: nowrap; }\n")
    b = wrap.bleed
    parts = [_box(-b, -b, width + 2 * b, height + 2 * b, f"background: rgb{PAPER};"),
             _front(book, wrap, image), _back(meta, wrap)]
    if wrap.spine_text:
        parts.append(_spine(meta, wrap))
    head = (f"<title>{escape(meta.title)}</title>"
            + (f'<meta name="dcterms.created" content="{when}"/>'
               f'<meta name="dcterms.modified" content="{when}"/>' if when else ""))
    return (f'<!DOCTYPE html><html lang="{escape(meta.language)}"><head><meta charset="utf-8"/>'
            f"{head}<style>{css}</style></head><body>{''.join(parts)}</body></html>")


def _box(left: float, top: float, width: float, height: float, style: str = "",
         inner: str = "", cls: str = "") -> str:
    """An absolutely placed div, mm."""
    name = f' class="{cls}"' if cls else ""
    return (f'<div{name} style="left: {left:.3f}mm; top: {top:.3f}mm; width: {width:.3f}mm; '
            f'height: {height:.3f}mm; {style}">{inner}</div>')


def _front(book: m.Book, wrap: Wrap, image: Path | None = None) -> str:
    """The front panel: the cover image (``image``, the book's or a copy made
    for the job) over it and its bleed, else the design."""
    trim_w, trim_h = wrap.trim
    left, b = trim_w + wrap.spine, wrap.bleed
    if image is not None:
        source = image
        kind = mimetypes.guess_type(source.name)[0] or "image/jpeg"
        url = f"data:{kind};base64,{base64.b64encode(source.read_bytes()).decode()}"
        return _box(left, -b, trim_w + b, trim_h + 2 * b,
                    f"background: url('{url}') center / cover no-repeat;")
    scale = trim_w / 1600  # mm per unit of the design's canvas
    layout = cover_layout(book.meta, round(trim_h / scale))
    x0, y0, x1, y1 = (v * scale for v in layout.frame)
    out = [_box(left + x0, y0, x1 - x0, y1 - y0,
                f"border: {FRAME_WIDTH * scale:.3f}mm solid rgb{ACCENT};")]
    rx0, ry, rx1, _ = (v * scale for v in layout.rule)
    out.append(_box(left + rx0, ry - RULE_WIDTH * scale / 2, rx1 - rx0, RULE_WIDTH * scale,
                    f"background: rgb{ACCENT};"))
    for line in layout.lines:
        out.append(_box(left, line.top * scale, trim_w, line.size * scale * 1.5,
                        f"font-size: {line.size * scale:.3f}mm; text-align: center; "
                        f"font-family: '{line.family}'; font-weight: "
                        f"{'bold' if line.bold else 'normal'}; line-height: normal;",
                        escape(line.text), "line"))
    return "".join(out)


def _spine_words(meta: m.Meta) -> list[str]:
    """What the spine carries, top to bottom: title, authors, publisher."""
    names = meta.authors or tuple(c.name for c in meta.contributors[:1])
    return [text for text in (meta.title, " ".join(names), meta.publisher) if text]


#: The author's and the publisher's size on the spine, against the title's.
SPINE_SMALLER = 0.75


def _spine(meta: m.Meta, wrap: Wrap) -> str:
    """The spine's text, inside SPINE_MARGIN_MM of either fold and SPINE_END_MM
    of head and foot, as spines are set: the title from the head, the
    publisher at the foot, the author between (a lone title centred); upright
    characters stacked for a CJK book, else each part turned a quarter
    clockwise."""
    trim_w, trim_h = wrap.trim
    across = wrap.spine - 2 * SPINE_MARGIN_MM
    along = trim_h - 2 * SPINE_END_MM
    words = _spine_words(meta)
    scales = [1.0] + [SPINE_SMALLER] * (len(words) - 1)
    if cjk_region(meta.language):
        parts = [_cells(word) for word in words]
    else:  # about half an em a Latin letter
        parts = [[(word, 0.55 * len(word))] for word in words]
    lengths = [scale * sum(length for _, length in cells)
               for scale, cells in zip(scales, parts)]
    # At most 7 mm, and the parts with an em between them fit the spine's length.
    size = min(across, 7.0, along / max(sum(lengths) + len(words) - 1, 1.0))
    spare = along - size * sum(lengths)
    if len(words) == 1:
        starts = [SPINE_END_MM + spare / 2]
    else:
        gap, starts, top = spare / (len(words) - 1), [], SPINE_END_MM
        for length in lengths:
            starts.append(top)
            top += size * length + gap
    out = []
    for number, (cells, scale, top) in enumerate(zip(parts, scales, starts)):
        bold = " font-weight: bold;" if number == 0 else ""
        if cjk_region(meta.language):
            out.append(_stacked(cells, trim_w + SPINE_MARGIN_MM, across, top, size * scale, bold))
        else:
            out.append(_turned(cells[0][0], trim_w + wrap.spine / 2, top, size * scale,
                               size * lengths[number], wrap.spine, bold))
    return "".join(out)


def _cells(word: str) -> list[tuple[str, float]]:
    """A CJK spine's cells for ``word`` (text, length in ems): one CJK
    character a cell, a run of Latin letters one cell as long as the run."""
    cells: list[tuple[str, float]] = []
    for upright, run in groupby(word, is_east_asian):
        if upright:
            cells += [(ch, 1.0) for ch in run]
        else:
            cells += [(latin, 0.6 * len(latin) + 0.2) for latin in "".join(run).split()]
    return cells


def _stacked(cells: list[tuple[str, float]], left: float, across: float, top: float,
             size: float, style: str) -> str:
    """One part of a CJK spine from ``top`` (mm): upright characters one under
    the other, a Latin run turned a quarter clockwise in its cell."""
    out = []
    for text, length in cells:
        height = length * size
        if is_east_asian(text[0]):
            out.append(_box(left, top, across, height, f"font-size: {size:.3f}mm; "
                            f"line-height: {height:.3f}mm; text-align: center;{style}",
                            escape(text), "char"))
        else:
            out.append(_box(left + across / 2 - height / 2, top + height / 2 - size / 2,
                            height, size, f"transform: rotate(90deg); font-size: {size:.3f}mm;"
                            f" line-height: {size:.3f}mm; text-align: center;{style}",
                            escape(text), "char"))
        top += height
    return "".join(out)


def _turned(text: str, centre: float, top: float, size: float, length: float, spine: float,
            style: str) -> str:
    """One part of a Latin spine: a line from ``top`` (mm) about ``length``
    long, turned a quarter clockwise about its centre onto the spine (read
    from the head), centred across it.  The box is a little longer than the
    text is guessed to be, the text centred in it."""
    length += size  # the guess is rough: room either side, the text centred
    top -= size / 2
    return _box(centre - length / 2, top + length / 2 - spine / 2, length, spine,
                f"transform: rotate(90deg); font-size: {size:.3f}mm; "
                f"line-height: {spine:.3f}mm; text-align: center;{style}", escape(text), "line")


def _back(meta: m.Meta, wrap: Wrap) -> str:
    """The back panel: the description, and the ISBN's bar code at the lower right."""
    trim_w, trim_h = wrap.trim
    inner = trim_w - 2 * BACK_MARGIN_MM
    out = []
    if meta.description:
        out.append(_box(BACK_MARGIN_MM, trim_h * 0.15, inner, trim_h * 0.5,
                        "font-size: 11pt; line-height: 1.7; text-align: justify;",
                        f"<p style='margin: 0'>{escape(meta.description)}</p>"))
    isbn = isbn13(meta.identifier)
    if isbn:
        svg = _barcode_svg(isbn)
        url = f"data:image/svg+xml;base64,{base64.b64encode(svg).decode()}"
        box_w, box_h = 44.0, 33.0
        out.append(_box(trim_w - BACK_MARGIN_MM - box_w, trim_h - BACK_MARGIN_MM - box_h,
                        box_w, box_h, "background: white; padding: 2mm 2.7mm; "
                        "font-family: sans-serif; font-size: 8pt; line-height: 1.2; "
                        "text-align: center;",
                        f'<p style="margin: 0 0 0.5mm">ISBN {isbn}</p>'
                        f'<img src="{url}" style="width: 38.61mm" alt=""/>', "barcode"))
    return "".join(out)


def isbn13(identifier: str) -> str:
    """The ISBN-13 of a ``urn:isbn:`` identifier ("" for none); an ISBN-10
    becomes its 978 form: ``isbn13("urn:isbn:7111213823") -> '9787111213826'``."""
    if not identifier.lower().startswith("urn:isbn:"):
        return ""
    digits = re.sub(r"[^0-9Xx]", "", identifier[9:]).upper()
    if len(digits) == 10:
        body = "978" + digits[:9]
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        return body + str(check)
    return digits if len(digits) == 13 and digits.isdigit() else ""


def _barcode_svg(isbn: str) -> bytes:
    """The EAN-13 symbol of ``isbn`` as SVG: 0.33 mm modules (100 %
    magnification), 18 mm bars, its digits under them, quiet zones of 11 modules."""
    import io

    from barcode import EAN13
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    EAN13(isbn[:12], writer=SVGWriter()).write(out, {
        "module_width": 0.33, "module_height": 18.0, "font_size": 9, "text_distance": 3.0,
        "quiet_zone": 3.63})
    return out.getvalue()
