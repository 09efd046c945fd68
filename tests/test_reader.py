"""The reader: manuscripts -> model.dump() goldens, and bad input."""

from __future__ import annotations

import os

import pytest
from conftest import GOLDEN, ROOT, case_manuscript, case_names, write_manuscript

from publish import model as m
from publish.dump import dump
from publish.errors import ConfigError, ManuscriptError
from publish.reader import read


def test_default_book_golden(golden):
    golden(GOLDEN / "default-book.model.txt", dump(read(ROOT / "manuscript")))


@pytest.mark.parametrize("name", case_names())
def test_case_golden(name, golden):
    manuscript = case_manuscript(name)
    golden(manuscript.parent / "model.txt" if manuscript.is_file() else manuscript / "model.txt",
           dump(read(manuscript)))


def test_default_book_structure():
    book = read(ROOT / "manuscript")
    assert book.meta.title == "DeepSeek创始人梁文锋访谈实录"
    assert book.meta.language == "zh-Hans"
    assert book.meta.identifier == "urn:uuid:dede99af-d86b-4230-8cfe-bb8e3c337cca"
    assert isinstance(book.front.blocks[0], m.BlockQuote)
    assert len(book.chapters) == 6
    assert [len(c.sections) for c in book.chapters] == [1, 0, 0, 0, 0, 0]
    turns = [b for c in book.chapters for b in m.walk_blocks(tuple(m.container_blocks(c)))
             if isinstance(b, m.Dialogue)]
    speakers = [t.speaker for t in turns]
    assert speakers.count("记者") == 9 and speakers.count("梁文锋") == 9
    # "他们之所以惊讶…" continues the turn before it.
    assert any(len(t.paragraphs) == 2 and "他们之所以惊讶" in m.plain_text(t.paragraphs[1].inlines)
               for t in turns)


def test_model_is_frozen():
    book = read(ROOT / "manuscript")
    with pytest.raises(AttributeError):
        book.meta.title = "x"  # type: ignore[misc]


def test_ids_are_stable(tmp_path):
    a = read(ROOT / "manuscript")
    b = read(ROOT / "manuscript")
    assert dump(a) == dump(b)
    assert [c.id for c in a.chapters] == ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06"]


def test_directory_order_by_file_name(tmp_path):
    write_manuscript(tmp_path, {"ch10.md": "# 十\n\n十", "ch2.md": "# 二\n\n二",
                                "ch1.md": "# 一\n\n一"})
    assert [m.plain_text(c.title) for c in read(tmp_path).chapters] == ["一", "二", "十"]


def test_directory_order_from_toml(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"\nchapters = ["b.md", "a.md"]',
                                "a.md": "# 甲\n\n甲", "b.md": "# 乙\n\n乙"})
    book = read(tmp_path)
    assert book.meta.title == "书"
    assert [m.plain_text(c.title) for c in book.chapters] == ["乙", "甲"]


def test_bom_and_line_endings(tmp_path):
    path = tmp_path / "book.md"
    path.write_bytes("\ufeff# 书\r\n\r\n## 章\r\n\r\n中文\r\n排版\r段落".encode("utf-8"))
    book = read(path)
    assert book.meta.title == "书"
    assert m.plain_text(book.chapters[0].blocks[0].inlines) == "中文排版段落"


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "book.md"
    path.write_bytes("# 书\n\n## 章\n\n正文".encode("utf-16"))
    assert read(path).meta.title == "书"


# --- bad input ---------------------------------------------------------------

def test_non_utf8_names_offset_and_encoding(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"',
                                "a.md": "# 章\n\n简体中文".encode("gb18030")})
    with pytest.raises(ManuscriptError) as e:
        read(tmp_path)
    message = e.value.message
    assert "a.md" in message and "byte offset 2 (line 1)" in message
    assert 'encoding = "gb18030"' in message


def test_encoding_setting_is_honoured(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"\nencoding = "gb18030"',
                                "a.md": "# 章\n\n简体中文".encode("gb18030")})
    assert "简体中文" in dump(read(tmp_path))


def test_big5_with_setting(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "書"\nencoding = "big5"',
                                "a.md": "# 章\n\n繁體中文".encode("big5")})
    assert "繁體中文" in dump(read(tmp_path))


