"""The build cache of the print edition: each unit's PDF, kept between builds.

A unit (a part's page, a chapter) laid out on its own (``parallel``) is kept
in ``<out>/.publish-cache/units/<edition>/`` under a key: the digest of its
XHTML, the anchors it links to elsewhere, the files it draws, and the
build's settings (the style sheets' text, the options, the fonts installed,
publish's code and WeasyPrint's version).  Its page count does not depend on where it falls
in the book, so a kept unit tells the pages before the next one without
being laid out; its folios do, so it is used as it is only where it falls at
the same page as when it was kept, and otherwise given new folios
(``refolio``) or, when its folios print what its pages give, laid out again.

An entry is a PDF and a JSON file saying what the layout told and the PDF's
SHA-256.  An entry that does not read, names another key, or whose PDF is
not the one it names is ignored with a warning and laid out again; the
folder is safe to delete.  After a build, the entries it did not use are
removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

from ...log import LOGGER
from .parallel import Laid

VERSION = 1


def code_fingerprint() -> str:
    """publish's own code, as the digest of its Python files (a version number
    stays the same while the code changes)."""
    package = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def font_fingerprint() -> str:
    """The fonts Fontconfig offers, as files with their sizes and times."""
    if shutil.which("fc-list") is None:
        return ""
    listed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True,
                            text=True, check=False).stdout.split()
    found = []
    for name in sorted(set(listed)):
        try:
            stat = os.stat(name)
        except OSError:
            continue
        found.append(f"{name}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(found).encode()).hexdigest()


class UnitCache:
    """The kept units of one edition, in ``folder``, for builds with
    ``settings`` (a digest of everything but the units' own XHTML)."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings
        self.used: set[str] = set()

    def key(self, source: str, foreign: frozenset[str], root: Path) -> str:
        """The key of a unit of XHTML ``source`` linking to ``foreign``
        anchors, its images read from ``root``."""
        digest = hashlib.sha256(f"{VERSION}\n{self.settings}\n".encode())
        digest.update("\n".join(sorted(foreign)).encode() + b"\n")
        digest.update(_files(source, root).encode())
        digest.update(source.encode())
        return digest.hexdigest()[:40]

    def get(self, key: str, index: int) -> Laid | None:
        """The kept unit of ``key`` as unit ``index`` (None: none, or not to be trusted)."""
        self.used.add(key)
        meta, pdf = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if not meta.exists():
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("key") != key:
                raise ValueError("it was written for another unit or version")
            if hashlib.sha256(pdf.read_bytes()).hexdigest() != data["sha256"]:
                raise ValueError("its PDF is not the one it names")
            return Laid(index, pdf, int(data["pages"]), dict(data["anchors"]),
                        tuple(data["levels"]), dict(data["told"]), int(data["offset"]))
        except (OSError, ValueError, KeyError, TypeError) as e:
            LOGGER.warning("%s: a cache entry not used (%s); the chapter is laid out again",
                           meta, e)
            return None

    def put(self, key: str, laid: Laid) -> Laid:
        """Keep ``laid`` under ``key``; the unit as kept."""
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf = self.folder / f"{key}.pdf"
        data = laid.path.read_bytes()
        _atomic(pdf, data)
        meta = {"version": VERSION, "key": key, "pages": laid.pages, "anchors": laid.anchors,
                "levels": list(laid.levels), "told": laid.told, "offset": laid.offset,
                "sha256": hashlib.sha256(data).hexdigest()}
        _atomic(self.folder / f"{key}.json",
                json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())
        return Laid(laid.index, pdf, laid.pages, laid.anchors, laid.levels, laid.told,
                    laid.offset)

    def prune(self) -> None:
        """Remove the entries this build did not use."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)


def _files(source: str, root: Path) -> str:
    """The files a unit's XHTML draws (``src``), as their sizes and times."""
    found = []
    for src in sorted(set(re.findall(r'\ssrc="([^"#:]+)"', source))):
        try:
            stat = (root / unquote(src)).stat()
        except OSError:
            continue
        found.append(f"{src}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return "\n".join(found) + "\n"


def _atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
