"""``publish lint``: small manuscripts cut from the corpus cases, each rule
with a case that fires and one that must not (code, URL, English), the
positions checked against the source text, and ``--fix``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publish.cli import cli
from publish.errors import ConfigError
from publish.lint import lint


def book(tmp_path: Path, text: str, toml: str = "", name: str = "ch1.md") -> Path:
    root = tmp_path / "book"
    root.mkdir(exist_ok=True)
    (root / "book.toml").write_text('title = "测试"\n' + toml, encoding="utf-8")
    (root / name).write_text(text, encoding="utf-8")
    return root


def found(root: Path, rule: str) -> list[tuple[int, int, str, str | None]]:
    return [(f.line, f.column, f.old, f.new) for f in lint(root).findings if f.rule == rule]


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based line and column (in characters) of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    before = text[:at]
    return before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1


# --- half-width punctuation (GB/T 15834: Chinese text takes full-width marks) ----------

def test_halfwidth_marks_after_chinese_are_found_where_they_stand(tmp_path):
    text = "# 第一回\n\n他来了,我们走吧.你说呢?\n\n好的:明天见;再会!\n"
    hits = found(book(tmp_path, text), "halfwidth-punctuation")
    expected = [(*where(text, m), m) for m in ",.?:;!"]
    assert [(line, col, old[0]) for line, col, old, _ in hits] == expected
    assert [new for *_, new in hits] == ["，", "。", "？", "：", "；", "！"]


def test_halfwidth_parentheses_around_chinese(tmp_path):
    text = "我们(全体)同意。\n"
    hits = found(book(tmp_path, text), "halfwidth-punctuation")
    assert [(c, new) for _, c, _, new in hits] == [(3, "（"), (6, "）")]


@pytest.mark.parametrize("text", [
    "He said, hello. Is it? Yes: no; wow!\n",          # an English sentence
    "圆周率是3.14,约等于22/7。\n".replace(",", "，"),   # a decimal point
    "用 `print(a, b)` 打印。\n",                        # inline code
    "代码：\n\n```python\nprint('你好', 1)\n```\n",     # a fenced block
    "代码：\n\n    你好, 世界.\n",                      # an indented block
    "见 https://example.com/a,b?c=中 网站。\n",          # a URL
    "见[文档](https://example.com/x(1),y)。\n",          # a link target
    '<span title="你,好">文字</span>。\n',               # an HTML attribute
    "中文,English.{lang=en}\n",                          # a passage in another language
    "调用 console.warn()，然后返回。\n",                  # a function's name
    "红楼梦, a badly digitised edition.\n",              # English after a title
    "公式 $a,b.c$ 成立。\n",                              # math
])
def test_halfwidth_marks_left_alone(tmp_path, text):
    assert found(book(tmp_path, text), "halfwidth-punctuation") == []


def test_fullwidth_stop(tmp_path):
    text = "此开卷第一回也．作者自云。\n"
    assert found(book(tmp_path, text), "fullwidth-stop") == [(1, 8, "．", "。")]


def test_lost_character_is_not_a_question_mark(tmp_path):
    text = "玉在?中求善价。你去吗?我不去。心下ゅ?道：镌着べ??三个\n"
    root = book(tmp_path, text)
    assert found(root, "lost-character") == [
        (1, 3, "?", None), (1, where(text, "ゅ?")[1] + 1, "?", None),
        (1, where(text, "??")[1], "?", None), (1, where(text, "??")[1] + 1, "?", None)]
    assert [(c, new) for _, c, _, new in found(root, "halfwidth-punctuation")] == [
        (where(text, "?", 1)[1], "？")]


# --- quotation marks, ellipsis, dash --------------------------------------------------

def test_straight_quotes(tmp_path):
    text = '故将真事隐去，而借"通灵"之说。He said "hi".\n\n他说：“今风尘碌碌，一事无成。"\n'
    hits = found(book(tmp_path, text), "straight-quotes")
    assert hits == [(*where(text, '"'), '"', "“"), (*where(text, '"', 1), '"', "”"),
                    (*where(text, '"', 4), '"', "”")]


def test_straight_quotes_in_a_traditional_book_take_corner_brackets(tmp_path):
    text = '他說："好的。"他又說：「走吧。」\n'
    hits = found(book(tmp_path, text, 'language = "zh-Hant"\n'), "straight-quotes")
    assert [new for *_, new in hits] == ["「", "」"]


def test_ellipsis_and_dash(tmp_path):
    text = "然后...他走了。等等…再说。他--就是我。wait... a--b\n\n---\n"
    root = book(tmp_path, text)
    assert found(root, "ellipsis") == [(*where(text, "..."), "...", "……"),
                                       (*where(text, "…再"), "…", "……")]
    assert found(root, "dash") == [(*where(text, "--"), "--", "——")]


def test_unpaired_marks(tmp_path):
    text = ("他说：“好。\n\n这是《红楼梦》。\n\n“第一段，\n\n“第二段。”\n\n"
            "他说：“说与你，\n\n拿与你。”\n\n多了）一个。\n")
    hits = found(book(tmp_path, text), "unpaired")
    assert [(line, col, old) for line, col, old, _ in hits] == [
        (*where(text, "“好"), "“"), (*where(text, "”\n\n多"), "”"), (*where(text, "）"), "）")]
    assert found(book(tmp_path, "他说：“好。”\n\n“第一段，\n\n“第二段。”\n"), "unpaired") == []


def test_mixed_quote_styles(tmp_path):
    text = "他說：「走吧。」她說：「好。」我說：“不。”\n"
    hits = found(book(tmp_path, text), "mixed-quotes")
    assert [(c, old, new) for _, c, old, new in hits] == [
        (where(text, "“")[1], "“", "「"), (where(text, "”")[1], "”", "」")]
    assert found(book(tmp_path, "他说：“走吧。”\n"), "mixed-quotes") == []


def test_fullwidth_letters_and_digits(tmp_path):
    text = "型号ＡＢＣ１２３很好，ABC123也好。\n"
    assert found(book(tmp_path, text), "fullwidth-alnum") == [(1, 3, "ＡＢＣ１２３", "ABC123")]


# --- Han–Latin spacing ----------------------------------------------------------------

def test_spacing_policy_space(tmp_path):
    text = "用Python写代码，用 Go 也行。`x`里\n"
    hits = found(book(tmp_path, text, '[lint]\nspacing = "space"\n'), "spacing")
    assert [(c, old, new) for _, c, old, new in hits] == [(2, "", " "), (8, "", " ")]


def test_spacing_policy_none(tmp_path):
    text = "用 Python 写代码。\n"
    hits = found(book(tmp_path, text, '[lint]\nspacing = "none"\n'), "spacing")
    assert [(c, old, new) for _, c, old, new in hits] == [(2, " ", ""), (9, " ", "")]


def test_spacing_auto_follows_the_book(tmp_path):
    spaced = "用 Python 写，用 Go 写，用 C 写，用Rust写。\n"
    assert [c for _, c, *_ in found(book(tmp_path, spaced), "spacing")] == [
        where(spaced, "Rust")[1], where(spaced, "写。")[1]]
    touching = "用Python写，用Go写，用 C 写。\n"
    assert [c for _, c, *_ in found(book(tmp_path, touching), "spacing")] == [
        where(touching, " C")[1], where(touching, " 写。")[1]]


def test_doubled_space(tmp_path):
    text = "第一回  甄士隐梦幻识通灵，中文  English。\n"
    hits = found(book(tmp_path, text), "doubled-space")
    assert [(c, old) for _, c, old, _ in hits] == [(where(text, "  E")[1], "  ")]


# --- conversion points of a Traditional text ---------------------------------------------

def test_earthly_branch_written_ugly(tmp_path):
    text = "乃子、醜、寅、卯、辰之十二支也。正當醜會。其貌甚醜陋。\n"
    hits = found(book(tmp_path, text, 'language = "zh-Hant"\n'), "conversion")
    assert [(c, new) for _, c, _, new in hits] == [(4, "丑"), (where(text, "醜會")[1], "丑")]


def test_conversion_points_only_in_traditional_books(tmp_path):
    assert found(book(tmp_path, "乃子、醜、寅之支也。\n", 'language = "zh-Hans"\n'),
                 "conversion") == []


# --- settings ------------------------------------------------------------------------

def test_a_rule_turned_off_in_book_toml(tmp_path):
    root = book(tmp_path, "他来了,我们走吧。\n", '[lint]\noff = ["halfwidth-punctuation"]\n')
    assert found(root, "halfwidth-punctuation") == []


def test_bad_lint_settings(tmp_path, caplog):
    with pytest.raises(ConfigError, match="no rule 'spaceing'"):
        lint(book(tmp_path, "好。\n", '[lint]\noff = ["spaceing"]\n'))
    with pytest.raises(ConfigError, match="spacing must be one of"):
        lint(book(tmp_path, "好。\n", '[lint]\nspacing = "half"\n'))
    lint(book(tmp_path, "好。\n", '[lint]\nspaces = "none"\n'))
    assert "unknown key 'spaces' in [lint]" in caplog.text


def test_the_reader_knows_the_lint_table(tmp_path, caplog):
    from publish.reader import read
    read(book(tmp_path, "# 书\n\n正文。\n", '[lint]\nspacing = "none"\n'))
    assert "unknown key" not in caplog.text


def test_one_file_manuscript_settings(tmp_path):
    path = tmp_path / "book.md"
    path.write_text("---\ntitle: 书\nlint:\n  off: [halfwidth-punctuation]\n  spacing: space\n"
                    "---\n\n他来了,用Python写。\n", encoding="utf-8")
    assert [(f.rule, f.column) for f in lint(path).findings] == [("spacing", 6), ("spacing", 12)]


def test_one_file_manuscript_header_is_not_linted(tmp_path):
    path = tmp_path / "book.md"
    path.write_text('---\ntitle: 书名,副题\n---\n\n正文,这里。\n', encoding="utf-8")
    hits = [(f.line, f.column) for f in lint(path).findings]
    assert hits == [(5, 3)]


# --- the command, --fix --------------------------------------------------------------

DIRTY = ('第一回  甄士隐梦幻识通灵\r\n\r\n    此开卷第一回也．作者自云：因曾历过一番梦幻之后，'
         '故将真事隐去，而借"通灵"之说，撰此《石头记》一书也．故曰"甄士隐"云云.\r\n')


def test_lint_command_reports_and_fix_rewrites(tmp_path):
    root = tmp_path / "hlm"
    root.mkdir()
    (root / "hlm.txt").write_bytes(DIRTY.encode("gb18030"))
    runner = CliRunner()
    first = runner.invoke(cli, ["lint", str(root), "--encoding", "gb18030"])
    assert first.exit_code == 1
    assert f"hlm.txt:3:{DIRTY.split(chr(10))[2].index('．') + 1}: error fullwidth-stop" in first.output
    assert "straight-quotes" in first.output
    fixed = runner.invoke(cli, ["lint", "--fix", str(root), "--encoding", "gb18030"])
    assert "-    此开卷第一回也．" in fixed.output and "+    此开卷第一回也。" in fixed.output
    data = (root / "hlm.txt").read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF kept
    text = data.decode("gb18030")
    assert "借“通灵”之说" in text and "故曰“甄士隐”云云。" in text and "．" not in text
    assert "第一回  甄士隐" in text  # not a Han–Latin gap: left alone
    again = runner.invoke(cli, ["lint", "--fix", str(root), "--encoding", "gb18030"])
    assert again.exit_code == 0 and "---" not in again.output  # nothing left to fix
    assert (root / "hlm.txt").read_bytes() == data


def test_fix_leaves_code_and_unfixable_findings(tmp_path):
    text = "他说,好.\n\n```\nprint('他说,好.')\n```\n\n他说：“好。\n"
    root = book(tmp_path, text)
    result = CliRunner().invoke(cli, ["lint", "--fix", str(root)])
    assert result.exit_code == 1  # the unpaired “ is an error --fix cannot mend
    assert (root / "ch1.md").read_text(encoding="utf-8") == text.replace("他说,好.\n", "他说，好。\n", 1)
    assert "unpaired" in result.output
