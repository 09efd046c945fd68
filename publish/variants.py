"""A book in another Chinese script: the zh-Hant-TW, zh-Hant-HK or zh-Hans
edition of one manuscript, made from its ``Book`` (a ``Book`` in, a ``Book``
out; nothing is read or written here).

The text is converted with OpenCC (the official ``opencc`` package), by the
configuration the pair of scripts calls for: ``s2twp`` (Simplified to
Taiwan's forms and vocabulary: 软件 → 軟體), ``s2hk`` (Hong Kong's forms),
``tw2sp`` and ``hk2s`` back to Simplified (Taiwan's and Hong Kong's words
to the mainland's), ``t2s`` from plain Traditional.  What is converted: the
text of every paragraph, heading, note, caption, table cell and alt text,
the title, subtitle, description, publisher, the contributors' names and
book.toml's ``[labels]``.  What is not: code (spans and blocks), math, URLs
and link targets, ids and file names, a ruby's annotation (its reading), and
any passage the author marked with a ``lang`` of its own.

Quotation marks take the target's convention: Traditional Chinese sets
「」 for “” and 『』 for ‘’ (clreq 3.1.5; the Taiwan and Hong Kong
standards), Simplified the reverse.  A mark is Chinese when the nearest
letter before it (else after it) is Chinese, as the reader tells a typed
quote's form; a closing mark follows its opening one, so an English phrase
quoted in Chinese text (“hello”) is closed as it was opened, and an
English quotation inside an English sentence keeps “ ”.

Then the variant's own settings (book.toml's ``[variants.<tag>]``): its
title, subtitle, publisher, ISBN and description in place of the
converted ones, and ``replace``, the words the converter gets wrong, put
right in the converted text (longest first).  A variant without an ISBN
gets an identifier of its own, derived from the book's, so a reading
system or a store never takes the two editions for one.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from functools import lru_cache
from types import MappingProxyType

from . import model as m
from .typography import is_east_asian

#: The variants a book can have, by tag, with the script each is written in.
TARGETS = MappingProxyType({"zh-Hant-TW": "TW", "zh-Hant-HK": "HK", "zh-Hans": "Hans"})
#: OpenCC's configuration for (the book's script, the variant's).
_CONFIGS = MappingProxyType({
    ("Hans", "TW"): "s2twp", ("Hans", "HK"): "s2hk",
    ("TW", "Hans"): "tw2sp", ("HK", "Hans"): "hk2s", ("Hant", "Hans"): "t2s",
    ("TW", "HK"): "t2hk", ("Hant", "HK"): "t2hk", ("HK", "TW"): "t2tw", ("Hant", "TW"): "t2tw",
})
_TO_CORNER = str.maketrans("“”‘’", "「」『』")
_FROM_CORNER = str.maketrans("「」『』", "“”‘’")
_NAMESPACE = uuid.UUID("6f1d6d7e-5b0e-4f0c-9a63-2f1a8e3c1b9d")


def script_of(language: str) -> str:
    """The Chinese script a language tag names: ``Hans``, ``TW``, ``HK``,
    ``Hant`` (Traditional, no region), "" for a language that is not Chinese."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] not in ("zh", "yue", "lzh"):
        return ""
    rest = set(parts[1:])
    if "hk" in rest or "mo" in rest or parts[0] == "yue":
        return "HK"
    if "tw" in rest:
        return "TW"
    if "hant" in rest:
        return "Hant"
    return "Hans"


def conversion(book_language: str, target: str) -> str | None:
    """OpenCC's configuration that makes the text of a ``book_language`` book
    ``target`` (None: the same script, nothing to convert); a ValueError
    for a target publish does not make or a book that is not Chinese."""
    if target not in TARGETS:
        raise ValueError(f"variant {target!r}: publish makes {', '.join(TARGETS)}")
    source = script_of(book_language)
    if not source:
        raise ValueError(f"variant {target!r}: the book is in {book_language!r}, not "
                         "Chinese (variants convert Chinese text between its scripts)")
    wanted = TARGETS[target]
    if source == wanted:
        return None
    return _CONFIGS[(source, wanted)]


