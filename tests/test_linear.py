"""The linear-time passes (publish/reader/linear/, typography's URL scanner) give what
the quadratic ones they replace gave: the same spans, the same HTML, and the
text of a hostile manuscript kept whole.  No timings here: the time is checked
by hand with benchmarks/bench_hostile.py."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as etree

import pytest
from markdown import Markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from publish.reader import read
from publish.reader.includes import directives
from publish.reader.linear.html import _LinearHTMLExtractor
from publish.reader.linear.patterns import LinearBacktickInlineProcessor
from publish.reader.markdown import NormalizeExtension, make_markdown
from publish.reader.names import DIALOGUE_CLASS
from publish.reader.punctuation import SmartPunctuationExtension
from publish.reader.syntax import syntax_extensions
from publish.reader.treeprocessors import (
    _BLANK,
    _BREAK_RE,
    _RAW_BLOCK_RE,
    DialogueTreeprocessor,
    SoftBreakTreeprocessor,
)
from publish.typography import _protected_spans, autospace, joins_without_space
from publish.writers import txt

# --- autospace -----------------------------------------------------------------

# The regular expression _protected_spans replaces (quadratic on long runs).
OLD_PROTECTED = re.compile(
    r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)[!-~]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+"
)
PIECES = [*"aZw.:/@_%+-1m中 ", "www.", "mailto", "://", "@b.c", "http", "é"]


def test_protected_spans_are_the_old_regex_spans():
    rnd = random.Random(11)
    for _ in range(20000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
        assert list(_protected_spans(text)) == [m.span() for m in OLD_PROTECTED.finditer(text)], text


@pytest.mark.parametrize("text", [
    "见https://example.com/a_b文档", "邮件a.b@c.de联系", "mailto:x@y.z中", "访问www.x.cn看",
    "1abc://x中", "a@b.c_d@e.f中", "a" * 5000 + "中", "中" + "a." * 3000 + "@x.y文",
])
def test_autospace_keeps_urls(text):
    spans = [m.span() for m in OLD_PROTECTED.finditer(text)]
    spaced = autospace(text)
    for start, end in spans:
        assert text[start:end] in spaced


# --- Python-Markdown, upstream against linear ---------------------------------

def upstream_markdown() -> Markdown:
    """make_markdown() without the linear replacements."""
    return Markdown(extensions=[FootnoteExtension(SEPARATOR="-", BACKLINK_TEXT=""),
                                TableExtension(), FencedCodeExtension(), SaneListExtension(),
                                NormalizeExtension(), *syntax_extensions(),
                                SmartPunctuationExtension()], output_format="html")


TOKENS = [
    "[", "]", "(", ")", "![", "[^1]", "[^2]", "[^x]", "\n\n[^1]: note *a*\n",
    "\n\n[^2]: two\n\n    more\n", "<a>", "</a>", "<b ", "<http://x.y>", "<a@b.c>", "&amp;",
    "&#65;", "&x", "\\", "\\[", "\\\\`", "`", "``", "```", "`a`", "*", "**", "_", "__", "  \n",
    "\n", "\n\n", " ", "x", "中文", '"', "'", "<", ">", "<!--", "-->", "[a]: http://r\n", "[a]",
    "[a][]", '[a](u "t")', "[a](<u>)", "<span>", "</span>", "<div>\n", "\n</div>", "=", "/",
    ",", "# ", "- ", "1. ", "> ", "|", "http://u.v/w", "<em>", "</em>", "<br>", "<A>", "</A >",
    # syntax.py's: strikeout, sub- and superscript, tasks, attributes, definitions, admonitions
    "~", "~~", "^", "2", "{#i .c}", "- [x] ", "- [ ] ", "\n: ", "\n*[x]: X\n", "\n!!! tip\n    ",
    "\n> [!NOTE]\n> ",
]


def test_same_html_as_upstream_on_random_snippets():
    upstream, linear = upstream_markdown(), make_markdown()
    rnd = random.Random(3)
    for _ in range(1500):
        text = "".join(rnd.choice(TOKENS) for _ in range(rnd.randint(1, 30)))
        assert linear.reset().convert(text) == upstream.reset().convert(text), text


@pytest.mark.parametrize("text", [
    "[a](x\"(",                                  # upstream ends this link at index -1
    "z [a](x\"( b [c](d) [e](f)",
    "a \\\\`b` \\\\\\\\`c` ``d`` `e",               # a code span right after an escaped \\
    "``a```a```a```a`",
    "x[^1] y[^1] z[^1] w[^2]\n\n[^1]: one\n[^2]: two",
    "<a>x<a>y</a> <b>z</B > <ſ>s</s>",
    "&amp; &#65; &copy; [a] [b][c] ![i](s.png) <http://a.b> <a@b.c>",
    "[a](b) [c](d \"t\") [e]((f)) [g](h'( [i](j) [k](<l> 'm') [n](o(p)q) [r](s\"t)u\")",
    "[a](" * 50 + "\"", "[a](" * 50 + ")", "[a](x'" + "(" * 5 + ")",
])
def test_same_html_as_upstream_on_odd_cases(text):
    assert make_markdown().convert(text) == upstream_markdown().convert(text)


def test_start_tag_shortcut_answers_as_the_parser():
    md = make_markdown()
    pieces = [*"<ab =/,\n\t`'\">x&;!-?", "<a ", "</a", "<b>", "</b>", "<div>", "</div>", "<!--"]
    rnd = random.Random(5)
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 16)))
        linear, upstream = _LinearHTMLExtractor(md), HTMLExtractor(md)
        linear.rawdata = upstream.rawdata = text
        for i in range(len(text) - 1):
            if text[i] == "<" and text[i + 1].isascii() and text[i + 1].isalpha():
                assert (linear.check_for_whole_start_tag(i)
                        == upstream.check_for_whole_start_tag(i)), (text, i)


def test_code_span_table_answers_as_upstream():
    linear, upstream = LinearBacktickInlineProcessor(BACKTICK_RE), BacktickInlineProcessor(BACKTICK_RE)
    rnd = random.Random(9)
    for _ in range(5000):
        text = "".join(rnd.choice("``` a\\") for _ in range(rnd.randint(1, 20)))
        for i, ch in enumerate(text):
            if ch == "`":
                assert linear.find_code_spans(i, text) == upstream.find_code_spans(i, text), (text, i)


# --- hostile manuscripts keep their text -----------------------------------------

def text_edition(tmp_path, body: str) -> str:
    source = tmp_path / "book.md"
    source.write_text("# 标题\n\n" + body + "\n", encoding="utf-8")
    return txt.render(read(source))


@pytest.mark.parametrize("unit, count", [
    ("[", 10000), ("![", 5000), ("[a](", 5000), ("<a ", 5000), ("<http://", 5000),
    ("[^", 5000), ("</a", 5000), ("<a, ", 2000), ("[a](x ", 3000),
])
def test_unmatched_openers_stay_text(tmp_path, unit, count):
    assert (unit * count).strip() in text_edition(tmp_path, unit * count)


def test_unclosed_links_before_a_quote_stay_text(tmp_path):
    body = "[a](" * 3000 + '"'
    # The quote closes the paragraph: a closing quotation mark (reader/punctuation.py).
    assert body[:-1] + "”" in text_edition(tmp_path, body)


def test_long_run_of_letters_is_kept(tmp_path):
    assert "a" * 100_000 in text_edition(tmp_path, "a" * 100_000)


def test_entities_decode(tmp_path):
    assert "&" * 10000 in text_edition(tmp_path, "&amp;" * 10000)


def test_many_links_keep_their_text(tmp_path):
    text = text_edition(tmp_path, "[链接](https://example.com) " * 3000)
    assert text.count("链接") == 3000
    assert "](" not in text


def test_many_references_to_one_note(tmp_path):
    text = text_edition(tmp_path, "x[^1]" * 2000 + "\n\n[^1]: 注文")
    assert "x[1]" * 2000 in text
    assert text.count("注文") == 1


def test_many_notes_number_in_order(tmp_path):
    count = 1000
    body = ("".join(f"w{i}[^n{i}]" for i in range(count)) + "\n\n"
            + "".join(f"[^n{i}]: note{i}\n" for i in range(count)))
    text = text_edition(tmp_path, body)
    assert "".join(f"w{i}[{i + 1}]" for i in range(count)) in text
    for i in range(count):
        assert f"[{i + 1}] note{i}\n" in text


def test_back_link_ids_follow_upstream():
    source = "a[^1] b[^1] c[^2] d[^1]\n\n[^1]: one\n[^2]: two\n"
    html = make_markdown().convert(source)
    assert html == upstream_markdown().convert(source)
    assert 'id="fnref3-1"' in html


# --- soft breaks -------------------------------------------------------------------

def _join_before_linear(texts: list[str], i: int, m: re.Match[str]) -> str:
    """normalize._join as it was: a walk over the slots from each break."""
    before = texts[i][:m.start()].rstrip(_BLANK)
    k = i - 1
    while not before and k >= 0:
        before, k = texts[k].rstrip(_BLANK), k - 1
    after = texts[i][m.end():].lstrip(_BLANK)
    k = i + 1
    while not after and k < len(texts):
        after, k = texts[k].lstrip(_BLANK), k + 1
    return "" if before and after and joins_without_space(before[-1], after[0]) else " "


class WalkingSoftBreaks(SoftBreakTreeprocessor):
    def run(self, root):
        slots = []
        self._collect(root, slots)
        texts = [getattr(el, attr) for el, attr in slots]
        for i, (el, attr) in enumerate(slots):
            if "\n" in texts[i]:
                texts[i] = _BREAK_RE.sub(lambda m, i=i: _join_before_linear(texts, i, m), texts[i])
                setattr(el, attr, texts[i])


def test_soft_breaks_as_before():
    walking, linear = make_markdown(), make_markdown()
    walking.treeprocessors.register(WalkingSoftBreaks(walking), "cjk_soft_break", 15)
    pieces = ["中", "文", "a", " ", "\n", "  \n", "*", "**", "[x](http://u)", "[ ](http://u)",
              "`c`", "。", "“", "”", "\t", "\n ", " \n", "<b>", "</b>", "&amp;", "- ", "\n\n"]
    rnd = random.Random(4)
    for _ in range(1500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30)))
        assert linear.reset().convert(text) == walking.reset().convert(text), text


def test_many_empty_links_on_lines(tmp_path):
    text = text_edition(tmp_path, "[ ](https://example.com)\n中" * 3000)
    assert text.count("中") >= 3000


# --- dialogue -------------------------------------------------------------------------

class InsertingDialogue(DialogueTreeprocessor):
    """normalize.DialogueTreeprocessor as it was: each turn inserted in place."""

    def run(self, root):
        turn = None
        for child in list(root):
            speaker = self._speaker(child) if child.tag == "p" else None
            if speaker is not None:
                turn = etree.Element("div", {"class": DIALOGUE_CLASS, "data-speaker": speaker})
                turn.tail = child.tail
                root.insert(list(root).index(child), turn)
                root.remove(child)
                turn.append(child)
            elif turn is not None and child.tag == "p" and not _RAW_BLOCK_RE.match(child.text or ""):
                root.remove(child)
                turn.append(child)
            else:
                turn = None


def test_dialogue_as_before():
    inserting, linear = make_markdown(), make_markdown()
    inserting.treeprocessors.register(InsertingDialogue(inserting), "dialogue", 14)
    pieces = ["**记者**：", "**A:**", "**B**:", "好", "x", "\n\n", "\n", "# h\n\n", "- l\n\n",
              "<div>\nraw\n</div>\n\n", "> q\n\n", "**", "："]
    rnd = random.Random(2)
    for _ in range(1500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25)))
        assert linear.reset().convert(text) == inserting.reset().convert(text), text


def test_fenced_code_blocks_are_upstreams_on_random_fences():
    """The fenced-code pass gives upstream's lines and stashed blocks."""
    import random

    from markdown.extensions.fenced_code import FencedBlockPreprocessor, FencedCodeExtension

    from publish.reader.linear.blocks import LinearFencedBlockPreprocessor

    rng = random.Random(11)
    pieces = ["```", "````", "~~~", "```js", "``` js", "~~~~", "```  ", "code", "中文", "",
              "  ```", "```{.x}", "`x`", "text ``` x", "```\t", 'hl_lines="1"']
    for _ in range(400):
        lines = [rng.choice(pieces) for _ in range(rng.randint(1, 12))]
        results = []
        for kind in (FencedBlockPreprocessor, LinearFencedBlockPreprocessor):
            md = Markdown(extensions=[FencedCodeExtension()])
            done = kind(md, md.preprocessors["fenced_code_block"].config).run(list(lines))
            results.append((done, [str(block) for block in md.htmlStash.rawHtmlBlocks]))
        assert results[0] == results[1], lines


