"""Which gaps a justified line stretches (publish/writers/pdf/weasy/justify.py).

The expectations come from the typesetting rules, not from the module's
character classes:

- CSS Text 3, ``text-justify``: ``inter-character`` spaces out typographic
  character units, "most appropriate for languages like Japanese"; ``inter-word``
  is for "languages that separate words using spaces, like English or
  Korean".  The block scripts (Han, kana, bopomofo, and by extension every
  Wide or Fullwidth character of UAX #11) are spaced between their
  characters; the CSS WG's baseline for unlabelled text treats Hangul as not
  expandable and Han and kana as expandable.  Word-separator characters
  (U+0020, U+00A0) are justification opportunities; U+3000 is not one of
  them, it is a CJK character like the others.  The slack of a line is
  shared by the gaps inside it: nothing is added after its last character.
- clreq §3.5 (行内调整): Chinese has no word spaces, so a justified line
  takes its slack between its characters, punctuation included; Western text
  inside it is adjusted at its word spaces, never between its letters, and
  the space between Chinese and Western text (中西间距) is one adjustable
  space.  §3.1.6.2: two adjacent full-width marks are set together, 1.5 em
  for the pair, so justification does not pull them apart again.

A row is written as a typesetter marks it: ``|`` after each character whose
gap to the next one (or to what follows on the line) takes extra space.
The last test renders a short paragraph and measures it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from conftest import write_manuscript
from pdf_measure import body_lines, rag
from pypdf import PdfReader

from publish import model as m
from publish.reader import read
from publish.themes import theme_dir
from publish.typography import is_han
from publish.writers import pdf
from publish.writers.pdf.weasy import justify

SPACES = (" ", "\u00a0")  # what WeasyPrint's word spacing stretches


class Box:
    """A stand-in for WeasyPrint's boxes: only what justify reads of them."""

    def __init__(self, *children):
        self.children = list(children)

    def is_in_normal_flow(self) -> bool:
        return True


class TextBox(Box):
    def __init__(self, text: str):
        super().__init__()
        self.text = text


class LineBox(Box):
    pass


class InlineBox(Box):
    pass


class ImageBox(Box):
    """An atomic inline (an image, an inline-block)."""


@pytest.fixture
def boxes(monkeypatch):
    monkeypatch.setattr(justify, "_boxes", SimpleNamespace(
        TextBox=TextBox, LineBox=LineBox, InlineBox=InlineBox))


def marked(row: str) -> tuple[str, set[int]]:
    """``"天|地|玄黄"`` -> ("天地玄黄", {0, 1})."""
    text, gaps = "", set()
    for ch in row:
        if ch == "|":
            gaps.add(len(text) - 1)
        else:
            text += ch
    return text, gaps


def widened(text: str, line_end: bool) -> set[int]:
    """The characters whose gap takes extra space when the line is drawn: the
    CJK glyphs justify widens, and every space (WeasyPrint's word spacing),
    not the line's last character."""
    spaced = justify._spaced_bytes(text, None, line_end)
    gaps, byte = set(), 0
    for i, ch in enumerate(text):
        if spaced[byte] or ch in SPACES:
            gaps.add(i)
        byte += len(ch.encode())
    if line_end:
        gaps.discard(len(text) - 1)
    return gaps


def counted(text: str, line_end: bool) -> int:
    """The opportunities justify counts for a text box when the line is laid out."""
    box = TextBox(text)
    box.cjk_line_end = line_end
    return justify.count_expandable(box)


# (row, the box ends the line)
ROWS = [
    ("天|地|玄|黄", True),                 # Han: every gap inside the line
    ("天|地|", False),                    # ... and the one to what follows on the line
    ("天|地|，|玄|黄|。", True),            # punctuation is a character like the others
    ("ひ|ら|が|な", True),                 # kana: a block script
    ("カ|タ|カ|ナ", True),
    ("ㄅ|ㄆ|ㄇ", True),                    # bopomofo
    ("Ａ|Ｂ|Ｃ", True),                    # fullwidth forms (UAX #11 F)
    ("第|一|章|\u3000|天|地", True),        # U+3000 is no word separator: a CJK character
    ("한국어 |문장", True),                 # Hangul: inter-word, the space only
    ("한국어 |문장 |", False),
    ("Python", True),                    # never between Latin letters
    ("Python", False),
    ("two |words", True),                # a word separator
    ("a\u00a0|b", True),                 # U+00A0 is a word separator too
    ("用 |Python |编|写", True),           # 中西间距: one adjustable space each side
    ("道|：“|好|。”", True),                # ：“ and 。” are set as pairs (clreq 3.1.6.2)
    ("他|说|：“|你|好|。”", True),
    ("问|：“|何|？”", True),                # ？” too: every adjacent pair of full-width marks
    ("", True),
]


@pytest.mark.parametrize("row, line_end", ROWS)
def test_the_gaps_that_stretch(row, line_end):
    text, expected = marked(row)
    assert widened(text, line_end) == expected


