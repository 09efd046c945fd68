"""Releases: workflows that lint clean, the release script on one book and on a
two-book repository, checksums that verify, and rebuilds that are byte for byte
the same in another directory an hour later."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, write_manuscript

from publish.cli import cli
from publish.files import build_time
from publish.reader import read

BIN = Path(sys.executable).parent
RELEASE = ROOT / "scripts" / "release.sh"


def release(*args: str, cwd: Path, tag: str = "v1.2.0", **env: str):
    """scripts/release.sh of the repository at ``cwd``, with this test run's publish."""
    environ = {**os.environ, "PUBLISH": str(BIN / "publish"), "RELEASE_TAG": tag, **env}
    return subprocess.run(["bash", str(cwd / "scripts" / "release.sh"), *args], cwd=cwd,
                          env=environ, capture_output=True, text=True, timeout=600)


def clone(target: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def sha256sum_check(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=directory,
                          capture_output=True, text=True)


# --- the workflows and scripts ----------------------------------------------------


def test_workflows_pass_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in workflows} >= {"ci.yml", "release.yml"}
    found = subprocess.run([str(BIN / "actionlint"), *map(str, workflows)],
                           capture_output=True, text=True, cwd=ROOT)
    assert found.returncode == 0 and not found.stdout, found.stdout + found.stderr


def test_scripts_pass_shellcheck():
    assert shutil.which("shellcheck"), "shellcheck is missing: run scripts/setup.sh"
    scripts = [*map(str, (ROOT / "scripts").glob("*.sh")), str(ROOT / ".ci" / "run")]
    found = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert found.returncode == 0, found.stdout


def test_ci_workflow_runs_the_ci_script():
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "run: bash .ci/run" in text
    release_yml = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "contents: write" in release_yml and "scripts/release.sh build" in release_yml


# --- versions and tags ------------------------------------------------------------


@pytest.mark.parametrize("tag, expected", [("v1.2.0", "1.2.0"), ("v2", "2"),
                                           ("v1.0.0-rc.1", "1.0.0-rc.1")])
def test_version_from_the_tag(tag, expected):
    found = release("version", cwd=ROOT, tag=tag)
    assert found.returncode == 0 and found.stdout.strip() == expected


@pytest.mark.parametrize("tag", ["banana", "1.2.0", "v1.2.0/../x", "v"])
def test_a_tag_that_is_not_a_version_stops_the_release(tag, tmp_path):
    found = release("build", str(tmp_path / "out"), "manuscript", cwd=ROOT, tag=tag)
    assert found.returncode == 1
    assert f"tag '{tag}' is not a version" in found.stderr
    assert not (tmp_path / "out").exists()


def test_cli_takes_the_version_from_a_ci_tag_build(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_REF_TYPE", "tag")
    monkeypatch.setenv("GITHUB_REF_NAME", "v3.1.0")
    result = CliRunner().invoke(cli, ["txt", str(ROOT / "manuscript"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "deepseek-interview-3.1.0.txt").is_file()
    monkeypatch.setenv("GITHUB_REF_NAME", "nightly")
    result = CliRunner().invoke(cli, ["txt", str(ROOT / "manuscript"), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "tag 'nightly' is not a version" in result.output


def test_version_label_must_be_a_file_name_part(tmp_path):
    result = CliRunner().invoke(cli, ["txt", str(ROOT / "manuscript"), "-o", str(tmp_path),
                                      "--version-label", "1.0/../../x"])
    assert result.exit_code == 2 and "becomes part of the file names" in result.output


# --- the build time -----------------------------------------------------------------


def test_build_time_comes_from_the_sources(tmp_path, monkeypatch):
    book = write_manuscript(tmp_path / "book", {"book.toml": 'title = "书"\n', "a.md": "# 一\n"})
    os.utime(book / "a.md", (1_600_000_000, 1_600_000_000))
    os.utime(book / "book.toml", (1_500_000_000, 1_500_000_000))
    assert build_time(book).timestamp() == 1_600_000_000          # newest manuscript file
    assert build_time(book, "2024-05-06") == dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc)
    subprocess.run(["git", "init", "-q"], cwd=book, check=True)
    subprocess.run(["git", "add", "."], cwd=book, check=True)
    subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "x"],
                   cwd=book, check=True, env={**os.environ, "GIT_COMMITTER_DATE": "1700000000 +0000"})
    assert build_time(book, "2024-05-06").timestamp() == 1_700_000_000  # the last commit
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert build_time(book, "2024-05-06").timestamp() == 1_234_567_890


def test_a_one_file_manuscript_is_dated_by_that_file(tmp_path):
    """Not by the newest file beside it (a download folder, /tmp)."""
    folder = write_manuscript(tmp_path, {"novel.md": "# 一\n\n正文。\n", "notes.txt": "x"})
    os.utime(folder / "novel.md", (1_600_000_000, 1_600_000_000))
    os.utime(folder / "notes.txt", (1_700_000_000, 1_700_000_000))
    book = read(folder / "novel.md")
    assert build_time(book.manuscript).timestamp() == 1_600_000_000
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    for name, when in (("novel.md", "1650000000"), ("notes.txt", "1750000000")):
        subprocess.run(["git", "add", name], cwd=folder, check=True)
        subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q",
                        "-m", name], cwd=folder, check=True,
                       env={**os.environ, "GIT_COMMITTER_DATE": f"{when} +0000"})
    assert build_time(book.manuscript).timestamp() == 1_650_000_000


# --- building a release -----------------------------------------------------------


