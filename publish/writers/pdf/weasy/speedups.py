"""Eight things WeasyPrint 70 does slowly on a book, done the short way.

Shared page styles.  Every page has a page type of its own in WeasyPrint (its
side, name, index and page groups), so ``layout.page.set_page_type_computed_styles``
computes the style of each page and of each of its margin boxes from scratch,
and finds the margin boxes by walking the cascaded styles of every page laid
out so far.  On the 1,093 pages of the novel in the corpus that is 17,500
margin-box styles computed property by property (half the cost of the
running heads and folios) and a walk that grows with the square of the page
count.  Two pages whose @page rules give the same declarations have the same
computed styles, so here they share them: the cascade of a page type is
reduced to a key (which declaration object each property comes from) and
the styles computed for the first page with that key serve every later one.
The PDF is byte for byte the same.

One text box per leader.  ``layout.leader.handle_leader`` fills a leader
(the dots of a table of contents) with one copy of its text box per dot, and
each copy is shaped and drawn on its own: 34,700 text boxes, a fifth of all
the text drawn, in the JavaScript book's contents.  Here the copies become
one text box holding the dots, at the same place and of the same width: the
dots sit where they did, on the grid that lines them up from one entry to
the next, and the PDF gets one text run per leader.

Pango set-up once per style.  Every line is given a new Pango layout twice
(to break it, to draw it), and ``text.line_break.Layout.setup`` builds a new
Pango context, font description, language and feature list for each from
the box's style: 26 µs, a tenth of the cost of shaping a line.  Here what
the style determines is built once per style object and the layout still
gets its own attribute list (Pango changes it in place).  The line height
and baseline of a style (``strut``, asked for every line and inline box, and
cached by WeasyPrint under a key it formats anew each time) are kept on the
style object too.  The PDF is byte for byte the same.

Drawing a line of text.  ``draw.text.draw_first_line`` reads each glyph's
four numbers through cffi struct accessors, seven lookups a glyph.  Here a
line whose glyphs are all plain (no colour or bitmap font, no missing glyph,
no vertical offset, left to right) reads them as one array and writes the
same operators, byte for byte; any other line goes to WeasyPrint's function.
``install()`` must run before ``justify.install()``, whose wrapper then
calls this one.

Pseudo-element styles when asked for.  ``css.StyleFor`` makes a computed
style for every pseudo-element a rule names, and the user agent's rules
name ``::marker``, ``::footnote-call``, ``::footnote-marker``,
``::note-call``, ``::note-marker`` and ``::note-callback`` for every
element: six styles an element, 262,000 in the JavaScript book, of which
the boxes ask for a few thousand (list items' markers, the notes' calls and
markers, ``::before`` and ``::after``).  A computed style computes its
properties only when read, so making it later changes nothing but when the
object is made: here the cascaded declarations of an element's
pseudo-element are kept, and its style is made the first time
``StyleFor.__call__`` is asked for it, from the same parent style, root
style and declarations, with its ``anchor`` read as WeasyPrint reads it.  A
pseudo-element whose declarations set ``anchor`` (collected as a link
target while the styles are computed) and any page's styles are made at
once, as before.  The PDF is byte for byte the same.

Fixed boxes of the other pages.  ``layout.layout_document`` asks each page
for the ``position: fixed`` boxes of every other page, a walk over all the
pages for each page (1.3 million steps on 1,130 pages) when no page has
one.  Here ``layout.page.make_page`` marks the layout context when a page it
makes has fixed boxes; with no mark there is nothing to lay out, and with
one only the pages that have fixed boxes are handed on, in order.
WeasyPrint lays out the same boxes.

Normal flow in one step.  ``Box.is_in_normal_flow`` (asked 940,000 times
for the JavaScript book) calls five methods that each read the box's
``float`` or ``position``; here it reads each once and makes the same five
tests.  A box whose ``is_floated`` WeasyPrint replaced on the box itself (a
flex item) goes to WeasyPrint's method.

Boxes with no background.  ``layout.background.layout_box_backgrounds``
reads, for every box of every page (170,000 in the JavaScript book), the
box's four border radii, border image, mask, visibility, background images
and colour and shadows, to find for most of them that there is nothing to
paint.  Whether a style has nothing (square corners, no border image or
mask, no background image, a transparent colour, no shadow) is found here
once per style object and kept on it; a box with such a style gets the
square corners and no background that WeasyPrint would give it, its
children are visited as before, and every other box (and the page) goes to
WeasyPrint's function.
"""

