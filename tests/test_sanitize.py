"""Raw HTML → a small, safe element tree (publish/reader/sanitize.py).

The expectations come from what the book may carry and what its reader
should see: nothing that runs (scripts, event handlers, ``javascript:``
links) survives, and text a browser would show stays visible, whatever
element it was in.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from publish.reader.sanitize import MAX_DEPTH, Node, parse_html, tree_from_etree, url_scheme


def parse(html: str) -> tuple[Node, list[str]]:
    """The tree of ``html`` and the messages reported while parsing it."""
    reported: list[str] = []
    tree = parse_html(html, lambda message, needle: reported.append(message))
    return tree, reported


def elements(tree: Node) -> list[str]:
    return [node.tag for node in tree.iter()][1:]  # without the body


def depth(node: Node) -> int:
    return 1 + max((depth(c) for c in node.children if isinstance(c, Node)), default=0)


# --- what runs is removed ---------------------------------------------------


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    "<script type='module'>import('x')</script>",
    "<style>body { display: none }</style>",
    "<iframe src='https://evil.example/'>框</iframe>",
    "<object data='x.swf'><param name='a' value='b'>嵌</object>",
    "<embed src='x.swf'>",
    "<svg onload='alert(1)'><script>alert(2)</script><text>图</text></svg>",
    "<form action='https://evil.example/'><input name='q'><button>按</button></form>",
    "<template><p>模板</p></template>",
])
def test_active_content_is_removed_with_what_it_holds(html):
    tree, reported = parse(f"<p>前{html}后</p>")
    assert tree.text() == "前后"
    assert elements(tree) == ["p"]
    assert reported and reported[0].startswith("removed <")


def test_script_text_that_looks_like_markup_stays_inside_the_script():
    # A script's content is raw text: "<script>" inside it opens nothing, and
    # what follows the first "</script>" is text a browser shows.
    tree, _ = parse("<script>var s = '<script>'</script>见")
    assert tree.text() == "见"


def test_removed_elements_nested_in_themselves_end_at_their_own_end_tag():
    tree, _ = parse("<template><template>甲</template>乙</template>丙")
    assert tree.text() == "丙"


@pytest.mark.parametrize("attribute", ["onclick", "onmouseover", "ONLOAD", "onerror"])
def test_event_handlers_are_dropped(attribute):
    tree, reported = parse(f'<p {attribute}="alert(1)" title="提示">点击</p>')
    (p,) = tree.children
    assert p.attrs == {"title": "提示"} and p.text() == "点击"
    assert reported == [f"removed event handler {attribute.lower()}= on <p>"]


@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",              # browsers ignore tabs and newlines in a scheme
    "&#106;avascript:alert(1)",           # a character reference is still the letter j
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
])
def test_links_that_would_run_something_lose_their_target_and_keep_their_text(href):
    tree, reported = parse(f'<a href="{href}">链接</a>')
    (a,) = tree.children
    assert "href" not in a.attrs and a.text() == "链接"
    assert len(reported) == 1 and reported[0].startswith("removed ")


@pytest.mark.parametrize("href", ["https://example.com/a?b=c#d", "http://x.y", "mailto:a@b.c",
                                  "tel:+8610", "ftp://x.y/f", "other.md#第一节", "#top",
                                  "images/a.png"])
def test_ordinary_links_are_kept(href):
    tree, reported = parse(f'<a href="{href}">链接</a>')
    assert tree.children[0].attrs == {"href": href} and reported == []


@pytest.mark.parametrize("url, scheme", [
    ("HTTPS://x.y", "https"), ("mailto:a@b", "mailto"), ("java\nscript:x", "javascript"),
    ("a.md", ""), ("./a:b.md", ""), ("#x", ""), ("", ""),
])
def test_url_scheme(url, scheme):
    assert url_scheme(url) == scheme


# --- what the book keeps ----------------------------------------------------


def test_attributes_the_book_uses_are_kept_and_others_dropped():
    tree, _ = parse('<div class="dialogue" data-speaker="记者" id="d1" lang="zh" data-x="1" '
                    'style="color: red" hidden>'
                    '<a href="https://x.y" title="标题" target="_blank" rel="noopener">a</a>'
                    '<img src="a.png" alt="图" width="10" loading="lazy">'
                    '<ol start="3" type="i"><li>三</li></ol></div>')
    div, a, img, ol = (tree.children[0], *tree.children[0].children)
    assert div.attrs == {"class": "dialogue", "data-speaker": "记者", "id": "d1", "lang": "zh"}
    assert a.attrs == {"href": "https://x.y", "title": "标题"}
    assert img.attrs == {"src": "a.png", "alt": "图"}
    assert ol.attrs == {"start": "3"}


def test_table_cells_keep_their_alignment_only():
    tree, _ = parse('<table><tr><td style="text-align: center" colspan="2">1</td>'
                    '<td style="color: red">2</td><th align="right">3</th></tr></table>')
    cells = [node.attrs for node in tree.iter() if node.tag in ("td", "th")]
    assert cells == [{"align": "center", "colspan": "2"}, {}, {"align": "right"}]


@pytest.mark.parametrize("html, text, kept", [
    ("<Sandpack>代码 <b>粗</b></Sandpack>", "代码 粗", ["b"]),
    ("<my-widget>组件</my-widget>", "组件", []),
    ("<marquee>滚动</marquee>", "滚动", []),
    ("<p><blink>闪</blink>烁</p>", "闪烁", ["p"]),
])
def test_unknown_elements_are_unwrapped_and_their_text_kept(html, text, kept):
    tree, reported = parse(html)
    assert tree.text() == text and elements(tree) == kept
    assert reported and reported[0].startswith("unknown element <")


def test_comments_and_processing_instructions_are_not_text():
    tree, _ = parse("甲<!-- 秘密 -->乙<![CDATA[丙]]>丁<?php echo 1 ?>戊")
    assert tree.text() == "甲乙丁戊"


@pytest.mark.parametrize("html, text", [
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),  # text, not markup
    ("&amp; &quot; &#39; &#x4E2D; &#20013; &copy;", "& \" ' 中 中 ©"),
    ("不&nbsp;换行", "不\xa0换行"),
    ("&unknown; 照原样", "&unknown; 照原样"),
])
def test_character_references_become_characters(html, text):
    tree, _ = parse(f"<p>{html}</p>")
    assert tree.text() == text and elements(tree) == ["p"]


def test_character_references_in_attributes():
    tree, _ = parse('<a href="a.md?x=1&amp;y=2" title="甲&amp;乙">x</a>')
    assert tree.children[0].attrs == {"href": "a.md?x=1&y=2", "title": "甲&乙"}


# --- the shape of the tree --------------------------------------------------


def test_void_elements_hold_nothing():
    tree, _ = parse('<p>甲<br>乙<br/>丙<img src="a.png">丁</img>戊<hr>己</p>')
    p = tree.children[0]
    assert [c if isinstance(c, str) else c.tag for c in p.children] == [
        "甲", "br", "乙", "br", "丙", "img", "丁戊"]
    assert all(not node.children for node in tree.iter() if node.tag in ("br", "img", "hr"))
    # <hr> is a block: it closes the paragraph, and what follows it is outside
    assert [c if isinstance(c, str) else c.tag for c in tree.children] == ["p", "hr", "己"]


@pytest.mark.parametrize("html, shape", [
    ("<p>一<p>二", [("p", "一"), ("p", "二")]),                    # a new paragraph ends the last
    ("<p>一<div>块</div>", [("p", "一"), ("div", "块")]),
    ("<p><b>粗</p>后", [("p", "粗"), "后"]),                       # the end tag closes the <b> too
    ("</div>散</span>字", ["散字"]),                               # stray end tags are ignored
])
def test_forgiving_like_a_browser(html, shape):
    tree, _ = parse(html)
    assert [c if isinstance(c, str) else (c.tag, c.text()) for c in tree.children] == shape


def test_list_items_and_table_cells_close_their_open_siblings():
    tree, _ = parse("<ul><li>一<li>二</ul><table><tr><td>1<td>2<tr><td>3</table>")
    ul, table = tree.children
    assert [li.text() for li in ul.children] == ["一", "二"]
    assert [[td.text() for td in tr.children] for tr in table.children] == [["1", "2"], ["3"]]


def test_every_node_knows_its_parent():
    tree, _ = parse("<blockquote><p>甲<em>乙</em></p></blockquote>")
    for node in tree.iter():
        for child in node.children:
            if isinstance(child, Node):
                assert child.parent is node


@pytest.mark.parametrize("tag", ["div", "blockquote", "span", "em"])
def test_nesting_deeper_than_max_depth_keeps_the_text_not_the_markup(tag):
    n = MAX_DEPTH + 50
    tree, reported = parse(f"<{tag}>" * n + "深处" + f"</{tag}>" * n + "<p>其后</p>")
    assert depth(tree) - 1 <= MAX_DEPTH
    assert "深处" in tree.text()
    assert [c.tag for c in tree.children if isinstance(c, Node)][-1] == "p"  # back at the top
    assert tree.children[-1].text() == "其后"
    assert len([r for r in reported if "nested more than" in r]) == 1


def test_nesting_limit_on_markdowns_own_tree():
    root = ElementTree.Element("div")
    inner = root
    for _ in range(MAX_DEPTH + 50):
        inner = ElementTree.SubElement(inner, "blockquote")
    inner.text = "深处"
    reported: list[str] = []
    tree = tree_from_etree(root, lambda message, needle: reported.append(message))
    assert depth(tree) - 1 <= MAX_DEPTH and tree.text() == "深处"
    assert len(reported) == 1 and "nested more than" in reported[0]


def test_markdowns_own_tree_loses_what_runs_too():
    root = ElementTree.fromstring('<div><p onclick="x()">甲<a href="javascript:y()">乙</a></p></div>')
    reported: list[str] = []
    tree = tree_from_etree(root, lambda message, needle: reported.append(message))
    p = tree.children[0]
    assert p.attrs == {} and p.children[1].attrs == {} and tree.text() == "甲乙"
    assert len(reported) == 2
