"""``publish watch``: rebuild the editions when the manuscript, its book.toml,
its images or the theme in use change, one status line per rebuild.

Each rebuild is ``building.build``, the build every command runs, so what
lands in the output folder is what ``publish all`` (or the editions chosen)
would write, through the same stage: a reader of that folder never sees a
half-written file, and an interrupted build (Ctrl-C, SIGTERM) leaves no
temporary file behind.  The EPUB and the text come first; when the PDF is
wanted, a second pass writes it, then the EPUB again with the print pages'
list and the build's records, as ``publish all`` does.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import re
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click
import watchfiles

from ..files import TEMP_PREFIX
from ..log import LOGGER
from ..writers import WRITERS
from .building import Built, build
from .console import WarningCounter, setup_logging

#: Files an editor writes beside the one it saves: vim's swap files
#: (.swp, .swo…) and its write test ``4913``, backups ``name~``, Emacs's lock
#: ``.#name`` and autosave ``#name#``, and the Finder's .DS_Store.
EDITOR_FILES = re.compile(r"\.sw[a-p]$|~$|^\.#|^#.*#$|^4913$|^\.DS_Store$")
#: Folders whose changes are no part of the book.
IGNORED_FOLDERS = {".git", ".hg", ".svn", "__pycache__", ".publish-cache", "node_modules"}
#: A burst of saves within this many milliseconds is one rebuild.
DEBOUNCE_MS = 300


def ignored(path: Path, out: Path) -> bool:
    """True for a change no rebuild should follow: in the output folder
    ``out``, an editor's swap or backup file, a build's temporary file."""
    if path == out or out in path.parents:
        return True
    if EDITOR_FILES.search(path.name):
        return True
    return any(part in IGNORED_FOLDERS or part.startswith(TEMP_PREFIX) for part in path.parts)


def watched_folders(manuscript: Path, themes: Iterable[Path]) -> list[Path]:
    """The folders to watch: the manuscript's (its chapters, book.toml and
    images; a one-file manuscript's folder) and each theme folder outside it."""
    root = manuscript.resolve()
    root = root if root.is_dir() else root.parent
    folders = [root]
    for theme in themes:
        theme = theme.resolve()
        if theme.is_dir() and not any(theme == f or f in theme.parents for f in folders):
            folders.append(theme)
    return folders


def lasting(changes: set[tuple[watchfiles.Change, str]]) -> set[tuple[watchfiles.Change, str]]:
    """The changes without the files that came and went within the burst
    (an editor's temporary copy renamed over the file it saves)."""
    added = {path for change, path in changes if change == watchfiles.Change.added}
    deleted = {path for change, path in changes if change == watchfiles.Change.deleted}
    gone = {path for path in added & deleted if not Path(path).exists()}
    return {(change, path) for change, path in changes if path not in gone}


def describe(changes: Iterable[tuple[watchfiles.Change, str]], folders: list[Path]) -> str:
    """``chapter2.md changed``, ``img/a.png deleted``, ``a.md, b.md and 3 more
    changed`` (a file saved by renaming a copy over it is told as changed,
    not added: the notice cannot tell the two apart)."""
    named: dict[str, str] = {}
    for _, path in sorted(changes, key=lambda c: c[1]):
        named[_relative(Path(path), folders)] = "changed" if Path(path).exists() else "deleted"
    names = list(named)
    verbs = set(named.values())
    verb = verbs.pop() if len(verbs) == 1 else "changed"
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{shown} {verb}"


def _relative(path: Path, folders: list[Path]) -> str:
    for folder in folders:
        if folder == path or folder in path.parents:
            return str(path.relative_to(folder)) if folder != path else path.name
    return str(path)


class StatusLine:
    """One line per rebuild on stdout, written as the rebuild goes (the EPUB's
    and the text's times before the PDF is done); with ``quiet`` only a
    failed rebuild's, with ``whole`` (-v: the build's own progress lines
    come between) each line once it is complete."""

    def __init__(self, quiet: bool = False, whole: bool = False) -> None:
        self.quiet, self.whole = quiet, whole
        self.parts: list[str] = []
        self.open = False  # a line begun on the terminal and not ended

    def add(self, text: str) -> None:
        self.parts.append(text)
        if not (self.quiet or self.whole):
            click.echo(text, nl=False)
            self.open = True

    def end(self, text: str, failed: bool = False) -> None:
        line, self.parts = "".join(self.parts) + text, []
        if self.open:
            click.echo(text)
        elif failed or not self.quiet:
            click.echo(line)
        self.open = False


