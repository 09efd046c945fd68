"""Turn sanitized element trees (one per manuscript file) into a ``Book``.

Three passes over the trees:

1. ``plan_headings`` decides what the headings are: the book title (a lone
   level-1 heading at the start), parts, chapters (the configured level, or
   the shallowest one left), and sections below them, and gives each a
   stable id (``part1``, ``ch01``, ``ch01-s2``, ``ch01-s2-1``).
2. ``BookBuilder`` walks the blocks in reading order, converts them to
   model blocks and inlines, resolves links (``other.md#anchor`` becomes
   ``#ch03-s1``), numbers footnotes per chapter and checks images.
3. ``BookBuilder.book`` freezes the result.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..errors import ManuscriptError
from ..images import SVG, ImageProblem, clean_svg, resolve_image
from ..labels import labels
from ..log import LOGGER
from ..media import image_problem, media_type
from ..typography import chinese_numeral, collapse_whitespace
from .names import (
    DIALOGUE_CLASS,
    DOT_CLASS,
    NOTE_BACKREF_CLASS,
    NOTE_ID_PREFIX,
    NOTE_LIST_CLASS,
    NOTE_REF_CLASS,
    SPEAKER_ATTR,
)
from .sanitize import SAFE_LINK_SCHEMES, Node, url_scheme

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "pre", "table", "hr", "figure", "section",
    "article", "aside", "header", "footer", "main", "nav", "center", "details", "summary",
    "dl", "dt", "dd", "address", "body", "html", *HEADINGS,
})


@dataclass
class SourceTree:
    """One manuscript file: its path, its text (for line numbers) and its tree."""

    path: Path
    text: str
    tree: Node

    _searchable: str | None = None
    _lower: str | None = None
    _notes: dict[str, int] | None = None
    _newlines: list[int] | None = None
    _image_refs: dict[str, int] = field(default_factory=dict)

    def line_of_image(self, url: str) -> int | None:
        """The line of the next reference to the image ``url`` in this file:
        ``](url``, ``src="url"`` or a reference definition ``[id]: url``,
        outside code; the n-th call for one URL gives the n-th reference
        (else the last one, or where the URL first appears)."""
        if self._searchable is None:
            self._searchable = blank_code(self.text)
        index = self._image_refs.get(url, 0)
        self._image_refs[url] = index + 1
        found: list[int] = []
        for written in dict.fromkeys((url, html.escape(url, quote=False), html.escape(url))):
            pattern = re.compile(r"(?:\]\(\s*<?|\bsrc\s*=\s*[\"']?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)"
                                 + re.escape(written) + r"""(?=[\s)>"'#?]|$)""", re.M | re.I)
            found += [m.start() for m in pattern.finditer(self._searchable)]
        found.sort()
        if not found:
            return self.line_of(url)
        pos = found[min(index, len(found) - 1)]
        return self.line_at(pos)

    def line_of(self, needle: str) -> int | None:
        """The line where ``needle`` first appears in the file outside code, if it does."""
        if self._searchable is None:
            self._searchable = blank_code(self.text)
        pos = self._searchable.find(needle) if needle else -1
        if pos < 0 and needle:
            pos = self.text.find(needle)
        if pos < 0 and needle:
            if self._lower is None:
                self._lower = self.text.lower()
            pos = self._lower.find(needle.lower())
        return self.line_at(pos) if pos >= 0 else None

    def line_of_note(self, label: str) -> int | None:
        """The line of the definition ``[^label]:`` (all found in one pass, so
        naming ten thousand notes reads the file once)."""
        if self._notes is None:
            if self._searchable is None:
                self._searchable = blank_code(self.text)
            self._notes = {}
            for found in _NOTE_DEFINITION.finditer(self._searchable):
                self._notes.setdefault(found.group(1), self.line_at(found.start()))
        return self._notes.get(label) or self.line_of(f"[^{label}]:")

    def line_at(self, pos: int) -> int:
        """The line of the character at ``pos`` (from a table of line starts, so
        naming the lines of many warnings reads the file once)."""
        if self._newlines is None:
            self._newlines = [found.start() for found in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, pos) + 1

    def line_of_heading(self, node: Node) -> int | None:
        """The line of a top-level heading of this file: the n-th ATX (``## …``)
        or setext heading outside code for the n-th heading of the tree."""
        if self._searchable is None:
            self._searchable = blank_code(self.text)
        headings = [c for c in self.tree.children if isinstance(c, Node) and c.tag in HEADINGS]
        found = [m.start() for m in _HEADING_LINE.finditer(self._searchable)]
        index = next((i for i, heading in enumerate(headings) if heading is node), None)
        if index is None or len(found) != len(headings):
            return None  # a heading of raw HTML: no way to count
        return self.line_at(found[index])

    def warn(self, message: str, needle: str, line: int | None = None) -> None:
        """Log a warning about this file, at ``line`` or where ``needle`` is."""
        line = line or self.line_of(needle)
        LOGGER.warning("%s: %s", f"{self.path}:{line}" if line else str(self.path), message)


_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]+)\]:", re.M)
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}[^\s#>|-][^\n]*\n {0,3}(?:=+|-+)[ \t]*$",
                           re.M)


