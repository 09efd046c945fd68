"""CJK typesetting for WeasyPrint 70: inter-character justification (两端对齐)
and punctuation compression (标点挤压), W3C clreq.

WeasyPrint justifies a line by stretching its spaces only
(``layout/inline.py``: ``justify_line``, ``count_expandable_spaces``,
``add_word_spacing``; WeasyPrint issue #2269), so a line of Chinese, which
has no spaces, stays ragged, and a line with one English word puts all the
slack into that one space.  Here every CJK character is an expansion
opportunity too, as CSS Text 3 ``text-justify: inter-character`` asks: the
slack of a line is shared evenly by its spaces and its CJK characters (not
the last character of the line), realised with the Pango letter-spacing
attribute WeasyPrint already uses for spaces.  Nothing is added to the text,
so the PDF's text layer is unchanged.

Punctuation compression: when two full-width marks meet (“道：“”, “。”」”,
“）。”), the first one is set with the OpenType ``halt`` feature, so the pair
takes 1.5 em as clreq asks.  It is a Pango font-features attribute on that
one character, added wherever WeasyPrint gives Pango a text, so line
breaking and drawing agree; HTML spans would do the same at three times the
layout cost on a novel.

It replaces three WeasyPrint internals and wraps a fourth, so the exact
version is pinned and ``install()`` checks that they are all there before
touching anything.
"""

from __future__ import annotations

import copy
import re

from .errors import PublishError

WEASYPRINT_VERSION = "70.0"

# CJK characters and full-width punctuation: each may take extra space after it.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026\u2014\u00b7"
    "\U00020000-\U0003ffff]")
_SPACES = (" ", "\u00a0")
# Full-width marks whose blank half can go when another such mark follows.
_COMPRESSIBLE = "，。、：；（）〔〕［］｛｝《》〈〉「」『』【】“”‘’"
_PUNCT_PAIR = re.compile(f"[{_COMPRESSIBLE}](?=[{_COMPRESSIBLE}])")
_CJK_RUN = re.compile(_CJK.pattern + "+")
_CJK_BEFORE_SPACE = re.compile(_CJK.pattern + "(?=[ \u00a0])")

_installed = False


class JustifyError(PublishError):
    """The WeasyPrint in use is not the one this extension was written for."""


def check() -> None:
    """Raise JustifyError unless WeasyPrint has the version and internals we extend."""
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise JustifyError(f"WeasyPrint {weasyprint.__version__} is installed; the CJK "
                           f"justification is written for {WEASYPRINT_VERSION} (run "
                           "scripts/setup.sh)")
    needed = {
        "weasyprint.layout.inline.justify_line": getattr(inline, "justify_line", None),
        "weasyprint.layout.inline.count_expandable_spaces":
            getattr(inline, "count_expandable_spaces", None),
        "weasyprint.layout.inline.add_word_spacing": getattr(inline, "add_word_spacing", None),
        "weasyprint.layout.inline.create_layout": getattr(inline, "create_layout", None),
        "weasyprint.text.line_break.Layout.set_text":
            getattr(getattr(line_break, "Layout", None), "set_text", None),
        "weasyprint.formatting_structure.boxes.TextBox": getattr(boxes, "TextBox", None),
    }
    missing = [name for name, value in needed.items() if value is None]
    if missing:
        raise JustifyError("WeasyPrint lacks what the CJK justification extends: "
                           + ", ".join(missing))


def install() -> None:
    """Extend WeasyPrint's justification (once per process)."""
    global _installed
    if _installed:
        return
    check()
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original_set_text = line_break.Layout.set_text

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        if _PUNCT_PAIR.search(self.text):
            _compress_punctuation(self)
        if justify and self.justification_spacing:
            _add_cjk_spacing(self, getattr(self, "cjk_skip_last", False))

    inline.justify_line = justify_line
    inline.count_expandable_spaces = count_expandable
    inline.add_word_spacing = add_word_spacing
    line_break.Layout.set_text = set_text
    _installed = True


def installed() -> bool:
    return _installed


# --- the replaced functions ------------------------------------------------------


def justify_line(context, line, extra_width):
    """Share ``extra_width`` among the line's spaces and CJK characters."""
    last = _last_text_box(line)
    if last is not None:
        last.cjk_line_end = True
    if (opportunities := count_expandable(line)):
        add_word_spacing(context, line, extra_width / opportunities, 0)


