"""Image types every edition can carry (EPUB 3 core media types that
WeasyPrint also draws), recognised by their first bytes, never by name, and
checked to decode (Pillow, which WeasyPrint draws them with).  Imports
nothing from the package.
"""

from __future__ import annotations

import re
import warnings
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
    """The media type of a raster image from its first bytes, or None.  An
    SVG is recognised by parsing it (``media_type``), not by its first bytes: a
    licence comment may stand before its ``<svg``.

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
        return "image/svg+xml" if e.svg_root or (e.kind == "syntax" and b"<svg" in head) else None
    return "image/svg+xml" if root is not None else None


# Pillow refuses larger images as decompression bombs (Image.MAX_IMAGE_PIXELS);
# a full A4 page at 600 dpi is 35 megapixels.
MAX_PIXELS = 89_478_485


#: Above this many pixels a plain 8-bit PNG is checked (and resampled for
#: print, ``images.print_copy``) a band of rows at a time, never decoded whole:
#: a 9400×9400 RGB image is 350 MB in Pillow.
STREAM_PIXELS = 8_000_000
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PngLayout:
    """What a band-by-band reader needs of a PNG: its size, channels and the
    chunks besides the pixels (PLTE, tRNS), or None when it is not a plain
    8-bit, non-interlaced PNG."""

    def __init__(self, width: int, height: int, colour: int, extra: list[bytes],
                 idat: list[tuple[int, int]]):
        self.width, self.height, self.colour = width, height, colour
        self.channels = _PNG_CHANNELS[colour]
        self.stride = 1 + width * self.channels
        self.extra = extra      # whole PLTE and tRNS chunks, to copy
        self.idat = idat        # (offset, length) of each IDAT chunk's data


def png_layout(path: Path) -> PngLayout | None:
    """The layout of a plain PNG (``PngLayout``), or None for anything else
    (interlaced, 1, 2, 4 or 16 bits, malformed chunks)."""
    import struct

    with path.open("rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            return None
        header = None
        extra: list[bytes] = []
        idat: list[tuple[int, int]] = []
        while True:
            head = f.read(8)
            if len(head) < 8:
                return None
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IHDR":
                header = f.read(length)
                f.seek(4, 1)
            elif kind in (b"PLTE", b"tRNS"):
                extra.append(head + f.read(length + 4))
            elif kind == b"IDAT":
                idat.append((f.tell(), length))
                f.seek(length + 4, 1)
            elif kind == b"IEND":
                break
            else:
                f.seek(length + 4, 1)
    if header is None or len(header) != 13 or not idat:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or interlace or colour not in _PNG_CHANNELS or not width or not height:
        return None
    return PngLayout(width, height, colour, extra, idat)


def png_rows(path: Path, layout: PngLayout, rows: int):
    """The PNG's filtered scanlines (filter byte first), ``rows`` at a time,
    decompressed as they are read; raises ValueError when the data is cut short,
    too long or not zlib, or a row has an unknown filter."""
    import zlib

    inflate = zlib.decompressobj()
    want = rows * layout.stride
    left = layout.height * layout.stride
    pending = bytearray()
    with path.open("rb") as f:
        for offset, length in layout.idat:
            f.seek(offset)
            remaining = length
            while remaining:
                data = f.read(min(remaining, 1 << 20))
                if not data:
                    raise ValueError("image file is truncated")
                remaining -= len(data)
                while data:
                    try:
                        pending += inflate.decompress(data, max(want, 1 << 16))
                    except zlib.error as e:
                        raise ValueError(f"broken PNG data ({e})") from None
                    data = inflate.unconsumed_tail
                    while len(pending) >= want and left:
                        block = bytes(pending[:min(want, left)])
                        del pending[:len(block)]
                        left -= len(block)
                        _check_filters(block, layout.stride)
                        yield block
        pending += inflate.flush()
    if left and len(pending) >= left:
        block = bytes(pending[:left])
        del pending[:left]
        _check_filters(block, layout.stride)
        left = 0
        yield block
    if left:
        raise ValueError("image file is truncated")


def _check_filters(block: bytes, stride: int) -> None:
    if max(block[::stride]) > 4:
        raise ValueError("a PNG row has an unknown filter")


def image_problem(path: Path, media_type: str) -> str | None:
    """Why an image cannot go into a book (cannot be decoded, too many pixels,
    an SVG that is not well-formed XML), or None when it can.

    Each edition would otherwise fail on it differently: WeasyPrint leaves a
    hole in the PDF with a log line, an EPUB reading system shows a broken
    image, and a 20000×20000 PNG takes gigabytes to decode.
    """
    if media_type == "image/svg+xml":
        try:
            root = parse_svg(path.read_bytes())
        except SvgError as e:
            return str(e)
        if root is None:
            return "not an SVG (its root element is not <svg> in the SVG namespace)"
        return svg_size_problem(root)
    from PIL import Image, ImageFile, UnidentifiedImageError

    if media_type == "image/png" and (layout := png_layout(path)) is not None:
        # Checked without holding it decoded (Pillow's load would).
        if STREAM_PIXELS < layout.width * layout.height <= MAX_PIXELS:
            try:
                for _ in png_rows(path, layout, max(1, (1 << 22) // layout.stride)):
                    pass
            except (ValueError, OSError) as e:
                return f"cannot be decoded: {e}"
            return None

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


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG_NS, _XLINK_NS = SVG_NS, XLINK_NS
#: Elements WeasyPrint may draw for one SVG, counting what ``<use>``, patterns,
#: markers and the like would expand to.  A flat SVG of 50,000 elements lays
#: out in a few seconds; a "billion laughs" of nested ``<use>`` in 2 KB would
#: expand to millions and take minutes and gigabytes.
MAX_SVG_ELEMENTS = 50_000
#: Nesting of elements, references followed (WeasyPrint draws by recursion).
MAX_SVG_DEPTH = 100


class SvgError(ValueError):
    """An SVG that cannot go into a book; ``kind`` is "syntax" (not well-formed
    XML) or "limit" (too many elements or too deep)."""

    def __init__(self, kind: str, message: str, svg_root: bool = False):
        super().__init__(message)
        self.kind = kind
        self.svg_root = svg_root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_svg(data: bytes) -> ElementTree.Element | None:
    """The root element of the SVG document ``data``, or None when ``data`` is
    XML whose root is not ``<svg>``.  The DOCTYPE is dropped (internal entities
    are expanded, within expat's amplification limits; external ones are an
    error).  An ``<svg>`` without the SVG namespace gets it.  Parsing stops at
    ``MAX_SVG_ELEMENTS`` elements or ``MAX_SVG_DEPTH`` levels (``SvgError``), so
    a huge file never becomes a huge tree.  Comments are kept (those before
    the root, a licence, as its first children)."""
    builder = ElementTree.TreeBuilder(insert_comments=True)
    parser = ElementTree.XMLPullParser(events=("start", "end", "comment"),
                                       _parser=ElementTree.XMLParser(target=builder))
    root = None
    prolog: list[str] = []  # comments before the root (a licence): kept inside it
    count = depth = 0
    step = 1 << 16
    try:
        for at in range(0, max(len(data), 1), step):
            parser.feed(data[at:at + step])
            for event, element in parser.read_events():
                if event == "end":
                    depth -= 1
                    continue
                if event == "comment":
                    if root is None and element.text:
                        prolog.append(element.text)
                    continue
                count += 1
                depth += 1
                if root is None:
                    root = element
                    if element.tag not in (f"{{{SVG_NS}}}svg", "svg"):
                        return None
                if count > MAX_SVG_ELEMENTS:
                    raise SvgError("limit", f"an SVG of more than {MAX_SVG_ELEMENTS:,} elements "
                                   "is more than a book can draw; simplify it", True)
                if depth > MAX_SVG_DEPTH:
                    raise SvgError("limit", f"an SVG nested more than {MAX_SVG_DEPTH} levels deep "
                                   "is more than a book can draw; flatten it", True)
        parser.close()
    except ElementTree.ParseError as e:
        raise SvgError("syntax", f"not a well-formed SVG ({e})",
                       root is not None and _local(root.tag) == "svg") from None
    if root is None:
        raise SvgError("syntax", "not a well-formed SVG (no element)")
    for at, text in enumerate(prolog):
        comment = ElementTree.Comment(text)
        comment.tail = "\n"
        root.insert(at, comment)
    if root.tag == "svg":  # no namespace: an HTML-style <svg>; XML needs it
        for element in root.iter():
            if isinstance(element.tag, str) and not element.tag.startswith("{"):
                element.tag = f"{{{SVG_NS}}}{element.tag}"
    return root


_URL_FRAGMENT = re.compile(r"""url\(\s*['"]?\s*#([^'")\s]+)""")
_CSS_URL_FRAGMENT = re.compile(r"""([\w-]+)\s*:[^;{}]*?url\(\s*['"]?\s*#([^'")\s]+)""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_MARKED = frozenset({"path", "line", "polyline", "polygon"})
_CAP = 10 ** 15


def _href(element: ElementTree.Element) -> str:
    return (element.get(f"{{{XLINK_NS}}}href") or element.get("href") or "").strip()


def svg_size_problem(root: ElementTree.Element, extra=None) -> str | None:
    """Why an SVG is too big to draw, or None (``svg_cost``)."""
    try:
        svg_cost(root, extra)
    except SvgError as e:
        return str(e)
    return None


_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)


def _css_references(sheet: str):
    """(selector, property, id) for each ``url(#id)`` a style sheet sets:
    a selector is the (tag, classes, ids) of its last compound."""
    found = []
    for prelude, body in _CSS_RULE.findall(_CSS_COMMENT.sub(" ", sheet)):
        refs = _CSS_URL_FRAGMENT.findall(body)
        if not refs:
            continue
        for selector in prelude.split(","):
            last = re.split(r"[\s>+~]+", selector.strip())[-1] if selector.strip() else "*"
            tag = re.match(r"[a-zA-Z][\w-]*", last)
            compound = (tag.group(0) if tag else "",
                        frozenset(re.findall(r"\.([\w-]+)", last)),
                        frozenset(re.findall(r"#([\w-]+)", last)))
            found += [(compound, prop, ref) for prop, ref in refs]
    return found


def _may_match(selector: tuple[str, frozenset[str], frozenset[str]],
               element: ElementTree.Element) -> bool:
    tag, classes, ids = selector
    if tag and tag != _local(element.tag):
        return False
    if classes and not classes <= set((element.get("class") or "").split()):
        return False
    return not ids or ids <= {element.get("id")}


def svg_cost(root: ElementTree.Element, extra=None) -> int:
    """The elements WeasyPrint would draw (a long path's or text's every 64
    characters as one more), counting every ``<use>``, pattern, marker,
    gradient, clip path, mask or filter reference as a copy of what it refers
    to (a marker once per vertex), without expanding any, and how deep that
    goes.  A property set in
    a ``<style>`` sheet is taken to apply to every element its selector's last
    tag, classes and id allow (pseudo-classes and attributes are not looked
    at, so it may count more than is drawn, never less).  A reference that
    leads back to itself is a problem too (WeasyPrint would recurse forever).
    ``extra(element)`` adds what an element draws besides (an ``<image>`` of
    another SVG: that SVG's cost).  Raises ``SvgError`` past the limits.
    """
    ids: dict[str, ElementTree.Element] = {}
    css: list[tuple[tuple[str, frozenset[str], frozenset[str]], str, str]] = []
    for element in root.iter():
        if (found := element.get("id")) and found not in ids:
            ids[found] = element
        if _local(element.tag) == "style" and element.text:
            css += _css_references(element.text)

    def vertices(element: ElementTree.Element) -> int:
        if _local(element.tag) == "line":
            return 2
        data = element.get("d") or element.get("points") or ""
        return max(2, sum(1 for _ in _NUMBER.finditer(data)) // 2 + 1)

    def weight(element: ElementTree.Element) -> int:
        """What an element draws besides itself: a long path or text counts as
        one element per 64 characters (WeasyPrint takes about as long to draw
        16 points as one element)."""
        data = element.get("d") or element.get("points") or ""
        return (len(data) + len(element.text or "")) // 64

    def edges(element: ElementTree.Element):
        """(target, copies, explicit) for every child and reference."""
        for child in element:
            if isinstance(child.tag, str):
                yield child, 1, True
        href = _href(element)
        if href.startswith("#") and href[1:] in ids:
            yield ids[href[1:]], 1, True
        marked = _local(element.tag) in _MARKED
        found = []
        for name, value in element.attrib.items():
            if "url(" not in value:
                continue
            if _local(name) == "style":
                found += _CSS_URL_FRAGMENT.findall(value)
            else:
                found += [(_local(name), ref) for ref in _URL_FRAGMENT.findall(value)]
        for prop, ref in found:
            if ref in ids:
                copies = vertices(element) if marked and prop.startswith("marker") else 1
                yield ids[ref], copies, True
        for selector, prop, ref in css:
            if ref in ids and _may_match(selector, element):
                copies = vertices(element) if marked and prop.startswith("marker") else 1
                yield ids[ref], copies, False

    cost: dict[int, int] = {}
    deep: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 entered, 2 done
    stack: list[tuple[ElementTree.Element, bool]] = [(root, False)]
    while stack:
        element, finish = stack.pop()
        key = id(element)
        if finish:
            total, depth = 1 + weight(element) + (extra(element) if extra else 0), 0
            for target, copies, _ in edges(element):
                if state.get(id(target)) == 2:
                    total = min(_CAP, total + copies * cost[id(target)])
                    depth = max(depth, deep[id(target)])
            cost[key], deep[key], state[key] = total, depth + 1, 2
            if total > MAX_SVG_ELEMENTS:
                raise SvgError("limit", f"it would draw more than {MAX_SVG_ELEMENTS:,} elements "
                               "once its <use> and other references are expanded; simplify it")
            if depth + 1 > MAX_SVG_DEPTH:
                raise SvgError("limit", f"its references nest more than {MAX_SVG_DEPTH} levels "
                               "deep; flatten it")
            continue
        if state.get(key) == 2:
            continue
        state[key] = 1
        stack.append((element, True))
        for target, _, explicit in edges(element):
            seen = state.get(id(target))
            if seen == 1 and explicit:
                name = target.get("id")
                through = _local(element.tag)
                raise SvgError("limit", f"#{name} refers to itself (through <{through}>)"
                               if name else "an element refers to itself")
            if seen is None:
                stack.append((target, False))
    return cost[id(root)]


def strip_scripts(root: ElementTree.Element) -> int:
    """Remove <script>, <foreignObject>, on* handlers and javascript: links
    from an SVG tree; how many there were.  An image in a book is never
    scripted (EPUB would need the "scripted" property, and nothing a reader
    asked for runs)."""
    removed = 0
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) in ("script", "foreignObject"):
                parent.remove(child)
                removed += 1
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on") or (
                    local == "href" and re.sub(r"[\s\x00-\x1f]", "", value).lower()
                    .startswith("javascript:")):
                del element.attrib[name]
                removed += 1
    return removed


def svg_bytes(root: ElementTree.Element) -> bytes:
    """An SVG tree as UTF-8 XML with a declaration (no DOCTYPE)."""
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def svg_without_scripts(data: bytes) -> tuple[bytes, int]:
    """An SVG file without <script>, <foreignObject>, on* handlers and javascript:
    links, and how many it had."""
    root = parse_svg(data)
    if root is None:
        return data, 0
    removed = strip_scripts(root)
    if not removed:
        return data, 0
    return svg_bytes(root), removed
