"""The block parser and fenced code: passes over a chapter's blocks and lines.

- the block parser: its processors take blocks with ``list.pop(0)`` and put
  them back with ``list.insert(0, …)``, which moved every later block each
  time (many short paragraphs in one chapter); a deque does both at once.
- fenced code: upstream's pattern runs from each opening fence to the end of
  the text when the fence never closes; here each opening is tried on the
  lines up to its first possible closing (``LinearFencedBlockPreprocessor``).
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections import deque
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor


class _Blocks(deque):  # type: ignore[type-arg]
    """The block parser's list of blocks, whose processors take the first
    block with ``pop(0)`` and put text back with ``insert(0, ...)``: on a
    list, each moves every block after it (a chapter of 100K short
    paragraphs moved 10^10 pointers); on a deque both take constant time."""

    def pop(self, index: int = -1) -> Any:  # type: ignore[override]
        if index == 0:
            return self.popleft()
        if index == -1:
            return super().pop()
        value = self[index]
        del self[index]
        return value


def linear_blocks(parse_blocks: Any) -> Any:
    """``BlockParser.parseBlocks`` given its blocks as a ``_Blocks``."""
    def parse(parent: etree.Element, blocks: list[str]) -> None:
        parse_blocks(parent, blocks if isinstance(blocks, _Blocks) else _Blocks(blocks))
    return parse


# --- fenced code ------------------------------------------------------------------

_FENCE_OPENING = re.compile(r"(`{3,}|~{3,})")
_FENCE_ONLY = re.compile(r"(`{3,}|~{3,}) *")


class LinearFencedBlockPreprocessor(FencedBlockPreprocessor):
    """Fenced code blocks in one pass over the lines.

    Upstream searches the whole text with a pattern whose lazy body runs from
    each opening fence to the end of the text looking for its closing fence,
    which is quadratic in the number of openings that never close.  Here the
    lines that can close a fence (the fence alone, then spaces) are indexed
    once by their fence; each opening is tried against upstream's own pattern
    on the lines up to its first possible closing — the block upstream's lazy
    match finds — and upstream's ``run`` makes the block of those lines.  An
    opening with ``{attrs}`` (whose upstream handling can skip within a match)
    sends the whole text upstream's way."""

    def run(self, lines: list[str]) -> list[str]:
        if any("{" in line for line in lines if _FENCE_OPENING.match(line)):
            return super().run(lines)
        closings: dict[str, list[int]] = {}
        for j, line in enumerate(lines):
            if (found := _FENCE_ONLY.fullmatch(line)):
                closings.setdefault(found.group(1), []).append(j)
        out: list[str] = []
        i = 0
        while i < len(lines):
            opening = _FENCE_OPENING.match(lines[i])
            if opening:
                positions = closings.get(opening.group(1), [])
                k = bisect.bisect_right(positions, i)
                if k < len(positions):
                    segment = lines[i:positions[k] + 1]
                    whole = "\n".join(segment)
                    found = self.FENCED_BLOCK_RE.match(whole)
                    if found and found.end() == len(whole):
                        out.extend(super().run(segment))
                        i = positions[k] + 1
                        continue
            out.append(lines[i])
            i += 1
        return out
