"""The book model: a small, closed set of frozen dataclasses.

``Book(meta, front, body)``: ``front`` is the untitled matter before the
first chapter, ``body`` a sequence of parts and chapters.  Chapters and
sections hold blocks; blocks hold inlines.  There is no HTML and no I/O
here: paths are data (relative to ``Book.root``).  ``inlines``, ``blocks``
and ``book`` hold the types, ``text`` the walks and plain-text views every
stage shares, all named here (``m.Chapter``, ``m.plain_text``);
``publish.dump`` gives the one stable textual form of a book, for golden
tests.  Imports nothing from the package outside ``model/``.
"""

from __future__ import annotations

from .blocks import (
    Admonition,
    Block,
    BlockQuote,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Dialogue,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    SceneBreak,
    Table,
)
from .book import (
    Book,
    BuildOptions,
    Chapter,
    Contributor,
    Matter,
    Meta,
    Note,
    PageMap,
    PageStart,
    Part,
    Section,
    Source,
    Variant,
)
from .inlines import (
    Abbr,
    Code,
    Dotted,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    Ruby,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
)
from .pages import COPYRIGHT_PAGE, TITLE_PAGE, block_addresses, places
from .text import (
    blocks_text,
    container_blocks,
    contents_title,
    plain_text,
    walk_blocks,
    walk_sections,
)

__all__ = [
    "COPYRIGHT_PAGE",
    "TITLE_PAGE",
    "PageMap",
    "PageStart",
    "block_addresses",
    "places",
    "Abbr",
    "Admonition",
    "Block",
    "BlockQuote",
    "Book",
    "BuildOptions",
    "Chapter",
    "Code",
    "CodeBlock",
    "Contributor",
    "DefinitionItem",
    "DefinitionList",
    "Dialogue",
    "Dotted",
    "Emph",
    "Figure",
    "Heading",
    "Image",
    "Inline",
    "LineBreak",
    "Link",
    "ListBlock",
    "Math",
    "Matter",
    "Meta",
    "Note",
    "NoteRef",
    "Paragraph",
    "Part",
    "Ruby",
    "SceneBreak",
    "Section",
    "Source",
    "Variant",
    "Span",
    "Strikeout",
    "Strong",
    "Subscript",
    "Superscript",
    "Table",
    "Text",
    "Underline",
    "blocks_text",
    "container_blocks",
    "contents_title",
    "plain_text",
    "walk_blocks",
    "walk_sections",
]
