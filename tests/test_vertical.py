"""The vertical EPUB (``--vertical``, ``[edition] writing_mode = "vertical-rl"``),
checked as a reader would see it: the package turns pages right to left
(EPUB 3.3 page-progression-direction), and a chapter rendered by a browser
(headless Chromium) runs in columns top to bottom, the columns right to left
(W3C clreq 2.1), numbers of one or two digits upright in one square (clreq
3.3.2), Latin words on their side, code across."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, write_manuscript
from epub_validation import check_all

from publish import model as m
from publish.cli import cli
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import epub

OPF = {"opf": "http://www.idpf.org/2007/opf"}
META = "{http://www.idpf.org/2007/opf}meta"
VERTICAL = m.BuildOptions(theme_dir=theme_dir("default"), values={"writing_mode": "vertical-rl"})
HORIZONTAL = m.BuildOptions(theme_dir=theme_dir("default"))
LONG = "这是一段很长的文字，" * 60
BOOK = {
    "book.toml": '[book]\ntitle = "竖排测试"\nlanguage = "zh-Hans"\n',
    "01.md": (
        "# 第一章 开端\n\n"
        f"他在第3回里说，共有12人用 Markdown 写了2024年的书。{LONG}\n\n"
        "第二段从这里开始。Python 3 和 3.5 倍都照横排。\n\n"
        "> 引文“一句话”在这里。\n\n"
        "```python\nprint(12)\n```\n\n"
        "| 名 | 数 |\n| --- | --- |\n| 甲 | 7 |\n"
    ),
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory) -> Path:
    return write_manuscript(tmp_path_factory.mktemp("vertical-ms"), BOOK)


@pytest.fixture(scope="module")
def built(manuscript, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("vertical")
    book = read(manuscript)
    return {"vertical": epub.write(book, out / "v", VERTICAL),
            "horizontal": epub.write(book, out / "h", HORIZONTAL)}


def _opf(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read("EPUB/content.opf"))


def _chapter(path: Path, name: str = "EPUB/ch01.xhtml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_pages_turn_right_to_left(built):
    spine = _opf(built["vertical"]).find("opf:spine", OPF)
    assert spine.get("page-progression-direction") == "rtl"
    kindle = [e.get("content") for e in _opf(built["vertical"]).iter(META)
              if e.get("name") == "primary-writing-mode"]
    assert kindle == ["vertical-rl"]
    horizontal = _opf(built["horizontal"])
    assert horizontal.find("opf:spine", OPF).get("page-progression-direction") is None
    assert not [e for e in horizontal.iter(META) if e.get("name") == "primary-writing-mode"]


def test_epubcheck_finds_nothing(built):
    report = check_all([built["vertical"]])[built["vertical"]]
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


def test_only_short_numbers_are_combined(built):
    body = _chapter(built["vertical"])
    combined = re.findall(r'<span class="tcy">([^<]*)</span>', body)
    assert combined == ["3", "12", "7"]        # 第3回, 12人, the table's 7
    assert "第<span class=\"tcy\">3</span>回" in body  # no space around it in a column
    assert "2024" in body and "3.5" in body and "Python</span> 3" in body
    assert "print(12)" in re.sub(r"<[^>]+>", "", body)  # code keeps its text
    assert "tcy" not in _chapter(built["horizontal"])


def test_cli_flag_and_book_toml_give_the_same_book(manuscript, tmp_path):
    result = CliRunner().invoke(cli, ["epub", "--vertical", str(manuscript), "-o",
                                      str(tmp_path / "flag"), "-q"])
    assert result.exit_code == 0, result.output
    flagged = next((tmp_path / "flag").glob("*.epub"))
    assert _opf(flagged).find("opf:spine", OPF).get("page-progression-direction") == "rtl"
    toml = write_manuscript(tmp_path / "ms", {**BOOK, "book.toml": BOOK["book.toml"]
                                              + '\n[edition]\nwriting_mode = "vertical-rl"\n'})
    result = CliRunner().invoke(cli, ["epub", str(toml), "-o", str(tmp_path / "toml"), "-q"])
    assert result.exit_code == 0, result.output
    configured = next((tmp_path / "toml").glob("*.epub"))
    assert _chapter(configured) == _chapter(flagged)
    result = CliRunner().invoke(cli, ["epub", "--writing-mode", "sideways", str(toml)])
    assert result.exit_code != 0 and "sideways" in result.output


# -- rendered ----------------------------------------------------------------------
# A script added to the chapter writes what the browser laid out into the page,
# which --dump-dom prints: the computed writing modes, and the boxes of the
# first paragraph's characters, of the second paragraph, of the combined
# numbers, of an English word and of the code block's first line.
PROBE = """<script>//<![CDATA[
function box(r) { return [r.left, r.top, r.right, r.bottom]; }
function chars(node, n) {
  var out = [];
  for (var i = 0; i < Math.min(n, node.length); i++) {
    var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    out.push(box(r.getBoundingClientRect()));
  }
  return out;
}
function longest(e) {
  var w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), best = null, t;
  while ((t = w.nextNode())) { if (!best || t.length > best.length) { best = t; } }
  return best;
}
function first(sel) { var e = document.querySelector(sel); return e; }
function textOf(e) {
  var w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  var t = w.nextNode(); while (t && !t.data.trim()) { t = w.nextNode(); } return t;
}
window.addEventListener("load", function () {
  var ps = document.querySelectorAll("section > p");
  var p = null; for (var i = 0; i < ps.length; i++) { if (ps[i].textContent.length > 80) { p = ps[i]; break; } }
  var text = longest(p);
  var tcys = document.querySelectorAll(".tcy"), tcy = null;
  for (var k = 0; k < tcys.length; k++) { if (tcys[k].textContent.length == 2) { tcy = tcys[k]; break; } }
  var en = first('[lang="en"]'), pre = first("pre");
  var data = {
    html: getComputedStyle(document.documentElement).writingMode,
    body: getComputedStyle(document.body).writingMode,
    text: text.data.slice(0, 300), chars: chars(text, 300),
    next: p.nextElementSibling ? box(p.nextElementSibling.getBoundingClientRect()) : null,
    fontSize: parseFloat(getComputedStyle(p).fontSize),
    tcy: tcy ? {box: box(tcy.getBoundingClientRect()),
                combine: getComputedStyle(tcy).textCombineUpright} : null,
    en: en ? box(en.getBoundingClientRect()) : null,
    pre: pre ? {mode: getComputedStyle(pre).writingMode, chars: chars(textOf(pre), 5)} : null
  };
  var out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify(data); document.body.appendChild(out);
});
//]]></script>"""


