"""Nothing lost silently: content the print edition sets past the text block is a
warning naming the chapter, the file and the line (an error with --strict)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, case_manuscript, case_names, write_manuscript
from PIL import Image

from publish import model as m
from publish.cli import cli
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import pdf
from publish.writers.pdf import overflow
from publish.writers.pdf.codefit import CodeMeasure

OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
PAST = re.compile(r"past the (right edge|left edge|bottom) of the text block")


def table(columns: int, cell: str) -> str:
    """A table of ``columns`` columns; one of many columns is wider than a page
    turned a quarter even when its words break (tables.fit), so it passes the
    text block."""
    head = "| " + " | ".join(f"H{i}" for i in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join(cell for _ in range(columns)) + " |"
    return "\n".join([head, rule, row, row]) + "\n"


URL = "https://example.com/" + "a1b2c3d4e5" * 30
#: (chapter text after "# 第三章\n\n前文。\n\n", line of the culprit, words the warning holds)
CASES = {
    "table60": (table(60, "1"), 5, ["a table", "right edge", "columns cut off"]),
    "table90": (table(90, "123"), 5, ["a table", "right edge", "columns cut off"]),
    "word": ("一个很长的词：" + "x" * 5000 + "。\n", 5, ["a line of text", "text cut off"]),
    "url": (f"网址 <{URL}> 见此。\n", 5, ["a line of text", "text cut off"]),
    "code": ("```js\nconst a = 1;\nconst " + "x" * 150 + " = 2;\n```\n", 7,
             ["a code line", "text cut off"]),
    "inline-image": ("![宽图](images/wide.png) 段首的宽图。\n", 5, ["an image", "right edge"]),
    "tall-image": ("![高图](images/tall.png)\n", 5, ["an image", "bottom", "cut off"]),
    "footnote": ("脚注在此[^1]。\n\n[^1]: 见 " + URL + " 和 " + URL + "/b 。\n", 7,
                 ["a footnote", "cut off"]),
}


#: What lets a code line or an image reach past the text block again (the theme
#: wraps code lines and fits images: see test_print_fit.py): a style.css that
#: lifts the images' limits, and the print renderer's wrapping of code lines
#: turned off (``code_as_written``) with a ``pre`` that never breaks; for a
#: word, a URL or one in a note, a style.css that takes away the last resort.
NO_BREAKING = ".long, pre, code, .url { overflow-wrap: normal; }\n"
UNFITTED = {
    "word": NO_BREAKING,  # the theme's last resort: a word longer than the line breaks
    "url": NO_BREAKING,
    "footnote": NO_BREAKING,
    "code": "pre { white-space: pre; }\n",
    "inline-image": "img:not(.math), figure > img:not(.math) { max-height: none; }\n",
    "tall-image": "img:not(.math), figure > img:not(.math) { max-height: none; }\n",
}


@pytest.fixture
def code_as_written(monkeypatch):
    """Code lines set as they are written: the renderer measures no code box, so wraps none."""
    monkeypatch.setattr(CodeMeasure, "columns", lambda self, context: None)


def _book(folder: Path, body: str, style: str = "") -> Path:
    files: dict[str, str | bytes] = {
        "book.toml": 'title = "溢出"\n',
        "ch1.md": "# 第一章\n\n第一章的正文。\n",
        "ch3.md": "# 第三章\n\n前文。\n\n" + body + "\n后文。\n",
    }
    if style:
        files["style.css"] = style
    write_manuscript(folder, files)
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (3000, 200), "red").save(folder / "images" / "wide.png")
    Image.new("RGB", (200, 5000), "blue").save(folder / "images" / "tall.png")
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_content_past_the_text_block_is_a_warning_and_strict_fails(name, tmp_path,
                                                                   code_as_written):
    body, line, words = CASES[name]
    book = _book(tmp_path / "book", body, UNFITTED.get(name, ""))
    strict = CliRunner().invoke(cli, ["pdf", str(book), "-o", str(tmp_path / "strict"),
                                      "--strict"])
    assert strict.exit_code == 1, strict.output
    assert "Error: aborted: 1 warning in strict mode" in strict.stderr
    assert not (tmp_path / "strict").exists()    # nothing written
    warnings = [w for w in strict.stderr.splitlines() if w.startswith("WARNING:")]
    assert len(warnings) == 1, warnings          # one per block, not one per line or cell
    warning = warnings[0]
    assert warning.startswith(f"WARNING: {book / 'ch3.md'}:{line}: chapter 第三章: "), warning
    assert PAST.search(warning), warning
    for word in words:
        assert word in warning, warning


@pytest.mark.parametrize("name", ["word", "url", "footnote", "code", "tall-image"])
def test_the_default_theme_keeps_them_inside_the_text_block(name, tmp_path, warnings_logged):
    book = _book(tmp_path / "book", CASES[name][0])
    pdf.write(read(book), tmp_path / "out", OPTIONS)
    assert not [w for w in warnings_logged() if PAST.search(w)]


def test_without_strict_the_pdf_is_written_and_the_exit_status_is_0(tmp_path):
    book = _book(tmp_path / "book", table(90, "123"))
    result = CliRunner().invoke(cli, ["pdf", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "columns cut off" in result.stderr
    assert [p.suffix for p in (tmp_path / "out").iterdir() if p.is_file()] == [".pdf"]


def test_several_blocks_each_warn_once_with_their_own_line(tmp_path, warnings_logged,
                                                          code_as_written):
    body = (table(90, "123") + "\n中间一段。\n\n```\n" + ("y" * 150 + "\n") * 3 + "```\n\n"
            + "又一个词：" + "z" * 400 + "。\n")
    book = _book(tmp_path / "book", body, UNFITTED["code"] + NO_BREAKING)
    pdf.write(read(book), tmp_path / "out", OPTIONS)
    found = [w for w in warnings_logged() if PAST.search(w)]
    where = [w.split(": chapter")[0] for w in found]
    assert where == [f"{book / 'ch3.md'}:{n}" for n in (5, 13, 18)], found
    assert [w.split(": ")[2].split(" runs")[0] for w in found] == [
        "a table", "a code line", "a line of text"]


def test_trailing_blanks_of_a_code_line_are_not_content(tmp_path, warnings_logged):
    """White space kept by ``pre-wrap`` past the edge is nothing lost."""
    book = _book(tmp_path / "book", "```\nconst a = 1;" + " " * 200 + "\nb();\n```\n")
    pdf.write(read(book), tmp_path / "out", OPTIONS)
    assert not [w for w in warnings_logged() if PAST.search(w)]


def test_a_single_file_manuscript_names_its_line(tmp_path, warnings_logged):
    path = tmp_path / "book.md"
    path.write_text("---\ntitle: 单文件\n---\n\n# 第一章\n\n正文。\n\n# 第二章\n\n"
                    "正文。\n\n" + table(90, "123"), encoding="utf-8")
    pdf.write(read(path), tmp_path / "out", OPTIONS)
    found = [w for w in warnings_logged() if PAST.search(w)]
    assert len(found) == 1 and found[0].startswith(f"{path}:13: chapter 第二章: a table"), found


def test_text_found_elsewhere_too_is_placed_at_its_own_block(tmp_path, warnings_logged,
                                                            code_as_written):
    """The same cells in an earlier chapter and in the prose before the table, the same
    long code line in two code blocks: each warning names its own block's line."""
    line = "call(" + "q" * 150 + ")"
    write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "两章"\n',
        "style.css": UNFITTED["code"],
        "a.md": ("# 甲\n\n" + table(3, "123") + "\n# 乙\n\n正文提到 H0 和 H12。\n\n"
                 + table(90, "123") + f"\n```\n{line}\n```\n\n```\n{line}\n```\n"),
    })
    pdf.write(read(tmp_path / "book"), tmp_path / "out", OPTIONS)
    found = [w for w in warnings_logged() if PAST.search(w)]
    a = tmp_path / "book" / "a.md"
    assert [w.split(": a ")[0] for w in found] == [
        f"{a}:12: chapter 乙", f"{a}:18: chapter 乙", f"{a}:22: chapter 乙"], found


