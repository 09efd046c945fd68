"""`publish cover`: the full-wrap cover PDF, checked as a printer's preflight
and a reader would check it, against the vendor's published figures.

KDP's paperback cover calculator (kdp.amazon.com, "Cover calculator" and
"Paperback cover"): width = bleed + back + spine + front + bleed, the bleed
0.125 in, the spine pages × 0.0025 in on cream paper (0.002252 in on white);
spine text only on books of more than 79 pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publish.cli import cli
from tests.conftest import write_manuscript

PT_PER_IN = 72.0
PT_PER_MM = 72 / 25.4
KDP_BLEED_IN = 0.125
KDP_CREAM_IN_PER_PAGE = 0.0025
KDP_WHITE_IN_PER_PAGE = 0.002252
TRIM_IN = (6.0, 9.0)
ISBN = "9787111111115"   # a valid ISBN-13 (check digit 5)

CHINESE = """title = "西游记"
author = "吴承恩"
language = "zh-Hans"
publisher = "人民文学出版社"
description = "唐僧师徒四人西天取经的故事。"
{isbn}
"""
ENGLISH = """title = "Pride and Prejudice"
author = "Jane Austen"
language = "en"
description = "A novel of manners."
"""
CHAPTER = "# 第一回\n\n灵根育孕源流出，心性修持大道生。\n"


def _book(folder: Path, toml: str, chapter: str = CHAPTER) -> Path:
    return write_manuscript(folder, {"book.toml": toml, "01.md": chapter})


def _cover(manuscript: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["cover", str(manuscript), "-o", str(out), "--trim",
                                      "6x9in", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    found = sorted(out.glob("*-cover.pdf"))
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def kdp_1093(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kdp")
    book = _book(folder / "book", CHINESE.format(isbn=f'isbn = "{ISBN}"'))
    return _cover(book, folder / "out", "--pages", "1093", "--profile", "kdp",
                  "--paper", "cream")


def _spine_pt(pages: int, per_page_in: float) -> tuple[float, float]:
    """The spine's left and right edge, pt in the page's space (pdfplumber's x:
    the TrimBox's left edge is 0, the bleed at negative x)."""
    left = TRIM_IN[0] * PT_PER_IN
    return left, left + pages * per_page_in * PT_PER_IN


def _chars_in(path: Path, text: str, x_range: tuple[float, float]) -> list[dict]:
    """The characters of ``text``, in order, whose centre lies in ``x_range``."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars
                 if x_range[0] <= (c["x0"] + c["x1"]) / 2 <= x_range[1]]
    wanted = [c for c in chars if c["text"] in text]
    wanted.sort(key=lambda c: c["top"])
    return wanted


def test_kdp_wrap_is_kdp_calculators_size_with_trim_box_inset_by_bleed(kdp_1093: Path) -> None:
    page = PdfReader(kdp_1093).pages[0]
    # 1,093 pages are printed as 1,094: KDP prints an even page count (the
    # interior gets a blank page at its end), and the spine is the interior's.
    width_in = 2 * TRIM_IN[0] + 1094 * KDP_CREAM_IN_PER_PAGE + 2 * KDP_BLEED_IN
    height_in = TRIM_IN[1] + 2 * KDP_BLEED_IN
    media = [float(v) for v in page.mediabox]
    assert abs((media[2] - media[0]) - width_in * PT_PER_IN) < 0.1 * PT_PER_MM
    assert abs((media[3] - media[1]) - height_in * PT_PER_IN) < 0.1 * PT_PER_MM
    bleed = KDP_BLEED_IN * PT_PER_IN
    trim = [float(v) for v in page.trimbox]
    for outer, inner, sign in zip(media, trim, (1, 1, -1, -1)):
        assert abs((inner - outer) * sign - bleed) < 0.1 * PT_PER_MM
    assert [float(v) for v in page.bleedbox] == media
    assert len(PdfReader(kdp_1093).pages) == 1


def test_thick_book_has_its_title_stacked_on_the_spine(kdp_1093: Path) -> None:
    chars = _chars_in(kdp_1093, "西游记", _spine_pt(1094, KDP_CREAM_IN_PER_PAGE))
    assert "".join(c["text"] for c in chars)[:3] == "西游记"
    title = chars[:3]
    tops = [c["top"] for c in title]
    assert tops == sorted(tops) and len(set(tops)) == 3   # one under the other
    assert max(c["x0"] for c in title) - min(c["x0"] for c in title) < 1.0
    assert all(c["upright"] for c in title)               # the characters stand upright


@pytest.mark.parametrize(("pages", "text"), [(78, False), (79, True), (80, True)])
def test_kdp_sets_spine_text_on_more_than_79_pages(tmp_path: Path, pages: int,
                                                   text: bool) -> None:
    """79 pages are printed as 80 (an even count), so they take spine text."""
    book = _book(tmp_path / "book", CHINESE.format(isbn=""))
    cover = _cover(book, tmp_path / "out", "--pages", str(pages), "--profile", "kdp",
                   "--paper", "cream")
    even = pages + pages % 2
    assert bool(_chars_in(cover, "西游记", _spine_pt(even, KDP_CREAM_IN_PER_PAGE))) is text


def test_a_kdp_cover_refuses_a_trim_kdp_does_not_print(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", CHINESE.format(isbn=""))
    result = CliRunner().invoke(cli, ["cover", str(book), "-o", str(tmp_path / "out"),
                                      "--pages", "100", "--profile", "kdp"])
    assert result.exit_code == 1 and "6x9in" in result.output, result.output


def test_thin_book_has_no_spine_text(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", CHINESE.format(isbn=""))
    cover = _cover(book, tmp_path / "out", "--pages", "19", "--profile", "kdp",
                   "--paper", "cream")
    left, right = _spine_pt(19, KDP_CREAM_IN_PER_PAGE)
    with pdfplumber.open(cover) as pdf:
        # Nothing on or near the spine (the back's text keeps 15 mm from its fold).
        near = 5 * PT_PER_MM
        assert not [c for c in pdf.pages[0].chars
                    if left - near <= (c["x0"] + c["x1"]) / 2 <= right + near]
        # The title is on the front, though.
        front = [c["text"] for c in pdf.pages[0].chars if c["x0"] > right]
    assert "西" in front and "游" in front


def _barcode_region(path: Path) -> tuple[list[dict], list[dict]]:
    """Characters and filled rectangles in the back panel's lower right quarter."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        x_mid = (KDP_BLEED_IN + TRIM_IN[0] / 2) * PT_PER_IN
        x_end = (KDP_BLEED_IN + TRIM_IN[0]) * PT_PER_IN
        y_mid = (KDP_BLEED_IN + TRIM_IN[1] / 2) * PT_PER_IN
        chars = [c for c in page.chars if x_mid < c["x0"] < x_end and c["top"] > y_mid]
        rects = [r for r in page.rects if x_mid < r["x0"] < x_end and r["top"] > y_mid]
    return chars, rects


def test_isbn_is_printed_as_ean13_with_its_digits_under_the_bars(kdp_1093: Path) -> None:
    chars, rects = _barcode_region(kdp_1093)
    bars = [r for r in rects if r["width"] < 1.5 * 0.33 * 4 * PT_PER_MM and r["height"] > 30]
    # EAN-13: 3 guard patterns (2+2+2 bars) and 12 coded digits of 2 bars each.
    assert len(bars) >= 30
    bars_bottom = max(r["bottom"] for r in bars)
    under = sorted((c for c in chars if c["top"] >= bars_bottom - 1 and c["text"].isdigit()),
                   key=lambda c: c["x0"])
    assert "".join(c["text"] for c in under) == ISBN
    above = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"]))
                    if c["bottom"] <= min(r["top"] for r in bars) + 1)
    assert "ISBN" in above and ISBN in above.replace(" ", "").replace("-", "")


