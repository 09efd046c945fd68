"""The languages a book is written in: its own, then those of its passages
in other languages (``Span``, a paragraph's or a quotation's ``lang``), for
the faces the EPUB and the PDF name; and whether a language is written in
the Latin script (``latin_script``), whose books are set the Western way.
Imports nothing from the package but ``model``.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import model as m


def book_languages(book: m.Book) -> tuple[str, ...]:
    """The book's language, then those of its passages in other languages
    (``Span``, a paragraph's or a quotation's ``lang``), each once, in reading order."""
    found: dict[str, None] = {book.meta.language: None}

    def visit(inlines: tuple[m.Inline, ...]) -> None:
        for node in inlines:
            if isinstance(node, m.Span):
                found[node.lang] = None
            children = getattr(node, "children", None)
            if children:
                visit(children)

    runs: list[tuple[tuple[m.Inline, ...], tuple[m.Block, ...]]] = []  # (a title, its blocks)
    for chapter in book.all_chapters:
        notes = tuple(b for note in chapter.notes for b in note.blocks)
        runs.append((chapter.title, tuple(m.container_blocks(chapter)) + notes))
        runs += [(section.title, ()) for section in m.walk_sections(chapter.sections)]
    runs += [(item.title, item.blocks) for item in book.body if isinstance(item, m.Part)]
    for title, blocks in runs:
        visit(title)
        for block in m.walk_blocks(blocks):
            if isinstance(block, m.Paragraph | m.BlockQuote) and block.lang:
                found[block.lang] = None
            for inlines in _block_inlines(block):
                visit(inlines)
    return tuple(found)


def _block_inlines(block: m.Block) -> Iterator[tuple[m.Inline, ...]]:
    """The runs of inlines a block holds itself (not those of blocks inside it)."""
    match block:
        case m.Paragraph(inlines=inlines) | m.Heading(inlines=inlines):
            yield inlines
        case m.Table(header=header, rows=rows):
            yield from header
            for row in rows:
                yield from row
        case m.Figure(caption=caption):
            yield caption
        case m.DefinitionList(items=items):
            for item in items:
                yield from item.terms
        case m.Admonition(title=title) | m.BlockQuote(attribution=title):
            yield title
        case m.Dialogue() | m.ListBlock() | m.CodeBlock() | m.SceneBreak():
            pass
        case _:  # the union is closed: a new block type must be handled here
            raise TypeError(f"unknown block {block!r}")


#: Languages written in the Latin script (ISO 639 codes), whose books are set
#: the Western way: paragraphs indented after the first, emphasis in italic.
_LATIN_SCRIPT = frozenset(
    "af ast az br bs ca cs cy da de en eo es et eu fi fil fo fr fy ga gd gl ha hr ht hu id is "
    "it jv ku la lb lt lv mg mi ms mt nb nl nn no oc pl pt qu rm ro sk sl so sq sv sw tl tr "
    "uz vi wa yo zu".split())


def latin_script(language: str) -> bool:
    """Whether a book in ``language`` (BCP 47) is written in the Latin script:
    ``latin_script("en-GB") -> True``, ``latin_script("zh-Hans") -> False``,
    ``latin_script("sr-Latn") -> True``."""
    subtags = language.replace("_", "-").lower().split("-") if language else [""]
    scripts = [tag for tag in subtags[1:] if len(tag) == 4 and tag.isalpha()]
    if scripts:
        return scripts[0] == "latn"
    return subtags[0] in _LATIN_SCRIPT
