"""The Markdown that pandoc, mdBook and GitHub readers accept beyond
Python-Markdown's core, through well-kept extensions, and the small passes
that fit what those extensions make to the book model.

``syntax_extensions()`` lists them for ``make_markdown``:

| Syntax                                  | Extension                                  | Makes                          |
|-----------------------------------------|--------------------------------------------|--------------------------------|
| ``~~struck~~``, ``H~2~O``               | ``pymdownx.tilde``                         | ``<del>``, ``<sub>``           |
| ``x^2^``                                | ``pymdownx.caret`` (``^^…^^`` left as is)  | ``<sup>``                      |
| ``- [ ]`` / ``- [x]``                   | ``pymdownx.tasklist``                      | ``li.task-list-item``          |
| ``Term`` / ``:   definition``           | ``markdown.extensions.def_list``           | ``<dl>``                       |
| ``*[HTML]: Hyper Text…``                | ``markdown.extensions.abbr``               | ``<abbr title>``               |
| ``## Title {#id .unnumbered}``          | ``markdown.extensions.attr_list``          | ``id``, ``class``              |
| ``!!! note "Title"``                    | ``markdown.extensions.admonition``         | ``div.admonition``             |
| ``> [!NOTE]`` … ``> [!CAUTION]``        | ``markdown_callouts.github_callouts``      | ``div.admonition``             |

and ``SyntaxExtension``, whose treeprocessors adapt their output:

| Class                          | Name            | Priority | What it does                                       |
|--------------------------------|-----------------|----------|----------------------------------------------------|
| ``TaskItemsTreeprocessor``     | ``task_items``  | 24.9     | the checkbox the task list stashed as raw HTML     |
|                                |                 |          | becomes a class (``task-done``) on the item        |
| ``ScriptGuardTreeprocessor``   | ``script_guard``| 19.5     | ``3~5次，5~10分钟`` stays text (see below)          |
| ``UnnumberedTreeprocessor``    | ``unnumbered``  | 7.9      | pandoc's ``{-}`` is ``{.unnumbered}``              |

and ``abbr``'s treeprocessor is replaced by one that also finds an
abbreviation between Han characters (``使用HTML编写``), where ``\\b`` sees
no word boundary.

The script guard: pandoc's rule (no space inside ``~…~`` or ``^…^``) does not
protect Chinese, which has no spaces: ``每天3~5次，每次5~10分钟`` would set
``5次，每次5`` as a subscript.  A subscript or superscript holding a wide
character, or only punctuation (``^_^``), is put back as the text it was.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString
from markdown_callouts.github_callouts import GitHubCalloutsExtension
from pymdownx.caret import InsertSupExtension
from pymdownx.tasklist import TasklistExtension
from pymdownx.tilde import DeleteSubExtension

from ..typography import is_wide
from .names import TASK_CLASS, TASK_DONE_CLASS, UNNUMBERED_CLASS


def syntax_extensions() -> list[Extension]:
    """The extensions of the table in the module docstring, as instances."""
    return [
        DeleteSubExtension(),                 # ~~del~~, ~sub~
        InsertSupExtension(insert=False),     # ^sup^; ^^ins^^ is no pandoc or GitHub syntax
        TasklistExtension(),
        DefListExtension(),
        WideAbbrExtension(),
        AttrListExtension(),
        AdmonitionExtension(),
        GitHubCalloutsExtension(),
        SyntaxExtension(),
    ]


class SyntaxExtension(Extension):
    """Register the treeprocessors of the second table in the module docstring."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        md.treeprocessors.register(TaskItemsTreeprocessor(md), "task_items", 24.9)
        md.treeprocessors.register(ScriptGuardTreeprocessor(md), "script_guard", 19.5)
        md.treeprocessors.register(UnnumberedTreeprocessor(md), "unnumbered", 7.9)


class TaskItemsTreeprocessor(Treeprocessor):
    """The task list's checkbox as a class: ``pymdownx.tasklist`` puts an
    ``<input type="checkbox">`` into the HTML stash, which would send the
    whole file through the raw-HTML path, whose sanitizer drops form
    controls.  Here the item keeps ``task-list-item`` and gains
    ``task-done`` when checked, the placeholder goes, and the stash entries
    (the last ones: nothing else stashes between the two passes) are taken
    back out."""

    def run(self, root: etree.Element) -> None:
        stash = self.md.htmlStash
        taken: list[int] = []
        for li in root.iter("li"):
            if TASK_CLASS not in (li.get("class") or "").split():
                continue
            holder = li if li.text else (li[0] if len(li) and li[0].tag == "p" else None)
            found = HTML_PLACEHOLDER_RE.match(holder.text or "") if holder is not None else None
            if found is None:
                continue
            index = int(found.group(1))
            if "checked" in stash.rawHtmlBlocks[index]:
                li.set("class", f"{li.get('class')} {TASK_DONE_CLASS}")
            holder.text = holder.text[found.end():]
            taken.append(index)
        if taken and sorted(taken) == list(range(min(taken), stash.html_counter)):
            del stash.rawHtmlBlocks[min(taken):]
            stash.html_counter = min(taken)


