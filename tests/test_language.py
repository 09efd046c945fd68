"""A book's language in every edition: told from the text when book.toml has
none, its labels (a book in English reads Contents, Chapter 1, By Jane Doe;
one in Traditional Chinese 目錄, 書名), ``[labels]`` in book.toml, and
passages in another language (``lang`` on raw HTML) set in the faces and
glyph forms of that language — measured as a reader meets them: the
EPUB's documents, the text edition, the PDF's text, fonts and /Lang."""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import CORPUS, write_manuscript
from epub_validation import check_all
from pypdf import PdfReader

from publish import model as m
from publish.dump import dump
from publish.errors import ConfigError
from publish.labels import labels
from publish.languages import book_languages
from publish.numbers import number_label
from publish.reader import read
from publish.reader.language import detect_language
from publish.themes import theme_dir
from publish.typography import SIMPLIFIED_ONLY, is_han
from publish.writers import epub, pdf, txt

X = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))

ENGLISH = """\
# The First Part

## Beginning

It is a truth universally acknowledged, that a single man in possession of a good
fortune, must be in want of a wife.[^1] However little known the feelings or views of
such a man may be on his first entering a neighbourhood, this truth is so well fixed.

**Reporter**: What happened next? See [the site](https://example.org/).

A line in Chinese: <span lang="zh-Hans">这是中文。</span> And in Japanese:
<span lang="ja">吾輩は猫である。</span>

---

Another scene begins here.

[^1]: A note at the foot of the page.

## Ending

The end of the story.
"""
ENGLISH_TOML = """\
title = "A Small Book"
subtitle = "Of Tests"
author = "Jane Doe"
translator = "John Roe"
publisher = "Test Press"
isbn = "9787111111115"
chapter_level = 2

[edition]
chapter_label = "chapter"
"""
TRADITIONAL = """\
# 啟程

這是一本用繁體中文寫的書。我們從臺北出發，經過許多城市。[^1]

她說：「這裡的山很高。」引一句日文：<span lang="ja">吾輩は猫である。名前はまだ無い。</span>

> 這是一段引文，說明這本書的來歷。

<p lang="zh-Hans">这一段用简体字写成，应当用简体字形。</p>

還有**重要的事**與 `程式碼` 。

[^1]: 這是一條註釋，說明臺北的歷史。

## 城市

在城市裡，我們遇見了許多人。

# 歸來

回家的路很長。
"""
TRADITIONAL_TOML = 'title = "臺灣遊記"\nauthor = "王小明"\ntranslator = "陳大文"\n' \
                   'publisher = "測試出版社"\n\n[edition]\nchapter_label = "chapter"\n'


def book_of(folder: Path, text: str, toml: str = "") -> m.Book:
    files = {"a.md": text} | ({"book.toml": toml} if toml else {})
    return read(write_manuscript(folder, files))


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> m.Book:
    return book_of(tmp_path_factory.mktemp("en"), ENGLISH, ENGLISH_TOML)


@pytest.fixture(scope="module")
def traditional(tmp_path_factory) -> m.Book:
    return book_of(tmp_path_factory.mktemp("hant"), TRADITIONAL, TRADITIONAL_TOML)


