"""What a print job asks of the PDF beyond the page (publish/profiles.py's
row, read here and nowhere else in the writer):

- PDF/X (the row's ``pdf_variant``, ``--pdfx`` choosing 1a or 4 for a PDF/X
  row) with a CMYK output intent whose ICC profile is a system file
  (Ghostscript's, Debian's libgs10-common); sRGB colours drawn as DeviceCMYK
  through that profile, greys and black as K alone (text in 100 % K);
- the bleed, and crop and registration marks drawn in a slug outside it: the
  page WeasyPrint lays out gets a bleed of bleed + slug, the finisher sets
  each page's BleedBox to the trim plus the real bleed and strokes the marks
  in the slug itself, in registration colour (every ink) with no
  transparency (WeasyPrint's CSS ``marks`` are an SVG drawn through a
  transparency group with a transparent fill, which PDF/X-1a forbids);
- blank pages at the end to fill the row's signature (``padded``);
- fonts embedded whole (``full_fonts``), the row's trims and page range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import PrintError
from ...log import LOGGER
from ...profiles import Profile, length_mm, padded, page_range, resolved
from ..declarations.pdf import PAPER_KIND, PDFX  # noqa: F401  (press.PDFX: declared apart)
from .weasy import cmyk

#: Room outside the bleed for the crop and registration marks, mm; the crop
#: marks run from 2 mm to 8 mm beyond the bleed, the registration targets
#: (a circle of 2.5 mm radius and its cross) stand 5 mm beyond it.
SLUG_MM = 10.0
_MARK_FROM, _MARK_TO, _TARGET_AT, _TARGET_R = 2.0, 8.0, 5.0, 2.5  # mm beyond the bleed
_MM = 72 / 25.4
#: Where Debian puts the CMYK profiles, first found first used: Ghostscript's
#: (libgs10-common, scripts/setup.sh) and a user's own.
CMYK_PROFILES = (Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),
                 Path("/usr/share/color/icc/ghostscript/ps_cmyk.icc"))
CMYK_PACKAGE = "libgs10-common"


@dataclass(frozen=True)
class Job:
    """A print job: the profile's row with the options that override it."""

    profile: Profile
    variant: str        # WeasyPrint's pdf_variant ("" none)
    bleed: str          # CSS length of the bleed ("" none)
    marks: bool
    #: Fold lines, mm from the trim's left edge (a cover's spine), marked
    #: in the slug beside the crop marks.
    folds: tuple[float, ...] = ()

    @property
    def cmyk(self) -> bool:
        return self.profile.cmyk and self.variant.startswith("pdf/x")

    @property
    def page_bleed(self) -> str:
        """The bleed WeasyPrint lays the page out with: the bleed, plus the
        slug when marks are drawn."""
        if not self.marks:
            return self.bleed
        return f"{length_mm(self.bleed) + SLUG_MM:g}mm" if self.bleed else f"{SLUG_MM:g}mm"

    @property
    def boxed(self) -> bool:
        """Whether the finisher sets the page boxes (a bleed or marks asked for)."""
        return bool(self.bleed) or self.marks


def job(name: str, bleed: str, marks: bool, pdfx: str, paper: str = "white") -> Job:
    """The job of profile ``name``, ``bleed`` and ``marks`` as the options
    give them (``bleed`` "" and ``marks`` False: the row's), on ``paper``."""
    try:
        row = resolved(name, pdfx, bleed, paper)
    except ValueError as e:
        raise PrintError(str(e)) from None
    return Job(row, row.pdf_variant, "" if row.screen else row.bleed,
               not row.screen and (marks or row.marks))


def check_trim(chosen: Job, trim_name: str, trim: tuple[float, float]) -> None:
    """A PrintError unless ``trim`` is one of the row's trims (any when it lists none)."""
    from .geometry import parse_trim

    allowed = chosen.profile.trims
    if allowed and all(parse_trim(name) != trim for name in allowed):
        raise PrintError(f"trim {trim_name!r} ({trim[0]:g}×{trim[1]:g} mm) is not one "
                         f"{chosen.profile.name} prints: {', '.join(allowed)}")


def check_pages(chosen: Job, pages: int, trim: tuple[float, float]) -> None:
    """A warning when ``pages`` is outside the row's range for the job's paper
    and ``trim``: the build still writes the files, to be looked at, and
    ``publish check`` fails them."""
    row = chosen.profile
    least, most = page_range(row, trim)
    where = f"{row.name} ({row.paper} paper)" if row.most_pages else row.name
    if pages < least:
        LOGGER.warning("%d pages: %s prints at least %d", pages, where, least)
    elif pages > most:
        LOGGER.warning("%d pages: %s prints at most %d", pages, where, most)


