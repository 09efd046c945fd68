"""Linear-time replacements for the Python-Markdown passes that are quadratic.

Python-Markdown (3.11) takes time quadratic in the length of a paragraph on
inputs a manuscript may hold by accident or on purpose: ``[`` × 10K took
22 s, ``[^1]`` × 10K 99 s.  ``LinearExtension`` (and ``LinearFootnoteExtension``
in place of ``FootnoteExtension``) registers, under Python-Markdown's own
names, subclasses that build the same tree in linear time.

The approach: no regular expression or handler of Python-Markdown is changed,
so every match accepted is the one Python-Markdown accepts.  What changes is
how often the text is read: a fact about the rest of a text (which ``]``
closes each ``[``, whether any ``)`` or ``>`` follows, where the backtick
runs are) is computed once per text and looked up, and an attempt that cannot
succeed is rejected without the scan that would prove it, which is how
upstream already treats an unclosed ``<!--``.  Each shortcut is checked
against the upstream function it replaces in tests/test_linear.py, and the
whole against upstream's HTML on random snippets.

| Class                                | Registry           | Name                  |
|--------------------------------------|--------------------|-----------------------|
| ``LinearInlineProcessor``            | ``treeprocessors`` | ``inline``            |
| ``Linear*InlineProcessor`` (links)   | ``inlinePatterns`` | ``reference``, ``link``, ``image_link``, ``image_reference``, ``short_reference``, ``short_image_ref`` |
| ``LinearBacktickInlineProcessor``    | ``inlinePatterns`` | ``backtick``          |
| ``LinearDelimiterProcessor``         | ``inlinePatterns`` | ``em_strong``         |
| ``LinearHtmlBlockPreprocessor``      | ``preprocessors``  | ``html_block``        |
| ``LinearFootnoteInlineProcessor``    | ``inlinePatterns`` | ``footnote``          |
| ``LinearFootnotePostTreeprocessor``  | ``treeprocessors`` | ``footnote-duplicate``|

and the block parser's ``parseBlocks`` is given a deque (``_Blocks``).

- ``inline``, the tree processor that applies the inline patterns: upstream
  replaces each match in a paragraph's text by a placeholder, building the
  whole string again (``&amp;`` × 40K: 40K copies of 200 KB), joins the text
  between placeholders with ``+=`` on ``Element.text``, inserts children one
  at a time at a fixed index and finds a child's index with
  ``list(parent).index``.  Here every pattern is applied in one pass over
  the text as it was before the pass, the pieces joined once; text is
  collected in lists; children are inserted by slice.  One pass finds what
  upstream finds because the handlers read the text only from their match
  on; the exceptions are look-behinds, which upstream evaluates against the
  previous match's placeholder: code spans (a backslash, ``forced_match``)
  and emphasis (``_Pass``) are told where a replaced stretch ends.
- links and images (``[`` × N, ``![`` × N, ``[a](`` × N): upstream's
  ``getText`` counts brackets from each ``[`` to the end of the text when it
  is never closed; here the closing bracket of every ``[`` comes from one
  stack pass.  ``getLink`` scanned to the end for a ``)``; with no ``)`` (nor
  a quote, which upstream's title recovery treats apart) after the ``(``, it
  fails at once.
- code spans: ``find_code_spans`` walked from each unclosed run of backticks
  to the end; here it answers from a table of the text's backtick runs.
- ``html_block`` (``<a `` × N, ``<http://`` × N): Python's ``HTMLParser``
  (3.11) reads every ``<`` + letter as a start tag whose attributes run on
  to the next ``>``, so each ``<`` read the rest of the text.  When no
  ``>``, quote, backtick, comma or NUL follows a ``<``, the tag cannot be
  complete and upstream's answer (-1) is given without the scan; same for
  ``</`` with no ``>`` after it.
- footnotes (``[^1]`` × N): the n-th reference to one note tried n back-link
  ids (``fnref-1``, ``fnref2-1``, …) before a free one; each reference took
  its note's number with ``list(keys).index``.  Both are now remembered.  A
  ``[^`` is not searched for past the text's last ``]``; back-links to a
  note's later references are copied without ``copy.deepcopy``.
- the block parser: its processors take blocks with ``list.pop(0)`` and put
  them back with ``list.insert(0, …)``, which moved every later block each
  time (many short paragraphs in one chapter); a deque does both at once.

Python-Markdown is BSD-licensed; ``LinearInlineProcessor`` follows the
structure of its ``InlineProcessor`` (3.11) method for method.
"""

