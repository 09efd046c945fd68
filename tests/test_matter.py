"""Front and back matter: what the reader marks, and what every edition shows.

The conventions measured: front matter (preface, foreword, acknowledgements)
is paginated in lower-case roman numerals and the text starts again from
arabic 1 on the first page of the first chapter (Chicago Manual of Style,
ch. 1, "Page numbers"; the PDF's /PageLabels say the same to a viewer, ISO
32000 12.4.2); front and back matter carry no chapter number; appendices are
lettered A, B…; the EPUB types each content document as frontmatter,
bodymatter or backmatter and each such chapter as what it is (EPUB 3
Structural Semantics Vocabulary), and its landmarks send "bodymatter" to
the first chapter of the body.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from epub_validation import check_all
from pypdf import PdfReader

from publish import model as m
from publish.errors import ConfigError
from publish.labels import labels
from publish.reader import read
from publish.reader.matter import title_kind
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt
from publish.xhtml import Renderer

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def chapters(book: m.Book) -> list[tuple[str, str, str, int | None, str]]:
    """(title, matter, kind, number, letter) of every chapter."""
    return [(m.plain_text(c.title), c.matter, c.kind, c.number, c.letter) for c in book.chapters]


def text_book(folder: Path, titles: list[str], toml: str = "") -> m.Book:
    """A one-file manuscript of chapters with these titles (a heading may be raw HTML)."""
    body = "".join((t if t.startswith("<") else f"# {t}") + "\n\n正文。\n\n" for t in titles)
    return read(write_manuscript(folder, {"book.toml": 'title = "书"\n' + toml, "a.md": body}))


# --- what a title says -----------------------------------------------------------------


@pytest.mark.parametrize(("title", "side", "kind"), [
    ("前言", "front", "preface"), ("序", "front", "preface"), ("序言", "front", "preface"),
    ("自序", "front", "preface"), ("推荐序一", "front", "foreword"),
    ("前言：为什么写这本书", "front", "preface"), ("引言", "front", "introduction"),
    ("致谢", "front", "acknowledgments"), ("致谢", "back", "acknowledgments"),
    ("Preface", "front", "preface"), ("Preface to the Second Edition", "front", "preface"),
    ("Foreword", "front", "foreword"), ("Introduction", "front", "introduction"),
    ("Acknowledgements", "front", "acknowledgments"),
    ("后记", "back", "afterword"), ("译后记", "back", "afterword"),
    ("附录", "back", "appendix"), ("附录 A　调查问卷", "back", "appendix"),
    ("附录一：数据", "back", "appendix"), ("附錄 B", "back", "appendix"),
    ("参考文献", "back", "bibliography"), ("索引", "back", "index"),
    ("Afterword", "back", "afterword"), ("Appendix", "back", "appendix"),
    ("Appendix A: Data Tables", "back", "appendix"), ("Bibliography", "back", "bibliography"),
    ("Index", "back", "index"), ("Appendices", "back", ""),
    # Words that only begin like one, or stand on the other side: no kind.
    ("序章", "front", None), ("程序", "front", None), ("秩序", "front", None),
    ("导论", "front", None), ("Introduction to JavaScript", "front", None),
    ("前言", "back", None), ("后记", "front", None), ("Appendix", "front", None),
    ("Indexes and Keys", "back", None),
])
def test_what_a_title_says(title, side, kind):
    assert title_kind(title, side) == kind


# --- where a chapter stands --------------------------------------------------------------


def test_the_runs_at_either_end_are_front_and_back_matter(tmp_path):
    book = text_book(tmp_path, ["前言", "致谢", "缘起", "附录：放在中间", "终局", "后记",
                                "附录　调查问卷", "附录：数据表"])
    assert chapters(book) == [
        ("前言", "front", "preface", None, ""),
        ("致谢", "front", "acknowledgments", None, ""),
        ("缘起", "body", "", 1, ""),
        ("附录：放在中间", "body", "", 2, ""),  # between body chapters: a chapter
        ("终局", "body", "", 3, ""),
        ("后记", "back", "afterword", None, ""),
        # Lettered by place, the 附录 its label says taken from the title.
        ("调查问卷", "back", "appendix", None, "A"),
        ("数据表", "back", "appendix", None, "B"),
    ]
    assert book.first_body is book.chapters[2]


def test_an_appendix_keeps_the_letter_or_numeral_its_title_gives(tmp_path):
    book = text_book(tmp_path, ["开端", "附录一　问卷", "附录二：数据", "附录　索引之外"])
    assert [c[0::4] for c in chapters(book)[1:]] == [("问卷", "一"), ("数据", "二"),
                                                     ("索引之外", "C")]
    assert "附录一\u3000问卷" in txt.render(book)  # every character the author wrote
    english = text_book(tmp_path / "en", ["Start", "Appendix 1: Data", "Appendix: Notes"])
    assert [c[0::4] for c in chapters(english)[1:]] == [("Data", "1"), ("Notes", "B")]


def test_a_lone_appendix_titled_with_the_word_alone_keeps_it_as_its_heading(tmp_path):
    """``# 附录`` and nothing more: the reader sees 附录 once, as the chapter's
    heading (it was set as a small label over an empty title)."""
    from publish.xhtml import Renderer

    book = text_book(tmp_path, ["开端", "附录"])
    assert chapters(book)[1] == ("附录", "back", "appendix", None, "")
    html = Renderer(book, href=lambda t: "#" + t, image_href=str).chapter(book.chapters[1])
    heading = html[html.index("<h1"):html.index("</h1>")]
    assert heading.count("附录") == 1 and 'class="label"' not in heading
    assert txt.render(book).count("附录") == 2  # its heading and its contents line


def test_a_front_matter_title_after_the_first_chapter_is_a_chapter(tmp_path):
    book = text_book(tmp_path, ["开端", "前言", "后记", "终局"])
    assert [(c[1], c[3]) for c in chapters(book)] == [("body", n) for n in (1, 2, 3, 4)]


def test_titles_can_be_left_unrecognised(tmp_path):
    book = text_book(tmp_path, ["前言", "开端", "附录"], "matter_by_title = false\n")
    assert [(c[1], c[3]) for c in chapters(book)] == [("body", 1), ("body", 2), ("body", 3)]


@pytest.mark.parametrize("headings", [
    # Markdown's heading attributes (pandoc's {-} is {.unnumbered}) and raw HTML.
    ["写在前面 {.unnumbered}", "前言 {.numbered}", "开端", "插曲 {-}", "终局",
     "出版说明 {#colophon .unnumbered}"],
    ['<h1 class="unnumbered">写在前面</h1>', '<h1 class="numbered">前言</h1>', "开端",
     '<h1 class="unnumbered">插曲</h1>', "终局", '<h1 class="unnumbered">出版说明</h1>'],
], ids=["attributes", "html"])
def test_heading_classes_mark_and_override(tmp_path, headings):
    book = text_book(tmp_path, headings)
    assert [c[0] for c in chapters(book)] == ["写在前面", "前言", "开端", "插曲", "终局",
                                              "出版说明"]
    assert [c[1:4] for c in chapters(book)] == [
        ("front", "", None),   # unnumbered, before the body: front matter
        ("body", "", 1),       # {.numbered}: a chapter, whatever its title says
        ("body", "", 2),
        ("body", "", None),    # unnumbered inside the body: no number
        ("body", "", 3),
        ("back", "", None),    # unnumbered, after the body: back matter
    ]


def test_a_book_of_front_matter_alone_has_none(tmp_path):
    assert chapters(text_book(tmp_path, ["前言"])) == [("前言", "body", "", 1, "")]


def test_a_lone_appendix_has_no_letter(tmp_path):
    book = text_book(tmp_path, ["开端", "附录：术语", "参考文献"])
    assert chapters(book)[1:] == [("术语", "back", "appendix", None, ""),
                                  ("参考文献", "back", "bibliography", None, "")]
    assert "附录\u3000术语" in txt.render(book)


@pytest.mark.parametrize(("language", "toml", "label"), [
    ("zh-Hans", "", "附录 A\u3000"), ("zh-Hant", "", "附錄 A\u3000"), ("ja", "", "付録 A\u3000"),
    ("en", "", "Appendix A\u2003"),
    # The appendix word is a label as the others are: [labels] in book.toml overrides it.
    ("en", '[labels]\nappendix = "Annex {letter}"\n', "Annex A\u2003"),
    ("zh-Hans", '[labels]\nappendix = "附表 {letter}"\n', "附表 A\u3000"),
])
def test_appendix_labels_are_the_books_languages(tmp_path, language, toml, label):
    book = text_book(tmp_path, ["开端", "附录：问卷", "附录：数据"],
                     f'language = "{language}"\n' + toml)
    assert f"{label}问卷" in txt.render(book).split("\n")


def test_back_matter_leaves_the_last_part_and_a_part_of_appendices_is_lettered(tmp_path):
    text = ("# 上篇\n\n## 一\n\n正文\n\n# 下篇\n\n## 二\n\n正文\n\n## 后记\n\n正文\n\n"
            "# 附录\n\n## 问卷\n\n正文\n\n## 数据\n\n正文\n")
    book = read(write_manuscript(tmp_path, {"book.toml": 'title = "书"\nchapter_level = 2\n',
                                            "a.md": text}))
    assert [(type(i).__name__, m.plain_text(i.title), i.matter) for i in book.body] == [
        ("Part", "上篇", "body"), ("Part", "下篇", "body"), ("Chapter", "后记", "back"),
        ("Part", "附录", "back")]
    assert [c.id for c in book.body[1].chapters] == ["ch02"]
    assert chapters(book)[2:] == [("后记", "back", "afterword", None, ""),
                                  ("问卷", "back", "appendix", None, "A"),
                                  ("数据", "back", "appendix", None, "B")]
    # Parts numbered in the book's language: the part of appendices is not one of them.
    renderer = Renderer(book, lambda i: "#" + i, str, chapter_unit="chapter")
    assert [renderer.part_label(p) for p in book.body if isinstance(p, m.Part)] == [
        "第一部\u3000", "第二部\u3000", ""]


def test_book_toml_lists_front_and_back_files(tmp_path):
    files = {"preface.md": "# 写在前面\n\n话。\n", "intro.md": "# 前言\n\n正文。\n",
             "one.md": "# 开端\n\n正文。\n", "notes.md": "# 附录 A　问卷\n\n正文。\n",
             "z.md": "# 补记\n\n正文。\n"}
    toml = 'title = "书"\nfront = ["preface.md"]\nback = ["z.md", "notes.md"]\n'
    book = read(write_manuscript(tmp_path, {"book.toml": toml, **files}))
    # The other files, by name, are the body: a 前言 there is chapter 1.
    assert chapters(book) == [("写在前面", "front", "", None, ""), ("前言", "body", "", 1, ""),
                              ("开端", "body", "", 2, ""), ("补记", "back", "", None, ""),
                              ("问卷", "back", "appendix", None, "A")]
    with_chapters = toml + 'chapters = ["one.md", "intro.md"]\n'
    (tmp_path / "book.toml").write_text(with_chapters, encoding="utf-8")
    assert [c[0] for c in chapters(read(tmp_path))] == ["写在前面", "开端", "前言", "补记", "问卷"]


@pytest.mark.parametrize(("toml", "error"), [
    ('front = ["a.md"]\nchapters = ["a.md"]\n', "a.md is in chapters and in front"),
    ('front = ["a.md"]\nback = ["a.md"]\n', "a.md is listed twice"),
    ('back = "a.md"\n', "back must be a list of file names"),
    ('front = ["missing.md"]\n', "missing.md"),
    ('matter_by_title = "no"\n', "matter_by_title must be true or false"),
])
def test_mistakes_in_the_lists_are_errors(tmp_path, toml, error):
    with pytest.raises(ConfigError, match=error):
        read(write_manuscript(tmp_path, {"book.toml": 'title = "书"\n' + toml,
                                         "a.md": "# 前言\n\n正文。\n"}))


# --- the editions ------------------------------------------------------------------------


@pytest.mark.slow
def test_heading_attributes_in_every_edition(tmp_path):
    """{.unnumbered} and {-} as an author writes them, in an English book
    numbered in its language: what each edition shows."""
    body = "".join(f"# {t}\n\n{'Words of the chapter. ' * 40}\n\n" for t in [
        "Before We Begin {.unnumbered}", "One", "Interlude {-}", "Two", "Appendix: Data"])
    root = write_manuscript(tmp_path, {"book.toml": 'title = "Marks"\nlanguage = "en"\n',
                                       "a.md": body})
    book = read(root)
    assert [c[1:] for c in chapters(book)] == [
        ("front", "", None, ""), ("body", "", 1, ""), ("body", "", None, ""),
        ("body", "", 2, ""), ("back", "appendix", None, "")]
    options = m.BuildOptions(theme_dir=theme_dir("default"), values={"chapter_label": "chapter"})
    shown = ["Before We Begin", "Chapter 1\u2003One", "Interlude", "Chapter 2\u2003Two",
             "Appendix\u2003Data"]  # a lone appendix has no letter
    with zipfile.ZipFile(epub.write(book, tmp_path / "dist", options)) as z:
        nav = ET.fromstring(z.read("EPUB/nav.xhtml"))
        docs = [ET.fromstring(z.read(f"EPUB/ch0{n}.xhtml")) for n in range(1, 6)]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert ["".join(a.itertext()) for a in toc.iter(f"{{{NS['x']}}}a")] == shown
    assert ["".join(d.find(".//x:h1", NS).itertext()) for d in docs] == shown
    assert [d.find("x:body", NS).get(EPUB_TYPE) for d in docs] == [
        "frontmatter", "bodymatter", "bodymatter", "bodymatter", "backmatter"]
    text = txt.render(book, options)
    assert "{" not in text
    assert [text.split("\n")[i - 1] for i, line in enumerate(text.split("\n"))
            if line and set(line) == {"="}] == [re.sub("^Chapter .\u2003", "", s) for s in shown]
    path = pdf.write(book, tmp_path / "dist", options)
    page_labels = PdfReader(path).page_labels
    with pdfplumber.open(path) as doc:
        tops = [squeezed(p.extract_text() or "")[:30] for p in doc.pages]
    opening = [next(i for i, top in enumerate(tops) if top.startswith(squeezed(s)))
               for s in shown]
    assert re.fullmatch("[ivx]+", page_labels[opening[0]])  # roman up to chapter 1
    assert [page_labels[i] for i in opening[1:]] == [
        str(i - opening[1] + 1) for i in opening[1:]]


FILLER = {"zh-Hans": "这是一段填充正文的文字，让每一章都有几页长，好看清页脚的页码。" * 8,
          "en": "This sentence fills the pages so that every chapter runs to a few pages. " * 8}
BOOKS = {
    "zh-Hans": ["前言", "缘起", "发展", "转折", "高潮", "终局", "后记", "附录 A　调查问卷",
                "附录 B　数据表"],
    "en": ["Preface", "Beginnings", "Growth", "Turns", "Heights", "Endings", "Afterword",
           "Appendix A: Survey", "Appendix B: Data Tables"],
}
#: What a reader sees of each chapter: its heading, its contents line.
SHOWN = {
    "zh-Hans": ["前言", "第一章\u3000缘起", "第二章\u3000发展", "第三章\u3000转折",
                "第四章\u3000高潮", "第五章\u3000终局", "后记", "附录 A\u3000调查问卷",
                "附录 B\u3000数据表"],
    "en": ["Preface", "Chapter 1\u2003Beginnings", "Chapter 2\u2003Growth",
           "Chapter 3\u2003Turns", "Chapter 4\u2003Heights", "Chapter 5\u2003Endings",
           "Afterword", "Appendix A\u2003Survey", "Appendix B\u2003Data Tables"],
}


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Both books in every edition, the Chinese with 第N章 labels (a unit),
    the English with Chapter N (its language's)."""
    out: dict[str, dict[str, Path]] = {}
    for language, titles in BOOKS.items():
        root = tmp_path_factory.mktemp(language)
        pages = [f"# {t}\n\n" + "\n\n".join([FILLER[language]] * (12 if i == 0 else 5))
                 for i, t in enumerate(titles)]
        write_manuscript(root, {"book.toml": f'title = "Matter"\nlanguage = "{language}"\n'
                                             'identifier = "urn:uuid:9d1c5b7e-0000-4000-8000-'
                                             '000000000001"\n',
                                "book.md": "\n\n".join(pages)})
        book = read(root)
        options = m.BuildOptions(theme_dir=theme_dir("default"), values={
            "chapter_label": "章" if language == "zh-Hans" else "chapter"})
        out[language] = {name: writer.write(book, root / "dist", options)
                         for name, writer in (("pdf", pdf), ("epub", epub), ("txt", txt))}
    return out


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def squeezed(value: str) -> str:
    return re.sub(r"\s", "", value)


