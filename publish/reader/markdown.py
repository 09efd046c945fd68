"""NormalizeExtension: the Python-Markdown passes that make our input dialect.

Each rule is one small processor, registered by name and priority (higher
runs first; Python-Markdown's own ``inline`` treeprocessor is 20):

| Class                       | Registry            | Name               | Priority |
|-----------------------------|---------------------|--------------------|----------|
| ``LiteralTagProcessor``     | ``inlinePatterns``  | ``html``           | 90       |
| ``PlainTextTreeprocessor``  | ``treeprocessors``  | ``plain_text``     | 25       |
| ``_RecordEmphasis``         | ``treeprocessors``  | ``emphasis_record``| 21       |
| ``EmphasisGuard…``          | ``treeprocessors``  | ``emphasis_guard`` | 19       |
| ``SoftBreakTreeprocessor``  | ``treeprocessors``  | ``cjk_soft_break`` | 15       |
| ``DialogueTreeprocessor``   | ``treeprocessors``  | ``dialogue``       | 14       |

- ``html`` replaces Python-Markdown's inline HTML pattern: a tag whose
  partner is not in the same paragraph or heading (``# <a> 元素``) is text,
  not markup, so a title that names a tag keeps its words.
- ``plain_text`` marks text that holds no inline markup character as
  atomic, so the inline pass skips it: a novel's paragraphs are mostly
  such text, and this halves the time Python-Markdown takes on them.
- ``emphasis_record`` / ``emphasis_guard`` keep the text of an element that
  only emphasis could change when Python-Markdown's emphasis pass loses some
  of it (crossing nested ``*`` and ``**``): the text stays as written, with a
  warning.
- ``cjk_soft_break`` removes a soft line break between two wide characters
  and turns any other soft break into a space (pandoc's
  ``east_asian_line_breaks``).
- ``dialogue`` wraps a top-level paragraph that starts with a bold name and
  a colon (``**记者**：……``), and the unlabelled paragraphs right after it,
  in ``<div class="dialogue" data-speaker="记者">``.

``make_markdown`` also installs ``publish.reader.linear``'s replacements of the
Python-Markdown passes that take quadratic time on hostile text (same
output, linear time); ``html`` finds the end tags of a text in one pass.
"""

from __future__ import annotations

import bisect
import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FN_BACKLINK_TEXT, NBSP_PLACEHOLDER
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER, AtomicString

from ..typography import joins_without_space
from .linear import LinearExtension, LinearFootnoteExtension
from .names import DIALOGUE_CLASS, NOTE_SEPARATOR, SPEAKER_ATTR
from .sanitize import Node, Report, parse_html, tree_from_etree

MAX_SPEAKER_LENGTH = 20
_COLONS = ("：", ":")

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# What rf"</{name}\s*>" with re.I matches, for every name at once: [A-Za-z]
# with re.I also matches four non-ASCII letters, which fold to ASCII ones.
_END_TAG_RE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>", re.IGNORECASE)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _fold(name: str) -> str:
    return name.translate(_FOLD).lower()


_VOID = {"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col", "area", "embed"}


class LiteralTagProcessor(HtmlInlineProcessor):
    """Inline HTML, except that an unpaired tag is kept as literal text."""

    def __init__(self, pattern: str, md: Markdown):
        super().__init__(pattern, md)
        self.open_tags: Counter[str] = Counter()
        self._end_tags_of: str | None = None
        self._end_tags: dict[str, int] = {}

    def _last_end_tags(self, data: str) -> dict[str, int]:
        """Where the last end tag of each name starts in ``data`` (names lower
        case), found in one pass: searching the rest of the text for each start
        tag took time quadratic in the number of tags."""
        if data is not self._end_tags_of:
            self._end_tags = {_fold(found.group(1)): found.start()
                              for found in _END_TAG_RE.finditer(data)}
            self._end_tags_of = data
        return self._end_tags

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # noqa: N802
        raw = m.group(1)
        tag = _TAG_RE.match(raw)
        if tag and tag.group(2).lower() in _VOID - {"br", "wbr", "hr"} and re.fullmatch(
                r"<\s*\w+\s*/?>", raw):
            # A bare <img> or <input> names an element; it does not make one.
            return self.md.htmlStash.store(html.escape(raw, quote=False)), m.start(0), m.end(0)
        if tag and not raw.endswith("/>") and tag.group(2).lower() not in _VOID:
            name = tag.group(2).lower()
            if tag.group(1):  # an end tag: raw only if its start tag was
                paired = self.open_tags[name] > 0
                self.open_tags[name] -= paired
            else:  # is there a </name> (any case) after it?
                paired = self._last_end_tags(data).get(name, -1) >= m.end(0)
                self.open_tags[name] += paired
            if not paired:
                return self.md.htmlStash.store(html.escape(raw, quote=False)), m.start(0), m.end(0)
        return super().handleMatch(m, data)


