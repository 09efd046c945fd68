"""Benchmark: the reader and the text writer on the real corpora, against pandoc.

Run by hand (``make bench``), never as a test.  For each book it times, as
whole processes, ``publish txt`` and ``pandoc -t plain --wrap=none`` (the
reference, from the pypandoc-binary bench extra), and in process the reader
and the text writer alone; it prints the minimum of several runs and the
ratio publish / pandoc.  Target: the novel's text edition in <= 0.5x pandoc.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BOOKS = {
    "novel (西游记)": CORPUS / "novel-xiyouji" / "xiyouji.md",
    "techbook (JavaScript 教程)": CORPUS / "techbook-js-tutorial" / "book.md",
}


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import pypandoc

    from publish.model import BuildOptions
    from publish.reader import read
    from publish.writers import txt

    pandoc = pypandoc.get_pandoc_path()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    print(f"pandoc {pypandoc.get_pandoc_version()}; best of {args.runs} runs\n")
    print(f"{'book':28} {'publish txt':>12} {'pandoc':>9} {'ratio':>7} {'read':>7} {'write':>7}")
    for name, source in BOOKS.items():
        if not source.exists():
            print(f"{name:28} (missing: {source})")
            continue
        ours = best_of(args.runs, lambda: subprocess.run(
            [sys.executable, "-m", "publish", "txt", str(source), "-o", str(out), "-q"],
            check=True, capture_output=True))
        theirs = best_of(args.runs, lambda: subprocess.run(
            [pandoc, "-f", "markdown", "-t", "plain", "--wrap=none", str(source),
             "-o", str(out / "pandoc.txt")], check=True, capture_output=True))
        book = read(source)
        reading = best_of(args.runs, lambda: read(source))
        writing = best_of(args.runs, lambda: txt.write(book, out, BuildOptions()))
        print(f"{name:28} {ours:11.2f}s {theirs:8.2f}s {ours / theirs:6.2f}x "
              f"{reading:6.2f}s {writing:6.2f}s")


if __name__ == "__main__":
    main()
