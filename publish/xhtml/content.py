"""The content of a chapter as XHTML: blocks and inlines, and the escaping
every string goes through (``text``, ``attr``, ``iri_to_uri``).

``ContentRenderer`` sets what a chapter holds; ``publish.xhtml.Renderer``
adds the pages of a book around it (title page, contents, chapters, notes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from urllib.parse import quote, urlsplit, urlunsplit

from .. import model as m
from ..formula import FormulaError, mathml
from ..highlight import runs as code_runs
from ..labels import labels
from ..typography import (
    FULL_WIDTH_MARKS,
    autospace,
    combined_numbers,
    is_cjk,
    is_east_asian,
    needs_space,
    url_spans,
)

Href = Callable[[str], str]

# A run of Latin words inside CJK text: set as English (hyphenation, voice).
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z](?:[ ,.:;!?]+[A-Za-z][A-Za-z'’\-]*[A-Za-z])*")


def text(value: str) -> str:
    """Escape text for XHTML content: ``text("a<b") -> 'a&lt;b'``."""
    return escape(value, quote=False)


def attr(value: str) -> str:
    """Escape text for an attribute value in double quotes."""
    return escape(value, quote=True)


def is_cjk_language(lang: str) -> bool:
    return lang.split("-")[0].lower() in ("zh", "ja", "ko", "yue", "wuu", "lzh")


def is_chinese_language(lang: str) -> bool:
    """A Chinese language, whose quotations and emphasis the themes set in a Kai face."""
    return lang.split("-")[0].lower() in ("zh", "yue", "wuu", "lzh")


class ContentRenderer:
    """Renders the blocks and inlines of one book (see ``xhtml.Renderer``)."""

    def __init__(self, book: m.Book, href: Href, image_href: Callable[[str], str],
                 mark_latin: bool | None = None, highlight: bool = True,
                 upright_numbers: bool = False):
        self.book = book
        self.highlight = highlight
        #: Vertical text: numbers of one or two digits set upright, side by side.
        self.upright_numbers = upright_numbers
        self.href = href
        self.image_href = image_href
        lang = book.meta.language
        self.mark_latin = is_cjk_language(lang) if mark_latin is None else mark_latin
        self.kai = is_chinese_language(lang)  # quotations and emphasis in a Kai face
        self._refs: dict[str, int] = {}   # note id -> calls rendered so far
        self._emphasis = 0                # how many Emph the text being rendered is in
        self._quote = 0                   # how many block quotations it is in
        self.words = labels(lang, book.meta.labels)
        #: Each block's place (``model.pages``), where a print page may start.
        self.addresses = m.block_addresses(book)

    # -- blocks -----------------------------------------------------------------
    def blocks(self, blocks: tuple[m.Block, ...]) -> str:
        return "".join(self._placed(b, self.block(b)) for b in blocks)

    def _placed(self, b: m.Block, html: str) -> str:
        """``html``, the markup of ``b``, as the place it is (called after
        ``block`` returns, so a deep nesting of blocks costs no more frames)."""
        address = self.addresses.get(id(b))
        return self.at_place(address, html) if address else html

    def at_place(self, address: str, html: str) -> str:
        """``html``, the markup of the place ``address`` (``model.pages``): the
        hook where an edition marks it (nothing here)."""
        return html

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
                return self.in_language(b.lang, lambda: self.block_quote(b))
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
                return (f'<figure{self.figure_attributes(b)}>'
                        f'<img src="{attr(self.image_href(b.src))}" alt="{attr(b.alt)}"/>'
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

    def block_quote(self, b: m.BlockQuote) -> str:
        """``<blockquote>``; its attribution (``——佚名``) last, a paragraph of
        class ``attribution`` that the themes set flush right on a line of its own."""
        self._quote += 1
        try:
            by = (f'<p class="attribution">{self.inlines(b.attribution)}</p>\n'
                  if b.attribution else "")
            return f"<blockquote{_lang(b.lang)}>\n{self.blocks(b.blocks)}{by}</blockquote>\n"
        finally:
            self._quote -= 1

    def code_block(self, b: m.CodeBlock) -> str:
        """``<pre><code>``; in a language Pygments knows, each token that
        is not an identifier or punctuation in a ``<span>`` of its class,
        and the ``pre`` of class ``highlight`` (as Pygments' style sheets expect)."""
        cls = f' class="language-{attr(b.language)}"' if b.language else ""
        found = code_runs(b.text, b.language) if self.highlight else None
        pre = "<pre>" if found is None else '<pre class="highlight">'
        return f"{pre}<code{cls}>{self.code_body(b.text, found)}</code></pre>\n"

    def code_body(self, code: str, runs: list[tuple[str, str]] | None) -> str:
        """The content of a code block's ``<code>``: ``code`` escaped, or its
        highlighted ``runs`` (class, text) each in a ``<span>`` of its class."""
        if runs is None:
            return text(code)
        return "".join(f'<span class="{kind}">{text(value)}</span>' if kind else text(value)
                       for kind, value in runs)

    def figure_attributes(self, b: m.Figure) -> str:
        """Attributes of a figure's ``<figure>`` (none here)."""
        return ""

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

    def table(self, t: m.Table, attributes: str = "",
              cell_attributes: Callable[[int, int], str] | None = None) -> str:
        """``<table>``; ``attributes`` of the table, and ``cell_attributes(row,
        column)`` of each cell (rows counted from the head's, 0), for the
        print edition."""
        def cells(row: tuple[tuple[m.Inline, ...], ...], tag: str, n: int) -> str:
            out = []
            for i, cell in enumerate(row):
                align = t.aligns[i] if i < len(t.aligns) else ""
                cls = f' class="align-{align}"' if align else ""
                more = cell_attributes(n, i) if cell_attributes else ""
                out.append(f"<{tag}{cls}{more}>{self.inlines(cell)}</{tag}>")
            return "<tr>" + "".join(out) + "</tr>\n"
        head = f"<thead>\n{cells(t.header, 'th', 0)}</thead>\n" if t.header else ""
        first = 1 if t.header else 0
        body = "".join(cells(r, "td", first + n) for n, r in enumerate(t.rows))
        return (f"<table{attributes}>\n{head}<tbody>\n{body}</tbody>\n</table>\n"
                if (head or body) else "")

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
                return f"<code>{self.token(n.text)}</code>"
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
                        f'role="doc-noteref">{self._number(str(n.number))}</a>')
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
        outer = self.mark_latin, self.kai
        self.mark_latin, self.kai = is_cjk_language(lang), is_chinese_language(lang)
        try:
            return render()
        finally:
            self.mark_latin, self.kai = outer

    def token(self, value: str) -> str:
        """A token a line may break inside only where a reader expects it (inline
        code, a URL), escaped; the screen leaves its breaking to the reading
        system, the print renderer marks the places (``typography.break_points``)."""
        return text(value)

    def _text(self, value: str) -> str:
        value = autospace(value)
        if not _URL_HINT.search(value):
            return self._plain(value)
        out, pos = [], 0
        for start, end in url_spans(value):  # never hyphenated, never marked English
            out.append(self._plain(value[pos:start]))
            out.append(f'<span class="url">{self.token(value[start:end])}</span>')
            pos = end
        out.append(self._plain(value[pos:]))
        return "".join(out)

    def _plain(self, value: str) -> str:
        """Text that is no URL; in vertical text (``upright_numbers``) each
        number of one or two digits standing alone is a ``<span class="tcy">``
        (縦中横, tate-chū-yoko), which the vertical style sheet sets upright in
        one character's square, without the spaces around it."""
        if not self.upright_numbers:
            return self._words(value)
        out, pos = [], 0
        for start, end, digits in combined_numbers(value):
            out += [self._words(value[pos:start]), self._number(digits)]
            pos = end
        return "".join(out) + self._words(value[pos:])

    def _number(self, digits: str) -> str:
        """A number (a note call's too): in vertical text, one of one or two
        digits in ``<span class="tcy">``."""
        if self.upright_numbers and len(digits) <= 2:
            return f'<span class="tcy">{digits}</span>'
        return digits

    def _words(self, value: str) -> str:
        if not value:
            return ""
        if self._emphasis and any(is_east_asian(ch) for ch in value):
            marks = _marks if self.kai else text
            return "".join(self._latin(run) if not cjk else f'<span class="cjk">{marks(run)}</span>'
                           for run, cjk in _cjk_runs(value))
        if self._quote and self.kai and _MARK_RUN.search(value):
            out, pos = [], 0
            for found in _MARK_RUN.finditer(value):
                out += [self._latin(value[pos:found.start()]), _marks(found.group())]
                pos = found.end()
            return "".join(out) + self._latin(value[pos:])
        return self._latin(value)

    def _latin(self, value: str) -> str:
        """``value`` escaped, its Latin runs marked as English in a CJK book."""
        if not self.mark_latin or not _LATIN_RUN.search(value):
            return text(value)
        out, pos = [], 0
        for found in _LATIN_RUN.finditer(value):
            out.append(text(value[pos:found.start()]))
            out.append(_english(found.group(0)))
            pos = found.end()
        out.append(text(value[pos:]))
        return "".join(out)


