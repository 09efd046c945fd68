"""The EPUB edition: EPUBCheck on every case, then the OPF, nav and XHTML as a reader sees them."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, case_manuscript, case_names, write_manuscript
from epub_validation import check_all

from publish import model as m
from publish.errors import ManuscriptError
from publish.reader import read
from publish.themes import theme_dir
from publish.typography import is_han
from publish.writers import epub
from publish.writers.epub.accessibility import A11Y_CONFORMS

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every case, the default book and its embedded-font variant, built once."""
    out = tmp_path_factory.mktemp("epub")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    books = {"default": read(ROOT / "manuscript")}
    books.update({name: read(case_manuscript(name)) for name in case_names()})
    paths = {}
    for name, book in books.items():
        paths[name] = epub.write(book, out / name, OPTIONS)
    paths["default-fonts"] = epub.write(books["default"], out / "fonts",
                                        m.BuildOptions(theme_dir=OPTIONS.theme_dir,
                                                       values={"embed_fonts": True}))
    mp.undo()
    return paths


@pytest.fixture(scope="session")
def epubcheck_reports(built):
    return check_all(list(built.values()))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["default", "default-fonts"] + case_names())
def test_epubcheck_finds_nothing(name, built, epubcheck_reports):
    report = epubcheck_reports[built[name]]
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def opf(path: Path) -> ET.Element:
    return ET.fromstring(read_zip(path)["EPUB/content.opf"])


def test_archive_layout(built):
    with zipfile.ZipFile(built["default"]) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_package_metadata(built):
    root = opf(built["default"])
    meta = root.find("opf:metadata", NS)
    assert meta.find("dc:language", NS).text == "zh-Hans"
    assert meta.find("dc:identifier", NS).text == "urn:uuid:dede99af-d86b-4230-8cfe-bb8e3c337cca"
    assert meta.find("dc:title", NS).text == "DeepSeek创始人梁文锋访谈实录"
    creators = [c.text for c in meta.findall("dc:creator", NS)]
    assert creators == ["梁文锋", "记者"]
    roles = {e.get("refines"): e.text for e in meta.findall("opf:meta[@property='role']", NS)}
    assert roles == {"#creator1": "ive", "#creator2": "ivr"}
    modified = meta.find("opf:meta[@property='dcterms:modified']", NS).text
    assert modified == "2023-11-14T22:13:20Z"
    props = {}
    for e in meta.findall("opf:meta[@property]", NS):
        props.setdefault(e.get("property"), []).append(e.text)
    assert props["schema:accessMode"] == ["textual", "visual"]      # the cover is an image
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"][0]
    assert props["dcterms:conformsTo"] == [A11Y_CONFORMS]
    for key in ("publisher", "date", "rights", "description"):
        assert meta.find(f"dc:{key}", NS).text


def test_isbn_and_given_cover(built):
    root = opf(built["cover"])
    assert root.find("opf:metadata/dc:identifier", NS).text == "urn:isbn:9787111111115"
    cover = root.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "images/cover.png"
    data = read_zip(built["cover"])["EPUB/images/cover.png"]
    assert data == (case_manuscript("cover") / "cover.png").read_bytes()


def test_generated_cover(built):
    import io

    from PIL import Image
    root = opf(built["default"])
    cover = root.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    image = Image.open(io.BytesIO(read_zip(built["default"])["EPUB/" + cover.get("href")]))
    assert image.size == (1600, 2560)


def test_spine_and_landmarks(built):
    files = read_zip(built["default"])
    root = ET.fromstring(files["EPUB/content.opf"])
    hrefs = {i.get("id"): i.get("href") for i in root.findall("opf:manifest/opf:item", NS)}
    spine = [hrefs[i.get("idref")] for i in root.findall("opf:spine/opf:itemref", NS)]
    assert spine == ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "nav.xhtml",
                     "front.xhtml"] + [f"ch0{n}.xhtml" for n in range(1, 7)]
    nav = ET.fromstring(files["EPUB/nav.xhtml"])
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert kinds == {"cover": "cover.xhtml", "toc": "nav.xhtml", "bodymatter": "ch01.xhtml"}
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    top = toc.findall("x:ol/x:li", NS)
    assert [li.find("x:a", NS).text for li in top][0] == "关于技术创新与商业化"
    assert top[0].find("x:ol/x:li/x:a", NS).get("href") == "ch01.xhtml#ch01-s1"
    ncx = ET.fromstring(files["EPUB/toc.ncx"])
    assert len(ncx.findall(".//ncx:navPoint", NS)) == 7


