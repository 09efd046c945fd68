"""Render the book model to XHTML, for the EPUB and the PDF writers.

It writes no file and is not a writer.  Every function returns a string of
well-formed XHTML (text is escaped here, and only here).  Internal links
go through ``href``, a function from an id (``ch03-s1``) to the URL that
reaches it: ``ch03.xhtml#ch03-s1`` in an EPUB, ``#ch03-s1`` in one PDF
document.  Han-Latin spacing (``typography.autospace``) is applied to every
text, and the seams between inline elements get the same treatment.  Inside
emphasis each run of CJK text is a ``<span class="cjk">``, so that a theme
sets it upright in a face of its own (a slanted Han character is no Chinese
emphasis) while Latin emphasis is italic; a book in a Latin-script language
has ``latin`` among its ``<body>``'s classes (its paragraphs are set the
Western way).

``Renderer`` is what both editions share, and what the EPUB uses as it is:
note calls are links to endnotes closing each chapter, ruby is ``<ruby>``.
The print edition's renderer (``writers/pdf/document.py``) extends it by
overriding five methods, the hooks: ``title_attributes`` (a chapter's
heading), ``notes``, ``paragraph``, ``add_inline`` and ``inline``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .. import model as m
from ..labels import appendix_label, credit, labels
from ..languages import latin_script
from ..numbers import chapter_label, number_label
from ..options import Option
from .content import (
    ContentRenderer,
    Href,
    attr,
    iri_to_uri,
    is_cjk_language,
    text,
)
from .pages import with_markers

__all__ = ["CHAPTER_LABEL", "MATTER_TYPES", "ContentRenderer", "Href", "Renderer", "attr",
           "chapter_label_for", "iri_to_uri", "is_cjk_language", "text"]


EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"

def label_html(label: str) -> str:
    """The label before a chapter's or part's title (第一章, 附录 A), its
    trailing space in a span of its own that the style sheets set at no
    width, so that a label on a line of its own stays centred; the space is
    still in the text (第一章\u3000开端) for a reader without the styles."""
    word, space = label.rstrip(), label[len(label.rstrip()):]
    return ((f'<span class="label">{text(word)}</span>' if word else "")
            + (f'<span class="label-separator">{text(space)}</span>' if word and space else ""))


class Renderer(ContentRenderer):
    """Renders blocks and inlines of one book.

    ``image_href`` maps a manuscript image path to its URL in the output;
    ``mark_latin`` wraps Latin runs in ``<span lang="en">`` (CJK books only,
    and inside a passage in a CJK language);
    ``highlight`` sets code blocks in a language Pygments knows as token spans;
    ``upright_numbers`` (a vertical EPUB) marks the numbers set upright.
    """

    def __init__(self, book: m.Book, href: Href, image_href: Callable[[str], str],
                 mark_latin: bool | None = None, chapter_unit: str = "",
                 highlight: bool = True, upright_numbers: bool = False):
        super().__init__(book, href, image_href, mark_latin, highlight, upright_numbers)
        self.chapter_unit = chapter_unit  # CHAPTER_LABEL's value
        parts = [item for item in book.body if isinstance(item, m.Part) and item.matter == "body"]
        self._part_numbers = {part.id: n for n, part in enumerate(parts, 1)}
        #: A book in a Latin-script language is set the Western way (base.css's
        #: ``.latin``: paragraphs indented after the first).
        self.script_class = "latin" if latin_script(book.meta.language) else ""
        #: The print pages that start at each place: ``{address: [(offset, folio)]}``
        #: (the EPUB's page-break markers; none when no PDF was built with it).
        self.page_markers: Mapping[str, list[tuple[int, str]]] = {}

    def at_place(self, address: str, html: str) -> str:
        """``html`` with the page-break markers of the print pages that start in it."""
        return with_markers(html, self.page_markers.get(address, ()))

    def role(self, relator: str) -> str:
        """The word for a contributor's role in the book's language (``trl`` → 译)."""
        return self.words.get(f"role.{relator}", relator)

    def part_label(self, part: m.Part) -> str:
        """第一部 / Part One before a part's title when chapters are numbered in
        the book's language (``chapter_label = "chapter"``); none on a part of
        appendices (back matter)."""
        if self.chapter_unit != CHAPTER_WORD or part.id not in self._part_numbers:
            return ""
        return (number_label(self.words["part"], self._part_numbers[part.id])
                + self.words["label_title"])

    # -- documents -------------------------------------------------------------
    def document(self, title: str, body: str, css: list[str], body_class: str = "") -> str:
        """A complete XHTML5 document for an EPUB content file."""
        lang = attr(self.book.meta.language)
        links = "".join(f'<link rel="stylesheet" type="text/css" href="{attr(c)}"/>'
                        for c in css)
        # The partition (EPUB 3 Structural Semantics) a chapter's document is.
        partition = body_class if body_class in MATTER_TYPES.values() else ""
        body_class = " ".join(c for c in (body_class, self.script_class) if c)
        body_attrs = f' class="{attr(body_class)}"' if body_class else ""
        if partition:
            body_attrs += f' epub:type="{partition}"'
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}">\n'
            f"<head><meta charset=\"utf-8\"/><title>{text(title)}</title>{links}</head>\n"
            f"<body{body_attrs}>\n{body}</body>\n</html>\n"
        )

    def label(self, chapter: m.Chapter) -> str:
        """The label before a chapter's title: 第一章 (``chapter_label``), 附录 A."""
        return chapter_label_for(chapter, self.chapter_unit, self.words)

    def chapter(self, chapter: m.Chapter, label: str = "") -> str:
        """A chapter as a ``<section>``: title, blocks, sections, notes.  Front
        and back matter is classed so (``frontmatter``, ``backmatter``) and
        typed as what it is (``epub:type="preface"``, ``role="doc-preface"``)."""
        kind = chapter.kind or "chapter"
        cls = "chapter" if chapter.matter == "body" else f"chapter {MATTER_TYPES[chapter.matter]}"
        out = [f'<section id="{attr(chapter.id)}" class="{cls}" epub:type="{kind}" '
               f'role="doc-{kind}" aria-labelledby="{attr(chapter.id)}-title">\n']
        out.append(self.at_place(chapter.id, f'<h1 id="{attr(chapter.id)}-title" '
                   f'class="chapter-title"{self.title_attributes(label, chapter.title)}>'
                   f'{label_html(label)}{self.inlines(chapter.title)}</h1>\n'))
        out.append(self.blocks(chapter.blocks))
        out.append(self.sections(chapter.sections, 2))
        out.append(self.notes(chapter))
        out.append("</section>\n")
        return "".join(out)

    def title_attributes(self, label: str, title: tuple[m.Inline, ...]) -> str:
        """Attributes a chapter's ``<h1>`` carries beside its id and class: none here."""
        return ""

    def title_page(self) -> str:
        """Title, subtitle, contributors and publisher (扉页)."""
        meta = self.book.meta
        out = ['<section class="titlepage" epub:type="titlepage">\n',
               f'<h1 class="book-title">{text(meta.title)}</h1>\n']
        if meta.subtitle:
            out.append(f'<p class="book-subtitle">{text(meta.subtitle)}</p>\n')
        for c in meta.contributors:
            shown = credit(self.words, c.role, c.name)
            out.append(f'<p class="contributor">{text(shown)}</p>\n')
        if meta.publisher:
            out.append(f'<p class="publisher">{text(meta.publisher)}</p>\n')
        out.append("</section>\n")
        return self.at_place(m.TITLE_PAGE, "".join(out))

    def copyright_page(self, version_label: str = "") -> str:
        """The copyright page (版权页): every fact a library or a bookseller asks for."""
        meta = self.book.meta
        words = self.words
        title = (words["title_subtitle"].format(title=meta.title, subtitle=meta.subtitle)
                 if meta.subtitle else meta.title)
        rows = [(words["row.title"], title)]
        for c in meta.contributors:
            rows.append((self.role(c.role), c.name))
        isbn = meta.identifier.startswith("urn:isbn:")
        rows += [(words["row.publisher"], meta.publisher), (words["row.edition"], version_label),
                 (words["row.date"], meta.date),
                 (words["row.isbn" if isbn else "row.identifier"],
                  meta.identifier.removeprefix("urn:isbn:"))]
        out = ['<section class="copyright" epub:type="copyright-page">\n<dl>\n']
        for key, value in rows:
            if value:
                out.append(f"<dt>{text(key)}</dt><dd>{text(value)}</dd>\n")
        out.append("</dl>\n")
        if meta.description:
            out.append(f'<p class="description">{text(meta.description)}</p>\n')
        if meta.rights:
            out.append(f'<p class="rights">{text(meta.rights)}</p>\n')
        out.append("</section>\n")
        return self.at_place(m.COPYRIGHT_PAGE, "".join(out))

    def toc(self, title: str = "", sections: bool = True) -> str:
        """The table of contents (目录) of a printed book: parts, chapters, first-level sections.

        Page numbers and leaders come from CSS (``target-counter``, ``leader``).
        """
        out = [f'<nav class="toc" id="toc" epub:type="toc" role="doc-toc">\n'
               f"<h1>{text(title or self.words['contents'])}</h1>\n<ol>\n"]

        def entry(cls: str, target: str, label: str, inlines: tuple[m.Inline, ...]) -> None:
            out.append(f'<li class="{cls}"><a href="{attr(self.href(target))}">{text(label)}'
                       f"{self.inlines(m.contents_title(inlines))}</a></li>\n")

        for item in self.book.body:
            if isinstance(item, m.Part):
                entry("toc-part", item.id, self.part_label(item), item.title)
            for chapter in (item.chapters if isinstance(item, m.Part) else (item,)):
                cls = "toc-chapter" + (" toc-front" if chapter.matter == "front" else "")
                entry(cls, chapter.id, self.label(chapter), chapter.title)
                if sections:
                    for section in chapter.sections:
                        entry("toc-section", section.id, "", section.title)
        out.append("</ol>\n</nav>\n")
        return "".join(out)

    def front(self, chapter: m.Chapter) -> str:
        """Untitled front matter (a preface, an epigraph)."""
        return (self.at_place(chapter.id, f'<section id="{attr(chapter.id)}" class="front" '
                              'epub:type="preface">\n')
                + self.blocks(chapter.blocks) + self.sections(chapter.sections, 2)
                + self.notes(chapter) + "</section>\n")

    def part(self, part: m.Part) -> str:
        return (f'<section id="{attr(part.id)}" class="part" epub:type="part" role="doc-part">\n'
                + self.at_place(part.id, f'<h1 class="part-title">'
                                f'{label_html(self.part_label(part))}'
                                f'{self.inlines(part.title)}</h1>\n')
                + self.blocks(part.blocks) + "</section>\n")

    def sections(self, sections: tuple[m.Section, ...], depth: int) -> str:
        out = []
        for s in sections:
            h = min(depth, 6)
            out.append(f'<section id="{attr(s.id)}" class="section">\n'
                       + self.at_place(s.id, f'<h{h}>{self.inlines(s.title)}</h{h}>\n'))
            out.append(self.blocks(s.blocks))
            out.append(self.sections(s.sections, depth + 1))
            out.append("</section>\n")
        return "".join(out)

    def notes(self, chapter: m.Chapter) -> str:
        """Notes at the end of a chapter: the back-link first in each, as Kindle needs."""
        if not chapter.notes:
            return ""
        out = ['<section class="notes" epub:type="endnotes" role="doc-endnotes">\n'
               f'<h2 class="notes-title">{text(self.words["notes"])}</h2>\n<ol>\n']
        for note in chapter.notes:
            back = (f'<a class="note-back" href="{attr(self.href(note.id + "-r1"))}" '
                    f'role="doc-backlink">{note.number}.</a> ')
            if not self._refs.get(note.id):  # a note no text calls: nothing to go back to
                back = f'<span class="note-back">{note.number}.</span> '

            body = self.blocks(note.blocks)
            if body.startswith("<p>"):
                body = "<p>" + back + body[3:]
            else:
                body = f"<p>{back}</p>\n{body}"
            # DPUB-ARIA 1.1 deprecates role="doc-endnote": the list item of a
            # doc-endnotes section is the note.  epub:type keeps the pop-ups.
            out.append(f'<li id="{attr(note.id)}" class="note" epub:type="endnote">'
                       f'{body}</li>\n')
        out.append("</ol>\n</section>\n")
        return "".join(out)



