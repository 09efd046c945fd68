"""The tagged PDF (``--profile screen``, PDF/UA-1) as ISO 14289-1 asks, in WeasyPrint 70.

WeasyPrint's ``pdf_variant="pdf/ua-1"`` writes the structure tree, marks
each run of text and each image with an MCID, and sets /MarkInfo, /Lang,
/ViewerPreferences /DisplayDocTitle and the XMP's pdfuaid:part.  Its tree
builder (``pdf.tags._build_box_tree``) knows an element by its HTML name
only; what it leaves out for a book, added here:

- an image whose alternative text is empty (decoration: a rule, an
  ornament) is an /Artifact, not a /Figure without /Alt (WeasyPrint logs
  that as an error, which the build stops on);
- the running heads and folios (margin boxes) are pagination /Artifacts:
  WeasyPrint tags them with MCIDs under elements that no tree holds;
- a passage in another language (``<span lang="en">``, a paragraph's
  ``lang``) carries /Lang on its element;
- a footnote (``<span class="footnote">``, a footnote float) is a /Note
  with an /ID (ISO 14289-1 7.9), a code block (``<pre>``) and inline
  ``<code>`` are /Code, a ``<figure>`` a /Div around its /Figure and /Caption;
- a header cell has a /Scope (column, or row for ``scope="row"``) beside
  the /Headers and ids WeasyPrint gives.

Only a tagged build takes these paths (the stream's ``_tags`` is None
otherwise), so the print profile's PDF is the same bytes.  The text is
tagged the same way whichever function draws it: WeasyPrint's
``draw_inline_level`` opens the marked content around ``draw_text``, and
``speedups.draw_first_line`` draws inside it.
"""

from __future__ import annotations

_installed = False
_marked = None       # weasyprint.pdf.stream.Stream.marked
_build = None        # weasyprint.pdf.tags._build_box_tree
_stacking = None     # weasyprint.draw.draw_stacking_context
_boxes = None        # weasyprint.formatting_structure.boxes

#: HTML elements WeasyPrint tags /NonStruct (or /Span) that a book means as these.
_ROLES = {"pre": "Code", "code": "Code", "figure": "Div"}


def install() -> None:
    """Install the three wrappers (once per process)."""
    global _installed, _marked, _build, _stacking, _boxes
    if _installed:
        return
    from weasyprint import draw
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    _marked, _build, _stacking, _boxes = (stream.Stream.marked, tags._build_box_tree,
                                          draw.draw_stacking_context, boxes)
    stream.Stream.marked = marked
    tags._build_box_tree = build_box_tree
    draw.draw_stacking_context = draw_stacking_context
    _installed = True


def installed() -> bool:
    return _installed


def _decorative(box) -> bool:
    """An image whose alternative text is given and empty."""
    return (isinstance(box, _boxes.ReplacedBox) and box.element is not None
            and box.element.get("alt", None) == "")


def marked(self, box, tag):
    """``Stream.marked``, but an artifact for a decorative image and for what
    a margin box draws."""
    if self._tags is not None and (getattr(self, "_in_margin", False)
                                   or (tag == "Figure" and _decorative(box))):
        return self.artifact()
    return _marked(self, box, tag)


def draw_stacking_context(stream, stacking_context):
    """WeasyPrint's function; a margin box's content drawn as an artifact."""
    if getattr(stream, "_tags", None) is None or not isinstance(
            stacking_context.box, _boxes.MarginBox):
        return _stacking(stream, stacking_context)
    stream._in_margin = True
    try:
        return _stacking(stream, stacking_context)
    finally:
        stream._in_margin = False


def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
    """WeasyPrint's tree builder, leaving out what was drawn as an artifact
    and giving elements the roles, languages and ids above."""
    if isinstance(box, _boxes.MarginBox) or _decorative(box):
        return
    for element in _build(box, parent, pdf, page_number, nums, annotations, tags):
        _describe(box, element)
        yield element


def _describe(box, element) -> None:
    """The role, /Lang and /ID WeasyPrint leaves out of ``box``'s element."""
    import pydyf

    html = box.element
    if html is None or element.get("S") != f"/{_tag_of(box)}":
        return  # an element WeasyPrint made around the box (a list item's /LI)
    name = box.element_tag
    if name == "span" and "footnote" in html.get("class", "").split():
        element["S"] = "/Note"
        element["ID"] = pydyf.String(f"note-{element.number}")
    elif name in _ROLES and element["S"] in ("/NonStruct", "/Span"):
        element["S"] = f"/{_ROLES[name]}"
    elif name == "th" and "A" in element:  # WeasyPrint gives /Headers and ids; /Scope too
        element["A"]["Scope"] = "/Row" if html.get("scope") == "row" else "/Column"
    if (lang := html.get("lang")) and name != "html":
        element["Lang"] = pydyf.String(lang)


def _tag_of(box) -> str:
    from weasyprint.pdf.tags import _get_pdf_tag

    return _get_pdf_tag(None if box.element is None else box.element_tag)
