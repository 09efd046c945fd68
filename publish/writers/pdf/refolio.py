"""New folios for a kept unit that falls at other pages than when it was laid out.

A unit (a chapter) kept in the build cache (``unitcache``) has the right
pages wherever it falls; only its folios, drawn from the page counter,
depend on the pages before it.  When an edit moves it, its folios are made
again without its text: each folio was drawn in a marked-content sequence
of its own (``weasy.units.FOLIO_BEGIN`` … ``EMC``), so

- a *layer* is laid out: a document of empty pages of the same kinds as the
  unit's (side, blank, page name and page group: what decides which
  ``@page`` rules give the margin boxes), with the counter at the new
  pages; its margin boxes are the unit's, their folios the new ones;
- each of the unit's folio sequences is replaced by the layer's on the same
  page (the font is the same: a font's resource name is the digest of its
  description, the same in every document), the page's content compressed
  as WeasyPrint compresses it;
- the glyphs the unit records for the join (``merge``) lose those only the
  old folios drew.

A unit whose layer's pages are not of the same kinds, or whose folio
prints a string beside the counter, is laid out again instead.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path


class Unmatched(ValueError):
    """The layer does not fit the unit: lay the unit out again."""


def page_types(document) -> list:
    """Each page's kind as JSON keeps it: side, blank, page name, page groups."""
    return [[kind.side, kind.blank, kind.name, [list(group) for group in kind.groups]]
            for kind in (page._page_box.page_type for page in document.pages)]


def layer_source(types: list) -> str:
    """The XHTML of empty pages of the ``types`` (``page_types``): a page
    after a blank one breaks to its side, as the unit's did."""
    first = next((name for _, blank, name, _ in types if not blank), "")
    current, after_blank, pages = first, False, []
    for side, blank, name, _ in types:
        if blank:
            after_blank = True
            continue
        style = []
        if pages:
            style.append(f"break-before: {side if after_blank else 'page'}")
        if name != current:
            style.append(f"page: {name or 'auto'}")
            current = name
        pages.append(f'<div style="{"; ".join(style)}"></div>' if style else "<div></div>")
        after_blank = False
    return f'<section style="page: {first or "auto"}">{"".join(pages)}</section>\n'


def patch(unit: Path, pages: list, layer: Path, layer_pages: list, out: Path,
          recorded: dict) -> dict:
    """Write to ``out`` the PDF of ``unit`` with the folios on its ``pages``
    (a page index a folio) those the ``layer`` draws on the same pages;
    return the glyphs the result draws, by font: ``recorded`` (the unit's and
    the layer's) without those only the old folios drew."""
    import pikepdf

    if list(pages) != list(layer_pages):
        raise Unmatched("the layer's folios are not on the unit's pages")
    with pikepdf.open(unit) as pdf, pikepdf.open(layer) as sheet:
        old: dict[str, set[int]] = {}
        new: dict[str, set[int]] = {}
        for number in sorted(set(pages)):
            page, model = pdf.pages[number], sheet.pages[number]
            data = page.obj.Contents.read_bytes()
            ours, theirs = _folios(data), _folios(model.obj.Contents.read_bytes())
            if len(ours) != len(theirs) or len(ours) != pages.count(number):
                raise Unmatched("the layer's page draws other folios")
            _same_resources(b"".join(theirs), model.Resources, page.Resources)
            for before, after in zip(ours, theirs):
                _shown_in(pdf, before, page.Resources, old)
                _shown_in(pdf, after, page.Resources, new)
                data = data.replace(before, after, 1)
            page.obj.Contents.write(_deflated(data), filter=pikepdf.Name.FlateDecode)
        # A glyph only the old folios drew (a 9 that is now a 1) leaves the
        # record, as it would be missing from the unit laid out now.
        stale = any(glyphs - new.get(name, set()) for name, glyphs in old.items())
        drawn: dict[str, set[int]] = {}
        if stale:
            for page in pdf.pages:
                _shown_in(pdf, page.obj.Contents.read_bytes(), page.Resources, drawn)
        pdf.save(out, static_id=True)
    if not stale:
        return recorded
    return {name: [{glyph: width for glyph, width in widths.items()
                    if int(glyph) in drawn.get(name, ())},
                   {glyph: text for glyph, text in text.items()
                    if int(glyph) in drawn.get(name, ())}]
            for name, (widths, text) in recorded.items() if drawn.get(name)}


def _deflated(data: bytes) -> bytes:
    """``data`` compressed as pydyf compresses a page's content (level 9):
    the unit is then the bytes it would be if laid out at its new pages."""
    compressor = zlib.compressobj(level=9)
    return compressor.compress(data) + compressor.flush()


_MARKS = re.compile(rb"(?<!\S)(BMC|BDC|EMC)(?!\S)")


def _folios(data: bytes) -> list[bytes]:
    """Each folio's marked-content sequence in a page's ``data``, whole."""
    from .weasy.units import FOLIO_BEGIN

    found, start = [], data.find(FOLIO_BEGIN)
    while start >= 0:
        depth = 0
        for mark in _MARKS.finditer(data, start):
            depth += 1 if mark.group(1) != b"EMC" else -1
            if depth == 0:
                found.append(data[start:mark.end()])
                break
        else:
            raise Unmatched("a folio's sequence does not end")
        start = data.find(FOLIO_BEGIN, start + len(found[-1]))
    return found


_NAMED = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s+(?:[-\d.]+\s+Tf|gs)(?!\S)")


def _same_resources(data: bytes, theirs, ours) -> None:
    """The fonts and graphics states the layer's folio ``data`` names are the
    unit's page's: the same font by name (a description's digest), a
    graphics state the same or given to the page."""
    import pikepdf

    for match in _NAMED.finditer(data):
        name = "/" + match.group(1).decode("latin-1")
        kind = "/ExtGState" if data[match.end() - 2:match.end()] == b"gs" else "/Font"
        have = ours.get(kind, {}).get(name)
        wanted = theirs.get(kind, {}).get(name)
        if wanted is None:
            raise Unmatched(f"the layer's folio names {name}, which its page has not")
        if have is None and kind == "/ExtGState":
            if kind not in ours:
                ours[kind] = pikepdf.Dictionary()
            ours[kind][name] = pikepdf.Dictionary(wanted)
        elif have is None:
            raise Unmatched(f"the layer's folio uses a font the unit has not ({name})")
        elif kind == "/ExtGState" and have.unparse() != wanted.unparse():
            raise Unmatched(f"the graphics state {name} is another on the unit's page")


def _shown_in(pdf, data: bytes, resources, drawn: dict[str, set[int]]) -> None:
    """Add to ``drawn`` the glyph ids each font (by its name, without the
    slash) shows in the content ``data`` (two bytes a glyph: Identity-H)."""
    import pikepdf

    fonts = resources.get("/Font", {})
    font = None
    for operands, operator in pikepdf.parse_content_stream(pikepdf.Stream(pdf, data)):
        op = str(operator)
        if op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in ("Tj", "TJ", "'", '"') and font is not None:
            glyphs = drawn.setdefault(str(font.BaseFont)[1:], set())
            for item in _strings(operands):
                glyphs.update(int.from_bytes(item[i:i + 2], "big")
                              for i in range(0, len(item) - 1, 2))


def _strings(operands):
    """The strings among a text-showing operator's operands (a TJ array's too)."""
    import pikepdf

    for operand in operands:
        if isinstance(operand, pikepdf.String):
            yield bytes(operand)
        elif isinstance(operand, pikepdf.Array):
            yield from (bytes(item) for item in operand if isinstance(item, pikepdf.String))
