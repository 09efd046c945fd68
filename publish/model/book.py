"""The structure of a book: notes, sections, chapters, parts, its metadata,
the ``Book`` itself, and what a writer is asked for (``BuildOptions``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from .blocks import (
    Block,
)
from .inlines import (
    Inline,
)


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
class Variant:
    """An edition of the book in another script (book.toml's ``variants``):
    ``language`` its tag (``zh-Hant-TW``); what the author sets for it
    instead of the converted text (title, subtitle, publisher, ISBN,
    description: "" converts the book's); ``replace``: the words the
    converter gets wrong and what they should be, (wrong, right) pairs."""

    language: str
    title: str = ""
    subtitle: str = ""
    publisher: str = ""
    isbn: str = ""
    description: str = ""
    replace: tuple[tuple[str, str], ...] = ()


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
    #: The editions in another script book.toml asks for (``variants``).
    variants: tuple[Variant, ...] = ()

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
class PageStart:
    """Page ``label`` (its folio: ``iii``, ``12``) starts ``offset`` letters into ``address``."""

    label: str
    address: str
    offset: int = 0


@dataclass(frozen=True)
class PageMap:
    """The pages of a print edition (``edition``: its file name), in order;
    ``source`` names that edition (``urn:isbn:…`` when it has an ISBN)."""

    edition: str
    source: str
    pages: tuple[PageStart, ...]


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
    #: The edition's script and region when it is a variant (``zh-Hant-TW``),
    #: "" for the book as written.
    variant: str = ""
    #: Where the print edition's pages start (``pages.PageMap``), for the
    #: EPUB's page list: given when the PDF is built in the same run.
    page_map: PageMap | None = None
    #: The build cache's folder (``.publish-cache`` in the output folder, which
    #: a writer's folder may only be staged in); None: in the folder written.
    cache: Path | None = None

    def file_name(self, slug: str, suffix: str) -> str:
        """The edition's file name: ``<slug>[-<version label>][.<variant>]<suffix>``."""
        label = f"-{self.version_label}" if self.version_label else ""
        variant = f".{self.variant}" if self.variant else ""
        return f"{slug}{label}{variant}{suffix}"
