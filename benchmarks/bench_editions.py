"""Benchmark: the text and EPUB editions of the real corpora, against pandoc.

    python benchmarks/bench_editions.py [--runs 7] [--books novel,techbook] [--editions txt,epub]

Run by hand (``make bench``), never as a test.  For each book and edition
it runs, as whole processes, ``publish txt|epub`` and the same conversion by
pandoc (``-t plain --wrap=none``, ``-t epub3``; the reference, from the
pypandoc-binary bench extra, so a fresh machine has the same pandoc) in
alternating pairs (pandoc, publish, pandoc, publish …): a drift in the
shared machine's speed moves both halves of a pair alike.  It prints each
side's median wall and CPU (user + system) time with their range, and the
median of the pairs' ratios publish / pandoc with its range; then, in
process, the median time of the reader and of the writer alone.
publish's bytecode is compiled first (``bench_pdf.compiled``).
Targets: the novel's text <= 0.5x pandoc, its EPUB <= 0.75x; the
JavaScript book's text <= 0.8x.
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
CORPUS = ROOT.parent / "shared" / "corpus"
BOOKS = {
    "novel": CORPUS / "novel-xiyouji" / "xiyouji.md",
    "techbook": CORPUS / "techbook-js-tutorial" / "book.md",
}
PANDOC_ARGS = {"txt": ["-t", "plain", "--wrap=none"], "epub": ["-t", "epub3"]}


def measure(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime


def spread(values: list[float], unit: str = "s") -> str:
    """``1.23s (1.20-1.31)``: the median and the range."""
    return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}-{max(values):.2f})"


def in_process(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs of runs per book and edition")
    parser.add_argument("--books", default=",".join(BOOKS))
    parser.add_argument("--editions", default=",".join(PANDOC_ARGS))
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_pdf import compiled

    compiled()  # as an installed publish has it (bench_pdf.compiled)

    import pypandoc

    from publish.model import BuildOptions
    from publish.reader import read
    from publish.writers import epub, txt

    pandoc = pypandoc.get_pandoc_path()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    print(f"pandoc {pypandoc.get_pandoc_version()}; {args.runs} alternating pairs; "
          "median (range)\n")
    modules = {"txt": txt, "epub": epub}
    for name in args.books.split(","):
        source = BOOKS[name]
        if not source.exists():
            print(f"{name} (missing: {source})")
            continue
        book = read(source)
        print(f"{name}: read in process {in_process(3, lambda: read(source)):.2f}s")
        for edition in args.editions.split(","):
            ours = [sys.executable, "-m", "publish", edition, str(source), "-o", str(out), "-q"]
            theirs = [pandoc, "-f", "markdown", *PANDOC_ARGS[edition], str(source),
                      "-o", str(out / f"pandoc.{edition}")]
            pairs = [measure(theirs) + measure(ours) for _ in range(args.runs)]
            writing = in_process(3, lambda: modules[edition].write(book, out, BuildOptions()))
            print(f"  {edition}: written in process {writing:.2f}s")
            print(f"    wall  pandoc {spread([p[0] for p in pairs])}  "
                  f"publish {spread([p[2] for p in pairs])}  "
                  f"ratio {spread([p[2] / p[0] for p in pairs], 'x')}")
            print(f"    CPU   pandoc {spread([p[1] for p in pairs])}  "
                  f"publish {spread([p[3] for p in pairs])}  "
                  f"ratio {spread([p[3] / p[1] for p in pairs], 'x')}")


if __name__ == "__main__":
    main()
