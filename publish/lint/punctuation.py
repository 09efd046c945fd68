"""The punctuation rules of ``publish lint`` (GB/T 15834-2011, W3C clreq):
each a function of one file's masked text and the book's ``Style`` that
yields ``Hit``\\ s.  Chinese text is where a mark stands next to Han or a
full-width mark (``typography.CHINESE_TEXT``); an English sentence in the
book keeps its marks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..typography import CHINESE_TEXT, FULL_WIDTH_OF, HAN, PAIRED_MARKS


@dataclass(frozen=True)
class Hit:
    """What a rule found: the span of the text, the text suggested for it
    (None: no fix to suggest), and what is wrong."""

    start: int
    end: int
    new: str | None
    message: str


@dataclass(frozen=True)
class Style:
    """What the book as a whole decides: its quotation marks ("“" or "「"),
    its Han–Latin gap (" " or ""), whether it is Traditional Chinese."""

    quote: str = "“"
    gap: str = ""
    traditional: bool = False


_CHINESE = re.compile(f"[{CHINESE_TEXT}]")
_HAN = re.compile(f"[{HAN}]")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def chinese_at(text: str, i: int) -> bool:
    """Whether the character at ``i`` (inside the text) is Chinese text."""
    return 0 <= i < len(text) and _CHINESE.match(text, i) is not None


_MARK = re.compile(r"[,?:;!]|(?<!\.)\.(?!\.)|[()]")


def halfwidth_punctuation(text: str, style: Style) -> Iterator[Hit]:
    """A half-width , . ? : ; ! ( ) in Chinese text: after a Chinese
    character, or (but the full stop) before one; a pair of parentheses
    around or next to Chinese text."""
    parens = _chinese_parentheses(text)
    for found in _MARK.finditer(text):
        i, mark = found.start(), found.group()
        after = i + 1
        while after < len(text) and text[after] == " ":
            after += 1
        if text[i - 1:i] in "（〔［【" and text[i + 1:i + 2] in "）〕］】" and i > 0:
            chinese = False  # the mark itself, named: 问号（?）
        elif mark in "()":
            chinese = i in parens
        elif _ALNUM.match(text, i - 1) and _ALNUM.match(text, i + 1):
            chinese = False  # 3.14, 10:30, a.b
        elif mark == ":" and text.startswith("//", i + 1) or mark == "!" and text[i + 1:i + 2] == "[":
            chinese = False
        elif text[i + 1:i + 2] == " " and (_ALNUM.match(text, after) or _ALNUM.match(text, i - 1)):
            chinese = False  # English spacing: "红楼梦, a badly digitised edition"
        else:
            chinese = chinese_at(text, i - 1) or (
                mark != "." and i > 0 and text[i - 1] not in " \n" and chinese_at(text, after))
        if chinese:
            end = after if mark not in "(" and after < len(text) and text[after] != "\n" else i + 1
            if not (mark == "?" and _lost(text, i)):
                yield Hit(i, end, FULL_WIDTH_OF[mark], f"half-width {mark!r} in Chinese text: "
                          f"GB/T 15834 sets {FULL_WIDTH_OF[mark]}")


def _lost(text: str, i: int) -> bool:
    """Whether the ``?`` at ``i`` stands inside a phrase, between two Han
    characters (or before another ``?``), the first not one that ends a
    question, or after kana in Chinese text: the mark a digitiser (or a
    round trip through a code page) leaves for a lost character."""
    if i > 0 and "\u3040" <= text[i - 1] <= "\u30ff":
        return True  # after kana mojibake (ゅ?, べ??): the character it stands for is lost
    if text[i - 1:i] == "?" and i > 1:
        return _lost(text, i - 1)  # the second of ??
    return (_HAN.match(text, i - 1) is not None and text[i - 1] not in _QUESTION_ENDS
            and (_HAN.match(text, i + 1) is not None or text[i + 1:i + 2] == "?"))


def lost_character(text: str, style: Style) -> Iterator[Hit]:
    """A ``?`` inside a phrase (``玉在?中求善价``): a character lost, not a question."""
    for found in re.finditer(r"\?", text):
        if _lost(text, found.start()):
            yield Hit(found.start(), found.end(), None,
                      "'?' inside a phrase: a character lost in digitising?")


#: The particles that end a question (a ? after one is a question mark).
_QUESTION_ENDS = "吗嗎呢么麼吧啊呀哪耶乎哉欤歟"
_CALL = re.compile(r"[A-Za-z0-9_$]")
_PAREN_PAIR = re.compile(r"\(((?:[^()\n]|\n(?![ \t]*\n))*)\)")  # in a paragraph


def _chinese_parentheses(text: str) -> set[int]:
    """The offsets of the half-width parentheses that bracket Chinese text, or
    stand next to it; a lone one next to Chinese text too."""
    found: set[int] = set()
    paired: set[int] = set()
    for pair in _PAREN_PAIR.finditer(text):
        start, end = pair.start(), pair.end() - 1
        paired |= {start, end}
        english_before = start > 0 and (text[start - 1] == " " or _ALNUM.match(text, start - 1))
        if _CALL.match(text, start - 1) and not _HAN.search(pair.group(1)):
            continue  # a function's name and arguments: ``console.warn()``
        if (chinese_at(text, start - 1) or chinese_at(text, end + 1)
                or _HAN.search(pair.group(1)) and not english_before):
            found |= {start, end}
    for i, ch in enumerate(text):
        if ch in "()" and i not in paired and (chinese_at(text, i - 1) or chinese_at(text, i + 1)):
            found.add(i)
    return found


def fullwidth_stop(text: str, style: Style) -> Iterator[Hit]:
    """The full-width full stop of scientific text ``．`` used as the Chinese
    full stop, after Chinese text (GB/T 15834 4.1: the full stop is 。)."""
    for found in re.finditer("．(?!．)", text):
        if chinese_at(text, found.start() - 1) and not _ALNUM.match(text, found.end()):
            yield Hit(found.start(), found.end(), "。", "．used as a full stop: GB/T 15834 sets 。")


_SINGLE = re.compile(r"(?<![A-Za-z])'([^'\n]*)'(?![A-Za-z])")


def straight_quotes(text: str, style: Style) -> Iterator[Hit]:
    """Straight quotation marks " and ' around or next to Chinese text (GB/T
    15834 4.8: “” and ‘’, or 「」 and 『』).  In each paragraph a " opens
    unless a quotation is open (by " or by a curly mark), then it closes;
    a pair is Chinese text when it holds Han or stands next to Chinese."""
    double, single = ("“”", "‘’") if style.quote == "“" else ("「」", "『』")
    message = 'straight quotation mark " in Chinese text'
    for start, end in _paragraphs(text):
        for i, j in _double_pairs(text, start, end, double[0]):
            chinese = (_HAN.search(text, i + 1, j if j >= 0 else end)
                       or chinese_at(text, i - 1) or j >= 0 and chinese_at(text, j + 1))
            if chinese and text[i] == '"':
                yield Hit(i, i + 1, double[0], message)
            if chinese and j >= 0 and text[j] == '"':
                yield Hit(j, j + 1, double[1], message)
        for found in _SINGLE.finditer(text, start, end):
            if _HAN.search(found.group(1)):
                yield Hit(found.start(), found.start() + 1, single[0],
                          "straight quotation mark ' in Chinese text")
                yield Hit(found.end() - 1, found.end(), single[1],
                          "straight quotation mark ' in Chinese text")


def _double_pairs(text: str, start: int, end: int, opening: str) -> Iterator[tuple[int, int]]:
    """The (opening, closing) offsets of the double quotation marks of a
    paragraph with a straight one among them (closing -1: left open)."""
    opened: int | None = None
    for found in re.finditer(f'["{opening}{PAIRED_MARKS[opening]}]', text[start:end]):
        i, mark = start + found.start(), found.group()
        if opened is None and mark != PAIRED_MARKS[opening]:
            opened = i
        elif opened is not None and mark != opening:
            yield opened, i
            opened = None
        elif mark == opening:  # a curly one opens again: the first stays open
            yield opened, -1
            opened = i
    if opened is not None:
        yield opened, -1


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each run of non-blank lines."""
    start = 0
    for blank in re.finditer(r"\n[ \t\u3000]*\n", text):
        yield start, blank.start()
        start = blank.end()
    yield start, len(text)


_ELLIPSIS = re.compile(r"\.{3,}|．{3,}|。{3,}|…+|⋯+|、{3,}")


def ellipsis(text: str, style: Style) -> Iterator[Hit]:
    """``...``, ``。。。``, a single ``…`` (and so on) in Chinese text for the
    ellipsis ……, two ellipsis characters (GB/T 15834 4.11)."""
    for found in _ELLIPSIS.finditer(text):
        run = found.group()
        if run in ("……", "⋯⋯") or len(run) % 2 == 0 and run[0] in "…⋯":
            continue
        if chinese_at(text, found.start() - 1) or chinese_at(text, found.end()):
            yield Hit(found.start(), found.end(), "……",
                      f"{run!r} for the ellipsis in Chinese text: GB/T 15834 sets ……")


_DASH = re.compile(r"-{2,}|—+|―+|─+|－+")


def dash(text: str, style: Style) -> Iterator[Hit]:
    """``--`` (and a single ``—``) between Chinese text for the dash ——, two em
    dashes (GB/T 15834 4.10)."""
    for found in _DASH.finditer(text):
        run = found.group()
        if run == "——" or run[0] == "-" and len(run) > 3:
            continue
        if chinese_at(text, found.start() - 1) or chinese_at(text, found.end()):
            yield Hit(found.start(), found.end(), "——",
                      f"{run!r} for the dash in Chinese text: GB/T 15834 sets ——")


_OPENING_OF = {close: open_ for open_, close in PAIRED_MARKS.items()}


def unpaired(text: str, style: Style) -> Iterator[Hit]:
    """A bracket or quotation mark left open at the end of its paragraph, or
    closed without being opened.  A quotation running over several
    paragraphs opens each and closes the last (GB/T 15834 4.8.3 note), so a
    mark left open before a paragraph that opens with it again is right; one
    closed in the next paragraph is reported once, where it closes."""
    carried: list[int] = []
    for start, end in _paragraphs(text):
        stack: list[int] = []
        for i in range(start, end):
            ch = text[i]
            if ch == "’" and _ALNUM.match(text, i - 1) and _ALNUM.match(text, i + 1):
                continue  # an apostrophe: don’t
            if ch in PAIRED_MARKS:
                stack.append(i)
            elif ch in _OPENING_OF:
                yield from _close(text, stack, carried, i)
        yield from (Hit(k, k + 1, None, f"{text[k]} is not closed") for k in carried)
        following = text[end:].lstrip(" \t\u3000\n")[:1]
        carried = [k for k in stack if not (text[k] == following and k == stack[0])]
        if not following:  # the end of the text
            yield from (Hit(k, k + 1, None, f"{text[k]} is not closed") for k in stack)


def _close(text: str, stack: list[int], carried: list[int], i: int) -> Iterator[Hit]:
    """The closing mark at ``i``: it closes the innermost opening one of its
    kind (the ones inside it left open), else one carried from the
    paragraph before, else none."""
    opening = _OPENING_OF[text[i]]
    if any(text[k] == opening for k in stack):
        while text[stack[-1]] != opening:
            k = stack.pop()
            yield Hit(k, k + 1, None, f"{text[k]} is not closed")
        stack.pop()
    elif any(text[k] == opening for k in carried):
        k = max(k for k in carried if text[k] == opening)
        carried.remove(k)
        yield Hit(i, i + 1, None, f"{text[i]} closes a {opening} opened in the paragraph "
                  "before: a paragraph break inside the quotation?")
    else:
        yield Hit(i, i + 1, None, f"{text[i]} closes a {opening} that was not opened")


def mixed_quotes(text: str, style: Style) -> Iterator[Hit]:
    """Quotation marks of the style the book uses less (“” against 「」,
    ‘’ against 『』), in Chinese text."""
    other = "“”‘’" if style.quote == "「" else "「」『』"
    ours = "「」『』" if style.quote == "「" else "“”‘’"
    for found in re.finditer(f"[{other}]", text):
        i = found.start()
        if any(chinese_at(text, k) and text[k] not in other + ours for k in (i - 1, i + 1)):
            new = ours[other.index(found.group())]
            yield Hit(i, i + 1, new, f"{found.group()} in a book that quotes with {ours[:2]}")
