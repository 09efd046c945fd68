"""Footnotes in the print edition, read off the pages (pdfplumber): numbered
from 1 in each chapter as the EPUB and the text edition number them, each
call on the page of its note, ㉑ and on in a face that has them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from epub_validation import check_all

from publish import fonts
from publish import model as m
from publish.errors import PrintError
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt
from publish.writers.pdf import weasy
from publish.writers.pdf.weasy import footnotes

OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
BODY = "这是正文的一段文字，用来填满版面，让注释落在页面的不同位置。"
NOTE = "注释的文字在这里继续，说明正文里的一个细节。"
# Paragraph and note lengths (in sentences) that put calls at every height of
# the page, long notes near its foot among them.
PARAGRAPHS = (3, 7, 2, 9, 5, 1, 8, 4, 6)
NOTES = (1, 1, 8, 1, 14, 2, 1, 4, 11)


def circled(n: int) -> str:
    """Unicode's circled number ``n`` (1–50): ① U+2460…, ㉑ U+3251…, ㊱ U+32B1…."""
    return chr(0x2460 + n - 1 if n <= 20 else 0x3251 + n - 21 if n <= 35 else 0x32B1 + n - 36)


CIRCLED = {circled(n) for n in range(1, 51)}


def chinese_book(folder: Path, counts: tuple[int, ...]) -> Path:
    """A manuscript of ``len(counts)`` chapters with ``counts[c]`` notes each;
    note k of chapter c begins with its tag 注c-k."""
    body, notes, k = [], [], 0
    for c, count in enumerate(counts, 1):
        body.append(f"# 第{c}章\n")
        for i in range(1, count + 1):
            k += 1
            body.append(BODY * PARAGRAPHS[k % len(PARAGRAPHS)] + f"此处有注释[^n{k}]，"
                        + BODY * (k % 3) + "\n")
            notes.append(f"[^n{k}]: 注{c}-{i}：" + NOTE * NOTES[k % len(NOTES)] + "\n")
    return write_manuscript(folder, {"book.md": "\n".join(body + notes)})


def calls_and_marks(path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Every circled number of the PDF in reading order: the marks, each
    followed by its note's tag (page, number, tag), and the calls (page, number)."""
    calls, marks = [], []
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages):
            chars = [c for c in page.chars if c["text"].strip()]
            for i, ch in enumerate(chars):
                if ch["text"] not in CIRCLED:
                    continue
                tag = re.match(r"注(\d+-\d+)", "".join(c["text"] for c in chars[i + 1:i + 8]))
                if tag:
                    marks.append((index, ch["text"], tag[1]))
                else:
                    calls.append((index, ch["text"]))
    return calls, marks


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> tuple[Path, tuple[int, ...]]:
    counts = (24, 4)
    source = chinese_book(tmp_path_factory.mktemp("notes") / "book", counts)
    return pdf.write(read(source), tmp_path_factory.mktemp("pdf"), OPTIONS), counts


@pytest.mark.slow
def test_notes_are_numbered_from_one_in_each_chapter(chinese):
    """Chapter 2's first call and note are ①, as in the EPUB and the text
    edition; ㉑ follows ⑳; calls and notes run in order in each chapter, and
    no note is lost."""
    path, counts = chinese
    calls, marks = calls_and_marks(path)
    expected = [circled(i) for count in counts for i in range(1, count + 1)]
    assert [number for _, number in calls] == expected
    assert [(number, tag) for _, number, tag in marks] == [
        (circled(i), f"{c}-{i}") for c, count in enumerate(counts, 1)
        for i in range(1, count + 1)]


@pytest.mark.slow
def test_a_call_and_its_note_share_a_page(chinese):
    """Every note here is shorter than a page, so each stands at the foot of
    the page that calls it (WeasyPrint 70 alone moved some to the next page,
    and lost one)."""
    path, _ = chinese
    calls, marks = calls_and_marks(path)
    apart = [(number, tag, call_page + 1, mark_page + 1)
             for (call_page, number), (mark_page, _, tag) in zip(calls, marks)
             if call_page != mark_page]
    assert not apart
    assert len({page for page, _ in calls}) >= 10   # over many pages, at every height


@pytest.mark.slow
def test_circled_numbers_past_twenty_are_in_the_body_face(chinese):
    """㉑ and on are drawn in the book's CJK face, which has them (no tofu)."""
    path, _ = chinese
    with pdfplumber.open(path) as doc:
        drawn = {(c["text"], c["fontname"].split("+")[-1]) for page in doc.pages
                 for c in page.chars if c["text"] in CIRCLED}
    numbers = {text for text, _ in drawn}
    assert {circled(n) for n in range(21, 25)} <= numbers
    assert {re.sub(r"\W", "", face).lower() for _, face in drawn} == {"notoserifcjksc"}
    face = fonts.find_font("Noto Serif CJK SC")
    assert not fonts.missing_characters(face, numbers)


@pytest.mark.parametrize("family", ["Noto Serif CJK SC", "Noto Serif CJK TC",
                                    "Noto Serif CJK JP", "Noto Serif CJK KR"])
