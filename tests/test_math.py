"""TeX math: ``$…$`` and ``$$…$$`` read as pandoc reads them (its manual:
the opening ``$`` has a non-space character right after it, the closing one
a non-space character right before it and no digit right after it), set as
MathML in the EPUB (EPUB 3 content documents may hold MathML; the package
document says which, ``properties="mathml"``), drawn where the formula is in
the PDF, kept as TeX in the text edition; a formula that does not parse is
a warning naming its file and line, and stays text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import case_manuscript, write_manuscript
from epub_validation import check

from publish import formula
from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub, pdf, txt

MATHML = "http://www.w3.org/1998/Math/MathML"
NS = {"x": "http://www.w3.org/1999/xhtml", "m": MATHML,
      "opf": "http://www.idpf.org/2007/opf"}
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))


def formulas_in(tmp_path: Path, text: str) -> list[tuple[str, bool]]:
    folder = write_manuscript(tmp_path, {"book.md": f"# 书\n\n## 章\n\n{text}\n"})
    found: list[tuple[str, bool]] = []

    def visit(inlines: tuple[m.Inline, ...]) -> None:
        for n in inlines:
            if isinstance(n, m.Math):
                found.append((n.tex, n.display))
            visit(getattr(n, "children", ()))
    for block in m.walk_blocks(read(folder / "book.md").chapters[0].blocks):
        visit(getattr(block, "inlines", ()))
    return found


@pytest.mark.parametrize(("text", "expected"), [
    ("costs $5 and $10", []),                        # pandoc's own example
    ("$20,000 and $30,000", []),
    ("$5/$10", []),                                  # closing $ followed by a digit
    ("price $5, tax $2.", []),
    ("100$ and 200$", []),                           # opening $ followed by a space
    ("$ x$ and $x $", []),
    ("a $x^2$ b", [("x^2", False)]),
    ("$x$5 and $y$.", [("y", False)]),
    ("$a\\$b$", [("a\\$b", False)]),                 # an escaped $ inside a formula
    ("\\$x$ y$", []),                                # \$ is a dollar sign
    ("\\\\$x$", [("x", False)]),                     # \\ is a backslash: $x$ opens
    ("$a$-$b$", [("a", False), ("b", False)]),
    ("in a line $$\\sum x$$ too", [("\\sum x", True)]),
    ("$$\nx = 1\n- y\n$$", [("x = 1\n- y", True)]),  # a paragraph of its own: no list
    ("`$x$` and $y$", [("y", False)]),               # never inside code
    ("```\n$x$\n```", []),
    ("    $x$", []),
    ("$a*b*c$ and *d*", [("a*b*c", False)]),         # emphasis never sees a formula
    ("[t](https://e.com/$a$b) and [$x$](u)", [("x", False)]),  # never in a URL
    ("<https://e.com/$a$b>", []),
    ("$x^2 + y^2$, $a~b~c$, H~2~O", [("x^2 + y^2", False), ("a~b~c", False)]),  # nor ~ ^
])
def test_dollars_follow_pandocs_rule(tmp_path, text, expected):
    assert formulas_in(tmp_path, text) == expected


def test_an_abbreviation_leaves_formulas_alone(tmp_path):
    """An abbreviation is marked in the text around a formula, never inside
    its TeX (inline or displayed)."""
    text = "RMS 是 $\\mathrm{RMS} = \\sqrt{x}$：\n\n$$\\mathrm{RMS}^2$$\n\n*[RMS]: root mean square"
    folder = write_manuscript(tmp_path, {"book.md": f"# 书\n\n## 章\n\n{text}\n"})
    first, second = read(folder / "book.md").chapters[0].blocks
    assert [type(n).__name__ for n in first.inlines] == ["Abbr", "Text", "Math", "Text"]
    assert first.inlines[2] == m.Math("\\mathrm{RMS} = \\sqrt{x}")
    assert second.inlines == (m.Math("\\mathrm{RMS}^2", True),)


def test_a_formula_that_does_not_parse_is_kept_as_text_with_its_line(tmp_path,
                                                                      warnings_logged):
    folder = write_manuscript(tmp_path, {"book.md": "# 书\n\n## 章\n\n好的 $x^2$。\n\n"
                                         "坏的 $\\frac{a$ 留下。\n\n$$\n\\left( x\n$$\n"})
    book = read(folder / "book.md")
    paragraphs = book.chapters[0].blocks
    assert m.plain_text(paragraphs[1].inlines) == "坏的 $\\frac{a$ 留下。"
    assert m.plain_text(paragraphs[2].inlines) == "$$\\left( x$$"
    assert not any(isinstance(n, m.Math) for p in paragraphs[1:] for n in p.inlines)
    warned = [w for w in warnings_logged() if "formula" in w]
    assert len(warned) == 2
    assert "book.md:7:" in warned[0] and "{ without its }" in warned[0]
    assert "book.md:10:" in warned[1] and "\\left without its \\right" in warned[1]


@pytest.mark.parametrize(("tex", "why"), [
    ("\\frac{a", "{ without its }"), ("x}", "} without its {"), ("\\foo x", "unknown command"),
    ("\\begin{nosuch}x\\end{nosuch}", "unknown environment"), ("a^", "nothing after it"),
    ("\\frac{a}", "without all its parts"), ("\\text{a<b}", "inside \\text{}"), (" ", "empty"),
])
def test_problems_are_named(tex, why):
    assert why in formula.problem(tex)


def test_good_formulas_parse():
    for tex in ("E = mc^2", "\\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}", "\\sum_{i=1}^n i^2",
                "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", "\\mathrm{d}x", "\\{x\\}",
                "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\text{速度}"):
        assert formula.problem(tex) is None, tex


# -- the editions -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_book() -> m.Book:
    return read(case_manuscript("code-math"))


def test_epub_sets_mathml_and_declares_it(case_book, tmp_path):
    path = epub.write(case_book, tmp_path, OPTIONS)
    report = check(path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
    with zipfile.ZipFile(path) as z:
        opf = ET.fromstring(z.read("EPUB/content.opf"))
        chapter = ET.fromstring(z.read("EPUB/ch02.xhtml"))
    items = {i.get("href"): (i.get("properties") or "").split()
             for i in opf.findall("opf:manifest/opf:item", NS)}
    assert "mathml" in items["ch02.xhtml"] and "mathml" not in items["ch01.xhtml"]
    maths = chapter.findall(".//m:math", NS)
    assert [(x.get("display"), x.get("alttext")) for x in maths] == [
        ("inline", "E = mc^2"), ("block", "\\int_0^1 x\\,dx"),
        ("block", "x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}")]
    assert maths[0].find("m:mrow/m:msup/m:mi", NS).text == "c"
    text = "".join(chapter.itertext())
    assert "costs $5 and $10" in text and "$5/$10" in text
    assert any(m.get("property") == "schema:accessibilityFeature" and m.text == "MathML"
               for m in opf.iter("{http://www.idpf.org/2007/opf}meta"))


def test_pdf_draws_each_formula_where_it_stands(case_book, tmp_path):
    path = pdf.write(case_book, tmp_path, OPTIONS)
    with pdfplumber.open(path) as doc:
        page = next(p for p in doc.pages if "质能方程" in (p.extract_text() or ""))
        words = page.extract_words()
        before = next(w for w in words if w["text"].startswith("质能方程"))
        after = next(w for w in words if w["text"].startswith("与行内的"))
        drawn = [c for c in page.curves + page.rects
                 if before["x1"] <= c["x0"] and c["x1"] <= after["x0"]
                 and c["top"] < before["bottom"] and c["bottom"] > before["top"]]
        assert drawn, "nothing is drawn between the words around E = mc^2"
        text = page.extract_text()
    assert "mc^2" not in text and "$" not in text.split("costs")[0]  # drawn, not TeX
    assert "costs $5 and $10" in text.replace("\n", " ")


def test_text_edition_keeps_the_tex(case_book):
    text = txt.render(case_book)
    assert "质能方程 $E = mc^2$ 与行内的 $$\\int_0^1 x\\,dx$$ 同行。" in text
    assert "$$x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}$$" in text
    assert "costs $5 and $10" in text


def test_a_formula_character_the_math_face_lacks_stops_the_pdf(tmp_path, warnings_logged):
    folder = write_manuscript(tmp_path, {"book.md": "# 书\n\n## 章\n\n$v = \\text{速度}$\n"})
    book = read(folder / "book.md")
    with pytest.raises(pdf.PrintError, match=r"'速'.*STIX Two Math.*book\.md:5"):
        pdf.write(book, tmp_path / "out", OPTIONS)
    pdf.write(book, tmp_path / "out", m.BuildOptions(theme_dir=OPTIONS.theme_dir,
                                                      values={"allow_missing_glyphs": True}))
    assert any("STIX Two Math" in w for w in warnings_logged())


def test_a_title_with_a_formula_is_bookmarked_with_its_tex(tmp_path):
    """A PDF bookmark holds text only: a title's formula is its TeX there."""
    from pypdf import PdfReader

    folder = write_manuscript(tmp_path, {"book.md": "# 书\n\n## 欧拉 $e^{i\\pi}+1=0$\n\n正文。\n"})
    path = pdf.write(read(folder / "book.md"), tmp_path / "out", OPTIONS)
    titles = [item.title for item in PdfReader(path).outline if not isinstance(item, list)]
    assert "欧拉 $e^{i\\pi}+1=0$" in titles
