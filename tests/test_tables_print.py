"""Tables that fit the page and the Chinese house style, read off the PDF as a
proofreader would (pdfplumber: glyph positions, sizes, font names, rules).

The rules measured come from the printed book, not from the code:
- nothing is set past the right edge of the text block (版心);
- no word is hyphenated in a table cell (Python, WeasyPrint, macOS whole on
  one line) and a short Chinese cell (维护中) is not broken;
- the type of a table steps down no further than 8 pt; a table too wide even
  so stands on a page turned a quarter, its top at the left of the upright
  page (a broadside table), inside that page's text block;
- a table is a three-line table (三线表; GB/T 7713.1's and booktabs' style):
  horizontal rules only, the top and bottom ones heavier than the one under
  the head;
- a Chinese block quotation is set in a Kai face (楷体), its attribution
  (——佚名) on a line of its own, ending at the right edge of the quotation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from epub_validation import check

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf
from publish.writers.pdf import page_geometry, parse_trim

OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
PAGE = page_geometry(parse_trim("a5"))
TOKEN = "a3f9c2e18b7d4f6a0c5e9b2d8f1a7c3e6b0d4f8a" * 4  # 160 characters, no break

EIGHT = """| 名称 | 语言 | 许可证 | 平台 | 状态 | 星标 | 说明 | 首发 |
|---|---|---|---|---|---|---|---|
| WeasyPrint | Python | BSD | Linux、macOS、Windows | 维护中 | 7.2k | 把 HTML 和 CSS 排成 PDF 的库，支持分页媒体与脚注 | 2011 |
| Pandoc | Haskell | GPL | Linux、macOS、Windows | 维护中 | 35k | 文档格式转换的瑞士军刀 | 2006 |
"""
TOKENS = f"""| 键 | 值 | 类型 | 说明 |
|---|---|---|---|
| token | {TOKEN} | 字符串 | 访问令牌，勿外泄 |
| ttl | 3600 | 整数 | 有效期（秒） |
"""
WIDE = ("| " + " | ".join(f"第{n}列" for n in range(1, 12)) + " |\n|" + "---|" * 11 + "\n| "
        + " | ".join(["Python", "WeasyPrint", "macOS", "维护中", "JavaScript", "TypeScript",
                      "PostgreSQL", "Kubernetes", "Prometheus", "Wireshark", "Elasticsearch"])
        + " |\n")
BOOK = {
    "book.toml": 'title = "表格与引文"\nlanguage = "zh-Hans"\n',
    "ch1.md": f"# 第一章\n\n八列的表。\n\n{EIGHT}\n有长标识符的表。\n\n{TOKENS}\n"
              f"太宽的表。\n\n{WIDE}\n表后的正文。\n",
    "ch2.md": "# 第二章\n\n> 天下难事，必作于易；天下大事，必作于细。是以圣人终不为大，故能成其大。\n"
              "> ——佚名\n\n正文。\n",
    # a table in a quotation: its measure is the quotation's, 4 em narrower
    "ch3.md": "# 第三章\n\n> 引文里的表：\n>\n> | 名称 | 语言 | 平台 | 状态 | 说明 |\n"
              "> |---|---|---|---|---|\n> | Rustacean | Python | Linux、macOS、Windows | "
              "维护中 | 把 HTML 和 CSS 排成 PDF 的库，支持分页媒体与脚注 |\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[m.Book, Path]:
    folder = write_manuscript(tmp_path_factory.mktemp("tables") / "book", BOOK)
    book = read(folder)
    return book, pdf.write(book, folder.parent / "out", OPTIONS)


def pages(path: Path) -> list[pdfplumber.page.Page]:
    doc = pdfplumber.open(path)
    return doc.pages


def text_block(index: int) -> tuple[float, float]:
    """The left and right edges of the text block of upright page ``index`` (0: a recto)."""
    left = PAGE.inner if index % 2 == 0 else PAGE.outer
    return left, left + PAGE.measure


def glyphs(page, text: str) -> list[dict]:
    """The glyphs of the first place ``text`` is set, line by line as drawn."""
    chars = [c for c in page.chars if c["text"].strip()]
    joined = "".join(c["text"] for c in chars)
    at = joined.find(text)
    return chars[at:at + len(text)] if at >= 0 else []


def page_with(path: Path, text: str):
    for index, page in enumerate(pages(path)):
        if text in "".join(c["text"] for c in page.chars if c["text"].strip()):
            return index, page
    raise AssertionError(f"{text!r} is on no page")


@pytest.mark.slow
def test_nothing_passes_the_right_edge_of_the_text_block(built):
    _, path = built
    for index, page in enumerate(pages(path)):
        if page.rotation:
            continue  # the broadside page: its own test
        left, right = text_block(index)
        past = [c["text"] for c in page.chars if c["x1"] > right + 0.5 and c["top"] < PAGE.top
                + PAGE.block_height]
        assert not past, (index, "".join(past)[:40])


@pytest.mark.slow
def test_words_in_cells_are_not_hyphenated_and_short_han_cells_not_broken(built):
    _, path = built
    index, page = page_with(path, "维护中")
    for word in ("Python", "WeasyPrint", "macOS", "维护中", "Windows"):
        found = glyphs(page, word)
        assert len(found) == len(word), word                  # whole: no hyphen in it
        assert len({round(c["top"]) for c in found}) == 1, word  # on one line
    text = "".join(c["text"] for c in page.chars)
    for broken in ("Py-", "Weasy-", "ma-", "Win-"):
        assert broken not in text


@pytest.mark.slow
def test_a_long_token_breaks_anywhere_without_a_hyphen_and_stays_inside(built):
    _, path = built
    index, page = page_with(path, TOKEN[:20])
    chars = [c for c in page.chars if c["text"] in TOKEN and c["size"] < PAGE.font_size]
    rows = sorted({round(c["top"]) for c in chars if c["x0"] > PAGE.outer + 40})
    assert len(rows) >= 3                                    # broken over lines
    text = re.sub(r"\s", "", "".join(c["text"] for c in page.chars))
    assert TOKEN in text                                     # every character, no hyphen
    assert max(c["x1"] for c in page.chars) <= text_block(index)[1] + 0.5


@pytest.mark.slow
def test_a_table_in_a_quotation_fits_the_quotation(built):
    _, path = built
    index, page = page_with(path, "Rustacean")
    right = text_block(index)[1] - 2 * PAGE.font_size    # the quotation's right edge
    inside = [c for c in page.chars if c["text"].strip()
              and PAGE.top <= c["top"] <= PAGE.top + PAGE.block_height]  # no head, no folio
    assert max(c["x1"] for c in inside) <= right + 0.5
    for word in ("Rustacean", "Python", "维护中"):
        found = glyphs(page, word)
        assert len(found) == len(word) and len({round(c["top"]) for c in found}) == 1, word
    assert not any("Kai" in c["fontname"] for c in glyphs(page, "维护中"))  # the body face


@pytest.mark.slow
def test_type_steps_down_to_no_less_than_8_pt(built):
    _, path = built
    index, page = page_with(path, "维护中")
    sizes = {round(c["size"], 2) for c in glyphs(page, "WeasyPrint")}
    assert sizes and all(8 <= s < 0.9 * PAGE.font_size for s in sizes), sizes


@pytest.mark.slow
def test_a_table_too_wide_even_at_8_pt_stands_on_a_turned_page(built):
    _, path = built
    index, page = page_with(path, "Elasticsearch")
    assert page.rotation == 270                       # turned counter-clockwise: top at the left
    assert page.width < page.height                   # shown upright, as the book's pages
    assert "表后的正文" not in "".join(c["text"] for c in page.chars)  # a page of its own
    # The page was laid out across the trim: its text block is the upright
    # page's, turned (pdfplumber gives positions as the page is shown).
    chars = [c for c in page.chars if c["text"].strip()]
    assert min(c["x0"] for c in chars) >= PAGE.top - 0.5 and \
        max(c["x1"] for c in chars) <= PAGE.top + PAGE.measure + 0.5 + PAGE.bottom
    for word in ("Python", "WeasyPrint", "Elasticsearch", "维护中"):
        assert len(glyphs(page, word)) == len(word), word  # whole, each on one line


@pytest.mark.slow
def test_three_line_table_rules(built):
    _, path = built
    index, page = page_with(path, "维护中")
    rules = [(round(r["top"], 1), round(r["linewidth"], 2), r["x1"] - r["x0"])
             for r in page.lines] + [(round(r["top"], 1), round(min(r["height"], r["width"]), 2),
                                      r["x1"] - r["x0"]) for r in page.rects]
    assert rules and all(r["x0"] != r["x1"] or r["top"] == r["bottom"]
                         for r in page.lines)            # no vertical rule
    assert all(abs(r["y0"] - r["y1"]) < 0.01 for r in page.lines)
    by_height: dict[float, float] = {}
    for top, weight, _ in rules:
        by_height[top] = max(by_height.get(top, 0), weight)
    tops = sorted(by_height)[:3]  # the first table's: top rule, head rule, bottom rule
    top, head, bottom = (by_height[t] for t in tops)
    assert top > head and bottom > head, (top, head, bottom)


@pytest.mark.slow
def test_a_quotation_is_set_in_kai_with_its_attribution_flush_right(built):
    _, path = built
    index, page = page_with(path, "佚名")
    quote = glyphs(page, "天下难事")
    assert quote and all("Kai" in c["fontname"] for c in quote), {c["fontname"] for c in quote}
    body = glyphs(page, "正文")
    assert body and not any("Kai" in c["fontname"] for c in body)
    by = glyphs(page, "——佚名")
    last = glyphs(page, "故能成其大。")
    assert by[0]["top"] > last[-1]["top"] + 1                # a line of its own
    assert round(by[-1]["top"]) == round(by[0]["top"])
    line_of_by = [c for c in page.chars if abs(c["top"] - by[0]["top"]) < 1 and c["text"].strip()]
    assert line_of_by[0]["text"] == "—"                      # starts that line
    quote_right = text_block(index)[1] - 2 * PAGE.font_size  # quotation indented 2 em each side
    assert abs(by[-1]["x1"] - quote_right) < 0.6, (by[-1]["x1"], quote_right)


@pytest.mark.slow
def test_the_epub_of_such_a_book_is_valid(built, tmp_path):
    book, _ = built
    path = epub.write(book, tmp_path, OPTIONS)
    report = check(path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


@pytest.mark.slow
@pytest.mark.parametrize("language, kai", [("zh-Hant", "UKai-TW"), ("en", None)])
def test_the_quotation_face_follows_the_language(tmp_path, language, kai):
    """Traditional Chinese quotes in its own Kai forms; an English book keeps
    its body face (Latin quotations are not set in a Kai face)."""
    text = "> 天下難事，必作於易。\n> ——佚名\n" if language == "zh-Hant" else \
        "> The only way to do great work is to love what you do.\n> -- Steve Jobs\n"
    folder = write_manuscript(tmp_path / "b", {
        "book.toml": f'title = "Q"\nlanguage = "{language}"\n', "a.md": "# One\n\n" + text})
    path = pdf.write(read(folder), tmp_path / "out", OPTIONS)
    words = "天下難事" if kai else "Theonlyway"
    index, page = page_with(path, words)
    faces = {c["fontname"].split("+")[-1] for c in glyphs(page, words)}
    if kai:
        assert faces == {f"AR-PL-{kai}"}, faces
    else:
        assert not any("Kai" in f for f in faces), faces
    by = glyphs(page, "SteveJobs" if not kai else "佚名")
    right = text_block(index)[1] - 2 * PAGE.font_size
    assert abs(by[-1]["x1"] - right) < 0.6