from __future__ import annotations

from operator import attrgetter

from ....errors import SpeedupError

_installed = False
_create_layout = _leader_index = None  # WeasyPrint's, once installed
_ffi = _pango = _gobject = None         # weasyprint.text.ffi's, once installed
_draw_first_line = None                 # WeasyPrint's, for the lines drawn its way
_strut = None                           # WeasyPrint's text.line_break.strut
_pango_version = 0
_GLYPH_EMPTY = 0x0FFFFFFF               # PANGO_GLYPH_EMPTY
_GLYPH_UNKNOWN = 0x10000000             # PANGO_GLYPH_UNKNOWN_FLAG
_FROM_UNITS = 0.0                       # weasyprint.text.ffi.FROM_UNITS, once installed
_style_for_call = None                  # WeasyPrint's StyleFor.__call__
_set_computed_styles = None             # WeasyPrint's StyleFor.set_computed_styles
_layout_fixed_boxes = None              # WeasyPrint's layout.layout_fixed_boxes
_make_page = None                       # WeasyPrint's layout.page.make_page
_ComputedStyle = None                   # weasyprint.css.ComputedStyle
_fixed_boxes = attrgetter("fixed_boxes")
_is_in_normal_flow = None               # WeasyPrint's Box.is_in_normal_flow
_FLOATS = ("left", "right", "inline-start", "inline-end")  # boxes.Box.is_floated's
_layout_box_backgrounds = _get_color = None  # WeasyPrint's, once installed
_CORNERS = ("border_top_left_radius", "border_top_right_radius",
            "border_bottom_right_radius", "border_bottom_left_radius")
#: PangoGlyphInfo, the element of a shaped run's glyph array, is five 32-bit
#: numbers: glyph, width, x offset, y offset, attributes (``weasy.check_internals``
#: checks its size).  This module reads the arrays, ``justify`` widens glyphs in them.
GLYPH_INFO_INTS = 5


def install() -> None:
    """Install the four replacements (once per process; after ``weasy.check_internals()``,
    before ``justify.install()``)."""
    global _installed, _create_layout, _leader_index, _ffi, _pango, _gobject
    global _draw_first_line, _pango_version, _FROM_UNITS, _strut
    global _style_for_call, _set_computed_styles, _layout_fixed_boxes, _ComputedStyle
    global _is_in_normal_flow, _layout_box_backgrounds, _get_color, _make_page
    if _installed:
        return
    import weasyprint.layout as layout
    from weasyprint import css
    from weasyprint.css import computed_values, units
    from weasyprint.draw import color
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import background, inline, leader, page
    from weasyprint.text import ffi, line_break

    users_of_strut = (line_break, inline, units, computed_values)
    if any(getattr(module, "strut", None) is not line_break.strut for module in users_of_strut):
        raise SpeedupError("weasyprint's modules do not share one text.line_break.strut")
    if getattr(draw_text.draw_first_line, "__module__", "") != "weasyprint.draw.text":
        raise SpeedupError("publish.speedups must be installed before anything else "
                           "wraps weasyprint.draw.text.draw_first_line")
    _create_layout, _leader_index = inline.create_layout, leader.leader_index
    _ffi, _pango, _gobject = ffi.ffi, ffi.pango, ffi.gobject
    _draw_first_line, _pango_version = draw_text.draw_first_line, ffi.pango.pango_version()
    _FROM_UNITS = ffi.FROM_UNITS
    page.set_page_type_computed_styles = set_page_type_computed_styles
    inline.handle_leader = handle_leader
    line_break.Layout.setup = _layout_setup
    _strut = line_break.strut
    for module in users_of_strut:
        module.strut = strut
    draw_text.draw_first_line = draw_first_line
    _style_for_call, _set_computed_styles = css.StyleFor.__call__, css.StyleFor.set_computed_styles
    _ComputedStyle = css.ComputedStyle
    css.StyleFor.__call__ = style_for_call
    css.StyleFor.set_computed_styles = set_computed_styles
    _layout_fixed_boxes = layout.layout_fixed_boxes
    layout.layout_fixed_boxes = layout_fixed_boxes
    _make_page = page.make_page
    page.make_page = make_page
    _is_in_normal_flow = boxes.Box.is_in_normal_flow
    boxes.Box.is_in_normal_flow = is_in_normal_flow
    _layout_box_backgrounds, _get_color = background.layout_box_backgrounds, color.get_color
    background.layout_box_backgrounds = layout_box_backgrounds
    _installed = True


