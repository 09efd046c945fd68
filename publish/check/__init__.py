"""Preflight of what a build wrote (``publish check``): the PDF, EPUB and TXT
editions read back and held against a print profile (``publish.profiles``)
and against each other, as a printer's preflight or a reader would.

Not a writer: it reads outputs only.  Each rule is a small function in
``pdf``, ``epub`` or ``across``; ``RULES`` is the one table of them.  A rule
yields ``(severity, where, message)``; ``run`` adds the edition and the
rule's name and returns ``Finding``s for the command line to print.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import model as m
from ..profiles import PROFILES, Profile, resolved
from ..variants import TARGETS, conversion, variant_book
from . import across, epub, pdf

SUFFIXES = (".pdf", ".epub", ".txt")
MANIFEST_SUFFIX = ".manifest.json"
SEVERITIES = ("error", "warning", "info")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Finding:
    severity: str   # error | warning | info
    edition: str    # a file name, or the book's slug for a finding across editions
    where: str      # "page 3", a file inside an EPUB, or ""
    rule: str
    message: str


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str       # "pdf", "epub" or "across"
    check: Callable[..., Iterable[tuple[str, str, str]]]
    what: str


#: The stem's end of a book's print cover (``publish cover``: slug-cover.pdf).
COVER = "-cover"
#: The rules a cover is not held to: one page, whatever the book's count.
NOT_FOR_COVERS = frozenset({"page-count"})

#: Every check, in the order they run and print.
RULES = (
    Rule("fonts-embedded", "pdf", pdf.fonts_embedded,
         "every font embedded (FontFile, FontFile2 or FontFile3); whole when the profile "
         "asks full_fonts; no Type 3 font (warning)"),
    Rule("page-boxes", "pdf", pdf.page_boxes,
         "TrimBox and BleedBox on every page; MediaBox ⊇ BleedBox ⊇ TrimBox; the bleed "
         "the profile asks, to 0.1 mm"),
    Rule("pdfx-identification", "pdf", pdf.pdfx_identification,
         "/GTS_PDFXVersion and a /GTS_PDFX output intent with a DestOutputProfile, when the "
         "profile is PDF/X"),
    Rule("pdfx1a-colour", "pdf", pdf.x1a_colour,
         "PDF/X-1a: no RGB (or other non-CMYK) image, colour space or colour operator"),
    Rule("pdfx1a-transparency", "pdf", pdf.x1a_transparency,
         "PDF/X-1a: no soft mask, transparency group, blend mode or alpha below 1"),
    Rule("image-resolution", "pdf", pdf.image_resolution,
         "each image's effective resolution at its placed size: below image_dpi a warning, "
         "below image_dpi_least an error"),
    Rule("page-count", "pdf", pdf.page_count,
         "a multiple of the profile's signature, within its page range"),
    Rule("file-size", "pdf", pdf.file_size, "at most the profile's max_file_mb (10⁶ bytes)"),
    Rule("epubcheck", "epub", epub.epubcheck, "EPUBCheck's errors and warnings (needs Java)"),
    Rule("epub-cover", "epub", epub.cover, "a cover image in the package"),
    Rule("epub-language", "epub", epub.language, "dc:language set"),
    Rule("epub-alt", "epub", epub.alt_text,
         "every <img> with alt (empty alt, for decoration only, a warning)"),
    Rule("chapter-titles", "across", across.chapter_titles,
         "the same chapter titles in the same order: PDF outline, EPUB nav, TXT headings"),
    Rule("han-characters", "across", across.han_characters,
         "every Han character of the manuscript in each edition"),
)


@dataclass(frozen=True)
class Book:
    """The editions of one book found in the paths, with its manifest's data."""

    slug: str
    editions: tuple[Path, ...]
    manifest: dict


def run(paths: list[Path], profile_name: str | None = None,
        manuscript: m.Book | None = None) -> list[Finding]:
    """Check every edition under ``paths`` (folders or files).  The profile:
    ``profile_name``, else each book's manifest's, else ``print``.
    ``manuscript``: the book the editions were built from, whose Han
    characters (converted, for an edition in another script) each must hold
    (None: not known, that check is skipped)."""
    findings: list[Finding] = []
    for book in books(paths):
        han = None if manuscript is None else han_characters(
            _in_script(manuscript, variant_of(book.slug)))
        if profile_name:
            chosen = PROFILES[profile_name]
        else:  # as the build's options made it (--pdfx, --bleed)
            given = book.manifest.get("profile_options") or {}
            chosen = resolved(book.manifest.get("profile") or "print",
                              *(str(given.get(key) or "") for key in ("pdfx", "bleed", "paper")))
        findings += _check_book(book, chosen, han)
    return merged(findings)


