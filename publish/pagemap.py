"""The page map on disk: where the print edition's pages start, for the EPUB.

The PDF writer leaves its page map (``model.PageMap``) beside the PDF in the
build's cache folder, ``<out>/.publish-cache/<pdf file name>.pages.json``
(safe to delete; git-ignored); the build reads it back (``read_page_map``)
and hands it to the EPUB writer of the same run, which never imports the
PDF writer.  A file that is not a page map reads as none.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import model as m
from .files import atomic_write

#: The folder of a build's cache files, in the output folder.
CACHE = ".publish-cache"
SUFFIX = ".pages.json"
VERSION = 1


def cache_file(out_dir: Path, edition: str) -> Path:
    """Where the page map of the PDF named ``edition`` is kept."""
    return out_dir / CACHE / f"{edition}{SUFFIX}"


def write_page_map(out_dir: Path, pages: m.PageMap) -> Path:
    """Write ``pages`` into the cache folder of ``out_dir``; return its path."""
    data = {"version": VERSION, "edition": pages.edition, "source": pages.source,
            "pages": [[p.label, p.address, p.offset] for p in pages.pages]}
    path = cache_file(out_dir, pages.edition)
    return atomic_write(path, json.dumps(data, ensure_ascii=False, indent=0).encode())


def read_page_map(out_dir: Path, edition: str) -> m.PageMap | None:
    """The page map the PDF ``edition`` left in ``out_dir`` (None: none, or not one)."""
    try:
        data = json.loads(cache_file(out_dir, edition).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION \
            or data.get("edition") != edition or not isinstance(data.get("source"), str) \
            or not isinstance(data.get("pages"), list):
        return None
    pages = []
    for entry in data["pages"]:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and entry[0] and isinstance(entry[1], str)
                and isinstance(entry[2], int) and entry[2] >= 0):
            return None
        pages.append(m.PageStart(*entry))
    if len({p.label for p in pages}) < len(pages):
        return None  # a folio twice: the markers' ids would clash
    return m.PageMap(edition, data["source"], tuple(pages))
