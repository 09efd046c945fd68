"""SVG documents a book can carry: parsed within limits, what they would draw
counted (``svg_cost``), scripts and handlers taken out, written back as UTF-8.

An SVG is XML, so it is parsed, never sniffed.  WeasyPrint draws it by
recursion and expands every ``<use>``, pattern and marker, so a small file
may draw millions of elements: the limits below are checked while parsing and
again on the references, without expanding any.  Imports nothing from the
package.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
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


def local_name(tag) -> str:
    """A tag or attribute name without its namespace: ``{…/svg}use`` is ``use``;
    "" for a comment or processing instruction."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- parsing ----------------------------------------------------------------------------


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
                _check_parse_limits(count, depth)
        parser.close()
    except ElementTree.ParseError as e:
        raise SvgError("syntax", f"not a well-formed SVG ({e})",
                       root is not None and local_name(root.tag) == "svg") from None
    if root is None:
        raise SvgError("syntax", "not a well-formed SVG (no element)")
    _keep_prolog(root, prolog)
    return root


def _check_parse_limits(count: int, depth: int) -> None:
    """Raise ``SvgError`` once the elements read so far are too many or too deep."""
    if count > MAX_SVG_ELEMENTS:
        raise SvgError("limit", f"an SVG of more than {MAX_SVG_ELEMENTS:,} elements "
                       "is more than a book can draw; simplify it", True)
    if depth > MAX_SVG_DEPTH:
        raise SvgError("limit", f"an SVG nested more than {MAX_SVG_DEPTH} levels deep "
                       "is more than a book can draw; flatten it", True)


def _keep_prolog(root: ElementTree.Element, prolog: list[str]) -> None:
    """Put the comments read before ``root`` inside it, first; give an ``<svg>``
    without a namespace (an HTML-style one) the SVG namespace, as XML needs."""
    for at, text in enumerate(prolog):
        comment = ElementTree.Comment(text)
        comment.tail = "\n"
        root.insert(at, comment)
    if root.tag == "svg":
        for element in root.iter():
            if isinstance(element.tag, str) and not element.tag.startswith("{"):
                element.tag = f"{{{SVG_NS}}}{element.tag}"


# --- what it would draw -----------------------------------------------------------------

