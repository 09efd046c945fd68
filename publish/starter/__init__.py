"""``publish init``: a new manuscript, ready to build.

Two chapters in the language asked for (headings, a dialogue, a footnote, a
picture, a table, code) copied from this folder, and a ``book.toml`` with
every key present: the ones a new book needs set, the others commented out,
each with what it does.  The keys and their help come from where they are
declared (the reader's table of keys, the writers' options), so the file
never lists a key the build does not read.  Writes files; prints nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import PublishError
from ..options import Option
from ..reader.configuration import CONFIG_KEYS
from ..themes import THEME_KEY
from ..typography import slugify

HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
_TITLE = {"zh-Hans": "我的书", "zh-Hant": "我的書", "en": "My Book"}
_AUTHOR = {"zh-Hans": "作者", "zh-Hant": "作者", "en": "Your Name"}
#: An example value for each key left commented out (TOML, as written).
_EXAMPLES = {
    "subtitle": '"A subtitle"',
    "authors": '["First Author", "Second Author"]',
    "translator": '"Translator"',
    "editor": '"Editor"',
    "illustrator": '"Illustrator"',
    "contributors": '[{ name = "Cover Artist", role = "ill" }]',
    "identifier": '"urn:uuid:…"',
    "isbn": '"978-7-…"',
    "publisher": '"Publisher"',
    "date": '"2026-01-01"',
    "rights": '"© 2026 Your Name"',
    "description": '"What the book is about, in a sentence or two."',
    "cover": '"images/cover.jpg"',
    "encoding": '"gb18030"',
    "chapter_level": "1",
    "front": '["preface.md"]',
    "back": '["afterword.md", "appendix.md"]',
    "matter_by_title": "false",
    "labels": '{ contents = "Table of Contents", chapter = "Chapter {n:word}" }',
    "lint": '{ off = ["mixed-quotes"], spacing = "auto" }',
    "variants": '["zh-Hant-TW", "zh-Hant-HK"]',
}


def create(folder: Path, language: str, title: str, options: Iterable[Option]) -> list[Path]:
    """Write a new manuscript into ``folder`` (absent or empty) and return the
    files written.  ``options`` are the writers' declared options."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PublishError(f"{folder}: already exists and is not an empty folder; "
                           "give a new folder's name")
    chapters = sorted((HERE / language).glob("*.md"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in chapters:
        written.append(Path(shutil.copyfile(source, folder / source.name)))
    (folder / "images").mkdir(exist_ok=True)
    for image in sorted((HERE / "images").iterdir()):
        written.append(Path(shutil.copyfile(image, folder / "images" / image.name)))
    toml = folder / "book.toml"
    toml.write_text(book_toml(language, title or _TITLE[language], slugify(folder.name, ""),
                              [c.name for c in chapters], options), encoding="utf-8")
    return [toml, *written]


def book_toml(language: str, title: str, slug: str, chapters: list[str],
              options: Iterable[Option]) -> str:
    """The text of a new book.toml: every key, set or commented out."""
    chosen = {"title": _quoted(title), "author": _quoted(_AUTHOR[language]),
              "language": _quoted(language), "slug": _quoted(slug or "book"),
              "chapters": "[" + ", ".join(_quoted(c) for c in chapters) + "]"}
    lines = ["# The settings of this book.  A line starting with # is a comment:",
             "# take the # away to use the setting.  Keys: README, \"book.toml\".", ""]
    for key, help_text in CONFIG_KEYS.items():
        if key == "edition":
            continue
        lines.append(f"# {key}: {help_text}")
        lines.append(f"{key} = {chosen[key]}" if key in chosen else
                     f"# {key} = {_EXAMPLES[key]}")
    lines += ["", "# How the editions look; a command-line flag outranks these.", "[edition]",
              f"# {THEME_KEY}: the theme, a folder of CSS (styles/NAME here, or built in)",
              f'# {THEME_KEY} = "default"']
    for option in (option for option in options if option.setting):
        lines.append(f"# {option.name}: {option.help}")
        lines.append(f"# {option.name} = {_toml_value(option)}")
    return "\n".join(lines) + "\n"


def _toml_value(option: Option) -> str:
    value = option.default if option.default is not None else option.example
    if isinstance(value, bool):
        return "true" if not value else "false"  # the commented line shows the other choice
    if isinstance(value, str):
        return _quoted(value or (option.choices[0] if option.choices else ""))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
