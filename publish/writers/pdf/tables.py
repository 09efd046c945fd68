"""Tables that fit the text block, for the print edition.

A manuscript's table says nothing of widths, and WeasyPrint's automatic
table layout, given a table wider than the page, lets it run past the text
block (a column of Latin words) or squeezes a column to one character (维护
中 stacked one per line) and hyphenates the words of another (Py-thon).
The print renderer chooses instead, from the text of the cells and the
advance widths of the faces that set them, the type size, the page and the
least width each column keeps:

- a cell wraps CJK text between any two characters (kinsoku kept) and Latin
  text at its spaces, and hyphenates nothing (print.css's ``hyphens:
  manual``); a word no column can hold breaks anywhere, without a hyphen
  (``overflow-wrap: anywhere``);
- each column keeps whole (its floor, a ``min-width`` on its first cell):
  its longest word, a short cell entire (``SHORT`` em at most: 维护中, macOS),
  and ``CJK_MIN`` em of running Chinese text; a token (a word wider than a
  third of the text block: a hash, a long identifier) is no word to keep;
- the type steps down from the theme's table size to 8 pt (``sizes``) until
  the floors fit the measure;
- a table whose floors do not fit even at 8 pt is set on a page of its own
  turned a quarter (``broadside``, as books set a wide table: its top at the
  left of the upright page), whose measure is the height of the text block;
- failing that, Chinese cells and short cells give way (``CJK_NARROW``),
  and at last the words too, with a warning.

WeasyPrint's automatic layout then shares the measure (css-tables-3): each
column its floor, and the rest as each would take on one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ... import model as m
from ...errors import FontError
from ...fonts import advance_widths, faces, find_font
from ...typography import (
    LINE_END_FORBIDDEN,
    LINE_START_FORBIDDEN,
    autospace,
    is_east_asian,
    is_wide,
)

#: The theme's table type, of the body size (base.css: ``table { font-size: 0.9em }``).
TABLE_EM = 0.9
#: The least type a table steps down to, pt.
SMALLEST = 8.0
#: A cell's padding, left and right together, em (base.css: ``padding: … 0.5em``).
PAD_EM = 1.0
#: A cell this wide or less (em) is kept on one line.
SHORT = 6.0
#: The least width of a column of running CJK text, em; then, when nothing fits, the narrower.
CJK_MIN = 4.0
CJK_NARROW = 2.0
#: Inline code's size (base.css: ``code { font-size: 0.9em }``).
CODE_EM = 0.9
#: What the floors may take of the measure: room for rounding and kerning.
SLACK = 0.97
#: A floor's margin over the advances it adds up (em): Pango rounds each
#: glyph's position, and a word exactly as wide as its column breaks.
SPARE = 0.1

_SPACES = " \u3000\u200b\t"


@dataclass(frozen=True)
class Space:
    """Where tables are set: the measure (pt), the measure of a page turned a
    quarter (pt; 0: no such page is wider) and the body size (pt)."""

    measure: float
    broadside: float
    body: float


@dataclass(frozen=True)
class Fit:
    """How a table is set: its type size (pt), on a turned page or not, the
    least width of each column's content (pt), and whether words had to break."""

    size: float
    broadside: bool
    floors: tuple[float, ...]
    broken: bool = False
    tokens: frozenset[tuple[int, int]] = frozenset()  # (row, column): a cell holding a token


def sizes(body: float) -> list[float]:
    """The table sizes to try, largest first: ``sizes(10.5) -> [9.45, 9.0, 8.0]``."""
    first = round(body * TABLE_EM, 2)
    return [first] + [s for s in (9.0, SMALLEST) if s < first]


@dataclass(frozen=True)
class _Cell:
    """A cell measured at 1 em: its widest line, its longest words, whether it holds CJK."""

    natural: float
    words: tuple[float, ...]
    cjk: bool


def fit(table: m.Table, space: Space, width: Advances) -> Fit:
    """How ``table`` is set in ``space``; ``width(ch, face)`` is a character's
    advance in em in a face (``"serif"``, ``"bold"``, ``"head"``, ``"mono"``)."""
    width.learn(m.blocks_text((table,)) + " ")
    rows = [(row, "head") for row in ((table.header,) if table.header else ())]
    rows += [(row, "serif") for row in table.rows]
    columns = len(table.aligns) or max((len(row) for row, _ in rows), default=0)
    cells = [[_measure(row[i] if i < len(row) else (), face, width) for row, face in rows]
             for i in range(columns)]
    if not columns:
        return Fit(sizes(space.body)[0], False, ())
    for broadside, short, cjk in ((False, SHORT, CJK_MIN), (True, SHORT, CJK_MIN),
                                  (False, 0.0, CJK_NARROW), (True, 0.0, CJK_NARROW)):
        measure = space.broadside if broadside else space.measure
        if not measure:
            continue
        for size in sizes(space.body):
            token = space.measure / 3 / size
            floors = [_floor(column, short, cjk, token) + SPARE for column in cells]
            if (sum(floors) + PAD_EM * columns) * size <= measure * SLACK:
                return Fit(size, broadside, tuple(round(f * size, 2) for f in floors),
                           tokens=_tokens(cells, token))
    every = frozenset((row, column) for column in range(columns) for row in range(len(rows)))
    return Fit(SMALLEST, bool(space.broadside), (0.0,) * columns, broken=True, tokens=every)


