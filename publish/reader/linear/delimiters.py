"""Emphasis: ``em_strong``, Python-Markdown's ``DelimiterProcessor``, in one
pass over the text as it was (see ``LinearDelimiterProcessor``).

The inline tree processor (``inline.py``) tells it where the text was
replaced (``EmphasisPass``) and redoes a pass upstream's way when it cannot
answer as upstream would (``Replay``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from typing import Any

from markdown.inlinepatterns import InlineProcessor as InlinePattern

try:  # Python-Markdown 3.11 and later
    from markdown.inlinepatterns import DelimiterProcessor
except ImportError:  # earlier: emphasis keeps upstream's processors
    class DelimiterProcessor(InlinePattern):  # type: ignore[no-redef]
        """Stands for a class this Python-Markdown does not have."""


class Replay(Exception):
    """A batched emphasis pass cannot answer as upstream: make it the upstream way."""

    def __init__(self, owner: EmphasisPass):
        super().__init__()
        self.owner = owner


class EmphasisPass:
    """One pass of the emphasis pattern over a text: how much longer upstream's
    text is by now (placeholders are longer than what they replace), and where
    a replaced stretch ends (upstream has a placeholder's last character there)."""

    def __init__(self) -> None:
        self.shift = 0
        self.after: set[int] = set()

    def replaced(self, end: int, growth: int) -> None:
        self.after.add(end)
        self.shift += growth


def _without_lookbehinds(delimiter: Any) -> re.Pattern[str] | None:
    """``delimiter.boundary`` as it matches after a placeholder's last character
    (not white space, not a word character, not a delimiter): every
    look-behind of it holds there."""
    etoken = re.escape(delimiter.token)
    source = delimiter.boundary.pattern
    xstart = (fr"(?:(?<=_)|(?<![\w{etoken}]))" if delimiter.token != "_"
              else fr"(?<![\w{etoken}])")
    for lookbehind in (xstart, "(?<!^)", fr"(?<![\s{etoken}])"):
        source = source.replace(lookbehind, "")
    if "(?<" in source:
        return None  # a Python-Markdown this was not written for
    return re.compile(source, delimiter.boundary.flags)


class LinearDelimiterProcessor(DelimiterProcessor):  # type: ignore[misc, valid-type]
    """``em_strong`` applied in one pass over the text as it was.

    Upstream's processor finds the emphasis regions of a stretch of text at
    once, hands them out one per call, and adds to their positions how much
    the text grew since (``pos - cache_pos``).  In one pass over the
    unreplaced text the text never grows: ``get_cached_result`` works out the
    offset upstream would use from the growth the tree processor reports
    (``EmphasisPass``: by how much upstream's text had grown when the regions were
    found, and has grown now), and the delimiter tests at the end of a
    replaced stretch use ``boundary`` without its look-behinds, as upstream
    sees a placeholder there.  (A tail inside an element is a pass of its own
    that may use regions another pass found, as upstream does.)  A region
    that would start before the end of the last replacement makes the tree
    processor redo the pass upstream's way (``Replay``).
    """

    @classmethod
    def replacing(cls, old: Any) -> LinearDelimiterProcessor | None:
        """A processor with the state and delimiters of ``old``, if it can be one."""
        new = cls.__new__(cls)
        new.__dict__.update(old.__dict__)
        new._passes = []
        new._found_shift = 0
        new._free = {token: _without_lookbehinds(d) for token, d in new.delimiters.items()}
        if any(free is None for free in new._free.values()):
            return None
        return new

    def add(self, token: str, tags: str, smart: bool = False, double: bool = False) -> None:
        super().add(token, tags, smart, double)
        if hasattr(self, "_free"):
            self._free[token] = _without_lookbehinds(self.delimiters[token])

    # the tree processor's side
    def in_pass(self) -> bool:
        """True while the tree processor is applying this pattern to a text."""
        return bool(self._passes)

    def batch_begin(self, snapshot: bool = False) -> tuple[EmphasisPass, tuple[Any, ...]]:
        """Start a pass over a text; with ``snapshot``, the state to restore if
        the pass is undone."""
        state = EmphasisPass()
        self._passes.append(state)
        if not snapshot:
            return state, ()
        return state, (list(self.regions), list(self.stack), self.cache_index, self.cache_pos,
                       {token: deque(d.stack) for token, d in self.delimiters.items()},
                       self._found_shift)

    def batch_end(self, state: EmphasisPass) -> None:
        if self._passes and self._passes[-1] is state:
            self._passes.pop()

    def restore(self, snapshot: tuple[Any, ...]) -> None:
        regions, stack, self.cache_index, self.cache_pos, stacks, self._found_shift = snapshot
        self.regions[:] = regions
        self.stack[:] = stack
        for token, d in self.delimiters.items():
            d.stack.clear()
            d.stack.extend(stacks.get(token, ()))

    # upstream's methods, told about the replaced text
    def _after(self, i: int) -> bool:
        return bool(self._passes) and i in self._passes[-1].after

    def get_match(self, data: str, start: int) -> re.Match[str] | None:
        after = self._after(start)
        for token, d in self.delimiters.items():
            m = (self._free[token] if after else d.boundary).match(data, start)
            if m is not None:
                return m
        return None

    def search(self, data: str, start: int) -> re.Match[str] | None:
        after = self._passes[-1].after if self._passes else ()
        for i in range(start, len(data)):
            if data[i] in self.delimiters:
                d = self.delimiters[data[i]]
                m = (self._free[data[i]] if i in after else d.boundary).match(data, i)
                if m is not None:
                    if not d.stack and m.lastgroup[0] == "e":
                        continue
                    return m
        return None

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        if self.regions:
            return self.get_cached_result(m.start(0), data)
        result = super().handleMatch(m, data)
        self._found_shift = self._passes[-1].shift if self._passes else 0
        return result

    def get_cached_result(self, pos: int, data: str) -> tuple[etree.Element, int, int]:
        state = self._passes[-1] if self._passes else None
        now = state.shift if state else 0
        found = self._found_shift
        # Upstream, on a text grown by ``now`` (the regions' positions by ``found``):
        regions = self.regions
        cache_pos = self.cache_pos + found
        grown_pos = pos + now
        offset = (grown_pos - cache_pos if grown_pos != cache_pos
                  else grown_pos - (regions[self.cache_index][0] + found))
        offset += found - now  # back to the unreplaced text
        start, end = regions[self.cache_index][0], regions[self.cache_index][3]
        el, count = self._build_element(data, self.cache_index, offset)
        self.increment_next_position(start, count)
        return el, start + offset, end + offset
