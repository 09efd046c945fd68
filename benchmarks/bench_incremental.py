"""Benchmark: the print edition laid out in processes, from the build cache,
and a chapter's proof, against the naive WeasyPrint run, in the same script.

    python benchmarks/bench_incremental.py [--runs 3] [--books novel,techbook]
                                           [--modes cold,edit,grow,chapter]

Modes, each a whole ``publish pdf`` process timed against the naive run of
``bench_pdf`` (Python-Markdown, one WeasyPrint document) in alternating
pairs, wall time (the targets are the author's wait) and CPU time:

- ``cold``: an empty output folder, no cache;
- ``edit``: after a build, one paragraph of one chapter changed (two
  versions of the paragraph in turn, so each run has one chapter to lay out);
- ``grow``: after a build, chapter N two pages longer, then as it was, in
  turn: every chapter after it moves (each is given new folios, not laid out);
- ``chapter``: ``--chapter N`` after a full build.

publish's bytecode is compiled first, as the naive run's libraries' is.
Also, once per book: the PDF's size against ``--jobs 1`` and the faces
``pdffonts`` lists (each once).  Issue 18's targets: cold <= 0.6x (novel),
<= 0.8x (techbook); edit <= 0.15x (novel); chapter 37 of the novel <= 3 s.
Run by hand, never as a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import BOOKS, NAIVE, compiled  # noqa: E402

PUBLISH = [sys.executable, "-m", "publish", "pdf"]
#: About two A5 pages of text, in the book's script (a paragraph an author adds).
GROWTH = "作者在这一回里又添了一大段话，写得很长，为的是让这一回多出两页来。" * 50


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with its worker processes) and peak RSS (MB,
    the largest process) of one command."""
    began = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.monotonic() - began, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def chapter_paragraph(text: str, number: int) -> tuple[int, int]:
    """Where the first paragraph of chapter ``number`` (a level-1 heading) lies."""
    headings = [m.end() for m in re.finditer(r"^# .*$", text, re.M)]
    start = text.index("\n\n", headings[number - 1]) + 2
    return start, text.index("\n", start)


def bench(book: Path, mode: str, runs: int, work: Path, chapter: int) -> None:
    source = work / "book" / book.name
    shutil.copytree(book.parent, source.parent, dirs_exist_ok=True)
    original = source.read_text(encoding="utf-8")
    out, naive_out = work / "out", work / "naive.pdf"
    naive = [sys.executable, "-c", NAIVE, str(book), str(naive_out)]
    ours = [*PUBLISH, str(source), "-o", str(out)]
    if mode == "chapter":
        ours += ["--chapter", str(chapter)]
    if mode in ("edit", "grow", "chapter"):
        timed([*PUBLISH, str(source), "-o", str(out)])
    start, end = chapter_paragraph(original, chapter)
    pairs = []
    for run in range(runs):
        if mode == "cold":
            shutil.rmtree(out, ignore_errors=True)
        if mode == "edit":  # one paragraph changed since the last build
            mark = "（改）" if run % 2 == 0 else "（再改）"
            source.write_text(original[:end] + mark + original[end:], encoding="utf-8")
        if mode == "grow":  # two pages more, then as it was: the chapters after it move
            added = "\n\n" + GROWTH if run % 2 == 0 else ""
            source.write_text(original[:end] + added + original[end:], encoding="utf-8")
        reference = timed(naive)
        pairs.append((reference, timed(ours)))
    source.write_text(original, encoding="utf-8")
    walls = [ours[0] / ref[0] for ref, ours in pairs]
    cpus = [ours[1] / ref[1] for ref, ours in pairs]
    print(f"{book.parent.name} {mode}: naive {statistics.median(r[0] for r, _ in pairs):.2f} s "
          f"wall, publish {statistics.median(o[0] for _, o in pairs):.2f} s wall "
          f"(peak {max(o[2] for _, o in pairs):.0f} MB, naive "
          f"{max(r[2] for r, _ in pairs):.0f} MB); wall ratio "
          f"{statistics.median(walls):.2f}x ({min(walls):.2f}-{max(walls):.2f}), CPU ratio "
          f"{statistics.median(cpus):.2f}x ({min(cpus):.2f}-{max(cpus):.2f})")


def sizes(book: Path, work: Path) -> None:
    """The PDF's size in processes against one document, and its faces."""
    found = {}
    for jobs in ("1", "0"):
        out = work / f"jobs{jobs}"
        timed([*PUBLISH, str(book), "-o", str(out), "--jobs", jobs])
        (pdf,) = out.glob("*.pdf")
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        found[jobs] = (pdf.stat().st_size, [line.split()[0].split("+")[-1] for line in fonts])
    (one, faces_one), (many, faces) = found["1"], found["0"]
    print(f"{book.parent.name}: {many:,} bytes in processes, {one:,} in one document "
          f"({100 * (many - one) / one:+.2f} %); {len(faces)} fonts, "
          f"{len(set(faces))} faces, the same as one document: {sorted(faces) == sorted(faces_one)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--books", default="novel,techbook")
    parser.add_argument("--modes", default="cold,edit,grow,chapter")
    parser.add_argument("--chapter", type=int, default=37)
    parser.add_argument("--no-sizes", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    compiled()  # as the naive run's libraries are (bench_pdf.compiled)
    for name in args.books.split(","):
        book = BOOKS[name]
        for mode in args.modes.split(","):
            with tempfile.TemporaryDirectory() as work:
                bench(book, mode, args.runs, Path(work), args.chapter)
        if not args.no_sizes:
            with tempfile.TemporaryDirectory() as work:
                sizes(book, Path(work))


if __name__ == "__main__":
    main()
