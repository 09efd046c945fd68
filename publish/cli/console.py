"""What the terminal shows: warnings (each once, in source order), progress
lines, WeasyPrint's page count, and the strict-mode check.  Part of the
command line, the only package that prints or exits.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import click

from ..errors import StrictModeError
from ..log import LOGGER, PROGRESS, plural


class WarningCounter(logging.Handler):
    """Prints warnings as ``WARNING: …`` on stderr (unless quiet), each once, and
    counts them for --strict.

    While a manuscript is read (``held``) they are kept back, then printed in
    the order of the source: by file in reading order, then by line (the
    reader's stages each go through every file, so they find them out of
    that order).
    """

    def __init__(self, quiet: bool) -> None:
        super().__init__(logging.WARNING)
        self.quiet = quiet
        self.count = 0
        self.seen: set[str] = set()
        self.kept: list[logging.LogRecord] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = f"{record.levelname}: {record.getMessage()}"
        if message in self.seen:
            return
        self.seen.add(message)
        self.count += 1
        if self.kept is not None:
            self.kept.append(record)
        elif not self.quiet or record.levelno >= logging.ERROR:
            click.echo(message, err=True)

    @contextlib.contextmanager
    def held(self, files: Callable[[], list[Path]]) -> Iterator[None]:
        """Keep warnings back until the block ends, then print them in source
        order (``files()``: the files in reading order, [] if unknown)."""
        self.kept = []
        try:
            yield
        finally:
            kept, self.kept = self.kept, None
            order = {str(path): i for i, path in enumerate(files())}
            for record in sorted(kept, key=lambda r: _source_place(r.getMessage(), order)):
                if not self.quiet or record.levelno >= logging.ERROR:
                    click.echo(f"{record.levelname}: {record.getMessage()}", err=True)


_PLACE = re.compile(r"(.+?):(\d+): ")


def _source_place(message: str, order: Mapping[str, int]) -> tuple[int, int]:
    """Where a warning points in the manuscript: (file's rank, line); a warning
    about no file line comes first, one about a file without a line first
    among that file's."""
    for path, rank in order.items():
        if message.startswith(path + ":"):
            place = _PLACE.match(message, 0)
            line = int(place.group(2)) if place and place.group(1) == path else 0
            return rank, line
    return -1, 0


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


class _LayoutProgress(logging.Handler):
    """WeasyPrint's page-by-page layout log, shown every 50 pages."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = re.search(r"Creating layout - Page (\d+)", message)
        if found and int(found.group(1)) % 50 == 0:
            click.echo(f"  laid out {found.group(1)} pages", err=True)


def setup_logging(verbose: int, quiet: bool) -> WarningCounter:
    """-v adds each chapter's and step's progress with timings, -q shows errors
    only (warnings are still counted for --strict).

    WeasyPrint's warnings (a CSS rule it ignores, an image it cannot read)
    are counted with ours, so --strict catches them too.
    """
    counter = WarningCounter(quiet)
    LOGGER.handlers[:] = [counter]
    LOGGER.setLevel(logging.DEBUG if verbose else logging.WARNING)
    PROGRESS.handlers[:] = [_ProgressHandler()]
    PROGRESS.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.handlers[:] = [counter]
    weasyprint_log.setLevel(logging.WARNING)
    weasyprint_log.propagate = False
    layout = logging.getLogger("weasyprint.progress")
    layout.handlers[:] = [] if quiet else [_LayoutProgress()]
    layout.setLevel(logging.INFO)
    layout.propagate = False
    return counter


def check_strict(counter: WarningCounter, strict: bool) -> None:
    if strict and counter.count:
        raise StrictModeError(f"aborted: {plural(counter.count, 'warning')} in strict mode")