def test_describe_says_how_far_and_what_is_lost():
    item = overflow.Overflow("table", None, "", "H12", right=42 / overflow.PX_TO_MM,
                             off_page=True, page=9)
    assert overflow.describe(item) == ("a table runs 42 mm past the right edge of the text "
                                       "block on PDF page 9 (columns cut off in the PDF)")
    item = overflow.Overflow("image", None, "", "a.png", right=7.4 / overflow.PX_TO_MM, page=3)
    assert "7.4 mm past the right edge" in overflow.describe(item)
    assert "into the margin" in overflow.describe(item)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["default", *case_names()])
def test_ordinary_books_give_no_overflow_warning(name, tmp_path, warnings_logged):
    source = ROOT / "manuscript" if name == "default" else case_manuscript(name)
    pdf.write(read(source), tmp_path, OPTIONS)
    assert not [w for w in warnings_logged() if PAST.search(w)]


@pytest.mark.slow
def test_other_trims_bleed_and_marks_give_no_overflow_warning(tmp_path, warnings_logged):
    for options in (m.BuildOptions(theme_dir=OPTIONS.theme_dir,
                                   values={"trim": "32k", "bleed": "3mm", "marks": True}),
                    m.BuildOptions(theme_dir=OPTIONS.theme_dir,
                                   values={"trim": "16k", "profile": "screen"})):
        pdf.write(read(ROOT / "manuscript"), tmp_path, options)
    assert not [w for w in warnings_logged() if PAST.search(w)]


