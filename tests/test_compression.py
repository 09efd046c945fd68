"""Punctuation compression on the page (clreq 3.1.6): two adjacent full-width
marks take 1.5 em, the blank that faces the other mark is the one that goes,
and a zh-Hant book keeps its centred marks full width.

Measured from what a reader sees: each mark's ink is placed from its glyph
origin (pdfplumber) and the ink bounds of the glyph in the font the PDF
names (fontTools), so "which blank went" is the white between the two inks.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import write_manuscript
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTCollection
from pdf_measure import FULL_WIDTH_MARKS

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.writers import pdf

pytestmark = pytest.mark.slow
OPTIONS = m.BuildOptions(theme_dir=theme_dir("default"))
OPENING = set("（〔［｛《〈「『【〖“‘")
CLOSING = set("）〕］｝》〉」』】〗”’")

TEXT = {
    "zh-Hans": ("悟空道：“如今奈何？”众猴道：“好！”他说：“（《西游记》）。”"
                "又道：“此乃‘花果山’。”【注】（甲）（乙）。书上写着「妙！」二字。"
                # pairs parted by a link's or an emphasis' edge
                "见[《西游记》](https://example.com)，又[“乙”](https://example.com)：*“丙”*。" * 3),
    "zh-Hant": ("悟空道：「如今奈何？」眾猴道：「好！」他說：「（《西遊記》）。」"
                "又道：「此乃『花果山』。」【注】（甲）（乙）。" * 3),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for lang, text in TEXT.items():
        folder = write_manuscript(tmp_path_factory.mktemp(lang), {
            "book.md": f"---\ntitle: 标点\nlanguage: {lang}\n---\n\n# 第一章\n\n{text}\n\n"
                       f"> 他问：“何故？”答曰：“（《善》）。”\n"})  # a quotation, set in Kai
        out[lang] = pdf.write(read(folder / "book.md"), folder / "out", OPTIONS)
    return out


@lru_cache(maxsize=None)
def _ink(fontname: str, ch: str) -> tuple[float, float]:
    """The left and right ink edges of ``ch`` in the face the PDF names, in em."""
    family = fontname.split("+", 1)[-1].replace("-", " ").replace(" Bold", "")
    path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                          text=True, check=True).stdout
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(4) == family:
            glyphs = font.getGlyphSet()
            pen = BoundsPen(glyphs)
            glyphs[font.getBestCmap()[ord(ch)]].draw(pen)
            upm = font["head"].unitsPerEm
            return pen.bounds[0] / upm, pen.bounds[2] / upm
    raise LookupError(family)


def pairs(path: Path) -> list[tuple[str, float, float]]:
    """Each pair of adjacent full-width marks on a line of the chapter: the two
    marks, the width they take (first glyph's origin to the second's box end)
    and the white between their inks, in em."""
    found = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            for a, b in zip(chars, chars[1:]):
                if (a["text"] in FULL_WIDTH_MARKS and b["text"] in FULL_WIDTH_MARKS
                        and abs(a["top"] - b["top"]) < 1):
                    size = a["size"]
                    a_ink = a["x0"] + _ink(a["fontname"], a["text"])[1] * size
                    b_ink = b["x0"] + _ink(b["fontname"], b["text"])[0] * size
                    found.append((a["text"] + b["text"], (b["x1"] - a["x0"]) / size,
                                  (b_ink - a_ink) / size))
    return found


def test_every_pair_takes_one_and_a_half_em_in_zh_hans(books):
    found = pairs(books["zh-Hans"])
    kinds = {p[0] for p in found}
    assert {"？”", "！”", "！」", "：“", "（《", "》）", "）。", "。”", "’。", "】（", "）（"} <= kinds, kinds
    assert all(width <= 1.55 for _, width, _ in found), [p for p in found if p[1] > 1.55]


def test_marks_in_a_kai_quotation_are_the_body_face_s_and_compress(books):
    """The Kai face draws “ ” narrow and has no ``halt``: a quotation's marks are
    set in the body face, full width, and pairs of them take 1.5 em too."""
    with pdfplumber.open(books["zh-Hans"]) as document:
        chars = [c for page in document.pages for c in page.chars]
    i = next(i for i, c in enumerate(chars) if c["text"] == "问")
    assert "WenKai" in chars[i]["fontname"] or "Kai" in chars[i]["fontname"]
    marks = [c for c in chars[i:i + 20] if c["text"] in FULL_WIDTH_MARKS]
    assert len(marks) >= 8 and all("CJK-SC" in c["fontname"] for c in marks), marks
    assert all(abs(c["x1"] - c["x0"] - c["size"]) < 0.01 for c in marks)  # full width
    pairs = [(b["x1"] - a["x0"]) / a["size"] for a, b in zip(marks, marks[1:])
             if abs(a["top"] - b["top"]) < 1 and b["x0"] - a["x0"] < 1.2 * a["size"]]
    assert len(pairs) >= 4 and all(p <= 1.55 for p in pairs), pairs


def test_the_blank_facing_the_other_mark_goes(books):
    """Marks that face the same way close up (their inks a few tenths of an em
    apart): "？”" "。”" "）。" lose the first mark's blank, "（《" the second's;
    a closing mark before an opening one keeps a half em between them."""
    for kind, _, white in pairs(books["zh-Hans"]):
        a, b = kind
        if a in OPENING and b in OPENING or a not in OPENING and b not in OPENING:
            assert white < 0.35, (kind, white)
        elif b in OPENING:
            assert 0.45 < white < 0.9, (kind, white)


def test_zh_hant_keeps_centred_marks_full_width(books):
    """Taiwan practice: ，。、：；？！ are centred and full width, also before a
    closing bracket; a bracket's blank facing another mark still goes (：「, 」。)."""
    found = pairs(books["zh-Hant"])
    by_kind: dict[str, set[float]] = {}
    for kind, width, _ in found:
        by_kind.setdefault(kind, set()).add(round(width, 2))
    for kind in ("。」", "？」", "！」"):
        assert min(by_kind[kind]) >= 1.98, (kind, by_kind[kind])  # justification may add
    for kind in ("：「", "（《", "》）", "」「", "）。", "】（"):
        if kind in by_kind:
            assert max(by_kind[kind]) <= 1.55, (kind, by_kind[kind])
    assert "：「" in by_kind and "）。" in by_kind
