"""Block quotations: the attribution on a line of its own (``——佚名``,
``— Author``), in every edition.

The convention is the printed book's: a quotation closes with its source
after a dash, set flush right on a line of its own (GB/T 15834's 破折号 before
the source of a quotation; Chicago Manual of Style 13.34, an em dash before
the source of an epigraph).  A dash inside the quotation's text is no
attribution, nor is a quotation that is only a dash line.
"""

from __future__ import annotations

import re

import pytest
from conftest import write_manuscript

from publish import model as m
from publish.reader import read
from publish.writers import txt
from publish.writers.pdf.document import PrintRenderer
from publish.xhtml import Renderer


def quotes_of(folder, text: str, language: str = "zh-Hans") -> list[m.BlockQuote]:
    book = read(write_manuscript(folder, {"book.toml": f'title = "引"\nlanguage = "{language}"\n',
                                          "a.md": "# 一\n\n" + text}))
    return [b for b in book.chapters[0].blocks if isinstance(b, m.BlockQuote)]


def said(quote: m.BlockQuote) -> tuple[list[str], str]:
    return [m.plain_text(b.inlines) for b in quote.blocks], m.plain_text(quote.attribution)


@pytest.mark.parametrize("source, text, by", [
    # the last line, after a soft break (which would run it on: no space between Han)
    ("> 天下难事，必作于易。\n> ——老子", ["天下难事，必作于易。"], "——老子"),
    # a paragraph of its own
    ("> 路漫漫其修远兮。\n>\n> ——屈原《离骚》", ["路漫漫其修远兮。"], "——屈原《离骚》"),
    # after a hard line break
    ("> 硬换行。  \n> ——佚名", ["硬换行。"], "——佚名"),
    # hyphens typed for the dash become the dash of the text they open
    ("> 一句话。\n> --佚名", ["一句话。"], "——佚名"),
    ("> 一句话。\n> ―― 鲁迅", ["一句话。"], "―― 鲁迅"),
    # markup in the attribution
    ("> 引文。\n> —— *《某书》*，第 3 页", ["引文。"], "——《某书》，第 3 页"),
])
def test_a_last_line_opening_with_a_dash_is_the_attribution(tmp_path, source, text, by):
    (quote,) = quotes_of(tmp_path, source)
    assert said(quote) == (text, by)


@pytest.mark.parametrize("source, by", [
    ("> The only way is to love what you do.\n> -- Steve Jobs", "— Steve Jobs"),
    ("> Brevity is the soul of wit.\n>\n> ---William Shakespeare, *Hamlet*",
     "—William Shakespeare, Hamlet"),
    ("> Tempus edax rerum.\n> ― Ovid", "― Ovid"),
    ("> Tempus edax rerum.\n> — Ovid", "— Ovid"),
])
def test_english_attributions(tmp_path, source, by):
    (quote,) = quotes_of(tmp_path, source, "en")
    assert m.plain_text(quote.attribution) == by
    assert "Ovid" not in m.blocks_text(quote.blocks) and "—" not in m.blocks_text(quote.blocks)


@pytest.mark.parametrize("source", [
    "> 学而不思则罔，思而不学则殆。",                                # no dash
    "> 只有破折号开头的一段\n> 不是署名：——这是正文里的破折号。",      # a dash inside a line
    "> ——整段以破折号开头，但只有一段。",                              # nothing before it
    "> 第一行\n> ——第二行以破折号开头\n> 第三行不是",                  # not the last line
    "> 引文\n> ——",                                                  # a dash and no name
    "> 引文\n> ----",                                                # a rule, not a dash
    "> 引文\n>\n> - 列表项",                                          # a list item
    "> Il se leva.\n>\n> — Chez moi, dit-il, et il partit.",           # a line of dialogue
    "> 他走到门口。\n>\n> ——他说完便走了，头也不回。",                  # a sentence
    "> Lancez l'outil avec\n> --verbose",                             # an option typed
])
def test_no_attribution(tmp_path, source):
    (quote,) = quotes_of(tmp_path, source)
    assert quote.attribution == ()
    assert "——" not in source or "——" in m.blocks_text(quote.blocks)  # the text keeps its dash
    assert "--verbose" not in source or "--verbose" in m.blocks_text(quote.blocks)


def test_a_nested_quotation_has_its_own(tmp_path):
    (outer,) = quotes_of(tmp_path, "> 外层。\n>\n> > 内层。\n> > ——内层的出处\n>\n> ——外层的出处")
    inner = next(b for b in outer.blocks if isinstance(b, m.BlockQuote))
    assert said(inner) == (["内层。"], "——内层的出处")
    assert m.plain_text(outer.attribution) == "——外层的出处"


def test_xhtml_sets_it_last_in_the_quotation(tmp_path):
    book = read(write_manuscript(tmp_path, {"a.md": "# 一\n\n> 天下难事。\n> ——老子\n"}))
    for renderer in (Renderer(book, lambda t: f"#{t}", lambda s: s), PrintRenderer(book)):
        html = renderer.chapter(book.chapters[0]).replace("\u2060", "")
        html = re.sub(r' data-page-at="[^"]*"', "", html)  # the print pages' places
        assert '<p>天下难事<span class="punct">。</span></p>\n<p class="attribution">——老子</p>\n</blockquote>' in html


def test_text_edition_sets_it_flush_right_on_its_own_line(tmp_path):
    book = read(write_manuscript(tmp_path, {"a.md": "# 一\n\n> 天下难事，必作于易。\n> ——老子\n"}))
    lines = txt.render(book, m.BuildOptions(values={"width": 40})).splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("——老子"))
    assert lines[at - 1].strip() == "天下难事，必作于易。"       # right under the last line
    assert txt.display_width(lines[at]) == 40                    # ends at the width
    unwrapped = txt.render(book).splitlines()
    assert "    ——老子" in unwrapped                               # no width: where the quote is


def test_the_faces_of_a_chinese_quotation():
    """The characters the Kai face sets (for the tofu gate and the EPUB's
    embedded subset): a Chinese quotation's text, not its bold text, its
    emphasis (the body face, the contrast with Kai) or its English runs."""
    from publish.fonts import face_characters

    body = ('<body><blockquote><p>天下<strong>粗体</strong><em><span class="cjk">强调</span>'
            '</em><span lang="en">Python</span></p><p class="attribution">——佚名</p>'
            '</blockquote><p>正文</p></body>')
    kai = face_characters([body], "zh-Hans")[("LXGW WenKai", False)]
    assert set("天下佚名") <= kai and not kai & set("粗体强调Python正文")
    tw = face_characters([body], "zh-Hant")[("AR PL UKai TW", False)]
    assert set("天下佚名") <= tw
    english = face_characters([body.replace("<blockquote>", '<blockquote lang="en">')], "zh-Hans")
    assert not english.get(("LXGW WenKai", False), set()) & set("天下")
    latin_book = face_characters([body], "en")
    assert not any(family.startswith(("LXGW", "AR PL")) and chars & set("天下")
                   for (family, _), chars in latin_book.items())


def test_quotation_css_names_the_kai_face_of_the_language():
    from publish.fontcss import font_css, quote_css

    assert quote_css("en") == [] and quote_css("ja") == []
    rules = font_css("", "", False, ["zh-Hant"])
    assert 'blockquote:lang(zh-Hant) { font-family: "AR PL UKai TW"' in rules
    assert 'blockquote:lang(zh-Hant) strong' in rules  # bold in the body face
    passage = font_css("", "", False, ["zh-Hans", "zh-Hant"])
    assert 'blockquote:lang(zh-Hant) { font-family: "AR PL UKai TW"' in passage
