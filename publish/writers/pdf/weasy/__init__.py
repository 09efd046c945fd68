"""Every extension of WeasyPrint the print edition uses, behind one ``install``.

- ``speedups`` takes eight short ways through WeasyPrint that leave every
  glyph where it was (installed first: justify's draw wrapper calls its line
  drawing);
- ``justify`` widens each CJK glyph of a justified line (WeasyPrint alone
  stretches only spaces);
- ``lengths`` reads a box's margins, paddings and sizes once per style, not
  at each layout (the PDF the same, byte for byte);
- ``fontdata`` keeps WeasyPrint from copying whole font files;
- ``footnotes`` keeps a note on the page of its call (WeasyPrint moves notes
  to the next page to spare a paragraph an orphan);
- ``tagging`` completes the tagged PDF (PDF/UA-1) of ``--profile screen``:
  decorative images and running heads as artifacts, /Lang on passages,
  notes as /Note (nothing changes in an untagged PDF);
- ``units`` lets a chapter be laid out in a document of its own, its folios
  the book's and its faces left whole for the join to subset once
  (``parallel``, ``merge``; nothing changes outside a ``units.unit``);
- ``cmyk`` draws sRGB colours as DeviceCMYK under a CMYK output intent
  (the press profiles; installed by the job that needs it, not here).

They reach into WeasyPrint's internals, so ``install`` first checks the
versions they were written for — WeasyPrint and pydyf (the PDF's /ID is
rewritten in pydyf's write layout) — then every internal they replace, wrap
or call (``INTERNALS``, the one list of them) and the layout of the glyph
arrays they read and write.  On another version the error names both; the
option ``weasyprint_extensions = false`` (``--no-weasyprint-extensions``)
builds a valid PDF without them, with ragged Chinese lines, said in a
warning.
"""

from __future__ import annotations

import importlib

from ....errors import FontDataError, JustifyError, PrintError, SpeedupError
from . import fontdata, footnotes, justify, lengths, speedups, tagging, units

#: The versions the extensions were written for.
VERSIONS = {"weasyprint": "70.0", "pydyf": "0.13.0"}

#: Every WeasyPrint internal an extension replaces, wraps or calls, as
#: ``module:attribute`` under ``weasyprint.``, by extension.
INTERNALS: dict[str, tuple[str, ...]] = {
    "speedups": (
        "layout.page:set_page_type_computed_styles",
        "css:StyleFor.add_page_declarations",
        "css:StyleFor.set_computed_styles",
        "css:StyleFor.get_cascaded_styles",
        "css:StyleFor.get_computed_styles",
        "css:StyleFor.__call__",
        "css:ComputedStyle",
        "layout:layout_fixed_boxes",
        "layout.page:make_page",
        "formatting_structure.boxes:Box.is_in_normal_flow",
        "layout.background:layout_box_backgrounds",
        "draw.color:get_color",
        "layout.inline:handle_leader",
        "layout.inline:create_layout",
        "layout.leader:leader_index",
        "text.line_break:Layout.setup",
        "text.line_break:get_font_description",
        "text.line_break:font_features",
        "text.line_break:strut",
        "text.constants:LST_TO_ISO",
        "text.constants:PANGO_DIRECTION",
        "text.ffi:ffi",
        "text.ffi:pango",
        "text.ffi:gobject",
        "text.ffi:FROM_UNITS",
        "text.ffi:unicode_to_char_p",
        "draw.text:draw_first_line",
    ),
    "justify": (
        "layout.inline:justify_line",
        "layout.inline:count_expandable_spaces",
        "layout.inline:add_word_spacing",
        "layout.inline:create_layout",
        "draw.text:draw_first_line",
        "text.line_break:Layout.set_text",
        "text.ffi:ffi",
        "text.ffi:pango",
        "text.ffi:TO_UNITS",
        "formatting_structure.boxes:TextBox",
        "formatting_structure.boxes:LineBox",
        "formatting_structure.boxes:InlineBox",
    ),
    "lengths": (
        "layout.percent:resolve_percentages",
        "css.properties:Dimension",
        *(f"{module}:resolve_percentages" for module in lengths.USERS),
    ),
    "fontdata": (
        "pdf.fonts:Font",
        "pdf.fonts:get_hb_object_data",
    ),
    "footnotes": (
        "layout.block:_linebox_layout",
    ),
    "tagging": (
        "pdf.stream:Stream.marked",
        "pdf.stream:Stream.artifact",
        "pdf.tags:_build_box_tree",
        "pdf.tags:_get_pdf_tag",
        "draw:draw_stacking_context",
        "formatting_structure.boxes:ReplacedBox",
        "formatting_structure.boxes:MarginBox",
    ),
    "cmyk": (
        "pdf.stream:Stream.set_color",
    ),
    "units": (
        "layout:make_margin_boxes",
        "draw:draw_stacking_context",
        "formatting_structure.boxes:MarginBox",
        "pdf.fonts:Font.clean",
        "pdf.fonts:Font.subset",
        "text.ffi:harfbuzz",
    ),
}
_ERRORS = {"speedups": SpeedupError, "justify": JustifyError, "lengths": SpeedupError,
           "fontdata": FontDataError, "footnotes": PrintError, "tagging": PrintError,
           "cmyk": PrintError, "units": PrintError}
