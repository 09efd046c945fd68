"""Benchmark: the text and EPUB editions of the real corpora, against pandoc.

Run by hand (``make bench``), never as a test.  For each book and edition it
times, as whole processes, ``publish txt|epub`` and the same conversion by
pandoc (``-t plain --wrap=none``, ``-o x.epub``; the reference, from the
pypandoc-binary bench extra), and in process the reader and the writer
alone; it prints the minimum of several runs and the ratio publish / pandoc.
Targets on the novel: text <= 0.5x pandoc, EPUB <= 0.75x pandoc.
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
    from publish.writers import epub, txt

    pandoc = pypandoc.get_pandoc_path()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    print(f"pandoc {pypandoc.get_pandoc_version()}; best of {args.runs} runs\n")
    print(f"{'book':28} {'edition':7} {'publish':>8} {'pandoc':>8} {'ratio':>6} "
          f"{'read':>6} {'write':>6}")
    writers = {"txt": (txt, ["-t", "plain", "--wrap=none"]), "epub": (epub, ["-t", "epub3"])}
    for name, source in BOOKS.items():
        if not source.exists():
            print(f"{name:28} (missing: {source})")
            continue
        book = read(source)
        reading = best_of(args.runs, lambda: read(source))
        for edition, (module, pandoc_args) in writers.items():
            ours = best_of(args.runs, lambda: subprocess.run(
                [sys.executable, "-m", "publish", edition, str(source), "-o", str(out), "-q"],
                check=True, capture_output=True))
            theirs = best_of(args.runs, lambda: subprocess.run(
                [pandoc, "-f", "markdown", *pandoc_args, str(source),
                 "-o", str(out / f"pandoc.{edition}")], check=True, capture_output=True))
            writing = best_of(args.runs, lambda: module.write(book, out, BuildOptions()))
            print(f"{name:28} {edition:7} {ours:7.2f}s {theirs:7.2f}s {ours / theirs:5.2f}x "
                  f"{reading:5.2f}s {writing:5.2f}s")


if __name__ == "__main__":
    main()
