"""What a print job asks of the PDF beyond the page (publish/profiles.py's
row, read here and nowhere else in the writer):

- PDF/X (the row's ``pdf_variant``, ``--pdfx`` choosing 1a or 4 for a PDF/X
  row) with a CMYK output intent whose ICC profile is a system file
  (Ghostscript's, Debian's libgs10-common); sRGB colours drawn as DeviceCMYK
  through that profile, greys and black as K alone (text in 100 % K);
- the bleed, and crop and registration marks drawn in a slug outside it: the
  page WeasyPrint lays out gets a bleed of bleed + slug, so its marks fall
  beyond the bleed, and the finisher sets each page's BleedBox to the trim
  plus the real bleed;
- blank pages at the end to fill the row's signature (``padded``);
- fonts embedded whole (``full_fonts``), the row's trims and page range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import PrintError
from ...log import LOGGER
from ...options import Option
from ...profiles import PROFILES, Profile, padded
from .geometry import _millimetres

PDFX = Option("pdfx", str, "", "The PDF/X version of a PDF/X profile (press): 4 (the "
              "profile's default) or 1a (a printer whose RIP wants no transparency and "
              "CMYK only).", choices=("", "1a", "4"))
#: Room outside the bleed for the crop and registration marks, mm: WeasyPrint
#: draws a mark from the media box's edge over half its bleed, so a slug at
#: least as wide as the bleed keeps every mark outside the bleed.
SLUG_MM = 10.0
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

    @property
    def cmyk(self) -> bool:
        return self.profile.cmyk and self.variant.startswith("pdf/x")

    @property
    def page_bleed(self) -> str:
        """The bleed WeasyPrint lays the page out with: the bleed, plus the
        slug when marks are drawn."""
        if not self.marks:
            return self.bleed
        return f"{_millimetres(self.bleed) + SLUG_MM:g}mm" if self.bleed else f"{SLUG_MM:g}mm"

    @property
    def boxed(self) -> bool:
        """Whether the finisher sets the page boxes (a bleed or marks asked for)."""
        return bool(self.bleed) or self.marks


def job(name: str, bleed: str, marks: bool, pdfx: str) -> Job:
    """The job of profile ``name``, ``bleed`` and ``marks`` as the options
    give them (``bleed`` "" and ``marks`` False: the row's)."""
    row = PROFILES[name]
    variant = row.pdf_variant
    if pdfx:
        if not variant.startswith("pdf/x"):
            raise PrintError(f"pdfx = {pdfx!r} applies to a PDF/X profile ("
                             + ", ".join(p.name for p in PROFILES.values()
                                         if p.pdf_variant.startswith("pdf/x"))
                             + f"), not {name!r}")
        variant = f"pdf/x-{pdfx}"
    screen = row.screen
    return Job(row, variant, "" if screen else (bleed or row.bleed),
               not screen and (marks or row.marks))


def check_trim(chosen: Job, trim_name: str, trim: tuple[float, float]) -> None:
    """A PrintError unless ``trim`` is one of the row's trims (any when it lists none)."""
    from .geometry import parse_trim

    allowed = chosen.profile.trims
    if allowed and all(parse_trim(name) != trim for name in allowed):
        raise PrintError(f"trim {trim_name!r} ({trim[0]:g}×{trim[1]:g} mm) is not one "
                         f"{chosen.profile.name} prints: {', '.join(allowed)}")


def check_pages(chosen: Job, pages: int) -> None:
    """A warning when ``pages`` is outside the row's range."""
    least, most = chosen.profile.pages
    if pages < least:
        LOGGER.warning("%d pages: %s prints at least %d", pages, chosen.profile.name, least)
    elif pages > most:
        LOGGER.warning("%d pages: %s prints at most %d", pages, chosen.profile.name, most)


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
        install_cmyk_colours()
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
    extra += " marks: crop cross;" if chosen.marks else ""
    return f"@page {{ size: {width}mm {height}mm; margin: 0;{extra} }}"


def finish(pdf, chosen: Job, identifier: bytes) -> None:
    """Each page's BleedBox the trim plus the bleed (WeasyPrint's is at most
    10 pt out, and with marks it would be the slug's edge); the X-4 XMP's
    random DocumentID made the book's, so a rebuild is the same bytes."""
    import hashlib

    import pydyf

    if chosen.boxed:
        bleed = _millimetres(chosen.bleed) * 72 / 25.4 if chosen.bleed else 0.0
        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            left, top, right, bottom = page["TrimBox"]
            page["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed,
                                            bottom + bleed])
    if chosen.variant == "pdf/x-1a":
        _device_colour_spaces(pdf)
    metadata = pdf.catalog.get("Metadata")
    if metadata is not None:
        stream = pdf.objects[int(bytes(metadata).split()[0])]  # a reference, b"N 0 R"
        digest = hashlib.sha256(identifier).hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        stream.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", f"xmp.did:{uuid}".encode(), part)
                         for part in stream.stream]


def _device_colour_spaces(pdf) -> None:
    """PDF/X-1a admits device colour only (ISO 15930-4: CMYK, gray, spot):
    WeasyPrint's shared colour spaces ``lab-d50`` and ``lab-d65`` go when no
    content uses them, and ``device-cmyk`` (the output profile, ICC-based)
    is plain /DeviceCMYK."""
    import pydyf

    contents = b"".join(b"".join(part if isinstance(part, bytes) else str(part).encode()
                                 for part in obj.stream)
                        for obj in pdf.objects if isinstance(obj, pydyf.Stream))
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and "lab-d50" in obj and "lab-d65" in obj:
            for name in ("lab-d50", "lab-d65"):
                if f"/{name}".encode() not in contents:
                    del obj[name]
            if "device-cmyk" in obj:
                obj["device-cmyk"] = "/DeviceCMYK"


_cmyk_installed = False


def install_cmyk_colours() -> None:
    """Draw sRGB colours as DeviceCMYK when the output intent is CMYK: a grey
    (black included) as K alone, any other colour through the output
    profile.  PDF/X-1a allows no RGB; a press wants text in black ink only."""
    global _cmyk_installed
    if _cmyk_installed:
        return
    from tinycss2.color5 import Color
    from weasyprint.pdf.stream import Stream

    original = Stream.set_color

    def set_color(self, color, stroke=False):
        if (self._output_intent == "device-cmyk" and color.space in ("srgb", "hsl", "hwb")
                and "device-cmyk" in self._color_profiles):
            red, green, blue = color.to("srgb").coordinates
            cmyk = _to_cmyk(self._color_profiles["device-cmyk"], red, green, blue)
            color = Color("device-cmyk", cmyk, color.alpha)
        return original(self, color, stroke)

    Stream.set_color = set_color
    _cmyk_installed = True


_transforms: dict[int, object] = {}


def _to_cmyk(profile, red: float, green: float, blue: float) -> tuple[float, ...]:
    """An sRGB colour (0–1) in CMYK (0–1): a grey as K alone, else through ``profile``."""
    clamp = [min(1.0, max(0.0, value)) for value in (red, green, blue)]
    if max(clamp) - min(clamp) < 1 / 255:
        return (0.0, 0.0, 0.0, round(1 - sum(clamp) / 3, 4))
    from PIL import Image, ImageCms

    transform = _transforms.get(id(profile))
    if transform is None:
        transform = _transforms[id(profile)] = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), profile._profile, "RGB", "CMYK")
    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in clamp))
    return tuple(round(v / 255, 4) for v in ImageCms.applyTransform(pixel, transform)
                 .getpixel((0, 0)))