def cmyk_profile():
    """WeasyPrint's colour profile of the CMYK output intent, read from the
    first system ICC file found; a PrintError naming the package when none is."""
    from weasyprint.css import ColorProfile

    for path in CMYK_PROFILES:
        if path.is_file():
            with path.open("rb") as file:
                return ColorProfile(file, path.name, "relative-colorimetric",
                                    (["c"], ["m"], ["y"], ["k"]))
    raise PrintError("a CMYK output intent needs an ICC profile: none of "
                     + ", ".join(map(str, CMYK_PROFILES))
                     + f" exists (install Debian's {CMYK_PACKAGE}: scripts/setup.sh)")


def render_options(chosen: Job) -> dict:
    """WeasyPrint's rendering options for the job (empty for a plain PDF)."""
    found: dict = {}
    if chosen.variant.startswith("pdf/x"):
        found["pdf_variant"] = chosen.variant
    if chosen.cmyk:
        found["color_profiles"] = {"device-cmyk": cmyk_profile()}
        found["output_intent"] = "device-cmyk"
        cmyk.install()
    return found


def write_options(chosen: Job) -> dict:
    """WeasyPrint's write_pdf options for the job."""
    found: dict = {}
    if chosen.variant.startswith("pdf/x"):
        found["pdf_variant"] = chosen.variant
    if chosen.cmyk:
        found["output_intent"] = "device-cmyk"
    if chosen.profile.full_fonts:
        found["full_fonts"] = True
    return found


def converter(chosen: Job):
    """What makes a raster image over for the job: for PDF/X-1a (no RGB, no
    transparency) a CMYK JPEG through the output profile, transparency
    flattened on white; None when images go in as they are."""
    if not (chosen.cmyk and chosen.variant == "pdf/x-1a"):
        return None
    profile = cmyk_profile()

    def convert(path: Path, folder: Path) -> Path:
        from PIL import Image, ImageCms

        with Image.open(path) as image:
            image.load()
            rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        cmyk = ImageCms.profileToProfile(flat, ImageCms.createProfile("sRGB"),
                                         profile._profile, outputMode="CMYK")
        out = folder / f"{path.stem}-{len(list(folder.iterdir()))}-cmyk.jpg"
        cmyk.save(out, "JPEG", quality=95, dpi=image.info.get("dpi", (300, 300)))
        return out
    return convert


def pad(rendered, chosen: Job, blank) -> int:
    """Add blank pages (``blank()``: a WeasyPrint page with nothing on it but
    the marks) to the end of ``rendered`` up to the row's signature; how many."""
    count = padded(len(rendered.pages), chosen.profile) - len(rendered.pages)
    if count:
        rendered.pages.extend([blank()] * count)
    return count


def blank_page_css(width: float, height: float, chosen: Job) -> str:
    """The one @page rule of a blank page: the trim, the bleed and the marks."""
    extra = f" bleed: {chosen.page_bleed};" if chosen.page_bleed else ""
    return f"@page {{ size: {width}mm {height}mm; margin: 0;{extra} }}"


def finish(pdf, chosen: Job, identifier: bytes) -> None:
    """Each page's BleedBox the trim plus the bleed (WeasyPrint's is at most
    10 pt out, and with marks it would be the slug's edge); the X-4 XMP's
    random DocumentID made the book's, so a rebuild is the same bytes."""
    import hashlib

    import pydyf

    if chosen.boxed:
        bleed = length_mm(chosen.bleed) * 72 / 25.4 if chosen.bleed else 0.0
        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            left, top, right, bottom = page["TrimBox"]
            page["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed,
                                            bottom + bleed])
            if chosen.marks:
                _draw_marks(pdf, page, bleed, [fold * _MM for fold in chosen.folds])
    if chosen.variant == "pdf/x-1a":
        _device_colour_spaces(pdf)
    metadata = pdf.catalog.get("Metadata")
    if metadata is not None:
        stream = pdf.objects[int(bytes(metadata).split()[0])]  # a reference, b"N 0 R"
        digest = hashlib.sha256(identifier).hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        stream.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", f"xmp.did:{uuid}".encode(), part)
                         for part in stream.stream]


