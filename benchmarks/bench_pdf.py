"""Benchmark: the print edition against a naive WeasyPrint run, in the same script.

    python benchmarks/bench_pdf.py [--runs 3] [--books novel,techbook] [--jobs 0,1]
                                   [--against COMMIT]

The naive reference is what a user would write first: Python-Markdown to one
HTML document, WeasyPrint with a minimal CSS (A5, Noto Serif CJK SC 10.5 pt,
justify, 2-em indent).  ``publish pdf`` adds the book design (front matter,
TOC, running heads, footnotes) and the CJK typography (inter-character
justification, punctuation compression, the tofu gate).  Each run is a
separate process; runs alternate (naive, publish, naive, publish …) and the
script prints the median CPU time (user + system), the peak RSS and the
median of the pairs' time ratios with their range: on a shared machine whose
speed drifts, a pair's ratio holds better than either time.  Every publish
run is cold: a new output folder, so no build cache (``.publish-cache``);
publish's bytecode is compiled first, as the naive run's libraries' is.
``--jobs`` runs ``publish pdf --jobs N`` for each N given (0: one process per
core, the default; 1: one document), and ``--against COMMIT`` the same
command from that commit (checked out in a temporary worktree), each in the
same round as the naive run: "no worse than before" measured in one script.
Targets: the full typography <= 1.10x the naive time; peak RSS <= 450 MB on
the novel.  Run by hand, never as a test.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
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


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU seconds (user + system, the worker processes' included) and peak
    RSS (MB, of the largest process) of one process."""
    # Run from the temporary folder: ``-m publish`` would find a ./publish
    # before PYTHONPATH's (the --against commit's).
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compiled(root: Path = ROOT) -> None:
    """publish's bytecode written before anything is timed: the naive run's
    libraries have theirs (pip writes it at install), and an author's
    publish has its own after the first run or the install, but a checkout
    run with PYTHONDONTWRITEBYTECODE (as CI and this machine set it) would
    compile every module in every run."""
    compileall.compile_dir(str(root / "publish"), quiet=1)


def worktree(commit: str, folder: Path) -> Path:
    """``commit`` checked out in ``folder`` (a detached git worktree)."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder),
                    commit], check=True)
    return folder


def contenders(args, out: Path, source: Path) -> dict[str, tuple[list[str], dict]]:
    """The publish commands measured against the naive run, by label: this
    tree's with each ``--jobs`` value, and the ``--against`` commit's with its
    own defaults (an older commit may not know ``--jobs``)."""
    command = [sys.executable, "-m", "publish", "pdf", str(source), "-q",
               "--allow-missing-glyphs", "-o", str(out / "run")]
    commands = {f"--jobs {jobs}": ([*command, "--jobs", jobs],
                                   dict(os.environ, PYTHONPATH=str(ROOT)))
                for jobs in args.jobs.split(",")}
    if args.against:
        commands[args.against[:10]] = (command, dict(os.environ, PYTHONPATH=str(out / "base")))
    return commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of runs per book")
    parser.add_argument("--books", default=",".join(BOOKS))
    parser.add_argument("--jobs", default="0", help="--jobs values to run, comma-separated")
    parser.add_argument("--against", help="a commit to measure in the same rounds")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="publish-bench-pdf-"))
    try:
        compiled()
        if args.against:
            compiled(worktree(args.against, out / "base"))
        naive = out / "naive.py"
        naive.write_text(NAIVE, encoding="utf-8")
        for name in args.books.split(","):
            source = BOOKS[name]
            if not source.exists():
                print(f"{name} (missing: {source})")
                continue
            report(name, source, out, naive, contenders(args, out, source), args.runs)
    finally:
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(out / "base")], check=False)
        shutil.rmtree(out, ignore_errors=True)


def report(name: str, source: Path, out: Path, naive: Path, commands: dict, runs: int) -> None:
    """``runs`` rounds (naive, each contender, naive, …), then per contender
    the median CPU, the peak RSS and the median of its ratios to the naive run
    of the same round."""
    rounds = []
    for _ in range(runs):
        found = {"naive": measure([sys.executable, str(naive), str(source),
                                   str(out / "naive.pdf")])}
        for label, (command, env) in commands.items():
            shutil.rmtree(out / "run", ignore_errors=True)  # cold: no build cache
            found[label] = measure(command, env)
        rounds.append(found)
    print(f"{name}: naive {statistics.median(r['naive'][0] for r in rounds):.1f}s CPU, "
          f"{max(r['naive'][1] for r in rounds):.0f} MB; {runs} rounds")
    for label in commands:
        ratios = [r[label][0] / r["naive"][0] for r in rounds]
        print(f"  publish {label:22} {statistics.median(r[label][0] for r in rounds):7.1f}s "
              f"{max(r[label][1] for r in rounds):6.0f} MB  "
              f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
