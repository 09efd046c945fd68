"""CJK typography as pure ``str -> str`` functions (W3C clreq).

Two kinds of function live here.  ``normalize_*`` and ``join_soft_breaks``
are applied once, by the reader, so the book model holds canonical text.
Presentation helpers (``autospace``, ``display_width``
and the kinsoku sets) are called by writers, each with its own output form;
``wrapping.wrap`` breaks lines of monospaced text with these sets.  Every
character class of the package is defined here and nowhere else.  This
module imports nothing from the package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "CLOSING_MARKS",
    "FULL_WIDTH_MARKS",
    "LEFT_SET_PAUSES",
    "MARK_PAIR",
    "OPENING_MARKS",
    "PAUSE_MARKS",
    "compressed_marks",
    "INSEPARABLE",
    "JUSTIFIABLE",
    "LATIN",
    "LINE_END_FORBIDDEN",
    "LINE_START_FORBIDDEN",
    "attribution_dash",
    "autospace",
    "break_points",
    "breaks_before",
    "script_counts",
    "collapse_whitespace",
    "combined_numbers",
    "display_width",
    "is_cjk",
    "is_cjk_punctuation",
    "is_east_asian",
    "is_han",
    "is_wide",
    "join_soft_breaks",
    "join_spaced",
    "joins_without_space",
    "long_words",
    "needs_space",
    "slugify",
    "url_spans",
]

# --- character classes -------------------------------------------------------

# Han ideographs: URO, Ext A-I, compatibility ideographs, radicals, 〇.
_HAN_RANGES = (
    (0x2E80, 0x2FDF),   # CJK radicals supplement, Kangxi radicals
    (0x3005, 0x3007),   # 々 〆 〇
    (0x3021, 0x3029),   # Hangzhou numerals
    (0x3038, 0x303B),
    (0x3400, 0x4DBF),   # Extension A
    (0x4E00, 0x9FFF),   # Unified ideographs
    (0xF900, 0xFAFF),   # Compatibility ideographs
    (0x20000, 0x3FFFF),  # Extensions B-I, compatibility supplement
)

# Characters that are CJK but not Han: kana, bopomofo, hangul, CJK punctuation
# and full-width forms.  Punctuation of this kind is Script=Common, which is why
# a plain "is it Han" test is not enough for soft line breaks.
_CJK_OTHER_RANGES = (
    (0x3000, 0x303F),   # CJK symbols and punctuation
    (0x3040, 0x30FF),   # Hiragana, Katakana
    (0x3100, 0x312F),   # Bopomofo
    (0x31A0, 0x31BF),
    (0x31F0, 0x31FF),
    (0x3200, 0x33FF),   # enclosed, compatibility
    (0xAC00, 0xD7AF),   # Hangul syllables
    (0xFE10, 0xFE1F),   # vertical forms
    (0xFE30, 0xFE4F),   # CJK compatibility forms
    (0xFF00, 0xFFEF),   # half-width and full-width forms
)


#: What the print edition's justification may widen after (a regular
#: expression class): Han, kana, bopomofo, CJK punctuation and full-width
#: forms, the curly quotes, ellipsis, dash and middle dot that CJK text sets
#: full width.  Hangul is left out: Korean sets spaces between words, which
#: WeasyPrint stretches already.
JUSTIFIABLE = (
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026\u2014\u00b7"
    "\U00020000-\U0003ffff]")
#: Full-width marks whose ink stands in one half of their em box, the other
#: half blank (clreq 3.1.6.1): opening brackets and quotation marks on the
#: right (blank left), closing ones on the left (blank right).
OPENING_MARKS = "（〔［｛《〈「『【〖〘“‘"
CLOSING_MARKS = "）〕］｝》〉」』】〗〙”’"
#: The pause and stop marks, which a locale's fonts set either in the left half
#: of the em (blank right) or centred (a quarter blank each side).
PAUSE_MARKS = "，。、：；？！"
#: Every full-width mark of the three kinds (a regular expression class's contents).
FULL_WIDTH_MARKS = OPENING_MARKS + CLOSING_MARKS + PAUSE_MARKS
#: Which pause marks each locale's faces (Noto's region codes) set in the left
#: half; the others are centred.  GB (zh-Hans) sets all seven left; Taiwan and
#: Hong Kong centre them all; Japanese (JIS X 4051) sets 、。， left and
#: centres the rest; Korean centres them.
LEFT_SET_PAUSES = {"SC": PAUSE_MARKS, "TC": "", "HK": "", "JP": "，。、", "KR": ""}


def compressed_marks(text: str, region: str = "SC") -> list[tuple[int, int]]:
    """Where adjacent full-width marks are compressed (标点挤压, clreq 3.1.6.2):
    for each pair of marks set closer, ``(mark, seam)`` — the index of the mark
    set at half width and the index of the pair's first mark.

    Two adjacent marks take 1.5 em, not 2: the mark whose blank half faces the
    other loses it, so brackets stay tight to what they enclose — the first
    for ``？”`` ``。」`` ``）。`` (blank on the right), the second for ``（「``
    (blank on the left).  A run compresses pair by pair, each mark at most
    once.  Centred marks (``region``'s faces: Taiwan and Hong Kong centre
    ，。、：；？！) keep their full width, as Taiwan practice sets them; a
    bracket beside one still loses the blank that faces it (``：「``).

    >>> compressed_marks("道：“好？”")
    [(1, 1), (4, 4)]
    >>> compressed_marks("（「注」）")
    [(1, 0), (3, 3)]
    >>> compressed_marks("曰：「善。」", "TC")
    [(2, 1)]
    """
    if not MARK_PAIR.search(text):
        return []
    left_set = LEFT_SET_PAUSES.get(region, PAUSE_MARKS)
    found: list[tuple[int, int]] = []
    done = -1  # the last mark compressed
    for pair in MARK_PAIR.finditer(text):
        seam = pair.start()
        first, second = text[seam], text[seam + 1]
        if done != seam and (first in CLOSING_MARKS or first in left_set):
            done = seam
        elif second in OPENING_MARKS:
            done = seam + 1
        else:
            continue
        found.append((done, seam))
    return found


#: The first of two adjacent full-width marks (``compressed_marks``' pairs).
MARK_PAIR = re.compile(f"[{FULL_WIDTH_MARKS}](?=[{FULL_WIDTH_MARKS}])")


def _in(ranges: tuple[tuple[int, int], ...], ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in ranges)


@lru_cache(maxsize=8192)
def is_han(ch: str) -> bool:
    """True for a Han ideograph: ``is_han("中") -> True``, ``is_han("。") -> False``."""
    return _in(_HAN_RANGES, ch)


@lru_cache(maxsize=8192)
def is_cjk(ch: str) -> bool:
    """True for any CJK character, punctuation included: ``is_cjk("，") -> True``."""
    return _in(_HAN_RANGES, ch) or _in(_CJK_OTHER_RANGES, ch) or ch in "“”‘’…—·"


@lru_cache(maxsize=8192)
def is_east_asian(ch: str) -> bool:
    """True for a character only CJK text uses: ``is_cjk`` without the curly
    quotes, ellipsis, dash and middle dot Latin text shares with it
    (``is_east_asian("，") -> True``, ``is_east_asian("”") -> False``)."""
    return _in(_HAN_RANGES, ch) or _in(_CJK_OTHER_RANGES, ch)


def is_cjk_punctuation(ch: str) -> bool:
    """True for a CJK punctuation mark: ``is_cjk_punctuation("。") -> True``."""
    return is_cjk(ch) and not is_han(ch) and unicodedata.category(ch).startswith("P")


@lru_cache(maxsize=8192)
def is_wide(ch: str) -> bool:
    """True when ``ch`` takes two columns (East Asian Wide or Fullwidth)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def display_width(text: str, ambiguous: int = 1) -> int:
    """Columns ``text`` takes in a monospaced terminal: ``display_width("中文ab") -> 6``.

    Combining marks, variation selectors and zero-width characters take
    none; a mark or symbol of East Asian Width "Ambiguous" (“ ” · → ─) takes
    ``ambiguous`` columns: 2 for a CJK monospaced face, which draws most of
    them full width (not its Greek and Cyrillic letters, which it sets narrow).
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        if "\ufe00" <= ch <= "\ufe0f":  # variation selectors
            continue
        if is_wide(ch):
            width += 2
        elif (ambiguous != 1 and unicodedata.east_asian_width(ch) == "A"
              and not unicodedata.category(ch).startswith("L")):
            width += ambiguous  # a mark or symbol; Greek and Cyrillic letters stay narrow
        else:
            width += 1
    return width


# --- line breaking (clreq 3.1.7 / JIS X 4051 classes) ------------------------

#: Characters that must not start a line (closing brackets, periods, commas,
#: iteration marks, small kana, the middle dot, and the like).
LINE_START_FORBIDDEN = frozenset(
    "，。、．：；？！,.:;?!）］｝〕〉》」』】〙〗〟’”｠»)]}"
    "ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻"
    "‐゠–〜～…‥・·％%‰℃°"
)

#: Characters that must not end a line (opening brackets and quotes).
LINE_END_FORBIDDEN = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«([{")

#: Runs that must never be split across lines (ellipsis, dash).
INSEPARABLE = ("……", "——", "──")

#: The dash that opens a quotation's attribution (——佚名, — Author, ―Author):
#: the Chinese 破折号, an em dash or the quotation dash, or the hyphens an
#: author types for them (``--``, ``---``).
_ATTRIBUTION = re.compile(r"[ \t]*(——|—(?!—)|―|-{2,3}(?!-))[ \t\u3000]*")
_ATTRIBUTION_COLUMNS = 40  # a name and a title: half a line of a Chinese book, at most
_SENTENCE_END = frozenset("。！？.!?…")


def attribution_dash(line: str, more: bool = False) -> tuple[str, int] | None:
    """The dash a line that opens with an attribution should show, and where
    the name after it starts; ``None`` when the line opens with no such dash
    and a name (``more``: markup follows the text, which may end at the dash),
    or with a sentence (longer than 40 columns, or ending as one ends: a line
    of dialogue) or an option (``--verbose``):
    ``attribution_dash("--老子") -> ('——', 2)``, ``attribution_dash("— Ovid")
    -> ('— ', 2)``.  Typed hyphens become the dash of the text they open:
    —— before CJK, — before Latin (a space after an em dash is kept)."""
    found = _ATTRIBUTION.match(line)
    if found is None or not (found.end() < len(line) or more):
        return None
    name = line[found.end():].strip()
    # A name and a source, not a line of dialogue (— Chez moi, dit-il.) nor an
    # option typed with hyphens (--verbose)
    if display_width(name) > _ATTRIBUTION_COLUMNS or name[-1:] in _SENTENCE_END or (
            found.group(1).startswith("-") and name[:1].islower()):
        return None
    dash, spaced = found.group(1), found.end() > found.end(1)
    if dash.startswith("-"):
        east_asian = found.end() < len(line) and is_east_asian(line[found.end()])
        dash = "——" if east_asian else "—"
    return dash + (" " if spaced and dash != "——" else ""), found.end()


# --- reader-side normalization ----------------------------------------------


def joins_without_space(before: str, after: str) -> bool:
    """True when a line break between these two characters is no space at all.

    Both must be wide or CJK (curly quotes are "ambiguous" width but full
    width in Chinese text): ``joins_without_space("”", "继") -> True``.
    """
    return (is_wide(before) or is_cjk(before)) and (is_wide(after) or is_cjk(after))


def join_soft_breaks(text: str) -> str:
    """Resolve the soft line breaks of a Markdown paragraph.

    A break between two wide characters disappears (CJK text has no word
    spaces); any other break becomes one space, as between Latin words.

    >>> join_soft_breaks("中文\\n排版 and\\nmore")
    '中文排版 and more'
    """
    if "\n" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        before, after = m.group(1), m.group(2)
        if before and after and joins_without_space(before, after):
            return before + after
        return before + " " + after

    return _SOFT_BREAK_RE.sub(repl, text)


_SOFT_BREAK_RE = re.compile(r"(.?)[ \t]*\n[ \t]*(.?)", re.S)


def collapse_whitespace(text: str) -> str:
    """Collapse runs of white space the way HTML does, CJK-aware.

    ``collapse_whitespace("中\\n  文  a\\n b") -> "中文 a b"``
    """
    text = join_soft_breaks(text)
    return _WS_RE.sub(" ", text)


_WS_RE = re.compile(r"[ \t\r\n\f]+")


# --- Han-Latin spacing -------------------------------------------------------

#: Latin letters and digits (a regular expression class's contents): what
#: ``autospace`` spaces from Han, and what ``wrapping.wrap`` keeps whole.
LATIN = r"A-Za-z0-9\u00C0-\u024F"
_HAN_CLASS = (
    r"\u2E80-\u2FDF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF"
    r"\U00020000-\U0003FFFF"
)
_HAN_THEN_LATIN = re.compile(rf"([{_HAN_CLASS}])([{LATIN}])")
_LATIN_THEN_HAN = re.compile(rf"([{LATIN}%])([{_HAN_CLASS}])")
# Tokens that are never touched: URLs and e-mail addresses (ASCII only, so a
# URL followed by Chinese text ends where the Chinese begins).  They are what
# this regular expression finds with ``finditer``:
#
#     (?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)[!-~]+
#     |[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+
#
# but ``finditer`` would try it at every position of a run of
# ``[A-Za-z0-9._%+-]``, each try reading to the end of the run: quadratic time
# on a long run (100K letters took half a minute).  ``_protected_spans`` gives
# the same spans in linear time.  Every match starts inside a run of that class
# (call it [s, e)), and none can start inside a run without the run's end
# deciding it: the e-mail form matches from any position of the run iff an
# ``@domain.tld`` follows e; the scheme form only from the first letter of the
# run's last ``[a-zA-Z0-9+.-]`` stretch, iff ``://`` and a printable character
# follow e; ``mailto:`` only 6 before e; ``www.`` at its first occurrence (a
# later one can only be tried if the first one ends the run).  So each run is
# settled by at most four anchored matches of the original alternatives.
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*+://|www\.|mailto:)[!-~]+")
_MAIL_TAIL = re.compile(r"@[A-Za-z0-9-]++\.[A-Za-z0-9.-]+")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9._%+-]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each URL or e-mail address in ``text``, left to right."""
    pos = 0
    while (run := _TOKEN_RUN.search(text, pos)) is not None:
        start, end = run.span()  # the run from ``pos`` on, as finditer would see it
        mail = _MAIL_TAIL.match(text, end)
        if mail is not None:  # the e-mail form matches at ``start``, unless a URL does
            url = _URL.match(text, start)
            span = url.span() if url is not None else (start, mail.end())
            yield span
            pos = span[1]
            continue
        candidates = []
        if text.startswith("://", end):
            stretch = max(start, text.rfind("_", start, end) + 1, text.rfind("%", start, end) + 1)
            if (letter := _ASCII_LETTER.search(text, stretch, end)) is not None:
                candidates.append(letter.start())
        if (www := text.find("www.", start, end)) >= 0:
            candidates.append(www)
        if end - start >= 6 and text.startswith("mailto:", end - 6):
            candidates.append(end - 6)
        for candidate in sorted(candidates):
            if (url := _URL.match(text, candidate)) is not None:
                yield url.span()
                pos = url.end()
                break
        else:
            pos = end