_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)",
                       re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def blank_code(text: str) -> str:
    """``text`` with fenced code and code spans blanked out, lines kept.

    Warnings search it, so they point at the raw HTML a reader wrote, not
    at an example of it inside code.
    """
    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    return _CODE_SPAN_RE.sub(blank, _FENCE_RE.sub(blank, text))


# --- pass 1: headings --------------------------------------------------------


@dataclass
class HeadingPlan:
    title_node: Node | None = None
    chapter_level: int = 1
    ids: dict[int, str] = field(default_factory=dict)       # id(node) -> our id
    kinds: dict[int, str] = field(default_factory=dict)     # id(node) -> part|chapter|section
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, anchor) -> id
    file_targets: dict[str, str] = field(default_factory=dict)         # file -> first id
    levels: list[int] = field(default_factory=list)  # the levels of the structural headings


def heading_anchor(text: str) -> str:
    """The anchor GitHub and most Markdown tools give a heading.

    ``heading_anchor("JavaScript 的历史") -> 'javascript-的历史'``
    """
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return re.sub(r" ", "-", text)


def plan_headings(sources: list[SourceTree], chapter_level: int | None,
                  title: str = "") -> HeadingPlan:
    """Classify the top-level headings and give each an id.

    A level-1 heading is the book's title when it is the only one, opens the
    manuscript, and either no title is configured or it repeats that title.
    """
    plan = HeadingPlan()
    structural = [(src, node) for src in sources for node in src.tree.children
                  if isinstance(node, Node) and node.tag in HEADINGS]
    levels = [int(node.tag[1]) for _, node in structural]
    if (levels and levels[0] == 1 and levels.count(1) == 1
            and _at_start(sources, structural[0][1])
            and (not title or structural[0][1].text().strip() == title.strip())):
        plan.title_node = structural[0][1]
        structural = structural[1:]
        levels = levels[1:]
    plan.chapter_level = chapter_level or (min(levels) if levels else 1)
    plan.levels = levels
    counters = {"part": 0, "chapter": 0}
    section_path: list[int] = []
    chapter_id = "front"
    for src, node in structural:
        level = int(node.tag[1])
        if level < plan.chapter_level:
            counters["part"] += 1
            kind, ident = "part", f"part{counters['part']}"
        elif level == plan.chapter_level:
            counters["chapter"] += 1
            kind, ident = "chapter", f"ch{counters['chapter']:02d}"
            chapter_id, section_path = ident, []
        else:
            depth = level - plan.chapter_level
            section_path = section_path[:depth]
            while len(section_path) < depth - 1:
                section_path.append(0)
            if len(section_path) < depth:
                section_path.append(0)
            section_path[-1] += 1
            kind = "section"
            ident = chapter_id + "-s" + "-".join(str(n) for n in section_path)
        plan.ids[id(node)] = ident
        plan.kinds[id(node)] = kind
        key = src.path.name
        plan.anchors.setdefault((key, heading_anchor(node.text())), ident)
        if "id" in node.attrs:
            plan.anchors.setdefault((key, node.attrs["id"]), ident)
        plan.file_targets.setdefault(key, ident)
    return plan


