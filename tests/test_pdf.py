"""The print edition, measured on the page: glyph positions (pdfplumber), fonts, labels, TOC."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, case_manuscript, write_manuscript
from pdf_measure import FULL_WIDTH_MARKS, body_lines, rag
from pypdf import PdfReader

from publish import fonts
from publish import model as m
from publish.errors import PublishError
from publish.reader import read
from publish.themes import theme_dir
from publish.typography import is_han
from publish.writers import pdf
from publish.writers.pdf import weasy
from publish.writers.pdf.weasy import fontdata, justify

pytestmark = pytest.mark.slow
A5 = pdf.page_geometry(pdf.TRIMS["a5"])
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
# The whole book in this process: what a test counts of its calls happens here.
ONE_PROCESS = m.BuildOptions(theme_dir=theme_dir("default"), values={"jobs": 1})
# clreq: no line starts with these, none ends with the opening marks.
NO_LINE_START = set("，。、；：？！）》」』”’")
NO_LINE_END = set("（《「『“‘")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    books = {"default": ROOT / "manuscript", "typography": case_manuscript("typography"),
             "structure": case_manuscript("structure")}
    paths = {name: pdf.write(read(source), out / name, OPTIONS) for name, source in books.items()}
    paths["bleed"] = pdf.write(read(books["structure"]), out / "bleed",
                               m.BuildOptions(theme_dir=OPTIONS.theme_dir, values={
                                   "bleed": "3mm", "marks": True, "trim": "32k"}))
    return paths


def front_pages(path: Path) -> int:
    labels = PdfReader(path).page_labels
    return labels.index("1")


@pytest.mark.parametrize("name", ["default", "typography"])
def test_no_forbidden_line_starts_or_ends(name, built):
    lines = body_lines(built[name], A5, front_pages(built[name]))
    assert lines
    for line in lines:
        assert line.text[0] not in NO_LINE_START, (line.page, line.text)
        assert line.text[-1] not in NO_LINE_END, (line.page, line.text)


@pytest.mark.parametrize("name", ["default", "typography"])
def test_full_lines_are_flush(name, built):
    """The guard of the justification extension: without it full lines end up to 1 em short."""
    lines = [line for line in body_lines(built[name], A5, front_pages(built[name])) if line.full]
    assert len(lines) > 10
    ragged = [(round(rag(line), 2), line.text) for line in lines if abs(rag(line)) > 0.5]
    assert not ragged


@pytest.mark.parametrize("name", ["default", "typography"])
def test_no_paragraph_ends_with_a_line_of_one_character(name, built):
    """孤字: the last line of a paragraph holds at least two Han characters (the default
    book had "新。" alone on a line)."""
    lines = body_lines(built[name], A5, front_pages(built[name]))
    lone = [line.text for line in lines if not line.full and len(line.text) <= 3
            and sum(is_han(ch) for ch in line.text) == 1]
    assert not lone


def test_lines_with_english_are_flush_too(built):
    lines = [line for line in body_lines(built["typography"], A5, front_pages(built["typography"]))
             if line.full and re.search("[A-Za-z]", line.text)]
    assert lines and all(abs(rag(line)) <= 0.5 for line in lines)


def han_latin_gaps(path: Path) -> list[float]:
    """Gaps (em) between a Han character and a Latin letter or digit next to it."""
    gaps = []
    for line in body_lines(path, A5, front_pages(path)):
        for a, b in zip(line.chars, line.chars[1:]):
            pair = a["text"] + b["text"]
            if (is_han(pair[0]) and re.match(r"[A-Za-z0-9]", pair[1])) or (
                    re.match(r"[A-Za-z0-9]", pair[0]) and is_han(pair[1])):
                gaps.append((b["x0"] - a["x1"]) / A5.font_size)
    return gaps


def test_han_latin_gaps(built):
    """About a quarter em; a line whose next word would not fit shares its slack evenly,
    so a gap there may grow, but never to the 1.4 em of a space-only justification."""
    default = han_latin_gaps(built["default"])
    assert len(default) >= 20 and all(0.15 <= gap <= 0.40 for gap in default), default
    every = default + han_latin_gaps(built["typography"])
    within = [gap for gap in every if 0.15 <= gap <= 0.40]
    assert len(within) >= 0.9 * len(every) and max(every) < 1.0, every


def punctuation_pairs(path: Path) -> list[tuple[str, float]]:
    """Adjacent full-width marks and the width (em) the pair takes on the line."""
    pairs = []
    for line in body_lines(path, A5, front_pages(path)):
        for i in range(len(line.chars) - 1):
            a, b = line.chars[i], line.chars[i + 1]
            if a["text"] in FULL_WIDTH_MARKS and b["text"] in FULL_WIDTH_MARKS:
                # From the first mark's pen position to the end of the second's box.
                width = line.advance(i) + (b["x1"] - b["x0"])
                pairs.append((a["text"] + b["text"], width / A5.font_size))
    return pairs


def test_punctuation_pairs_are_compressed(built):
    pairs = punctuation_pairs(built["typography"]) + punctuation_pairs(built["default"])
    assert len(pairs) >= 20
    compressed = [p for p in pairs if p[1] <= 1.6]
    # clreq: a pair takes 1.5 em; a line stretched by justification may add a little.
    assert len(compressed) >= 0.99 * len(pairs), [p for p in pairs if p[1] > 1.6]


@pytest.mark.parametrize("name", ["default", "typography"])
def test_fonts_embedded_no_type3_han_in_sc(name, built):
    reader = PdfReader(built[name])
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            assert font["/Subtype"] != "/Type3"
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    with pdfplumber.open(built[name]) as doc:
        for page in doc.pages:
            for ch in page.chars:
                if is_han(ch["text"]):  # a face of Simplified (GB) forms: Noto SC, a GB Kai
                    assert re.search(r"CJK-SC|LXGW-WenKai(?!-TC)|UKai-CN", ch["fontname"]), (
                        ch["text"], ch["fontname"])


def chapter_openings(path: Path) -> dict[str, int]:
    """Chapter title -> index of the page it opens on (titles are set at 1.7 em)."""
    found = {}
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages):
            title = "".join(c["text"] for c in page.chars if abs(c["size"] - 1.7 * 10.5) < 0.1)
            if title:
                found[title.replace("\u3000", "")] = index
    return found


@pytest.mark.parametrize("name", ["default", "structure"])
def test_toc_numbers_and_recto_openings(name, built):
    path = built[name]
    labels = PdfReader(path).page_labels
    openings = chapter_openings(path)
    book = read(ROOT / "manuscript" if name == "default" else case_manuscript(name))
    titles = [m.plain_text(c.title).replace("\u3000", "") for c in book.chapters]
    assert sorted(openings) == sorted(titles)
    assert all(index % 2 == 0 for index in openings.values())      # index 0 is page 1, a recto
    with pdfplumber.open(path) as doc:
        toc_text = next(p.extract_text() for p in doc.pages if "目录" in (p.extract_text() or ""))
    for title in titles:
        found = re.search(re.escape(title) + r"[·.\s]*(\d+)", toc_text.replace("\u3000", ""))
        assert found, (title, toc_text)
        assert found.group(1) == labels[openings[title]]


def _heads_and_folios(path: Path) -> list[tuple[str, str, bool]]:
    """(running head, folio, has body text) of every page, read from the margins."""
    pages = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            top, bottom = A5.top, page.height - A5.bottom
            def text(chars):
                return "".join(c["text"] for c in chars).strip()
            pages.append((text(c for c in page.chars if c["bottom"] <= top),
                          text(c for c in page.chars if c["top"] >= bottom),
                          bool(text(c for c in page.chars if top < c["top"] < bottom))))
    return pages


def test_running_heads_and_folios(tmp_path):
    """Verso: the book title; recto: the chapter's title; none on an opening page
    or a blank page; folios in roman, then arabic from the first chapter.  Every
    page has a page type of its own in WeasyPrint, but pages with one cascade
    share their computed styles (publish.writers.pdf.weasy.speedups): a wrong share shows here."""
    paragraph = "这是一段足够长的正文，用来把每一章撑到好几页。" * 12
    chapters = "".join(f"# 第{n}章　标题{n}\n\n" + f"{paragraph}\n\n" * 14 for n in "一二三")
    source = write_manuscript(tmp_path / "book", {
        "book.toml": 'title = "书名页眉"\nauthors = ["某人"]\n', "book.md": chapters})
    path = pdf.write(read(source), tmp_path / "out", OPTIONS)
    labels = PdfReader(path).page_labels
    openings = {index: title for title, index in chapter_openings(path).items()}
    first = labels.index("1")
    chapter = None
    checked = 0
    for index, (head, folio, body) in enumerate(_heads_and_folios(path)):
        if not body:   # a blank verso or the half-title's back
            assert (head, folio) == ("", ""), index
            continue
        if index < first:
            assert head == "", index
            if folio:
                assert folio == labels[index] and labels[index].isalpha(), (index, folio)
            continue
        assert folio == labels[index], (index, folio)
        if index in openings:
            chapter = openings[index]
            assert head == "", index
            continue
        expected = "书名页眉" if index % 2 else chapter
        assert head.replace("\u3000", "") == expected.replace("\u3000", ""), (index, head)
        checked += 1
    assert checked >= 6
    from publish.writers.pdf.weasy import speedups
    assert speedups.installed()


def test_toc_leaders_line_up(built):
    """The dots of every TOC entry stand on one grid (counted from the line's end,
    one per font size), evenly spaced, and stop before the page number;
    publish.writers.pdf.weasy.speedups sets each leader as one text run, not one text box per dot."""
    with pdfplumber.open(built["default"]) as doc:
        page = next(p for p in doc.pages if "目录" in (p.extract_text() or ""))
        rows: dict[float, list[dict]] = {}
        for c in page.chars:
            rows.setdefault(round(c["top"], 1), []).append(c)
    grids: dict[float, float] = {}   # font size -> x of the rightmost dot
    checked = 0
    for row in rows.values():
        dots = sorted((c for c in row if c["text"] == "·"), key=lambda c: c["x0"])
        if len(dots) < 4:
            continue
        xs = [c["x0"] for c in dots]
        step = xs[1] - xs[0]
        assert all(abs((b - a) - step) < 0.05 for a, b in zip(xs, xs[1:]))
        right = grids.setdefault(round(dots[0]["size"], 2), xs[-1])
        assert abs((right - xs[-1]) / step - round((right - xs[-1]) / step)) < 0.05
        number = [c for c in row if c["text"].isdigit()]
        assert number and xs[-1] + step <= min(c["x0"] for c in number) + 0.05
        checked += 1
    assert checked >= 3
    # One text run per leader: far fewer text-showing operators than dots.
    from pypdf.generic import ContentStream
    reader = PdfReader(built["default"])
    toc = next(p for p in reader.pages if "目录" in p.extract_text())
    shows = sum(op in (b"Tj", b"TJ") for _, op in ContentStream(toc.get_contents(), reader)
                .operations)
    assert shows < sum(c == "·" for c in toc.extract_text()) / 4


def test_plain_lines_take_the_short_drawing_path(tmp_path, monkeypatch):
    """speedups.draw_first_line draws plain lines itself, writing the same bytes
    as WeasyPrint's function, and hands the rest over."""
    from publish.writers.pdf.weasy import speedups
    source = read(case_manuscript("typography"))
    path = pdf.write(source, tmp_path / "short", ONE_PROCESS)  # installs the extensions
    original = speedups._draw_first_line
    handed = []
    monkeypatch.setattr(speedups, "_draw_first_line",
                        lambda *args: handed.append(args[1].text) or original(*args))
    pdf.write(source, tmp_path / "counted", ONE_PROCESS)
    with pdfplumber.open(path) as doc:
        lines = sum(len(page.extract_text_lines()) for page in doc.pages)
    assert lines > 20 and len(handed) < lines / 10, handed
    # Every glyph counted as missing: every line goes to WeasyPrint's function.
    monkeypatch.setattr(speedups, "_GLYPH_UNKNOWN", 0xFFFFFFFF)
    handed.clear()
    weasyprint_drawn = pdf.write(source, tmp_path / "weasyprint", ONE_PROCESS)
    assert len(handed) > lines / 2
    assert path.read_bytes() == weasyprint_drawn.read_bytes()


