"""The interior PDF of the press, kdp and ingramspark profiles, checked as a
printer's preflight checks it: PDF/X identification and output intent
(ISO 15930), the page boxes, the marks outside the bleed, the page count,
no RGB or soft mask in a PDF/X-1a file, fonts whole for KDP."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, write_manuscript
from PIL import Image

from publish import model as m
from publish.errors import PrintError
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import pdf

pytestmark = pytest.mark.slow
PT_PER_MM = 72 / 25.4


def build(source: Path, out: Path, **values) -> Path:
    return pdf.write(read(source), out, m.BuildOptions(theme_dir=theme_dir("default"),
                                                       values=values))


def english_book(folder: Path, chapters: int = 3) -> Path:
    picture = Image.new("RGBA", (300, 200), (200, 30, 30, 128))  # half transparent red
    data = io.BytesIO()
    picture.save(data, "PNG")
    text = "A line of English prose, long enough to wrap over the measure. " * 20
    body = "".join(f"# Chapter {n}\n\n" + f"{text}\n\n" * 3 for n in range(1, chapters + 1))
    return write_manuscript(folder, {
        "book.toml": 'title = "Press Test"\nauthors = ["A. Writer"]\nlanguage = "en"\n',
        "book.md": body + "![A red square](red.png)\n", "red.png": data.getvalue()})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("press")
    english = english_book(out / "english")
    return {"press": build(ROOT / "manuscript", out / "press", profile="press"),
            "ingramspark": build(english, out / "ingramspark", profile="ingramspark"),
            "kdp": build(english, out / "kdp", profile="kdp", trim="6x9in")}


def boxes(page) -> dict[str, list[float]]:
    return {name: [float(v) for v in page.obj[f"/{name}"]]
            for name in ("MediaBox", "BleedBox", "TrimBox")}


def test_press_is_pdf_x4_with_a_cmyk_output_intent(built):
    with pikepdf.open(built["press"]) as doc:
        xmp = doc.Root.Metadata.read_bytes()
        # ISO 15930-7: X-4 is named in the XMP (pdfxid), not in the Info dictionary.
        assert re.search(rb"<pdfxid:GTS_PDFXVersion>PDF/X-4</", xmp)
        intent = doc.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        assert doc.pdf_version >= "1.6"


def test_ingramspark_is_pdf_x1a(built):
    with pikepdf.open(built["ingramspark"]) as doc:
        assert str(doc.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
        intent = doc.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        assert doc.pdf_version <= "1.4"  # X-1a:2003 is PDF 1.4: no object streams
        assert "/ID" in doc.trailer


def _device_colours(doc) -> set[str]:
    """The colour operators and colour spaces the pages' content uses."""
    found = set()
    for page in doc.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("rg", "RG", "g", "G", "k", "K"):
                found.add(name)
            if name in ("cs", "CS"):
                found.add(str(operands[0]))
    return found


def test_x1a_has_no_rgb_and_no_soft_mask(built):
    with pikepdf.open(built["ingramspark"]) as doc:
        images = [image for page in doc.pages for image in page.images.values()]
        assert images, "the book's picture is in the PDF"
        for image in images:
            assert image.ColorSpace == "/DeviceCMYK"
            assert "/SMask" not in image
        assert not _device_colours(doc) & {"rg", "RG", "/DeviceRGB"}


def test_x1a_names_device_colour_spaces_only(built):
    """ISO 15930-4 (PDF/X-1a): colour is DeviceCMYK, DeviceGray, Separation or
    DeviceN; no ICC-based or Lab space in any page's resources."""
    with pikepdf.open(built["ingramspark"]) as doc:
        for page in doc.pages:
            for space in page.obj.Resources.get("/ColorSpace", {}).values():
                family = space if isinstance(space, pikepdf.Name) else space[0]
                assert family in ("/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN"), space


def test_text_is_black_ink_only(built):
    """Black text as K alone, not four inks (the press's registration would show)."""
    with pikepdf.open(built["press"]) as doc:
        fills = set()
        for operands, operator in pikepdf.parse_content_stream(doc.pages[10]):
            if str(operator) in ("scn", "sc", "k"):
                fills.add(tuple(round(float(v), 3) for v in operands))
        assert (0.0, 0.0, 0.0, 1.0) in fills
        assert all(len(f) == 4 and f[:3] == (0.0, 0.0, 0.0) for f in fills if f[3] == 1.0)


