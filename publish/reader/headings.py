"""Plan the book's headings before any block is converted.

``plan_headings`` looks at the top-level headings of every file and decides
what each one is: the book's title (a lone level-1 heading that opens the
manuscript), a part (above the chapter level), a chapter (the configured
level, or the shallowest one left) or a section (below it).  Each gets a
stable id: ``part1``, ``ch01``, ``ch01-s2``, ``ch01-s2-1``.  The plan also
records which anchors lead to which id, so ``other.md#anchor`` links can be
resolved (``HeadingPlan.target``).

An mdBook's files carry where its ``SUMMARY.md`` lists them
(``SourceTree.summary``): a file nested ``d`` levels deep has its headings
``d`` levels lower (``heading_level``: its ``#`` is a section of its parent
chapter); a part SUMMARY.md opens before a file is planned as an
``Opening``, and so is the chapter (or section) of a file that does not
start with a heading of its level, under the file's link text; prefix and
suffix chapters are unnumbered (``HeadingPlan.unnumbered``).  No heading of
an mdBook is its title (book.toml has it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .sanitize import Node
from .sourcetree import SourceTree

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Opening:
    """A division SUMMARY.md opens before a file's own text: a part, the
    end of the open part (``kind`` "end": a suffix chapter follows), or the
    chapter or section of a file without a heading of its own."""

    kind: str
    id: str = ""
    level: int = 0
    title: str = ""


@dataclass
class HeadingPlan:
    """What the top-level headings are; ``id(node)`` keys the heading elements."""

    title_node: Node | None = None
    chapter_level: int = 1
    ids: dict[int, str] = field(default_factory=dict)       # id(node) -> our id
    kinds: dict[int, str] = field(default_factory=dict)     # id(node) -> part|chapter|section
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, anchor) -> id
    file_targets: dict[str, str] = field(default_factory=dict)         # file -> first id
    levels: list[int] = field(default_factory=list)  # the levels of the structural headings
    openings: dict[int, list[Opening]] = field(default_factory=dict)  # id(source) -> …
    unnumbered: set[str] = field(default_factory=set)  # the ids of unnumbered chapters

    def add(self, file: str, node: Node, kind: str, ident: str) -> None:
        """Record heading ``node`` of ``file`` as a ``kind`` with id ``ident``."""
        self.ids[id(node)] = ident
        self.kinds[id(node)] = kind
        self.anchors.setdefault((file, heading_anchor(node.text())), ident)
        if "id" in node.attrs:
            self.anchors.setdefault((file, node.attrs["id"]), ident)
        self.file_targets.setdefault(file, ident)

    def target(self, file: str, fragment: str) -> str | None:
        """The id a link to ``file#fragment`` (or to ``file`` itself) leads to:
        an explicit ``id``, a heading's anchor, or the file's first heading."""
        if fragment and (file, fragment) in self.anchors:
            return self.anchors[(file, fragment)]
        if fragment and (file, heading_anchor(fragment)) in self.anchors:
            return self.anchors[(file, heading_anchor(fragment))]
        if not fragment and file in self.file_targets:
            return self.file_targets[file]
        return None


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
    if sources[0].summary is None and _is_title(sources, [n for _, n in structural], title):
        plan.title_node = structural[0][1]
        structural = structural[1:]
    plan.levels = [heading_level(src, node) for src, node in structural]
    plan.chapter_level = chapter_level or (min(plan.levels) if plan.levels else 1)
    numbering = _Numbering(plan.chapter_level)
    headings: dict[int, list[Node]] = {}
    for src, node in structural:
        headings.setdefault(id(src), []).append(node)
    for src in sources:
        _open_before(src, plan, numbering)
        for node in headings.get(id(src), ()):
            kind, ident = numbering.next(heading_level(src, node))
            plan.add(src.name, node, kind, ident)
            _mark_unnumbered(src, plan, kind, ident)
    return plan


def heading_level(src: SourceTree, node: Node) -> int:
    """The level of a top-level heading of ``src``: its own, lowered by the
    depth SUMMARY.md nests the file at (at most 6)."""
    return min(int(node.tag[1]) + (src.summary.depth if src.summary else 0), 6)


def _open_before(src: SourceTree, plan: HeadingPlan, numbering: _Numbering) -> None:
    """Plan what SUMMARY.md opens before the file ``src`` (``Opening``)."""
    entry = src.summary
    if entry is None:
        return
    openings = plan.openings.setdefault(id(src), [])
    if entry.part:
        openings.append(Opening("part", numbering.part(), title=entry.part))
    elif entry.part == "":
        openings.append(Opening("end"))
    level = min(plan.chapter_level + entry.depth, 6)
    first = next((c for c in src.tree.children if isinstance(c, Node) or c.strip()), None)
    if not (isinstance(first, Node) and first.tag in HEADINGS
            and heading_level(src, first) <= level):
        kind, ident = numbering.next(level)
        openings.append(Opening(kind, ident, level, entry.title or src.path.stem))
        plan.file_targets.setdefault(src.name, ident)
        _mark_unnumbered(src, plan, kind, ident)


def _mark_unnumbered(src: SourceTree, plan: HeadingPlan, kind: str, ident: str) -> None:
    """An mdBook's prefix and suffix chapters have no number (no 第N章 label)."""
    if kind == "chapter" and src.summary is not None and not src.summary.numbered:
        plan.unnumbered.add(ident)