def test_twenty_thousand_unclosed_fences_keep_their_text(tmp_path):
    book = tmp_path / "a.md"
    book.write_text("# 章\n\n" + "```js\n" * 20_000 + "末尾。\n", encoding="utf-8")
    text = txt.render(read(book))
    assert "末尾" in text and text.count("js") >= 20_000 - 10


def test_start_tag_shortcut_agrees_with_upstream_on_tag_soup():
    """_LinearHTMLExtractor answers "incomplete" without the scan only where
    Python-Markdown's patched HTMLParser would answer it after the scan."""
    import random

    from markdown.htmlparser import htmlparser

    rng = random.Random(13)
    alphabet = ["<a", "<b ", " ", ",", "=", '"', "'", "`", ">", "/", "x", "1", "\x00", "<",
                "\n", "/>", "=1", ",x", "<a, ", "<a x=", " ,", "= ,"]
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        upstream = htmlparser.HTMLParser()
        upstream.rawdata = text
        ours = _LinearHTMLExtractor.__new__(_LinearHTMLExtractor)
        ours.rawdata, ours._scanned = text, None
        for i, ch in enumerate(text):
            if ch == "<" and text[i + 1:i + 2].isalpha():
                assert (_LinearHTMLExtractor.check_for_whole_start_tag(ours, i)
                        == upstream.check_for_whole_start_tag(i)), (text, i)


# --- mdBook's include directives ---------------------------------------------------

# mdBook's pattern (links.rs), its target kept to one line as ours is.
MDBOOK_LINK = re.compile(r"\\\{\{#.*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s+([^}\n]+)\}\}")
LINK_PIECES = ["{{", "}}", "}", "{", "#", "include", " ", "\\", "a.rs", ":", "x_1", "中"]


def test_directives_are_what_mdbooks_pattern_finds():
    rnd = random.Random(7)
    for _ in range(20000):
        line = "".join(rnd.choice(LINK_PIECES) for _ in range(rnd.randint(0, 16)))
        expected = [(m.start(), m.end(), m.group(1) or "", (m.group(2) or m.group(0)[1:]).strip())
                    for m in MDBOOK_LINK.finditer(line)
                    if m.group(1) is None or m.group(2).strip()]
        assert [(d.start, d.end, d.kind, d.target) for d in directives(line)] == expected, line


def test_a_long_line_of_unclosed_directives_is_kept(tmp_path):
    line = "{{#include a.md " * 20000 + "}"
    (tmp_path / "SUMMARY.md").write_text("- [章](a.md)\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(f"# 章\n\n{line}\n", encoding="utf-8")
    assert line.strip() in txt.render(read(tmp_path))
