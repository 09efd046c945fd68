"""The book model: a small, closed set of frozen dataclasses.

``Book(meta, front, body)``: ``front`` is the untitled matter before the
first chapter, ``body`` a sequence of parts and chapters.  Chapters and
sections hold blocks; blocks hold inlines.  There is no HTML and no I/O
here: paths are data (relative to ``Book.root``).  Below the types are the
walks and plain-text views every stage shares; ``publish.dump`` gives the
one stable textual form of a book, for golden tests.  Imports nothing from
the package.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Union

# --- inlines -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Dotted:
    """Emphasis dots (着重号), from ``<em class="dot">``."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Superscript:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Subscript:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikeout:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Underline:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    """A link.  ``target`` is an absolute URL (``https:``, ``mailto:``) or,
    for a place inside the book, ``#`` followed by a chapter, section or
    note id."""

    children: tuple[Inline, ...]
    target: str
    title: str = ""

    @property
    def internal(self) -> bool:
        return self.target.startswith("#")


@dataclass(frozen=True)
class Image:
    """An image inside a line of text; ``src`` is relative to the manuscript."""

    src: str
    alt: str


@dataclass(frozen=True)
class Ruby:
    """Ruby annotation (拼音 over Han): ``base`` annotated with ``annotation``."""

    base: str
    annotation: str


@dataclass(frozen=True)
class NoteRef:
    """A footnote call; ``number`` counts from 1 in each chapter."""

    note_id: str
    number: int


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class Math:
    """A TeX formula, as written between ``$`` (``display``: ``$$``, set
    apart on a line of its own; a paragraph that is only that is a
    displayed formula).  Its plain text is the TeX with its dollars."""

    tex: str
    display: bool = False

    @property
    def source(self) -> str:
        """``$tex$`` or ``$$tex$$``, as a text edition shows it."""
        dollars = "$$" if self.display else "$"
        return f"{dollars}{self.tex}{dollars}"


@dataclass(frozen=True)
class Abbr:
    """An abbreviation (``*[HTML]: Hyper Text Markup Language``) and its expansion."""

    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Span:
    """Text in another language than the book's (``<span lang="ja">`` or any
    inline element of raw HTML with ``lang``): ``lang`` is a BCP 47 tag."""

    children: tuple[Inline, ...]
    lang: str


Inline = Union[
    Text, Emph, Strong, Dotted, Superscript, Subscript, Strikeout, Underline,
    Code, Link, Image, Ruby, NoteRef, LineBreak, Span, Abbr, Math,
]

# --- blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``lang`` when it is in another language than the book's
    (``<p lang>``, or a paragraph of a ``<div lang>``)."""

    inlines: tuple[Inline, ...]
    lang: str = ""


@dataclass(frozen=True)
class Dialogue:
    """One turn of a dialogue: ``**记者**：……`` and the paragraphs that continue it.

    ``paragraphs[0]`` is the text after the speaker's colon.
    """

    speaker: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class BlockQuote:
    """A quotation; ``lang`` as a paragraph's (``<blockquote lang>``)."""

    blocks: tuple[Block, ...]
    lang: str = ""


@dataclass(frozen=True)
class ListBlock:
    """A list; ``tasks`` (empty unless it is a task list, ``- [x]``) says per
    item True (done), False (to do) or None (no checkbox)."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    tasks: tuple[bool | None, ...] = ()


@dataclass(frozen=True)
class CodeBlock:
    text: str
    language: str = ""


@dataclass(frozen=True)
class Table:
    """``aligns`` holds "left", "center", "right" or "" per column."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """An image standing alone, with alt text and an optional caption."""

    src: str
    alt: str
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class SceneBreak:
    """A horizontal rule: a break between scenes."""


@dataclass(frozen=True)
class Heading:
    """A heading inside front matter or a note, outside the chapter structure."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class DefinitionItem:
    """One or more terms and their definitions (HTML's ``<dt>``s and ``<dd>``s)."""

    terms: tuple[tuple[Inline, ...], ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[DefinitionItem, ...]


@dataclass(frozen=True)
class Admonition:
    """A note set apart (GitHub's ``> [!TIP]``, ``!!! warning "Title"``): its
    ``kind`` (note, tip, important, warning, caution…), the title shown (the
    kind's label in the book's language unless the author gave one; may be
    empty) and its blocks."""

    kind: str
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]


Block = Union[
    Paragraph, Dialogue, BlockQuote, ListBlock, CodeBlock, Table, Figure, SceneBreak, Heading,
    DefinitionList, Admonition,
]

