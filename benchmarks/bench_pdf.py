"""Benchmark: the print edition against a naive WeasyPrint run, in the same script.

    python benchmarks/bench_pdf.py [--runs 1] [--books novel,techbook]

The naive reference is what a user would write first: Python-Markdown to one
HTML document, WeasyPrint with a minimal CSS (A5, Noto Serif CJK SC 10.5 pt,
justify, 2-em indent).  ``publish pdf`` adds the book design (front matter,
TOC, running heads, footnotes) and the CJK typography (inter-character
justification, punctuation compression, the tofu gate).  Each run is a
separate process; the script prints wall time, peak RSS and the ratios.
Targets: the full typography <= 1.10x the naive time; peak RSS <= 450 MB on
the novel.  Run by hand, never as a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
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
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def best(runs: int, command: list[str]) -> tuple[float, float]:
    results = [measure(command) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--books", default=",".join(BOOKS))
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-pdf-"))
    naive = out / "naive.py"
    naive.write_text(NAIVE, encoding="utf-8")
    print(f"{'book':10} {'naive':>9} {'MB':>6} {'publish':>9} {'MB':>6} {'time ratio':>10}")
    for name in args.books.split(","):
        source = BOOKS[name]
        if not source.exists():
            print(f"{name:10} (missing: {source})")
            continue
        t_naive, m_naive = best(args.runs, [sys.executable, str(naive), str(source),
                                            str(out / "naive.pdf")])
        t_ours, m_ours = best(args.runs, [sys.executable, "-m", "publish", "pdf", str(source),
                                          "-o", str(out), "-q", "--allow-missing-glyphs"])
        print(f"{name:10} {t_naive:8.1f}s {m_naive:6.0f} {t_ours:8.1f}s {m_ours:6.0f} "
              f"{t_ours / t_naive:9.2f}x")


if __name__ == "__main__":
    main()
