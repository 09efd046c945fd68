"""The heading plan and the book builder: Markdown snippets in, model out.

What a reader of the book sees depends on these rules: which heading is the
title, what is a part, a chapter or a section and the id each gets, where a
footnote is set and under which number, when a picture is a figure.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from conftest import write_manuscript

from publish import model as m
from publish.reader import read
from publish.reader.headings import heading_anchor, plan_headings
from publish.reader.notes import MAX_NOTE_DEPTH
from publish.reader.sanitize import parse_html
from publish.reader.sourcetree import SourceTree


def book_of(folder: Path, text: str, toml: str | None = None,
            files: dict[str, str | bytes] | None = None) -> m.Book:
    """The book of a manuscript directory holding ``a.md`` (and book.toml, other files)."""
    more = {"book.toml": toml} if toml is not None else {}
    return read(write_manuscript(folder, {"a.md": text, **more, **(files or {})}))


def plan_of(*pages: str, chapter_level: int | None = None, title: str = ""):
    """The heading plan of files ``1.md``, ``2.md``… holding these HTML fragments."""
    sources = [SourceTree(Path(f"{i}.md"), page, parse_html(page, lambda *a: None))
               for i, page in enumerate(pages, 1)]
    plan = plan_headings(sources, chapter_level, title)
    headings = [(node.text(), plan.kinds[id(node)], plan.ids[id(node)])
                for src in sources for node in src.tree.children
                if not isinstance(node, str) and id(node) in plan.ids]
    return plan, headings


def titles(items) -> list[str]:
    return [m.plain_text(item.title) for item in items]


def png() -> bytes:
    """A valid 1×1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


# --- the title --------------------------------------------------------------


def test_a_lone_top_heading_at_the_start_is_the_title(tmp_path):
    path = write_manuscript(tmp_path, {"novel.md": "# 书名\n\n## 一\n\n甲\n\n## 二\n\n乙"})
    book = read(path / "novel.md")
    assert book.meta.title == "书名"
    assert titles(book.chapters) == ["一", "二"]
    assert [c.id for c in book.chapters] == ["ch01", "ch02"]


def test_many_top_headings_are_chapters_and_the_file_names_the_book(tmp_path):
    path = write_manuscript(tmp_path, {"novel.md": "# 第一回\n\n甲\n\n# 第二回\n\n乙"})
    book = read(path / "novel.md")
    assert book.meta.title == "novel" and titles(book.chapters) == ["第一回", "第二回"]


@pytest.mark.parametrize("page, title, is_title", [
    ("<h1>书</h1><h2>一</h2>", "", True),
    ("<h1>书</h1><h2>一</h2>", "书", True),           # repeats the configured title
    ("<h1>书</h1><h2>一</h2>", "另一本书", False),    # another title is configured
    ("<p>序</p><h1>书</h1><h2>一</h2>", "", False),  # text comes before it
    ("<h1>甲</h1><h2>一</h2><h1>乙</h1>", "", False),  # not the only one
    ("<h2>一</h2><h2>二</h2>", "", False),             # no level-1 heading
])
def test_when_the_first_heading_is_the_title(page, title, is_title):
    plan, _ = plan_of(page, title=title)
    assert (plan.title_node is not None) == is_title
    if is_title:
        assert plan.title_node.text() == "书" and id(plan.title_node) not in plan.ids


def test_a_text_without_chapters_is_one_chapter_under_the_title(tmp_path):
    book = book_of(tmp_path, "# 书\n\n只有一段。")
    assert book.front is None and titles(book.chapters) == ["书"]
    assert m.blocks_text(book.chapters[0].blocks) == "只有一段。"


# --- parts, chapters, sections ----------------------------------------------


def test_the_shallowest_level_left_is_the_chapter_level():
    plan, headings = plan_of("<h1>书</h1><h3>一</h3><h4>甲</h4><h3>二</h3>")
    assert plan.chapter_level == 3 and plan.levels == [3, 4, 3]
    assert headings == [("一", "chapter", "ch01"), ("甲", "section", "ch01-s1"),
                        ("二", "chapter", "ch02")]


def test_headings_above_the_chapter_level_are_parts():
    _, headings = plan_of("<h1>卷一</h1><h2>一</h2><h3>甲</h3><h2>二</h2>",
                          "<h1>卷二</h1><h2>三</h2>", chapter_level=2)
    # chapters are counted through the whole book, not per part
    assert headings == [("卷一", "part", "part1"), ("一", "chapter", "ch01"),
                        ("甲", "section", "ch01-s1"), ("二", "chapter", "ch02"),
                        ("卷二", "part", "part2"), ("三", "chapter", "ch03")]


