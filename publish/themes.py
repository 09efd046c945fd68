"""Find a theme and the files it is made of.

A theme is a folder of CSS: ``base.css`` for every edition, ``epub.css`` and
``print.css``.  ``theme_dir(name, manuscript_root, trusted)`` finds it: a
name typed on the command line (``trusted``) may be any path; one written in
book.toml may only name a built-in theme or a folder inside the manuscript
tree, so a manuscript cannot make a build read files from elsewhere.  Then it
looks at ``<manuscript>/styles/<name>`` and at the themes that come with
publish (``styles/<name>`` beside the package).

``load_theme(folder, names)`` reads the theme's CSS and everything it
imports or names with ``url()`` (fonts, images), each through the input gate
and inside the theme folder, so both the EPUB (which packs them) and the PDF
(which may fetch nothing else of the theme) see the same files.

Both editions are styled by a cascade: the theme, then ``style.css`` beside
the manuscript (in its folder; for a one-file manuscript, beside the .md),
which ``book_style(root)`` reads by the same rules, its folder the
manuscript's.  Imports nothing from the package but ``errors``, ``inputs``
and ``media``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import tinycss2
from tinycss2.serializer import serialize_string_value, serialize_url

from .errors import StyleError, did_you_mean
from .inputs import check_input, read_input
from .media import sniff

#: The built-in themes: publish/_styles in an installed wheel, styles/ beside
#: the package in a checkout (their source; see pyproject.toml).
BUILTIN = next((folder for folder in (Path(__file__).resolve().parent / "_styles",
                                      Path(__file__).resolve().parent.parent / "styles")
                if folder.is_dir()), Path(__file__).resolve().parent / "_styles")
#: The [edition] key naming the theme (read by the command line, which finds
#: the folder; a name, not a value of a writer).
THEME_KEY = "theme"
REQUIRED = ("base.css",)
#: The style sheet beside the manuscript that follows the theme in both editions.
BOOK_STYLE = "style.css"
#: How deep ``@import`` may nest.
MAX_IMPORTS = 8
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
#: What a theme may name with url(), by suffix: the EPUB's core media types.
MEDIA_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml",
    ".woff2": "font/woff2", ".woff": "font/woff", ".otf": "font/otf", ".ttf": "font/ttf",
}



def theme_dir(name: str, manuscript_root: Path | None = None, trusted: bool = True) -> Path:
    """The folder of the theme ``name``.  ``trusted`` is False for a name from
    book.toml: then a path must stay inside the manuscript tree."""
    if not name.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise StyleError(f"theme {name[:80]!r}: a theme's name has no control characters")
    candidates: list[Path] = []
    pathlike = "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute()
    if pathlike:
        if trusted:
            candidates.append(Path(name))
        elif manuscript_root is None or Path(name).is_absolute():
            raise StyleError(f"theme {name!r}: in book.toml a theme is a name or a folder "
                             "inside the manuscript (give other paths with --theme)")
        else:
            candidates.append(manuscript_root / name)
    elif manuscript_root is not None:
        candidates.append(manuscript_root / "styles" / name)
    if not pathlike and _PLAIN_NAME.fullmatch(name):
        candidates.append(BUILTIN / name)
    for folder in candidates:
        if not trusted and not folder.is_relative_to(BUILTIN):
            real = folder.resolve()
            if manuscript_root is None or not real.is_relative_to(manuscript_root.resolve()):
                raise StyleError(f"theme {name!r} lies outside the manuscript (it leads to "
                                 f"{real}); give such a theme with --theme")
        if folder.is_dir() and all((folder / f).is_file() for f in REQUIRED):
            return folder
    known = sorted(p.name for p in BUILTIN.iterdir() if p.is_dir()) if BUILTIN.is_dir() else []
    if manuscript_root is not None and (manuscript_root / "styles").is_dir():
        known += sorted(p.name for p in (manuscript_root / "styles").iterdir() if p.is_dir())
    raise StyleError(f"no theme {name!r}{did_you_mean(name, known)} (themes: "
                     f"{', '.join(known) or 'none found'}; a theme is a folder with base.css)")


@dataclass(frozen=True)
class Theme:
    """A theme's files, read and checked once for every edition.

    ``css`` holds every style sheet as written, by its name in ``folder``,
    the entries first (the PDF gives the entries to WeasyPrint, which reads
    them as ``load_theme`` did); ``package`` holds every file by the name the
    EPUB gives it under ``styles/``, the style sheets' URLs rewritten to those
    names; ``paths`` are the real paths of every file, the only theme files
    the PDF may fetch.  ``owner`` names the folder in messages: "theme", or
    "manuscript" for ``book_style``."""

    css: dict[str, str]
    package: dict[str, bytes]
    paths: frozenset[Path]
    folder: Path
    owner: str = "theme"


def load_theme(folder: Path, names: tuple[str, ...] | list[str], owner: str = "theme"
               ) -> Theme:
    """Read the theme's style sheets ``names`` (those that exist) and every file
    they reach through ``@import``, ``url()`` and ``image-set()``, each through
    the input gate and inside the theme folder (``owner`` names it in messages).

    The style sheets are read with the CSS tokenizer WeasyPrint uses (tinycss2),
    so comments, strings and escapes (``u\\72l(``) are seen as a browser sees
    them.  A reference to a file outside the folder, a remote or ``file:`` URL,
    a missing file, a type no edition can carry, or an image or font whose
    bytes are not of its type is an error naming the CSS file and line.
    ``data:`` URLs and fragments (``url(#clip)``) stay.
    """
    originals: dict[str, bytes] = {}
    paths: set[Path] = set()
    found: dict[str, tuple[list, list[tuple[object, str]]]] = {}
    pending = [(name, 0) for name in names
               if (folder / name).exists() or (folder / name).is_symlink()]
    while pending:
        name, depth = pending.pop(0)
        if name in originals:
            continue
        kind = _kind(name)
        where = {"name": name, "where": folder / name, "outside": f"the {owner} folder"}
        real = check_input(folder / name, [folder], f"{owner} file", kind, **where)
        data = read_input(folder / name, [folder], f"{owner} file", kind, **where)
        if kind != "style" and (problem := _content_problem(name, data)):
            raise StyleError(f"{owner} file {name!r}: {problem}", folder / name)
        originals[name], _ = data, paths.add(real)
        if kind != "style":
            continue
        rules = tinycss2.parse_stylesheet(data.decode("utf-8", errors="replace"),
                                          skip_comments=False)
        refs = []
        for token, url in _urls(rules):
            ref = resource_name(url, name, folder, getattr(token, "source_line", None), owner)
            if ref is None:
                continue
            if ref.endswith(".css") and depth + 1 > MAX_IMPORTS:
                raise StyleError(f"@import nested more than {MAX_IMPORTS} deep", folder / name,
                                 getattr(token, "source_line", None))
            refs.append((token, ref))
            pending.append((ref, depth + 1))
        found[name] = (rules, refs)
    package = _package_names(originals, names)
    files: dict[str, bytes] = {}
    for name, data in originals.items():
        rules, refs = found.get(name, ([], []))
        if refs:
            here = posixpath.dirname(package[name])
            for token, ref in refs:
                _set_url(token, posixpath.relpath(package[ref], here or "."))
            data = tinycss2.serialize(rules).encode("utf-8")
        files[package[name]] = data
    css = {name: data.decode("utf-8", errors="replace") for name, data in originals.items()
           if _kind(name) == "style"}
    return Theme(css, files, frozenset(paths), folder, owner)


def book_style(root: Path | None) -> Theme | None:
    """``style.css`` beside the manuscript (``root`` is its folder), read as
    ``load_theme`` reads a theme, its folder the manuscript's; None when there
    is none."""
    if root is None or not ((root / BOOK_STYLE).exists() or (root / BOOK_STYLE).is_symlink()):
        return None
    return load_theme(root, (BOOK_STYLE,), "manuscript")


def theme_files(folder: Path, names: tuple[str, ...] | list[str]) -> dict[str, bytes]:
    """``load_theme(folder, names).package``."""
    return load_theme(folder, names).package


#: Names the EPUB writer gives files of its own under styles/.
RESERVED = frozenset({"fonts.css", "faces.css"})
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")


def _package_names(files: dict[str, bytes], entries: tuple[str, ...] | list[str]
                   ) -> dict[str, str]:
    """The name of each theme file in the EPUB: its own when it is a plain
    ASCII path (readers and EPUBCheck want no spaces or other characters in
    package names), else ``res/NNN.ext``."""
    names = {}
    for i, name in enumerate(files):
        plain = _SAFE_NAME.fullmatch(name) and name not in RESERVED
        names[name] = name if name in entries or plain else (
            f"res/{i:03d}{PurePosixPath(name).suffix.lower()}")
    return names


def _urls(nodes) -> list[tuple[object, str]]:
    """Every (token, URL) in parsed CSS: ``url(…)`` in either spelling, the
    string of ``@import "…"`` and the strings of ``image-set()``."""
    out: list[tuple[object, str]] = []
    stack = list(nodes)[::-1]
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "url":
            out.append((node, node.value))
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            first = next((t for t in node.prelude if t.type not in ("whitespace", "comment")),
                         None)
            if first is not None and first.type == "string":
                out.append((first, first.value))
        elif kind == "function" and node.lower_name in ("url", "image-set",
                                                        "-webkit-image-set"):
            strings = [t for t in node.arguments if t.type == "string"]
            if node.lower_name == "url":
                strings = strings[:1]
            out += [(t, t.value) for t in strings]
        children = []
        for attribute in ("prelude", "content", "arguments"):
            value = getattr(node, attribute, None)
            if isinstance(value, list):
                children += value
        stack.extend(children[::-1])
    return out


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string (line breaks made spaces):
    ``css_string('a"b') -> '"a\\"b"'``."""
    return f'"{serialize_string_value(" ".join(value.splitlines()))}"'


def _set_url(token, url: str) -> None:
    token.value = url
    if token.type == "url":
        token.representation = f"url({serialize_url(url)})"
    else:
        token.representation = f'"{serialize_string_value(url)}"'


_FONT_MAGIC = (b"wOF2", b"wOFF", b"OTTO", b"\x00\x01\x00\x00", b"true", b"ttcf")


def _content_problem(name: str, data: bytes) -> str | None:
    """Why the bytes of a theme's image or font are not what its name says."""
    if _is_font(name):
        return None if data.startswith(_FONT_MAGIC) else "not a font (WOFF2, WOFF, OTF or TTF)"
    media = sniff(data[:512])
    wanted = MEDIA_TYPES[PurePosixPath(name).suffix.lower()]
    if media != wanted:
        return f"not a {wanted.split('/')[1].upper()} image"
    return None


def _kind(name: str) -> str:
    return "style" if name.endswith(".css") else ("font" if _is_font(name) else "image")


def resource_name(url: str, css_name: str, folder: Path, line: int | None,
                  owner: str = "theme") -> str | None:
    """The theme-relative name of what ``url`` in ``css_name`` refers to, or None
    for a data URL or a fragment; an error for anything outside the theme."""
    url = url.strip()
    where = folder / css_name
    if not url or url.startswith("#") or url.lower().startswith("data:"):
        return None
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc:
        raise StyleError(f"{url[:80]!r}: a {owner} may only use files in its own folder "
                         "(nothing is fetched)", where, line)
    relative = PurePosixPath(css_name).parent / unquote(parsed.path)
    parts: list[str] = []
    for part in relative.parts:
        if part == "..":
            if not parts:
                raise StyleError(f"{url[:80]!r} lies outside the {owner} folder", where, line)
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    name = "/".join(parts)
    if PurePosixPath(name).suffix.lower() not in MEDIA_TYPES:
        raise StyleError(f"{url[:80]!r}: a {owner} may use CSS, PNG, JPEG, GIF, WebP, SVG and "
                         "WOFF2/WOFF/OTF/TTF files", where, line)
    check_input(folder / name, [folder], f"{owner} file", _kind(name), name=name, where=where,
                line=line, outside=f"the {owner} folder")
    return name


def _is_font(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in (".woff2", ".woff", ".otf", ".ttf")
