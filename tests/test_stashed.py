"""A document with raw HTML: only its raw pieces go through the HTML parser
(reader/stashed.py), and the tree must be the one the parse of the whole
serialized document gives (as the reader made it before), warnings included."""

from __future__ import annotations

import pytest

from publish.reader import markdown
from publish.reader.markdown import make_markdown, markdown_tree
from publish.reader.sanitize import MAX_DEPTH, Node, parse_html


def whole_document(md, root, report, replace):
    """The tree of the whole document serialized, post-processed and parsed."""
    output = md.serializer(root)
    start = output.find(f"<{md.doc_tag}>")
    end = output.rfind(f"</{md.doc_tag}>")
    output = output[start + len(md.doc_tag) + 2:end] if start >= 0 and end >= 0 else ""
    for post in md.postprocessors:
        output = post.run(output)
    return parse_html(output, report)


def both(source: str, monkeypatch) -> tuple[tuple[Node, list], tuple[Node, list]]:
    """(tree, warnings) of the reader and of the whole document's parse (the
    warnings of this step only)."""
    found: list = []
    stashed = markdown.stashed_tree

    def spy(md, root, report, replace):
        for make in (whole_document, stashed):
            warned: list = []
            found.extend([make(md, root, lambda *a, into=warned: into.append(a), replace),
                          warned])
        return found[2]

    monkeypatch.setattr(markdown, "stashed_tree", spy)
    md = make_markdown()
    markdown_tree(md, source, lambda *a: None)
    assert md.htmlStash.rawHtmlBlocks, "the case must have raw HTML"
    return (found[2], found[3]), (found[0], found[1])


