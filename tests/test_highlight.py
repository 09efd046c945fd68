"""Code highlighting, as a reader of each edition sees it.

EPUB: the tokens of a block whose fence names a language are spans whose
classes a style sheet of the book colours (no script); PDF: the code's
characters come in more than one colour and weight, every colour dark
enough for a greyscale printer (WCAG's 7:1 against the white page), and the
lines break where they broke unhighlighted; the text edition is the code as
written.  A language Pygments does not know is set plain: nothing is guessed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import tinycss2
from conftest import case_manuscript, write_manuscript
from hypothesis import given, settings
from hypothesis import strategies as st

from publish import model as m
from publish.highlight import runs
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt
from publish.xhtml import Renderer

NS = {"x": "http://www.w3.org/1999/xhtml"}
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
PLAIN = m.BuildOptions(theme_dir=theme_dir("default"), values={"highlight": False})
CODE = """// 计算阶乘
function factorial(n) {
  const label = `n = ${n}`; /* 注释 */
  return n <= 1 ? 1 : n * factorial(n - 1) + 0x1F + "字符串";
}
let aVeryLongNameThatRunsPastTheLineEnd = someFunction(argumentNumberOne, argumentTwo, argumentThree);"""


@pytest.fixture(scope="module")
def js_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("highlight")
    return write_manuscript(folder, {"book.md": f"# 高亮\n\n## 代码\n\n```js\n{CODE}\n```\n"})


# -- the runs -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["js", "JavaScript", "python", "html", "bash", "css", "http"])
def test_runs_are_the_code_exactly(language):
    code = "\n\n\tlet x = 1;  // 注\n\n<p a='b'>$x</p>\n\n"
    assert "".join(text for _, text in runs(code, language)) == code
    # Pygments reads a carriage return as a line end: such a block is set plain.
    assert runs("a\rb", language) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
def test_runs_keep_any_text(code):
    found = runs(code, "js")
    assert found is None or "".join(text for _, text in found) == code


def test_an_unknown_or_missing_language_is_not_guessed():
    assert runs("function f() {}", "nosuchlanguage") is None
    assert runs("function f() {}", "") is None


def test_the_language_comes_from_the_fence_info_string(tmp_path):
    folder = write_manuscript(tmp_path, {"book.md": "# 书\n\n## 章\n\n"
                                         "```js title=\"a.js\" {1}\nlet a;\n```\n\n"
                                         "~~~ python\nx = 1\n~~~\n"})
    blocks = read(folder / "book.md").chapters[0].blocks
    assert [(b.language, b.text) for b in blocks] == [("js", "let a;"), ("python", "x = 1")]


def test_plain_blocks_keep_todays_markup():
    """No language, an unknown one, or --no-highlight: <pre><code> as before."""
    for block, highlight in ((m.CodeBlock("let a = 1;", "nosuchlanguage"), True),
                             (m.CodeBlock("let a = 1;", ""), True),
                             (m.CodeBlock("let a = 1;", "js"), False)):
        r = Renderer(m.Book(m.Meta("t", "t"), None, ()), lambda t: t, lambda s: s,
                     highlight=highlight)
        lang = f' class="language-{block.language}"' if block.language else ""
        assert r.block(block) == f"<pre><code{lang}>let a = 1;</code></pre>\n"


# -- EPUB -----------------------------------------------------------------------------


def _rules(css: str) -> dict[str, dict[str, str]]:
    """``{".highlight .kd": {"color": "#…", …}}`` from a style sheet's plain rules."""
    out: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue
        declarations = {d.lower_name: tinycss2.serialize(d.value).strip()
                        for d in tinycss2.parse_declaration_list(rule.content, True, True)
                        if d.type == "declaration"}
        for selector in tinycss2.serialize(rule.prelude).split(","):
            out.setdefault(" ".join(selector.split()), {}).update(declarations)
    return out


def test_epub_tokens_are_classes_the_packed_style_sheet_colours(js_book, tmp_path):
    path = epub.write(read(js_book / "book.md"), tmp_path, OPTIONS)
    with zipfile.ZipFile(path) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
        linked = re.findall(r'<link rel="stylesheet" type="text/css" href="([^"]+)"', chapter)
        rules: dict[str, dict[str, str]] = {}
        for href in linked:
            for selector, declared in _rules(z.read(f"EPUB/{href}").decode()).items():
                rules.setdefault(selector, {}).update(declared)
        assert "<script" not in chapter
    pre = ET.fromstring(chapter).find(".//x:pre", NS)
    assert pre.get("class") == "highlight"
    spans = {s.text.strip(): s.get("class") for s in pre.iter(f"{{{NS['x']}}}span")}
    looks = {text: rules.get(f".highlight .{cls}", {}) for text, cls in spans.items()}
    keyword, comment, string = looks["function"], looks["// 计算阶乘"], looks['"字符串"']
    assert keyword.get("color") and comment.get("color") and string.get("color")
    assert len({keyword["color"], comment["color"], string["color"]}) == 3
    assert "factorial" not in spans  # an identifier keeps the text colour
    assert "".join(pre.itertext()) == CODE