# --- structure ---------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A footnote, numbered from 1 in the chapter that first calls it."""

    id: str
    number: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    id: str
    level: int
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


#: Where a chapter stands: before the body (前言, a preface), in it, or
#: after it (后记, appendices, the bibliography).
Matter = Literal["front", "body", "back"]


@dataclass(frozen=True)
class Chapter:
    """A chapter; ``number`` counts the numbered chapters of the body from 1
    through the whole book (``None`` for front and back matter and for a
    chapter whose heading has the class ``unnumbered``); ``classes`` are its
    heading's (``{.unnumbered}``).  ``kind`` is what it is beyond a chapter, as its
    title or its part says, in the words of the EPUB 3 Structural Semantics
    Vocabulary (``preface``, ``foreword``, ``introduction``,
    ``acknowledgments``, ``afterword``, ``appendix``, ``bibliography``,
    ``glossary``, ``index``; "" for none); ``letter`` is an appendix's
    letter (A, B…), or the numeral its title gave it (二, 1); "" for a lone
    appendix and every other chapter."""

    id: str
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    notes: tuple[Note, ...] = ()
    number: int | None = None
    classes: tuple[str, ...] = ()
    matter: Matter = "body"
    kind: str = ""
    letter: str = ""


@dataclass(frozen=True)
class Part:
    """A part; ``matter`` is "back" for a part of appendices (附录) after the body."""

    id: str
    title: tuple[Inline, ...]
    chapters: tuple[Chapter, ...]
    blocks: tuple[Block, ...] = ()
    matter: Matter = "body"


@dataclass(frozen=True)
class Contributor:
    """A person and their MARC relator role (``aut``, ``trl``, ``edt``, ``ill``…)."""

    name: str
    role: str = "aut"


@dataclass(frozen=True)
class Meta:
    title: str
    slug: str
    language: str = "zh-Hans"
    identifier: str = ""
    subtitle: str = ""
    contributors: tuple[Contributor, ...] = ()
    publisher: str = ""
    date: str = ""
    rights: str = ""
    description: str = ""
    cover: str = ""
    #: Edition options from book.toml (trim, fonts, theme, …), read-only, as
    #: written: the writers' declarations (``options.settle``) check them.
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: Where they were written: book.toml and the line of each key.
    options_file: Path | None = None
    option_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: book.toml's [labels]: the editions' fixed strings the author words
    #: otherwise, by name (``publish.labels``), checked by the reader.
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.contributors if c.role == "aut")


@dataclass(frozen=True)
class Source:
    """A manuscript file as the reader took it: its path and its decoded text
    (LF line ends), for naming the file and line of something in the book."""

    path: Path
    text: str = field(repr=False)


@dataclass(frozen=True)
class Book:
    """The whole book.  ``root`` is the manuscript directory, for resolving
    image paths; ``manuscript`` is what the book was read from (that directory
    or one .md file in it), for dating the build.  Neither is read here.
    ``sources`` are the files read, in reading order (nothing else names
    that order or decodes them again)."""

    meta: Meta
    front: Chapter | None
    body: tuple[Part | Chapter, ...]
    root: Path | None = None
    manuscript: Path | None = None
    sources: tuple[Source, ...] = field(default=(), repr=False, compare=False)

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """Every chapter in reading order, through parts."""
        out: list[Chapter] = []
        for item in self.body:
            out.extend(item.chapters if isinstance(item, Part) else (item,))
        return tuple(out)

    @property
    def all_chapters(self) -> tuple[Chapter, ...]:
        """The front matter (when there is some) and every chapter, in reading order."""
        return ((self.front,) if self.front is not None else ()) + self.chapters

    @property
    def first_body(self) -> Part | Chapter | None:
        """The part or chapter the body starts with (page 1 of a printed book),
        after the front matter: None when every chapter is front or back matter."""
        return next((item for item in self.body if item.matter == "body"), None)


@dataclass(frozen=True)
class BuildOptions:
    """What a writer is asked for, beyond the book itself."""

    theme_dir: Path | None = None   # the theme's folder (base.css, epub.css, print.css)
    version_label: str = ""         # printed on the copyright page and in file names
    #: The edition options by name (``width``, ``trim``…): each writer declares
    #: its own (``OPTIONS``) and reads them with ``OPTION.of(options)``; what is
    #: not given here comes from book.toml's [edition], then the default.
    values: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: The build's time (``files.build_time``), computed once for every edition
    #: of a build by its caller; None when a writer is called alone, which then
    #: computes it the same way.
    built: datetime.datetime | None = None

    def file_name(self, slug: str, suffix: str) -> str:
        """The edition's file name: ``<slug>[-<version label>]<suffix>``."""
        label = f"-{self.version_label}" if self.version_label else ""
        return f"{slug}{label}{suffix}"


