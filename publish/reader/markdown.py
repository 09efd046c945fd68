"""NormalizeExtension: the Python-Markdown passes that make our input dialect,
and the one function that runs them on a manuscript file (``parse_file``).

Each rule is one small processor, registered by name and priority (higher
runs first; Python-Markdown's own ``normalize_whitespace`` preprocessor is 30
and its ``inline`` treeprocessor 20):

| Class                          | Registry           | Name                | Priority |
|--------------------------------|--------------------|---------------------|----------|
| ``IncludePreprocessor``        | ``preprocessors``  | ``include``         | 42       |
| ``HeaderBlockPreprocessor``    | ``preprocessors``  | ``header_block``    | 40       |
| ``FenceInfoPreprocessor``      | ``preprocessors``  | ``fence_info``      | 38       |
| ``DuplicateNotePreprocessor``  | ``preprocessors``  | ``duplicate_notes`` | 36       |
| ``MdxPreprocessor``            | ``preprocessors``  | ``mdx``             | 34       |
| ``SourceWarningsPreprocessor`` | ``preprocessors``  | ``source_warnings`` | 32       |
| ``LiteralTagProcessor``        | ``inlinePatterns`` | ``html``            | 90       |
| ``PlainTextTreeprocessor``     | ``treeprocessors`` | ``plain_text``      | 25       |
| ``RecordEmphasisTreeprocessor``| ``treeprocessors`` | ``emphasis_record`` | 21       |
| ``EmphasisGuardTreeprocessor`` | ``treeprocessors`` | ``emphasis_guard``  | 19       |
| ``AttributionTreeprocessor``   | ``treeprocessors`` | ``attribution``     | 16       |
| ``SoftBreakTreeprocessor``     | ``treeprocessors`` | ``cjk_soft_break``  | 15       |
| ``DialogueTreeprocessor``      | ``treeprocessors`` | ``dialogue``        | 14       |

- The preprocessors are the source rules (``preprocessors.py``, whose
  docstring says what each leaves on ``md``): an mdBook's ``{{#include …}}``
  directives are replaced by the text they name (``include``, registered for
  an mdBook only); a one-file manuscript's ``---`` header block is cut
  (``header_block``, registered for such a manuscript only); a fence's info string is cut to its language; a footnote defined
  twice keeps both texts; MDX ``import``/``export`` lines, comments and
  component tags go; what they found is reported in line order.
- ``html`` (here) replaces Python-Markdown's inline HTML pattern: a tag whose
  partner is not in the same paragraph or heading (``# <a> 元素``) is text,
  not markup, so a title that names a tag keeps its words.  It finds the end
  tags of a text in one pass.
- The treeprocessors are the tree rules (``treeprocessors.py``): plain text
  skips the inline pass, emphasis that loses text is kept as written, a
  quotation's attribution is marked, soft breaks are resolved (none between two wide characters), dialogue turns
  are marked.

``make_markdown`` also installs ``publish.reader.linear``'s replacements of
the Python-Markdown passes that take quadratic time on hostile text (same
output, linear time), ``publish.reader.syntax``'s extensions: the Markdown
of pandoc, mdBook and GitHub beyond Python-Markdown's core, ``formulas``'
TeX math (``$…$``, ``$$…$$``), and ``punctuation``'s curly quotes, dashes
and ellipses (``smart_punctuation``, a treeprocessor at 6, after the inline
pass, ``abbr`` and ``attr_list``, outside code and math).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FN_BACKLINK_TEXT, NBSP_PLACEHOLDER
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor

from ..errors import ManuscriptError
from .formulas import MathExtension
from .linear import LinearExtension, LinearFootnoteExtension
from .names import NOTE_SEPARATOR
from .preprocessors import (
    DuplicateNotePreprocessor,
    FenceInfoPreprocessor,
    HeaderBlockPreprocessor,
    IncludePreprocessor,
    MdxPreprocessor,
    SourceWarningsPreprocessor,
)
from .punctuation import SmartPunctuationExtension
from .sanitize import Node, Report, tree_from_etree
from .stashed import stashed_tree
from .syntax import syntax_extensions
from .treeprocessors import (
    AttributionTreeprocessor,
    DialogueTreeprocessor,
    EmphasisGuardTreeprocessor,
    PlainTextTreeprocessor,
    RecordEmphasisTreeprocessor,
    SoftBreakTreeprocessor,
)

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


class NormalizeExtension(Extension):
    """Register the processors listed in the module docstring; with
    ``header_block=True`` (a one-file manuscript), the header block's too;
    with ``includes`` (an mdBook: its manuscript folder), the includes'."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"header_block": [False, "cut a --- header block (one-file manuscripts)"],
                       "includes": ["", "the manuscript folder of an mdBook"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        self.md = md
        if self.getConfig("includes"):
            md.preprocessors.register(IncludePreprocessor(md, self.getConfig("includes")),
                                      "include", 42)
        if self.getConfig("header_block"):
            md.preprocessors.register(HeaderBlockPreprocessor(md), "header_block", 40)
        md.preprocessors.register(FenceInfoPreprocessor(md), "fence_info", 38)
        md.preprocessors.register(DuplicateNotePreprocessor(md), "duplicate_notes", 36)
        md.preprocessors.register(MdxPreprocessor(md), "mdx", 34)
        md.preprocessors.register(SourceWarningsPreprocessor(md), "source_warnings", 32)
        self.literal_tags = LiteralTagProcessor(HTML_RE, md)
        md.inlinePatterns.register(self.literal_tags, "html", 90)
        md.treeprocessors.register(PlainTextTreeprocessor(md), "plain_text", 25)
        guard = EmphasisGuardTreeprocessor(md)
        md.treeprocessors.register(RecordEmphasisTreeprocessor(md, guard), "emphasis_record", 21)
        md.treeprocessors.register(guard, "emphasis_guard", 19)
        md.treeprocessors.register(AttributionTreeprocessor(md), "attribution", 16)
        md.treeprocessors.register(SoftBreakTreeprocessor(md), "cjk_soft_break", 15)
        md.treeprocessors.register(DialogueTreeprocessor(md), "dialogue", 14)

    def reset(self) -> None:
        """Forget the last document: what the processors collected on ``md``."""
        self.literal_tags.open_tags.clear()
        self.md.header_block = None
        self.md.fenced = bytearray()
        self.md.source_warnings = []
        self.md.publish_report = _ignore  # markdown_tree sets the file's
        self.md.publish_path = None  # and its path


def _ignore(message: str, needle: str) -> None:
    """The report of a ``convert`` outside ``markdown_tree``: warnings are dropped."""


def make_markdown(header_block: bool = False, includes: Path | None = None) -> Markdown:
    """A Markdown instance with the extensions of our input dialect
    (``header_block``: of a one-file manuscript, whose ``---`` block is cut;
    ``includes``: the folder of an mdBook, whose includes are followed)."""
    # Instances, not names: naming an extension makes Python-Markdown scan
    # every installed package's entry points, which costs more than the parse
    # of a short book.
    return Markdown(
        extensions=[
            LinearFootnoteExtension(SEPARATOR=NOTE_SEPARATOR, BACKLINK_TEXT=""),
            TableExtension(),
            FencedCodeExtension(),
            SaneListExtension(),
            NormalizeExtension(header_block=header_block, includes=includes),
            LinearExtension(),
            # pandoc's, mdBook's and GitHub's Markdown beyond the core: ~~del~~,
            # H~2~O, x^2^, task lists, definition lists, abbreviations, {#id .class},
            # admonitions and GitHub's alerts (see syntax.py).  After LinearExtension,
            # which registers em_strong again: emphasis stays before ~ and ^ at 60.
            *syntax_extensions(),
            # TeX math, $…$ and $$…$$ (reader/formulas.py): its inline pattern
            # (185) runs before every other but code spans', so smart quotes,
            # ~ and ^ never see a formula.
            MathExtension(),
            # Curly quotes, dashes, ellipses: a treeprocessor at 6, after the
            # inline pass (tilde's ~~del~~, caret's ^sup^ are elements by then,
            # their text smartened like any other), after abbr (7: an
            # abbreviation is found as typed) and attr_list (8).
            SmartPunctuationExtension(),
        ],
        output_format="html",
    )


def cut_header(md: Markdown, text: str) -> str:
    """``text`` with its ``---`` header block left blank, the block's lines
    kept on ``md.header_block`` (``None`` without one): the ``header_block``
    preprocessor run on its own, as the header is read before the body."""
    md.reset()
    return "\n".join(md.preprocessors["header_block"].run(text.split("\n")))


#: How deep Markdown lists and block quotes may nest (Python-Markdown parses
#: them recursively and fails a few hundred levels down).
MAX_NESTING = 100
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]?){%d}" % (MAX_NESTING + 1))