def folio(page) -> str | None:
    """The page number printed at the foot of a page, if any."""
    foot = [w["text"] for w in page.extract_words() if w["top"] > page.height * 0.88]
    return next((w for w in foot if re.fullmatch(r"[ivxlc]+|\d+", w)), None)


@pytest.mark.slow
@pytest.mark.parametrize("language", BOOKS)
def test_pdf_roman_folios_and_labels_up_to_chapter_one(language, editions):
    path = editions[language]["pdf"]
    labels = PdfReader(path).page_labels
    with pdfplumber.open(path) as doc:
        tops = [squeezed(p.extract_text() or "")[:30] for p in doc.pages]
        folios = [folio(p) for p in doc.pages]
    shown = [squeezed(s) for s in SHOWN[language]]
    opening = [next(i for i, top in enumerate(tops) if top.startswith(s)) for s in shown]
    one = opening[1]  # chapter 1 opens arabic page 1
    assert labels[:one] == [roman(n) for n in range(1, one + 1)]
    assert labels[one:] == [str(n) for n in range(1, len(labels) - one + 1)]
    printed = [(i, f) for i, f in enumerate(folios) if f is not None]
    assert all(f == labels[i] for i, f in printed)  # the folio is the page's label
    # The preface's pages, its opening one too, carry roman folios; the back matter arabic.
    preface = range(opening[0], one)
    assert [f for i, f in printed if i in preface] and all(
        re.fullmatch("[ivx]+", f) for i, f in printed if i in preface)
    assert all(folios[i] and folios[i].isdigit() for i in opening[6:])


