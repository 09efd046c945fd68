"""The source rules: Python-Markdown preprocessors that rewrite the
manuscript's lines before Python-Markdown reads them.

``NormalizeExtension`` (``markdown.py``) registers them above Python-Markdown's
own preprocessors, so they see the lines as decoded: ``normalize_whitespace``
(30) would remove STX and ETX, expand tabs and blank lines of white space,
``fenced_code_block`` (25) would stash each fenced block behind a placeholder,
and ``html_block`` (20) each raw HTML block, component tags included.

| Class                        | Name               | Priority |
|------------------------------|--------------------|----------|
| ``IncludePreprocessor``      | ``include``        | 42       |
| ``HeaderBlockPreprocessor``  | ``header_block``   | 40       |
| ``FenceInfoPreprocessor``    | ``fence_info``     | 38       |
| ``DuplicateNotePreprocessor``| ``duplicate_notes``| 36       |
| ``MdxPreprocessor``          | ``mdx``            | 34       |
| ``SourceWarningsPreprocessor``| ``source_warnings``| 32      |

``include`` (an mdBook's ``{{#include …}}`` directives, ``includes.py``) is
registered for an mdBook only, ``header_block`` for a one-file manuscript only.

What they leave on ``md`` (cleared by ``NormalizeExtension.reset``):

- ``md.header_block``: a one-file manuscript's ``---`` header block, its
  lines from the opening ``---`` on (``None`` without one), for
  ``configuration.parse_header``;
- ``md.fenced``: one byte per line, 1 for each line of fenced code (fences
  included) and each line that opens like a fence: the later rules leave
  those alone;
- ``md.source_warnings``: ``(line index, message, needle)`` of each rule,
  reported in line order by ``source_warnings``, as one pass over the lines
  would have reported them.

Every rule but ``include`` keeps the number of lines (a line taken out is
left blank), so line ``i`` is line ``i + 1`` of the file when nothing was
included; an included text takes the place of its directive, so the order
of the lines, which ``source_warnings`` reports in, is always the file's.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from .includes import Includes


class IncludePreprocessor(Preprocessor):
    """Replace mdBook's ``{{#include …}}`` directives (and the others
    ``includes`` reads) by the text they name, before every other rule, so
    that the included text goes through them all; a directive that includes
    nothing is reported with the others (``md.source_warnings``).  The file
    being read is ``md.publish_path``."""

    def __init__(self, md: Markdown, root: Path):
        super().__init__(md)
        self.includes = Includes(root)

    def run(self, lines: list[str]) -> list[str]:
        if self.md.publish_path is None:  # a text of no file: nothing is relative to it
            return lines
        lines, warnings = self.includes.expand(lines, self.md.publish_path)
        self.md.source_warnings += warnings
        return lines


class HeaderBlockPreprocessor(Preprocessor):
    """Cut a ``---`` header block (simple YAML, ended by ``---`` or ``...``)
    from the start of a one-file manuscript, as Python-Markdown's ``meta``
    extension does; its lines are left blank so line numbers stay true.

    Registered only for a one-file manuscript (a chapter file of a directory
    book that starts with ``---`` is Markdown).  ``markdown.cut_header`` runs
    it ahead of the other processors, because the header's settings are read
    before the body; in the pipeline it then finds the header already blank."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.header_block = None
        if not lines or lines[0].strip() != "---":
            return lines
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            return lines
        self.md.header_block = lines[:end]
        return [""] * (end + 1) + lines[end + 1:]


_FENCE_LINE = re.compile(r"( {0,3})(`{3,}|~{3,})\s*([^`\s]*)(.*)")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})\s*")
_LANG = re.compile(r"[\w#.+-]+")


def _closings(lines: list[str]) -> Callable[[int, str, int], int]:
    """``closing_after(i, char, n)``: the first line after ``i`` that closes a fence
    of ``n`` or more ``char`` (-1 if none), from one pass over the lines (a search
    from each opening took time quadratic in the number of unclosed fences)."""
    found: dict[str, dict[int, list[int]]] = {}
    for j, line in enumerate(lines):
        if line[:4].lstrip(" ")[:1] in ("`", "~") and (m := _CLOSING_FENCE.fullmatch(line)):
            found.setdefault(m.group(1)[0], {}).setdefault(len(m.group(1)), []).append(j)

    def closing_after(i: int, char: str, n: int) -> int:
        best = -1
        for length, positions in found.get(char, {}).items():
            if length >= n:
                k = bisect.bisect_right(positions, i)
                if k < len(positions) and (best < 0 or positions[k] < best):
                    best = positions[k]
        return best
    return closing_after


