"""Every fixed string an edition prints, in one table keyed by language.

``labels(language, overrides)`` gives the strings for a book's BCP 47
language tag: the entry of the longest matching tag (``zh-Hant-TW`` →
``zh-Hant`` → ``zh``; ``zh-TW``, ``zh-HK`` and ``yue`` are read as
``zh-Hant``), laid over the base table of the language's script (Simplified
Chinese for Chinese and Japanese, English for every other language), then
the book's own ``[labels]`` from book.toml.  The writers and the shared XHTML
renderer take their words from here and nowhere else: contents, notes,
landmarks, the copyright page's row names, the role of each contributor
(MARC relators) and the credit lines of the title page and the cover, the
numbering of chapters, parts and sections and the labels of appendices,
the text edition's paragraph indent, rules, scene break and emphasis mark,
the print edition's note marks and contents leaders, and the accessibility
summary.

Templates hold ``{name}``-style fields; a number is ``{n}`` (digits),
``{n:zh}`` (一, 十二), ``{n:word}`` (One, Twelve) or ``{n:roman}`` (XII),
filled by ``numbers.number_label``.  Imports nothing from the package.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType

_ZH_HANS: dict[str, str] = {
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
    # A contributor on the title page and in the text edition (``byline.<role>``
    # when a language words a role so), and on the cover, joined by ``credits``.
    "name_role": "{name}\u3000{role}",
    "cover_credit": "{name} {role}",
    "credits": "\u3000",
    "role.aut": "著", "role.trl": "译", "role.edt": "编", "role.ill": "绘",
    "role.ive": "受访", "role.ivr": "采访", "role.ctb": "参与", "role.pht": "摄影",
    "role.aui": "序", "role.pbl": "出版",
    "speaker": "{speaker}：",
    # Numbering: chapter labels (chapter_label = "chapter"), parts, and the
    # names of headings without text; the label stands before the title.
    "chapter": "第{n:zh}章",
    "part": "第{n:zh}部",
    "section": "第{n:zh}节",
    # An appendix (back matter, reader/matter.py): {letter} is A, B… by its
    # place or the mark its title gives (二, 1); a lone appendix has none.
    "appendix": "附录 {letter}",
    "label_title": "\u3000",
    # Brackets the fallback of ruby (<rp>) and a link in the text edition.
    "rp_open": "（", "rp_close": "）",
    "txt.link": "{text}（{url}）",
    "txt.ruby": "{base}（{annotation}）",
    # The text edition: first-line indent, contents indent, title rules, scene
    # break, the mark around emphasis (none: Chinese plain text has none).
    "txt.indent": "\u3000\u3000",
    "txt.toc_indent": "\u3000\u3000",
    "txt.chapter_rule": "＝",
    "txt.section_rule": "－",
    "scene_break": "＊\u3000＊\u3000＊",
    "txt.emphasis": "",
    # The print edition: a note's call and its mark at the foot of the page
    # ({mark}: the note's number in the CSS counter style ``note_style``), and
    # the leader between a contents line and its page number.
    "note_style": "circled",
    "note_call": "{mark}",
    "note_marker": "{mark} ",
    "toc_leader": "·",
    "a11y_summary": "本书为可重排文本，有目录和章节结构导航，阅读顺序与印刷版一致",
    "a11y_summary_alt": "；所有图片都有替代文字。",
    "a11y_summary_end": "。",
}

_ZH_HANT: dict[str, str] = {
    "contents": "目錄",
    "notes": "註釋",
    "cover_alt": "封面：{title}",
    "landmarks": "導覽",
    "copyright": "版權資訊",
    "image": "［圖：{alt}］",
    "row.title": "書名",
    "row.identifier": "標識",
    "role.trl": "譯", "role.edt": "編", "role.ill": "繪", "role.ive": "受訪",
    "role.ivr": "採訪", "role.ctb": "參與", "role.pht": "攝影",
    "section": "第{n:zh}節",
    "appendix": "附錄 {letter}",
    "a11y_summary": "本書為可重排文字，有目錄和章節結構導覽，閱讀順序與印刷版一致",
    "a11y_summary_alt": "；所有圖片都有替代文字。",
}

_JA: dict[str, str] = {
    "contents": "目次",
    "notes": "注",
    "cover": "表紙",
    "cover_alt": "表紙：{title}",
    "body": "本文",
    "landmarks": "ランドマーク",
    "copyright": "奥付",
    "image": "［図：{alt}］",
    "row.title": "書名",
    "row.publisher": "発行所",
    "row.edition": "版",
    "row.date": "発行日",
    "row.identifier": "識別子",
    "title_subtitle": "{title}　{subtitle}",
    "role.aut": "著", "role.trl": "訳", "role.edt": "編", "role.ill": "絵",
    "role.ive": "談", "role.ivr": "聞き手", "role.ctb": "協力", "role.pht": "写真",
    "role.aui": "序", "role.pbl": "発行",
    "section": "第{n:zh}節",
    "appendix": "付録 {letter}",
    "a11y_summary": "本書はリフロー型のテキストで、目次と章立てで移動でき、読む順序は印刷版と同じです",
    "a11y_summary_alt": "。すべての画像に代替テキストがあります。",
}

_EN: dict[str, str] = {
    "contents": "Contents",
    "notes": "Notes",
    "cover": "Cover",
    "cover_alt": "Cover: {title}",
    "body": "Begin Reading",
    "landmarks": "Landmarks",
    "copyright": "Copyright",
    "image": "[Image: {alt}]",
    "row.title": "Title",
    "row.publisher": "Publisher",
    "row.edition": "Edition",
    "row.date": "Date",
    "row.identifier": "Identifier",
    "row.isbn": "ISBN",
    "title_subtitle": "{title}: {subtitle}",
    "name_role": "{name}, {role}",
    "cover_credit": "{name}, {role}",
    "credits": " · ",
    "role.aut": "Author", "role.trl": "Translator", "role.edt": "Editor",
    "role.ill": "Illustrator", "role.ive": "Interviewee", "role.ivr": "Interviewer",
    "role.ctb": "Contributor", "role.pht": "Photographer", "role.aui": "Introduction",
    "role.pbl": "Publisher",
    "byline.aut": "By {name}", "byline.trl": "Translated by {name}",
    "byline.edt": "Edited by {name}", "byline.ill": "Illustrated by {name}",
    "byline.ive": "With {name}", "byline.ivr": "Interviewed by {name}",
    "byline.ctb": "With {name}", "byline.pht": "Photographs by {name}",
    "byline.aui": "Introduction by {name}", "byline.pbl": "{name}",
    "speaker": "{speaker}: ",
    "chapter": "Chapter {n}",
    "part": "Part {n:word}",
    "section": "Section {n}",
    "appendix": "Appendix {letter}",
    "label_title": "\u2003",
    "rp_open": "(", "rp_close": ")",
    "txt.link": "{text} ({url})",
    "txt.ruby": "{base} ({annotation})",
    # Paragraphs of a plain-text book are told apart by the blank line between
    # them (as Project Gutenberg's are): no first-line indent besides.
    "txt.indent": "",
    "txt.toc_indent": "  ",
    "txt.chapter_rule": "=",
    "txt.section_rule": "-",
    "scene_break": "* * *",
    # Emphasis _thus_, as plain-text English books mark italics (Project
    # Gutenberg's texts do).
    "txt.emphasis": "_",
    # Superior figures for the call; the foot of the page has the number full
    # size, followed by a full stop (Chicago Manual of Style 14.24).
    "note_style": "decimal",
    "note_call": "{mark}",
    "note_marker": "{mark}. ",
    "toc_leader": ".",
    "a11y_summary": "This book is reflowable text with a table of contents and navigation "
                    "by chapters and sections; its reading order is that of the print edition",
    "a11y_summary_alt": "; every image has a text alternative.",
    "a11y_summary_end": ".",
}

# --- Markdown breadth (issue 14): admonition titles, task-list checkboxes ------
# An admonition without a title of its own (GitHub's ``> [!TIP]``, ``!!! tip``)
# is titled with its kind's word; the text edition sets a title as
# ``admonition.text``; the checkboxes are characters, the same in every language.
for _table, _words in (
    (_ZH_HANS, {
        "admonition.note": "注意", "admonition.tip": "提示", "admonition.important": "重要",
        "admonition.warning": "警告", "admonition.caution": "谨慎", "admonition.danger": "危险",
        "admonition.error": "错误", "admonition.hint": "提示", "admonition.attention": "注意",
        "admonition.text": "【{title}】", "task.todo": "\u2610", "task.done": "\u2611"}),
    (_ZH_HANT, {
        "admonition.caution": "謹慎", "admonition.danger": "危險", "admonition.error": "錯誤"}),
    (_JA, {
        "admonition.note": "メモ", "admonition.tip": "ヒント", "admonition.important": "重要",
        "admonition.warning": "警告", "admonition.caution": "注意", "admonition.danger": "危険",
        "admonition.error": "エラー", "admonition.hint": "ヒント", "admonition.attention": "注意"}),
    (_EN, {
        "admonition.note": "Note", "admonition.tip": "Tip", "admonition.important": "Important",
        "admonition.warning": "Warning", "admonition.caution": "Caution",
        "admonition.danger": "Danger", "admonition.error": "Error", "admonition.hint": "Hint",
        "admonition.attention": "Attention", "admonition.text": "[{title}]",
        "task.todo": "\u2610", "task.done": "\u2611"}),
):
    _table.update(_words)

#: The base tables (every key) and the languages laid over them.
_BASES = {"zh-Hans": _ZH_HANS, "en": _EN}
_TABLE: dict[str, tuple[str, dict[str, str]]] = {
    "zh-hans": ("zh-Hans", {}), "zh-hant": ("zh-Hans", _ZH_HANT), "ja": ("zh-Hans", _JA),
    "en": ("en", {}),
}
#: Tags read as another: Chinese of Taiwan, Hong Kong and Macao and Cantonese
#: are written in Traditional characters; Chinese with no script, in Simplified.
_ALIASES = {"zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh-mo": "zh-hant", "yue": "zh-hant",
            "zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh-my": "zh-hans"}

#: Every label's name, and the fields its template may hold.
NAMES: Mapping[str, frozenset[str]] = MappingProxyType({
    name: frozenset(f for _, f, _, _ in string.Formatter().parse(value) if f)
    for table in _BASES.values() for name, value in table.items()
})


def table_of(language: str) -> str:
    """The table ``language`` takes its labels from: ``table_of("zh-TW") ->
    'zh-hant'``, ``table_of("en-GB") -> 'en'``, ``table_of("fr") -> 'en'``."""
    parts = language.replace("_", "-").lower().split("-") if language else ["zh-hans"]
    found = ""
    for n in range(1, len(parts) + 1):  # the longest known prefix wins
        tag = _ALIASES.get("-".join(parts[:n]), "-".join(parts[:n]))
        if tag in _TABLE:
            found = tag
    if not found:
        found = "zh-hans" if parts[0] in ("zh", "lzh", "wuu", "hak", "nan", "gan") else "en"
    return found


def labels(language: str, overrides: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The strings for ``language``: ``labels("zh-Hans")["contents"] -> '目录'``,
    ``labels("en")["contents"] -> 'Contents'``; ``overrides`` (book.toml's
    ``[labels]``, checked by the reader) win."""
    base, entry = _TABLE[table_of(language)]
    table = dict(_BASES[base])
    table.update(entry)
    table.update(overrides or {})
    return MappingProxyType(table)


