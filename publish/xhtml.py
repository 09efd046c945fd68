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

import re
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import quote, urlsplit, urlunsplit

from . import model as m
from .formula import FormulaError, mathml
from .highlight import runs as code_runs
from .labels import appendix_label, credit, labels
from .languages import latin_script
from .numbers import chapter_label, number_label
from .options import Option
from .typography import autospace, is_cjk, is_east_asian, needs_space

Href = Callable[[str], str]

EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# A run of Latin words inside CJK text: set as English (hyphenation, voice).
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z](?:[ ,.:;!?]+[A-Za-z][A-Za-z'’\-]*[A-Za-z])*")


def text(value: str) -> str:
    """Escape text for XHTML content: ``text("a<b") -> 'a&lt;b'``."""
    return escape(value, quote=False)


def attr(value: str) -> str:
    """Escape text for an attribute value in double quotes."""
    return escape(value, quote=True)


def label_html(label: str) -> str:
    """The label before a chapter's or part's title (第一章, 附录 A), its
    trailing space in a span of its own that the style sheets set at no
    width, so that a label on a line of its own stays centred; the space is
    still in the text (第一章\u3000开端) for a reader without the styles."""
    word, space = label.rstrip(), label[len(label.rstrip()):]
    return ((f'<span class="label">{text(word)}</span>' if word else "")
            + (f'<span class="label-separator">{text(space)}</span>' if word and space else ""))


def is_cjk_language(lang: str) -> bool:
    return lang.split("-")[0].lower() in ("zh", "ja", "ko", "yue", "wuu", "lzh")


class Renderer:
    """Renders blocks and inlines of one book.

    ``image_href`` maps a manuscript image path to its URL in the output;
    ``mark_latin`` wraps Latin runs in ``<span lang="en">`` (CJK books only,
    and inside a passage in a CJK language);
    ``highlight`` sets code blocks in a language Pygments knows as token spans.
    """

    def __init__(self, book: m.Book, href: Href, image_href: Callable[[str], str],
                 mark_latin: bool | None = None, chapter_unit: str = "",
                 highlight: bool = True):
        self.book = book
        self.highlight = highlight
        self.chapter_unit = chapter_unit  # CHAPTER_LABEL's value
        self.href = href
        self.image_href = image_href
        lang = book.meta.language
        self.mark_latin = is_cjk_language(lang) if mark_latin is None else mark_latin
        self._refs: dict[str, int] = {}   # note id -> calls rendered so far
        self._emphasis = 0                # how many Emph the text being rendered is in
        self.words = labels(lang, book.meta.labels)
        parts = [item for item in book.body if isinstance(item, m.Part) and item.matter == "body"]
        self._part_numbers = {part.id: n for n, part in enumerate(parts, 1)}
        #: A book in a Latin-script language is set the Western way (base.css's
        #: ``.latin``: paragraphs indented after the first).
        self.script_class = "latin" if latin_script(lang) else ""

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
        out.append(f'<h1 id="{attr(chapter.id)}-title" class="chapter-title"'
                   f'{self.title_attributes(label, chapter.title)}>{label_html(label)}'
                   f'{self.inlines(chapter.title)}</h1>\n')
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
        return "".join(out)

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
        return "".join(out)

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
        return (f'<section id="{attr(chapter.id)}" class="front" epub:type="preface">\n'
                + self.blocks(chapter.blocks) + self.sections(chapter.sections, 2)
                + self.notes(chapter) + "</section>\n")

    def part(self, part: m.Part) -> str:
        return (f'<section id="{attr(part.id)}" class="part" epub:type="part" role="doc-part">\n'
                f'<h1 class="part-title">{label_html(self.part_label(part))}'
                f'{self.inlines(part.title)}</h1>\n'
                + self.blocks(part.blocks) + "</section>\n")

    def sections(self, sections: tuple[m.Section, ...], depth: int) -> str:
        out = []
        for s in sections:
            h = min(depth, 6)
            out.append(f'<section id="{attr(s.id)}" class="section">\n'
                       f'<h{h}>{self.inlines(s.title)}</h{h}>\n')
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

    # -- blocks -----------------------------------------------------------------
    def blocks(self, blocks: tuple[m.Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b: m.Block) -> str:
        match b:
            case m.Paragraph(lang=lang) if lang:
                return self.in_language(
                    lang, lambda: f"<p{_lang(lang)}>{self.paragraph(b.inlines)}</p>\n")
            case m.Paragraph():
                return f"<p>{self.paragraph(b.inlines)}</p>\n"
            case m.Dialogue():
                first, *rest = b.paragraphs
                speaker = self.words["speaker"].format(speaker=b.speaker)
                out = ['<div class="dialogue">\n<p class="turn">'
                       f'<span class="speaker">{text(speaker)}</span>'
                       f"{self.paragraph(first.inlines)}</p>\n"]
                out += [f'<p class="turn-cont">{self.paragraph(p.inlines)}</p>\n' for p in rest]
                out.append("</div>\n")
                return "".join(out)
            case m.BlockQuote():
                return self.in_language(b.lang, lambda: (
                    f"<blockquote{_lang(b.lang)}>\n{self.blocks(b.blocks)}</blockquote>\n"))
            case m.ListBlock():
                tag = "ol" if b.ordered else "ul"
                start = f' start="{b.start}"' if b.ordered and b.start != 1 else ""
                tasks = b.tasks or (None,) * len(b.items)
                items = "".join(self._list_item(item, task) for item, task in zip(b.items, tasks))
                return f"<{tag}{start}>\n{items}</{tag}>\n"
            case m.CodeBlock():
                return self.code_block(b)
            case m.Table():
                return self.table(b)
            case m.Figure():
                # A caption that only repeats the alt text (pandoc's implicit
                # figure) is hidden from screen readers, which read the alt.
                hidden = ' aria-hidden="true"' if m.plain_text(b.caption) == b.alt else ""
                caption = (f"<figcaption{hidden}>{self.inlines(b.caption)}</figcaption>"
                           if b.caption else "")
                return (f'<figure><img src="{attr(self.image_href(b.src))}" alt="{attr(b.alt)}"/>'
                        f"{caption}</figure>\n")
            case m.SceneBreak():
                return '<hr class="scene-break"/>\n'
            case m.Heading():
                h = min(max(b.level, 2), 6)
                return f"<h{h}>{self.inlines(b.inlines)}</h{h}>\n"
            case m.DefinitionList():
                return self.definition_list(b)
            case m.Admonition():
                title = (f'<p class="admonition-title">{self.inlines(b.title)}</p>\n'
                         if b.title else "")
                return (f'<div class="admonition admonition-{attr(b.kind)}" role="note">\n'
                        f"{title}{self.blocks(b.blocks)}</div>\n")
            case _:
                raise TypeError(f"unknown block {b!r}")  # pragma: no cover - the union is closed

    def code_block(self, b: m.CodeBlock) -> str:
        """``<pre><code>``; in a language Pygments knows, each token that
        is not an identifier or punctuation in a ``<span>`` of its class,
        and the ``pre`` of class ``highlight`` (as Pygments' style sheets expect)."""
        cls = f' class="language-{attr(b.language)}"' if b.language else ""
        found = code_runs(b.text, b.language) if self.highlight else None
        if found is None:
            return f"<pre><code{cls}>{text(b.text)}</code></pre>\n"
        body = "".join(f'<span class="{kind}">{text(value)}</span>' if kind else text(value)
                       for kind, value in found)
        return f'<pre class="highlight"><code{cls}>{body}</code></pre>\n'

    def _item(self, item: tuple[m.Block, ...], box: str = "") -> str:
        """A list item's or a definition's content, ``box`` (a task's
        checkbox) before its first words."""
        if len(item) == 1 and isinstance(item[0], m.Paragraph):
            return box + self.inlines(item[0].inlines)  # a tight item
        if box and item and isinstance(item[0], m.Paragraph):
            return f"\n<p>{box}{self.paragraph(item[0].inlines)}</p>\n" + self.blocks(item[1:])
        return "\n" + box + self.blocks(item)

    def _list_item(self, item: tuple[m.Block, ...], task: bool | None) -> str:
        """An ``<li>``; a task's starts with its checkbox, ☐ or ☑ (a character,
        not a form control: every reading system and the page show it)."""
        if task is None:
            return f"<li>{self._item(item)}</li>\n"
        mark = self.words["task.done" if task else "task.todo"]
        box = f'<span class="task-box">{text(mark)} </span>'  # the space inside: it hangs too
        return f'<li class="task{" done" if task else ""}">{self._item(item, box)}</li>\n'

    def definition_list(self, b: m.DefinitionList) -> str:
        out = ['<dl class="definitions">\n']
        for item in b.items:
            out += [f"<dt>{self.inlines(term)}</dt>\n" for term in item.terms]
            out += [f"<dd>{self._item(d)}</dd>\n" for d in item.definitions]
        out.append("</dl>\n")
        return "".join(out)

    def table(self, t: m.Table) -> str:
        def cells(row: tuple[tuple[m.Inline, ...], ...], tag: str) -> str:
            out = []
            for i, cell in enumerate(row):
                align = t.aligns[i] if i < len(t.aligns) else ""
                cls = f' class="align-{align}"' if align else ""
                out.append(f"<{tag}{cls}>{self.inlines(cell)}</{tag}>")
            return "<tr>" + "".join(out) + "</tr>\n"
        head = f"<thead>\n{cells(t.header, 'th')}</thead>\n" if t.header else ""
        body = "".join(cells(r, "td") for r in t.rows)
        return f"<table>\n{head}<tbody>\n{body}</tbody>\n</table>\n" if (head or body) else ""

    # -- inlines ----------------------------------------------------------------
    def paragraph(self, inlines: tuple[m.Inline, ...]) -> str:
        """A paragraph's content (a dialogue turn's too)."""
        return self.inlines(inlines)

    def inlines(self, inlines: tuple[m.Inline, ...]) -> str:
        out = []
        prev_last = ""
        for node in inlines:
            first, last = _edges(node)
            if prev_last and first and needs_space(prev_last, first):
                out.append(" ")
            self.add_inline(out, node, self.inline(node))
            prev_last = last or prev_last
        return "".join(out)

    def add_inline(self, out: list[str], node: m.Inline, html: str) -> None:
        """Add ``html``, the markup of ``node``, to the pieces of a run of inlines."""
        out.append(html)

    def inline(self, n: m.Inline) -> str:
        match n:
            case m.Text():
                return self._text(n.text)
            case m.Emph():
                self._emphasis += 1
                try:
                    return f"<em>{self.inlines(n.children)}</em>"
                finally:
                    self._emphasis -= 1
            case m.Strong():
                return f"<strong>{self.inlines(n.children)}</strong>"
            case m.Dotted():
                return f'<em class="dot">{self.inlines(n.children)}</em>'
            case m.Superscript():
                return f"<sup>{self.inlines(n.children)}</sup>"
            case m.Subscript():
                return f"<sub>{self.inlines(n.children)}</sub>"
            case m.Strikeout():
                return f"<del>{self.inlines(n.children)}</del>"
            case m.Underline():
                return f"<u>{self.inlines(n.children)}</u>"
            case m.Code():
                return f"<code>{text(n.text)}</code>"
            case m.Link():
                href = self.href(n.target[1:]) if n.internal else iri_to_uri(n.target)
                title = f' title="{attr(n.title)}"' if n.title else ""
                return f'<a href="{attr(href)}"{title}>{self.inlines(n.children)}</a>'
            case m.Image():
                return f'<img src="{attr(self.image_href(n.src))}" alt="{attr(n.alt)}"/>'
            case m.Ruby():
                return (f"<ruby>{text(n.base)}<rp>{text(self.words['rp_open'])}</rp>"
                        f"<rt>{text(n.annotation)}</rt>"
                        f"<rp>{text(self.words['rp_close'])}</rp></ruby>")
            case m.NoteRef():
                count = self._refs.get(n.note_id, 0) + 1
                self._refs[n.note_id] = count
                return (f'<a id="{attr(n.note_id)}-r{count}" class="noteref" '
                        f'href="{attr(self.href(n.note_id))}" epub:type="noteref" '
                        f'role="doc-noteref">{n.number}</a>')
            case m.LineBreak():
                return "<br/>"
            case m.Math():
                try:
                    return mathml(n.tex, n.display)
                except FormulaError:  # the reader keeps such a formula as text
                    return text(n.source)
            case m.Abbr():
                title = f' title="{attr(n.title)}"' if n.title else ""
                return f"<abbr{title}>{self.inlines(n.children)}</abbr>"
            case m.Span():
                return self.in_language(
                    n.lang, lambda: f"<span{_lang(n.lang)}>{self.inlines(n.children)}</span>")
            case _:
                raise TypeError(f"unknown inline {n!r}")  # pragma: no cover

    def in_language(self, lang: str, render: Callable[[], str]) -> str:
        """``render()`` for a passage in ``lang`` (none: the surrounding
        language): Latin runs are marked English only in a CJK language."""
        if not lang:
            return render()
        outer, self.mark_latin = self.mark_latin, is_cjk_language(lang)
        try:
            return render()
        finally:
            self.mark_latin = outer

    def _text(self, value: str) -> str:
        value = autospace(value)
        if self._emphasis and any(is_east_asian(ch) for ch in value):
            return "".join(self._latin(run) if not cjk else f'<span class="cjk">{text(run)}</span>'
                           for run, cjk in _cjk_runs(value))
        return self._latin(value)

    def _latin(self, value: str) -> str:
        """``value`` escaped, its Latin runs marked as English in a CJK book."""
        if not self.mark_latin or not _LATIN_RUN.search(value):
            return text(value)
        out, pos = [], 0
        for found in _LATIN_RUN.finditer(value):
            out.append(text(value[pos:found.start()]))
            out.append(f'<span lang="en">{text(found.group(0))}</span>')
            pos = found.end()
        out.append(text(value[pos:]))
        return "".join(out)


def _cjk_runs(value: str) -> list[tuple[str, bool]]:
    """``value`` cut into runs of CJK text (with the quotes, dashes and
    ellipses CJK text shares with Latin) and runs of other text, for emphasis:
    ``[("Deep ", False), ("“错觉”", True)]``.  A run of shared marks alone
    (English quotes around English words) is not CJK."""
    runs: list[tuple[str, bool]] = []
    for ch in value:
        cjk = is_cjk(ch)
        if runs and runs[-1][1] == cjk:
            runs[-1] = (runs[-1][0] + ch, cjk)
        else:
            runs.append((ch, cjk))
    return [(run, cjk and any(is_east_asian(ch) for ch in run)) for run, cjk in runs]


def _lang(lang: str) -> str:
    """The ``lang`` attribute of an element in another language ("" for none)."""
    return f' lang="{attr(lang)}"' if lang else ""


def _edges(node: m.Inline) -> tuple[str, str]:
    """The first and last visible characters of an inline, for Han-Latin seams."""
    if isinstance(node, m.NoteRef | m.LineBreak):
        return "", ""
    if isinstance(node, m.Math):  # a formula meets Han text as a Latin word does
        return "x", "x"
    plain = m.plain_text((node,))
    return (plain[:1], plain[-1:]) if plain else ("", "")


def iri_to_uri(url: str) -> str:
    """A URL as the EPUB's XHTML may carry it: a space or a non-ASCII letter
    percent-encoded (UTF-8), an international host name in its ASCII form;
    what is already encoded stays.

    ``iri_to_uri("https://例子.测试/路 径")``
    -> ``'https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%20%E5%BE%84'``
    """
    parts = urlsplit(url.strip())
    host = parts.netloc
    if host and not host.isascii():
        userinfo, _, hostport = host.rpartition("@")
        name, colon, port = hostport.partition(":")
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            name = quote(name, safe="")
        host = (userinfo + "@" if userinfo else "") + name + colon + port
    return urlunsplit((parts.scheme, host, quote(parts.path, safe=_SAFE),
                       quote(parts.query, safe=_SAFE), quote(parts.fragment, safe=_SAFE)))


_SAFE = "/:@!$&'()*+,;=~%?-._"


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
        return appendix_label(words, chapter.letter, bool(chapter.title))
    if not unit or chapter.number is None:
        return ""
    label = (number_label(words["chapter"], chapter.number) if unit == CHAPTER_WORD
             else chapter_label(chapter.number, unit))
    return label + words["label_title"]
