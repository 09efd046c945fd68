"""Numbers written out for labels: ``number_label("第{n:zh}章", 12) -> '第十二章'``,
``number_label("Part {n:word}", 2) -> 'Part Two'``.

A label's template (``publish.labels``) writes its number as ``{n}``
(digits), ``{n:zh}`` (Chinese numerals, ``typography.chinese_numeral``),
``{n:word}`` (English words) or ``{n:roman}`` (Roman numerals).  Imports
nothing from the package but ``typography``.
"""

from __future__ import annotations

from .typography import chinese_numeral

_ONES = ("Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen "
         "Fourteen Fifteen Sixteen Seventeen Eighteen Nineteen").split()
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def english_number(n: int) -> str:
    """``n`` in English words, capitalised as a label's: ``english_number(21) ->
    'Twenty-One'``, ``english_number(105) -> 'One Hundred Five'`` (digits from 1000)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} Hundred" + (f" {english_number(rest)}" if rest else "")
    return str(n)


def roman_numeral(n: int) -> str:
    """``roman_numeral(14) -> 'XIV'`` (digits from 4000)."""
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


class _Number(int):
    """A number a label's template writes as ``{n}``, ``{n:zh}``, ``{n:word}`` or ``{n:roman}``."""

    def __format__(self, spec: str) -> str:
        forms = {"zh": chinese_numeral, "word": english_number, "roman": roman_numeral}
        return forms[spec](int(self)) if spec in forms else int.__format__(int(self), spec)


def number_label(template: str, n: int) -> str:
    """A label's template filled with a number: ``number_label("第{n:zh}章", 12) ->
    '第十二章'``, ``number_label("Part {n:word}", 2) -> 'Part Two'``."""
    return template.format(n=_Number(n))

