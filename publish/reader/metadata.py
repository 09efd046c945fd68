"""Metadata: a book's settings made its ``Meta``.

The settings' text is cleaned first (``clean_metadata``: a one-line field,
``configuration.SINGLE_LINE``, is one line, and no field holds a control
character); then ``make_meta`` checks the language, the date and the
contributors, and fills in what is missing (title, identifier, slug).
``configured_language`` and ``label_overrides`` check book.toml's
``language`` and ``[labels]``, which the reader needs before the book is made.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .. import model as m
from ..errors import ConfigError, did_you_mean
from ..inputs import check_input
from ..labels import NAMES, template_problem
from ..log import LOGGER
from ..media import image_problem, sniff
from ..typography import joins_without_space, slugify
from ..variants import TARGETS as VARIANTS
from ..variants import conversion
from .configuration import (
    ROLES,
    SINGLE_LINE,
    TABLES,
    config_path,
    config_text,
    edition_lines,
    line_of_key,
    text_value,
)
from .language import is_language_tag

# Namespace for identifiers derived from title and authors (never random).
_BOOK_NAMESPACE = uuid.UUID("6f2b7c1e-2d3a-5b8e-9c4f-1a2b3c4d5e6f")


_META_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s*[\t\n\r\x0b\x0c\x85\u2028\u2029]\s*")


def clean_metadata(config: dict[str, object], path: Path) -> dict[str, object]:
    """``config`` with its metadata text cleaned (``_clean``); names are one line."""
    cleaned: dict[str, object] = {}
    for key, value in config.items():
        one_line = key in SINGLE_LINE  # names are one line too
        if isinstance(value, str):
            value = _clean(value, key, path, one_line)
        elif key in TABLES and isinstance(value, Mapping):
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


def make_meta(config: Mapping[str, object], title_fallback: str, path: Path,
              language: str = "", labels: Mapping[str, str] | None = None) -> m.Meta:
    """The book's ``Meta`` from its cleaned settings (``title_fallback`` when
    no title is configured); ``path`` is the manuscript; ``language`` the
    book's (default: the configured one, else zh-Hans), ``labels`` its
    checked ``[labels]``."""
    where = config_path(path)
    title = text_value(config.get("title"), where, "title").strip() or title_fallback
    contributors = _contributors(config, where, path)
    identifier = _identifier(config, title, contributors, where)
    edition = config.get("edition", {}) or {}
    slug = text_value(config.get("slug"), where, "slug") or slugify(title, fallback="")
    if not slug:
        slug = "book-" + uuid.uuid5(_BOOK_NAMESPACE, identifier).hex[:8]
    language = language or _language(config.get("language"), where, path) or "zh-Hans"
    variants = variant_settings(config, where)
    for variant in variants:
        try:
            conversion(language, variant.language)
        except ValueError as e:
            raise ConfigError(str(e), where, line_of_key(where, "variants")) from None
    return m.Meta(
        title=title,
        slug=slugify(slug),
        language=language,
        identifier=identifier,
        subtitle=text_value(config.get("subtitle"), where, "subtitle"),
        contributors=tuple(contributors),
        publisher=text_value(config.get("publisher"), where, "publisher"),
        date=_date(config.get("date"), where, path),
        rights=text_value(config.get("rights"), where, "rights"),
        description=text_value(config.get("description"), where, "description"),
        cover=text_value(config.get("cover"), where, "cover"),
        options=MappingProxyType(dict(edition)),
        options_file=where,
        option_lines=MappingProxyType(edition_lines(config_text(where), list(edition))),
        labels=MappingProxyType(dict(labels or {})),
        variants=variants,
    )


#: What a [variants.<tag>] table may set.
_VARIANT_KEYS = ("title", "subtitle", "publisher", "isbn", "description", "replace")


def variant_settings(config: Mapping[str, object], where: Path) -> tuple[m.Variant, ...]:
    """book.toml's ``variants``: a list of tags (``["zh-Hant-TW"]``) or a
    table of them, each a table of what the variant sets instead of the
    converted text; a ConfigError naming the line for anything else."""
    given = config.get("variants")
    if given is None:
        return ()
    line = line_of_key(where, "variants") if where.suffix == ".toml" else None
    if isinstance(given, list) and all(isinstance(tag, str) for tag in given):
        tables: Mapping[str, object] = {tag: {} for tag in given}
    elif isinstance(given, Mapping):
        tables = given
    else:
        raise ConfigError(f"variants must be a list of language tags (variants = "
                          f'["zh-Hant-TW"]) or tables ([variants.zh-Hant-TW]), not {given!r}'
                          [:300], where, line)
    out = []
    for tag, table in tables.items():
        if tag not in VARIANTS:
            raise ConfigError(f"variant {tag!r}: publish makes {', '.join(VARIANTS)}", where,
                              line_of_key(where, tag) or line)
        if not isinstance(table, Mapping):
            raise ConfigError(f"[variants.{tag}] must be a table, not {table!r}"[:300], where,
                              line_of_key(where, tag) or line)
        if unknown := sorted(set(table) - set(_VARIANT_KEYS)):
            raise ConfigError(f"[variants.{tag}] may set {', '.join(_VARIANT_KEYS)}, not "
                              f"{', '.join(unknown)}{did_you_mean(unknown[0], _VARIANT_KEYS)}",
                              where, line_of_key(where, unknown[0]) or line)
        replace = table.get("replace", {})
        if not isinstance(replace, Mapping) or not all(
                isinstance(v, str) and k for k, v in replace.items()):
            raise ConfigError(f"[variants.{tag}] replace must be a table of words, "
                              f'"wrong" = "right", not {replace!r}'[:300], where,
                              line_of_key(where, "replace") or line)
        if (isbn := text_value(table.get("isbn"), where, "isbn").strip()) and \
                (problem := isbn_problem(isbn)):
            raise ConfigError(f"[variants.{tag}] isbn {isbn!r} is not a valid ISBN: {problem}",
                              where, line_of_key(where, "isbn") or line)
        out.append(m.Variant(tag, *(text_value(table.get(key), where, key).strip()
                                    for key in ("title", "subtitle", "publisher")),
                             isbn, text_value(table.get("description"), where, "description"),
                             tuple(replace.items())))
    return tuple(out)


def configured_language(config: Mapping[str, object], path: Path) -> str:
    """book.toml's ``language``, checked ("" when it has none)."""
    return _language(config.get("language"), config_path(path), path)