def test_used_lengths_kept_per_style_give_the_same_pdf(tmp_path, monkeypatch):
    """lengths.resolve_percentages sets most boxes' lengths from the style
    (those of styles with a percentage or collapsed borders the WeasyPrint
    way) and the PDF is the same bytes as with WeasyPrint's function for all."""
    from publish.writers.pdf.weasy import lengths
    source = read(case_manuscript("typography"))
    path = pdf.write(source, tmp_path / "kept", ONE_PROCESS)  # installs the extensions
    assert lengths.installed()
    original, ways = lengths._used, []
    monkeypatch.setattr(lengths, "_used", lambda style: ways.append(bool(original(style)))
                        or original(style))
    pdf.write(source, tmp_path / "counted", ONE_PROCESS)
    assert ways.count(True) > 10 * ways.count(False) > 0, (ways.count(True), ways.count(False))
    monkeypatch.setattr(lengths, "_used", lambda style: False)  # every box WeasyPrint's way
    assert pdf.write(source, tmp_path / "weasyprint", ONE_PROCESS).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("case", ["typography", "structure"])
def test_styles_flow_and_backgrounds_shortcuts_give_the_same_pdf(case, tmp_path, monkeypatch):
    """speedups makes pseudo-element styles when a box asks for them, hands
    layout_fixed_boxes only the pages with fixed boxes, reads float and position
    once for is_in_normal_flow and skips the background reads of a style that
    paints nothing: the PDF is the same bytes as with WeasyPrint's own functions."""
    import weasyprint.layout as layout
    from weasyprint import css
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import background

    from publish.writers.pdf.weasy import speedups
    source = read(case_manuscript(case))
    path = pdf.write(source, tmp_path / "short", OPTIONS)  # installs the extensions
    on_demand, plain = [], []
    original_call, original_nothing = speedups.style_for_call, speedups._paints_nothing

    def counted_call(self, element, pseudo_type=None):
        kept = self.__dict__.get("_publish_pending", {})
        on_demand.append(pseudo_type is not None and (element, pseudo_type) in kept)
        return original_call(self, element, pseudo_type)

    with monkeypatch.context() as patch:
        patch.setattr(css.StyleFor, "__call__", counted_call)
        patch.setattr(speedups, "_paints_nothing",
                      lambda style: plain.append(original_nothing(style)) or plain[-1])
        pdf.write(source, tmp_path / "counted", OPTIONS)
    assert any(on_demand) and plain.count(True) > plain.count(False), (
        on_demand.count(True), plain.count(True), plain.count(False))
    with monkeypatch.context() as patch:  # WeasyPrint's functions, every one
        patch.setattr(css.StyleFor, "__call__", speedups._style_for_call)
        patch.setattr(css.StyleFor, "set_computed_styles", speedups._set_computed_styles)
        patch.setattr(layout, "layout_fixed_boxes", speedups._layout_fixed_boxes)
        patch.setattr(layout.page, "make_page", speedups._make_page)
        patch.setattr(boxes.Box, "is_in_normal_flow", speedups._is_in_normal_flow)
        patch.setattr(background, "layout_box_backgrounds", speedups._layout_box_backgrounds)
        weasyprint_way = pdf.write(source, tmp_path / "weasyprint", OPTIONS)
    assert weasyprint_way.read_bytes() == path.read_bytes()


