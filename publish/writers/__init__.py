"""The writers, picked by name from one table.

Every writer is a module with ``SUFFIX``, ``OPTIONS`` (the edition options
it reads, ``options.Option``) and ``write(book, out_dir, options) -> Path``:
it renders the book, writes one file atomically into ``out_dir`` and returns
its path.  Writers know only the model (and the shared ``xhtml``/
``typography`` modules), never each other, the reader or the CLI.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from pathlib import Path

from ..model import Book, BuildOptions
from ..options import Option, settle

Writer = Callable[[Book, Path, BuildOptions], Path]


def declared(name: str) -> tuple[Option, ...]:
    """The options the writer ``name`` reads."""
    return importlib.import_module(f"{__name__}.{name}").OPTIONS


def _lazy(module: str) -> Writer:
    """A writer whose module (and its heavy libraries) is imported on first use.
    Its options are settled here, once: the values given, over book.toml's
    [edition], over the declared defaults."""
    def write(book: Book, out_dir: Path, options: BuildOptions) -> Path:
        writer = importlib.import_module(f"{__name__}.{module}")
        values = settle(writer.OPTIONS, options.values, book.meta.options,
                        book.meta.options_file, book.meta.option_lines)
        return writer.write(book, out_dir, dataclasses.replace(options, values=values))
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
