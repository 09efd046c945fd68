"""Every fixed string an edition prints, in one table keyed by language.

``labels(language)`` gives the strings for a book's BCP 47 language tag:
the entry of the longest matching tag (``zh-Hant-TW`` → ``zh-Hant`` →
``zh``), laid over the base table (Simplified Chinese, the books publish was
made for), so a language with a partial entry still gets every key.  The
writers and the shared XHTML renderer take their words from here and nowhere
else: contents, notes, landmarks, the copyright page's row names, the role
of each contributor (MARC relators), the scene break of the text edition,
the accessibility summary, and the names given to headings without text.
Imports nothing from the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

BASE = "zh-Hans"

_TABLE: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "contents": "目录",
        "notes": "注释",
        "cover": "封面",
        "cover_alt": "封面：{title}",
        "body": "正文",
        "landmarks": "导览",
        "copyright": "版权信息",
        "image": "［图：{alt}］",
        "row.title": "书名",
        "row.publisher": "出版",
        "row.edition": "版次",
        "row.date": "日期",
        "row.identifier": "标识",
        "row.isbn": "ISBN",
        "title_subtitle": "{title}：{subtitle}",
        "name_role": "{name}\u3000{role}",
        "role.aut": "著", "role.trl": "译", "role.edt": "编", "role.ill": "绘",
        "role.ive": "受访", "role.ivr": "采访", "role.ctb": "参与", "role.pht": "摄影",
        "role.aui": "序", "role.pbl": "出版",
        "scene_break": "＊\u3000＊\u3000＊",
        "a11y_summary": "本书为可重排文本，有目录和章节结构导航，阅读顺序与印刷版一致",
        "a11y_summary_alt": "；所有图片都有替代文字。",
        "a11y_summary_end": "。",
        "untitled.chapter": "第{n}章",
        "untitled.part": "第{n}部分",
        "untitled.section": "第{n}节",
        "numerals": "chinese",
    },
    # Another language overrides what it has; the rest comes from the base.
    "en": {
        "untitled.chapter": "Chapter {n}",
        "untitled.part": "Part {n}",
        "untitled.section": "Section {n}",
        "numerals": "arabic",
    },
}


def labels(language: str) -> Mapping[str, str]:
    """The strings for ``language``: ``labels("zh-Hans")["contents"] -> '目录'``."""
    table = dict(_TABLE[BASE])
    parts = language.replace("_", "-").split("-") if language else []
    known = {tag.lower(): tag for tag in _TABLE}
    matches = ["-".join(parts[:n]).lower() for n in range(1, len(parts) + 1)]
    for tag in matches:  # shortest first, so the longest match wins
        if tag in known:
            table.update(_TABLE[known[tag]])
    return MappingProxyType(table)


def role(language: str, relator: str) -> str:
    """The word for a MARC relator role: ``role("zh-Hans", "trl") -> '译'``; an
    unknown role is shown as it is."""
    return labels(language).get(f"role.{relator}", relator)


#: Languages written in the Latin script (ISO 639 codes), whose books are set
#: the Western way: paragraphs indented after the first, emphasis in italic.
_LATIN_SCRIPT = frozenset(
    "af ast az br bs ca cs cy da de en eo es et eu fi fil fo fr fy ga gd gl ha hr ht hu id is "
    "it jv ku la lb lt lv mg mi ms mt nb nl nn no oc pl pt qu rm ro sk sl so sq sv sw tl tr "
    "uz vi wa yo zu".split())


def latin_script(language: str) -> bool:
    """Whether a book in ``language`` (BCP 47) is written in the Latin script:
    ``latin_script("en-GB") -> True``, ``latin_script("zh-Hans") -> False``,
    ``latin_script("sr-Latn") -> True``."""
    subtags = language.replace("_", "-").lower().split("-") if language else [""]
    scripts = [tag for tag in subtags[1:] if len(tag) == 4 and tag.isalpha()]
    if scripts:
        return scripts[0] == "latn"
    return subtags[0] in _LATIN_SCRIPT
