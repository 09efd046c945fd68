"""Turn the inline content of an element (text, emphasis, links…) into model inlines.

``InlineConverter.convert`` maps each inline element to its model inline
(``<em>`` to ``Emph``, ``<ruby>`` to ``Ruby``, Python-Markdown's footnote
call to ``NoteRef``…), keeps the text of elements it does not know, joins
adjacent text and collapses white space across the joins, and trims the
ends.  An element of raw HTML with a ``lang`` (``<span lang="ja">``) is a
``Span`` in that language.  What depends on the rest of the book (a note's
number, an image's checked path, a link's target, a ``lang`` checked) it
asks the builder for, through four functions given when it is made; a
formula (``<span class="math …">``) through a fifth, which checks that it
parses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import model as m
from ..typography import collapse_whitespace
from .headings import HEADINGS
from .names import DOT_CLASS, MATH_CLASS, NOTE_ID_PREFIX, NOTE_REF_CLASS
from .sanitize import Node

#: Elements that make blocks; met inside a line, they keep only their text.
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "pre", "table", "hr", "figure", "section",
    "article", "aside", "header", "footer", "main", "nav", "center", "details", "summary",
    "dl", "dt", "dd", "address", "body", "html", *HEADINGS,
})

#: Elements that wrap their content in one model inline.
_WRAPPERS: dict[str, Callable[[tuple[m.Inline, ...]], m.Inline]] = {
    "strong": m.Strong, "b": m.Strong,
    "sub": m.Subscript,
    "s": m.Strikeout, "del": m.Strikeout, "strike": m.Strikeout,
    "u": m.Underline, "ins": m.Underline,
}
_CODE = ("code", "kbd", "samp", "tt")

NoteCall = Callable[[str], m.NoteRef | None]
"""The call of a footnote by its label, or None when the call is left out."""
ImageSource = Callable[[Node], str | None]
"""An ``<img>``'s checked path in the manuscript, or None when it is dropped."""
LinkTarget = Callable[[str], str | None]
"""An ``href``'s target (a URL or ``#id``), or None when the link is dropped."""
Language = Callable[[Node], str]
"""An element's ``lang``, checked ("" for none)."""
Formula = Callable[[str, bool], m.Inline]
"""A formula's TeX (and whether it is displayed) as an inline: ``Math``, or
its text as written when it does not parse."""


def _as_math(tex: str, display: bool) -> m.Inline:
    return m.Math(tex, display)


class InlineConverter:
    """Converts runs of inline nodes; see the module docstring."""

    def __init__(self, note_call: NoteCall, image_src: ImageSource, link_target: LinkTarget,
                 language: Language = lambda node: "", formula: Formula = _as_math):
        self.note_call = note_call
        self.image_src = image_src
        self.link_target = link_target
        self.language = language
        self.formula = formula

    def convert(self, nodes: list[str | Node]) -> tuple[m.Inline, ...]:
        """Convert inline content, collapse white space and trim the edges."""
        return _trim(_merge(self._list(nodes)))

    def _list(self, nodes: list[str | Node]) -> list[m.Inline]:
        out: list[m.Inline] = []
        for node in nodes:
            if isinstance(node, str):
                if node:
                    out.append(m.Text(collapse_whitespace(node)))
            elif node.tag in BLOCK_TAGS or "lang" not in node.attrs:
                out.extend(self._inline(node))
            else:
                out.extend(in_language(tuple(_merge(self._inline(node))), self.language(node)))
        return out

    def _children(self, node: Node) -> tuple[m.Inline, ...]:
        return tuple(_merge(self._list(node.children)))

    def _inline(self, node: Node) -> list[m.Inline]:
        tag = node.tag
        if tag == "sup":
            return self._sup(node)
        if tag in ("em", "i"):
            kind = m.Dotted if DOT_CLASS in node.classes() else m.Emph
            return [kind(self._children(node))]
        if tag in _WRAPPERS:
            return [_WRAPPERS[tag](self._children(node))]
        if tag in _CODE:
            return [m.Code(node.text())]
        if tag == "br":
            return [m.LineBreak()]
        if tag == "img":
            src = self.image_src(node)
            alt = collapse_whitespace(node.attrs.get("alt", "")).strip()
            return [m.Image(src, alt)] if src else ([m.Text(alt)] if alt else [])
        if tag == "ruby":
            return _ruby(node)
        if tag == "a":
            return self._link(node, self._children(node))
        if tag in ("rt", "rp"):
            return []
        if tag == "span" and MATH_CLASS in node.classes():
            return [self.formula(node.text(), "display" in node.classes())]
        if tag == "q":
            return [m.Text("“"), *self._children(node), m.Text("”")]
        if tag == "abbr" and node.attrs.get("title", "").strip():
            return [m.Abbr(self._children(node), collapse_whitespace(node.attrs["title"]).strip())]
        if tag in BLOCK_TAGS:  # block markup inside a line: keep its text
            return [m.Text(" "), *self._children(node), m.Text(" ")]
        return list(self._children(node))  # span, mark, abbr without a title, cite, font, …

    def _sup(self, node: Node) -> list[m.Inline]:
        """Python-Markdown's call is a <sup> holding only the footnote link; a
        <sup> of the author's around it keeps its other text."""
        content = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        if (len(content) == 1 and isinstance(content[0], Node) and content[0].tag == "a"
                and NOTE_REF_CLASS in content[0].classes()):
            call = self.note_call(content[0].attrs.get("href", "")[len("#" + NOTE_ID_PREFIX):])
            return [call] if call is not None else []
        return [m.Superscript(self._children(node))]

    def _link(self, node: Node, children: tuple[m.Inline, ...]) -> list[m.Inline]:
        href = node.attrs.get("href", "").strip()
        if not href:
            return list(children)
        target = self.link_target(href)
        if target is None:
            return list(children)
        if not children:
            children = (m.Text(href),)
        return [m.Link(children, target, node.attrs.get("title", ""))]


