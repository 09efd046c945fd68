"""Find a theme and the files it is made of.

A theme is a folder of CSS: ``base.css`` for every edition, ``epub.css`` and
``print.css``.  ``theme_dir(name, manuscript_root, trusted)`` finds it: a
name typed on the command line (``trusted``) may be any path; one written in
book.toml may only name a built-in theme or a folder inside the manuscript
tree, so a manuscript cannot make a build read files from elsewhere.  Then it
looks at ``<manuscript>/styles/<name>`` and at the themes that come with
publish (``styles/<name>`` beside the package).

``theme_files(folder, names)`` reads the theme's CSS and everything it
imports or names with ``url()`` (fonts, images), each through the input gate
and inside the theme folder, so both the EPUB (which packs them) and the PDF
see the same files.  Imports nothing from the package but ``errors`` and
``inputs``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from .errors import PublishError
from .inputs import check_input, read_input

BUILTIN = Path(__file__).resolve().parent.parent / "styles"
REQUIRED = ("base.css",)
#: How deep ``@import`` may nest.
MAX_IMPORTS = 8
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_URL = re.compile(r"""@import\s+(?:url\(\s*)?(["']?)([^"')\s;]+)\1|url\(\s*(["']?)([^"')]+)\3\s*\)""",
                  re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
#: What a theme may name with url(), by suffix: the EPUB's core media types.
MEDIA_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml",
    ".woff2": "font/woff2", ".woff": "font/woff", ".otf": "font/otf", ".ttf": "font/ttf",
}


class StyleError(PublishError):
    """The theme asked for does not exist, is incomplete, or reaches outside its folder."""


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
    raise StyleError(f"no theme {name!r} (themes: {', '.join(known) or 'none found'}; "
                     "a theme is a folder with base.css)")


def theme_files(folder: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    """The theme's CSS files ``names`` that exist and every file they reach
    through ``@import`` and ``url()``, by their path relative to the theme
    folder (``"base.css"``, ``"fonts/a.woff2"``).

    A reference to a file outside the folder, a remote or ``file:`` URL, a
    missing file or a type no edition can carry is an error naming the CSS
    file and line.  ``data:`` URLs and fragments (``url(#clip)``) stay.
    """
    found: dict[str, bytes] = {}
    pending = [(name, 0) for name in names
               if (folder / name).exists() or (folder / name).is_symlink()]
    while pending:
        name, depth = pending.pop(0)
        if name in found:
            continue
        kind = "style" if name.endswith(".css") else ("font" if _is_font(name) else "image")
        data = read_input(folder / name, [folder], "theme file", kind, name=name,
                          where=folder / name, outside="the theme folder")
        found[name] = data
        if not name.endswith(".css"):
            continue
        text = _COMMENT.sub(lambda c: "\n" * c.group().count("\n"),
                            data.decode("utf-8", errors="replace"))
        for target, line in references(text):
            ref = resource_name(target, name, folder, line)
            if ref is None:
                continue
            if ref.endswith(".css") and depth + 1 > MAX_IMPORTS:
                raise StyleError(f"@import nested more than {MAX_IMPORTS} deep", folder / name,
                                 line)
            pending.append((ref, depth + 1))
    return found


def references(css: str) -> list[tuple[str, int]]:
    """The URLs a style sheet imports or names, with their lines."""
    return [(m.group(2) or m.group(4), css.count("\n", 0, m.start()) + 1)
            for m in _URL.finditer(css)]


def resource_name(url: str, css_name: str, folder: Path, line: int) -> str | None:
    """The theme-relative name of what ``url`` in ``css_name`` refers to, or None
    for a data URL or a fragment; an error for anything outside the theme."""
    url = url.strip()
    where = folder / css_name
    if not url or url.startswith("#") or url.lower().startswith("data:"):
        return None
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc:
        raise StyleError(f"{url[:80]!r}: a theme may only use files in its own folder "
                         "(nothing is fetched)", where, line)
    relative = PurePosixPath(css_name).parent / unquote(parsed.path)
    parts: list[str] = []
    for part in relative.parts:
        if part == "..":
            if not parts:
                raise StyleError(f"{url[:80]!r} lies outside the theme folder", where, line)
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    name = "/".join(parts)
    if PurePosixPath(name).suffix.lower() not in MEDIA_TYPES:
        raise StyleError(f"{url[:80]!r}: a theme may use CSS, PNG, JPEG, GIF, WebP, SVG and "
                         "WOFF2/WOFF/OTF/TTF files", where, line)
    check_input(folder / name, [folder], "theme file", name=name, where=where, line=line,
                kind="style" if name.endswith(".css") else
                ("font" if _is_font(name) else "image"), outside="the theme folder")
    return name


def _is_font(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in (".woff2", ".woff", ".otf", ".ttf")
