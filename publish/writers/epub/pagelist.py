"""The EPUB's page list: the print edition's pages, found in the content documents.

The renderer puts a page-break marker where each print page starts
(``xhtml.pages``); ``pages`` reads them back from the rendered documents in
reading order, so the list names only markers that are there, and
``with_page_list`` adds the ``page-list`` nav (EPUB 3.3 §7.4.3: hidden, one
link per page, its text the folio) to the navigation document ebooklib
wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

from ...xhtml import attr, text

_MARKER = re.compile(r'<span id="([^"]+)" epub:type="pagebreak" role="doc-pagebreak" '
                     r'aria-label="([^"]*)"')


def pages(docs: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(file name, marker id, folio) of every page-break marker in ``docs``
    ((uid, file name, XHTML), in reading order)."""
    return [(file_name, unescape(found[1]), unescape(found[2]))
            for _, file_name, content in docs for found in _MARKER.finditer(content)]


def with_page_list(nav: bytes, pages: Sequence[tuple[str, str, str]]) -> bytes:
    """The navigation document ``nav`` with a page list of ``pages`` (none: as it is)."""
    if not pages:
        return nav
    items = "".join(f'<li><a href="{attr(f"{name}#{anchor}")}">{text(label)}</a></li>\n'
                    for name, anchor, label in pages)
    page_list = (f'<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="">\n'
                 f"<ol>\n{items}</ol>\n</nav>\n").encode()
    at = nav.rindex(b"</body>")
    return nav[:at] + page_list + nav[at:]
