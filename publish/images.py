"""Images made ready for the editions.

- ``resolve_image``: the manuscript file a local image URL names (percent-
  decoded: ``my%20pic.png`` is ``my pic.png``), through ``inputs.check_input``.
- ``clean_svg``: an SVG file as a book may carry it: parsed (never sniffed),
  DOCTYPE dropped, UTF-8, no scripts or handlers; an ``<image>`` of another
  manuscript image checked (the megapixel rule, or the same rules again for
  an SVG) and its href given by the caller (the EPUB's packed name, the PDF's
  file URL); remote, ``file:`` and ``data:`` references, references into
  other files and ``@import`` removed, each with a note for a warning; and
  its size, counted as drawn (``media.svg_cost``), within the limits.
- ``print_copy``: a raster image resampled to what the printed page needs
  (300 dpi at its placed size, 150 for the screen), in a mode WeasyPrint draws.

No logging here: the converter warns (once, at the image's line); the
writers only rewrite.  Imports nothing from the package but ``errors``,
``inputs`` and ``media`` (``media_type`` is re-exported for the writers).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from xml.etree import ElementTree

from .errors import PublishError
from .inputs import InputError, check_input
from .media import (
    STREAM_PIXELS,
    XLINK_NS,
    SvgError,
    image_problem,
    media_type,
    parse_svg,
    png_layout,
    png_rows,
    strip_scripts,
    svg_bytes,
    svg_cost,
)

__all__ = ["SVG", "CleanSvg", "ImageProblem", "clean_svg", "clean_css", "media_type",
           "print_copy", "resolve_image"]

SVG = "image/svg+xml"
#: An SVG image may show another SVG, which may show another…: this deep.
MAX_SVG_NESTING = 4
#: Print resolution at the placed size, pixels per inch.
PRINT_DPI = 300
SCREEN_DPI = 150
#: CSS px per pt: WeasyPrint places an image at 96 pixels per inch.
PT_PER_PX = 0.75

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_HREFS = (f"{{{XLINK_NS}}}href", "href")
_LINK_SCHEMES = ("http", "https", "mailto")


class ImageProblem(ValueError):
    """Why an image cannot go into a book; the caller says where it is used."""


def scheme_of(url: str) -> str:
    found = _SCHEME.match(re.sub(r"[\t\n\r]", "", url))
    return found.group(1).lower() if found else ""


def resolve_image(base: Path, url: str, roots: Sequence[Path], what: str, **where) -> Path:
    """The real path of the manuscript file the scheme-less ``url`` names,
    relative to the directory ``base``, after ``check_input``.  The URL is
    percent-decoded as a browser would (``my%20pic.png`` is ``my pic.png``);
    a file whose name really holds the ``%`` is found too."""
    path = url.split("#")[0].split("?")[0]
    decoded = unquote(path)
    candidate = base / PurePosixPath(decoded)
    if decoded != path and not candidate.exists() and (base / PurePosixPath(path)).exists():
        candidate = base / PurePosixPath(path)
    where.setdefault("name", url)
    return check_input(candidate, roots, what, "image", **where)


# --- SVG ---------------------------------------------------------------------------------


@dataclass
class CleanSvg:
    """An SVG rewritten for a book."""

    data: bytes                                   # UTF-8 XML, no DOCTYPE
    cost: int                                     # elements drawn (media.svg_cost)
    scripts: int = 0                              # scripts and handlers removed
    notes: list[str] = field(default_factory=list)      # references removed
    images: list[tuple[Path, str]] = field(default_factory=list)  # (real path, media type)


Link = Callable[[Path, str], str]
"""``link(real_path, media_type)``: the href that replaces a reference to a
manuscript image inside an SVG."""


def clean_svg(path: Path, roots: Sequence[Path], link: Link | None = None, *,
              _chain: tuple[Path, ...] = (), _memo: dict | None = None) -> CleanSvg:
    """The SVG at ``path`` (already checked by ``check_input``) rewritten for a
    book; raises ``ImageProblem``.  ``link`` gives the href of each manuscript
    image it shows (None: kept as written)."""
    memo = {} if _memo is None else _memo
    try:
        root = parse_svg(path.read_bytes())
    except SvgError as e:
        raise ImageProblem(str(e)) from None
    except OSError as e:
        raise ImageProblem(f"cannot be read: {e.strerror}") from None
    if root is None:
        raise ImageProblem("not an SVG (its root element is not <svg> in the SVG namespace)")
    result = CleanSvg(b"", 0, strip_scripts(root))
    nested: dict[int, int] = {}
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        keep = _clean_element(element, path, roots, link, result, nested, _chain, memo)
        for child in list(element):
            if keep(child):
                stack.append(child)
    try:
        result.cost = svg_cost(root, lambda element: nested.get(id(element), 0))
    except SvgError as e:
        raise ImageProblem(str(e)) from None
    result.data = svg_bytes(root)
    return result


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean_element(element: ElementTree.Element, path: Path, roots: Sequence[Path],
                   link: Link | None, result: CleanSvg, nested: dict[int, int],
                   chain: tuple[Path, ...], memo: dict):
    """Clean one element's attributes and text; returns a test that keeps a
    child (False: the child was removed)."""
    tag = _local(element.tag)
    notes = result.notes
    if tag == "style" and element.text:
        element.text = clean_css(element.text, notes, sheet=True)
    element.attrib.pop(_XML_BASE, None)
    for name, value in list(element.attrib.items()):
        local = _local(name)
        if name in _HREFS:
            continue
        if local == "style":
            element.set(name, clean_css(value, notes, sheet=False))
        elif "url(" in value.lower() and _external_urls(value):
            notes.append(f'{local}="{_short(value)}"')
            del element.attrib[name]
    removed: set[int] = set()
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        child_tag = _local(child.tag)
        for name in _HREFS:
            href = child.get(name)
            if href is None or href.strip().startswith("#") or not href.strip():
                continue
            href = href.strip()
            scheme = scheme_of(href) or ("//" if href.startswith(("//", "\\\\")) else "")
            if child_tag == "a":
                if scheme not in _LINK_SCHEMES:
                    notes.append(f"link {_short(href)!r}")
                    del child.attrib[name]
                continue
            if child_tag in ("image", "feImage") and not scheme:
                new = _local_image(child, href, path, roots, link, result, nested, chain, memo)
                if link is not None:
                    child.set(name, new)
                continue
            kind = ("remote" if scheme in ("http", "https", "ftp", "//")
                    else f"{scheme}:" if scheme else "another file's")
            notes.append(f"<{child_tag}> of {kind} {_short(href)!r}")
            if child_tag in ("image", "feImage", "use", "tref"):
                element.remove(child)
                removed.add(id(child))
                break
            del child.attrib[name]
    return lambda child: id(child) not in removed


def _local_image(element, href: str, path: Path, roots: Sequence[Path], link: Link | None,
                 result: CleanSvg, nested: dict[int, int], chain: tuple[Path, ...],
                 memo: dict) -> str:
    """Check the manuscript image an ``<image>`` shows; its new href."""
    try:
        real = resolve_image(path.parent, href, roots, "<image>")
    except InputError as e:
        raise ImageProblem(_without_place(e)) from None
    media = media_type(real)
    if media is None:
        raise ImageProblem(f"<image> {href!r}: unsupported type (use PNG, JPEG, GIF, WebP or SVG)")
    if media == SVG:
        if real == path or real in chain:
            raise ImageProblem(f"<image> {href!r} shows the SVG itself")
        if len(chain) + 1 >= MAX_SVG_NESTING:
            raise ImageProblem(f"<image> {href!r}: SVG images nested more than "
                               f"{MAX_SVG_NESTING} deep")
        if real not in memo:
            try:
                memo[real] = clean_svg(real, roots, None, _chain=chain + (path,), _memo=memo)
            except ImageProblem as e:
                raise ImageProblem(f"<image> {href!r}: {e}") from None
        inner = memo[real]
        nested[id(element)] = inner.cost
        result.notes += [f"{note} (in {href!r})" for note in inner.notes]
        result.scripts += inner.scripts
    elif (problem := image_problem(real, media)):
        raise ImageProblem(f"<image> {href!r}: {problem}")
    elif element.get("width") is None and element.get("height") is None:
        # Its size is its pixels: say so, so that a copy resampled for print
        # (``print_copy``) is drawn as large as the original.
        width, height = _upright_size(real)
        element.set("width", str(width))
        element.set("height", str(height))
    result.images.append((real, media))
    return link(real, media) if link is not None else href


def _without_place(error: PublishError) -> str:
    message = error.message
    prefix = f"{error.path}: " if error.path is not None else ""
    return message[len(prefix):] if prefix and message.startswith(prefix) else message


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "…"


def _external_urls(value: str) -> list[str]:
    """The ``url(…)`` targets in a property value that are not ``#fragment``s."""
    found = re.findall(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)""", value, re.I)
    targets = [next((g for g in groups if g), "").strip() for groups in found]
    return [t for t in targets if not t.startswith("#")]


def clean_css(css: str, notes: list[str], sheet: bool) -> str:
    """A style sheet (``sheet``) or a ``style`` attribute without ``@import``,
    without ``@font-face`` rules that load a file, and with every ``url(…)``
    that is not a ``#fragment`` replaced by ``none``; each removal noted."""
    lowered = css.lower()
    if "url" not in lowered and "@" not in css and "\\" not in css and "image" not in lowered:
        return css
    import tinycss2

    if not sheet:
        tokens = tinycss2.parse_component_value_list(css, skip_comments=True)
        return tinycss2.serialize(_clean_tokens(tokens, notes))
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            notes.append(f"@import {_short(tinycss2.serialize(rule.prelude))}")
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            before = len(notes)
            _clean_tokens(rule.content or [], notes)
            if len(notes) > before:
                notes[before:] = ["@font-face that loads a file"]
                continue
        if rule.type in ("at-rule", "qualified-rule"):
            rule.prelude = _clean_tokens(rule.prelude, notes)
            if rule.content is not None:
                rule.content = _clean_tokens(rule.content, notes)
        kept.append(rule)
    return tinycss2.serialize(kept)


