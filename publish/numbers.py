"""Numbers written out for labels: ``number_label("第{n:zh}章", 12) -> '第十二章'``,
``number_label("Part {n:word}", 2) -> 'Part Two'``.

A label's template (``publish.labels``) writes its number as ``{n}``
(digits), ``{n:zh}`` (Chinese numerals, ``chinese_numeral``), ``{n:word}``
(English words) or ``{n:roman}`` (Roman numerals).  Chinese numerals are
read back too (``parse_chinese_numeral``: file names sort by them).
Imports nothing from the package.
"""

from __future__ import annotations

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


# --- Chinese numerals ------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")


def chinese_numeral(n: int) -> str:
    """Write ``n`` (0 <= n < 10**8) in Chinese numerals, as used in labels.

    >>> chinese_numeral(12), chinese_numeral(100), chinese_numeral(105), chinese_numeral(20)
    ('十二', '一百', '一百零五', '二十')
    """
    if not 0 <= n < 10**8:
        raise ValueError(f"chinese_numeral: {n} out of range")
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        tail = _four_digits(low) if low else ""
        if low and low < 1000:
            tail = "零" + tail
        return chinese_numeral(high) + "万" + tail
    text = _four_digits(n)
    # 一十二 is written 十二 at the start of a number.
    return text[1:] if text.startswith("一十") else text


#: The characters of a Chinese numeral (as in 第十一章): digits, 〇 and 两, units.
CHINESE_NUMERAL_CHARS = _DIGITS + "〇两十百千万"


def parse_chinese_numeral(text: str) -> int:
    """The value of a Chinese numeral, the inverse of ``chinese_numeral``; digits
    without units are read positionally (二〇二五 is 2025).

    >>> parse_chinese_numeral("十一"), parse_chinese_numeral("一百零五"), parse_chinese_numeral("两千")
    (11, 105, 2000)
    """
    digits = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
    if not any(ch in "十百千万" for ch in text):
        return int("".join(str(digits[ch]) for ch in text)) if text else 0
    total = section = number = 0
    for ch in text:
        if ch in digits:
            number = digits[ch]
        elif ch == "万":
            total, section, number = (total + section + number) * 10000, 0, 0
        else:
            section += (number or 1) * 10 ** (_UNITS.index(ch))
            number = 0
    return total + section + number


def _four_digits(n: int) -> str:
    digits = f"{n:04d}"
    out = []
    zero = False
    for i, d in enumerate(digits):
        unit = _UNITS[3 - i]
        if d == "0":
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[int(d)] + unit)
    return "".join(out)


def chapter_label(n: int, unit: str = "章") -> str:
    """Ordinal label of a chapter: ``chapter_label(12) -> '第十二章'``, ``chapter_label(100, '回') -> '第一百回'``."""
    return f"第{chinese_numeral(n)}{unit}"