def count_expandable(box) -> int:
    """Spaces and CJK characters that can take extra space; not the line's last character."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        text = box.text
        count = text.count(" ") + text.count("\u00a0") + len(_CJK.findall(text))
        count -= len(_held(text))
        if getattr(box, "cjk_line_end", False) and _ends_with_opportunity(text):
            count -= 1
        return count
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(count_expandable(child) for child in box.children)
    return 0


def add_word_spacing(context, box, justification_spacing, x_advance):
    """WeasyPrint's add_word_spacing, with CJK characters among the opportunities."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.inline import create_layout

    if isinstance(box, boxes.TextBox):
        box.justification_spacing = justification_spacing
        box.position_x += x_advance
        opportunities = count_expandable(box)
        if opportunities > 0:
            layout = getattr(box, "pango_layout", None)
            if layout is not None and layout.text == box.text:
                # The line's layout is inactive (WeasyPrint shapes it again
                # when drawing, with the spacing): a copy that carries the
                # spacing saves shaping the line a third time.
                layout = copy.copy(layout)
                layout.justification_spacing = justification_spacing
            else:  # the text changed after the line was laid out
                layout = create_layout(box.text, box.style, context, max_width=None,
                                       justification_spacing=justification_spacing)
                layout.deactivate()
            layout.cjk_skip_last = getattr(box, "cjk_line_end", False)
            extra_space = justification_spacing * opportunities
            x_advance += extra_space
            box.width += extra_space
            box.pango_layout = layout
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        previous_x_advance = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = add_word_spacing(context, child, justification_spacing, x_advance)
        box.width += x_advance - previous_x_advance
    else:  # an atomic inline-level box
        box.translate(x_advance, 0)
    return x_advance


# --- helpers ---------------------------------------------------------------------------


def _last_text_box(box):
    """The last in-flow text box of a line, where the line's last character is."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box if box.text else None
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in reversed(box.children):
            if child.is_in_normal_flow():
                found = _last_text_box(child)
                if found is not None:
                    return found
                if not isinstance(child, boxes.InlineBox):
                    return None  # an image or inline-block ends the line
    return None


def _held(text: str) -> set[int]:
    """CJK characters that take no extra space: the first mark of a compressed pair
    (not stretched apart again) and one followed by a space (the space stretches,
    so a Han-Latin gap grows once, not twice)."""
    held = {found.start() for found in _PUNCT_PAIR.finditer(text)}
    held.update(found.start() for found in _CJK_BEFORE_SPACE.finditer(text))
    return held


def _ends_with_opportunity(text: str) -> bool:
    last = text[-1:]
    return bool(last) and (last in _SPACES or _CJK.match(last) is not None)


def _add_cjk_spacing(layout, skip_last: bool) -> None:
    """Letter-spacing after every CJK character of the layout's text."""
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    text = layout.text
    if not _CJK.search(text):
        return
    # WeasyPrint writes glyph offsets into the PDF truncated to whole
    # thousandths of an em (draw/text.py: int(kerning)), losing up to one
    # unit per glyph; half a unit more here centres that error on zero.
    half_unit = 0.5 / 1000 * layout.style["font_size"]
    spacing = int((layout.justification_spacing + half_unit) * TO_UNITS)
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for begin, end, factor in _spaced_runs(text, _held(text), skip_last):
        attr = pango.pango_attr_letter_spacing_new(factor * spacing)
        attr.start_index = len(text[:begin].encode())
        attr.end_index = attr.start_index + len(text[begin:end].encode())
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _spaced_runs(text: str, held: set[int], skip_last: bool):
    """(begin, end, factor): the character ranges whose characters take the spacing.

    One Pango attribute per range rather than per character (Pango merges
    equal neighbours anyway); a held character or the skipped last one ends a
    range.
    """
    last = len(text) - 1
    stops = held | {last} if skip_last else held
    for found in _CJK_RUN.finditer(text):
        begin = found.start()
        for stop in sorted(i for i in stops if found.start() <= i < found.end()) + [found.end()]:
            yield from _split_edges(begin, stop, last)
            begin = stop + 1


def _split_edges(begin: int, end: int, last: int):
    """[begin, end) with the text's first and last characters apart, at factor 2:
    Pango gives a glyph only half of its letter-spacing at the text's edges."""
    if begin == 0 and end > 0:
        yield 0, 1, 2
        begin = 1
    if end == last + 1 and begin < end:
        if begin < last:
            yield begin, last, 1
        yield last, end, 2
    elif begin < end:
        yield begin, end, 1


def _compress_punctuation(layout) -> None:
    """The ``halt`` feature on the first mark of every pair of adjacent full-width marks."""
    from weasyprint.text.ffi import ffi, pango

    text = layout.text
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for found in _PUNCT_PAIR.finditer(text):
        start = len(text[:found.start()].encode())
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index, attr.end_index = start, start + len(found.group(0).encode())
        pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)
