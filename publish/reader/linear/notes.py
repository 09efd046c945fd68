"""Footnotes (``[^1]`` × N): ``LinearFootnoteExtension`` in place of
Python-Markdown's ``FootnoteExtension``.

The n-th reference to one note tried n back-link ids (``fnref-1``,
``fnref2-1``, …) before a free one; each reference took its note's number
with ``list(keys).index``.  Both are now remembered.  A ``[^`` is not
searched for past the text's last ``]``; back-links to a note's later
references are copied without ``copy.deepcopy``.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions.footnotes import (
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnotePostTreeprocessor,
)

from ..names import NOTE_BACKREF_CLASS, NOTE_REF_CLASS, NOTE_REF_ID_PREFIX

FOOTNOTE_RE = r"\[\^([^\]]*)\]"  # as FootnoteExtension registers it


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