def _draw_marks(pdf, page, bleed: float, folds: list[float]) -> None:
    """Crop marks at the trim's corners, fold marks above and below each of
    ``folds`` (pt from the trim's left edge: a cover's spine) and a
    registration target at the middle of each side (of each panel between
    the folds), stroked in the slug beyond the bleed (``bleed``, pt) in
    registration colour (100 % of every ink), after the page's content."""
    import pydyf

    x0, y0, x1, y1 = (float(v) for v in page["TrimBox"])
    near, far = bleed + _MARK_FROM * _MM, bleed + _MARK_TO * _MM
    ops = ["q 1 1 1 1 K 0.25 w [] 0 d 0 J"]
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        ops.append(f"{x + sx * near:.3f} {y:.3f} m {x + sx * far:.3f} {y:.3f} l S")
        ops.append(f"{x:.3f} {y + sy * near:.3f} m {x:.3f} {y + sy * far:.3f} l S")
    edges = [x0] + [x0 + fold for fold in folds] + [x1]
    for x in edges[1:-1]:
        ops.append(f"{x:.3f} {y0 - near:.3f} m {x:.3f} {y0 - far:.3f} l S "
                   f"{x:.3f} {y1 + near:.3f} m {x:.3f} {y1 + far:.3f} l S")
    at, r = bleed + _TARGET_AT * _MM, _TARGET_R * _MM
    panels = [(a + b) / 2 for a, b in zip(edges, edges[1:]) if b - a > 4 * r]
    for cx, cy in ([(x, y) for x in panels for y in (y0 - at, y1 + at)]
                   + [(x0 - at, (y0 + y1) / 2), (x1 + at, (y0 + y1) / 2)]):
        k = 0.5523 * r   # four Bézier quarters make the circle
        ops.append(f"{cx + r:.3f} {cy:.3f} m "
                   f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
                   f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
                   f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
                   f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S")
        ops.append(f"{cx - 1.4 * r:.3f} {cy:.3f} m {cx + 1.4 * r:.3f} {cy:.3f} l "
                   f"{cx:.3f} {cy - 1.4 * r:.3f} m {cx:.3f} {cy + 1.4 * r:.3f} l S")
    ops.append("Q")
    # The page's own content runs inside q … Q, so the marks start from the
    # default user space whatever it leaves set.
    before, after = pydyf.Stream([b"q"]), pydyf.Stream([("Q\n" + "\n".join(ops)).encode()])
    pdf.add_object(before)
    pdf.add_object(after)
    page["Contents"] = pydyf.Array([before.reference, page["Contents"], after.reference])


def _device_colour_spaces(pdf) -> None:
    """PDF/X-1a admits device colour only (ISO 15930-4: CMYK, gray, spot) and
    no transparency:
    WeasyPrint's shared colour spaces ``lab-d50`` and ``lab-d65`` go when no
    content uses them, and ``device-cmyk`` (the output profile, ICC-based)
    is plain /DeviceCMYK."""
    import pydyf

    def used(name: bytes) -> bool:  # named by a content stream (as "/lab-d50 cs")
        return any(name in (part if isinstance(part, bytes) else str(part).encode())
                   for obj in pdf.objects if isinstance(obj, pydyf.Stream) for part in obj.stream)

    for obj in pdf.objects:
        # A group WeasyPrint makes for an SVG (a bar code) whose graphics states
        # set no alpha below 1, soft mask or blend: drawn without it, the same.
        if (isinstance(obj, pydyf.Stream) and isinstance(group := obj.extra.get("Group"), dict)
                and group.get("S") == "/Transparency"
                and _opaque(pdf, _resolved(pdf, obj.extra.get("Resources")).get("ExtGState"))):
            del obj.extra["Group"]
        if isinstance(obj, pydyf.Dictionary) and "lab-d50" in obj and "lab-d65" in obj:
            for name in ("lab-d50", "lab-d65"):
                if not used(f"/{name}".encode()):
                    del obj[name]
            if "device-cmyk" in obj:
                obj["device-cmyk"] = "/DeviceCMYK"


def _opaque(pdf, states) -> bool:
    """Whether the graphics states ``states`` (a resource dictionary) set no
    transparency: alpha 1 or none, no soft mask, the normal blend."""
    for state in _resolved(pdf, states).values():
        state = _resolved(pdf, state)
        if (any(float(state.get(key, 1)) != 1 for key in ("CA", "ca"))
                or state.get("SMask", "/None") != "/None"
                or state.get("BM", "/Normal") not in ("/Normal", "/Compatible")):
            return False
    return True


def _resolved(pdf, value) -> dict:
    """``value`` (a dictionary or a reference ``b"N 0 R"`` to one) as a dictionary."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, str) and value.endswith(" R"):
        value = pdf.objects[int(value.split()[0])]
    return value if isinstance(value, dict) else {}