def test_no_isbn_no_barcode(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", CHINESE.format(isbn=""))
    cover = _cover(book, tmp_path / "out", "--pages", "300", "--profile", "kdp")
    chars, rects = _barcode_region(cover)
    assert not [c for c in chars if c["text"].isdigit()]
    assert len(rects) < 5


def test_english_spine_title_reads_top_to_bottom(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", ENGLISH, "# Chapter 1\n\nIt is a truth.\n")
    cover = _cover(book, tmp_path / "out", "--pages", "400", "--profile", "kdp")
    chars = _chars_in(cover, "Pride", _spine_pt(400, KDP_WHITE_IN_PER_PAGE))
    title = [c for c in chars if not c["upright"]]
    assert "".join(c["text"] for c in title).startswith("Pride")
    tops = [c["top"] for c in title[:5]]
    assert tops == sorted(tops) and len(set(tops)) == 5
    assert max(c["x0"] for c in title[:5]) - min(c["x0"] for c in title[:5]) < 1.0


def test_all_with_kdp_writes_the_cover_and_records_it(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", ENGLISH, "# Chapter 1\n\nIt is a truth.\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(book), "-o", str(out), "--profile", "kdp",
                                      "--trim", "6x9in"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    interior = PdfReader(out / "pride-and-prejudice.pdf")
    pages = len(interior.pages)
    manifest = json.loads((out / "pride-and-prejudice.manifest.json").read_text())
    assert manifest["cover"]["profile"] == "kdp"
    assert manifest["cover"]["pages"] == pages
    assert abs(manifest["cover"]["spine"] - pages * KDP_WHITE_IN_PER_PAGE * 25.4) < 0.01
    cover = PdfReader(out / "pride-and-prejudice-cover.pdf").pages[0]
    width_in = 2 * TRIM_IN[0] + pages * KDP_WHITE_IN_PER_PAGE + 2 * KDP_BLEED_IN
    assert abs(float(cover.mediabox.width) - width_in * PT_PER_IN) < 0.1 * PT_PER_MM
    assert "pride-and-prejudice-cover.pdf" in (out / "SHA256SUMS").read_text()
    assert CliRunner().invoke(cli, ["verify", str(out)]).exit_code == 0


def test_an_ingramspark_cover_is_pdf_x1a_like_its_interior(tmp_path: Path) -> None:
    """IngramSpark takes PDF/X-1a covers: a CMYK output intent, the cover
    image (here RGBA) in CMYK with no soft mask, the bar code with no
    transparency group; publish check holds the cover to the PDF rules."""
    import pikepdf
    from PIL import Image

    book = _book(tmp_path / "book", ENGLISH + f'isbn = "{ISBN}"\ncover = "cover.png"\n',
                 "# Chapter 1\n\nIt is a truth.\n")
    Image.new("RGBA", (1900, 2800), (200, 40, 40, 180)).save(book / "cover.png")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(book), "-o", str(out), "--profile",
                                      "ingramspark", "--trim", "6x9in"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    cover = next(out.glob("*-cover.pdf"))
    with pikepdf.open(cover) as doc:
        assert str(doc.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
        intent, = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        images, groups = [], []
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                images.append(obj)
            if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary) and "/Group" in obj:
                groups.append(obj.Group.get("/S"))
        assert images and all(i.ColorSpace == "/DeviceCMYK" and "/SMask" not in i
                              for i in images)
        assert "/Transparency" not in groups
    result = CliRunner().invoke(cli, ["check", str(out), "--manuscript", str(book)])
    assert result.exit_code == 0 and "0 errors" in result.output, result.output


PRESS_CALIPER_MM = 0.06   # a printer's figure for its paper, mm a page
PRESS_BLEED_MM = 3.0      # an offset press's bleed


@pytest.fixture(scope="module")
def press_cover(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("press")
    book = _book(folder / "book", CHINESE.format(isbn=f'isbn = "{ISBN}"'))
    return _cover(book, folder / "out", "--pages", "400", "--profile", "press",
                  "--paper-caliper-mm", str(PRESS_CALIPER_MM))


def test_a_press_cover_has_its_marks_outside_the_bleed(press_cover: Path) -> None:
    """Crop marks at the wrap's corners and fold marks at the spine's two
    edges, above and below, all beyond the BleedBox (where the trimmer does
    not cut through them); the paper's colour stops at the bleed."""
    page = PdfReader(press_cover).pages[0]
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    media = [float(v) for v in page.mediabox]
    for outer, inner, sign in zip(bleed, trim, (1, 1, -1, -1)):
        assert abs((inner - outer) * sign - PRESS_BLEED_MM * PT_PER_MM) < 0.05
    assert media[0] < bleed[0] - 5 * PT_PER_MM and media[3] > bleed[3] + 5 * PT_PER_MM
    spine = 400 * PRESS_CALIPER_MM * PT_PER_MM
    folds = [trim[0] + TRIM_IN[0] * PT_PER_IN, trim[0] + TRIM_IN[0] * PT_PER_IN + spine]
    with pdfplumber.open(press_cover) as pdf:
        page_h = float(pdf.pages[0].height)
        strokes = [line for line in pdf.pages[0].lines + pdf.pages[0].curves]
        # pdfplumber gives x in the PDF's space, and top as the page's height less y.
        to_pdf = lambda top: page_h - top  # noqa: E731
        outside = [s for s in strokes
                   if to_pdf(s["bottom"]) > bleed[3] or to_pdf(s["top"]) < bleed[1]
                   or s["x1"] < bleed[0] or s["x0"] > bleed[2]]
        inside = [s for s in strokes if s not in outside]
        verticals = [s for s in outside if abs(s["x0"] - s["x1"]) < 0.01]
        for x in folds + [trim[0], trim[2]]:
            above = [s for s in verticals if abs(s["x0"] - x) < 0.05
                     and to_pdf(s["bottom"]) > bleed[3]]
            below = [s for s in verticals if abs(s["x0"] - x) < 0.05
                     and to_pdf(s["top"]) < bleed[1]]
            assert above and below, x
        assert not [s for s in inside if s.get("stroke") and s["width"] < 1
                    and s["height"] > 5 * PT_PER_MM]
        fills = [r for r in pdf.pages[0].rects if r["width"] > TRIM_IN[0] * PT_PER_IN * 2]
    assert fills
    widest = max(fills, key=lambda r: r["width"])
    assert abs(widest["x0"] - bleed[0]) < 0.1 and abs(widest["x1"] - bleed[2]) < 0.1


def test_spine_text_runs_from_head_to_foot(kdp_1093: Path) -> None:
    """As a spine is set: the title from its head, the publisher at its
    foot, the author between them, each inside the spine's height."""
    chars = _chars_in(kdp_1093, "西游记吴承恩人民文学出版社",
                      _spine_pt(1094, KDP_CREAM_IN_PER_PAGE))
    text = "".join(c["text"] for c in chars)
    assert text == "西游记吴承恩人民文学出版社", text
    head = KDP_BLEED_IN * PT_PER_IN
    height = TRIM_IN[1] * PT_PER_IN
    assert chars[0]["top"] - head < 0.1 * height           # the title from the head
    assert head + height - chars[-1]["bottom"] < 0.1 * height  # the publisher at the foot
    author = chars[3:6]
    middle = (author[0]["top"] + author[-1]["bottom"]) / 2
    assert chars[2]["bottom"] < author[0]["top"] and author[-1]["bottom"] < chars[6]["top"]
    assert abs(middle - (head + height / 2)) < 0.25 * height
    assert chars[0]["size"] > author[0]["size"]            # the title the largest


def test_a_cover_past_kdps_cream_limit_is_written_with_a_warning(tmp_path: Path) -> None:
    """KDP prints at most 776 pages on cream paper: the cover is still
    written (to be looked at), and the build says so."""
    book = _book(tmp_path / "book", CHINESE.format(isbn=""))
    result = CliRunner().invoke(cli, ["cover", str(book), "-o", str(tmp_path / "out"),
                                      "--trim", "6x9in", "--pages", "800", "--profile", "kdp",
                                      "--paper", "cream"])
    assert result.exit_code == 0, result.output
    assert "776" in result.output and "cream" in result.output
    result = CliRunner().invoke(cli, ["cover", str(book), "-o", str(tmp_path / "out2"),
                                      "--trim", "6x9in", "--pages", "800", "--profile", "kdp"])
    assert "828" not in result.output and "776" not in result.output
