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
from markdown.util import HTML_PLACEHOLDER_RE
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
    footnote's call has an id)."""

    MARKS = {"sub": "~", "sup": "^"}

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index in range(len(parent) - 1, -1, -1):
                child = parent[index]
                if (child.tag in self.MARKS and not child.attrib
                        and _literal_script("".join(child.itertext()))):
                    _unwrap(parent, index, self.MARKS[child.tag])


def _unwrap(parent: etree.Element, index: int, mark: str) -> None:
    """Replace ``parent[index]`` by its content between two ``mark``s."""
    el = parent[index]
    children = list(el)

    def append(after: etree.Element | None, value: str) -> None:
        if after is None:
            parent.text = (parent.text or "") + value
        else:
            after.tail = (after.tail or "") + value

    before = parent[index - 1] if index else None
    append(before, mark + (el.text or ""))
    parent.remove(el)
    parent[index:index] = children
    append(children[-1] if children else before, mark + (el.tail or ""))


class UnnumberedTreeprocessor(Treeprocessor):
    """pandoc's ``{-}`` after a heading is its ``{.unnumbered}``."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "-" in el.attrib:
                del el.attrib["-"]
                classes = (el.get("class") or "").split()
                el.set("class", " ".join([*classes, UNNUMBERED_CLASS]))


class WideAbbrTreeprocessor(AbbrTreeprocessor):
    """``abbr``'s pass, with a boundary that Han characters do not hide: an
    abbreviation is not preceded or followed by a Latin letter, digit or ``_``."""

    def run(self, root: etree.Element) -> etree.Element | None:
        if not self.abbrs:
            return None
        keys = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(r"(?<![A-Za-z0-9_])(?:%s)(?![A-Za-z0-9_])"
                             % "|".join(re.escape(key) for key in keys))
        self.iter_element(root)
        return None


class WideAbbrExtension(AbbrExtension):
    """``abbr`` with ``WideAbbrTreeprocessor``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.treeprocessors.register(WideAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
