"""Line breaking as a reader sees it on the page (pdfplumber): long identifiers
and URLs break where a reader expects and never leave the text block, no
hyphen is added to code, a URL or a name, no line is letter-spaced, and the
no-break rules of clreq hold beside inline elements (code, links, emphasis,
note calls, ruby)."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from pypdf import PdfReader

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import pdf

pytestmark = pytest.mark.slow
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
A5 = pdf.page_geometry(pdf.TRIMS["a5"])
# clreq 3.1.7 (written out from the rule, not from publish.typography)
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’")
NO_LINE_END = set("（《「『【〔〈“‘")
HAN = re.compile(r"[\u4e00-\u9fff]")
FILL = "这是用来测试断行的一段文字我们需要足够多的汉字才能把括号推到行尾看看会怎样"
TOKEN = "make_initialized_handler_for_the_request_pipeline_" * 3  # 150 characters
URL = "https://example.com/very-long-path-segment/another-very-long-segment/index.html"
PROSE = [
    f"这里有两个函数，`make_handler` 和 `{TOKEN}`，它们的作用相同，只是后者会先初始化。",
    "使用 `someVeryLongCamelCaseIdentifierThatGoesOnAndOn` 和 "
    "`another::namespaced::function_name` 这两个名字的时候要小心一点儿。",
    f"完整的说明可以在这里找到：{URL} 这是一个很长的网址，读者需要完整地复制它。",
    "他在 DeepSeek 公司工作，同事 Meiling 负责 WeasyPrint 和 JavaScript 的维护，"
    "还有 macOS 上的 internationalization 和 localization 的事情。",
]
# each pattern is tried at every position around the line end
AROUND_ELEMENTS = ["的 `self->next->previous->value` 的", "的 `git-commit-message-template` 的",
                   "的 WeasyPrint 和 JavaScript 的", "的 DeepSeek 公司的", f"的网址 {URL} 的",
                   "（`Promise<void>`）的", "“[链接](https://example.com)”的", "《*强调的书名*》的",
                   "“`x`”。的", "文字[^1]”。的", "（**粗体**）的", "“{甲|jiǎ}”。的"]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    paragraphs = PROSE + [FILL[:k] + pattern + "对象。" for pattern in AROUND_ELEMENTS
                          for k in range(22, 31)]
    folder = write_manuscript(tmp_path_factory.mktemp("breaking"), {"book.md": (
        "---\ntitle: 断行\nlanguage: zh-Hans\n---\n\n# 第一章\n\n" + "\n\n".join(paragraphs)
        + "\n\n[^1]: 注释。\n\n# 第二章 `querySelectorAll` 与 https://example.com/a-b\n\n正文。\n")})
    return pdf.write(read(folder / "book.md"), folder / "out", OPTIONS)


def lines(path: Path) -> list[tuple[int, list[dict]]]:
    """Every line of text of the body pages (grouped by baseline), with its page."""
    out = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages):
            rows: dict[int, list[dict]] = {}
            for c in page.chars:
                if c["text"].strip() and A5.top <= c["top"] <= A5.top + A5.block_height:
                    rows.setdefault(round(c["matrix"][5]), []).append(c)
            for _, chars in sorted(rows.items(), reverse=True):
                out.append((number, chars))  # drawing order
    return out


def body_text(path: Path) -> str:
    return "".join(c["text"] for _, chars in lines(path) for c in chars)


def test_nothing_past_the_text_block(book):
    with pdfplumber.open(book) as document:
        for number, page in enumerate(document.pages):
            left = A5.inner if number % 2 == 0 else A5.outer
            for c in page.chars:
                assert left - 1 <= c["x0"] and c["x1"] <= left + A5.measure + 1, (number, c["text"])


def test_tokens_whole_and_in_order_with_no_hyphen_added(book):
    """The PDF's text holds each token exactly as written: breaking added nothing
    (no hyphen, no zero-width space) to code, the URL or the names."""
    text = body_text(book)
    for token in (TOKEN, URL, "self->next->previous->value", "git-commit-message-template",
                  "someVeryLongCamelCaseIdentifierThatGoesOnAndOn",
                  "another::namespaced::function_name", "WeasyPrint", "JavaScript", "DeepSeek"):
        assert token in text, token
    assert "\u200b" not in text


def test_no_line_ends_with_a_hyphen_of_code_or_a_url(book):
    """A line-final hyphen reads as a word's and is dropped when the text is
    copied: code and URLs break before a hyphen, never after one; only an
    English word may end a line hyphenated."""
    found = lines(book)
    for (_, chars), (_, after) in zip(found, found[1:]):
        line = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
        if line.endswith("-"):
            word = re.search(r"[A-Za-z]*$", line[:-1]).group()
            joined = word + "".join(c["text"] for c in after)
            assert word and re.match(r"(internationalization|localization)", joined), line


def test_names_stay_on_one_line(book):
    for _, chars in lines(book):
        line = "".join(c["text"] for c in chars)
        for name in ("WeasyPrint", "JavaScript", "DeepSeek", "macOS", "Meiling"):
            for cut in range(2, len(name) - 1):
                assert not line.endswith(name[:cut] + "-"), line
                assert not line.endswith(name[:cut]) or name in line, line


def test_no_letter_spaced_line(book):
    """The median gap between neighbouring Han characters of a line stays within 1/4 em."""
    for number, chars in lines(book):
        chars = sorted(chars, key=lambda c: c["x0"])
        gaps = [(b["x0"] - a["x1"]) / A5.font_size for a, b in zip(chars, chars[1:])
                if HAN.match(a["text"]) and HAN.match(b["text"])]
        if len(gaps) >= 3:
            assert statistics.median(gaps) <= 0.25, (number, "".join(c["text"] for c in chars))


def test_kinsoku_beside_inline_elements(book):
    checked = 0
    for number, chars in lines(book):
        chars = sorted(chars, key=lambda c: c["x0"])
        line = "".join(c["text"] for c in chars)
        if len(line) < 3:
            continue  # a folio
        checked += 1
        assert line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END, (number, line)
    assert checked > 60


def test_bookmarks_hold_code_and_urls_as_written(book):
    titles = [item.title for item in PdfReader(book).outline if not isinstance(item, list)]
    assert "第二章 querySelectorAll 与 https://example.com/a-b" in titles, titles
