"""The EPUB's page list from the print edition (EPUB 3.3 §7.4.3 page-list nav,
DPUB-ARIA doc-pagebreak, EPUB Accessibility 1.1 printPageNumbers), checked
as a reader with both editions would: the folio the EPUB gives where a
chapter opens is the PDF's page label of that chapter's heading; the page
list names every page of the PDF, in order; a page that starts inside a
paragraph starts, in the EPUB, with the words the PDF page begins with."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publish.cli import cli
from tests.conftest import write_manuscript
from tests.epub_validation import check as epubcheck

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r'<span id="([^"]+)" epub:type="pagebreak" role="doc-pagebreak" '
                    r'aria-label="([^"]+)"></span>')
HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, [*args, *(("-q",) if args[0] != "verify" else ())])
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.fixture(scope="module")
def default_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("all")
    _run("all", str(ROOT / "manuscript"), "-o", str(out))
    return out


def _files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as z:
        return {Path(name).name: z.read(name).decode() for name in z.namelist()
                if name.endswith((".xhtml", ".opf"))}


def _one(folder: Path, suffix: str) -> Path:
    (path,) = [p for p in folder.iterdir() if p.name.endswith(suffix)]
    return path


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _page_list(nav: str) -> list[tuple[str, str]]:
    block = re.search(r'<nav epub:type="page-list"[^>]*hidden[^>]*>(.*?)</nav>', nav, re.S)
    assert block, "no page-list nav"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', block[1])


def _openings(epub: Path, pdf: Path) -> list[tuple[str, str, str]]:
    """(document, the folio of the marker before its chapter's heading, the
    PDF's page label of the page that heading is on) for every chapter."""
    files = _files(epub)
    reader = PdfReader(pdf)
    labels = reader.page_labels
    outline = {re.sub(r"\s+", "", item.title): reader.get_destination_page_number(item)
               for item in reader.outline if not isinstance(item, list)}
    out = []
    for name, html in files.items():
        heading = re.search(r'((?:<span [^>]*epub:type="pagebreak"[^>]*></span>)*)'
                            r'<h1 id="[^"]+" class="chapter-title"[^>]*>(.*?)</h1>', html)
        if not name.startswith("ch") or heading is None:
            continue
        markers = MARKER.findall(heading[1])
        assert markers, f"{name}: no page-break marker before the chapter's heading"
        title = re.sub(r"\s+", "", _plain(heading[2]))
        assert title in outline, (title, list(outline))
        out.append((name, markers[-1][1], labels[outline[title]]))
    return out


def test_every_chapter_opening_has_the_folio_of_its_page_in_the_pdf(default_book: Path):
    openings = _openings(_one(default_book, ".epub"), _one(default_book, ".pdf"))
    assert len(openings) >= 5
    assert [epub for _, epub, _ in openings] == [pdf for _, _, pdf in openings], openings


def test_the_page_list_names_every_page_of_the_pdf_in_order(default_book: Path):
    files = _files(_one(default_book, ".epub"))
    entries = _page_list(files["nav.xhtml"])
    assert [label for _, label in entries] == PdfReader(_one(default_book, ".pdf")).page_labels
    for href, label in entries:
        name, anchor = href.split("#")
        marker = re.search(f'<span id="{re.escape(anchor)}"[^>]*>', files[name])
        assert marker and f'aria-label="{label}"' in marker[0], href
        assert 'role="doc-pagebreak"' in marker[0] and 'epub:type="pagebreak"' in marker[0]


def test_a_page_starting_inside_a_paragraph_starts_with_the_pdf_pages_first_words(
        default_book: Path):
    files = _files(_one(default_book, ".epub"))
    labels = PdfReader(_one(default_book, ".pdf")).page_labels
    with pdfplumber.open(_one(default_book, ".pdf")) as pdf:
        pages = ["".join(HAN.findall(page.extract_text() or "")) for page in pdf.pages]
    inside = 0
    for html in files.values():
        for found in MARKER.finditer(html):
            after = html[found.end():]
            if after.lstrip().startswith(("<span id=\"page-", "<h", "<section", "<p", "<div")):
                continue  # a blank page's marker, or one before a heading or a block
            index = labels.index(found[2])
            first = "".join(HAN.findall(_plain(after)))[:6]
            last = "".join(HAN.findall(_plain(html[:found.start()])))[-6:]
            # The running head (the chapter's title) may come first on the page.
            assert first in pages[index][:40], (found[2], first, pages[index][:40])
            assert pages[index - 1].endswith(last) or last in pages[index - 1][-12:], found[2]
            inside += 1
    assert inside >= 1  # the default book has a page that starts inside a list's item


def test_the_epub_with_a_page_list_passes_epubcheck_and_names_its_print_edition(
        default_book: Path):
    opf = _files(_one(default_book, ".epub"))["content.opf"]
    source = re.search(r'<dc:source id="([^"]+)">([^<]+)</dc:source>', opf)
    assert source and "print edition" in source[2]
    assert f'<meta refines="#{source[1]}" property="source-of">pagination</meta>' in opf
    assert ">printPageNumbers</meta>" in opf
    report = epubcheck(_one(default_book, ".epub"))
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


def test_the_cache_is_not_an_edition_and_a_second_build_replaces_it(default_book: Path,
                                                                     tmp_path: Path):
    sums = (default_book / "SHA256SUMS").read_text()
    assert ".publish-cache" not in sums and "pages.json" not in sums
    _run("verify", str(default_book))
    out = tmp_path / "out"
    _run("pdf", str(ROOT / "manuscript"), "-o", str(out))
    _run("pdf", str(ROOT / "manuscript"), "-o", str(out))  # the cache folder is in the way
    assert sorted(p.name for p in (out / ".publish-cache").iterdir()) == [
        "deepseek-interview.pdf.pages.json", "fonts", "units"]  # units: test_parallel


def test_an_epub_built_without_the_pdf_has_no_page_list(tmp_path: Path):
    _run("epub", str(ROOT / "manuscript"), "-o", str(tmp_path))
    files = _files(_one(tmp_path, ".epub"))
    assert not any(MARKER.search(html) for html in files.values())
    assert 'epub:type="page-list"' not in files["nav.xhtml"]
    assert "printPageNumbers" not in files["content.opf"]
    assert "<dc:source" not in files["content.opf"]


ENGLISH = """title = "Pages"
author = "A. Writer"
language = "en"
isbn = "9780306406157"
"""


def test_an_english_page_starts_between_words_and_names_the_isbn(tmp_path: Path):
    words = ("The quick brown fox jumps over the lazy dog and keeps on running through "
             "the extraordinarily long meadow of unreasonable hyphenation. ")
    chapter = "# One\n\n" + "\n\n".join(words * 6 for _ in range(14)) + "\n"
    book = write_manuscript(tmp_path / "book", {"book.toml": ENGLISH, "01.md": chapter})
    _run("all", str(book), "-o", str(tmp_path / "out"))
    files = _files(_one(tmp_path / "out", ".epub"))
    assert "<dc:source id=\"print-edition\">urn:isbn:9780306406157</dc:source>" in \
        files["content.opf"]
    inside = [m for m in MARKER.finditer(files["ch01.xhtml"])
              if not files["ch01.xhtml"][m.end():].lstrip().startswith(("<", "\n"))]
    assert inside
    for found in inside:  # never inside a word a hyphen broke at the page's end
        before = files["ch01.xhtml"][found.start() - 1]
        assert not before.isalnum(), files["ch01.xhtml"][found.start() - 30:found.end() + 30]
    report = epubcheck(_one(tmp_path / "out", ".epub"))
    assert (report.fatals, report.errors) == (0, 0), report.messages


def test_each_variant_takes_its_own_pdfs_pages(tmp_path: Path):
    chapters = "".join(f"# 第{n}章 软件\n\n" + "他说：“这个软件很好用，鼠标也是。”" * 40 * n + "\n\n"
                       for n in range(1, 4))
    book = write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "软件"\nauthor = "吴承恩"\nlanguage = "zh-Hans"\n'
                     'variants = ["zh-Hant-TW"]\n', "01.md": chapters})
    out = tmp_path / "out"
    _run("all", str(book), "-o", str(out))
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name.endswith(".zh-Hant-TW.pdf") for p in pdfs] == [False, True]
    for pdf in pdfs:
        epub = pdf.with_suffix(".epub")
        openings = _openings(epub, pdf)
        assert len(openings) == 3
        assert [e for _, e, _ in openings] == [p for _, _, p in openings], (pdf.name, openings)
        entries = _page_list(_files(epub)["nav.xhtml"])
        assert [label for _, label in entries] == PdfReader(pdf).page_labels