def test_the_circled_numbers_of_the_theme_are_in_every_cjk_face(family):
    """Every symbol of print.css's ``circled`` counter style (the note numbers
    of a Chinese or Japanese book) has a glyph in the CJK faces a book is set in."""
    css = (theme_dir("default") / "print.css").read_text(encoding="utf-8")
    rule = re.search(r"@counter-style circled \{(.*?)\}", css, re.S)[1]
    symbols = set(re.findall(r'"(.)"', rule))
    assert {circled(n) for n in (1, 20, 21, 35, 36, 50)} <= symbols
    assert not fonts.missing_characters(fonts.find_font(family), symbols)


@pytest.mark.slow
def test_nested_and_repeated_notes_have_the_text_editions_numbers(tmp_path):
    """A note called twice keeps its number; a note called from a note is
    numbered after it: the numbers are the text edition's ([n])."""
    source = write_manuscript(tmp_path / "book", {"book.md": (
        "# 第一章\n\n正文甲[^a]，正文乙[^outer]，再引甲[^a]，正文丙[^c]。\n\n"
        "[^a]: 注甲的文字。\n[^outer]: 注外的文字，它引用注内[^inner]。\n"
        "[^inner]: 注内的文字。\n[^c]: 注丙的文字。\n")})
    book = read(source)
    text = txt.write(book, tmp_path / "txt", OPTIONS).read_text(encoding="utf-8")
    numbers = {name: int(n) for n, name in re.findall(r"^\[(\d+)\] 注(.)", text, re.M)}
    assert numbers == {"甲": 1, "外": 2, "内": 3, "丙": 4}
    with pdfplumber.open(pdf.write(book, tmp_path / "pdf", OPTIONS)) as doc:
        lines = [line for page in doc.pages for line in (page.extract_text() or "").split("\n")]
    marks = {name: number for line in lines
             for number, name in re.findall(r"^(\S) ?注(.)的文字", line)}
    assert marks == {name: circled(n) for name, n in numbers.items()}
    body = "".join(line for line in lines if "正文甲" in line or "正文丙" in line)
    assert re.sub(r"[^①-⑳]", "", body) == "①②①④"


@pytest.mark.slow
def test_the_epub_numbers_the_same_notes_the_same_and_passes_epubcheck(tmp_path):
    """The EPUB of a book of two chapters, 24 and 4 notes, calls them 1… in each
    chapter, as the PDF does, and EPUBCheck finds nothing."""
    book = epub.write(read(chinese_book(tmp_path / "book", (24, 4))), tmp_path / "epub", OPTIONS)
    with zipfile.ZipFile(book) as z:
        calls = [re.findall(r'role="doc-noteref">(\d+)<', z.read(f"EPUB/ch0{c}.xhtml").decode())
                 for c in (1, 2)]
    assert calls == [[str(i) for i in range(1, 25)], ["1", "2", "3", "4"]]
    report = check_all([book])[book]
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


@pytest.mark.slow
def test_english_superior_figures_restart_in_each_chapter(tmp_path):
    """An English book's calls are superior figures, from 1 in each chapter,
    and its notes' marks "1." the same numbers, on the call's page."""
    sentence = "This sentence of body text fills the page so the notes fall in many places. "
    parts, notes = ["---\nlanguage: en\n---\n"], []
    for c, count in ((1, 12), (2, 3)):
        parts.append(f"# Part {'one' if c == 1 else 'two'}\n")
        for i in range(1, count + 1):
            parts.append(sentence * (2 + (i * 5) % 7) + f"A call.[^c{c}n{i}] " + sentence + "\n")
            notes.append(f"[^c{c}n{i}]: (Note {c}-{i}) " + "It explains a detail. " * (1 + i % 4))
    source = write_manuscript(tmp_path / "book", {"book.md": "\n".join(parts + notes) + "\n"})
    calls, marks = [], []
    with pdfplumber.open(pdf.write(read(source), tmp_path / "pdf", OPTIONS)) as doc:
        for index, page in enumerate(doc.pages):
            words = page.extract_words(extra_attrs=["size"])
            sizes = [c["size"] for c in page.chars]
            text_size = max(sizes, key=sizes.count, default=0)   # the body's
            for w in words:
                # A call: a figure smaller than the text (the folio is not).
                if w["text"].isdigit() and w["size"] < 0.8 * text_size:
                    calls.append((index, int(w["text"])))
            for n, c, i in re.findall(r"^(\d+)\. \(Note (\d)-(\d+)\)",
                                      page.extract_text() or "", re.M):
                marks.append((index, int(n), f"{c}-{i}"))
    assert [n for _, n in calls] == list(range(1, 13)) + [1, 2, 3]
    assert [(n, tag) for _, n, tag in marks] == (
        [(i, f"1-{i}") for i in range(1, 13)] + [(i, f"2-{i}") for i in range(1, 4)])
    assert [page for page, _ in calls] == [page for page, _, _ in marks]


def test_the_footnote_extension_is_installed():
    weasy.install()
    assert footnotes.installed()


def test_a_weasyprint_whose_line_layout_differs_is_an_error(monkeypatch):
    """The extension changes one line of WeasyPrint 70's line layout: without
    that line it stops with an error naming the function, and changes nothing."""
    monkeypatch.setattr(footnotes, "_installed", False)
    monkeypatch.setattr(footnotes, "REPORT_LINE", "report = something else")
    from weasyprint.layout import block

    before = block._linebox_layout
    with pytest.raises(PrintError, match="_linebox_layout"):
        footnotes.install()
    assert block._linebox_layout is before
