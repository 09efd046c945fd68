"""The one gate for every file a build reads.

A build reads chapter files, ``book.toml``, images (and what an SVG image
refers to), the cover, the theme's CSS and what that CSS imports or names.
Each goes through ``check_input`` (or ``read_input``): its real path, after
every symlink, must lie inside one of the roots the caller allows (the
manuscript tree, the chosen theme folder); it must be a regular file — no
directory, FIFO or device, which would hang or never end — and no larger
than the limit for its kind.  Anything else is one error naming the file
and the rule.  Imports nothing from the package but ``errors``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError

MB = 1 << 20
#: Largest file of each kind a build reads.  A million-character novel is
#: about 3 MB of UTF-8; a print-resolution photograph a few tens of MB.
LIMITS = {
    "text": 256 * MB,      # a chapter file, book.toml
    "image": 64 * MB,      # an image, the cover, an image an SVG refers to
    "style": 8 * MB,       # a theme's CSS and what it imports
    "font": 64 * MB,       # a font a theme names
    "edition": 1 << 40,    # an edition `publish verify` checks: no limit but the disk
    "manifest": 8 * MB,    # a build manifest (a few kB)
}



def check_input(path: Path, roots: Sequence[Path], what: str, kind: str = "text", *,
                name: str | None = None, where: Path | None = None,
                line: int | None = None, outside: str = "the manuscript directory") -> Path:
    """The real path of ``path`` after checking it may be read; raises
    ``InputError`` naming ``what`` and ``name`` (default: the path) at
    ``where:line`` (default: the file itself).

    ``check_input(Path("m/ch2.md"), [Path("m")], "chapter file")``
    """
    shown = repr(name if name is not None else str(path))
    at = where if where is not None else path
    if "\0" in str(path):
        raise InputError(f"{what} {shown} has a NUL character in its name", at, line)
    real = Path(os.path.realpath(path))
    if not any(real.is_relative_to(Path(os.path.realpath(root))) for root in roots):
        raise InputError(f"{what} {shown} lies outside {outside}"
                         + (f" (it leads to {real})" if path.is_symlink() else ""), at, line)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise InputError(f"{what} {shown} does not exist", at, line) from None
    except OSError as e:
        raise InputError(f"{what} {shown} cannot be read: {e.strerror}", at, line) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{what} {shown} is a directory, not a file", at, line)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} {shown} is not a regular file (a FIFO, socket or device "
                         "would never end)", at, line)
    limit = LIMITS[kind]
    if info.st_size > limit:
        raise InputError(f"{what} {shown} is {info.st_size / MB:.0f} MB, more than the "
                         f"{limit // MB} MB a {kind} file of a book may have", at, line)
    return real


def read_input(path: Path, roots: Sequence[Path], what: str, kind: str = "text", **where
               ) -> bytes:
    """The bytes of ``path`` after ``check_input``; never more than the limit,
    even if the file grows while it is read."""
    real = check_input(path, roots, what, kind, **where)
    limit = LIMITS[kind]
    try:
        with open(real, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        shown = repr(where.get("name") or str(path))
        raise InputError(f"{what} {shown} cannot be read: {e.strerror}",
                         where.get("where") or path, where.get("line")) from None
    if len(data) > limit:
        raise InputError(f"{what} {path.name!r} grew past {limit // MB} MB while it was read",
                         where.get("where") or path, where.get("line"))
    return data