def variant_book(book: m.Book, variant: m.Variant) -> m.Book:
    """``book`` in ``variant``'s script: converted text, the target's quotation
    marks and language tag, the variant's own settings."""
    config = conversion(book.meta.language, variant.language)
    words = _converter(config) if config else (lambda text: text)
    replace = sorted(variant.replace, key=lambda pair: -len(pair[0]))

    def text(value: str) -> str:
        value = words(value)
        for wrong, right in replace:
            value = value.replace(wrong, right)
        return value

    quotes = _TO_CORNER if TARGETS[variant.language] != "Hans" else _FROM_CORNER
    convert = _Converter(text, quotes)
    meta = _meta(book.meta, variant, text)
    return dataclasses.replace(
        book, meta=meta,
        front=convert.chapter(book.front) if book.front is not None else None,
        body=tuple(convert.part(item) if isinstance(item, m.Part) else convert.chapter(item)
                   for item in book.body))


@lru_cache(maxsize=None)
def _converter(config: str) -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC(config).convert


def _meta(meta: m.Meta, variant: m.Variant, text: Callable[[str], str]) -> m.Meta:
    """The variant's metadata: converted, or as the variant sets it."""
    if variant.isbn:
        identifier = "urn:isbn:" + re.sub(r"[^0-9Xx]", "", variant.isbn)
    else:
        identifier = "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, f"{meta.identifier}\n"
                                                               f"{variant.language}"))
    return dataclasses.replace(
        meta, language=variant.language, identifier=identifier,
        title=variant.title or text(meta.title),
        subtitle=variant.subtitle or text(meta.subtitle),
        publisher=variant.publisher or text(meta.publisher),
        description=variant.description or text(meta.description),
        rights=text(meta.rights),
        contributors=tuple(dataclasses.replace(c, name=text(c.name))
                           for c in meta.contributors),
        labels=MappingProxyType({name: text(value) for name, value in meta.labels.items()}),
        variants=())


