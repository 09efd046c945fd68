"""CSS naming the faces of a book's languages, for the EPUB and the PDF.

The default theme's stacks name the Simplified Chinese faces (Noto's SC,
LXGW WenKai for Chinese emphasis and quotations); ``font_css`` adds the faces a book
chooses (``body_font``, ``heading_font``), those of a book in another CJK
language (``fonts.faces``: TC, HK, JP, KR), and those of its passages in
another CJK language (``:lang()``); ``emphasis_css`` the faces of emphasis
in a language, ``quote_css`` those of its block quotations.  Imports nothing from the package but ``fonts`` and
``themes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .fonts import cjk_region, faces
from .themes import css_string

#: Noto CJK's faces by the forms they draw (its region code), and the faces
#: a reading system may have instead, for the EPUB's stacks.
_REGIONS = {
    "SC": ("Source Han Serif SC, Songti SC, STSong, SimSun",
           "Source Han Sans SC, PingFang SC, Microsoft YaHei"),
    "TC": ("Source Han Serif TC, Songti TC, PMingLiU",
           "Source Han Sans TC, PingFang TC, Microsoft JhengHei"),
    "HK": ("Source Han Serif HK, Songti TC, MingLiU_HKSCS",
           "Source Han Sans HK, PingFang HK, Microsoft JhengHei"),
    "JP": ("Source Han Serif JP, Hiragino Mincho ProN, Yu Mincho",
           "Source Han Sans JP, Hiragino Sans, Yu Gothic"),
    "KR": ("Source Han Serif KR, AppleMyungjo, Batang",
           "Source Han Sans KR, Apple SD Gothic Neo, Malgun Gothic"),
}
#: The Kai faces a reading system may have, by the forms they draw.
_KAI_ALTERNATIVES = {
    "SC": "Kaiti SC, STKaiti, KaiTi",
    "TC": "Kaiti TC, BiauKai, DFKai-SB",
    "HK": "Kaiti TC, BiauKai",
}

#: Selectors of the default theme that set body text, headings and code (a
#: block quotation takes the body's face, or a Kai face: ``quote_css``).
BODY_SELECTORS = "body, .halftitle p, .footnote"
HEADING_SELECTORS = ("h1, h2, h3, h4, h5, h6, .speaker, .book-title, .notes-title, .label, "
                     "th, nav.toc li.toc-part")
MONO_SELECTORS = "pre, code"


def font_css(body: str, heading: str, pages: bool = False, languages: Iterable[str] = ()) -> str:
    """CSS naming the chosen faces before the theme's (\"\" when none is chosen
    and the book is not in another CJK language than Simplified Chinese);
    with ``pages``, the running heads (heading face) and folios (body face) too.

    ``languages``: the book's language first, then those of its passages in
    other languages.  A book in Traditional Chinese, Japanese or Korean is
    set in the faces of that language; a passage in another CJK language
    than the book's in the faces of its own (``:lang()``), whatever element
    sets it."""
    languages = list(languages) or ["zh-Hans"]
    region = cjk_region(languages[0]) or "SC"
    book = faces(languages[0])
    own = region != "SC"  # the theme names the SC faces
    stacks = [_stack(chosen, family, region, generic) if chosen or own else ""
              for chosen, family, generic in ((body, book.serif, "serif"),
                                              (heading, book.sans, "sans-serif"))]
    mono = _stack("", book.mono, "", "monospace") if own else ""
    rules = [f"{selectors} {{ font-family: {stack}; }}"
             for selectors, stack in ((BODY_SELECTORS, stacks[0]), (HEADING_SELECTORS, stacks[1]),
                                      (MONO_SELECTORS, mono)) if stack]
    if own:
        rules += emphasis_css(languages[0]) + quote_css(languages[0])
    if pages:  # running heads in the heading face, folios in the body face
        rules += [f"@page :{side} {{ @{edge}-{side} {{ font-family: {stack}; }} }}"
                  for side in ("left", "right")
                  for edge, stack in (("top", stacks[1]), ("bottom", stacks[0])) if stack]
    seen = {region}
    for language in dict.fromkeys(languages[1:]):
        if cjk_region(language) and cjk_region(language) not in seen | {""}:
            rules += _passage_css(language)
    return "\n".join(rules) + ("\n" if rules else "")


def _stack(chosen: str, family: str, region: str, generic: str) -> str:
    """A font stack: the chosen face, the language's Noto face, the faces a
    reading system may have instead, the generic family."""
    alternatives = ""
    if region in _REGIONS and region != "SC":  # the theme's stacks name SC's
        alternatives = _REGIONS[region][0 if generic == "serif" else 1]
    names = [chosen] * bool(chosen) + [family] + [n.strip() for n in alternatives.split(",") if n]
    return ", ".join(css_string(name) for name in dict.fromkeys(names)) + f", {generic}"


def _passage_css(language: str) -> list[str]:
    """The faces of a passage in ``language`` (``<span lang="ja">``): each element
    that carries the language, or sets a role's face inside it, takes that
    role's face in this language."""
    found = faces(language)
    region = cjk_region(language)
    tag = re.sub(r"[^A-Za-z0-9-]", "", language)  # a BCP 47 tag is an identifier already
    out = []
    for selectors, family, generic in ((BODY_SELECTORS, found.serif, "serif"),
                                       (HEADING_SELECTORS, found.sans, "sans-serif"),
                                       (MONO_SELECTORS, found.mono, "monospace")):
        names = [s.strip() for s in selectors.split(",")]
        chosen = [f"{name}:lang({tag})" for name in names] + [f"{name} [lang|={tag}]"
                                                             for name in names]
        if generic == "serif":
            chosen.insert(0, f"[lang|={tag}]")
        out.append(f"{', '.join(chosen)} {{ font-family: "
                   f"{_stack('', family, region if generic != 'monospace' else '', generic)}; }}")
    return out + emphasis_css(language, f":lang({tag})") + quote_css(language)


