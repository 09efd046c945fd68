"""Configuration: the settings of a book, from book.toml (a directory
manuscript) or the header block of a one-file manuscript, with one table of
the keys (``KEYS``: each key's type, what it holds, where it goes) and the
checks of the settings the reader itself uses: the chapter files and their
order, their encoding, the chapter level.  ``metadata.py`` makes the
settings the book's ``Meta``.

A message about a setting names book.toml's line when there is one
(``line_of_key``); a header block's values name the manuscript file.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ManuscriptError, did_you_mean
from ..inputs import InputError, check_input, read_input
from ..log import LOGGER
from ..numbers import CHINESE_NUMERAL_CHARS, parse_chinese_numeral

CONFIG_NAME = "book.toml"
#: The tables of an mdBook's book.toml: its own, not unknown keys of ours
#: (``summary.mdbook_settings`` takes ``[book]``'s title, authors…).
MDBOOK_TABLES = frozenset({"book", "build", "output", "preprocessor", "rust"})


@dataclass(frozen=True)
class Key:
    """A key of book.toml (and of a header block)."""

    name: str
    type: str  # the value it takes
    help: str  # what it holds
    goes: str  # where the reader puts it
    #: One line of text: a line break or a control character in it is
    #: normalised (white space collapsed) with a warning (``metadata.clean_metadata``).
    one_line: bool = False
    #: The MARC relator of the names it lists (``Meta.contributors``).
    role: str = ""


KEYS: dict[str, Key] = {key.name: key for key in (
    Key("title", "text", "the book's title", "Meta.title", one_line=True),
    Key("subtitle", "text", "a subtitle", "Meta.subtitle", one_line=True),
    Key("author", "name or list of names", "an author, or a list of authors",
        "Meta.contributors", one_line=True, role="aut"),
    Key("authors", "list of names", "a list of authors", "Meta.contributors", one_line=True,
        role="aut"),
    Key("translator", "name or list of names", "a translator, or a list", "Meta.contributors",
        one_line=True, role="trl"),
    Key("editor", "name or list of names", "an editor, or a list", "Meta.contributors",
        one_line=True, role="edt"),
    Key("illustrator", "name or list of names", "an illustrator, or a list",
        "Meta.contributors", one_line=True, role="ill"),
    Key("contributors", "list of tables",
        "a list of {name, role} tables (MARC relators: aut, trl, edt, ill…)",
        "Meta.contributors"),
    Key("language", "text", "BCP 47 language tag, e.g. zh-Hans, zh-Hant, en, ja "
        "(default: told from the text)", "Meta.language; the labels the reader writes",
        one_line=True),
    Key("identifier", "text",
        "ISBN or UUID (urn:uuid:…); a stable one is derived when missing", "Meta.identifier",
        one_line=True),
    Key("isbn", "text", "the ISBN, used as identifier", "Meta.identifier", one_line=True),
    Key("publisher", "text", "the publisher", "Meta.publisher", one_line=True),
    Key("date", "date or text", "publication date (YYYY-MM-DD)", "Meta.date", one_line=True),
    Key("rights", "text", "copyright statement", "Meta.rights"),
    Key("description", "text", "a short description", "Meta.description"),
    Key("cover", "text", "cover image, relative to the manuscript", "Meta.cover",
        one_line=True),
    Key("slug", "text", "ASCII file name stem of the editions", "Meta.slug", one_line=True),
    Key("chapters", "list of file names", "the chapter files, in order", "chapter_files"),
    Key("front", "list of file names",
        "the files of front matter (前言, a preface), in order, before the chapters",
        "chapter_files; the chapters' matter"),
    Key("back", "list of file names",
        "the files of back matter (后记, appendices), in order, after the chapters",
        "chapter_files; the chapters' matter"),
    Key("matter_by_title", "true or false",
        "recognise front and back matter by their titles (default true)", "the chapters' matter"),
    Key("encoding", "text", "text encoding of the .md files, e.g. gb18030 or big5",
        "decoding", one_line=True),
    Key("chapter_level", "integer",
        "heading level of chapters (default: the shallowest below the title)",
        "the heading plan"),
    Key("edition", "table", "a table of edition options", "Meta.options (the writers)"),
    Key("lint", "table", "publish lint's settings: off (rules turned off), spacing "
        "(auto, space or none)", "publish lint"),
    Key("labels", "table", "the editions' fixed strings worded otherwise, by name "
        "(contents, notes, chapter…)", "Meta.labels"),
    Key("variants", "list of language tags, or tables",
        "editions in another Chinese script, built beside the book: zh-Hant-TW, "
        "zh-Hant-HK, zh-Hans; a [variants.zh-Hant-TW] table may set title, subtitle, "
        "publisher, isbn, description and replace (wrong words put right)", "Meta.variants"),
)}
#: Views of the table: what each key holds; the keys whose text is one line;
#: the role of the names each contributor key lists.
CONFIG_KEYS = {key.name: key.help for key in KEYS.values()}
#: The keys that hold a table ([edition], [labels]; in a header block, indented lines).
TABLES = tuple(key.name for key in KEYS.values() if key.type == "table")
SINGLE_LINE = frozenset(key.name for key in KEYS.values() if key.one_line)
ROLES = {key.name: key.role for key in KEYS.values() if key.role}


def config_path(path: Path) -> Path:
    """Where the settings of the manuscript at ``path`` are: its book.toml, or
    the one file (its header block)."""
    return path / CONFIG_NAME if path.is_dir() else path


def directory_config(root: Path, edition_keys: Iterable[str] = ()) -> dict[str, object]:
    """The settings of a directory manuscript: its book.toml, if it has one."""
    toml = root / CONFIG_NAME
    return load_config(toml, root, edition_keys) if toml.exists() or toml.is_symlink() else {}


def load_config(path: Path, root: Path | None = None,
                edition_keys: Iterable[str] = ()) -> dict[str, object]:
    """Parse book.toml; a syntax error names its line, an unknown key warns
    (``edition_keys``: the [edition] keys, named when given at the top level)."""
    raw = read_input(path, [root or path.parent], "the configuration", name=path.name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(f"not valid UTF-8 at byte offset {e.start}", path) from None
    try:
        config = tomllib.loads(text)
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError("arrays or tables nested too deeply (a book needs two or three "
                          "levels)", path) from None
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"line (\d+)", str(e))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ConfigError(f"TOML syntax error: {message}", path,
                          int(found.group(1)) if found else None) from None
    _check_keys(config, path, text, edition_keys)
    return config


def _check_keys(config: Mapping[str, object], path: Path, text: str,
                edition_keys: Iterable[str] = ()) -> None:
    """Warn of each key not in ``KEYS`` (saying where an [edition] key belongs,
    or which key was meant); ``[edition]`` must be a table."""
    header = path.suffix != ".toml"
    for key in config:
        if key in edition_keys:
            LOGGER.warning("%s:%s: %r is an edition setting: put it under %s", path,
                           _line_in(text, key) or "?", key,
                           "edition: (indented below it)" if header else "[edition]")
        elif key not in KEYS and key not in MDBOOK_TABLES:
            LOGGER.warning("%s:%s: unknown key %r%s (known keys: %s)", path,
                           _line_in(text, key) or "?", key, did_you_mean(key, KEYS),
                           ", ".join(sorted(KEYS)))
    # The [edition] keys belong to the writers that read them (options.settle
    # checks them; the command line names the unknown ones).
    for table in TABLES:
        if not isinstance(config.get(table, {}), Mapping):
            raise ConfigError(f"{table} must be a table ([{table}])", path, _line_in(text, table))


def edition_lines(text: str, keys: list[str]) -> dict[str, int]:
    """The line of each ``[edition]`` key in book.toml's text."""
    table = re.search(r"^[ \t]*\[[ \t]*edition[ \t]*\]", text, re.M)
    start = table.end() if table else 0
    lines = {}
    for key in keys:
        found = (re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.M).search(text, start)
                 or re.search(rf"\b{re.escape(key)}[ \t]*[=:]", text))
        if found:
            lines[key] = text.count("\n", 0, found.start()) + 1
    return lines


