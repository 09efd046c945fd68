"""The sanitized tree of a document with raw HTML, parsing only what must be.

When Python-Markdown's HTML stash is not empty (raw HTML, an entity, a fenced
code block), the document's element tree is serialized, post-processed and
parsed back through the sanitizer (``sanitize.parse_html``): raw HTML may
open an element in one block and close it blocks later, so its markup is
only known once it is parsed with everything around it.

Most of such a document is still Markdown's own elements.  ``stashed_tree``
serializes the tree with each element that the round trip would not change
(``_plain``: no stashed piece, no ``&``, only known, lower-case tags and
attributes, well nested) left out, a marker tag in its place; the parser
puts the element's direct conversion where the marker is, after the same
implied end tags its start tag would cause.  Where that conversion could
differ from the parse (an open ``p`` that an inner block would close, a
depth near ``MAX_DEPTH``), the element's own HTML is parsed in place instead.
The result is the tree ``parse_html`` makes of the whole document.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown import Markdown
from markdown.util import HTML_PLACEHOLDER_RE

from .sanitize import (
    CLOSES_P,
    DROP_WITH_CONTENT,
    KNOWN,
    MAX_DEPTH,
    VOID,
    Node,
    Report,
    TreeBuilder,
    clean_attrs,
    code_unescape,
)

#: The marker's tag: Python-Markdown removes STX (\x02) from its input, so
#: no raw HTML can name it.
MARK = "publish\x02subtree"
_ATTR = re.compile(r"[a-z][a-z0-9_.:-]*\Z")
# What the serializer writes as a bare name (then parsed as an empty value).
_BOOLEAN = frozenset({"allowfullscreen", "async", "autofocus", "autoplay", "checked",
                      "controls", "default", "defer", "disabled", "formnovalidate", "hidden",
                      "inert", "ismap", "itemscope", "loop", "multiple", "muted", "nomodule",
                      "novalidate", "open", "playsinline", "readonly", "required", "reversed",
                      "selected"})
# A code element's text as Python-Markdown escapes it: every & begins one of these.
_CODE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")
# The tags the parser keeps as they are, and those it writes no end tag for.
_TAGS = KNOWN - DROP_WITH_CONTENT
_EMPTY = VOID | ElementTree.HTML_EMPTY
# A fenced code block as Python-Markdown stashes it (and nothing more).
_CODE_BLOCK = re.compile(r'<pre><code(?: class="([^"&<>]*)")?>([^<\x02]*)</code></pre>')
# Parents an element must have so that its start tag closes nothing (close_implied).
_PARENTS = {"li": ("ul", "ol"), "td": ("tr",), "th": ("tr",),
            "tr": ("table", "thead", "tbody", "tfoot")}


@dataclass
class _Plain:
    """An element the round trip would leave as it is: its ``Node``, built
    ahead (its parent set where it is put), the warnings the build gave (in
    document order, to be given there), its height, and whether an element
    below it would close an open ``p``."""

    element: ElementTree.Element
    node: Node
    reports: list[tuple[str, str]]
    height: int = 0
    closes_p: bool = False


class _Builder(TreeBuilder):
    """``TreeBuilder`` that puts the plain elements in where their markers are."""

    def __init__(self, report: Report, md: Markdown, groups: list[list]) -> None:
        super().__init__(report)
        self.md, self.groups = md, groups

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != MARK:
            super().handle_starttag(tag, attrs)
        elif not self.dropping:  # inside a removed element, it goes with it
            for plain, tail in self.groups[int(attrs[0][1] or 0)]:
                self._put(plain)
                self.handle_data(tail)

    def _put(self, plain: _Plain) -> None:
        if self.flattened or self.depth + plain.height >= MAX_DEPTH - 1 or (
                plain.closes_p and self._p_open()):
            self._parse_in_place(plain.element)
            return
        self.close_implied(plain.node.tag)
        for message, needle in plain.reports:
            self.report(message, needle)
        plain.node.parent = self.current
        self.current.children.append(plain.node)

    def _p_open(self) -> bool:
        node: Node | None = self.current
        while node is not None:
            if node.tag == "p":
                return True
            node = node.parent
        return False

    def _parse_in_place(self, el: ElementTree.Element) -> None:
        """Parse ``el``'s HTML where the marker is, as the whole document's parse would."""
        tail, el.tail = el.tail, None
        markup = self.md.serializer(el)
        el.tail = tail
        for post in self.md.postprocessors:
            markup = post.run(markup)
        inner = TreeBuilder(self.report)
        inner.root, inner.current, inner.depth = self.root, self.current, self.depth
        inner.dropping, inner.flattened = self.dropping, self.flattened
        inner.feed(markup)
        inner.close()
        self.current, self.depth = inner.current, inner.depth


class _Survey:
    """Which elements the round trip would leave as they are (``found``, by
    ``id``: a ``_Plain`` or None), and the plain text of their tails (``tails``,
    by ``id``: the text, or None where the tail must be parsed)."""

    def __init__(self, stash: list, replace: dict[str, str]) -> None:
        self.stash, self.replace = stash, replace
        self.found: dict[int, _Plain | None] = {}
        self.tails: dict[int, str | None] = {}

    def text(self, value: str | None, code: bool = False) -> str | None:
        """``value`` as the round trip gives it back (markers replaced), or
        None if the parse could change it."""
        if not value:
            return ""
        if "\x02" in value:
            for marker, replacement in self.replace.items():
                value = value.replace(marker, replacement)
            if "\x02" in value:
                return None
        if "&" in value:
            if not code or _CODE_AMP.search(value):
                return None
            return code_unescape(value)
        return value

    def survey(self, el: ElementTree.Element) -> _Plain | None:
        """Survey ``el`` and everything below it; its ``_Plain`` or None."""
        plain = self._code_block(el)
        if plain is None:
            below = [self.survey(child) for child in el]
            tails = self.tails
            for child in el:
                tails[id(child)] = self.text(child.tail)
            plain = self._element(el, below)
        self.found[id(el)] = plain
        return plain

    def _element(self, el: ElementTree.Element, below: list[_Plain | None]) -> _Plain | None:
        tag = el.tag
        if tag not in _TAGS or None in below:
            return None
        if (text := self.text(el.text, code=tag == "code")) is None:
            return None
        if (below or text) and tag in _EMPTY:
            return None
        reports: list[tuple[str, str]] = []
        attrs: dict[str, str] = {}
        if el.attrib:
            listed = []
            for name, value in sorted(el.attrib.items()):
                if not isinstance(name, str) or not _ATTR.match(name) or name in _BOOLEAN:
                    return None
                if not isinstance(value, str) or (value := self.text(value)) is None:
                    return None
                listed.append((name, value))
            attrs = clean_attrs(tag, listed, lambda *a: reports.append(a))
        plain = _Plain(el, Node(tag, attrs, [text] if text else []), reports)
        return self._children(plain, below) if below else plain

    def _children(self, plain: _Plain, below: list[_Plain]) -> _Plain | None:
        """``plain`` with the elements below it as its node's children, or
        None if one would close it or an element above it."""
        node, tag, tails = plain.node, plain.node.tag, self.tails
        for child, el in zip(below, plain.element):
            if (tail := tails[id(el)]) is None:
                return None
            below_tag = child.node.tag
            if below_tag in _PARENTS and tag not in _PARENTS[below_tag]:
                return None
            plain.closes_p = plain.closes_p or below_tag in CLOSES_P or child.closes_p
            plain.height = max(plain.height, child.height + 1)
            plain.reports.extend(child.reports)
            child.node.parent = node
            node.children.append(child.node)
            if tail:
                node.children.append(tail)
        if plain.closes_p and tag == "p":  # an element below would close it
            return None
        return plain

    def _code_block(self, el: ElementTree.Element) -> _Plain | None:
        """The fenced code block whose placeholder paragraph ``el`` is, as the
        parse of the stashed HTML makes it, or None: the paragraph is replaced
        by the stashed ``<pre>`` (RawHtmlPostprocessor), whose text and class
        the parser unescapes."""
        if el.tag != "p" or el.attrib or len(el) or not el.text or el.text[0] != "\x02":
            return None
        key = HTML_PLACEHOLDER_RE.fullmatch(el.text)
        if not key or int(key.group(1)) >= len(self.stash):
            return None
        if not (block := _CODE_BLOCK.fullmatch(str(self.stash[int(key.group(1))]))):
            return None
        text = html.unescape(block.group(2))
        if "\x02" in text:  # a footnote marker the postprocessor would have replaced
            return None
        reports: list[tuple[str, str]] = []
        attrs = [] if block.group(1) is None else [("class", block.group(1))]
        code = Node("code", clean_attrs("code", attrs, lambda *a: reports.append(a)))
        if text:
            code.children.append(text)
        pre = Node("pre", children=[code])
        code.parent = pre
        return _Plain(el, pre, reports, height=1)


def _marked(el: ElementTree.Element, survey: _Survey, groups: list[list]
            ) -> ElementTree.Element:
    """A copy of ``el`` in which each run of plain children is one marker,
    numbered into ``groups``: each run a list of (``_Plain``, the text the
    builder puts after it).  A child whose tail is not plain text ends its
    run; the marker carries that tail, to be parsed."""
    copy = ElementTree.Element(el.tag, el.attrib)
    copy.text, copy.tail = el.text, el.tail
    run: list | None = None
    for child in el:
        if (plain := survey.found[id(child)]) is None:
            copy.append(_marked(child, survey, groups))
            run = None
            continue
        if run is None:
            marker = ElementTree.SubElement(copy, MARK, {"n": str(len(groups))})
            groups.append(run := [])
        if (tail := survey.tails[id(child)]) is not None:
            run.append((plain, tail))
        else:
            run.append((plain, ""))
            marker.tail, run = child.tail, None
    return copy


def stashed_tree(md: Markdown, root: ElementTree.Element, report: Report,
                 replace: dict[str, str]) -> Node:
    """The tree ``parse_html`` makes of ``md``'s serialized, post-processed
    output for ``root`` (``replace``: the footnote markers and what the
    footnote postprocessor puts in their place)."""
    survey = _Survey(md.htmlStash.rawHtmlBlocks, replace)
    survey.survey(root)
    groups: list[list] = []
    output = md.serializer(_marked(root, survey, groups))
    start = output.find(f"<{md.doc_tag}>")
    end = output.rfind(f"</{md.doc_tag}>")
    output = output[start + len(md.doc_tag) + 2:end] if start >= 0 and end >= 0 else ""
    for post in md.postprocessors:
        output = post.run(output)
    builder = _Builder(report, md, groups)
    builder.feed(output)
    builder.close()
    return builder.root
