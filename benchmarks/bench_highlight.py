"""Benchmark: what code highlighting costs, on the JavaScript book (2,000 code blocks).

    python benchmarks/bench_highlight.py [--runs 5] [--editions epub,pdf] [--book PATH]

For each edition, whole processes ``publish EDITION book.md`` run in pairs
against the reference ``publish EDITION book.md --no-highlight`` (same code,
code blocks set plain), alternating (plain, highlighted, plain, …) so a
drift in a shared machine's speed moves both halves of a pair alike.  It
prints the median CPU time (user + system) of each side, the median of the
pairs' differences with their range, and that difference as a share of the
plain run; then, in process, the time Pygments alone takes to cut every code
block of the book into runs (lexers loaded once, as in a build).  Run by
hand, never as a test.

Measured when it was written (3 pairs, 2 shared cores): PDF 29.3 s plain,
+6.7 s highlighted (+23%, pairs +5.4 to +6.9 s); EPUB 1.38 s, +0.32 s (+23%);
Pygments itself 0.28 s for the 2,027 blocks it knows the language of.  The
rest of the PDF's cost is WeasyPrint styling and laying out each token span.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT.parent / "shared" / "corpus" / "techbook-js-tutorial" / "book.md"


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU seconds of one process."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime


def lexing_seconds(source: Path) -> tuple[int, int, float]:
    """Code blocks, of them highlighted, and the seconds ``highlight.runs`` takes on all."""
    from publish import model as m
    from publish.highlight import runs
    from publish.reader import read

    blocks = [b for chapter in read(source).all_chapters
              for b in m.walk_blocks(tuple(m.container_blocks(chapter)))
              if isinstance(b, m.CodeBlock)]
    for b in blocks:  # load each lexer once, as a build does
        runs(b.text[:1], b.language)
    start = time.perf_counter()
    highlighted = sum(runs(b.text, b.language) is not None for b in blocks)
    return len(blocks), highlighted, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs per edition")
    parser.add_argument("--editions", default="epub,pdf")
    parser.add_argument("--book", type=Path, default=BOOK)
    args = parser.parse_args()
    if not args.book.exists():
        raise SystemExit(f"missing: {args.book}")
    out = Path(tempfile.mkdtemp(prefix="publish-bench-highlight-"))
    print(f"{args.book.name}; {args.runs} pairs per edition, CPU seconds\n")
    print(f"{'edition':8} {'plain':>8} {'highlighted':>12} {'cost (median, min-max)':>28} "
          f"{'share':>6}")
    for edition in args.editions.split(","):
        command = [sys.executable, "-m", "publish", edition, str(args.book), "-o", str(out),
                   "-q", *(["--allow-missing-glyphs"] if edition == "pdf" else [])]
        pairs = [(cpu_seconds(command + ["--no-highlight"]), cpu_seconds(command))
                 for _ in range(args.runs)]
        plain = statistics.median(p for p, _ in pairs)
        costs = [h - p for p, h in pairs]
        cost = statistics.median(costs)
        print(f"{edition:8} {plain:7.2f}s {statistics.median(h for _, h in pairs):11.2f}s "
              f"{cost:+11.2f}s ({min(costs):+.2f} to {max(costs):+.2f}) "
              f"{cost / plain:+6.1%}")
    blocks, highlighted, seconds = lexing_seconds(args.book)
    print(f"\nPygments alone: {highlighted} of {blocks} code blocks in {seconds:.2f}s")


if __name__ == "__main__":
    main()
