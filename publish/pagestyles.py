"""@page styles computed once per cascade, not once per page (WeasyPrint 70).

Every page has a page type of its own in WeasyPrint (its side, name, index
and page groups), so ``layout.page.set_page_type_computed_styles`` computes
the style of each page and of each of its margin boxes from scratch, and
finds the margin boxes by walking the cascaded styles of every page laid
out so far.  On the 1,093 pages of the novel in the corpus that is 17,500
margin-box styles computed property by property (half the cost of the
running heads and folios) and a walk that grows with the square of the page
count.  Two pages whose @page rules give the same declarations have the same
computed styles, so here they share them: the cascade of a page type is
reduced to a key (which declaration object each property comes from) and
the styles computed for the first page with that key serve every later one.
Nothing else changes: the PDF is byte for byte the same.
"""

from __future__ import annotations

from .errors import PublishError

_installed = False


class PageStyleError(PublishError):
    """The WeasyPrint in use lacks what the shared page styles rely on."""


def install() -> None:
    """Share computed @page styles between pages with one cascade (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.css import StyleFor
    from weasyprint.layout import page

    needed = (getattr(page, "set_page_type_computed_styles", None),
              getattr(StyleFor, "add_page_declarations", None),
              getattr(StyleFor, "set_computed_styles", None),
              getattr(StyleFor, "get_cascaded_styles", None),
              getattr(StyleFor, "get_computed_styles", None))
    if None in needed:
        raise PageStyleError("WeasyPrint lacks what the shared page styles replace "
                             "(layout.page.set_page_type_computed_styles, StyleFor); "
                             "run scripts/setup.sh")
    page.set_page_type_computed_styles = set_page_type_computed_styles
    _installed = True


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


def installed() -> bool:
    return _installed
