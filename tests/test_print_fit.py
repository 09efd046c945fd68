"""Nothing leaves the text block (issue 15, item 5): in the PDF, a code line
that does not fit its box is wrapped inside it, each continuation row further
right than its line's start and marked; a figure's image fits the text block
with its caption on its page; an image in a line of text is no taller than
the text.  Measured as a reader sees the pages: glyph and image positions
(pdfplumber) against the text block; the EPUB and the text edition keep the
code as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from epub_validation import check
from PIL import Image, ImageDraw

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.typography import display_width
from publish.wrapping import code_breaks
from publish.writers import epub, pdf, txt
from publish.writers.pdf.document import PrintRenderer

OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
TOKEN = "".join(f"{i % 10}abcdefghi" for i in range(15))   # 150 characters, no break in it
JS = f"""\
const token = "{TOKEN}";
function fetchUserProfile(userIdentifier, requestOptions) {{
    if (requestOptions.includeFriends && requestOptions.includeFriendsOfFriends && requestOptions.depth > 1) {{
        return fetch(`https://api.example.com/v2/users/${{userIdentifier}}/profile?friends=true&depth=2`, {{ method: "GET", headers: {{ "Accept": "application/json" }} }});
    }}
}}
// 这是一个很长的中文注释，用来测试代码行在中文字符之间的断行，以及避头尾的规则是否被遵守。
xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded-with-a-very-long-made-up-suffix");
"""
PLAIN = "SELECT users.name, orders.total FROM users JOIN orders ON users.id = orders.user_id;\n"
LISTED = 'let message = "a list item holds a narrower box, so this line breaks earlier";\n'
TEXT = {
    "zh-Hans": ("正文在代码之前，这一段足够长，可以占满一整行版心的宽度，看看代码框和正文的右边缘"
                "是否对齐，也看看图片。", "段落中的图标 ", " 应该和文字一样高，不会撑开行距，这一段话"
                "继续写下去直到换行为止。", "一张很高的图片，图注和图片在同一页"),
    "en": ("Some text before the code, long enough to be a body line that runs all the "
           "way across the measure of the page, and then some more.", "An icon ",
           " sits in this paragraph of text, which goes on for a while so that it wraps "
           "onto a second line.", "A very tall image with its caption on its page"),
}


def _manuscript(folder: Path, lang: str) -> Path:
    before, icon_before, icon_after, caption = TEXT[lang]
    book = (f"---\ntitle: Fit\nlanguage: {lang}\n---\n\n# One\n\n{before}\n\n"
            f"```js\n{JS}```\n\n```\n{PLAIN}```\n\n1. {before[:20]}\n\n"
            + "".join(f"        {line}\n" for line in LISTED.splitlines())
            + f"\n2. {before[:10]}\n\n{icon_before}![icon](images/icon.png){icon_after}\n\n"
            "- ![shot](images/shot.png)\n\n"
            f"![{caption}](images/tall.png)\n\n{before}\n")
    write_manuscript(folder, {"book.md": book})
    (folder / "images").mkdir()
    tall = Image.new("RGB", (600, 3000), "white")
    draw = ImageDraw.Draw(tall)
    for y in range(0, 3000, 100):
        draw.rectangle([0, y, 599, y + 50], fill=(200, 200, 255))
    tall.save(folder / "images" / "tall.png")
    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(icon).ellipse([2, 2, 62, 62], fill=(200, 30, 30, 255))
    icon.save(folder / "images" / "icon.png")
    Image.new("RGB", (400, 300), (120, 160, 120)).save(folder / "images" / "shot.png")
    return folder / "book.md"


@pytest.fixture(scope="module", params=["zh-Hans", "en"])
def built(request, tmp_path_factory) -> tuple[str, Path, m.Book]:
    folder = tmp_path_factory.mktemp(f"fit-{request.param}")
    book = read(_manuscript(folder / "book", request.param))
    return request.param, pdf.write(book, folder / "out", OPTIONS), book


GEOMETRY = pdf.page_geometry(pdf.parse_trim("a5"))


def _block(index: int) -> tuple[float, float, float, float]:
    """The text block of a page (left, top, right, bottom, pt); page 1 is a recto."""
    g = GEOMETRY
    left = g.inner if index % 2 == 0 else g.outer
    return left, g.top, left + g.measure, g.top + g.block_height


def _code_rows(path: Path) -> list[tuple[int, list[dict]]]:
    """Each row of code set in the PDF (page, its visible glyphs left to right)."""
    rows: dict[tuple[int, int], list[dict]] = {}
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages):
            for c in page.chars:
                if "Mono" in c["fontname"] and c["text"].strip():
                    rows.setdefault((index, -round(c["matrix"][5])), []).append(c)
    return [(key[0], sorted(chars, key=lambda c: c["x0"])) for key, chars in sorted(rows.items())]


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


def _lines_and_rows(path: Path) -> list[tuple[str, list[tuple[int, list[dict]]]]]:
    """Each code line of the manuscript and the rows it is set in: a row never
    holds the end of one line and the start of the next."""
    rows = _code_rows(path)
    out = []
    for line in (JS + PLAIN + LISTED).splitlines():
        want, got = _visible(line), []
        while len("".join(_visible(c["text"]) for _, r in got for c in r)) < len(want):
            got.append(rows.pop(0))
        assert "".join(c["text"] for _, r in got for c in r) == want, line
        out.append((line, got))
    assert not rows
    return out


@pytest.mark.slow
def test_no_glyph_or_image_leaves_the_text_block(built):
    lang, path, _ = built
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages):
            left, top, right, bottom = _block(index)
            for c in page.chars:
                if not c["text"].strip() or c["top"] < top:   # the running head stands above
                    continue
                # A full-width mark at a line's end may be set at half width (halt).
                x1 = c["x0"] + c["size"] / 2 if c["text"] in "，。、；：" else c["x1"]
                assert left - 1 <= c["x0"] and x1 <= right + 1, (index, c["text"], c["x1"])
            below = "".join(c["text"] for c in page.chars if c["bottom"] > bottom + 1)
            assert re.fullmatch(r"[0-9ivxlc]*", below.strip()), (index, below)   # the folio
            for image in page.images:
                assert left - 0.5 <= image["x0"] and image["x1"] <= right + 0.5
                assert top - 0.5 <= image["top"] and image["bottom"] <= bottom + 0.5
        # The block is the one a reader sees: a justified line of the body fills it.
        full = [c for c in doc.pages[6].chars if c["size"] == GEOMETRY.font_size]
        assert abs(max(c["x1"] for c in full) - _block(6)[2]) < 1


@pytest.mark.slow
def test_code_lines_wrap_inside_the_box_with_a_hanging_indent_and_a_mark(built):
    lang, path, _ = built
    lines = _lines_and_rows(path)
    wrapped = {line: rows for line, rows in lines if len(rows) > 1}
    # The 150-character token, every long line, the list item's line are wrapped.
    assert len(wrapped) >= 6, [line[:30] for line in wrapped]
    assert len(wrapped[f'const token = "{TOKEN}";']) >= 3
    with pdfplumber.open(path) as doc:
        marks = {i: [c for c in page.curves if c["stroke"]] for i, page in enumerate(doc.pages)}
    column = None
    for line, rows in lines:
        (page, first), *rest = rows
        column = column or (first[1]["x0"] - first[0]["x0"])   # a monospaced face
        indent = display_width(line) - display_width(line.lstrip())
        start = first[0]["x0"] - indent * column   # where the line's indentation begins
        assert not _mark_before(marks[page], first), line
        for page, row in rest:
            # Further right than the line's own text, by its indentation and a hang.
            assert row[0]["x0"] >= start + (indent + 1.5) * column, (line, row[0]["text"])
            assert _mark_before(marks[page], row), (line, row[0]["text"])


def _mark_before(curves: list[dict], row: list[dict]) -> bool:
    """A drawn mark (the continuation arrow) in the two columns before a row's first glyph."""
    first = row[0]
    return any(first["x0"] - 2 * first["size"] <= c["x0"] and c["x1"] <= first["x0"] + 0.5
               and first["top"] - 2 <= (c["top"] + c["bottom"]) / 2 <= first["bottom"] + 2
               for c in curves)