class FenceInfoPreprocessor(Preprocessor):
    """Cut a fence's info string to its language (```` ```jsx src/App.js ````,
    ```` ```rust,ignore ````): Python-Markdown takes a fence with more after the
    language for text, and the code would be read as Markdown.  Marks the
    fenced lines in ``md.fenced``."""

    def run(self, lines: list[str]) -> list[str]:
        fenced = bytearray(len(lines))
        closing_after = _closings(lines)
        i = 0
        while i < len(lines):
            opened = _FENCE_LINE.fullmatch(lines[i])
            if not opened:
                i += 1
                continue
            fenced[i] = 1
            indent, fence, info, rest = opened.groups()
            end = closing_after(i, fence[0], len(fence))
            if (fence[0] == "`" and "`" in rest) or end < 0:
                i += 1  # a code span at the start of a line, or a fence never closed
                continue
            lang = _LANG.match(info)
            if rest.strip() or (info and (not lang or lang.end() < len(info))):
                lines[i] = indent + fence + (lang.group(0) if lang else "")
            fenced[i + 1:end + 1] = b"\x01" * (end - i)
            i = end + 1
        self.md.fenced = fenced
        return lines


_NOTE_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:")


class DuplicateNotePreprocessor(Preprocessor):
    """Keep both texts of a footnote defined twice: the later one becomes a
    note of its own (``[^1-2]:``), with a warning, where Python-Markdown would
    drop the first."""

    def run(self, lines: list[str]) -> list[str]:
        fenced = self.md.fenced
        notes: Counter[str] = Counter()
        for i, line in enumerate(lines):
            if fenced[i] or not line.startswith("[^") or not (
                    note := _NOTE_DEFINITION.match(line)):
                continue
            label = note.group(1)
            notes[label] += 1
            if notes[label] > 1:
                lines[i] = f"[^{label}-{notes[label]}]:" + line[note.end():]
                self.md.source_warnings.append((
                    i, f"footnote [^{label}] is defined {notes[label]} times; this one is kept "
                    "as an unreferenced note", line[:note.end()]))
        return lines


_JSX_LINE = re.compile(r"\s*<(/?)([A-Z][\w.]*)(?:\s[^<>]*?)?\s*(/?)>\s*")
_ESM_LINE = re.compile(r"(import\s.+?\sfrom\s+(['\"]).+?\2|import\s+(['\"]).+?\3|"
                       r"export\s+(default|const|let|var|function|class)\b.*?);?\s*")
_HTML_NAMES = {
    "a", "abbr", "address", "article", "aside", "b", "blockquote", "body", "br", "caption",
    "center", "cite", "code", "col", "dd", "del", "details", "div", "dl", "dt", "em", "figure",
    "figcaption", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
    "html", "i", "img", "ins", "li", "main", "nav", "ol", "p", "pre", "q", "ruby", "rt", "s",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul"}
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}")


class MdxPreprocessor(Preprocessor):
    """MDX (React docs, Docusaurus): ``import``/``export`` lines and
    ``{/* comments */}`` go, and component tags that stand on their own line
    (``<Sandpack>`` … ``</Sandpack>``) are unwrapped, keeping what they hold;
    each component is reported once."""

    def run(self, lines: list[str]) -> list[str]:
        fenced = self.md.fenced
        warnings = self.md.source_warnings
        seen: set[str] = set()
        for i, line in enumerate(lines):
            if fenced[i]:
                continue
            if ("<" in line and (tag := _JSX_LINE.fullmatch(line))
                    and tag.group(2).lower() not in _HTML_NAMES):  # <P>, <HR> of old HTML
                lines[i] = ""
                name = tag.group(2)
                if name not in seen:
                    seen.add(name)
                    warnings.append((i, f"MDX component <{name}> unwrapped, its content kept",
                                     f"<{name}"))
            elif line.startswith(("import", "export")) and _ESM_LINE.fullmatch(line):
                lines[i] = ""
                warnings.append((i, f"MDX line removed: {line.strip()[:60]}", line.strip()))
            elif "{/*" in line:
                lines[i] = _MDX_COMMENT.sub("", line)
        return lines


class SourceWarningsPreprocessor(Preprocessor):
    """Report what the source rules found (``md.source_warnings``), in the
    order of the lines, through ``md.publish_report``."""

    def run(self, lines: list[str]) -> list[str]:
        for _, message, needle in sorted(self.md.source_warnings, key=lambda w: w[0]):
            self.md.publish_report(message, needle)
        self.md.source_warnings = []
        return lines
