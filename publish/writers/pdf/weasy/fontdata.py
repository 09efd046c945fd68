"""Font data for WeasyPrint 70, read only when something needs it.

WeasyPrint's ``pdf.fonts.Font`` copies the whole font file into a Python
bytes object the moment a face is first drawn (``Font.__init__``:
``self.file_content = get_hb_object_data(self.hb_face)``).  A Noto CJK
collection is 19–27 MB, so a book set in the serif and sans, regular and
bold, holds about 100 MB of copies, and reading them pulls the same amount of
the memory-mapped files into the process: on a 117-page book the peak went
from 150 MB to 300 MB.  The copy is used only by the fontTools paths
(variable fonts, colour fonts, no libharfbuzz-subset); HarfBuzz subsets from
``hb_face``.  Here ``file_content`` becomes a property that reads the face on
first use, so those paths still get the bytes and the usual path never reads
them.  The PDF is byte for byte the same.
"""

from __future__ import annotations

from ....errors import FontDataError

_installed = False


class _FileContent:
    """``Font.file_content``: the face's whole data, read on first access."""

    def __init__(self, read) -> None:
        self.read = read

    def __get__(self, font, owner=None):
        if font is None:
            return self
        data = font.__dict__.get("_file_content")
        if data is None:
            data = font.__dict__["_file_content"] = self.read(font.hb_face)
        return data

    def __set__(self, font, value) -> None:
        font.__dict__["_file_content"] = value


def install() -> None:
    """Defer the font-file copy of WeasyPrint's ``Font`` (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.pdf import fonts

    read = fonts.get_hb_object_data  # both checked by weasy.check_internals()
    font_class = fonts.Font
    if "file_content" in vars(font_class):
        raise FontDataError("weasyprint.pdf.fonts.Font already has a file_content, which "
                            "WeasyPrint 70's has not (run scripts/setup.sh)")
    original_init = font_class.__init__

    def deferred(hb_object, ot_color=None, glyph=None):
        # The one whole-face read in Font.__init__; colour glyph lookups still read.
        return None if ot_color is None else read(hb_object, ot_color, glyph)

    def __init__(self, *args, **kwargs):
        fonts.get_hb_object_data = deferred
        try:
            original_init(self, *args, **kwargs)
        finally:
            fonts.get_hb_object_data = read

    font_class.__init__ = __init__
    font_class.file_content = _FileContent(read)
    _installed = True


def installed() -> bool:
    return _installed
