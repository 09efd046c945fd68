"""The tree rules: Python-Markdown treeprocessors that normalize the element
tree around its own ``inline`` pass (20), registered by ``NormalizeExtension``
(``markdown.py``, whose docstring has the table of names and priorities).

- ``plain_text`` marks text that holds no inline markup character as
  atomic, so the inline pass skips it: a novel's paragraphs are mostly
  such text, and this halves the time Python-Markdown takes on them.
- ``emphasis_record`` / ``emphasis_guard`` keep the text of an element that
  only emphasis could change when Python-Markdown's emphasis pass loses some
  of it (crossing nested ``*`` and ``**``): the text stays as written, with a
  warning.
- ``cjk_soft_break`` removes a soft line break between two wide characters
  and turns any other soft break into a space (pandoc's
  ``east_asian_line_breaks``).
- ``attribution`` marks a quotation's attribution: a last paragraph, or
  the last line of the last paragraph, that starts with a dash (``——佚名``,
  ``— Author``) becomes ``<p class="attribution">``, before soft breaks are
  resolved (a soft break between two wide characters is none: the line
  would run on in the one before it).
- ``dialogue`` wraps a top-level paragraph that starts with a bold name and
  a colon (``**记者**：……``), and the unlabelled paragraphs right after it,
  in ``<div class="dialogue" data-speaker="记者">``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER, AtomicString

from ..typography import attribution_dash, joins_without_space
from .names import ATTRIBUTION_CLASS, DIALOGUE_CLASS, MATH_CLASS, SPEAKER_ATTR

MAX_SPEAKER_LENGTH = 20
_COLONS = ("：", ":")


# Every inline pattern of our dialect starts with one of these (or is a hard
# break: two spaces before a newline); $ starts a formula.
_INLINE_MARKUP_RE = re.compile(r"[`*_\[\]!<&\\~^$]")


class PlainTextTreeprocessor(Treeprocessor):
    """Mark text without inline markup as atomic, so the inline pass skips it
    (not when the file defines abbreviations: ``abbr`` skips atomic text)."""

    def run(self, root: etree.Element) -> None:
        if "abbr" in self.md.treeprocessors and self.md.treeprocessors["abbr"].abbrs:
            return
        for el in root.iter():
            text = el.text
            if (text and not isinstance(text, AtomicString) and "  \n" not in text
                    and not _INLINE_MARKUP_RE.search(text)):
                el.text = AtomicString(text)


# Text that only emphasis can change: no link, image, code, HTML, entity,
# escape, footnote or other inline syntax; the inline pass may then take out
# ``*`` and ``_`` and nothing else.
_ONLY_EMPHASIS_RE = re.compile(r"[*_]")
_OTHER_INLINE_RE = re.compile(r"[\[\]<>&`\\!^~:$\x02\x03]|https?:|www\.")
_MARKERS_AND_SPACE_RE = re.compile(r"[*_\s]")


class EmphasisGuardTreeprocessor(Treeprocessor):
    """Keep the text of a paragraph that emphasis alone would garble.

    Python-Markdown's emphasis parser loses text on some runs of nested,
    crossing ``*`` and ``**`` (``前*a**b*a**b心b**a*b**a*后。`` loses 后).  Before
    the inline pass this records the text of every element holding only text
    and emphasis; after it, the element's text with the markers taken out must
    be that text with the markers taken out.  If it is not, the element gets
    its text back as written, markers and all, with a warning: nothing is lost
    without a word."""

    def __init__(self, md: Markdown):
        super().__init__(md)
        self.before: list[tuple[etree.Element, str]] = []

    def record(self, root: etree.Element) -> None:
        self.before = [(el, el.text) for el in root.iter()
                       if el.text and len(el) == 0 and not isinstance(el.text, AtomicString)
                       and _ONLY_EMPHASIS_RE.search(el.text)
                       and not _OTHER_INLINE_RE.search(el.text)]

    def run(self, root: etree.Element) -> None:
        for el, text in self.before:
            after = "".join(el.itertext())
            if _MARKERS_AND_SPACE_RE.sub("", after) != _MARKERS_AND_SPACE_RE.sub("", text):
                for child in list(el):
                    el.remove(child)
                el.text = AtomicString(text)
                self.md.publish_report("emphasis markers that cross each other could not be "
                                       "read; the text is kept as written", text.strip()[:40])
        self.before = []


class RecordEmphasisTreeprocessor(Treeprocessor):
    """Hand the tree to ``EmphasisGuardTreeprocessor`` before the inline pass."""

    def __init__(self, md: Markdown, guard: EmphasisGuardTreeprocessor):
        super().__init__(md)
        self.guard = guard

    def run(self, root: etree.Element) -> None:
        self.guard.record(root)


class SoftBreakTreeprocessor(Treeprocessor):
    """Resolve soft line breaks across element boundaries, outside code."""

    def run(self, root: etree.Element) -> None:
        slots: list[tuple[etree.Element, str]] = []
        self._collect(root, slots)
        texts = [getattr(el, attr) for el, attr in slots]
        # The last character that is not white space in the texts before each
        # slot, and the first in those after it ("" if none), found once: a
        # search from each break took time quadratic in the number of slots.
        # (Resolving a break changes no such character.)
        before = [""] * len(texts)
        seen = ""
        for i, text in enumerate(texts):
            before[i] = seen
            if stripped := text.rstrip(_BLANK):
                seen = stripped[-1]
        after = [""] * len(texts)
        seen = ""
        for i in range(len(texts) - 1, -1, -1):
            after[i] = seen
            if stripped := texts[i].lstrip(_BLANK):
                seen = stripped[0]
        for i, (el, attr) in enumerate(slots):
            text = texts[i]
            if "\n" in text:
                resolved = _BREAK_RE.sub(
                    lambda m, text=text, i=i: _join(text, m, before[i], after[i]), text)
                setattr(el, attr, resolved)

    def _collect(self, el: etree.Element, slots: list[tuple[etree.Element, str]]) -> None:
        if el.tag in ("pre", "code") or MATH_CLASS in (el.get("class") or "").split():
            return  # code, and a formula's TeX, as written
        if el.text:
            slots.append((el, "text"))
        for child in el:
            self._collect(child, slots)
            if child.tail:
                slots.append((child, "tail"))


_BREAK_RE = re.compile(r"[ \t]*\n[ \t]*")
_BLANK = " \t\n"


def _join(text: str, m: re.Match[str], before: str, after: str) -> str:
    """What a soft break becomes: nothing between two wide characters, else a
    space.  ``before`` and ``after`` are the nearest characters that are not
    white space in the texts around this one."""
    j = m.start() - 1
    while j >= 0 and text[j] in _BLANK:
        j -= 1
    left = text[j] if j >= 0 else before
    j = m.end()
    while j < len(text) and text[j] in _BLANK:
        j += 1
    right = text[j] if j < len(text) else after
    if left and right and joins_without_space(left, right):
        return ""
    return " "


class AttributionTreeprocessor(Treeprocessor):
    """Mark the attribution of each quotation (``models.BlockQuote.attribution``)."""

    def run(self, root: etree.Element) -> None:
        for quote in list(root.iter("blockquote")):
            last = quote[-1] if len(quote) else None
            if last is None or last.tag != "p" or last.get("class"):
                continue
            if not _split_last_line(last, quote) and len(quote) > 1 \
                    and _mark_dash(last, "text"):
                last.set("class", ATTRIBUTION_CLASS)


def _split_last_line(p: etree.Element, quote: etree.Element) -> bool:
    """Move the last line of ``p`` into a ``<p class="attribution">`` after
    it when it starts with a dash (a soft break or a ``<br>`` before it)."""
    slots = [(p, "text")] + [(child, "tail") for child in p]
    for index in range(len(slots) - 1, -1, -1):
        el, name = slots[index]
        value = getattr(el, name) or ""
        start = value.rfind("\n") + 1
        if start == 0 and not (index and el.tag == "br"):
            continue  # no line starts in this text
        more = len(p) > index  # markup after this text
        if attribution_dash(value[start:], more) is None \
                or not (value[:start].strip() or index):
            return False
        line = etree.Element("p", {"class": ATTRIBUTION_CLASS})
        line.text = _like(value, value[start:])
        line.extend(list(p)[index:])
        for child in list(p)[index:]:
            p.remove(child)
        setattr(el, name, _like(value, value[:start].rstrip()))
        while len(p) and p[-1].tag == "br" and not (p[-1].tail or "").strip():
            p.remove(p[-1])
        line.tail, p.tail = p.tail, "\n"
        quote.insert(list(quote).index(p) + 1, line)
        return _mark_dash(line, "text")
    return False


def _mark_dash(el: etree.Element, name: str) -> bool:
    """Give the text ``name`` of ``el`` the dash of an attribution in place
    of the hyphens typed for it; False when it opens with no such dash."""
    value = getattr(el, name) or ""
    found = attribution_dash(value, len(el) > 0)
    if found is None:
        return False
    dash, start = found
    setattr(el, name, _like(value, dash + value[start:]))
    return True


def _like(old: str, new: str) -> str:
    """``new`` atomic (skipped by the inline pass) when ``old`` was."""
    return AtomicString(new) if isinstance(old, AtomicString) else new


# A paragraph that only holds a raw HTML block, before the block is restored.
_RAW_BLOCK_RE = re.compile("^" + re.escape(HTML_PLACEHOLDER).replace("%s", r"\d+") + "$")


class DialogueTreeprocessor(Treeprocessor):
    """Mark dialogue turns: ``**记者**：……`` and the paragraphs that continue it."""

    def run(self, root: etree.Element) -> None:
        # The new list of children is built and put in place once: inserting
        # and removing each turn in place took time quadratic in their number.
        children: list[etree.Element] = []
        turn: etree.Element | None = None
        for child in root:
            speaker = self._speaker(child) if child.tag == "p" else None
            if speaker is not None:
                turn = etree.Element("div", {"class": DIALOGUE_CLASS, SPEAKER_ATTR: speaker})
                turn.tail = child.tail
                turn.append(child)
                children.append(turn)
            elif turn is not None and child.tag == "p" and not _RAW_BLOCK_RE.match(child.text or ""):
                turn.append(child)
            else:
                turn = None
                children.append(child)
        root[:] = children

    @staticmethod
    def _speaker(p: etree.Element) -> str | None:
        """The speaker's name if ``p`` opens a turn; the label is removed from ``p``."""
        if (p.text or "").strip() or len(p) == 0:
            return None
        strong = p[0]
        if strong.tag != "strong" or len(strong) or not strong.text:
            return None
        name = strong.text.strip()
        tail = strong.tail or ""
        if name.endswith(_COLONS):
            name = name[:-1].rstrip()
            rest = tail
        elif tail.startswith(_COLONS):
            rest = tail[1:]
        else:
            return None
        if not name or len(name) > MAX_SPEAKER_LENGTH or "\n" in name:
            return None
        p.remove(strong)
        p.text = rest.lstrip()
        return name
