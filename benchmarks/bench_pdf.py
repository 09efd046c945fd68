"""Benchmark: the print edition against a naive WeasyPrint run, in the same script.

    python benchmarks/bench_pdf.py [--runs 3] [--books novel,techbook]

The naive reference is what a user would write first: Python-Markdown to one
HTML document, WeasyPrint with a minimal CSS (A5, Noto Serif CJK SC 10.5 pt,
justify, 2-em indent).  ``publish pdf`` adds the book design (front matter,
TOC, running heads, footnotes) and the CJK typography (inter-character
justification, punctuation compression, the tofu gate).  Each run is a
separate process; runs alternate (naive, publish, naive, publish …) and the
script prints the median CPU time (user + system), the peak RSS and the
median of the pairs' time ratios with their range: on a shared machine whose
speed drifts, a pair's ratio holds better than either time.
Targets: the full typography <= 1.10x the naive time; peak RSS <= 450 MB on
the novel.  Run by hand, never as a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BOOKS = {
    "novel": CORPUS / "novel-xiyouji" / "xiyouji.md",
    "techbook": CORPUS / "techbook-js-tutorial" / "book.md",
}

NAIVE = r"""
import sys, markdown
from weasyprint import CSS, HTML
body = markdown.markdown(open(sys.argv[1], encoding="utf-8").read(),
                         extensions=["footnotes", "tables", "fenced_code"])
css = CSS(string="@page { size: A5; margin: 20mm } body { font-family: 'Noto Serif CJK SC'; "
                 "font-size: 10.5pt; line-height: 1.7; text-align: justify } "
                 "p { margin: 0; text-indent: 2em }")
HTML(string=f"<html lang='zh-Hans'><body>{body}</body></html>").write_pdf(
    sys.argv[2], stylesheets=[css])
"""


def measure(command: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS (MB) of one process."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def paired(runs: int, ours: list[str], naive: list[str]) -> list[tuple[float, float, float, float]]:
    """``runs`` pairs run in turn (naive, ours, naive, ours …): a drift in the
    machine's speed then moves both halves of a pair alike."""
    return [measure(naive) + measure(ours) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="pairs of runs per book")
    parser.add_argument("--books", default=",".join(BOOKS))
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-pdf-"))
    naive = out / "naive.py"
    naive.write_text(NAIVE, encoding="utf-8")
    print(f"{'book':10} {'naive':>9} {'MB':>6} {'publish':>9} {'MB':>6} "
          f"{'ratio (median of pairs, min-max)':>34}")
    for name in args.books.split(","):
        source = BOOKS[name]
        if not source.exists():
            print(f"{name:10} (missing: {source})")
            continue
        pairs = paired(args.runs,
                       [sys.executable, "-m", "publish", "pdf", str(source), "-o", str(out), "-q",
                        "--allow-missing-glyphs"],
                       [sys.executable, str(naive), str(source), str(out / "naive.pdf")])
        ratios = [ours / naive_time for naive_time, _, ours, _ in pairs]
        print(f"{name:10} {statistics.median(p[0] for p in pairs):8.1f}s "
              f"{max(p[1] for p in pairs):6.0f} {statistics.median(p[2] for p in pairs):8.1f}s "
              f"{max(p[3] for p in pairs):6.0f} {statistics.median(ratios):12.2f}x "
              f"({min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
