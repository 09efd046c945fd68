"""New folios for a kept unit that falls at other pages than when it was laid out.

A unit (a chapter) kept in the build cache (``unitcache``) has the right
pages wherever it falls; only its folios, drawn from the page counter,
depend on the pages before it.  When an edit moves it, its folios are made
again without its text: each folio was drawn in a form XObject of its own
(``weasy.units``), so

- a *layer* is laid out: a document of empty pages of the same kinds as the
  unit's (side, blank, page name and page group: what decides which
  ``@page`` rules give the margin boxes), with the counter at the new
  pages; its margin boxes are the unit's, their folios the new ones;
- each of the unit's folio forms takes the content of the layer's form on
  the same page (the font is the same: a font's resource name is the digest
  of its description, the same in every document);
- the glyphs the unit records for the join (``merge``) are those its pages
  and forms now draw.

A unit whose layer's pages are not of the same kinds, or whose folio
prints a string beside the counter, is laid out again instead.

The joined book has no folio forms (``inline``): each is drawn back into its
page's content where the page drew it, as one document draws a folio (a
form is a stream object of its own: some 200 bytes a page, 6 % of a novel).
"""

from __future__ import annotations

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


def patch(unit: Path, forms: list, layer: Path, layer_forms: list, out: Path,
          recorded: dict) -> dict:
    """Write to ``out`` the PDF of ``unit`` with each of its folio ``forms``
    ((page, name)) holding the content of the ``layer``'s form on that page;
    return the glyphs the result draws, by font: ``recorded`` (the unit's and
    the layer's), without those only the old folios drew."""
    import pikepdf

    if [page for page, _ in forms] != [page for page, _ in layer_forms]:
        raise Unmatched("the layer's folios are not on the unit's pages")
    with pikepdf.open(unit) as pdf, pikepdf.open(layer) as sheet:
        targets = [(pdf.pages[page], pdf.pages[page].Resources.XObject["/" + name])
                   for page, name in forms]
        sources = [(sheet.pages[page], sheet.pages[page].Resources.XObject["/" + name])
                   for page, name in layer_forms]
        old = _shown((form, page.Resources) for page, form in targets)
        new = _shown((form, page.Resources) for page, form in sources)
        for (page, target), (_, source) in zip(targets, sources):
            if not {str(font) for font in _fonts_used(source)} <= \
                    set(page.Resources.get("/Font", {}).keys()):
                raise Unmatched("the layer's folios use a font the unit has not")
            if "/DecodeParms" in source or not isinstance(source.get("/Filter"), pikepdf.Name):
                raise Unmatched("the layer's folio is not a Flate stream")
            target.write(source.read_raw_bytes(), filter=pikepdf.Name(str(source.Filter)))
        # A glyph only the old folios drew (a 9 that is now a 1) leaves the
        # record, as it would be missing from the unit laid out now.
        stale = any(glyphs - new.get(name, set()) for name, glyphs in old.items())
        drawn = _shown((page, page.Resources) for page in pdf.pages) if stale else None
        pdf.save(out, static_id=True)
    if drawn is None:
        return recorded
    return {name: [{glyph: width for glyph, width in widths.items()
                    if int(glyph) in drawn.get(name, ())},
                   {glyph: text for glyph, text in text.items()
                    if int(glyph) in drawn.get(name, ())}]
            for name, (widths, text) in recorded.items() if drawn.get(name)}


def _fonts_used(stream) -> set[str]:
    import pikepdf

    return {str(operands[0]) for operands, operator in pikepdf.parse_content_stream(stream)
            if str(operator) == "Tf"}


def _shown(streams) -> dict[str, set[int]]:
    """The glyph ids each font (by its name, without the slash) shows in the
    content ``streams`` ((stream, resources)) and the forms they draw (two
    bytes a glyph: Identity-H)."""
    import pikepdf

    drawn: dict[str, set[int]] = {}
    seen: set = set()

    def visit(stream, resources) -> None:
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        font = None
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "Tf":
                font = fonts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                glyphs = drawn.setdefault(str(font.BaseFont)[1:], set())
                for item in _strings(operands):
                    glyphs.update(int.from_bytes(item[i:i + 2], "big")
                                  for i in range(0, len(item) - 1, 2))
            elif op == "Do":
                form = xobjects.get(str(operands[0]))
                if form is not None and form.get("/Subtype") == "/Form" \
                        and form.objgen not in seen:
                    seen.add(form.objgen)
                    visit(form, form.get("/Resources", resources))

    for stream, resources in streams:
        visit(stream, resources)
    return drawn


def _strings(operands):
    """The strings among a text-showing operator's operands (a TJ array's too)."""
    import pikepdf

    for operand in operands:
        if isinstance(operand, pikepdf.String):
            yield bytes(operand)
        elif isinstance(operand, pikepdf.Array):
            yield from (bytes(item) for item in operand if isinstance(item, pikepdf.String))


def inline(pdf) -> None:
    """Draw each folio form (``weasy.units.FOLIO_KEY``) of ``pdf``'s pages
    into the page's content in place of the ``Do`` that drew it (between
    ``q`` and ``Q``, as a form is drawn), and drop the forms.  The form's
    resources other than the fonts (the page's) go to the page's, unless the
    page names another resource so: that form stays a form."""
    import pikepdf

    drawn: dict[tuple, tuple[object, set[str]]] = {}  # resources -> (its forms, names drawn)
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        contents = page.obj.get("/Contents")
        if resources is None or "/XObject" not in resources \
                or not isinstance(contents, pikepdf.Stream):
            continue
        key = resources.objgen if resources.is_indirect else page.obj.objgen
        xobjects, done = drawn.setdefault(key, (resources.XObject, set()))
        data, changed = None, False
        for name in sorted(xobjects.keys()):
            form = xobjects[name]
            if name in done or not _folio(form) or not _merge_resources(form, resources):
                continue
            data = contents.read_bytes() if data is None else data
            call = f"{name} Do".encode()
            if data.count(call) == 1:
                data = data.replace(call, b"q\n" + form.read_bytes() + b"\nQ")
                done.add(name)
                changed = True
        if changed:
            page.obj.Contents = pikepdf.Stream(pdf, zlib.compress(data))
            page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    for xobjects, done in drawn.values():
        for name in done:
            del xobjects[name]


def _folio(form) -> bool:
    import pikepdf

    from .weasy.units import FOLIO_KEY

    return isinstance(form, pikepdf.Stream) and form.get("/" + FOLIO_KEY) is True \
        and isinstance(form.get("/Resources"), pikepdf.Dictionary)


def _merge_resources(form, resources) -> bool:
    """Give the page's ``resources`` what the folio's ``form`` draws with
    beside the fonts (the same objects: a graphics state, a colour space);
    False where a name the form uses means something else on the page."""
    import pikepdf

    wanted = []
    for kind, names in form.Resources.items():
        if kind in ("/Font", "/ColorSpace") or not isinstance(names, pikepdf.Dictionary):
            continue
        for name, value in names.items():
            have = resources.get(kind, {}).get(name)
            if have is None:
                wanted.append((kind, name, value))
            elif have.unparse() != value.unparse():
                return False
    for kind, name, value in wanted:
        if kind not in resources:
            resources[kind] = pikepdf.Dictionary()
        resources[kind][name] = value
    return True
