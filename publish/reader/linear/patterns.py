"""Links, images and code spans: the inline patterns that rescanned the text.

- links and images (``[`` × N, ``![`` × N, ``[a](`` × N): upstream's
  ``getText`` counts brackets from each ``[`` to the end of the text when it
  is never closed; here the closing bracket of every ``[`` comes from one
  stack pass.  ``getLink`` scanned to the end for a ``)``; with no ``)`` (nor
  a quote, which upstream's title recovery treats apart) after the ``(``, it
  fails at once.
- code spans: ``find_code_spans`` walked from each unclosed run of backticks
  to the end; here it answers from a table of the text's backtick runs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from markdown.inlinepatterns import (
    BacktickInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

# --- links and images ----------------------------------------------------------

_BRACKET = re.compile(r"[\[\]]")
_PAREN_OR_QUOTE = re.compile(r"[()'\"]")


class _LinearLinkMixin:
    """``getText`` and ``getLink`` of ``LinkInlineProcessor`` without rescans.

    ``getText(data, i)`` with ``data[i - 1] == "["`` returns what upstream
    does when the bracket is closed; when it is not, ``("", len(data), False)``
    (upstream returns the rest of the text, which no caller reads then).
    ``getLink`` likewise, for a link with no title (no quote before its end).
    """

    RE_LINK: re.Pattern[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._brackets_of: str | None = None
        self._brackets: dict[int, int] = {}
        self._parens_of: str | None = None
        self._paren_close: dict[int, int] = {}
        self._quotes: list[int] = []
        self._last_open = self._last_close = -1

    def _closing(self, data: str) -> dict[int, int]:
        """Index of the ``]`` that closes each ``[`` of ``data`` (by nesting)."""
        if data is not self._brackets_of:
            opened: list[int] = []
            closing: dict[int, int] = {}
            for m in _BRACKET.finditer(data):
                if m.group() == "[":
                    opened.append(m.start())
                elif opened:
                    closing[opened.pop()] = m.start()
            self._brackets_of, self._brackets = data, closing
        return self._brackets

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if index > 0 and data[index - 1] == "[":
            close = self._closing(data).get(index - 1)
            if close is None:
                return "", len(data), False
            return data[index:close], close + 1, True
        return super().getText(data, index)  # type: ignore[misc]

    def _parens(self, data: str) -> tuple[dict[int, int], list[int]]:
        """The ``)`` that closes each ``(`` of ``data``, and where its quotes are."""
        if data is not self._parens_of:
            opened: list[int] = []
            closing: dict[int, int] = {}
            quotes: list[int] = []
            for m in _PAREN_OR_QUOTE.finditer(data):
                char = m.group()
                if char == "(":
                    opened.append(m.start())
                elif char == ")":
                    if opened:
                        closing[opened.pop()] = m.start()
                else:
                    quotes.append(m.start())
            self._parens_of, self._paren_close, self._quotes = data, closing, quotes
            self._last_open, self._last_close = data.rfind("("), data.rfind(")")
        return self._paren_close, self._quotes

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = self.RE_LINK.match(data, pos=index)
        if m is None or m.group(1):
            return super().getLink(data, index)  # type: ignore[misc]  # no scan there
        # Upstream scans from after "(" counting parentheses, and quotes for a
        # title.  Up to the first quote, that is plain nesting: the link ends
        # at the ")" that closes this "(", or nowhere.
        closing, quotes = self._parens(data)
        start = m.end()
        close = closing.get(index)
        k = bisect_left(quotes, start)
        quote = quotes[k] if k < len(quotes) else len(data)
        if close is not None and close < quote:
            return self.unescape(data[start:close]).strip(), None, close + 1, True
        if close is None and (quote == len(data)
                              or (self._last_close < start and self._last_open < quote)):
            # Upstream reads to the end and fails: no ")" closes the link, and
            # its title recovery needs a "(" or ")" after the first quote.
            return "", None, len(data), False
        return super().getLink(data, index)  # type: ignore[misc]


class LinearLinkInlineProcessor(_LinearLinkMixin, LinkInlineProcessor):
    """``[text](url)``."""


class LinearImageInlineProcessor(_LinearLinkMixin, ImageInlineProcessor):
    """``![alt](src)``."""


class LinearReferenceInlineProcessor(_LinearLinkMixin, ReferenceInlineProcessor):
    """``[text][id]``."""


class LinearShortReferenceInlineProcessor(_LinearLinkMixin, ShortReferenceInlineProcessor):
    """``[id]``."""


class LinearImageReferenceInlineProcessor(_LinearLinkMixin, ImageReferenceInlineProcessor):
    """``![alt][id]``."""


class LinearShortImageReferenceInlineProcessor(_LinearLinkMixin,
                                               ShortImageReferenceInlineProcessor):
    """``![id]``."""


# --- code spans ------------------------------------------------------------------

_TICKS = re.compile(r"`+")


class LinearBacktickInlineProcessor(BacktickInlineProcessor):
    r"""Code spans: ``find_code_spans`` from a table of the text's backtick runs.

    Upstream walks the text from each opening run to a closing run of the
    same length, or to the end when there is none (two backticks, a letter,
    one backtick, × N).  Here the runs are listed once per text, with, for
    each length, where runs of that length are, and for each run, the longest
    run from it on; the answer is upstream's (the first run of the opening's
    length, else the first longest run).

    Its regular expression looks behind a backtick for a backslash: after an
    escaped backslash pair (two backslashes, then a backtick), upstream sees
    the pair's placeholder there, not a backslash, so a code span opens right
    after it.  In one pass over the unreplaced text, ``forced_match`` gives
    that match.
    """

    _AFTER_PAIR = re.compile(r"(?:((?:\\{2})+)(?=`+)|`)")  # BACKTICK_RE without look-behinds

    def __init__(self, pattern: str):
        super().__init__(pattern)
        self._runs_of: str | None = None

    def forced_match(self, data: str, previous: re.Match[str], end: int) -> re.Match[str] | None:
        """The match upstream finds at ``end`` once ``previous`` is replaced."""
        if previous.group(1) and data.startswith("`", end):
            return self._AFTER_PAIR.match(data, end)
        return None

    def _table(self, text: str) -> None:
        if text is self._runs_of:
            return
        starts: list[int] = []
        lengths: list[int] = []
        by_length: dict[int, list[int]] = {}
        for run in _TICKS.finditer(text):
            by_length.setdefault(len(run.group()), []).append(len(starts))
            starts.append(run.start())
            lengths.append(len(run.group()))
        # longest[j]: index of the first of the longest runs among runs j, j + 1, ...
        longest = [0] * (len(starts) + 1)
        longest[len(starts)] = -1
        for j in range(len(starts) - 1, -1, -1):
            after = longest[j + 1]
            longest[j] = j if after < 0 or lengths[j] >= lengths[after] else after
        self._runs_of = text
        self._starts, self._lengths, self._by_length, self._longest = (
            starts, lengths, by_length, longest)

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        self._table(text)
        starts, lengths = self._starts, self._lengths
        j = bisect_right(starts, start) - 1  # the run that holds ``start``
        if j < 0 or start >= starts[j] + lengths[j]:
            return super().find_code_spans(start, text)
        max_ticks = starts[j] + lengths[j] - start
        start += max_ticks
        same = self._by_length.get(max_ticks, [])
        k = bisect_right(same, j)
        if k < len(same):  # the first closing run of the same length
            return start, starts[same[k]]
        best = self._longest[j + 1]
        longest_span = lengths[best] if best >= 0 else 0
        if 0 < longest_span < max_ticks:
            return start - (max_ticks - longest_span), starts[best]
        return start + max_ticks, None