def installed() -> bool:
    return _installed


def set_page_type_computed_styles(page_type, html, style_for) -> None:
    """WeasyPrint's function of that name, computing each distinct cascade once."""
    style_for.add_page_declarations(page_type)
    cascaded = style_for.get_cascaded_styles()
    computed = style_for.get_computed_styles()
    present = [pseudo for pseudo in _pseudo_types(style_for)
               if (page_type, pseudo) in cascaded]
    key = tuple((pseudo, frozenset((name, id(values)) for name, (values, _weight)
                                   in cascaded[page_type, pseudo].items()))
                for pseudo in present)
    cache = style_for.__dict__.setdefault("_publish_page_styles", {})
    if (shared := cache.get(key)) is not None:
        for pseudo, style in shared.items():
            computed[page_type, pseudo] = style
        return
    root = html.etree_element
    # @page inherits from the root element; a margin box from its page.
    style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
    for pseudo in present:
        if pseudo is not None:
            style_for.set_computed_styles(page_type, pseudo_type=pseudo, root=root,
                                          parent=page_type, base_url=html.base_url)
    cache[key] = {pseudo: computed[page_type, pseudo]
                  for pseudo in (None, *present) if (page_type, pseudo) in computed}


def set_computed_styles(self, element, parent, root=None, pseudo_type=None,
                        base_url=None, target_collector=None) -> None:
    """WeasyPrint's ``StyleFor.set_computed_styles``; an element's pseudo-element
    (not a page's, not one that sets ``anchor``) only kept for ``style_for_call``."""
    if pseudo_type is None or not hasattr(element, "tag"):
        return _set_computed_styles(self, element, parent, root, pseudo_type, base_url,
                                    target_collector)
    cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
    if target_collector and "anchor" in cascaded:
        return _set_computed_styles(self, element, parent, root, pseudo_type, base_url,
                                    target_collector)
    pending = self.__dict__.setdefault("_publish_pending", {})
    pending[element, pseudo_type] = (parent, root, base_url, cascaded)
    return None


def style_for_call(self, element, pseudo_type=None):
    """WeasyPrint's ``StyleFor.__call__``, making a kept pseudo-element's style first."""
    if pseudo_type is not None and (pending := self.__dict__.get("_publish_pending")):
        if (kept := pending.pop((element, pseudo_type), None)) is not None:
            parent, root, base_url, cascaded = kept
            computed_styles = self.get_computed_styles()
            style = computed_styles[element, pseudo_type] = _ComputedStyle(
                computed_styles[parent, None], cascaded, pseudo_type,
                computed_styles[root, None], base_url, self.font_config,
                self.initial_page_sizes)
            style["anchor"]  # read as set_computed_styles reads it (None: no declaration)
    return _style_for_call(self, element, pseudo_type)


def make_page(context, *args, **kwargs):
    """WeasyPrint's ``make_page``, marking ``context`` when the page has fixed boxes."""
    made = _make_page(context, *args, **kwargs)
    if made[0].fixed_boxes:
        context.__dict__["_publish_fixed_boxes"] = True
    return made


def layout_fixed_boxes(context, pages, containing_page):
    """WeasyPrint's ``layout_fixed_boxes`` over the pages that have fixed boxes
    (none when no page ``make_page`` made had one)."""
    if not context.__dict__.get("_publish_fixed_boxes"):
        return iter(())
    return _layout_fixed_boxes(context, list(filter(_fixed_boxes, pages)), containing_page)


