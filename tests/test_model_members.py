"""Every member of the closed unions ``Block`` and ``Inline`` goes through every
consumer of the model — dump, the XHTML renderer (screen and print), the text
edition, the outline, the plain-text views and the PDF's glyph check — and its
text comes out of each.  A type added to the model but not handled somewhere
fails here (the factories below must name every member)."""

from __future__ import annotations

import struct
import zlib
from typing import get_args

import pytest

from publish import model as m
from publish.dump import dump
from publish.outline import outline
from publish.writers import pdf, txt
from publish.writers.pdf.document import PrintRenderer
from publish.xhtml import Renderer

# One instance of each inline, each carrying its own marker text.
INLINES = {
    m.Text: lambda: m.Text("文本甲"),
    m.Emph: lambda: m.Emph((m.Text("强调乙"),)),
    m.Strong: lambda: m.Strong((m.Text("加粗丙"),)),
    m.Dotted: lambda: m.Dotted((m.Text("着重丁"),)),
    m.Superscript: lambda: m.Superscript((m.Text("上标戊"),)),
    m.Subscript: lambda: m.Subscript((m.Text("下标己"),)),
    m.Strikeout: lambda: m.Strikeout((m.Text("删除庚"),)),
    m.Underline: lambda: m.Underline((m.Text("下划辛"),)),
    m.Code: lambda: m.Code("代码壬"),
    m.Link: lambda: m.Link((m.Text("链接癸"),), "https://example.test/"),
    m.Image: lambda: m.Image("i.png", "图片子"),
    m.Ruby: lambda: m.Ruby("汉", "注音丑"),
    m.NoteRef: lambda: m.NoteRef("ch01-n1", 1),
    m.LineBreak: lambda: m.LineBreak(),
    m.Abbr: lambda: m.Abbr((m.Text("缩写甲甲"),), "全称"),
    m.Span: lambda: m.Span((m.Text("外语乾"),), "ja"),
    # Latin TeX: the math face has no Han (the glyph check below would stop it).
    m.Math: lambda: m.Math(r"\omega_{7}"),
}
INLINE_TEXTS = ["文本甲", "强调乙", "加粗丙", "着重丁", "上标戊", "下标己", "删除庚", "下划辛",
                "代码壬", "链接癸", "图片子", "注音丑", "缩写甲甲", "外语乾", "omega_{7}"]


def every_inline() -> tuple[m.Inline, ...]:
    return tuple(make() for make in INLINES.values())


BLOCKS = {
    m.Paragraph: lambda: m.Paragraph(every_inline()),
    m.Dialogue: lambda: m.Dialogue("记者", (m.Paragraph((m.Text("对话寅"),)),)),
    m.BlockQuote: lambda: m.BlockQuote((m.Paragraph((m.Text("引文卯"),)),),
                                       attribution=(m.Text("署名己己"),)),
    m.ListBlock: lambda: m.ListBlock(True, ((m.Paragraph((m.Text("列表辰"),)),),)),
    m.CodeBlock: lambda: m.CodeBlock("代码块巳", "text"),
    m.Table: lambda: m.Table(((m.Text("表头午"),),), (((m.Text("表格未"),),),), ("",)),
    m.Figure: lambda: m.Figure("i.png", "插图申", (m.Text("图注酉"),)),
    m.SceneBreak: lambda: m.SceneBreak(),
    m.Heading: lambda: m.Heading(4, (m.Text("标题戌"),)),
    m.DefinitionList: lambda: m.DefinitionList((m.DefinitionItem(
        ((m.Text("术语乙乙"),),), ((m.Paragraph((m.Text("释义丙丙"),)),),)),)),
    m.Admonition: lambda: m.Admonition("tip", (m.Text("提示丁丁"),),
                                       (m.Paragraph((m.Text("提醒戊戊"),)),)),
}
BLOCK_TEXTS = ["对话寅", "引文卯", "列表辰", "代码块巳", "表头午", "表格未", "图注酉", "标题戌",
               "术语乙乙", "释义丙丙", "提示丁丁", "提醒戊戊", "署名己己"]


def test_the_factories_name_every_member():
    assert set(INLINES) == set(get_args(m.Inline))
    assert set(BLOCKS) == set(get_args(m.Block))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> m.Book:
    root = tmp_path_factory.mktemp("members")
    (root / "i.png").write_bytes(_png())
    blocks = tuple(make() for make in BLOCKS.values())
    note = m.Note("ch01-n1", 1, (m.Paragraph((m.Text("脚注亥"),)),))
    chapter = m.Chapter("ch01", (m.Text("章题"),), blocks, notes=(note,), number=1)
    return m.Book(m.Meta("成员", "members"), None, (chapter,), root=root, manuscript=root)


