"""Image types every edition can carry (EPUB 3 core media types that
WeasyPrint also draws), recognised by their first bytes, never by name, and
checked to decode (Pillow, which WeasyPrint draws them with).

An SVG is recognised and checked by parsing it (``svg``); a large plain PNG
is checked a band of rows at a time (``png``).  Imports nothing from the
package but those two.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from .png import SIGNATURE as PNG_SIGNATURE
from .png import png_layout, png_rows
from .svg import SvgError, parse_svg, svg_size_problem

SVG = "image/svg+xml"
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    SVG: ".svg",
}

# Pillow refuses larger images as decompression bombs (Image.MAX_IMAGE_PIXELS);
# a full A4 page at 600 dpi is 35 megapixels.
MAX_PIXELS = 89_478_485

#: Above this many pixels a plain 8-bit PNG is checked (and resampled for
#: print, ``raster.print_copy``) a band of rows at a time, never decoded whole:
#: a 9400×9400 RGB image is 350 MB in Pillow.
STREAM_PIXELS = 8_000_000


def sniff(head: bytes) -> str | None:
    """The media type of a raster image from its first bytes, or None.  An
    SVG is recognised by parsing it (``media_type``), not by its first bytes: a
    licence comment may stand before its ``<svg``.

    ``sniff(b"\\x89PNG\\r\\n\\x1a\\n...") -> 'image/png'``
    """
    if head.startswith(PNG_SIGNATURE):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def media_type(path: Path) -> str | None:
    """The media type of the image file at ``path``: a raster type from its
    first bytes, ``image/svg+xml`` for XML whose root element is an SVG
    ``<svg>``; None for anything else (a file that is not well-formed XML
    included: ``image_problem`` says why)."""
    with path.open("rb") as f:
        head = f.read(512)
        if (found := sniff(head)) is not None:
            return found
        head += f.read(1 << 16)
    if b"<" not in head and not head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return None
    try:
        root = parse_svg(path.read_bytes())
    except SvgError as e:
        # Not XML at all is an unsupported type; XML with an <svg> in it that
        # does not parse is a broken SVG.
        return SVG if e.svg_root or (e.kind == "syntax" and b"<svg" in head) else None
    return SVG if root is not None else None


def image_problem(path: Path, media_type: str) -> str | None:
    """Why an image cannot go into a book (cannot be decoded, too many pixels,
    an SVG that is not well-formed XML), or None when it can.

    Each edition would otherwise fail on it differently: WeasyPrint leaves a
    hole in the PDF with a log line, an EPUB reading system shows a broken
    image, and a 20000×20000 PNG takes gigabytes to decode.
    """
    if media_type == SVG:
        return _svg_problem(path)
    if media_type == "image/png" and (layout := png_layout(path)) is not None:
        # Checked without holding it decoded (Pillow's load would).
        if STREAM_PIXELS < layout.width * layout.height <= MAX_PIXELS:
            try:
                for _ in png_rows(path, layout, max(1, (1 << 22) // layout.stride)):
                    pass
            except (ValueError, OSError) as e:
                return f"cannot be decoded: {e}"
            return None
    return _decoding_problem(path)


def _svg_problem(path: Path) -> str | None:
    try:
        root = parse_svg(path.read_bytes())
    except SvgError as e:
        return str(e)
    if root is None:
        return "not an SVG (its root element is not <svg> in the SVG namespace)"
    return svg_size_problem(root)


def _decoding_problem(path: Path) -> str | None:
    """Why Pillow cannot decode a raster image, or finds it too large; None when it can."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint switches this on for the whole process when it is imported.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"{width}×{height} pixels ({width * height / 1e6:.0f} megapixels) is "
                            f"more than a book can use ({MAX_PIXELS / 1e6:.0f}); scale it down")
                if image.format == "JPEG" and width * height > STREAM_PIXELS:
                    # Every block is still decoded (a cut file is found), at 1/8 of the size.
                    image.draft(image.mode, (width // 8, height // 8))
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        return f"cannot be decoded: {e or type(e).__name__}"
    except Image.DecompressionBombError as e:  # Pillow stops before reading the size out
        pixels = re.search(r"\((\d+) pixels\)", str(e))
        size = f"{int(pixels.group(1)) / 1e6:.0f} megapixels" if pixels else "its size"
        return f"{size} is more than a book can use ({MAX_PIXELS / 1e6:.0f}); scale it down"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None
