"""TeX math in the manuscript: ``$…$`` in a line, ``$$…$$`` in a line or as a
paragraph of its own, read as pandoc reads them (``tex_math_dollars``).

- ``$…$``: the opening ``$`` has a character that is not white space right
  after it; the closing one has such a character right before it and no
  digit right after it.  So "costs $5 and $10" holds no formula, nor does
  "$5/$10".  A ``$`` after an odd number of backslashes is a dollar sign
  (``\\$``, which the Markdown escape then makes a plain ``$``).
- ``$$…$$``: display math, in a line or as a block (a paragraph that is
  only ``$$…$$``, read before lists and headings so a line of the formula
  that starts with ``-`` or ``#`` stays in it).
- Code is never math: fenced and indented code is no paragraph, and the
  inline pattern runs after code spans (priority 185, below ``backtick``'s
  190, above ``escape``'s 180, which would eat the TeX's backslashes).
  Nor is a URL: dollars in a link's destination (``](…/$a$)``) or an
  autolink (``<https://…$a$…>``), which pandoc reads before math, stay.

What the patterns make is ``<span class="math inline">`` or ``<span|div
class="math display">`` holding the TeX as written (pandoc's HTML): the
builder reads it into ``model.Math``, checking that it parses.  Smart quotes,
tildes and carets (inline patterns of lower priority) never see it.

| Class                  | Registry          | Name           | Priority |
|------------------------|-------------------|----------------|----------|
| ``DollarInline``       | ``inlinePatterns``| ``math``       | 185      |
| ``DollarBlock``        | ``blockprocessors``| ``math_block``| 79.9     |
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .names import MATH_CLASS

# A TeX character: an escaped one (\$ \{ …) or any but $, a backslash and the
# placeholders of stashed code spans and HTML (STX, ETX).
_TEX = r"(?:\\.|[^\\$\x02\x03])"
DOLLARS = (rf"\$\$(?P<display>{_TEX}+?)\$\$"
           rf"|\$(?!\s)(?P<inline>{_TEX}+?)(?<!\s)\$(?!\d)")
_BLOCK = re.compile(rf"\s*\$\$(?P<tex>{_TEX}+?)\$\$\s*", re.S)
_URL_END = re.compile(r"[\s)>]")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:")
#: How far back a match looks for the link or autolink it may stand in.
URL_LOOKBACK = 2048


def in_url(data: str, start: int) -> bool:
    """True when ``data[start]`` lies in a link destination or an autolink
    (``[t](https://x/$a$)``, ``<https://x/$a$>``): an opening ``](`` or
    ``<scheme:`` before it with no white space, ``)`` or ``>`` since."""
    window = data[max(0, start - URL_LOOKBACK):start]
    link = window.rfind("](")
    if link >= 0 and not _URL_END.search(window, link + 2):
        return True
    angle = window.rfind("<")
    return (angle >= 0 and _AUTOLINK.match(window, angle) is not None
            and not _URL_END.search(window, angle))


def math_element(tag: str, tex: str, display: bool) -> etree.Element:
    el = etree.Element(tag, {"class": f"{MATH_CLASS} {'display' if display else 'inline'}"})
    el.text = AtomicString(tex)
    return el


class DollarInline(InlineProcessor):
    """``$…$`` and ``$$…$$`` inside a line.

    ``reader.linear`` applies it to a text in one pass (``BATCHED``): its
    handler reads the text from its match on, and what it looks behind at
    (backslashes) never ends one of its own matches."""

    BATCHED = True
    MATCH_START = r"\$"

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802
        backslashes = 0
        while m.start() - backslashes > 0 and data[m.start() - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 or in_url(data, m.start()):  # \$: a dollar sign
            return None, None, None
        display = m.group("display") is not None
        tex = m.group("display") if display else m.group("inline")
        return math_element("span", tex, display), m.start(), m.end()


class DollarBlock(BlockProcessor):
    """A paragraph that is only ``$$…$$``: display math."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.lstrip().startswith("$$") and _BLOCK.fullmatch(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        found = _BLOCK.fullmatch(blocks.pop(0))
        assert found is not None
        parent.append(math_element("div", found.group("tex"), True))


class MathExtension(Extension):
    """Register the two processors (see the module docstring)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        if "$" not in md.ESCAPED_CHARS:  # a copy: the list may be shared
            md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "$"]
        md.inlinePatterns.register(DollarInline(DOLLARS, md), "math", 185)
        md.parser.blockprocessors.register(DollarBlock(md.parser), "math_block", 79.9)
