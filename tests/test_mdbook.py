"""mdBook manuscripts: SUMMARY.md's order and structure, book.toml's [book]
table, and the {{#include}} directives (summary.py, includes.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import write_manuscript
from epub_validation import check

from publish import model as m
from publish.cli import cli
from publish.reader import read
from publish.reader.includes import MAX_DEPTH, Skipped, directives, select
from publish.reader.summary import parse_summary

BOOK_TOML = """\
[book]
title = "Rust 服务器"
authors = ["张三", "李四"]
language = "zh-Hans"
description = "一本小书"

[build]
build-dir = "book"

[output.html]
git-repository-url = "https://example.org/book"

[preprocessor.links]

[rust]
edition = "2021"
"""

SUMMARY = """\
# Summary

[前言](README.md)

---

# 第一部分 基础

- [入门](part1/getting%20started.md)
    - [安装](<part1/install it.md>)
        - [在 Linux 上](part1/linux.md "Linux")
- [草稿]()

<!-- - [藏起来的](hidden.md) -->

# 第二部分 服务器

- [单线程服务器](server.md)
- [只有正文](untitled.md)

---

[后记](afterword.md)
"""

SERVER_RS = """\
use std::net::TcpListener;

// ANCHOR: main
fn main() {
    let listener = TcpListener::bind("127.0.0.1:7878").unwrap();
    // ANCHOR: accept
    for stream in listener.incoming() {
        handle(stream.unwrap());
    }
    // ANCHOR_END: accept
}
// ANCHOR_END: main

