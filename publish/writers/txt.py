"""Write the plain-text edition: ``dist/<slug>.txt``.

UTF-8 without BOM, LF line ends.  A title block, a table of contents,
chapters with underlined titles, paragraphs separated by a blank line,
dialogue as ``记者：……``, footnotes as ``[1]`` with the notes at the end of
their chapter, links as ``text（URL）``, images as ``［图：alt］``, tables
aligned by display width, code indented and verbatim, a quotation's
attribution on the line under it (flush right when lines have a width).  The words and marks
are the book's language's (``labels``): a Chinese or Japanese paragraph is
indented by two ideographic spaces, an English one is not (the blank line
parts paragraphs, as in Project Gutenberg's texts), the scene break is
``＊　＊　＊`` or ``* * *``.  No Markdown syntax is left, but for emphasis in
an English book (and any other whose labels are English's), marked
``_thus_`` (``txt.emphasis``) as plain-text English books mark italics
(Project Gutenberg's texts do): the stress of "I do _not_ want" is part of
the sentence.  Chinese plain text has no such mark, and a CJK book's
emphasis stays unmarked.  With
``options.width`` every paragraph is wrapped by display width, never
starting a line with a closing mark.  An appendix is labelled 附录 A
(Appendix A) in its heading and in the contents.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import model as m
from ..files import atomic_write
from ..labels import appendix_label, credit, labels
from ..options import Option
from ..typography import autospace, display_width, join_spaced
from ..wrapping import wrap

NAME = "txt"
SUFFIX = ".txt"
#: The options this writer reads (see publish.options).
WIDTH = Option("width", int, 0, "Wrap lines at this display width (CJK characters count 2); "
               "0: no wrapping.", minimum=0, maximum=100_000,
               check=lambda v: "must be 0 or at least 20" if 0 < v < 20 else None)
OPTIONS = (WIDTH,)

BLOCK_INDENT = "    "            # quotes, code, nested lists


def write(book: m.Book, out_dir: Path, options: m.BuildOptions) -> Path:
    """Write the text edition of ``book`` into ``out_dir`` and return its path."""
    text = render(book, options)
    return atomic_write(out_dir / options.file_name(book.meta.slug, SUFFIX),
                        text.encode("utf-8"))


def render(book: m.Book, options: m.BuildOptions | None = None) -> str:
    """The whole text edition as one string."""
    options = options or m.BuildOptions()
    r = _Renderer(int(WIDTH.of(options)), labels(book.meta.language, book.meta.labels))
    r.title_block(book.meta)
    r.toc(book)
    if book.front is not None:
        r.rule()
        r.chapter_body(book.front)
    for item in book.body:
        if isinstance(item, m.Part):
            r.heading(m.plain_text(item.title), r.words["txt.chapter_rule"], before=3)
            r.blocks(item.blocks, "")
            for chapter in item.chapters:
                r.chapter(chapter)
        else:
            r.chapter(item)
    text = "\n".join(line.rstrip() for line in r.lines).strip("\n")
    return text + "\n"


class _Renderer:
    def __init__(self, width: int, words: Mapping[str, str]):
        self.width = width
        self.words = words
        self.indent = words["txt.indent"]  # a paragraph's first line
        self.emphasis = words["txt.emphasis"]  # around emphasis ("" for none)
        self.lines: list[str] = []

    def title(self, chapter: m.Chapter, note_mark=None) -> str:
        """A chapter's title as its heading and the contents show it: an
        appendix's after its label (front and back matter have no number)."""
        title = m.plain_text(chapter.title, note_mark)
        if chapter.kind == "appendix":
            return appendix_label(self.words, chapter.letter, title) + title
        return title

    # -- structure ------------------------------------------------------------
    def blank(self, n: int = 1) -> None:
        existing = 0
        for line in reversed(self.lines):
            if line:
                break
            existing += 1
        self.lines.extend([""] * max(0, n - existing))

    def title_block(self, meta: m.Meta) -> None:
        self.lines.append(meta.title)
        if meta.subtitle:
            self.lines.append(meta.subtitle)
        if meta.contributors:
            self.blank()
            for c in meta.contributors:
                self.lines.append(credit(self.words, c.role, c.name))
        details = [meta.publisher, meta.date, meta.identifier]
        if any(details):
            self.blank()
            self.lines.extend(d for d in details if d)
        if meta.rights:
            self.lines.append(meta.rights)

    def rule(self) -> None:
        self.blank(2)
        self.lines.append(self.words["scene_break"])
        self.blank(2)

    def toc(self, book: m.Book) -> None:
        if not book.chapters:
            return
        self.rule()
        self.lines.append(self.words["contents"])
        self.blank()
        indent = self.words["txt.toc_indent"]
        for item in book.body:
            if isinstance(item, m.Part):
                self.para(autospace(m.plain_text(item.title)), "")
                for chapter in item.chapters:
                    self.para(autospace(self.title(chapter)), indent, indent)
            else:
                self.para(autospace(self.title(item)), indent, indent)

    def heading(self, title: str, rule_char: str, before: int) -> None:
        self.blank(before)
        start = len(self.lines)
        self.para(autospace(title), "")
        longest = max(display_width(line) for line in self.lines[start:])
        step = max(1, display_width(rule_char))  # ＝ takes two columns, = one
        self.lines.append(rule_char * max(2, (longest + step - 1) // step))
        self.blank()

    def chapter(self, chapter: m.Chapter) -> None:
        self.heading(self.title(chapter, _note_mark), self.words["txt.chapter_rule"],
                     before=3)
        self.chapter_body(chapter)

    def chapter_body(self, chapter: m.Chapter) -> None:
        self.blocks(chapter.blocks, "")
        self.sections(chapter.sections)
        if chapter.notes:
            self.blank()
            self.lines.append(self.words["notes"])
            self.blank()
            for note in chapter.notes:
                self.blocks(note.blocks, "", first_prefix=f"[{note.number}] ", indent=False)

    def sections(self, sections: tuple[m.Section, ...]) -> None:
        for section in sections:
            self.heading(m.plain_text(section.title, _note_mark), self.words["txt.section_rule"],
                         before=2)
            self.blocks(section.blocks, "")
            self.sections(section.sections)

    # -- blocks ---------------------------------------------------------------
    def blocks(self, blocks: tuple[m.Block, ...], prefix: str, first_prefix: str | None = None,
               indent: bool = True) -> None:
        for i, block in enumerate(blocks):
            label = first_prefix if i == 0 and first_prefix is not None else None
            self.block(block, prefix, label, indent)
            self.blank()

    def block(self, b: m.Block, prefix: str, label: str | None, indent: bool) -> None:
        match b:
            case m.Paragraph():
                lead = (label or "") + (self.indent if indent and label is None else "")
                self.para(lead + self.inline(b.inlines), prefix)
            case m.Dialogue():
                speaker = self.words["speaker"].format(speaker=b.speaker)
                for i, p in enumerate(b.paragraphs):
                    lead = self.indent + (speaker if i == 0 else "")
                    self.para(lead + self.inline(p.inlines), prefix)
                    if i < len(b.paragraphs) - 1:
                        self.blank()
            case m.BlockQuote():
                if label:
                    self.lines.append(prefix + label.rstrip())
                self.blocks(b.blocks, prefix + BLOCK_INDENT, indent=False)
                if b.attribution:
                    self.attribution(self.inline(b.attribution), prefix + BLOCK_INDENT)
            case m.ListBlock():
                if label:
                    self.lines.append(prefix + label.rstrip())
                self.list_block(b, prefix)
            case m.CodeBlock():
                if label:
                    self.lines.append(prefix + label.rstrip())
                for line in b.text.split("\n"):
                    self.lines.append(prefix + BLOCK_INDENT + line if line else "")
            case m.Table():
                if label:
                    self.lines.append(prefix + label.rstrip())
                self.table(b, prefix)
            case m.Figure():
                text = self.words["image"].format(alt=b.alt or m.plain_text(b.caption))
                if b.caption and m.plain_text(b.caption) != b.alt:
                    text += self.inline(b.caption)
                self.para((label or "") + text, prefix)
            case m.SceneBreak():
                scene_break = self.words["scene_break"]
                pad = max(0, (self.width - display_width(scene_break)) // 2) if self.width else 8
                self.lines.append(prefix + " " * pad + scene_break)
            case m.Heading():
                self.para((label or "") + self.inline(b.inlines), prefix)
            case m.DefinitionList():
                if label:
                    self.lines.append(prefix + label.rstrip())
                self.definition_list(b, prefix)
            case m.Admonition():
                if label:
                    self.lines.append(prefix + label.rstrip())
                if b.title:
                    title = self.words["admonition.text"].format(title=self.inline(b.title))
                    self.para(title, prefix + BLOCK_INDENT)
                self.blocks(b.blocks, prefix + BLOCK_INDENT, indent=False)
            case _:  # pragma: no cover - the union is closed
                raise TypeError(f"unknown block {b!r}")

    def para(self, text: str, prefix: str, hanging: str = "") -> None:
        """Add a paragraph, wrapped to the width when one is set."""
        avail = max(self.width - display_width(prefix), 10) if self.width else 0
        for line in text.split("\n"):  # hard line breaks
            for piece in self._wrap(line, avail, hanging):
                self.lines.append(prefix + piece)

    def _wrap(self, line: str, avail: int, hanging: str) -> list[str]:
        if not avail:
            return [line]
        first, *rest = wrap(line, avail)
        if not hanging or not rest:
            return [first, *rest]
        again = wrap(line[len(first):].lstrip(), avail - display_width(hanging))
        return [first] + [hanging + piece for piece in again]

    def attribution(self, text: str, prefix: str) -> None:
        """A quotation's attribution on the line under its last: flush right
        when lines have a width, else where the quotation's lines start."""
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        pad = self.width - display_width(prefix + text) if self.width else 0
        if pad > 0:
            self.lines.append(prefix + " " * pad + text)
        else:
            self.para(text, prefix)

    def list_block(self, b: m.ListBlock, prefix: str) -> None:
        tasks = b.tasks or (None,) * len(b.items)
        for n, (item, task) in enumerate(zip(b.items, tasks), start=b.start):
            marker = f"{n}. " if b.ordered else "• "
            if task is not None:  # a task's checkbox, after a number or in place of a bullet
                box = self.words["task.done" if task else "task.todo"] + " "
                marker = marker + box if b.ordered else box
            hanging = " " * display_width(marker)
            for i, block in enumerate(item):
                if isinstance(block, m.Paragraph):
                    lead = marker if i == 0 else hanging
                    self.para(lead + self.inline(block.inlines), prefix, hanging)
                else:
                    if i == 0:
                        self.lines.append(prefix + marker.rstrip())
                    self.block(block, prefix + hanging, None, indent=False)
            if any(not isinstance(x, m.Paragraph) for x in item) or len(item) > 1:
                self.blank()

    def definition_list(self, b: m.DefinitionList, prefix: str) -> None:
        """Each term on a line of its own, its definitions indented below it."""
        for item in b.items:
            for term in item.terms:
                self.para(self.inline(term), prefix)
            for definition in item.definitions:
                self.blocks(definition, prefix + BLOCK_INDENT, indent=False)
            self.blank()

    def table(self, t: m.Table, prefix: str) -> None:
        rows = [[self.inline(c).replace("\n", " ") for c in row]
                for row in ((t.header,) if t.header else ()) + t.rows]
        widths = [max(display_width(r[i]) for r in rows) for i in range(len(t.aligns))]
        for k, row in enumerate(rows):
            cells = [_align(cell, widths[i], t.aligns[i]) for i, cell in enumerate(row)]
            self.lines.append(prefix + "  ".join(cells).rstrip())
            if k == 0 and t.header:
                self.lines.append(prefix + "  ".join("-" * w for w in widths))

    # -- inlines --------------------------------------------------------------
    def inline(self, inlines: tuple[m.Inline, ...]) -> str:
        return join_spaced([self._inline(n) for n in inlines])

    def _inline(self, n: m.Inline) -> str:
        match n:
            case m.Text():
                return autospace(n.text)
            case m.Code():
                return n.text
            case m.Link():
                text = self.inline(n.children)
                if n.internal:
                    return text
                shown = n.target.removeprefix("mailto:")
                return (text if text in (n.target, shown)
                        else self.words["txt.link"].format(text=text, url=shown))
            case m.Image():
                return self.words["image"].format(alt=n.alt)
            case m.Ruby():
                return self.words["txt.ruby"].format(base=n.base, annotation=n.annotation)
            case m.NoteRef():
                return _note_mark(n)
            case m.LineBreak():
                return "\n"
            case m.Math():
                return n.source  # the TeX, between its dollars
            case m.Superscript():
                return "^" + self.inline(n.children)
            case m.Emph() if self.emphasis:
                text = self.inline(n.children)
                return f"{self.emphasis}{text}{self.emphasis}" if text else text
            case (m.Emph() | m.Strong() | m.Dotted() | m.Subscript() | m.Strikeout() | m.Underline()
                  | m.Span()):
                return self.inline(n.children)
            case m.Abbr():  # the abbreviation as written; its expansion is for screens
                return self.inline(n.children)
            case _:  # the union is closed: a new inline type must be handled here
                raise TypeError(f"unknown inline {n!r}")


def _note_mark(call: m.NoteRef) -> str:
    return f"[{call.number}]"


def _align(cell: str, width: int, align: str) -> str:
    gap = width - display_width(cell)
    if align == "right":
        return " " * gap + cell
    if align == "center":
        return " " * (gap // 2) + cell + " " * (gap - gap // 2)
    return cell + " " * gap
