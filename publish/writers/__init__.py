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
from ..profiles import PROFILES

Writer = Callable[[Book, Path, BuildOptions], Path]


#: The writers whose options are declared apart from their code (see
#: ``declarations``): knowing them does not import ebooklib or WeasyPrint.
DECLARED_APART = frozenset({"epub", "pdf", "pdf.cover"})


def declared(name: str) -> tuple[Option, ...]:
    """The options the writer ``name`` reads."""
    module = (f"declarations.{name.replace('.', '_')}" if name in DECLARED_APART else name)
    return importlib.import_module(f"{__name__}.{module}").OPTIONS


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


#: The print cover (``writers/pdf/cover.py``): not an edition of its own but
#: a file beside the PDF, with options of its own (``declared(COVER)``).
COVER = "pdf.cover"


def cover_wanted(book: Book, options: BuildOptions) -> bool:
    """Whether ``publish all`` writes the cover too: for a profile whose job
    takes one (press, kdp, ingramspark: ``Profile.cover``)."""
    values = settle(declared(COVER), options.values, book.meta.options,
                    book.meta.options_file, book.meta.option_lines)
    return PROFILES[str(values["profile"])].cover


def write_cover(book: Book, out_dir: Path, options: BuildOptions,
                pages: int) -> tuple[Path, dict[str, object]]:
    """Write the cover for an interior of ``pages`` pages; return its path and
    its measures for the build manifest (profile, pages, spine width…)."""
    cover = importlib.import_module(f"{__name__}.{COVER}")
    values = settle(cover.OPTIONS, options.values, book.meta.options, book.meta.options_file,
                    book.meta.option_lines)
    path, wrap = cover.write_cover(book, out_dir, dataclasses.replace(options, values=values),
                                   pages)
    return path, {"file": path.name, **dataclasses.asdict(wrap)}
