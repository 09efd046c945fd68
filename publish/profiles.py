"""Print profiles: what a printer or a print-on-demand vendor asks of the
interior PDF and its cover, one small table per profile.

A profile is settings, not code: the PDF writer (``writers.pdf``), the cover
(``writers.pdf.cover``) and the preflight (``publish check``) read the same
row.  To add a vendor, add a row; every field says what it is for.

Sources of the vendors' figures (as their guides gave them in 2026):
- KDP (Amazon Kindle Direct Publishing), paperback: an interior bleeds
  (0.125 in on the top, bottom and outer edges only) only when an image
  bleeds, which publish does not set, so none; the cover bleeds 0.125 in all
  round; 24 pages at least and at most 828 on white paper, 776 on cream,
  828 in premium colour, fewer on the largest trims (KDP's print options
  table); spine = pages × 0.002252 in (white paper), 0.0025 in (cream),
  0.002347 in (premium colour); spine text on books of more than 79 pages;
  fonts embedded; no crop marks.
- IngramSpark: PDF/X-1a:2001, CMYK, bleed 0.125 in, no marks, an even page
  count.  WeasyPrint 70 writes PDF/X-1a:2003 (PDF 1.4), which is what
  publish gives; whether IngramSpark takes it is not checked here.
- An offset press (印刷厂): PDF/X-4 (or X-1a), CMYK output intent, 3 mm
  bleed, crop and registration marks outside the bleed, a page count that
  fills whole signatures of 16 pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType

MM_PER_INCH = 25.4
#: Millimetres in one of each unit a bleed or a caliper may be given in.
_MM_PER = {"mm": 1.0, "cm": 10.0, "in": MM_PER_INCH, "pt": MM_PER_INCH / 72,
           "px": MM_PER_INCH / 96}


def length_mm(length: str) -> float:
    """A CSS length in mm, 0 for none or what is no length:
    ``length_mm("0.125in") -> 3.175``."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*", length or "")
    return float(found.group(1)) * _MM_PER[found.group(2)] if found else 0.0


@dataclass(frozen=True)
class Profile:
    """What one kind of print job asks of the PDF."""

    name: str
    summary: str                    # one line for --help and the README
    pdf_variant: str = ""           # WeasyPrint's pdf_variant: "pdf/x-4", "pdf/x-1a", "pdf/ua-1"
    cmyk: bool = False              # a CMYK output intent; images converted for X-1a
    bleed: str = ""                 # the interior's bleed, CSS length around the trim ("" none)
    cover: bool = False             # publish all writes the print cover beside the interior
    cover_bleed: str = "3mm"        # the cover's bleed (a cover always bleeds)
    marks: bool = False             # crop and registration marks, outside the bleed
    signature: int = 1              # the page count is padded to a multiple of this
    trims: tuple[str, ...] = ()     # the trim sizes the vendor prints (empty: any)
    pages: tuple[int, int] = (1, 100_000)  # the least and the most pages it prints
    #: The most pages by paper, and by trim within it ("" any other trim):
    #: where the vendor's limit depends on them (``page_range``).
    most_pages: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    full_fonts: bool = False        # fonts embedded whole, not subset
    tagged: bool = False            # a structure tree for assistive technology (PDF/UA)
    screen: bool = False            # coloured links, no bleed or marks, 150 dpi images
    image_dpi: int = 300            # effective resolution wanted at the placed size
    image_dpi_least: int = 150      # below this, an error
    max_file_mb: int = 0            # the vendor's upload limit (0: none)
    #: Paper kinds and the thickness of one page (leaf side), mm: the spine's width.
    calipers: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    paper: str = "white"            # the interior's paper (``--paper``): spine and page range
    spine_text_pages: int = 0       # spine text only on more pages than this (0: by width)


_KDP_TRIMS = ("5x8in", "5.06x7.81in", "5.25x8in", "5.5x8.5in", "6x9in", "6.14x9.21in",
              "6.69x9.61in", "7x10in", "7.44x9.69in", "7.5x9.25in", "8x10in", "8.25x6in",
              "8.25x8.25in", "8.5x8.5in", "8.5x11in", "8.27x11.69in")
#: KDP's most pages by paper and trim (its print options table, 2026): a
#: thicker paper or a larger page binds fewer.
_KDP_MOST = MappingProxyType({
    "white": MappingProxyType({"": 828, "8.25x6in": 800, "8.25x8.25in": 800,
                               "8.5x8.5in": 590, "8.5x11in": 590, "8.27x11.69in": 780}),
    "cream": MappingProxyType({"": 776, "8.25x6in": 750, "8.25x8.25in": 750,
                               "8.5x8.5in": 550, "8.5x11in": 550, "8.27x11.69in": 730}),
    "colour": MappingProxyType({"": 828, "8.25x6in": 800, "8.25x8.25in": 800,
                                "8.5x8.5in": 590, "8.5x11in": 590, "8.27x11.69in": 590}),
})
#: Typical offset papers, mm a page (half a leaf): 70 g/m² book wove (white),
#: 80 g/m² bulky cream (轻型纸), 105 g/m² coated (colour).  A printer's own
#: figure goes in ``paper_caliper_mm``.
_OFFSET_PAPER = MappingProxyType({"white": 0.045, "cream": 0.065, "colour": 0.05})