def test_missing_manuscript(tmp_path):
    with pytest.raises(ManuscriptError, match="no such manuscript"):
        read(tmp_path / "nowhere")


def test_empty_manuscript(tmp_path):
    write_manuscript(tmp_path, {"a.md": "\n  \n"})
    with pytest.raises(ManuscriptError, match="no text"):
        read(tmp_path)


def test_toml_syntax_error_gives_line(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"\nauthor = \n', "a.md": "正文"})
    with pytest.raises(ConfigError) as e:
        read(tmp_path)
    assert "book.toml:2:" in e.value.message


def test_unknown_key_warns(tmp_path, warnings_logged):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"\n\ntitel = "x"\n', "a.md": "正文"})
    read(tmp_path)
    assert any("book.toml:3: unknown key 'titel'" in w for w in warnings_logged())


def test_chapter_order_names_missing_file(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'chapters = ["a.md", "gone.md"]', "a.md": "正文"})
    with pytest.raises(ConfigError, match="'gone.md' does not exist") as e:
        read(tmp_path)
    assert "book.toml:1:" in e.value.message


def test_missing_image(tmp_path):
    write_manuscript(tmp_path, {"a.md": "# 章\n\n正文\n\n![图](images/none.png)"})
    with pytest.raises(ManuscriptError, match="does not exist") as e:
        read(tmp_path)
    assert "a.md:5:" in e.value.message


