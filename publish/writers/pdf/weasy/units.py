"""Laying out one unit of a book (a part's page, a chapter) apart from the rest.

Chapters start on a recto, so a chapter's pages depend on the chapter alone,
except for what the page counter prints: the folios.  Two hooks let a unit be
laid out in its own WeasyPrint document, in a worker process, and joined to
the others afterwards (``writers.pdf.parallel``, ``writers.pdf.merge``):

- ``folios``: WeasyPrint 70 lays out every page of a document first and its
  margin boxes after (``layout.layout_document``).  Before the first margin
  box of a unit is made, ``ask(pages)`` is called with the unit's page count
  and returns the number of book pages before the unit, which is added to
  the ``page`` counter the margin boxes print.  The caller may block there
  until the units before have been counted: the unit's body is laid out by
  then and only the margin boxes wait.
- ``fonts``: instead of subsetting each face (``pdf.fonts.Font.clean``), the
  unit's PDF gets a *stand-in* font file: the first four bytes of the face
  (so the font is written as the OpenType or TrueType it is), ``MARKER``, and
  the name of a copy of the whole face kept in the cache folder with what
  ``clean`` needs to know of it.  WeasyPrint keeps glyph ids when it subsets,
  so the merge can subset each face once for every unit's glyphs
  (``weasy.subset_face``), with WeasyPrint's own ``clean``: one subset per
  face, as a single document would have.
- ``folios``: a margin box that prints the page counter and nothing a
  page's content gives (a folio, not a running head) is drawn in a
  marked-content sequence of its own (``FOLIO_BEGIN`` … ``EMC``), its page
  recorded.  A unit kept from an earlier build that now falls at other
  pages then needs new folios only: the same margin boxes, laid out on
  empty pages of the same kinds (``writers.pdf.refolio``), take the place
  of those sequences.

All three are off unless a ``unit`` context is open (the single-document path is
untouched).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

#: What opens a folio's marked-content sequence in a page's content (a tag
#: of no meaning to a reader, tagged PDFs included: the folio in it is an
#: /Artifact there).
FOLIO_BEGIN = b"/PublishFolio BMC"

#: What follows a stand-in font file's first four bytes.
MARKER = b"publish-deferred-font:"


@dataclass
class _Unit:
    ask: object             # pages -> the number of book pages before the unit
    fonts: Path             # where whole faces are kept
    offset: int | None = None
    #: The page index of each folio drawn in a sequence of its own.
    folios: list = field(default_factory=list)
    #: A margin box printed the page counter with what the page gives (a string).
    mixed: bool = False
    #: Each stand-in font written: its name -> (glyph id -> width, glyph id -> text).
    glyphs: dict = field(default_factory=dict)


_current: _Unit | None = None
_faces: dict[tuple[int, str], tuple[str, bytes]] = {}  # (face, folder) -> (copy, head)
_clean = None                # WeasyPrint's Font.clean, once wrapped
_installed = False


@contextlib.contextmanager
def unit(ask, fonts: Path):
    """Lay out the documents rendered and write their PDFs in this context as
    units: folios offset by ``ask(pages)``, faces kept whole in ``fonts``."""
    global _current
    _current = _Unit(ask, fonts)
    try:
        yield _current
    finally:
        _current = None


def install() -> None:
    """Wrap WeasyPrint's margin boxes and font cleaning (once per process)."""
    global _installed, _clean
    if _installed:
        return
    from weasyprint import draw, layout
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import fonts

    make_margin_boxes = layout.make_margin_boxes
    draw_stacking_context = draw.draw_stacking_context

    def folio_apart(stream, stacking_context):
        box = stacking_context.box
        if _current is None or type(box) is not boxes.MarginBox:
            return draw_stacking_context(stream, stacking_context)
        kind = folio_kind(box.style["content"])
        if kind != "folio":
            _current.mixed |= kind == "mixed"
            return draw_stacking_context(stream, stacking_context)
        stream.stream.append(FOLIO_BEGIN)
        draw_stacking_context(stream, stacking_context)
        stream.stream.append(b"EMC")
        _current.folios.append(stacking_context.page.page_type.index)

    def margin_boxes(context, page, state):
        if _current is None:
            return make_margin_boxes(context, page, state)
        if _current.offset is None:
            _current.offset = int(_current.ask(len(context.page_maker) - 1))
        counters = dict(state[1])  # (quote depth, counter values, scopes, page groups)
        counters["page"] = [value + _current.offset for value in counters["page"]]
        return make_margin_boxes(context, page, (state[0], counters, *state[2:]))

    clean = _clean = fonts.Font.clean

    def deferred_clean(self, to_unicode, hinting):
        if _current is None or self.missing or self.bitmap:
            return clean(self, to_unicode, hinting)
        name, head = _keep_face(self, _current.fonts)
        facts = {"face": name, "index": self.index, "variations": self.variations,
                 "weight": self.weight, "style": self.style, "font_size": self.font_size,
                 "tables": self.tables, "png": self.png, "svg": self.svg,
                 "colr": self.colr, "family": self.family}
        self.file_content = head + MARKER + json.dumps(facts, sort_keys=True).encode()
        widths, text = _current.glyphs.setdefault(self.name.decode()[1:], ({}, {}))
        widths.update({str(glyph): width for glyph, width in self.widths.items()})
        text.update({str(glyph): value for glyph, value in self.to_unicode.items()})

    layout.make_margin_boxes = margin_boxes
    fonts.Font.clean = deferred_clean
    draw.draw_stacking_context = folio_apart
    _installed = True