def rebuild(formats: list[str], run: Callable[[list[str], bool], Built],
            counter: WarningCounter, status: StatusLine) -> list[Path]:
    """Build ``formats`` (the EPUB and the text first, then the PDF, with
    the EPUB again for its page list and the records when every edition is
    built), telling what was written on the status line; return the theme
    folders.  A failed build is told on that line and the watch goes on."""
    quick = [name for name in formats if name != "pdf"]
    passes = [quick] if quick else []
    if "pdf" in formats:
        passes.append(formats)
    themes: list[Path] = []
    began = time.monotonic()
    for i, names in enumerate(passes):
        counter.count, counter.seen = 0, set()
        before = "; " if i else ""
        try:
            built = run(names, set(names) == set(WRITERS))
        except Exception as e:  # told, and the watch goes on
            status.end(before + failure(e), failed=True)
            return themes
        finally:
            # The command runs with the cyclic collector off (cli.main): a
            # build's cycles are freed here, or each rebuild adds its heap.
            gc.collect()
            give_back()
        themes = built.themes
        shown = [name for name in built.files
                 if name in built.seconds and (i == 0 or name.endswith(".pdf"))]
        timed = ", ".join(f"{name} {built.seconds[name]:.2f} s" for name in shown)
        warned = f"{counter.count} warning{'s' * (counter.count != 1)}" if counter.count else ""
        if i < len(passes) - 1:
            status.add(before + timed + (f" ({warned})" if warned else ""))
        else:
            whole = f"{time.monotonic() - began:.1f} s in all"
            status.end(f"{before}{timed} ({warned + '; ' if warned else ''}{whole})")
    return themes


def give_back() -> None:
    """Return the heap a build freed to the system (glibc keeps freed pages
    in its arenas, so a watch's size would be its largest build's, whichever
    rebuild that was).  Elsewhere, nothing to do."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    libc = ctypes.CDLL(name)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def failure(e: Exception) -> str:
    """What the status line says of a failed build: the error's one line (a
    ``PublishError``'s, or the operating system's naming the path); anything
    else is a bug, its traceback printed on stderr as the other commands do."""
    if isinstance(e, click.ClickException):
        return "error: " + " ".join(e.format_message().split())
    if isinstance(e, OSError):
        from . import os_error_message  # the command group's wording
        return "error: " + " ".join(os_error_message(e).split())
    click.echo("".join(traceback.format_exception(e)), err=True)
    return f"error: {type(e).__name__}: {' '.join(str(e).split())} (a bug: traceback on stderr)"


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM stop the watch as Ctrl-C does: as a
    KeyboardInterrupt, so the build under way removes its stage before the
    process ends.  (SIGINT too: a shell starts a background job with it
    ignored, and Python then leaves it so.)"""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt
    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def watch(manuscript: Path, out: Path, formats: list[str], counter: WarningCounter,
          run: Callable[[list[str], bool], Built], status: StatusLine) -> None:
    """Build once, then again after each burst of changes, until interrupted."""
    out = out.resolve()

    def keep(change: watchfiles.Change, path: str) -> bool:
        return not ignored(Path(path), out)

    with stopped_by_signals():
        try:
            status.add(f"{time.strftime('%H:%M:%S')} first build: ")
            themes = rebuild(formats, run, counter, status)
            while True:
                folders = watched_folders(manuscript, themes)
                if not status.quiet:
                    click.echo(f"Watching {', '.join(map(str, folders))} (Ctrl-C to stop)")
                for changes in watchfiles.watch(*folders, watch_filter=keep,
                                                debounce=1600, step=DEBOUNCE_MS):
                    if not (changes := lasting(changes)):
                        continue
                    status.add(f"{time.strftime('%H:%M:%S')} {describe(changes, folders)}: ")
                    found = rebuild(formats, run, counter, status) or themes
                    if watched_folders(manuscript, found) != folders:
                        themes = found  # another theme: watch its folder instead
                        break
        except KeyboardInterrupt:
            click.echo(("\n" if status.open else "") + "Stopped watching.")


def start(manuscript: Path, editions: tuple[str, ...], values: dict[str, object]) -> None:
    """``publish watch``: ``editions`` (default every one, with the records,
    as ``publish all``), built with the command's ``values`` as ``build``
    takes them; -q shows only failed rebuilds, -v each build's progress."""
    formats = [name for name in WRITERS if name in editions] if editions else list(WRITERS)
    counter = values["counter"]
    assert isinstance(counter, WarningCounter)
    verbose = LOGGER.isEnabledFor(logging.DEBUG)
    status = StatusLine(quiet=counter.quiet, whole=verbose)
    if not verbose:  # the status line says what was written
        counter = values["counter"] = setup_logging(0, quiet=True)

    clean = values.pop("clean", False)

    def run(names: list[str], records: bool) -> Built:
        # --clean only with the records: an EPUB and text pass (or a watch of
        # some editions) would take the last manifest's PDF for an old one.
        return build(names, [manuscript], records=records, clean=bool(clean and records),
                     **values)
    out = values["out"]
    assert isinstance(out, Path)
    watch(manuscript, out, formats, counter, run, status)