_CSS_LOADERS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade",
                          "element"})


def _clean_tokens(tokens: list, notes: list[str]) -> list:
    from tinycss2.ast import IdentToken

    out = []
    for token in tokens:
        target = None
        if token.type == "url":
            target = token.value
        elif token.type == "function" and token.lower_name in _CSS_LOADERS:
            strings = [a.value for a in token.arguments if a.type in ("string", "url")]
            target = next((t for t in strings if not t.strip().startswith("#")), None)
            if target is None and token.lower_name not in ("url", "src"):
                target = token.lower_name + "()"   # image(), element(): nothing local
        if target is not None and not target.strip().startswith("#"):
            notes.append(f"url({_short(target)})")
            out.append(IdentToken(token.source_line, token.source_column, "none"))
            continue
        if token.type in ("() block", "[] block", "{} block"):
            token.content = _clean_tokens(token.content, notes)
        elif token.type == "function":
            token.arguments = _clean_tokens(token.arguments, notes)
        out.append(token)
    return out


# --- raster images for print -------------------------------------------------------------

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


def _upright_size(path: Path) -> tuple[int, int]:
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


def _reduced_png(path: Path, layout, factor: int):
    """The PNG reduced ``factor`` times (box average) in a drawable mode,
    decoded a band of rows at a time: each band is a small PNG of its own
    (its first row the previous band's last, unfiltered, for the filters that
    look up), so the whole image is never in memory."""
    import io
    import struct
    import zlib

    from PIL import Image

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = factor * max(1, _BAND_BYTES // (layout.stride * factor))
    bands = []
    previous = b""
    for block in png_rows(path, layout, rows):
        count = len(block) // layout.stride + (1 if previous else 0)
        header = struct.pack(">IIBBBBB", layout.width, count, 8, layout.colour, 0, 0, 0)
        data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(layout.extra)
                + chunk(b"IDAT", zlib.compress((b"\x00" + previous if previous else b"") + block,
                                               0))
                + chunk(b"IEND", b""))
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
