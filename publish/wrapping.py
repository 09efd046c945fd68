"""Monospaced text cut into lines by display width, kinsoku kept: the text
edition's paragraphs and the EPUB cover's title lines.

The character classes it breaks by (which marks may not start or end a
line, which runs stay whole, what a Latin word is) are ``typography``'s.
Imports nothing from the package but ``typography``.
"""

from __future__ import annotations

import re

from .typography import (
    INSEPARABLE,
    LATIN,
    LINE_END_FORBIDDEN,
    LINE_START_FORBIDDEN,
    display_width,
)

__all__ = ["wrap"]

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