def _visible(text: str) -> bool:
    """True when ``text`` shows something: more than white space and format
    characters (zero-width space, joiners, marks of direction)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def _at_start(sources: list[SourceTree], node: Node) -> bool:
    """True when ``node`` is the first element of the first file."""
    first = next((c for c in sources[0].tree.children if isinstance(c, Node)), None)
    return first is node


# --- pass 2: blocks and inlines ----------------------------------------------


@dataclass
class _Open:
    """A chapter, part or section being filled."""

    kind: str
    id: str
    title: tuple[m.Inline, ...]
    level: int = 0
    blocks: list[m.Block] = field(default_factory=list)
    children: list[_Open] = field(default_factory=list)
    notes: list[m.Note] = field(default_factory=list)
    number: int | None = None


#: How deep notes may call notes (a note's text is converted where it is
#: first called, one level of recursion per note).
MAX_NOTE_DEPTH = 10


class BookBuilder:
    """Walks the sources in order and collects the book's structure."""

    def __init__(self, sources: list[SourceTree], plan: HeadingPlan, root: Path,
                 language: str = "zh-Hans"):
        self.sources = sources
        self.words = labels(language)
        self.plan = plan
        self.root = root.resolve()
        self.front = _Open("front", "front", ())
        self.body: list[_Open] = []
        self.part: _Open | None = None
        self.chapter: _Open = self.front
        self.sections: list[_Open] = []
        self.src: SourceTree = sources[0]
        self.note_ids: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.note_defs: dict[tuple[str, str], Node] = {}
        self.resolving: list[tuple[str, str, str]] = []  # notes being converted, outermost first
        self.deferred: set[tuple[str, str]] = set()  # notes whose call was too deep
        self.called: set[tuple[str, str]] = set()    # (file, label) of every note set
        self.chapter_count = 0

    # -- driving --------------------------------------------------------------
    def run(self) -> None:
        for src in self.sources:
            self.src = src
            children = list(src.tree.children)
            while children and isinstance(children[-1], str) and not children[-1].strip():
                children.pop()
            if children and _is_note_list(children[-1]):
                self._collect_notes(children.pop())
            for child in children:
                if child is self.plan.title_node:
                    continue
                if isinstance(child, Node) and id(child) in self.plan.kinds:
                    self._open_heading(child)
                else:
                    self._add(self.blocks_of([child]))
            self._flush_unreferenced_notes()

    def _add(self, blocks: list[m.Block]) -> None:
        if self.sections:
            self.sections[-1].blocks.extend(blocks)
        elif self.chapter is self.front and self.part is not None:
            self.part.blocks.extend(blocks)  # a part's introduction
        else:
            self.chapter.blocks.extend(blocks)

    def _open_heading(self, node: Node) -> None:
        kind = self.plan.kinds[id(node)]
        ident = self.plan.ids[id(node)]
        opened = self._open(kind, ident, node)
        # The title is read once the heading is open, so a note called in it is
        # the new chapter's.
        opened.title = self.inlines(node.children)
        if not _visible(m.plain_text(opened.title)):
            opened.title = self._untitled(opened, self.src.line_of_heading(node))

    def _untitled(self, opened: _Open, line: int | None) -> tuple[m.Inline, ...]:
        """A title for a heading with no text (an image without alt text, a
        zero-width space): the contents, the navigation and a document's
        <title> need words.  An image keeps its place and gets them as alt."""
        if opened.kind == "chapter":
            number = opened.number or 0
        elif opened.kind == "part":
            number = len(self.body)
        else:
            number = int(opened.id.rsplit("-", 1)[-1].lstrip("s") or 0)
        shown = chinese_numeral(number) if self.words["numerals"] == "chinese" else str(number)
        name = self.words[f"untitled.{opened.kind}"].format(n=shown)
        self.src.warn(f"a heading without text; the contents call it {name!r}", "#", line)
        images = [n for n in opened.title if isinstance(n, m.Image)]
        if images:
            return tuple(m.Image(n.src, name) if n is images[0] else n for n in opened.title)
        return (m.Text(name),)

    def _open(self, kind: str, ident: str, node: Node) -> _Open:
        title: tuple[m.Inline, ...] = ()
        if kind == "part":
            self.part = _Open("part", ident, title)
            self.body.append(self.part)
            self.chapter = self.front
            self.sections = []
            return self.part
        elif kind == "chapter":
            self.chapter_count += 1
            self.chapter = _Open("chapter", ident, title, number=self.chapter_count)
            (self.part.children if self.part else self.body).append(self.chapter)
            self.sections = []
            return self.chapter
        else:
            level = int(node.tag[1])
            while self.sections and self.sections[-1].level >= level:
                self.sections.pop()
            section = _Open("section", ident, title, level=level)
            parent = self.sections[-1] if self.sections else self.chapter
            parent.children.append(section)
            self.sections.append(section)
            return section

    # -- footnotes ------------------------------------------------------------
    def _collect_notes(self, div: Node) -> None:
        for li in div.iter("li"):
            label = li.attrs.get("id", "")
            if label.startswith(NOTE_ID_PREFIX):
                self.note_defs[(self.src.path.name, label[len(NOTE_ID_PREFIX):])] = li

    def _note_ref(self, label: str) -> m.NoteRef | None:
        """The call of note ``label``; the note is set at the end of the calling chapter
        (a note called from two chapters is set in each)."""
        chapter = self.chapter
        key = (self.src.path.name, label, chapter.id)
        if key in self.resolving:
            # A note that calls itself, or notes calling each other: the call that
            # closes the circle is left out (the print edition sets a note where
            # it is called, so a circle would never end).
            through = "".join(f" through [^{k[1]}]" for k in self.resolving[
                self.resolving.index(key) + 1:])
            self.src.warn(f"footnote [^{label}] calls itself{through}; that call is left out",
                          f"[^{label}]")
            return None
        if key not in self.note_ids and len(self.resolving) >= MAX_NOTE_DEPTH:
            # A chain of notes each calling the next: the call this deep is left
            # out and the note is set at the chapter's end (as a note never
            # called), so converting it starts again from the top.
            self.src.warn(f"footnote [^{label}] is called from a note {MAX_NOTE_DEPTH} notes "
                          "deep; that call is left out and the note set at the chapter's end",
                          f"[^{label}]")
            self.deferred.add(key[:2])
            return None
        if key not in self.note_ids:
            number = len(chapter.notes) + 1
            note_id = f"{chapter.id}-n{number}"
            self.note_ids[key] = (note_id, number)
            self.called.add(key[:2])
            # A placeholder first, so a note that calls itself cannot recurse.
            chapter.notes.append(m.Note(note_id, number, ()))
            li = self.note_defs.get(key[:2])
            self.resolving.append(key)
            try:
                blocks = self.blocks_of(_strip_backrefs(li).children) if li is not None else []
            finally:
                self.resolving.pop()
            chapter.notes[number - 1] = m.Note(note_id, number, tuple(blocks))
        return m.NoteRef(*self.note_ids[key])

    def _flush_unreferenced_notes(self) -> None:
        for file, label in list(self.note_defs):
            if file == self.src.path.name and (file, label) not in self.called:
                if (file, label) not in self.deferred:
                    self.src.warn(f"footnote [^{label}] is never referenced; set at the "
                                  "chapter's end", f"[^{label}]:", self.src.line_of_note(label))
                self._note_ref(label)

    # -- blocks ---------------------------------------------------------------
    def blocks_of(self, nodes: list[str | Node]) -> list[m.Block]:
        """Convert a run of nodes to blocks; stray inline content becomes paragraphs."""
        out: list[m.Block] = []
        pending: list[str | Node] = []

        def flush() -> None:
            if pending:
                inlines = self.inlines(pending)
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
        tag = node.tag
        if tag == "p":
            return self._paragraph(node)
        if tag in HEADINGS:
            inlines = self.inlines(node.children)
            return [m.Heading(int(tag[1]), inlines)] if inlines else []
        if tag == "div" and DIALOGUE_CLASS in _classes(node) and SPEAKER_ATTR in node.attrs:
            paras = [b for b in self.blocks_of(node.children) if isinstance(b, m.Paragraph)]
            return [m.Dialogue(node.attrs[SPEAKER_ATTR], tuple(paras) or (m.Paragraph(()),))]
        if tag == "blockquote":
            return [m.BlockQuote(tuple(self.blocks_of(node.children)))]
        if tag in ("ul", "ol"):
            return [self._list(node)]
        if tag == "li":  # a stray list item
            return self.blocks_of(node.children)
        if tag == "pre":
            return [self._code(node)]
        if tag == "table":
            return self._table(node)
        if tag == "hr":
            return [m.SceneBreak()]
        if tag == "figure":
            img = next(node.iter("img"), None)
            caption_node = next(node.iter("figcaption"), None)
            caption = self.inlines(caption_node.children) if caption_node else ()
            return self._figure(img, caption) if img is not None else self.blocks_of(node.children)
        return self.blocks_of(node.children)  # div, section, details, …

    def _paragraph(self, node: Node) -> list[m.Block]:
        elements = [c for c in node.children if isinstance(c, Node)]
        text = "".join(c for c in node.children if isinstance(c, str)).strip()
        if len(elements) == 1 and elements[0].tag == "img" and not text:
            img = elements[0]
            return self._figure(img, ())
        if any(c.tag in BLOCK_TAGS for c in elements):  # raw HTML put blocks in a <p>
            return self.blocks_of(node.children)
        inlines = self.inlines(node.children)
        return [m.Paragraph(inlines)] if inlines else []

    def _list(self, node: Node) -> m.ListBlock:
        items = []
        for li in node.children:
            if not isinstance(li, Node):
                if li.strip():
                    items.append((m.Paragraph(self.inlines([li])),))
                continue
            if li.tag != "li":
                items.append(tuple(self.blocks_of([li])))
                continue
            if any(isinstance(c, Node) and c.tag in BLOCK_TAGS for c in li.children):
                items.append(tuple(self.blocks_of(li.children)))
            else:
                inlines = self.inlines(li.children)
                items.append((m.Paragraph(inlines),) if inlines else ())
        start = node.attrs.get("start", "1")
        return m.ListBlock(node.tag == "ol", tuple(items), int(start) if start.isdecimal() else 1)

    def _code(self, node: Node) -> m.CodeBlock:
        code = next((c for c in node.children if isinstance(c, Node) and c.tag == "code"), None)
        language = ""
        if code is not None:
            for cls in _classes(code):
                if cls.startswith("language-"):
                    language = cls[len("language-"):]
        text = node.text()
        if text.endswith("\n"):
            text = text[:-1]
        return m.CodeBlock(text, language)

    def _table(self, node: Node) -> list[m.Block]:
        header: tuple[tuple[m.Inline, ...], ...] = ()
        rows: list[tuple[tuple[m.Inline, ...], ...]] = []
        aligns: list[str] = []
        for tr in _rows(node):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            converted = tuple(self.inlines(c.children) for c in cells)
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
        src = self.image_src(img)
        alt = collapse_whitespace(img.attrs.get("alt", "")).strip()
        if src is None:
            return [m.Paragraph((m.Text(f"[{alt}]"),))] if alt else []
        if not caption and img.attrs.get("title"):
            caption = (m.Text(img.attrs["title"]),)
        return [m.Figure(src, alt, caption)]

    def image_src(self, img: Node) -> str | None:
        """The image's path relative to the manuscript root, after checking it.

        A missing file, or one outside the manuscript directory, is an error;
        a remote or data URL is dropped with a warning (builds never fetch).
        """
        raw = img.attrs.get("src", "").strip()
        line = self.src.line_of_image(raw) if raw else None
        at = f"{self.src.path}:{line}" if line else str(self.src.path)
        scheme = url_scheme(raw)
        if not raw:
            self.src.warn("image without a source dropped", "<img")
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
                                  self.src.path, line)
        target = resolve_image(self.src.path.parent, raw, [self.root], "image",
                               where=self.src.path, line=line)
        kind = media_type(target)
        if kind is None:
            raise ManuscriptError(f"image {raw!r}: unsupported type (use PNG, JPEG, GIF, WebP "
                                  "or SVG)", self.src.path, line)
        if kind == SVG:
            try:
                cleaned = clean_svg(target, [self.root])
            except ImageProblem as e:
                raise ManuscriptError(f"image {raw!r}: {e}", self.src.path, line) from None
            if cleaned.scripts:
                LOGGER.warning("%s: SVG image %r: scripts and event handlers removed", at, raw)
            if cleaned.notes:
                LOGGER.warning("%s: SVG image %r: removed what a book cannot carry: %s", at, raw,
                               "; ".join(dict.fromkeys(cleaned.notes)))
        elif (problem := image_problem(target, kind)):
            raise ManuscriptError(f"image {raw!r}: {problem}", self.src.path, line)
        return target.relative_to(self.root).as_posix()

    # -- inlines --------------------------------------------------------------
    def inlines(self, nodes: list[str | Node]) -> tuple[m.Inline, ...]:
        """Convert inline content, collapse white space and trim the edges."""
        return _trim(_merge(self._inline_list(nodes)))

    def _inline_list(self, nodes: list[str | Node]) -> list[m.Inline]:
        out: list[m.Inline] = []
        for node in nodes:
            if isinstance(node, str):
                if node:
                    out.append(m.Text(collapse_whitespace(node)))
            else:
                out.extend(self._inline(node))
        return out

    def _inline(self, node: Node) -> list[m.Inline]:
        tag = node.tag
        kids = lambda: tuple(_merge(self._inline_list(node.children)))  # noqa: E731
        if tag == "sup":
            # Python-Markdown's call is a <sup> holding only the footnote link; a
            # <sup> of the author's around it keeps its other text.
            content = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
            if (len(content) == 1 and isinstance(content[0], Node) and content[0].tag == "a"
                    and NOTE_REF_CLASS in _classes(content[0])):
                call = self._note_ref(content[0].attrs.get("href", "")[len("#" + NOTE_ID_PREFIX):])
                return [call] if call is not None else []
            return [m.Superscript(kids())]
        if tag in ("em", "i"):
            return [m.Dotted(kids()) if DOT_CLASS in _classes(node) else m.Emph(kids())]
        if tag in ("strong", "b"):
            return [m.Strong(kids())]
        if tag in ("code", "kbd", "samp", "tt"):
            return [m.Code(node.text())]
        if tag == "sub":
            return [m.Subscript(kids())]
        if tag in ("s", "del", "strike"):
            return [m.Strikeout(kids())]
        if tag in ("u", "ins"):
            return [m.Underline(kids())]
        if tag == "br":
            return [m.LineBreak()]
        if tag == "img":
            src = self.image_src(node)
            alt = collapse_whitespace(node.attrs.get("alt", "")).strip()
            return [m.Image(src, alt)] if src else ([m.Text(alt)] if alt else [])
        if tag == "ruby":
            return self._ruby(node)
        if tag == "a":
            return self._link(node, kids())
        if tag in ("rt", "rp"):
            return []
        if tag == "q":
            return [m.Text("“"), *kids(), m.Text("”")]
        if tag in BLOCK_TAGS:  # block markup inside a line: keep its text
            return [m.Text(" "), *kids(), m.Text(" ")]
        return list(kids())  # span, mark, abbr, cite, font, …

    def _ruby(self, node: Node) -> list[m.Inline]:
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

    def _link(self, node: Node, children: tuple[m.Inline, ...]) -> list[m.Inline]:
        href = node.attrs.get("href", "").strip()
        if not href:
            return list(children)
        target = self.resolve_link(href)
        if target is None:
            return list(children)
        if not children:
            children = (m.Text(href),)
        return [m.Link(children, target, node.attrs.get("title", ""))]

    def resolve_link(self, href: str) -> str | None:
        """An absolute URL as is; a place in the book as ``#id``; else None (with a warning)."""
        scheme = url_scheme(href)
        if scheme in SAFE_LINK_SCHEMES:
            return href
        if scheme:
            self.src.warn(f"link {href[:60]!r} removed, its text kept", href[:60])
            return None
        path, _, fragment = href.partition("#")
        file = self.src.path.name
        if path:
            candidate = (self.src.path.parent / path).resolve()
            if candidate.suffix in (".html", ".htm"):
                candidate = candidate.with_suffix(".md")
            file = candidate.name if candidate.parent == self.src.path.parent.resolve() else ""
        if file in self.plan.file_targets or file == self.src.path.name:
            if fragment and (file, fragment) in self.plan.anchors:
                return "#" + self.plan.anchors[(file, fragment)]
            if fragment and (file, heading_anchor(fragment)) in self.plan.anchors:
                return "#" + self.plan.anchors[(file, heading_anchor(fragment))]
            if not fragment and file in self.plan.file_targets:
                return "#" + self.plan.file_targets[file]
        self.src.warn(f"link target {href!r} is not in the book; kept as text", href)
        return None

    # -- pass 3: freeze -------------------------------------------------------
    def book(self, meta: m.Meta) -> m.Book:
        front = None
        if self.front.blocks or self.front.children or self.front.notes:
            front = _freeze_chapter(self.front, None)
        if front is not None and not self.body:
            # A text without chapters (its one heading became the book's title) is
            # one chapter under that title, not front matter before nothing.
            return m.Book(meta, None, (m.Chapter("ch01", (m.Text(meta.title),), front.blocks,
                                                 front.sections, front.notes, 1),),
                          self.root)
        body: list[m.Part | m.Chapter] = []
        for item in self.body:
            if item.kind == "part":
                body.append(m.Part(item.id, item.title,
                                   tuple(_freeze_chapter(c, c.number) for c in item.children),
                                   tuple(item.blocks)))
            else:
                body.append(_freeze_chapter(item, item.number))
        return m.Book(meta, front, tuple(body), self.root)