def test_a_theme_that_clips_code_is_reported_too(tmp_path, warnings_logged, code_as_written):
    """``overflow: hidden`` on ``pre`` cuts a long line at the box, inside the text block."""
    theme = tmp_path / "theme"
    theme.mkdir()
    for name in ("base.css", "print.css"):
        (theme / name).write_text((theme_dir("default") / name).read_text(encoding="utf-8"),
                                  encoding="utf-8")
    with (theme / "print.css").open("a", encoding="utf-8") as css:
        css.write("pre { overflow: hidden; margin-right: 5em; white-space: pre; }\n")
    book = _book(tmp_path / "book", "```\nconst a = 1;\nvar " + "x" * 66 + " = 1;\n```\n")
    pdf.write(read(book), tmp_path / "out", m.BuildOptions(theme_dir=theme))
    found = [w for w in warnings_logged() if "past the" in w]
    assert len(found) == 1, found
    assert found[0].startswith(f"{book / 'ch3.md'}:7: chapter 第三章: a code line runs ")
    assert "of a box with overflow: hidden" in found[0] and "cut off in the PDF" in found[0]
    pdf.write(read(book), tmp_path / "out", OPTIONS)   # the same line fits the text block
    assert len([w for w in warnings_logged() if "past the" in w]) == 1


def test_a_legacy_encoded_manuscript_names_its_line(tmp_path, warnings_logged):
    folder = tmp_path / "book"
    write_manuscript(folder, {
        "book.toml": 'title = "旧编码"\nencoding = "gb18030"\n',
        "ch1.md": ("# 第一章\n\n正文。\n\n" + table(90, "数据")).encode("gb18030"),
    })
    pdf.write(read(folder), tmp_path / "out", OPTIONS)
    found = [w for w in warnings_logged() if PAST.search(w)]
    assert len(found) == 1 and found[0].startswith(f"{folder / 'ch1.md'}:5: chapter 第一章: "
                                                   "a table"), found


TECHBOOK = CORPUS / "techbook-js-tutorial" / "book.md"


def _techbook_lines(first_heading: str, last_heading: str) -> str:
    """The techbook's chapters from ``# first_heading`` up to ``# last_heading``."""
    lines = TECHBOOK.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"# {first_heading}\n")
    end = lines.index(f"# {last_heading}\n", start)
    return "".join(lines[start:end])


@pytest.mark.slow
@pytest.mark.skipif(not TECHBOOK.is_file(), reason="../shared/corpus is not here")
def test_techbook_chapters_with_code_and_tables_give_no_false_warning(tmp_path, warnings_logged):
    """鼠标事件 and Cookie/XMLHttpRequest: tables, long code lines that wrap at spaces."""
    write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "JavaScript 片段"\n',
        "a.md": _techbook_lines("鼠标事件", "进度事件"),
        "b.md": _techbook_lines("Cookie", "同源限制"),
    })
    pdf.write(read(tmp_path / "book"), tmp_path / "out", OPTIONS)
    assert not [w for w in warnings_logged() if PAST.search(w)]


@pytest.mark.slow
@pytest.mark.skipif(not TECHBOOK.is_file(), reason="../shared/corpus is not here")
def test_techbook_window_chapter_code_lines_stay_in_their_box(tmp_path, warnings_logged):
    """The whole techbook had one real case, in two code blocks of "window 对象": a
    74-character string with no break opportunity ended 0.8 mm into the margin.  The
    print renderer now breaks it inside its box."""
    write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "JavaScript 片段"\n',
        "window.md": _techbook_lines("window 对象", "Navigator 对象，Screen 对象。"),
    })
    pdf.write(read(tmp_path / "book"), tmp_path / "out", OPTIONS)
    assert not [w for w in warnings_logged() if PAST.search(w)]


def test_the_check_changes_nothing_in_the_pdf(tmp_path, monkeypatch):
    """It reads the laid-out boxes (and measures trailing blanks on a layout of its own)."""
    book = _book(tmp_path / "book", "```\nconst a = 1;" + " " * 200 + "\nvar " + "x" * 150
                 + ";\n```\n\n" + table(90, "123"))
    checked = pdf.write(read(book), tmp_path / "checked", OPTIONS).read_bytes()
    monkeypatch.setattr(overflow, "check", lambda book, document: [])
    unchecked = pdf.write(read(book), tmp_path / "unchecked", OPTIONS).read_bytes()
    assert checked == unchecked
