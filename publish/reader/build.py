"""Turn sanitized element trees (one per manuscript file) into a ``Book``.

``BookBuilder`` walks the files' top-level elements in reading order.  A
heading the plan (``headings.plan_headings``) knows opens a part, chapter
or section (``structure``); anything else is converted to model blocks
here, their inline content by ``inlines``.  Footnotes are numbered per
chapter where they are called (``notes``), links and images are resolved
and checked (``targets``), and ``BookBuilder.book`` freezes the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from .. import model as m
from ..formula import problem
from ..labels import labels
from ..numbers import number_label
from ..typography import collapse_whitespace
from .headings import HEADINGS, HeadingPlan, Opening, heading_level, heading_line, visible
from .inlines import BLOCK_TAGS, InlineConverter, in_language
from .language import language_tag
from .matter import strip_title
from .names import (
    ADMONITION_CLASS,
    ADMONITION_TITLE_CLASS,
    ATTRIBUTION_CLASS,
    DIALOGUE_CLASS,
    MATH_CLASS,
    SPEAKER_ATTR,
    TASK_CLASS,
    TASK_DONE_CLASS,
)
from .notes import Notes, is_note_list
from .sanitize import Node
from .sourcetree import SourceTree
from .structure import Division, Structure
from .targets import image_path, link_target


class BookBuilder:
    """Walks the sources in order and collects the book's structure."""

    def __init__(self, sources: list[SourceTree], plan: HeadingPlan, root: Path,
                 language: str = "zh-Hans", overrides: Mapping[str, str] | None = None):
        self.sources = sources
        self.words = labels(language, overrides)
        self.plan = plan
        self.root = root.resolve()
        self.src: SourceTree = sources[0]  # the file being walked
        self.structure = Structure()
        self.notes = Notes(self.blocks_of)
        self.inlines = InlineConverter(self._note_call, self._image_src, self._link_target,
                                       self._language, self._formula)

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
            for opening in self.plan.openings.get(id(src), ()):
                self._open_listed(opening)
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

    def _language(self, node: Node) -> str:
        """The ``lang`` of an element of raw HTML, checked ("" for none; one
        that is no language tag is warned of and left out)."""
        value = node.attrs.get("lang", "")
        if not value.strip():
            return ""
        tag = language_tag(value)
        if not tag:
            self.src.warn(f"lang={value!r} is not a language tag such as ja or zh-Hant; "
                          "left out", f'lang="{value}"')
        return tag

    # -- headings -------------------------------------------------------------
    def _open_listed(self, opening: Opening) -> None:
        """Open what an mdBook's SUMMARY.md opens before a file (or end the open part)."""
        if opening.kind == "end":
            self.structure.end_part()
        else:
            opened = self._open(opening.kind, opening.id, opening.level)
            opened.title = self._stripped(opening.id, (m.Text(opening.title),))

    def _open_heading(self, node: Node) -> None:
        ident = self.plan.ids[id(node)]
        opened = self._open(self.plan.kinds[id(node)], ident, heading_level(self.src, node),
                            tuple(node.classes()))
        # The title is read once the heading is open, so a note called in it is
        # the new chapter's.
        opened.title = in_language(self.inlines.convert(node.children), self._language(node))
        if not visible(m.plain_text(opened.title)):
            opened.title = self._untitled(opened, heading_line(self.src, node))
        else:
            opened.title = self._stripped(ident, opened.title)

    def _open(self, kind: str, ident: str, level: int, classes: tuple[str, ...] = ()) -> Division:
        """Open a division where the plan placed it: a back matter chapter
        after a part's chapters leaves the part; a chapter takes its number
        (none for an mdBook's prefix or suffix chapter, or a heading
        ``{.unnumbered}`` / ``{-}``), matter, kind and letter, and its
        heading's ``classes``."""
        placed = self.plan.placed.get(ident)
        if placed is not None and placed.leaves_part:
            self.structure.end_part()
        opened = self.structure.open(kind, ident, level, classes)
        if placed is not None and kind in ("chapter", "part"):
            opened.matter = placed.matter  # type: ignore[assignment]
            opened.number, opened.role, opened.letter = placed.number, placed.kind, placed.letter
        return opened

    def _stripped(self, ident: str, title: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        """An appendix's title without the 附录 its label stands for."""
        placed = self.plan.placed.get(ident)
        return strip_title(title) if placed is not None and placed.strip else title

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
        name = number_label(self.words[opened.kind], number)
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
        """The blocks one block element becomes (none, one, or its content's),
        in the element's language when it has a ``lang``."""
        blocks = self._block(node)
        lang = self._language(node)
        return [_in_language(b, lang) for b in blocks] if lang else blocks

    def _block(self, node: Node) -> list[m.Block]:
        tag = node.tag
        if tag == "p":
            return self._paragraph(node)
        if tag in HEADINGS:  # a heading inside a block, or below the plan's levels
            inlines = self.inlines.convert(node.children)
            return [m.Heading(int(tag[1]), inlines)] if inlines else []
        if tag == "div" and MATH_CLASS in node.classes():  # $$…$$ as a paragraph of its own
            return [m.Paragraph((self._formula(node.text(), True),))]
        if tag == "div" and ADMONITION_CLASS in node.classes():
            return [self._admonition(node)]
        if tag == "dl":
            return [self._definitions(node)]
        if tag == "div" and DIALOGUE_CLASS in node.classes() and SPEAKER_ATTR in node.attrs:
            paras = [b for b in self.blocks_of(node.children) if isinstance(b, m.Paragraph)]
            return [m.Dialogue(node.attrs[SPEAKER_ATTR], tuple(paras) or (m.Paragraph(()),))]
        if tag == "blockquote":
            return [self._quote(node)]
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

    def _quote(self, node: Node) -> m.BlockQuote:
        """A quotation, with its attribution when its last paragraph is one
        (``treeprocessors.AttributionTreeprocessor`` marks it)."""
        children = list(node.children)
        while children and isinstance(children[-1], str) and not children[-1].strip():
            children.pop()
        last = children[-1] if children else None
        if isinstance(last, Node) and last.tag == "p" and ATTRIBUTION_CLASS in last.classes():
            by = self.inlines.convert(last.children)
            return m.BlockQuote(tuple(self.blocks_of(children[:-1])), attribution=by)
        return m.BlockQuote(tuple(self.blocks_of(node.children)))

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
        tasks: list[bool | None] = []  # per item: done, to do, or no task
        for li in node.children:
            if not isinstance(li, Node):
                if li.strip():
                    items.append((m.Paragraph(self.inlines.convert([li])),))
                    tasks.append(None)
                continue
            classes = li.classes()
            tasks.append(TASK_DONE_CLASS in classes if TASK_CLASS in classes else None)
            if li.tag != "li":
                items.append(tuple(self.blocks_of([li])))
                continue
            if any(isinstance(c, Node) and c.tag in BLOCK_TAGS for c in li.children):
                item = tuple(self.blocks_of(li.children))
            else:
                inlines = self.inlines.convert(li.children)
                item = (m.Paragraph(inlines),) if inlines else ()
            lang = self._language(li)
            items.append(tuple(_in_language(b, lang) for b in item) if lang else item)
        start = node.attrs.get("start", "1")
        return m.ListBlock(node.tag == "ol", tuple(items), int(start) if start.isdecimal() else 1,
                           tuple(tasks) if any(t is not None for t in tasks) else ())

    def _definitions(self, node: Node) -> m.DefinitionList:
        """A ``<dl>``: each run of ``<dt>`` terms with the ``<dd>``s after it."""
        items: list[m.DefinitionItem] = []
        terms: list[tuple[m.Inline, ...]] = []
        definitions: list[tuple[m.Block, ...]] = []
        for child in node.children:
            if not isinstance(child, Node) and not child.strip():
                continue
            if isinstance(child, Node) and child.tag == "dt":
                if definitions:
                    items.append(m.DefinitionItem(tuple(terms), tuple(definitions)))
                    terms, definitions = [], []
                terms.append(self.inlines.convert(child.children))
            else:  # a <dd>, or what stands in a <dl> where a <dd> would
                content = child.children if isinstance(child, Node) and child.tag == "dd" \
                    else [child]
                definitions.append(tuple(self.blocks_of(content)))
        if terms or definitions:
            items.append(m.DefinitionItem(tuple(terms), tuple(definitions)))
        return m.DefinitionList(tuple(items))

    def _admonition(self, node: Node) -> m.Admonition:
        """``<div class="admonition KIND">`` and its title, ``<p class="admonition-title">``.

        A title the extensions gave (the kind's name: ``!!! tip`` is titled
        "Tip", GitHub's ``[!CAUTION]`` "Caution" with the class ``danger``) is
        the kind's word in the book's language; an author's title is kept."""
        kinds = [c for c in node.classes() if c != ADMONITION_CLASS]
        kind = kinds[0].lower() if kinds else "note"
        children = [c for c in node.children if isinstance(c, Node) or c.strip()]
        heading = children[0] if children and isinstance(children[0], Node) \
            and ADMONITION_TITLE_CLASS in children[0].classes() else None
        written = heading.text().strip() if heading is not None else ""
        if kind == "danger" and written == "Caution":  # markdown-callouts' [!CAUTION]
            kind = "caution"
        if heading is None:
            title: tuple[m.Inline, ...] = ()
        elif written.lower() == kind and f"admonition.{kind}" in self.words:
            title = (m.Text(self.words[f"admonition.{kind}"]),)
        else:
            title = self.inlines.convert(heading.children)
        body = children[1:] if heading is not None else children
        return m.Admonition(kind, title, tuple(self.blocks_of(body)))

    def _table(self, node: Node) -> list[m.Block]:
        header: tuple[tuple[m.Inline, ...], ...] = ()
        rows: list[tuple[tuple[m.Inline, ...], ...]] = []
        aligns: list[str] = []
        for tr in _rows(node):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            converted = tuple(in_language(self.inlines.convert(c.children), self._language(c))
                              for c in cells)
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
        elif not caption and alt:  # pandoc's implicit figure: the alt text is the caption
            caption = (m.Text(alt),)
        return [m.Figure(src, alt, caption)]


def _in_language(block: m.Block, lang: str) -> m.Block:
    """``block`` in the language ``lang`` (of a ``<div lang>`` around it, or its
    own): a paragraph or a quotation carries it, other blocks pass it to the
    paragraphs and runs of text inside them (a code block keeps none)."""
    match block:
        case m.Paragraph() | m.BlockQuote():
            return block if block.lang else dataclasses.replace(block, lang=lang)
        case m.Dialogue():
            return dataclasses.replace(block, paragraphs=tuple(
                _in_language(p, lang) for p in block.paragraphs))
        case m.ListBlock():
            return dataclasses.replace(block, items=tuple(
                tuple(_in_language(b, lang) for b in item) for item in block.items))
        case m.Table():
            return dataclasses.replace(
                block, header=tuple(in_language(c, lang) for c in block.header),
                rows=tuple(tuple(in_language(c, lang) for c in row) for row in block.rows))
        case m.Heading():
            return dataclasses.replace(block, inlines=in_language(block.inlines, lang))
        case m.Figure():
            return dataclasses.replace(block, caption=in_language(block.caption, lang))
        case m.DefinitionList():
            return dataclasses.replace(block, items=tuple(m.DefinitionItem(
                tuple(in_language(t, lang) for t in item.terms),
                tuple(tuple(_in_language(b, lang) for b in d) for d in item.definitions))
                for item in block.items))
        case m.Admonition():
            return dataclasses.replace(block, title=in_language(block.title, lang),
                                       blocks=tuple(_in_language(b, lang) for b in block.blocks))
        case m.CodeBlock() | m.SceneBreak():
            return block
        case _:  # the union is closed: a new block type must be handled here
            raise TypeError(f"unknown block {block!r}")


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
