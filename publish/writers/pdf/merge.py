"""Join the PDFs of a book's units into the book's PDF (pikepdf).

Each unit (the front matter, a part's page, a chapter) was laid out and
written on its own (``parallel``), its folios already the book's
(``weasy.units``).  The join:

- appends the units' pages in order, with a blank verso where a unit ends on
  a recto, as a single document's ``break-before: right`` adds one;
- gives every face one font: each unit's PDF holds a stand-in for each face
  (``weasy.units``) with the widths and the text of the glyphs it sets; the
  glyph ids are the face's own, so one subset of the face for the union of
  the glyphs (WeasyPrint's own subsetting) serves every page, with the union
  of the widths and of the ToUnicode maps;
- makes one table of named destinations (each anchor from the unit that
  holds it: a link to another unit's anchor was kept by its unit under the
  same name), one outline from the units' bookmarks at their levels, and the
  page labels (roman for the front matter, then 1, 2…);
- writes the file with pikepdf (qpdf): only what is reachable is written,
  with a deterministic identifier replaced by the book's (``identify``).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from math import ceil
from pathlib import Path

from ...errors import PrintError
from . import structure
from .weasy import units as deferred


@dataclass(frozen=True)
class Unit:
    """One unit's PDF and what its layout told: the anchors it holds and the
    levels of its bookmarks, in order."""
    path: Path
    anchors: frozenset[str]
    levels: tuple[int, ...]
    blank_after: bool = False
    #: What the unit's layout recorded of its stand-in fonts (``weasy.units.glyphs``):
    #: name -> [widths, text] by glyph id; None: read from the PDF.
    glyphs: dict | None = None


def merge(units: list[Unit], front_pages: int, identifier: bytes, fonts: Path, blank: Path,
          blanks: int = 0, first: int = 1, hinting: bool = False) -> bytes:
    """The book's PDF from its ``units`` (the first is the base: its catalog,
    metadata and output intents are the book's), ``blanks`` blank pages at
    the end (a signature filled); the first page after the ``front_pages`` is
    labelled ``first``.  A blank page is a copy of ``blank``'s (a PDF of one
    page: the marks and boxes a blank page of the job has)."""
    import pikepdf

    sources = [pikepdf.open(unit.path) for unit in units]
    out = sources[0]
    template = pikepdf.open(blank)
    model = out.copy_foreign(template.pages[0].obj)

    def _blank() -> None:
        out.pages.append(pikepdf.Page(out.make_indirect(pikepdf.Dictionary(
            {key: value for key, value in model.items() if key != "/Parent"}))))

    try:
        firsts, counts = [0], [len(source.pages) for source in sources]
        if units[0].blank_after:
            _blank()
        for unit, source in zip(units[1:], sources[1:]):
            firsts.append(len(out.pages))
            with warnings.catch_warnings():  # named destinations: made anew below
                warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
                out.pages.extend(source.pages)
            if unit.blank_after:
                _blank()
        for _ in range(blanks):
            _blank()
        structure.join(out, sources, firsts, counts)
        _destinations(out, units, sources)
        _outline(out, units, sources)
        _fonts(out, fonts, hinting, _recorded(units))
        _images(out)
        out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
            ([0, pikepdf.Dictionary(S=pikepdf.Name.r)] if front_pages else [])
            + [front_pages, pikepdf.Dictionary(S=pikepdf.Name.D, St=first)]))
        buffer = io.BytesIO()
        if "/ID" in out.trailer:  # the first unit's: qpdf would keep its first half
            del out.trailer.ID
        # PDF 1.4 (PDF/X-1a) has no object streams: the file keeps its version.
        streams = pikepdf.ObjectStreamMode.generate if out.pdf_version >= "1.5" \
            else pikepdf.ObjectStreamMode.disable
        out.save(buffer, static_id=True, compress_streams=True, object_stream_mode=streams)
    finally:
        for source in sources:
            source.close()
        template.close()
    return identify(buffer.getvalue(), identifier)


def _destinations(out, units: list[Unit], sources) -> None:
    """One /Dests name tree: each anchor from the unit that holds it."""
    import pikepdf
    from pikepdf import NameTree

    found: dict[str, object] = {}
    for index, (unit, source) in enumerate(zip(units, sources)):
        names = source.Root.get("/Names")
        if names is None or "/Dests" not in names:
            continue
        for name, destination in NameTree(names.Dests).items():
            if name in unit.anchors and name not in found:
                found[name] = destination if index == 0 else structure.copy(out, source, destination)
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    tree = NameTree.new(out)
    for name in sorted(found):
        tree[name] = found[name]
    out.Root.Names.Dests = tree.obj


def _outline(out, units: list[Unit], sources) -> None:
    """The outline of every unit's bookmarks, nested by their levels."""
    from pikepdf import OutlineItem

    flat: list[tuple[int, str, object]] = []
    for index, (unit, source) in enumerate(zip(units, sources)):
        with source.open_outline() as outline:
            items = list(_preorder(outline.root))
        if len(items) != len(unit.levels):
            levels = [1] * len(items)  # cannot pair them: keep the unit's own order flat
        else:
            levels = list(unit.levels)
        for level, item in zip(levels, items):
            destination = item.destination
            if index and destination is not None:
                destination = structure.copy(out, source, destination)
            flat.append((level, item.title, destination))
    with out.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, title, destination in flat:
            while stack[-1][0] >= level:
                stack.pop()
            item = OutlineItem(title, destination)
            stack[-1][1].append(item)
            stack.append((level, item.children))


