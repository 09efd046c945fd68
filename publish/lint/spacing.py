"""The Han–Latin rules of ``publish lint``: the gap between Chinese and
Latin letters or digits (the book's ``spacing`` policy), a doubled gap, and
full-width Latin letters and digits.

The missing space is found by autocorrect-py (``space-word``, its one rule
we enable): it knows where a space does not go although Han and Latin meet
(a unit after a number, ``%``, a hashtag, …), which a regular expression of
our own would have to relearn.  Full-width letters and digits are
``unicodedata``'s compatibility forms, exact and in the standard library.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator

import autocorrect_py

from ..typography import HAN
from .punctuation import Hit, Style

#: autocorrect's rules, all off but the one we ask of it.
_CONFIG = "rules:\n" + "".join(f"  {name}: {int(name == 'space-word')}\n" for name in (
    "space-word", "space-punctuation", "space-bracket", "space-dash", "space-backticks",
    "space-dollar", "fullwidth", "no-space-fullwidth", "no-space-fullwidth-quote",
    "halfwidth-word", "halfwidth-punctuation", "spellcheck"))
_LATIN = "A-Za-z0-9"
_GAP = re.compile(rf"(?<=[{HAN}])( +)(?=[{_LATIN}])|(?<=[{_LATIN}])( +)(?=[{HAN}])")
_TOUCH = re.compile(rf"[{HAN}](?=[{_LATIN}])|[{_LATIN}](?=[{HAN}])")


def gap_counts(texts: Iterable[str]) -> tuple[int, int]:
    """How often Han and Latin meet with one space between them, and with none."""
    spaced = touching = 0
    for text in texts:
        spaced += sum(1 for found in _GAP.finditer(text) if len(found.group()) == 1)
        touching += sum(1 for _ in _TOUCH.finditer(text))
    return spaced, touching


def spacing(text: str, style: Style) -> Iterator[Hit]:
    """Han and Latin against the book's gap: a space missing (``space``),
    or one there (``none``)."""
    if style.gap:
        yield from _missing_spaces(text)
        return
    for found in _GAP.finditer(text):
        if len(found.group()) == 1:
            yield Hit(found.start(), found.end(), "",
                      "a space between Chinese and Latin: the book sets none")


def _missing_spaces(text: str) -> Iterator[Hit]:
    autocorrect_py.load_config(_CONFIG)
    offset = 0
    for line in text.split("\n"):
        if _TOUCH.search(line):
            fixed = autocorrect_py.format(line)
            matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "insert" and fixed[j1:j2].strip() == "":
                    yield Hit(offset + i1, offset + i2, fixed[j1:j2],
                              "no space between Chinese and Latin: the book sets one")
        offset += len(line) + 1


def doubled_space(text: str, style: Style) -> Iterator[Hit]:
    """Two or more spaces where Han and Latin meet."""
    for found in _GAP.finditer(text):
        if len(found.group()) > 1:
            yield Hit(found.start(), found.end(), style.gap,
                      "a doubled space between Chinese and Latin")


_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def fullwidth_alnum(text: str, style: Style) -> Iterator[Hit]:
    """Full-width Latin letters and digits (ＡＢＣ１２３): Chinese text sets
    them half-width (clreq 3.2; GB/T 15835)."""
    for found in _FULL_WIDTH_ALNUM.finditer(text):
        yield Hit(found.start(), found.end(), unicodedata.normalize("NFKC", found.group()),
                  "full-width Latin letters or digits")
