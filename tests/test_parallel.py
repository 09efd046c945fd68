"""The PDF laid out a chapter at a time in worker processes (``--jobs``) is the
book a reader gets from one document: on every page the same glyphs at the
same places (folios and running heads included), the same page labels,
outline, named destinations and links, and one embedded subset per face
(pdffonts), the file within 2 % of the one-process build's size."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from publish.cli import cli
from tests.conftest import write_manuscript

ROOT = Path(__file__).resolve().parent.parent
LONG = "这一段话写得很长，为的是让一章占去几页，页码和书眉才有得比。" * 30

BOOK = f"""---
title: 分章排版
author: 测试
identifier: urn:uuid:0d5b7a52-2c1e-4a57-9a43-1f3b6f1c2e77
slug: book
chapter_level: 2
---

写在正文之前的话。见[第三章的一节](#third-section)。

# 第一部

部的引言。

## 第一章

{LONG}

正文有一个注释[^a]。English words set in the serif: *typography* and **kerning**.

```python
def make_initialized_handler(value):
    return value
```

| 名称 | 数量 |
|---|---|
| 甲 | 1 |

## 第二章

一页就完。

# 第二部

## 第三章

{LONG}

### 第三章的一节 {{#third-section}}

{LONG}{LONG}

回到[第一章](#第一章)。

[^a]: 注释在本页脚。
"""


def _build(manuscript: Path, out: Path, jobs: int) -> Path:
    result = CliRunner().invoke(cli, ["pdf", str(manuscript), "-o", str(out), "--jobs",
                                      str(jobs), "-q"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    (pdf,) = out.glob("*.pdf")
    return pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parallel")
    manuscript = write_manuscript(folder / "book", {"book.md": BOOK}) / "book.md"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return {"one": _build(manuscript, folder / "one", 1),
                "two": _build(manuscript, folder / "two", 2),
                "again": _build(manuscript, folder / "again", 2)}


def _glyphs(path: Path) -> list[list[tuple]]:
    with pdfplumber.open(path) as doc:
        return [[(c["text"], round(c["x0"], 2), round(c["top"], 2),
                  c["fontname"].split("+")[-1], round(c["size"], 2)) for c in page.chars]
                for page in doc.pages]


def _structure(path: Path) -> dict:
    """Page labels, outline (depth, title, page), destinations (name -> page)
    and links (page, target) of the PDF."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def page_of(destination):
            return pages.get(destination[0].objgen) if destination is not None else None

        outline = []
        with pdf.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    outline.append((depth, item.title, page_of(item.destination)))
                    walk(item.children, depth + 1)
            walk(tree.root, 0)
        destinations = {name: page_of(value) for name, value
                        in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        links = [(i, str(a.get("/Dest", "")) or str(a.A.URI))
                 for i, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])
                 if a.get("/Subtype") == "/Link"]
        labels = [pikepdf.Page(page).label for page in pdf.pages]
    return {"outline": outline, "destinations": destinations, "links": links,
            "labels": labels}


def test_every_page_sets_the_same_glyphs_at_the_same_places(built):
    one, two = _glyphs(built["one"]), _glyphs(built["two"])
    assert len(one) == len(two) >= 12
    assert [i for i, (a, b) in enumerate(zip(one, two)) if a != b] == []


def test_labels_outline_destinations_and_links_are_the_same(built):
    one, two = _structure(built["one"]), _structure(built["two"])
    assert one == two
    # What they are, not only that they agree: roman front pages, then 1, 2…;
    # the preface and both parts in the outline; the cross-chapter links there.
    labels = one["labels"]
    assert labels[0] == "i" and "1" in labels and labels.index("1") % 2 == 0
    assert [title for depth, title, _ in one["outline"] if depth == 0][-2:] == ["第一部", "第二部"]
    inside = [(page, target) for page, target in one["links"] if ":" not in target]
    assert all(one["destinations"].get(target) is not None for _, target in inside)
    # 第三章 links back to 第一章, another unit; the preface forward into the body.
    assert any(labels[page].isdigit() and one["destinations"][target] < page - 2
               for page, target in inside)
    assert any(not labels[page].isdigit() and page > labels.index("i") + 3
               and labels[one["destinations"][target]].isdigit() for page, target in inside)


def _folios_checked(pdf: Path) -> int:
    """How many body pages print a folio at their foot; each is its page label."""
    with pdfplumber.open(pdf) as doc:
        labels = _structure(pdf)["labels"]
        checked = 0
        for page, label in zip(doc.pages, labels):
            if not label.isdigit():
                continue
            foot = [w["text"] for w in page.extract_words() if w["top"] > page.height * 0.85]
            if foot:
                assert foot[-1] == label
                checked += 1
    return checked


def test_folios_are_the_books_page_numbers(built):
    """The folio printed at the foot of a body page is its page label."""
    assert _folios_checked(built["two"]) >= 5


def test_one_subset_per_face_and_the_size_of_one_document(built):
    def faces(path: Path) -> list[str]:
        """pdffonts' name, type, encoding and emb/sub/uni of each font."""
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        return sorted(" ".join(line.split()[:-2]).split("+", 1)[-1] for line in lines)

    assert faces(built["two"]) == faces(built["one"])
    names = [face.split()[0] for face in faces(built["two"])]
    assert len(set(names)) == len(names)  # no face twice
    # The font files are what the fonts say they are (Poppler would warn
    # "Mismatch between font type and embedded font file").
    text = subprocess.run(["pdftotext", str(built["two"]), "-"], capture_output=True,
                          text=True, check=True)
    assert "Syntax" not in text.stderr, text.stderr[:300]
    one, two = built["one"].stat().st_size, built["two"].stat().st_size
    assert abs(two - one) <= 0.02 * one, (one, two)


def test_a_build_in_processes_is_the_same_bytes_again(built):
    assert built["two"].read_bytes() == built["again"].read_bytes()


def test_no_temporary_files_are_left(built):
    for pdf in (built["two"], built["again"]):
        leftovers = [p.name for p in pdf.parent.rglob("*") if p.name.startswith((".units-",
                                                                                 ".font-"))]
        assert leftovers == []


def _cli(manuscript: Path, out: Path, *args: str, seed: str = "0", dated: bool = True) -> str:
    """``publish pdf`` in a process of its own (its own hash seed: set order
    differs from process to process; ``dated``: SOURCE_DATE_EPOCH set); what
    it printed."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    if dated:
        env["SOURCE_DATE_EPOCH"] = "1700000000"
    done = subprocess.run([sys.executable, "-m", "publish", "pdf", str(manuscript), "-o",
                           str(out), "--jobs", "2", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.mark.slow
def test_cold_warm_edited_reverted_and_uncached_builds(tmp_path):
    """The cache changes what is laid out, never the bytes."""
    source = tmp_path / "book" / "book.md"
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    out = tmp_path / "out"
    pdf = out / "book.pdf"  # the slug book.toml's header block gives
    assert "5 chapters of 5 laid out" in _cli(manuscript, out, seed="1")
    cold = pdf.read_bytes()
    assert "0 chapters of 5 laid out" in _cli(manuscript, out, seed="2")
    assert pdf.read_bytes() == cold
    source.write_text(BOOK.replace("一页就完。", "一页就写完。"), encoding="utf-8")
    assert "1 chapter of 5 laid out" in _cli(manuscript, out, seed="3")
    edited = pdf.read_bytes()
    assert edited != cold
    with pdfplumber.open(pdf) as doc:
        assert "一页就写完。" in "".join(page.extract_text() for page in doc.pages)
    source.write_text(BOOK, encoding="utf-8")
    _cli(manuscript, out, seed="4")
    assert pdf.read_bytes() == cold
    shutil.rmtree(out / ".publish-cache")
    assert "5 chapters of 5 laid out" in _cli(manuscript, out, seed="5")
    assert pdf.read_bytes() == cold


@pytest.mark.slow
def test_a_chapter_that_grows_moves_the_next_without_laying_them_out(tmp_path):
    """Two pages more in chapter 2: the part and the chapter after it are
    kept and given new folios, and the book is the bytes a cold build of the
    edited manuscript gives; then the same back."""
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    out = tmp_path / "out"
    pdf = out / "book.pdf"
    _cli(manuscript, out, seed="1")
    cold = pdf.read_bytes()
    before = _structure(pdf)["labels"]
    manuscript.write_text(BOOK.replace("一页就完。", f"{LONG}{LONG}"), encoding="utf-8")
    printed = _cli(manuscript, out, seed="2")
    assert "1 chapter of 5 laid out (2 more given new folios)" in printed, printed
    grown = pdf.read_bytes()
    assert len(_structure(pdf)["labels"]) > len(before)
    assert _folios_checked(pdf) >= 8
    _cli(manuscript, tmp_path / "cold", seed="3")
    assert (tmp_path / "cold" / "book.pdf").read_bytes() == grown
    manuscript.write_text(BOOK, encoding="utf-8")
    assert "(2 more given new folios)" in _cli(manuscript, out, seed="4")
    assert pdf.read_bytes() == cold


@pytest.mark.slow
def test_an_edit_lays_out_one_chapter_when_the_build_time_moves_with_it(tmp_path):
    """Without SOURCE_DATE_EPOCH the build's time is the manuscript's: an
    edit moves it, and it is the PDF's date, not the chapters' pages."""
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    out = tmp_path / "out"
    os.utime(manuscript, (1_600_000_000, 1_600_000_000))
    _cli(manuscript, out, dated=False)
    manuscript.write_text(BOOK.replace("一页就完。", "一页就写完。"), encoding="utf-8")
    os.utime(manuscript, (1_700_000_000, 1_700_000_000))
    assert "1 chapter of 5 laid out" in _cli(manuscript, out, dated=False)
    with pikepdf.open(out / "book.pdf") as pdf:
        assert str(pdf.docinfo["/ModDate"]).startswith("D:20231114")


@pytest.mark.slow
def test_a_folio_beside_a_running_head_is_laid_out_again(tmp_path):
    """A theme whose foot prints the chapter's title beside the page number:
    the folio cannot be made without the chapter, which is laid out again
    (the part's page after the grown chapter prints no folio: kept)."""
    manuscript = write_manuscript(tmp_path / "book", {
        "book.md": BOOK,
        "style.css": "@page chapter:right { @bottom-right { content: string(chapter-title) "
                     "' ' counter(page); } }\n"}) / "book.md"
    out = tmp_path / "out"
    _cli(manuscript, out, seed="1")
    manuscript.write_text(BOOK.replace("一页就完。", f"{LONG}{LONG}"), encoding="utf-8")
    printed = _cli(manuscript, out, seed="2")
    assert "2 chapters of 5 laid out (1 more given new folios)" in printed, printed
    _cli(manuscript, tmp_path / "cold", seed="3")
    assert (tmp_path / "cold" / "book.pdf").read_bytes() == (out / "book.pdf").read_bytes()


@pytest.mark.slow
def test_a_damaged_or_foreign_cache_entry_is_not_trusted(tmp_path):
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    out = tmp_path / "out"
    _cli(manuscript, out)
    cold = (out / "book.pdf").read_bytes()
    # The body's units (the front matter is kept too, and is no chapter).
    entries = sorted(path for path in (out / ".publish-cache" / "units" / "book.pdf")
                     .glob("*.json") if any(anchor.startswith(("ch", "part")) for anchor in
                                            json.loads(path.read_text())["anchors"]))
    assert len(entries) == 5
    pdfs = [entry.with_suffix(".pdf") for entry in entries]
    pdfs[0].write_bytes(pdfs[0].read_bytes()[:-100])  # damaged
    entries[1].write_text(entries[2].read_text(encoding="utf-8"), encoding="utf-8")  # foreign
    entries[3].write_text("{not json", encoding="utf-8")
    printed = _cli(manuscript, out)
    assert printed.count("a cache entry not used") == 3, printed
    assert "3 chapters of 5 laid out" in printed
    assert (out / "book.pdf").read_bytes() == cold


def test_a_proof_of_a_chapter_is_its_pages_in_the_book(built, tmp_path):
    """``--chapter 3``: the pages 第三章 has in the book, folios, running heads
    and labels the same, from the cache of the last build."""
    out = built["two"].parent
    result = CliRunner().invoke(cli, ["pdf", str(out.parent / "book" / "book.md"), "-o", str(out),
                                      "--chapter", "3", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    proof = out / "book-proof-3.pdf"
    labels = _structure(built["two"])["labels"]
    proof_labels = _structure(proof)["labels"]
    first = labels.index(proof_labels[0])
    assert proof_labels == labels[first:first + len(proof_labels)]
    assert len(proof_labels) >= 2
    book_glyphs = _glyphs(built["two"])[first:first + len(proof_labels)]
    assert _glyphs(proof) == book_glyphs
    assert "第三章" in "".join(t for t, *_ in book_glyphs[0])


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "version", "signature"),
                         [("press", "1.6", 16), ("ingramspark", "1.4", 2)])
def test_a_press_pdf_in_processes_is_the_one_document_pdf(tmp_path, monkeypatch, profile,
                                                          version, signature):
    """PDF/X-4 with bleed and marks, PDF/X-1a: the same glyphs, page boxes and
    marks on every page (the blank versos too), the same CIDSets (PDF 1.4),
    the book's file identifier, and the preflight passes it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    built = {}
    for jobs in (1, 2):
        result = CliRunner().invoke(cli, ["pdf", str(manuscript), "-o", str(tmp_path / str(jobs)),
                                          "--profile", profile, "--jobs", str(jobs), "-q"])
        assert result.exit_code == 0, result.output
        built[jobs] = tmp_path / str(jobs) / "book.pdf"
    assert _glyphs(built[1]) == _glyphs(built[2])

    def pages(path: Path) -> list[tuple]:
        with pikepdf.open(path) as pdf:
            boxes = [tuple(tuple(round(float(v), 2) for v in page.obj[box])
                           for box in ("/MediaBox", "/TrimBox", "/BleedBox"))
                     for page in pdf.pages]
            assert pdf.pdf_version == version and len(pdf.Root.OutputIntents) == 1
            assert str(pdf.trailer.ID[0]) == "urn:uuid:0d5b7a52-2c1e-4a57-9a43"  # 32 bytes
            sets = {str(font.BaseFont): bytes(font.DescendantFonts[0].FontDescriptor.get(
                "/CIDSet", pikepdf.Stream(pdf, b"")).read_bytes())
                for page in pdf.pages for font in page.Resources.Font.values()}
        with pdfplumber.open(path) as doc:
            marks = [len(page.lines) + len(page.curves) for page in doc.pages]
        return list(zip(boxes, marks)) + [sorted(sets.items())]

    one, two = pages(built[1]), pages(built[2])
    assert one == two and (len(two) - 1) % signature == 0
    assert min(marks for _, marks in two[:-1]) > (0 if profile == "press" else -1)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "2"), "--profile", profile,
                                      "--manuscript", str(manuscript)])
    assert result.exit_code == 0 and "0 errors" in result.output, result.output


def _tree(path: Path) -> tuple[list[str], list[str], list[str], int]:
    """A tagged PDF's structure elements in reading order (their roles), each
    element's ids and the ids its /Headers name, and the marked-content
    sequences the pages' keys map to an element."""
    with pikepdf.open(path) as pdf:
        roles, ids, headers = [], [], []

        def walk(element) -> None:
            if not isinstance(element, pikepdf.Dictionary) or \
                    element.get("/Type") in ("/MCR", "/OBJR"):
                return
            roles.append(str(element.S))
            if "/ID" in element:
                ids.append(str(element.ID))
            attributes = element.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                headers.extend(str(header) for header in attributes.Headers)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        walk(pdf.Root.StructTreeRoot.K[0])
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        mapped = dict(zip((int(key) for key in nums[::2]), nums[1::2]))
        marked = 0
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                marked += sum(1 for element in mapped[int(page.obj.StructParents)]
                              if element is not None)
        return roles, ids, headers, marked


@pytest.mark.slow
def test_a_tagged_pdf_in_processes_has_the_one_documents_structure(tmp_path, monkeypatch):
    """The screen profile (PDF/UA-1) laid out in units: one structure tree
    with the elements of the one-document PDF in the same order, every
    marked-content sequence mapped, ids unique and the header cells a data
    cell names there."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manuscript = write_manuscript(tmp_path / "book", {"book.md": BOOK}) / "book.md"
    found = {}
    for jobs in (1, 2):
        result = CliRunner().invoke(cli, ["pdf", str(manuscript), "-o", str(tmp_path / str(jobs)),
                                          "--jobs", str(jobs), "--profile", "screen", "-v"])
        assert result.exit_code == 0, result.output
        assert ("5 chapters of 5 laid out" in result.output) == (jobs == 2)
        found[jobs] = _tree(tmp_path / str(jobs) / "book.pdf")
    roles, ids, headers, marked = found[2]
    assert roles == found[1][0]
    assert marked == found[1][3] and marked > 20
    assert len(ids) == len(set(ids)) == len(found[1][1]) > 0
    assert set(headers) <= set(ids) and len(headers) == len(found[1][2])
    assert _glyphs(tmp_path / "2" / "book.pdf") == _glyphs(tmp_path / "1" / "book.pdf")
