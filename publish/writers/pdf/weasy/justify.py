"""CJK typesetting for WeasyPrint 70: inter-character justification (两端对齐)
and punctuation compression (标点挤压), W3C clreq.

WeasyPrint justifies a line by stretching its spaces only
(``layout/inline.py``: ``justify_line``, ``count_expandable_spaces``,
``add_word_spacing``; WeasyPrint issue #2269), so a line of Chinese, which
has no spaces, stays ragged, and a line with one English word puts all the
slack into that one space.  Here every CJK character is an expansion
opportunity too, as CSS Text 3 ``text-justify: inter-character`` asks: the
slack of a line is shared evenly by its spaces and its CJK characters (not
the last character of the line).  Spaces take it through the Pango
letter-spacing attribute WeasyPrint already uses; CJK characters take it
when the line is drawn, as a wider advance of their glyphs in the shaped
line (the line's width was already counted at layout), which keeps the
glyphs' positions one number each in the PDF and Pango's shaping free of
extra attributes.  Nothing is added to the text, so the PDF's text layer is
unchanged.  The curly quotes, ellipsis, dash and middle dot that Chinese text
sets full width are CJK characters only in a text box whose language is CJK
(or not given): an English book, or an English run of a Chinese one, is
justified at its spaces and never compressed at ``“‘``.

Punctuation compression: where two full-width marks meet (“道：“”, “。”」”,
“（「”), the mark whose blank half faces the other is set with the OpenType
``halt`` feature (half-width metrics), so the pair takes 1.5 em as clreq
asks; which mark, and which marks a locale's faces centre (and so keep full
width), is ``typography.compressed_marks``.  It is a Pango font-features
attribute on that one character, added wherever WeasyPrint gives Pango a
text, so line breaking and drawing agree; HTML spans would do the same at
three times the layout cost on a novel.  A line-start opening bracket keeps
its blank half (clreq allows either).  A pair parted by an element's edge
(“。</em>”) is compressed by the print renderer, which sets one of its
marks in ``<span class="halt">``; such a mark takes no justification.

It replaces three WeasyPrint internals and wraps two more, so the exact
version is pinned and ``weasy.install()`` checks that they are all there
(``weasy.INTERNALS``) before touching anything.
"""

from __future__ import annotations

import copy
import re
from array import array

from ....fonts import cjk_region
from ....typography import JUSTIFIABLE, MARK_PAIR, compressed_marks
from .speedups import GLYPH_INFO_INTS

# The character classes are typography's (JUSTIFIABLE, compressed_marks).
_CJK = re.compile(JUSTIFIABLE)
# The curly quotes, ellipsis, dash and middle dot are CJK in CJK text only: in
# a text box of another language (an English book, an English run of a Chinese
# one) each is read as a character of the same UTF-8 length outside both classes.
_SHARED = "\u201c\u201d\u2018\u2019\u2026\u2014\u00b7"
assert _SHARED in JUSTIFIABLE
_AS_LATIN = str.maketrans({ch: "\uffff" if len(ch.encode()) == 3 else "\u00b6" for ch in _SHARED})
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "lzh", "cmn", "hak", "nan"})
_SPACES = (" ", "\u00a0")
_CJK_BEFORE_SPACE = re.compile(_CJK.pattern + "(?=[ \u00a0])")

_installed = False
_boxes = _inline = None  # weasyprint.formatting_structure.boxes and .layout.inline, once installed


def install() -> None:
    """Extend WeasyPrint's justification (once per process; after
    ``weasy.check_internals()`` and ``speedups.install()``)."""
    global _installed, _boxes, _inline
    if _installed:
        return
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    _boxes, _inline = boxes, inline

    original_set_text = line_break.Layout.set_text
    original_draw_first_line = draw_text.draw_first_line

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        # (a text with no adjacent marks has none as the classes see it either)
        if MARK_PAIR.search(self.text) and (
                marks := _compressed(_as_seen(self.text, self.style), self.style)):
            _compress_punctuation(self, self.text, marks)

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if getattr(textbox, "justification_spacing", 0) and _CJK.search(textbox.text):
            _widen_cjk_glyphs(textbox)
        return original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

    inline.justify_line = justify_line
    inline.count_expandable_spaces = count_expandable
    inline.add_word_spacing = add_word_spacing
    line_break.Layout.set_text = set_text
    draw_text.draw_first_line = draw_first_line
    _installed = True


def installed() -> bool:
    return _installed


# --- the replaced functions ------------------------------------------------------