@pytest.mark.slow
def test_release_of_the_default_book_verifies_and_rebuilds_identically(tmp_path):
    first = clone(tmp_path / "a")
    built = release("build", "out", "manuscript", cwd=first)
    assert built.returncode == 0, built.stderr
    out = first / "out"
    names = sorted(p.name for p in out.iterdir())
    assert names == [".publish-cache", "SHA256SUMS", "deepseek-interview-1.2.0.epub",
                     "deepseek-interview-1.2.0.manifest.json", "deepseek-interview-1.2.0.pdf",
                     "deepseek-interview-1.2.0.txt"]
    assert sha256sum_check(out).returncode == 0
    manifest = json.loads((out / "deepseek-interview-1.2.0.manifest.json").read_text())
    assert manifest["book"]["version"] == "1.2.0" and manifest["tools"]["weasyprint"] == "70.0"
    assert {e["file"]: e.get("pages") for e in manifest["editions"]}[
        "deepseek-interview-1.2.0.pdf"] == 19

    # Another directory, another locale and time zone, an hour later by the clock.
    assert shutil.which("faketime"), "faketime is missing: run scripts/setup.sh"
    second = clone(tmp_path / "b")
    environ = {**os.environ, "PUBLISH": str(BIN / "publish"), "RELEASE_TAG": "v1.2.0",
               "LC_ALL": "C", "TZ": "Asia/Shanghai"}
    again = subprocess.run(["faketime", "-f", "+1h", "bash", "scripts/release.sh", "build",
                            "elsewhere", "manuscript"], cwd=second, env=environ,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    for name in (name for name in names if (out / name).is_file()):  # not the cache folder
        assert (second / "elsewhere" / name).read_bytes() == (out / name).read_bytes(), name


def two_book_repository(root: Path) -> Path:
    write_manuscript(root, {
        "books/alpha/book.toml": 'title = "甲书"\nslug = "alpha"\nauthor = "甲"\n',
        "books/alpha/01.md": "# 第一章\n\n甲书的正文，有“引号”。\n",
        "books/beta/book.toml": 'title = "乙书"\nslug = "beta"\nauthor = "乙"\n',
        "books/beta/01.md": "# 开篇\n\n乙书的正文。English words.\n",
    })
    shutil.copytree(ROOT / "scripts", root / "scripts")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "x"],
                   cwd=root, check=True)
    return root


@pytest.mark.slow
def test_two_books_one_job_each_then_gathered(tmp_path):
    repo = two_book_repository(tmp_path / "press")
    listed = release("books", cwd=repo)
    assert json.loads(listed.stdout) == ["books/alpha", "books/beta"]
    for book in json.loads(listed.stdout):   # the matrix: one build job per book
        job = release("build", f"job-{Path(book).name}", book, cwd=repo)
        assert job.returncode == 0, job.stderr
    gathered = release("gather", "release", "job-alpha", "job-beta", cwd=repo)
    assert gathered.returncode == 0, gathered.stderr
    files = sorted(p.name for p in (repo / "release").iterdir())
    assert files == ["SHA256SUMS", *sorted(f"{slug}-1.2.0{suffix}" for slug in ("alpha", "beta")
                                           for suffix in (".epub", ".manifest.json", ".pdf",
                                                          ".txt"))]
    assert sha256sum_check(repo / "release").returncode == 0

    # One machine: publish all books/* builds both into one directory.
    result = CliRunner().invoke(cli, ["all", str(repo / "books/alpha"), str(repo / "books/beta"),
                                      "-o", str(tmp_path / "local"), "-q"])
    assert result.exit_code == 0, result.output
    assert sha256sum_check(tmp_path / "local").returncode == 0
    assert len((tmp_path / "local" / "SHA256SUMS").read_text().splitlines()) == 8


@pytest.mark.slow
def test_a_changed_or_missing_edition_stops_the_release(tmp_path):
    repo = two_book_repository(tmp_path / "press")
    assert release("build", "job", "books/alpha", cwd=repo).returncode == 0
    job = repo / "job"
    pdf = job / "alpha-1.2.0.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    tampered = release("gather", "release", "job", cwd=repo)
    assert tampered.returncode != 0
    assert "checksum mismatch for alpha-1.2.0.pdf" in tampered.stderr
    assert not (repo / "release" / "alpha-1.2.0.pdf").exists()

    assert release("build", "job", "books/alpha", cwd=repo).returncode == 0
    (job / "alpha-1.2.0.txt").unlink()
    sums = job / "SHA256SUMS"
    sums.write_text("".join(line for line in sums.read_text().splitlines(keepends=True)
                            if not line.endswith(".txt\n")))
    missing = release("gather", "release", "job", cwd=repo)
    assert missing.returncode != 0
    assert "the edition alpha-1.2.0.txt is missing" in missing.stderr

    assert release("build", "job", "books/alpha", cwd=repo).returncode == 0
    (job / "stray.bin").write_bytes(b"x")
    stray = release("gather", "release", "job", cwd=repo)
    assert stray.returncode != 0 and "stray.bin is not listed" in stray.stderr


def test_two_manuscripts_with_one_slug_are_refused(tmp_path):
    a = write_manuscript(tmp_path / "a", {"book.toml": 'title = "一"\nslug = "same"\n',
                                          "a.md": "# 一\n\n文。\n"})
    b = write_manuscript(tmp_path / "b", {"book.toml": 'title = "二"\nslug = "same"\n',
                                          "a.md": "# 二\n\n文。\n"})
    result = CliRunner().invoke(cli, ["txt", str(a), str(b), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "two manuscripts have the slug 'same'" in result.output
    assert not (tmp_path / "out").exists()
