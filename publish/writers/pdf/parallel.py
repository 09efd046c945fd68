"""Lay a book out in worker processes, a unit (a part's page, a chapter) each.

A chapter starts on a recto, so its pages are those of the chapter alone and
can be laid out in a document of its own, at the same time as the others.
Only the folios depend on what comes before; the margin boxes are laid out
last (``weasy.units``), so a worker that has laid out a unit's pages tells
the page count and waits for the number of book pages before the unit,
which the units before it give as soon as they are counted.  The front
matter (title pages, contents) is laid out last, in this process, when every
page number its contents lists is known.  ``merge`` joins the units' PDFs.

Workers are forked: they share the style sheets, the fonts and the URL
fetcher already set up, and nothing is pickled but the unit's index and what
its layout reports.  Their log records come back and are logged here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from ...errors import PrintError
from .merge import Unit
from .weasy import units as hooks


@dataclass
class Work:
    """What a worker needs: set before the workers are forked."""
    render: Callable[[str], object]         # XHTML -> WeasyPrint Document
    sources: list[str]                     # each body unit's XHTML
    foreign: list[frozenset[str]]          # the anchors each links to in other units
    folder: Path                           # where the units' PDFs and faces go
    finish: Callable[[object], dict]       # Document -> what the layout tells (in the worker)
    write: Callable[[object], bytes]       # Document -> the unit's PDF
    failures: list = field(default_factory=list)


@dataclass(frozen=True)
class Laid:
    """A unit laid out: its PDF, pages, anchors (name -> page in the unit)
    and what ``Work.finish`` told."""
    index: int
    path: Path
    pages: int
    anchors: dict[str, int]
    levels: tuple[int, ...]
    told: dict


_work: Work | None = None


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def ids_and_links(source: str) -> tuple[set[str], set[str]]:
    """The ids a unit's XHTML defines and the in-book anchors it links to."""
    return (set(re.findall(r'\sid="([^"]+)"', source)),
            set(re.findall(r'\shref="#([^"]+)"', source)))


def lay_out(work: Work, jobs: int) -> list[Laid]:
    """Lay out every body unit of ``work`` in ``jobs`` worker processes; the
    units in order, each with its folios offset by the pages before it."""
    global _work
    _work = work
    context = multiprocessing.get_context("fork")
    connections, processes = [], []
    try:
        for _ in range(max(1, min(jobs, len(work.sources)))):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            connections.append(mine)
            processes.append(process)
        return _schedule(work, connections)
    finally:
        _work = None
        for connection in connections:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _schedule(work: Work, connections) -> list[Laid]:
    """Hand out units in order, answer page counts with offsets, gather results."""
    todo = list(range(len(work.sources)))
    counts: dict[int, int] = {}
    waiting: dict[int, object] = {}
    done: dict[int, Laid] = {}
    for connection in connections:
        if todo:
            connection.send(todo.pop(0))
    while len(done) < len(work.sources):
        for connection in wait(connections):
            try:
                message = connection.recv()
            except EOFError:
                raise PrintError("a process laying out the PDF ended without a word") from None
            kind = message[0]
            if kind == "log":
                logging.getLogger(message[1].name).handle(message[1])
            elif kind == "count":
                counts[message[1]] = message[2]
                waiting[message[1]] = connection
                _answer(counts, waiting)
            elif kind == "done":
                done[message[1].index] = message[1]
                work.failures.extend(message[2])
                if todo:
                    connection.send(todo.pop(0))
            else:
                raise PrintError(f"laying out the PDF failed in a worker process:\n{message[1]}")
    return [done[index] for index in range(len(work.sources))]


def _answer(counts: dict[int, int], waiting: dict[int, object]) -> None:
    """Send each waiting unit whose predecessors are all counted its offset."""
    offset = 0
    for index in range(max(counts) + 1):
        if index not in counts:
            return
        if index in waiting:
            waiting.pop(index).send(offset)
        offset += padded(counts[index])


def padded(pages: int) -> int:
    """A unit's pages with the blank verso that ends one ending on a recto."""
    return pages + pages % 2


def _serve(connection) -> None:
    """A worker: lay out the units it is sent until it is sent None."""
    _forward_logs(connection)
    work = _work
    assert work is not None
    while (index := connection.recv()) is not None:
        try:
            connection.send(("done", _one(work, index, connection), _new_failures(work)))
        except BaseException:
            connection.send(("error", traceback.format_exc()))
            return


def _new_failures(work: Work) -> list:
    found, work.failures[:] = list(work.failures), []
    return found


def _one(work: Work, index: int, connection) -> Laid:
    """Lay out unit ``index`` and write its PDF."""
    def ask(pages: int) -> int:
        connection.send(("count", index, pages))
        return connection.recv()

    with hooks.unit(ask, work.folder / "fonts"):
        document = work.render(work.sources[index])
        return unit_result(work, index, document, work.foreign[index],
                           work.folder / f"unit-{index:04d}.pdf")


def unit_result(work: Work, index: int, document, foreign: frozenset[str], path: Path) -> Laid:
    """Write ``document``'s PDF to ``path`` (its links to ``foreign`` anchors
    kept: they are given a place in the unit) and say what its layout told."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    levels = tuple(level for page in document.pages for level, *_ in page.bookmarks)
    told = work.finish(document)
    if foreign and document.pages:
        document.pages[0].anchors.update(
            {name: (0, 0, 0, 0) for name in foreign if name not in anchors})
    path.write_bytes(work.write(document))
    return Laid(index, path, len(document.pages), anchors, levels, told)


def merge_units(laid: list[Laid], front: Laid) -> list[Unit]:
    """The units to join: the front matter, then the body, each with the blank
    verso a unit ending on a recto needs (not after the last)."""
    ordered = [front, *laid]
    return [Unit(item.path, frozenset(item.anchors), item.levels,
                 blank_after=item.pages % 2 == 1 and position < len(ordered) - 1)
            for position, item in enumerate(ordered)]


class _Forward(logging.Handler):
    """Sends each log record to the parent process, formatted."""

    def __init__(self, connection) -> None:
        super().__init__()
        self.connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "forwarded", False):
            return
        record.forwarded = True
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.connection.send(("log", record))


def _forward_logs(connection) -> None:
    """In a worker: every handler of publish's and WeasyPrint's loggers but
    the image failure watch (``fetch``) becomes one that forwards."""
    from .fetch import _FailureHandler

    forward = _Forward(connection)
    names = [name for name in logging.root.manager.loggerDict
             if name.split(".")[0] in ("publish", "weasyprint")]
    for logger in [logging.root, *map(logging.getLogger, names)]:
        if logger.handlers:
            logger.handlers[:] = [h for h in logger.handlers
                                  if isinstance(h, _FailureHandler)] + [forward]