def _preorder(items):
    for item in items:
        yield item
        yield from _preorder(item.children)


def _recorded(units: list[Unit]) -> dict | None:
    """The union of the units' recorded glyphs by font name, or None when a
    unit recorded none (its fonts are then read from its PDF)."""
    if any(unit.glyphs is None for unit in units):
        return None
    found: dict[str, tuple[dict, dict]] = {}
    for unit in units:
        for name, (widths, text) in unit.glyphs.items():
            into = found.setdefault(name, ({}, {}))
            into[0].update((int(glyph), width) for glyph, width in widths.items())
            into[1].update((int(glyph), value) for glyph, value in text.items())
    return found


def _fonts(out, folder: Path, hinting: bool, recorded: dict | None) -> None:
    """One font per face, subset once for the glyphs of every page (the
    glyphs ``recorded`` by the units, else read from each font)."""
    groups: dict[tuple, _Face] = {}
    for resources in _resource_dicts(out):
        fonts = resources.get("/Font")
        if fonts is None:
            continue
        for key in sorted(fonts.keys()):  # a set: its order is the process's
            font = fonts[key]
            face = _face_of(font)
            if face is None:
                continue
            group = groups.setdefault(face[0], _Face(face[1]))
            name = str(font.BaseFont)[1:]
            if recorded is not None and name in recorded:
                group.take(font, *recorded[name])
            else:
                group.add(font)
            group.users.append((fonts, key))
    ordered = [group for _, group in sorted(groups.items())]
    # HarfBuzz subsets without Python's lock (cffi lets it go): the faces at once.
    with ThreadPoolExecutor(max_workers=max(1, min(2, len(ordered)))) as pool:
        subsets = list(pool.map(lambda group: group.subset(folder, hinting), ordered))
    for group, data in zip(ordered, subsets):
        merged = group.font(out, data)
        for fonts, key in group.users:
            fonts[key] = merged


def _images(out) -> None:
    """One image object for the same image drawn in several units (a logo at
    each chapter's head): each unit's PDF holds its own copy."""
    first: dict[tuple, object] = {}
    for resources in _resource_dicts(out):
        xobjects = resources.get("/XObject")
        for name in sorted(xobjects.keys()) if xobjects is not None else ():
            image = xobjects[name]
            if image.get("/Subtype") != "/Image" or not image.is_indirect:
                continue
            key = (hashlib.sha256(image.read_raw_bytes()).hexdigest(),
                   repr(sorted((k, repr(v)) for k, v in image.items() if k != "/Length")))
            kept = first.setdefault(key, image)
            if kept.objgen != image.objgen:
                xobjects[name] = kept


def _resource_dicts(out):
    """Every resource dictionary of the pages and the forms they draw, once."""
    seen: set = set()
    todo = [page.obj.get("/Resources") for page in out.pages]
    while todo:
        resources = todo.pop()
        if resources is None:
            continue
        key = resources.objgen if resources.is_indirect else id(resources)
        if key in seen:
            continue
        seen.add(key)
        yield resources
        xobjects = resources.get("/XObject")
        for name in sorted(xobjects.keys()) if xobjects is not None else ():
            xobject = xobjects[name]
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                todo.append(xobject.Resources)


