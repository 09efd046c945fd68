"""What a release ships beside the editions: ``SHA256SUMS`` and a build manifest.

``SHA256SUMS`` is in the format ``sha256sum -c`` reads (``<hex>  <name>``,
sorted by name), so a reader checks a download with the standard tool.
The manifest (``<slug>[-<version>].manifest.json``) records what built the
editions and what came out: the versions of the package and of the libraries
that shape the bytes, each edition's size, checksum and (PDF) page count.
It holds nothing that changes between two builds of the same sources (no
clock, no path, no host), so rebuilds compare byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from . import model as m
from .errors import WriterError
from .files import atomic_write, build_time
from .inputs import InputError, check_input, read_input

CHECKSUMS = "SHA256SUMS"
MANIFEST_SUFFIX = ".manifest.json"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_name(book: m.Book, options: m.BuildOptions) -> str:
    return options.file_name(book.meta.slug, MANIFEST_SUFFIX)


def earlier_editions(directory: Path, book: m.Book, current: set[str]) -> list[Path]:
    """What earlier builds of ``book`` left in ``directory`` under other names (an
    earlier slug or version label): each manifest there that names the same
    book (its identifier) and is not one written now, with the editions it
    lists that are files of the directory.  Nothing else: no other book's
    files, nothing a manifest does not list."""
    found: list[Path] = []
    for path in sorted(directory.glob(f"*{MANIFEST_SUFFIX}")):
        if path.name in current or not path.is_file() or path.is_symlink():
            continue
        try:
            data = _manifest_data(directory, path)
        except WriterError:
            continue  # not a manifest of ours: left alone
        if not isinstance(data.get("book"), dict) or \
                data["book"].get("identifier") != book.meta.identifier:
            continue
        editions = [directory / name for name in _editions(data, path)
                    if "/" not in name and name not in current and name != CHECKSUMS]
        found += [edition for edition in editions
                  if edition.is_file() and not edition.is_symlink()] + [path]
    return found


def write_manifest(book: m.Book, editions: list[Path], out_dir: Path,
                   options: m.BuildOptions, cover: Mapping[str, object] | None = None,
                   profile: Mapping[str, object] | None = None) -> Path:
    """Write the book's build manifest next to its editions and return its path;
    ``cover``: the print cover's measures (profile, pages, spine width), when one
    was written; ``profile``: the print profile the PDF was built for and the
    options that change it (``{"profile": "press", "pdfx": "1a"}``; ``publish
    check`` reads them)."""
    built = options.built or build_time(book.manuscript or book.root, book.meta.date)
    data = {
        "book": {"slug": book.meta.slug, "title": book.meta.title,
                 "identifier": book.meta.identifier, "language": book.meta.language,
                 "version": options.version_label or None},
        "built": built.isoformat().replace("+00:00", "Z"),
        "tools": {name: _version(name) for name in ("publish", "weasyprint", "ebooklib",
                                                    "markdown", "pydyf")},
        "editions": [_edition(path) for path in sorted(editions)],
    }
    if cover:
        data["cover"] = dict(cover)
    if profile:
        data["profile"] = profile["profile"]
        if changed := {key: value for key, value in profile.items() if key != "profile"}:
            data["profile_options"] = changed
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return atomic_write(out_dir / manifest_name(book, options), text.encode("utf-8"))


def write_checksums(out_dir: Path, files: list[Path]) -> Path:
    """Write ``SHA256SUMS`` for ``files`` (all in ``out_dir``) and return its path."""
    names = sorted({path.name for path in files})
    lines = [f"{sha256(out_dir / name)}  {name}\n" for name in names]
    return atomic_write(out_dir / CHECKSUMS, "".join(lines).encode("utf-8"))


def verify_checksums(directory: Path) -> list[str]:
    """Check every line of ``directory/SHA256SUMS``; return the names checked.

    Raises WriterError naming the first file that is missing or differs.
    """
    return list(_check_digests(directory, _checksum_lines(directory)))


def _check_digests(directory: Path, lines: list[tuple[int, str, str]]) -> dict[str, str]:
    digests = {}
    for number, expected, name in lines:
        digests[name] = sha256(_listed_file(directory, name, number))
        if digests[name] != expected:
            raise WriterError(f"checksum mismatch for {name}", directory / CHECKSUMS, number)
    return digests


def _checksum_lines(directory: Path) -> list[tuple[int, str, str]]:
    """(line number, digest, name) of each line of SHA256SUMS; a name must be a
    file name in ``directory`` itself (no path, no ``..``)."""
    sums = directory / CHECKSUMS
    try:
        check_input(sums, [directory], "the checksum file", name=CHECKSUMS,
                    outside="the directory it checks")
    except InputError as e:
        raise WriterError(str(e.message)) from None
    lines = []
    for number, line in enumerate(sums.read_text(encoding="utf-8", errors="replace")
                                  .splitlines(), 1):
        found = _LINE.fullmatch(line)
        if not found:
            raise WriterError(f"not a checksum line: {line[:80]!r}", sums, number)
        expected, name = found.groups()
        if name in (".", "..") or "/" in name or "\\" in name:
            raise WriterError(f"{name[:80]!r} is not a file of this directory (verify reads "
                              "only the files beside SHA256SUMS)", sums, number)
        lines.append((number, expected, name))
    return lines


def _listed_file(directory: Path, name: str, number: int) -> Path:
    """The regular file ``name`` in ``directory`` (not a symlink leading out,
    a FIFO or a device)."""
    path = directory / name
    if not path.exists() and not path.is_symlink():
        raise WriterError(f"{name} is listed but missing", directory / CHECKSUMS, number)
    try:
        return check_input(path, [directory], "listed file", "edition", name=name,
                           outside="the directory it checks")
    except InputError as e:
        raise WriterError(str(e.message), directory / CHECKSUMS, number) from None


def verify_directory(directory: Path, suffixes: list[str]) -> tuple[int, int]:
    """Check a release directory: SHA256SUMS lists every file and each matches;
    each book's manifest lists an edition for every suffix, and each edition
    matches its manifest entry.  Returns (files, books); raises WriterError
    naming the first problem.  Sizes are compared before anything is hashed,
    so a stray large file is named at once."""
    sums = directory / CHECKSUMS
    lines = _checksum_lines(directory)
    names = {name for _, _, name in lines}
    for number, _, name in lines:
        _listed_file(directory, name, number)
    stray = sorted(p.name for p in directory.iterdir()
                   if p.is_file() and p.name != CHECKSUMS and p.name not in names)
    stale = [name for name in stray if name.endswith((*suffixes, MANIFEST_SUFFIX))]
    if stale:
        raise WriterError(f"{', '.join(stale[:6])}{' …' if len(stale) > 6 else ''}: left from "
                          "an earlier build (not in SHA256SUMS; `publish all --clean` removes "
                          "a book's editions of earlier names)", directory)
    if stray:
        raise WriterError(f"{stray[0]} is not listed", sums)
    manifests = sorted(directory.glob(f"*{MANIFEST_SUFFIX}"))
    if not manifests:
        raise WriterError("no build manifest (*.manifest.json)", directory)
    described: dict[str, dict[str, object]] = {}
    for path in manifests:
        editions = _read_manifest(directory, path)
        for suffix in suffixes:
            if not any(name.endswith(suffix) for name in editions):
                raise WriterError(f"no {suffix} edition", path)
        for name, entry in sorted(editions.items()):
            edition = directory / name
            if name not in names or not edition.is_file():
                raise WriterError(f"the edition {name} is missing", path)
            if entry.get("bytes") != edition.stat().st_size:
                raise WriterError(f"checksum mismatch for {name}: it is not the file this "
                                  f"manifest describes ({edition.stat().st_size} bytes, "
                                  f"not {entry.get('bytes')})", path)
            described[name] = entry
    unknown = sorted(names - set(described) - {path.name for path in manifests})
    if unknown:  # named before anything is hashed: it could be of any size
        raise WriterError(f"{unknown[0]} is listed but no manifest describes it", sums)
    digests = _check_digests(directory, lines)
    for name, entry in sorted(described.items()):
        if entry.get("sha256") != digests[name]:
            raise WriterError(f"{name} is not the file this manifest describes")
    return len(names), len(manifests)


def _read_manifest(directory: Path, path: Path) -> dict[str, dict[str, object]]:
    """A manifest's editions by file name; a file that is not one (too large,
    not JSON, nested without end, entries of the wrong types) is named."""
    return _editions(_manifest_data(directory, path), path)


def _manifest_data(directory: Path, path: Path) -> dict[str, object]:
    """A manifest's JSON, read through the input gate."""
    try:
        data = read_input(path, [directory], "manifest", "manifest", name=path.name,
                          outside="the directory it checks")
    except InputError as e:
        raise WriterError(str(e.message)) from None
    try:
        loaded = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise WriterError("not a build manifest: nested too deeply", path) from None
    except ValueError as e:
        raise WriterError(f"not a build manifest: {e}"[:200], path) from None
    if not isinstance(loaded, dict):
        raise WriterError("not a build manifest: not a JSON object", path)
    return loaded


def _editions(data: dict[str, object], path: Path) -> dict[str, dict[str, object]]:
    """A manifest's editions by file name, each checked for its fields."""
    entries = data.get("editions")
    if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and isinstance(entry.get("file"), str)
            and isinstance(entry.get("bytes"), int) and isinstance(entry.get("sha256"), str)
            for entry in entries):
        raise WriterError("not a build manifest: each edition needs a file name, a size and "
                          "a checksum", path)
    return {entry["file"]: entry for entry in entries}


def _edition(path: Path) -> dict[str, object]:
    entry: dict[str, object] = {"file": path.name, "bytes": path.stat().st_size,
                                "sha256": sha256(path)}
    if path.suffix == ".pdf":
        entry["pages"] = _pdf_pages(path)
    return entry


def pdf_pages(path: Path) -> int:
    """The number of pages of the PDF at ``path``."""
    return _pdf_pages(path)


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
