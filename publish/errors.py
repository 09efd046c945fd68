"""Expected failures: ``click.ClickException`` subclasses with stable exit codes,
every one of the package's in this module.

Anything raised that is not a ``PublishError`` is a bug and shows its
traceback.  Messages name the file, and the line or byte offset when known.
``did_you_mean`` is the hint an error or warning about an unknown name
carries.  Imports nothing from the package.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

import click


class PublishError(click.ClickException):
    """Base of every expected failure; exit code 1."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class ManuscriptError(PublishError):
    """The manuscript cannot be read: missing, undecodable, empty, bad reference."""


class ConfigError(ManuscriptError):
    """``book.toml`` or a header block is malformed."""


class WriterError(PublishError):
    """An edition could not be written."""


class UsageError(PublishError):
    """A command-line value the command cannot take; exit code 2, as click's own."""

    exit_code = 2


class StrictModeError(PublishError):
    """Warnings were raised and ``--strict`` was given."""


class FontDataError(PublishError):
    """The WeasyPrint in use lacks what the deferred font data relies on."""


class FontError(PublishError):
    """A font the book needs is not installed or cannot be read."""


class InputError(ManuscriptError):
    """A file the manuscript names is outside what a build may read, or is no
    regular file, or is too large."""


class JustifyError(PublishError):
    """The WeasyPrint in use is not the one this extension was written for."""


class SpeedupError(PublishError):
    """The WeasyPrint in use lacks what these replacements rely on."""


class StyleError(PublishError):
    """The theme asked for does not exist, is incomplete, or reaches outside its folder."""


class PrintError(PublishError):
    """The print edition cannot be made as asked (trim size, glyphs, fonts, images)."""


class BuildTimeError(PublishError):
    """SOURCE_DATE_EPOCH names a time no edition can record."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'author'?)`` when a choice is close to ``word``, else ""."""
    close = difflib.get_close_matches(word.lower(), {c.lower(): c for c in choices}, n=1,
                                      cutoff=0.6)
    if not close:
        return ""
    original = {c.lower(): c for c in choices}[close[0]]
    return f" (did you mean {original!r}?)"
