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

import contextlib
import dataclasses
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
from . import refolio
from .merge import Unit
from .weasy import units as hooks


@dataclass
class Work:
    """What a worker needs: set before the workers are forked."""
    render: Callable[[str], object]         # XHTML -> WeasyPrint Document
    sources: list[str]                     # each body unit's XHTML
    foreign: list[frozenset[str]]          # the anchors each links to in other units
    folder: Path                           # where the units' PDFs go
    fonts: Path                            # where whole faces are kept
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
    offset: int = 0         # the book pages before it (its folios' offset)
    refolioed: bool = False  # a kept unit with new folios (``refolio``), not laid out


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


def lay_out(work: Work, jobs: int, kept: dict[int, Laid] | None = None,
            base: int = 0) -> list[Laid]:
    """Lay out every body unit of ``work`` in at most ``jobs`` worker
    processes; the units in order, each with its folios offset by the pages
    before it (``base`` before the first).  ``kept`` units (``unitcache``)
    are not laid out again where they fall at the page they were laid out for."""
    global _work
    schedule = _Schedule(len(work.sources), kept or {}, base)
    if not schedule.queue and not schedule.moved:
        return schedule.result()
    _work = work
    context = multiprocessing.get_context("fork")
    connections, processes = [], []
    try:
        for _ in range(max(1, min(jobs, len(work.sources) - len(schedule.done)))):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            connections.append(mine)
            processes.append(process)
        schedule.run(work, connections)
        return schedule.result()
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


class _Schedule:
    """Which unit goes to which worker, and each unit's offset once the units
    before it are counted (a kept unit is counted without a layout)."""

    def __init__(self, units: int, kept: dict[int, Laid], base: int) -> None:
        self.units, self.kept, self.base = units, kept, base
        self.counts = {index: laid.pages for index, laid in kept.items()}
        self.queue = [index for index in range(units) if index not in kept]
        self.moved: dict[int, int] = {}  # kept units to refolio: index -> offset
        self.done: dict[int, Laid] = {}
        self.busy: set[int] = set()
        self.waiting: dict[int, object] = {}
        self.settle()

    def settle(self) -> None:
        """Answer waiting workers; take kept units that fall where they were laid out."""
        offset = self.base
        for index in range(self.units):
            if index not in self.counts:
                return
            kept = self.kept.get(index)
            if kept is not None and index not in self.done and index not in self.busy \
                    and index not in self.queue and index not in self.moved:
                if kept.offset == offset:
                    self.done[index] = kept
                elif kept.told.get("apart") and "types" in kept.told:
                    self.moved[index] = offset  # only its folios are wrong: made anew
                else:  # laid out again
                    self.queue.append(index)
                    self.queue.sort()
            if index in self.waiting:
                self.waiting.pop(index).send(offset)
            offset += padded(self.counts[index])

    def run(self, work: Work, connections) -> None:
        idle = list(connections)

        def dispatch() -> None:
            while idle and (self.queue or self.moved):
                index = min([*self.queue[:1], *self.moved])
                self.busy.add(index)
                if index in self.moved:
                    idle.pop().send(("refolio", index, self.moved.pop(index), self.kept[index]))
                else:
                    self.queue.remove(index)
                    idle.pop().send(("lay out", index))

        dispatch()
        while len(self.done) < self.units:
            for connection in wait([c for c in connections if c not in idle]):
                try:
                    message = connection.recv()
                except EOFError:
                    raise PrintError("a process laying out the PDF ended without a word") \
                        from None
                kind = message[0]
                if kind == "log":
                    logging.getLogger(message[1].name).handle(message[1])
                elif kind == "count":
                    self.counts[message[1]] = message[2]
                    self.waiting[message[1]] = connection
                    self.settle()
                elif kind == "done":
                    laid = message[1]
                    self.done[laid.index] = laid
                    self.busy.discard(laid.index)
                    work.failures.extend(message[2])
                    idle.append(connection)
                    self.settle()
                    dispatch()
                else:
                    raise PrintError("laying out the PDF failed in a worker process:\n"
                                     + message[1])

    def result(self) -> list[Laid]:
        return [self.done[index] for index in range(self.units)]