# --- traversal helpers -------------------------------------------------------


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, including those nested in quotes, lists and dialogue."""
    for block in blocks:
        yield block
        match block:
            case BlockQuote(blocks=inner):
                yield from walk_blocks(inner)
            case ListBlock(items=items):
                for item in items:
                    yield from walk_blocks(item)
            case Dialogue(paragraphs=paragraphs):
                yield from paragraphs
            case DefinitionList(items=items):
                for item in items:
                    for definition in item.definitions:
                        yield from walk_blocks(definition)
            case Admonition(blocks=inner):
                yield from walk_blocks(inner)
            case Paragraph() | CodeBlock() | Table() | Figure() | SceneBreak() | Heading():
                pass  # holds no blocks
            case _:  # the union is closed: a new block type must be handled here
                raise TypeError(f"unknown block {block!r}")


def walk_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def container_blocks(chapter: Chapter) -> Iterator[Block]:
    """The blocks of a chapter and of all its sections, in reading order (not nested)."""
    yield from chapter.blocks
    for section in walk_sections(chapter.sections):
        yield from section.blocks


def plain_text(inlines: tuple[Inline, ...],
               note_mark: Callable[[NoteRef], str] | None = None) -> str:
    """The text of inlines without markup: ``plain_text((Text("中"), Strong((Text("文"),))))``;
    footnote calls give ``note_mark(call)``, or nothing."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=value) | Code(text=value):
                out.append(value)
            case Image(alt=alt):
                out.append(alt)
            case Ruby(base=base):
                out.append(base)
            case LineBreak():
                out.append("\n")
            case Math():
                out.append(node.source)
            case NoteRef():
                if note_mark is not None:
                    out.append(note_mark(node))
            case (Emph() | Strong() | Dotted() | Superscript() | Subscript() | Strikeout()
                  | Underline() | Link() | Span() | Abbr()):
                out.append(plain_text(node.children, note_mark))
            case _:  # the union is closed: a new inline type must be handled here
                raise TypeError(f"unknown inline {node!r}")
    return "".join(out)


def contents_title(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` as the table of contents, a running head or a navigation
    entry shows a title: no footnote calls (they belong to the heading itself)
    and an image as its alt text (a heading's picture is no contents line)."""
    out: list[Inline] = []
    for node in inlines:
        match node:
            case NoteRef():
                pass
            case Image(alt=alt):
                out.append(Text(alt))
            case (Emph() | Strong() | Dotted() | Superscript() | Subscript() | Strikeout()
                  | Underline() | Link() | Span() | Abbr()):
                out.append(dataclasses.replace(node, children=contents_title(node.children)))
            case Text() | Code() | Ruby() | LineBreak() | Math():
                out.append(node)
            case _:  # the union is closed: a new inline type must be handled here
                raise TypeError(f"unknown inline {node!r}")
    return tuple(out)


def blocks_text(blocks: tuple[Block, ...]) -> str:
    """The text of blocks without markup, one line per paragraph-like block.

    A dialogue turn starts with its speaker and a colon, as it is read.
    """
    out: list[str] = []
    for b in blocks:
        match b:
            case Paragraph(inlines=inlines) | Heading(inlines=inlines):
                out.append(plain_text(inlines))
            case Dialogue(speaker=speaker, paragraphs=paragraphs):
                out.append(f"{speaker}：" + "\n".join(plain_text(p.inlines) for p in paragraphs))
            case BlockQuote(blocks=inner):
                out.append(blocks_text(inner))
            case ListBlock(items=items):
                out.extend(blocks_text(item) for item in items)
            case CodeBlock(text=text):
                out.append(text)
            case Table(header=header, rows=rows):
                for row in ((header,) if header else ()) + rows:
                    out.append(" ".join(plain_text(c) for c in row))
            case Figure(alt=alt, caption=caption):
                out.append(" ".join(x for x in (alt, plain_text(caption)) if x))
            case SceneBreak():
                pass
            case DefinitionList(items=items):
                for item in items:
                    out.extend(plain_text(term) for term in item.terms)
                    out.extend(blocks_text(d) for d in item.definitions)
            case Admonition(title=title, blocks=inner):
                out.extend(x for x in (plain_text(title), blocks_text(inner)) if x)
            case _:  # the union is closed: a new block type must be handled here
                raise TypeError(f"unknown block {b!r}")
    return "\n".join(out)