def _marks(value: str) -> str:
    """CJK text of a Kai passage (a quotation, emphasis) escaped, each run of
    full-width marks in ``<span class="punct">``: the themes set the marks in
    the body face, as the Kai faces draw “ ” narrow and have no ``halt`` to
    compress a pair with."""
    if not _MARK_RUN.search(value):
        return text(value)
    return _MARK_RUN.sub(lambda found: f'<span class="punct">{found.group()}</span>',
                         text(value))


_MARK_RUN = re.compile(f"[{FULL_WIDTH_MARKS}]+")


def _english(run: str) -> str:
    """A run of Latin words in CJK text, marked English; a name or brand long
    enough to be hyphenated (a capital in a word of eight letters or more:
    WeasyPrint, JavaScript, DeepSeek) marked ``name`` too, so it stays whole."""
    out, pos = [], 0
    for found in _NAME.finditer(run):
        out.append(_marked_english(run[pos:found.start()]))
        out.append(f'<span lang="en" class="name">{text(found.group(0))}</span>')
        pos = found.end()
    out.append(_marked_english(run[pos:]))
    return "".join(out)


def _marked_english(piece: str) -> str:
    """``piece`` escaped, in a ``<span lang="en">`` unless it is only blanks."""
    return f'<span lang="en">{text(piece)}</span>' if piece.strip() else text(piece)


# A word with a capital, eight letters or more (what hyphenation could split).
_NAME = re.compile(r"(?<![A-Za-z'’])(?=[A-Za-z]*[A-Z])[A-Za-z]{8,}(?![A-Za-z'’])")
# What a URL or e-mail address holds (typography.url_spans finds them).
_URL_HINT = re.compile(r"://|www\.|mailto:|@")


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