def is_in_normal_flow(box) -> bool:
    """WeasyPrint's ``Box.is_in_normal_flow``: not floated, absolutely
    positioned, running, a footnote or a note."""
    if "is_floated" in box.__dict__:  # replaced on the box (flex items)
        return _is_in_normal_flow(box)
    style = box.style
    float_, position = style["float"], style["position"]
    return not (float_ in _FLOATS or position in ("absolute", "fixed")
                or position[0] == "running()" or float_ == "footnote"
                or position[0] == "note()")


def layout_box_backgrounds(page, box, get_image_from_uri, layout_children=True,
                           style=None) -> None:
    """WeasyPrint's ``layout_box_backgrounds``, short for a box whose style
    paints nothing (``_paints_nothing``)."""
    if style is not None or box is page:
        return _layout_box_backgrounds(page, box, get_image_from_uri, layout_children, style)
    style = box.style
    nothing = style.__dict__.get("_publish_paints_nothing")
    if nothing is None:
        nothing = style.__dict__["_publish_paints_nothing"] = _paints_nothing(style)
    if not nothing:
        return _layout_box_backgrounds(page, box, get_image_from_uri, layout_children)
    # What resolve_radii_percentages sets for square corners.
    box.border_top_left_radius = box.border_top_right_radius = (0, 0)
    box.border_bottom_right_radius = box.border_bottom_left_radius = (0, 0)
    if layout_children:
        for child in box.all_children():
            layout_box_backgrounds(page, child, get_image_from_uri)
    box.background = None
    return None


def _paints_nothing(style) -> bool:
    """Whether ``layout_box_backgrounds`` gives a box of this style square
    corners, no border image or mask, and no background (a box not the page)."""
    if not all((0, "px") in style[corner] for corner in _CORNERS):
        return False
    if style["border_image_source"][0] != "none" or style["mask_border_source"][0] != "none":
        return False
    if style["visibility"] == "hidden":  # WeasyPrint: no image, a transparent colour
        return not style["box_shadow"]
    if any(type_ == "url" or value for type_, value in style["background_image"]):
        return False
    return _get_color(style, "background_color").alpha == 0 and not style["box_shadow"]


