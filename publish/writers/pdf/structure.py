"""The structure tree of a tagged book joined from its units (PDF/UA-1).

Each unit's PDF (``parallel``, ``merge``) was tagged as a document of its
own by WeasyPrint (``weasy.tagging``): a /StructTreeRoot holding one
/Document element, and a /ParentTree (a number tree) from each page's
/StructParents key to the elements of its marked-content ids, and from each
link's /StructParent key to its element.  The joined book has one tree, as
one document would (ISO 32000-1, 14.7.4):

- the /Document element of the first unit (the front matter) takes every
  other unit's top-level elements, in order, as its own kids;
- each page's key is its index in the book, each link's a number after the
  last page's: keys unique in the book, the page's /StructParents and the
  link's /StructParent changed to them, the /ParentTree made anew;
- an element id (a footnote's /ID, a header cell's, named after object
  numbers of its unit) is given its unit's prefix, with the /Headers that
  name it: ids unique in the book;
- a blank page the join added marks nothing and has no key.
"""

from __future__ import annotations


def join(out, sources, firsts: list[int], counts: list[int]) -> None:
    """Make ``out``'s structure tree that of every unit: ``sources`` are the
    units' PDFs (the first is ``out``, which holds every page by now),
    ``firsts`` the index in ``out`` of each unit's first page, ``counts``
    each unit's pages."""
    import pikepdf

    root = out.Root.get("/StructTreeRoot")
    if root is None:
        return
    document = _document(root)
    pages: list[tuple[int, object]] = []
    links: list[tuple[object, object]] = []
    keyed: set[int] = set()
    for index, (source, first, count) in enumerate(zip(sources, firsts, counts)):
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        copied_in = _copier(out, source if index else None)
        if index:
            copied = [copied_in(kid) for kid in _kids(_document(tree))]
            for kid in copied:
                kid.P = document
                document.K.append(kid)
            _prefix_ids(copied, f"u{index}-")
        mapped = _numbers(tree.ParentTree)
        for number, page in enumerate(list(source.pages)[:count]):
            target = out.pages[first + number].obj
            if "/StructParents" in page.obj and int(page.obj.StructParents) in mapped:
                pages.append((first + number, copied_in(mapped[int(page.obj.StructParents)])))
                target.StructParents = first + number
                keyed.add(first + number)
            for annotation in target.get("/Annots", ()):
                if "/StructParent" in annotation and int(annotation.StructParent) in mapped:
                    links.append((annotation, copied_in(mapped[int(annotation.StructParent)])))
    for number, page in enumerate(out.pages):
        if number not in keyed and "/StructParents" in page.obj:
            del page.obj.StructParents  # a blank page the join added
    nums = pikepdf.Array()
    for key, value in sorted(pages, key=lambda item: item[0]):
        nums.extend([key, value])
    for key, (annotation, value) in enumerate(links, start=len(out.pages)):
        annotation.StructParent = key
        nums.extend([key, value])
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(out.pages) + len(links)


def _document(tree):
    """The /Document element under a /StructTreeRoot."""
    import pikepdf

    kids = tree.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _numbers(tree) -> dict[int, object]:
    """A number tree's entries (its /Nums, and its /Kids' in turn)."""
    found: dict[int, object] = {}
    nums = tree.get("/Nums")
    if nums is not None:
        found.update((int(key), value) for key, value in zip(nums[::2], nums[1::2]))
    for kid in tree.get("/Kids", ()):
        found.update(_numbers(kid))
    return found


def _copier(out, source):
    """A function giving a value of ``source`` as ``out`` has it (the value
    itself when ``source`` is None: the first unit, ``out`` itself)."""
    return (lambda value: value) if source is None else \
        (lambda value: copy(out, source, value))


def copy(out, source, value):
    """``value`` of ``source`` in ``out``, what it refers to copied once
    (qpdf keeps one map per source: a page is the page already copied)."""
    if not value.is_indirect:
        value = source.make_indirect(value)
    return out.copy_foreign(value)


def _prefix_ids(elements: list, prefix: str) -> None:
    """``prefix`` before each /ID and /Headers entry of ``elements`` and the
    elements under them."""
    import pikepdf

    stack, done = list(elements), set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") in (
                "/MCR", "/OBJR") or element.objgen in done:
            continue
        done.add(element.objgen)
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(prefix + str(header)) for header in attributes.Headers])
        stack.extend(_kids(element))