from __future__ import annotations

import bisect
import copy
import re
import xml.etree.ElementTree as etree
from bisect import bisect_left, bisect_right
from collections import deque
from typing import Any

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import (
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnotePostTreeprocessor,
)
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    ENTITY_RE,
    ESCAPE_RE,
    HTML_RE,
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINE_BREAK_RE,
    LINK_RE,
    REFERENCE_RE,
    AutolinkInlineProcessor,
    AutomailInlineProcessor,
    BacktickInlineProcessor,
    EscapeInlineProcessor,
    HtmlInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    SubstituteTagInlineProcessor,
)
from markdown.inlinepatterns import (
    InlineProcessor as InlinePattern,
)
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor

from .names import NOTE_BACKREF_CLASS, NOTE_REF_CLASS, NOTE_REF_ID_PREFIX

try:  # Python-Markdown 3.11 and later
    from markdown.inlinepatterns import DelimiterProcessor
except ImportError:  # earlier: emphasis keeps upstream's processors
    class DelimiterProcessor(InlinePattern):  # type: ignore[no-redef]
        """Stands for a class this Python-Markdown does not have."""

__all__ = ["LinearExtension", "LinearFootnoteExtension"]

FOOTNOTE_RE = r"\[\^([^\]]*)\]"  # as FootnoteExtension registers it


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


# --- emphasis ------------------------------------------------------------------------

class _Replay(Exception):
    """A batched emphasis pass cannot answer as upstream: make it the upstream way."""

    def __init__(self, owner: _Pass):
        super().__init__()
        self.owner = owner


class _Pass:
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
    (``_Pass``: by how much upstream's text had grown when the regions were
    found, and has grown now), and the delimiter tests at the end of a
    replaced stretch use ``boundary`` without its look-behinds, as upstream
    sees a placeholder there.  (A tail inside an element is a pass of its own
    that may use regions another pass found, as upstream does.)  A region
    that would start before the end of the last replacement makes the tree
    processor redo the pass upstream's way (``_Replay``).
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

    def batch_begin(self, snapshot: bool = False) -> tuple[_Pass, tuple[Any, ...]]:
        """Start a pass over a text; with ``snapshot``, the state to restore if
        the pass is undone."""
        state = _Pass()
        self._passes.append(state)
        if not snapshot:
            return state, ()
        return state, (list(self.regions), list(self.stack), self.cache_index, self.cache_pos,
                       {token: deque(d.stack) for token, d in self.delimiters.items()},
                       self._found_shift)

    def batch_end(self, state: _Pass) -> None:
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


# --- the inline tree processor --------------------------------------------------

# Patterns whose handler reads the text only from the start of its match on,
# and whose regular expression does not look behind it (or is told what it
# would see there): applying one to the text as it was before its previous
# match was replaced finds what upstream finds in the text with that match
# replaced.  Code spans look behind for a backslash, which only an escaped
# backslash pair leaves at the end of a match (``forced_match``); emphasis
# looks behind for white space and word characters (``_Pass``).  Any other
# pattern (an extension's) runs the upstream way, one match at a time.
_BATCHED = (EscapeInlineProcessor, LinkInlineProcessor, AutolinkInlineProcessor,
            AutomailInlineProcessor, SubstituteTagInlineProcessor, HtmlInlineProcessor,
            FootnoteInlineProcessor, LinearBacktickInlineProcessor, LinearDelimiterProcessor)


