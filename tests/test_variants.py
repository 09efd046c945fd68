"""Editions in another Chinese script (``--variant``, book.toml's ``variants``),
checked on the editions as a Taiwan, Hong Kong or mainland reader would:
the script and vocabulary of the region (OpenCC's conversion, which these
cases quote from its dictionaries: 软件 → 軟體 in Taiwan, 鼠标 → 滑鼠),
the quotation marks of its standard (「」『』 in Traditional Chinese, clreq
3.1.5; “”‘’ in Simplified, GB/T 15834), the language tag, the labels, the
faces; code, URLs and passages the author marked in another language as
written."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from publish.cli import cli
from tests.conftest import write_manuscript
from tests.epub_validation import check as epubcheck

SIMPLIFIED = """title = "软件的头发"
author = "吴承恩"
language = "zh-Hans"
publisher = "人民文学出版社"
{variants}
"""
CHAPTER = """# 第一章 鼠标

他说：“这个软件很好用。”她问：“‘头发’是什么意思？”

He said “hello” to me, and it’s fine.

里面有一个函数 `读取软件()`，见 <https://example.com/软件/头发>。

他念了一句<span lang="zh-Hans">软件和鼠标</span>，又说“*信息*”。

```python
# 软件的注释
print("头发")
```

| 软件 | 鼠标 |
|------|------|
| 头发 | 信息 |

![软件的图标](icon.png)

这是注释[^1]。

