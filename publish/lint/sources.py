"""The files ``publish lint`` reads, as written, and their text masked.

A manuscript's files are the ones the reader takes (book.toml's order, the
``.md`` files by name, an mdBook's SUMMARY.md list, or the one file), read
through ``reader.decoding``; a folder with no book.toml also has its
``.txt`` files linted, as plain text.  ``masked`` is the text with every
character lint must not look at replaced by ``MASK`` (line ends kept, so an
offset in it is an offset in the text): fenced and indented code, inline
code, math, URLs, link targets and reference definitions, HTML tags and
comments, a passage marked with another ``lang``, a one-file manuscript's
header block.  A ``.txt`` file has only its URLs masked.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from ..errors import ManuscriptError
from ..inputs import read_input
from ..reader.configuration import (
    CONFIG_NAME,
    chapter_files,
    directory_config,
    encoding_setting,
    parse_header,
)
from ..reader.decoding import decode
from ..reader.preprocessors import FenceInfoPreprocessor, HeaderBlockPreprocessor
from ..reader.summary import mdbook_settings, summary_entries, summary_path
from ..typography import url_spans

MASK = "\x00"


@dataclass
class Source:
    """One file: where it is, its text (LF line ends), the text masked, and
    how to write it back as it was (encoding, BOM, CRLF)."""

    path: Path
    text: str
    masked: str
    codec: str
    crlf: bool
    markdown: bool

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column (in characters) of ``offset``."""
        if not hasattr(self, "_starts"):
            self._starts = [0] + [found.end() for found in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def encoded(self, text: str) -> bytes:
        """``text`` as the file's bytes: its encoding, BOM and line ends."""
        return (text.replace("\n", "\r\n") if self.crlf else text).encode(self.codec)


def manuscript_sources(path: Path, encoding: str | None = None
                       ) -> tuple[dict[str, object], list[Source]]:
    """The settings and the files of the manuscript at ``path``."""
    if not path.exists():
        raise ManuscriptError("no such manuscript (expected a directory or a file)", path)
    if path.is_file():
        source = read_source(path, path.parent, encoding, one_file=True)
        lines = source.text.split("\n")
        header = HeaderBlockPreprocessor(SimpleNamespace())  # type: ignore[arg-type]
        header.run(lines)
        return parse_header(header.md.header_block, path), [source]
    config = mdbook_settings(directory_config(path))
    encoding = encoding or encoding_setting(config, path)
    summary = summary_path(path, config)
    texts = sorted(path.glob("*.txt")) if not (path / CONFIG_NAME).exists() else []
    if summary:
        files = [entry.path for entry in summary_entries(summary, path)]
    elif texts and not any(path.glob("*.md")):
        files = []
    else:
        files = chapter_files(path, config)
    return config, [read_source(file, path, encoding) for file in files + texts]


def read_source(path: Path, root: Path, encoding: str | None, one_file: bool = False) -> Source:
    """One file, decoded as the reader decodes it, and masked."""
    data = read_input(path, [root], "manuscript file", name=path.name)
    text = decode(data, path, encoding, in_toml=not one_file)
    if encoding:
        codec = encoding
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    markdown = path.suffix.lower() != ".txt"
    masked = mask_markdown(text, one_file) if markdown else _mask_spans(text, url_spans(text))
    return Source(path, text, masked, codec, b"\r\n" in data, markdown)


def _mask_spans(text: str, spans) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = MASK
    return "".join(chars)


_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
#: Spans of the text lint leaves alone, each pattern over the whole text.
_SPANS = (
    re.compile(r"<!--.*?-->", re.S),  # an HTML comment
    re.compile(r"(?s)<(\w+)\b[^>]*\blang\s*=\s*[\"']?(?!zh)[A-Za-z][^>]*>.*?</\1\s*>"),
    re.compile(r"</?[A-Za-z][^>\n]*>"),  # a tag, its attributes; an autolink
    re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S),  # inline code
    re.compile(r"\$\$.+?\$\$", re.S),  # display math
    re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)"),  # inline math
    re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)"),  # a link's target and title
    re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M),  # a reference definition
    re.compile(r"\[\^[^\]\s]+\]"),  # a footnote reference
    re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"),  # a character reference
    re.compile(r"\{\{#.*?\}\}|\{[:#.][^{}\n]*\}|\{ *\w+=[^{}\n]*\}"),  # includes, attr lists
)


def mask_markdown(text: str, one_file: bool = False) -> str:
    """``text`` with what lint must not read masked (see the module docstring)."""
    lines = text.split("\n")
    if one_file:
        header = HeaderBlockPreprocessor(SimpleNamespace())  # type: ignore[arg-type]
        blank = header.run(list(lines))
        lines = [MASK * len(old) if new != old else old for old, new in zip(lines, blank)]
    fences = FenceInfoPreprocessor(SimpleNamespace())  # type: ignore[arg-type]
    fences.run(list(lines))
    code = _indented_code(lines)
    lines = [MASK * len(line) if fences.md.fenced[i] or code[i] else line
             for i, line in enumerate(lines)]
    lines = _mask_lang_paragraphs(lines)
    text = "\n".join(lines)
    spans = [found.span() for pattern in _SPANS for found in pattern.finditer(text)]
    return _mask_spans(text, spans + list(url_spans(text)))


def _indented_code(lines: list[str]) -> list[bool]:
    """Which lines are an indented code block (four spaces or a tab, after a
    blank line, not inside a list item)."""
    code = [False] * len(lines)
    kind, blank = "para", True
    for i, line in enumerate(lines):
        if not line.strip():
            blank = True
            continue
        indented = line.expandtabs(4).startswith("    ")
        if indented and kind != "list" and (blank or kind == "code"):
            code[i], kind = True, "code"
        elif _LIST_ITEM.match(line):
            kind = "list"
        elif not indented:
            kind = "para"
        blank = False
    return code


def _mask_lang_paragraphs(lines: list[str]) -> list[str]:
    """A paragraph whose attribute list gives another ``lang`` (``{lang=en}``),
    masked whole."""
    start = 0
    for i, line in enumerate(lines + [""]):
        if not line.strip():
            start = i + 1
        elif re.search(r"\{[^{}]*\blang\s*=\s*[\"']?(?!zh)[A-Za-z][^{}]*\}\s*$", line):
            for j in range(start, i + 1):
                lines[j] = MASK * len(lines[j])
    return lines