# What the first character of a match of each of Python-Markdown's patterns
# can be, by regular expression.
_STARTS = {
    BACKTICK_RE: r"[`\\]", ESCAPE_RE: r"\\", LINK_RE: r"\[", IMAGE_LINK_RE: "!",
    AUTOLINK_RE: "<", AUTOMAIL_RE: "<", HTML_RE: "<", ENTITY_RE: "&", LINE_BREAK_RE: "  \n",
    FOOTNOTE_RE: r"\[",
}


def _match_start(pattern: Any) -> str | None:
    """A regular expression for what a match of ``pattern`` can start with."""
    if isinstance(pattern, DelimiterProcessor) and hasattr(pattern, "tokens"):
        return "|".join(re.escape(token) for token in pattern.tokens) or None
    regex = getattr(pattern, "compiled_re", None)
    return _STARTS.get(regex.pattern) if regex is not None else None


class LinearInlineProcessor(InlineProcessor):
    """Python-Markdown's ``inline`` tree processor, in time linear in the text."""

    def _stash(self, node: etree.Element | str) -> str:
        ident = f"{len(self.stashed_nodes):04d}"
        self.stashed_nodes[ident] = node
        return util.INLINE_PLACEHOLDER % ident

    def _handle_inline(self, data: str, pattern_index: int = 0) -> str:
        """The text with every inline pattern from ``pattern_index`` on applied."""
        if isinstance(data, util.AtomicString):
            return data
        quick = self._quick[pattern_index]
        if quick is not None and quick.search(data) is None:
            return data  # no character that starts a match of any pattern left
        patterns = self._patterns
        ancestors = self.ancestors
        for pattern, excludes, batched, regex, search_end in patterns[pattern_index:]:
            if excludes and any(exclude in ancestors for exclude in excludes):
                pass
            elif batched:
                # Most texts hold no match of most patterns: one search says so.
                end = search_end(data) if search_end else len(data)
                if (first := regex.search(data, 0, end)) is not None:
                    data = self._apply_batched(pattern, data, pattern_index, first.start())
            else:
                data = self._apply_sequential(pattern, data, pattern_index, 0)
            pattern_index += 1
        return data

    def _expand(self, node: etree.Element, pattern_index: int) -> None:
        """Apply the inline patterns to the text of a node a pattern made."""
        if isinstance(node.text, util.AtomicString):
            return
        for child in [node, *node]:
            if child.text:
                self.ancestors.append(child.tag.lower())
                child.text = self._handle_inline(child.text, pattern_index + 1)
                self.ancestors.pop()
            if child.tail:
                child.tail = self._handle_inline(child.tail, pattern_index)

    def _apply_sequential(self, pattern: Any, data: str, pattern_index: int,
                          start_index: int) -> str:
        """Upstream's way: one match, then the text again from just after it."""
        if isinstance(pattern, LinearDelimiterProcessor):
            state, _ = pattern.batch_begin()  # nothing replaced behind its back
            try:
                return self._sequential(pattern, data, pattern_index, start_index)
            finally:
                pattern.batch_end(state)
        return self._sequential(pattern, data, pattern_index, start_index)

    def _sequential(self, pattern: Any, data: str, pattern_index: int, start_index: int) -> str:
        while True:
            if not isinstance(pattern, InlinePattern):  # an old-style Pattern
                data, matched, start_index = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                    pattern, data, pattern_index, start_index)
                if not matched:
                    return data
                continue
            found = None
            for match in pattern.getCompiledRegExp().finditer(data, start_index):
                node, start, end = pattern.handleMatch(match, data)
                if start is None or end is None:
                    continue
                found = node, start, end
                break
            if found is None:
                return data
            node, start, end = found
            if node is None:
                start_index = end
                continue
            if not isinstance(node, str):
                self._expand(node, pattern_index)
            placeholder = self._stash(node)
            data = f"{data[:start]}{placeholder}{data[end:]}"
            start_index = start + len(placeholder)

    def _apply_batched(self, pattern: InlinePattern, data: str, pattern_index: int,
                       first: int = 0) -> str:
        """Every match of ``pattern`` in one pass, the text joined once (no
        match starts before ``first``)."""
        if not isinstance(pattern, LinearDelimiterProcessor):
            return self._one_pass(pattern, data, pattern_index, None, first)
        # Emphasis keeps state from match to match: told where the text was
        # replaced, it answers as upstream on the replaced text; when it cannot
        # (``_Replay``), the pass is undone and made the upstream way.
        if pattern.in_pass():
            # A tail inside an element it just made: short, and upstream's way
            # needs no snapshot of the state (a copy of every region found).
            return self._apply_sequential(pattern, data, pattern_index, 0)
        stashed = len(self.stashed_nodes)
        state, snapshot = pattern.batch_begin(snapshot=True)
        try:
            data = self._one_pass(pattern, data, pattern_index, state, first)
        except _Replay as replay:
            pattern.batch_end(state)
            if replay.owner is not state:
                raise
            pattern.restore(snapshot)
            for ident in list(self.stashed_nodes)[stashed:]:
                del self.stashed_nodes[ident]
            return self._apply_sequential(pattern, data, pattern_index, 0)
        pattern.batch_end(state)
        return data

    def _one_pass(self, pattern: InlinePattern, data: str, pattern_index: int,
                  state: _Pass | None = None, pos: int = 0) -> str:
        regex = pattern.getCompiledRegExp()
        endpos = getattr(pattern, "search_end", len)(data)
        parts: list[str] = []
        last = 0  # data[:last] is in ``parts``
        forced = getattr(pattern, "forced_match", None)
        following: re.Match[str] | None = None  # what upstream finds first after a match
        while True:
            found = None
            for match in ((following,) if following else regex.finditer(data, pos, endpos)):
                node, start, end = pattern.handleMatch(match, data)
                if start is None or end is None:
                    continue
                found = node, start, end, match
                break
            if found is None:
                if following is not None:
                    following = None
                    continue
                break
            node, start, end, match = found
            following = None
            if end < start or start < last:
                if state is not None:
                    raise _Replay(state)
                # Upstream's link title recovery can end a link at index -1
                # (``[a](x"(``): finish the upstream way, on the text as it
                # stands, from this match.
                parts.append(data[last:])
                current = "".join(parts)
                shift = len(current) - len(data)
                if not isinstance(node, str) and node is not None:
                    self._expand(node, pattern_index)
                if node is None:
                    return self._apply_sequential(pattern, current, pattern_index,
                                                  end + shift if end >= 0 else end)
                placeholder = self._stash(node)
                start += shift
                end = end + shift if end >= 0 else end
                current = f"{current[:start]}{placeholder}{current[end:]}"
                return self._apply_sequential(pattern, current, pattern_index,
                                              start + len(placeholder))
            if node is None:
                pos = end
                continue
            if not isinstance(node, str):
                self._expand(node, pattern_index)
            parts.append(data[last:start])
            placeholder = self._stash(node)
            parts.append(placeholder)
            last = pos = end
            if state is not None:
                state.replaced(end, len(placeholder) - (end - start))
            if forced is not None:
                following = forced(data, match, end)
        if not parts:
            return data
        parts.append(data[last:])
        return "".join(parts)

    def _process_element_text(self, node: etree.Element, subnode: etree.Element,
                              is_text: bool = True) -> int:
        """Resolve the placeholders of a node's text or tail; how many nodes were
        inserted in ``node``."""
        if is_text:
            text = subnode.text
            subnode.text = None
        else:
            text = subnode.tail
            subnode.tail = None
        child_result = self._process_placeholders(text, subnode, is_text)
        if not is_text and node is not subnode:
            pos = list(node).index(subnode) + 1
        else:
            pos = 0
        node[pos:pos] = [child for child, _ in child_result]
        return len(child_result)

    def _process_placeholders(self, data: str | None, parent: etree.Element,
                              is_text: bool = True) -> list[tuple[etree.Element, list[str]]]:
        """The elements for the placeholders of ``data``; the text between them
        goes to ``parent``'s text or tail, or to the tail of the element before."""
        result: list[tuple[etree.Element, list[str]]] = []
        pending: list[str] = []

        def flush() -> None:
            if not pending:
                return
            text = pending[0] if len(pending) == 1 else "".join(pending)
            pending.clear()
            if result:
                last = result[-1][0]
                last.tail = last.tail + text if last.tail else text
            elif not is_text:
                parent.tail = parent.tail + text if parent.tail else text
            else:
                parent.text = parent.text + text if parent.text else text

        prefix = util.INLINE_PLACEHOLDER_PREFIX
        start_index = 0
        while data:
            index = data.find(prefix, start_index)
            if index == -1:
                text = data[start_index:]
                if isinstance(data, util.AtomicString):
                    text = util.AtomicString(text)
                if text:
                    pending.append(text)
                break
            m = util.INLINE_PLACEHOLDER_RE.search(data, index)
            ident, end = (m.group(1), m.end()) if m else (None, index + 1)
            if ident in self.stashed_nodes:
                node = self.stashed_nodes[ident]
                if index > 0 and index > start_index:
                    pending.append(data[start_index:index])
                if isinstance(node, str):
                    if node:
                        pending.append(node)
                    start_index = end
                    continue
                self._expand_children(node)
                start_index = end
                flush()
                result.append((node, self.ancestors[:]))
            else:  # not a placeholder
                end = index + len(prefix)
                if end > start_index:
                    pending.append(data[start_index:end])
                start_index = end
        flush()
        return result

    def _expand_children(self, node: etree.Element) -> None:
        """Resolve the placeholders in a stashed node and its children."""
        children = list(node)
        shift = 0  # nodes inserted in ``node`` before the child at hand
        for k, child in enumerate([node, *children]):
            if child.tail and child.tail.strip():
                if child is node:
                    shift += self._process_element_text(node, node, False)
                else:
                    text = child.tail
                    child.tail = None
                    found = self._process_placeholders(text, child, False)
                    pos = k + shift  # list(node).index(child) + 1
                    node[pos:pos] = [c for c, _ in found]
                    shift += len(found)
            if child.text and child.text.strip():
                inserted = self._process_element_text(child, child)
                if child is node:
                    shift += inserted

    def _build_ancestors(self, parent: etree.Element | None, parents: list[str]) -> None:
        ancestors = []
        while parent is not None:
            ancestors.append(parent.tag.lower())
            parent = self.parent_map.get(parent)
        ancestors.reverse()
        parents.extend(ancestors)

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Apply the inline patterns to every text of the tree."""
        self.stashed_nodes: dict[str, etree.Element | str] = {}
        # Each pattern with what ``_handle_inline`` asks of it, once per run.
        self._patterns = [(pattern, [exclude.lower() for exclude in pattern.ANCESTOR_EXCLUDES],
                           isinstance(pattern, _BATCHED), pattern.getCompiledRegExp(),
                           getattr(pattern, "search_end", None))
                          for pattern in self.inlinePatterns]
        # For each index, a search for what can start a match of one of the
        # patterns from there on (None when one of them is not known here).
        self._quick: list[re.Pattern[str] | None] = []
        starts: list[str] | None = []
        for pattern, *_ in reversed(self._patterns):
            start = _match_start(pattern)
            starts = None if starts is None or start is None else [start, *starts]
            self._quick.insert(0, re.compile("|".join(dict.fromkeys(starts))) if starts else None)
        self._quick.append(None)
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            i = 0
            while i < len(current):  # the children inserted on the way are visited too
                child = current[i]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = self._process_placeholders(self._handle_inline(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._handle_inline(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_result = self._process_placeholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for new_child, _ in tail_result:
                        self.parent_map[new_child] = current
                    current[i + 1:i + 1] = [new_child for new_child, _ in tail_result]
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                i += 1
            for element, found in insert_queue:
                element[0:0] = [new_child for new_child, _ in found]
        return tree


# --- raw HTML blocks ------------------------------------------------------------

class _LinearHTMLExtractor(HTMLExtractor):
    """``HTMLExtractor`` that does not read to the end for a tag that cannot end.

    ``check_for_whole_start_tag`` (``locatestarttagend_tolerant``): a start
    tag's attributes are names and bare values that run over anything but
    ``>``, a backtick, a quote, NUL or a comma after a value (white space and
    ``/`` only separate them), so from a ``<`` after which none of those five
    occurs the match reaches the end of the text, and upstream returns -1
    (incomplete).  A comma counts only where a value can come before it: when
    no ``=`` or no comma follows the ``<``, commas are left out (checked
    against upstream on random tag soup in tests/test_linear.py).
    An end tag needs a ``>`` (``endendtag``): without one upstream's parser
    returns -1, which ``_HTMLParser.parse_endtag`` makes two characters of
    text.
    """

    def reset(self) -> None:
        super().reset()
        self._scanned: str | None = None
        self._last_hard = self._last_eq = self._last_comma = -1
        self._last_gt = -1

    def _stops(self) -> None:
        rawdata = self.rawdata
        if rawdata is not self._scanned:
            self._scanned = rawdata
            self._last_gt = rawdata.rfind(">")
            self._last_hard = max(self._last_gt, rawdata.rfind("`"), rawdata.rfind('"'),
                                  rawdata.rfind("'"), rawdata.rfind("\x00"))
            # A comma stops the match only after an attribute's value, so only
            # when an "=" and a comma both follow the "<" (``<a, `` × N has none).
            self._last_eq = rawdata.rfind("=")
            self._last_comma = rawdata.rfind(",")

    def check_for_whole_start_tag(self, i: int) -> int:
        self._stops()
        if i > self._last_hard and (i > self._last_eq or i > self._last_comma):
            return -1
        return super().check_for_whole_start_tag(i)

    def parse_endtag(self, i: int) -> int:
        self._stops()
        if i > self._last_gt:
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2
        return super().parse_endtag(i)


class LinearHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    """``html_block`` with ``_LinearHTMLExtractor``."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        parser = _LinearHTMLExtractor(self.md)
        parser.feed(source)
        parser.close()
        return "".join(parser.cleandoc).split("\n")


