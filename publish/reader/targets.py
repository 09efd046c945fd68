"""Where the manuscript's links and images point, checked.

``link_target`` turns a link into an absolute URL (a safe scheme) or a
place in the book (``other.md#anchor`` becomes ``#ch03-s1``); anything else
is dropped with a warning and its text kept.  ``image_path`` turns an
image's ``src`` into a path inside the manuscript, after checking the file:
a missing file, one outside the manuscript or of an unusable type is an
error; a remote or ``data:`` image is dropped with a warning (builds never
fetch).
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from pathlib import Path

from ..errors import ManuscriptError
from ..images import SVG, ImageProblem, clean_svg, resolve_image
from ..log import LOGGER
from ..media import image_problem, media_type
from .headings import HeadingPlan
from .sanitize import SAFE_LINK_SCHEMES, Node, url_scheme
from .sourcetree import SourceTree


def link_target(href: str, src: SourceTree, plan: HeadingPlan) -> str | None:
    """An absolute URL as is; a place in the book as ``#id``; else None (with a warning)."""
    scheme = url_scheme(href)
    if scheme in SAFE_LINK_SCHEMES:
        return href
    if scheme:
        src.warn(f"link {href[:60]!r} removed, its text kept", href[:60])
        return None
    path, _, fragment = href.partition("#")
    file = src.name
    if path and src.summary is not None:  # an mdBook: a path from the src folder
        file = posixpath.normpath(posixpath.join(posixpath.dirname(src.name),
                                                 urllib.parse.unquote(path)))
        file = re.sub(r"\.html?$", ".md", file)
    elif path:
        candidate = (src.path.parent / path).resolve()
        if candidate.suffix in (".html", ".htm"):
            candidate = candidate.with_suffix(".md")
        file = candidate.name if candidate.parent == src.path.parent.resolve() else ""
    target = plan.target(file, fragment)
    if target is not None:
        return "#" + target
    src.warn(f"link target {href!r} is not in the book; kept as text", href)
    return None


def image_path(img: Node, src: SourceTree, root: Path) -> str | None:
    """The image's path relative to the manuscript ``root``, after checking it.

    A missing file, or one outside the manuscript directory, is an error;
    a remote or data URL is dropped with a warning (builds never fetch).
    """
    raw = img.attrs.get("src", "").strip()
    line = src.line_of_image(raw) if raw else None
    at = f"{src.path}:{line}" if line else str(src.path)
    scheme = url_scheme(raw)
    if not raw:
        src.warn("image without a source dropped", "<img")
        return None
    if scheme in ("http", "https", "ftp") or raw.startswith(("//", "\\\\")):
        LOGGER.warning("%s: %s", at, f"remote image not fetched, its alt text kept: {raw[:60]}")
        return None
    if scheme == "data":
        LOGGER.warning("%s: %s", at, "image in a data: URI not used (save it as a file in "
                       "the manuscript), its alt text kept")
        return None
    if scheme:
        raise ManuscriptError(f"image {raw!r}: only files inside the manuscript can be used",
                              src.path, line)
    target = resolve_image(src.path.parent, raw, [root], "image", where=src.path, line=line)
    _check_file(target, raw, root, src.path, line)
    return target.relative_to(root).as_posix()


def _check_file(target: Path, raw: str, root: Path, where: Path, line: int | None) -> None:
    """An error unless ``target`` is an image a book can carry; an SVG is
    cleaned, with a warning for what was removed from it."""
    at = f"{where}:{line}" if line else str(where)
    kind = media_type(target)
    if kind is None:
        raise ManuscriptError(f"image {raw!r}: unsupported type (use PNG, JPEG, GIF, WebP "
                              "or SVG)", where, line)
    if kind == SVG:
        try:
            cleaned = clean_svg(target, [root])
        except ImageProblem as e:
            raise ManuscriptError(f"image {raw!r}: {e}", where, line) from None
        if cleaned.scripts:
            LOGGER.warning("%s: SVG image %r: scripts and event handlers removed", at, raw)
        if cleaned.notes:
            LOGGER.warning("%s: SVG image %r: removed what a book cannot carry: %s", at, raw,
                           "; ".join(dict.fromkeys(cleaned.notes)))
    elif (problem := image_problem(target, kind)):
        raise ManuscriptError(f"image {raw!r}: {problem}", where, line)
