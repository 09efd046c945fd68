"""Configuration: book.toml and a one-file manuscript's header block, read
into the settings and the ``Meta`` of the book (metadata cleaned: one-line
fields are one line, no control characters; language, date and
contributors checked).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .. import model as m
from ..errors import ConfigError
from ..inputs import check_input, read_input
from ..log import LOGGER
from ..media import image_problem, sniff
from ..typography import joins_without_space, slugify

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


def parse_header(lines: list[str] | None, path: Path) -> dict[str, object]:
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
    _check_keys(config, path, "\n".join(lines))
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
