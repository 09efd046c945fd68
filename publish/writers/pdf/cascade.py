"""The body's type size and the page margins the print edition's style sheets
set, read with tinycss2 from the cascade the PDF is styled by (the theme's
base.css and print.css, then the manuscript's style.css), so that the text
block is computed from what the book will really have.

Read, and decided between as CSS decides (``!important``, then specificity,
then the later declaration; through ``@import`` and inside ``@media print``
or ``all``):

- ``font-size``, or the size in ``font``, on ``html``, ``:root`` and
  ``body``: pt, px, mm, cm, in, pc, Q; em, rem and % (of 16 px = 12 pt for
  html, of html's size for body); the keywords xx-small … xx-large.
- ``margin`` (one to four values) and ``margin-top/right/bottom/left`` in a
  plain ``@page`` and in ``@page :left`` / ``@page :right``: the same
  lengths, em and rem of html's size, % of the trim's width (left and
  right) or height (top and bottom).  A plain ``@page``'s left margin is
  read as the inner one and its right as the outer: the writer mirrors them
  on left-hand pages, as it does its own.

The size is then settled: ``--font-size`` or book.toml's ``font_size`` over
the style sheets over the writer's default (``page_style``).  Other
selectors, named pages and other forms are left to WeasyPrint; a size or
margin that wins but cannot be read here (``calc()``, ``var()``, ``ex``) is
a warning naming the file and line, as the text block is not computed from
it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2

from ...log import LOGGER
from ...themes import MAX_IMPORTS, Theme, resource_name
from .geometry import MM

#: pt per unit of each absolute length.
ABSOLUTE = {"pt": 1.0, "px": 0.75, "mm": MM, "cm": 10 * MM, "in": 72.0, "pc": 12.0,
            "q": MM / 4}
MEDIUM = 12.0  # pt: 16 px, the initial font size
#: The font-size keywords as WeasyPrint sizes them (a factor of medium).
KEYWORDS = {"xx-small": 3 / 5, "x-small": 3 / 4, "small": 8 / 9, "medium": 1.0,
            "large": 6 / 5, "x-large": 3 / 2, "xx-large": 2.0}
SIDES = ("top", "right", "bottom", "left")
#: The element each selector read here styles, and its specificity.
ELEMENTS = {"html": ("html", (0, 0, 1)), ":root": ("html", (0, 1, 0)),
            "body": ("body", (0, 0, 1))}
#: The pages each @page selector read here styles (a plain @page's sides
#: mirrored on left-hand pages), and its specificity.
PAGES = {"": ((("right", False), ("left", True)), (0, 0, 0)),
         ":left": ((("left", False),), (0, 0, 1)), ":right": ((("right", False),), (0, 0, 1))}
MIRROR = {"left": "right", "right": "left"}


@dataclass(frozen=True)
class Length:
    """A length read from CSS: ``amount`` pt (``unit`` "pt"), times the parent
    element's or html's size ("em"), or a percentage of the page ("%")."""

    amount: float
    unit: str


@dataclass(frozen=True)
class _Found:
    """A declaration as the cascade weighs it: the value read (a ``Length``,
    None for ``auto``, or the declaration's text when it cannot be read), the
    property's name and where it stands."""

    weight: tuple[bool, tuple[int, int, int], int]
    value: Length | str | None
    name: str
    place: tuple[Path, int | None]


@dataclass(frozen=True)
class PageStyle:
    """What the page is set with: html's size (rem) and the body's (the text
    block's unit), pt; ``forced`` when they come from the command line or
    book.toml and must outrank the style sheets; ``body_rule`` when the style
    sheets size the body itself; the margins the style sheets ask for, mm by
    side (``inner``, ``outer``, ``top``, ``bottom``: minimums)."""

    html: float
    body: float
    forced: bool = False
    body_rule: bool = False
    margins: Mapping[str, float] = field(default_factory=dict)

    def rules(self) -> list[str]:
        """The size rules of the generated CSS: the value the style sheets
        give restated, or the option's outranking them."""
        important = " !important" if self.forced else ""
        rules = [f"html {{ font-size: {self.html:g}pt{important}; }}"]
        if self.forced and self.body_rule:
            rules.append(f"body {{ font-size: {self.body:g}pt{important}; }}")
        return rules


def page_style(sheets: Iterable[tuple[Theme, str]], given: float | None, default: float,
               trim: tuple[float, float]) -> PageStyle:
    """What the style sheets ``sheets`` ((theme, name) in cascade order) set
    for a ``trim`` (mm) page: their margins, and their size under the size
    ``given`` (the command line or book.toml; None for none), over
    ``default``."""
    found = read_cascade(sheets)
    warned: set[tuple[Path, int | None]] = set()
    html, body = (_winner(found, ("size", element), warned) for element in ("html", "body"))
    if given is not None:
        html_pt = body_pt = float(given)
    else:
        if html is not None:
            html_pt = html.amount * (MEDIUM if html.unit == "em" else 1)
        elif body is not None and body.unit == "pt":
            html_pt = body.amount  # rem is the body's size, as with the writer's own
        else:
            html_pt = default
        body_pt = html_pt if body is None else body.amount * (
            html_pt if body.unit == "em" else 1)
    margins = _margins(found, round(html_pt, 3), trim, warned)
    return PageStyle(round(html_pt, 3), round(body_pt, 3), given is not None,
                     ("size", "body") in found, margins)


def read_cascade(sheets: Iterable[tuple[Theme, str]]) -> dict[tuple[str, ...], _Found]:
    """The winning declaration of each thing read here, by key: ("size",
    element) and ("margin", page side, side)."""
    found: dict[tuple[str, ...], _Found] = {}
    order = itertools.count()
    for theme, name in sheets:
        _read_sheet(theme, name, found, order, 0)
    return found


def _read_sheet(theme: Theme, name: str, found: dict, order: Iterator[int], depth: int) -> None:
    rules = tinycss2.parse_stylesheet(theme.css[name], skip_comments=True,
                                      skip_whitespace=True)
    _read_rules(rules, theme, name, found, order, depth)


def _read_rules(rules: list, theme: Theme, name: str, found: dict, order: Iterator[int],
                depth: int) -> None:
    """Read ``rules`` of the style sheet ``name`` into ``found``."""
    where = theme.folder / name
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _selectors(rule.prelude, ELEMENTS)
            for decl in _declarations(rule.content) if selectors else ():
                if decl.lower_name in ("font-size", "font"):
                    value = _font_size(decl.value, shorthand=decl.lower_name == "font")
                    at = next(order)
                    for element, specificity in selectors:
                        _keep(found, ("size", element), (decl.important, specificity, at),
                              value, where, decl)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
            for pages, specificity in _selectors(rule.prelude, PAGES):
                for decl in _declarations(rule.content):
                    for side, value in _margin(decl).items():
                        weight = (decl.important, specificity, next(order))
                        for page, mirrored in pages:
                            key = ("margin", page, MIRROR.get(side, side) if mirrored else side)
                            _keep(found, key, weight, value, where, decl)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            if _for_print(rule.prelude):
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                 skip_whitespace=True)
                _read_rules(inner, theme, name, found, order, depth)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "import":
            imported = _imported(rule, theme, name)
            if imported is not None and depth < MAX_IMPORTS:
                _read_sheet(theme, imported, found, order, depth + 1)