_PURPOSES = {"speedups": "publish replaces", "justify": "the CJK justification extends",
             "lengths": "publish replaces",
             "fontdata": "the deferred font data relies on",
             "footnotes": "keeping notes with their calls changes",
             "tagging": "the tagged (PDF/UA) screen edition completes",
             "cmyk": "drawing colours in CMYK for a press changes",
             "units": "laying chapters out in separate processes changes"}


def check_versions() -> None:
    """Raise PrintError unless WeasyPrint and pydyf are the versions above."""
    import pydyf
    import weasyprint

    found = {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}
    wrong = [name for name, version in VERSIONS.items() if found[name] != version]
    if wrong:
        versions = ", ".join(f"{name} {found[name]} (written for {VERSIONS[name]})"
                             for name in wrong)
        raise PrintError(f"the PDF writer's WeasyPrint extensions do not fit {versions}: run "
                         "scripts/setup.sh, or build without them with "
                         "--no-weasyprint-extensions (Chinese lines left ragged)")


def check_internals(extensions: tuple[str, ...] = tuple(INTERNALS)) -> None:
    """Raise the extension's error unless WeasyPrint has every internal in
    ``INTERNALS`` the ``extensions`` need and Pango's glyph arrays are laid
    out as the extensions read and write them."""
    for extension in extensions:
        names = INTERNALS[extension]
        if missing := [name for name in names if _lookup(name) is None]:
            raise _ERRORS[extension](f"WeasyPrint lacks what {_PURPOSES[extension]}: "
                                     + ", ".join(missing) + " (run scripts/setup.sh)")
    from weasyprint.text.ffi import ffi

    size = ffi.sizeof("PangoGlyphInfo")
    if size != 4 * speedups.GLYPH_INFO_INTS:
        raise SpeedupError(f"PangoGlyphInfo is {size} bytes, not {speedups.GLYPH_INFO_INTS} "
                           "32-bit numbers: publish cannot read or widen glyph arrays")


def _lookup(name: str):
    """The object ``module:attribute.path`` names under ``weasyprint.``, or None."""
    module, _, path = name.partition(":")
    try:
        found = importlib.import_module(f"weasyprint.{module}")
    except ImportError:
        return None
    for attribute in path.split("."):
        found = getattr(found, attribute, None)
    return found


def install() -> None:
    """Check the versions and every internal the extensions need, then install
    them in the order they must go in (idempotent)."""
    check_versions()
    check_internals()
    speedups.install()
    justify.install()
    lengths.install()
    fontdata.install()
    footnotes.install()
    tagging.install()
    units.install()


def installed() -> bool:
    return (justify.installed() and speedups.installed() and lengths.installed()
            and fontdata.installed() and footnotes.installed() and tagging.installed()
            and units.installed())
