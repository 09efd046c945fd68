"""The project as a user installs it: a wheel built from the checkout and
installed into a fresh virtual environment outside it, then ``publish init``
and ``publish all`` run from an unrelated folder.

The fresh environment sees the test environment's installed libraries
(WeasyPrint, ebooklib…) through a .pth line, so nothing is downloaded; the
checkout's own ``publish`` is not among them (its editable install is a .pth
of the test environment, which a .pth line does not run), so a theme or a
sample chapter left out of the wheel fails here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from conftest import ROOT
from epub_validation import check

pytestmark = pytest.mark.slow


def _source_copy(target: Path) -> Path:
    """The files git tracks (what a clone or a release archive holds)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``publish`` command of a fresh venv holding only the wheel."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout")
    tmp = tmp_path_factory.mktemp("wheel")
    source = _source_copy(tmp / "src")
    before = sorted(p.name for p in source.iterdir())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", str(source), "-w", str(tmp / "wheels")],
                   check=True, capture_output=True)
    assert sorted(p.name for p in source.iterdir()) == before, "the build left files behind"
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "test-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((tmp / "wheels").glob("publish-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    return venv / "bin" / "publish"


def test_a_wheel_installed_elsewhere_starts_and_builds_a_book(installed, tmp_path):
    started = time.monotonic()
    init = subprocess.run([str(installed), "init", "mybook"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert "publish all mybook" in init.stdout
    done = subprocess.run([str(installed), "all", "mybook", "-o", "out"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    elapsed = time.monotonic() - started
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [".publish-cache", "SHA256SUMS", "mybook.epub", "mybook.manifest.json", "mybook.pdf",
                     "mybook.txt"], names
    imported = subprocess.run([str(installed.parent / "python"), "-c",
                               "import publish; print(publish.__file__)"],
                              cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert not imported.startswith(str(ROOT)), imported  # the wheel's, not the checkout's
    report = check(tmp_path / "out" / "mybook.epub")
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
    print(f"init + all from the wheel: {elapsed:.1f} s")


@pytest.mark.parametrize("language", ["zh-Hant", "en"])
def test_init_in_each_language_builds(installed, tmp_path, language):
    for command in (["init", "book", "--language", language, "--title", "T"],
                    ["all", "book", "-o", "out", "--strict"]):
        done = subprocess.run([str(installed), *command], cwd=tmp_path, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    text = next((tmp_path / "out").glob("*.txt")).read_text(encoding="utf-8")
    sample = (ROOT / "publish" / "starter" / language / "01-start.md").read_text()
    assert sample.splitlines()[0].lstrip("# ") in text