CODE = '```js\nif (a < b && c > d) { s = "&amp;" + `${x}`; }\n```\n'
CASES = {
    "code blocks and entities": "# 第一章\n\n版权 &copy; 2024，`a &lt; b` 与 `x<y`。\n\n"
                                + CODE + "\n正文 **粗体** 和 [链接](https://example.com/?a=1&b=2)。\n",
    "raw div around Markdown": "<div class=\"note\">\n\n提示：*强调*\n\n- 甲\n- 乙\n\n</div>\n\n其后。\n",
    "unclosed raw div": "<div>\n\n段落一\n\n> 引用\n\n" + CODE,
    "unclosed raw p before blocks": "<p>未闭合的段落\n\n- 项目\n\n    1. 嵌套\n\n> 引用 <b>粗</b>\n\n"
                                    + CODE + "\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n",
    "removed element swallows Markdown": "<video>\n\n看不见的段落\n\n" + CODE + "\n</video>\n\n看得见。\n",
    "unknown element": "<Note>\n\n說明：「引號」與 `code`。\n\n</Note>\n\n<Sandpack>x</Sandpack>\n",
    "links that run": "[壞](javascript:alert(1)) <a href=\"vbscript:x\">乙</a>\n\n"
                      "段落 {: onclick=\"x()\" Title=\"大寫\" }\n\n[好](http://example.com/a&amp;b)\n",
    "footnotes": "正文[^1]和 <sup>上标</sup>。\n\n[^1]: 注释 &amp; 说明，`x < y`。\n\n" + CODE,
    "tables": "| 名 | 值 |\n|:--|--:|\n| <kbd>Ctrl</kbd> | `a&b` |\n| 乙 | 2 |\n\n<table><tr><td>未闭合\n\n段落\n",
    "raw list pieces": "<ul><li>原始\n\n- 甲\n- 乙\n\n<tr><td>格\n\n1. 一\n2. 二\n",
    "details": "<details><summary>摘要</summary>\n\n內文 *強調*\n\n" + CODE + "\n</details>\n",
    "e-mail and task list": "寫信 <user@example.com> 或 <b>粗</b>\n\n- [ ] 待辦\n- [x] 完成\n",
    "fence with attributes": "```{.js #code1 data-x=\"1\"}\nlet a = 1;\n```\n\n<i>斜</i>\n",
    "deep raw nesting": "<div>" * (MAX_DEPTH - 3) + "\n\n> > > 深处的引用\n\n- 项\n\n" + CODE,
    "deep raw nesting, beyond": "<span>" * (MAX_DEPTH + 5) + "\n\n> 引用\n\n" + CODE,
    "mdx page": "import A from './a'\n\n## 步驟一：<code>App</code>\n\n<Sandpack>\n\n```js src/App.js\n"
                "export default function App() { return <div>嗨</div>; }\n```\n\n</Sandpack>\n\n"
                "<Pitfall>\n\n請參閱 [文件](https://react.dev/learn)。\n\n</Pitfall>\n",
    "entity-like text": "AT&T 與 &amp;amp; 與 &#x4e2d; 與 &unknown; 與 a&b\n\n`&copy;` 與 <b>&copy;</b>\n",
    "indented code": "說明 <br>\n\n    if (a < b) { x = '&lt;' + \"&\"; }\n\n後文\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tree_equals_the_whole_documents_parse(case, monkeypatch):
    (tree, warned), (expected, expected_warned) = both(CASES[case], monkeypatch)
    assert tree == expected
    assert warned == expected_warned


def texts(node: Node, tag: str) -> list[str]:
    return [found.text() for found in node.iter(tag)]


def test_a_code_block_keeps_its_text_as_written(monkeypatch):
    (tree, _), _ = both("前 <b>粗</b>\n\n" + CODE, monkeypatch)
    assert texts(tree, "code") == ['if (a < b && c > d) { s = "&amp;" + `${x}`; }\n']
    assert [c.attrs for c in tree.iter("code")] == [{"class": "language-js"}]


def test_a_raw_html_block_is_not_markdown(monkeypatch):
    """Python-Markdown: "Markdown syntax is not processed within block-level HTML tags"."""
    (tree, _), _ = both(CASES["raw div around Markdown"], monkeypatch)
    div = next(tree.iter("div"))
    assert "提示：*强调*" in div.text() and "- 甲" in div.text()
    assert "其后" not in div.text() and texts(tree, "p") == ["其后。"]


def test_a_code_block_closes_an_open_raw_paragraph(monkeypatch):
    """HTML: a <pre> start tag ends an open <p>, so the code is not inside it."""
    (tree, _), _ = both("<p>开头\n\n" + CODE, monkeypatch)
    paragraph = next(tree.iter("p"))
    assert not list(paragraph.iter("pre")) and len(list(tree.iter("pre"))) == 1


def test_nothing_of_a_removed_element_is_kept(monkeypatch):
    (tree, warned), _ = both(CASES["removed element swallows Markdown"], monkeypatch)
    assert "看不见" not in tree.text() and "if (a" not in tree.text()
    assert tree.text().strip() == "看得见。"
    assert [message for message, _ in warned] == ["removed <video> element"]


# --- what the parse leaves open where a plain element goes ---------------------
# Python-Markdown ends a raw HTML block where its tags balance, so the cases
# above never leave the parser inside an element; a stashed piece written by
# hand does.

def parts(*pieces):
    """A Markdown instance and its tree after the treeprocessors: a ``div`` of
    ``pieces``, each raw HTML (a str, stashed, in its placeholder paragraph) or
    an element."""
    from xml.etree import ElementTree

    md = make_markdown()
    md.reset()
    root = ElementTree.Element("div")
    for piece in pieces:
        if isinstance(piece, str):
            ElementTree.SubElement(root, "p").text = md.htmlStash.store(piece)
        else:
            root.append(piece)
        root[-1].tail = "\n"
    return md, root


def element(markup: str):
    from xml.etree import ElementTree

    return ElementTree.fromstring(markup)


LIST = "<ul><li><p>甲</p><blockquote><p>乙</p></blockquote></li></ul>"


@pytest.mark.parametrize("pieces", [
    ("<p>开头", element(LIST), element("<p>其后</p>")),         # the list closes it
    ("<p>开头", element("<li><p>甲</p></li>"), element("<p>后</p>")),  # an inner <p> would
    ("<div>" * (MAX_DEPTH - 2), element(LIST)),                 # too deep for the markup
    ("<span>" * (MAX_DEPTH + 2), element(LIST)),                # already too deep
    ("<video>", element(LIST), "</video>", element("<p>见</p>")),  # removed with the video
    ("<table><tr><td>格", element("<table><tr><td>甲</td></tr></table>")),
    ("<ul><li>项", element("<li>乙</li>"), element(LIST)),
])
def test_an_element_after_open_raw_html(pieces):
    md, root = parts(*pieces)
    expected_warned: list = []
    expected = whole_document(md, root, lambda *a: expected_warned.append(a), {})
    warned: list = []
    assert markdown.stashed_tree(md, root, lambda *a: warned.append(a), {}) == expected
    assert warned == expected_warned