def credit(words: Mapping[str, str], relator: str, name: str, key: str = "name_role") -> str:
    """A contributor as the title page names them: ``'张三\u3000著'``, ``'By Jane Doe'``
    (``key="cover_credit"``: as the cover does)."""
    template = words.get(f"byline.{relator}") or words[key]
    return template.format(name=name, role=words.get(f"role.{relator}", relator))


def appendix_label(words: Mapping[str, str], letter: str, title: str = "x") -> str:
    """An appendix's label from ``words`` (its ``appendix``), with the space
    before its ``title`` when it has one (``label_title``):
    ``appendix_label(labels("zh-Hans"), "A", "数据") -> '附录 A\u3000'``; a lone
    appendix (``letter`` "") is just 附录, and none when its title is that
    word already; a Chinese numeral follows the word without a space (附录二)."""
    label = words["appendix"].format(letter=letter).strip()
    if letter and not letter.isascii():
        label = label.replace(" " + letter, letter)
    if title.strip() == label:
        return ""
    return label + words["label_title"] if title.strip() else label


def template_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot stand for the label ``name`` (a field it does not
    have, a stray brace), or None."""
    try:
        fields = [(f, spec) for _, f, spec, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as e:
        return f"{e} (write {{{{ and }}}} for a brace)"
    allowed = NAMES.get(name, frozenset())
    for field, spec in fields:
        if field not in allowed:
            known = ", ".join(f"{{{f}}}" for f in sorted(allowed)) or "none"
            return f"{{{field}}} is not one of its fields ({known})"
        if spec and (field != "n" or spec not in ("zh", "word", "roman")):
            return f"{{{field}:{spec}}}: a number is {{n}}, {{n:zh}}, {{n:word}} or {{n:roman}}"
    if name == "note_style" and not value.replace("-", "").isalnum():
        return "a CSS counter style's name, such as circled or decimal"
    return None
