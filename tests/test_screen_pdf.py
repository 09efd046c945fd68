"""The screen edition (``--profile screen``) as a PDF/UA-1 checker reads it.

The checks are the machine-checkable ones of ISO 14289-1 as the Matterhorn
protocol lists them, read off the file with pikepdf, not from the code:
- 01: every piece of content (text, image, path) is in a marked-content
  sequence of the structure tree (an MCID the /ParentTree maps to an element
  the tree holds) or an /Artifact; 06/07: /MarkInfo /Marked true, the XMP's
  pdfuaid:part 1 and dc:title, /ViewerPreferences /DisplayDocTitle true;
- 11: the document's /Lang, and /Lang on a passage in another language;
- 13: every /Figure has its alternative text (the manuscript's; a formula's
  TeX); an image with empty alternative text is an artifact;
- 14: headings nested without a skipped level; 15: a table's /TH with
  /Scope or its /TD with /Headers naming /TH ids; 16: lists as /L, /LI,
  /LBody; 19: a footnote is a /Note with an /ID.
The ``pdfua`` package (its machine checks, on pikepdf) gives a second opinion.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import ROOT, write_manuscript
from PIL import Image

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import pdf

pytestmark = pytest.mark.slow
SCREEN = m.BuildOptions(theme_dir=theme_dir("default"), values={"profile": "screen"})
PRINT = m.BuildOptions(theme_dir=theme_dir("default"))
CHART_ALT = "一个红色的圆和一个蓝色的方块"
ENGLISH = "The quick brown fox jumps over the lazy dog"
#: Operators that put something on the page (ISO 32000-1, 8.2 and 9.4.3).
PAINTING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*",
            "sh", "BI"}


def _png(size: tuple[int, int], colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


BOOK = {
    "book.toml": 'title = "屏幕版测试"\nlanguage = "zh-Hans"\nauthors = ["某人"]\n',
    "chart.png": _png((600, 300), "red"),
    "rule.png": _png((400, 20), "grey"),
    "book.md": f"""# 第一章　图与表

这是一段正文，引用一句英文：{ENGLISH}, as typesetters say.[^1]

![{CHART_ALT}](chart.png)

![](rule.png)

| 名称 | 数量 |
|------|------|
| 苹果 | 3 |
| 梨 | 5 |

- 第一项
- 第二项

## 代码与公式

```python
def area(r):
    return 3.14159 * r * r
```

圆的面积是 $\\pi r^2$。

### 小节

$$E = mc^2$$

[^1]: 这是一条脚注。

# 第二章　结尾

最后一段。
""",
}


@pytest.fixture(scope="module")
def screen(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("screen")
    book = write_manuscript(out / "book", BOOK)
    return {"book": pdf.write(read(book), out / "book-pdf", SCREEN),
            "default": pdf.write(read(ROOT / "manuscript"), out / "default-pdf", SCREEN)}


def _elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements reachable from /StructTreeRoot, in document order."""
    found: list[pikepdf.Dictionary] = []

    def walk(kid) -> None:
        if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") in ("/MCR", "/OBJR"):
            return
        found.append(kid)
        kids = kid.get("/K")
        for child in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            walk(child)

    kids = document.Root.StructTreeRoot.K
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        walk(kid)
    return found


def _of(elements, kind: str) -> list[pikepdf.Dictionary]:
    return [e for e in elements if e.get("/S") == kind]


def _untagged_and_mcids(document: pikepdf.Pdf):
    """What each page paints outside any marked content, and the MCIDs it marks."""
    untagged, mcids = [], set()
    for number, page in enumerate(document.pages):
        stack: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                stack.append(str(operands[0]))
                if str(operands[0]) != "/Artifact":
                    mcids.add((number, int(operands[1].MCID)))
            elif op == "BMC":
                stack.append(str(operands[0]))
            elif op == "EMC":
                stack.pop()
            elif op in PAINTING and not stack:
                untagged.append((number, op))
    return untagged, mcids