def test_fixed_boxes_stand_on_the_pages_as_weasyprint_puts_them(monkeypatch):
    """A ``position: fixed`` box is laid out on the same pages with the
    speedups' layout_fixed_boxes as with WeasyPrint's, and a document without
    one leaves the layout context unmarked (nothing to look for)."""
    import weasyprint.layout as layout
    from weasyprint import HTML

    from publish.writers.pdf.weasy import speedups
    weasy.install()
    marks = []

    def marking_make_page(context, *args, **kwargs):
        made = speedups.make_page(context, *args, **kwargs)
        marks.append(context.__dict__.get("_publish_fixed_boxes", False))
        return made

    def fixed_on(html: str) -> list[int]:
        return [sum(getattr(box, "text", None) == "FIXED"
                    for box in page._page_box.descendants(placeholders=True))
                for page in HTML(string=html).render().pages]

    body = "".join(f"<p style='break-before: page'>{n}</p>" for n in range(4))
    fixed = f"<html><body><div style='position: fixed; top: 0'>FIXED</div>{body}</body></html>"
    with monkeypatch.context() as patch:
        patch.setattr(layout.page, "make_page", marking_make_page)
        assert fixed_on(f"<html><body>{body}</body></html>") == [0, 0, 0, 0]
        assert marks and not any(marks)
        marks.clear()
        short = fixed_on(fixed)
        assert all(marks) and sum(short) >= 3, (marks, short)
    with monkeypatch.context() as patch:  # WeasyPrint's functions
        patch.setattr(layout.page, "make_page", speedups._make_page)
        patch.setattr(layout, "layout_fixed_boxes", speedups._layout_fixed_boxes)
        assert fixed_on(fixed) == short


