"""`publish check`: a fresh build passes; files broken on purpose fail, each
finding named.  The broken files are made here with pikepdf, and the figures
they are held to are the specs' and the vendors' (ISO 15930 PDF/X;
IngramSpark: PDF/X-1a, 0.125 in bleed, even page count, 18 pages at least),
not the code's constants."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from publish.cli import cli

ROOT = Path(__file__).parent.parent
A5 = (419.53, 595.28)   # 148 × 210 mm in points
INCH = 72.0


def check(*args: str):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(cli, ["all", str(ROOT / "manuscript"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def copy_of(dist: Path, tmp_path: Path) -> Path:
    target = tmp_path / "dist"
    shutil.copytree(dist, target)
    return target


def test_a_fresh_build_passes_under_the_print_profile(dist):
    result = check(dist, "--manuscript", ROOT / "manuscript")
    assert result.exit_code == 0, result.output
    assert " error " not in result.output and "0 errors" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("options", [("--profile", "press"),
                                     ("--profile", "press", "--pdfx", "1a"),
                                     ("--profile", "press", "--bleed", "5mm"),
                                     ("--profile", "ingramspark"), ("--profile", "screen")])
def test_what_publish_all_writes_for_a_profile_passes_its_check(options, tmp_path):
    """The profiles' PDFs pass the preflight of their own profile as the
    build's options made it (--pdfx, --bleed), which the manifest records:
    PDF/X-1a with crop and registration marks included (no transparency)."""
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(ROOT / "manuscript"), "-o", str(out), "-q",
                                      *options])
    assert result.exit_code == 0, result.output
    result = check(out, "--manuscript", ROOT / "manuscript")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output, result.output


def test_the_manifest_names_the_profile_the_check_then_uses(dist):
    assert '"profile": "print"' in next(dist.glob("*.manifest.json")).read_text()


def test_kdp_asks_24_pages_at_least_and_ingramspark_its_bleed(dist):
    """KDP prints 24 pages at least (the default book has fewer), an even count;
    IngramSpark asks a 0.125 in bleed, which the print profile's PDF lacks."""
    pages = len(pikepdf.open(next(dist.glob("*.pdf"))).pages)
    assert pages < 24
    result = check(dist, "--profile", "kdp")
    assert result.exit_code == 1
    assert "[page-count]" in result.output and "24" in result.output
    result = check(dist, "--profile", "ingramspark")
    assert result.exit_code == 1
    assert "[page-boxes]" in result.output and "3.17 mm" in result.output  # 0.125 in


def test_a_page_without_trimbox_fails_naming_the_page(dist, tmp_path):
    broken = copy_of(dist, tmp_path)
    path = next(broken.glob("*.pdf"))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[2].obj["/TrimBox"]
        pdf.save(path)
    result = check(path)
    assert result.exit_code == 1
    assert "page 3  [page-boxes]  no TrimBox" in result.output


def test_a_missing_chapter_in_the_txt_fails(dist, tmp_path):
    broken = copy_of(dist, tmp_path)
    txt = next(broken.glob("*.txt"))
    lines = txt.read_text(encoding="utf-8").splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) == {"＝"} and i > 30)
    title = lines[rule - 1]
    txt.write_text("\n".join(lines[:rule - 1] + lines[rule + 1:]), encoding="utf-8")
    result = check(broken)
    assert result.exit_code == 1
    assert f"[chapter-titles]  chapter “{title}” of" in result.output
    assert "is missing" in result.output


def test_a_han_character_missing_from_an_edition_fails(dist, tmp_path):
    broken = copy_of(dist, tmp_path)
    txt = next(broken.glob("*.txt"))
    txt.write_text(txt.read_text(encoding="utf-8").replace("梁", "?"), encoding="utf-8")
    result = check(broken, "--manuscript", ROOT / "manuscript")
    assert result.exit_code == 1
    assert "[han-characters]" in result.output and "梁" in result.output


# Files made to measure -------------------------------------------------------

