"""Read a manuscript into a ``Book``.

A manuscript is a directory (``book.toml`` and ``*.md`` files, in the order
``chapters`` gives or by file name) or a single ``.md`` file whose metadata
sits in a ``---`` header block.  Each file is decoded (UTF-8 with or
without BOM unless ``encoding`` says otherwise), run through Python-Markdown
with our ``NormalizeExtension`` (``markdown``), parsed back into a sanitized tree
(``sanitize``) and turned into the model (``build``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path

from .. import model as m
from ..errors import ConfigError, ManuscriptError
from ..inputs import InputError, check_input, read_input
from .build import BookBuilder
from .configuration import (
    CONFIG_NAME,
    _check_cover,
    _config_path,
    _line_of_key,
    _line_of_value,
    _stem_title,
    _str,
    clean_metadata,
    load_config,
    make_meta,
    split_header,
)
from .decoding import decode
from .headings import plan_headings
from .markdown import make_markdown, markdown_tree
from .sanitize import Node
from .sourcetree import SourceTree

__all__ = ["read", "decode", "load_config", "split_header", "make_meta", "chapter_files"]


def read(path: Path | str, encoding: str | None = None) -> m.Book:
    """Read the manuscript at ``path`` (a directory or one ``.md`` file)."""
    path = Path(path)
    if not path.exists():
        raise ManuscriptError("no such manuscript (expected a directory or a .md file)", path)
    if path.is_dir():
        root = path
        toml = path / CONFIG_NAME
        config = load_config(toml, path) if toml.exists() or toml.is_symlink() else {}
        encoding = encoding or _str(config.get("encoding"), toml) or None
        files = chapter_files(path, config)
        texts = [(f, decode(read_input(f, [path], "chapter file", name=f.name), f, encoding,
                            in_toml=True)) for f in files]
    else:
        root = path.parent
        data = read_input(path, [path.parent], "manuscript file", name=path.name)
        text = decode(data, path, encoding, in_toml=False)
        config, body = split_header(text, path)
        texts = [(path, body)]

    config = clean_metadata(config, _config_path(path))
    if not any(t.strip() for _, t in texts):
        raise ManuscriptError("the manuscript has no text", path)

    md = make_markdown()
    sources = []
    for file, text in texts:
        check_nesting(text, file)
        source = SourceTree(file, text, Node("body"))
        try:
            source.tree = markdown_tree(md, text, source.warn)
        except RecursionError:  # a nesting check_nesting does not know
            raise ManuscriptError("nested too deeply for the Markdown parser (lists, quotes "
                                  f"or HTML more than {MAX_NESTING} levels)", file) from None
        sources.append(source)

    level = config.get("chapter_level")
    if level is not None and (not isinstance(level, int) or not 1 <= level <= 6):
        raise ConfigError("chapter_level must be a number from 1 to 6", _config_path(path))
    plan = plan_headings(sources, level,
                         _str(config.get("title"), _config_path(path)).strip())
    if level is not None and plan.levels and level not in plan.levels:
        where = _config_path(path)
        raise ConfigError(f"chapter_level = {level}, but the manuscript has no level-{level} "
                          f"heading (it has levels {', '.join(map(str, sorted(set(plan.levels))))})",
                          where, _line_of_key(where, "chapter_level") if path.is_dir() else None)
    language = config.get("language")
    builder = BookBuilder(sources, plan, root, language if isinstance(language, str) else "zh")
    builder.run()
    title_from_text = plan.title_node.text().strip() if plan.title_node is not None else ""
    meta = make_meta(config, title_from_text or _stem_title(path), path)
    if meta.cover:
        _check_cover(meta.cover, root, path)
    return dataclasses.replace(builder.book(meta), manuscript=path,
                               sources=tuple(m.Source(file, text) for file, text in texts))


# --- files -------------------------------------------------------------------


def chapter_files(root: Path, config: Mapping[str, object]) -> list[Path]:
    """The manuscript's .md files in reading order."""
    order = config.get("chapters")
    if order is None:
        files = sorted(root.glob("*.md"), key=lambda p: _natural_key(p.name))
        if not files:
            raise ManuscriptError("no .md files in the manuscript directory", root)
        for file in files:  # a symlink leading out, a directory or FIFO named *.md
            check_input(file, [root], "chapter file", name=file.name)
        return files
    toml = root / CONFIG_NAME
    if not isinstance(order, list) or not all(isinstance(x, str) for x in order):
        raise ConfigError("chapters must be a list of file names", toml, _line_of_key(toml, "chapters"))
    files = []
    for name in order:
        try:
            check_input(root / name, [root], "chapter file", name=name, where=toml,
                        line=_line_of_value(toml, name) or _line_of_key(toml, "chapters"))
        except InputError as e:  # a mistake in book.toml's list
            raise ConfigError(e.message) from None
        files.append(root / name)
    if not files:
        raise ConfigError("chapters is empty", toml, _line_of_key(toml, "chapters"))
    return files


#: How deep Markdown lists and block quotes may nest (Python-Markdown parses
#: them recursively and fails a few hundred levels down).
MAX_NESTING = 100
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]?){%d}" % (MAX_NESTING + 1))


def check_nesting(text: str, path: Path) -> None:
    """An error naming the line where lists or block quotes nest more than
    MAX_NESTING levels deep (a list level is four columns of indentation)."""
    for number, line in enumerate(text.split("\n"), 1):
        if line[:1] not in (" ", "\t", ">"):
            continue
        item = _LIST_ITEM.match(line)
        if item and len(item.group(1).expandtabs(4)) // 4 >= MAX_NESTING:
            raise ManuscriptError(f"a list nested more than {MAX_NESTING} levels deep", path,
                                  number)
        if _QUOTES.match(line):
            raise ManuscriptError(f"block quotes nested more than {MAX_NESTING} levels deep",
                                  path, number)


def _natural_key(name: str) -> list[object]:
    """Sort ``ch2.md`` before ``ch10.md``."""
    return [int(part) if part.isdecimal() else part for part in re.split(r"(\d+)", name)]