fn handle(stream: TcpStream) {}
"""

FILES = {
    "book.toml": BOOK_TOML,
    "src/SUMMARY.md": SUMMARY,
    "src/README.md": "# 前言\n\n出发吧 🚀\n",
    "src/part1/getting started.md": "# 入门\n\n第一步。\n\n## 准备\n\n准备好。\n",
    "src/part1/install it.md": ("# 安装\n\n用 rustup 安装。\n\n"
                                "```rust\n{{#include ../../listings/server.rs:3:5}}\n```\n"),
    "src/part1/linux.md": "# 在 Linux 上\n\n一条命令。\n\n## 检查\n\n看版本。\n",
    "src/server.md": ("# 单线程服务器\n\n```rust\n{{#include ../listings/server.rs:main}}\n```\n\n"
                      "坏的：{{#include ../../etc/passwd}}\n\n"
                      "缺的：{{#include missing.rs}}\n\n"
                      "写法：`\\{{#include server.rs}}`\n\n"
                      "循环：{{#include loop.md}}\n"),
    "src/loop.md": "绕 {{#include again.md}} 圈\n",
    "src/again.md": "又 {{#include loop.md}} 回\n",
    "src/untitled.md": "这一章没有标题。\n",
    "src/afterword.md": "# 后记\n\n完。\n",
    "src/unlisted.md": "# 不在目录里\n",
    "listings/server.rs": SERVER_RS,
}

MAIN_LINES = ["fn main() {",
              '    let listener = TcpListener::bind("127.0.0.1:7878").unwrap();',
              "    for stream in listener.incoming() {",
              "        handle(stream.unwrap());",
              "    }",
              "}"]


@pytest.fixture
def mdbook(tmp_path: Path) -> Path:
    return write_manuscript(tmp_path / "book", FILES)


def titles(items) -> list[str]:
    return [m.plain_text(item.title) for item in items]


def code_blocks(blocks) -> list[m.CodeBlock]:
    return [b for b in blocks if isinstance(b, m.CodeBlock)]


# --- order and structure ------------------------------------------------------


def test_the_reading_order_is_summarys(mdbook):
    book = read(mdbook)
    assert titles(book.chapters) == ["前言", "入门", "单线程服务器", "只有正文", "后记"]
    assert [s.path.relative_to(mdbook / "src").as_posix() for s in book.sources] == [
        "README.md", "part1/getting started.md", "part1/install it.md", "part1/linux.md",
        "server.md", "untitled.md", "afterword.md"]


def test_part_titles_make_parts_and_suffix_chapters_stand_outside_them(mdbook):
    body = read(mdbook).body
    assert [type(item).__name__ for item in body] == ["Chapter", "Part", "Part", "Chapter"]
    assert titles(body) == ["前言", "第一部分 基础", "第二部分 服务器", "后记"]
    assert titles(body[1].chapters) == ["入门"]
    assert titles(body[2].chapters) == ["单线程服务器", "只有正文"]


def test_prefix_and_suffix_chapters_are_unnumbered(mdbook):
    assert [c.number for c in read(mdbook).chapters] == [None, 1, 2, 3, None]


def test_nested_files_are_sections_of_their_parent_chapter(mdbook):
    chapter = read(mdbook).chapters[1]
    assert titles(chapter.sections) == ["准备", "安装"]
    install = chapter.sections[1]
    assert install.level == 2 and titles(install.sections) == ["在 Linux 上"]
    linux = install.sections[0]
    assert linux.level == 3 and titles(linux.sections) == ["检查"]
    assert linux.sections[0].level == 4
    assert [s.id for s in (install, linux)] == ["ch02-s2", "ch02-s2-1"]


def test_a_file_without_a_heading_takes_its_link_text(mdbook):
    chapter = read(mdbook).chapters[3]
    assert m.plain_text(chapter.title) == "只有正文"
    assert "这一章没有标题。" in m.blocks_text(chapter.blocks)


def test_the_settings_come_from_the_book_table(mdbook, warnings_logged):
    meta = read(mdbook).meta
    assert meta.title == "Rust 服务器" and meta.language == "zh-Hans"
    assert [c.name for c in meta.contributors] == ["张三", "李四"]
    assert meta.description == "一本小书"
    assert not [w for w in warnings_logged() if "unknown key" in w]


def test_our_own_keys_win_over_the_book_table(mdbook):
    (mdbook / "book.toml").write_text('title = "我们的书名"\n' + BOOK_TOML, encoding="utf-8")
    assert read(mdbook).meta.title == "我们的书名"


def test_our_chapters_list_wins_over_summary(mdbook):
    toml = 'chapters = ["src/afterword.md", "src/README.md"]\n' + BOOK_TOML
    (mdbook / "book.toml").write_text(toml, encoding="utf-8")
    book = read(mdbook)
    assert titles(book.chapters) == ["后记", "前言"]


def test_the_src_folder_alone_is_an_mdbook_too(mdbook):
    book = read(mdbook / "src")
    assert titles(book.chapters) == ["前言", "入门", "单线程服务器", "只有正文", "后记"]
    # the listings lie outside that manuscript: warned, nothing included
    assert not code_blocks(book.chapters[2].blocks)[0].text


def test_a_draft_chapter_is_skipped_with_its_summary_line(mdbook, warnings_logged):
    read(mdbook)
    line = SUMMARY.split("\n").index("- [草稿]()") + 1
    assert f"{mdbook / 'src' / 'SUMMARY.md'}:{line}: draft chapter '草稿' (no file) skipped" \
        in warnings_logged()


def test_a_listed_file_that_is_missing_is_an_error_naming_the_line(mdbook):
    (mdbook / "src" / "untitled.md").unlink()
    with pytest.raises(Exception, match=r"SUMMARY\.md:\d+: chapter file 'untitled.md' does not"):
        read(mdbook)


def test_a_listed_file_outside_the_manuscript_is_an_error(mdbook):
    (mdbook / "src" / "SUMMARY.md").write_text("- [外面](../../outside.md)\n", encoding="utf-8")
    (mdbook.parent / "outside.md").write_text("# 外\n", encoding="utf-8")
    with pytest.raises(Exception, match="lies outside the manuscript directory"):
        read(mdbook)


def test_a_plain_folder_without_summary_is_read_as_before(tmp_path, warnings_logged):
    folder = write_manuscript(tmp_path, {
        "b.md": "# 二\n\n{{#include a.md}}\n", "a.md": "# 一\n\n甲\n",
        "book.toml": 'title = "书"\n'})
    book = read(folder)
    assert titles(book.chapters) == ["一", "二"]
    assert "{{#include a.md}}" in m.blocks_text(book.chapters[1].blocks)
    assert not warnings_logged()


@pytest.mark.parametrize("text, expected", [
    ("- [A](a.md)\n    - [B](b.md)\n        - [C](c.md)\n- [D](d.md)",
     [("a.md", "A", 0), ("b.md", "B", 1), ("c.md", "C", 2), ("d.md", "D", 0)]),
    ("1. [A](a.md)\n   1. [B](b.md)\n2. [C](c.md)",
     [("a.md", "A", 0), ("b.md", "B", 1), ("c.md", "C", 0)]),
    # a draft's sub-chapters take its place
    ("- [A]()\n    - [B](b.md)", [("b.md", "B", 0)]),
    # spaces, percent-encoding, a title, a fragment; code and emphasis marks dropped
    ("- [`Option`](<my file.md>)\n- [**粗**](%E7%AB%A0.md#x)\n- [C](c%20d.md 'title')",
     [("my file.md", "Option", 0), ("章.md", "粗", 0), ("c d.md", "C", 0)]),
    # comments, other headings and text are skipped; a separator is only a line
    ("<!--\n- [X](x.md)\n-->\n## Notes\nsome text\n- [A](a.md)\n\n***\n\n- [B](b.md)",
     [("a.md", "A", 0), ("b.md", "B", 0)]),
])
def test_summary_forms(text, expected):
    entries = parse_summary(text, Path("/src/SUMMARY.md"))
    assert [(e.path.relative_to("/src").as_posix(), e.title, e.depth) for e in entries] \
        == expected


def test_summary_parts_prefix_and_suffix():
    entries = parse_summary(SUMMARY, Path("/src/SUMMARY.md"))
    assert [(e.title, e.part, e.numbered) for e in entries] == [
        ("前言", None, False), ("入门", "第一部分 基础", True), ("安装", None, True),
        ("在 Linux 上", None, True), ("单线程服务器", "第二部分 服务器", True),
        ("只有正文", None, True), ("后记", "", False)]
    assert [e.line for e in entries][:2] == [3, 9]


# --- includes -----------------------------------------------------------------


def test_a_listing_included_by_anchor_is_in_place_without_anchor_lines(mdbook):
    chapter = read(mdbook).chapters[2]
    code = code_blocks(chapter.blocks)[0]
    assert code.language == "rust"
    assert code.text.split("\n") == MAIN_LINES
    assert "ANCHOR" not in m.blocks_text(chapter.blocks)


def test_a_listing_included_by_line_range(mdbook):
    install = read(mdbook).chapters[1].sections[1]
    assert code_blocks(install.blocks)[0].text.split("\n") == [
        "// ANCHOR: main", "fn main() {", MAIN_LINES[1]]


@pytest.mark.parametrize("spec, lines", [
    (None, list(range(1, 8))),
    ("3", [3]), ("2:5", [2, 3, 4, 5]), (":5", [1, 2, 3, 4, 5]), ("5:", [5, 6, 7]),
    (":", list(range(1, 8))), ("6:x", [6, 7]), ("0", [1]),
])
def test_line_ranges_as_mdbook_reads_them(spec, lines):
    text = "".join(f"line {n}\n" for n in range(1, 8))
    assert select(text, spec) == [(n, f"line {n}") for n in lines]


def test_anchors_nest_and_their_lines_are_dropped():
    assert [line for _, line in select(SERVER_RS, "accept")] == MAIN_LINES[2:5]
    with pytest.raises(Skipped, match="no ANCHOR: nowhere"):
        select(SERVER_RS, "nowhere")
    with pytest.raises(Skipped, match="past its end"):
        select(SERVER_RS, "99")


def test_includes_outside_or_missing_are_warned_and_replaced_by_nothing(mdbook, warnings_logged):
    chapter = read(mdbook).chapters[2]
    text = m.blocks_text(chapter.blocks)
    assert "坏的：" in text and "缺的：" in text and "{{#include" not in text.replace(
        "{{#include server.rs}}", "")
    server = mdbook / "src" / "server.md"
    warned = warnings_logged()
    assert (f"{server}:7: {{{{#include ../../etc/passwd}}}}: included file '../../etc/passwd' "
            "lies outside the manuscript directory; nothing included") in warned
    assert (f"{server}:9: {{{{#include missing.rs}}}}: included file 'missing.rs' does not "
            "exist; nothing included") in warned
    assert "root:" not in text


def test_an_include_cycle_is_stopped_and_named(mdbook, warnings_logged):
    text = m.blocks_text(read(mdbook).chapters[2].blocks)
    assert "循环：绕 又 回 圈" in text  # each file once; the closing include gives nothing
    cycle = [w for w in warnings_logged() if "(a cycle)" in w]
    assert cycle == [f"{mdbook / 'src' / 'server.md'}:13: {{{{#include loop.md}}}}: in "
                     "src/loop.md:1, {{#include again.md}}: in src/again.md:1, "
                     "{{#include loop.md}}: 'loop.md' is already being included (a cycle); "
                     "nothing included"]


def test_an_escaped_directive_is_printed_without_its_backslash(mdbook):
    assert "写法：{{#include server.rs}}" in m.blocks_text(read(mdbook).chapters[2].blocks)


def test_includes_nest_at_most_ten_deep(tmp_path, warnings_logged):
    files = {f"{i}.md": f"{i} {{{{#include {i + 1}.md}}}}" for i in range(MAX_DEPTH + 2)}
    files["SUMMARY.md"] = "- [零](0.md)\n"
    book = read(write_manuscript(tmp_path, files))
    text = m.blocks_text(book.chapters[0].blocks)
    assert text.split() == [str(i) for i in range(MAX_DEPTH + 1)]
    assert any(f"nest more than {MAX_DEPTH} deep" in w for w in warnings_logged())


def test_include_warnings_come_in_line_order_with_the_other_source_rules(
        tmp_path, warnings_logged):
    page = "# 章\n\n{{#include gone.md}}\n\nimport X from 'x'\n\n{{#include gone2.md}}\n"
    read(write_manuscript(tmp_path, {"SUMMARY.md": "- [章](a.md)\n", "a.md": page}))
    lines = [int(re.search(r"a\.md:(\d+):", w).group(1)) for w in warnings_logged()]
    assert lines == [3, 5, 7]


def test_included_text_goes_through_the_source_rules(tmp_path):
    files = {"SUMMARY.md": "- [章](a.md)\n", "a.md": "# 章\n\n{{#include b.md}}\n",
             "b.md": "```rust,ignore extra\nlet x = 1;\n```\n\n## 小节\n\n乙\n"}
    chapter = read(write_manuscript(tmp_path, files)).chapters[0]
    assert code_blocks(chapter.blocks)[0] == m.CodeBlock("let x = 1;", "rust")
    assert titles(chapter.sections) == ["小节"]


@pytest.mark.parametrize("line, found", [
    ("a {{#include x.rs}} b", [("include", "x.rs")]),
    ("{{ #include  x.rs:2:3 }}", [("include", "x.rs:2:3")]),
    ("{{#include x}} {{#rustdoc_include y:a}}", [("include", "x"), ("rustdoc_include", "y:a")]),
    ("\\{{#include x}} and {{#include y}}", [("", "{{#include x}} and {{#include y}}")]),
    ("{{#include}} {{include x}} {{#include x} }", []),
    ("{{#include " * 1000, []),
])
def test_directives_as_mdbook_finds_them(line, found):
    assert [(d.kind, d.target) for d in directives(line)] == found


# --- the editions -------------------------------------------------------------


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    folder = write_manuscript(tmp_path_factory.mktemp("mdbook") / "book", FILES)
    out = folder.parent / "out"
    result = CliRunner().invoke(cli, ["all", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return {path.suffix: path for path in out.iterdir()}


def test_the_print_edition_holds_the_listing(editions):
    with pdfplumber.open(editions[".pdf"]) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "TcpListener::bind" in text and "handle(stream.unwrap());" in text
    assert "ANCHOR: accept" not in text
    assert "第一部分 基础" in text and "只有正文" in text


def test_the_text_edition_holds_the_listing(editions):
    text = editions[".txt"].read_text(encoding="utf-8")
    for line in MAIN_LINES:
        assert line in text
    assert "🚀" in text and "{{#include ../" not in text


@pytest.mark.slow
def test_the_epub_passes_epubcheck(editions):
    report = check(editions[".epub"])
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


def test_links_and_notes_know_files_by_their_path_from_src(tmp_path, warnings_logged):
    files = {"SUMMARY.md": "- [一](a/README.md)\n- [二](b/README.md)\n",
             "a/README.md": "# 一\n\n见[二](../b/README.md#小节)与[二](../b/README.html)。[^1]\n\n"
                            "[^1]: 甲注\n",
             "b/README.md": "# 二\n\n乙[^1]\n\n## 小节\n\n[^1]: 乙注\n"}
    book = read(write_manuscript(tmp_path, files))
    one, two = book.chapters
    links = [i for i in one.blocks[0].inlines if isinstance(i, m.Link)]
    assert [link.target for link in links] == ["#ch02-s1", "#ch02"]
    assert [m.blocks_text(n.blocks) for n in one.notes + two.notes] == ["甲注", "乙注"]
    assert not warnings_logged()