@pytest.mark.parametrize("row, lang", [
    ("“Hello,” |she |said—‘no…’ |it’s·done", "en"),  # English: its word spaces only
    ("“Hello,” |she |said—‘no…’", "en-GB"),
    ("«Bonjour» |dit-il…", "fr"),
    ("“|你|好|”|…|…|—|—|好", "zh-Hans"),            # the same marks are CJK in Chinese text
    ("“|你|好|”|…|…", None),                       # and where no language is given
])
def test_marks_shared_with_latin_stretch_only_in_cjk_text(row, lang, boxes):
    """clreq §3.5: Western text is adjusted at its word spaces, never between
    its letters; the curly quotes, dashes and ellipses it shares with Chinese
    are its own characters in an English text box (CSS Text 3 inter-word)."""
    text, expected = marked(row)
    style = {"lang": lang}
    box = TextBox(text)
    box.style = style
    box.cjk_line_end = True
    assert justify.count_expandable(box) == len(expected)
    seen = justify._as_seen(text, style)
    assert widened(seen, True) == expected


@pytest.mark.parametrize("row, line_end", ROWS)
def test_layout_counts_the_gaps_drawing_widens(row, line_end, boxes):
    """The slack is divided by the count made at layout and added at each gap
    when drawing: if they disagree, a justified line overshoots or falls short."""
    text, expected = marked(row)
    assert counted(text, line_end) == len(expected)


@pytest.mark.xfail(strict=True, reason=(
    "justify widens the glyph before a gap, and only CJK glyphs: a Latin letter "
    "right before a Han character takes nothing (the reader's autospace puts a "
    "space there, so books do not show it)"))
def test_an_unspaced_latin_han_boundary_stretches_both_ways():
    text, expected = marked("用|Python|编|写")
    assert widened(text, True) == expected


def test_the_line_ends_in_its_last_text_box(boxes):
    """The last character of a line may sit in an inline box (a link, an
    emphasis): the gap after it is the line's end, not an opportunity."""
    last = TextBox("玄黄")
    line = LineBox(TextBox("天地"), InlineBox(last))
    assert justify._last_text_box(line) is last
    last.cjk_line_end = True
    assert justify.count_expandable(line) == 3  # 天|地|玄|黄


def test_an_image_at_the_end_of_a_line_keeps_the_gap_before_it(boxes):
    line = LineBox(TextBox("天地"), ImageBox())
    assert justify._last_text_box(line) is None
    assert justify.count_expandable(line) == 2  # 天|地|[image]


# --- measured on the page -------------------------------------------------------------

A5 = pdf.page_geometry(pdf.TRIMS["a5"])
PARAGRAPH = ("我们用Python写了一个排版程序，它说：“两端对齐。”天地玄黄，宇宙洪荒。日月盈昃，"
             "辰宿列张。寒来暑往，秋收冬藏。闰余成岁，律吕调阳（Python 3.12）。云腾致雨，"
             "露结为霜。金生丽水，玉出昆冈。剑号巨阙，珠称夜光。果珍李柰，菜重芥姜。")


def test_a_justified_chinese_paragraph_ends_flush(tmp_path: Path):
    """Every full line ends at the right edge of the text block, its slack
    shared evenly between its Han characters, none of it inside a Latin word
    (the same word set ragged, on the paragraph's last line, is as wide)."""
    folder = write_manuscript(tmp_path / "book", {
        "book.md": f"---\ntitle: 对齐\n---\n\n# 第一章\n\n{PARAGRAPH}\n\nPython。\n"})
    path = pdf.write(read(folder), tmp_path / "out", m.BuildOptions(theme_dir=theme_dir("default")))
    lines = body_lines(path, A5, PdfReader(path).page_labels.index("1"))
    full = [line for line in lines if line.full]
    assert len(full) >= 3, [line.text for line in lines]
    assert all(abs(rag(line)) <= 0.5 for line in full), [(rag(line), line.text) for line in full]
    for line in full:
        han = [line.advance(i) for i in range(len(line.chars) - 1)
               if is_han(line.chars[i]["text"]) and is_han(line.chars[i + 1]["text"])]
        assert max(han) - min(han) < 0.05, (line.text, han)
    assert any(line.advance(0) > A5.font_size + 0.1 for line in full)  # it did stretch
    ragged = lines[-1]
    assert ragged.text.startswith("Python") and not ragged.full

    def letters(line) -> list[float]:  # P y t h o: "n" may stand before a space
        start = line.text.index("Python")
        return [round(line.advance(start + i), 2) for i in range(5)]

    justified = next(line for line in full if "Python" in line.text)
    assert letters(justified) == letters(ragged)
    with pdfplumber.open(path) as doc:  # nothing added to the text layer
        assert "两端对齐" in "".join(page.extract_text() or "" for page in doc.pages)