#: The profiles, by name: ``--profile NAME`` / ``[edition] profile``.
PROFILES = MappingProxyType({p.name: p for p in (
    Profile("print", "a book PDF for any printer: today's trim, no marks unless asked"),
    Profile("screen", "for reading on a screen: coloured links, tagged (PDF/UA-1)",
            pdf_variant="pdf/ua-1", tagged=True, screen=True, image_dpi=150,
            image_dpi_least=96),
    Profile("press", "an offset press: PDF/X-4, CMYK, 3 mm bleed, marks outside it, "
            "whole 16-page signatures", pdf_variant="pdf/x-4", cmyk=True, bleed="3mm", cover=True,
            marks=True, signature=16, calipers=_OFFSET_PAPER),
    Profile("kdp", "Amazon KDP paperback: its trims, no bleed inside (a 0.125 in one on the "
            "cover), even page count, 24 to 828 pages (776 on cream)", cover=True, cover_bleed="0.125in",
            signature=2,
            trims=_KDP_TRIMS,
            # Fonts subset, not whole: KDP asks for embedded fonts, and
            # WeasyPrint 70 embeds a CJK collection (.ttc) whole as one font
            # file, 70 MB and not a valid TrueType font.
            pages=(24, 828), most_pages=_KDP_MOST, full_fonts=False, max_file_mb=650,
            calipers=MappingProxyType({"white": 0.002252 * MM_PER_INCH,
                                    "cream": 0.0025 * MM_PER_INCH,
                                    "colour": 0.002347 * MM_PER_INCH}),
            spine_text_pages=79),
    Profile("ingramspark", "IngramSpark: PDF/X-1a (2003, as WeasyPrint writes it), CMYK, "
            "0.125 in bleed, no marks, even page count", pdf_variant="pdf/x-1a", cmyk=True,
            bleed="0.125in", cover=True, cover_bleed="0.125in", signature=2,
            calipers=MappingProxyType({"white": 0.0572, "cream": 0.0635, "colour": 0.0596})),
)})


def resolved(name: str, pdfx: str = "", bleed: str = "", paper: str = "") -> Profile:
    """The profile ``name`` as a build's options change it: ``pdfx`` ("1a",
    "4") the PDF/X version of a PDF/X profile, ``bleed`` (a CSS length) the
    bleed of the interior and the cover, ``paper`` the interior's paper.  The PDF writer, the cover and
    ``publish check`` (from the build manifest) all take the job from here.
    A ``pdfx`` for another profile is a ValueError."""
    row = PROFILES[name]
    changes: dict[str, object] = {}
    if pdfx:
        if not row.pdf_variant.startswith("pdf/x"):
            raise ValueError(f"pdfx = {pdfx!r} applies to a PDF/X profile ("
                             + ", ".join(p.name for p in PROFILES.values()
                                         if p.pdf_variant.startswith("pdf/x"))
                             + f"), not {name!r}")
        changes["pdf_variant"] = f"pdf/x-{pdfx}"
    if bleed and not row.screen:
        changes.update(bleed=bleed, cover_bleed=bleed)
    if paper:
        changes["paper"] = paper
    return replace(row, **changes)


def padded(pages: int, chosen: Profile) -> int:
    """The page count after blank pages are added to fill a signature:
    ``padded(19, PROFILES["press"]) -> 32``."""
    step = max(1, chosen.signature)
    return -(-pages // step) * step


def spine_mm(pages: int, chosen: Profile, caliper_mm: float | None = None) -> float:
    """The spine's width in mm: pages × the thickness per page of the
    profile's paper (``caliper_mm`` overrides the profile's table)."""
    per_page = caliper_mm if caliper_mm is not None else chosen.calipers.get(chosen.paper)
    if per_page is None:
        per_page = _OFFSET_PAPER.get(chosen.paper, _OFFSET_PAPER["white"])
    return pages * per_page


def page_range(chosen: Profile, trim: tuple[float, float] | None = None) -> tuple[int, int]:
    """The least and the most pages ``chosen`` prints on its paper at ``trim``
    (mm, None: any): ``page_range(resolved("kdp", paper="cream")) -> (24, 776)``."""
    least, most = chosen.pages
    by_trim = chosen.most_pages.get(chosen.paper)
    if by_trim is None:
        return least, most
    for name, limit in by_trim.items():
        if name and trim is not None and _close(trim_mm(name), trim):
            return least, limit
    return least, by_trim.get("", most)


def trim_mm(name: str) -> tuple[float, float]:
    """A vendor's trim ``WxHin`` (or mm) in mm: ``trim_mm("6x9in") -> (152.4, 228.6)``."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)", name)
    if not found:
        raise ValueError(f"not a trim: {name!r}")
    factor = _MM_PER[found.group(3)]
    return float(found.group(1)) * factor, float(found.group(2)) * factor


def _close(one: tuple[float, float], other: tuple[float, float]) -> bool:
    """The same trim to half a millimetre (a trim given in mm for one in inches)."""
    return abs(one[0] - other[0]) <= 0.5 and abs(one[1] - other[1]) <= 0.5
