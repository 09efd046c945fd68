"""Shared fixtures: golden files (``--update-golden`` rewrites them), case folders."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
CASES = TESTS / "cases"
GOLDEN = TESTS / "golden"
CORPUS = ROOT.parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output; review the diff.")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden(path, text)``: compare ``text`` with the file, or rewrite it."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, text: str) -> None:
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden")
            path.write_text(text, encoding="utf-8")
            return
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path.relative_to(ROOT)}; if the change is intended, "
            "run pytest --update-golden and review the diff")
    return check


@pytest.fixture(autouse=True)
def no_release_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no CI tag build and no SOURCE_DATE_EPOCH unless they set them."""
    for name in ("GITHUB_REF_TYPE", "GITHUB_REF_NAME", "RELEASE_TAG", "SOURCE_DATE_EPOCH",
                 "PUBLISH"):
        monkeypatch.delenv(name, raising=False)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def case_manuscript(name: str) -> Path:
    """A case is a folder with book.toml (a directory manuscript) or book.md."""
    folder = CASES / name
    return folder if (folder / "book.toml").exists() else folder / "book.md"


@pytest.fixture
def warnings_logged(caplog: pytest.LogCaptureFixture):
    """The warning messages the 'publish' logger emitted during the test."""
    caplog.set_level(logging.WARNING, logger="publish")

    def messages() -> list[str]:
        return [r.getMessage() for r in caplog.records
                if r.name.startswith("publish") and r.levelno >= logging.WARNING]
    return messages


def write_manuscript(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create a manuscript from ``{relative path: text or bytes}`` and return the folder."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
