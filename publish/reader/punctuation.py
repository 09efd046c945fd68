"""Typographic punctuation for what an author types on a keyboard: curly
quotes and apostrophes, dashes and ellipses (SmartyPants' rules, as
Python-Markdown's ``smarty`` and pandoc's ``smart`` extension apply them),
with the Chinese forms where the text around is Chinese.

| typed        | Latin text                                | Chinese text (clreq, GB/T 15834) |
|--------------|-------------------------------------------|----------------------------------|
| ``"…"``      | “…” (‘…’ for ``'…'``)                     | “…” / ‘…’ (zh-Hans usage)        |
| ``'``        | ’ inside and at the start of an elision:  | —                                |
|              | It’s, O’Reilly, ’tis, ’90s, rock ’n’ roll |                                  |
| ``--``       | – (en dash: 1990–2000)                    | —— (破折号: two em dashes)        |
| ``---``      | — (em dash)                               | ——                               |
| ``...``      | …                                         | …… (省略号: two ellipses)         |
| ``......``   | as typed                                  | ……                               |
| ``5'10"``    | 5′10″ (primes)                            | —                                |
| `` & " ' ``  | as typed (a mark between spaces is named, not used)          |

A quote's direction comes from the characters beside it, across element
boundaries (``"*Hello*,"`` has its quotes around the emphasis): after a space
or an opening bracket it opens, before a space or closing punctuation it
closes.  Between two letters (Chinese runs its words together: ``说"你好"了``)
it alternates with the last quote of its kind in the paragraph.  Whether the
text is Chinese is read from the nearest letter before the mark (else after
it): a Han character or CJK punctuation gives the Chinese form.  Chinese quotes
are the same “ ” as English ones: clreq gives “ ” for Simplified Chinese and
「」 for Traditional, and a manuscript's straight quotes are taken as the former
(「」 would rewrite the text, not set it).  Quotation marks already curly or
CJK (“ ” 「 」 『 』) are never changed.

Left as typed: code (spans, blocks, ``<code>`` in raw HTML) and math, raw HTML
blocks and tags, URLs and e-mail addresses, a backslash-escaped ``\\"`` or
``\\'``, four or more dots or hyphens, ``--`` opening a word (``--verbose``),
the arrows ``-->`` and ``<--``, and three dots between two letters or digits
(``if...else``, ``1...10``: names, not omissions).

``SmartPunctuationExtension`` registers ``SmartPunctuationTreeprocessor`` as
``smart_punctuation`` at priority 6, where ``smarty`` runs: after the inline
pass (20) has made code spans and raw HTML what they are, and after
``attr_list`` (8) has read its ``key="value"`` pairs, before ``unescape`` (0)
turns an escaped quote back into a quote.  An inline-math extension must
recognise ``$…$`` in the inline pass (or earlier) and make an element this
pass skips (``<math>``, or a ``math``/``arithmatex`` class) or a stash
placeholder.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from bisect import bisect_right
from collections.abc import Sequence

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER, STX, AtomicString

from ..typography import is_east_asian, url_spans
from .names import NOTE_REF_CLASS

#: An inline code span or math in a run of text: a word, for the quotes beside it.
OPAQUE = "\x01"
_TOKEN = re.compile(r"""["'“”]|-{2,}|\.{3,}""")
_HINT = re.compile(r"""["']|--|\.\.\.""")
_HIDDEN = re.compile(f"{STX}(?:([0-9]+)|[^{STX}\x03]*)\x03")  # a placeholder, an escape
_STASHED = re.compile(re.escape(HTML_PLACEHOLDER).replace("%s", r"(\d+)"))
_RAW_VERBATIM = re.compile(r"<(/?)(code|kbd|samp|tt|pre|script|style|math)\b", re.I)
# After an apostrophe that opens a word: the elisions of English ('tis, 'em,
# rock 'n' roll, 'cause) and a decade or a year ('90s, class of '05).
_ELISION = re.compile(r"(?:[Tt]is|[Tt]was|[Tt]were|[Tt]will|[Tt]would|em|n|[Cc]ause|[Tt]il"
                      r"|[Bb]out)\b|\d\d(?:s\b|(?!\w))")
_POSSESSIVE = re.compile(r"s\b")
_CONTEXT = 40  # how far to look for the letter that says whether the text is Chinese


def smarten(text: str) -> str:
    """``text`` (one paragraph) with typographic punctuation:
    ``smarten('"It\\'s--here..."') -> '“It’s–here…”'``."""
    return smarten_pieces([text])[0]