@pytest.mark.slow
@pytest.mark.parametrize("language", BOOKS)
def test_pdf_contents_show_labels_and_the_roman_page_of_the_preface(language, editions):
    path = editions[language]["pdf"]
    page_labels = PdfReader(path).page_labels
    with pdfplumber.open(path) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    contents = next(t for t in texts if t.split("\n")[0].strip() == labels(language)["contents"])
    entries = [re.fullmatch(r"(.*?)[·.]{3,}\s*(\S+)\s*", line) for line in contents.split("\n")]
    lines = {squeezed(e.group(1)): e.group(2) for e in entries if e}
    shown = [squeezed(s) for s in SHOWN[language]]
    assert [s for s in shown if s in lines] == shown
    tops = [squeezed(t)[:30] for t in texts]
    for s in shown:  # each entry's page number is the label of the page it opens on
        page = next(i for i, top in enumerate(tops) if top.startswith(s))
        assert lines[s] == page_labels[page], s
    assert re.fullmatch("[ivx]+", lines[shown[0]])


@pytest.mark.slow
@pytest.mark.parametrize("language", BOOKS)
def test_epub_types_headings_contents_and_landmarks(language, editions):
    with zipfile.ZipFile(editions[language]["epub"]) as z:
        docs = {name: ET.fromstring(z.read(name)) for name in z.namelist()
                if name.endswith(".xhtml")}
    nav = docs.pop("EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert ["".join(a.itertext()) for a in toc.iter(f"{{{NS['x']}}}a")] == SHOWN[language]
    chapters_ = [(name, doc) for name, doc in sorted(docs.items()) if "/ch" in name]
    seen = [(doc.find("x:body", NS).get(EPUB_TYPE),
             doc.find(".//x:section", NS).get(EPUB_TYPE),
             doc.find(".//x:section", NS).get("role"),
             "".join(doc.find(".//x:h1", NS).itertext())) for _, doc in chapters_]
    shown = SHOWN[language]
    assert seen == [("frontmatter", "preface", "doc-preface", shown[0])] + [
        ("bodymatter", "chapter", "doc-chapter", s) for s in shown[1:6]] + [
        ("backmatter", "afterword", "doc-afterword", shown[6]),
        ("backmatter", "appendix", "doc-appendix", shown[7]),
        ("backmatter", "appendix", "doc-appendix", shown[8])]
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    body = [a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")
            if a.get(EPUB_TYPE) == "bodymatter"]
    assert body == [chapters_[1][0].removeprefix("EPUB/")]


@pytest.mark.slow
def test_epubcheck_finds_nothing(editions):
    reports = check_all([e["epub"] for e in editions.values()])
    for report in reports.values():
        assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


@pytest.mark.slow
@pytest.mark.parametrize("language", BOOKS)
def test_txt_contents_and_headings(language, editions):
    lines = editions[language]["txt"].read_text(encoding="utf-8").split("\n")
    # No chapter label in the text edition at all; appendices lettered in the
    # contents and headings.
    contents = [line.strip() for line in lines[lines.index(
        labels(language)["contents"]) + 2:][:9]]
    titles = [re.sub(r"^(第.章\u3000|Chapter \d\u2003)", "", s) for s in SHOWN[language]]
    assert contents == titles
    # Titles are underlined: with ＝ in Chinese, = in English.
    headings = [lines[i - 1] for i, line in enumerate(lines)
                if line and set(line) in ({"＝"}, {"="})]
    assert headings == titles


@pytest.mark.slow
def test_pdf_outline_keeps_front_and_back_matter_outside_the_parts(tmp_path):
    text = ("## 前言\n\n话。\n\n# 上篇\n\n## 一\n\n正文。\n\n# 下篇\n\n## 二\n\n正文。\n\n"
            "## 后记\n\n正文。\n\n# 附录\n\n## 问卷\n\n正文。\n\n## 数据\n\n正文。\n")
    book = read(write_manuscript(tmp_path, {"book.toml": 'title = "书"\nchapter_level = 2\n',
                                            "a.md": text}))
    reader = PdfReader(pdf.write(book, tmp_path / "dist",
                                 m.BuildOptions(theme_dir=theme_dir("default"))))

    def tree(items) -> list:
        return [tree(i) if isinstance(i, list) else i.title for i in items]
    assert tree(reader.outline)[1:] == ["前言", "上篇", ["一"], "下篇", ["二"], "后记", "附录",
                                        ["附录 A\u3000问卷", "附录 B\u3000数据"]]
    assert reader.page_labels[reader.get_destination_page_number(reader.outline[2])] == "1"
