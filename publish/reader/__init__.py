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
    parse_header,
)
from .decoding import decode
from .headings import plan_headings
from .markdown import cut_header, make_markdown, parse_file
from .sanitize import Node
from .sourcetree import SourceTree

__all__ = ["read", "decode", "load_config", "parse_header", "make_meta", "chapter_files"]


def read(path: Path | str, encoding: str | None = None) -> m.Book:
    """Read the manuscript at ``path`` (a directory or one ``.md`` file)."""
    path = Path(path)
    if not path.exists():
        raise ManuscriptError("no such manuscript (expected a directory or a .md file)", path)
    md = make_markdown(header_block=not path.is_dir())
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
        body = cut_header(md, text)
        config = parse_header(md.header_block, path)
        texts = [(path, body)]

    config = clean_metadata(config, _config_path(path))
    if not any(t.strip() for _, t in texts):
        raise ManuscriptError("the manuscript has no text", path)

    sources = []
    for file, text in texts:
        source = SourceTree(file, text, Node("body"))
        source.tree = parse_file(md, file, text, source.warn)
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


def _natural_key(name: str) -> list[object]:
    """Sort ``ch2.md`` before ``ch10.md``."""
    return [int(part) if part.isdecimal() else part for part in re.split(r"(\d+)", name)]