def _freeze_section(s: _Open) -> m.Section:
    return m.Section(s.id, s.level, s.title, tuple(s.blocks),
                     tuple(_freeze_section(c) for c in s.children))


def _freeze_chapter(c: _Open, number: int | None) -> m.Chapter:
    return m.Chapter(c.id, c.title, tuple(c.blocks), tuple(_freeze_section(s) for s in c.children),
                     tuple(c.notes), number)


# --- helpers -----------------------------------------------------------------


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


def _is_note_list(node: str | Node) -> bool:
    """True for the footnote list Python-Markdown puts at the end of a file."""
    return (isinstance(node, Node) and node.tag == "div" and NOTE_LIST_CLASS in _classes(node)
            and any(li.attrs.get("id", "").startswith(NOTE_ID_PREFIX) for li in node.iter("li")))


def _classes(node: Node) -> list[str]:
    return node.attrs.get("class", "").split()


def _alone(img: Node, siblings: list[str | Node]) -> bool:
    """True when ``img`` is the only thing among its siblings but white space."""
    return all(s is img or (isinstance(s, str) and not s.strip()) for s in siblings)


def _strip_backrefs(li: Node) -> Node:
    """A copy of a footnote's <li> without Python-Markdown's back-links."""
    def clean(node: Node) -> Node:
        kids: list[str | Node] = []
        for c in node.children:
            if isinstance(c, Node):
                if c.tag == "a" and NOTE_BACKREF_CLASS in _classes(c):
                    continue
                kids.append(clean(c))
            else:
                kids.append(c)
        return Node(node.tag, dict(node.attrs), kids)
    return clean(li)


_SPACES = re.compile(r" {2,}")


def _merge(inlines: list[m.Inline]) -> list[m.Inline]:
    """Join adjacent Text nodes; collapse spaces across their seams."""
    out: list[m.Inline] = []
    run: list[str] = []  # texts of the Text nodes being joined, joined once at the end

    def close_run() -> None:
        if len(run) > 1:
            out.append(m.Text(_SPACES.sub(" ", "".join(run))))
        elif run:
            out.append(m.Text(run[0]))
        run.clear()

    for node in inlines:
        if isinstance(node, m.Text) and run:
            run.append(node.text)
        elif isinstance(node, m.Text) and not node.text:
            continue
        elif isinstance(node, m.Text):
            run.append(node.text)
        else:
            close_run()
            out.append(node)
    close_run()
    # White space right after a line break is not content.
    for i in range(1, len(out)):
        if isinstance(out[i - 1], m.LineBreak) and isinstance(out[i], m.Text):
            out[i] = m.Text(out[i].text.lstrip(" "))
    return [n for n in out if not (isinstance(n, m.Text) and not n.text)]


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