def _is_title(sources: list[SourceTree], headings: list[Node], title: str) -> bool:
    """True when the first of ``headings`` is the book's title (see plan_headings)."""
    levels = [int(node.tag[1]) for node in headings]
    return bool(levels and levels[0] == 1 and levels.count(1) == 1
                and _at_start(sources, headings[0])
                and (not title or headings[0].text().strip() == title.strip()))


def _at_start(sources: list[SourceTree], node: Node) -> bool:
    """True when ``node`` is the first element of the first file."""
    first = next((c for c in sources[0].tree.children if isinstance(c, Node)), None)
    return first is node


class _Numbering:
    """The ids of the structural headings, given in reading order.

    Parts and chapters are counted through the whole book; a section's id
    is its chapter's plus its path below it (``ch01-s2-1``), a skipped level
    counting as 0 (``ch01-s0-1``).  Sections before the first chapter
    belong to ``front``.
    """

    def __init__(self, chapter_level: int):
        self.chapter_level = chapter_level
        self.parts = 0
        self.chapters = 0
        self.chapter_id = "front"
        self.section_path: list[int] = []

    def part(self) -> str:
        """The id of the next part."""
        self.parts += 1
        return f"part{self.parts}"

    def next(self, level: int) -> tuple[str, str]:
        """The kind (part, chapter or section) and id of the next heading."""
        if level < self.chapter_level:
            return "part", self.part()
        if level == self.chapter_level:
            self.chapters += 1
            self.chapter_id, self.section_path = f"ch{self.chapters:02d}", []
            return "chapter", self.chapter_id
        depth = level - self.chapter_level
        path = self.section_path[:depth]
        path += [0] * (depth - len(path))
        path[-1] += 1
        self.section_path = path
        return "section", self.chapter_id + "-s" + "-".join(str(n) for n in path)


_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}[^\s#>|-][^\n]*\n {0,3}(?:=+|-+)[ \t]*$",
                           re.M)


def heading_line(src: SourceTree, node: Node) -> int | None:
    """The line of a top-level heading of ``src``: the n-th ATX (``## …``)
    or setext heading outside code for the n-th heading of the tree."""
    headings = [c for c in src.tree.children if isinstance(c, Node) and c.tag in HEADINGS]
    found = [m.start() for m in _HEADING_LINE.finditer(src.searchable)]
    index = next((i for i, heading in enumerate(headings) if heading is node), None)
    if index is None or len(found) != len(headings):
        return None  # a heading of raw HTML: no way to count
    return src.line_at(found[index])


def visible(text: str) -> bool:
    """True when ``text`` shows something: more than white space and format
    characters (zero-width space, joiners, marks of direction)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)