# --- footnotes -------------------------------------------------------------------



class LinearFootnoteInlineProcessor(FootnoteInlineProcessor):
    """``[^label]``: the note's number looked up, not searched for."""

    footnotes: LinearFootnoteExtension

    @staticmethod
    def search_end(data: str) -> int:
        """A reference ends with ``]``: no match is looked for past the last one."""
        return data.rfind("]") + 1

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        ident = m.group(1)
        notes = self.footnotes
        if ident not in notes.footnotes:
            return None, None, None
        notes.addFootnoteRef(ident)
        if not notes.getConfig("USE_DEFINITION_ORDER"):
            number = notes.reference_number(ident)
        else:
            number = notes.definition_number(ident)
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", notes.makeFootnoteRefId(ident, found=True))
        a.set("href", "#" + notes.makeFootnoteId(ident))
        a.set("class", NOTE_REF_CLASS)
        a.text = notes.getConfig("SUPERSCRIPT_TEXT").format(number)
        return sup, m.start(0), m.end(0)


def _copy_link(link: etree.Element) -> etree.Element:
    """``copy.deepcopy`` of a back-link (an ``a`` with text and attributes),
    without deepcopy's memo and dispatch, which cost more than the element."""
    if len(link):
        return copy.deepcopy(link)
    twin = etree.Element(link.tag, dict(link.attrib))
    twin.text, twin.tail = link.text, link.tail
    return twin


