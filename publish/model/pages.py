"""Where the print edition's pages start, as places in the book: the page map.

A page of the PDF starts at a *place* (``PageStart.address``): a part's,
chapter's or section's heading (its id: ``ch03``, ``ch03-s1``), the title
page (``titlepage``), the copyright page (``copyright``), or a block of text
(``ch03/4``: the fifth block of chapter 3 in reading order, ``ch03/4.1``:
the second block inside it, a quotation's or a list's), ``offset`` letters
into it: the characters of its text for which ``str.isalnum`` is true (Han
characters, letters, digits), so that the spaces, hyphens and breaks each
edition sets its own way do not count.  A footnote's text and a note call's
number are not the text of the block.  ``address`` is "" for a page with
no text (a blank verso, an image alone).

``block_addresses(book)`` is the one definition of a block's address, for
the renderer of each edition; ``places(book)`` every address a place has.
"""

from __future__ import annotations

from collections.abc import Iterator

from .blocks import Admonition, Block, BlockQuote, DefinitionList, ListBlock
from .book import Book, Part, Section

#: The places of a book that are not its parts, chapters or blocks.
TITLE_PAGE = "titlepage"
COPYRIGHT_PAGE = "copyright"


def block_addresses(book: Book) -> dict[int, str]:
    """The address of every block of the book's parts, chapters and sections
    (not of its notes), by the block's ``id()``: ``{id(block): "ch03/4.1"}``."""
    out: dict[int, str] = {}
    for item in book.body:
        if isinstance(item, Part):
            _address(out, item.id, item.blocks)
    for chapter in book.all_chapters:
        blocks = chapter.blocks + tuple(b for s in _sections(chapter.sections) for b in s.blocks)
        _address(out, chapter.id, blocks)
    return out


def places(book: Book) -> set[str]:
    """Every address a page may start at in ``book``."""
    out = {TITLE_PAGE, COPYRIGHT_PAGE} | set(block_addresses(book).values())
    for item in book.body:
        out.add(item.id)
    for chapter in book.all_chapters:
        out.add(chapter.id)
        out.update(section.id for section in _sections(chapter.sections))
    return out


def _address(out: dict[int, str], prefix: str, blocks: tuple[Block, ...]) -> None:
    """Address ``blocks`` and the blocks inside them, without recursion (a
    manuscript may nest quotations a hundred deep)."""
    todo = [(f"{prefix}/", blocks)]
    while todo:
        stem, run = todo.pop()
        for index, block in enumerate(run):
            out[id(block)] = address = f"{stem}{index}"
            if inner := tuple(_inner(block)):
                todo.append((f"{address}.", inner))


def _inner(block: Block) -> Iterator[Block]:
    """The blocks directly inside ``block``, in reading order."""
    match block:
        case BlockQuote(blocks=inner) | Admonition(blocks=inner):
            yield from inner
        case ListBlock(items=items):
            for item in items:
                yield from item
        case DefinitionList(items=items):
            for item in items:
                for definition in item.definitions:
                    yield from definition


def _sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.sections)
