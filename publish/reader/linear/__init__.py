"""Linear-time replacements for the Python-Markdown passes that are quadratic.

Python-Markdown (3.11) takes time quadratic in the length of a paragraph on
inputs a manuscript may hold by accident or on purpose: ``[`` × 10K took
22 s, ``[^1]`` × 10K 99 s.  ``LinearExtension`` (and ``LinearFootnoteExtension``
in place of ``FootnoteExtension``) registers, under Python-Markdown's own
names, subclasses that build the same tree in linear time.

The approach: no regular expression or handler of Python-Markdown is changed,
so every match accepted is the one Python-Markdown accepts.  What changes is
how often the text is read: a fact about the rest of a text (which ``]``
closes each ``[``, whether any ``)`` or ``>`` follows, where the backtick
runs are) is computed once per text and looked up, and an attempt that cannot
succeed is rejected without the scan that would prove it, which is how
upstream already treats an unclosed ``<!--``.  Each shortcut is checked
against the upstream function it replaces in tests/test_linear.py, and the
whole against upstream's HTML on random snippets.

| Class                                | Registry           | Name                  | Module          |
|--------------------------------------|--------------------|-----------------------|-----------------|
| ``LinearInlineProcessor``            | ``treeprocessors`` | ``inline``            | ``inline``      |
| ``Linear*InlineProcessor`` (links)   | ``inlinePatterns`` | ``reference``, ``link``, ``image_link``, ``image_reference``, ``short_reference``, ``short_image_ref`` | ``patterns`` |
| ``LinearBacktickInlineProcessor``    | ``inlinePatterns`` | ``backtick``          | ``patterns``    |
| ``LinearDelimiterProcessor``         | ``inlinePatterns`` | ``em_strong``         | ``delimiters``  |
| ``LinearHtmlBlockPreprocessor``      | ``preprocessors``  | ``html_block``        | ``html``        |
| ``LinearFencedBlockPreprocessor``    | ``preprocessors``  | ``fenced_code_block`` | ``blocks``      |
| ``LinearFootnoteInlineProcessor``    | ``inlinePatterns`` | ``footnote``          | ``notes``       |
| ``LinearFootnotePostTreeprocessor``  | ``treeprocessors`` | ``footnote-duplicate``| ``notes``       |

and the block parser's ``parseBlocks`` is given a deque (``_Blocks``, in
``blocks``).  Each module's docstring says what upstream's pass did that took
quadratic time and what is done instead.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    BACKTICK_RE,
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
)

from .blocks import LinearFencedBlockPreprocessor, linear_blocks
from .delimiters import DelimiterProcessor, LinearDelimiterProcessor
from .html import LinearHtmlBlockPreprocessor
from .inline import LinearInlineProcessor
from .notes import LinearFootnoteExtension
from .patterns import (
    LinearBacktickInlineProcessor,
    LinearImageInlineProcessor,
    LinearImageReferenceInlineProcessor,
    LinearLinkInlineProcessor,
    LinearReferenceInlineProcessor,
    LinearShortImageReferenceInlineProcessor,
    LinearShortReferenceInlineProcessor,
)

__all__ = ["LinearExtension", "LinearFootnoteExtension"]


class LinearExtension(Extension):
    """Register the linear processors under Python-Markdown's names (after the
    default ones exist: the registries replace an item of the same name)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.parser.parseBlocks = linear_blocks(md.parser.parseBlocks)  # type: ignore[method-assign]
        md.treeprocessors.register(LinearInlineProcessor(md), "inline", 20)
        md.preprocessors.register(LinearHtmlBlockPreprocessor(md), "html_block", 20)
        if "fenced_code_block" in md.preprocessors:
            old = md.preprocessors["fenced_code_block"]
            md.preprocessors.register(LinearFencedBlockPreprocessor(md, old.config),
                                      "fenced_code_block", 25)
        md.inlinePatterns.register(LinearBacktickInlineProcessor(BACKTICK_RE), "backtick", 190)
        if "em_strong" in md.inlinePatterns:
            old = md.inlinePatterns["em_strong"]
            emphasis = (LinearDelimiterProcessor.replacing(old)
                        if type(old) is DelimiterProcessor else None)
            if emphasis is not None:
                md.delimiters = emphasis
                md.inlinePatterns.register(emphasis, "em_strong", 60)
        md.inlinePatterns.register(LinearReferenceInlineProcessor(REFERENCE_RE, md), "reference", 170)
        md.inlinePatterns.register(LinearLinkInlineProcessor(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(LinearImageInlineProcessor(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(
            LinearImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        md.inlinePatterns.register(
            LinearShortReferenceInlineProcessor(REFERENCE_RE, md), "short_reference", 130)
        md.inlinePatterns.register(
            LinearShortImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
