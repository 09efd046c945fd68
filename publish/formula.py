"""TeX formulas (``$…$``, ``$$…$$``): checked, and as MathML (latex2mathml).

``mathml(r"\\frac{a}{b}", display=False)`` gives the MathML the EPUB carries
(``<math xmlns=… display="inline" alttext="\\frac{a}{b}">…``); the PDF draws
the same TeX with ziamath, which reads it with latex2mathml too.
``problem(tex)`` says why a formula cannot be set (``None`` when it can): the
reader keeps such a formula as text, with a warning naming its line.

latex2mathml turns much that is wrong into MathML without a word: an unknown
command becomes an identifier showing its backslash (``\\foo``), an unknown
environment is dropped, ``\\frac{a`` a fraction of one part, ``&`` or ``<``
inside ``\\text{}`` markup that is not XML.  ``problem`` looks for each of
these, so what it lets through is MathML that shows what the author wrote.

latex2mathml (half a second to import) is imported when a formula is met,
so a book without one never loads it.  Imports nothing from the package.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from xml.etree import ElementTree

MATHML_NS = "http://www.w3.org/1998/Math/MathML"


class FormulaError(ValueError):
    """A formula that does not parse; the message says why."""


# latex2mathml has no ``aligned`` (it leaves a raw "&" in the markup); its
# ``align*`` is the same table.  ziamath makes the same substitution.
_ALIASES = ((r"\begin{aligned}", r"\begin{align*}"), (r"\end{aligned}", r"\end{align*}"))
# latex2mathml sets \mathrm{d} upright only with a space before the brace
# (ziamath makes the same change).
_MATHRM = re.compile(r"\\mathrm\{")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")
_ESCAPED = re.compile(r"\\[\\{}]")
# How many children each MathML element with a fixed arity has.
_ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2,
          "msubsup": 3, "munderover": 3}
_TOKENS = ("mi", "mn", "mo", "mtext", "ms")
# latex2mathml's exceptions in words (the others are named from the class).
_SAYS = {"ExtraLeftOrMissingRightError": r"a \left without its \right",
         "MissingSuperScriptOrSubscriptError": "a ^ or _ with nothing after it",
         "NoAvailableTokensError": "a command without its argument",
         "DenominatorNotFoundError": r"\frac without its denominator",
         "NumeratorNotFoundError": r"\frac without its numerator",
         "MissingEndError": r"a \begin without its \end"}


def _normalize(tex: str) -> str:
    for old, new in _ALIASES:
        tex = tex.replace(old, new)
    return _MATHRM.sub(r"\\mathrm {", tex)


@lru_cache(maxsize=1)
def _environments() -> frozenset[str]:
    from latex2mathml.commands import MATRICES

    return frozenset(name.lstrip("\\") for name in MATRICES)


@lru_cache(maxsize=4096)
def _convert(tex: str, display: bool) -> str:
    """latex2mathml's MathML for ``tex``, checked (``FormulaError`` otherwise)."""
    if not tex.strip():
        raise FormulaError("an empty formula")
    braces = _ESCAPED.sub("", tex)
    depth = 0
    for ch in braces:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            raise FormulaError("a } without its {")
    if depth:
        raise FormulaError("a { without its }")
    for name in _ENVIRONMENT.findall(tex):
        if name.strip() not in _environments() and name.strip() != "aligned":
            raise FormulaError(f"unknown environment {name!r}")
    from latex2mathml.converter import convert

    try:
        markup = convert(_normalize(tex), display="block" if display else "inline")
    except Exception as e:  # latex2mathml raises its own kinds, and IndexError, KeyError…
        name = type(e).__name__
        words = _SAYS.get(name) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
        raise FormulaError(words.removesuffix(" error") + (f": {e}" if str(e) else "")) \
            from None
    try:
        root = ElementTree.fromstring(markup)
    except ElementTree.ParseError:
        raise FormulaError("a character that must be written as a command "
                           r"(\lt, \gt, \&) inside \text{}") from None
    for el in root.iter():
        tag = el.tag.rpartition("}")[2]
        if tag in _ARITY and len(el) != _ARITY[tag]:
            raise FormulaError(f"\\{_command(tag)} without all its parts")
        if tag in _TOKENS and (el.text or "").startswith("\\"):
            raise FormulaError(f"unknown command {el.text}")
    return markup


def _command(tag: str) -> str:
    return {"mfrac": "frac", "mroot": "sqrt", "msub": "_", "msup": "^"}.get(tag, tag)


def problem(tex: str) -> str | None:
    """Why ``tex`` cannot be set, or None: ``problem(r"\\frac{a") -> 'a { without its }'``."""
    try:
        _convert(tex, False)
    except FormulaError as e:
        return str(e)
    return None


def mathml(tex: str, display: bool) -> str:
    """The formula as a MathML ``<math>`` element (XHTML), with the TeX as
    its ``alttext``; ``FormulaError`` when it does not parse."""
    markup = _convert(tex, display)
    head = f'<math xmlns="{MATHML_NS}" '
    if not markup.startswith(head):  # pragma: no cover - latex2mathml's fixed form
        raise FormulaError("unexpected MathML")
    return f'{head}alttext="{escape(tex, quote=True)}" {markup[len(head):]}'


def characters(tex: str) -> set[str]:
    """The characters a formula shows (its MathML's token elements' text)."""
    root = ElementTree.fromstring(_convert(tex, False))
    return {ch for el in root.iter() if el.tag.rpartition("}")[2] in _TOKENS
            for ch in (el.text or "") if not ch.isspace()}
