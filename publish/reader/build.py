"""Turn sanitized element trees (one per manuscript file) into a ``Book``.

``BookBuilder`` walks the files' top-level elements in reading order.  A
heading the plan (``headings.plan_headings``) knows opens a part, chapter
or section (``structure``); anything else is converted to model blocks
here, their inline content by ``inlines``.  Footnotes are numbered per
chapter where they are called (``notes``), links and images are resolved
and checked (``targets``), and ``BookBuilder.book`` freezes the result.
"""

from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..formula import problem
from ..labels import labels
from ..typography import chinese_numeral, collapse_whitespace
from .headings import HEADINGS, HeadingPlan, heading_line, visible
from .inlines import BLOCK_TAGS, InlineConverter
from .names import DIALOGUE_CLASS, MATH_CLASS, SPEAKER_ATTR
from .notes import Notes, is_note_list
from .sanitize import Node
from .sourcetree import SourceTree
from .structure import Division, Structure
from .targets import image_path, link_target


class BookBuilder:
    """Walks the sources in order and collects the book's structure."""

    def __init__(self, sources: list[SourceTree], plan: HeadingPlan, root: Path,
                 language: str = "zh-Hans"):
        self.sources = sources
        self.words = labels(language)
        self.plan = plan
        self.root = root.resolve()
        self.src: SourceTree = sources[0]  # the file being walked
        self.structure = Structure()
        self.notes = Notes(self.blocks_of)
        self.inlines = InlineConverter(self._note_call, self._image_src, self._link_target,
                                       self._formula)

    # -- driving --------------------------------------------------------------
    def run(self) -> None:
        """Walk every file: a planned heading opens a division, the rest are its blocks."""
        for src in self.sources:
            self.src = src
            children = list(src.tree.children)
            while children and isinstance(children[-1], str) and not children[-1].strip():
                children.pop()
            if children and is_note_list(children[-1]):
                self.notes.collect(src, children.pop())
            for child in children:
                if child is self.plan.title_node:
                    continue
                if isinstance(child, Node) and id(child) in self.plan.kinds:
                    self._open_heading(child)
                else:
                    self.structure.add(self.blocks_of([child]))
            self.notes.set_uncalled(src, self.structure.chapter)

    def book(self, meta: m.Meta) -> m.Book:
        """The frozen book, once ``run`` has walked the sources."""
        return self.structure.freeze(meta, self.root)

    # -- what inlines ask of the book -----------------------------------------
    def _note_call(self, label: str) -> m.NoteRef | None:
        return self.notes.call(self.src, label, self.structure.chapter)

    def _image_src(self, img: Node) -> str | None:
        return image_path(img, self.src, self.root)

    def _link_target(self, href: str) -> str | None:
        return link_target(href, self.src, self.plan)

    def _formula(self, tex: str, display: bool) -> m.Inline:
        """A formula that parses as ``Math``; one that does not as its text,
        dollars and all, with a warning naming its line."""
        if display:
            tex = tex.strip()
        formula = m.Math(tex, display)
        if (why := problem(tex)) is None:
            return formula
        needle = tex.split("\n", 1)[0] if display else formula.source
        self.src.warn(f"a formula that does not parse ({why}); it is kept as text", needle)
        return m.Text(formula.source)

    # -- headings -------------------------------------------------------------
    def _open_heading(self, node: Node) -> None:
        opened = self.structure.open(self.plan.kinds[id(node)], self.plan.ids[id(node)],
                                     int(node.tag[1]))
        # The title is read once the heading is open, so a note called in it is
        # the new chapter's.
        opened.title = self.inlines.convert(node.children)
        if not visible(m.plain_text(opened.title)):
            opened.title = self._untitled(opened, heading_line(self.src, node))

    def _untitled(self, opened: Division, line: int | None) -> tuple[m.Inline, ...]:
        """A title for a heading with no text (an image without alt text, a
        zero-width space): the contents, the navigation and a document's
        <title> need words.  An image keeps its place and gets them as alt."""
        if opened.kind == "chapter":
            number = opened.number or 0
        elif opened.kind == "part":
            number = len(self.structure.body)
        else:
            number = int(opened.id.rsplit("-", 1)[-1].lstrip("s") or 0)
        shown = chinese_numeral(number) if self.words["numerals"] == "chinese" else str(number)
        name = self.words[f"untitled.{opened.kind}"].format(n=shown)
        self.src.warn(f"a heading without text; the contents call it {name!r}", "#", line)
        images = [n for n in opened.title if isinstance(n, m.Image)]
        if images:
            return tuple(m.Image(n.src, name) if n is images[0] else n for n in opened.title)
        return (m.Text(name),)

    # -- blocks ---------------------------------------------------------------
    def blocks_of(self, nodes: list[str | Node]) -> list[m.Block]:
        """Convert a run of nodes to blocks; stray inline content becomes paragraphs."""
        out: list[m.Block] = []
        pending: list[str | Node] = []

        def flush() -> None:
            if pending:
                inlines = self.inlines.convert(pending)
                if inlines:
                    out.append(m.Paragraph(inlines))
                pending.clear()

        for node in nodes:
            if isinstance(node, Node) and node.tag in BLOCK_TAGS:
                flush()
                out.extend(self.block(node))
            elif isinstance(node, Node) and node.tag == "img" and _alone(node, nodes):
                flush()
                out.extend(self._figure(node, ()))
            else:
                pending.append(node)
        flush()
        return out

    def block(self, node: Node) -> list[m.Block]:
        """The blocks one block element becomes (none, one, or its content's)."""
        tag = node.tag
        if tag == "p":
            return self._paragraph(node)
        if tag in HEADINGS:  # a heading inside a block, or below the plan's levels
            inlines = self.inlines.convert(node.children)
            return [m.Heading(int(tag[1]), inlines)] if inlines else []
        if tag == "div" and MATH_CLASS in node.classes():  # $$…$$ as a paragraph of its own
            return [m.Paragraph((self._formula(node.text(), True),))]
        if tag == "div" and DIALOGUE_CLASS in node.classes() and SPEAKER_ATTR in node.attrs:
            paras = [b for b in self.blocks_of(node.children) if isinstance(b, m.Paragraph)]
            return [m.Dialogue(node.attrs[SPEAKER_ATTR], tuple(paras) or (m.Paragraph(()),))]
        if tag == "blockquote":
            return [m.BlockQuote(tuple(self.blocks_of(node.children)))]
        if tag in ("ul", "ol"):
            return [self._list(node)]
        if tag == "li":  # a stray list item
            return self.blocks_of(node.children)
        if tag == "pre":
            return [_code(node)]
        if tag == "table":
            return self._table(node)
        if tag == "hr":
            return [m.SceneBreak()]
        if tag == "figure":
            img = next(node.iter("img"), None)
            caption_node = next(node.iter("figcaption"), None)
            caption = self.inlines.convert(caption_node.children) if caption_node else ()
            return self._figure(img, caption) if img is not None else self.blocks_of(node.children)
        return self.blocks_of(node.children)  # div, section, details, …

    def _paragraph(self, node: Node) -> list[m.Block]:
        elements = [c for c in node.children if isinstance(c, Node)]
        text = "".join(c for c in node.children if isinstance(c, str)).strip()
        if len(elements) == 1 and elements[0].tag == "img" and not text:
            return self._figure(elements[0], ())  # an image alone is a figure
        if any(c.tag in BLOCK_TAGS for c in elements):  # raw HTML put blocks in a <p>
            return self.blocks_of(node.children)
        inlines = self.inlines.convert(node.children)
        return [m.Paragraph(inlines)] if inlines else []

    def _list(self, node: Node) -> m.ListBlock:
        items = []
        for li in node.children:
            if not isinstance(li, Node):
                if li.strip():
                    items.append((m.Paragraph(self.inlines.convert([li])),))
                continue
            if li.tag != "li":
                items.append(tuple(self.blocks_of([li])))
                continue
            if any(isinstance(c, Node) and c.tag in BLOCK_TAGS for c in li.children):
                items.append(tuple(self.blocks_of(li.children)))
            else:
                inlines = self.inlines.convert(li.children)
                items.append((m.Paragraph(inlines),) if inlines else ())
        start = node.attrs.get("start", "1")
        return m.ListBlock(node.tag == "ol", tuple(items), int(start) if start.isdecimal() else 1)

    def _table(self, node: Node) -> list[m.Block]:
        header: tuple[tuple[m.Inline, ...], ...] = ()
        rows: list[tuple[tuple[m.Inline, ...], ...]] = []
        aligns: list[str] = []
        for tr in _rows(node):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            converted = tuple(self.inlines.convert(c.children) for c in cells)
            in_head = tr.parent is not None and tr.parent.tag == "thead"
            if not header and not rows and (in_head or all(c.tag == "th" for c in cells)):
                header = converted
                aligns = [c.attrs.get("align", "") for c in cells]
            else:
                rows.append(converted)
                if not aligns:
                    aligns = [c.attrs.get("align", "") for c in cells]
        width = max([len(header)] + [len(r) for r in rows] + [0])
        if width == 0:
            return []
        pad = lambda row: tuple(row) + ((),) * (width - len(row))  # noqa: E731
        aligns = [a if a in ("left", "center", "right") else "" for a in aligns]
        aligns += [""] * (width - len(aligns))
        return [m.Table(pad(header) if header else (), tuple(pad(r) for r in rows), tuple(aligns))]

    def _figure(self, img: Node, caption: tuple[m.Inline, ...]) -> list[m.Block]:
        src = self._image_src(img)
        alt = collapse_whitespace(img.attrs.get("alt", "")).strip()
        if src is None:
            return [m.Paragraph((m.Text(f"[{alt}]"),))] if alt else []
        if not caption and img.attrs.get("title"):
            caption = (m.Text(img.attrs["title"]),)
        return [m.Figure(src, alt, caption)]


def _code(node: Node) -> m.CodeBlock:
    """A <pre>: its text without the last newline, the language from its <code>."""
    code = next((c for c in node.children if isinstance(c, Node) and c.tag == "code"), None)
    language = ""
    if code is not None:
        for cls in code.classes():
            if cls.startswith("language-"):
                language = cls[len("language-"):]
    text = node.text()
    if text.endswith("\n"):
        text = text[:-1]
    return m.CodeBlock(text, language)


def _rows(table: Node) -> list[Node]:
    """The table's own rows (directly or in thead/tbody/tfoot), not those of a
    table nested in a cell, whose text its cell already holds."""
    rows = []
    for child in table.children:
        if isinstance(child, Node) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, Node) and child.tag in ("thead", "tbody", "tfoot"):
            rows += [c for c in child.children if isinstance(c, Node) and c.tag == "tr"]
    return rows


def _alone(img: Node, siblings: list[str | Node]) -> bool:
    """True when ``img`` is the only thing among its siblings but white space."""
    return all(s is img or (isinstance(s, str) and not s.strip()) for s in siblings)