def handle_leader(context, line, containing_block) -> None:
    """WeasyPrint's ``handle_leader``, with the leader's dots in one text box."""
    index, leader_box = _leader_index(line)
    extra_width = 0
    if index is not None and leader_box.children:
        text_box, = leader_box.children
        if text_box.width <= 0:  # a leader text with no width
            return
        # The width the leader box takes beyond its text, less excluded shapes.
        extra_width = containing_block.width - sum(
            child.margin_width() for child in line.children if child.is_in_normal_flow())
        for shape in context.excluded_shapes:
            if shape.position_y + shape.height > line.position_y:
                extra_width -= shape.width
        available_width = extra_width + text_box.width
        line.width = containing_block.width
        # The copies WeasyPrint would make stand on a grid counted from the
        # line's end; those that fit between the text before and after the
        # leader are neighbours (``kept`` runs from right to left).
        step = text_box.width
        end = line.position_x + line.width
        left, right = leader_box.position_x, leader_box.position_x + available_width
        kept, x = [], end
        for _ in range(int(line.width // step)):
            x -= step
            if left <= x and x + step <= right:
                kept.append(x)
        if not kept:
            leader_box.children = ()
        elif len(kept) == 1 or getattr(text_box, "justification_spacing", 0):
            leader_box.children = tuple(_at(text_box, x) for x in kept)
        else:
            dots = _at(text_box, kept[-1])
            dots.text = text_box.text * len(kept)
            dots.width = step * len(kept)
            layout = _create_layout(dots.text, dots.style, context, max_width=None,
                                    justification_spacing=0)
            layout.deactivate()
            dots.pango_layout = layout
            leader_box.children = (dots,)
        if line.style["direction"] == "rtl":
            leader_box.translate(dx=-extra_width)
    # Widen the leader's parent boxes and move what follows it.
    box = line
    while index is not None:
        for child in box.children[index[0] + 1:]:
            if child.is_in_normal_flow():
                child.translate(dx=extra_width if line.style["direction"] == "ltr"
                                else -extra_width)
        box = box.children[index[0]]
        box.width += extra_width
        index = index[1]


def _at(text_box, x):
    copy = text_box.copy()
    copy.position_x = x
    return copy


def _pseudo_types(style_for) -> tuple:
    """None (the page) and every margin box the style sheets' @page rules name."""
    found = style_for.__dict__.get("_publish_pseudo_types")
    if found is None:
        names = {selector[1] for sheet, _origin, _specificity in style_for._sheets
                 for _rule, selectors, _declarations in sheet.page_rules
                 for selector in selectors}
        found = (None, *sorted(name for name in names if name))
        style_for.__dict__["_publish_pseudo_types"] = found
    return found


def _layout_setup(self, style) -> None:
    """``text.line_break.Layout.setup``, with what ``style`` determines built once."""
    pango = _pango
    self.style = style
    self.first_line_direction = 0
    made = style.__dict__.get("_publish_pango")
    if made is None:  # style copies start without it (Style.copy builds a new object)
        made = style.__dict__["_publish_pango"] = _pango_parts(style)
    context, language, font_description, metrics, features = made
    if language is not None:
        self.language = language
    self.layout = _ffi.gc(pango.pango_layout_new(context), _gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)
    if metrics is None:
        self.ascent = self.underline_position = self.strikethrough_position = None
    else:
        (self.ascent, self.underline_position, self.strikethrough_position,
         self.underline_thickness, self.strikethrough_thickness) = metrics
    if features is not None:
        attr_list = pango.pango_attr_list_new()  # its own: set_text changes it in place
        pango.pango_attr_list_insert(attr_list, features)
        pango.pango_layout_set_attributes(self.layout, attr_list)


def strut(style) -> tuple[float, float]:
    """``text.line_break.strut`` (line height, baseline), computed once per style object."""
    found = style.__dict__.get("_publish_strut")
    if found is None:
        found = style.__dict__["_publish_strut"] = _strut(style)
    return found


def _pango_parts(style) -> tuple:
    """The Pango context, language, font description, decoration metrics and
    font-feature attribute of ``style``, built as WeasyPrint's ``setup`` does."""
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, unicode_to_char_p
    from weasyprint.text.line_break import font_features, get_font_description

    pango = _pango
    context = _ffi.gc(pango.pango_font_map_create_context(style.font_config.font_map),
                      _gobject.g_object_unref)
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    language = None
    if style["font_language_override"] != "normal":
        override = style["font_language_override"]
        lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(override.lower(), override))
    elif style["lang"]:
        lang_p, lang = unicode_to_char_p(style["lang"])
    else:
        lang = None
        language = pango.pango_language_get_default()
    if lang:
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    font_description = get_font_description(style)
    metrics = None
    if style["text_decoration_line"] != "none":
        found = _ffi.gc(pango.pango_context_get_metrics(context, font_description, language),
                        pango.pango_font_metrics_unref)
        metrics = tuple(FROM_UNITS * getter(found) for getter in (
            pango.pango_font_metrics_get_ascent,
            pango.pango_font_metrics_get_underline_position,
            pango.pango_font_metrics_get_strikethrough_position,
            pango.pango_font_metrics_get_underline_thickness,
            pango.pango_font_metrics_get_strikethrough_thickness))
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"],
        style["font_variant_alternates"], style["font_variant_east_asian"],
        style["font_feature_settings"])
    attr = None
    if features:
        key = ",".join(f"{name} {value}" for name, value in features.items()).encode()
        # WeasyPrint keeps one attribute per feature string, shared by every layout.
        attr = style.font_config.font_features.setdefault(
            key, pango.pango_attr_font_features_new(key))
    return context, language, font_description, metrics, attr


# --- drawing a line of plain glyphs ----------------------------------------------------
# ``draw_first_line`` and its helpers mirror ``weasyprint.draw.text.draw_first_line`` of
# WeasyPrint 70.0: the same PDF operators, in the same order, with the same numbers.
# What they leave out (ellipses, missing glyphs, glyphs moved up or down, right to left,
# colour and bitmap fonts) goes to that function.  Compare with it before changing one.


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's ``draw_first_line`` for a line of plain glyphs, the same bytes."""
    if text_overflow == "ellipsis" or block_ellipsis != "none":
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return []
    layout = textbox.pango_layout
    _pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    runs = _plain_runs(first_line)
    fonts = None if runs is None else _run_fonts(stream, textbox, runs)
    if fonts is None:
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_text_matrix(*matrix.values)
    _show_runs(stream, layout.text, runs, fonts)
    return []