def test_parts_nest_in_the_toc(built):
    nav = ET.fromstring(read_zip(built["structure"])["EPUB/nav.xhtml"])
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    parts = toc.findall("x:ol/x:li", NS)
    assert [p.find("x:a", NS).text for p in parts] == ["第一部", "第二部"]
    assert [a.text for a in parts[0].findall("x:ol/x:li/x:a", NS)] == ["第一章", "第二章"]


def chapter_xml(path: Path, name: str) -> ET.Element:
    return ET.fromstring(read_zip(path)[f"EPUB/{name}"])


def test_chapter_documents(built):
    doc = chapter_xml(built["default"], "ch01.xhtml")
    assert doc.get("lang") == "zh-Hans"
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    speakers = [s.text for s in doc.iter(f"{{{NS['x']}}}span") if s.get("class") == "speaker"]
    assert speakers == ["记者：", "梁文锋：", "记者：", "梁文锋："]
    assert doc.find(".//x:section[@id='ch01-s1']/x:h2", NS).text == "企业与个人的创新思考"
    links = {link.get("href") for link in doc.iter(f"{{{NS['x']}}}link")}
    assert links == {"styles/base.css", "styles/epub.css"}


def test_footnotes_pop_up_everywhere(built):
    doc = chapter_xml(built["footnotes"], "ch01.xhtml")
    refs = [a for a in doc.iter(f"{{{NS['x']}}}a") if a.get("role") == "doc-noteref"]
    assert [(a.get("href"), a.text) for a in refs] == [
        ("ch01.xhtml#ch01-n1", "1"), ("ch01.xhtml#ch01-n2", "2"), ("ch01.xhtml#ch01-n1", "1")]
    assert all(a.get(f"{{{NS['epub']}}}type") == "noteref" for a in refs)
    assert len({a.get("id") for a in refs}) == 3                 # every call has its own id
    section = next(s for s in doc.iter(f"{{{NS['x']}}}section") if s.get("role") == "doc-endnotes")
    notes = section.findall("x:ol/x:li", NS)
    assert [n.get("id") for n in notes] == ["ch01-n1", "ch01-n2"]
    assert all(n.get(f"{{{NS['epub']}}}type") == "endnote" for n in notes)
    back = notes[0].find("x:p", NS)[0]                           # the back-link comes first
    assert back.get("role") == "doc-backlink" and back.get("href") == "ch01.xhtml#ch01-n1-r1"


def test_links_between_files(built):
    doc = chapter_xml(built["links"], "ch01.xhtml")
    hrefs = [a.get("href") for a in doc.iter(f"{{{NS['x']}}}a")]
    assert hrefs == ["ch02.xhtml#ch02-s1", "ch02.xhtml#ch02", "ch01.xhtml#ch01",
                     "ch02.xhtml#ch02"]


def test_tag_like_titles_stay_text(built):
    files = read_zip(built["tag-titles"])
    titles = [ET.fromstring(files[f"EPUB/ch0{n}.xhtml"]).find(".//x:h1", NS) for n in (1, 2, 3, 4)]
    assert ["".join(t.itertext()) for t in titles] == ["<a> 元素", "<img> 元素", "<video>，<audio>",
                                                       "A & B < C"]


def test_hostile_html_is_gone(built):
    files = read_zip(built["raw-html"])
    text = b"".join(files.values()).decode("utf-8", errors="replace")
    for bad in ("<script", "onclick", "onmouseover", "javascript:", "<iframe", "evil.example"):
        assert bad not in text
    assert "组件里的文字" in text and "未闭合的 &lt;b&gt;标签" in text


def test_images_are_packaged(built):
    files = read_zip(built["images"])
    root = ET.fromstring(files["EPUB/content.opf"])
    images = [i for i in root.findall("opf:manifest/opf:item", NS)
              if i.get("media-type") == "image/png" and "cover" not in i.get("href")]
    assert [i.get("href") for i in images] == ["images/001.png"]
    doc = chapter_xml(built["images"], "ch01.xhtml")
    figure = doc.find(".//x:figure", NS)
    assert figure.find("x:img", NS).get("alt") == "一个红色方块"
    assert figure.find("x:figcaption", NS).text == "图 1：红色方块"