def test_page_labels_and_metadata(built):
    reader = PdfReader(built["default"])
    labels = reader.page_labels
    first = labels.index("1")
    assert labels[:first] == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"][:first]
    assert labels[first:first + 3] == ["1", "2", "3"]
    info = reader.metadata
    assert info.title == "DeepSeek创始人梁文锋访谈实录"
    assert "梁文锋" in info.author and info.subject
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    outline = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert "关于技术创新与商业化" in outline


def test_file_identifier_is_the_book_and_a_fingerprint_of_the_file(built):
    data = built["default"].read_bytes()
    book_id, fingerprint = PdfReader(built["default"]).trailer["/ID"]
    assert book_id == "urn:uuid:dede99af-d86b-4230-8cfe"  # the first 32 bytes
    entry = f"/ID [({book_id}) ({fingerprint})]".encode()
    assert data.count(entry) == 1
    assert hashlib.md5(data.replace(entry, b"")).hexdigest() == fingerprint


def test_every_han_character_in_the_pdf_text(built):
    source = (ROOT / "manuscript" / "interview.md").read_text(encoding="utf-8")
    with pdfplumber.open(built["default"]) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    it = iter(ch for ch in text if is_han(ch))
    assert all(ch in it for ch in source if is_han(ch))


def test_footnote_at_the_foot_of_a_page(built):
    """The note is set at the foot of the page of its call, with its circled number
    (WeasyPrint 70 alone may move it to the next page to spare a paragraph an
    orphan: layout/block.py, "report footnotes"; weasy.footnotes stops that)."""
    with pdfplumber.open(built["typography"]) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    call = next(i for i, text in enumerate(pages) if "手艺①" in text.replace("\n", ""))
    foot = [i for i, text in enumerate(pages) if "① 这是一个脚注" in text]
    assert foot and foot[0] == call
    note_line = next(line for line in pages[foot[0]].split("\n") if "这是一个脚注" in line)
    assert pages[foot[0]].split("\n").index(note_line) >= len(pages[foot[0]].split("\n")) - 3


