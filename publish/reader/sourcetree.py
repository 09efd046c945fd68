"""One manuscript file as the later stages see it, and where things are in it.

A ``SourceTree`` holds a file's path, its text and its sanitized element
tree.  Warnings about the file go through ``SourceTree.warn``, which names
the line: the line of a note's definition, of the n-th reference to an
image, or of the first place some text appears.  The searches skip code
(``blank_code``), so a warning points at what the author wrote, not at an
example of it inside a code block.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..log import LOGGER
from .sanitize import Node
from .summary import Entry

_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]+)\]:", re.M)
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)",
                       re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def blank_code(text: str) -> str:
    """``text`` with fenced code and code spans blanked out, lines kept.

    Warnings search it, so they point at the raw HTML a reader wrote, not
    at an example of it inside code.
    """
    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    return _CODE_SPAN_RE.sub(blank, _FENCE_RE.sub(blank, text))


@dataclass
class SourceTree:
    """One manuscript file: its path, its text (for line numbers) and its
    tree; for an mdBook, where its ``SUMMARY.md`` lists it (its title, depth
    and the part opened before it: ``headings.plan_headings`` reads them)."""

    path: Path
    text: str
    tree: Node
    summary: Entry | None = None

    _searchable: str | None = None
    _lower: str | None = None
    _notes: dict[str, int] | None = None
    _newlines: list[int] | None = None
    _image_refs: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file as links and notes name it: its name, or for an mdBook its
        path from the src folder (two chapters may both be README.md)."""
        return self.summary.name if self.summary is not None else self.path.name

    @property
    def searchable(self) -> str:
        """The text with code blanked out (``blank_code``), made once."""
        if self._searchable is None:
            self._searchable = blank_code(self.text)
        return self._searchable

    def line_of_image(self, url: str) -> int | None:
        """The line of the next reference to the image ``url`` in this file:
        ``](url``, ``src="url"`` or a reference definition ``[id]: url``,
        outside code; the n-th call for one URL gives the n-th reference
        (else the last one, or where the URL first appears)."""
        index = self._image_refs.get(url, 0)
        self._image_refs[url] = index + 1
        found: list[int] = []
        for written in dict.fromkeys((url, html.escape(url, quote=False), html.escape(url))):
            pattern = re.compile(r"(?:\]\(\s*<?|\bsrc\s*=\s*[\"']?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)"
                                 + re.escape(written) + r"""(?=[\s)>"'#?]|$)""", re.M | re.I)
            found += [m.start() for m in pattern.finditer(self.searchable)]
        found.sort()
        if not found:
            return self.line_of(url)
        pos = found[min(index, len(found) - 1)]
        return self.line_at(pos)

    def line_of(self, needle: str) -> int | None:
        """The line where ``needle`` first appears in the file outside code, if it does."""
        pos = self.searchable.find(needle) if needle else -1
        if pos < 0 and needle:
            pos = self.text.find(needle)
        if pos < 0 and needle:
            if self._lower is None:
                self._lower = self.text.lower()
            pos = self._lower.find(needle.lower())
        return self.line_at(pos) if pos >= 0 else None

    def line_of_note(self, label: str) -> int | None:
        """The line of the definition ``[^label]:`` (all found in one pass, so
        naming ten thousand notes reads the file once)."""
        if self._notes is None:
            self._notes = {}
            for found in _NOTE_DEFINITION.finditer(self.searchable):
                self._notes.setdefault(found.group(1), self.line_at(found.start()))
        return self._notes.get(label) or self.line_of(f"[^{label}]:")

    def line_at(self, pos: int) -> int:
        """The line of the character at ``pos`` (from a table of line starts, so
        naming the lines of many warnings reads the file once)."""
        if self._newlines is None:
            self._newlines = [found.start() for found in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, pos) + 1

    def warn(self, message: str, needle: str, line: int | None = None) -> None:
        """Log a warning about this file, at ``line`` or where ``needle`` is."""
        line = line or self.line_of(needle)
        LOGGER.warning("%s: %s", f"{self.path}:{line}" if line else str(self.path), message)
