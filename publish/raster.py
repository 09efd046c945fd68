"""Raster images resampled for the printed page.

``print_copy`` makes a copy of a manuscript's PNG, JPEG, GIF or WebP at
300 dpi at the size it is placed at (150 for the screen) and in a mode
WeasyPrint draws right, turned upright as its EXIF orientation says; a large
plain PNG is reduced a band of rows at a time (``png``), a large JPEG decoded
at a fraction of its size.  The placed size never changes.  Imports nothing
from the package but ``media`` and ``png``.
"""

from __future__ import annotations

import math
from pathlib import Path

from .media import STREAM_PIXELS
from .png import SIGNATURE as PNG_SIGNATURE
from .png import PngLayout, png_chunk, png_layout, png_rows

#: Print resolution at the placed size, pixels per inch.
PRINT_DPI = 300
SCREEN_DPI = 150
#: CSS px per pt: WeasyPrint places an image at 96 pixels per inch.
PT_PER_PX = 0.75

#: Bytes of PNG rows decoded at once by ``print_copy`` (8 MB: 600 rows of 4,000 RGBA pixels).
_BAND_BYTES = 1 << 23
#: Modes WeasyPrint 70 draws right (it converts "1" and "P" without transparency itself).
_DRAWN = frozenset({"L", "LA", "RGB", "RGBA", "1"})


def print_copy(path: Path, max_width: float, dpi: int, out: Path) -> Path | None:
    """A copy of the raster image ``path`` in the directory ``out``, resampled
    to ``dpi`` at the width it will be placed at (its width at 96 pixels per
    inch, at most ``max_width`` pt: the text block) and in a mode WeasyPrint
    draws (16-bit grey, palettes with transparency, CMYK and the like
    converted); None when the file can be used as it is.  The placed size is
    unchanged: a copy is never narrower than 96 pixels per inch at it."""
    from PIL import Image

    with Image.open(path) as image:
        fmt = image.format
        width, height = image.size
        orientation = _orientation(image)
        turned = orientation in (5, 6, 7, 8)
        placed_px = width if not turned else height   # pixels across once turned upright
        placed = min(placed_px * PT_PER_PX, max_width)
        target = max(1, math.ceil(placed / 72 * dpi))
        shrink = placed_px > target * 1.1
        mode_ok = (image.mode in _DRAWN and "transparency" not in image.info) or (
            image.mode == "P" and "transparency" not in image.info) or (
            image.mode == "CMYK" and fmt == "JPEG")
        if not shrink and mode_ok and orientation == 1:
            return None
        upright = (height, width) if turned else (width, height)
        size = (target, max(1, round(upright[1] * target / upright[0])))
        if shrink and fmt == "PNG" and width * height > STREAM_PIXELS and (
                layout := png_layout(path)) is not None:
            picture = _reduced_png(path, layout, max(1, placed_px // (2 * target)))
            image = None
        if image is not None:
            if shrink and fmt == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 of the size straight away (never below ``size``).
                image.draft(image.mode, (size[1], size[0]) if turned else size)
            image.load()
            picture = _drawable(image, keep_cmyk=fmt == "JPEG")
        if orientation != 1:
            picture = _upright(picture, orientation)
        if shrink:
            picture = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out.mkdir(parents=True, exist_ok=True)
    index = len(list(out.iterdir())) + 1
    if fmt == "JPEG" and picture.mode in ("L", "RGB", "CMYK"):
        copy = out / f"{index:04d}.jpg"
        picture.save(copy, format="JPEG", quality=92)
    else:
        copy = out / f"{index:04d}.png"
        picture.save(copy, format="PNG", compress_level=1)
    return copy


def upright_size(path: Path) -> tuple[int, int]:
    """The pixel size of a raster image as it is shown (EXIF orientation applied)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        return (height, width) if _orientation(image) in (5, 6, 7, 8) else (width, height)


def _orientation(image) -> int:
    """The EXIF orientation of an opened image (1: upright).  A PNG's is read
    only from an eXIf chunk before the pixels: Pillow would decode the whole
    image to look for one after them."""
    from PIL import Image

    if image.format != "PNG":
        return image.getexif().get(0x0112, 1)
    raw = image.info.get("exif")
    if not raw:
        return 1
    exif = Image.Exif()
    exif.load(raw)
    return exif.get(0x0112, 1)


def _upright(picture, orientation: int):
    """``picture`` turned as its EXIF orientation says."""
    from PIL import Image

    steps = {2: [Image.Transpose.FLIP_LEFT_RIGHT], 3: [Image.Transpose.ROTATE_180],
             4: [Image.Transpose.FLIP_TOP_BOTTOM], 5: [Image.Transpose.TRANSPOSE],
             6: [Image.Transpose.ROTATE_270], 7: [Image.Transpose.TRANSVERSE],
             8: [Image.Transpose.ROTATE_90]}
    for step in steps.get(orientation, []):
        picture = picture.transpose(step)
    return picture


def _reduced_png(path: Path, layout: PngLayout, factor: int):
    """The PNG reduced ``factor`` times (box average) in a drawable mode,
    decoded a band of rows at a time: each band is a small PNG of its own
    (its first row the previous band's last, unfiltered, for the filters that
    look up), so the whole image is never in memory."""
    import io
    import struct
    import zlib

    from PIL import Image

    rows = factor * max(1, _BAND_BYTES // (layout.stride * factor))
    bands = []
    previous = b""
    for block in png_rows(path, layout, rows):
        count = len(block) // layout.stride + (1 if previous else 0)
        header = struct.pack(">IIBBBBB", layout.width, count, 8, layout.colour, 0, 0, 0)
        data = (PNG_SIGNATURE + png_chunk(b"IHDR", header) + b"".join(layout.extra)
                + png_chunk(b"IDAT", zlib.compress((b"\x00" + previous if previous else b"")
                                                   + block, 0))
                + png_chunk(b"IEND", b""))
        with Image.open(io.BytesIO(data)) as band:
            band.load()
            previous = band.crop((0, count - 1, layout.width, count)).tobytes()
            if count * layout.stride > len(block):  # drop the row borrowed from before
                band = band.crop((0, 1, layout.width, count))
            bands.append(_drawable(band).reduce(factor))
    out = Image.new(bands[0].mode, (bands[0].width, sum(b.height for b in bands)))
    top = 0
    for band in bands:
        out.paste(band, (0, top))
        top += band.height
    return out


def _drawable(image, keep_cmyk: bool = False):
    """``image`` in L, LA, RGB or RGBA (or CMYK, for a JPEG: WeasyPrint
    embeds it as it is, with Adobe's inverted values undone)."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA") and "transparency" not in image.info:
        return image
    if mode == "CMYK" and keep_cmyk:
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        wide = image if mode in ("I", "F") else image.convert("I")
        low, high = wide.getextrema()
        top = 65535 if mode.startswith("I;16") or high > 255 else 255
        if mode == "F" and high <= 1.0:
            top = 1.0
        return wide.point(lambda v: v * (255 / top)).convert("L")
    if mode in ("P", "PA", "1", "RGB", "L") and ("transparency" in image.info or mode == "PA"):
        return image.convert("RGBA")
    if mode in ("LA", "La", "PA", "RGBa", "RGBA"):
        return image.convert("RGBA")
    if mode == "P":
        return image.convert("RGB")
    if mode == "1":
        return image.convert("L")
    return image.convert("RGB")  # CMYK, YCbCr, LAB, HSV