class LinearFootnotePostTreeprocessor(FootnotePostTreeprocessor):
    """``footnote-duplicate``: the back-links to the second and later references
    to a note, copied cheaply (a note referenced 200K times has 200K)."""

    def add_duplicates(self, li: etree.Element, duplicates: int) -> None:
        separator = self.footnotes.get_separator()
        for link in li.iter("a"):
            if link.attrib.get("class", "") == NOTE_BACKREF_CLASS:
                ref, rest = link.attrib["href"].split(separator, 1)
                links = []
                for index in range(2, duplicates + 1):
                    sib_link = _copy_link(link)
                    sib_link.attrib["href"] = f"{ref}{index}{separator}{rest}"
                    links.append(sib_link)
                    self.offset += 1
                el = list(li)[-1]
                el.extend(links)
                break


class LinearFootnoteExtension(FootnoteExtension):
    """``FootnoteExtension`` whose bookkeeping is constant time per reference."""

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.inlinePatterns.register(LinearFootnoteInlineProcessor(FOOTNOTE_RE, self), "footnote", 175)
        md.treeprocessors.register(LinearFootnotePostTreeprocessor(self), "footnote-duplicate", 15)

    def reset(self) -> None:
        super().reset()
        self._referenced: dict[str, int] = {}  # label -> 1-based order of first reference
        self._next_ref: dict[str, str] = {}  # back-link id -> the last one given for it
        self._numbered_count = -1
        self._numbers: dict[str, int] = {}

    def addFootnoteRef(self, id: str) -> None:
        if id not in self._referenced:
            self.footnote_order.append(id)
            self._referenced[id] = len(self.footnote_order)

    def reference_number(self, label: str) -> int:
        """``footnote_order.index(label) + 1``."""
        return self._referenced[label]

    def definition_number(self, label: str) -> int:
        """``list(footnotes).index(label) + 1`` (labels are only ever added)."""
        if len(self.footnotes) != self._numbered_count:
            self._numbers = {key: n for n, key in enumerate(self.footnotes, start=1)}
            self._numbered_count = len(self.footnotes)
        return self._numbers[label]

    def unique_ref(self, reference: str, found: bool = False) -> str:
        """Upstream's ``fnref-1``, ``fnref2-1``, ``fnref3-1``…, each search
        starting from the id given last for the same reference (every id before
        it is taken)."""
        if not found:
            return reference
        original = reference
        reference = self._next_ref.get(original, reference)
        separator = self.get_separator()
        while reference in self.used_refs:
            ref, rest = reference.split(separator, 1)
            m = _REF_ID.match(ref)
            if m:
                reference = f"{m.group(1)}{int(m.group(2)) + 1}{separator}{rest}"
            else:
                reference = f"{ref}2{separator}{rest}"
        self.used_refs.add(reference)
        self._next_ref[original] = reference
        self.found_refs[original] = self.found_refs.get(original, 0) + 1
        return reference