# -- PDF ------------------------------------------------------------------------------


def _code_chars(path: Path) -> list[dict]:
    with pdfplumber.open(path) as doc:
        return [c for page in doc.pages for c in page.chars if "Mono" in c["fontname"]]


def _contrast(rgb: tuple[float, ...]) -> float:
    """WCAG 2 contrast of a colour (0..1 components; grey if one) against white."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (rgb * 3)[:3] if len(rgb) == 1 else rgb
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


@pytest.fixture(scope="module")
def js_pdfs(js_book, tmp_path_factory) -> tuple[Path, Path]:
    book = read(js_book / "book.md")
    out = tmp_path_factory.mktemp("pdf")
    return pdf.write(book, out / "on", OPTIONS), pdf.write(book, out / "off", PLAIN)


def test_pdf_code_comes_in_colours_and_weights_a_greyscale_printer_keeps(js_pdfs):
    chars = _code_chars(js_pdfs[0])
    colours = {tuple(c["non_stroking_color"] or (0,)) for c in chars}
    faces = {c["fontname"].split("+", 1)[1] for c in chars}
    assert len(colours) >= 3 and len(faces) >= 2
    assert all(_contrast(colour) >= 7 for colour in colours), colours

    def face_of(word: str) -> set[str]:
        text = "".join(c["text"] for c in chars)
        start = text.index(word)
        return {c["fontname"] for c in chars[start:start + len(word)]}
    assert all("Bold" in name for name in face_of("function"))
    assert not any("Bold" in name for name in face_of("factorial"))


def _code_lines(path: Path) -> list[list[tuple[str, float]]]:
    """Each line of code: its visible characters and where each stands."""
    rows: dict[tuple[int, float], list[dict]] = {}
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages):
            for c in page.chars:
                if "Mono" in c["fontname"] and not c["text"].isspace():
                    rows.setdefault((index, round(c["top"])), []).append(c)
    return [[(c["text"], c["x0"]) for c in sorted(row, key=lambda c: c["x0"])]
            for _, row in sorted(rows.items())]


def test_pdf_lines_break_where_they_did_unhighlighted(js_pdfs):
    highlighted, plain = _code_lines(js_pdfs[0]), _code_lines(js_pdfs[1])
    assert len(plain) > CODE.count("\n") + 1  # the long line wrapped
    assert [[ch for ch, _ in line] for line in highlighted] == [[ch for ch, _ in line]
                                                                 for line in plain]
    assert all(abs(a[1] - b[1]) < 0.05 for one, other in zip(highlighted, plain)
               for a, b in zip(one, other))
    assert {_contrast(tuple(c["non_stroking_color"] or (0,)))
            for c in _code_chars(js_pdfs[1])} == {21}  # --no-highlight: all black


def test_a_long_token_in_highlighted_code_is_wrapped_as_in_plain_code(tmp_path,
                                                                       warnings_logged):
    """A token longer than the box breaks inside it, highlighted or not, at the same places."""
    long = "x" * 300
    folder = write_manuscript(tmp_path, {"book.md": f"# 书\n\n## 章\n\n```js\nlet {long} = 1;\n```\n"})
    on = pdf.write(read(folder / "book.md"), tmp_path / "on", OPTIONS)
    off = pdf.write(read(folder / "book.md"), tmp_path / "off", PLAIN)
    assert warnings_logged() == []
    rows = [_code_lines(path) for path in (on, off)]
    assert len(rows[0]) >= 5 and [[ch for ch, _ in line] for line in rows[0]] == [
        [ch for ch, _ in line] for line in rows[1]]
    assert "".join(ch for line in rows[0] for ch, _ in line) == f"let{long}=1;"


# -- text -----------------------------------------------------------------------------


def test_the_text_edition_is_the_code_as_written(js_book):
    text = txt.render(read(js_book / "book.md"), OPTIONS)
    assert "\n".join("    " + line for line in CODE.split("\n")) in text
    case = txt.render(read(case_manuscript("code-math")), PLAIN)
    assert case == txt.render(read(case_manuscript("code-math")), OPTIONS)