def _line_in(text: str, key: str) -> int | None:
    found = re.search(rf"^[ \t]*\[?[ \t]*{re.escape(key)}[ \t]*[=\]:]", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def line_of_key(path: Path, key: str) -> int | None:
    """The line of ``key`` in the settings file ``path`` (None if not found)."""
    return _line_in(config_text(path), key)


def line_of_value(path: Path, value: str) -> int | None:
    """The first line of the settings file ``path`` where ``value`` appears."""
    text = config_text(path)
    pos = text.find(value)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def config_text(path: Path) -> str:
    """The text of the settings file ``path`` (book.toml, or the one file
    whose header block holds them), for naming a line; "" when there is none
    (the settings are the defaults)."""
    try:
        return path.read_text("utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


_HEADER_LINE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:\s*(.*)$")


def parse_header(lines: list[str] | None, path: Path,
                 edition_keys: Iterable[str] = ()) -> dict[str, object]:
    """The settings of a ``---`` header block (simple YAML: ``key: value`` and
    ``- item``), given its lines from the opening ``---`` on as the
    ``header_block`` preprocessor cut them (``None``: no header block)."""
    if lines is None:
        return {}
    config: dict[str, object] = {}
    key = None
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        inner = _HEADER_LINE.match(line.lstrip()) if line[:1] in " \t" else None
        if inner and key in TABLES and isinstance(config.get(key), dict):
            config[key][inner.group(1)] = _scalar(inner.group(2))  # type: ignore[index]
            continue
        item = re.match(r"^\s+-\s+(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item and key is not None:
            current = config.get(key)
            config[key] = (current if isinstance(current, list) else []) + [_scalar(item.group(1))]
            continue
        found = _HEADER_LINE.match(line)
        if not found:
            raise ConfigError(f"header block: cannot read {line.strip()!r} (expected key: value)",
                              path, number)
        key, value = found.group(1), found.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            config[key] = [_scalar(v) for v in value[1:-1].split(",") if v.strip()]
        elif key in TABLES and not value:  # its settings follow, indented
            config[key] = {}
        else:
            config[key] = _scalar(value) if value else []
    _check_keys(config, path, "\n".join(lines), edition_keys)
    return config


def _scalar(value: str) -> object:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def text_value(value: object, path: Path, key: str = "") -> str:
    """A setting that is text (a number or a date is written as text); an
    error names the key, if given, and ``path``."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    where = f"{key}: " if key else ""
    raise ConfigError(f"{where}expected text, got {type(value).__name__}: {value!r}"[:200], path)


# --- the settings the reader uses ----------------------------------------------


def encoding_setting(config: Mapping[str, object], root: Path) -> str | None:
    """book.toml's ``encoding`` of the chapter files (None: UTF-8 or UTF-16 with a BOM)."""
    return text_value(config.get("encoding"), root / CONFIG_NAME) or None


def title_setting(config: Mapping[str, object], path: Path) -> str:
    """The configured title ("" when none), which the heading plan compares
    with a level-1 heading."""
    return text_value(config.get("title"), config_path(path)).strip()


def chapter_files(root: Path, config: Mapping[str, object]) -> list[Path]:
    """The manuscript's .md files in reading order: book.toml's ``front``,
    then its ``chapters`` (or every other .md file of ``root`` by name,
    ``ch2.md`` before ``ch10.md``), then its ``back``."""
    listed = matter_lists(root, config)
    front = [Path(f) for f, side in listed.items() if side == "front"]
    back = [Path(f) for f, side in listed.items() if side == "back"]
    order = config.get("chapters")
    if order is None:
        files = [file for file in sorted(root.glob("*.md"), key=lambda p: _natural_key(p.name))
                 if str(file) not in listed]
        if not files and not listed:
            raise ManuscriptError("no .md files in the manuscript directory", root)
        for file in files:  # a symlink leading out, a directory or FIFO named *.md
            check_input(file, [root], "chapter file", name=file.name)
        return front + files + back
    files = _listed_files(root, order, "chapters")
    if not files:
        raise ConfigError("chapters is empty", root / CONFIG_NAME,
                          line_of_key(root / CONFIG_NAME, "chapters"))
    if twice := {str(f) for f in files} & set(listed):
        raise ConfigError(f"{Path(min(twice)).name} is in chapters and in "
                          f"{listed[min(twice)]}", root / CONFIG_NAME)
    files = front + files + back
    _warn_left_out(root, files)
    return files


def matter_lists(root: Path, config: Mapping[str, object]) -> dict[str, str]:
    """book.toml's ``front`` and ``back`` files (by path) and the side each
    lists them on.  Empty when neither is given: titles decide (``reader.matter``);
    when either is, every other file is the body."""
    listed: dict[str, str] = {}
    for side in ("front", "back"):
        for file in _listed_files(root, config.get(side, []), side):
            if str(file) in listed:
                raise ConfigError(f"{file.name} is listed twice in front and back",
                                  root / CONFIG_NAME, line_of_key(root / CONFIG_NAME, side))
            listed[str(file)] = side
    return listed


def matter_by_title(config: Mapping[str, object], path: Path) -> bool:
    """The ``matter_by_title`` setting (default true)."""
    value = config.get("matter_by_title", True)
    if not isinstance(value, bool):
        where = config_path(path)
        raise ConfigError("matter_by_title must be true or false", where,
                          line_of_key(where, "matter_by_title"))
    return value


def _listed_files(root: Path, order: object, key: str) -> list[Path]:
    """The files a list of book.toml names (``chapters``, ``front`` or ``back``), checked."""
    toml = root / CONFIG_NAME
    if not isinstance(order, list) or not all(isinstance(x, str) for x in order):
        raise ConfigError(f"{key} must be a list of file names", toml, line_of_key(toml, key))
    files = []
    for name in order:
        try:
            check_input(root / name, [root], "chapter file", name=name, where=toml,
                        line=line_of_value(toml, name) or line_of_key(toml, "chapters"))
        except InputError as e:  # a mistake in book.toml's list
            raise ConfigError(e.message) from None
        files.append(root / name)
    return files


def _warn_left_out(root: Path, files: list[Path]) -> None:
    """Warn of each .md file of ``root`` that book.toml's lists leave out."""
    toml = root / CONFIG_NAME
    listed = {file.resolve() for file in files}
    for left_out in sorted(root.glob("*.md"), key=lambda p: _natural_key(p.name)):
        if left_out.resolve() not in listed:
            LOGGER.warning("%s:%s: %s is in the manuscript folder but not in chapters; it is "
                           "left out of the book", toml, line_of_key(toml, "chapters"),
                           left_out.name)


_NUMBERS = re.compile(f"([0-9]+|[{CHINESE_NUMERAL_CHARS}]+)")


def _natural_key(name: str) -> list[object]:
    """Numbers in a file name compared as numbers, in digits or Chinese numerals:
    ``ch2.md`` before ``ch10.md``, 第二章 before 第十章 before 第十一章."""
    parts = _NUMBERS.split(name)
    return [(parse_chinese_numeral(part) if not part.isascii() else int(part)) if i % 2 else part
            for i, part in enumerate(parts)]


def chapter_level(config: Mapping[str, object], path: Path) -> int | None:
    """The ``chapter_level`` setting: a heading level from 1 to 6, or None."""
    level = config.get("chapter_level")
    if level is not None and (not isinstance(level, int) or not 1 <= level <= 6):
        raise ConfigError("chapter_level must be a number from 1 to 6", config_path(path))
    return level


def check_chapter_level(level: int | None, levels: list[int], path: Path) -> None:
    """An error when the manuscript has headings (``levels``) but none at the
    configured chapter level."""
    if level is not None and levels and level not in levels:
        where = config_path(path)
        raise ConfigError(f"chapter_level = {level}, but the manuscript has no level-{level} "
                          f"heading (it has levels {', '.join(map(str, sorted(set(levels))))})",
                          where, line_of_key(where, "chapter_level") if path.is_dir() else None)