def _keep(found: dict, key: tuple[str, ...], weight: tuple, value, where: Path, decl) -> None:
    """Keep the declaration if it outranks the one found before it."""
    if key not in found or found[key].weight <= weight:
        found[key] = _Found(weight, value, decl.lower_name, (where, decl.source_line))


def _winner(found: dict, key: tuple[str, ...], warned: set) -> Length | None:
    """The value that wins for ``key``; one that cannot be read is a warning
    (once for each declaration in ``warned``)."""
    if key not in found:
        return None
    decl = found[key]
    if isinstance(decl.value, str):
        if decl.place not in warned:
            warned.add(decl.place)
            LOGGER.warning("%s:%s: %s %r is set but not read by publish: the text block is "
                           "not computed from it (give a length: pt, mm, px, em, rem or %%)",
                           *decl.place, decl.name, decl.value[:80])
        return None
    return decl.value


def _margins(found: dict, html: float, trim: tuple[float, float], warned: set
             ) -> dict[str, float]:
    """The margins asked for, mm by side: the larger of what the left and the
    right page ask for on each side (inner is a right page's left side)."""
    mirrored = {"inner": (("right", "left"), ("left", "right")),
                "outer": (("right", "right"), ("left", "left")),
                "top": (("right", "top"), ("left", "top")),
                "bottom": (("right", "bottom"), ("left", "bottom"))}
    margins = {}
    for side, places in mirrored.items():
        asked = []
        for page, physical in places:
            length = _winner(found, ("margin", page, physical), warned)
            if length is not None:
                extent = trim[0] if physical in ("left", "right") else trim[1]
                asked.append(length.amount / MM if length.unit == "pt" else
                             length.amount * html / MM if length.unit == "em" else
                             length.amount / 100 * extent)
        if asked:
            margins[side] = max(asked)
    return margins


# --- reading values --------------------------------------------------------------


