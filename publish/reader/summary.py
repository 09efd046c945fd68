"""mdBook: the reading order and structure its ``SUMMARY.md`` gives.

An mdBook is a ``src`` folder holding ``SUMMARY.md`` and the chapter files,
inside a book folder whose ``book.toml`` has a ``[book]`` table
(https://rust-lang.github.io/mdBook/format/summary.html).  A manuscript is
read as an mdBook when it is such a ``src`` folder (it holds ``SUMMARY.md``)
or such a book folder (``[book] src``, default ``src``, holds
``SUMMARY.md``), and our own book.toml names no ``chapters`` (those win).

The forms of ``SUMMARY.md`` read here, one line at a time, as mdBook 0.4
reads them:

- ``# Summary``: a level-1 heading before anything else is the summary's
  own title, and is skipped; HTML comments (``<!-- … -->``) are skipped;
- prefix chapters: links alone on their lines, ``[Intro](README.md)``, before
  the first list item or part title; unnumbered, as suffix chapters are;
- numbered chapters: list items holding a link, ``- [Title](file.md)``
  (``*``, ``+`` and ``1.`` too); an item indented under another is its
  sub-chapter, nested to any depth;
- part titles: a level-1 heading after the first chapter, ``# Part title``
  (mdBook 0.4 and later), opens a part before the next chapter;
- separators: ``---`` (or ``***``, ``___``) between items only draw a line in
  mdBook's sidebar, and are skipped;
- suffix chapters: links alone on their lines after the numbered chapters;
  they close the open part;
- draft chapters: ``- [Draft]()``, a link to no file, are skipped with a
  warning naming the line (their sub-chapters move up a level).

A link's target is relative to the ``src`` folder; it may lie in a
sub-folder, be percent-encoded (``my%20chapter.md``), have spaces (in
``<…>`` or bare) or a title (``"…"``), and its ``#fragment`` is ignored.
Each goes through the input gate and must lie inside the manuscript tree.
Headings of other levels and other text are ignored, as mdBook ignores them.

``mdbook_settings`` takes the ``[book]`` table's ``title``, ``authors``,
``language`` and ``description`` into the settings (book.toml's own keys of
the same name win).
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..inputs import InputError, check_input, read_input
from ..log import LOGGER
from .decoding import decode

SUMMARY_NAME = "SUMMARY.md"
#: The keys of book.toml's ``[book]`` table the settings take.
BOOK_KEYS = ("title", "authors", "language", "description")


@dataclass(frozen=True)
class Entry:
    """A chapter file as ``SUMMARY.md`` lists it."""

    path: Path
    title: str              # the link text: the chapter's title when the file has none
    depth: int = 0          # how deep it is nested: its headings sit that many levels lower
    part: str | None = None  # the title of the part opened before it; "" ends the open part
    line: int = 0           # its line in SUMMARY.md
    numbered: bool = True   # False for a prefix or suffix chapter
    name: str = ""          # its path from the src folder, as links name it (``a/b.md``)


def mdbook_settings(config: Mapping[str, object]) -> dict[str, object]:
    """``config`` with the ``[book]`` table's keys (``BOOK_KEYS``) added where
    book.toml does not set them itself."""
    book = config.get("book")
    if not isinstance(book, Mapping):
        return dict(config)
    return {**{key: book[key] for key in BOOK_KEYS if key in book}, **config}


def summary_path(root: Path, config: Mapping[str, object]) -> Path | None:
    """The ``SUMMARY.md`` that orders the manuscript folder ``root``, or None
    (no mdBook, or book.toml's ``chapters`` give the order)."""
    if config.get("chapters") is not None:
        return None
    if _exists(root / SUMMARY_NAME):
        return root / SUMMARY_NAME
    book = config.get("book")
    if isinstance(book, Mapping):
        src = book.get("src", "src")
        if isinstance(src, str) and src.strip() and _exists(root / src / SUMMARY_NAME):
            return root / src / SUMMARY_NAME
    return None


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def summary_entries(summary: Path, root: Path) -> list[Entry]:
    """The chapter files ``summary`` lists, in its order, each checked by the
    input gate (inside ``root``); an error when it lists none."""
    raw = read_input(summary, [root], "the mdBook summary", name=summary.name)
    text = decode(raw, summary, None, in_toml=True)
    entries = []
    for entry in parse_summary(text, summary):
        try:
            check_input(entry.path, [root], "chapter file",
                        name=entry.path.relative_to(summary.parent).as_posix(),
                        where=summary, line=entry.line)
        except InputError as e:  # a mistake in SUMMARY.md
            raise ConfigError(e.message) from None
        entries.append(entry)
    if not entries:
        raise ConfigError("lists no chapter file (- [Title](file.md))", summary)
    return entries


_COMMENT_START, _COMMENT_END = "<!--", "-->"
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t](.*))?")
_ITEM = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?")
_LINK = re.compile(r"\[((?:\\.|\[[^\[\]\n]*\]|[^\[\]\\\n])*)\]\(([^()\n]*)\)")