def _parent_tree(document: pikepdf.Pdf) -> dict[tuple[int, int], pikepdf.Object]:
    """(page index, MCID) → the element /ParentTree maps it to."""
    nums = document.Root.StructTreeRoot.ParentTree.Nums
    mapped = {}
    pages = {page.objgen: index for index, page in enumerate(document.pages)}
    for key, value in zip(nums[::2], nums[1::2]):
        page = next((i for objgen, i in pages.items()
                     if document.pages[i].get("/StructParents") == key), None)
        if page is None or not isinstance(value, pikepdf.Array):
            continue
        for mcid, element in enumerate(value):
            if element is not None:
                mapped[(page, mcid)] = element
    return mapped


@pytest.mark.parametrize("name", ["book", "default"])
def test_identified_titled_marked_and_in_a_language(name, screen):
    with pikepdf.open(screen[name]) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(root.Lang) == "zh-Hans"
        meta = document.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        title = {"book": "屏幕版测试", "default": "DeepSeek创始人梁文锋访谈实录"}[name]
        assert meta.get("dc:title") == title
        assert document.pdf_version >= "1.7"


@pytest.mark.parametrize("name", ["book", "default"])
def test_every_content_item_is_tagged_or_an_artifact(name, screen):
    """Matterhorn 01-005 and 01-004: nothing is painted outside marked content,
    and every MCID belongs to an element of the tree (running heads and folios
    are artifacts, not MCIDs of elements no tree holds)."""
    with pikepdf.open(screen[name]) as document:
        untagged, mcids = _untagged_and_mcids(document)
        assert not untagged, untagged[:10]
        assert len(mcids) > 20
        mapped = _parent_tree(document)
        assert mcids <= set(mapped), sorted(mcids - set(mapped))[:10]
        reachable = {e.objgen for e in _elements(document)}
        orphans = [key for key in mcids if mapped[key].objgen not in reachable]
        assert not orphans, orphans[:10]


@pytest.mark.parametrize("name", ["book", "default"])
def test_headings_nest_without_a_skipped_level(name, screen):
    with pikepdf.open(screen[name]) as document:
        levels = [int(str(e.S)[2:]) for e in _elements(document)
                  if str(e.S) in {f"/H{n}" for n in range(1, 7)}]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    if name == "book":
        assert 3 in levels, levels  # the book's ### 小节


