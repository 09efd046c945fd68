"""Monospaced text cut into lines by display width, kinsoku kept: the text
edition's paragraphs and the EPUB cover's title lines.

The character classes it breaks by (which marks may not start or end a
line, which runs stay whole, what a Latin word is) are ``typography``'s.
Imports nothing from the package but ``typography``.
"""

from __future__ import annotations

import itertools
import re

from .typography import (
    INSEPARABLE,
    LATIN,
    LINE_END_FORBIDDEN,
    LINE_START_FORBIDDEN,
    breaks_before,
    display_width,
)

__all__ = ["code_breaks", "wrap"]

# A run of blanks, a Latin word or number (with the marks a URL or a version
# holds), or any other single character (CJK breaks anywhere).
_TOKEN_RE = re.compile(rf"[ \t]+|[{LATIN}'’\-_./:@%+#=&?~]+|.", re.S)


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns (display width).

    CJK characters break anywhere; Latin words and numbers break only at
    spaces (a word longer than a line is cut).  No line starts with a
    character of LINE_START_FORBIDDEN or ends with one of LINE_END_FORBIDDEN:
    the character before is carried over to the next line instead, so a line
    may end a little short.  ``……`` and ``——`` stay whole.

    >>> wrap("他说：“你好。”我们走吧。", 10)
    ['他说：“你', '好。”我们', '走吧。']
    """
    if width <= 0 or display_width(text) <= width:
        return [text]
    tokens = _merge_inseparable(_TOKEN_RE.findall(text))
    lines: list[list[str]] = [[]]
    used = 0
    for tok in tokens:
        w = display_width(tok)
        if tok[0] in " \t":
            if lines[-1]:
                lines[-1].append(" ")
                used += 1
            continue
        if used + w <= width or not lines[-1]:
            lines[-1].append(tok)
            used += w
            if w > width:  # a word longer than the line: cut it
                _split_long(lines, width)
                used = display_width("".join(lines[-1]))
            continue
        # Start a new line with ``tok``; fix kinsoku by carrying tokens over.
        carry = [tok]
        prev = lines[-1]
        while prev and prev[-1] == " ":
            prev.pop()
        while prev and len(prev) > 1 and (
            carry[0][0] in LINE_START_FORBIDDEN or prev[-1][-1] in LINE_END_FORBIDDEN
        ):
            carry.insert(0, prev.pop())
            while prev and prev[-1] == " ":
                prev.pop()
        lines.append(carry)
        used = display_width("".join(carry))
        if used > width:
            _split_long(lines, width)
            used = display_width("".join(lines[-1]))
    return ["".join(line).rstrip() for line in lines if line]


def _merge_inseparable(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if out and (out[-1] + tok)[-2:] in INSEPARABLE and len(tok) == 1 and out[-1][-1] == tok:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _split_long(lines: list[list[str]], width: int) -> None:
    """Cut the last line, which is too long, into lines of ``width`` columns."""
    text = "".join(lines.pop())
    current = ""
    for ch in text:
        if current and display_width(current + ch) > width:
            lines.append([current])
            current = ""
        current += ch
    lines.append([current])


# --- code lines ------------------------------------------------------------------

#: The marks a code line breaks best after (a blank, a path's or a call's
#: separators); a break never falls inside a run of one of them (``//``,
#: ``::``, ``...``, ``&&``), nor in ``://``, ``</`` or ``/>``.  A hyphen
#: goes to the next row (``x-www`` | ``-form``): no row ends with one, as a
#: PDF reader's copy (poppler's) takes a hyphen at a line's end for a
#: word's and drops it.
#: Columns a tab is counted as: the most it can advance (CSS's tab-size 8).
_TAB = 8


def code_breaks(line: str, width: int) -> tuple[tuple[int, ...], int]:
    """Where a code line (no newline) of more than ``width`` columns breaks,
    and the hanging indent of its continuation rows: ``(offsets, hang)``,
    each offset the index of a row's first character, the hang the line's own
    indentation plus 2 columns (at most half the width).  A line that fits
    gives ``((), 0)``.

    A row breaks at the last good place (``typography.breaks_before``: after
    a blank or one of ``/ . _ ( , [ { ; & ? = | :``, before a hyphen,
    between camelCase parts or two CJK characters, kinsoku kept) that leaves
    it at least half full; where there
    is none (a token longer than the row), at the last character that fits
    (before it, when that is a hyphen).  Columns are a
    CJK monospaced face's: wide and ambiguous characters 2, a tab 8.

    >>> code_breaks("call(alpha, beta, gamma)", 14), code_breaks("x" * 30, 12)
    (((12,), 2), ((12, 22), 2))
    """
    if "\t" not in line and (len(line) * 2 <= width or (len(line) <= width and line.isascii())):
        return (), 0   # fits, whatever its characters' widths (a character takes 1 or 2)
    cols = [_TAB if ch == "\t" else display_width(ch, ambiguous=2) for ch in line]
    upto = list(itertools.accumulate(cols, initial=0))   # upto[k]: columns of line[:k]
    if upto[-1] <= width or width < 2:
        return (), 0
    indent = len(line) - len(line.lstrip(" \t"))
    hang = min(upto[indent] + 2, width // 2)
    breaks: list[int] = []
    start, room = 0, width
    while True:
        end, used = start, 0
        while end < len(line) and used + cols[end] <= room:
            used += cols[end]
            end += 1
        if end == len(line):
            return tuple(breaks), hang
        end = max(end, start + 1)   # a character wider than the row takes one of its own
        at = next((k for k in range(end, start, -1)
                   if k > indent and (upto[k] - upto[start]) * 2 >= room
                   and _code_break(line, k)),
                  end - 1 if line[end - 1] == "-" and end - 1 > start else end)
        breaks.append(at)
        start, room = at, width - hang


def _code_break(line: str, k: int) -> bool:
    """Whether a code line may break before ``line[k]`` (a good place): the
    rule of inline code and URLs too (``typography.breaks_before``)."""
    return breaks_before(line, k)
