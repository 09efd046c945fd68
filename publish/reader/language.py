"""The book's language: book.toml's ``language``, else told from the text.

``detect_language(texts)`` counts the letters of the book's prose (code is
left out: a Chinese book on JavaScript is Chinese; so is a passage marked as
in another language, ``<span lang="ja">``) by writing system
(``typography.script_counts``): kana makes it Japanese, hangul Korean, Han
Chinese (Traditional when more of its characters are Traditional-only than
Simplified-only), Latin letters English; a Han character weighs as much as
a Latin word.  ``book_language`` says in one progress line which it chose
and why.  ``language_tag`` checks a ``lang`` attribute of raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..log import PROGRESS
from ..typography import script_counts
from .sanitize import Node

#: The language of a book with no text to tell it by (the product's first).
DEFAULT = "zh-Hans"
#: Letters in a Latin word, on average (with its space): a Han character is
#: a word's worth of text, so Han wins over Latin letters once it has a fifth.
_LETTERS_PER_WORD = 5
#: Kana among Japanese text's Han and kana is rarely under a third; Chinese
#: quoting a Japanese name or two stays far below this.
_KANA_SHARE = 0.1
#: Elements whose text is not the book's prose.
_NOT_PROSE = frozenset({"pre", "code", "kbd", "samp", "tt", "var"})


@dataclass(frozen=True)
class Detected:
    """The language told from a text, and the counts it was told by."""

    language: str
    counts: dict[str, int]

    def reason(self) -> str:
        """Why: ``'Han 98%, Latin letters 2%; Traditional-only characters 812, Simplified-only 3'``."""
        c = self.counts
        weights = {"Han": c["han"], "kana": c["kana"], "hangul": c["hangul"],
                   "Latin letters": c["latin"] / _LETTERS_PER_WORD}
        total = sum(weights.values()) or 1
        shares = ", ".join(f"{name} {weight / total:.0%}" for name, weight in weights.items()
                           if weight)
        if self.language.startswith("zh"):
            shares += (f"; Traditional-only characters {c['traditional']:,}, "
                       f"Simplified-only {c['simplified']:,}")
        return shares or "no letters"


def detect_language(texts: Iterable[str]) -> Detected:
    """The language ``texts`` are written in (see the module docstring):
    ``detect_language(["這是一本書。"]).language -> 'zh-Hant'``."""
    counts = script_counts("".join(texts))  # one pass: the classes are of single characters
    han, kana, hangul, latin = counts["han"], counts["kana"], counts["hangul"], counts["latin"]
    cjk = han + kana + hangul
    if not cjk and not latin:
        return Detected(DEFAULT, counts)
    if cjk * _LETTERS_PER_WORD < latin:
        return Detected("en", counts)
    if kana >= _KANA_SHARE * (han + kana) and kana >= hangul:
        return Detected("ja", counts)
    if hangul > han:
        return Detected("ko", counts)
    traditional = counts["traditional"] > counts["simplified"]
    return Detected("zh-Hant" if traditional else "zh-Hans", counts)


def prose(node: Node) -> Iterable[str]:
    """The text of a sanitized tree, without code and passages in another language."""
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag not in _NOT_PROSE and not child.attrs.get("lang", "").strip():
            yield from prose(child)


def book_language(declared: str, trees: Iterable[Node], where: str) -> str:
    """``declared`` (book.toml's ``language``, checked) or the language told from
    the prose of ``trees``; a progress line says which and why (``where``:
    the manuscript, for the message)."""
    if declared:
        PROGRESS.info("Language: %s (set in %s)", declared, where)
        return declared
    detected = detect_language(text for tree in trees for text in prose(tree))
    PROGRESS.info("Language: %s, told from the text (%s); set language in %s to choose "
                  "another", detected.language, detected.reason(), where)
    return detected.language


# RFC 5646's well-formed tags (language-extlang-script-region-variant-extension-private use).
_BCP47 = re.compile(r"""(?ix)
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-[a-z]{4})?
    (?:-(?:[a-z]{2}|\d{3}))?
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
    (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*
    (?:-x(?:-[a-z\d]{1,8})+)?
    |x(?:-[a-z\d]{1,8})+""")


def is_language_tag(value: str) -> bool:
    """True for a well-formed BCP 47 tag (RFC 5646) whose subtags are in the
    IANA registry: ``zh-Hant-TW`` and ``en`` are, ``chinese``, ``xx`` and
    ``zh_CN`` are not."""
    # langcodes carries the registry; its tables take 30 ms to load, so only
    # a book that names a language pays for them.
    import langcodes

    return bool(_BCP47.fullmatch(value)) and langcodes.tag_is_valid(value)


def language_tag(value: str) -> str:
    """A ``lang`` attribute's value as a BCP 47 tag, or "" when it is none
    (``"ja"`` -> ``'ja'``, ``"zh_TW"`` -> ``'zh-TW'``, ``"日本語"`` -> ``''``)."""
    value = value.strip().replace("_", "-")
    return value if is_language_tag(value) else ""