_SIGNS = frozenset("+-\u2212")


def _literal_script(text: str) -> bool:
    """True when a ``~…~`` or ``^…^`` holding ``text`` is no subscript or
    superscript: a wide character in it, or nothing but punctuation."""
    return any(is_wide(ch) for ch in text) or not any(
        ch in _SIGNS or unicodedata.category(ch)[0] in "LN" for ch in text)


class ScriptGuardTreeprocessor(Treeprocessor):
    """Put back as text the ``<sub>`` and ``<sup>`` the inline pass made of
    a range in Chinese (see the module docstring).  It runs right after the
    inline pass: raw HTML is still in the stash then, so every ``<sub>``
    and ``<sup>`` without attributes is one the extensions made (a
    footnote's call has an id).  Innermost first, each parent's children
    rebuilt once (taking out one child at a time is quadratic)."""

    MARKS = {"sub": "~", "sup": "^"}

    def run(self, root: etree.Element) -> None:
        for parent in reversed(list(root.iter())):
            if any(self._literal(child) for child in parent):
                self._rebuild(parent)

    def _literal(self, el: etree.Element) -> bool:
        return (el.tag in self.MARKS and not el.attrib
                and _literal_script("".join(el.itertext())))

    def _rebuild(self, parent: etree.Element) -> None:
        """``parent``'s children with each literal one replaced by its content
        between its two marks."""
        children: list[etree.Element] = []
        pieces = [parent.text or ""]  # the run of text after the last child kept

        def close_run() -> None:
            value = "".join(pieces) or None
            if children:
                children[-1].tail = value
            else:
                parent.text = value
            pieces.clear()

        def keep(el: etree.Element, tail: str | None) -> None:
            close_run()
            children.append(el)
            pieces.append(tail or "")

        for child in list(parent):
            if not self._literal(child):
                keep(child, child.tail)
                continue
            mark = self.MARKS[child.tag]
            pieces += [mark, child.text or ""]
            for inner in list(child):
                keep(inner, inner.tail)
            pieces += [mark, child.tail or ""]
        close_run()
        parent[:] = children


class UnnumberedTreeprocessor(Treeprocessor):
    """pandoc's ``{-}`` after a heading is its ``{.unnumbered}``."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "-" in el.attrib:
                del el.attrib["-"]
                classes = (el.get("class") or "").split()
                el.set("class", " ".join([*classes, UNNUMBERED_CLASS]))


class WideAbbrTreeprocessor(AbbrTreeprocessor):
    """``abbr``'s pass, with a boundary that Han characters do not hide (an
    abbreviation is not preceded or followed by a Latin letter, digit or
    ``_``), and each element's children rebuilt once (upstream inserts each
    ``<abbr>`` at its place, in time quadratic in how many a paragraph has)."""

    def run(self, root: etree.Element) -> etree.Element | None:
        if not self.abbrs:
            return None
        keys = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(r"(?<![A-Za-z0-9_])(?:%s)(?![A-Za-z0-9_])"
                             % "|".join(re.escape(key) for key in keys))
        self.iter_element(root)
        return None

    def iter_element(self, el: etree.Element, parent: etree.Element | None = None) -> None:
        for child in el:
            self.iter_element(child, el)
        el.text, children = self._split(el.text)
        for child in list(el):
            child.tail, made = self._split(child.tail)
            children += [child, *made]
        el[:] = children

    def _split(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        """``text`` up to its first abbreviation, and an ``<abbr>`` for each,
        the text after it as its tail (atomic text, code, is left alone)."""
        if not text or isinstance(text, AtomicString):
            return text, []
        made: list[etree.Element] = []
        head, last = text, 0
        for found in self.RE.finditer(text):
            if not self.abbrs[found.group(0)]:
                continue
            piece = text[last:found.start()]
            if made:
                made[-1].tail = piece
            else:
                head = piece
            made.append(self.create_element(self.abbrs[found.group(0)], found.group(0), ""))
            last = found.end()
        if made:
            made[-1].tail = text[last:]
        return head, made


class WideAbbrExtension(AbbrExtension):
    """``abbr`` with ``WideAbbrTreeprocessor``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.treeprocessors.register(WideAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
