"""The conversion points of a Traditional Chinese text: characters one
Simplified character stands for several of (丑 → 丑/醜, 后 → 后/後,
干 → 干/乾/幹, 发 → 發/髮 …), found where the context says the other one
was meant.  A converter (OpenCC) picks one reading by its dictionary; a
proof-reader must look where the context is one the dictionary missed.

Each entry: the character as written, the context (a regular expression
around it, the character in the group ``c``), the character meant, and why.
Only contexts that settle the reading are listed, so that a long novel
gets few false alarms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .punctuation import Hit, Style

_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_STEMS = "甲乙丙丁戊己庚辛壬癸"

#: (context with the wrong character as group ``c``, the right one, why).
CONVERSION_POINTS: tuple[tuple[str, str, str], ...] = (
    (rf"(?:(?<=[{_BRANCHES}])|(?<=[{_BRANCHES}][、，,]))(?P<c>醜)|(?P<c2>醜)(?=[、，,]?[{_BRANCHES}])", "丑",
     "an earthly branch among the others"),
    (rf"(?<=[{_STEMS}])(?P<c>醜)", "丑", "an earthly branch after a heavenly stem (干支)"),
    (r"(?P<c>醜)(?=[時刻會年月日牌牛])", "丑", "the earthly branch (丑時, 丑年, 丑會…)"),
    (r"(?<=[皇太])(?P<c>後)|(?P<c2>後)(?=土)|(?<=王)(?P<c3>後)(?=[娘陛殿之，。、])", "后",
     "a queen or the earth goddess (皇后, 太后, 后土)"),
    (r"(?P<c>[乾幹])(?=支)|(?<=天)(?P<c2>[乾幹])(?=地支|[、，])|(?<=若)(?P<c3>[乾幹])"
     r"|(?P<c4>[乾幹])(?=[戈涉預擾])|(?<=相)(?P<c5>[乾幹])(?![淨燥])", "干",
     "干 of 干支, 天干, 若干, 干戈, 干涉, 相干"),
    (r"(?<=[頭理毛白鬢華黑銀秀長短削落散束])(?P<c>發)(?![生現展動出表明財揮作覺起揚達])"
     r"|(?P<c2>發)(?=[髻梢絲辮簪膚])", "髮", "hair (頭髮, 理髮, 白髮, 髮髻)"),
    (r"(?P<c>髮)(?=[生現展動出表明財揮作覺起揚達])|(?<=[出開告啟])(?P<c2>髮)", "發",
     "發 of 發生, 出發, 發現 (not hair)"),
    (r"(?P<c>隻)(?=[是有要好能得怕顧管])|(?<=不)(?P<c2>隻)(?=[是有])", "只",
     "只 'only' (只是, 只有), not the measure word 隻"),
    (r"(?<=[詩書經傳古人子或有])(?P<c>雲)(?=[：:「，])|(?P<c2>雲)(?=雲[。，])", "云",
     "云 'to say' (詩云, 古人云, 云云)"),
    (r"(?<=[見當對前後表外上])(?P<c>麵)(?![條粉包食])|(?P<c2>麵)(?=[前目容貌對])", "面",
     "面 'face, side', not noodles"),
    (r"(?<=[山深幽峽溪川])(?P<c>穀)(?![物子粒米])", "谷", "谷 'valley', not grain"),
)
_COMPILED = tuple((re.compile(context), right, why) for context, right, why in CONVERSION_POINTS)


def conversion_points(text: str, style: Style) -> Iterator[Hit]:
    """Each character of ``CONVERSION_POINTS`` where its context says the
    other reading (Traditional books only)."""
    if not style.traditional:
        return
    for pattern, right, why in _COMPILED:
        for found in pattern.finditer(text):
            name = next(key for key, value in found.groupdict().items() if value)
            start, end = found.span(name)
            yield Hit(start, end, right, f"{text[start]} here is {right}: {why}")