@pytest.mark.parametrize("name", ["default"] + case_names())
def test_every_han_character_is_in_the_xhtml(name, built):
    manuscript = ROOT / "manuscript" if name == "default" else case_manuscript(name)
    files = sorted(manuscript.glob("*.md")) if manuscript.is_dir() else [manuscript]
    source = "".join(f.read_text(encoding="utf-8") for f in files)
    source = re.sub(r"<(script|iframe)[^>]*>.*?</\1>", "", source, flags=re.S)
    source = re.sub(r"\]\([^)]*\)", "]", source)             # link and image targets are not text
    source = re.sub(r"^\[\^\w+\]:.*$", "", source, flags=re.M)
    zipped = read_zip(built[name])
    root = ET.fromstring(zipped["EPUB/content.opf"])
    hrefs = {i.get("id"): i.get("href") for i in root.findall("opf:manifest/opf:item", NS)}
    spine = [hrefs[i.get("idref")] for i in root.findall("opf:spine/opf:itemref", NS)]
    def visible(xhtml: str) -> str:  # text and alt text, in order
        xhtml = re.sub(r'<img [^>]*alt="([^"]*)"[^>]*>', r"\1", xhtml.split("<body", 1)[1])
        return unescape(re.sub(r"<[^>]+>", "", xhtml))
    text = "".join(visible(zipped[f"EPUB/{f}"].decode()) for f in spine if f != "nav.xhtml")
    it = iter(ch for ch in text if is_han(ch))
    assert all(ch in it for ch in source if is_han(ch))


def test_byte_identical_rebuilds(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    book = read(ROOT / "manuscript")
    first = epub.write(book, tmp_path / "a", OPTIONS).read_bytes()
    second = epub.write(read(ROOT / "manuscript"), tmp_path / "b", OPTIONS).read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))
    assert epub.write(book, tmp_path / "c", OPTIONS).read_bytes() != first


def test_embedded_fonts_are_subset(built):
    files = read_zip(built["default-fonts"])
    fonts = {k: v for k, v in files.items() if k.startswith("EPUB/fonts/")}
    # the Kai face too: the book opens with a quotation, set in it (楷体)
    assert set(fonts) == {"EPUB/fonts/serif-regular.otf", "EPUB/fonts/serif-bold.otf",
                          "EPUB/fonts/sans-bold.otf", "EPUB/fonts/kai-regular.ttf"}
    assert all(len(data) < 1_000_000 for data in fonts.values())     # the full faces are 20+ MB
    css = files["EPUB/styles/fonts.css"].decode()
    assert css.count("@font-face") == 4 and '"Noto Serif CJK SC"' in css
    assert '"LXGW WenKai"' in css
    import io

    from fontTools.ttLib import TTFont
    cmap = TTFont(io.BytesIO(fonts["EPUB/fonts/serif-regular.otf"])).getBestCmap()
    assert all(ord(ch) in cmap for ch in "梁文锋访谈实录")
    assert ord("龘") not in cmap


def test_css_is_reader_friendly():
    base = (theme_dir("default") / "base.css").read_text(encoding="utf-8")
    body = re.search(r"body \{(.*?)\}", base, re.S).group(1)
    assert re.search(r'font-family:\s*"Noto Serif CJK SC".*serif;', body, re.S)
    assert "line-height: 1.7" in body
    assert re.search(r"p \{\s*margin: 0;\s*text-indent: 2em;", base)


def test_unsupported_image_type(tmp_path):
    write_manuscript(tmp_path, {"a.md": "# 章\n\n![图](pic.bmp)", "pic.bmp": b"BM" + b"\0" * 60})
    with pytest.raises(ManuscriptError, match="unsupported type") as e:
        read(tmp_path)
    assert "a.md:3:" in e.value.message


def test_unreadable_cover(tmp_path):
    write_manuscript(tmp_path, {"book.toml": 'cover = "cover.png"', "a.md": "正文",
                                "cover.png": b"not an image"})
    with pytest.raises(ManuscriptError, match="not a PNG or JPEG"):
        read(tmp_path)


def test_epub_never_imports_weasyprint(tmp_path):
    code = ("import sys; from publish.cli import cli; "
            f"cli(['epub', {str(ROOT / 'manuscript')!r}, '-o', {str(tmp_path)!r}, '-q'], "
            "standalone_mode=False); assert 'weasyprint' not in sys.modules, 'imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