@pytest.mark.slow
def test_the_mark_is_no_text_and_every_code_character_is_there_in_order(built):
    """Copying the code from the PDF gives the code: the mark is drawn, not set."""
    _, path, _ = built
    with pdfplumber.open(path) as doc:
        text = "".join(c["text"] for page in doc.pages for c in page.chars
                       if "Mono" in c["fontname"])
    assert _visible(text) == _visible(JS + PLAIN + LISTED)
    assert not set("↪↩⏎↵→") & set(text)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is missing")
def test_a_pdf_reader_copies_every_code_character(built, tmp_path):
    """poppler (pdftotext, the copy of Evince and Okular) takes a hyphen at the end of
    a line for a word's and drops it: no row of code ends with one."""
    _, path, _ = built
    out = tmp_path / "book.txt"
    subprocess.run(["pdftotext", str(path), str(out)], check=True)
    assert _visible(JS) in _visible(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_tall_image_fits_the_page_with_its_caption_under_it(built):
    lang, path, _ = built
    caption = TEXT[lang][3]
    with pdfplumber.open(path) as doc:
        pages = [(i, p) for i, p in enumerate(doc.pages)
                 if any(im["srcsize"] == (600, 3000) for im in p.images)]
        assert len(pages) == 1
        index, page = pages[0]
        image = next(im for im in page.images if im["srcsize"] == (600, 3000))
        assert abs(image["height"] / image["width"] - 3000 / 600) < 0.05   # not distorted
        text = _visible(page.extract_text())
        assert _visible(caption) in text
        words = [c for c in page.chars if c["text"] == caption[0]]
        _, _, _, bottom = _block(index)
        assert any(image["bottom"] <= c["top"] and c["bottom"] <= bottom for c in words)


@pytest.mark.slow
def test_an_icon_in_a_line_of_text_is_no_taller_than_the_text(built):
    lang, path, _ = built
    with pdfplumber.open(path) as doc:
        icons = [(page, im) for page in doc.pages for im in page.images
                 if im["srcsize"] == (64, 64)]
        assert len(icons) == 1
        page, icon = icons[0]
        body = max((c["size"] for c in page.chars), key=[c["size"] for c in page.chars].count)
        assert icon["height"] <= 1.2 * body + 0.01
        # It stands in a line of text: glyphs on each side of it, on that line.
        line = [c for c in page.chars if c["top"] < icon["bottom"] and c["bottom"] > icon["top"]]
        assert any(c["x1"] <= icon["x0"] + 0.5 for c in line)
        assert any(c["x0"] >= icon["x1"] - 0.5 for c in line)


@pytest.mark.slow
def test_an_image_alone_in_a_list_item_is_a_picture_not_an_icon(built):
    """Only an image in a line of text is sized by the text: one that is all an item
    holds is set at its own size (400 px: 300 pt at 96 px an inch), within the block."""
    _, path, _ = built
    with pdfplumber.open(path) as doc:
        shots = [im for page in doc.pages for im in page.images if im["srcsize"] == (400, 300)]
    assert len(shots) == 1 and abs(shots[0]["width"] - 300) < 0.5
    assert abs(shots[0]["height"] - 225) < 0.5


@pytest.mark.slow
def test_the_epub_and_the_text_edition_keep_the_code_as_written(built, tmp_path):
    _, _, book = built
    text = txt.write(book, tmp_path, OPTIONS).read_text(encoding="utf-8")
    assert f'const token = "{TOKEN}";' in text
    path = epub.write(book, tmp_path, OPTIONS)
    report = check(path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
    with zipfile.ZipFile(path) as z:
        chapter = next(text for text in (z.read(n).decode() for n in z.namelist()
                                         if n.endswith(".xhtml")) if TOKEN in text)
    assert "code-hang" not in chapter and "--caption-lines" not in chapter


# -- the rows, without a PDF ------------------------------------------------------------

@pytest.mark.parametrize("line, width", [
    (f'const token = "{TOKEN}";', 60),
    ("        return fetch(`https://api.example.com/v2/users/${id}/profile?a=1&b=2`, x);", 40),
    ("// 这是一个很长的中文注释，用来测试代码行在中文字符之间的断行，以及避头尾的规则。", 30),
    ("\tindented\twith\ttabs and a few words to go past the end of the row", 30),
    ("x" * 7, 3),
])
def test_rows_fit_the_width_and_keep_every_character(line, width):
    breaks, hang = code_breaks(line, width)
    rows = [line[a:b] for a, b in zip((0, *breaks), (*breaks, len(line)))]
    assert "".join(rows) == line and len(rows) >= 2
    indent = display_width(line) - display_width(line.lstrip(" "))
    assert hang == min(indent + 2, width // 2) or "\t" in line
    for i, row in enumerate(rows):
        room = width if i == 0 else width - hang
        assert display_width(row.expandtabs(8), ambiguous=2) <= room, (i, row)
        assert row[:1] not in "，。）" or i == 0   # kinsoku: no row starts with a closing mark


def test_no_row_ends_with_a_hyphen():
    line = 'xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");'
    for width in range(20, 70):
        assert all(line[k - 1] != "-" for k in code_breaks(line, width)[0]), width


def test_rows_break_after_a_space_or_a_separator_before_anywhere():
    breaks, _ = code_breaks("call(alpha, beta, gamma)", 14)
    assert breaks == (12,)                              # after "call(alpha, "
    line = "https://api.example.com/v2/users/profile/settings"
    (first, *_), _ = code_breaks(line, 30)
    assert line[first - 1] in "/." and line[:first] != "https:"
    line = "a::b::c::d::eeeeeeeeeeee"
    assert all(line[k - 2:k] == "::" for k in code_breaks(line, 10)[0][:1])   # never inside ::
    assert code_breaks("short line", 40) == ((), 0)
    line = '  <p><input type="text" id="mytextbox" size="20" value="HelloWorld"/></p>'
    (first,), _ = code_breaks(line, 71)
    assert line[first - 2:first] != "</" and line[first - 1:first + 1] != "/>"


def test_highlighting_survives_a_wrap():
    """The markup stays well formed, each token's class around its text on both sides
    of a break, and the text is the code's."""
    code = f'let s = "{TOKEN}"; // done\n'
    book = m.Book(m.Meta("T", "t", language="en"), None, ())
    renderer = PrintRenderer(book, code_columns=lambda context: 40)
    html = renderer.code_block(m.CodeBlock(code, "js"))
    root = ET.fromstring(html)
    assert "".join(root.itertext()).replace("\n", "") == code.replace("\n", "")
    hangs = root.findall(".//span[@class='code-hang']")
    assert len(hangs) == 4 and all(h.get("style") == "width: 2ch" for h in hangs)
    strings = [s for s in root.iter("span") if s.get("class") == "s2"]
    assert len(strings) == 1 and len(strings[0].findall("span")) == 4