def in_language(inlines: tuple[m.Inline, ...], lang: str) -> tuple[m.Inline, ...]:
    """``inlines`` as a ``Span`` in ``lang`` (as they are when ``lang`` is "" or
    they are empty)."""
    return (m.Span(inlines, lang),) if lang and inlines else inlines


def _ruby(node: Node) -> list[m.Inline]:
    base, annotation = [], []
    for c in node.children:
        if isinstance(c, str):
            base.append(c)
        elif c.tag == "rt":
            annotation.append(c.text())
        elif c.tag != "rp":
            base.append(c.text())
    b, a = "".join(base).strip(), "".join(annotation).strip()
    return [m.Ruby(b, a)] if a else [m.Text(b)]


_SPACES = re.compile(r" {2,}")


def _merge(inlines: list[m.Inline]) -> list[m.Inline]:
    """Join adjacent Text nodes; collapse spaces across their seams."""
    out: list[m.Inline] = []
    run: list[m.Text] = []  # the Text nodes being joined, joined once at the end
    for node in inlines:
        if isinstance(node, m.Text):
            if run or node.text:
                run.append(node)
            continue
        if run:
            out.append(_joined(run))
            run = []
        out.append(node)
    if run:
        out.append(_joined(run))
    # White space right after a line break is not content.
    for i in range(1, len(out)):
        if isinstance(out[i - 1], m.LineBreak) and isinstance(out[i], m.Text):
            out[i] = m.Text(out[i].text.lstrip(" "))
    return [n for n in out if not (isinstance(n, m.Text) and not n.text)]


def _joined(run: list[m.Text]) -> m.Text:
    """One Text of ``run``'s, spaces collapsed across the seams."""
    if len(run) == 1:
        return run[0]
    return m.Text(_SPACES.sub(" ", "".join(node.text for node in run)))


def _trim(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Strip white space at both ends of a block's inline content."""
    items = list(inlines)
    while items and isinstance(items[0], m.Text) and not items[0].text.strip():
        items.pop(0)
    while items and isinstance(items[-1], (m.Text, m.LineBreak)) and (
        isinstance(items[-1], m.LineBreak) or not items[-1].text.strip()
    ):
        items.pop()
    if items and isinstance(items[0], m.Text):
        items[0] = m.Text(items[0].text.lstrip())
    if items and isinstance(items[-1], m.Text):
        items[-1] = m.Text(items[-1].text.rstrip())
    return tuple(items)