def test_a_long_footnote_wraps_inside_the_text_block(tmp_path):
    """A note longer than a line (English, so no CJK break opportunities help it)
    wraps at the foot of the page: every character of it lies left of the
    body's right edge, on more than one line."""
    note = ("This note is long enough to need three lines at the foot of an A5 page, "
            "where the print edition sets it, in words that wrap like any others.")
    book = write_manuscript(tmp_path / "book", {
        "a.md": f"# One\n\nA sentence with a note.[^n]\n\n[^n]: {note}\n"})
    out = pdf.write(read(book), tmp_path / "out", OPTIONS)
    with pdfplumber.open(out) as doc:
        page = next(p for p in doc.pages if "wrap like" in (p.extract_text() or ""))
        body_right = max(c["x1"] for c in page.chars if c["text"] in "sentence")
        note_chars = [c for c in page.chars if c["top"] > page.height / 2 and c["size"] < 9]
    assert len({round(c["top"]) for c in note_chars}) >= 2
    assert max(c["x1"] for c in note_chars) <= body_right + 1


def test_bleed_and_marks(built):
    reader = PdfReader(built["bleed"])
    page = reader.pages[0]
    width = float(page.mediabox.width)
    trim = page.trimbox
    assert abs(float(trim.width) - 130 * pdf.MM) < 0.5
    assert width > float(trim.width) + 2 * 3 * pdf.MM - 0.5


def test_text_layer_has_nothing_added(built):
    with pdfplumber.open(built["default"]) as doc:
        text = "".join(page.extract_text(x_tolerance=1) or "" for page in doc.pages)
    assert "大部分中国公司都选择既要模型又要应用" in text.replace("\n", "")


