"""Read a manuscript into a ``Book``.

A manuscript is a directory (``book.toml`` and ``*.md`` files, in the order
``chapters`` gives or by file name) or a single ``.md`` file whose metadata
sits in a ``---`` header block.  Each file is decoded (UTF-8 with or
without BOM unless ``encoding`` says otherwise), run through Python-Markdown
with our ``NormalizeExtension``, parsed back into a sanitized tree
(``sanitize``) and turned into the model (``convert``).
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from . import model as m
from .convert import BookBuilder, SourceTree, plan_headings
from .errors import ConfigError, ManuscriptError
from .inputs import InputError, check_input, read_input
from .log import LOGGER
from .media import image_problem, sniff
from .normalize import make_markdown, markdown_tree
from .sanitize import Node
from .typography import is_han, joins_without_space, slugify

CONFIG_NAME = "book.toml"

#: Keys of book.toml (and of a header block), with what they hold.
CONFIG_KEYS = {
    "title": "the book's title",
    "subtitle": "a subtitle",
    "author": "an author, or a list of authors",
    "authors": "a list of authors",
    "translator": "a translator, or a list",
    "editor": "an editor, or a list",
    "illustrator": "an illustrator, or a list",
    "contributors": "a list of {name, role} tables (MARC relators: aut, trl, edt, ill…)",
    "language": "BCP 47 language tag, e.g. zh-Hans",
    "identifier": "ISBN or UUID (urn:uuid:…); a stable one is derived when missing",
    "isbn": "the ISBN, used as identifier",
    "publisher": "the publisher",
    "date": "publication date (YYYY-MM-DD)",
    "rights": "copyright statement",
    "description": "a short description",
    "cover": "cover image, relative to the manuscript",
    "slug": "ASCII file name stem of the editions",
    "chapters": "the chapter files, in order",
    "encoding": "text encoding of the .md files, e.g. gb18030 or big5",
    "chapter_level": "heading level of chapters (default: the shallowest below the title)",
    "edition": "a table of edition options",
}
#: Metadata that is one line of text: a line break or a control character in
#: it is normalised (white space collapsed) with a warning.
SINGLE_LINE = ("title", "subtitle", "publisher", "date", "identifier", "isbn", "slug",
               "language", "cover", "encoding")
_ROLE_KEYS = {"author": "aut", "authors": "aut", "translator": "trl", "editor": "edt",
              "illustrator": "ill"}
# Namespace for identifiers derived from title and authors (never random).
_BOOK_NAMESPACE = uuid.UUID("6f2b7c1e-2d3a-5b8e-9c4f-1a2b3c4d5e6f")


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


def decode(data: bytes, path: Path, encoding: str | None, in_toml: bool) -> str:
    """Bytes of a manuscript file to text with LF line ends.

    UTF-8 (a BOM is dropped) and UTF-16 with a BOM are read as such; any
    other encoding must be named.  An undecodable file is an error naming
    the offset of the first bad byte.
    """
    if encoding:
        try:
            found = codecs.lookup(encoding)
        except (LookupError, ValueError):
            raise ConfigError(f"unknown encoding {encoding!r}"[:120], path) from None
        if not getattr(found, "_is_text_encoding", True) or found.name == "undefined":
            raise ConfigError(f"{encoding!r} is not a text encoding (use e.g. gb18030, big5)",
                              path)
        codec = encoding
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise ManuscriptError(_decode_hint(data, e, codec, in_toml), path) from None
    except (UnicodeError, LookupError, ValueError) as e:  # a codec that decodes no text
        raise ConfigError(f"cannot decode with {encoding!r}: {e}"[:200], path) from None
    if "\x00" in text:
        offset = data.find(b"\x00")
        raise ManuscriptError(f"contains a NUL byte at byte offset {offset}; is it a text file?",
                              path)
    if not encoding and _looks_hz(text):
        where = (f'add encoding = "hz" to {CONFIG_NAME}' if in_toml else "run with --encoding hz")
        raise ManuscriptError("looks like HZ-encoded Chinese (7-bit, between ~{ and ~}), which "
                              f"would be read as ASCII gibberish; {where}", path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if (bad := _CONTROL.search(text)):
        # No edition can carry them (XML forbids them); a form feed was a page break.
        LOGGER.warning("%s:%d: %d control character(s) removed (the first is U+%04X)",
                       path, text.count("\n", 0, bad.start()) + 1, len(_CONTROL.findall(text)),
                       ord(bad.group()))
        text = _CONTROL.sub("", text.replace("\x0c", "\n\n"))
    return text


# C0 controls but tab and newline, DEL, and the two non-characters XML forbids.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


_HZ_RUN = re.compile(r"~\{([\x21-\x7e]{2})+~\}")


def _looks_hz(text: str) -> bool:
    """Runs of ASCII pairs between ~{ and ~} that decode as HZ to Han characters."""
    runs = _HZ_RUN.findall(text[:100_000])
    if not runs or not text.isascii():
        return False
    try:
        decoded = text.encode("ascii").decode("hz")
    except UnicodeDecodeError:
        return False
    return sum(is_han(ch) for ch in decoded) >= 4


def _decode_hint(data: bytes, e: UnicodeDecodeError, codec: str, in_toml: bool) -> str:
    name = "UTF-8" if codec == "utf-8-sig" else codec
    line = data.count(b"\n", 0, e.start) + 1
    message = (f"not valid {name}: bad byte 0x{data[e.start]:02x} at byte offset {e.start} "
               f"(line {line})")
    if codec != "utf-8-sig":
        return message
    fits = []
    for candidate in ("gb18030", "big5", "big5hkscs"):
        try:
            data.decode(candidate)
            fits.append(candidate)
        except UnicodeDecodeError:
            continue
    if "big5" in fits and "big5hkscs" in fits:
        fits.remove("big5hkscs")  # Big5 text is Big5-HKSCS text too; name the common one
    if fits[:1] == ["gb18030"] and len(fits) > 1 and not _looks_simplified(
            data.decode("gb18030")):
        fits.append(fits.pop(0))
    guess = fits[0] if fits else "gb18030"
    others = " or ".join(f'"{c}"' for c in fits[1:]) or '"big5"'
    where = (f'add encoding = "{guess}" (or {others}) to {CONFIG_NAME}' if in_toml
             else f"run with --encoding {guess} (or {others.replace(chr(34), '')})")
    return f"{message}; if it uses a legacy encoding, {where}"


def _looks_simplified(text: str) -> bool:
    """True when nearly every Han character is in GB2312, as in real Simplified text.

    Big5 bytes read as GB18030 decode to rare characters outside it.
    """
    han = [ch for ch in text if is_han(ch)]
    if not han:
        return True
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(han)


# --- configuration -----------------------------------------------------------


def load_config(path: Path, root: Path | None = None) -> dict[str, object]:
    """Parse book.toml; a syntax error names its line, an unknown key warns."""
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
    _check_keys(config, path, text)
    return config


def _check_keys(config: Mapping[str, object], path: Path, text: str) -> None:
    for key in config:
        if key not in CONFIG_KEYS:
            LOGGER.warning("%s:%s: unknown key %r (known keys: %s)", path,
                           _line_in(text, key) or "?", key, ", ".join(sorted(CONFIG_KEYS)))
    # The [edition] keys belong to the writers that read them (options.settle
    # checks them; the command line names the unknown ones).
    edition = config.get("edition", {})
    if not isinstance(edition, Mapping):
        raise ConfigError("edition must be a table ([edition])", path, _line_in(text, "edition"))


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


def _line_of_key(path: Path, key: str) -> int | None:
    return _line_in(_config_text(path), key)


def _line_of_value(path: Path, value: str) -> int | None:
    text = _config_text(path)
    pos = text.find(value)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _config_text(path: Path) -> str:
    """book.toml's text, for naming a line ("" when there is none: the values
    came from a header block or the defaults)."""
    try:
        return path.read_text("utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def _config_path(path: Path) -> Path:
    return path / CONFIG_NAME if path.is_dir() else path


_HEADER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def split_header(text: str, path: Path) -> tuple[dict[str, object], str]:
    """Split a ``---`` header block (simple YAML: ``key: value`` and ``- item``) from the text.

    Returns the config and the rest of the text, with the header's lines
    left blank so line numbers stay true.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, text
    config: dict[str, object] = {}
    key = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
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
        else:
            config[key] = _scalar(value) if value else []
    _check_keys(config, path, "\n".join(lines[:end]))
    return config, "\n" * (end + 1) + "\n".join(lines[end + 1:])