def padded(pages: int) -> int:
    """A unit's pages with the blank verso that ends one ending on a recto."""
    return pages + pages % 2


def _serve(connection) -> None:
    """A worker: lay out the units it is sent until it is sent None."""
    _forward_logs(connection)
    work = _work
    assert work is not None
    while (job := connection.recv()) is not None:
        try:
            laid = _refolio(work, *job[1:]) if job[0] == "refolio" else None
            laid = laid or _one(work, job[1], connection)
            connection.send(("done", laid, _new_failures(work)))
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

    kept = Keep()
    with keeping(kept), hooks.unit(ask, work.fonts) as state:
        document = work.render(work.sources[index])
        laid = unit_result(work, index, document, work.foreign[index],
                           work.folder / f"unit-{index:04d}.pdf")
    return dataclasses.replace(laid, offset=state.offset or 0,
                               told={**laid.told, "log": kept.records})


def _refolio(work: Work, index: int, offset: int, kept: Laid) -> Laid | None:
    """Unit ``index``, kept, with its folios at ``offset`` (``refolio``);
    None where the folios cannot be made apart from the text."""
    with keeping(Keep()), hooks.unit(lambda pages: offset, work.fonts):
        document = work.render(refolio.layer_source(kept.told["types"]))
        if refolio.page_types(document) != kept.told["types"]:
            return None
        layer = work.folder / f"layer-{index:04d}.pdf"
        layer.write_bytes(work.write(document))
        pages, _ = hooks.folios()
        glyphs = hooks.glyphs()
    recorded = {name: [dict(widths), dict(text)] for name, (widths, text)
                in kept.told.get("fonts", {}).items()}
    for name, (widths, text) in glyphs.items():
        into = recorded.setdefault(name, [{}, {}])
        into[0].update(widths)
        into[1].update(text)
    path = work.folder / f"unit-{index:04d}.pdf"
    try:
        fonts = refolio.patch(kept.path, kept.told["folios"], layer, pages, path, recorded)
    except refolio.Unmatched:
        return None
    return dataclasses.replace(kept, path=path, offset=offset, refolioed=True,
                               told={**kept.told, "fonts": fonts})


def unit_result(work: Work, index: int, document, foreign: frozenset[str], path: Path) -> Laid:
    """Write ``document``'s PDF to ``path`` (its links to ``foreign`` anchors
    kept: they are given a place in the unit) and say what its layout told."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    levels = tuple(level for page in document.pages for level, *_ in page.bookmarks)
    told = work.finish(document)
    told["types"] = refolio.page_types(document)
    if foreign and document.pages:
        document.pages[0].anchors.update(
            {name: (0, 0, 0, 0) for name in foreign if name not in anchors})
    path.write_bytes(work.write(document))
    told["fonts"] = {name: [dict(widths), dict(text)]
                     for name, (widths, text) in sorted(hooks.glyphs().items())}
    forms, mixed = hooks.folios()
    told["folios"], told["apart"] = forms, not mixed
    return Laid(index, path, len(document.pages), anchors, levels, told)


def retell(laid: Laid) -> None:
    """Log again what a kept unit's layout logged (``Work.finish`` keeps it)."""
    for name, level, message in laid.told.get("log", ()):
        logging.getLogger(name).log(level, "%s", message)


def merge_units(ordered: list[Laid]) -> list[Unit]:
    """The units to join, in order, each with the blank verso a unit ending
    on a recto needs (not after the last)."""
    return [Unit(item.path, frozenset(item.anchors), item.levels,
                 blank_after=item.pages % 2 == 1 and position < len(ordered) - 1,
                 glyphs=item.told.get("fonts"))
            for position, item in enumerate(ordered)]


@contextlib.contextmanager
def keeping(handler: logging.Handler):
    """``handler`` on publish's logger while the context lasts."""
    publish = logging.getLogger("publish")
    publish.addHandler(handler)
    try:
        yield handler
    finally:
        publish.removeHandler(handler)


class Keep(logging.Handler):
    """Keeps the warnings of ``publish`` a unit's layout logs, to log them
    again when the unit is taken from the cache."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


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