[^1]: 注释里的软件。
"""


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1600, 1600), (200, 40, 40)).save(out, "PNG")  # 300 dpi at 135 mm
    return out.getvalue()


def _book(folder: Path, variants: str = "", chapter: str = CHAPTER,
          toml: str = SIMPLIFIED) -> Path:
    return write_manuscript(folder, {"book.toml": toml.format(variants=variants),
                                     "01.md": chapter, "icon.png": _png()})


def _all(book: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["all", str(book), "-o", str(out), "-q", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def _xhtml(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as z:
        return {name: z.read(name).decode() for name in z.namelist()
                if name.endswith((".xhtml", ".opf"))}


@pytest.fixture(scope="module")
def taiwan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tw")
    book = _book(folder / "book", 'variants = ["zh-Hant-TW"]')
    _all(book, folder / "out")
    return folder / "out"


def test_all_writes_the_book_and_each_variant_and_lists_them(taiwan: Path) -> None:
    names = sorted(p.name for p in taiwan.iterdir())
    slug = next(p.stem for p in taiwan.glob("*.txt") if p.name.count(".") == 1)
    for suffix in (".epub", ".pdf", ".txt", ".zh-Hant-TW.epub", ".zh-Hant-TW.pdf",
                   ".zh-Hant-TW.txt"):
        assert slug + suffix in names, (suffix, names)
    manifest = json.loads(next(taiwan.glob("*.manifest.json")).read_text())
    listed = {edition["file"] for edition in manifest["editions"]}
    sums = (taiwan / "SHA256SUMS").read_text()
    for name in names:
        if name.endswith((".epub", ".pdf", ".txt")):
            assert name in listed and name in sums


def _text(out: Path, suffix: str) -> str:
    return next(p for p in out.glob(f"*{suffix}") if p.name.count(".") ==
                suffix.count(".")).read_text()


def test_the_taiwan_edition_is_in_taiwans_script_and_words(taiwan: Path) -> None:
    text = _text(taiwan, ".zh-Hant-TW.txt")
    assert "軟體的頭髮" in text          # the title: s2twp's Taiwan vocabulary
    assert "第一章 滑鼠" in text or "第一章\u3000滑鼠" in text
    assert "這個軟體很好用。" in text
    assert "吳承恩" in text and "人民文學出版社" in text
    assert "註釋裡的軟體" in text         # the note
    # The book as written is untouched.
    assert "这个软件很好用" in _text(taiwan, ".txt")


def test_chinese_quotes_become_corner_brackets_english_ones_stay(taiwan: Path) -> None:
    text = _text(taiwan, ".zh-Hant-TW.txt")
    assert "他說：「這個軟體很好用。」" in text
    assert "她問：「『頭髮』是什麼意思？」" in text
    assert "He said “hello” to me, and it’s fine." in text
    assert "又說「資訊」" in text        # quotes around emphasis (信息 → 資訊 in Taiwan)


def test_code_urls_and_marked_passages_are_as_written(taiwan: Path) -> None:
    text = _text(taiwan, ".zh-Hant-TW.txt")
    assert "`读取软件()`" in text or "读取软件()" in text
    assert "# 软件的注释" in text and 'print("头发")' in text
    assert "https://example.com/软件/头发" in text
    assert "软件和鼠标" in text           # <span lang="zh-Hans">
    pages = _xhtml(next(taiwan.glob("*.zh-Hant-TW.epub")))
    body = "".join(pages.values())
    assert 'href="https://example.com/软件/头发"' in body or \
        "https://example.com/%E8%BD%AF%E4%BB%B6" in body


def test_the_taiwan_epub_is_tagged_labelled_and_valid(taiwan: Path) -> None:
    epub = next(taiwan.glob("*.zh-Hant-TW.epub"))
    pages = _xhtml(epub)
    opf = next(text for name, text in pages.items() if name.endswith(".opf"))
    assert "<dc:language>zh-Hant-TW</dc:language>" in opf
    original = next(p for p in taiwan.glob("*.epub") if p.name.count(".") == 1)
    ids = [re.search(r"<dc:identifier[^>]*>([^<]+)<", text).group(1)
           for text in (opf, next(t for n, t in _xhtml(original).items() if n.endswith(".opf")))]
    assert ids[0] != ids[1]              # two editions, two identifiers
    for name, text in pages.items():
        if name.endswith(".xhtml"):
            assert 'xml:lang="zh-Hant-TW"' in text, name
    assert any("目錄" in text for text in pages.values())
    report = epubcheck(epub)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


def test_the_taiwan_pdf_sets_han_in_the_tc_faces(taiwan: Path) -> None:
    pdf_path = next(taiwan.glob("*.zh-Hant-TW.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        han = [c for page in pdf.pages for c in page.chars
               if "\u4e00" <= c["text"] <= "\u9fff"]
    # Every Han in a Traditional face (Noto's TC, or the TW Kai), but the
    # passage the author marked zh-Hans, which keeps its Simplified face.
    marked = set("软件和鼠标")
    elsewhere = {c["fontname"].split("+")[-1] for c in han if c["text"] not in marked}
    assert all("CJK-TC" in face or "UKai-TW" in face for face in elsewhere), elsewhere
    assert {c["fontname"].split("+")[-1] for c in han if c["text"] == "标"} == \
        {"Noto-Serif-CJK-SC"}
    assert "軟" in {c["text"] for c in han}


def test_hong_kong_takes_its_own_forms(tmp_path: Path) -> None:
    book = _book(tmp_path / "book")
    _all(book, tmp_path / "out", "--variant", "zh-Hant-HK")
    text = _text(tmp_path / "out", ".zh-Hant-HK.txt")
    assert "裏面" in text                # s2hk: 里面 → 裏面 (Taiwan: 裡面)
    assert "他説：「" in text              # 説, Hong Kong's form (Taiwan: 說)
    assert not list((tmp_path / "out").glob("*[!K].txt"))  # only the variant asked for


def test_a_traditional_book_gets_a_simplified_edition(tmp_path: Path) -> None:
    toml = SIMPLIFIED.replace("zh-Hans", "zh-Hant-TW")
    chapter = "# 第一回\n\n他說：「這個軟體很好用。」她問：「『頭髮』是什麼？」\n"
    book = _book(tmp_path / "book", 'variants = ["zh-Hans"]', chapter, toml)
    _all(book, tmp_path / "out")
    text = _text(tmp_path / "out", ".zh-Hans.txt")
    assert "他说：“这个软件很好用。”她问：“‘头发’是什么？”" in text   # tw2sp: 軟體 → 软件


def test_a_variant_table_sets_title_isbn_and_corrects_words(tmp_path: Path) -> None:
    variants = ('[variants.zh-Hant-TW]\ntitle = "軟體之髮"\nisbn = "9787111111115"\n'
                'replace = { "滑鼠" = "鼠標" }\n')
    book = _book(tmp_path / "book", variants)
    _all(book, tmp_path / "out")
    text = _text(tmp_path / "out", ".zh-Hant-TW.txt")
    assert text.startswith("軟體之髮") and "鼠標" in text and "滑鼠" not in text
    opf = next(t for n, t in _xhtml(next((tmp_path / "out").glob("*.zh-Hant-TW.epub")))
               .items() if n.endswith(".opf"))
    assert "urn:isbn:9787111111115" in opf


@pytest.mark.parametrize(("toml", "message"), [
    (SIMPLIFIED.replace("zh-Hans", "en"), "not Chinese"),
    (SIMPLIFIED.format(variants='variants = ["zh-TW"]').replace("{", "{{").replace("}", "}}"),
     "zh-Hant-TW"),
    (SIMPLIFIED.format(variants='[variants.zh-Hant-TW]\ntitel = "x"').replace(
        "{", "{{").replace("}", "}}"), "title"),
])
def test_a_variant_publish_cannot_make_is_an_error(tmp_path: Path, toml: str,
                                                   message: str) -> None:
    book = _book(tmp_path / "book", 'variants = ["zh-Hant-TW"]', toml=toml)
    result = CliRunner().invoke(cli, ["txt", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert message in result.output and "book.toml" in result.output


def test_publish_check_holds_each_variant_to_its_converted_text(taiwan: Path,
                                                                tmp_path: Path) -> None:
    """Every Han character of the manuscript, as the variant converts it, is in
    each of the variant's editions; one cut from its text is named."""
    book = _book(tmp_path / "book", 'variants = ["zh-Hant-TW"]')
    result = CliRunner().invoke(cli, ["check", str(taiwan), "--manuscript", str(book)])
    assert result.exit_code == 0, result.output
    txt = next(taiwan.glob("*.zh-Hant-TW.txt"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / txt.name).write_text(txt.read_text().replace("髮", ""))
    result = CliRunner().invoke(cli, ["check", str(broken), "--manuscript", str(book)])
    assert result.exit_code == 1 and "[han-characters]" in result.output
    assert "髮" in result.output