def _scalar(value: str) -> object:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value


# --- metadata ----------------------------------------------------------------


def _str(value: object, path: Path, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    where = f"{key}: " if key else ""
    raise ConfigError(f"{where}expected text, got {type(value).__name__}: {value!r}"[:200], path)


def _names(value: object, path: Path, key: str = "") -> list[str]:
    if value is None or value == []:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ConfigError(f"{key}: expected a name or a list of names, got {value!r}"[:200], path)


_META_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s*[\t\n\r\x0b\x0c\x85\u2028\u2029]\s*")


def clean_metadata(config: dict[str, object], path: Path) -> dict[str, object]:
    """``config`` with its metadata text cleaned (``_clean``); names are one line."""
    cleaned: dict[str, object] = {}
    for key, value in config.items():
        one_line = key in SINGLE_LINE or key in _ROLE_KEYS
        if isinstance(value, str):
            value = _clean(value, key, path, one_line)
        elif key == "edition" and isinstance(value, Mapping):
            value = {k: _clean(v, f"[edition] {k}", path, True) if isinstance(v, str) else v
                     for k, v in value.items()}
        elif isinstance(value, list):
            value = [_clean(v, key, path, one_line) if isinstance(v, str) else
                     {k: _clean(x, key, path, True) if isinstance(x, str) else x
                      for k, x in v.items()} if isinstance(v, Mapping) else v for v in value]
        cleaned[key] = value
    return cleaned


def _clean(text: str, key: str, path: Path, single_line: bool) -> str:
    """Metadata text the editions can carry: no control character (XML has
    none), and for a name or a title no line break (a title page, a file
    name and a PDF's metadata hold one line); either is removed with a
    warning naming the key."""
    cleaned = text
    if single_line and _LINE_BREAKS.search(cleaned):
        cleaned = _LINE_BREAKS.sub(  # as a soft break in the text: none between Han
            lambda b: "" if joins_without_space(b.string[b.start() - 1], b.string[b.end()])
            else " ", cleaned.strip())
        LOGGER.warning("%s: %s: line break or tab replaced by a space (it is one line of text)",
                       path, key or "value")
    if _META_CONTROL.search(cleaned):
        LOGGER.warning("%s: %s: control character(s) removed", path, key or "value")
        cleaned = _META_CONTROL.sub("", cleaned)
    return cleaned


def make_meta(config: Mapping[str, object], title_fallback: str, path: Path) -> m.Meta:
    where = _config_path(path)
    title = _str(config.get("title"), where, "title").strip() or title_fallback
    contributors: list[m.Contributor] = []
    for key, role in _ROLE_KEYS.items():
        contributors += [m.Contributor(n, role) for n in _names(config.get(key), where, key)]
    listed = config.get("contributors") or []
    line = _line_of_key(where, "contributors") if path.is_dir() else None
    if not isinstance(listed, list):
        raise ConfigError("contributors must be a list of {name, role} tables", where, line)
    for entry in listed:
        if not isinstance(entry, Mapping) or "name" not in entry:
            raise ConfigError("each contributor needs a name (and a role)", where, line)
        name = _str(entry["name"], where, "contributors").strip()
        relator = _str(entry.get("role", "aut"), where, "contributors").strip() or "aut"
        if not name:
            raise ConfigError("a contributor's name is empty", where, line)
        if not re.fullmatch(r"[a-z]{3}", relator):
            raise ConfigError(f"contributor role {relator!r}: use a MARC relator code such as "
                              "aut, trl, edt, ill", where, line)
        contributors.append(m.Contributor(name, relator))
    isbn = _str(config.get("isbn"), where, "isbn").strip()
    identifier = _str(config.get("identifier"), where, "identifier").strip()
    if not identifier:
        identifier = f"urn:isbn:{isbn}" if isbn else "urn:uuid:" + str(uuid.uuid5(
            _BOOK_NAMESPACE, title + "\n" + "\n".join(c.name for c in contributors)))
    elif _is_isbn(identifier):
        identifier = "urn:isbn:" + identifier.replace("-", "")
    elif not identifier.startswith("urn:") and _is_uuid(identifier):
        identifier = "urn:uuid:" + identifier
    edition = config.get("edition", {}) or {}
    slug = _str(config.get("slug"), where, "slug") or slugify(title, fallback="")
    if not slug:
        slug = "book-" + uuid.uuid5(_BOOK_NAMESPACE, identifier).hex[:8]
    return m.Meta(
        title=title,
        slug=slugify(slug),
        language=_language(config.get("language"), where, path),
        identifier=identifier,
        subtitle=_str(config.get("subtitle"), where, "subtitle"),
        contributors=tuple(contributors),
        publisher=_str(config.get("publisher"), where, "publisher"),
        date=_date(config.get("date"), where, path),
        rights=_str(config.get("rights"), where, "rights"),
        description=_str(config.get("description"), where, "description"),
        cover=_str(config.get("cover"), where, "cover"),
        options=MappingProxyType(dict(edition)),
        options_file=where,
        option_lines=MappingProxyType(edition_lines(_config_text(where), list(edition))),
    )


# RFC 5646's well-formed tags (language-extlang-script-region-variant-extension-private use).
_BCP47 = re.compile(r"""(?ix)
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-[a-z]{4})?
    (?:-(?:[a-z]{2}|\d{3}))?
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
    (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*
    (?:-x(?:-[a-z\d]{1,8})+)?
    |x(?:-[a-z\d]{1,8})+""")


def _language(value: object, where: Path, path: Path) -> str:
    """The book's language: a well-formed BCP 47 tag (``zh-Hans``, ``en-GB``)."""
    if value is None or value == "":
        return "zh-Hans"
    if not isinstance(value, str) or not _BCP47.fullmatch(value.strip()):
        hint = (f" (did you mean {value.replace('_', '-')!r}?)"
                if isinstance(value, str) and "_" in value else "")
        raise ConfigError(f"language {value!r} is not a BCP 47 language tag such as zh-Hans, "
                          f"zh-Hant-TW or en{hint}"[:300], where,
                          _line_of_key(where, "language") if path.is_dir() else None)
    return value.strip()


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date(value: object, where: Path, path: Path) -> str:
    """The publication date as W3CDTF (``2025``, ``2025-03``, ``2025-03-01``), which
    the EPUB's dc:date requires."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    found = _DATE.fullmatch(text)
    if found:
        year, month, day = (int(g) if g else 1 for g in found.groups())
        try:
            dt.date(year, month, day)
            if year >= 1:
                return text
        except ValueError:
            pass
    raise ConfigError(f"date {value!r} is not a date such as 2025-03-01 (or 2025-03, or "
                      "2025)"[:200], where, _line_of_key(where, "date") if path.is_dir() else None)


def _is_isbn(text: str) -> bool:
    """An ISBN-10 or ISBN-13, hyphens allowed: ``_is_isbn("978-7-111-11111-1")``."""
    digits = text.replace("-", "")
    return bool(re.fullmatch(r"\d{9}[\dX]|97[89]\d{10}", digits))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _stem_title(path: Path) -> str:
    return (path if path.is_dir() else path.with_suffix("")).resolve().name


def _check_cover(cover: str, root: Path, path: Path) -> None:
    target = check_input(root / cover, [root], "cover", "image", name=cover,
                         where=_config_path(path))
    with target.open("rb") as f:
        media = sniff(f.read(512))
    if media not in ("image/png", "image/jpeg"):
        raise ConfigError(f"cover {cover!r} is not a PNG or JPEG image", _config_path(path))
    if (problem := image_problem(target, media)):
        raise ConfigError(f"cover {cover!r}: {problem}", _config_path(path))