def test_figures_carry_their_alternative_text(screen):
    """The manuscript's alt text, a formula's TeX; the image whose alt text
    is empty is drawn inside an /Artifact and has no /Figure."""
    with pikepdf.open(screen["book"]) as document:
        figures = _of(_elements(document), "/Figure")
        alts = [str(f.get("/Alt", "")) for f in figures]
        assert CHART_ALT in alts
        assert "\\pi r^2" in alts and "E = mc^2" in alts
        assert len(figures) == 3 and all(alts), alts
        images_in_artifacts = 0
        for page in document.pages:
            stack: list[str] = []
            xobjects = page.Resources.get("/XObject", {})
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    stack.append(str(operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op == "Do" and "/Artifact" in stack:
                    xobject = xobjects.get(str(operands[0]))
                    if xobject is not None and xobject.get("/Subtype") == "/Image":
                        images_in_artifacts += 1
    assert images_in_artifacts == 1


def test_table_list_code_note_and_english(screen):
    with pikepdf.open(screen["book"]) as document:
        elements = _elements(document)
        kinds = {str(e.S) for e in elements}
        assert {"/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/LBody", "/Code",
                "/Note"} <= kinds
        ths, tds = _of(elements, "/TH"), _of(elements, "/TD")
        assert len(ths) == 2 and len(tds) == 4
        ids = {str(th.ID) for th in ths}
        assert all(str(th.A.Scope) == "/Column" for th in ths)
        assert all({str(h) for h in td.A.Headers} <= ids and len(td.A.Headers) == 1
                   for td in tds)
        for item in _of(elements, "/LI"):
            assert "/LBody" in {str(kid.get("/S")) for kid in item.K
                                if isinstance(kid, pikepdf.Dictionary)}
        notes = _of(elements, "/Note")
        assert len(notes) == 1 and str(notes[0].ID)
        english = [e for e in elements if str(e.get("/Lang", "")) == "en"]
        assert english
        # Its text is the English passage: the glyphs its MCIDs mark on the page.
        page = next(i for i, p in enumerate(document.pages) if p.objgen == english[0].Pg.objgen)
        mcids = {int(k) for e in english for kid in e.K
                 for k in (kid.K if isinstance(kid, pikepdf.Dictionary) else [kid])
                 if isinstance(k, int)}
    with pdfplumber.open(screen["book"]) as doc:
        text = "".join(c["text"] for c in doc.pages[page].chars if c.get("mcid") in mcids)
    assert ENGLISH.replace(" ", "") in text.replace(" ", ""), text


@pytest.mark.parametrize("name", ["book", "default"])
def test_pdfua_package_finds_nothing(name, screen):
    from pdfua import Severity, validate

    report = validate(str(screen[name]))
    serious = [(f.rule_id, f.message) for f in report.findings
               if f.severity >= Severity.WARNING]
    assert not serious
    assert len(report.outcomes) - len(report.skipped) >= 10


def test_an_empty_alt_image_does_not_stop_the_print_edition(tmp_path):
    book = write_manuscript(tmp_path / "book", {k: v for k, v in BOOK.items()})
    out = pdf.write(read(book), tmp_path / "out", PRINT)
    with pikepdf.open(out) as document:
        assert "/StructTreeRoot" not in document.Root


def test_the_print_profile_is_untouched_by_the_tagging(tmp_path, monkeypatch):
    """weasy.tagging acts on tagged pages only: the print edition is the same
    bytes with WeasyPrint's own functions back in place (set as one document:
    laid out in units, the folios' forms are another extension's)."""
    from weasyprint import draw
    from weasyprint.pdf import stream, tags

    from publish.writers.pdf.weasy import tagging
    source = read(ROOT / "manuscript")
    one = m.BuildOptions(theme_dir=theme_dir("default"), values={"jobs": 1})
    path = pdf.write(source, tmp_path / "tagging", one)  # installs the extensions
    assert tagging.installed()
    monkeypatch.setattr(stream.Stream, "marked", tagging._marked)
    monkeypatch.setattr(tags, "_build_box_tree", tagging._build)
    monkeypatch.setattr(draw, "draw_stacking_context", tagging._stacking)
    assert pdf.write(source, tmp_path / "weasyprint", one).read_bytes() == path.read_bytes()


def test_text_drawn_by_the_speedups_is_tagged_as_weasyprint_tags_it(tmp_path, monkeypatch):
    """speedups.draw_first_line draws a plain line inside the marked content
    WeasyPrint opens around it: the tagged PDF is the same bytes when every
    line goes to WeasyPrint's own function (in one document: what forked
    workers draw is not counted here)."""
    from publish.writers.pdf.weasy import speedups
    source = read(write_manuscript(tmp_path / "book", BOOK))
    one = m.BuildOptions(theme_dir=theme_dir("default"), values={"profile": "screen", "jobs": 1})
    path = pdf.write(source, tmp_path / "short", one)
    original, handed = speedups._draw_first_line, []
    monkeypatch.setattr(speedups, "_draw_first_line",
                        lambda *args: handed.append(args[1].text) or original(*args))
    monkeypatch.setattr(speedups, "_GLYPH_UNKNOWN", 0xFFFFFFFF)
    weasyprint_drawn = pdf.write(source, tmp_path / "weasyprint", one)
    assert len(handed) > 20
    assert path.read_bytes() == weasyprint_drawn.read_bytes()