def test_chapter_level_from_book_toml_makes_parts(tmp_path):
    book = book_of(tmp_path, "# 卷一\n\n卷首语\n\n## 一\n\n甲\n\n# 卷二\n\n## 二\n\n乙",
                   'title = "书"\nchapter_level = 2\n')
    assert [type(item).__name__ for item in book.body] == ["Part", "Part"]
    first, second = book.body
    assert titles([first, second]) == ["卷一", "卷二"]
    assert m.blocks_text(first.blocks) == "卷首语"  # the part's introduction
    assert titles(first.chapters) == ["一"] and titles(second.chapters) == ["二"]
    assert [c.number for c in book.chapters] == [1, 2]


def test_section_ids_follow_their_place_in_the_chapter():
    _, headings = plan_of("<h3>前言小节</h3><h2>一</h2><h3>甲</h3><h4>子</h4><h3>乙</h3>"
                          "<h4>丑</h4><h4>寅</h4><h2>二</h2><h4>跳级</h4>", chapter_level=2)
    assert [ident for _, _, ident in headings] == [
        "front-s1", "ch01", "ch01-s1", "ch01-s1-1", "ch01-s2", "ch01-s2-1", "ch01-s2-2",
        "ch02", "ch02-s0-1"]


def test_sections_nest_in_the_model(tmp_path):
    book = book_of(tmp_path, "# 一\n\n## 甲\n\n### 子\n\n正文\n\n## 乙\n\n# 二\n\n后")
    first = book.chapters[0]
    assert [(s.id, s.level) for s in first.sections] == [("ch01-s1", 2), ("ch01-s2", 2)]
    assert [(s.id, m.blocks_text(s.blocks)) for s in first.sections[0].sections] == [
        ("ch01-s1-1", "正文")]


def test_ids_do_not_depend_on_the_heading_text():
    _, one = plan_of("<h2>一</h2><h3>甲</h3>")
    _, other = plan_of("<h2>第一章 改过的名字</h2><h3>另一节</h3>")
    assert [i for *_, i in one] == [i for *_, i in other] == ["ch01", "ch01-s1"]


def test_heading_anchors_are_those_markdown_tools_give():
    assert heading_anchor("JavaScript 的历史") == "javascript-的历史"
    assert heading_anchor(" Hello, World! ") == "hello-world"


def test_links_reach_headings_by_anchor_id_or_file():
    plan, _ = plan_of("<h2>一</h2><h3>第一节</h3>", '<h2 id="two">二</h2>')
    assert plan.target("1.md", "第一节") == "ch01-s1"
    assert plan.target("2.md", "two") == "ch02"
    assert plan.target("2.md", "") == "ch02"     # a link to the file: its first heading
    assert plan.target("2.md", "nowhere") is None
    assert plan.target("3.md", "") is None


def test_links_between_files_become_ids(tmp_path, warnings_logged):
    book = book_of(tmp_path, "# 一\n\n见[下一章](b.md)与[那一节](b.md#小节)，[别处](c.md)。",
                   files={"b.md": "# 二\n\n## 小节\n\n正文"})
    links = [i for i in book.chapters[0].blocks[0].inlines if isinstance(i, m.Link)]
    assert [link.target for link in links] == ["#ch02", "#ch02-s1"]
    assert "别处" in m.plain_text(book.chapters[0].blocks[0].inlines)  # text kept
    assert any("'c.md' is not in the book" in w for w in warnings_logged())


# --- headings without text --------------------------------------------------


def test_headings_without_text_are_named_by_their_place(tmp_path, warnings_logged):
    book = book_of(tmp_path, "# 一\n\n甲\n\n# \u200b\n\n乙\n\n## \u200b\n\n丙")
    second = book.chapters[1]
    assert titles(book.chapters) == ["一", "第二章"]
    assert titles(second.sections) == ["第一节"]
    warnings = warnings_logged()
    assert any("a.md:5: a heading without text; the contents call it '第二章'" in w
               for w in warnings)
    assert any("a.md:9:" in w and "'第一节'" in w for w in warnings)


def test_an_untitled_part_in_english(tmp_path):
    book = book_of(tmp_path, "# \u200b\n\n## One\n\ntext",
                   'title = "Book"\nlanguage = "en"\nchapter_level = 2\n')
    assert titles(book.body) == ["Part One"] and titles(book.chapters) == ["One"]


def test_a_picture_heading_keeps_its_picture_and_gets_words_as_alt(tmp_path):
    book = book_of(tmp_path, "# 一\n\n甲\n\n# ![](p.png)\n\n乙", files={"p.png": png()})
    title = book.chapters[1].title
    assert title == (m.Image("p.png", "第二章"),)