def render(epub_path: Path, chapter: str, tmp: Path) -> dict:
    """What Chromium laid out for ``chapter`` of the EPUB, unzipped as it is
    (its style sheets, the faces of this machine)."""
    assert CHROMIUM, "chromium is missing: run scripts/setup.sh"
    folder = tmp / "unzipped"
    with zipfile.ZipFile(epub_path) as z:
        z.extractall(folder)
    page = folder / "EPUB" / chapter
    probe = page.with_name("probe-" + chapter)
    probe.write_text(page.read_text(encoding="utf-8").replace("</head>", PROBE + "</head>", 1),
                     encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp / 'profile'}", "--window-size=900,700",
         "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"Chromium printed no probe: {done.stderr[-2000:]}"
    return json.loads(unescape(found.group(1)))


def columns(boxes: list[list[float]]) -> list[list[list[float]]]:
    """Character boxes in reading order, cut where the next one no longer
    lies in the same column (its horizontal middle outside the column)."""
    out: list[list[list[float]]] = []
    for b in boxes:
        middle = (b[0] + b[2]) / 2
        if out and out[-1][0][0] <= middle <= out[-1][0][2]:
            out[-1].append(b)
        else:
            out.append([b])
    return out


def assert_vertical_columns(seen: dict) -> None:
    assert seen["html"] == seen["body"] == "vertical-rl"
    cols = columns(seen["chars"])
    assert len(cols) >= 2, "the paragraph fits one column: make it longer"
    for col in cols:  # down each column
        tops = [b[1] for b in col]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), tops[:10]
    lefts = [col[0][0] for col in cols]  # the columns right to left
    assert all(a > b for a, b in zip(lefts, lefts[1:])), lefts
    if seen["next"] is not None:  # the next paragraph: a column further left
        assert seen["next"][2] <= min(b[0] for b in seen["chars"]) + 1


def test_a_rendered_chapter_reads_in_columns_right_to_left(built, tmp_path):
    seen = render(built["vertical"], "ch01.xhtml", tmp_path)
    assert_vertical_columns(seen)
    em = seen["fontSize"]
    left, top, right, bottom = seen["tcy"]["box"]
    assert seen["tcy"]["combine"] == "all"
    assert 0.9 * em <= bottom - top <= 1.1 * em  # 12 takes one character's square
    left, top, right, bottom = seen["en"]
    assert bottom - top > 3 * (right - left) > 0   # "Markdown" lies on its side, down the column
    assert seen["pre"]["mode"] == "horizontal-tb"  # code reads across
    xs = [b[0] for b in seen["pre"]["chars"]]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_the_horizontal_chapter_stays_horizontal(built, tmp_path):
    seen = render(built["horizontal"], "ch01.xhtml", tmp_path)
    assert seen["html"] == seen["body"] == "horizontal-tb"
    assert seen["tcy"] is None


XIYOUJI = CORPUS / "novel-zh-hant-xiyouji" / "xiyouji-hant.md"


@pytest.mark.slow
@pytest.mark.skipif(not XIYOUJI.is_file(), reason="../shared/corpus is not here")
def test_xiyouji_in_traditional_characters_vertical(tmp_path):
    """The issue's book: 西遊記, built with --vertical as an author would."""
    result = CliRunner().invoke(cli, ["epub", "--vertical", str(XIYOUJI), "-o",
                                      str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    path = next((tmp_path / "out").glob("*.epub"))
    assert _opf(path).find("opf:spine", OPF).get("page-progression-direction") == "rtl"
    report = check_all([path])[path]
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
    seen = render(path, "ch01.xhtml", tmp_path)
    assert "蓋聞天地之數" in seen["text"]
    assert_vertical_columns(seen)


def test_a_latin_book_set_vertical_is_warned_of(tmp_path):
    """Vertical text is for CJK; an English book so set is turned on its side."""
    from click.testing import CliRunner

    from publish.cli import cli
    from tests.conftest import write_manuscript

    book = write_manuscript(tmp_path / "b", {"book.toml": 'title = "T"\nlanguage = "en"\n',
                                             "01.md": "# One\n\nIt is a truth.\n"})
    result = CliRunner().invoke(cli, ["epub", str(book), "-o", str(tmp_path / "o"),
                                      "--vertical"])
    assert result.exit_code == 0, result.output
    assert "vertical" in result.output and "'en'" in result.output
