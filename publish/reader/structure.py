"""The book's divisions while they are being filled, then frozen into the model.

``Structure`` knows which part, chapter and sections are open as the
builder walks the manuscript: ``open`` starts a new one where the heading
plan says, ``add`` puts blocks into the innermost open one, and ``freeze``
makes the ``Book``.  Blocks before the first chapter are front matter;
blocks after a part's heading and before its first chapter are the part's
introduction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m


@dataclass
class Division:
    """A chapter, part or section being filled (or the front matter)."""

    kind: str
    id: str
    title: tuple[m.Inline, ...]
    level: int = 0
    blocks: list[m.Block] = field(default_factory=list)
    children: list[Division] = field(default_factory=list)
    notes: list[m.Note] = field(default_factory=list)
    number: int | None = None
    classes: tuple[str, ...] = ()


class Structure:
    """The divisions opened so far, and which of them blocks go into."""

    def __init__(self) -> None:
        self.front = Division("front", "front", ())
        self.body: list[Division] = []        # parts and the chapters outside parts
        self.part: Division | None = None
        self.chapter: Division = self.front  # the notes of this chapter take new notes
        self.sections: list[Division] = []    # the open sections, outermost first
        self.chapter_count = 0

    def open(self, kind: str, ident: str, level: int, numbered: bool = True,
             classes: tuple[str, ...] = ()) -> Division:
        """Open a part, chapter (``numbered``: counted, else of no number: an
        mdBook's prefix or suffix chapter, a heading ``{.unnumbered}``) or
        section (of heading ``level``; ``classes``: the heading's), still
        untitled."""
        if kind == "part":
            self.part = Division("part", ident, ())
            self.body.append(self.part)
            self.chapter = self.front
            self.sections = []
            return self.part
        if kind == "chapter":
            self.chapter_count += numbered
            self.chapter = Division("chapter", ident, (), classes=classes,
                                    number=self.chapter_count if numbered else None)
            (self.part.children if self.part else self.body).append(self.chapter)
            self.sections = []
            return self.chapter
        while self.sections and self.sections[-1].level >= level:
            self.sections.pop()
        section = Division("section", ident, (), level=level)
        parent = self.sections[-1] if self.sections else self.chapter
        parent.children.append(section)
        self.sections.append(section)
        return section

    def end_part(self) -> None:
        """Close the open part: the chapters that follow stand outside parts
        (an mdBook's suffix chapters)."""
        self.part = None

    def add(self, blocks: list[m.Block]) -> None:
        """Put ``blocks`` into the innermost open division."""
        if self.sections:
            self.sections[-1].blocks.extend(blocks)
        elif self.chapter is self.front and self.part is not None:
            self.part.blocks.extend(blocks)  # a part's introduction
        else:
            self.chapter.blocks.extend(blocks)

    def freeze(self, meta: m.Meta, root: Path) -> m.Book:
        """The frozen ``Book``."""
        front = None
        if self.front.blocks or self.front.children or self.front.notes:
            front = _freeze_chapter(self.front, None)
        if front is not None and not self.body:
            # A text without chapters (its one heading became the book's title) is
            # one chapter under that title, not front matter before nothing.
            return m.Book(meta, None, (m.Chapter("ch01", (m.Text(meta.title),), front.blocks,
                                                 front.sections, front.notes, 1),),
                          root)
        body: list[m.Part | m.Chapter] = []
        for item in self.body:
            if item.kind == "part":
                body.append(m.Part(item.id, item.title,
                                   tuple(_freeze_chapter(c, c.number) for c in item.children),
                                   tuple(item.blocks)))
            else:
                body.append(_freeze_chapter(item, item.number))
        return m.Book(meta, front, tuple(body), root)


def _freeze_section(s: Division) -> m.Section:
    return m.Section(s.id, s.level, s.title, tuple(s.blocks),
                     tuple(_freeze_section(c) for c in s.children))


def _freeze_chapter(c: Division, number: int | None) -> m.Chapter:
    return m.Chapter(c.id, c.title, tuple(c.blocks), tuple(_freeze_section(s) for s in c.children),
                     tuple(c.notes), number, c.classes)