class _Converter:
    """Walks the model, converting text and quotation marks; a paragraph's
    quotes are paired across its inline elements."""

    def __init__(self, text: Callable[[str], str], quotes: dict[int, str]) -> None:
        self.text = text
        self.quotes = quotes
        self.marks = _QuoteMarks(quotes)

    # Chapters and their parts.
    def part(self, part: m.Part) -> m.Part:
        return dataclasses.replace(part, title=self.inlines(part.title),
                                   chapters=tuple(map(self.chapter, part.chapters)),
                                   blocks=self.blocks(part.blocks))

    def chapter(self, chapter: m.Chapter) -> m.Chapter:
        return dataclasses.replace(
            chapter, title=self.inlines(chapter.title), blocks=self.blocks(chapter.blocks),
            sections=tuple(map(self.section, chapter.sections)),
            notes=tuple(dataclasses.replace(n, blocks=self.blocks(n.blocks))
                        for n in chapter.notes))

    def section(self, section: m.Section) -> m.Section:
        return dataclasses.replace(section, title=self.inlines(section.title),
                                   blocks=self.blocks(section.blocks),
                                   sections=tuple(map(self.section, section.sections)))

    # Blocks.
    def blocks(self, blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        return tuple(self.block(block) for block in blocks)

    def block(self, block: m.Block) -> m.Block:
        if isinstance(block, m.Paragraph):
            return block if block.lang else dataclasses.replace(
                block, inlines=self.inlines(block.inlines))
        if isinstance(block, m.BlockQuote):
            return block if block.lang else dataclasses.replace(
                block, blocks=self.blocks(block.blocks),
                attribution=self.inlines(block.attribution))
        if isinstance(block, m.Heading):
            return dataclasses.replace(block, inlines=self.inlines(block.inlines))
        if isinstance(block, m.Dialogue):
            return dataclasses.replace(block, speaker=self.plain(block.speaker),
                                       paragraphs=tuple(map(self.block, block.paragraphs)))
        if isinstance(block, m.ListBlock):
            return dataclasses.replace(block, items=tuple(map(self.blocks, block.items)))
        if isinstance(block, m.Table):
            return dataclasses.replace(
                block, header=tuple(map(self.inlines, block.header)),
                rows=tuple(tuple(map(self.inlines, row)) for row in block.rows))
        if isinstance(block, m.Figure):
            return dataclasses.replace(block, alt=self.plain(block.alt),
                                       caption=self.inlines(block.caption))
        if isinstance(block, m.DefinitionList):
            return dataclasses.replace(block, items=tuple(dataclasses.replace(
                item, terms=tuple(map(self.inlines, item.terms)),
                definitions=tuple(map(self.blocks, item.definitions)))
                for item in block.items))
        if isinstance(block, m.Admonition):
            return dataclasses.replace(block, title=self.inlines(block.title),
                                       blocks=self.blocks(block.blocks))
        return block  # code blocks, scene breaks, raw and math blocks: as they are

    # Inlines: one paragraph's run, its quotes paired across elements.
    def inlines(self, inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        self.marks.start()
        return self._run(inlines)

    def plain(self, value: str) -> str:
        self.marks.start()
        return self.marks.convert(self.text(value))

    def _run(self, inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        return tuple(self._inline(item) for item in inlines)

    def _inline(self, item: m.Inline) -> m.Inline:
        if isinstance(item, m.Text):
            return m.Text(self.marks.convert(self.text(item.text)))
        if isinstance(item, (m.Code, m.Math, m.LineBreak, m.NoteRef)):
            self.marks.opaque()
            return item
        if isinstance(item, m.Span):  # the author's own language: as written
            self.marks.opaque()
            return item
        if isinstance(item, m.Image):
            return dataclasses.replace(item, alt=self.text(item.alt))
        if isinstance(item, m.Ruby):
            return dataclasses.replace(item, base=self.text(item.base))
        if isinstance(item, m.Link):
            return dataclasses.replace(item, children=self._run(item.children),
                                       title=self.text(item.title))
        if isinstance(item, m.Abbr):
            return dataclasses.replace(item, children=self._run(item.children),
                                       title=self.text(item.title))
        if hasattr(item, "children"):
            return dataclasses.replace(item, children=self._run(item.children))
        return item


class _QuoteMarks:
    """The quotation marks of one paragraph in the target's forms."""

    _OPEN = {"“": "”", "‘": "’", "「": "」", "『": "』"}
    _CLOSE = {close: open_ for open_, close in _OPEN.items()}

    def __init__(self, table: dict[int, str]) -> None:
        self.table = table
        self.start()

    def start(self) -> None:
        self.stack: list[tuple[str, bool]] = []   # opening mark, converted
        self.last = ""                            # the last letter seen

    def opaque(self) -> None:
        """Code or a passage in another language: a word that is not Chinese."""
        self.last = "a"

    def convert(self, text: str) -> str:
        out = []
        for index, char in enumerate(text):
            if char in self._OPEN:
                chinese = self._chinese(text, index)
                self.stack.append((char, chinese))
                out.append(char.translate(self.table) if chinese else char)
            elif char in self._CLOSE:
                opener = self._CLOSE[char]
                if self.stack and self.stack[-1][0] == opener:
                    chinese = self.stack.pop()[1]
                else:  # an apostrophe, or a mark left open by the text
                    chinese = self._chinese(text, index)
                out.append(char.translate(self.table) if chinese else char)
            else:
                if char.isalnum() or is_east_asian(char):
                    self.last = char
                out.append(char)
        return "".join(out)

    def _chinese(self, text: str, index: int) -> bool:
        """Whether the letter before ``index`` (in this text or earlier in the
        paragraph), else the one after it, is Chinese."""
        before = next((c for c in reversed(text[:index]) if c.isalnum() or is_east_asian(c)),
                      self.last)
        if before:
            return is_east_asian(before)
        after = next((c for c in text[index + 1:] if c.isalnum() or is_east_asian(c)), "")
        return not after or is_east_asian(after)
