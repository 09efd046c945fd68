"""Markdown that pandoc, mdBook and GitHub readers accept, through every edition:
~~strikeout~~, H~2~O, x^2^, task lists, definition lists, abbreviations,
admonitions and GitHub alerts, implicit figures, heading attributes.

The expectations are what those tools make of the syntax (pandoc's manual,
GitHub's documentation) and what a reader sees: the model, the EPUB's XHTML,
glyphs on the PDF's pages, the lines of the text edition.  The golden case
``tests/cases/markdown-breadth`` holds every construct; EPUBCheck runs on it
with the other cases (test_epub.py)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import case_manuscript, write_manuscript
from PIL import Image
from pypdf import PdfReader

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt

XHTML = "{http://www.w3.org/1999/xhtml}"
CASE = case_manuscript("markdown-breadth")
# The case's book.toml asks for 第N章 labels (the CLI settles [edition] into these).
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"), values={"chapter_label": "章"})


def one_chapter(tmp_path: Path, body: str, toml: str = "") -> m.Chapter:
    write_manuscript(tmp_path, {"a.md": "# 章\n\n" + body, "book.toml": toml})
    return read(tmp_path).chapters[0]


def blocks(chapter: m.Chapter) -> list[m.Block]:
    return list(m.walk_blocks(tuple(m.container_blocks(chapter))))


def inlines_of(chapter: m.Chapter) -> tuple[m.Inline, ...]:
    return next(b for b in chapter.blocks if isinstance(b, m.Paragraph)).inlines


# --- the reader ---------------------------------------------------------------------------

def test_strikeout_subscript_superscript(tmp_path):
    inlines = inlines_of(one_chapter(tmp_path, "~~错~~对，H~2~O，x^2^，Na^+^。\n"))
    assert [type(n).__name__ for n in inlines if not isinstance(n, m.Text)] == [
        "Strikeout", "Subscript", "Superscript", "Superscript"]
    assert [m.plain_text(n.children) for n in inlines if not isinstance(n, m.Text)] == [
        "错", "2", "2", "+"]


@pytest.mark.parametrize("text", [
    "每天3~5次，每次5~10分钟。",          # a range in Chinese: no spaces to stop pandoc's rule
    "笑脸^_^，好。", "2^10与2^20。", "约 3~5 天、5~10 人。", "代码 `a~b~c` 与 `x^2^`。",
])
def test_ranges_and_faces_stay_as_typed(tmp_path, text):
    inlines = inlines_of(one_chapter(tmp_path, text + "\n"))
    assert not any(isinstance(n, m.Subscript | m.Superscript | m.Strikeout) for n in inlines)
    assert m.plain_text(inlines) == text.replace("`", "")


def test_task_lists(tmp_path):
    chapter = one_chapter(tmp_path, "- [x] 做完\n- [ ] 没做\n- 普通\n\n1. [X] 编号\n\n"
                                    "- [ ] 松散一\n\n    第二段\n\n- [x] 松散二\n")
    lists = [b for b in chapter.blocks if isinstance(b, m.ListBlock)]
    assert [lst.tasks for lst in lists] == [(True, False, None), (True,), (False, True)]
    assert m.blocks_text(lists[0].items[0]) == "做完"  # the box is not text
    assert m.blocks_text(lists[2].items[0]) == "松散一\n第二段"
    plain = one_chapter(tmp_path / "b", "- 一\n- [链接] 二\n")
    assert plain.blocks[0].tasks == ()


def test_definition_lists(tmp_path):
    markdown = one_chapter(tmp_path, "术语\n:   解释一。\n:   解释二。\n\n甲\n乙\n:   共同的解释。\n")
    html = one_chapter(tmp_path / "b", "<dl><dt>术语</dt><dd>解释一。</dd><dd>解释二。</dd>"
                                       "<dt>甲</dt><dt>乙</dt><dd>共同的解释。</dd></dl>\n")
    for chapter in (markdown, html):
        (dl,) = [b for b in chapter.blocks if isinstance(b, m.DefinitionList)]
        assert [[m.plain_text(t) for t in item.terms] for item in dl.items] == [["术语"],
                                                                               ["甲", "乙"]]
        assert [[m.blocks_text(d) for d in item.definitions] for item in dl.items] == [
            ["解释一。", "解释二。"], ["共同的解释。"]]


def test_abbreviations(tmp_path):
    inlines = inlines_of(one_chapter(
        tmp_path, "用HTML和 HTML5 写，`HTML` 不算，<abbr title=\"万维网\">WWW</abbr>。\n\n"
                  "*[HTML]: Hyper Text Markup Language\n"))
    abbrs = [n for n in inlines if isinstance(n, m.Abbr)]
    assert [(m.plain_text(a.children), a.title) for a in abbrs] == [
        ("HTML", "Hyper Text Markup Language"), ("WWW", "万维网")]  # not HTML5, not code
    assert m.plain_text(inlines) == "用HTML和 HTML5 写，HTML 不算，WWW。"


# GitHub's five alerts and the words GitHub Docs shows for them.
ALERTS = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"]
ALERT_WORDS = {"zh-Hans": ["注意", "提示", "重要", "警告", "谨慎"],
               "zh-Hant": ["注意", "提示", "重要", "警告", "謹慎"],
               "en": ["Note", "Tip", "Important", "Warning", "Caution"]}


@pytest.mark.parametrize("language", list(ALERT_WORDS))
def test_github_alerts_titled_in_the_books_language(tmp_path, language):
    body = "".join(f"> [!{kind}]\n> 正文{i}。\n\n" for i, kind in enumerate(ALERTS))
    chapter = one_chapter(tmp_path, body, f'language = "{language}"\n')
    found = [b for b in chapter.blocks if isinstance(b, m.Admonition)]
    assert [b.kind for b in found] == [k.lower() for k in ALERTS]
    assert [m.plain_text(b.title) for b in found] == ALERT_WORDS[language]
    assert [m.blocks_text(b.blocks) for b in found] == [f"正文{i}。" for i in range(5)]


def test_admonitions(tmp_path):
    chapter = one_chapter(tmp_path, '!!! warning "小心 *烫*"\n    内容。\n\n    - 一项\n\n'
                                    '!!! note ""\n    无题。\n\n!!! tip\n    提示。\n\n'
                                    "!!! example\n    例子。\n")
    warning, untitled, tip, example = [b for b in chapter.blocks if isinstance(b, m.Admonition)]
    assert (warning.kind, warning.title) == ("warning", (m.Text("小心 "), m.Emph((m.Text("烫"),))))
    assert [type(b) for b in warning.blocks] == [m.Paragraph, m.ListBlock]
    assert (untitled.kind, untitled.title) == ("note", ())
    assert m.plain_text(tip.title) == "提示"
    assert m.plain_text(example.title) == "Example"  # a kind with no word: as Python-Markdown


def test_implicit_figures(tmp_path):
    write_manuscript(tmp_path, {"i.png": (CASE / "images" / "red.png").read_bytes()})
    chapter = one_chapter(tmp_path, '![图 1-1 架构](i.png)\n\n![替代](i.png "标题")\n\n'
                                    "![](i.png)\n\n行内 ![小图](i.png) 不是图。\n")
    figures = [b for b in chapter.blocks if isinstance(b, m.Figure)]
    assert [(f.alt, m.plain_text(f.caption)) for f in figures] == [
        ("图 1-1 架构", "图 1-1 架构"), ("替代", "标题"), ("", "")]


def test_heading_ids_and_unnumbered_chapters(tmp_path):
    write_manuscript(tmp_path, {
        "1.md": "# 序 {.unnumbered}\n\n见[细节](2.md#details)。\n",
        "2.md": "# 正文 {#main}\n\n## 细节 {#details .x}\n\n回[正文](#main)。\n",
        "3.md": "# 跋 {-}\n\n完。\n\n# 附录\n\n附。\n"})
    book = read(tmp_path)
    assert [(m.plain_text(c.title), c.number) for c in book.chapters] == [
        ("序", None), ("正文", 1), ("跋", None), ("附录", 2)]
    assert book.chapters[0].classes == ("unnumbered",)
    assert m.plain_text(book.chapters[1].sections[0].title) == "细节"
    links = [n for c in book.chapters for b in blocks(c) if isinstance(b, m.Paragraph)
             for n in b.inlines if isinstance(n, m.Link)]
    assert [link.target for link in links] == ["#ch02-s1", "#ch02"]


def test_the_default_numbering_is_kept(tmp_path):
    book = read(Path(__file__).parent.parent / "manuscript")
    assert [c.number for c in book.chapters] == [1, 2, 3, 4, 5, 6]


# --- the EPUB -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_book() -> m.Book:
    return read(CASE)


@pytest.fixture(scope="module")
def epub_files(case_book, tmp_path_factory) -> dict[str, str]:
    path = epub.write(case_book, tmp_path_factory.mktemp("epub"), OPTIONS)
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}


def test_epub_markup(epub_files):
    root = ET.fromstring(epub_files["EPUB/ch02.xhtml"])
    tags = {el.tag.removeprefix(XHTML) for el in root.iter()}
    assert {"del", "sub", "sup", "abbr", "dl", "dt", "dd", "figcaption"} <= tags
    abbr = next(el for el in root.iter(XHTML + "abbr"))
    assert abbr.get("title") == "Hyper Text Markup Language"
    tasks = [li for li in root.iter(XHTML + "li") if "task" in (li.get("class") or "")]
    assert ["".join(li.itertext()).strip() for li in tasks] == [
        "☑ 写完第一章", "☐ 写第二章", "☑ 编号的任务"]
    notes = [el for el in root.iter(XHTML + "div") if "admonition" in el.get("class", "")]
    assert all(el.get("role") == "note" for el in notes)
    assert ["".join(el[0].itertext()) for el in notes[:6]] == [
        "注意", "提示", "重要", "警告", "谨慎", "自定的标题"]
    caption = next(el for el in root.iter(XHTML + "figcaption"))
    assert caption.get("aria-hidden") == "true"  # it repeats the alt, which is read


def test_epub_links_to_explicit_ids_and_unnumbered_labels(epub_files):
    assert 'href="ch02.xhtml#ch02-s2">架构</a>' in epub_files["EPUB/ch01.xhtml"]
    assert 'href="ch02.xhtml#ch02-s1">任务</a>' in epub_files["EPUB/ch03.xhtml"]
    nav = ET.fromstring(epub_files["EPUB/nav.xhtml"])
    entries = ["".join(a.itertext()) for a in nav.iter(XHTML + "a")]
    assert entries[:5] == ["前言", "第一章\u3000行内与块", "任务", "架构", "最后一章"]
    assert "第二章\u3000附录" in entries


# --- the text edition ---------------------------------------------------------------------

def test_text_edition(case_book):
    lines = txt.render(case_book).split("\n")
    for expected in ("☑ 写完第一章", "☐ 写第二章", "• 不是任务的一项", "1. ☑ 编号的任务",
                     "    【注意】", "    注意的事。", "    【谨慎】", "术语", "    一个词的解释。",
                     "　　用 HTML 和 CSS 写网页。"):
        assert expected in lines, expected
    assert "Hyper Text" not in "\n".join(lines)


# --- the print edition --------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(case_book, tmp_path_factory) -> Path:
    return pdf.write(case_book, tmp_path_factory.mktemp("pdf"), OPTIONS)


def page_with(path: Path, text: str) -> int:
    with pdfplumber.open(path) as doc:
        return next(i for i, p in enumerate(doc.pages) if text in (p.extract_text() or ""))


def chars_of(path: Path, index: int) -> list[dict]:
    with pdfplumber.open(path) as doc:
        return doc.pages[index].chars


def run(chars: list[dict], text: str) -> list[dict]:
    """The characters of the first run of ``text`` among ``chars``."""
    joined = "".join(c["text"] for c in chars)
    start = joined.index(text)
    return chars[start:start + len(text)]


def baseline(char: dict) -> float:
    return char["matrix"][5]  # PDF y, upward


@pytest.mark.slow
def test_scripts_and_strikeout_on_the_page(printed):
    index = page_with(printed, "删去的话")
    chars = chars_of(printed, index)
    h, sub, o = run(chars, "H2O")
    c, sup = run(chars, "mc2")[1:]
    assert sub["size"] < h["size"] and baseline(sub) < baseline(h) - 1 and baseline(o) == baseline(h)
    assert sup["size"] < c["size"] and baseline(sup) > baseline(c) + 1
    struck = run(chars, "删去的话")
    with pdfplumber.open(printed) as doc:
        rules = doc.pages[index].lines + doc.pages[index].rects
    assert any(r["x0"] <= struck[0]["x0"] + 1 and r["x1"] >= struck[-1]["x1"] - 1
               and struck[0]["top"] < r["top"] < struck[0]["bottom"] for r in rules)


@pytest.mark.slow
def test_task_boxes_on_the_page(printed):
    chars = chars_of(printed, page_with(printed, "写完第一章"))
    boxes = [c for c in chars if c["text"] in "☐☑"]
    assert [c["text"] for c in boxes] == ["☑", "☐", "☑"]
    assert all("Emoji" not in c["fontname"] for c in boxes)  # a black box, as the text
    done, plain = run(chars, "写完第一章")[0], run(chars, "不是任务的一项")[0]
    assert boxes[0]["x1"] <= done["x0"] and abs(boxes[0]["top"] - done["top"]) < done["size"]
    assert abs(done["x0"] - plain["x0"]) < 1  # the box hangs where the bullet would


def rule_left_of(png: Path, top: float, bottom: float, right: float, dpi: int) -> tuple[int, int]:
    """(width in pixels, darkest grey) of the dark run just left of ``right`` (pt), in
    the rows between ``top`` and ``bottom`` (pt) of a greyscale page image."""
    image = Image.open(png).convert("L")
    scale = dpi / 72
    row = int((top + bottom) / 2 * scale)
    values = [image.getpixel((x, row)) for x in range(int(right * scale))]
    dark = [x for x, v in enumerate(values) if v < 200]
    if not dark:
        return 0, 255
    last = dark[-1]
    first = last
    while first - 1 in dark:
        first -= 1
    return last - first + 1, min(values[first:last + 1])


@pytest.mark.slow
def test_admonitions_on_the_page(printed, tmp_path):
    index = page_with(printed, "注意的事")
    chars = chars_of(printed, index)
    title = run(chars, "注意")
    assert all("Sans-CJK-SC-Bold" in c["fontname"] for c in title)
    subprocess.run(["pdftoppm", "-r", "144", "-gray", "-png", "-f", str(index + 1),
                    "-l", str(index + 1), "-singlefile", str(printed), str(tmp_path / "p")],
                   check=True)
    widths = {}
    for kind, body in (("note", "注意的事。"), ("warning", "警告的事。")):
        text = run(chars, body)
        widths[kind] = rule_left_of(tmp_path / "p.png", text[0]["top"], text[0]["bottom"],
                                    text[0]["x0"] - 1, 144)
    (note_width, note_grey), (warning_width, warning_grey) = widths["note"], widths["warning"]
    assert note_width >= 2 and warning_width > note_width  # a heavier rule for a warning
    assert warning_grey < note_grey < 200                  # and darker: apart in greyscale


@pytest.mark.slow
def test_definitions_figures_and_links_on_the_page(printed):
    chars = chars_of(printed, page_with(printed, "一个词的解释"))
    term, definition = run(chars, "术语")[0], run(chars, "一个词的解释")[0]
    assert definition["x0"] - term["x0"] >= 1.5 * definition["size"]
    index = page_with(printed, "图 1-1 架构")
    with pdfplumber.open(printed) as doc:
        page = doc.pages[index]
        caption = run(page.chars, "图 1-1 架构")
        assert any(img["bottom"] <= caption[0]["top"] for img in page.images)
    reader = PdfReader(printed)
    heading = page_with(printed, "架构\n")
    targets = [reader.get_destination_page_number(reader.named_destinations[str(a["/Dest"])])
               for a in (x.get_object() for x in reader.pages[page_with(printed, "这一章不编号")]
                         .get("/Annots", []))]
    assert heading in targets


@pytest.mark.slow
def test_unnumbered_chapters_on_the_page(printed):
    with pdfplumber.open(printed) as doc:
        toc = next(p.extract_text() for p in doc.pages if "目录" in (p.extract_text() or ""))
    lines = [re.sub(r"[\s·.]+\d*$", "", line) for line in toc.split("\n")]
    assert "前言" in lines and "最后一章" in lines
    assert any(line.startswith("第一章") and "行内与块" in line for line in lines)
    assert any(line.startswith("第二章") and "附录" in line for line in lines)
