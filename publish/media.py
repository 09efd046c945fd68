"""Image types every edition can carry (EPUB 3 core media types that
WeasyPrint also draws), recognised by their first bytes, never by name, and
checked to decode (Pillow, which WeasyPrint draws them with).  Imports
nothing from the package.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}


def sniff(head: bytes) -> str | None:
    """The media type of an image from its first bytes, or None if unsupported.

    ``sniff(b"\\x89PNG\\r\\n\\x1a\\n...") -> 'image/png'``
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"<svg", b"<?xml", b"<!DOCTYPE svg")) and b"<svg" in head:
        return "image/svg+xml"
    return None


# Pillow refuses larger images as decompression bombs (Image.MAX_IMAGE_PIXELS);
# a full A4 page at 600 dpi is 35 megapixels.
MAX_PIXELS = 89_478_485


def image_problem(path: Path, media_type: str) -> str | None:
    """Why an image cannot go into a book (cannot be decoded, too many pixels,
    an SVG that is not well-formed XML), or None when it can.

    Each edition would otherwise fail on it differently: WeasyPrint leaves a
    hole in the PDF with a log line, an EPUB reading system shows a broken
    image, and a 20000×20000 PNG takes gigabytes to decode.
    """
    if media_type == "image/svg+xml":
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as e:
            return f"not a well-formed SVG ({e})"
        return None
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint switches this on for the whole process when it is imported.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return (f"{width}×{height} pixels ({width * height / 1e6:.0f} megapixels) is "
                        f"more than a book can use ({MAX_PIXELS / 1e6:.0f}); scale it down")
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


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def svg_without_scripts(data: bytes) -> tuple[bytes, int]:
    """An SVG file without <script>, <foreignObject>, on* handlers and javascript:
    links, and how many it had.  An image in a book is never scripted (EPUB
    would need the "scripted" property, and nothing a reader asked for runs)."""
    ElementTree.register_namespace("", _SVG_NS)
    ElementTree.register_namespace("xlink", _XLINK_NS)
    root = ElementTree.fromstring(data)
    removed = 0
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
                parent.remove(child)
                removed += 1
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on") or (
                    local == "href" and value.strip().lower().startswith("javascript:")):
                del element.attrib[name]
                removed += 1
    if not removed:
        return data, 0
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True), removed
