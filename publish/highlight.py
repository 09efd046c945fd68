"""Code highlighting: a code block's text cut into runs of one token kind (Pygments).

``runs("let a = 1;", "js")`` gives ``[("kd", "let"), ("", " a "), ("o", "="),
("", " "), ("mf", "1"), ("", ";")]``: each run a class name and its text, the
texts joined being the code exactly as written (the lexer neither strips nor
adds a newline).  The
class names are Pygments' short names (``k`` keyword, ``s2`` string, ``c1``
comment…), so the theme's style sheets, or any Pygments style an author puts
in style.css (``pygmentize -S friendly -f html -a .highlight``), colour them.
Identifiers, punctuation and operators, which the theme sets in the text
colour, and what the lexer could not read (``err``) get no class of their
own, and white space after a token joins it: each span is a box WeasyPrint
lays out, so the markup stays small.

The language is the fence's (```` ```js ````); a name Pygments does not know,
or no name, gives ``None``: the block is set plain, no language is guessed.
The model holds no tokens: the XHTML renderer asks here when it sets a block.
Imports nothing from the package but ``options``.
"""

from __future__ import annotations

from functools import lru_cache

from .options import Option

#: Colour code blocks by token in the EPUB and the PDF (the text edition is never coloured).
HIGHLIGHT = Option("highlight", bool, True, "Colour code blocks by token (Pygments), in the "
                   "language the fence names (```js); --no-highlight sets them plain.")

Run = tuple[str, str]


@lru_cache(maxsize=64)
def _lexer(language: str):
    """The lexer Pygments has for ``language`` (a name or alias, any case), or None."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # No newline stripped or added, tabs left as they are: the text stays the author's.
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False, tabsize=0)
    except ClassNotFound:
        return None


@lru_cache(maxsize=256)
def _class_of(kind) -> str:
    """The short class name of a token kind ("" for text, identifiers and
    punctuation); a kind of a lexer's own takes its nearest standard parent's."""
    from pygments.token import STANDARD_TYPES, Error, Name, Operator, Punctuation, Text

    if (kind in Text or kind in Punctuation or kind is Name or kind is Name.Other
            or kind is Operator or kind is Error):
        return ""
    while kind not in STANDARD_TYPES:
        kind = kind.parent
    return STANDARD_TYPES[kind]


def runs(code: str, language: str) -> list[Run] | None:
    """``code`` as (class, text) runs, or None when ``language`` names no lexer."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return None
    classes: list[str] = []
    pieces: list[list[str]] = []  # the texts of each run, joined once at the end
    for kind, value in lexer.get_tokens(code):
        if not value:
            continue
        cls = _class_of(kind)
        if classes and not cls and value.isspace():
            cls = classes[-1]  # white space shows no colour: one box fewer to lay out
        if classes and classes[-1] == cls:
            pieces[-1].append(value)
        else:
            classes.append(cls)
            pieces.append([value])
    out = [(cls, "".join(texts)) for cls, texts in zip(classes, pieces)]
    if "".join(value for _, value in out) != code:  # a lexer that rewrote the text
        return None
    return out
