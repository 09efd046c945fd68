"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, write_manuscript

from publish import __version__
from publish.cli import cli
from publish.files import TEMP_PREFIX

DEFAULT = str(ROOT / "manuscript")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_txt_writes_file(tmp_path):
    result = run("txt", DEFAULT, "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "deepseek-interview.txt").is_file()
    assert "Wrote" in result.stdout


def test_all_writes_every_edition(tmp_path):
    result = run("all", DEFAULT, "-o", str(tmp_path), "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".publish-cache",  # the print pages for the EPUB's page list (git-ignored)
        "SHA256SUMS", "deepseek-interview.epub", "deepseek-interview.manifest.json",
        "deepseek-interview.pdf", "deepseek-interview.txt"]


def test_outline_json_shape():
    result = run("outline", DEFAULT, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "DeepSeek创始人梁文锋访谈实录"
    assert "本文是记者对DeepSeek创始人梁文锋电话采访实录" in data["front"]["text"]
    chapters = data["chapters"]
    assert len(chapters) == 6
    assert {"id", "title", "chars", "sections", "dialogue"} <= set(chapters[0])
    assert chapters[0]["sections"][0]["title"] == "企业与个人的创新思考"
    turns = [t for ch in chapters for t in ch["dialogue"]]
    turns += [t for ch in chapters for s in ch["sections"] for t in s["dialogue"]]
    assert len(turns) == 18
    assert sum(t["speaker"] == "记者" for t in turns) == 9
    assert data["totals"]["dialogue"] == 18


def test_outline_text():
    result = run("outline", DEFAULT)
    assert result.exit_code == 0
    assert "ch01  关于技术创新与商业化" in result.stdout
    assert "6 chapters" in result.stdout and "18 dialogue turns" in result.stdout


def test_usage_error_exit_2():
    assert run("txt", "--width", "-3").exit_code == 2
    assert run("no-such-command").exit_code == 2


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("files, expected", [
    ({"a.md": "# 章\n\n简体".encode("gb18030")}, "a.md: not valid UTF-8"),
    ({"a.md": "  \n"}, "has no text"),
    ({"book.toml": 'title = "书\n', "a.md": "正文"}, "book.toml:1: TOML syntax error"),
    ({"book.toml": 'chapters = ["gone.md"]', "a.md": "正文"}, "'gone.md' does not exist"),
    ({"a.md": "# 章\n\n![x](none.png)"}, "a.md:3: image 'none.png' does not exist"),
    ({"a.md": "# 章\n\n![x](../../etc/passwd)"}, "lies outside the manuscript"),
])
def test_bad_input_is_one_clear_line(tmp_path, files, expected):
    book = write_manuscript(tmp_path / "book", files)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("earlier build", encoding="utf-8")
    result = run("all", str(book), "-o", str(out))
    assert expected in _one_line_error(result)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "earlier build"


def test_missing_manuscript_path(tmp_path):
    assert "no such manuscript" in _one_line_error(run("txt", str(tmp_path / "nope")))


def test_unknown_key_warns_and_strict_fails(tmp_path):
    book = write_manuscript(tmp_path / "book", {"book.toml": 'title = "书"\ncolour = 1',
                                                 "a.md": "# 章\n\n正文"})
    out = tmp_path / "dist"
    ok = run("txt", str(book), "-o", str(out))
    assert ok.exit_code == 0
    assert "WARNING:" in ok.stderr and "unknown key 'colour'" in ok.stderr
    strict = run("txt", str(book), "-o", str(tmp_path / "strict"), "--strict")
    assert "strict mode" in _one_line_error(strict)
    assert not (tmp_path / "strict").exists()
    quiet = run("txt", str(book), "-o", str(tmp_path / "strict"), "--strict", "-q")
    assert "strict mode" in _one_line_error(quiet)
    assert "WARNING" not in quiet.stderr


def test_script_removed_with_warning(tmp_path):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n正文<script>x()</script>后"})
    result = run("txt", str(book), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 0
    assert "removed <script>" in result.stderr
    text = next((tmp_path / "dist").glob("*.txt")).read_text(encoding="utf-8")
    assert "x()" not in text and "正文后" in text


def test_failed_write_keeps_previous_edition(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert run("txt", DEFAULT, "-o", str(out)).exit_code == 0
    before = (out / "deepseek-interview.txt").read_bytes()
    monkeypatch.setattr("os.fsync", lambda fd: (_ for _ in ()).throw(OSError("disk full")))
    result = run("txt", DEFAULT, "-o", str(out), "--width", "20")
    assert result.exit_code != 0
    assert (out / "deepseek-interview.txt").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_real_subprocess(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, "-m", "publish", "txt", DEFAULT, "-o", str(tmp_path)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "deepseek-interview.txt").is_file()
    bad = subprocess.run([sys.executable, "-m", "publish", "txt", str(tmp_path / "none")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert bad.returncode == 1
    assert bad.stderr.strip().startswith("Error:") and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0


def test_console_script_installed():
    exe = os.path.join(os.path.dirname(sys.executable), "publish")
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "outline" in result.stdout


def test_epub_command_and_options(tmp_path):
    result = run("epub", DEFAULT, "-o", str(tmp_path), "--version-label", "1.0", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "deepseek-interview-1.0.epub").is_file()
    import zipfile
    with zipfile.ZipFile(tmp_path / "deepseek-interview-1.0.epub") as z:
        assert "<dt>版次</dt><dd>1.0</dd>" in z.read("EPUB/copyright.xhtml").decode()


def test_unknown_theme_is_one_line(tmp_path):
    message = _one_line_error(run("epub", DEFAULT, "-o", str(tmp_path), "--theme", "nope"))
    assert "no theme 'nope'" in message and "default" in message


def test_theme_from_manuscript_folder(tmp_path):
    book = write_manuscript(tmp_path / "book", {
        "a.md": "# 章\n\n正文", "styles/mine/base.css": "body { color: #123456; }"})
    result = run("epub", str(book), "-o", str(tmp_path / "out"), "--theme", "mine", "-q")
    assert result.exit_code == 0, result.output
    import zipfile
    epub_file = next((tmp_path / "out").glob("*.epub"))
    with zipfile.ZipFile(epub_file) as z:
        assert z.read("EPUB/styles/base.css") == b"body { color: #123456; }"
        assert "EPUB/styles/epub.css" not in z.namelist()


def test_link_to_missing_chapter_warns_and_strict_fails(tmp_path):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n见[别处](gone.md#x)。"})
    ok = run("epub", str(book), "-o", str(tmp_path / "out"))
    assert ok.exit_code == 0 and "a.md:3: link target 'gone.md#x' is not in the book" in ok.stderr
    strict = run("epub", str(book), "-o", str(tmp_path / "strict"), "--strict")
    assert "strict mode" in _one_line_error(strict)
    assert not (tmp_path / "strict").exists()


def test_commands_run_from_a_frame_with_stack_room():
    """main() calls the CLI from a frame of 9,000 local slots (see cli._call_with_stack_room);
    what the function returns or raises passes through unchanged."""
    from publish.cli.stack import call_with_stack_room as _call_with_stack_room

    assert _call_with_stack_room(lambda: 42) == 42
    with pytest.raises(SystemExit):
        _call_with_stack_room(lambda: sys.exit(3))


def test_quiet_prints_nothing_but_errors(tmp_path):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n见[别处](#nowhere)。\n"})
    result = run("all", str(book), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    failed = run("all", str(book), "-o", str(tmp_path / "out"), "-q", "--strict")
    assert failed.exit_code == 1 and "Error: aborted: 1 warning in strict mode" in failed.stderr


def test_verbose_adds_each_chapter_and_step_with_timings(tmp_path):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 一\n\n甲。\n", "b.md": "# 二\n\n乙。\n"})
    plain = run("txt", str(book), "-o", str(tmp_path / "out")).stderr
    verbose = run("txt", str(book), "-o", str(tmp_path / "out"), "-v").stderr
    assert "Read " in plain and "2 chapters" in plain and " 一: " not in plain
    assert "ch01 一: 1 block, 0 notes" in verbose and "ch02 二:" in verbose
    assert re.search(r"txt written in \d+\.\d\d s", verbose)


def test_warnings_once_each_in_source_order(tmp_path):
    """The reader's stages each go through every file (Markdown finds the MDX
    line, the model builder the dangling link), yet the warnings come out by
    file and line, and a message is printed once."""
    book = write_manuscript(tmp_path / "book", {
        "a.md": '# 章\n\n见[别处](#nowhere)。\n\nimport x from "y"\n\n又见[别处](#nowhere)。\n',
        "b.md": '# 二\n\n<script>x</script>\n\nimport z from "w"\n'})
    result = run("txt", str(book), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    places = [re.search(r"(\w)\.md:(\d+):", line).groups() for line in warnings]
    assert places == sorted(places, key=lambda p: (p[0], int(p[1])))
    assert len(warnings) == len(set(warnings)) >= 4


def test_outline_takes_several_manuscripts(tmp_path):
    one = write_manuscript(tmp_path / "one", {"a.md": "# 一\n\n甲。\n"})
    result = run("outline", DEFAULT, str(one))
    assert result.exit_code == 0, result.output
    assert f"== {one}" in result.stdout and "6 chapters" in result.stdout
    data = json.loads(run("outline", DEFAULT, str(one), "--json").stdout)
    assert [len(book["chapters"]) for book in data] == [6, 1]


def test_a_missing_input_is_a_build_error_for_every_command(tmp_path):
    for command in ("txt", "outline", "verify"):
        result = run(command, str(tmp_path / "nope"))
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output


def test_counts_agree_with_their_nouns(tmp_path):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 一\n\n甲。\n"})
    result = run("all", str(book), "-o", str(tmp_path / "out"))
    assert "1 chapter in" in result.stderr and "1 chapters" not in result.stderr
    verified = run("verify", str(tmp_path / "out"))
    assert verified.exit_code == 0 and "4 files of 1 book verified" in verified.stdout


def test_a_wrong_trim_in_book_toml_fails_every_command_before_writing(tmp_path):
    book = write_manuscript(tmp_path / "book", {"book.toml": '[edition]\ntrim = "A6"\n',
                                                 "a.md": "# 章\n\n文。\n"})
    for command in ("epub", "txt", "all"):
        result = run(command, str(book), "-o", str(tmp_path / "out"))
        assert "book.toml:2: [edition] trim = 'A6': unknown trim size" in _one_line_error(result)
    assert not (tmp_path / "out").exists()
    given = run("all", DEFAULT, "--trim", "b5", "-o", str(tmp_path / "out"))
    assert given.exit_code == 2 and "b5-jis (182×257 mm) or b5-iso (176×250 mm)" in given.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, files, hint", [
    (["--theme", "defualt"], {}, "no theme 'defualt' (did you mean 'default'?)"),
    ([], {"book.toml": "[edition]\nfont_szie = 9\n"}, "'font_szie' in [edition] (did you mean "
                                                       "'font_size'?)"),
    (["--trim", "a44"], {}, "unknown trim size 'a44' (did you mean 'a4'?)"),
])
def test_did_you_mean(tmp_path, args, files, hint):
    book = write_manuscript(tmp_path / "book", {"a.md": "# 章\n\n文。\n", **files})
    result = run("all", str(book), "-o", str(tmp_path / "out"), *args)
    assert hint in result.output


def test_a_renamed_book_leaves_stale_editions_that_verify_names_and_clean_removes(tmp_path):
    book = write_manuscript(tmp_path / "book", {"book.toml": 'title = "山城"\nslug = "shancheng"\n',
                                                 "a.md": "# 章\n\n文。\n"})
    other = write_manuscript(tmp_path / "other", {"book.toml": 'title = "别的书"\nslug = "other"\n',
                                                   "a.md": "# 章\n\n文。\n"})
    out = tmp_path / "out"
    assert run("all", str(book), str(other), "-o", str(out), "-q").exit_code == 0
    (book / "book.toml").write_text('title = "山城"\nslug = "mountain-city"\n', encoding="utf-8")
    assert run("all", str(book), "-o", str(out), "-q").exit_code == 0
    verified = run("verify", str(out))
    assert verified.exit_code == 1
    assert "shancheng.epub" in verified.output and "left from an earlier build" in verified.output
    cleaned = run("all", str(book), "-o", str(out), "--clean")
    assert cleaned.exit_code == 0, cleaned.output
    names = sorted(p.name for p in out.iterdir())
    assert not any(name.startswith("shancheng") for name in names)
    assert "other.epub" in names and "other.manifest.json" in names  # another book's: kept
    assert "mountain-city.pdf" in names
