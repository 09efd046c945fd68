"""mdBook's include directives, replaced by the text of the files they name.

The ``include`` preprocessor (``preprocessors.IncludePreprocessor``) runs
``Includes.expand`` on a chapter's lines before any other source rule, so
the included text goes through them all.  Registered for an mdBook only
(``summary``): elsewhere ``{{#include …}}`` is text.

The directives, as mdBook 0.4 reads them
(https://rust-lang.github.io/mdBook/format/mdbook.html):

- ``{{#include file}}``: the whole file; ``{{#include file:10}}``: line 10;
  ``{{#include file:2:5}}``: lines 2 to 5; ``{{#include file::5}}``: lines 1
  to 5; ``{{#include file:3:}}``: from line 3 on; ``{{#include file:name}}``:
  the lines between ``ANCHOR: name`` and ``ANCHOR_END: name`` (in comments
  of any language), every anchor line itself left out;
- ``{{#rustdoc_include …}}``: the same: the lines rustdoc would compile but
  mdBook hides (outside the range or anchor) are left out of a book;
- ``{{#playground file attr…}}``: the file in a ``rust`` code block;
- ``{{#title …}}``: sets a web page's title; removed;
- ``\\{{#include …}}``: escaped, printed without the backslash (up to the
  last ``}}`` of the line); other ``{{#name …}}`` are left as they are.

mdBook replaces them everywhere, in code blocks and code spans too (that is
how listings are included); so do we.  A directive ends on its own line
(mdBook's may run over lines).  A file's path is relative to the including
file; it goes through the input gate and must lie inside the manuscript
tree.  Included text is expanded in turn, at most ``MAX_DEPTH`` levels deep
(mdBook's limit) and never into a file that is including it.  A directive
that cannot be followed (a file outside the tree, missing, too large,
undecodable; an unknown anchor; too deep; a cycle) is replaced by nothing,
with a warning naming the chapter's directive and, for a nested one, the
included file and line.  Every line is scanned once (``directives``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ManuscriptError
from ..inputs import MB, check_input, read_input
from .decoding import decode

#: How deep includes nest (mdBook's MAX_LINK_NESTED_DEPTH).
MAX_DEPTH = 10
#: How much the includes of one chapter file may read: each included file's
#: text, and a kilobyte for each directive (so that includes of empty files,
#: nested ten deep, end too).
MAX_INCLUDED = 256 * MB
DIRECTIVE_COST = 1024
KINDS = ("include", "rustdoc_include", "playground", "title")

_KIND = re.compile(r"\{\{\s*#([A-Za-z0-9_]+)\s")
_ANCHOR = re.compile(r"ANCHOR:\s*([\w-]+)")
_ANCHOR_END = re.compile(r"ANCHOR_END:\s*([\w-]+)")


@dataclass(frozen=True)
class Directive:
    """A ``{{#kind target}}`` of a line (``kind`` "" for an escaped one, whose
    ``target`` is its text without the backslash)."""

    start: int
    end: int
    kind: str
    target: str


def directives(line: str) -> Iterator[Directive]:
    """The directives of ``line``, left to right, as mdBook's pattern finds
    them; in one pass (a failed ``{{`` resumes after the ``}`` that ended it)."""
    pos = 0
    while (start := line.find("{{", pos)) >= 0:
        if start and line[start - 1] == "\\" and line.startswith("#", start + 2):
            close = line.rfind("}}")
            if close > start + 2:
                yield Directive(start - 1, close + 2, "", line[start:close + 2])
            return  # nothing after the last }} can be a directive
        kind = _KIND.match(line, start)
        if kind is None:
            pos = start + 2
            continue
        close = line.find("}", kind.end())
        if close < 0:
            return
        if line.startswith("}}", close) and line[kind.end():close].strip():
            yield Directive(start, close + 2, kind.group(1), line[kind.end():close].strip())
        pos = close + 1


class Skipped(Exception):
    """A directive that includes nothing: the reason."""


def select(text: str, spec: str | None) -> list[tuple[int, str]]:
    """The lines of ``text`` (numbered from 1) that ``spec``, what follows the
    path's colon, names: a range or an anchor, as mdBook's
    ``parse_range_or_anchor``; all of them when ``spec`` is None."""
    lines = list(enumerate(text.split("\n"), 1))
    if text.endswith("\n"):
        lines.pop()
    if spec is None:
        return lines
    first, colon, last = spec.partition(":")
    if first and not first.isdecimal():
        return _anchored(lines, first)
    start = max(int(first) - 1, 0) if first else 0
    if not colon:  # one line
        end = start + 1 if first else len(lines)
    else:
        end = int(last) if last.isdecimal() else len(lines)
    if start >= len(lines) and lines:
        raise Skipped(f"line {start + 1} is past its end ({len(lines)} lines)")
    return lines[start:end]


def _anchored(lines: list[tuple[int, str]], anchor: str) -> list[tuple[int, str]]:
    kept: list[tuple[int, str]] = []
    inside = False
    for number, line in lines:
        if inside:
            end = _ANCHOR_END.search(line)
            if end and end.group(1) == anchor:
                return kept
            if not end and not _ANCHOR.search(line):
                kept.append((number, line))
        elif (start := _ANCHOR.search(line)) and start.group(1) == anchor:
            inside = True
    if not inside:
        raise Skipped(f"it has no ANCHOR: {anchor}")
    return kept


#: A directive that included nothing: (the directive as its line has it, why).
Problem = tuple[str, str]


class Includes:
    """Expands the directives of the chapter files of one manuscript (``root``)."""

    def __init__(self, root: Path):
        self.root = root
        self.included = 0  # what the includes of the current chapter file read
        self.texts: dict[Path, str] = {}  # the files read, by real path

    def expand(self, lines: list[str], path: Path) -> tuple[list[str], list[tuple[int, str, str]]]:
        """The chapter file ``path``'s ``lines`` with its directives replaced,
        and ``(line index, message, directive)`` of each that included nothing
        (the index of the first line it stands for)."""
        self.included = 0
        out: list[str] = []
        warnings: list[tuple[int, str, str]] = []
        chain = (Path(os.path.realpath(path)),)
        for line in lines:
            if "{{" not in line:
                out.append(line)
                continue
            problems: list[Problem] = []
            text = self._line(line, path.parent, chain, problems)
            warnings += [(len(out), f"{shown}: {why}; nothing included", shown)
                         for shown, why in problems]
            out += text.split("\n")
        return out, warnings

    def _line(self, line: str, base: Path, chain: tuple[Path, ...],
              problems: list[Problem]) -> str:
        """``line`` with its directives replaced (``base``: the including
        file's folder, ``chain``: the files being included, outermost first)."""
        parts, pos = [], 0
        for found in directives(line):
            if found.kind and found.kind not in KINDS:
                continue
            parts.append(line[pos:found.start])
            pos = found.end
            if not found.kind:
                parts.append(found.target)
                continue
            shown = line[found.start:found.end]
            nested: list[Problem] = []
            try:
                parts.append(self._include(found, base, chain, nested))
            except Skipped as e:
                problems.append((shown, str(e)))
            problems += [(shown, f"{where}, {inner}") for where, inner in nested]
        return "".join(parts) + line[pos:]

    def _include(self, found: Directive, base: Path, chain: tuple[Path, ...],
                 nested: list[Problem]) -> str:
        """The text one directive stands for; the problems of the directives
        in it go to ``nested`` as ("in file:line", what happened)."""
        if found.kind == "title":
            return ""
        if self.included > MAX_INCLUDED:
            raise Skipped(f"the includes of this chapter read more than {MAX_INCLUDED // MB} MB")
        if len(chain) > MAX_DEPTH:
            raise Skipped(f"includes nest more than {MAX_DEPTH} deep")
        name, *attrs = found.target.split()
        spec = None
        if found.kind != "playground" and ":" in name:
            name, spec = name.split(":", 1)
        real = self._check(base / name, name)
        if real in chain:
            raise Skipped(f"{name!r} is already being included (a cycle)")
        text = self._read(base / name, real, name)
        self.included += len(text) + DIRECTIVE_COST
        lines = []
        for number, line in select(text, spec):
            if "{{" in line:
                inner: list[Problem] = []
                line = self._line(line, real.parent, chain + (real,), inner)
                nested += [(f"in {self._shown(real)}:{number}", f"{shown}: {why}")
                           for shown, why in inner]
            lines.append(line)
        text = "\n".join(lines)
        if found.kind == "playground":
            text = f"```{','.join(['rust', *attrs])}\n{text}\n```\n"
        return text

    def _check(self, target: Path, name: str) -> Path:
        try:
            return check_input(target, [self.root], "included file", name=name)
        except ManuscriptError as e:
            raise Skipped(_bare(e)) from None

    def _read(self, target: Path, real: Path, name: str) -> str:
        if real not in self.texts:
            try:
                self.texts[real] = decode(read_input(target, [self.root], "included file",
                                                     name=name), real, None, in_toml=True)
            except ManuscriptError as e:
                raise Skipped(_bare(e)) from None
        return self.texts[real]

    def _shown(self, path: Path) -> str:
        """``path`` relative to the manuscript folder."""
        try:
            return path.relative_to(os.path.realpath(self.root)).as_posix()
        except ValueError:
            return str(path)


def _bare(error: ManuscriptError) -> str:
    """An error's message without the ``path:line:`` it starts with."""
    where = f"{error.path}:{error.line}: " if error.line else f"{error.path}: "
    return error.message.removeprefix(where) if error.path is not None else error.message