# --- footnotes --------------------------------------------------------------


NOTES = "# 一\n\n甲[^a]乙[^b]。\n\n# 二\n\n丙[^c]。\n\n[^a]: 注A。\n[^b]: 注B。\n[^c]: 注C。\n"


def notes(chapter: m.Chapter) -> list[tuple[str, int, str]]:
    return [(n.id, n.number, m.blocks_text(n.blocks)) for n in chapter.notes]


def calls(blocks: tuple[m.Block, ...]) -> list[tuple[str, int]]:
    return [(i.note_id, i.number) for b in m.walk_blocks(blocks) if isinstance(b, m.Paragraph)
            for i in b.inlines if isinstance(i, m.NoteRef)]


def test_footnotes_are_numbered_per_chapter(tmp_path):
    one, two = book_of(tmp_path, NOTES).chapters
    assert notes(one) == [("ch01-n1", 1, "注A。"), ("ch01-n2", 2, "注B。")]
    assert notes(two) == [("ch02-n1", 1, "注C。")]
    assert calls(one.blocks) == [("ch01-n1", 1), ("ch01-n2", 2)]
    assert calls(two.blocks) == [("ch02-n1", 1)]


def test_a_note_called_twice_in_a_chapter_keeps_its_number(tmp_path):
    one, _ = book_of(tmp_path, "# 一\n\n甲[^x]，乙[^y]，再引[^x]。\n\n# 二\n\n丙\n\n"
                               "[^x]: 注X。\n[^y]: 注Y。\n").chapters
    assert calls(one.blocks) == [("ch01-n1", 1), ("ch01-n2", 2), ("ch01-n1", 1)]
    assert notes(one) == [("ch01-n1", 1, "注X。"), ("ch01-n2", 2, "注Y。")]


def test_a_note_called_from_two_chapters_is_set_in_each(tmp_path):
    one, two = book_of(tmp_path, "# 书\n\n## 一\n\n甲[^x]。\n\n## 二\n\n乙[^y]，再引[^x]。\n\n"
                                 "[^x]: 注X。\n[^y]: 注Y。\n").chapters
    assert [(n.number, m.blocks_text(n.blocks)) for n in one.notes] == [(1, "注X。")]
    assert [(n.number, m.blocks_text(n.blocks)) for n in two.notes] == [(1, "注Y。"),
                                                                        (2, "注X。")]


def test_a_note_called_in_a_title_belongs_to_that_chapter(tmp_path):
    one, two = book_of(tmp_path, "# 一\n\n甲\n\n# 二[^t]\n\n乙\n\n[^t]: 题注。\n").chapters
    assert not one.notes and notes(two) == [("ch02-n1", 1, "题注。")]


def test_a_note_that_calls_itself_is_reported_and_set_once(tmp_path, warnings_logged):
    one, _ = book_of(tmp_path, "# 一\n\n甲[^a]。\n\n# 二\n\n乙\n\n[^a]: 自己[^a]。\n").chapters
    assert notes(one) == [("ch01-n1", 1, "自己。")]
    assert calls(one.notes[0].blocks) == []  # the call that closes the circle is left out
    assert any("footnote [^a] calls itself; that call is left out" in w
               for w in warnings_logged())


def test_notes_calling_each_other_lose_the_closing_call(tmp_path, warnings_logged):
    one, _ = book_of(tmp_path, "# 一\n\n甲[^a]。\n\n# 二\n\n乙\n\n"
                               "[^a]: 注[^b]。\n[^b]: 又[^a]。\n").chapters
    assert notes(one) == [("ch01-n1", 1, "注。"), ("ch01-n2", 2, "又。")]
    assert calls(one.notes[0].blocks) == [("ch01-n2", 2)]
    assert any("footnote [^a] calls itself through [^b]" in w for w in warnings_logged())


def test_a_chain_of_notes_deeper_than_the_limit_is_cut_and_kept(tmp_path, warnings_logged):
    depth = MAX_NOTE_DEPTH + 3
    chain = "".join(f"[^n{i}]: 第{i}条[^n{i + 1}]。\n" for i in range(depth))
    one = book_of(tmp_path, f"# 一\n\n正文[^n0]。\n\n{chain}[^n{depth}]: 末条。\n").chapters[0]
    assert len(one.notes) == depth + 1        # every note is set, none twice
    assert sorted(n.number for n in one.notes) == list(range(1, depth + 2))
    assert any(f"is called from a note {MAX_NOTE_DEPTH} notes deep" in w
               for w in warnings_logged())
    assert not any("never referenced" in w for w in warnings_logged())


