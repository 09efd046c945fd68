"""The writers, picked by name from one table.

Every writer is a module with ``NAME``, ``SUFFIX`` and
``write(book, out_dir, options) -> Path``: it renders the book, writes one
file atomically into ``out_dir`` and returns its path.  Writers know only
the model (and the shared ``xhtml``/``typography`` modules), never each
other, the reader or the CLI.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..model import Book, BuildOptions

Writer = Callable[[Book, Path, BuildOptions], Path]


def _lazy(module: str) -> Writer:
    """A writer whose module (and its heavy libraries) is imported on first use."""
    def write(book: Book, out_dir: Path, options: BuildOptions) -> Path:
        return importlib.import_module(f"{__name__}.{module}").write(book, out_dir, options)
    write.__name__ = f"{module}.write"
    return write


#: name -> write function, in the order ``publish all`` builds them.  The
#: text edition needs no ebooklib, the EPUB no WeasyPrint: each writer's
#: module is imported only when it is called.
WRITERS: dict[str, Writer] = {
    "epub": _lazy("epub"),
    "pdf": _lazy("pdf"),
    "txt": _lazy("txt"),
}
