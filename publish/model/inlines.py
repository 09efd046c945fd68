"""The inlines of the model: text and what marks it up, a closed union."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


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
