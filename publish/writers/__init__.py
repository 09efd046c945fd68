"""The writers, picked by name from one table.

Every writer is a module with ``NAME``, ``SUFFIX`` and
``write(book, out_dir, options) -> Path``: it renders the book, writes one
file atomically into ``out_dir`` and returns its path.  Writers know only
the model (and the shared ``xhtml``/``typography`` modules), never each
other, the reader or the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Book, BuildOptions
from . import epub, txt

Writer = Callable[[Book, Path, BuildOptions], Path]

#: name -> write function, in the order ``publish all`` builds them.
WRITERS: dict[str, Writer] = {
    epub.NAME: epub.write,
    txt.NAME: txt.write,
}