# Every inline pattern of our dialect starts with one of these (or is a hard
# break: two spaces before a newline).
_INLINE_MARKUP_RE = re.compile(r"[`*_\[\]!<&\\]")


class PlainTextTreeprocessor(Treeprocessor):
    """Mark text without inline markup as atomic, so the inline pass skips it."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            text = el.text
            if (text and not isinstance(text, AtomicString) and "  \n" not in text
                    and not _INLINE_MARKUP_RE.search(text)):
                el.text = AtomicString(text)


# Text that only emphasis can change: no link, image, code, HTML, entity,
# escape, footnote or other inline syntax; the inline pass may then take out
# ``*`` and ``_`` and nothing else.
_ONLY_EMPHASIS_RE = re.compile(r"[*_]")
_OTHER_INLINE_RE = re.compile(r"[\[\]<>&`\\!^~:\x02\x03]|https?:|www\.")
_MARKERS_AND_SPACE_RE = re.compile(r"[*_\s]")


class EmphasisGuardTreeprocessor(Treeprocessor):
    """Keep the text of a paragraph that emphasis alone would garble.

    Python-Markdown's emphasis parser loses text on some runs of nested,
    crossing ``*`` and ``**`` (``前*a**b*a**b心b**a*b**a*后。`` loses 后).  Before
    the inline pass this records the text of every element holding only text
    and emphasis; after it, the element's text with the markers taken out must
    be that text with the markers taken out.  If it is not, the element gets
    its text back as written, markers and all, with a warning: nothing is lost
    without a word."""

    def __init__(self, md: Markdown):
        super().__init__(md)
        self.before: list[tuple[etree.Element, str]] = []

    def record(self, root: etree.Element) -> None:
        self.before = [(el, el.text) for el in root.iter()
                       if el.text and len(el) == 0 and not isinstance(el.text, AtomicString)
                       and _ONLY_EMPHASIS_RE.search(el.text)
                       and not _OTHER_INLINE_RE.search(el.text)]

    def run(self, root: etree.Element) -> None:
        for el, text in self.before:
            after = "".join(el.itertext())
            if _MARKERS_AND_SPACE_RE.sub("", after) != _MARKERS_AND_SPACE_RE.sub("", text):
                for child in list(el):
                    el.remove(child)
                el.text = AtomicString(text)
                report = getattr(self.md, "publish_report", None)
                if report is not None:
                    report("emphasis markers that cross each other could not be read; the "
                           "text is kept as written", text.strip()[:40])
        self.before = []


class _RecordEmphasis(Treeprocessor):
    def __init__(self, md: Markdown, guard: EmphasisGuardTreeprocessor):
        super().__init__(md)
        self.guard = guard

    def run(self, root: etree.Element) -> None:
        self.guard.record(root)


class SoftBreakTreeprocessor(Treeprocessor):
    """Resolve soft line breaks across element boundaries, outside code."""

    def run(self, root: etree.Element) -> None:
        slots: list[tuple[etree.Element, str]] = []
        self._collect(root, slots)
        texts = [getattr(el, attr) for el, attr in slots]
        # The last character that is not white space in the texts before each
        # slot, and the first in those after it ("" if none), found once: a
        # search from each break took time quadratic in the number of slots.
        # (Resolving a break changes no such character.)
        before = [""] * len(texts)
        seen = ""
        for i, text in enumerate(texts):
            before[i] = seen
            if stripped := text.rstrip(_BLANK):
                seen = stripped[-1]
        after = [""] * len(texts)
        seen = ""
        for i in range(len(texts) - 1, -1, -1):
            after[i] = seen
            if stripped := texts[i].lstrip(_BLANK):
                seen = stripped[0]
        for i, (el, attr) in enumerate(slots):
            text = texts[i]
            if "\n" in text:
                resolved = _BREAK_RE.sub(
                    lambda m, text=text, i=i: _join(text, m, before[i], after[i]), text)
                setattr(el, attr, resolved)

    def _collect(self, el: etree.Element, slots: list[tuple[etree.Element, str]]) -> None:
        if el.tag in ("pre", "code"):
            return
        if el.text:
            slots.append((el, "text"))
        for child in el:
            self._collect(child, slots)
            if child.tail:
                slots.append((child, "tail"))


_BREAK_RE = re.compile(r"[ \t]*\n[ \t]*")
_BLANK = " \t\n"


def _join(text: str, m: re.Match[str], before: str, after: str) -> str:
    """What a soft break becomes: nothing between two wide characters, else a
    space.  ``before`` and ``after`` are the nearest characters that are not
    white space in the texts around this one."""
    j = m.start() - 1
    while j >= 0 and text[j] in _BLANK:
        j -= 1
    left = text[j] if j >= 0 else before
    j = m.end()
    while j < len(text) and text[j] in _BLANK:
        j += 1
    right = text[j] if j < len(text) else after
    if left and right and joins_without_space(left, right):
        return ""
    return " "


# A paragraph that only holds a raw HTML block, before the block is restored.
_RAW_BLOCK_RE = re.compile("^" + re.escape(HTML_PLACEHOLDER).replace("%s", r"\d+") + "$")


class DialogueTreeprocessor(Treeprocessor):
    """Mark dialogue turns: ``**记者**：……`` and the paragraphs that continue it."""

    def run(self, root: etree.Element) -> None:
        # The new list of children is built and put in place once: inserting
        # and removing each turn in place took time quadratic in their number.
        children: list[etree.Element] = []
        turn: etree.Element | None = None
        for child in root:
            speaker = self._speaker(child) if child.tag == "p" else None
            if speaker is not None:
                turn = etree.Element("div", {"class": DIALOGUE_CLASS, SPEAKER_ATTR: speaker})
                turn.tail = child.tail
                turn.append(child)
                children.append(turn)
            elif turn is not None and child.tag == "p" and not _RAW_BLOCK_RE.match(child.text or ""):
                turn.append(child)
            else:
                turn = None
                children.append(child)
        root[:] = children

    @staticmethod
    def _speaker(p: etree.Element) -> str | None:
        """The speaker's name if ``p`` opens a turn; the label is removed from ``p``."""
        if (p.text or "").strip() or len(p) == 0:
            return None
        strong = p[0]
        if strong.tag != "strong" or len(strong) or not strong.text:
            return None
        name = strong.text.strip()
        tail = strong.tail or ""
        if name.endswith(_COLONS):
            name = name[:-1].rstrip()
            rest = tail
        elif tail.startswith(_COLONS):
            rest = tail[1:]
        else:
            return None
        if not name or len(name) > MAX_SPEAKER_LENGTH or "\n" in name:
            return None
        p.remove(strong)
        p.text = rest.lstrip()
        return name