#: Where emphasis is set in the sans, and where CJK emphasis keeps the bold
#: face around it (what ``fonts.face_characters`` counts as bold text);
#: base.css has the same lists for the SC faces.
_SANS_CONTEXTS = ("h1", "h2", "h3", "h4", "h5", "h6", "th", ".book-title", ".speaker", ".label",
                  ".admonition-title")
_BOLD_CONTEXTS = ("strong", "b", "dt", *_SANS_CONTEXTS)


def _kai_stack(language: str) -> str:
    """The Kai faces of a Chinese language's forms, then its body face."""
    found = faces(language)
    region = cjk_region(language) or "SC"
    names = (found.emphasis, *_KAI_ALTERNATIVES[region].split(", "), found.serif)
    return ", ".join(css_string(name) for name in names) + ", serif"


#: What a Chinese block quotation sets in the body face, not in its Kai face:
#: bold text (AR PL UKai has no bold), emphasis (the contrast with Kai),
#: English runs (AR PL UKai's Latin is monospaced), tables (sized for the
#: body face), full-width marks (the Kai faces draw “ ” narrow and have no
#: ``halt``, so adjacent marks would not compress); base.css has the same list for the SC faces,
#: ``fonts.face_characters`` the same rule.
_OUT_OF_KAI = ("strong", "b", "dt", "em .cjk", '[lang|="en"]', "table", ".punct")


def quote_css(language: str) -> list[str]:
    """The face of a block quotation in ``language``: its Kai face for
    Chinese (楷体, as Chinese books set quotations and epigraphs), none for a
    language that has no Kai (its quotations keep the body face)."""
    if not faces(language).quote:
        return []
    tag = re.sub(r"[^A-Za-z0-9-]", "", language)
    quote = f"blockquote:lang({tag})"
    serif = _stack("", faces(language).serif, cjk_region(language), "serif")
    return [f"{quote} {{ font-family: {_kai_stack(language)}; }}",
            f"{', '.join(f'{quote} {inner}' for inner in _OUT_OF_KAI)} "
            f"{{ font-family: {serif}; }}"]


def emphasis_css(language: str, scope: str = "") -> list[str]:
    """The faces of emphasis in ``language``: Latin text in Noto's italic
    before the language's faces; CJK text (``em .cjk``) in its Kai face (its
    Gothic for Japanese and Korean), the Kai faces a reading system may have,
    its body face; in bold text the bold face around it.  ``scope`` narrows
    the rules to a passage (``:lang(zh-Hant)``)."""
    found = faces(language)
    region = cjk_region(language) or "SC"
    if region in _KAI_ALTERNATIVES:
        kai = _kai_stack(language)
    else:
        kai = _stack("", found.emphasis, region, "sans-serif")
    sans = ", ".join(f"{context} em{scope}" for context in _SANS_CONTEXTS)
    bold = [f"{context} em .cjk{scope}" for context in _BOLD_CONTEXTS]
    bold += [f"em {tag} .cjk{scope}" for tag in ("strong", "b")]
    return [f"em{scope} {{ font-family: {_stack('Noto Serif', found.serif, region, 'serif')}; }}",
            f"{sans} {{ font-family: {_stack('Noto Sans', found.sans, region, 'sans-serif')}; }}",
            f"em .cjk{scope} {{ font-family: {kai}; }}",
            f"em .cjk .punct{scope} {{ font-family: {_stack('', found.serif, region, 'serif')}; }}",
            f"{', '.join(bold + [f'{b} .punct' for b in bold])} {{ font-family: inherit; }}"]
