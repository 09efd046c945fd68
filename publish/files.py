"""Output files: written atomically, stamped with a reproducible build time.

A failed or interrupted build never leaves a half-written edition and never
destroys the previous one (``atomic_write``); a build of several editions
puts them in place together or not at all (``staged``); what a killed build
left is removed by the next (``remove_stale_temps``).  ``build_time`` is the
one clock every edition uses.  Imports nothing from the package.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BuildTimeError

TEMP_PREFIX = ".publish-tmp-"


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``.

    The temporary file's name holds the writer's process id, so a later
    build can remove what a killed one left (``remove_stale_temps``) without
    touching the file of a build still running beside it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=path.suffix,
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def staged(out: Path, last: tuple[str, ...] = ()) -> Iterator[Path]:
    """A directory in ``out`` where a build writes all its files: when the build
    succeeds they are renamed into ``out`` (each atomically, the files named in
    ``last`` last), when it fails they are removed and ``out`` is as it was, so
    a build that stops half-way (the PDF's glyph check, a strict-mode warning)
    leaves no mix of new and old.  Before the first file is moved, every target
    is checked (nothing but a file in the way), so a move cannot fail half-way
    for a reason known beforehand."""
    created = not out.exists()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(out))
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out)
    stage = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=out))
    try:
        yield stage
        # A folder in the stage (the cache, ``.publish-cache``) has its files
        # moved into the folder of that name in ``out``.
        files = sorted((p for p in stage.iterdir() if not p.is_dir()),
                       key=lambda p: (p.name in last, p.name))
        folders = [p for p in stage.iterdir() if p.is_dir()]
        for path in files:  # every move checked before the first is made
            _check_target(out / path.name)
        for folder in sorted(folders):
            (out / folder.name).mkdir(exist_ok=True)
            for path in sorted(folder.iterdir()):
                os.replace(path, out / folder.name / path.name)
            folder.rmdir()
        for path in files:
            os.replace(path, out / path.name)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:  # nothing but this build's (its cache, say) is in it
            shutil.rmtree(out, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def _check_target(target: Path) -> None:
    if target.is_symlink() or not target.exists():
        return
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a directory stands where the edition goes",
                                str(target))
    if not target.is_file():
        raise OSError(errno.EEXIST, "something that is not a file stands where the edition "
                      "goes", str(target))


def remove_stale_temps(directory: Path) -> list[Path]:
    """Remove the temporary files and build directories of writers that no
    longer run; return them."""
    removed = []
    for tmp in directory.glob(f"{TEMP_PREFIX}*"):
        pid = tmp.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdecimal() and pid.isascii() and not _running(int(pid)):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def build_time(manuscript: Path | None = None, date: str = "") -> dt.datetime:
    """The build's time (UTC, whole seconds), from the sources, never the clock,
    so that two builds of the same sources are byte for byte the same:
    ``SOURCE_DATE_EPOCH`` when set, else the time of the last commit that
    touched the manuscript (a directory, or one .md file), else the book's
    ``date`` (book.toml, YYYY-MM-DD), else the newest manuscript file's
    modification time (of that one file, for a one-file manuscript: not of
    whatever else lies beside it)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdecimal() and epoch.isascii():
        if not EARLIEST <= int(epoch) <= LATEST:
            raise BuildTimeError(f"SOURCE_DATE_EPOCH={epoch[:20]} is not a time from 1980 to "
                                 "2107 (what the EPUB's ZIP archive can record)")
        return _utc(int(epoch))
    if manuscript is not None and (committed := _last_commit_time(Path(manuscript).resolve())):
        return _utc(min(max(committed, EARLIEST), LATEST))
    try:
        day = dt.date.fromisoformat(date.strip()[:10])
        when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
        if EARLIEST <= when.timestamp() <= LATEST:  # a classic's date of 1813 is no build time
            return when
    except ValueError:
        pass
    if manuscript is not None and Path(manuscript).is_file():
        return _utc(min(max(int(Path(manuscript).stat().st_mtime), EARLIEST), LATEST))
    if manuscript is not None and Path(manuscript).is_dir():
        times = [p.stat().st_mtime for p in Path(manuscript).iterdir()
                 if p.is_file() and p.suffix in (".md", ".markdown", ".txt", ".toml")]
        if times:
            return _utc(min(max(int(max(times)), EARLIEST), LATEST))
    return _utc(0)


#: The build times an edition can record: a ZIP archive's entries (the EPUB)
#: hold years 1980 to 2107.
EARLIEST = 315532800    # 1980-01-01
LATEST = 4354819199     # 2107-12-31 23:59:59



def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


def _last_commit_time(path: Path) -> int | None:
    """Commit time of the last commit touching ``path``, a directory or a file
    (None outside a git work tree)."""
    if shutil.which("git") is None or not path.exists():
        return None
    folder, which = (path, ".") if path.is_dir() else (path.parent, path.name)
    found = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%ct", "--", which],
                           capture_output=True, text=True, check=False)
    stamp = found.stdout.strip()
    return int(stamp) if found.returncode == 0 and stamp.isdecimal() else None