class NormalizeExtension(Extension):
    """Register the processors listed in the module docstring."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        self.md = md
        self.literal_tags = LiteralTagProcessor(HTML_RE, md)
        md.inlinePatterns.register(self.literal_tags, "html", 90)
        md.treeprocessors.register(PlainTextTreeprocessor(md), "plain_text", 25)
        guard = EmphasisGuardTreeprocessor(md)
        md.treeprocessors.register(_RecordEmphasis(md, guard), "emphasis_record", 21)
        md.treeprocessors.register(guard, "emphasis_guard", 19)
        md.treeprocessors.register(SoftBreakTreeprocessor(md), "cjk_soft_break", 15)
        md.treeprocessors.register(DialogueTreeprocessor(md), "dialogue", 14)

    def reset(self) -> None:
        self.literal_tags.open_tags.clear()


def make_markdown() -> Markdown:
    """A Markdown instance with the extensions of our input dialect."""
    # Instances, not names: naming an extension makes Python-Markdown scan
    # every installed package's entry points, which costs more than the parse
    # of a short book.
    return Markdown(
        extensions=[
            LinearFootnoteExtension(SEPARATOR=NOTE_SEPARATOR, BACKLINK_TEXT=""),
            TableExtension(),
            FencedCodeExtension(),
            SaneListExtension(),
            NormalizeExtension(),
            LinearExtension(),
        ],
        output_format="html",
    )


_FENCE_LINE = re.compile(r"( {0,3})(`{3,}|~{3,})\s*([^`\s]*)(.*)")
_JSX_LINE = re.compile(r"\s*<(/?)([A-Z][\w.]*)(?:\s[^<>]*?)?\s*(/?)>\s*")
_ESM_LINE = re.compile(r"(import\s.+?\sfrom\s+(['\"]).+?\2|import\s+(['\"]).+?\3|"
                       r"export\s+(default|const|let|var|function|class)\b.*?);?\s*")
_HTML_NAMES = {
    "a", "abbr", "address", "article", "aside", "b", "blockquote", "body", "br", "caption",
    "center", "cite", "code", "col", "dd", "del", "details", "div", "dl", "dt", "em", "figure",
    "figcaption", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
    "html", "i", "img", "ins", "li", "main", "nav", "ol", "p", "pre", "q", "ruby", "rt", "s",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul"}
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}")
_LANG = re.compile(r"[\w#.+-]+")
_NOTE_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:")


_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})\s*")


def _closings(lines: list[str]) -> Callable[[int, str, int], int]:
    """``closing_after(i, char, n)``: the first line after ``i`` that closes a fence
    of ``n`` or more ``char`` (-1 if none), from one pass over the lines (a search
    from each opening took time quadratic in the number of unclosed fences)."""
    found: dict[str, dict[int, list[int]]] = {}
    for j, line in enumerate(lines):
        if line[:4].lstrip(" ")[:1] in ("`", "~") and (m := _CLOSING_FENCE.fullmatch(line)):
            found.setdefault(m.group(1)[0], {}).setdefault(len(m.group(1)), []).append(j)

    def closing_after(i: int, char: str, n: int) -> int:
        best = -1
        for length, positions in found.get(char, {}).items():
            if length >= n:
                k = bisect.bisect_right(positions, i)
                if k < len(positions) and (best < 0 or positions[k] < best):
                    best = positions[k]
        return best
    return closing_after


def prepare_source(source: str, report: Report) -> str:
    """What Python-Markdown is given, line by line, code never touched:

    - a fence's info string is cut to its language (```` ```jsx src/App.js ````,
      ```` ```rust,ignore ````): Python-Markdown takes a fence with more after the
      language for text, and the code would be read as Markdown;
    - a footnote defined twice keeps both texts (the later one as a note of
      its own, reported), where Python-Markdown would drop the first;
    - MDX (React docs, Docusaurus): ``import``/``export`` lines and
      ``{/* comments */}`` go, and component tags that stand on their own line
      (``<Sandpack>`` … ``</Sandpack>``) are unwrapped, keeping what they hold;
      each component is reported once.
    """
    lines = source.split("\n")
    fence = ""
    seen: set[str] = set()
    notes: Counter[str] = Counter()
    fence_end = -1
    closing_after = _closings(lines)
    for i, line in enumerate(lines):
        if fence:
            if i >= fence_end:
                fence = ""
            continue
        if (opened := _FENCE_LINE.fullmatch(line)):
            indent, fence, info, rest = opened.groups()
            fence_end = closing_after(i, fence[0], len(fence))
            if (fence[0] == "`" and "`" in rest) or fence_end < 0:
                fence = ""  # a code span at the start of a line, or a fence never closed
                continue
            lang = _LANG.match(info)
            if rest.strip() or (info and (not lang or lang.end() < len(info))):
                lines[i] = indent + fence + (lang.group(0) if lang else "")
            continue
        if ("<" in line and (tag := _JSX_LINE.fullmatch(line))
                and tag.group(2).lower() not in _HTML_NAMES):  # <P>, <HR> of old HTML
            lines[i] = ""
            name = tag.group(2)
            if name not in seen:
                seen.add(name)
                report(f"MDX component <{name}> unwrapped, its content kept", f"<{name}")
        elif line.startswith(("import", "export")) and _ESM_LINE.fullmatch(line):
            lines[i] = ""
            report(f"MDX line removed: {line.strip()[:60]}", line.strip())
        elif "{/*" in line:
            lines[i] = _MDX_COMMENT.sub("", line)
        if line.startswith("[^") and (note := _NOTE_DEFINITION.match(line)):
            label = note.group(1)
            notes[label] += 1
            if notes[label] > 1:  # Python-Markdown would keep only the last one
                lines[i] = f"[^{label}-{notes[label]}]:" + line[note.end():]
                report(f"footnote [^{label}] is defined {notes[label]} times; this one is kept "
                       "as an unreferenced note", line[:note.end()])
    return "\n".join(lines)


def markdown_tree(md: Markdown, source: str, report: Report) -> Node:
    """Run Python-Markdown on ``source`` and return the sanitized tree of the result.

    These are the steps of ``Markdown.convert`` (preprocessors, block parser,
    treeprocessors).  When nothing was put in the HTML stash (no raw HTML, no
    entity), the element tree is taken as it is; otherwise it is serialized,
    post-processed and parsed back through the sanitizer, as raw HTML must be.
    """
    md.reset()
    md.publish_report = report  # what the tree processors warn through
    source = prepare_source(source, report)
    if not source.strip():
        return Node("body")
    md.lines = source.split("\n")
    for pre in md.preprocessors:
        md.lines = pre.run(md.lines)
    root = md.parser.parseDocument(md.lines).getroot()
    for tree_processor in md.treeprocessors:
        new_root = tree_processor.run(root)
        if new_root is not None:
            root = new_root
    if not md.htmlStash.rawHtmlBlocks:
        # What FootnotePostprocessor would put in place of its markers.
        return tree_from_etree(root, report, {NBSP_PLACEHOLDER: "\xa0", FN_BACKLINK_TEXT: ""})
    output = md.serializer(root)
    start = output.find(f"<{md.doc_tag}>")
    end = output.rfind(f"</{md.doc_tag}>")
    output = output[start + len(md.doc_tag) + 2:end] if start >= 0 and end >= 0 else ""
    for post in md.postprocessors:
        output = post.run(output)
    return parse_html(output, report)
