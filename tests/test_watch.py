"""``publish watch`` as an author runs it: a real process on a copy of a small
manuscript, edited as an editor saves it, its output folder read as a reader
of it would (the text file, the EPUB's chapters), and stopped with Ctrl-C."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, write_manuscript

from publish.cli.building import build
from publish.cli.console import setup_logging
from publish.cli.watching import StatusLine, rebuild
from publish.files import TEMP_PREFIX

BOOK_TOML = 'title = "守望之书"\nslug = "watched"\nlanguage = "zh-Hans"\n'
CHAPTERS = {
    "01.md": "# 第一章 开端\n\n他说：“今天下雨。”\n\n见 <https://example.com/a?b=1>。\n",
    "02.md": "# 第二章 代码\n\n运行下面的程序：\n\n```python\nprint('你好')\n```\n",
}


class Watch:
    """``publish watch`` in a subprocess; its stdout lines gathered as they come."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8",
                   SOURCE_DATE_EPOCH="1700000000")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "publish", "watch", *args], cwd=cwd, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            # As a shell starts a background job: SIGINT ignored, which the
            # watch must still stop on.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        self.lines: list[str] = []
        self.partial = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while char := self.process.stdout.read(1):
            self.partial += char
            if char == "\n":
                self.lines.append(self.partial.rstrip("\n"))
                self.partial = ""

    def wait_for(self, condition, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, (self.lines, self.process.stderr.read())
            assert time.monotonic() < deadline, (self.lines, self.partial)
            time.sleep(0.05)

    def rebuilds(self) -> list[str]:
        """The status lines after the first build."""
        return [line for line in self.lines[1:] if not line.startswith("Watching")]

    def stop(self, signum: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=30)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_manuscript(tmp_path / "book", {"book.toml": BOOK_TOML, **CHAPTERS})


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "".join(epub.read(name).decode("utf-8") for name in epub.namelist()
                       if name.endswith(".xhtml"))


def save(path: Path, text: str) -> None:
    """As an editor saves: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp-save")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_an_edited_chapter_is_in_the_epub_and_the_text_within_seconds(book, tmp_path):
    watch = Watch(tmp_path, str(book), "-o", "dist", "--edition", "epub", "--edition", "txt")
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines))
        first = watch.lines[0]
        assert "first build" in first and "watched.epub" in first and "watched.txt" in first
        sentence = "雨停了，他走出门去。"
        save(book / "02.md", CHAPTERS["02.md"] + f"\n{sentence}\n")
        began = time.monotonic()
        txt, epub = tmp_path / "dist" / "watched.txt", tmp_path / "dist" / "watched.epub"
        watch.wait_for(lambda: len(watch.rebuilds()) == 1)
        assert time.monotonic() - began < 5
        assert sentence in txt.read_text(encoding="utf-8")
        assert sentence in epub_text(epub)
        line = watch.rebuilds()[0]
        assert "02.md changed" in line and "watched.epub" in line and " s" in line, line
        assert "error" not in line
    finally:
        assert watch.stop() == 0
    assert watch.lines[-1] == "Stopped watching."


def test_a_broken_book_toml_is_one_error_line_and_the_watch_recovers(book, tmp_path):
    watch = Watch(tmp_path, str(book), "-o", "dist", "--edition", "txt")
    txt = tmp_path / "dist" / "watched.txt"
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines))
        save(book / "book.toml", BOOK_TOML + "subtitle = [unclosed\n")
        watch.wait_for(lambda: len(watch.rebuilds()) == 1)
        [line] = watch.rebuilds()
        assert "book.toml changed: error: " in line and "book.toml:4" in line, line
        assert txt.is_file()  # the last good edition stays in place
        time.sleep(0.5)
        assert len(watch.rebuilds()) == 1 and watch.process.poll() is None
        save(book / "book.toml", BOOK_TOML.replace("守望之书", "修好之书"))
        watch.wait_for(lambda: len(watch.rebuilds()) == 2)
        assert "error" not in watch.rebuilds()[1]
        assert "修好之书" in txt.read_text(encoding="utf-8")
    finally:
        assert watch.stop() == 0


def test_editor_files_and_the_output_folder_start_no_rebuild(book, tmp_path):
    # The output folder inside the manuscript: its own writes must not
    # start a rebuild (a loop), nor must what an editor writes beside a chapter.
    watch = Watch(tmp_path, str(book), "-o", str(book / "dist"), "--edition", "txt")
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines))
        for name in (".01.md.swp", ".01.md.swo", "01.md~", "4913"):
            (book / name).write_text("x", encoding="utf-8")
        time.sleep(2.5)
        assert watch.rebuilds() == [], watch.rebuilds()
        # A burst of saves is one rebuild.
        for i in range(5):
            save(book / "01.md", CHAPTERS["01.md"] + f"\n第{i}次保存。\n")
            time.sleep(0.05)
        watch.wait_for(lambda: len(watch.rebuilds()) == 1)
        time.sleep(2.5)
        assert len(watch.rebuilds()) == 1, watch.rebuilds()
        assert "次保存。" in (text := (book / "dist" / "watched.txt").read_text(encoding="utf-8"))
        assert "4" in text.split("次保存。")[0][-4:]  # the last save's
    finally:
        assert watch.stop() == 0


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stopped_during_a_build_leaves_no_temporary_file(book, tmp_path, signum):
    """Every edition, the PDF too (the longest build): stopped while a
    rebuild is writing, nothing temporary is left in the output folder or
    the manuscript, and what was in place stays whole."""
    before = sorted(p.name for p in book.iterdir())
    watch = Watch(tmp_path, str(book), "-o", "dist")
    dist = tmp_path / "dist"
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines),
                       timeout=120)
        assert "watched.pdf" in watch.lines[0] and "error" not in watch.lines[0]
        pdf = (dist / "watched.pdf").read_bytes()
        save(book / "01.md", CHAPTERS["01.md"] + "\n又下雨了。\n")
        watch.wait_for(lambda: any(p.name.startswith(TEMP_PREFIX) for p in dist.iterdir()))
        time.sleep(0.3)
    finally:
        assert watch.stop(signum) == 0
    assert watch.lines[-1] == "Stopped watching."
    left = [p for p in tmp_path.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    assert left == []
    assert sorted(p.name for p in book.iterdir()) == before
    if (dist / "watched.pdf").read_bytes() != pdf:  # replaced whole, or not at all
        assert (dist / "watched.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_a_saved_theme_rebuilds_with_the_new_style(book, tmp_path):
    """The theme in use is watched though it lies outside the manuscript."""
    import shutil
    theme = tmp_path / "mytheme"
    shutil.copytree(ROOT / "styles" / "default", theme)
    watch = Watch(tmp_path, str(book), "-o", "dist", "--theme", str(theme), "--edition", "epub")
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines))
        assert str(theme) in watch.lines[-1]
        css = theme / "epub.css"
        save(css, css.read_text(encoding="utf-8") + "\n.watched-rule { letter-spacing: 0.25em }\n")
        watch.wait_for(lambda: len(watch.rebuilds()) == 1)
        assert "epub.css changed" in watch.rebuilds()[0]
        with zipfile.ZipFile(tmp_path / "dist" / "watched.epub") as epub:
            styles = "".join(epub.read(name).decode("utf-8") for name in epub.namelist()
                             if name.endswith(".css"))
        assert ".watched-rule" in styles
    finally:
        assert watch.stop() == 0


def live_objects() -> Counter[str]:
    """The objects the collector tracks, by the package of their class."""
    return Counter(str(getattr(type(o), "__module__", "")).split(".")[0]
                   for o in gc.get_objects())


@pytest.mark.slow
def test_a_rebuild_gives_back_what_it_built(book, tmp_path):
    """A watch runs for hours: what a rebuild made (the PDF's layout most of
    all) is freed before the next, with the collector off as the command
    runs.  Counted as objects, in the process, since the process's size
    moves with the allocator's whims by tens of megabytes either way."""
    counter = setup_logging(0, quiet=True)

    def run(names: list[str], records: bool):
        return build(names, [book], out=tmp_path / "dist", encoding=None, strict=False,
                     counter=counter, records=records)
    counts = []
    gc.collect()
    gc.disable()
    try:
        for n in range(4):
            save(book / "01.md", CHAPTERS["01.md"] + f"\n第{n}次修改。\n" * 100)
            rebuild(["pdf"], run, counter, StatusLine(quiet=True))
            counts.append(live_objects())
    finally:
        gc.enable()
    assert (tmp_path / "dist" / "watched.pdf").is_file()
    for later in counts[2:]:  # the first builds fill the caches that last
        assert later["weasyprint"] == counts[1]["weasyprint"], counts
        assert later["publish"] == counts[1]["publish"], counts
        assert later.total() - counts[1].total() < 500, [c.total() for c in counts]


def test_quiet_tells_only_a_failed_rebuild(book, tmp_path):
    watch = Watch(tmp_path, str(book), "-o", "dist", "--edition", "txt", "-q")
    txt = tmp_path / "dist" / "watched.txt"
    try:
        watch.wait_for(txt.is_file)
        time.sleep(0.5)  # -q prints no "Watching" line: let the watcher start
        save(book / "01.md", CHAPTERS["01.md"] + "\n安静地重建。\n")
        watch.wait_for(lambda: "安静地重建" in txt.read_text(encoding="utf-8"))
        save(book / "book.toml", BOOK_TOML + "subtitle = [unclosed\n")
        watch.wait_for(lambda: len(watch.lines) == 1)
        assert "book.toml changed: error: " in watch.lines[0], watch.lines
    finally:
        assert watch.stop() == 0
    assert watch.lines[1:] == ["Stopped watching."]


@pytest.mark.slow
def test_clean_removes_nothing_of_the_last_full_build(book, tmp_path):
    """``--clean`` removes what earlier builds left under other names, never
    the editions of the last full build that a rebuild of some does not write."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1700000000")
    subprocess.run([sys.executable, "-m", "publish", "all", str(book), "-o", "dist", "-q"],
                   cwd=tmp_path, env=env, check=True, timeout=300)
    before = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert "watched.pdf" in before and "watched.manifest.json" in before
    watch = Watch(tmp_path, str(book), "-o", "dist", "--clean", "--edition", "txt")
    try:
        watch.wait_for(lambda: any(line.startswith("Watching") for line in watch.lines))
        save(book / "01.md", CHAPTERS["01.md"] + "\n再改一次。\n")
        watch.wait_for(lambda: len(watch.rebuilds()) == 1)
    finally:
        assert watch.stop() == 0
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == before