#: The (start, end) of each URL or e-mail address in a text, left to right.
url_spans = _protected_spans


def _class_of(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regular expression class's contents for ``ranges`` of code points."""
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


# No line may break inside such a run: no blank, no CJK character (a line may
# break before or after one), no hyphen (after which Pango breaks), no
# zero-width space (a break the print renderer marks); no < or >, so that
# the runs of a text in markup stop at its tags.
_UNBREAKABLE_RUN = re.compile(
    "[^\\s<>\u200b\\-" + _class_of(_HAN_RANGES + _CJK_OTHER_RANGES) + "]+")


def long_words(value: str, longer_than: int) -> list[tuple[int, int]]:
    """(start, end) of each run of ``value`` no line break can fall in that is
    more than ``longer_than`` characters long: a word that a line may not
    hold, which then has to break anywhere.

    >>> long_words("见 abcdefghij 和 https://x.org/abcdefghijk。", 8)
    [(2, 12), (15, 40)]
    """
    return [found.span() for found in _UNBREAKABLE_RUN.finditer(value)
            if found.end() - found.start() > longer_than]


def autospace(text: str, gap: str = " ") -> str:
    """Put ``gap`` between a Han character and an adjacent Latin letter or digit.

    Text already spaced is left alone and URLs are never changed.  Writers
    choose the gap; the text edition and XHTML use a plain space.

    >>> autospace("使用Python 3编写，50%的人")
    '使用 Python 3 编写，50% 的人'
    >>> autospace("见https://example.com/a_b文档")
    '见 https://example.com/a_b 文档'
    """
    if not text or not _LATIN_ANY.search(text):
        return text  # nothing to space: most of a Chinese novel
    parts: list[str] = []
    pos = 0
    for start, end in _protected_spans(text):
        parts.append(_space_plain(text[pos:start], gap))
        parts.append(text[start:end])
        pos = end
    parts.append(_space_plain(text[pos:], gap))
    return join_spaced(parts, gap)


def join_spaced(parts: list[str], gap: str = " ") -> str:
    """Join pieces of text, putting ``gap`` where a Han character meets a Latin one.

    Writers call it for the seams between inline elements
    (``join_spaced(["用", "Python"]) -> '用 Python'``).
    """
    result = ""
    for part in parts:
        if result and part and needs_space(result[-1], part[0]):
            result += gap
        result += part
    return result


def needs_space(left: str, right: str) -> bool:
    """True when a Han character and a Latin letter or digit meet: ``needs_space("中", "A")``."""
    return bool(
        (_HAN_ONE.match(left) and _LATIN_ONE.match(right))
        or (_LATIN_ONE.match(left) and _HAN_ONE.match(right))
    )


_HAN_ONE = re.compile(rf"[{_HAN_CLASS}]")
_LATIN_ANY = re.compile(rf"[{LATIN}]")
_LATIN_ONE = re.compile(rf"[{LATIN}]")


def _space_plain(text: str, gap: str) -> str:
    text = _HAN_THEN_LATIN.sub(rf"\1{gap}\2", text)
    return _LATIN_THEN_HAN.sub(rf"\1{gap}\2", text)


# --- break opportunities inside a token ------------------------------------------

#: What code and URLs may break after (a blank too): the one list for inline
#: code, URLs and code blocks.
_BREAK_AFTER = frozenset(" \t/._(,[{;&?=|:")


def breaks_before(text: str, k: int) -> bool:
    """Whether a line may break before ``text[k]`` inside code or a URL:
    after a blank or one of ``/ . _ ( , [ { ; & ? = | :`` and between
    camelCase parts; before a hyphen (never after one: a line-final hyphen is
    taken for a word's and dropped when the text is copied); between two CJK
    characters; never inside ``::`` ``//`` ``->`` ``=>`` ``</`` ``/>`` ``:/``
    or a number (``3.14``), never against kinsoku (a code bracket may end a
    line)."""
    before, after = text[k - 1], text[k]
    if (after in " \t" or after in LINE_START_FORBIDDEN or before == "-"
            or (before in LINE_END_FORBIDDEN and before not in "([{")):
        return False
    if before in " \t" or (after == "-" and before.isalnum()):
        return True
    if before in _BREAK_AFTER:
        if after == before or after == ">" or text[k - 1: k + 1] == ":/" or \
                text[k - 2: k] == "</":
            return False
        return not (before == "." and after.isdigit() and text[k - 2: k - 1].isdigit())
    if after.isupper() and (before.islower() or before.isdigit() or (
            before.isupper() and text[k + 1: k + 2].islower())):
        return before.isascii() and after.isascii()  # makeHandler, HTML|Parser
    return is_wide(before) or is_wide(after)


def break_points(token: str) -> list[int]:
    """Where the print edition marks a break inside ``token`` (inline code, a
    URL), as the indices of the characters a new line would start with:
    ``breaks_before``'s places, but blanks and CJK characters (where a line
    breaks anyway) and the first and last two characters.  Nothing is added
    there (no hyphen: a hyphen would change the code or the address).

    >>> [("make_initialized_handler"[:i]) for i in break_points("make_initialized_handler")]
    ['make_', 'make_initialized_']
    >>> break_points("querySelectorAll"), break_points("self->next"), break_points("x=>y+3.14")
    ([5, 13], [4], [])
    >>> break_points("https://example.com/a-b")
    [8, 16, 20, 21]
    """
    return [k for k in range(2, len(token) - 1)
            if token[k - 1] not in " \t" and not is_wide(token[k - 1]) and not is_wide(token[k])
            and breaks_before(token, k)]


# --- paragraph ends (孤字) ------------------------------------------------------

WORD_JOINER = "\u2060"
_LAST_TWO = re.compile(
    rf"[{_HAN_CLASS}]{{2}}[{''.join(re.escape(ch) for ch in sorted(LINE_START_FORBIDDEN))}]*$")


def hold_last_two(text: str) -> str:
    """``text`` with a word joiner (no glyph, no break) between its last two Han
    characters when it ends with them and closing marks, so that the last line
    of a paragraph never holds one character alone (孤字):
    ``hold_last_two("奇花日日新。") -> "奇花日日\u2060新。"``."""
    found = _LAST_TWO.search(text)
    if found is None:
        return text
    return f"{text[:found.start() + 1]}{WORD_JOINER}{text[found.start() + 1:]}"


# --- writing systems -----------------------------------------------------------

#: What a text is written in, for telling its language (regular expression classes).
SCRIPTS = {
    "han": f"[{_HAN_CLASS.replace(chr(92) + 'u3040-' + chr(92) + 'u30FF', '')}]",
    "kana": "[\u3040-\u309F\u30A0-\u30FF\u31F0-\u31FF\uFF66-\uFF9D]",
    "hangul": "[\uAC00-\uD7A3\u1100-\u11FF\u3130-\u318F]",
    "latin": "[A-Za-z\u00C0-\u024F]",
}
#: Frequent characters written one way in Simplified Chinese and another in
#: Traditional, each used in one of the two only (们/們, 这/這, 说/說…), paired.
SIMPLIFIED_ONLY = (
    "们这说个为来时国会对见长门问间开关听东车马鸟鱼龙风飞书学觉还进过边远运连选话语读认识"
    "请让谁该论设记变点热无与从众儿机杀师头实现发经给红线结绝级纸张弹归岁万岂气汉爱电数业"
    "两应义乐乡买卖钱银铁错亲观视亿价体华单卫历压双员图报场声处备宝宁将层带广庆废强当录彻"
    "总恶戏战护拥择据断旧显杂权条极样桥检欢残毕没济灭灯灵烦爷状独猪环产画疗盖监码确礼称积"
    "穷笔简类粮紧练组细终绍统继续维综罗职联肃胜脑脸艺节苏药获虽补装规览计订训议访证评试诗"
    "详误调谈谢贝负财责败货质贵费资赛赵趋轻较辆输办辞达迁递遗邻郑释针锁镇闭闻阅队阳阴际陆"
    "险随隐难雾静页顶项顺须顾领频题颜额饭饮馆驾验骑鸡齐齿龟")
TRADITIONAL_ONLY = (
    "們這說個為來時國會對見長門問間開關聽東車馬鳥魚龍風飛書學覺還進過邊遠運連選話語讀認識"
    "請讓誰該論設記變點熱無與從眾兒機殺師頭實現發經給紅線結絕級紙張彈歸歲萬豈氣漢愛電數業"
    "兩應義樂鄉買賣錢銀鐵錯親觀視億價體華單衛歷壓雙員圖報場聲處備寶寧將層帶廣慶廢強當錄徹"
    "總惡戲戰護擁擇據斷舊顯雜權條極樣橋檢歡殘畢沒濟滅燈靈煩爺狀獨豬環產畫療蓋監碼確禮稱積"
    "窮筆簡類糧緊練組細終紹統繼續維綜羅職聯肅勝腦臉藝節蘇藥獲雖補裝規覽計訂訓議訪證評試詩"
    "詳誤調談謝貝負財責敗貨質貴費資賽趙趨輕較輛輸辦辭達遷遞遺鄰鄭釋針鎖鎮閉聞閱隊陽陰際陸"
    "險隨隱難霧靜頁頂項順須顧領頻題顏額飯飲館駕驗騎雞齊齒龜")
# Each pattern finds runs of its characters, counted by their lengths: a
# book's Han is hundreds of thousands of characters, a list of one-character
# matches each.
_COUNTED = {name: re.compile(f"(?:{cls})+") for name, cls in SCRIPTS.items()} | {
    "simplified": re.compile(f"[{SIMPLIFIED_ONLY}]+"),
    "traditional": re.compile(f"[{TRADITIONAL_ONLY}]+"),
}


def script_counts(text: str) -> dict[str, int]:
    """How many characters of ``text`` each writing system has (``SCRIPTS``), and
    how many are Simplified-only and Traditional-only:
    ``script_counts("這是中文 text")`` -> han 4, latin 4, traditional 1, the rest 0."""
    return {name: sum(map(len, pattern.findall(text))) for name, pattern in _COUNTED.items()}


# --- vertical text --------------------------------------------------------------

# A number of one or two digits standing alone: no digit, letter or decimal
# point next to it, and no Latin word beside it (Python 3, 3 GHz stay Latin).
# The space ``autospace`` put between it and Han text is part of the match.
_COMBINED = re.compile(
    rf"(?:(?<=[{_HAN_CLASS}]) )?(?<![0-9A-Za-z.,:/+\-])(?<![A-Za-z] )([0-9]{{1,2}})"
    rf"(?![0-9A-Za-z%.,:/+\-])(?! [A-Za-z])(?: (?=[{_HAN_CLASS}]))?")


def combined_numbers(text: str) -> list[tuple[int, int, str]]:
    """Where vertical text sets a number upright, its digits side by side in
    one character's square (縦中横, clreq 3.3.2; CSS ``text-combine-upright``):
    the numbers of one or two digits that stand alone, each as (start, end,
    digits), the span taking in the spaces between it and Han text (vertical
    text sets none there).
    ``combined_numbers("第 3 回共 120 人")`` -> ``[(1, 4, "3")]``."""
    return [(found.start(), found.end(), found.group(1)) for found in _COMBINED.finditer(text)]


# --- slugs -------------------------------------------------------------------

def slugify(text: str, fallback: str = "book") -> str:
    """An ASCII-safe file name stem: ``slugify("DeepSeek 访谈 2024") -> 'deepseek-2024'``.

    Non-ASCII text is dropped; when nothing is left, ``fallback`` is returned.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or fallback


# --- what ``publish lint`` reads as Chinese text ----------------------------------

#: Han and the full-width marks around it (a regular expression class): a
#: half-width mark next to one of these stands in Chinese text (clreq 3.1).
CHINESE_TEXT = f"{_HAN_CLASS}{re.escape(FULL_WIDTH_MARKS)}\u2026\u2014\u00b7"
#: Han alone (a regular expression class).
HAN = _HAN_CLASS
#: The half-width marks GB/T 15834 sets full width in Chinese text, with that form.
FULL_WIDTH_OF = {",": "，", ".": "。", "?": "？", ":": "：", ";": "；", "!": "！",
                 "(": "（", ")": "）"}
#: The paired marks of Chinese text, opening to closing (GB/T 15834 4.1, 4.8–4.9).
PAIRED_MARKS = dict(zip("“‘「『（《〈【〔", "”’」』）》〉】〕"))
