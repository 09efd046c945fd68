"""Benchmark: ``publish txt`` on hostile manuscripts, to check it takes linear time.

Run by hand (``python benchmarks/bench_hostile.py``), never as a test.  For
each pattern below it writes a one-chapter manuscript holding the pattern
repeated N times, then 4N times, then as often as fits in 1 MB, and times
reading it and writing the text edition *in process* (``publish.reader.read``
then ``WRITERS["txt"]``, with the cyclic garbage collector off as
``publish.cli.main`` has it: the work of ``publish txt`` without interpreter
start-up and imports), in CPU seconds of that process, which other work on a
shared machine does not inflate as it does wall time; ``--process`` times the
whole ``python -m publish txt`` process instead, in wall seconds.  Each case runs in a fresh interpreter, under a time limit,
so a quadratic case cannot stall the run.  It prints one row per pattern: the
times, the ratio t(4N) / t(N), and the time for 1 MB.

Targets: ratio <= 5 (4x the input, at most 5x the time) and no 1 MB input
over 10 s on the 2-core build machine.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's publish, not an installed one
MEGABYTE = 1_000_000

# name -> (what is repeated or a function of N, N)
PATTERNS: dict[str, tuple[object, int]] = {
    "a (autospace)": ("a", 100_000),
    "[": ("[", 20_000),
    "![": ("![", 20_000),
    "[a](": ("[a](", 20_000),
    '[a]( ... "': (lambda n: "[a](" * n + '"', 20_000),
    "<a ": ("<a ", 20_000),
    "<a, ": ("<a, ", 20_000),
    '<a x="': ('<a x="', 20_000),
    "<http://": ("<http://", 20_000),
    "&amp;": ("&amp;", 40_000),
    "[^1] refs, 1 note": (lambda n: "x[^1]" * n + "\n\n[^1]: note\n", 10_000),
    "N notes, each called": (lambda n: "".join(f"x[^{i}]" for i in range(n)) + "\n\n"
                             + "".join(f"[^{i}]: note {i}\n" for i in range(n)), 10_000),
    "N notes, none called": (lambda n: "x\n\n" + "".join(f"[^{i}]: note {i}\n"
                                                          for i in range(n)), 10_000),
    # not in issue 11's list, but of the same kind
    "[a](https://x.y/) links": ("[a](https://x.y/) ", 20_000),
    # links to nowhere become text, each with a warning: reader/inlines.py's text
    # merging and SourceTree.line_of are quadratic in how many there are
    "[a](b) (to nowhere)": ("[a](b) ", 5_000),
    "[ ](url) lines": ("[ ](https://x.y/)\n", 20_000),
    "dialogue turns": ("**记者**：好\n\n", 20_000),
    "<b>x</b>": ("<b>x</b>", 20_000),
    "<a>": ("<a>", 20_000),
    "\\*": ("\\*", 40_000),
    "`a` code": ("`a` ", 20_000),
    "*a* emphasis": ("*a* ", 20_000),
    "*": ("*", 40_000),
    "_": ("_", 40_000),
    "<!--": ("<!--", 20_000),
    "[^": ("[^", 20_000),
    # unclosed fences: closings found in one pass (the fence_info preprocessor and linear's
    # FencedBlockPreprocessor; upstream searched from each opening to the end)
    "```js lines (unclosed)": ("```js\n", 2_000),
    "中文Latin mix": ("中文abc", 40_000),
    # reader/syntax.py's extensions (issue 14)
    "~": ("~", 40_000),
    "~~": ("~~", 20_000),
    "^": ("^", 40_000),
    "a~b": ("a~b", 20_000),
    "3~5次，": ("3~5次，", 20_000),
    "x^2^": ("x^2^ ", 20_000),
    "- [x] task lines": ("- [x] 任务\n", 20_000),
    "{#a} headings": (lambda n: "".join(f"## 节{i} {{#a{i} .c}}\n\n正文。\n\n"
                                         for i in range(n)), 5_000),
    "{: .c} paragraphs": ("段落。\n{: .c}\n\n", 20_000),
    "*[abbr] defined, used": (lambda n: "*[HTML]: Hyper Text\n\n" + "HTML 与中文，" * n, 20_000),
    "term/: definitions": ("术语\n:   解释。\n\n", 10_000),
    "> [!NOTE] alerts": ("> [!NOTE]\n> 注意。\n\n", 10_000),
    "!!! note blocks": ("!!! note\n    注意。\n\n", 10_000),
}


def text_of(pattern: object, n: int) -> str:
    body = pattern(n) if callable(pattern) else str(pattern) * n
    return "# 标题\n\n" + body + "\n"


def reps_for_megabyte(pattern: object) -> int:
    """How many repetitions make about 1 MB (UTF-8) of manuscript."""
    per = len(text_of(pattern, 1000).encode()) / 1000
    return max(1, int(MEGABYTE / per))


def run_one(name: str, n: int) -> None:
    """Child process: time read + txt write of one manuscript; print seconds."""
    from publish.model import BuildOptions
    from publish.reader import read
    from publish.writers import WRITERS

    logging.disable(logging.WARNING)  # a hostile book may warn thousands of times
    gc.disable()  # as publish.cli.main does
    pattern, _ = PATTERNS[name]
    with tempfile.TemporaryDirectory(prefix="publish-hostile-") as tmp:
        source = Path(tmp) / "book.md"
        source.write_text(text_of(pattern, n), encoding="utf-8")
        out = Path(tmp) / "out"
        out.mkdir()
        start = time.process_time()
        book = read(source)
        WRITERS["txt"](book, out, BuildOptions())
        print(f"{time.process_time() - start:.3f}")


def timed(name: str, n: int, limit: float, process: bool = False) -> float | None:
    """Seconds for one case in a fresh interpreter, or None past ``limit``."""
    if process:
        with tempfile.TemporaryDirectory(prefix="publish-hostile-") as tmp:
            source = Path(tmp) / "book.md"
            source.write_text(text_of(PATTERNS[name][0], n), encoding="utf-8")
            start = time.perf_counter()
            try:
                subprocess.run([sys.executable, "-m", "publish", "txt", str(source), "-q",
                                "-o", str(Path(tmp) / "out")], capture_output=True,
                               timeout=limit, cwd=ROOT, check=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
            except subprocess.TimeoutExpired:
                return None
            return time.perf_counter() - start
    try:
        done = subprocess.run([sys.executable, __file__, "--one", name, str(n)],
                              capture_output=True, text=True, timeout=limit, cwd=ROOT,
                              check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", nargs=2, metavar=("PATTERN", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=float, default=60.0,
                        help="seconds allowed to one case (default 60)")
    parser.add_argument("--only", nargs="*", help="patterns to run (default: all)")
    parser.add_argument("--process", action="store_true",
                        help="time the whole `python -m publish txt` process")
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], int(args.one[1]))
        return

    def show(seconds: float | None) -> str:
        return f"{seconds:8.2f}" if seconds is not None else f"{'>' + str(int(args.limit)):>8}"

    print("whole `python -m publish txt` process; seconds\n" if args.process else
          "read + txt write, in process, gc off as in the CLI (fresh interpreter per case);"
          " CPU seconds\n")
    print(f"{'pattern':24} {'N':>8} {'t(N)':>8} {'t(4N)':>8} {'ratio':>6}   "
          f"{'1 MB reps':>9} {'t(1 MB)':>8}  verdict")
    failed = False
    for name, (pattern, n) in PATTERNS.items():
        if args.only and name not in args.only:
            continue
        small = timed(name, n, args.limit, args.process)
        large = timed(name, 4 * n, args.limit, args.process)
        reps = reps_for_megabyte(pattern)
        mega = timed(name, reps, args.limit, args.process)
        ratio = large / small if small and large is not None else None
        ok = (ratio is not None and (ratio <= 5 or large < 0.2)
              and mega is not None and mega <= 10)
        failed |= not ok
        print(f"{name:24} {n:>8} {show(small)} {show(large)} "
              f"{(f'{ratio:6.2f}' if ratio is not None else '     -')}   "
              f"{reps:>9} {show(mega)}  {'ok' if ok else 'SLOW'}", flush=True)
    print("\nratio: t(4N) / t(N), target <= 5 (ignored when t(4N) < 0.2 s: noise);"
          " t(1 MB) target <= 10 s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