def test_dump_shows_every_member(book):
    dumped = dump(book)
    for marker in INLINE_TEXTS + BLOCK_TEXTS + ["脚注亥"]:
        assert marker in dumped, marker


@pytest.mark.parametrize("print_edition", [False, True], ids=["screen", "print"])
def test_xhtml_renders_every_member(book, print_edition):
    renderer = (PrintRenderer(book) if print_edition
                else Renderer(book, lambda target: f"#{target}", lambda src: src))
    html = renderer.chapter(book.chapters[0]).replace("\u2060", "")  # 孤字's word joiner
    for marker in INLINE_TEXTS + BLOCK_TEXTS + ["脚注亥"]:
        assert marker in html, marker
    for tag in ("<em", "<strong", "<sup", "<sub", "<del", "<u>", "<code", "<a ", "<img",
                "<br/>", "<blockquote", "<ol", "<pre", "<table", "<figure", "<hr", "<h4",
                "<abbr", "<dl", "<dt>", "<dd>", 'class="admonition'):
        assert tag in html, tag


def test_text_edition_renders_every_member(book):
    text = txt.render(book)
    for marker in INLINE_TEXTS + BLOCK_TEXTS + ["脚注亥"]:
        assert marker in text, marker


def test_plain_text_views_keep_every_member(book):
    chapter = book.chapters[0]
    text = m.blocks_text(chapter.blocks)
    for marker in INLINE_TEXTS + BLOCK_TEXTS:
        assert marker in text or marker == "注音丑", marker  # ruby's plain text is its base


@pytest.mark.parametrize("kind", [*BLOCKS, *INLINES], ids=lambda kind: kind.__name__)
def test_the_outline_counts_every_member(book, kind):
    """Each member alone in a chapter: the outline counts its characters
    (none for a scene break, a line break or a note call, which hold no text)."""
    member = BLOCKS[kind]() if kind in BLOCKS else m.Paragraph((INLINES[kind](),))
    chapter = m.Chapter("ch01", (m.Text("章"),), (member,), number=1)
    counted = outline(m.Book(book.meta, None, (chapter,)))["chapters"][0]["chars"]
    assert (counted > 0) == (kind not in (m.SceneBreak, m.LineBreak, m.NoteRef)), counted


def test_the_glyph_check_sees_every_member(book):
    """The PDF's check finds a character no font has wherever it stands."""
    for kind, make in BLOCKS.items():
        block = _with_missing_glyph(make())
        chapter = m.Chapter("ch01", (m.Text("章"),), (block,), number=1)
        probe = m.Book(book.meta, None, (chapter,), root=book.root)
        html = pdf.document(probe, m.BuildOptions())
        if kind is m.SceneBreak:
            continue  # holds no text
        with pytest.raises(pdf.PrintError, match="no installed font"):
            pdf.check_glyphs(probe, html, False)


@pytest.mark.parametrize("kind", [k for k in INLINES if k not in (m.Image, m.NoteRef, m.LineBreak)],
                         ids=lambda kind: kind.__name__)
def test_the_glyph_check_sees_every_inline(book, kind):
    """Each inline that shows text, alone in a paragraph: the check passes,
    and stops the build once that text holds a character no font has (an
    image's alt text, a note call and a line break show none of their own)."""
    for block, stops in ((m.Paragraph((INLINES[kind](),)), False),
                         (_with_missing_glyph(m.Paragraph((INLINES[kind](),))), True)):
        chapter = m.Chapter("ch01", (m.Text("章"),), (block,), number=1)
        probe = m.Book(book.meta, None, (chapter,), root=book.root)
        html = pdf.document(probe, m.BuildOptions())
        if stops:
            with pytest.raises(pdf.PrintError, match="no installed font"):
                pdf.check_glyphs(probe, html, False)
        else:
            pdf.check_glyphs(probe, html, False)


def _with_missing_glyph(block: m.Block) -> m.Block:
    """``block`` with U+E000 (a private-use character no font has) in its text."""
    rendered = repr(block)
    marker = next((t for t in BLOCK_TEXTS + INLINE_TEXTS if t in rendered), None)
    if marker is None:
        return block
    return eval(rendered.replace(marker, marker + "\ue000"), vars(m))  # noqa: S307


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
