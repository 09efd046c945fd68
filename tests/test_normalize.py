"""One test per NormalizeExtension processor: Markdown in, HTML out."""

import pytest

from publish.reader.markdown import make_markdown


def render(source: str) -> str:
    return make_markdown().convert(source)


@pytest.mark.parametrize("source, expected", [
    ("中文\n排版", "<p>中文排版</p>"),
    ("English\nwords", "<p>English words</p>"),
    ("中文\n**粗体**", "<p>中文<strong>粗体</strong></p>"),
    ("**粗体**\n中文", "<p><strong>粗体</strong>中文</p>"),
    ("句号。\n“引号”", "<p>句号。“引号”</p>"),
    ("中文\nEnglish", "<p>中文 English</p>"),
])
def test_soft_breaks(source, expected):
    assert render(source) == expected


def test_soft_breaks_leave_code_alone():
    html = render("```\n中文\n排版\n```")
    assert "中文\n排版" in html


@pytest.mark.parametrize("source, speaker", [
    ("**记者**：你好", "记者"),
    ("**记者：**你好", "记者"),
    ("**Host**: hello", "Host"),
])
def test_dialogue_turns(source, speaker):
    html = render(source)
    assert f'<div class="dialogue" data-speaker="{speaker}">' in html
    assert "<strong>" not in html


@pytest.mark.parametrize("source", [
    "**粗体** 没有冒号",
    "开头不是粗体，**记者**：也不算",
    "- **列表**：不算",
    "> **引用**：不算",
    "**" + "很长的名字" * 5 + "**：太长不算",
])
def test_not_dialogue(source):
    assert "dialogue" not in render(source)


def test_dialogue_continues_until_another_block():
    html = render("**甲**：一\n\n续\n\n## 标题\n\n后")
    turn = html.split('<div class="dialogue" data-speaker="甲">')[1].split("</div>")[0]
    assert "续" in turn and "后" not in turn


@pytest.mark.parametrize("source, expected", [
    ("# <a> 元素", "<h1>&lt;a&gt; 元素</h1>"),
    ("# <img> 元素", "<h1>&lt;img&gt; 元素</h1>"),
    ("上标 2<sup>53</sup>", "<p>上标 2<sup>53</sup></p>"),
    ("a </b> b", "<p>a &lt;/b&gt; b</p>"),
    ('图 <img src="a.png">', '<p>图 <img src="a.png"></p>'),
])
def test_unpaired_tags_are_text(source, expected):
    assert render(source) == expected


@pytest.mark.parametrize("case", ["dialogue", "footnotes", "tables", "soft-breaks", "structure",
                                  "images", "header-block"])
def test_direct_tree_equals_html_round_trip(case):
    """Without raw HTML the reader skips serializing and re-parsing; nothing may change."""
    from conftest import case_manuscript

    from publish.reader.markdown import markdown_tree
    from publish.reader.sanitize import parse_html

    source = case_manuscript(case).read_text(encoding="utf-8")
    md = make_markdown()
    direct = markdown_tree(md, source, lambda *a: None)
    assert not md.htmlStash.rawHtmlBlocks          # the direct path was taken
    round_trip = parse_html(make_markdown().convert(source), lambda *a: None)
    assert direct == round_trip


# --- the source rules (preprocessors.py) ----------------------------------------

def test_source_rules_run_before_python_markdowns_preprocessors():
    """They must see the lines as decoded: above normalize_whitespace (30)."""
    md = make_markdown(header_block=True)
    rules = ["header_block", "fence_info", "duplicate_notes", "mdx", "source_warnings",
             "normalize_whitespace"]
    assert [md.preprocessors.get_index_for_name(name) for name in rules] == list(range(6))
    assert "header_block" not in make_markdown().preprocessors  # a directory's chapter


@pytest.mark.parametrize("source, expected", [
    ("```jsx src/App.js\n<App />\n```", "<pre><code class=\"language-jsx\">&lt;App /&gt;\n</code></pre>"),
    ("```rust,ignore\nfn x() {}\n```", "<pre><code class=\"language-rust\">fn x() {}\n</code></pre>"),
    ("import A from './a'\n\n<Note>\n\n文字\n\n</Note>", "<p>文字</p>"),
    ("前{/* 注释 */}后", "<p>前后</p>"),
])
def test_source_rules(source, expected):
    assert render(source) == expected


def test_source_rule_warnings_come_in_line_order():
    from publish.reader.markdown import markdown_tree

    source = ("正文[^1]\n\n[^1]: 甲\n\n<Demo>\n\n[^1]: 乙\n\nexport const x = 1\n\n"
              "```js\n<Demo>\n[^1]: 代码\n```\n")
    warned: list[str] = []
    markdown_tree(make_markdown(), source, lambda message, needle: warned.append(message))
    assert warned == ["MDX component <Demo> unwrapped, its content kept",
                      "footnote [^1] is defined 2 times; this one is kept as an unreferenced note",
                      "MDX line removed: export const x = 1"]


def test_header_block_is_cut_and_kept_on_md():
    from publish.reader.markdown import cut_header

    md = make_markdown(header_block=True)
    body = cut_header(md, "---\ntitle: 书\n---\n\n正文")
    assert body == "\n\n\n\n正文"  # line numbers stay true
    assert md.header_block == ["---", "title: 书"]
    assert cut_header(md, "正文\n---\n") == "正文\n---\n" and md.header_block is None