@pytest.mark.parametrize(("name", "bleed_mm"), [("press", 3), ("ingramspark", 3.175)])
def test_trim_and_bleed_box_on_every_page(built, name, bleed_mm):
    with pikepdf.open(built[name]) as doc:
        for page in doc.pages:
            box = boxes(page)
            trim, bleed = box["TrimBox"], box["BleedBox"]
            out = bleed_mm * PT_PER_MM
            assert bleed == pytest.approx([trim[0] - out, trim[1] - out, trim[2] + out,
                                           trim[3] + out], abs=0.01)
            media = box["MediaBox"]
            assert media[0] <= bleed[0] and media[2] >= bleed[2]


def test_a_kdp_interior_is_the_trim_without_bleed(built):
    """KDP: an interior bleeds only when an image bleeds (and then on three
    sides, not the spine's); a book of text is its trim size, 6 x 9 in."""
    with pikepdf.open(built["kdp"]) as doc:
        for page in doc.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            assert (x1 - x0, y1 - y0) == pytest.approx((6 * 72, 9 * 72), abs=0.05)


def test_press_marks_are_outside_the_bleed(built, tmp_path):
    """Rendered, the slug (media box beyond the bleed box) holds the marks and
    the bleed's corners none: nothing the trimmer cuts through."""
    import subprocess

    with pikepdf.open(built["press"]) as doc:
        box = boxes(doc.pages[-1])  # a blank page: only the marks are drawn
    subprocess.run(["pdftoppm", "-r", "144", "-f", "32", "-l", "32", "-png",
                    str(built["press"]), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    scale = 2  # pixels a point
    media, bleed, trim = box["MediaBox"], box["BleedBox"], box["TrimBox"]

    def dark(x0, y0, x1, y1) -> int:  # PDF points, y up from the media box's bottom
        top = media[3] - y1
        region = image.crop((round((x0 - media[0]) * scale), round(top * scale),
                             round((x1 - media[0]) * scale), round((top + y1 - y0) * scale)))
        return sum(1 for v in region.getdata() if v < 128)

    assert media[0] < bleed[0] - 5 and media[3] > bleed[3] + 5
    # The bleed's bottom-left corner square, outside the trim: no ink.
    assert dark(bleed[0] + 0.5, bleed[1] + 0.5, trim[0] - 0.5, trim[1] - 0.5) == 0
    # The slug left of the bleed, along the trim line: the crop mark.
    assert dark(media[0], trim[1] - 2, bleed[0], trim[1] + 2) > 0
    # The slug below the page's middle: the registration mark.
    middle = (trim[0] + trim[2]) / 2
    assert dark(middle - 10, media[1], middle + 10, bleed[1]) > 0
    # Nothing but white inside the bleed box of a blank page.
    assert dark(bleed[0] + 0.5, bleed[1] + 0.5, bleed[2] - 0.5, bleed[3] - 0.5) == 0


@pytest.mark.parametrize(("name", "step"), [("press", 16), ("ingramspark", 2), ("kdp", 2)])
def test_page_count_fills_the_signature(built, name, step):
    with pikepdf.open(built[name]) as doc:
        assert len(doc.pages) % step == 0


def test_kdp_embeds_every_font(built):
    """KDP: every font embedded (subset: a whole CJK collection would be a
    70 MB file that is no valid font, see publish/profiles.py)."""
    with pikepdf.open(built["kdp"]) as doc:
        fonts = 0
        for page in doc.pages:
            for font in page.obj.Resources.Font.values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get("/FontDescriptor")
                    assert descriptor is not None, font
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
                    fonts += 1
        assert fonts


def test_kdp_refuses_a_trim_it_does_not_print(tmp_path):
    with pytest.raises(PrintError, match="6x9in"):
        build(english_book(tmp_path / "b", 1), tmp_path / "out", profile="kdp", trim="a5")