def _icc_cmyk() -> bytes:
    """An ICC header that says CMYK (bytes 16-20: the data colour space)."""
    return bytes(16) + b"CMYK" + b"XYZ " + bytes(108)


def make_pdf(path: Path, pages: int = 1, bleed: float = 0.0, *, space: str = "/DeviceCMYK",
             pixels: int = 300, placed_in: float = 1.0, x1a: bool = False,
             font: bool = False, in_form: bool = False) -> Path:
    """A PDF of ``pages`` pages, each with an image of ``pixels`` square placed
    ``placed_in`` inches wide (through a form XObject scaled 2× when
    ``in_form``), its boxes ``bleed`` points apart."""
    pdf = pikepdf.new()
    channels = {"/DeviceCMYK": 4, "/DeviceRGB": 3, "/DeviceGray": 1}[space]
    image = pikepdf.Stream(pdf, bytes(pixels * pixels * channels), Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Image, Width=pixels, Height=pixels,
                           ColorSpace=pikepdf.Name(space), BitsPerComponent=8)
    side = placed_in * INCH
    draw = f"q {side / 2 if in_form else side} 0 0 {side / 2 if in_form else side} 0 0 cm /Im0 Do Q"
    xobjects = pikepdf.Dictionary(Im0=image)
    if in_form:
        form = pikepdf.Stream(pdf, draw.encode(), Type=pikepdf.Name.XObject,
                              Subtype=pikepdf.Name.Form, BBox=[0, 0, 1000, 1000],
                              Matrix=[2, 0, 0, 2, 0, 0],
                              Resources=pikepdf.Dictionary(XObject=xobjects))
        xobjects, draw = pikepdf.Dictionary(Fm0=form), "q 1 0 0 1 50 50 cm /Fm0 Do Q"
    else:
        draw = "q 1 0 0 1 50 50 cm " + draw + " Q"
    resources = pikepdf.Dictionary(XObject=xobjects)
    if font:
        resources.Font = pikepdf.Dictionary(F1=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
        draw += " BT /F1 12 Tf 100 400 Td (Hello) Tj ET"
    width, height = A5
    for _ in range(pages):
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, width + 2 * bleed, height + 2 * bleed],
            BleedBox=[0, 0, width + 2 * bleed, height + 2 * bleed],
            TrimBox=[bleed, bleed, width + bleed, height + bleed],
            Resources=resources, Contents=pikepdf.Stream(pdf, draw.encode()))
        pdf.pages.append(pikepdf.Page(page))
    if x1a:
        pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1:2001"
        pdf.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"
        pdf.Root.OutputIntents = [pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier="FOGRA39", DestOutputProfile=pikepdf.Stream(
                pdf, _icc_cmyk(), N=4))]
    pdf.save(path)
    return path


def x1a(tmp_path: Path, **kwargs) -> Path:
    """What IngramSpark asks: PDF/X-1a, 0.125 in bleed, 18 pages, even."""
    return make_pdf(tmp_path / "book.pdf", pages=18, bleed=0.125 * INCH, x1a=True, **kwargs)


def test_a_correct_x1a_file_passes_ingramspark(tmp_path):
    result = check(x1a(tmp_path), "--profile", "ingramspark")
    assert result.exit_code == 0, result.output


def test_an_rgb_image_in_a_file_claiming_x1a_fails(tmp_path):
    result = check(x1a(tmp_path, space="/DeviceRGB"), "--profile", "ingramspark")
    assert result.exit_code == 1
    assert "[pdfx1a-colour]  image Im0 is in DeviceRGB" in result.output


def test_x1a_without_its_identification_fails(tmp_path):
    path = make_pdf(tmp_path / "book.pdf", pages=18, bleed=0.125 * INCH)
    result = check(path, "--profile", "ingramspark")
    assert result.exit_code == 1
    assert "no /GTS_PDFXVersion" in result.output and "no output intent" in result.output