def _plain_runs(first_line) -> list | None:
    """Each glyph run of the line as (glyph item, glyph ids, its PangoGlyphInfo
    array read as signed ints), or None when a run is not plain: right to left,
    a glyph moved up or down, or a glyph missing from the font."""
    ffi = _ffi
    runs = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        ints = memoryview(ffi.buffer(glyphs.glyphs, count * 4 * GLYPH_INFO_INTS))
        ids = ints.cast("I")[0::GLYPH_INFO_INTS].tolist()
        if (glyph_item.item.analysis.level % 2 or any(ints.cast("i")[3::GLYPH_INFO_INTS])
                or any(glyph & _GLYPH_UNKNOWN and glyph != _GLYPH_EMPTY for glyph in ids)):
            return None
        runs.append((glyph_item, ids, ints.cast("i")))
    return runs


def _run_fonts(stream, textbox, runs: list) -> list | None:
    """(Pango font, PDF font, font size) for each run, the fonts added to the
    stream as WeasyPrint adds them (in order, at each change of font); None
    when one is a colour or bitmap font, which WeasyPrint draws its own way."""
    fonts = []
    previous = None
    for glyph_item, _, _ in runs:
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous:
            previous = pango_font
            font, font_size = stream.add_font(pango_font)
            if font.svg or font.png or font.colr or font.bitmap:
                return None
            if _pango_version < 14802:  # as WeasyPrint: Pango issue 530
                font_size = textbox.style["font_size"]
        fonts.append((pango_font, font, font_size))
    return fonts


def _show_runs(stream, text: str, runs: list, fonts: list) -> None:
    """Write the runs as WeasyPrint does: a font size at each change of font,
    then one TJ string of glyphs and adjustments per font."""
    string = ""
    previous = None
    for run, (pango_font, font, font_size) in zip(runs, fonts):
        if pango_font != previous:
            previous = pango_font
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, font_size)
        string += _glyph_string(stream, text, run, pango_font, font, font_size)
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"
    stream.show_text(string)


def _glyph_string(stream, text: str, run, pango_font, font, font_size) -> str:
    """One run as a piece of a TJ string: ``<`` then each glyph id in hex, with
    ``><`` and a number in thousandths of an em where the glyph's advance
    differs from its width in the font (kerning, justification) or it is
    moved sideways; each new glyph's text recorded for the PDF's ToUnicode."""
    glyph_item, ids, ints = run
    to_unicode, widths = font.to_unicode, font.widths
    item = glyph_item.item
    count = len(ids)
    clusters = _ffi.unpack(glyph_item.glyphs.log_clusters, count)
    utf8_text = None
    parts = ["<"]
    for i, (glyph, width, x_offset) in enumerate(
            zip(ids, ints[1::GLYPH_INFO_INTS], ints[2::GLYPH_INFO_INTS])):
        if glyph == _GLYPH_EMPTY:
            parts.append(f">{-width / font_size}<")
            continue
        if glyph not in to_unicode:
            end = item.length if i == count - 1 else clusters[i + 1]
            utf8_text = utf8_text or text.encode()
            to_unicode[glyph] = utf8_text[item.offset + clusters[i]:item.offset + end].decode()
        offset = x_offset / font_size
        if offset:
            parts.append(f">{-offset}<")
        parts.append(f"{glyph:04x}")
        logical_width = widths.get(glyph)
        if logical_width is None:
            logical_width = _logical_width(stream, pango_font, glyph, widths, font_size)
        kerning = logical_width + offset - width * 1000 * _FROM_UNITS / font_size
        if kerning:
            parts.append(f">{int(kerning)}<")
    return "".join(parts)


def _logical_width(stream, pango_font, glyph: int, widths: dict, font_size) -> int:
    """A glyph's advance in the font, thousandths of an em, measured once and kept."""
    _pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
    widths[glyph] = round(stream.logical_rect.width * 1000 * _FROM_UNITS / font_size)
    return widths[glyph]