# --- checks that need no full build ------------------------------------------------------


def test_extension_checks_weasyprint_version(monkeypatch):
    import weasyprint
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    with pytest.raises(pdf.PrintError, match=r"weasyprint 99\.0 \(written for 70\.0\)"):
        weasy.check_versions()


def test_extension_checks_every_internal_it_needs(monkeypatch):
    from weasyprint.layout import inline

    from publish.errors import JustifyError
    weasy.check_internals()
    monkeypatch.delattr(inline, "count_expandable_spaces")
    with pytest.raises(JustifyError, match="layout.inline:count_expandable_spaces"):
        weasy.check_internals()


def test_extension_is_installed_after_a_build(built):
    from weasyprint.layout import inline
    assert justify.installed()
    assert inline.justify_line is justify.justify_line


@pytest.mark.parametrize("text, skip_last, expected", [
    ("", False, set()),
    ("中文。", False, {0, 3, 6}),
    ("中文。", True, {0, 3}),
    ("他说：“好。”", True, {0, 3, 9, 12}),  # ：“ and 。” compress, so ： and 。 are held
    ("问：“何？”", False, {0, 6, 9, 15}),  # ？” too: ？ is held, as is ： before “
    ("a 中文 b", False, {2}),  # 文 is held: the space after it stretches
    ("abc", False, set()),
    ("é𠮷字", False, {2, 6}),  # two- and four-byte characters
])
def test_characters_that_take_the_spacing(text, skip_last, expected):
    spaced = justify._spaced_bytes(text, None, skip_last)
    assert len(spaced) == len(text.encode())
    assert {i for i, flag in enumerate(spaced) if flag} == expected


def test_font_data_is_read_only_when_asked(built):
    from weasyprint.pdf import fonts
    assert fontdata.installed()
    assert isinstance(vars(fonts.Font)["file_content"], fontdata._FileContent)

    reads = []

    class Face:
        file_content = fontdata._FileContent(lambda face: reads.append(face) or b"OTTO...")
        hb_face = "face"

    face = Face()
    face.file_content = None  # what Font.__init__ stores now
    assert reads == []
    assert face.file_content[:4] == b"OTTO" and reads == ["face"]
    assert face.file_content[:4] == b"OTTO"  # read once
    assert reads == ["face"]
    face.file_content = b"subset"  # what the subsetter stores
    assert face.file_content == b"subset"


@pytest.mark.parametrize("value, expected", [
    ("a5", (148.0, 210.0)), ("32开", (130.0, 184.0)), ("大32开", (140.0, 203.0)),
    ("16k", (185.0, 260.0)), ("6x9in", (152.4, 228.6)), ("140x203mm", (140.0, 203.0)),
])
def test_trim_sizes(value, expected):
    assert pdf.parse_trim(value) == expected


def test_unknown_trim_size():
    with pytest.raises(pdf.PrintError, match="unknown trim size 'b9'"):
        pdf.parse_trim("b9")


@pytest.mark.parametrize("trim", list(pdf.TRIMS))
def test_text_block_is_a_grid(trim):
    g = pdf.page_geometry(pdf.TRIMS[trim])
    landscape = g.width > g.height  # KDP's 8.25x6in: 18 lines of 五号
    assert g.chars >= 20 and g.lines >= (15 if landscape else 20)
    assert g.outer > g.inner > 0 and g.bottom > g.top > 0
    width = g.inner + g.outer + g.measure
    assert abs(width - g.width * pdf.MM) < 0.01


def test_missing_glyphs_are_an_error(tmp_path):
    """No font has U+E000 (private use); 𪜶 (U+2A736) is Han but not in the SC faces, and
    a fallback face would set it in another style: both stop the build."""
    book_dir = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n私用区\ue000字。\n\n罕见字𪜶。"})
    with pytest.raises(pdf.PrintError) as e:
        pdf.write(read(book_dir), tmp_path / "out", OPTIONS)
    message = e.value.message
    assert "U+E000" in message and "a.md:3" in message
    assert "U+2A736" in message and "a.md:5" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("harfbuzz", [True, False])
