"""``publish init``: a new manuscript that builds, with a book.toml naming
every key the build reads."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from publish.cli import cli
from publish.reader import read
from publish.reader.configuration import CONFIG_KEYS
from publish.writers import WRITERS, declared


def test_book_toml_lists_every_key_and_every_edition_option(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "b"), "--title", "我的第一本书"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "b" / "book.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["title"] == "我的第一本书" and data["language"] == "zh-Hans"
    for key in set(CONFIG_KEYS) - {"edition"}:
        assert f"{key} = " in text, key
    for option in {o.name for name in WRITERS for o in declared(name) if o.setting} | {"theme"}:
        assert f"# {option} = " in text, option
    # every commented line, uncommented, is a valid value of its key
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line
                            for line in text.splitlines())
    tomllib.loads(uncommented)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en"])
def test_the_sample_book_holds_what_it_shows(tmp_path, language):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "b"), "--language", language])
    assert result.exit_code == 0, result.output
    book = read(tmp_path / "b")
    assert book.meta.language == language
    kinds = {type(block).__name__ for chapter in book.chapters for section in
             (chapter, *chapter.sections) for block in section.blocks}
    assert {"Dialogue", "Figure", "Table", "CodeBlock", "BlockQuote", "ListBlock"} <= kinds, kinds
    assert sum(len(chapter.notes) for chapter in book.chapters) == 1


def test_init_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "mine.md").write_text("# 我的\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["mine.md"]
