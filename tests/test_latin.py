"""Latin typography and emphasis in every edition: an English book set the
Western way, emphasis visible in Latin and in Chinese text.

What a reader sees decides: the face of each glyph and where it stands
(pdfplumber), the text of the EPUB's documents, the text edition.  The
rules: an English book indents every paragraph but the first after a
heading or a break, with no space between (Bringhurst 2.3.1–2.3.2; every
English trade book); Latin emphasis is italic; Chinese emphasis is never a
slanted Han character (clreq 3.2.3): the default theme sets it upright in a
Kai face.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import case_manuscript, write_manuscript
from epub_validation import check
from pdf_measure import body_lines

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt

OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
A5 = pdf.page_geometry(pdf.TRIMS["a5"])
X = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def books() -> dict[str, m.Book]:
    return {name: read(case_manuscript(name)) for name in ("english", "emphasis")}


# --- the text edition -------------------------------------------------------------------


def test_text_edition_marks_latin_emphasis_only(books):
    english = txt.render(books["english"])
    assert "he had _not_." in english and "“_You_ want" in english
    assert "_emphasis in 中文的错觉 too_" in english
    chinese = txt.render(books["emphasis"])
    assert "这是一种错觉，" in chinese and "_" not in chinese


# --- the EPUB ---------------------------------------------------------------------------


def documents(path: Path) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as z:
        return {n: ET.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def prose(el: ET.Element) -> str:
    """The text of an element outside code."""
    if el.tag in (f"{{{X['x']}}}code", f"{{{X['x']}}}pre"):
        return el.tail or ""
    return (el.text or "") + "".join(prose(child) for child in el) + (el.tail or "")


@pytest.fixture(scope="module")
def epubs(books, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("latin-epub")
    return {name: epub.write(book, out / name, OPTIONS) for name, book in books.items()}


def test_epub_english_book_is_set_the_western_way(epubs):
    docs = documents(epubs["english"])
    chapter = docs["EPUB/ch01.xhtml"]
    assert "latin" in chapter.find("x:body", X).get("class").split()
    text = prose(chapter.find("x:body", X))
    assert '"' not in text and "'" not in text  # no straight quote outside code
    assert "“My dear Mr. Bennet,” said his lady" in text
    code = chapter.find(".//x:code", X)
    assert code.text == '"code" -- ...'
    assert "latin" not in (documents(epubs["emphasis"])["EPUB/ch01.xhtml"]
                           .find("x:body", X).get("class") or "")


def test_epub_chinese_emphasis_is_marked_for_its_face(epubs):
    chapter = documents(epubs["emphasis"])["EPUB/ch01.xhtml"]
    ems = chapter.findall(".//x:em", X)
    spans = {"".join(em.itertext()): [s.text for s in em.findall("x:span[@class='cjk']", X)]
             for em in ems}
    assert spans["错觉"] == ["错觉"]
    assert spans["family name first"] == []
    assert spans["中文 mixed 强调"] == ["中文", "强调"]


@pytest.mark.slow
def test_epub_with_the_kai_face_embedded_is_valid(books, tmp_path):
    path = epub.write(books["emphasis"], tmp_path,
                      m.BuildOptions(theme_dir=OPTIONS.theme_dir, values={"embed_fonts": True}))
    with zipfile.ZipFile(path) as z:
        opf = z.read("EPUB/content.opf").decode()
        fonts_css = z.read("EPUB/styles/fonts.css").decode()
    assert re.search(r'href="fonts/kai-regular\.ttf"[^>]*media-type="font/ttf"', opf)
    assert '"LXGW WenKai"' in fonts_css
    report = check(path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


# --- the PDF ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(books, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("latin-pdf")
    return {name: pdf.write(book, out / name, OPTIONS) for name, book in books.items()}


def chars_of(path: Path) -> list[dict]:
    with pdfplumber.open(path) as doc:
        return [c for page in doc.pages for c in page.chars]


def word_chars(chars: list[dict], word: str, after: str = "") -> list[dict]:
    """The glyphs of the first place ``word`` is set right after ``after``
    (spaces left out; a ligature's glyph holds two characters)."""
    glyphs = [c for c in chars if c["text"].strip()]
    owner = [i for i, c in enumerate(glyphs) for _ in c["text"]]
    text = "".join(c["text"] for c in glyphs)
    at = text.index(after + word) + len(after)
    return [glyphs[i] for i in sorted(set(owner[at:at + len(word)]))]


@pytest.mark.slow
def test_pdf_latin_emphasis_is_a_true_italic(pdfs):
    chars = chars_of(pdfs["english"])
    for after, word in (("hehad", "not"), ("“", "You"), ("it’s", "emphasised")):
        faces = {c["fontname"].split("+")[-1] for c in word_chars(chars, word, after)}
        assert faces == {"Noto-Serif-Italic"}, (word, faces)
    assert not any("Italic" in c["fontname"] for c in word_chars(chars, "repliedthathehad"))
    chinese = chars_of(pdfs["emphasis"])
    assert all("Italic" in c["fontname"] for c in word_chars(chinese, "familynamefirst"))


@pytest.mark.slow
@pytest.mark.parametrize("name, after, word", [("emphasis", "一种", "错觉"),
                                               ("emphasis", "mixed", "强调"),
                                               ("english", "in", "中文的错觉")])
def test_pdf_chinese_emphasis_is_upright_kai(pdfs, name, after, word):
    """A Kai face, never a slanted CJK face: the glyphs' text matrix has no shear."""
    for c in word_chars(chars_of(pdfs[name]), word, after):
        assert "Kai" in c["fontname"], c["fontname"]  # 楷体: LXGW WenKai
        a, b, shear, d = c["matrix"][:4]
        assert shear == 0 and b == 0, c["matrix"]
    plain = word_chars(chars_of(pdfs["emphasis"]), "这是一种")
    assert all("Noto-Serif-CJK" in c["fontname"] for c in plain)


@pytest.mark.slow
def test_pdf_strong_emphasis_stays_bold(pdfs):
    """Kai has no bold: ***粗斜体*** is set in the bold body face, upright;
    Latin bold emphasis in a true bold italic."""
    for c in word_chars(chars_of(pdfs["emphasis"]), "粗斜体", "和"):
        assert c["fontname"].endswith("Noto-Serif-CJK-SC-Bold"), c["fontname"]
        assert c["matrix"][1:3] == (0, 0), c["matrix"]
    faces = {c["fontname"].split("+")[-1]
             for c in word_chars(chars_of(pdfs["english"]), "bolditalic")}
    assert faces == {"Noto-Serif-Bold-Italic"}, faces


@pytest.mark.slow
def test_pdf_english_paragraphs_indent_after_the_first(pdfs):
    size = A5.font_size
    starts = {}
    lines = body_lines(pdfs["english"], A5)
    for line in lines:
        starts.setdefault(line.text[:12], line.left - line.block_left)
    indent = {text: round(offset / size, 2) for text, offset in starts.items()}
    first = [k for k in indent if k.startswith(("Itisatruth", "Hehadthepro", "Asectionop",
                                                "Theparagrap"))]
    following = [k for k in indent if k.startswith(("“MydearMr.", "Mr.Bennetr", "“Butitis,”"))]
    assert len(first) == 4 and len(following) == 3, indent
    assert all(abs(indent[k]) < 0.05 for k in first), indent   # flush after a heading or a break
    assert all(1 <= indent[k] <= 1.5 for k in following), indent  # 1–1.5 em after a paragraph


@pytest.mark.slow
def test_pdf_chinese_paragraphs_keep_their_two_character_indent(pdfs):
    lines = body_lines(pdfs["emphasis"], A5)
    openings = [line for line in lines if line.text.startswith(("这是一种", "中文里的", "“已经是", "数组的键"))]
    assert len(openings) == 4
    assert all(abs((line.left - line.block_left) / A5.font_size - 2) < 0.05 for line in openings)


@pytest.mark.slow
def test_pdf_english_quotes_are_latin_width_and_not_spread(pdfs):
    """Curly quotes and apostrophes of an English book take their Latin width
    (the CJK face sets them a full em), and justification does not open a gap after them."""
    size = A5.font_size
    for line in body_lines(pdfs["english"], A5):
        for i, c in enumerate(line.chars[:-1]):
            if c["text"] in "“‘’”":
                assert c["width"] < 0.5 * size, (line.text, c["text"], c["width"])
            # An opening quote: the letter it opens follows with no space.
            if c["text"] in "“‘" and line.chars[i + 1]["text"].isalpha():
                assert line.advance(i) - c["width"] < 0.01 * size, (line.text, c["text"])
    text = "".join(c["text"] for c in chars_of(pdfs["english"]))
    assert text.count('"') == 2  # the code span's two, nothing else


def test_a_missing_kai_face_is_a_warning(books, monkeypatch, warnings_logged):
    from publish import fonts
    from publish.writers.pdf import glyphs

    real = fonts.find_font

    def without_kai(family, bold=False):
        if family == "LXGW WenKai":
            raise fonts.FontError("not installed")
        return real(family, bold)

    monkeypatch.setattr(glyphs, "find_font", without_kai)
    glyphs.check_glyphs(books["emphasis"], '<body><p><em><span class="cjk">错觉</span></em></p>',
                        allow_missing=False)
    assert any("fonts-lxgw-wenkai" in w and "Noto Serif CJK SC" in w for w in warnings_logged())


def test_han_characters_the_kai_face_lacks_are_named(books, warnings_logged):
    from publish.writers.pdf import glyphs
    glyphs.check_glyphs(books["emphasis"],
                        '<body><p><em><span class="cjk">错觉𠮷㐆</span></em></p>',
                        allow_missing=True)
    warned = [w for w in warnings_logged() if "emphasised" in w]
    assert warned and "㐆" in warned[0] and "错" not in warned[0]


# --- emphasis in the faces of the book's language ------------------------------------

REGION_BOOK = """---
title: 強調
language: {language}
---

# 第一章

這是一種*錯覺*，**粗體的*強調*也是粗體**。<span lang="ja">日本語の*強調*です。</span>
<span lang="zh-Hans">简体的*强调*。</span>
"""


@pytest.mark.slow
@pytest.mark.parametrize("language, kai", [("zh-Hant", "AR-PL-UKai-TW"),
                                           ("zh-HK", "AR-PL-UKai-HK")])
def test_pdf_chinese_emphasis_follows_the_language(tmp_path, language, kai):
    """The Kai face draws the forms of the book's language (as Noto's TC and
    HK faces do); a passage in Japanese, which has no Kai, emphasises in its
    Gothic (Noto Sans CJK JP, not bold); a Simplified passage in the SC Kai;
    bold emphasis keeps the bold face of the book's language."""
    folder = write_manuscript(tmp_path / "b", {"book.md": REGION_BOOK.format(language=language)})
    chars = chars_of(pdf.write(read(folder / "book.md"), tmp_path / "out", OPTIONS))
    region = kai.rsplit("-", 1)[-1].replace("TW", "TC")

    def faces(word: str, after: str) -> set[str]:
        return {c["fontname"].split("+")[-1] for c in word_chars(chars, word, after)}

    assert faces("錯覺", "一種") == {kai}
    assert faces("強調", "粗體的") == {f"Noto-Serif-CJK-{region}-Bold"}
    assert faces("強調", "日本語の") == {"Noto-Sans-CJK-JP"}  # the regular weight
    assert faces("强调", "简体的") == {"LXGW-WenKai"}
    assert faces("這是一種", "") == {f"Noto-Serif-CJK-{region}"}


def test_epub_names_the_kai_face_of_the_language(tmp_path):
    folder = write_manuscript(tmp_path / "b", {"book.md": REGION_BOOK.format(language="zh-Hant")})
    path = epub.write(read(folder / "book.md"), tmp_path / "out", OPTIONS)
    with zipfile.ZipFile(path) as z:
        faces_css = z.read("EPUB/styles/faces.css").decode()
    rules = dict(re.findall(r"^([^{]+?) \{ font-family: ([^;]+); \}$", faces_css, re.M))
    assert rules["em .cjk"].startswith('"AR PL UKai TW"')
    assert rules["em .cjk:lang(ja)"].startswith('"Noto Sans CJK JP"')
    assert rules["em .cjk:lang(zh-Hans)"].startswith('"LXGW WenKai"')


@pytest.mark.slow
def test_pdf_chinese_passage_of_an_english_book_keeps_full_width_quotes(tmp_path):
    """Curly quotes take their Latin width in English text, their full width
    (1 em) in a passage marked Chinese (clreq: a quotation mark of Chinese
    text is a full-width character)."""
    folder = write_manuscript(tmp_path / "b", {"book.md": (
        "---\ntitle: Mixed\nlanguage: en\n---\n\n# One\n\nAn English \"quoted\" word.\n\n"
        '<p lang="zh-Hans">他说：“引号”，然后走了。</p>\n')})
    chars = chars_of(pdf.write(read(folder / "book.md"), tmp_path / "out", OPTIONS))
    size = A5.font_size
    latin = [c["width"] for c in word_chars(chars, "“quoted”")]
    chinese = [c["width"] for c in word_chars(chars, "“引号”")]
    assert latin[0] < 0.5 * size and latin[-1] < 0.5 * size, latin
    assert chinese[0] > 0.9 * size and chinese[-1] > 0.45 * size, chinese  # ” before ， may be halved


def test_one_file_english_manuscript(tmp_path):
    """A header block's language decides: quotes everywhere, italic emphasis, the body class."""
    folder = write_manuscript(tmp_path / "b", {"book.md": (
        "---\ntitle: T\nlanguage: en-GB\n---\n\n# One\n\n'Hello,' he said, \"it's *you*.\"\n")})
    book = read(folder / "book.md")
    assert "‘Hello,’ he said, “it’s _you_.”" in txt.render(book)


@pytest.mark.parametrize("language, latin", [
    ("en", True), ("en-GB", True), ("fr", True), ("de-CH", True), ("pt-BR", True),
    ("sr-Latn", True), ("sr-Cyrl", False), ("sr", False), ("ru", False), ("el", False),
    ("zh-Hans", False), ("zh-Hant-TW", False), ("ja", False), ("ko", False), ("", False),
])
def test_which_languages_are_set_the_western_way(language, latin):
    """A language written in the Latin script (its script subtag when given,
    else the language's usual script) is set the Western way."""
    from publish.languages import latin_script
    assert latin_script(language) is latin
