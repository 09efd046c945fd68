"""The PDF rules of ``publish check``: fonts, page boxes, PDF/X identification
and colour (ISO 15930), image resolution, page count and file size.

Each rule takes the open ``pikepdf.Pdf`` (its ``filename`` the edition) and
the profile, and yields ``(severity, where, message)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from ..profiles import MM_PER_INCH, Profile, length_mm, page_range
from .placement import Placement, image_placements, resources

PT_PER_MM = 72 / MM_PER_INCH
SUBSET = re.compile(r"^[A-Z]{6}\+")
#: Colour spaces PDF/X-1a allows (ISO 15930-1 / -4: CMYK, gray, spot colours).
_X1A_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern"}


def open_pdf(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


def length_pt(css: str) -> float:
    """A CSS length (``3mm``, ``0.125in``) in points; "" is 0."""
    return length_mm(css) * PT_PER_MM


def fonts_embedded(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    seen: set[tuple[int, int]] = set()
    for number, res in resources(pdf):
        for font in (res.get("/Font") or {}).values():
            if font.objgen in seen and font.objgen != (0, 0):
                continue
            seen.add(font.objgen)
            yield from _font(font, f"page {number}", chosen)


def _font(font: pikepdf.Dictionary, where: str, chosen: Profile
          ) -> Iterator[tuple[str, str, str]]:
    name = str(font.get("/BaseFont", "(unnamed)"))[1:]
    if font.get("/Subtype") == "/Type3":
        yield "warning", where, f"Type 3 font {name}: drawn glyphs, not a font a RIP reads"
        return
    described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
    descriptor = described.get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in
                                     ("/FontFile", "/FontFile2", "/FontFile3")):
        yield "error", where, f"font {name} is not embedded"
    elif chosen.full_fonts and SUBSET.match(name):
        yield "error", where, (f"font {name} is a subset; the {chosen.name} profile asks "
                               "fonts embedded whole")


def page_boxes(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    bleed = length_pt(chosen.bleed) if chosen.bleed else None
    for number, page in enumerate(pdf.pages, 1):
        where = f"page {number}"
        boxes = {}
        for key in ("/MediaBox", "/TrimBox", "/BleedBox"):
            box = page.obj.get(key) if key != "/MediaBox" else page.mediabox
            if box is None:
                yield "error", where, f"no {key[1:]}"
                continue
            x0, y0, x1, y1 = (float(v) for v in box)
            boxes[key] = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        if len(boxes) == 3:
            yield from _nested(boxes, where, bleed, recto=number % 2 == 1)


def _nested(boxes: dict, where: str, bleed: float | None, recto: bool
            ) -> Iterator[tuple[str, str, str]]:
    media, trim, bleed_box = boxes["/MediaBox"], boxes["/TrimBox"], boxes["/BleedBox"]
    if not _contains(bleed_box, trim):
        yield "error", where, "the BleedBox does not contain the TrimBox"
    if not _contains(media, bleed_box):
        yield "error", where, "the MediaBox does not contain the BleedBox"
    if bleed is None or not _contains(bleed_box, trim):
        return
    sides = {"left": trim[0] - bleed_box[0], "bottom": trim[1] - bleed_box[1],
             "right": bleed_box[2] - trim[2], "top": bleed_box[3] - trim[3]}
    inner = "left" if recto else "right"  # the spine side may have no bleed (KDP)
    tolerance = 0.1 * PT_PER_MM
    wrong = [f"{side} {got / PT_PER_MM:.2f} mm" for side, got in sides.items()
             if abs(got - bleed) > tolerance and not (side == inner and got <= tolerance)]
    if wrong:
        yield "error", where, (f"bleed {', '.join(wrong)}; the profile asks "
                               f"{bleed / PT_PER_MM:.2f} mm")


def _contains(outer: tuple, inner: tuple, slack: float = 0.01) -> bool:
    return (outer[0] <= inner[0] + slack and outer[1] <= inner[1] + slack
            and outer[2] >= inner[2] - slack and outer[3] >= inner[3] - slack)


def pdfx_identification(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    variant = chosen.pdf_variant
    if not variant.startswith("pdf/x"):
        return
    version = _pdfx_version(pdf)
    wanted = "PDF/X-" + variant[len("pdf/x-"):].upper().replace("A", "")  # pdf/x-1a -> PDF/X-1
    if not version:
        yield "error", "", f"no /GTS_PDFXVersion: the file does not say it is {_named(variant)}"
    elif not version.upper().startswith(wanted.upper()):
        yield "error", "", f"/GTS_PDFXVersion is {version}, not {_named(variant)}"
    elif variant == "pdf/x-1a" and "X-1A" not in (version + _conformance(pdf)).upper():
        yield "error", "", "no /GTS_PDFXConformance PDF/X-1a (X-1a:2001 names it there)"
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        yield "error", "", "no output intent /S /GTS_PDFX"
        return
    icc = intents[0].get("/DestOutputProfile")
    if icc is None:
        yield "error", "", "the /GTS_PDFX output intent has no DestOutputProfile"
    elif chosen.cmyk and bytes(icc.read_bytes()[16:20]) != b"CMYK":
        yield "error", "", "the output intent's ICC profile is not a CMYK profile"


def _pdfx_version(pdf: pikepdf.Pdf) -> str:
    found = str(pdf.docinfo.get("/GTS_PDFXVersion", "")) if "/Info" in pdf.trailer else ""
    if not found:
        with pdf.open_metadata() as xmp:
            found = str(xmp.get("pdfxid:GTS_PDFXVersion", "")
                        or xmp.get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion", ""))
    return found


def _conformance(pdf: pikepdf.Pdf) -> str:
    return str(pdf.docinfo.get("/GTS_PDFXConformance", "")) if "/Info" in pdf.trailer else ""


def x1a_colour(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    if chosen.pdf_variant != "pdf/x-1a":
        return
    for number, res in resources(pdf):
        named = [("image", n, x.get("/ColorSpace")) for n, x in
                 (res.get("/XObject") or {}).items() if x.get("/Subtype") == "/Image"
                 and not x.get("/ImageMask", False)]
        named += [("colour space", n, cs) for n, cs in (res.get("/ColorSpace") or {}).items()]
        named += [("shading", n, s.get("/ColorSpace")) for n, s in
                  (res.get("/Shading") or {}).items()]
        for kind, name, space in named:
            if space is not None and not _x1a_space(space):
                yield "error", f"page {number}", (f"{kind} {name[1:]} is in {_space_name(space)}"
                                                  ", not CMYK or gray (PDF/X-1a)")
    for number, placed in _placements(pdf):
        if placed.rgb_operator:
            yield "error", f"page {number}", (f"a DeviceRGB colour ({placed.rgb_operator} "
                                              "operator), not CMYK or gray (PDF/X-1a)")


def _space_name(space: object) -> str:
    if isinstance(space, pikepdf.Array):
        if space[0] == "/ICCBased":
            return f"ICCBased ({int(space[1].get('/N', 0))} components)"
        return str(space[0])[1:]
    return str(space)[1:]


def _x1a_space(space: object) -> bool:
    if isinstance(space, pikepdf.Array):
        if space[0] == "/Indexed":
            return _x1a_space(space[1])
        return str(space[0]) in _X1A_SPACES
    return str(space) in _X1A_SPACES


def x1a_transparency(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    if chosen.pdf_variant != "pdf/x-1a":
        return
    for number, page in enumerate(pdf.pages, 1):
        if (page.obj.get("/Group") or {}).get("/S") == "/Transparency":
            yield "error", f"page {number}", "a transparency group (PDF/X-1a has none)"
    for number, res in resources(pdf):
        for name, x in (res.get("/XObject") or {}).items():
            if "/SMask" in x:
                yield "error", f"page {number}", f"image {name[1:]} has a soft mask (/SMask)"
            if (x.get("/Group") or {}).get("/S") == "/Transparency":
                yield "error", f"page {number}", f"form {name[1:]} is a transparency group"
        for name, state in (res.get("/ExtGState") or {}).items():
            if _transparent(state):
                yield "error", f"page {number}", (f"graphics state {name[1:]} sets "
                                                  "transparency (soft mask, alpha or blend)")


def _transparent(state: pikepdf.Dictionary) -> bool:
    return (state.get("/SMask", "/None") != "/None"
            or float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1
            or str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"))


def _placements(pdf: pikepdf.Pdf) -> Iterator[tuple[int, Placement]]:
    for number, page in enumerate(pdf.pages, 1):
        for placed in image_placements(page):
            yield number, placed


def image_resolution(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    for number, placed in _placements(pdf):
        if placed.pixels is None or not placed.width_pt or not placed.height_pt:
            continue
        dpi = min(placed.pixels[0] / (placed.width_pt / 72),
                  placed.pixels[1] / (placed.height_pt / 72))
        if dpi >= chosen.image_dpi:
            continue
        severity = "error" if dpi < chosen.image_dpi_least else "warning"
        yield severity, f"page {number}", (
            f"image {placed.name} is {dpi:.0f} dpi at its placed size "
            f"({placed.width_pt / PT_PER_MM:.0f}×{placed.height_pt / PT_PER_MM:.0f} mm, "
            f"{placed.pixels[0]}×{placed.pixels[1]} px); the {chosen.name} profile asks "
            f"{chosen.image_dpi} (at least {chosen.image_dpi_least})")


def page_count(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    pages = len(pdf.pages)
    if pages % max(1, chosen.signature):
        yield "error", "", (f"{pages} pages: not a multiple of {chosen.signature} "
                            f"(the {chosen.name} profile's signature)")
    trim = pdf.pages[0].trimbox if pages else None
    size = (float(trim[2] - trim[0]) / PT_PER_MM, float(trim[3] - trim[1]) / PT_PER_MM) \
        if trim is not None else None
    least, most = page_range(chosen, size)
    if not least <= pages <= most:
        paper = f" on {chosen.paper} paper" if chosen.most_pages else ""
        yield "error", "", (f"{pages} pages: the {chosen.name} profile prints "
                            f"{least} to {most}{paper}")


def file_size(pdf: pikepdf.Pdf, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    size = Path(pdf.filename).stat().st_size
    if chosen.max_file_mb and size > chosen.max_file_mb * 1_000_000:
        yield "error", "", (f"{size / 1_000_000:.1f} MB: over the {chosen.name} profile's "
                            f"upload limit of {chosen.max_file_mb} MB")


def _named(variant: str) -> str:
    """``pdf/x-1a`` -> ``PDF/X-1a``."""
    return variant.replace("pdf/x", "PDF/X")
