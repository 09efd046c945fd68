"""The stable textual form of a book model, for golden tests.

``dump(book)`` writes one node per line, indented by depth, inlines as a
compact one-line form (text as is, markup as ``Name[...]``): what the reader
made of a manuscript, diffable.  Changing it changes every golden file.
It imports only the model.
"""

from __future__ import annotations

from dataclasses import fields

from . import model as m


def dump(book: m.Book) -> str:
    """The stable text form of a book: one node per line, indented by depth.

    Used by golden tests; changing it changes every golden file.
    """
    lines: list[str] = []
    meta = book.meta
    for f in fields(m.Meta):
        value = getattr(meta, f.name)
        if f.name in ("options_file", "option_lines"):
            continue  # where the manuscript lies, not what it says
        if f.name in ("options", "labels"):
            value = dict(sorted(value.items()))
        elif f.name == "contributors":
            value = [f"{c.name} ({c.role})" for c in value]
        if value not in ("", (), [], {}):
            lines.append(f"meta.{f.name}: {value}")
    if book.front is not None:
        _chapter(book.front, "Front", 0, lines)
    for item in book.body:
        if isinstance(item, m.Part):
            matter = f" {item.matter}" if item.matter != "body" else ""
            lines.append(f"Part{matter} #{item.id} {_inl(item.title)}")
            _blocks(item.blocks, 1, lines)
            for chapter in item.chapters:
                _chapter(chapter, "Chapter", 1, lines)
        else:
            _chapter(item, "Chapter", 0, lines)
    return "\n".join(lines) + "\n"


def _chapter(ch: m.Chapter, kind: str, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    number = f" {ch.number}" if ch.number is not None else ""
    classes = "".join(f" .{c}" for c in ch.classes)
    lines.append(f"{pad}{kind}{number}{_matter(ch) if kind == 'Chapter' else ''} #{ch.id}"
                 f"{classes} {_inl(ch.title)}")
    _blocks(ch.blocks, depth + 1, lines)
    _sections(ch.sections, depth + 1, lines)
    for note in ch.notes:
        lines.append(f"{pad}  Note {note.number} #{note.id}")
        _blocks(note.blocks, depth + 2, lines)


def _matter(ch: m.Chapter) -> str:
    """`` front:preface``, `` back:appendix A``: a chapter's matter, kind and
    letter, when it is not a plain chapter of the body."""
    if ch.matter == "body" and not ch.kind:
        return ""
    kind = f":{ch.kind}" if ch.kind else ""
    return f" {ch.matter}{kind}" + (f" {ch.letter}" if ch.letter else "")


def _sections(sections: tuple[m.Section, ...], depth: int, lines: list[str]) -> None:
    for s in sections:
        lines.append(f"{'  ' * depth}Section h{s.level} #{s.id} {_inl(s.title)}")
        _blocks(s.blocks, depth + 1, lines)
        _sections(s.sections, depth + 1, lines)


def _blocks(blocks: tuple[m.Block, ...], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    for b in blocks:
        match b:
            case m.Paragraph():
                lines.append(f"{pad}Para{_lang(b.lang)} {_inl(b.inlines)}")
            case m.Dialogue():
                lines.append(f"{pad}Dialogue {b.speaker!r}")
                _blocks(b.paragraphs, depth + 1, lines)
            case m.BlockQuote():
                lines.append(f"{pad}Quote{_lang(b.lang)}")
                _blocks(b.blocks, depth + 1, lines)
                if b.attribution:
                    lines.append(f"{pad}  Attribution {_inl(b.attribution)}")
            case m.ListBlock():
                kind = f"OrderedList start={b.start}" if b.ordered else "BulletList"
                lines.append(f"{pad}{kind}")
                tasks = b.tasks or (None,) * len(b.items)
                for item, task in zip(b.items, tasks):
                    box = "" if task is None else " [x]" if task else " [ ]"
                    lines.append(f"{pad}  Item{box}")
                    _blocks(item, depth + 2, lines)
            case m.CodeBlock():
                lines.append(f"{pad}Code lang={b.language!r} {b.text!r}")
            case m.Table():
                lines.append(f"{pad}Table aligns={list(b.aligns)}")
                lines.append(f"{pad}  Header {' | '.join(_inl(c) for c in b.header)}")
                lines.extend(f"{pad}  Row {' | '.join(_inl(c) for c in row)}" for row in b.rows)
            case m.Figure():
                lines.append(f"{pad}Figure src={b.src!r} alt={b.alt!r} caption={_inl(b.caption)}")
            case m.SceneBreak():
                lines.append(f"{pad}SceneBreak")
            case m.Heading():
                lines.append(f"{pad}Heading h{b.level} {_inl(b.inlines)}")
            case m.DefinitionList():
                lines.append(f"{pad}DefinitionList")
                for item in b.items:
                    lines.extend(f"{pad}  Term {_inl(term)}" for term in item.terms)
                    for definition in item.definitions:
                        lines.append(f"{pad}  Definition")
                        _blocks(definition, depth + 2, lines)
            case m.Admonition():
                lines.append(f"{pad}Admonition {b.kind} {_inl(b.title)}")
                _blocks(b.blocks, depth + 1, lines)
            case _:  # the union is closed: a new block type must be handled here
                raise TypeError(f"unknown block {b!r}")


def _lang(lang: str) -> str:
    """`` lang=ja`` for a block in another language, else nothing."""
    return f" lang={lang}" if lang else ""


def _inl(inlines: tuple[m.Inline, ...]) -> str:
    """Inlines as a compact one-line form: text as is, markup as ``Name[...]``."""
    return "".join(_inline(node) for node in inlines)


def _inline(node: m.Inline) -> str:
    match node:
        case m.Text():
            return node.text.replace("\n", "\\n")
        case m.Code():
            return f"Code[{node.text}]"
        case m.Link():
            title = f" {node.title!r}" if node.title else ""
            return f"Link[{_inl(node.children)} -> {node.target}{title}]"
        case m.Image():
            return f"Image[{node.src} alt={node.alt!r}]"
        case m.Ruby():
            return f"Ruby[{node.base}/{node.annotation}]"
        case m.NoteRef():
            return f"NoteRef[{node.number} #{node.note_id}]"
        case m.LineBreak():
            return "LineBreak"
        case m.Math():
            tex = node.tex.replace("\n", "\\n")
            return f"{'DisplayMath' if node.display else 'Math'}[{tex}]"
        case m.Span():
            return f"Span[{node.lang} {_inl(node.children)}]"
        case m.Abbr():
            return f"Abbr[{_inl(node.children)} {node.title!r}]"
        case (m.Emph() | m.Strong() | m.Dotted() | m.Superscript() | m.Subscript()
              | m.Strikeout() | m.Underline()):
            return f"{type(node).__name__}[{_inl(node.children)}]"
        case _:  # the union is closed: a new inline type must be handled here
            raise TypeError(f"unknown inline {node!r}")