class _Parser:
    """The state of one pass over SUMMARY.md's lines."""

    def __init__(self, summary: Path):
        self.summary = summary
        self.entries: list[Entry] = []
        self.state = "start"  # start, prefix, numbered, suffix
        self.part: str | None = None  # a part title waiting for its first chapter
        self.parted = False  # a part was opened
        self.stack: list[tuple[int, bool]] = []  # the open items: (indent, is a draft)

    def line(self, number: int, line: str) -> None:
        if not line.strip() or _is_rule(line):
            return
        if (heading := _HEADING.fullmatch(line)) is not None:
            text = _heading_text(heading.group(2) or "")
            if self.state == "start":  # the summary's own title
                self.state = "prefix"
            elif len(heading.group(1)) == 1 and text:  # a part title
                self.part, self.state, self.stack = text, "numbered", []
            return
        if (item := _ITEM.fullmatch(line)) is not None:
            self.state = "numbered"
            self._item(number, len(item.group(1).expandtabs(4)), item.group(2) or "")
            return
        links = list(_LINK.finditer(line))
        if not links:
            return
        if self.state == "numbered":
            self.state = "suffix"
            self.part = "" if self.parted else None
        self.state = "prefix" if self.state == "start" else self.state
        for link in links:
            self._add(number, link, 0)

    def _item(self, number: int, indent: int, text: str) -> None:
        while self.stack and indent <= self.stack[-1][0]:
            self.stack.pop()
        depth = sum(not draft for _, draft in self.stack)
        link = _LINK.search(text)
        self.stack.append((indent, link is None or not _target(link)))
        if link is None:
            LOGGER.warning("%s:%d: %r is not a link to a chapter file; skipped",
                           self.summary, number, text.strip()[:60])
            return
        self._add(number, link, depth)

    def _add(self, number: int, link: re.Match[str], depth: int) -> None:
        title = _title(link.group(1))
        target = _target(link)
        if not target:
            LOGGER.warning("%s:%d: draft chapter %r (no file) skipped", self.summary, number,
                           title)
            return
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("/"):
            LOGGER.warning("%s:%d: %r is not a chapter file of the book; skipped",
                           self.summary, number, target[:60])
            return
        self.entries.append(Entry(self.summary.parent / target, title, depth, self.part, number,
                                  self.state == "numbered", posixpath.normpath(target)))
        self.parted = self.parted or bool(self.part)
        self.part = None


def parse_summary(text: str, summary: Path) -> list[Entry]:
    """The entries of SUMMARY.md's ``text`` (the forms the module docstring
    lists), drafts and links that are no file skipped with a warning."""
    parser = _Parser(summary)
    for number, line in enumerate(_blank_comments(text).split("\n"), 1):
        parser.line(number, line)
    return parser.entries


def _blank_comments(text: str) -> str:
    """``text`` with its HTML comments blanked, lines kept (one pass)."""
    out, pos = [], 0
    while (start := text.find(_COMMENT_START, pos)) >= 0:
        end = text.find(_COMMENT_END, start + len(_COMMENT_START))
        end = len(text) if end < 0 else end + len(_COMMENT_END)
        out += [text[pos:start], re.sub(r"[^\n]", " ", text[start:end])]
        pos = end
    return "".join(out) + text[pos:]


def _is_rule(line: str) -> bool:
    """True for a thematic break: ``---``, ``* * *``, ``___`` (a separator)."""
    marks = line.replace(" ", "").replace("\t", "")
    return (len(marks) >= 3 and marks[0] in "-*_" and marks == marks[0] * len(marks)
            and len(line) - len(line.lstrip(" ")) <= 3)


def _heading_text(text: str) -> str:
    """An ATX heading's text without its closing ``#`` marks, as a title."""
    text = text.strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare
    return _title(text)


def _title(text: str) -> str:
    """A link's text as a title: escapes resolved, code and emphasis marks dropped."""
    text = re.sub(r"\\(.)", r"\1", text.replace("`", "").replace("*", ""))
    return " ".join(text.split())


def _target(link: re.Match[str]) -> str:
    """A link's file: without ``<…>``, a ``"title"``, a fragment or a query;
    percent-decoded."""
    href = link.group(2).strip()
    if href.startswith("<") and ">" in href:
        href = href[1:href.index(">")]
    elif href[-1:] in ("'", '"') and (opened := href.rfind(href[-1], 0, -1)) > 0 \
            and href[opened - 1].isspace():  # a link title
        href = href[:opened]
    href = re.split(r"[#?]", href, maxsplit=1)[0].strip()
    return urllib.parse.unquote(href)