def _tokens(cells: list[list[_Cell]], token: float) -> frozenset[tuple[int, int]]:
    """The cells (row, column) holding a word wider than ``token`` em."""
    return frozenset((row, column) for column, cut in enumerate(cells)
                     for row, cell in enumerate(cut) if any(w > token for w in cell.words))


def _floor(column: list[_Cell], short: float, cjk: float, token: float) -> float:
    """The least width (em) a column keeps: its longest word that is no
    token, its short cells whole, ``cjk`` em of CJK text."""
    floor = 0.0
    for cell in column:
        floor = max(floor, max((w for w in cell.words if w <= token), default=0.0))
        if cell.natural <= short:
            floor = max(floor, cell.natural)
        elif cell.cjk:
            floor = max(floor, min(cjk, cell.natural))
    return floor


def _measure(inlines: tuple[m.Inline, ...], face: str,
             width: Callable[[str, str], float]) -> _Cell:
    """A cell's widest line and its words (pieces between break
    opportunities: a space, either side of a CJK character but where kinsoku
    forbids), at 1 em."""
    lines, words = [0.0], [0.0]
    cjk = False
    previous = ""
    for ch, w in _characters(inlines, face, width):
        if ch == "\n":
            lines.append(0.0)
            words.append(0.0)
            previous = ""
            continue
        cjk = cjk or is_east_asian(ch)
        lines[-1] += w
        if ch in _SPACES:
            words.append(0.0)
        elif previous and _breaks(previous, ch):
            words.append(w)
        else:
            words[-1] += w
        previous = ch
    return _Cell(max(lines), tuple(w for w in words if w), cjk)


def _breaks(before: str, after: str) -> bool:
    """A line may break between these two characters (a conservative
    reading of UAX #14 and clreq: only beside CJK characters)."""
    return ((is_wide(before) or is_wide(after) or is_east_asian(before) or is_east_asian(after))
            and after not in LINE_START_FORBIDDEN and before not in LINE_END_FORBIDDEN)


def _characters(inlines: tuple[m.Inline, ...], face: str,
                width: Callable[[str, str], float]) -> Iterator[tuple[str, float]]:
    """Each character the cell shows with its advance (em of the table's
    size); ``\\n`` for a line break."""
    for node in inlines:
        match node:
            case m.Text(text=value):
                for ch in autospace(value):
                    yield ch, width(ch, face)
            case m.Code(text=value):
                for ch in value:
                    yield ch, width(ch, "mono") * CODE_EM
            case m.Strong(children=children):
                yield from _characters(children, "head" if face == "head" else "bold", width)
            case m.LineBreak():
                yield "\n", 0.0
            case m.Image():
                yield "\ufffc", 2.0
            case m.Math(source=source):
                for ch in source:
                    yield ch, width(ch, face)
            case m.Ruby(base=base):
                for ch in base:
                    yield ch, width(ch, face)
            case m.NoteRef():
                yield "\u2060", 0.5
            case _:
                yield from _characters(getattr(node, "children", ()), face, width)


class Advances:
    """The advance of a character in the face that sets it in a book in
    ``language``, in em: ``Advances("zh-Hans")("维", "serif") -> 1.0`` (a wide
    character 1 em, another 0.6 em, when the face cannot be read).  Faces
    are read once per batch of new characters (``learn``)."""

    def __init__(self, language: str):
        book = faces(language)
        self.families = {"serif": (book.serif, False), "bold": (book.serif, True),
                         "head": (book.sans, True), "mono": (book.mono, False)}
        self.known: dict[str, dict[str, float | None]] = {face: {} for face in self.families}

    def learn(self, text: str) -> None:
        for face, (family, bold) in self.families.items():
            known = self.known[face]
            new = set(text) - known.keys()
            if not new:
                continue
            try:
                found = advance_widths(find_font(family, bold), new)
            except FontError:
                found = {}
            known.update({ch: found.get(ch) for ch in new})

    def __call__(self, ch: str, face: str) -> float:
        found = self.known[face].get(ch)
        if found is None:
            return 1.0 if is_wide(ch) else 0.6
        return found
