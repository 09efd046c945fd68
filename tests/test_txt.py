"""The text edition: goldens, and what a reader of the .txt would check."""

from __future__ import annotations

import re

import pytest
from conftest import GOLDEN, ROOT, case_manuscript, case_names

from publish import model as m
from publish.reader import read
from publish.typography import LINE_START_FORBIDDEN, display_width, is_han
from publish.writers import txt

MARKDOWN_LEFTOVERS = ("**", "##", "[^", "](", "```", "<script", "&lt;", "&amp;", "\\*")


def han(text: str) -> list[str]:
    return [ch for ch in text if is_han(ch)]


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def manuscript_text(path):
    files = sorted(path.glob("*.md")) if path.is_dir() else [path]
    return "".join(f.read_text(encoding="utf-8") for f in files)


def test_default_book_golden(golden):
    golden(GOLDEN / "default-book.txt", txt.render(read(ROOT / "manuscript")))


@pytest.mark.parametrize("name", case_names())
def test_case_golden(name, golden):
    manuscript = case_manuscript(name)
    folder = manuscript if manuscript.is_dir() else manuscript.parent
    golden(folder / "book.txt", txt.render(read(manuscript)))


@pytest.mark.parametrize("name", ["default"] + case_names())
def test_every_han_character_in_order(name):
    manuscript = ROOT / "manuscript" if name == "default" else case_manuscript(name)
    source = manuscript_text(manuscript)
    # What the sanitizer removes on purpose is not content.
    source = re.sub(r"<(script|iframe)[^>]*>.*?</\1>", "", source, flags=re.S)
    source = re.sub(r"^\[\^\w+\]:.*$", "", source, flags=re.M)  # notes move to chapter ends
    source = re.sub(r"\]\([^)]*#[^)]*\)", "]", source)  # in-book link targets are not text
    text = txt.render(read(manuscript))
    assert is_subsequence(han(source), han(text))


def test_file_format(tmp_path):
    path = txt.write(read(ROOT / "manuscript"), tmp_path, m.BuildOptions())
    assert path == tmp_path / "deepseek-interview.txt"
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    text = data.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


def test_reader_facing_layout():
    text = txt.render(read(ROOT / "manuscript"))
    lines = text.split("\n")
    assert lines[0] == "DeepSeek创始人梁文锋访谈实录"
    assert "urn:uuid:dede99af-d86b-4230-8cfe-bb8e3c337cca" in lines[:12]
    toc = lines.index("目录")
    assert lines[toc + 2] == "\u3000\u3000关于技术创新与商业化"
    heading = lines.index("关于技术创新与商业化", toc + 3)
    assert set(lines[heading + 1]) == {"＝"}
    dialogue = [line for line in lines if line.startswith("\u3000\u3000记者：")]
    assert len(dialogue) == 9
    assert sum(line.startswith("\u3000\u3000梁文锋：") for line in lines) == 9
    assert "DeepSeek 创始人" in text          # Han-Latin spacing
    for leftover in MARKDOWN_LEFTOVERS:
        assert leftover not in text


def test_features_rendered_as_text():
    footnotes = txt.render(read(case_manuscript("footnotes")))
    assert "正文有一个注释[1]，还有一个[2]。" in footnotes
    assert "[1] 第一个注释，含粗体。" in footnotes
    assert "第二章的注释从一开始编号[1]。" in footnotes
    assert "见 链接（https://example.com/note）" in footnotes
    images = txt.render(read(case_manuscript("images")))
    assert "［图：一个红色方块］图 1：红色方块" in images
    assert "行内图片 ［图：小图］ 放在文字中间" in images
    blocks = txt.render(read(case_manuscript("blocks")))
    assert '        print("你好")  # **不是粗体**' in blocks.split("\n")   # code verbatim
    for leftover in MARKDOWN_LEFTOVERS[1:]:
        assert leftover not in blocks.replace('# **不是粗体**', "")


def test_table_aligned_by_display_width():
    text = txt.render(read(case_manuscript("tables")))
    rows = [line for line in text.split("\n") if "苹果" in line or "Banana" in line
            or "西瓜" in line or "名称" in line]
    assert len(rows) == 4
    # The right-aligned number column ends at the same display column in every row.
    ends = {display_width(row[:row.index(num) + len(num)])
            for row, num in zip(rows[1:], ("3", "12", "1"))}
    assert len(ends) == 1
    # The last column is centred: 黄色 has as much room on its left as on its right.
    width = display_width(rows[1][rows[1].index("红色的水果"):])      # the widest cell
    banana = rows[2]
    start = display_width(banana[:banana.index("黄色")])
    column_start = display_width(rows[1][:rows[1].index("红色的水果")])
    left = start - column_start
    right = width - left - display_width("黄色")
    assert abs(left - right) <= 1


@pytest.mark.parametrize("width", [20, 30, 41, 72])
def test_wrapping_fits_and_never_starts_a_line_with_a_closing_mark(width):
    book = read(ROOT / "manuscript")
    text = txt.render(book, m.BuildOptions(values={"width": width}))
    body = text.split("目录", 1)[1]
    for line in body.split("\n"):
        assert display_width(line) <= width, line
        if line.strip():
            assert line.lstrip(" \u3000")[0] not in LINE_START_FORBIDDEN, line
    # Wrapping changes lines, not content.
    assert han(text) == han(txt.render(book))


def test_wrapped_lines_fit():
    book = read(ROOT / "manuscript")
    text = txt.render(book, m.BuildOptions(values={"width": 30}))
    paragraph_lines = [line for line in text.split("\n")
                       if line.startswith(("\u3000\u3000记者", "\u3000\u3000梁文锋"))]
    assert paragraph_lines and all(display_width(line) <= 30 for line in paragraph_lines)


def test_the_text_edition_loads_no_print_stack(tmp_path):
    """``publish txt`` is a quick command: the process that writes the text
    edition never loads WeasyPrint and pydyf, the PDF's renderer (every
    build reads the PDF writer's option declarations, which must not pull
    them in)."""
    import subprocess
    import sys
    probe = ("import sys\nfrom publish.cli import cli\n"
             "try:\n    cli(['txt', sys.argv[1], '-o', sys.argv[2], '-q'])\n"
             "except SystemExit as e:\n    assert not e.code, e.code\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('weasyprint', 'pydyf')))\n")
    found = subprocess.run([sys.executable, "-c", probe, str(ROOT / "manuscript"), str(tmp_path)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert found.returncode == 0, found.stderr
    assert (tmp_path / "deepseek-interview.txt").is_file()
    assert found.stdout.strip() == "[]"
