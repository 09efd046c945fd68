"""``inline``: the tree processor that applies the inline patterns, in time
linear in the text.

Upstream replaces each match in a paragraph's text by a placeholder,
building the whole string again (``&amp;`` × 40K: 40K copies of 200 KB),
joins the text between placeholders with ``+=`` on ``Element.text``, inserts
children one at a time at a fixed index and finds a child's index with
``list(parent).index``.  Here every pattern is applied in one pass over the
text as it was before the pass, the pieces joined once; text is collected in
lists; children are inserted by slice.  One pass finds what upstream finds
because the handlers read the text only from their match on; the exceptions
are look-behinds, which upstream evaluates against the previous match's
placeholder: code spans (a backslash, ``forced_match``) and emphasis
(``EmphasisPass``) are told where a replaced stretch ends.

Python-Markdown is BSD-licensed; ``LinearInlineProcessor`` follows the
structure of its ``InlineProcessor`` (3.11) method for method.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from typing import Any

from markdown import util
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    ENTITY_RE,
    ESCAPE_RE,
    HTML_RE,
    IMAGE_LINK_RE,
    LINE_BREAK_RE,
    LINK_RE,
    AutolinkInlineProcessor,
    AutomailInlineProcessor,
    EscapeInlineProcessor,
    HtmlInlineProcessor,
    LinkInlineProcessor,
    SubstituteTagInlineProcessor,
)
from markdown.inlinepatterns import (
    InlineProcessor as InlinePattern,
)
from markdown.treeprocessors import InlineProcessor
from pymdownx.delimiterprocessor import DelimiterProcessor as PymdownxDelimiterProcessor

from .delimiters import DelimiterProcessor, EmphasisPass, LinearDelimiterProcessor, Replay
from .notes import FOOTNOTE_RE
from .patterns import LinearBacktickInlineProcessor

# Patterns whose handler reads the text only from the start of its match on,
# and whose regular expression does not look behind it (or is told what it
# would see there): applying one to the text as it was before its previous
# match was replaced finds what upstream finds in the text with that match
# replaced.  Code spans look behind for a backslash, which only an escaped
# backslash pair leaves at the end of a match (``forced_match``); emphasis
# looks behind for white space and word characters (``EmphasisPass``).  Any other
# pattern (an extension's) runs the upstream way, one match at a time, unless
# its class says it may be batched (``BATCHED = True``, as ``reader.formulas``'
# does) and, with ``MATCH_START``, what its matches start with.
# pymdown-extensions' delimiters (``~``, ``^``: reader/syntax.py) build every
# element from the text as it was at their first match and hand them out in
# order, each from the first token after the last: one pass finds them too.
_BATCHED = (EscapeInlineProcessor, LinkInlineProcessor, AutolinkInlineProcessor,
            AutomailInlineProcessor, SubstituteTagInlineProcessor, HtmlInlineProcessor,
            FootnoteInlineProcessor, LinearBacktickInlineProcessor, LinearDelimiterProcessor,
            PymdownxDelimiterProcessor)


# What the first character of a match of each of Python-Markdown's patterns
# can be, by regular expression.
_STARTS = {
    BACKTICK_RE: r"[`\\]", ESCAPE_RE: r"\\", LINK_RE: r"\[", IMAGE_LINK_RE: "!",
    AUTOLINK_RE: "<", AUTOMAIL_RE: "<", HTML_RE: "<", ENTITY_RE: "&", LINE_BREAK_RE: "  \n",
    FOOTNOTE_RE: r"\[",
}


def _match_start(pattern: Any) -> str | None:
    """A regular expression for what a match of ``pattern`` can start with."""
    if isinstance(pattern, (DelimiterProcessor, PymdownxDelimiterProcessor)) \
            and hasattr(pattern, "tokens"):
        return "|".join(re.escape(token) for token in pattern.tokens) or None
    if (declared := getattr(pattern, "MATCH_START", None)) is not None:
        return declared
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
        # (``Replay``), the pass is undone and made the upstream way.
        if pattern.in_pass():
            # A tail inside an element it just made: short, and upstream's way
            # needs no snapshot of the state (a copy of every region found).
            return self._apply_sequential(pattern, data, pattern_index, 0)
        stashed = len(self.stashed_nodes)
        state, snapshot = pattern.batch_begin(snapshot=True)
        try:
            data = self._one_pass(pattern, data, pattern_index, state, first)
        except Replay as replay:
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
                  state: EmphasisPass | None = None, pos: int = 0) -> str:
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
                    raise Replay(state)
                parts.append(data[last:])
                return self._finish_sequential(pattern, "".join(parts), len(data),
                                               pattern_index, node, start, end)
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

    def _finish_sequential(self, pattern: InlinePattern, current: str, length: int,
                           pattern_index: int, node: etree.Element | str | None,
                           start: int, end: int) -> str:
        """Upstream's link title recovery can end a link at index -1
        (``[a](x"(``): finish the upstream way, on the text as it stands
        (``current``, grown from ``length`` characters by the placeholders so
        far), from this match."""
        shift = len(current) - length
        if not isinstance(node, str) and node is not None:
            self._expand(node, pattern_index)
        if node is None:
            return self._apply_sequential(pattern, current, pattern_index,
                                          end + shift if end >= 0 else end)
        placeholder = self._stash(node)
        start += shift
        end = end + shift if end >= 0 else end
        current = f"{current[:start]}{placeholder}{current[end:]}"
        return self._apply_sequential(pattern, current, pattern_index, start + len(placeholder))

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

    def _index_patterns(self) -> None:
        """What ``_handle_inline`` asks of the patterns, worked out once per run."""
        # Each pattern with its excluded ancestors, whether it is applied in
        # one pass, its regular expression and where its matches must end.
        self._patterns = [(pattern, [exclude.lower() for exclude in pattern.ANCESTOR_EXCLUDES],
                           isinstance(pattern, _BATCHED) or getattr(pattern, "BATCHED", False),
                           pattern.getCompiledRegExp(),
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

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Apply the inline patterns to every text of the tree."""
        self.stashed_nodes: dict[str, etree.Element | str] = {}
        self._index_patterns()
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