def justify_line(context, line, extra_width):
    """Share ``extra_width`` among the line's spaces and CJK characters; a
    line of CJK text that would be letter-spaced (gaps above ``LOOSEST`` em)
    takes no more than that and is left short, flagged ``left_short``."""
    last = _last_text_box(line)
    if last is not None:
        last.cjk_line_end = True
    if (opportunities := count_expandable(line)):
        spacing = extra_width / opportunities
        if spacing > (loosest := LOOSEST * line.style["font_size"]) and _cjk_count(line) >= 3:
            line.left_short = True
            spacing = loosest
        add_word_spacing(context, line, spacing, 0)


#: The widest gap justification may open between two CJK characters, in em:
#: a quarter em (the gap of a Han-Latin space) is where a line starts to read
#: as letter-spaced (这 里 有 两 个); a hair under it, as the PDF rounds
#: advances to thousandths of an em.  A line that needs more (the next word,
#: a name or a token, could not break) takes this much and is left short:
#: a hole at its end would read as a paragraph's end.
LOOSEST = 0.24


def short_lines(pages) -> int:
    """How many lines of a rendered document justification left short."""
    count = 0
    for page in pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if type(box) is _boxes.LineBox:
                count += getattr(box, "left_short", False)
            elif isinstance(box, _boxes.ParentBox):
                stack.extend(box.children)
    return count


def _cjk_count(box) -> int:
    """How many CJK characters a line (or an inline box of it) holds."""
    if isinstance(box, _boxes.TextBox):
        return len(_CJK.findall(_as_seen(box.text, getattr(box, "style", None))))
    if isinstance(box, (_boxes.LineBox, _boxes.InlineBox)):
        return sum(_cjk_count(child) for child in box.children)
    return 0


def count_expandable(box) -> int:
    """Spaces and CJK characters that can take extra space; not the line's last character."""
    if isinstance(box, _boxes.TextBox):
        text = _as_seen(box.text, getattr(box, "style", None))
        count = (text.count(" ") + text.count("\u00a0") + len(_CJK.findall(text))
                 - len(_held(text, getattr(box, "style", None))))
        line_end = getattr(box, "cjk_line_end", False)
        if line_end and _ends_with_opportunity(text):
            count -= 1
        box.cjk_opportunities = box.text, line_end, count  # for add_word_spacing, which follows
        return count
    if isinstance(box, (_boxes.LineBox, _boxes.InlineBox)):
        return sum(count_expandable(child) for child in box.children)
    return 0


def add_word_spacing(context, box, justification_spacing, x_advance):
    """WeasyPrint's add_word_spacing, with CJK characters among the opportunities."""
    if isinstance(box, _boxes.TextBox):
        box.justification_spacing = justification_spacing
        box.position_x += x_advance
        counted = getattr(box, "cjk_opportunities", None)
        if (counted is not None and counted[0] is box.text
                and counted[1] == getattr(box, "cjk_line_end", False)):
            opportunities = counted[2]
        else:
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
                layout = _inline.create_layout(box.text, box.style, context, max_width=None,
                                               justification_spacing=justification_spacing)
                layout.deactivate()
            extra_space = justification_spacing * opportunities
            x_advance += extra_space
            box.width += extra_space
            box.pango_layout = layout
    elif isinstance(box, (_boxes.LineBox, _boxes.InlineBox)):
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
    boxes = _boxes
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


def _as_seen(text: str, style) -> str:
    """``text`` as the character classes see it: the marks CJK text shares
    with Latin text are no CJK characters in a text box of another language."""
    lang = style["lang"] if style is not None else None
    if not lang or lang.split("-")[0].lower() in _CJK_LANGUAGES:
        return text
    return text.translate(_AS_LATIN)


def _region(style) -> str:
    """The CJK forms of a text box's language (``fonts.cjk_region``): where its
    faces set the pause marks."""
    lang = style["lang"] if style is not None else None
    return _REGIONS.get(lang) or _REGIONS.setdefault(lang, cjk_region(lang or "zh") or "SC")


_REGIONS: dict[str | None, str] = {}


def _halted(style) -> bool:
    """Whether a text box is set with ``halt`` (print.css's ``.halt``)."""
    try:
        features = style["font_feature_settings"]
    except KeyError:  # a style of the tests' making
        return False
    return features != "normal" and any(name == "halt" for name, _ in features)


def _compressed(text: str, style) -> list[tuple[int, int]]:
    """``typography.compressed_marks`` of a text box's text as the classes see it."""
    return compressed_marks(text, _region(style))


