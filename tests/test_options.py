"""Edition options: every documented [edition] key changes its edition (each test
fails when the key is ignored), the command line outranks book.toml, a wrong
value names book.toml's line or the flag, and each command offers only the
flags of the editions it writes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import write_manuscript

from publish.cli import cli
from publish.options import Option, settle

TEXT = "# 第一章\n\n" + "天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。寒来暑往，秋收冬藏。" * 12 + "\n"


def build(tmp_path: Path, command: str, edition: str = "", *args: str) -> tuple[Path, str]:
    book = write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "选项"\nslug = "options"\n' + (f"[edition]\n{edition}\n"
                                                             if edition else ""),
        "a.md": TEXT})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [command, str(book), "-o", str(out), *args])
    return out, result.output if result.exit_code == 0 else f"EXIT {result.exit_code} {result.output}"


def body_chars(pdf: Path) -> list[dict]:
    """The characters of the first page that holds body text (天)."""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"] in "天地玄黄宇宙洪荒"]
            if len(chars) > 20:
                return chars
    raise AssertionError("no body text")


def test_width_wraps_the_text_edition(tmp_path):
    out, log = build(tmp_path, "txt", "width = 20")
    lines = [line for line in (out / "options.txt").read_text(encoding="utf-8").splitlines()
             if any("\u4e00" <= ch <= "\u9fff" for ch in line)]  # not the identifier
    from publish.typography import display_width
    assert len(lines) > 20 and max(display_width(line) for line in lines) <= 20, log
    plain, _ = build(tmp_path / "plain", "txt")
    assert max(len(line) for line in (plain / "options.txt").read_text().splitlines()) > 100


def test_the_command_line_outranks_book_toml(tmp_path):
    out, _ = build(tmp_path, "txt", "width = 20", "--width", "40")
    lines = [line for line in (out / "options.txt").read_text(encoding="utf-8").splitlines()
             if any("\u4e00" <= ch <= "\u9fff" for ch in line)]
    from publish.typography import display_width
    assert 20 < max(display_width(line) for line in lines) <= 40


@pytest.mark.parametrize("edition, message", [
    ('width = "wide"', "book.toml:4: [edition] width must be a whole number"),
    ("width = 5", "book.toml:4: [edition] width = 5: must be 0 or at least 20"),
    ("font_size = 99", "book.toml:4: [edition] font_size must be at most 24"),
    ('profile = "ebook"', "book.toml:4: [edition] profile must be one of print, screen, press, kdp, ingramspark"),
    ('trim = "huge"', "book.toml:4: [edition] trim = 'huge': unknown trim size 'huge'"),
    ('bleed = "-3mm"', "book.toml:4: [edition] bleed = '-3mm': bleed '-3mm': give a length"),
    ('body_font = "No Such Face"', "book.toml:4: [edition] body_font = 'No Such Face': 'No Such "
                                   "Face' is not an installed font"),
    ("marks = 1", "book.toml:4: [edition] marks must be true or false"),
])
def test_a_wrong_value_names_book_toml_and_its_line(edition, message, tmp_path):
    _, log = build(tmp_path, "all", edition)
    assert log.startswith("EXIT 1") and message in log, log


def test_a_wrong_value_on_the_command_line_is_a_usage_error(tmp_path):
    _, log = build(tmp_path, "txt", "", "--width", "5")
    assert log.startswith("EXIT 2") and "--width 5: must be 0 or at least 20" in log, log


def test_each_command_offers_only_its_editions_flags(tmp_path):
    _, log = build(tmp_path, "epub", "", "--width", "72")
    assert log.startswith("EXIT 2") and "No such option '--width'" in log
    pdf_help = CliRunner().invoke(cli, ["pdf", "--help"]).output
    assert "--trim" in pdf_help and "--font-size" in pdf_help and "--width" not in pdf_help
    txt_help = CliRunner().invoke(cli, ["txt", "--help"]).output
    assert "--width" in txt_help and "--trim" not in txt_help and "--embed-fonts" not in txt_help
    all_help = CliRunner().invoke(cli, ["all", "--help"]).output
    assert all(flag in all_help for flag in ("--width", "--trim", "--embed-fonts", "--body-font"))


def test_an_unknown_edition_key_is_named_with_its_line(tmp_path):
    _, log = build(tmp_path, "txt", "widht = 20")
    assert "book.toml:4: unknown key 'widht' in [edition]" in log


def test_settle_takes_given_then_book_then_default():
    declared = [Option("a", int, 1, ""), Option("b", int, 2, ""), Option("c", int, 3, "")]
    assert dict(settle(declared, {"a": 10}, {"a": 20, "b": 30})) == {"a": 10, "b": 30, "c": 3}


@pytest.mark.slow
def test_font_size_sets_smaller_type_and_a_wider_block(tmp_path):
    normal, _ = build(tmp_path / "n", "pdf")
    small, log = build(tmp_path / "s", "pdf", "font_size = 9")
    assert "×" in log
    big_chars, small_chars = body_chars(normal / "options.pdf"), body_chars(small / "options.pdf")
    assert round(big_chars[0]["size"], 1) == 10.5 and round(small_chars[0]["size"], 1) == 9.0

    def per_line(chars):
        lines: dict[float, int] = {}
        for c in chars:
            lines[round(c["top"])] = lines.get(round(c["top"]), 0) + 1
        return max(lines.values())
    assert per_line(small_chars) > per_line(big_chars)


@pytest.mark.slow
def test_body_and_heading_fonts_change_the_faces(tmp_path):
    out, log = build(tmp_path, "all", 'body_font = "Noto Sans CJK SC"\n'
                                      'heading_font = "Noto Serif CJK SC"')
    assert "Wrote" in log, log
    fonts = {c["fontname"].split("+")[-1] for c in body_chars(out / "options.pdf")}
    assert fonts and all("Sans" in name for name in fonts), fonts
    with zipfile.ZipFile(out / "options.epub") as z:
        css = z.read("EPUB/styles/faces.css").decode()
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert re.search(r'(^|\n)body\b[^{]*\{ font-family: "Noto Sans CJK SC"', css), css
    assert '"Noto Serif CJK SC", "Noto Sans CJK SC", sans-serif' in css
    assert "styles/faces.css" in chapter


@pytest.mark.slow
def test_profile_in_book_toml_equals_the_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the books are written seconds apart
    from_book, _ = build(tmp_path / "b", "pdf", 'profile = "screen"')
    from_flag, _ = build(tmp_path / "f", "pdf", "", "--profile", "screen")
    printed, _ = build(tmp_path / "p", "pdf")
    screen = (from_book / "options.pdf").read_bytes()
    assert screen == (from_flag / "options.pdf").read_bytes()
    assert screen != (printed / "options.pdf").read_bytes()


@pytest.mark.slow
def test_trim_bleed_and_marks_change_the_page(tmp_path):
    out, _ = build(tmp_path, "pdf", 'trim = "32k"\nbleed = "3mm"\nmarks = true')
    from pypdf import PdfReader

    page = PdfReader(out / "options.pdf").pages[0]
    trim_mm = [round(float(v) / 72 * 25.4) for v in (page.trimbox.width, page.trimbox.height)]
    bleed_mm = [round(float(v) / 72 * 25.4) for v in (page.bleedbox.width, page.bleedbox.height)]
    media_mm = float(page.mediabox.width) / 72 * 25.4
    assert trim_mm == [130, 184]                # 32开
    assert bleed_mm == [136, 190]               # 3 mm on every side
    assert round(media_mm) >= 136, media_mm     # the page holds the bleed


@pytest.mark.slow
def test_embed_fonts_and_chapter_label(tmp_path):
    out, _ = build(tmp_path, "epub", 'embed_fonts = true\nchapter_label = "回"')
    with zipfile.ZipFile(out / "options.epub") as z:
        names = z.namelist()
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert any(name.startswith("EPUB/fonts/") for name in names)
    assert "第一回" in chapter


@pytest.mark.slow
def test_allow_missing_glyphs_in_book_toml(tmp_path):
    book = write_manuscript(tmp_path / "book", {
        "book.toml": '[edition]\nallow_missing_glyphs = true\n', "a.md": "# 章\n\n私用\ue000字。\n"})
    result = CliRunner().invoke(cli, ["pdf", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
@pytest.mark.parametrize("how", ["flag", "book.toml"])
def test_without_the_weasyprint_extensions_a_plain_pdf_is_built(how, tmp_path):
    """In a fresh process (the extensions cannot be taken out of one that has them)."""
    import subprocess
    import sys

    files = {"a.md": TEXT}
    if how == "book.toml":
        files["book.toml"] = "[edition]\nweasyprint_extensions = false\n"
    book = write_manuscript(tmp_path / "book", files)
    done = subprocess.run([sys.executable, "-m", "publish", "pdf", str(book), "-o",
                           str(tmp_path / "out"),
                           *(["--no-weasyprint-extensions"] if how == "flag" else [])],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "without publish's WeasyPrint extensions" in done.stderr
    with pdfplumber.open(next((tmp_path / "out").glob("*.pdf"))) as doc:
        assert any("天地玄黄" in (page.extract_text() or "") for page in doc.pages)


def test_another_weasyprint_version_is_named(monkeypatch):
    from publish.errors import PrintError
    from publish.writers.pdf import weasy

    monkeypatch.setitem(weasy.VERSIONS, "weasyprint", "69.9")
    with pytest.raises(PrintError, match=r"weasyprint 70\.0 \(written for 69\.9\).*"
                                         "--no-weasyprint-extensions"):
        weasy.install()


def test_theme_in_book_toml_picks_the_books_theme(tmp_path):
    """[edition] theme names a theme folder of the manuscript's own styles/."""
    book = write_manuscript(tmp_path / "book", {
        "book.toml": 'slug = "themed"\n[edition]\ntheme = "plain"\n', "a.md": TEXT,
        "styles/plain/base.css": "p { color: #1a2b3c }\n"})
    result = CliRunner().invoke(cli, ["epub", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "themed.epub") as z:
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    assert "#1a2b3c" in css
