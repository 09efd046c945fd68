"""Where in the manuscript a block of the print edition comes from.

The model keeps no source positions, so a block's file and line are found
by looking for its text in the texts the reader took (``Book.sources``), in
the stretch between its chapter's heading and the next, after the last block
found there.  ``overflow`` uses it to name the line of a block set past the
text block.
"""

from __future__ import annotations

import re

from ... import model as m


class Sources:
    """The manuscript's files in reading order, for finding a block's file and line."""

    def __init__(self, book: m.Book):
        self.book = book
        self.files = [(source.path, source.text) for source in book.sources]
        self.starts: list[int] = []
        parts, offset = [], 0
        for _, text in self.files:
            self.starts.append(offset)
            parts.append(text + "\n")
            offset += len(text) + 1
        self.text = "".join(parts)
        self.titles = _titles(book)
        self.regions = self._regions()
        self.cursors: dict[str | None, int] = {}

    def label(self, division_id: str | None) -> str:
        if division_id is None:
            return "the book"
        if division_id == "front":
            return "front matter"
        title = self.titles.get(division_id, "")
        if len(title) > 40:
            title = title[:39] + "…"
        kind = "part" if division_id.startswith("part") else "chapter"
        return f"{kind} {title or division_id}"

    def locate(self, division_id: str | None, needles: list[str | re.Pattern[str]]) -> str:
        """``file:line`` of the first of ``needles`` (strings or patterns, most
        specific first) found, or of the chapter's heading, or the manuscript.

        Blocks come in reading order, so each is looked for after the last one
        found in its chapter first (two code blocks with the same long line).
        """
        start, end = self.regions.get(division_id, (0, len(self.text)))
        after = self.cursors.get(division_id, start)
        for needle in needles:
            for low, high in ((after, end), (start, end), (0, len(self.text))):
                pos = (_search(self.text, needle, low, high) if isinstance(needle, str)
                       else _find(needle, self.text, low, high))
                if pos >= 0:
                    self.cursors[division_id] = pos + 1
                    return self._at(pos)
        if division_id in self.regions:
            return self._at(start)
        return str(self.book.manuscript or self.book.root or "the manuscript")

    def _at(self, pos: int) -> str:
        index = max(i for i, s in enumerate(self.starts) if s <= pos) if self.starts else 0
        path, _ = self.files[index]
        line = self.text.count("\n", self.starts[index], pos) + 1
        return f"{path}:{line}"

    def _regions(self) -> dict[str, tuple[int, int]]:
        """Each division's stretch of the sources, from its heading to the next one's."""
        headings = [(match.start(), _normal(match.group("text") or match.group("text2")
                                            or match.group("text3")))
                    for match in _HEADING.finditer(self.text)]
        found: list[tuple[str, int]] = []
        cursor = 0
        for ident, title in self.titles.items():
            wanted = _normal(title)
            if not wanted:
                continue
            for index in range(cursor, len(headings)):
                if wanted in headings[index][1]:
                    found.append((ident, headings[index][0]))
                    cursor = index + 1
                    break
        regions: dict[str, tuple[int, int]] = {}
        starts = [pos for _, pos in found]
        for i, (ident, pos) in enumerate(found):
            regions[ident] = (pos, starts[i + 1] if i + 1 < len(starts) else len(self.text))
        if self.book.front is not None:
            regions["front"] = (0, starts[0] if starts else len(self.text))
        return regions


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>[^\n]*)$"
                      r"|^(?P<text2>[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$"
                      r"|<h[1-6][^>]*>(?P<text3>.*?)</h[1-6]>", re.M | re.S)


def _normal(value: str | None) -> str:
    """Heading text without markup or white space, for matching titles."""
    return re.sub(r"[\s*_`#\[\]()<>/\\]|\{#[^}]*\}", "", value or "").lower()


def _titles(book: m.Book) -> dict[str, str]:
    """Division id -> plain title, parts and chapters in reading order."""
    out: dict[str, str] = {}
    for item in book.body:
        out[item.id] = m.plain_text(item.title)
        if isinstance(item, m.Part):
            for chapter in item.chapters:
                out[chapter.id] = m.plain_text(chapter.title)
    return out


def _find(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    found = pattern.search(text, start, end)
    return found.start() if found else -1


def _search(text: str, needle: str, start: int, end: int) -> int:
    pos = text.find(needle, start, end)
    if pos >= 0:
        return pos
    # Markdown escapes (\_ \*) and line breaks (dropped between Han characters)
    # may stand between the characters.
    pattern = r"(?:\\|\s)*".join(re.escape(ch) for ch in needle[:40])
    found = re.compile(pattern).search(text, start, end)
    return found.start() if found else -1
