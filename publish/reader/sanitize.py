"""Turn an HTML string into a small, safe element tree.

The reader runs Python-Markdown to HTML (raw HTML from the manuscript
included) and parses the result here.  What comes out can only hold
elements and attributes the book model understands:

- ``script``, ``style``, ``iframe``, ``object``, ``svg`` and the like are
  removed with their content, with a warning;
- ``on*`` event handlers and ``style`` attributes are dropped; ``href``
  values with a dangerous scheme (``javascript:``, ``vbscript:``, ``data:``)
  are dropped with a warning (an image's ``src`` is checked later, by
  ``targets.image_path``: only files inside the manuscript are used);
- unknown elements (``<Sandpack>``) are unwrapped: their text is kept.

The parser is forgiving like a browser's: unclosed elements are closed at
the end of their parent, stray end tags are ignored.  Imports nothing from
the package.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from markdown.util import AMP_SUBSTITUTE

from .names import SPEAKER_ATTR

Report = Callable[[str, str], None]
"""``report(message, needle)``: a warning, and text to find its line by."""


@dataclass
class Node:
    """An element: ``tag``, attributes, and children (``str`` or ``Node``)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[str | Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        """All text below this node."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> list[str]:
        """The words of the ``class`` attribute."""
        return self.attrs.get("class", "").split()

    def iter(self, tag: str | None = None):
        """This node and every descendant element, depth first."""
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter(tag)


# Elements removed with everything inside them.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "template", "noscript", "head", "title", "textarea", "select",
    "canvas", "audio", "video", "form", "button", "input", "link", "meta", "base", "param",
    "source", "track", "portal", "dialog",
})
# Elements kept as they are (the converter knows each).
KNOWN = frozenset({
    "html", "body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "ul", "ol", "li", "pre", "code", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "colgroup", "col", "hr", "img", "figure", "figcaption", "br", "em", "i", "strong",
    "b", "a", "sup", "sub", "s", "del", "strike", "u", "ins", "kbd", "samp", "tt", "var",
    "ruby", "rt", "rp", "rb", "span", "mark", "small", "big", "abbr", "cite", "q", "dfn", "time",
    "section", "article", "aside", "header", "footer", "main", "nav", "center", "details",
    "summary", "dl", "dt", "dd", "address", "wbr", "font", "bdi", "bdo", "picture",
})
VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "meta", "link", "base",
                  "param", "source", "track", "embed", "area"})
# Attributes kept, per element ("*" for all elements).
ALLOWED_ATTRS = {
    "*": {"id", "class", "lang", "title", SPEAKER_ATTR},
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"align", "style", "colspan", "rowspan"},
    "th": {"align", "style", "colspan", "rowspan"},
    "ol": {"start"},
}
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
# Block elements that close an open <p> (HTML's implied end tags).
CLOSES_P = frozenset({
    "p", "div", "ul", "ol", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "figure", "section", "article", "aside", "header", "footer", "dl", "details",
})


def url_scheme(url: str) -> str:
    """The lower-case scheme of ``url``, or "" for a relative URL."""
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:").
    m = _SCHEME_RE.match(re.sub(r"[\t\n\r]", "", url))
    return m.group(1).lower() if m else ""


#: How deep elements may nest.  Deeper elements keep their text but not
#: their markup (reported once): every stage after this one walks the tree
#: recursively, and no book needs more (50 nested lists are 100 levels).
MAX_DEPTH = 100


class TreeBuilder(HTMLParser):
    def __init__(self, report: Report):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.root = Node("body")
        self.current = self.root
        self.depth = 0
        self.dropping: list[str] = []  # stack of tags being dropped with content
        self.flattened: list[str] = []  # open tags below MAX_DEPTH, kept as text only

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![CDATA[…]]>`` and the like; any other ``<![`` is text.

        Python 3.11's parser raises AssertionError when no name follows the
        ``<![`` (``<p><![``, found by the property tests) or the name is not a
        marked-section keyword (``<![foo]>``) instead of reading on.
        """
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.handle_data("<![")
            return i + 3

    # -- element handling ---------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self.report(f"removed <{tag}> element", f"<{tag}")
            if tag not in VOID:
                self.dropping.append(tag)
            return
        if tag not in KNOWN:
            self.report(f"unknown element <{tag}> unwrapped, its text kept", f"<{tag}")
            return
        self.close_implied(tag)
        if tag not in VOID and self.depth >= MAX_DEPTH:
            if not self.flattened:
                self.report(f"elements nested more than {MAX_DEPTH} deep: the inner ones keep "
                            "their text, not their markup", f"<{tag}")
            self.flattened.append(tag)
            return
        node = Node(tag, clean_attrs(tag, attrs, self.report), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.dropping and self.current.tag == tag:
            self.current = self.current.parent or self.root
            self.depth -= 1
        elif self.dropping and self.dropping[-1] == tag:
            self.dropping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag not in KNOWN or tag in VOID:
            return
        if self.flattened:
            if tag in self.flattened:
                del self.flattened[len(self.flattened) - 1 - self.flattened[::-1].index(tag):]
            return
        self._close_open(tag)

    def close_implied(self, tag: str) -> None:
        """Close what a start tag of ``tag`` ends (HTML's implied end tags)."""
        if tag in CLOSES_P:
            self._close_open("p")
        if tag == "li":
            self._close_open("li", stop={"ul", "ol"})
        if tag in ("td", "th"):
            self._close_open("td", stop={"tr"})
            self._close_open("th", stop={"tr"})
        if tag == "tr":
            self._close_open("tr", stop={"table", "thead", "tbody", "tfoot"})

    def _close_open(self, tag: str, stop: frozenset[str] | set[str] = frozenset()) -> None:
        """Close the nearest open ``tag`` and everything opened inside it."""
        node: Node | None = self.current
        while node is not None and node is not self.root:
            if node.tag == tag:
                self.current = node.parent or self.root
                self.depth = _depth(self.current)
                return
            if node.tag in stop:
                return
            node = node.parent

    # -- content ------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.dropping or not data:
            return
        children = self.current.children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def handle_comment(self, data: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass

def clean_attrs(tag: str, attrs: list[tuple[str, str | None]], report: Report) -> dict[str, str]:
    """The attributes of ``tag`` that are allowed, with dangerous URLs removed."""
    allowed = ALLOWED_ATTRS["*"] | ALLOWED_ATTRS.get(tag, set())
    out: dict[str, str] = {}
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            report(f"removed event handler {name}= on <{tag}>", f"{name}=")
            continue
        if name not in allowed:
            continue
        if name == "href":
            scheme = url_scheme(value)
            if scheme and scheme not in SAFE_LINK_SCHEMES:
                report(f"removed {scheme}: link", value[:40])
                continue
        if name == "style" and tag in ("td", "th"):
            # Only the text alignment Python-Markdown writes survives.
            m = re.search(r"text-align:\s*(left|right|center)", value)
            if not m:
                continue
            name, value = "align", m.group(1)
        out[name] = value
    return out


def tree_from_etree(root: ElementTree.Element, report: Report,
                    replace: dict[str, str] | None = None) -> Node:
    """Python-Markdown's element tree as a ``Node`` tree, attributes cleaned.

    Used when the document holds no raw HTML: every element then comes from
    Markdown itself, and serializing to HTML and parsing it back is not needed.
    ``replace`` maps marker strings left in the text to what they stand for.
    """
    def text_of(value: str | None) -> str:
        value = value or ""
        for marker, replacement in (replace or {}).items():
            value = value.replace(marker, replacement)
        if AMP_SUBSTITUTE in value:  # an autolinked e-mail address, its letters as entities
            value = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))
        return value

    flattened = []

    def convert(el: ElementTree.Element, parent: Node | None, depth: int = 0) -> Node:
        attrs = [(name, text_of(value)) for name, value in el.attrib.items()]
        node = Node(el.tag, clean_attrs(el.tag, attrs, report), parent=parent)
        if depth >= MAX_DEPTH:  # see MAX_DEPTH: the text stays, the markup goes
            if not flattened:
                report(f"elements nested more than {MAX_DEPTH} deep: the inner ones keep "
                       "their text, not their markup", f"<{el.tag}")
            flattened.append(el)
            if (value := text_of("".join(el.itertext()))):
                node.children.append(value)
            return node
        if el.text and (value := text_of(el.text)):
            node.children.append(code_unescape(value) if el.tag == "code" else value)
        for child in el:
            node.children.append(convert(child, node, depth + 1))
            if child.tail and (value := text_of(child.tail)):
                node.children.append(value)
        return node

    body = convert(root, None)
    body.tag = "body"
    # Markdown.convert strips the white space around the document; so do we.
    while body.children and isinstance(body.children[0], str) and not body.children[0].strip():
        body.children.pop(0)
    while body.children and isinstance(body.children[-1], str) and not body.children[-1].strip():
        body.children.pop()
    return body


def code_unescape(text: str) -> str:
    """The text of a code span or indented code block as written: Python-Markdown
    stores it escaped (``markdown.util.code_escape``: ``&`` ``<`` ``>``) for its
    serializer, which the tree taken as it is never meets."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _depth(node: Node) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def parse_html(html: str, report: Report) -> Node:
    """Parse ``html`` into a sanitized tree whose root is a ``body`` node."""
    builder = TreeBuilder(report)
    builder.feed(html)
    builder.close()
    return builder.root