@pytest.mark.parametrize("src", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd"])
def test_image_outside_manuscript(tmp_path, src):
    book_dir = tmp_path / "book"
    write_manuscript(book_dir, {"a.md": f"# 章\n\n![图]({src})"})
    with pytest.raises(ManuscriptError, match="outside the manuscript|only files inside"):
        read(book_dir)


def test_image_symlinked_outside(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"x")
    book_dir = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n![图](img.png)"})
    os.symlink(outside, book_dir / "img.png")
    with pytest.raises(ManuscriptError, match="outside the manuscript"):
        read(book_dir)


def test_script_removed_with_warning(tmp_path, warnings_logged):
    write_manuscript(tmp_path, {"a.md": "# 章\n\n正文\n\n<script>alert(1)</script>\n\n后文"})
    dumped = dump(read(tmp_path))
    assert "alert" not in dumped and "后文" in dumped
    assert any("a.md:5: removed <script>" in w for w in warnings_logged())


def test_header_block_error_gives_line(tmp_path):
    path = tmp_path / "book.md"
    path.write_text("---\ntitle: 书\nthis is not yaml\n---\n\n正文", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        read(path)
    assert "book.md:3:" in e.value.message


def test_identifier_is_stable_without_setting(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "书"\nauthor = "某人"', "a.md": "正文"})
    first, second = read(tmp_path).meta.identifier, read(tmp_path).meta.identifier
    assert first == second and first.startswith("urn:uuid:")


def test_big5_file_suggests_big5_first(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'title = "書"',
                                "a.md": "# 章\n\n這是繁體中文的文字，用來測試編碼。".encode("big5")})
    with pytest.raises(ManuscriptError, match='add encoding = "big5"'):
        read(tmp_path)


def test_chapter_file_of_a_directory_has_no_header_block(tmp_path):
    """Only a one-file manuscript has settings in a --- block: a chapter file
    that starts with one is Markdown (a rule, then a heading)."""
    write_manuscript(tmp_path, {"book.toml": 'title = "书"', "a.md": "---\ntitle: 甲\n---\n\n正文"})
    book = read(tmp_path)
    assert book.meta.title == "书"
    assert "title: 甲" in dump(book)


def test_chapter_files_in_the_order_their_numbers_say(tmp_path):
    """Digits compared as numbers and Chinese numerals too: 第二章 < 第十章 < 第十一章."""
    names = ["第十一章.md", "第一章.md", "第三章.md", "第二章.md", "第十章.md", "第二十章.md"]
    for name in names:
        (tmp_path / name).write_text(f"# {name[:-3]}\n\n正文。\n", encoding="utf-8")
    book = read(tmp_path)
    assert [m.plain_text(c.title) for c in book.chapters] == [
        "第一章", "第二章", "第三章", "第十章", "第十一章", "第二十章"]


def test_a_chapter_file_left_out_of_chapters_is_named(tmp_path, warnings_logged):
    (tmp_path / "book.toml").write_text('chapters = ["a.md"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# 甲\n\n正文。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# 乙\n\n忘了列出。\n", encoding="utf-8")
    book = read(tmp_path)
    assert len(book.chapters) == 1
    assert any("book.toml:1: b.md is in the manuscript folder but not in chapters" in w
               for w in warnings_logged())


@pytest.mark.parametrize("line, message", [
    ('language = "chinese"', "language 'chinese' is not a BCP 47 language tag such as zh-Hans, "
                             "zh-Hant-TW or en (did you mean 'zh-Hans'?)"),
    ('language = "xx"', "language 'xx' is not a BCP 47 language tag"),
    ('language = "zh_CN"', "(did you mean 'zh-CN'?)"),
    ('date = "2025年3月"', "date '2025年3月' is not a date such as 2025-03-01"),
    ('date = "2025-13"', "date '2025-13' is not a date"),
    ('isbn = "978-7-111-11111-1"', "isbn '978-7-111-11111-1' is not a valid ISBN: its check "
                                   "digit should be 5"),
    ('identifier = "0-306-40615-3"', "is not a valid ISBN: its check digit should be 2"),
    ('isbn = "97871111"', "an ISBN has 13 digits"),
])
def test_metadata_is_checked_when_read(tmp_path, line, message):
    """Language against the IANA registry (langcodes), dates as ISO 8601 (what
    dc:date takes), ISBN check digits (ISO 2108), each error naming its line."""
    (tmp_path / "book.toml").write_text(f'title = "书"\n{line}\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# 章\n\n正文。\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read(tmp_path)
    assert message in str(raised.value.message) and "book.toml:2:" in str(raised.value.message)


@pytest.mark.parametrize("line", ['language = "zh-Hant-TW"', 'language = "en-GB"',
                                  'date = "2025"', 'date = "2025-03"', 'isbn = "978-0-306-40615-7"',
                                  'isbn = "0-8044-2957-X"', 'identifier = "urn:isbn:9787111111115"'])
def test_good_metadata_passes(tmp_path, line):
    (tmp_path / "book.toml").write_text(f'title = "书"\n{line}\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# 章\n\n正文。\n", encoding="utf-8")
    read(tmp_path)


def test_an_edition_key_at_the_top_of_a_header_block_says_where_it_belongs(tmp_path,
                                                                         warnings_logged):
    (tmp_path / "book.md").write_text("---\ntitle: 头\ntrim: a5\nedition:\n  width: 30\n---\n\n"
                                      "# 章\n\n正文。\n", encoding="utf-8")
    book = read(tmp_path / "book.md", edition_keys={"trim", "width"})
    assert dict(book.meta.options) == {"width": 30}
    assert any("book.md:3: 'trim' is an edition setting: put it under edition:" in w
               for w in warnings_logged())


def test_an_unknown_key_gets_a_did_you_mean(tmp_path, warnings_logged):
    (tmp_path / "book.toml").write_text('auther = "某人"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# 章\n\n正文。\n", encoding="utf-8")
    read(tmp_path)
    assert any("book.toml:1: unknown key 'auther' (did you mean 'author'?)" in w
               for w in warnings_logged())


@pytest.mark.parametrize("raw_html", ["", "\n\n<div>raw</div>\n"])
def test_code_and_mail_text_as_written(tmp_path, raw_html):
    """Code keeps its ``<`` ``>`` ``&`` and an autolinked address its letters,
    whether or not the file holds raw HTML (which changes how its tree is read)."""
    write_manuscript(tmp_path, {"book.md": (
        "# 一\n\n类型（`Promise<void>`）与 `a < b && c`，写信到 <me@example.com>。\n\n"
        "    if (a < b && c) {}\n" + raw_html)})
    blocks = read(tmp_path / "book.md").chapters[0].blocks
    codes = [i.text for i in blocks[0].inlines if isinstance(i, m.Code)]
    assert codes == ["Promise<void>", "a < b && c"]
    assert "me@example.com" in m.plain_text(blocks[0].inlines)
    link = next(i for i in blocks[0].inlines if isinstance(i, m.Link))
    assert link.target == "mailto:me@example.com"
    assert blocks[1].text.strip() == "if (a < b && c) {}"