def smarten_pieces(pieces: Sequence[str],
                   verbatim: Sequence[tuple[int, int]] = ()) -> list[str]:
    """The pieces of one paragraph's text (the texts between its inline
    elements, ``OPAQUE`` for a code span) with typographic punctuation; what
    lies in ``verbatim`` (spans of the joined text) stays as it is."""
    joined = "".join(pieces)
    if not _HINT.search(joined):
        return list(pieces)
    keep = sorted([*verbatim, *url_spans(joined)])
    changes = _Decider(joined).changes(keep)
    if not changes:
        return list(pieces)
    starts, pos = [], 0
    for piece in pieces:
        starts.append(pos)
        pos += len(piece)
    parts: list[list[str]] = [[] for _ in pieces]
    done = [0] * len(pieces)  # how much of each piece is in its parts
    for start, end, new in changes:  # left to right, each piece joined once
        i = bisect_right(starts, start) - 1
        local = start - starts[i]
        parts[i] += (pieces[i][done[i]:local], new)
        done[i] = local + end - start
    return [piece if not parts[i] else "".join(parts[i]) + piece[done[i]:]
            for i, piece in enumerate(pieces)]


class _Decider:
    """Decides, left to right, what each typed mark of one paragraph becomes."""

    def __init__(self, text: str):
        self.text = text
        # Stash placeholders (raw HTML tags, entities) are read through; an
        # escaped character (``\\`` is STX 92 ETX) is that character.
        found = list(_HIDDEN.finditer(text)) if STX in text else []
        self.hidden = {m.start(): m.end() for m in found}
        self.hidden_ends = {m.end(): m.start() for m in found}
        self.escaped = {m.start(): chr(int(m.group(1))) for m in found if m.group(1)}
        self.done: dict[int, str] = {}  # end of a replaced token -> its replacement
        self.open_double = self.open_single = False

    def changes(self, keep: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        out = []
        k = 0
        for found in _TOKEN.finditer(self.text):
            start, end = found.span()
            while k < len(keep) and keep[k][1] <= start:
                k += 1
            if k < len(keep) and keep[k][0] <= start < keep[k][1]:
                continue
            token = found.group()
            if token in "“”":
                self.open_double = token == "“"
                continue
            new = self._decide(token, start, end)
            if new is not None and new != token:
                out.append((start, end, new))
                self.done[end] = new
        return out

    # -- neighbours -----------------------------------------------------------
    def left(self, i: int) -> str:
        """The character before position ``i`` as it now reads ("" at the start)."""
        while i in self.hidden_ends:
            i = self.hidden_ends[i]
            if i in self.escaped:
                return self.escaped[i]
        if i in self.done:
            return self.done[i][-1]
        return self.text[i - 1] if i > 0 else ""

    def right(self, i: int) -> str:
        """The character at position ``i`` ("" at the end)."""
        while i in self.hidden:
            if i in self.escaped:
                return self.escaped[i]
            i = self.hidden[i]
        return self.text[i] if i < len(self.text) else ""

    def chinese(self, start: int, end: int) -> bool:
        """Whether the text around ``text[start:end]`` is Chinese: the nearest
        letter or CJK mark before it says, else the nearest after it."""
        before = self.text[max(0, start - _CONTEXT):start]
        for ch in reversed(before):
            if is_east_asian(ch) or ch.isalpha():
                return is_east_asian(ch)
        for ch in self.text[end:end + _CONTEXT]:
            if is_east_asian(ch) or ch.isalpha():
                return is_east_asian(ch)
        return False

    # -- decisions ------------------------------------------------------------
    def _decide(self, token: str, start: int, end: int) -> str | None:
        left, right = self.left(start), self.right(end)
        if token == '"':
            return self._double(left, right, start)
        if token == "'":
            return self._single(left, right, end)
        if token[0] == "-":
            return self._dash(token, left, right, start, end)
        return self._dots(token, left, right, start, end)

    def _double(self, left: str, right: str, start: int) -> str | None:
        if _blank(left) and _blank(right):
            return None  # the character itself, named: & < > " '
        if left.isdigit() and self._after_prime(start):
            return "″"  # 5′10″
        if left == "“":
            return "”"  # an empty quotation: ""
        opening = _opens(left, right, self.open_double)
        self.open_double = opening
        return "“" if opening else "”"

    def _single(self, left: str, right: str, end: int) -> str | None:
        if _blank(left) and _blank(right):
            return None
        if left.isdigit() and right.isdigit():
            return "′"  # 5′10″
        if _latin_word(left) and _latin_word(right) and not right.isdigit():
            return "’"  # It’s, O’Reilly, 1990’s
        if (_blank(left) or _opening(left)) and _ELISION.match(self.text, end):
            return "’"  # ’tis, ’90s, rock ’n’ roll
        if not _blank(left) and _POSSESSIVE.match(self.text, end):
            return "’"  # General ——’s regiment
        if left == "‘":
            return "’"
        opening = _opens(left, right, self.open_single)
        self.open_single = opening
        return "‘" if opening else "’"

    def _after_prime(self, start: int) -> bool:
        i = start
        while i > 0 and self.text[i - 1].isdigit():
            i -= 1
        return self.left(i) == "′"

    def _dash(self, token: str, left: str, right: str, start: int, end: int) -> str | None:
        if len(token) > 3 or left == "<" or right == ">":
            return None  # a rule drawn in text, an arrow
        if len(token) == 2 and _blank(left) and right.isascii() and right.isalpha():
            return None  # --verbose
        if self.chinese(start, end):
            return "——"
        return "—" if len(token) == 3 else "–"

    def _dots(self, token: str, left: str, right: str, start: int, end: int) -> str | None:
        if len(token) in (3, 6) and self.chinese(start, end):
            return "……"
        if len(token) == 3 and not (_word(left) and _word(right)):
            return "…"
        return None


def _opens(left: str, right: str, open_now: bool) -> bool:
    """Whether a quote between ``left`` and ``right`` opens; ``open_now``
    says whether one of its kind is open (for a quote between two letters)."""
    if _blank(left):
        return True
    if _opening(left) and not _blank(right):
        return True
    if _blank(right) or _closing(right):
        return False
    return not open_now


def _blank(ch: str) -> bool:
    return not ch or ch.isspace()


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == OPAQUE


def _latin_word(ch: str) -> bool:
    return _word(ch) and not is_east_asian(ch)


def _opening(ch: str) -> bool:
    """An opening bracket or quote, or a dash: what a quote opens after."""
    return unicodedata.category(ch) in ("Ps", "Pi", "Pd")


def _closing(ch: str) -> bool:
    """Punctuation a closing quote stands before: closing brackets and
    quotes, sentence marks, dashes, another straight quote."""
    return ch in "\"'" or unicodedata.category(ch) in ("Pe", "Pf", "Po", "Pd")


# --- the tree pass -------------------------------------------------------------

#: Elements that flow inside a paragraph's text; any other element is a block
#: (a paragraph of its own for the quotes).
_INLINE = frozenset({
    "em", "strong", "a", "span", "sup", "sub", "b", "i", "u", "s", "del", "ins", "mark",
    "small", "big", "abbr", "cite", "q", "dfn", "var", "ruby", "rb", "rt", "rp", "font",
    "bdi", "bdo", "time", "data", "label", "br", "img", "wbr",
    "code", "kbd", "samp", "tt", "math", "svg",
})
#: Elements whose text is never touched: code and math.
_VERBATIM = frozenset({"code", "kbd", "samp", "tt", "pre", "script", "style", "math", "svg"})
_MATH_CLASSES = frozenset({"math", "arithmatex", "katex"})

Slot = tuple[etree.Element, str] | None


class SmartPunctuationTreeprocessor(Treeprocessor):
    """Typographic punctuation in every paragraph's text, outside code and math."""

    def run(self, root: etree.Element) -> None:
        for run in _runs(root):
            texts = [text for _, text in run]
            if not any(_HINT.search(t) for t in texts):
                continue
            new = smarten_pieces(texts, self._raw_verbatim("".join(texts)))
            for (slot, old), text in zip(run, new, strict=True):
                if slot is not None and text != old:
                    el, name = slot
                    setattr(el, name, AtomicString(text) if isinstance(old, AtomicString)
                            else text)

    def _raw_verbatim(self, text: str) -> list[tuple[int, int]]:
        """The spans of ``text`` inside raw ``<code>``… ``</code>`` tags (each
        tag a stash placeholder)."""
        if STX not in text:
            return []
        spans, depth, start = [], 0, 0
        stash = self.md.htmlStash.rawHtmlBlocks
        for found in _STASHED.finditer(text):
            index = int(found.group(1))
            tag = _RAW_VERBATIM.match(str(stash[index])) if index < len(stash) else None
            if tag is None:
                continue
            if not tag.group(1):
                start = found.end() if depth == 0 else start
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    spans.append((start, found.start()))
        if depth:
            spans.append((start, len(text)))
        return spans


def _runs(root: etree.Element) -> list[list[tuple[Slot, str]]]:
    """The texts of the tree in document order, cut into paragraphs (runs)
    at every block element; each with its slot (element and ``"text"`` or
    ``"tail"``), or None for a code span (``OPAQUE``) or a line break (a space)."""
    runs: list[list[tuple[Slot, str]]] = [[]]

    def cut() -> None:
        if runs[-1]:
            runs.append([])

    todo: list[tuple[bool, etree.Element]] = [(True, root)]
    while todo:
        entering, el = todo.pop()
        block = el.tag not in _INLINE
        if not entering:
            if block:
                cut()
            if el.tail and el is not root:
                runs[-1].append(((el, "tail"), el.tail))
            continue
        todo.append((False, el))
        if block:
            cut()
        if _verbatim(el):
            if not block:
                runs[-1].append((None, OPAQUE))
        elif el.tag in ("br", "img", "wbr"):
            runs[-1].append((None, " "))
        elif NOTE_REF_CLASS not in (el.get("class") or "").split():
            if el.text:
                runs[-1].append(((el, "text"), el.text))
            todo.extend((True, child) for child in reversed(el))
    return [run for run in runs if run]


def _verbatim(el: etree.Element) -> bool:
    return el.tag in _VERBATIM or not _MATH_CLASSES.isdisjoint((el.get("class") or "").split())


class SmartPunctuationExtension(Extension):
    """Typographic punctuation (see the module docstring); a backslash keeps a
    straight quote (``\\"``, ``\\'``)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, '"', "'"]
        md.treeprocessors.register(SmartPunctuationTreeprocessor(md), "smart_punctuation", 6)
