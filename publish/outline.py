"""The normalized structure of a book, for ``publish outline``.

``outline(book)`` returns plain data (dicts and lists) that the CLI prints
as text or JSON; the JSON shape is documented in the README.
"""

from __future__ import annotations

from . import model as m
from .log import plural


def count_chars(text: str) -> int:
    """Characters that are not white space: what a Chinese editor counts."""
    return sum(1 for ch in text if not ch.isspace())


def _turns(blocks: tuple[m.Block, ...]) -> list[dict[str, object]]:
    return [{"speaker": b.speaker, "chars": count_chars(m.blocks_text((b,)))}
            for b in blocks if isinstance(b, m.Dialogue)]


def _images(blocks: tuple[m.Block, ...]) -> list[str]:
    found = []
    for b in m.walk_blocks(blocks):
        if isinstance(b, m.Figure):
            found.append(b.src)
    return found


def _section(s: m.Section) -> dict[str, object]:
    return {
        "id": s.id,
        "level": s.level,
        "title": m.plain_text(s.title),
        "chars": count_chars(m.blocks_text(s.blocks)),
        "dialogue": _turns(s.blocks),
        "sections": [_section(c) for c in s.sections],
    }


def _chapter(c: m.Chapter, part: str | None) -> dict[str, object]:
    every = tuple(m.container_blocks(c))
    return {
        "id": c.id,
        "number": c.number,
        "matter": c.matter,
        "kind": c.kind,
        "letter": c.letter,
        "title": m.plain_text(c.title),
        "part": part,
        "chars": count_chars(m.blocks_text(every)),
        "dialogue": _turns(c.blocks),
        "sections": [_section(s) for s in c.sections],
        "footnotes": len(c.notes),
        "images": _images(every),
    }


def outline(book: m.Book) -> dict[str, object]:
    """The book's structure: metadata, front matter, parts, chapters, sections, turns."""
    meta = book.meta
    chapters = []
    parts = []
    for item in book.body:
        if isinstance(item, m.Part):
            parts.append({"id": item.id, "title": m.plain_text(item.title),
                          "chapters": [c.id for c in item.chapters]})
            chapters.extend(_chapter(c, item.id) for c in item.chapters)
        else:
            chapters.append(_chapter(item, None))
    front = None
    if book.front is not None:
        text = m.blocks_text(tuple(m.container_blocks(book.front)))
        front = {"chars": count_chars(text), "text": text,
                 "blocks": [type(b).__name__ for b in book.front.blocks]}

    def all_turns(ch: dict) -> int:
        return len(ch["dialogue"]) + sum(all_turns(s) for s in ch["sections"])

    return {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "language": meta.language,
        "identifier": meta.identifier,
        "slug": meta.slug,
        "contributors": [{"name": c.name, "role": c.role} for c in meta.contributors],
        "front": front,
        "parts": parts,
        "chapters": chapters,
        "totals": {
            "chapters": len(chapters),
            "chars": sum(ch["chars"] for ch in chapters) + (front["chars"] if front else 0),
            "dialogue": sum(all_turns(ch) for ch in chapters),
            "footnotes": sum(ch["footnotes"] for ch in chapters),
            "images": sum(len(ch["images"]) for ch in chapters),
        },
    }


def _matter(ch: dict) -> str:
    """``(front matter: preface) ``, ``(appendix A) ``: what a chapter is,
    when it is not a chapter of the body."""
    if ch["kind"] == "appendix":
        return f"(appendix {ch['letter']}) ".replace(" )", ")")
    if ch["matter"] == "body":
        return ""
    return f"({ch['matter']} matter{': ' + ch['kind'] if ch['kind'] else ''}) "


def format_outline(data: dict[str, object]) -> list[str]:
    """The outline as indented lines of text."""
    lines = [f"{data['title']}  ({data['language']}, {data['identifier']})"]
    front = data["front"]
    if front:
        excerpt = front["text"].replace("\n", " ")
        excerpt = excerpt[:40] + ("…" if len(excerpt) > 40 else "")
        lines.append(f"front matter  {front['chars']} chars: {excerpt}")
    part = None

    def turns(d: list) -> str:
        speakers: dict[str, int] = {}
        for t in d:
            speakers[t["speaker"]] = speakers.get(t["speaker"], 0) + 1
        return "" if not d else ", dialogue " + " ".join(f"{k}×{v}" for k, v in speakers.items())

    def section_lines(sections: list, depth: int) -> None:
        for s in sections:
            lines.append(f"{'  ' * depth}{s['id']}  {s['title']}  [{plural(s['chars'], 'char')}"
                         f"{turns(s['dialogue'])}]")
            section_lines(s["sections"], depth + 1)

    parts = {p["id"]: p for p in data["parts"]}
    for ch in data["chapters"]:
        if ch["part"] != part and ch["part"] is not None:
            part = ch["part"]
            lines.append(f"{part}  {parts[part]['title']}")
        extra = ""
        if ch["footnotes"]:
            extra += f", {plural(ch['footnotes'], 'note')}"
        if ch["images"]:
            extra += f", {plural(len(ch['images']), 'image')}"
        indent = "  " if ch["part"] else ""
        lines.append(f"{indent}{ch['id']}  {_matter(ch)}{ch['title']}  "
                     f"[{plural(ch['chars'], 'char')}{turns(ch['dialogue'])}{extra}]")
        section_lines(ch["sections"], 2 if ch["part"] else 1)
    t = data["totals"]
    lines.append(", ".join([plural(t["chapters"], "chapter"), plural(t["chars"], "char"),
                            plural(t["dialogue"], "dialogue turn"),
                            plural(t["footnotes"], "footnote"), plural(t["images"], "image")]))
    return lines
