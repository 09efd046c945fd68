"""EPUB Accessibility 1.1 metadata that is true of this book.

What the book is read through (text, and pictures when it has any), whether
every picture has a text alternative (then the book claims WCAG 2.2 AA),
whether it has tables or formulas (MathML): ``add_metadata(pub, book, words)`` writes the
``schema:`` properties into the package document.  A book with the print
edition's page list says so, and which edition (``add_page_source``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ebooklib import epub

from ... import model as m

A11Y_CONFORMS = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def add_metadata(pub: epub.EpubBook, book: m.Book, words: Mapping[str, str]) -> None:
    """Add the accessibility metadata of ``book`` (the cover counts as a picture)."""
    # every book has a cover
    alts = image_alts(book) + [words["cover_alt"].format(title=book.meta.title)]
    all_alt = all(alts)
    modes = ["textual"] + (["visual"] if alts else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if alts and all_alt:
        features.append("alternativeText")
    if any(isinstance(b, m.Table) for b in _every_block(book)):
        features.append("table")
    if has_formulas(book):
        features.append("MathML")
    for mode in modes:
        pub.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
    pub.add_metadata(None, "meta", "textual" if all_alt else "textual,visual",
                     {"property": "schema:accessModeSufficient"})
    for feature in features:
        pub.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
    pub.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    summary = words["a11y_summary"] + words["a11y_summary_alt" if alts and all_alt
                                             else "a11y_summary_end"]
    pub.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    if all_alt:  # a book with an image lacking alt text does not meet WCAG AA
        pub.add_metadata(None, "meta", A11Y_CONFORMS, {"property": "dcterms:conformsTo"})


def _every_block(book: m.Book) -> Iterator[m.Block]:
    """Every block of the book, notes included, depth first."""
    for chapter in book.all_chapters:
        notes = tuple(b for note in chapter.notes for b in note.blocks)
        yield from m.walk_blocks(tuple(m.container_blocks(chapter)) + notes)
    for item in book.body:
        if isinstance(item, m.Part):
            yield from m.walk_blocks(item.blocks)


def _every_inline(book: m.Book) -> Iterator[m.Inline]:
    """Every inline of the book's paragraphs and headings, depth first."""
    def visit(inlines: tuple[m.Inline, ...]) -> Iterator[m.Inline]:
        for node in inlines:
            yield node
            match node:
                case (m.Emph() | m.Strong() | m.Dotted() | m.Superscript() | m.Subscript()
                      | m.Strikeout() | m.Underline() | m.Link() | m.Abbr() | m.Span()):
                    yield from visit(node.children)
                case m.Text() | m.Code() | m.Ruby() | m.NoteRef() | m.LineBreak() | m.Image() \
                        | m.Math():
                    pass
                case _:  # the union is closed: a new inline type must be handled here
                    raise TypeError(f"unknown inline {node!r}")

    for b in _every_block(book):  # a dialogue's, a quote's, a list's paragraphs come in turn
        match b:
            case m.Paragraph(inlines=inlines) | m.Heading(inlines=inlines):
                yield from visit(inlines)
            case m.DefinitionList(items=items):  # the definitions' blocks come in turn
                for item in items:
                    for term in item.terms:
                        yield from visit(term)
            case m.Admonition(title=title) | m.BlockQuote(attribution=title):
                yield from visit(title)
            case (m.Figure() | m.Table() | m.Dialogue() | m.ListBlock()
                  | m.CodeBlock() | m.SceneBreak()):
                pass
            case _:  # the union is closed: a new block type must be handled here
                raise TypeError(f"unknown block {b!r}")


def image_alts(book: m.Book) -> list[str]:
    """The alt text of every image in the book, figures and inline images alike."""
    figures = [b.alt for b in _every_block(book) if isinstance(b, m.Figure)]
    return figures + [n.alt for n in _every_inline(book) if isinstance(n, m.Image)]


def has_formulas(book: m.Book) -> bool:
    """True when the book holds a formula (set as MathML)."""
    return any(isinstance(n, m.Math) for n in _every_inline(book))


def add_page_source(pub: epub.EpubBook, source: str) -> None:
    """Say that the book has the print edition ``source``'s page breaks and a
    page list of them.  The edition is named by ``dc:source`` refined as the
    source of the pagination (EPUB 3.3's ``source-of``): EPUB Accessibility
    1.1's newer ``a11y:pageBreakSource`` is not in EPUBCheck 5.3's vocabulary
    (OPF-027, an error)."""
    pub.add_metadata("DC", "source", source, {"id": "print-edition"})
    pub.add_metadata(None, "meta", "pagination", {"refines": "#print-edition",
                                                  "property": "source-of"})
    for feature in ("printPageNumbers", "pageBreakMarkers", "pageNavigation"):
        pub.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
