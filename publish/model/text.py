"""The walks and plain-text views every stage shares."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from .blocks import (
    Admonition,
    Block,
    BlockQuote,
    CodeBlock,
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
    Chapter,
    Section,
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
            case BlockQuote(blocks=inner, attribution=attribution):
                out.extend(x for x in (blocks_text(inner), plain_text(attribution)) if x)
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