_URL_FRAGMENT = re.compile(r"""url\(\s*['"]?\s*#([^'")\s]+)""")
_CSS_URL_FRAGMENT = re.compile(r"""([\w-]+)\s*:[^;{}]*?url\(\s*['"]?\s*#([^'")\s]+)""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_MARKED = frozenset({"path", "line", "polyline", "polygon"})
_CAP = 10 ** 15
_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)

#: A selector's last compound: (tag, classes, ids).
Compound = tuple[str, frozenset[str], frozenset[str]]


def svg_size_problem(root: ElementTree.Element, extra=None) -> str | None:
    """Why an SVG is too big to draw, or None (``svg_cost``)."""
    try:
        svg_cost(root, extra)
    except SvgError as e:
        return str(e)
    return None


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
    ids, css = _targets(root)
    cost: dict[int, int] = {}
    deep: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 entered, 2 done
    stack: list[tuple[ElementTree.Element, bool]] = [(root, False)]
    while stack:  # depth first, each element settled after what it refers to
        element, finish = stack.pop()
        key = id(element)
        if finish:
            cost[key], deep[key] = _settle(element, _edges(element, ids, css), cost, deep,
                                           state, extra)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        state[key] = 1
        stack.append((element, True))
        for target, _, explicit in _edges(element, ids, css):
            seen = state.get(id(target))
            if seen == 1 and explicit:
                name = target.get("id")
                through = local_name(element.tag)
                raise SvgError("limit", f"#{name} refers to itself (through <{through}>)"
                               if name else "an element refers to itself")
            if seen is None:
                stack.append((target, False))
    return cost[id(root)]


def _settle(element, edges, cost: dict[int, int], deep: dict[int, int],
            state: dict[int, int], extra) -> tuple[int, int]:
    """An element's cost and depth, from those of the children and references
    already settled; raises ``SvgError`` past the limits."""
    total, depth = 1 + _weight(element) + (extra(element) if extra else 0), 0
    for target, copies, _ in edges:
        if state.get(id(target)) == 2:
            total = min(_CAP, total + copies * cost[id(target)])
            depth = max(depth, deep[id(target)])
    if total > MAX_SVG_ELEMENTS:
        raise SvgError("limit", f"it would draw more than {MAX_SVG_ELEMENTS:,} elements "
                       "once its <use> and other references are expanded; simplify it")
    if depth + 1 > MAX_SVG_DEPTH:
        raise SvgError("limit", f"its references nest more than {MAX_SVG_DEPTH} levels "
                       "deep; flatten it")
    return total, depth + 1


def _targets(root: ElementTree.Element):
    """The elements a reference can name (the first with each id), and the
    ``url(#id)`` references the ``<style>`` sheets set: (selector, property, id)."""
    ids: dict[str, ElementTree.Element] = {}
    css: list[tuple[Compound, str, str]] = []
    for element in root.iter():
        if (found := element.get("id")) and found not in ids:
            ids[found] = element
        if local_name(element.tag) == "style" and element.text:
            css += _css_references(element.text)
    return ids, css


def _edges(element: ElementTree.Element, ids: dict[str, ElementTree.Element],
           css: list[tuple[Compound, str, str]]):
    """(target, copies, explicit) for every child and reference: an href, a
    ``url(#id)`` in an attribute or ``style``, and (not explicit) one a style
    sheet may set on it."""
    for child in element:
        if isinstance(child.tag, str):
            yield child, 1, True
    href = _href(element)
    if href.startswith("#") and href[1:] in ids:
        yield ids[href[1:]], 1, True
    marked = local_name(element.tag) in _MARKED
    found = []
    for name, value in element.attrib.items():
        if "url(" not in value:
            continue
        if local_name(name) == "style":
            found += _CSS_URL_FRAGMENT.findall(value)
        else:
            found += [(local_name(name), ref) for ref in _URL_FRAGMENT.findall(value)]
    for prop, ref in found:
        if ref in ids:
            copies = _vertices(element) if marked and prop.startswith("marker") else 1
            yield ids[ref], copies, True
    for selector, prop, ref in css:
        if ref in ids and _may_match(selector, element):
            copies = _vertices(element) if marked and prop.startswith("marker") else 1
            yield ids[ref], copies, False


def _href(element: ElementTree.Element) -> str:
    return (element.get(f"{{{XLINK_NS}}}href") or element.get("href") or "").strip()


def _vertices(element: ElementTree.Element) -> int:
    """The points of a line, path or polygon: a marker is drawn at each."""
    if local_name(element.tag) == "line":
        return 2
    data = element.get("d") or element.get("points") or ""
    return max(2, sum(1 for _ in _NUMBER.finditer(data)) // 2 + 1)


def _weight(element: ElementTree.Element) -> int:
    """What an element draws besides itself: a long path or text counts as
    one element per 64 characters (WeasyPrint takes about as long to draw
    16 points as one element)."""
    data = element.get("d") or element.get("points") or ""
    return (len(data) + len(element.text or "")) // 64


def _css_references(sheet: str) -> list[tuple[Compound, str, str]]:
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


def _may_match(selector: Compound, element: ElementTree.Element) -> bool:
    tag, classes, ids = selector
    if tag and tag != local_name(element.tag):
        return False
    if classes and not classes <= set((element.get("class") or "").split()):
        return False
    return not ids or ids <= {element.get("id")}


# --- scripts out, bytes back ------------------------------------------------------------


def strip_scripts(root: ElementTree.Element) -> int:
    """Remove <script>, <foreignObject>, on* handlers and javascript: links
    from an SVG tree; how many there were.  An image in a book is never
    scripted (EPUB would need the "scripted" property, and nothing a reader
    asked for runs)."""
    removed = 0
    for parent in list(root.iter()):
        for child in list(parent):
            if local_name(child.tag) in ("script", "foreignObject"):
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
