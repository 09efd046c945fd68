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
import gc
import re
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click
import watchfiles

from ..files import TEMP_PREFIX
from ..writers import WRITERS
from .building import Built
from .console import WarningCounter

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


def rebuild(formats: list[str], run: Callable[[list[str], bool], Built],
            counter: WarningCounter, say: Callable[[str, bool], None]) -> list[Path]:
    """Build ``formats`` (the EPUB and the text first, then the PDF, with
    the EPUB again for its page list and the records when every edition is
    built), telling what was written on one line; return the theme folders.
    A build error is told on that line and the watch goes on."""
    quick = [name for name in formats if name != "pdf"]
    passes = [quick] if quick else []
    if "pdf" in formats:
        passes.append(formats)
    themes: list[Path] = []
    began = time.monotonic()
    for i, names in enumerate(passes):
        counter.count, counter.seen = 0, set()
        try:
            built = run(names, set(names) == set(WRITERS))
        except click.ClickException as e:
            say(f"{'; ' if i else ''}error: {_one_line(e.format_message())}", True)
            return themes
        except OSError as e:
            from . import os_error_message  # the command group's wording
            say(f"{'; ' if i else ''}error: {_one_line(os_error_message(e))}", True)
            return themes
        finally:
            # The command runs with the cyclic collector off (cli.main): a
            # build's cycles are freed here, or each rebuild adds its heap.
            gc.collect()
        themes = built.themes
        shown = [name for name in built.files
                 if name in built.seconds and (i == 0 or name.endswith(".pdf"))]
        timed = ", ".join(f"{name} {built.seconds[name]:.2f} s" for name in shown)
        warned = f" ({counter.count} warning{'s' * (counter.count != 1)})" if counter.count else ""
        done = f" ({time.monotonic() - began:.1f} s in all)" if i == len(passes) - 1 else ""
        say(("; " if i else "") + timed + warned + done, i == len(passes) - 1)
    return themes


def _one_line(message: str) -> str:
    return " ".join(message.split())


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
          run: Callable[[list[str], bool], Built]) -> None:
    """Build once, then again after each burst of changes, until interrupted."""
    out = out.resolve()

    midline = [False]

    def say(text: str, last: bool) -> None:
        click.echo(text, nl=last)
        midline[0] = not last

    def keep(change: watchfiles.Change, path: str) -> bool:
        return not ignored(Path(path), out)

    with stopped_by_signals():
        try:
            say(f"{time.strftime('%H:%M:%S')} first build: ", False)
            themes = rebuild(formats, run, counter, say)
            while True:
                folders = watched_folders(manuscript, themes)
                say(f"Watching {', '.join(map(str, folders))} (Ctrl-C to stop)", True)
                for changes in watchfiles.watch(*folders, watch_filter=keep,
                                                debounce=1600, step=DEBOUNCE_MS):
                    if not (changes := lasting(changes)):
                        continue
                    say(f"{time.strftime('%H:%M:%S')} {describe(changes, folders)}: ", False)
                    found = rebuild(formats, run, counter, say) or themes
                    if watched_folders(manuscript, found) != folders:
                        themes = found  # another theme: watch its folder instead
                        break
        except KeyboardInterrupt:
            click.echo(("\n" if midline[0] else "") + "Stopped watching.")
