"""The rules of ``publish check`` across the editions of one book: the same
chapter titles in the same order, and every Han character of the manuscript
in each edition.

Each rule takes the book's edition paths and the manuscript's Han characters
(None: not known), and yields ``(severity, where, message)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .epub import XHTML, documents, package

_SPACE = re.compile(r"\s+")
#: The TXT edition underlines a part's or chapter's title with a line of ＝
#: (Chinese) or = (other languages), a section's with － or - (writers/txt.py).
_CHAPTER_RULE = re.compile(r"(＝{2,}|={2,})")
_EPUB_OPS = "{http://www.idpf.org/2007/ops}"


def _key(title: str) -> str:
    """A title compared without its spacing (the TXT spaces Han from Latin)."""
    return _SPACE.sub("", title)


def pdf_titles(path: Path) -> list[str]:
    """The PDF outline's titles, depth first."""
    from pypdf import PdfReader

    def flat(items: list) -> Iterator[str]:
        for item in items:
            if isinstance(item, list):
                yield from flat(item)
            else:
                yield str(item.title)
    return list(flat(PdfReader(path).outline))


def epub_titles(path: Path) -> list[str]:
    """The EPUB nav's entries that open a document (a part or chapter): a
    link with a #fragment is a section."""
    for _, root in documents(path):
        for nav in root.iter(f"{XHTML}nav"):
            if nav.get(f"{_EPUB_OPS}type") == "toc":
                return ["".join(a.itertext()).strip() for a in nav.iter(f"{XHTML}a")
                        if "#" not in a.get("href", "")]
    return []


def txt_titles(path: Path) -> list[str]:
    """The TXT's part and chapter headings: the lines above a ＝ rule, back to
    the blank line before them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    titles = []
    for i, line in enumerate(lines):
        if i and _CHAPTER_RULE.fullmatch(line.strip()) and lines[i - 1].strip():
            start = i - 1
            while start and lines[start - 1].strip():
                start -= 1
            titles.append("".join(part.strip() for part in lines[start:i]))
    return titles


def chapter_titles(editions: tuple[Path, ...], han: frozenset[str] | None
                   ) -> Iterator[tuple[str, str, str]]:
    """The EPUB's (else the TXT's) chapters are the reference; the TXT's must
    be the same list, the PDF outline must hold them in order (it holds the
    contents page and sections besides)."""
    by_kind = {path.suffix: path for path in editions}
    if len(by_kind) < 2:
        return
    reference_path = by_kind.get(".epub") or by_kind[".txt"]
    reference = (epub_titles if reference_path.suffix == ".epub" else txt_titles)(reference_path)
    if ".txt" in by_kind and reference_path.suffix != ".txt":
        yield from _same(reference, txt_titles(by_kind[".txt"]), by_kind[".txt"].name,
                         reference_path.name)
    if ".pdf" in by_kind:
        yield from _in_order(reference, pdf_titles(by_kind[".pdf"]), by_kind[".pdf"].name,
                             reference_path.name)


def _same(reference: list[str], got: list[str], name: str, against: str
          ) -> Iterator[tuple[str, str, str]]:
    keys = [_key(t) for t in got]
    missing = [t for t in reference if _key(t) not in keys]
    extra = [t for t in got if _key(t) not in {_key(r) for r in reference}]
    for title in missing:
        yield "error", name, f"chapter “{title}” of {against} is missing"
    for title in extra:
        yield "error", name, f"chapter “{title}” is not in {against}"
    if not missing and not extra and keys != [_key(t) for t in reference]:
        yield "error", name, f"the chapters are in another order than in {against}"


def _in_order(reference: list[str], outline: list[str], name: str, against: str
              ) -> Iterator[tuple[str, str, str]]:
    keys = [_key(t) for t in outline]
    at = 0
    for title in reference:
        if _key(title) not in keys:
            yield "error", name, f"chapter “{title}” of {against} is not in the outline"
            continue
        found = keys.index(_key(title), at) if _key(title) in keys[at:] else -1
        if found < 0:
            yield "error", name, f"chapter “{title}” is out of order in the outline"
            continue
        at = found + 1


def edition_text(path: Path) -> str:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".epub":
        name, opf = package(path)
        texts = ["".join(opf.itertext())]
        texts += ["".join(root.itertext()) for _, root in documents(path)]
        return "".join(texts)
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(path).pages)


def han_characters(editions: tuple[Path, ...], han: frozenset[str] | None
                   ) -> Iterator[tuple[str, str, str]]:
    if han is None:
        yield "info", "", "Han characters not compared: no manuscript given (--manuscript)"
        return
    if not han:
        return
    for path in editions:
        missing = sorted(han - set(edition_text(path)))
        if missing:
            shown = "".join(missing[:20]) + (" …" if len(missing) > 20 else "")
            yield "error", path.name, (f"{len(missing)} Han character(s) of the manuscript "
                                       f"not in the text: {shown}")