def label_overrides(config: Mapping[str, object], path: Path) -> dict[str, str]:
    """book.toml's ``[labels]``: each a label's name (``contents``, ``row.title``;
    an unknown one is warned of and left out) and its text, whose fields must
    be the label's (an error otherwise)."""
    where = config_path(path)
    given = config.get("labels") or {}
    out: dict[str, str] = {}
    for name, value in _flatten(given if isinstance(given, Mapping) else {}).items():
        line = line_of_key(where, name) or line_of_key(where, name.rsplit(".", 1)[-1])
        if name not in NAMES:
            LOGGER.warning("%s:%s: unknown label %r%s (labels: %s)", where, line or "?", name,
                           did_you_mean(name, NAMES), ", ".join(sorted(NAMES)))
            continue
        if not isinstance(value, str):
            raise ConfigError(f"[labels] {name} must be text, not {value!r}"[:200], where, line)
        if (problem := template_problem(name, value)):
            raise ConfigError(f"[labels] {name} = {value!r}: {problem}"[:300], where, line)
        out[name] = value
    return out


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """TOML's dotted keys read back as names: ``{"row": {"title": "T"}}`` -> ``{"row.title": "T"}``."""
    out: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _contributors(config: Mapping[str, object], where: Path, path: Path) -> list[m.Contributor]:
    """The names of the contributor keys (``ROLES``: author, translator…),
    then the ``contributors`` tables, each with its MARC relator."""
    contributors: list[m.Contributor] = []
    for key, role in ROLES.items():
        contributors += [m.Contributor(n, role) for n in _names(config.get(key), where, key)]
    listed = config.get("contributors") or []
    line = line_of_key(where, "contributors") if path.is_dir() else None
    if not isinstance(listed, list):
        raise ConfigError("contributors must be a list of {name, role} tables", where, line)
    for entry in listed:
        if not isinstance(entry, Mapping) or "name" not in entry:
            raise ConfigError("each contributor needs a name (and a role)", where, line)
        name = text_value(entry["name"], where, "contributors").strip()
        relator = text_value(entry.get("role", "aut"), where, "contributors").strip() or "aut"
        if not name:
            raise ConfigError("a contributor's name is empty", where, line)
        if not re.fullmatch(r"[a-z]{3}", relator):
            raise ConfigError(f"contributor role {relator!r}: use a MARC relator code such as "
                              "aut, trl, edt, ill", where, line)
        contributors.append(m.Contributor(name, relator))
    return contributors


def _names(value: object, path: Path, key: str = "") -> list[str]:
    """A contributor key's names: one name or a list of them."""
    if value is None or value == []:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ConfigError(f"{key}: expected a name or a list of names, got {value!r}"[:200], path)


