"""The XHTML renderers, model in and markup out: the shared one (what the EPUB
uses) and the print one (what WeasyPrint lays out).  Models are built here in
code; the markup is read back as XML and checked for what a reader would see."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from publish import model as m
from publish.writers.pdf.document import PrintRenderer, document
from publish.xhtml import Renderer, chapter_label_for, iri_to_uri

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
NS = {"x": XHTML, "epub": OPS}
EPUB_TYPE = f"{{{OPS}}}type"
WORD_JOINER = "\u2060"


def book(*chapters: m.Chapter, language: str = "zh-Hans") -> m.Book:
    return m.Book(m.Meta("书名", "book", language=language), None, chapters)


def chapter(*blocks: m.Block, title: tuple[m.Inline, ...] = (m.Text("开端"),),
            notes: tuple[m.Note, ...] = ()) -> m.Chapter:
    return m.Chapter("ch01", title, blocks, notes=notes, number=1)


def para(*inlines: m.Inline) -> m.Paragraph:
    return m.Paragraph(inlines)


def note(*blocks: m.Block) -> m.Note:
    return m.Note("ch01-n1", 1, blocks)


CALL = m.NoteRef("ch01-n1", 1)


def screen(b: m.Book) -> Renderer:
    return Renderer(b, href=lambda target: f"#{target}", image_href=lambda src: src)


def parse(html: str) -> ET.Element:
    """Rendered markup as elements, in a wrapper declaring its namespaces."""
    return ET.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="{OPS}">{html}</div>')


def rendered(renderer: Renderer, ch: m.Chapter) -> ET.Element:
    return parse(renderer.chapter(ch))


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def only(found: list[ET.Element]) -> ET.Element:
    assert len(found) == 1, found
    return found[0]


# --- note calls ---------------------------------------------------------------------


def test_a_note_call_links_to_an_endnote_that_links_back_in_the_epub():
    ch = chapter(para(m.Text("正文有注"), CALL, m.Text("。")),
                 notes=(note(para(m.Text("注文"))),))
    html = rendered(screen(book(ch)), ch)
    call = only(html.findall("x:section/x:p/x:a", NS))
    assert (call.get(EPUB_TYPE), call.get("href"), call.text) == ("noteref", "#ch01-n1", "1")
    notes = only(html.findall(".//x:section[@class='notes']", NS))
    assert notes.get(EPUB_TYPE) == "endnotes"
    endnote = only(notes.findall(".//x:li", NS))
    assert endnote.get("id") == "ch01-n1" and "注文" in text_of(endnote)
    back = only(endnote.findall(".//x:a", NS))
    assert back.get("href") == f"#{call.get('id')}"  # back to where it was called


def test_a_note_no_text_calls_has_nothing_to_go_back_to():
    ch = chapter(para(m.Text("正文")), notes=(note(para(m.Text("孤注"))),))
    endnote = only(rendered(screen(book(ch)), ch).findall(".//x:li[@id='ch01-n1']", NS))
    assert not endnote.findall(".//x:a", NS)
    assert text_of(endnote).startswith("1.")


def test_a_note_call_is_a_footnote_float_glued_to_its_word_in_print():
    ch = chapter(para(m.Text("正文有注"), CALL, m.Text("。")),
                 notes=(note(para(m.Text("注文"))),))
    html = rendered(PrintRenderer(book(ch)), ch)
    assert not html.findall(".//x:a", NS)
    assert not html.findall(".//x:section[@class='notes']", NS)  # no list closes the chapter
    glue = only(html.findall(".//x:p/x:span[@class='nowrap']", NS))
    assert glue.text == "注"  # the character before the call: no line starts with a call
    float_ = only(glue.findall("x:span[@class='footnote']", NS))
    assert text_of(float_) == "注文"
    assert text_of(only(html.findall(".//x:p", NS))).replace(WORD_JOINER, "") == "正文有注注文。"


def test_a_note_of_several_blocks_floats_as_lines_in_print():
    listed = m.ListBlock(False, ((para(m.Text("其一")),), (para(m.Text("其二")),)))
    ch = chapter(para(m.Text("见注"), CALL), notes=(note(para(m.Strong((m.Text("甲"),))), listed),))
    float_ = only(rendered(PrintRenderer(book(ch)), ch).findall(".//x:span[@class='footnote']",
                                                                NS))
    assert float_.find("x:strong", NS).text == "甲"  # a paragraph keeps its markup
    assert len(float_.findall("x:br", NS)) == 1
    assert text_of(float_) == "甲其一\n其二"  # a list is its text, a line per item


def test_gluing_a_call_never_splits_markup_or_an_escape():
    ch = chapter(para(m.Emph((m.Text("强调"),)), CALL), para(m.Text("甲<"), CALL),
                 notes=(note(para(m.Text("注"))),))
    html = rendered(PrintRenderer(book(ch)), ch)  # well-formed, or this would raise
    emphasis, escaped = html.findall(".//x:p", NS)
    assert text_of(only(emphasis.findall("x:em", NS))) == "强调"
    assert text_of(emphasis).replace(WORD_JOINER, "") == "强调注"
    assert text_of(escaped).replace(WORD_JOINER, "") == "甲<注"


# --- headings -------------------------------------------------------------------------


def test_a_title_holding_a_note_keeps_the_call_but_not_in_the_contents():
    ch = chapter(title=(m.Text("开端"), CALL), notes=(note(para(m.Text("题注"))),))
    r = screen(book(ch))
    h1 = only(rendered(r, ch).findall(".//x:h1", NS))
    assert only(h1.findall("x:a", NS)).get(EPUB_TYPE) == "noteref"
    entry = only(parse(r.toc()).findall(".//x:li/x:a", NS))
    assert (entry.get("href"), text_of(entry)) == ("#ch01", "开端")


def test_a_print_title_holding_a_note_gives_its_running_head_without_the_call():
    titled = chapter(title=(m.Text("开端"), CALL), notes=(note(para(m.Text("题注"))),))
    plain = chapter()
    r = PrintRenderer(book(titled))
    h1 = only(parse(r.chapter(titled, "第一章")).findall(".//x:h1", NS))
    assert 'string-set: chapter-title "第一章开端"' in h1.get("style")
    assert 'bookmark-label: "第一章开端"' in h1.get("style")
    assert text_of(h1) == "第一章开端题注"  # the float stays in the heading itself
    assert only(parse(r.chapter(plain)).findall(".//x:h1", NS)).get("style") is None


def test_a_chapter_label_stands_before_the_title():
    ch = chapter()
    h1 = only(parse(screen(book(ch)).chapter(ch, "第一章\u3000")).findall(".//x:h1", NS))
    assert h1.find("x:span[@class='label']", NS).text == "第一章"
    assert h1.find("x:span[@class='label-separator']", NS).text == "\u3000"
    assert text_of(h1) == "第一章\u3000开端"


def test_a_part_label_stands_before_the_title_as_a_chapters_does():
    part = m.Part("part1", (m.Text("Beginnings"),), (chapter(),))
    b = m.Book(m.Meta("Book", "book", language="en"), None, (part,))
    r = Renderer(b, href=lambda t: f"#{t}", image_href=str, chapter_unit="chapter")
    h1 = only(parse(r.part(part)).findall(".//x:h1", NS))
    assert h1.find("x:span[@class='label']", NS).text == "Part One"
    assert h1.find("x:span[@class='label-separator']", NS).text == "\u2003"
    assert text_of(h1) == "Part One\u2003Beginnings"


# --- blocks and inlines -----------------------------------------------------------------


@pytest.mark.parametrize("make", [screen, PrintRenderer], ids=["epub", "print"])
def test_a_dialogue_turn_names_its_speaker_then_continues(make):
    turn = m.Dialogue("记者", (para(m.Text("你们怎么看？")), para(m.Text("再说一句。"))))
    html = rendered(make(book(chapter(turn))), chapter(turn))
    dialogue = only(html.findall(".//x:div[@class='dialogue']", NS))
    first, rest = dialogue.findall("x:p", NS)
    assert first.get("class") == "turn"
    assert first.find("x:span[@class='speaker']", NS).text == "记者："
    assert text_of(first).replace(WORD_JOINER, "") == "记者：你们怎么看？"
    assert rest.get("class") == "turn-cont"
    assert text_of(rest).replace(WORD_JOINER, "") == "再说一句。"


def test_ruby_is_ruby_in_the_epub_and_stacked_spans_in_print():
    ch = chapter(para(m.Ruby("汉", "hàn")))
    ruby = only(rendered(screen(book(ch)), ch).findall(".//x:ruby", NS))
    assert ruby.text == "汉" and ruby.find("x:rt", NS).text == "hàn"
    assert [rp.text for rp in ruby.findall("x:rp", NS)] == ["（", "）"]  # for readers without ruby
    printed = rendered(PrintRenderer(book(ch)), ch)
    assert not printed.findall(".//x:ruby", NS)
    stack = only(printed.findall(".//x:span[@class='ruby']", NS))
    assert [(s.get("class"), s.text) for s in stack] == [("rt", "hàn"), ("rb", "汉")]


def test_print_holds_a_paragraphs_last_two_characters_together():
    ch = chapter(para(m.Text("苟日新，日日新。")))
    printed = text_of(only(rendered(PrintRenderer(book(ch)), ch).findall(".//x:p", NS)))
    assert printed == f"苟日新，日日{WORD_JOINER}新。"  # no line of one character (孤字)
    shown = text_of(only(rendered(screen(book(ch)), ch).findall(".//x:p", NS)))
    assert shown == "苟日新，日日新。"


def test_han_and_latin_get_a_space_across_markup():
    ch = chapter(para(m.Text("用"), m.Strong((m.Text("Python"),)), m.Text("写")))
    assert text_of(only(rendered(screen(book(ch)), ch).findall(".//x:p", NS))) == "用 Python 写"


def test_latin_runs_are_english_in_a_chinese_book_only():
    ch = chapter(para(m.Text("他说 hello world 就走了")))
    marked = rendered(screen(book(ch)), ch).findall(".//x:span[@lang='en']", NS)
    assert [s.text for s in marked] == ["hello world"]
    english = chapter(para(m.Text("He said hello")))
    assert not rendered(screen(book(english, language="en")), english).findall(".//x:span", NS)


def test_text_is_escaped():
    ch = chapter(para(m.Text("a<b & c>d")), m.CodeBlock("if a < b && c:\n    pass", "python"))
    html = rendered(screen(book(ch)), ch)
    assert text_of(only(html.findall(".//x:p", NS))) == "a<b & c>d"
    code = only(html.findall(".//x:pre/x:code", NS))
    # (highlighted: the text is that of the code and its token spans)
    assert (code.get("class"), "".join(code.itertext())) == ("language-python",
                                                              "if a < b && c:\n    pass")


def test_links_go_through_href_or_are_percent_encoded():
    ch = chapter(para(m.Link((m.Text("下文"),), "#ch02-s1"),
                      m.Link((m.Text("例子"),), "https://例子.测试/路 径", title="外链")))
    r = Renderer(book(ch), href=lambda target: f"ch02.xhtml#{target}", image_href=lambda s: s)
    inner, outer = rendered(r, ch).findall(".//x:a", NS)
    assert inner.get("href") == "ch02.xhtml#ch02-s1"
    assert outer.get("href") == "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%20%E5%BE%84"
    assert outer.get("title") == "外链"


def test_images_go_through_image_href():
    ch = chapter(m.Figure("images/my pic.png", "一幅图", (m.Text("图一"),)),
                 para(m.Image("a.png", "小图")))
    packed = {"images/my pic.png": "images/001.png", "a.png": "images/002.png"}
    html = rendered(Renderer(book(ch), href=lambda t: f"#{t}", image_href=packed.get), ch)
    figure = only(html.findall(".//x:figure", NS))
    assert figure.find("x:img", NS).attrib == {"src": "images/001.png", "alt": "一幅图"}
    assert figure.find("x:figcaption", NS).text == "图一"
    assert only(html.findall(".//x:p/x:img", NS)).attrib == {"src": "images/002.png",
                                                             "alt": "小图"}


# --- the print document ----------------------------------------------------------------


def test_the_print_document_counts_pages_from_the_first_part_and_labels_chapters():
    chapters = tuple(m.Chapter(f"ch0{n}", (m.Text(t),), (para(m.Text("正文")),), number=n)
                     for n, t in ((1, "开端"), (2, "发展")))
    b = m.Book(m.Meta("书名", "book", date="2024-01-02"), m.Chapter("front", ()),
               (m.Part("part1", (m.Text("上卷"),), chapters),))
    markup = document(b, m.BuildOptions(values={"chapter_label": "章"}))
    # WeasyPrint reads it as HTML, where epub:type needs no declared prefix; XML does.
    html = ET.fromstring(markup.replace("<html ", f'<html xmlns:epub="{OPS}" ', 1))
    body = only(html.findall("x:body", NS))
    assert body.get("class") == "has-parts"
    sections = {s.get("id"): s.get("class").split() for s in body.iter(f"{{{XHTML}}}section")
                if s.get("id")}
    assert [k for k, classes in sections.items() if "mainmatter-start" in classes] == ["part1"]
    assert [text_of(h) for h in body.findall(".//x:h1[@class='chapter-title']", NS)] == [
        "第一章\u3000开端", "第二章\u3000发展"]
    toc = [text_of(a) for a in body.findall(".//x:nav/x:ol/x:li/x:a", NS)]
    assert toc == ["上卷", "第一章\u3000开端", "第二章\u3000发展"]


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("iri", "uri"), [
    ("https://例子.测试/路 径", "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%20%E5%BE%84"),
    ("https://example.com/a b?q=一#二", "https://example.com/a%20b?q=%E4%B8%80#%E4%BA%8C"),
    ("https://example.com/x%20y", "https://example.com/x%20y"),  # already encoded: stays
    ("https://user@例子.测试:8080/", "https://user@xn--fsqu00a.xn--0zwm56d:8080/"),
    ("  https://example.com/plain  ", "https://example.com/plain"),
    ("mailto:编辑@example.com", "mailto:%E7%BC%96%E8%BE%91@example.com"),
])
def test_iri_to_uri(iri, uri):
    assert iri_to_uri(iri) == uri


@pytest.mark.parametrize(("number", "unit", "label"), [
    (3, "章", "第三章\u3000"),
    (12, "回", "第十二回\u3000"),
    (3, "", ""),          # the book asks for no label
    (None, "章", ""),     # front matter has no number
])
def test_chapter_label_for(number, unit, label):
    assert chapter_label_for(m.Chapter("ch", (m.Text("题"),), number=number), unit) == label
