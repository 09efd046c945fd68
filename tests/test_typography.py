"""Table-driven tests of the pure typography functions, CJK rows first."""

import doctest

import pytest

from publish import numbers, wrapping
from publish import typography as t
from publish.wrapping import wrap


def test_doctests():
    result = doctest.testmod(t)
    assert result.attempted >= 2 and result.failed == 0
    result = doctest.testmod(wrapping)
    assert result.attempted >= 1 and result.failed == 0
    result = doctest.testmod(numbers)
    assert result.attempted >= 2 and result.failed == 0


@pytest.mark.parametrize("ch, han, cjk, wide", [
    ("中", True, True, True),
    ("〇", True, True, True),
    ("𠮷", True, True, True),          # outside the BMP (Ext B)
    ("。", False, True, True),
    ("，", False, True, True),
    ("「", False, True, True),
    ("あ", False, True, True),
    ("A", False, False, False),
    ("1", False, False, False),
    ("é", False, False, False),
])
def test_character_classes(ch, han, cjk, wide):
    assert (t.is_han(ch), t.is_cjk(ch), t.is_wide(ch)) == (han, cjk, wide)


@pytest.mark.parametrize("text, width", [
    ("中文", 4),
    ("中文ab", 6),
    ("，。", 4),
    ("ＡＢ", 4),                 # full-width Latin
    ("abc", 3),
    ("e\u0301", 1),              # combining acute
    ("葛\U000E0100", 2),          # ideographic variation sequence
    ("", 0),
])
def test_display_width(text, width):
    assert t.display_width(text) == width


@pytest.mark.parametrize("text, expected", [
    ("中文\n排版", "中文排版"),
    ("中文，\n排版", "中文，排版"),
    ("“引号”\n继续", "“引号”继续"),
    ("English\nwords", "English words"),
    ("中文\nEnglish", "中文 English"),
    ("中文  \n  排版", "中文排版"),
    ("no break", "no break"),
])
def test_join_soft_breaks(text, expected):
    assert t.join_soft_breaks(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("使用Python编写", "使用 Python 编写"),
    ("共3个", "共 3 个"),
    ("50%的人", "50% 的人"),
    ("已有 空格Python 的", "已有 空格 Python 的"),
    ("使用 Python 编写", "使用 Python 编写"),       # already spaced: untouched
    ("见https://example.com/路径", "见 https://example.com/路径"),
    ("网址https://a.com/x_y?z=1文档", "网址 https://a.com/x_y?z=1 文档"),
    ("邮件foo@bar.com联系", "邮件 foo@bar.com 联系"),
    ("中文，English。", "中文，English。"),         # punctuation needs no space
    ("", ""),
])
def test_autospace(text, expected):
    assert t.autospace(text) == expected


@pytest.mark.parametrize("n, expected", [
    (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (100, "一百"),
    (101, "一百零一"), (110, "一百一十"), (1000, "一千"), (1001, "一千零一"),
    (2024, "二千零二十四"), (10000, "一万"), (10001, "一万零一"), (0, "零"),
])
def test_chinese_numeral(n, expected):
    assert numbers.chinese_numeral(n) == expected


@pytest.mark.parametrize("n, unit, expected", [
    (12, "章", "第十二章"), (100, "回", "第一百回"), (1, "节", "第一节"),
])
def test_chapter_label(n, unit, expected):
    assert numbers.chapter_label(n, unit) == expected


def test_kinsoku_sets():
    for ch in "，。、）」』》：；？！…":
        assert ch in t.LINE_START_FORBIDDEN
    for ch in "（「『《“":
        assert ch in t.LINE_END_FORBIDDEN
    assert not t.LINE_START_FORBIDDEN & t.LINE_END_FORBIDDEN


@pytest.mark.parametrize("text, width", [
    ("他说：“你好。”我们走吧。" * 5, 10),
    ("甲乙丙丁戊己庚辛壬，癸子丑寅卯辰巳午未。", 18),
    ("《西游记》是一部小说，「孙悟空」是主角。（注：第一回）", 8),
    ("中文里有 English words 和数字 12345 混排。", 12),
    ("……省略号——破折号……", 6),
])
def test_wrap_respects_width_and_kinsoku(text, width):
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i, line in enumerate(lines):
        assert t.display_width(line) <= width, line
        if i:
            assert line[0] not in t.LINE_START_FORBIDDEN, lines
        if i < len(lines) - 1:
            assert line[-1] not in t.LINE_END_FORBIDDEN, lines
    for a, b in zip(lines, lines[1:]):  # …… and —— are never split
        assert not (a.endswith("…") and b.startswith("…"))
        assert not (a.endswith("—") and b.startswith("—"))


def test_wrap_keeps_latin_words_whole():
    lines = wrap("这是 JavaScript 教程的内容", 12)
    assert any("JavaScript" in line for line in lines)


@pytest.mark.parametrize("text, expected", [
    ("DeepSeek 访谈", "deepseek"),
    ("Hello, World!", "hello-world"),
    ("西游记", "book"),
])
def test_slugify(text, expected):
    assert t.slugify(text) == expected


@pytest.mark.parametrize("ch, expected", [("。", True), ("「", True), ("“", True), ("中", False),
                                          ("A", False), (",", False)])
def test_cjk_punctuation(ch, expected):
    assert t.is_cjk_punctuation(ch) is expected


@pytest.mark.parametrize("text, expected", [
    ("奇花日日新。", "奇花日日\u2060新。"),
    ("他说：“好。”", "他说：“好。”"),            # one Han before the marks: nothing to hold
    ("问道“何处去？”", "问道“何处\u2060去？”"),
    ("English words", "English words"),
    ("<em>强调</em>", "<em>强调</em>"),             # markup ends the text: left alone
    ("山", "山"),
])
def test_hold_last_two(text, expected):
    assert t.hold_last_two(text) == expected


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("两千", 2000),
    ("一万零一", 10001), ("二〇二五", 2025), ("一千二百三十四", 1234),
])
def test_parse_chinese_numeral(text, value):
    assert numbers.parse_chinese_numeral(text) == value


def test_chinese_numerals_read_back():
    for n in [*range(0, 3000), 10000, 10001, 100100, 99999999]:
        assert numbers.parse_chinese_numeral(numbers.chinese_numeral(n)) == n