_REF_ID = re.compile(f"({NOTE_REF_ID_PREFIX})(\\d+)")


# --- the block parser -------------------------------------------------------------

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


def _linear_blocks(parse_blocks: Any) -> Any:
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


# --- the extension ---------------------------------------------------------------

class LinearExtension(Extension):
    """Register the linear processors under Python-Markdown's names (after the
    default ones exist: the registries replace an item of the same name)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.parser.parseBlocks = _linear_blocks(md.parser.parseBlocks)  # type: ignore[method-assign]
        md.treeprocessors.register(LinearInlineProcessor(md), "inline", 20)
        md.preprocessors.register(LinearHtmlBlockPreprocessor(md), "html_block", 20)
        if "fenced_code_block" in md.preprocessors:
            old = md.preprocessors["fenced_code_block"]
            md.preprocessors.register(LinearFencedBlockPreprocessor(md, old.config),
                                      "fenced_code_block", 25)
        md.inlinePatterns.register(LinearBacktickInlineProcessor(BACKTICK_RE), "backtick", 190)
        if "em_strong" in md.inlinePatterns:
            old = md.inlinePatterns["em_strong"]
            emphasis = (LinearDelimiterProcessor.replacing(old)
                        if type(old) is DelimiterProcessor else None)
            if emphasis is not None:
                md.delimiters = emphasis
                md.inlinePatterns.register(emphasis, "em_strong", 60)
        md.inlinePatterns.register(LinearReferenceInlineProcessor(REFERENCE_RE, md), "reference", 170)
        md.inlinePatterns.register(LinearLinkInlineProcessor(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(LinearImageInlineProcessor(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(
            LinearImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        md.inlinePatterns.register(
            LinearShortReferenceInlineProcessor(REFERENCE_RE, md), "short_reference", 130)
        md.inlinePatterns.register(
            LinearShortImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