#: ``chapter_label``'s value that numbers chapters (and parts) in the book's language.
CHAPTER_WORD = "chapter"
#: A 第N章 label before each chapter's title, in the contents too.
CHAPTER_LABEL = Option("chapter_label", str, "", "Number chapters: chapter does it in the "
                       "book's language (第一章, Chapter 1; parts 第一部, Part One); a unit "
                       "such as 章 or 回 gives 第一章, 第一回 (default: no label).",
                       check=lambda v: "must be chapter or a unit of at most 4 characters"
                       if len(str(v)) > 4 and v != CHAPTER_WORD else None)


#: The partition of the book each matter is (EPUB 3 Structural Semantics).
MATTER_TYPES = {"front": "frontmatter", "body": "bodymatter", "back": "backmatter"}


def chapter_label_for(chapter: m.Chapter, unit: str,
                      words: Mapping[str, str] | None = None) -> str:
    """A chapter's label when the book asks for one (``[edition] chapter_label``):
    ``"chapter"`` in the book's language (``words``: its labels), 第一章 or
    Chapter 1; a unit such as 章 or 回, 第N章 or 第N回; front and back matter
    have no number.  An appendix's is 附录 A / Appendix A, asked for or not.
    The label ends in the space that parts it from the title."""
    words = words if words is not None else labels("zh-Hans")
    if chapter.kind == "appendix":
        return appendix_label(words, chapter.letter, m.plain_text(chapter.title))
    if not unit or chapter.number is None:
        return ""
    label = (number_label(words["chapter"], chapter.number) if unit == CHAPTER_WORD
             else chapter_label(chapter.number, unit))
    return label + words["label_title"]