def _selectors(prelude: list, known: Mapping[str, tuple]) -> list[tuple]:
    """What each selector of ``prelude`` that ``known`` names stands for."""
    text = tinycss2.serialize(prelude).lower()
    return [known[part] for part in ("".join(s.split()) for s in text.split(","))
            if part in known]


def _declarations(content: list) -> list:
    return [node for node in tinycss2.parse_declaration_list(
        content, skip_comments=True, skip_whitespace=True) if node.type == "declaration"]


def _tokens(value: list) -> list:
    return [t for t in value if t.type not in ("whitespace", "comment")]


def _font_size(value: list, shorthand: bool) -> Length | str:
    """A font size: pt, or "em" (of the parent's size); the text when unread."""
    tokens = _tokens(value)
    text = tinycss2.serialize(value).strip()
    if len(tokens) == 1 and tokens[0].type == "ident":
        keyword = tokens[0].lower_value
        if keyword in ("inherit", "unset"):
            return Length(1.0, "em")
        if keyword == "initial":
            return Length(MEDIUM, "pt")
    if shorthand:  # the size is the first length or size keyword
        tokens = [t for t in tokens if t.type in ("dimension", "percentage")
                  or (t.type == "ident" and t.lower_value in KEYWORDS)][:1]
    if len(tokens) != 1:
        return text
    token = tokens[0]
    if token.type == "ident" and token.lower_value in KEYWORDS:
        return Length(MEDIUM * KEYWORDS[token.lower_value], "pt")
    if token.type == "percentage" and token.value > 0:
        return Length(token.value / 100, "em")
    length = _length(token)
    return length if isinstance(length, Length) and length.amount > 0 else text


def _margin(decl) -> dict[str, Length | str | None]:
    """The sides a margin declaration sets: a ``Length``, None for ``auto``,
    or its text when it cannot be read."""
    name = decl.lower_name
    if name != "margin" and name not in {f"margin-{side}" for side in SIDES}:
        return {}
    tokens = _tokens(decl.value)
    values = [_length(t, percent=True) for t in tokens]
    text = tinycss2.serialize(decl.value).strip()
    if name != "margin":
        return {name[len("margin-"):]: values[0] if len(values) == 1 else text}
    if not 1 <= len(values) <= 4:
        return dict.fromkeys(SIDES, text)
    # margin: top [right [bottom [left]]], the missing sides copying their opposites
    picks = {1: (0, 0, 0, 0), 2: (0, 1, 0, 1), 3: (0, 1, 2, 1), 4: (0, 1, 2, 3)}[len(values)]
    return {side: text if isinstance(values[i], str) else values[i]
            for side, i in zip(SIDES, picks)}


def _length(token, percent: bool = False) -> Length | str | None:
    """A non-negative length token: pt, "em" (em or rem), or "%" (with
    ``percent``); None for ``auto``; the token's text otherwise."""
    if token.type == "ident" and token.lower_value == "auto":
        return None
    if token.type == "number" and token.value == 0:
        return Length(0.0, "pt")
    if token.type == "percentage" and percent and token.value >= 0:
        return Length(token.value, "%")
    if token.type == "dimension" and token.value >= 0:
        if token.lower_unit in ABSOLUTE:
            return Length(token.value * ABSOLUTE[token.lower_unit], "pt")
        if token.lower_unit in ("em", "rem"):
            return Length(token.value, "em")
    return tinycss2.serialize([token])


def _for_print(prelude: list) -> bool:
    """Whether a media query list (of ``@media`` or ``@import``) is read as
    holding for print: empty, or one query of the type print or all
    (``only print``, ``print and (…)``); a query of features alone is not."""
    text = tinycss2.serialize(prelude).lower()
    if not text.strip():
        return True
    for query in text.split(","):
        words = query.replace("(", " (").split()
        if words[:1] == ["only"]:
            words = words[1:]
        if words[:1] in (["print"], ["all"]):
            return True
    return False


def _imported(rule, theme: Theme, name: str) -> str | None:
    """The style sheet an ``@import`` of ``name`` brings in, if it holds for print."""
    tokens = _tokens(rule.prelude)
    if not tokens:
        return None
    first = tokens[0]
    if first.type == "function" and first.lower_name == "url":
        strings = [t for t in first.arguments if t.type == "string"]
        url = strings[0].value if strings else None
    else:
        url = first.value if first.type in ("url", "string") else None
    if url is None or not _for_print(rule.prelude[rule.prelude.index(first) + 1:]):
        return None
    ref = resource_name(url, name, theme.folder, first.source_line, theme.owner)
    return ref if ref in theme.css else None
