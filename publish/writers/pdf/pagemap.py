"""Where each laid-out page starts in the book: the page map (``model.PageMap``).

The print renderer names every place a page may start at (``data-page-at``,
``xhtml.pages``).  One walk over each page's boxes, in order, finds the
first thing set in its text block (not the running head or the folio in
the margin boxes, not the notes at its foot, not generated content such as
a list's number or a note's call) and the place it is in, and counts the
letters (``model.pages``) of each place set so far: the page starts that
many letters into it.  The folio is the page's label in the PDF (roman for
the front matter, then 1, 2…, as ``/PageLabels`` says).  A page with
nothing in its text block (a blank verso) has the address "".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ... import model as m
from ...numbers import roman_numeral
from ...xhtml.pages import PLACE_ATTRIBUTE


def folio(index: int, front_pages: int) -> str:
    """The label of page ``index`` (from 0): ``iii`` in the front matter, else ``12``."""
    if index < front_pages:
        return roman_numeral(index + 1).lower()
    return str(index - front_pages + 1)


def page_map(book: m.Book, pages, front_pages: int, edition: str) -> m.PageMap:
    """The page map of ``pages`` (WeasyPrint's laid-out pages) of ``book``'s
    print edition, the file ``edition``."""
    return starts_map(book, page_starts(pages), front_pages, edition)


def starts_map(book: m.Book, starts: list[tuple[str, int]], front_pages: int,
               edition: str) -> m.PageMap:
    """The page map of pages starting at ``starts`` (``page_starts``)."""
    identifier = book.meta.identifier
    source = identifier if identifier.startswith("urn:isbn:") else \
        f"{book.meta.title} (print edition, {edition})"
    return m.PageMap(edition, source, tuple(
        m.PageStart(folio(index, front_pages), address, offset)
        for index, (address, offset) in enumerate(starts)))


def page_starts(pages) -> list[tuple[str, int]]:
    """Where each of ``pages`` starts: (the place, letters into it); ("", 0)
    for a page with nothing in its text block.  The places of a chapter are
    the chapter's own, so a chapter's pages laid out apart start at the same
    places."""
    counts: dict[str, int] = defaultdict(int)
    starts = []
    for page in pages:
        first: tuple[str, int] | None = None
        for places, box in _leaves(page._page_box):
            text = getattr(box, "text", None)
            if first is None and (text is None or text.strip()):
                first = (places[-1], counts[places[-1]]) if places else ("", 0)
            if text:
                letters = sum(1 for char in text if char.isalnum())
                for place in places:
                    counts[place] += letters
        starts.append(first or ("", 0))
    return starts


def _leaves(page_box) -> Iterator[tuple[tuple[str, ...], object]]:
    """The text and image boxes of the page's text block, in order, each with
    the places it is in (outermost first); without recursion (boxes may nest
    deep)."""
    todo = [(page_box, ())]
    while todo:
        box, places = todo.pop()
        name = type(box).__name__
        if name in ("MarginBox", "FootnoteAreaBox") or "::" in (box.element_tag or ""):
            continue
        element = box.element
        if element is not None and (place := element.get(PLACE_ATTRIBUTE)) and \
                (not places or places[-1] != place):
            places = (*places, place)
        if name == "TextBox" or name.endswith("ReplacedBox"):
            yield places, box
            continue
        todo.extend((child, places) for child in reversed(getattr(box, "children", ())))