@pytest.fixture(scope="module")
def editions(english, traditional, tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("editions")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = {}
    for name, book in (("en", english), ("zh-Hant", traditional)):
        options = m.BuildOptions(theme_dir=theme_dir("default"), values=book.meta.options)
        built[name] = {edition.NAME: edition.write(book, out / name, options)
                       for edition in (epub, pdf, txt)}
    mp.undo()
    return built


def documents(path: Path) -> dict[str, ET.Element]:
    """Every XHTML document of an EPUB, parsed."""
    with zipfile.ZipFile(path) as z:
        return {name: ET.fromstring(z.read(name)) for name in z.namelist()
                if name.endswith(".xhtml")}


def epub_text(path: Path) -> str:
    return "\n".join("".join(root.itertext()) for root in documents(path).values())


def pdf_chars(path: Path) -> list[dict]:
    with pdfplumber.open(path) as doc:
        return [c for page in doc.pages for c in page.chars]


def face(char: dict) -> str:
    return re.sub(r"^[A-Z]{6}\+", "", char["fontname"])


# --- telling the language ------------------------------------------------------------


@pytest.mark.parametrize(("text", "language"), [
    ("It is a truth universally acknowledged, that a single man in possession of a good "
     "fortune, must be in want of a wife.", "en"),
    ("这是一本用简体中文写的书。我们从北京出发，经过许多城市，见到了很多风景。", "zh-Hans"),
    ("這是一本用繁體中文寫的書。我們從臺北出發，經過許多城市，見到了很多風景。", "zh-Hant"),
    ("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。", "ja"),
    ("나는 고양이로소이다. 이름은 아직 없다. 어디서 태어났는지 전혀 모른다.", "ko"),
    # Chinese with English words in it: a Han character is a word's worth.
    ("我们用 JavaScript 写前端，用 Python 写后端，数据放在 PostgreSQL 里。", "zh-Hans"),
    ("", "zh-Hans"),                        # nothing to tell by: the default
    ("1234 5678 — !?", "zh-Hans"),
])
def test_the_language_is_told_from_the_letters(text, language):
    assert detect_language([text]).language == language


def test_code_is_not_prose(tmp_path):
    code = "```js\n" + "const element = document.querySelector('#app');\n" * 40 + "```\n"
    book = book_of(tmp_path, "# 第一章\n\n下面这段代码取得页面上的元素。\n\n" + code)
    assert book.meta.language == "zh-Hans"


def test_book_toml_wins_and_a_progress_line_says_which(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="publish.progress")
    told = book_of(tmp_path / "a", "# One\n\nAn English sentence about nothing.")
    given = book_of(tmp_path / "b", "# One\n\nAn English sentence about nothing.",
                    'language = "en-GB"\n')
    assert (told.meta.language, given.meta.language) == ("en", "en-GB")
    lines = [r.getMessage() for r in caplog.records if r.name == "publish.progress"]
    assert any(line.startswith("Language: en, told from the text (Latin letters 100%)")
               for line in lines), lines
    assert any(line.startswith("Language: en-GB (set in book.toml)") for line in lines), lines


CORPUS_BOOKS = {
    "novel-en-pride/pride-and-prejudice.md": "en",
    "novel-zh-hant-xiyouji/xiyouji-hant.md": "zh-Hant",
    "novel-xiyouji/xiyouji.md": "zh-Hans",
    "edge-zh-hant-react/thinking-in-react.md": "zh-Hant",
}


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
@pytest.mark.parametrize("name", list(CORPUS_BOOKS))
def test_the_corpus_books_are_told_right(name):
    assert read(CORPUS / name).meta.language == CORPUS_BOOKS[name]


# --- labels -----------------------------------------------------------------------------


def test_an_english_book_has_no_chinese_in_any_edition(editions):
    """Pride and Prejudice's trouble: 目录, 著, 书名 in a book with no Chinese.
    The passages in Chinese and Japanese are the only Han the editions hold."""
    passages = set("这是中文吾輩猫")
    paths = editions["en"]
    texts = {"epub": epub_text(paths["epub"]),
             "txt": paths["txt"].read_text(encoding="utf-8"),
             "pdf": "".join(c["text"] for c in pdf_chars(paths["pdf"]))}
    with zipfile.ZipFile(paths["epub"]) as z:
        texts["opf"] = z.read("EPUB/content.opf").decode() + z.read("EPUB/toc.ncx").decode()
    for edition, text in texts.items():
        stray = {ch for ch in text if is_han(ch) or ch in "：　＊①"} - passages
        assert not stray, (edition, stray)


def test_an_english_book_reads_english(editions):
    docs = documents(editions["en"]["epub"])
    nav = docs["EPUB/nav.xhtml"]
    headings = [h.text for h in nav.iter(f"{X}h2")]
    assert headings == ["Contents", "Landmarks"]
    landmarks = [a.text for a in nav.findall(f".//{X}nav[2]//{X}a")]
    assert landmarks == ["Cover", "Contents", "Begin Reading"]
    assert [a.text for a in nav.findall(f".//{X}nav[1]//{X}a")] == [
        "Part One\u2003The First Part", "Chapter 1\u2003Beginning", "Chapter 2\u2003Ending"]
    title_page = "".join(docs["EPUB/titlepage.xhtml"].itertext())
    assert "By Jane Doe" in title_page and "Translated by John Roe" in title_page
    rows = [dt.text for dt in docs["EPUB/copyright.xhtml"].iter(f"{X}dt")]
    assert rows == ["Title", "Author", "Translator", "Publisher", "ISBN"]
    assert "A Small Book: Of Tests" in "".join(docs["EPUB/copyright.xhtml"].itertext())
    chapter = "".join(docs["EPUB/ch01.xhtml"].itertext())
    assert "Notes" in chapter and "Reporter: What happened next?" in chapter


def test_every_document_and_the_package_carry_the_language(editions):
    for name, paths in editions.items():
        for file, root in documents(paths["epub"]).items():
            assert (root.get("lang"), root.get(XML_LANG)) == (name, name), file
        with zipfile.ZipFile(paths["epub"]) as z:
            opf = ET.fromstring(z.read("EPUB/content.opf"))
        language = opf.find(".//{http://purl.org/dc/elements/1.1/}language").text
        assert language == name
        assert PdfReader(paths["pdf"]).trailer["/Root"]["/Lang"] == name


def test_a_traditional_book_reads_traditional(editions):
    """A zh-Hant book's fixed strings are Traditional: no Simplified-only
    character anywhere but in its Simplified passage."""
    paths = editions["zh-Hant"]
    docs = documents(paths["epub"])
    nav = docs["EPUB/nav.xhtml"]
    assert [h.text for h in nav.iter(f"{X}h2")] == ["目錄", "導覽"]
    rows = [dt.text for dt in docs["EPUB/copyright.xhtml"].iter(f"{X}dt")]
    assert rows == ["書名", "著", "譯", "出版", "標識"]
    assert "註釋" in "".join(docs["EPUB/ch01.xhtml"].itertext())
    passage = set("这一段用简体字写成，应当用简体字形。")
    for edition, text in (("epub", epub_text(paths["epub"])),
                          ("txt", paths["txt"].read_text(encoding="utf-8"))):
        assert not set(text) & set(SIMPLIFIED_ONLY) - passage, edition
    assert "目錄" in paths["txt"].read_text(encoding="utf-8")


def test_the_text_edition_in_english(editions):
    lines = editions["en"]["txt"].read_text(encoding="utf-8").splitlines()
    assert lines[:5] == ["A Small Book", "Of Tests", "", "By Jane Doe", "Translated by John Roe"]
    body = lines.index("Beginning")
    assert lines[body + 1] == "=" * len("Beginning")   # "=" takes one column
    # Paragraphs stand apart by a blank line, with no indent besides.
    assert lines[body + 3].startswith("It is a truth")
    assert any(line.strip() == "* * *" for line in lines)
    assert "Reporter: What happened next? See the site (https://example.org/)." in lines
    assert "Contents" in lines and "Notes" in lines


def test_the_text_edition_in_traditional_chinese(editions):
    lines = editions["zh-Hant"]["txt"].read_text(encoding="utf-8").splitlines()
    assert "\u3000\u3000這是一本用繁體中文寫的書。我們從臺北出發，經過許多城市。[1]" in lines
    assert any(line.strip() == "＊\u3000＊\u3000＊" for line in lines)
    assert "王小明\u3000著" in lines and "陳大文\u3000譯" in lines


@pytest.mark.parametrize(("language", "chapter", "part"), [
    ("en", "Chapter 1", "Part One"), ("zh-Hans", "第一章", "第一部"),
    ("zh-Hant", "第一章", "第一部"), ("ja", "第一章", "第一部"),
])
def test_chapters_and_parts_numbered_in_the_book_language(tmp_path, language, chapter, part):
    book = book_of(tmp_path, "# 甲\n\n## 乙\n\n文。\n", f'title = "书"\nlanguage = "{language}"\n'
                   'chapter_level = 2\n')
    html = pdf.document(book, m.BuildOptions(values={"chapter_label": "chapter"}))
    assert f'<span class="label">{chapter}' in html and f'<span class="label">{part}' in html


def test_labels_in_book_toml_win(tmp_path, warnings_logged):
    book = book_of(tmp_path, "# One\n\nText with a note.[^1]\n\n[^1]: The note.\n",
                   'title = "T"\nlanguage = "en"\n\n[labels]\ncontents = "Table of Contents"\n'
                   'row.title = "Book"\nnotes = "Endnotes"\ncontnets = "x"\n')
    assert dict(book.meta.labels) == {"contents": "Table of Contents", "row.title": "Book",
                                      "notes": "Endnotes"}
    assert any("unknown label 'contnets' (did you mean 'contents'?)" in w
               for w in warnings_logged())
    text = txt.render(book)
    assert "Table of Contents" in text and "Endnotes" in text
    html = pdf.document(book, m.BuildOptions())
    assert "<h1>Table of Contents</h1>" in html and "<dt>Book</dt>" in html
    data = epub.build(book, OPTIONS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<h2>Table of Contents</h2>" in z.read("EPUB/nav.xhtml").decode()


@pytest.mark.parametrize(("line", "message"), [
    ('cover_alt = "Cover of {titel}"', "{titel} is not one of its fields ({title})"),
    ('chapter = "Chapter {n:words}"', "a number is {n}, {n:zh}, {n:word} or {n:roman}"),
    ('contents = "a { b"', "write {{ and }} for a brace"),
    ("contents = 3", "[labels] contents must be text"),
])
def test_a_label_that_cannot_be_filled_is_an_error(tmp_path, line, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        book_of(tmp_path, "# One\n\nText.", f'title = "T"\n\n[labels]\n{line}\n')


# --- passages in another language ------------------------------------------------------


def test_lang_on_raw_html_is_kept_in_the_model(tmp_path, warnings_logged):
    book = book_of(tmp_path, '# 一\n\n中文<span lang="ja">日本語</span>，<em lang="en">word</em>。\n\n'
                   '<p lang="zh-Hant">繁體。</p>\n\n<blockquote lang="ja"><p>引用。</p></blockquote>\n\n'
                   '<div lang="ko"><p>한국어</p><ul><li>목록</li></ul></div>\n\n'
                   '<span lang="日本語">文</span>\n')
    dumped = dump(book)
    assert "中文Span[ja 日本語]，Span[en Emph[word]]。" in dumped
    assert "Para lang=zh-Hant 繁體。" in dumped
    assert "Quote lang=ja" in dumped
    assert "Para lang=ko 한국어" in dumped and "Para lang=ko 목록" in dumped
    assert any("lang='日本語' is not a language tag" in w for w in warnings_logged())
    assert book_languages(book) == ("zh-Hans", "ja", "en", "zh-Hant", "ko")


def test_passages_are_marked_in_the_epub_and_it_validates(editions):
    reports = check_all([paths["epub"] for paths in editions.values()])
    for path, report in reports.items():
        assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), (path, report.messages)
    docs = documents(editions["zh-Hant"]["epub"])
    spans = [(e.tag, e.get("lang")) for e in docs["EPUB/ch01.xhtml"].iter() if e.get("lang")]
    assert (f"{X}span", "ja") in spans and (f"{X}p", "zh-Hans") in spans


def test_a_traditional_book_is_set_in_traditional_faces(editions):
    """Every Han character of the zh-Hant book — text, headings, running heads,
    contents, notes, code, the quotation (in the Kai face of Taiwan's forms,
    AR PL UKai TW) — is in a TC face, but those of its Japanese passage (a JP
    face) and of its Simplified one (an SC face)."""
    faces: dict[str, set[str]] = {}
    for c in pdf_chars(editions["zh-Hant"]["pdf"]):
        if len(c["text"]) == 1 and is_han(c["text"]):
            faces.setdefault(c["text"], set()).add(face(c))
    passages = {"JP": set("吾輩猫名前無"), "SC": set("这一段用简体字写成应当形")}
    only_there = {"JP": set("吾輩猫前無"), "SC": set("这简体写成应当形")}  # 名 is in 書名, 段 in 一段引文
    for ch, used in faces.items():
        regions = {re.search(r"-CJK-(\w\w)|UKai-(TW)", name).group(1) or "TC" for name in used}
        allowed = {r for r, chars in only_there.items() if ch in chars} or (
            {"TC"} | {r for r, chars in passages.items() if ch in chars})
        assert regions <= allowed, (ch, used)
    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC-Bold", "Noto-Sans-Mono-CJK-TC"} <= {
        name for used in faces.values() for name in used}


def test_a_japanese_passage_in_a_simplified_book_is_set_in_a_japanese_face(tmp_path):
    book = book_of(tmp_path, '# 第一章\n\n简体中文的段落，引用：<span lang="ja">吾輩は猫である。</span>\n')
    path = pdf.write(book, tmp_path / "out", OPTIONS)
    used = {c["text"]: face(c) for c in pdf_chars(path) if c["text"] in "吾輩猫段落"}
    assert used["吾"].startswith("Noto-Serif-CJK-JP") and used["猫"].startswith("Noto-Serif-CJK-JP")
    assert used["段"].startswith("Noto-Serif-CJK-SC")


def test_note_marks_are_the_language_s(editions, tmp_path):
    """① at the foot of a Chinese page; a superior 1 in English text, "1." at the foot."""
    hant = "".join(c["text"] for c in pdf_chars(editions["zh-Hant"]["pdf"]))
    assert "①這是一條註釋" in hant.replace(" ", "")
    chars = pdf_chars(editions["en"]["pdf"])
    text = "".join(c["text"] for c in chars)
    assert "1. A note at the foot of the page." in text.replace("\n", "")
    call = next(c for i, c in enumerate(chars) if c["text"] == "1"
                and "".join(x["text"] for x in chars[i - 5:i]) == "wife.")
    body = chars[[c is call for c in chars].index(True) - 1]
    assert call["size"] < body["size"] and call["bottom"] < body["bottom"] - 1


@pytest.mark.parametrize(("template", "n", "expected"), [
    ("第{n:zh}章", 12, "第十二章"), ("第{n:zh}部", 101, "第一百零一部"),
    ("Chapter {n}", 7, "Chapter 7"), ("Part {n:word}", 1, "Part One"),
    ("Part {n:word}", 21, "Part Twenty-One"), ("Part {n:word}", 105, "Part One Hundred Five"),
    ("Book {n:roman}", 14, "Book XIV"), ("Book {n:roman}", 1999, "Book MCMXCIX"),
])
def test_numbers_in_labels(template, n, expected):
    assert number_label(template, n) == expected


@pytest.mark.parametrize(("language", "contents"), [
    ("zh-Hans", "目录"), ("zh", "目录"), ("zh-CN", "目录"), ("zh-Hant", "目錄"), ("zh-TW", "目錄"),
    ("zh-Hant-HK", "目錄"), ("yue", "目錄"), ("ja-JP", "目次"), ("en-GB", "Contents"),
    ("fr", "Contents"),  # a language with no table of its own: English's, not Chinese
])
def test_each_language_tag_finds_its_labels(language, contents):
    assert labels(language)["contents"] == contents
