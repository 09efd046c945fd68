"""Manuscript images made ready for the editions.

- ``resolve_image``: the manuscript file a local image URL names (percent-
  decoded: ``my%20pic.png`` is ``my pic.png``), through ``inputs.check_input``.
- ``clean_svg``: an SVG file as a book may carry it: parsed (never sniffed),
  DOCTYPE dropped, UTF-8, no scripts or handlers; an ``<image>`` of another
  manuscript image checked (the megapixel rule, or the same rules again for
  an SVG) and its href given by the caller (the EPUB's packed name, the PDF's
  file URL); remote, ``file:`` and ``data:`` references, references into
  other files and ``@import`` removed (``clean_css`` for style sheets), each
  with a note for a warning; and its size, counted as drawn
  (``svg.svg_cost``), within the limits.

A raster image is resampled for print by ``raster.print_copy``.  No logging
here: the converter warns (once, at the image's line); the writers only
rewrite.  Imports nothing from the package but ``errors``, ``inputs``,
``media``, ``svg`` and ``raster``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from xml.etree import ElementTree

from .errors import PublishError
from .inputs import InputError, check_input
from .media import SVG, image_problem, media_type
from .raster import upright_size
from .svg import XLINK_NS, SvgError, local_name, parse_svg, strip_scripts, svg_bytes, svg_cost

__all__ = ["SVG", "CleanSvg", "ImageProblem", "clean_css", "clean_svg", "resolve_image"]

#: An SVG image may show another SVG, which may show another…: this deep.
MAX_SVG_NESTING = 4

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_HREFS = (f"{{{XLINK_NS}}}href", "href")
_LINK_SCHEMES = ("http", "https", "mailto")


class ImageProblem(ValueError):
    """Why an image cannot go into a book; the caller says where it is used."""


def scheme_of(url: str) -> str:
    found = _SCHEME.match(re.sub(r"[\t\n\r]", "", url))
    return found.group(1).lower() if found else ""


def resolve_image(base: Path, url: str, roots: Sequence[Path], what: str, **where) -> Path:
    """The real path of the manuscript file the scheme-less ``url`` names,
    relative to the directory ``base``, after ``check_input``.  The URL is
    percent-decoded as a browser would (``my%20pic.png`` is ``my pic.png``);
    a file whose name really holds the ``%`` is found too."""
    path = url.split("#")[0].split("?")[0]
    decoded = unquote(path)
    candidate = base / PurePosixPath(decoded)
    if decoded != path and not candidate.exists() and (base / PurePosixPath(path)).exists():
        candidate = base / PurePosixPath(path)
    where.setdefault("name", url)
    return check_input(candidate, roots, what, "image", **where)


# --- SVG ---------------------------------------------------------------------------------


@dataclass
class CleanSvg:
    """An SVG rewritten for a book."""

    data: bytes                                   # UTF-8 XML, no DOCTYPE
    cost: int                                     # elements drawn (svg.svg_cost)
    scripts: int = 0                              # scripts and handlers removed
    notes: list[str] = field(default_factory=list)      # references removed
    images: list[tuple[Path, str]] = field(default_factory=list)  # (real path, media type)


Link = Callable[[Path, str], str]
"""``link(real_path, media_type)``: the href that replaces a reference to a
manuscript image inside an SVG."""


def clean_svg(path: Path, roots: Sequence[Path], link: Link | None = None, *,
              _chain: tuple[Path, ...] = (), _memo: dict | None = None) -> CleanSvg:
    """The SVG at ``path`` (already checked by ``check_input``) rewritten for a
    book; raises ``ImageProblem``.  ``link`` gives the href of each manuscript
    image it shows (None: kept as written)."""
    memo = {} if _memo is None else _memo
    try:
        root = parse_svg(path.read_bytes())
    except SvgError as e:
        raise ImageProblem(str(e)) from None
    except OSError as e:
        raise ImageProblem(f"cannot be read: {e.strerror}") from None
    if root is None:
        raise ImageProblem("not an SVG (its root element is not <svg> in the SVG namespace)")
    result = CleanSvg(b"", 0, strip_scripts(root))
    nested: dict[int, int] = {}
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        keep = _clean_element(element, path, roots, link, result, nested, _chain, memo)
        for child in list(element):
            if keep(child):
                stack.append(child)
    try:
        result.cost = svg_cost(root, lambda element: nested.get(id(element), 0))
    except SvgError as e:
        raise ImageProblem(str(e)) from None
    result.data = svg_bytes(root)
    return result


def _clean_element(element: ElementTree.Element, path: Path, roots: Sequence[Path],
                   link: Link | None, result: CleanSvg, nested: dict[int, int],
                   chain: tuple[Path, ...], memo: dict):
    """Clean one element's attributes and text; returns a test that keeps a
    child (False: the child was removed)."""
    tag = local_name(element.tag)
    notes = result.notes
    if tag == "style" and element.text:
        element.text = clean_css(element.text, notes, sheet=True)
    element.attrib.pop(_XML_BASE, None)
    for name, value in list(element.attrib.items()):
        local = local_name(name)
        if name in _HREFS:
            continue
        if local == "style":
            element.set(name, clean_css(value, notes, sheet=False))
        elif "url(" in value.lower() and _external_urls(value):
            notes.append(f'{local}="{_short(value)}"')
            del element.attrib[name]
    removed: set[int] = set()
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        child_tag = local_name(child.tag)
        for name in _HREFS:
            href = child.get(name)
            if href is None or href.strip().startswith("#") or not href.strip():
                continue
            href = href.strip()
            scheme = scheme_of(href) or ("//" if href.startswith(("//", "\\\\")) else "")
            if child_tag == "a":
                if scheme not in _LINK_SCHEMES:
                    notes.append(f"link {_short(href)!r}")
                    del child.attrib[name]
                continue
            if child_tag in ("image", "feImage") and not scheme:
                new = _local_image(child, href, path, roots, link, result, nested, chain, memo)
                if link is not None:
                    child.set(name, new)
                continue
            kind = ("remote" if scheme in ("http", "https", "ftp", "//")
                    else f"{scheme}:" if scheme else "another file's")
            notes.append(f"<{child_tag}> of {kind} {_short(href)!r}")
            if child_tag in ("image", "feImage", "use", "tref"):
                element.remove(child)
                removed.add(id(child))
                break
            del child.attrib[name]
    return lambda child: id(child) not in removed


def _local_image(element, href: str, path: Path, roots: Sequence[Path], link: Link | None,
                 result: CleanSvg, nested: dict[int, int], chain: tuple[Path, ...],
                 memo: dict) -> str:
    """Check the manuscript image an ``<image>`` shows; its new href."""
    try:
        real = resolve_image(path.parent, href, roots, "<image>")
    except InputError as e:
        raise ImageProblem(_without_place(e)) from None
    media = media_type(real)
    if media is None:
        raise ImageProblem(f"<image> {href!r}: unsupported type (use PNG, JPEG, GIF, WebP or SVG)")
    if media == SVG:
        if real == path or real in chain:
            raise ImageProblem(f"<image> {href!r} shows the SVG itself")
        if len(chain) + 1 >= MAX_SVG_NESTING:
            raise ImageProblem(f"<image> {href!r}: SVG images nested more than "
                               f"{MAX_SVG_NESTING} deep")
        if real not in memo:
            try:
                memo[real] = clean_svg(real, roots, None, _chain=chain + (path,), _memo=memo)
            except ImageProblem as e:
                raise ImageProblem(f"<image> {href!r}: {e}") from None
        inner = memo[real]
        nested[id(element)] = inner.cost
        result.notes += [f"{note} (in {href!r})" for note in inner.notes]
        result.scripts += inner.scripts
    elif (problem := image_problem(real, media)):
        raise ImageProblem(f"<image> {href!r}: {problem}")
    elif element.get("width") is None and element.get("height") is None:
        # Its size is its pixels: say so, so that a copy resampled for print
        # (``print_copy``) is drawn as large as the original.
        width, height = upright_size(real)
        element.set("width", str(width))
        element.set("height", str(height))
    result.images.append((real, media))
    return link(real, media) if link is not None else href


def _without_place(error: PublishError) -> str:
    message = error.message
    prefix = f"{error.path}: " if error.path is not None else ""
    return message[len(prefix):] if prefix and message.startswith(prefix) else message


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "…"


def _external_urls(value: str) -> list[str]:
    """The ``url(…)`` targets in a property value that are not ``#fragment``s."""
    found = re.findall(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)""", value, re.I)
    targets = [next((g for g in groups if g), "").strip() for groups in found]
    return [t for t in targets if not t.startswith("#")]


def clean_css(css: str, notes: list[str], sheet: bool) -> str:
    """A style sheet (``sheet``) or a ``style`` attribute without ``@import``,
    without ``@font-face`` rules that load a file, and with every ``url(…)``
    that is not a ``#fragment`` replaced by ``none``; each removal noted."""
    lowered = css.lower()
    if "url" not in lowered and "@" not in css and "\\" not in css and "image" not in lowered:
        return css
    import tinycss2

    if not sheet:
        tokens = tinycss2.parse_component_value_list(css, skip_comments=True)
        return tinycss2.serialize(_clean_tokens(tokens, notes))
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            notes.append(f"@import {_short(tinycss2.serialize(rule.prelude))}")
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            before = len(notes)
            _clean_tokens(rule.content or [], notes)
            if len(notes) > before:
                notes[before:] = ["@font-face that loads a file"]
                continue
        if rule.type in ("at-rule", "qualified-rule"):
            rule.prelude = _clean_tokens(rule.prelude, notes)
            if rule.content is not None:
                rule.content = _clean_tokens(rule.content, notes)
        kept.append(rule)
    return tinycss2.serialize(kept)


_CSS_LOADERS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade",
                          "element"})


def _clean_tokens(tokens: list, notes: list[str]) -> list:
    from tinycss2.ast import IdentToken

    out = []
    for token in tokens:
        target = None
        if token.type == "url":
            target = token.value
        elif token.type == "function" and token.lower_name in _CSS_LOADERS:
            strings = [a.value for a in token.arguments if a.type in ("string", "url")]
            target = next((t for t in strings if not t.strip().startswith("#")), None)
            if target is None and token.lower_name not in ("url", "src"):
                target = token.lower_name + "()"   # image(), element(): nothing local
        if target is not None and not target.strip().startswith("#"):
            notes.append(f"url({_short(target)})")
            out.append(IdentToken(token.source_line, token.source_column, "none"))
            continue
        if token.type in ("() block", "[] block", "{} block"):
            token.content = _clean_tokens(token.content, notes)
        elif token.type == "function":
            token.arguments = _clean_tokens(token.arguments, notes)
        out.append(token)
    return out
