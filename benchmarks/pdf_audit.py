"""Audit a print PDF made by publish the way a proofreader would, from glyph positions.

    python benchmarks/pdf_audit.py dist/book.pdf [--trim a5]

Prints: kinsoku violations (lines starting with a closing mark or ending
with an opening one), the share of full body lines flush with the measure
(within 0.5 pt), the share of Han-Latin gaps within 0.15-0.40 em, the share
of adjacent full-width punctuation pairs (GB/T 15834's marks) within 1.6 em,
letter-spaced lines (median Han gap above 1/4 em), Han characters not set in a face
of Simplified forms, and chapter openings that are not on a recto or whose TOC number is
wrong.  Run by hand; the tests assert the same on small cases.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdf_measure import FULL_WIDTH_MARKS, body_lines, rag  # noqa: E402

from publish.typography import is_han  # noqa: E402
from publish.writers import pdf  # noqa: E402

NO_LINE_START = set("，。、；：？！）》」』”’")
NO_LINE_END = set("（《「『“‘")
LATIN = re.compile(r"[A-Za-z0-9]")
#: Faces that draw Han in Simplified (GB) forms: Noto's SC faces, the GB Kai faces.
SIMPLIFIED_FACE = re.compile(r"CJK-SC|LXGW-WenKai(?!-TC)|UKai-CN")


def audit(path: Path, trim: str = "a5", pages: int | None = None) -> dict[str, object]:
    """The figures of the module docstring; ``pages`` limits the body pages read."""
    g = pdf.page_geometry(pdf.parse_trim(trim))
    labels = PdfReader(path).page_labels
    first = labels.index("1") if "1" in labels else 0
    last = first + pages if pages else None
    lines = body_lines(path, g, first, last)
    kinsoku = [line.text for line in lines
               if line.text[0] in NO_LINE_START or line.text[-1] in NO_LINE_END]
    full = [line for line in lines if line.full]
    flush = [line for line in full if abs(rag(line)) <= 0.5]
    gaps, pairs, loose = [], [], []
    for line in lines:
        han_gaps = [(b["x0"] - a["x1"]) / g.font_size for a, b in zip(line.chars, line.chars[1:])
                    if len(a["text"]) == len(b["text"]) == 1 and is_han(a["text"])
                    and is_han(b["text"])]
        if len(han_gaps) >= 3 and statistics.median(han_gaps) > 0.25:
            loose.append(line.text)
        for i in range(len(line.chars) - 1):
            # A ligature ("fi") is one glyph with two characters.
            a, b = line.chars[i]["text"][-1:], line.chars[i + 1]["text"][:1]
            if (is_han(a) and LATIN.match(b)) or (LATIN.match(a) and is_han(b)):
                gaps.append((line.chars[i + 1]["x0"] - line.chars[i]["x1"]) / g.font_size)
            if a in FULL_WIDTH_MARKS and b in FULL_WIDTH_MARKS:
                width = line.advance(i) + line.chars[i + 1]["x1"] - line.chars[i + 1]["x0"]
                pairs.append(width / g.font_size)
    not_sc = 0
    openings: dict[int, str] = {}
    toc_text = ""
    with pdfplumber.open(path) as doc:
        for index, page in enumerate(doc.pages[:last]):
            not_sc += sum(1 for c in page.chars if len(c["text"]) == 1 and is_han(c["text"])
                          and not SIMPLIFIED_FACE.search(c["fontname"]))
            title = "".join(c["text"] for c in page.chars if abs(c["size"] - 1.7 * g.font_size) < 0.1)
            if title and index >= first:
                openings[index] = re.sub(r"[\s\u3000]", "", title)  # a title may wrap
            if index < first:
                toc_text += page.extract_text() or ""
    toc_text = re.sub(r"[\s\u3000]", "", toc_text)
    wrong_toc = [t for i, t in openings.items()
                 if not re.search(re.escape(t) + r"[·.]*" + re.escape(labels[i]) + r"(?!\d)", toc_text)]
    return {
        "pages": len(labels),
        "body lines": len(lines),
        "kinsoku violations": len(kinsoku),
        "full lines flush (<= 0.5 pt)": f"{len(flush)}/{len(full)} = {pct(len(flush), len(full))}",
        "Han-Latin gaps in 0.15-0.40 em": f"{sum(0.15 <= x <= 0.40 for x in gaps)}/{len(gaps)} = "
                                          f"{pct(sum(0.15 <= x <= 0.40 for x in gaps), len(gaps))}",
        "punctuation pairs <= 1.6 em": f"{sum(x <= 1.6 for x in pairs)}/{len(pairs)} = "
                                       f"{pct(sum(x <= 1.6 for x in pairs), len(pairs))}",
        "loose lines (median Han gap > 1/4 em)": len(loose),
        "Han not in a Simplified face": not_sc,
        "chapter openings on a verso": sum(1 for i in openings if i % 2),
        "TOC numbers wrong": f"{len(wrong_toc)} of {len(openings)}",
        "first kinsoku violations": kinsoku[:3],
    }


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f} %" if b else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdf", type=Path, nargs="+")
    parser.add_argument("--trim", default="a5")
    parser.add_argument("--pages", type=int, default=None, help="read only this many body pages")
    args = parser.parse_args()
    for path in args.pdf:
        print(path)
        for key, value in audit(path, args.trim, args.pages).items():
            print(f"  {key:34} {value}")


if __name__ == "__main__":
    main()
