"""Expected failures: ``click.ClickException`` subclasses with stable exit codes.

Anything raised that is not a ``PublishError`` is a bug and shows its
traceback.  Messages name the file, and the line or byte offset when known.
Imports nothing from the package.
"""

from __future__ import annotations

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
