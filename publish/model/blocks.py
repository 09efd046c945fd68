"""The blocks of the model: paragraphs, dialogue, lists, code, tables, figures…,
a closed union."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .inlines import (
    Inline,
)


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
    """A quotation; ``lang`` as a paragraph's (``<blockquote lang>``);
    ``attribution``, who said it (``——佚名``, ``— Author``), when the
    quotation's last line starts with a dash: the editions set it on a line of
    its own, flush right (``reader.treeprocessors.AttributionTreeprocessor``
    finds it)."""

    blocks: tuple[Block, ...]
    lang: str = ""
    attribution: tuple[Inline, ...] = ()


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