def test_missing_characters_harfbuzz_and_fonttools_agree(harfbuzz, monkeypatch):
    if not harfbuzz:
        monkeypatch.setattr(fonts, "_harfbuzz_subset", lambda: None)
    face = fonts.find_font(fonts.BODY_FAMILY)
    assert fonts.missing_characters(face, "中文，English 𠮷\ue000\U0002a736") == {
        "\ue000", "\U0002a736"}


def test_other_scripts_may_come_from_other_fonts(tmp_path):
    """A Tamil letter or a symbol that the CJK faces lack is set from another installed font."""
    book_dir = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n泰米尔字母ஷ，符号𝌆。"})
    assert pdf.write(read(book_dir), tmp_path / "out", OPTIONS).is_file()


def test_missing_glyphs_allowed(tmp_path, warnings_logged):
    book_dir = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n私用区\ue000字。"})
    path = pdf.write(read(book_dir), tmp_path / "out",
                     m.BuildOptions(theme_dir=OPTIONS.theme_dir,
                                    values={"allow_missing_glyphs": True}))
    assert path.is_file()
    assert any("U+E000" in w for w in warnings_logged())


def test_nothing_is_fetched_from_outside(tmp_path, warnings_logged):
    theme = tmp_path / "book" / "styles" / "evil"
    write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n正文。"})
    theme.mkdir(parents=True)
    (theme / "base.css").write_text(
        '@import url("http://example.invalid/x.css");\n'
        'body { background: url("file:///etc/hostname"); }\n', encoding="utf-8")
    (theme / "print.css").write_text("", encoding="utf-8")
    # The theme's references are checked before layout: a remote one is an error
    # naming the CSS file and line, and nothing is fetched.
    with pytest.raises(PublishError, match=r"base.css:1: 'http://example.invalid/x.css': a "
                                           "theme may only use files in its own folder"):
        pdf.write(read(tmp_path / "book"), tmp_path / "out",
                  m.BuildOptions(theme_dir=theme_dir("evil", tmp_path / "book")))
    (theme / "base.css").write_text('body { background: url("file:///etc/hostname"); }\n',
                                    encoding="utf-8")
    with pytest.raises(PublishError, match="base.css:1: 'file:///etc/hostname'"):
        pdf.write(read(tmp_path / "book"), tmp_path / "out",
                  m.BuildOptions(theme_dir=theme_dir("evil", tmp_path / "book")))


def test_ruby_sits_over_its_base_and_dots_under_theirs(built):
    with pdfplumber.open(built["typography"]) as doc:
        page = next(p for p in doc.pages if "着重号" in (p.extract_text() or "").replace("\n", ""))
        chars = page.chars
    base = next(c for c in chars if c["text"] == "汉" and c["size"] > 10)
    annotation = [c for c in chars if c["text"] in "hàn" and c["size"] < 6]
    assert annotation, "no ruby text"
    middle = (min(c["x0"] for c in annotation) + max(c["x1"] for c in annotation)) / 2
    assert base["x0"] <= middle <= base["x1"]
    assert max(c["bottom"] for c in annotation) <= base["top"] + 1
    # Emphasis dots are drawn (a background per character), not added to the text.
    assert "着重号也要能显示" in (page.extract_text() or "").replace("\n", "")


def test_an_emoji_prints_in_colour_and_stays_in_the_epub(tmp_path):
    """A technical book's 🚨 and ✅: set in the colour emoji face (a bitmap glyph,
    drawn as an image), not stopped by the glyph check; the EPUB keeps the text."""
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n注意 🚨 警告，✅ 完成。\n"})
    out = pdf.write(read(book), tmp_path / "out", OPTIONS)
    with pdfplumber.open(out) as doc:
        page = next(p for p in doc.pages if "警告" in (p.extract_text() or ""))
        faces = {c["text"]: c["fontname"] for c in page.chars}
        assert "Emoji" in faces["🚨"] and "Emoji" in faces["✅"]
        assert "Emoji" not in faces["警"]
        assert page.images  # the colour bitmap glyphs


def test_a_missing_emoji_face_is_named(tmp_path, monkeypatch):
    from publish.writers.pdf import glyphs
    monkeypatch.setattr(glyphs, "installed_font_covers", lambda ch: False)
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n注意 🚨。\n"})
    with pytest.raises(PublishError, match="fonts-noto-color-emoji"):
        pdf.write(read(book), tmp_path / "out", OPTIONS)
