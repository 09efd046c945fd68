"""Find a theme: a folder of CSS (base.css for every edition, epub.css, print.css).

``theme_dir(name, manuscript_root)`` looks, in order, at ``name`` as a
path, at ``<manuscript>/styles/<name>``, and at the themes that come with
publish (``styles/<name>`` beside the package).  Imports nothing from the
package but ``errors``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import PublishError

BUILTIN = Path(__file__).resolve().parent.parent / "styles"
REQUIRED = ("base.css",)


class StyleError(PublishError):
    """The theme asked for does not exist or is incomplete."""


def theme_dir(name: str, manuscript_root: Path | None = None) -> Path:
    candidates = [Path(name)] if ("/" in name or name.startswith(".")) else []
    if manuscript_root is not None:
        candidates.append(manuscript_root / "styles" / name)
    candidates.append(BUILTIN / name)
    for folder in candidates:
        if folder.is_dir() and all((folder / f).is_file() for f in REQUIRED):
            return folder
    known = sorted(p.name for p in BUILTIN.iterdir() if p.is_dir()) if BUILTIN.is_dir() else []
    raise StyleError(f"no theme {name!r} (themes: {', '.join(known) or 'none found'}; "
                     "a theme is a folder with base.css)")