def _held(text: str, style) -> set[int]:
    """CJK characters that take no extra space: the first mark of a compressed pair
    (not stretched apart again) and one followed by a space (the space stretches,
    so a Han-Latin gap grows once, not twice)."""
    if style is not None and _halted(style):  # a mark compressed across an element's edge
        return set(range(len(text)))
    held = {seam for _, seam in _compressed(text, style)}
    held.update(found.start() for found in _CJK_BEFORE_SPACE.finditer(text))
    return held


def _ends_with_opportunity(text: str) -> bool:
    last = text[-1:]
    return bool(last) and (last in _SPACES or _CJK.match(last) is not None)


def _widen_cjk_glyphs(textbox) -> None:
    """Add the line's justification spacing to the advance of each CJK glyph that
    takes it, in the shaped line WeasyPrint is about to draw.

    The glyphs keep their place in their cells (no x offset, as Pango's
    letter-spacing would add), so the PDF gets one number per glyph and Pango
    shapes the line without extra attributes.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    layout = textbox.pango_layout
    style = getattr(textbox, "style", None)
    spaced = _spaced_bytes(_as_seen(layout.text, style), style,
                           getattr(textbox, "cjk_line_end", False))
    if not spaced.count(1):
        return
    # WeasyPrint writes glyph advances into the PDF truncated to whole
    # thousandths of an em (draw/text.py: int(kerning)), losing up to one
    # unit per glyph; half a unit more here centres that error on zero.
    half_unit = 0.5 / 1000 * textbox.style["font_size"]
    spacing = int((textbox.justification_spacing + half_unit) * TO_UNITS)
    # Drawing sets this mode, which would throw away a shaped line; set it first.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    run = line.runs
    while run != ffi.NULL:
        glyph_item = ffi.cast("PangoGlyphItem *", run.data)
        run = run.next
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        offset = glyph_item.item.offset
        length = glyph_item.item.length
        if not spaced.count(1, offset, offset + length):
            continue  # a run of Latin text, a space
        log_clusters = ffi.unpack(glyphs.log_clusters, count)
        # PangoGlyphInfo: glyph, width, x_offset, y_offset, attributes (32 bits each).
        infos = memoryview(ffi.buffer(glyphs.glyphs, count * 4 * GLYPH_INFO_INTS)).cast("i")
        if length == 3 * count and log_clusters == list(range(0, length, 3)):
            # The usual run: one glyph a character, three bytes a character.
            widths = infos[1::GLYPH_INFO_INTS]
            widths[:] = array("i", [width + spacing if flag else width for width, flag
                                    in zip(widths.tolist(), spaced[offset:offset + length:3])])
            continue
        clusters = [offset + c for c in log_clusters]
        clusters.append(offset + length)
        for i in range(count):
            # A cluster's last glyph takes the spacing of each of its characters
            # (a "——" is one glyph for two).
            if (times := spaced.count(1, clusters[i], clusters[i + 1])):
                infos[GLYPH_INFO_INTS * i + 1] += times * spacing


_NOT_THREE_BYTES = re.compile("[^\u0800-\uffff]")
_NOT_FLAG = re.compile("[^\x01]")
_CJK_RUN = re.compile(_CJK.pattern + "+")


def _ones(found: re.Match[str]) -> str:
    return "\x01" * (found.end() - found.start())


def _spaced_bytes(text: str, style, skip_last: bool) -> bytearray:
    """1 at the UTF-8 offset of each character that takes the spacing: every CJK
    character but the held ones and, at the end of a line, the last character."""
    size = len(text.encode())
    # One flag a character, computed by the regex engine rather than a Python loop.
    flags = _NOT_FLAG.sub("\0", _CJK_RUN.sub(_ones, text.replace("\x01", "\0"))).encode(
        "latin-1")
    spaced = bytearray(size)
    if _NOT_THREE_BYTES.search(text):
        starts, byte = [], 0
        for ch, flag in zip(text, flags):
            starts.append(byte)
            spaced[byte] = flag
            byte += len(ch.encode())
    else:  # the usual Chinese line: three bytes a character
        starts = range(0, size, 3)
        spaced[0::3] = flags
    for index in _held(text, style) | ({len(text) - 1} if skip_last and text else set()):
        spaced[starts[index]] = 0
    return spaced


def _compress_punctuation(layout, text: str, marks: list[tuple[int, int]]) -> None:
    """The ``halt`` feature (half-width metrics) on each compressed mark of
    ``text``, the layout's text: ``marks`` are ``typography.compressed_marks``."""
    from weasyprint.text.ffi import ffi, pango

    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    start, done = 0, 0  # byte offset of character ``done``, counted once along the text
    for index, _ in marks:
        start += len(text[done:index].encode())
        done = index
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index, attr.end_index = start, start + 3  # the marks are all 3 bytes
        pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)