def glyphs() -> dict:
    """The glyphs of each stand-in font the open unit wrote so far (its
    name without the slash -> widths and text by glyph id, as JSON keeps them)."""
    return _current.glyphs if _current is not None else {}


def folios() -> tuple[list, bool]:
    """The pages of the open unit's folios drawn so far (a page index a folio) and
    whether a margin box printed the page counter beside a page's string."""
    return (list(_current.folios), _current.mixed) if _current is not None else ([], False)


def folio_kind(content) -> str | None:
    """What a margin box's computed ``content`` prints: ``folio`` (the page
    counter, with text of its own at most), ``mixed`` (the counter and what
    a page gives: a string, an element) or None (no page counter)."""
    if not isinstance(content, tuple | list):
        return None
    counters = [value for kind, value in content if kind in ("counter()", "counters()")]
    if not any(value[0] in ("page", "pages") for value in counters):
        return None
    alone = all(kind == "string" or (kind in ("counter()", "counters()") and value[0] == "page")
                for kind, value in content)
    return "folio" if alone else "mixed"


def installed() -> bool:
    return _installed


def _keep_face(font, folder: Path) -> tuple[str, bytes]:
    """The name of the kept copy of ``font``'s whole face in ``folder`` and
    the face's first four bytes (read and written once per process and face:
    a face is 20 MB; the copy is named by its digest)."""
    # WeasyPrint names a font by its Pango description, the same in every
    # process of a build (the face itself is a new HarfBuzz object each time).
    key = (font.hash, font.index, str(folder))
    if key not in _faces:
        data = font.file_content
        name = hashlib.sha256(data).hexdigest()[:32] + ".font"
        path = folder / name
        if not path.exists():
            _write(path, data)
        # The head of the file WeasyPrint would embed: a subset of one face, an
        # OpenType (CFF) font or a TrueType one, never a collection's "ttcf".
        _faces[key] = (name, b"OTTO" if {"CFF ", "CFF2"} & set(font.tables) else b"\x00\x01\x00\x00")
        del data
    return _faces[key]


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (processes write at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".font-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def stand_in(data: bytes) -> dict | None:
    """What a stand-in font file says (None: a real font file)."""
    if data[4:4 + len(MARKER)] != MARKER:
        return None
    return json.loads(data[4 + len(MARKER):])


def subset_face(facts: dict, folder: Path, glyphs: dict[int, str], hinting: bool) -> bytes:
    """The face a stand-in names, subset to ``glyphs`` (glyph id -> text) by
    WeasyPrint's own ``Font.clean``, glyph ids kept."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, harfbuzz

    # The subset of a face for a set of glyphs, kept: a build after an edit
    # rarely sets a glyph the last one did not.
    key = hashlib.sha256(json.dumps([facts, sorted(glyphs), hinting],
                                    sort_keys=True).encode()).hexdigest()[:32]
    for kept in folder.glob(f"{key}-*.subset"):
        data = kept.read_bytes()
        if kept.stem.endswith("-" + hashlib.sha256(data).hexdigest()[:16]):
            return data  # else damaged: made again
    _declare_faces(ffi)
    data = (folder / facts["face"]).read_bytes()
    if hashlib.sha256(data).hexdigest()[:32] + ".font" != facts["face"]:
        raise ValueError(f"{folder / facts['face']} is not the face it is named after")
    buffer = ffi.from_buffer(data)
    blob = ffi.gc(harfbuzz.hb_blob_create(buffer, len(data), 1, ffi.NULL, ffi.NULL),
                  harfbuzz.hb_blob_destroy)
    face = ffi.gc(harfbuzz.hb_face_create(blob, facts["index"]), harfbuzz.hb_face_destroy)
    font = object.__new__(fonts.Font)
    font.hb_face, font.file_content, font.missing = face, data, {}
    for key in ("index", "variations", "weight", "style", "font_size", "tables", "png",
                "svg", "colr", "family"):
        setattr(font, key, facts[key])
    font.variations = {k: float(v) for k, v in font.variations.items()}
    (_clean or fonts.Font.clean)(font, glyphs, hinting)
    del buffer
    digest = hashlib.sha256(font.file_content).hexdigest()[:16]
    _write(folder / f"{key}-{digest}.subset", font.file_content)
    return font.file_content


_DECLARED = False
_DECLARING = threading.Lock()  # the faces of a join are subset in threads


def _declare_faces(ffi) -> None:
    """Declare the two HarfBuzz functions that make a face of bytes (WeasyPrint
    declares only what it calls itself)."""
    global _DECLARED
    with _DECLARING:
        if _DECLARED:
            return
        ffi.cdef("hb_blob_t * hb_blob_create (const char *data, unsigned int length, "
                 "int mode, void *user_data, void *destroy);\n"
                 "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);")
        _DECLARED = True