def test_a_wrong_bleed_and_an_odd_page_count_fail_ingramspark(tmp_path):
    path = make_pdf(tmp_path / "book.pdf", pages=19, bleed=3 / 25.4 * INCH, x1a=True)
    result = check(path, "--profile", "ingramspark")
    assert result.exit_code == 1
    assert "[page-count]  19 pages" in result.output
    assert "3.00 mm" in result.output and "[page-boxes]" in result.output


@pytest.mark.parametrize("in_form", [False, True])
def test_a_100_dpi_image_fails_naming_the_page(tmp_path, in_form):
    # 100 px placed 1 inch wide: 100 dpi, below the 150 a print job takes at least.
    path = make_pdf(tmp_path / "book.pdf", pixels=100, in_form=in_form)
    result = check(path)
    assert result.exit_code == 1
    assert "page 1  [image-resolution]  image Im0 is 100 dpi" in result.output


def test_a_200_dpi_image_is_a_warning(tmp_path):
    result = check(make_pdf(tmp_path / "book.pdf", pixels=200))
    assert result.exit_code == 0
    assert "warning  book.pdf  page 1  [image-resolution]  image Im0 is 200 dpi" in result.output


def test_a_font_not_embedded_fails(tmp_path):
    result = check(make_pdf(tmp_path / "book.pdf", font=True))
    assert result.exit_code == 1
    assert "[fonts-embedded]  font Helvetica is not embedded" in result.output


def test_an_epub_without_cover_language_or_alt_fails(dist, tmp_path):
    import zipfile

    broken = copy_of(dist, tmp_path)
    path = next(broken.glob("*.epub"))
    with zipfile.ZipFile(path) as z:
        files = {info: z.read(info.filename) for info in z.infolist()}
    with zipfile.ZipFile(path, "w") as z:
        for info, data in files.items():
            if info.filename.endswith(".opf"):
                data = data.replace(b' properties="cover-image"', b"").replace(
                    b'<meta name="cover" content="cover-img"></meta>', b"")
                data = data.replace(b"<dc:language>zh-Hans</dc:language>", b"")
            if info.filename.endswith("ch01.xhtml"):
                data = data.replace(b"</body>", b'<p><img src="images/cover.png"/></p></body>')
            z.writestr(info, data)
    result = check(path)
    assert result.exit_code == 1
    for rule in ("[epub-cover]", "[epub-language]", "[epub-alt]", "[epubcheck]"):
        assert rule in result.output


def _blank_book(folder: Path, pages: int, trim_in: tuple[float, float], paper: str) -> Path:
    """A PDF of ``pages`` blank pages trimmed to ``trim_in`` and a manifest
    saying it was built for KDP on ``paper``."""
    folder.mkdir()
    pdf = pikepdf.new()
    box = [0, 0, trim_in[0] * INCH, trim_in[1] * INCH]
    for _ in range(pages):
        pdf.add_blank_page(page_size=(box[2], box[3]))
        pdf.pages[-1].obj.TrimBox = pikepdf.Array(box)
        pdf.pages[-1].obj.BleedBox = pikepdf.Array(box)
    pdf.save(folder / "book.pdf")
    (folder / "book.manifest.json").write_text(
        '{"profile": "kdp", "profile_options": {"paper": "%s"}}' % paper)
    return folder


@pytest.mark.parametrize(("pages", "trim", "paper", "refused"), [
    (780, (6, 9), "cream", True),      # KDP: black ink on cream, 776 at most
    (780, (6, 9), "white", False),     # on white, 828
    (830, (6, 9), "white", True),
    (560, (8.5, 11), "cream", True),   # the largest trims bind fewer: 550 on cream
    (560, (8.5, 11), "white", False),  # 590 on white
])
def test_kdp_page_limit_depends_on_paper_and_trim(tmp_path, pages, trim, paper, refused):
    """KDP's print options table: black ink on white paper 24–828 pages, on
    cream 24–776; 8.5 × 11 in 590 and 550."""
    result = check(_blank_book(tmp_path / "b", pages, trim, paper))
    assert ("[page-count]" in result.output) is refused, result.output
    if refused:
        assert result.exit_code == 1 and paper in result.output