def merged(findings: list[Finding]) -> list[Finding]:
    """One finding for the same message on several pages: ``pages 3, 5, 7``."""
    pages: dict[tuple, list[str]] = {}
    for f in findings:
        where = pages.setdefault((f.severity, f.edition, f.rule, f.message), [])
        if f.where not in where:
            where.append(f.where)
    out = []
    for (severity, edition, rule, message), where in pages.items():
        if len(where) > 1 and all(w.startswith("page ") for w in where):
            shown = [w[len("page "):] for w in where]
            text = "pages " + ", ".join(shown[:12]) + (" …" if len(shown) > 12 else "")
            out.append(Finding(severity, edition, text, rule, message))
        else:
            out += [Finding(severity, edition, w, rule, message) for w in where]
    return out


def _check_book(book: Book, chosen: Profile, han: frozenset[str] | None) -> list[Finding]:
    found: list[Finding] = []
    for path in book.editions:
        kind = path.suffix[1:]
        # The cover is held to the PDF rules but the page count, with its own bleed.
        cover = path.stem.endswith(COVER)
        against = dataclasses.replace(chosen, bleed=chosen.cover_bleed) if cover else chosen
        opened = pdf.open_pdf(path) if kind == "pdf" else path
        try:
            for rule in RULES:
                if rule.kind == kind and not (cover and rule.name in NOT_FOR_COVERS):
                    found += _findings(rule, path.name, rule.check(opened, against))
        finally:
            if kind == "pdf":
                opened.close()
    editions = tuple(path for path in book.editions if not path.stem.endswith(COVER))
    for rule in RULES:
        if rule.kind == "across":
            found += _findings(rule, book.slug, rule.check(editions, han))
    return found


def _findings(rule: Rule, edition: str, results: Iterable[tuple[str, str, str]]
              ) -> Iterator[Finding]:
    for severity, where, message in results:
        yield Finding(severity, edition, where, rule.name, message)


def variant_of(stem: str) -> str:
    """The variant an edition's file stem names (``slug.zh-Hant-TW``), "" for none."""
    return next((tag for tag in TARGETS if stem.endswith(f".{tag}")), "")


def _in_script(book: m.Book, tag: str) -> m.Book:
    """``book`` as its variant ``tag`` is written (the book itself for "")."""
    if not tag or conversion(book.meta.language, tag) is None:
        return book
    settings = {v.language: v for v in book.meta.variants}
    return variant_book(book, settings.get(tag) or m.Variant(tag))


def books(paths: list[Path]) -> list[Book]:
    """The editions under ``paths``, one ``Book`` per file stem (``slug.pdf``,
    ``slug.epub``, ``slug.txt`` and ``slug.manifest.json`` are one book)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file())
        else:
            files.append(path)
    stems: dict[str, list[Path]] = {}
    manifests: dict[str, dict] = {}
    for path in files:
        if path.name.endswith(MANIFEST_SUFFIX):
            manifests[path.name[: -len(MANIFEST_SUFFIX)]] = _manifest(path)
        elif path.suffix in SUFFIXES:
            stems.setdefault(path.stem, []).append(path)
    # A book's print cover (slug-cover.pdf, publish cover) goes with its book.
    for stem in [stem for stem in stems if stem.endswith(COVER) and stem[:-len(COVER)] in stems]:
        stems[stem[:-len(COVER)]] += stems.pop(stem)
    # A variant's editions (slug.zh-Hant-TW.pdf) were built with the book's,
    # whose manifest lists them and names the profile.
    return [Book(stem, tuple(editions), manifests.get(stem) or manifests.get(
                 stem.removesuffix(f".{variant_of(stem)}"), {}))
            for stem, editions in sorted(stems.items())]


def _manifest(path: Path) -> dict:
    """A build manifest's JSON ({} when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def failed(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def han_characters(book: m.Book) -> frozenset[str]:
    """The Han characters of a book's text: its title, chapter and section
    titles, paragraphs and notes (what every edition sets as text)."""
    texts = [book.meta.title]
    chapters = [book.front] if book.front else []
    for item in book.body:
        if isinstance(item, m.Part):
            texts.append(m.plain_text(item.title))
            texts.append(m.blocks_text(item.blocks))
            chapters += item.chapters
        else:
            chapters.append(item)
    for chapter in chapters:
        texts.append(m.plain_text(chapter.title))
        texts.append(m.blocks_text(tuple(m.container_blocks(chapter))))
        texts += [m.plain_text(s.title) for s in m.walk_sections(chapter.sections)]
        texts += [m.blocks_text(note.blocks) for note in chapter.notes]
    # An image's alt text is in the model's text but set in no edition's
    # text (an attribute, a /Alt): its characters count only as often as
    # the text has them besides.
    found = Counter(HAN.findall("".join(texts))) - Counter(HAN.findall("".join(_alts(book))))
    return frozenset(found)


def _alts(node: object) -> Iterator[str]:
    """The alt text of every image and figure under ``node`` (a model value)."""
    if isinstance(node, (m.Image, m.Figure)):
        yield node.alt
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for field in dataclasses.fields(node):
            yield from _alts(getattr(node, field.name))
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _alts(item)
