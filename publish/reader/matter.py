"""Front, body and back matter: where each chapter stands, what its title
says it is, and the numbers and letters that follow.

The heading plan gives the parts and chapters in reading order
(``Planned``); ``place`` decides for each (``Placed``):

- **listed**: book.toml's ``front = [...]`` and ``back = [...]`` name files
  whose chapters are front or back matter; once either list is given, the
  chapters of the ``chapters`` files are the body, whatever their titles;
- **marked**: a heading of class ``unnumbered`` (``# 前言 {.unnumbered}``;
  an mdBook's prefix and suffix chapters too) has no number, and is front
  matter before the first body chapter, back matter after the last; a
  heading of class ``numbered`` is a body chapter whatever its title says;
- **titled** (unless ``matter_by_title = false``): the chapters before the
  first body chapter (and before any part) whose titles are those of front
  matter (``FRONT``: 前言, 序, 引言, 致谢, Preface, Foreword…) are front
  matter; the chapters after the last body chapter whose titles are those
  of back matter (``BACK``: 后记, 附录, 参考文献, 索引, Afterword,
  Appendix…) are back matter, and so are the chapters of a part titled
  附录 (Appendices) there.  A chapter titled 附录 between two body chapters
  stays a numbered chapter: only the runs at either end are matter.

Front and back matter stand around a body: when no chapter would be left
in it, nothing is matter but what book.toml lists.  A back matter chapter
that follows the chapters of a part (not one of appendices) leaves it: a
后记 closes the book, not its last part.  The numbered chapters of the body
count from 1; appendices are lettered A, B… by their place (a lone appendix
is just 附录) unless the title gives a letter or numeral of its own (附录二,
Appendix 1), which is kept; the 附录 word and that mark are taken from the
title, the label (附录 A, 附录二) standing in their place.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .. import model as m

#: The kind (EPUB 3 Structural Semantics) a title names, by side: each
#: pattern is matched against the whole title (case-insensitive), with
#: ``(?P<rest>…)`` a subtitle after a separator.
_CJK_REST = r"(?:[\s:：·—–\-、.．]+(?P<rest>.*))?"
_EN_REST = r"(?:\s*[:.—–]\s*(?P<rest>.*)|\s+-\s+(?P<rest2>.*))?"
_EDITION = r"(?:译者|譯者|作者|再版|新版|修订版|修訂版|中文版|第[一二三四五六七八九十\d]+版)"
_NUMERAL = r"[一二三四五六七八九十\d]*"
FRONT: tuple[tuple[str, str], ...] = (
    (rf"(?:推荐|推薦|他)序{_NUMERAL}", "foreword"),
    (rf"(?:{_EDITION}|自|代)?(?:序言?|前言){_NUMERAL}", "preface"),
    (r"序文|まえがき", "preface"),
    (r"引言|导言|導言|はじめに", "introduction"),
    (r"致谢|致謝|谢辞|謝辭|謝辞", "acknowledgments"),
)
FRONT_EN: tuple[tuple[str, str], ...] = (
    (r"preface(?: to .*)?", "preface"),
    (r"foreword(?: to .*)?", "foreword"),
    (r"introduction", "introduction"),
    (r"acknowledge?ments", "acknowledgments"),
)
BACK: tuple[tuple[str, str], ...] = (
    (rf"(?:{_EDITION}|译|譯)?(?:后记|後記)|跋|あとがき", "afterword"),
    (r"致谢|致謝|谢辞|謝辭|謝辞", "acknowledgments"),
    (r"参考文献|參考文獻|参考资料|參考資料|参考书目|參考書目", "bibliography"),
    (r"索引", "index"),
    (r"术语表|術語表|词汇表|詞彙表|用語集", "glossary"),
)
BACK_EN: tuple[tuple[str, str], ...] = (
    (r"afterword|postscript", "afterword"),
    (r"acknowledge?ments", "acknowledgments"),
    (r"bibliography|references|works cited", "bibliography"),
    (r"index", "index"),
    (r"glossary", "glossary"),
    (r"appendices|appendixes", ""),  # a chapter holding appendices: back matter, no label
)
#: An appendix: the word, then perhaps the author's letter or numeral, then
#: perhaps a separator and the title proper.
_APPENDIX = re.compile(r"(?P<word>附录|附錄|付録|appendix)"
                       r"(?:\s*(?P<mark>[A-ZＡ-Ｚ](?![A-Za-z])|[0-9０-９]+|[一二三四五六七八九十]+"
                       r"|[IVX]+(?![A-Za-z])))?"
                       r"(?P<sep>[\s:：·—–\-、.．]*)(?P<rest>.*)", re.I | re.S)
#: A part of appendices.
_APPENDICES = re.compile(r"附录|附錄|付録|appendix|appendices|appendixes", re.I)


@dataclass(frozen=True)
class Planned:
    """A part or chapter as the heading plan knows it, in reading order."""

    kind: str                          # "part" or "chapter"
    id: str
    title: str                         # its text, without note calls
    file: str = ""                     # the manuscript file its heading is in
    marks: frozenset[str] = frozenset()  # "numbered", "unnumbered"
    part: str = ""                     # the part a chapter is in ("" for none)


@dataclass(frozen=True)
class Placed:
    """What ``place`` decided for a part or chapter (see the module's docstring)."""

    matter: str = "body"
    kind: str = ""
    letter: str = ""
    number: int | None = None
    strip: bool = False         # the appendix label replaces the title's 附录 (``strip_title``)
    leaves_part: bool = False   # a back matter chapter taken out of the part before it


def title_kind(title: str, side: str) -> str | None:
    """The kind a chapter's ``title`` names for ``side`` ("front" or "back");
    None when it names none ("" for a chapter of back matter of no
    particular kind).

    ``title_kind("后记", "back") -> 'afterword'``,
    ``title_kind("附录 A：数据", "back") -> 'appendix'``,
    ``title_kind("序章", "front") -> None``
    """
    text = title.strip()
    if side == "back":
        found = _APPENDIX.fullmatch(text)
        if found and (found.group("rest") == "" or found.group("sep") or found.group("mark")
                      or not found.group("word").isascii()):
            return "appendix"
    for patterns, rest in ((FRONT if side == "front" else BACK, _CJK_REST),
                           (FRONT_EN if side == "front" else BACK_EN, _EN_REST)):
        for pattern, kind in patterns:
            if re.fullmatch(f"(?:{pattern}){rest}", text, re.I | re.S):
                return kind
    return None


def appendix_part(title: str) -> bool:
    """True when a part's ``title`` says it holds appendices (附录, Appendices)."""
    return bool(_APPENDICES.fullmatch(title.strip()))


def place(planned: list[Planned], listed: Mapping[str, str],
          by_title: bool = True) -> dict[str, Placed]:
    """Where each part and chapter of ``planned`` stands (by id); ``listed``
    maps a file to "front" or "back" when book.toml lists them (every other
    file is then the body)."""
    chapters = [p for p in planned if p.kind == "chapter"]
    parts = {p.id: p for p in planned if p.kind == "part"}
    sides = _sides(planned, chapters, parts, listed, by_title)
    if "body" not in sides.values():  # matter stands around a body
        sides = {c.id: listed.get(c.file, "body") for c in chapters}
    placed: dict[str, Placed] = {}
    number = 0
    appendices = [c for c in chapters if sides[c.id] == "back"
                  and _kind(c, "back", parts, by_title) == "appendix"]
    letters = {c.id: _given(c.title) or (_letter(i) if len(appendices) > 1 else "")
               for i, c in enumerate(appendices)}
    for c in chapters:
        side = sides[c.id]
        kind = _kind(c, side, parts, by_title) if side != "body" else ""
        if side == "body" and "unnumbered" not in c.marks:
            number += 1
        leaves = (side == "back" and c.part != "" and sides.get(c.part) != "back"
                  and any(sides[o.id] == "body" for o in chapters if o.part == c.part))
        placed[c.id] = Placed(side, kind, letters.get(c.id, ""),
                              number if side == "body" and "unnumbered" not in c.marks else None,
                              c.id in letters, leaves)
    for ident in parts:
        placed[ident] = Placed(sides.get(ident, "body"))
    return placed


def _sides(planned: list[Planned], chapters: list[Planned], parts: dict[str, Planned],
           listed: Mapping[str, str], by_title: bool) -> dict[str, str]:
    """Each chapter's side (and "back" for a part of appendices at the end)."""
    # When book.toml lists the files, the lists decide (the runs below confirm them).
    sides = {c.id: listed.get(c.file, "body") for c in chapters}

    def eligible(c: Planned, side: str) -> bool:
        if listed:
            return listed.get(c.file, "body") == side
        if "numbered" in c.marks:
            return False
        if "unnumbered" in c.marks:
            return True
        return by_title and (title_kind(c.title, side) is not None
                             or (side == "back" and c.part != ""
                                 and appendix_part(parts[c.part].title)))

    for item in planned:  # the leading run: chapters before any part
        if item.kind != "chapter" or not eligible(item, "front"):
            break
        sides[item.id] = "front"
    for c in reversed(chapters):  # the trailing run
        if sides[c.id] == "front" or not eligible(c, "back"):
            break
        sides[c.id] = "back"
    for ident, part in parts.items():
        inside = [c for c in chapters if c.part == ident]
        if inside and all(sides[c.id] == "back" for c in inside) and by_title \
                and appendix_part(part.title):
            sides[ident] = "back"
    return sides


def _kind(c: Planned, side: str, parts: dict[str, Planned], by_title: bool) -> str:
    """The kind of a front or back matter chapter."""
    if not by_title:
        return ""
    found = title_kind(c.title, side)
    if found is not None:
        return found
    if side == "back" and c.part and appendix_part(parts[c.part].title):
        return "appendix"
    return ""


def strip_title(title: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """An appendix's title without the 附录 word and the letter or numeral
    after it (its label says them): ``附录 A：数据表`` -> ``数据表``; a title
    that does not start with them, or is the word alone, is kept."""
    text = m.plain_text(title)
    found = _APPENDIX.fullmatch(text.lstrip())
    if not found or not (found.group("mark") or found.group("rest").strip()):
        return title  # the word alone (附录) stays the title: nothing would be left of it
    return _cut(title, len(text) - len(text.lstrip()) + found.start("rest"))[0]


def _cut(inlines: tuple[m.Inline, ...], count: int) -> tuple[tuple[m.Inline, ...], int]:
    """``inlines`` without their first ``count`` characters of text (and
    what is left of ``count``)."""
    out: list[m.Inline] = []
    for node in inlines:
        length = len(m.plain_text((node,)))
        if count and length <= count:
            count -= length
        elif count and isinstance(node, m.Text):
            out.append(m.Text(node.text[count:]))
            count = 0
        elif count and hasattr(node, "children"):
            children, count = _cut(node.children, count)
            out.append(dataclasses.replace(node, children=children))
        else:
            out.append(node)
            count = 0
    return tuple(out), count


def _given(title: str) -> str:
    """The letter or numeral an appendix's title gives it (附录二 → 二), or ""."""
    found = _APPENDIX.fullmatch(title.strip())
    return (found.group("mark") or "") if found else ""


def _letter(index: int) -> str:
    """The letter of the appendix at ``index``: A … Z, then AA, AB…"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