def check_nesting(text: str, path: Path) -> None:
    """An error naming the line where lists or block quotes nest more than
    MAX_NESTING levels deep (a list level is four columns of indentation)."""
    for number, line in enumerate(text.split("\n"), 1):
        if line[:1] not in (" ", "\t", ">"):
            continue
        item = _LIST_ITEM.match(line)
        if item and len(item.group(1).expandtabs(4)) // 4 >= MAX_NESTING:
            raise ManuscriptError(f"a list nested more than {MAX_NESTING} levels deep", path,
                                  number)
        if _QUOTES.match(line):
            raise ManuscriptError(f"block quotes nested more than {MAX_NESTING} levels deep",
                                  path, number)


def parse_file(md: Markdown, path: Path, text: str, report: Report) -> Node:
    """The sanitized tree of one manuscript file (``markdown_tree``), after
    ``check_nesting``: Python-Markdown's recursion must not fail half-way."""
    check_nesting(text, path)
    try:
        return markdown_tree(md, text, report, path)
    except RecursionError:  # a nesting check_nesting does not know
        raise ManuscriptError("nested too deeply for the Markdown parser (lists, quotes "
                              f"or HTML more than {MAX_NESTING} levels)", path) from None


def markdown_tree(md: Markdown, source: str, report: Report, path: Path | None = None
                  ) -> Node:
    """Run Python-Markdown on ``source`` (the text of ``path``) and return the
    sanitized tree of the result.

    These are the steps of ``Markdown.convert`` (preprocessors, block parser,
    treeprocessors).  When nothing was put in the HTML stash (no raw HTML, no
    entity), the element tree is taken as it is; otherwise the parts that hold
    stashed pieces are serialized, post-processed and parsed back through the
    sanitizer, as raw HTML must be (``stashed.stashed_tree``).
    """
    md.reset()
    md.publish_report = report  # what the processors warn through
    md.publish_path = path  # the file whose includes are relative to it
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
    # What FootnotePostprocessor would put in place of its markers.
    replace = {NBSP_PLACEHOLDER: "\xa0", FN_BACKLINK_TEXT: ""}
    if not md.htmlStash.rawHtmlBlocks:
        return tree_from_etree(root, report, replace)
    return stashed_tree(md, root, report, replace)
