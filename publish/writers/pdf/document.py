"""The print edition as one XHTML document for WeasyPrint.

``PrintRenderer`` is the shared ``xhtml.Renderer`` with what only paper needs:

- a note is set at the foot of the page that calls it (CSS GCPM
  ``float: footnote``): the call becomes ``<span class="footnote">`` holding
  the note's text, glued to the character before it, and no chapter closes
  with a list of notes; the note keeps its number in the chapter (the
  model's, as in the EPUB and the text edition);
- ruby is an annotation stacked over its base in an inline block, since
  WeasyPrint has no ruby layout (print.css sets it);
- a paragraph never ends with a line of one Han character (孤字);
- a chapter title holding a note call gives its running head and bookmark
  without the call's number;
- a formula is an SVG image drawn from its TeX (``formulas``), where the
  screen's MathML would be;
- a code line longer than its box is wrapped inside it (``wrapping.code_breaks``,
  the box's measure in columns from ``codefit``): each continuation row
  after a forced break and an empty box of the hanging indent, on which
  print.css draws the continuation mark, so the mark is no text;
- a figure tells print.css how many lines its caption may take
  (``--caption-lines``), which keeps the image and its caption within the
  height of the text block; an image that is all a paragraph, a list item
  or a table cell holds is marked ``lone``: a picture, where print.css sizes
  an image in a line of text (an icon) by the text.
- a table fits the text block (``tables``): its type steps down, its
  columns keep their words and short cells whole, and one too wide even so
  is set on a page turned a quarter (``<div class="broadside">``).

It is a subclass because these are changes inside the recursion over the
model (a call nested in emphasis in a table cell is a float too): the base
calls ``self.inline`` and the other hooks at every level, so overriding them
is the whole change, with nothing of the shared rendering repeated here.

``document(book, options)`` puts the half-title, title page, copyright page,
contents and every part and chapter into one document; the first part or
chapter of the body (``Book.first_body``, after any front matter chapters,
which print.css sets on the roman-numbered front pages) starts page 1.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping

from ... import model as m
from ...files import build_time
from ...fonts import cjk_region
from ...highlight import HIGHLIGHT
from ...log import LOGGER
from ...themes import css_string
from ...typography import (
    FULL_WIDTH_MARKS,
    break_points,
    compressed_marks,
    display_width,
    hold_last_two,
    long_words,
    url_spans,
)
from ...wrapping import code_breaks
from ...xhtml import CHAPTER_LABEL, Renderer, attr, text
from ...xhtml.pages import addressed
from . import formulas, tables
from .codefit import Context
from .fetch import _image_url
from .geometry import TRIMS, Geometry, page_geometry

#: Columns a code line holds inside a ``Context`` (body, section, blocks).
CodeColumns = Callable[[Context], "int | None"]
#: What marks a code line's break: a forced break, then the hanging indent
#: (an empty box of that many columns, the mark drawn on it by print.css).
_HANG = '\n<span class="code-hang" style="width: {}ch"></span>'


class PrintRenderer(Renderer):
    """Renders blocks and inlines of one book for the page (see the module's docstring)."""

    def __init__(self, book: m.Book, chapter_unit: str = "", highlight: bool = True,
                 code_columns: CodeColumns | None = None, measure: int | None = None,
                 page: Geometry | None = None):
        """``code_columns`` measures a code box (None: code lines are not
        wrapped here); ``measure`` is the text block's width in body
        characters (None: no caption is counted); ``page`` the page geometry
        tables are fitted to (default: A5 at 10.5 pt)."""
        super().__init__(book, href=lambda target: f"#{target}", image_href=_image_url,
                         chapter_unit=chapter_unit, highlight=highlight)
        chapters = book.all_chapters
        self._notes = {note.id: note for chapter in chapters for note in chapter.notes}
        self._code_columns = code_columns
        self._measure = measure
        self.body_class = ""                         # set by ``document``
        self._section = "chapter"
        self._context: list[tuple[str, str]] = []   # the blocks being rendered are in
        self._depth = 0                              # runs of inlines being rendered
        self._lone = False                           # the run is one image alone
        self.space = table_space(page or page_geometry(TRIMS["a5"]))
        self._advances = tables.Advances(book.meta.language)
        self._inset = 0.0  # em of the body: how far the blocks being rendered are indented
        self._region = cjk_region(book.meta.language) or "SC"  # where its faces set marks

    def front(self, chapter: m.Chapter) -> str:
        self._section = "front"
        try:
            return super().front(chapter)
        finally:
            self._section = "chapter"

    def at_place(self, address: str, html: str) -> str:
        """``html`` named as the place it is (``data-page-at``), so the laid-out
        pages tell where each starts (``pagemap``)."""
        return addressed(html, address)

    def block(self, b: m.Block) -> str:
        """A block, knowing which blocks it stands in (a code box's measure
        depends on them) and their indent (a quotation's, a list's: kept for
        the tables inside it)."""
        inset = _INSETS.get(type(b), 0.0)
        self._inset += inset
        try:
            return self._block_in_context(b)
        finally:
            self._inset -= inset

    def _block_in_context(self, b: m.Block) -> str:
        match b:
            case m.ListBlock(ordered=ordered):
                tag = "ol" if ordered else "ul"
                wrapper = (f"<{tag}><li>", f"</li></{tag}>")
            case m.BlockQuote():
                wrapper = ("<blockquote>", "</blockquote>")
            case m.Admonition(kind=kind):
                wrapper = (f'<div class="admonition admonition-{attr(kind)}">', "</div>")
            case m.DefinitionList():
                wrapper = ('<dl class="definitions"><dd>', "</dd></dl>")
            case _:
                return super().block(b)
        self._context.append(wrapper)
        try:
            return super().block(b)
        finally:
            self._context.pop()

    def code_body(self, code: str, runs: list[tuple[str, str]] | None) -> str:
        """A code block's content, each line that is wider than the box
        broken into rows (the highlighting kept across the breaks)."""
        columns = None
        if self._code_columns is not None:
            columns = self._code_columns(((f'<body class="{attr(self.body_class)}">', "</body>"),
                                          (f'<section class="{self._section}">', "</section>"),
                                          *self._context))
        breaks: dict[int, int] = {}   # offset in ``code`` -> the hang of the row it starts
        offset = 0
        for line in code.split("\n") if columns else ():
            found, hang = code_breaks(line, columns)
            breaks.update((offset + at, hang) for at in found)
            offset += len(line) + 1
        if not breaks:
            return super().code_body(code, runs)
        return _wrapped(runs or [("", code)], breaks)

    def figure_attributes(self, b: m.Figure) -> str:
        """The lines the caption may take, at most (print.css keeps the
        image that much shorter than the text block): its characters at the
        body size, a CJK one an em, any other 0.6 em (wider than most)."""
        if self._measure is None or not b.caption:
            return ""
        ems = sum(1.0 if display_width(ch) == 2 else 0.6 for ch in m.plain_text(b.caption))
        return f' style="--caption-lines: {max(1, math.ceil(ems / self._measure))}"'

    def title_attributes(self, label: str, title: tuple[m.Inline, ...]) -> str:
        """A title holding a footnote call gives its running head and its
        bookmark without the call (``content(text)`` would take its number);
        one holding a formula gives them with the formula's TeX (the
        image has no text); one holding code or a URL without the marks of
        its break opportunities (``token``)."""
        if (m.contents_title(title) == title and not _holds(title, (m.Math, m.Code))
                and not any(True for _ in url_spans(m.plain_text(title)))):
            return ""
        shown = css_string(re.sub(r"\s+", " ", label + m.plain_text(title)))
        return f' style="{attr(f"string-set: chapter-title {shown}; bookmark-label: {shown}")}"'

    def notes(self, chapter: m.Chapter) -> str:
        """Nothing: each note stands at the foot of the page that calls it."""
        return ""

    def table(self, t: m.Table, attributes: str = "",
              cell_attributes: Callable[[int, int], str] | None = None) -> str:
        """A table that fits the text block (``tables.fit``): its type size
        when it steps down, each column's least width on its first row's
        cells, a cell holding a token broken anywhere (``word-break:
        break-all``: WeasyPrint breaks a word at ``overflow-wrap: anywhere``
        only when it starts the line, and an English run marked in a token
        starts none), on a page turned a quarter when it must."""
        narrower = self._inset * self.space.body
        space = dataclasses.replace(self.space, measure=self.space.measure - narrower,
                                    broadside=max(self.space.broadside - narrower, 0.0))
        found = tables.fit(t, space, self._advances)
        if found.size < tables.sizes(self.space.body)[0]:
            attributes += f' style="font-size: {found.size:g}pt"'

        def styles(row: int, column: int) -> str:
            rules = [f"min-width: {found.floors[column]:g}pt"] if row == 0 and \
                column < len(found.floors) and found.floors[column] else []
            rules += ["word-break: break-all"] * ((row, column) in found.tokens)
            return f' style="{"; ".join(rules)}"' if rules else ""
        if found.broken:  # not lost (what still passes the edge, overflow.check reports)
            cells = " | ".join(m.plain_text(c) for c in (t.header or t.rows[0]))
            LOGGER.info("a table of %d columns is too wide for the page even turned and at "
                        "%g pt: its words break where they must (%s)",
                        len(found.floors), found.size, cells[:60])
        html = super().table(t, attributes, styles)
        return f'<div class="broadside">\n{html}</div>\n' if found.broadside else html

    def _compress_across_tags(self, html: str) -> str:
        """``html`` (a run of inlines) with each pair of full-width marks parted
        only by an element's edge (``[《书》](…)。``) compressed as one in a
        text would be (``justify`` compresses within a text): the mark
        ``typography.compressed_marks`` chooses in a ``<span class="halt">``."""
        if not _MARK_TAGS_MARK.search(html):
            return html
        halted = set()
        for found in _MARK_TAGS_MARK.finditer(html):
            first, second = found.group(1), found.group(3)
            for index, _ in compressed_marks(first + second, self._region):
                halted.add(found.start(1) if index == 0 else found.start(3))
        out, pos = [], 0
        for at in sorted(halted):
            out += [html[pos:at], f'<span class="halt">{html[at]}</span>']
            pos = at + 1
        return "".join(out) + html[pos:]

    def _long_words(self, html: str) -> str:
        """``html`` (a run of inlines) with each word no line may break in and
        longer than half the measure (``long_words``; a character of a Latin
        face is at most an em wide, and a heading's type twice the body's) in
        ``<span class="long">``, which print.css lets break anywhere when a
        line cannot hold it.  Only these words: WeasyPrint lays out each line
        of a text that may break so (``overflow-wrap``) with an extra attribute,
        a cost on every line of the book for the few that need it."""
        longer_than = 12 if self._measure is None else max(6, int(self._measure - self._inset) // 2)
        parts = _TAG_SPLIT.split(html)   # text, tag, text, tag … text
        for index in range(0, len(parts), 2):
            value = parts[index]
            if len(value) <= longer_than or not (found := long_words(value, longer_than)):
                continue
            out, pos = [], 0
            for start, end in found:
                out += [value[pos:start], '<span class="long">', value[start:end], "</span>"]
                pos = end
            parts[index] = "".join(out) + value[pos:]
        return "".join(parts)

    def paragraph(self, inlines: tuple[m.Inline, ...]) -> str:
        """A paragraph's content, a word joiner (U+2060, no glyph, no text in
        the PDF) holding its last two Han characters on one line, so no
        paragraph ends with a line of one character (孤字); a span around them
        would do the same at the cost of an inline box per paragraph."""
        return hold_last_two(self.inlines(inlines))

    def token(self, value: str) -> str:
        """Inline code or a URL, with a zero-width space (U+200B) where a line
        may break inside it (``typography.break_points``) and a word joiner
        (U+2060) after each hyphen, where Pango would break too: a line-final
        hyphen reads as a word's and is dropped when the text is copied.
        Neither has a glyph or text in the PDF, and no hyphen is added."""
        points = break_points(value)
        if not points and "-" not in value:
            return text(value)
        pieces = [text(value[i:j]) for i, j in zip([0, *points], [*points, len(value)])]
        return "\u200b".join(pieces).replace("-", "-\u2060")

    def add_inline(self, out: list[str], node: m.Inline, html: str) -> None:
        """A note call is glued to the character before it: no line starts with a call."""
        if isinstance(node, m.NoteRef) and out and out[-1] and out[-1][-1] not in ">;":
            html = f'<span class="nowrap">{out[-1][-1]}{html}</span>'
            out[-1] = out[-1][:-1]
        out.append(html)

    def inlines(self, inlines: tuple[m.Inline, ...]) -> str:
        """A run of inlines; an image that is all a paragraph, an item or a
        cell holds (linked or not) is a picture, not an icon in a line of
        text: class ``lone`` (print.css sizes an icon by the text); a pair of
        marks parted by an element's edge compressed (``_compress_across_tags``)."""
        outer = self._lone
        self._lone = self._depth == 0 and _lone_image(inlines)
        self._depth += 1
        try:
            html = self._compress_across_tags(super().inlines(inlines))
            return self._long_words(html) if self._depth == 1 else html
        finally:
            self._depth -= 1
            self._lone = outer

    def inline(self, n: m.Inline) -> str:
        match n:
            case m.Image() if self._lone:
                return (f'<img class="lone" src="{attr(self.image_href(n.src))}" '
                        f'alt="{attr(n.alt)}"/>')
            case m.Ruby():
                return (f'<span class="ruby"><span class="rt">{text(n.annotation)}</span>'
                        f'<span class="rb">{text(n.base)}</span></span>')
            case m.NoteRef():
                # The note's text is no emphasis, wherever it is called from.
                emphasis, self._emphasis = self._emphasis, 0
                try:
                    return (f'<span class="footnote" style="{_note_number(n.number)}">'
                            f'{self._note_inline(n.note_id)}</span>')
                finally:
                    self._emphasis = emphasis
            case m.Math():
                drawn = formulas.image(n.tex, n.display)
                if drawn is None:
                    LOGGER.warning("a formula the PDF cannot draw is set as its TeX: %s",
                                   n.source[:80])
                    return text(n.source)
                return drawn
            case _:
                return super().inline(n)

    def _note_inline(self, note_id: str) -> str:
        """A note's text as inline content, for a footnote float: a paragraph
        or a heading as its inlines, any other block as its plain text."""
        note = self._notes.get(note_id)
        if note is None:
            return ""
        parts = []
        for b in note.blocks:
            match b:
                case m.Paragraph(inlines=inlines) | m.Heading(inlines=inlines):
                    parts.append(self.inlines(inlines))
                case _:
                    parts.append(text(m.blocks_text((b,))))
        return "<br/>".join(p for p in parts if p)


def _note_number(number: int) -> str:
    """The note's number for the ``footnote`` counter its call and mark show.

    WeasyPrint counts footnotes through the whole document as it builds
    the boxes, before any page exists (``@page { counter-reset: footnote }``
    resets nothing), and adds one on each footnote element after its
    content.  A reset on the element itself to one less than the model's
    number (a new counter scope, CSS Lists 3) gives the call and the mark
    that number: from 1 in each chapter, a second call of a note repeats
    the first's, and a note called inside a note (whose reset is scoped to
    its caller's content) leaves its caller's number alone."""
    return f"counter-reset: footnote {number - 1}"


def _wrapped(runs: list[tuple[str, str]], breaks: Mapping[int, int]) -> str:
    """Code as ``runs`` (class, text), each in a ``<span>`` of its class
    (none for ""), with a break and the hanging indent before each offset
    of ``breaks`` (offset -> columns)."""
    points = sorted(breaks)
    out, offset, i = [], 0, 0
    for kind, value in runs:
        end = offset + len(value)
        pieces, last = [], 0
        while i < len(points) and points[i] < end:
            at = points[i] - offset
            pieces += [text(value[last:at]), _HANG.format(breaks[points[i]])]
            last, i = at, i + 1
        pieces.append(text(value[last:]))
        body = "".join(pieces)
        out.append(f'<span class="{kind}">{body}</span>' if kind else body)
        offset = end
    return "".join(out)


def _lone_image(inlines: tuple[m.Inline, ...]) -> bool:
    """Whether a run is one image (or one link around one image) and blanks."""
    shown = [n for n in inlines if not (isinstance(n, m.Text) and not n.text.strip())]
    if len(shown) != 1:
        return False
    return isinstance(shown[0], m.Image) or (isinstance(shown[0], m.Link)
                                              and _lone_image(shown[0].children))


#: How far base.css indents the blocks that hold others, em of the body (a
#: quotation's margins, a list's, an admonition's padding and rule, a definition's).
_INSETS = {m.BlockQuote: 4.0, m.ListBlock: 2.0, m.Admonition: 1.3, m.DefinitionList: 2.0}


def table_space(page: Geometry) -> tables.Space:
    """Where tables are set on ``page``: its measure, that of the page turned
    a quarter (the height of the text block, when it is wider), its body size."""
    turned = page.block_height if page.block_height > page.measure * 1.1 else 0.0
    return tables.Space(page.measure, turned, page.font_size)


_MARKS = f"[{FULL_WIDTH_MARKS}]"
# Two marks parted by the edges of elements that hold text (not a note, whose
# text follows its call, nor an image or a line break).
_TEXT_TAG = (r'(?:</(?:a|em|strong|b|i|u|del|sup|sub|abbr|span)>'
             r'|<(?:a|em|strong|b|i|u|del|sup|sub|abbr|span)\b'
             r'(?![^>]*class="(?:footnote|nowrap|ruby|rt|rb)")[^>]*>)')
_MARK_TAGS_MARK = re.compile(f"({_MARKS})((?:{_TEXT_TAG})+)(?=({_MARKS}))")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")


def _holds(inlines: tuple[m.Inline, ...], kinds: tuple[type, ...]) -> bool:
    return any(isinstance(n, kinds) or _holds(getattr(n, "children", ()), kinds)
               for n in inlines)


@dataclasses.dataclass(frozen=True)
class Parts:
    """The book's XHTML document in pieces: ``prefix`` (to ``<body>``), the
    front matter's sections (half title to the last chapter before the body), each body
    unit's (a part's page, a chapter) and ``suffix``."""
    prefix: str
    front: tuple[str, ...]
    body: tuple[str, ...]
    #: Each body unit's chapter: its id and number among the body's chapters
    #: (1, 2…), or None for a part's page.
    chapters: tuple[tuple[str, int] | None, ...] = ()
    suffix: str = "</body>\n</html>\n"
    #: The build's time, for the PDF's metadata (in ``<head>``).
    dates: str = ""

    def whole(self) -> str:
        return self.alone(self.front + self.body)

    def alone(self, sections: tuple[str, ...] | str, dated: bool = True) -> str:
        """A document of ``sections`` only; without the build's time unless
        ``dated`` (a body unit's PDF gives the book its pages, not its metadata:
        its build cache entry outlives an edit elsewhere, which moves the time)."""
        prefix = self.prefix.replace("</head>", self.dates + "</head>", 1) if dated \
            else self.prefix
        return prefix + "".join(sections) + self.suffix


def document(book: m.Book, options: m.BuildOptions, code_columns: CodeColumns | None = None,
             measure: int | None = None, page: Geometry | None = None) -> str:
    """The whole book as one XHTML document for WeasyPrint (``code_columns``
    ``measure`` and ``page``: see ``PrintRenderer``)."""
    return document_parts(book, options, code_columns, measure, page).whole()


def document_parts(book: m.Book, options: m.BuildOptions,
                   code_columns: CodeColumns | None = None, measure: int | None = None,
                   page: Geometry | None = None) -> Parts:
    """``document`` in its pieces (``Parts``)."""
    meta = book.meta
    unit = str(CHAPTER_LABEL.of(options))
    r = PrintRenderer(book, chapter_unit=unit, highlight=bool(HIGHLIGHT.of(options)),
                      code_columns=code_columns, measure=measure, page=page)
    authors = ", ".join(c.name for c in meta.contributors)
    when = (options.built or build_time(book.manuscript or book.root, meta.date)) \
        .isoformat().replace("+00:00", "Z")
    head = [f"<title>{text(meta.title)}</title>",
            f'<meta name="author" content="{attr(authors)}"/>' if authors else "",
            f'<meta name="description" content="{attr(meta.description)}"/>'
            if meta.description else "",
            '<meta name="generator" content="publish"/>']
    dates = (f'<meta name="dcterms.created" content="{when}"/>'
             f'<meta name="dcterms.modified" content="{when}"/>')
    has_parts = any(isinstance(item, m.Part) for item in book.body)
    r.body_class = " ".join(c for c in ("has-parts" if has_parts else "", r.script_class) if c)
    front = [f'<section class="halftitle"><p>{text(meta.title)}</p></section>\n',
             r.title_page(), r.copyright_page(options.version_label), r.toc()]
    if book.front is not None:
        front.append(r.front(book.front))
    body: list[str] = []
    chapters: list[tuple[str, int] | None] = []
    first = book.first_body
    for item in book.body:
        # Front matter chapters before the body go on the front pages (roman folios).
        pieces = front if first is not None and body == [] and item is not first else body
        if isinstance(item, m.Part):
            pieces.append(_mark_first(r.part(item), item is first))
            if pieces is body:
                chapters.append(None)
        for chapter in item.chapters if isinstance(item, m.Part) else (item,):
            if pieces is body:
                chapters.append((chapter.id, sum(c is not None for c in chapters) + 1))
            html = _mark_first(r.chapter(chapter, r.label(chapter)), chapter is first)
            # A chapter outside the parts (a preface, an afterword) is no part's
            # child in the PDF outline.
            pieces.append(html.replace('class="', 'class="outside-parts ', 1)
                          if has_parts and chapter is item else html)
    lang = attr(meta.language)
    prefix = (f'<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}">\n'
              f'<head><meta charset="utf-8"/>{"".join(head)}</head>\n'
              f'<body class="{attr(r.body_class)}">\n')
    return Parts(prefix, tuple(front), tuple(body), tuple(chapters), dates=dates)


def label_css(words: Mapping[str, str]) -> str:
    """The fixed strings of the print edition that CSS sets, in the book's
    language: a note's call and its mark at the foot of the page (①, or a
    superior 1 and "1. "), the leader of a contents line (before a front matter
    chapter's page number in roman, as its folio is)."""
    mark = f"counter(footnote, {words['note_style']})"

    def content(template: str) -> str:
        pieces = template.split("{mark}")
        out = [css_string(pieces[0])] if pieces[0] else []
        for piece in pieces[1:]:
            out += [mark] + ([css_string(piece)] if piece else [])
        return " ".join(out) or '""'

    leader = f"leader({css_string(words['toc_leader'])})"
    return (f".footnote::footnote-call {{ content: {content(words['note_call'])}; }}\n"
            f".footnote::footnote-marker {{ content: {content(words['note_marker'])}; }}\n"
            f"nav.toc a::after {{ content: {leader} target-counter(attr(href url), page); }}\n"
            f"nav.toc li.toc-front a::after {{ content: {leader} "
            "target-counter(attr(href url), page, lower-roman); }\n")


def toc_folios_css(words: Mapping[str, str], folios: Mapping[str, str]) -> str:
    """The contents' page numbers as given (``folios``: anchor -> folio), for
    a front matter laid out apart from the body (``parallel``), where
    ``target-counter`` cannot reach the body's pages."""
    leader = f"leader({css_string(words['toc_leader'])})"
    return "".join(f"nav.toc a[href={css_string('#' + anchor)}]::after "
                   f"{{ content: {leader} {css_string(folio)}; }}\n"
                   for anchor, folio in folios.items())


def _mark_first(html: str, first: bool) -> str:
    """Put ``mainmatter-start`` (page counter reset to 1) on the first body
    item, after the front matter."""
    return html.replace('class="', 'class="mainmatter-start ', 1) if first else html
