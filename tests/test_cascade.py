"""The style cascade: the theme, then style.css beside the manuscript, in both
editions; the body size and page margins the print edition reads from it
(``writers/pdf/cascade``) and the text block computed from them, measured on
the page with pdfplumber; the command line's size over all of it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import ROOT, write_manuscript

from publish.cli import cli
from publish.errors import PrintError
from publish.themes import load_theme
from publish.writers.pdf import FONT_SIZE, MM, TRIMS, page_geometry
from publish.writers.pdf.cascade import page_style

A5 = TRIMS["a5"]
# No marks inside a paragraph: every full line holds the text block's number of characters.
TEXT = "# 第一章\n\n" + ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏" * 16 + "。\n\n") * 4
RED = ROOT / "tests" / "cases" / "images" / "images" / "red.png"
BODY = set("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏")


def style_of(tmp_path: Path, given: float | None = None, **sheets: str):
    """The page style of a theme holding ``sheets`` (base_css=…, print_css=…)."""
    folder = tmp_path / "theme"
    for name, css in {"base_css": "", **sheets}.items():
        write_manuscript(folder, {name.replace("_", "."): css})
    theme = load_theme(folder, ("base.css", "print.css"))
    return page_style([(theme, name) for name in ("base.css", "print.css") if name in theme.css],
                      given, 10.5, A5)


@pytest.mark.parametrize("css, html, body", [
    ("", 10.5, 10.5),
    ("html { font-size: 13pt }", 13, 13),
    ("body { font-size: 12pt }", 12, 12),
    ("html { font-size: 16px } body { font-size: 0.75em }", 12, 9),
    ("body { font-size: 90% }", 10.5, 9.45),
    (":root { font-size: 14pt } html { font-size: 10pt }", 14, 14),      # :root outranks html
    ("html { font-size: 14pt !important } html { font-size: 10pt }", 14, 14),
    ("html { font-size: 1.5rem }", 18, 18),                               # of 16 px
    ("html { font-size: large }", 14.4, 14.4),
    ("html, body { font-size: 4.5mm }", 12.756, 12.756),
    ("body { font: bold 11pt/1.6 serif }", 11, 11),
    ("@media screen { html { font-size: 20pt } }", 10.5, 10.5),
    ("@media print { html { font-size: 9pt } }", 9, 9),
    ("p { font-size: 20pt } html body { font-size: 20pt }", 10.5, 10.5),  # not read
])
def test_the_sizes_are_read_as_css_ranks_them(css, html, body, tmp_path):
    style = style_of(tmp_path, base_css=css)
    assert (style.html, style.body) == (pytest.approx(html), pytest.approx(body))
    assert not style.forced


def test_style_sheets_later_in_the_cascade_win_and_imports_are_read(tmp_path):
    style = style_of(tmp_path, base_css='@import "sizes.css";\nhtml { font-size: 11pt }\n',
                     print_css="body { font-size: 12pt }", sizes_css="html { font-size: 9pt }")
    assert (style.html, style.body) == (11, 12)
    imported = style_of(tmp_path / "i", base_css='@import url("sizes.css");',
                        sizes_css="html { font-size: 9pt }")
    assert imported.body == 9


def test_the_option_outranks_the_style_sheets(tmp_path):
    style = style_of(tmp_path, 9.0, base_css="html { font-size: 13pt } body { font-size: 12pt }")
    assert (style.html, style.body, style.forced) == (9, 9, True)
    assert style.rules() == ["html { font-size: 9pt !important; }",
                             "body { font-size: 9pt !important; }"]
    assert style_of(tmp_path / "d").rules() == ["html { font-size: 10.5pt; }"]
    assert FONT_SIZE.default is None  # not given: the style sheets' size


@pytest.mark.parametrize("css, margins", [
    ("", {}),
    ("@page { margin: 25mm }", {"top": 25, "outer": 25, "bottom": 25, "inner": 25}),
    ("@page { margin: 20mm 15mm }", {"top": 20, "outer": 15, "bottom": 20, "inner": 15}),
    ("@page { margin: 10mm 20mm 30mm 40mm }", {"top": 10, "outer": 20, "bottom": 30,
                                               "inner": 40}),
    ("@page { margin: 1in 0.5in 2cm }", {"top": 25.4, "outer": 12.7, "bottom": 20,
                                         "inner": 12.7}),
    ("@page { margin: 10% }", {"top": 21, "outer": 14.8, "bottom": 21, "inner": 14.8}),
    ("@page { margin-top: 30mm; margin-left: 72pt }", {"top": 30, "inner": 25.4}),
    ("@page :left { margin-left: 30mm } @page :right { margin: 0 20mm 0 18mm }",
     {"top": 0, "outer": 30, "bottom": 0, "inner": 18}),
    ("@page { margin: 25mm } @page :right { margin-top: 30mm }", {"top": 30, "outer": 25,
                                                                 "bottom": 25, "inner": 25}),
    ("@page chapter { margin: 50mm } @page { margin: auto }", {}),
])
def test_page_margins_are_read_as_minimums_for_both_pages(css, margins, tmp_path):
    style = style_of(tmp_path, print_css=css)
    assert style.margins == pytest.approx(margins)


def test_em_margins_are_of_the_html_size(tmp_path):
    style = style_of(tmp_path, base_css="html { font-size: 13pt }",
                     print_css="@page { margin: 2em }")
    assert style.margins["top"] == pytest.approx(26 / MM)


def test_a_value_that_cannot_be_read_is_a_warning_when_it_wins(tmp_path, warnings_logged):
    style = style_of(tmp_path, base_css="html { font-size: calc(1em + 2pt) }\n"
                                        "body { font-size: var(--x) }\nbody { font-size: 12pt }")
    assert (style.html, style.body) == (12, 12)
    assert [m for m in warnings_logged() if "base.css:1: font-size 'calc(1em + 2pt)'" in m]
    assert not [m for m in warnings_logged() if "var(" in m]  # a later value won
    margins = style_of(tmp_path / "m", print_css="@page { margin: calc(10mm + 1pt) }")
    assert margins.margins == {}
    assert len([m for m in warnings_logged() if "print.css:1: margin 'calc(" in m]) == 1


def test_given_margins_are_minimums_and_the_block_whole_characters_and_lines():
    asked = {"inner": 25.0, "outer": 25.0, "top": 25.0, "bottom": 25.0}
    g = page_geometry(A5, 12, margins=asked)
    assert g.inner == pytest.approx(25 * MM) and g.top == pytest.approx(25 * MM)
    assert 25 * MM <= g.outer < 25 * MM + 12 and 25 * MM <= g.bottom < 25 * MM + 12 * 1.7
    assert g.chars == int((148 - 50) * MM // 12) and g.lines == int((210 - 50) * MM // (12 * 1.7))
    assert g.inner + g.outer + g.measure == pytest.approx(148 * MM)
    half = page_geometry(A5, 12, margins={"top": 40.0})  # the other axis as without margins
    assert (half.chars, half.inner) == (page_geometry(A5, 12).chars, page_geometry(A5, 12).inner)
    with pytest.raises(PrintError, match="leaves no room for a line of text"):
        page_geometry(A5, 12, margins={"inner": 80.0, "outer": 80.0})


# --- built books --------------------------------------------------------------------------


def manuscript(folder: Path, base: str = "", print_css: str = "",
               files: dict[str, str] | None = None) -> Path:
    """A book with a copy of the default theme (``mytheme``), ``base`` and
    ``print_css`` added to its base.css and print.css."""
    theme = folder / "styles" / "mytheme"
    shutil.copytree(ROOT / "styles" / "default", theme)
    for name, extra in (("base.css", base), ("print.css", print_css)):
        (theme / name).write_text((theme / name).read_text(encoding="utf-8") + extra + "\n",
                                  encoding="utf-8")
    return write_manuscript(folder, {
        "book.toml": 'title = "层叠"\nslug = "cascade"\n[edition]\ntheme = "mytheme"\n',
        "a.md": TEXT, **(files or {})})


def run(command: str, book: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [command, str(book), "-o", str(out), *args])
    return result.output if result.exit_code == 0 else f"EXIT {result.exit_code} {result.output}"


def body_pages(pdf: Path) -> list[tuple[float, list[dict]]]:
    """(page width, body characters) of every page that holds body text."""
    with pdfplumber.open(pdf) as doc:
        return [(page.width, chars) for page in doc.pages
                if len(chars := [c for c in page.chars if c["text"] in BODY]) > 20]


def per_line(chars: list[dict]) -> int:
    lines: dict[int, int] = {}
    for c in chars:
        lines[round(c["top"])] = lines.get(round(c["top"]), 0) + 1
    return max(lines.values())


@pytest.mark.slow
def test_the_themes_html_size_sets_the_body_and_the_text_block(tmp_path):
    log = run("pdf", manuscript(tmp_path / "b", base="html { font-size: 13pt }"), tmp_path / "o")
    plain = run("pdf", manuscript(tmp_path / "p"), tmp_path / "p-out")
    g = page_geometry(A5, 13)
    assert f"(148×210 mm, {g.chars}×{g.lines} text block, 13 pt)" in log, log
    assert "(148×210 mm, 31×27 text block, 10.5 pt)" in plain, plain
    (_, chars), *_ = body_pages(tmp_path / "o" / "cascade.pdf")
    (_, default), *_ = body_pages(tmp_path / "p-out" / "cascade.pdf")
    assert {round(c["size"], 1) for c in chars} == {13.0}
    assert per_line(chars) == g.chars < per_line(default)


@pytest.mark.slow
def test_page_margins_of_the_theme_hold_on_every_page(tmp_path):
    log = run("pdf", manuscript(tmp_path / "b", print_css="@page { margin: 25mm }"),
              tmp_path / "o")
    pages = body_pages(tmp_path / "o" / "cascade.pdf")
    assert len(pages) >= 2  # a recto and a verso
    for width, chars in pages:
        left = min(c["x0"] for c in chars) / MM
        right = (width - max(c["x1"] for c in chars)) / MM
        # (the justified line's last glyph may end a fraction of a point past the block)
        assert left >= 25 - 0.1 and right >= 25 - 0.1, (left, right)
        assert min(left, right) < 25.5  # the inner margin is the one asked for
    g = page_geometry(A5, 10.5, margins=dict.fromkeys(("inner", "outer", "top", "bottom"), 25))
    assert f"{g.chars}×{g.lines} text block, 10.5 pt" in log, log
    assert max(per_line(chars) for _, chars in pages) == g.chars


@pytest.mark.slow
def test_style_css_beside_the_manuscript_follows_the_theme_in_both_editions(tmp_path):
    book = manuscript(tmp_path / "b", base="html { font-size: 13pt } p { color: #0000ff }",
                      files={"style.css": "html { font-size: 12pt }\np { color: #c00000 }\n"})
    log = run("all", book, tmp_path / "o")
    assert "12 pt)" in log, log
    (_, chars), *_ = body_pages(tmp_path / "o" / "cascade.pdf")
    assert {round(c["size"], 1) for c in chars} == {12.0}
    assert {tuple(round(v, 2) for v in c["non_stroking_color"]) for c in chars} == {
        (0.75, 0.0, 0.0)}
    with zipfile.ZipFile(tmp_path / "o" / "cascade.epub") as z:
        assert z.read("EPUB/styles/book/style.css").decode() == (book / "style.css").read_text()
        for document in ("EPUB/ch01.xhtml", "EPUB/nav.xhtml"):
            links = re.findall(r'href="([^"]+\.css)"', z.read(document).decode())
            assert links[:3] == ["styles/base.css", "styles/epub.css", "styles/book/style.css"]
        assert 'href="styles/book/style.css"' in z.read("EPUB/content.opf").decode()


@pytest.mark.slow
def test_the_font_size_flag_outranks_theme_and_style_css(tmp_path):
    book = manuscript(tmp_path / "b", base="html { font-size: 13pt } body { font-size: 12pt }",
                      files={"style.css": "body { font-size: 14pt }"})
    log = run("pdf", book, tmp_path / "o", "--font-size", "9")
    assert "9 pt)" in log, log
    (_, chars), *_ = body_pages(tmp_path / "o" / "cascade.pdf")
    assert {round(c["size"], 1) for c in chars} == {9.0}
    assert per_line(chars) == page_geometry(A5, 9).chars


@pytest.mark.parametrize("command", ["epub", "pdf"])
def test_a_style_css_naming_a_file_outside_the_manuscript_is_an_error(command, tmp_path):
    write_manuscript(tmp_path, {"outside.png": b"\x89PNG\r\n\x1a\n"})
    book = write_manuscript(tmp_path / "b", {
        "a.md": TEXT, "style.css": "h1 { color: red }\np { background: url(../outside.png) }\n"})
    log = run(command, book, tmp_path / "o")
    assert log.startswith("EXIT 1") and "style.css:2: '../outside.png' lies outside the " \
        "manuscript folder" in log, log
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_a_one_file_manuscript_takes_the_style_css_beside_it(tmp_path):
    book = write_manuscript(tmp_path, {"book.md": "# 书\n\n## 章\n\n正文。\n",
                                       "style.css": "p { background: url(img/bg.png) }\n",
                                       "img/bg.png": RED.read_bytes()}) / "book.md"
    log = run("epub", book, tmp_path / "o")
    assert "Wrote" in log, log
    with zipfile.ZipFile(next((tmp_path / "o").glob("*.epub"))) as z:
        names = z.namelist()
    assert "EPUB/styles/book/style.css" in names and "EPUB/styles/book/img/bg.png" in names
