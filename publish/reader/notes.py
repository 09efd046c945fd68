"""Footnotes: collected per file, numbered per chapter where they are called.

Python-Markdown puts a file's note definitions in a list at its end
(``<div class="footnote">``); ``Notes.collect`` takes them from there.  A
note is converted and numbered the first time a chapter calls it, and set
at the end of that chapter (a note called from two chapters is set in
each; a second call in one chapter repeats the first's number).  Notes may
call notes, up to ``MAX_NOTE_DEPTH`` deep; a note that calls itself, or a
circle of notes, loses the call that closes the circle.  A note nobody
calls is set, with a warning, at the end of the chapter open where its
file ends.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import model as m
from .names import NOTE_BACKREF_CLASS, NOTE_ID_PREFIX, NOTE_LIST_CLASS
from .sanitize import Node
from .sourcetree import SourceTree
from .structure import Division

#: How deep notes may call notes (a note's text is converted where it is
#: first called, one level of recursion per note).
MAX_NOTE_DEPTH = 10

Convert = Callable[[list[str | Node]], list[m.Block]]
"""Turns a note's content into blocks (the builder's ``blocks_of``)."""

_Key = tuple[str, str, str]  # (file, label, id of the calling chapter)


class Notes:
    """The notes of the manuscript and the numbers they have been given."""

    def __init__(self, convert: Convert):
        self.convert = convert
        self.definitions: dict[tuple[str, str], Node] = {}  # (file, label) -> its <li>
        self.ids: dict[_Key, tuple[str, int]] = {}          # -> (note id, number)
        self.resolving: list[_Key] = []    # notes being converted, outermost first
        self.deferred: set[tuple[str, str]] = set()  # notes whose call was too deep
        self.called: set[tuple[str, str]] = set()    # (file, label) of every note set

    def collect(self, src: SourceTree, note_list: Node) -> None:
        """Remember the definitions in ``src``'s footnote list."""
        for li in note_list.iter("li"):
            label = li.attrs.get("id", "")
            if label.startswith(NOTE_ID_PREFIX):
                self.definitions[(src.name, label[len(NOTE_ID_PREFIX):])] = li

    def call(self, src: SourceTree, label: str, chapter: Division) -> m.NoteRef | None:
        """The call of note ``label`` from ``chapter``; None when the call is left out."""
        key = (src.name, label, chapter.id)
        if key in self.resolving:
            # A note that calls itself, or notes calling each other: the call that
            # closes the circle is left out (the print edition sets a note where
            # it is called, so a circle would never end).
            through = "".join(f" through [^{k[1]}]" for k in self.resolving[
                self.resolving.index(key) + 1:])
            src.warn(f"footnote [^{label}] calls itself{through}; that call is left out",
                     f"[^{label}]")
            return None
        if key not in self.ids and len(self.resolving) >= MAX_NOTE_DEPTH:
            # A chain of notes each calling the next: the call this deep is left
            # out and the note is set at the chapter's end (as a note never
            # called), so converting it starts again from the top.
            src.warn(f"footnote [^{label}] is called from a note {MAX_NOTE_DEPTH} notes "
                     "deep; that call is left out and the note set at the chapter's end",
                     f"[^{label}]")
            self.deferred.add(key[:2])
            return None
        if key not in self.ids:
            self._set(key, chapter)
        return m.NoteRef(*self.ids[key])

    def _set(self, key: _Key, chapter: Division) -> None:
        """Number the note ``key`` in ``chapter`` and convert its text."""
        number = len(chapter.notes) + 1
        note_id = f"{chapter.id}-n{number}"
        self.ids[key] = (note_id, number)
        self.called.add(key[:2])
        # A placeholder first, so a note that calls itself cannot recurse.
        chapter.notes.append(m.Note(note_id, number, ()))
        li = self.definitions.get(key[:2])
        self.resolving.append(key)
        try:
            blocks = self.convert(_without_backrefs(li).children) if li is not None else []
        finally:
            self.resolving.pop()
        chapter.notes[number - 1] = m.Note(note_id, number, tuple(blocks))

    def set_uncalled(self, src: SourceTree, chapter: Division) -> None:
        """Set the notes of ``src`` that nothing called at the end of ``chapter``."""
        for file, label in list(self.definitions):
            if file == src.name and (file, label) not in self.called:
                if (file, label) not in self.deferred:
                    src.warn(f"footnote [^{label}] is never referenced; set at the "
                             "chapter's end", f"[^{label}]:", src.line_of_note(label))
                self.call(src, label, chapter)


def is_note_list(node: str | Node) -> bool:
    """True for the footnote list Python-Markdown puts at the end of a file."""
    return (isinstance(node, Node) and node.tag == "div" and NOTE_LIST_CLASS in node.classes()
            and any(li.attrs.get("id", "").startswith(NOTE_ID_PREFIX) for li in node.iter("li")))


def _without_backrefs(li: Node) -> Node:
    """A copy of a footnote's <li> without Python-Markdown's back-links."""
    def clean(node: Node) -> Node:
        kids: list[str | Node] = []
        for c in node.children:
            if isinstance(c, Node):
                if c.tag == "a" and NOTE_BACKREF_CLASS in c.classes():
                    continue
                kids.append(clean(c))
            else:
                kids.append(c)
        return Node(node.tag, dict(node.attrs), kids)
    return clean(li)