def _identifier(config: Mapping[str, object], title: str,
                contributors: list[m.Contributor], where: Path) -> str:
    """The book's identifier as a URN: the configured one (an ISBN or a UUID
    given bare gets its prefix), else the ISBN, else a UUID derived from the
    title and the contributors (stable from build to build)."""
    isbn = text_value(config.get("isbn"), where, "isbn").strip()
    identifier = text_value(config.get("identifier"), where, "identifier").strip()
    for key, value in (("isbn", isbn), ("identifier", identifier.removeprefix("urn:isbn:"))):
        if value and (key == "isbn" or _is_isbn(value) or identifier.startswith("urn:isbn:")) \
                and (problem := isbn_problem(value)):
            raise ConfigError(f"{key} {value!r} is not a valid ISBN: {problem}", where,
                              line_of_key(where, key) if where.suffix == ".toml" else None)
    if not identifier:
        identifier = f"urn:isbn:{isbn}" if isbn else "urn:uuid:" + str(uuid.uuid5(
            _BOOK_NAMESPACE, title + "\n" + "\n".join(c.name for c in contributors)))
    elif _is_isbn(identifier):
        identifier = "urn:isbn:" + identifier.replace("-", "")
    elif not identifier.startswith("urn:") and _is_uuid(identifier):
        identifier = "urn:uuid:" + identifier
    return identifier


def _language(value: object, where: Path, path: Path) -> str:
    """The book's language: a well-formed BCP 47 tag (``zh-Hans``, ``en-GB``);
    "" when none is given."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not is_language_tag(value.strip()):
        hint = (f" (did you mean {value.replace('_', '-')!r}?)"
                if isinstance(value, str) and "_" in value else
                f" (did you mean {_LANGUAGE_NAMES[value.strip().lower()]!r}?)"
                if isinstance(value, str) and value.strip().lower() in _LANGUAGE_NAMES else "")
        raise ConfigError(f"language {value!r} is not a BCP 47 language tag such as zh-Hans, "
                          f"zh-Hant-TW or en{hint}"[:300], where,
                          line_of_key(where, "language") if path.is_dir() else None)
    return value.strip()


#: What authors write for a language instead of its tag.
_LANGUAGE_NAMES = {"chinese": "zh-Hans", "simplified chinese": "zh-Hans", "中文": "zh-Hans",
                   "简体中文": "zh-Hans", "traditional chinese": "zh-Hant", "繁體中文": "zh-Hant",
                   "english": "en", "英文": "en", "japanese": "ja", "korean": "ko"}


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
                      "2025)"[:200], where, line_of_key(where, "date") if path.is_dir() else None)


def _is_isbn(text: str) -> bool:
    """Shaped as an ISBN-10 or ISBN-13, hyphens or spaces allowed (its check
    digit is ``isbn_problem``'s business)."""
    digits = re.sub(r"[-\s]", "", text)
    return bool(re.fullmatch(r"\d{9}[\dXx]|97[89]\d{10}", digits))


def isbn_problem(text: str) -> str | None:
    """Why ``text`` is not an ISBN, or None: ISBN-13's check digit weights the
    digits 1, 3, 1, 3…; ISBN-10's weights them 10 down to 1, modulo 11 (X is 10)."""
    digits = re.sub(r"[-\s]", "", text).upper()
    if not _is_isbn(digits):
        return "an ISBN has 13 digits (978… or 979…) or 10 (the last may be X)"
    if len(digits) == 13:
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
        expected = (10 - sum(int(d) * (3 if i % 2 else 1)
                             for i, d in enumerate(digits[:12])) % 10) % 10
        return None if total % 10 == 0 else f"its check digit should be {expected}"
    total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
    if "X" in digits[:9]:
        return "only an ISBN-10's last character may be X"
    expected = (11 - sum((10 - i) * int(d) for i, d in enumerate(digits[:9])) % 11) % 11
    return None if total % 11 == 0 else \
        f"its check digit should be {'X' if expected == 10 else expected}"


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def stem_title(path: Path) -> str:
    """The title of a book that has none: its directory's or file's name."""
    return (path if path.is_dir() else path.with_suffix("")).resolve().name


def check_cover(cover: str, root: Path, path: Path) -> None:
    """An error unless the configured ``cover`` (relative to ``root``) is a PNG
    or JPEG image a build may read and an edition can hold."""
    if not cover:
        return
    where = config_path(path)
    target = check_input(root / cover, [root], "cover", "image", name=cover, where=where)
    with target.open("rb") as f:
        media = sniff(f.read(512))
    if media not in ("image/png", "image/jpeg"):
        raise ConfigError(f"cover {cover!r} is not a PNG or JPEG image", where)
    if (problem := image_problem(target, media)):
        raise ConfigError(f"cover {cover!r}: {problem}", where)