def test_a_note_nobody_calls_is_set_at_the_chapter_end_with_a_warning(tmp_path, warnings_logged):
    path = write_manuscript(tmp_path, {"b.md": "# 章\n\n正文。\n\n[^z]: 没人引用。\n"}) / "b.md"
    chapter = read(path).chapters[0]
    assert [m.blocks_text(n.blocks) for n in chapter.notes] == ["没人引用。"]
    assert any("b.md:5: footnote [^z] is never referenced" in w for w in warnings_logged())


def test_notes_belong_to_their_file(tmp_path, warnings_logged):
    """A label defined in another file is not this file's note."""
    book = book_of(tmp_path, "# 一\n\n甲[^x]。", files={"b.md": "# 二\n\n乙[^x]。\n\n[^x]: 乙的注。\n"})
    one, two = book.chapters
    assert not one.notes and notes(two) == [("ch02-n1", 1, "乙的注。")]


# --- blocks -----------------------------------------------------------------


@pytest.mark.parametrize("text, shape", [
    ("![图](p.png)", ["Figure"]),
    ('<p><img src="p.png" alt="图"></p>', ["Figure"]),
    ("前文 ![图](p.png) 后文", ["Paragraph"]),      # in a line: an inline image
    ("![图](p.png)\n\n说明", ["Figure", "Paragraph"]),
])
def test_an_image_alone_in_its_paragraph_is_a_figure(tmp_path, text, shape):
    blocks = book_of(tmp_path, f"# 一\n\n{text}", files={"p.png": png()}).chapters[0].blocks
    assert [type(b).__name__ for b in blocks] == shape
    if shape == ["Paragraph"]:
        assert m.Image("p.png", "图") in blocks[0].inlines


def test_a_figure_takes_its_caption_from_the_title(tmp_path):
    blocks = book_of(tmp_path, '# 一\n\n![图](p.png "一张图")', files={"p.png": png()}).chapters[0].blocks
    assert blocks == (m.Figure("p.png", "图", (m.Text("一张图"),)),)


def test_a_remote_image_keeps_its_alt_text(tmp_path, warnings_logged):
    blocks = book_of(tmp_path, "# 一\n\n![远方的图](https://example.com/p.png)").chapters[0].blocks
    assert blocks == (m.Paragraph((m.Text("[远方的图]"),)),)
    assert any("remote image not fetched" in w for w in warnings_logged())


def test_dialogue_turns_hold_their_paragraphs(tmp_path):
    blocks = book_of(tmp_path, "# 一\n\n**记者**：你好。\n\n还有一段。\n\n**梁文锋**：好。\n\n"
                               "# 二\n\n旁白").chapters[0].blocks
    assert [(b.speaker, [m.plain_text(p.inlines) for p in b.paragraphs]) for b in blocks] == [
        ("记者", ["你好。", "还有一段。"]), ("梁文锋", ["好。"])]


@pytest.mark.parametrize("text, expected", [
    ("---", m.SceneBreak()),
    ("```python\nprint(1)\n```", m.CodeBlock("print(1)", "python")),
    ("3. 三\n4. 四", m.ListBlock(True, ((m.Paragraph((m.Text("三"),)),),
                                       (m.Paragraph((m.Text("四"),)),)), 3)),
    ("> 引文", m.BlockQuote((m.Paragraph((m.Text("引文"),)),))),
    ("| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |",
     m.Table(((m.Text("甲"),), (m.Text("乙"),)), (((m.Text("1"),), (m.Text("2"),)),),
             ("left", "right"))),
])
def test_blocks(tmp_path, text, expected):
    assert book_of(tmp_path, f"# 一\n\n{text}").chapters[0].blocks == (expected,)


@pytest.mark.parametrize("text, expected", [
    ("甲 <span> 乙 </span>  丙", (m.Text("甲 乙 丙"),)),          # spaces collapse across seams
    ("甲<br>  乙", (m.Text("甲"), m.LineBreak(), m.Text("乙"))),  # none after a line break
    ("<q>引</q>", (m.Text("“引”"),)),
    ("<ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby>", (m.Ruby("汉", "hàn"),)),
    ("*着重*", (m.Emph((m.Text("着重"),)),)),
    ('<em class="dot">着重</em>', (m.Dotted((m.Text("着重"),)),)),
    ("H<sub>2</sub>O", (m.Text("H"), m.Subscript((m.Text("2"),)), m.Text("O"))),
])
def test_inlines(tmp_path, text, expected):
    assert book_of(tmp_path, f"# 一\n\n{text}").chapters[0].blocks == (m.Paragraph(expected),)