def _face_of(font) -> tuple[tuple, dict] | None:
    """The face a Type0 font's stand-in names (key, facts), or None."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    for name in ("/FontFile2", "/FontFile3"):
        if name in descriptor:
            facts = deferred.stand_in(descriptor[name].read_bytes())
            if facts is None:
                return None
            return (str(font.BaseFont), facts["face"], facts["index"]), facts
    return None


class _Face:
    """The fonts of one face across units: widths and text of their glyphs."""

    def __init__(self, facts: dict) -> None:
        self.facts = facts
        self.first = None
        self.widths: dict[int, float] = {}
        self.text: dict[int, str] = {}
        self.users: list[tuple[object, str]] = []

    def take(self, font, widths: dict[int, float], text: dict[int, str]) -> None:
        """Count ``font`` in, its glyphs as its unit recorded them."""
        if self.first is None:
            self.first = font
        self.widths.update(widths)
        self.text.update(text)

    def add(self, font) -> None:
        if self.first is None:
            self.first = font
        self.widths.update(_widths(font.DescendantFonts[0].get("/W")))
        self.text.update(_to_unicode(font.ToUnicode.read_bytes()))

    def subset(self, folder: Path, hinting: bool) -> bytes:
        """The face's file subset for every glyph of every unit."""
        try:
            return deferred.subset_face(self.facts, folder, self.text, hinting)
        except (OSError, ValueError) as e:
            raise PrintError(f"the build cache's copy of a face cannot be read ({e}): "
                             f"remove {folder.parent} and build again") from None

    def font(self, out, data: bytes):
        """The one font of this face, its file ``data``."""
        import pikepdf

        first = self.first
        descendant = first.DescendantFonts[0]
        descriptor = pikepdf.Dictionary(dict(descendant.FontDescriptor.items()))
        file_key = "/FontFile3" if "/FontFile3" in descendant.FontDescriptor else "/FontFile2"
        stream = pikepdf.Stream(out, data)
        if file_key == "/FontFile3":
            stream.Subtype = pikepdf.Name.OpenType
        else:
            stream.Length1 = len(data)
        descriptor[file_key] = out.make_indirect(stream)
        if "/CIDSet" in descriptor:  # PDF 1.4: the glyph ids present, as WeasyPrint writes it
            descriptor.CIDSet = out.make_indirect(pikepdf.Stream(out, _cid_set(self.widths)))
        box = list(descriptor.FontBBox)
        box[2] = max(self.widths.values()) if self.widths else 0
        descriptor.FontBBox = pikepdf.Array(box)
        child = pikepdf.Dictionary(dict(descendant.items()))
        child.FontDescriptor = out.make_indirect(descriptor)
        child.W = pikepdf.Array(_width_array(self.widths))
        font = pikepdf.Dictionary(dict(first.items()))
        font.DescendantFonts = pikepdf.Array([out.make_indirect(child)])
        font.ToUnicode = out.make_indirect(pikepdf.Stream(out, _cmap(self.text)))
        return out.make_indirect(font)


def _cid_set(widths: dict[int, float]) -> bytes:
    """A /CIDSet: one bit per glyph id up to the last one set, the set ones 1."""
    cids = sorted(widths)
    size = ceil((cids[-1] + 1) / 8) if cids else 1
    bits = bytearray(size)
    for cid in cids:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def _widths(array) -> dict[int, float]:
    """A /W array as glyph id -> width (both of its forms)."""
    found: dict[int, float] = {}
    if array is None:
        return found
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], (list,)) or hasattr(items[i + 1], "as_list"):
            for offset, width in enumerate(items[i + 1]):
                found[first + offset] = float(width)
            i += 2
        else:
            for glyph in range(first, int(items[i + 1]) + 1):
                found[glyph] = float(items[i + 2])
            i += 3
    return found


def _width_array(widths: dict[int, float]) -> list:
    """The /W array of ``widths``, runs of consecutive glyph ids (as WeasyPrint writes it)."""
    out: list = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            out.append(glyph)
            out.append([])
        width = widths[glyph]
        out[-1].append(int(width) if width == int(width) else width)
    return out


_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """The glyph id -> text entries of a ToUnicode CMap's bfchar lists."""
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in _BFCHAR.findall(block):
            found[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return found


def _cmap(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap for ``text`` (glyph id -> text), as WeasyPrint writes one."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(text.items())
    for i in range(ceil(len(items) / 100)):
        batch = items[i * 100:(i + 1) * 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{value.encode('utf-16-be').hex()}>".encode()
                  for glyph, value in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


#: The identifier qpdf writes with ``static_id``.
_STATIC_ID = re.compile(rb"/ID \[ ?<31415926535897932384626433832795> ?"
                        rb"<31415926535897932384626433832795> ?\]")


def identify(data: bytes, identifier: bytes) -> bytes:
    """``data`` with its file identifier /ID [the book's identifier, the MD5
    of the file without it] (the single-document writer's /ID)."""
    import pydyf

    match = _STATIC_ID.search(data)
    if match is None:
        return data
    bare = data[:match.start()] + data[match.end():]
    digest = hashlib.md5(bare, usedforsecurity=False).hexdigest().encode()
    entry = (b"/ID [" + pydyf.String(identifier).data + b" "
             + pydyf.String(digest).data + b"]")
    return bare[:match.start()] + entry + bare[match.start():]
