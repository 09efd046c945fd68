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

# --- Markdown breadth (issue 14): admonition titles, task-list checkboxes ------
# An admonition without a title of its own (GitHub's ``> [!TIP]``, ``!!! tip``)
# is titled with its kind's word; the checkboxes are characters, the same in
# every language.  Kept in one block, laid over the table.
_ADMONITIONS: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "admonition.note": "注意", "admonition.tip": "提示", "admonition.important": "重要",
        "admonition.warning": "警告", "admonition.caution": "谨慎", "admonition.danger": "危险",
        "admonition.error": "错误", "admonition.hint": "提示", "admonition.attention": "注意",
        "admonition.text": "【{title}】",
        "task.todo": "\u2610", "task.done": "\u2611",
    },
    "zh-Hant": {
        "admonition.note": "注意", "admonition.tip": "提示", "admonition.important": "重要",
        "admonition.warning": "警告", "admonition.caution": "謹慎", "admonition.danger": "危險",
        "admonition.error": "錯誤", "admonition.hint": "提示", "admonition.attention": "注意",
    },
    "en": {
        "admonition.note": "Note", "admonition.tip": "Tip", "admonition.important": "Important",
        "admonition.warning": "Warning", "admonition.caution": "Caution",
        "admonition.danger": "Danger", "admonition.error": "Error", "admonition.hint": "Hint",
        "admonition.attention": "Attention", "admonition.text": "[{title}]",
    },
}
for _tag, _words in _ADMONITIONS.items():
    _TABLE.setdefault(_tag, {}).update(_words)


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
