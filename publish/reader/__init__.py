"""Read a manuscript into a ``Book``.

A manuscript is a directory (``book.toml`` and ``*.md`` files, in the order
``chapters`` gives or by file name), an mdBook (its ``src`` folder, or the
book folder around it: the order and structure its ``SUMMARY.md`` gives) or
a single ``.md`` file whose settings sit in a ``---`` header block.  ``read``
runs the stages in order:

1. sources and settings: book.toml and the chapter files it names
   (``configuration``) or an mdBook's SUMMARY.md lists (``summary``), or the
   one file and its header block (cut by the ``header_block`` preprocessor,
   read by ``configuration.parse_header``), each file decoded (``decoding``);
2. the settings' text cleaned (``metadata.clean_metadata``);
3. Markdown: each file through Python-Markdown with our ``NormalizeExtension``
   (``markdown``; an mdBook's includes first, ``includes``), into a sanitized
   tree (``sanitize``) held with the file's text (``sourcetree.SourceTree``);
4. the book's language: book.toml's, else told from the text (``language``);
5. the heading plan: title, chapters, sections (``headings.plan_headings``);
6. the book: blocks, inlines, notes and images (``build.BookBuilder``), and
   its ``Meta`` (``metadata.make_meta``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from .. import model as m
from ..errors import ManuscriptError
from .build import BookBuilder
from .configuration import (
    chapter_files,
    chapter_level,
    check_chapter_level,
    config_path,
    directory_config,
    encoding_setting,
    load_config,
    parse_header,
    title_setting,
)
from .decoding import decode, read_text
from .headings import plan_headings
from .language import book_language
from .markdown import cut_header, make_markdown, parse_file
from .metadata import (
    check_cover,
    clean_metadata,
    configured_language,
    label_overrides,
    make_meta,
    stem_title,
)
from .sanitize import Node
from .sourcetree import SourceTree
from .summary import Entry, mdbook_settings, summary_entries, summary_path

__all__ = ["read", "decode", "load_config", "parse_header", "make_meta", "chapter_files"]


def read(path: Path | str, encoding: str | None = None,
         edition_keys: Iterable[str] = ()) -> m.Book:
    """Read the manuscript at ``path`` (a directory or one ``.md`` file);
    ``edition_keys`` are the writers' [edition] keys, named when an author
    gives one at the top level."""
    path = Path(path)
    if not path.exists():
        raise ManuscriptError("no such manuscript (expected a directory or a .md file)", path)
    root = path if path.is_dir() else path.parent
    listed: list[Entry | None] = []
    if path.is_dir():
        config = mdbook_settings(directory_config(path, edition_keys))
        summary = summary_path(path, config)
        listed = summary_entries(summary, path) if summary else []
        md = make_markdown(includes=path if summary else None)
        encoding = encoding or encoding_setting(config, path)
        files = [entry.path for entry in listed] if summary else chapter_files(path, config)
        texts = [(file, read_text(file, path, "chapter file", encoding, in_toml=True))
                 for file in files]
    else:
        md = make_markdown(header_block=True)
        text = read_text(path, root, "manuscript file", encoding, in_toml=False)
        texts = [(path, cut_header(md, text))]
        config = parse_header(md.header_block, path, edition_keys)
    config = clean_metadata(config, config_path(path))
    if not any(text.strip() for _, text in texts):
        raise ManuscriptError("the manuscript has no text", path)

    sources = [SourceTree(file, text, Node("body"), entry)
               for (file, text), entry in zip(texts, listed or [None] * len(texts))]
    for source in sources:
        source.tree = parse_file(md, source.path, source.text, source.warn)

    where = config_path(path)
    language = book_language(configured_language(config, path), [s.tree for s in sources],
                             where.name if path.is_dir() else f"{path.name}'s header block")
    overrides = label_overrides(config, path)

    level = chapter_level(config, path)
    plan = plan_headings(sources, level, title_setting(config, path))
    check_chapter_level(level, plan.levels, path)

    builder = BookBuilder(sources, plan, root, language, overrides)
    builder.run()
    title = plan.title_node.text().strip() if plan.title_node is not None else ""
    meta = make_meta(config, title or stem_title(path), path, language, overrides)
    check_cover(meta.cover, root, path)
    return dataclasses.replace(builder.book(meta), manuscript=path,
                               sources=tuple(m.Source(file, text) for file, text in texts))
