"""Image types every edition can carry (EPUB 3 core media types that
WeasyPrint also draws), recognised by their first bytes, never by name.
Imports nothing from the package.
"""

from __future__ import annotations

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
