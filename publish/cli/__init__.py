"""The ``publish`` command line: the only package that prints or exits.

Every build command is the same three steps: read the manuscript once,
run the writers it names from ``WRITERS``, report what was written.
Expected failures are ``PublishError``s (click prints them, exit 1); usage
errors exit 2; anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import click

from .. import __version__
from ..errors import PublishError
from ..log import plural
from ..manifest import verify_directory
from ..outline import format_outline, outline
from ..starter import LANGUAGES, create
from ..writers import WRITERS
from . import lint, production
from .building import (
    EDITION_OPTIONS,
    build,
    command_values,
    common_options,
    declared_options,
    edition_options,
    read_book,
    several_manuscripts,
    writer_options,
)
from .console import WarningCounter, check_strict
from .stack import call_with_stack_room


class _Commands(click.Group):
    """The command group; an error of the operating system while reading or
    writing (a read-only folder, a full disk, a file in the way) is one line
    naming the path and the reason, exit 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as e:
            raise PublishError(os_error_message(e)) from None


def os_error_message(e: OSError) -> str:
    """``PermissionError(13, 'Permission denied', 'out')`` -> ``out: permission denied``."""
    reason = (e.strerror or str(e) or type(e).__name__).rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    if e.filename is None:
        return f"cannot read or write: {reason}"
    where = os.fsdecode(e.filename)
    if e.filename2 is not None:
        where += f" -> {os.fsdecode(e.filename2)}"
    return f"{where}: {reason}"


@click.group(cls=_Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="publish")
def cli() -> None:
    """publish: one Markdown manuscript in; EPUB, print PDF and plain text out."""


@cli.command("txt")
@several_manuscripts
@edition_options
@writer_options(["txt"])
def txt_command(manuscript: list[Path], **kwargs: object) -> None:
    """Write the plain-text edition: OUT/<slug>.txt."""
    build(["txt"], manuscript, **command_values(["txt"], kwargs))


@cli.command("epub")
@several_manuscripts
@edition_options
@writer_options(["epub"])
def epub_command(manuscript: list[Path], **kwargs: object) -> None:
    """Write the EPUB 3 edition: OUT/<slug>.epub."""
    build(["epub"], manuscript, **command_values(["epub"], kwargs))


@cli.command("pdf")
@several_manuscripts
@edition_options
@writer_options(["pdf"])
def pdf_command(manuscript: list[Path], **kwargs: object) -> None:
    """Write the print-ready PDF: OUT/<slug>.pdf."""
    build(["pdf"], manuscript, **command_values(["pdf"], kwargs))


@cli.command("all")
@several_manuscripts
@edition_options
@writer_options(EDITION_OPTIONS)
@click.option("--clean", is_flag=True,
              help="Then remove what earlier builds of these books left in OUT under other "
                   "names (an earlier slug or version label), as their manifests list it.")
def all_command(manuscript: list[Path], **kwargs: object) -> None:
    """Write every edition of each book into OUT, with a build manifest per book
    (<slug>.manifest.json) and SHA256SUMS."""
    build(list(WRITERS), manuscript, records=True, **command_values(EDITION_OPTIONS, kwargs))


@cli.command("watch")
@common_options
@edition_options
@writer_options(EDITION_OPTIONS)
@click.option("--edition", "editions", multiple=True, type=click.Choice(list(WRITERS)),
              help="Rebuild this edition (repeat for several; default: every edition, with "
                   "the records, as publish all).")
@click.option("--clean", is_flag=True, help="As publish all --clean, after each rebuild of "
                                             "every edition.")
def watch_command(manuscript: Path, editions: tuple[str, ...], **kwargs: object) -> None:
    """Build, then rebuild whenever a chapter, book.toml, an image or the theme
    changes: the EPUB and the text first, then the PDF; one line per rebuild."""
    from . import watching  # watchfiles only when watching: no cost to the other commands
    watching.start(manuscript, editions, command_values(EDITION_OPTIONS, kwargs))


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path), default="manuscript")
@click.option("--language", type=click.Choice(LANGUAGES), default=LANGUAGES[0],
              show_default=True, help="The language of the book and of its sample chapters.")
@click.option("--title", default="", help="The book's title (default: a placeholder).")
def init_command(folder: Path, language: str, title: str) -> None:
    """Start a new book in FOLDER (default: manuscript): book.toml with every
    setting, and two sample chapters to replace with your own."""
    written = create(folder, language, title, declared_options(EDITION_OPTIONS))
    for path in written:
        click.echo(f"Wrote {path}")
    build = "publish all" + ("" if folder == Path("manuscript") else f" {folder}")
    click.echo(f"Next: edit {folder / 'book.toml'} and the chapters, then run: {build}")


@cli.command("verify")
@click.argument("directory", type=click.Path(path_type=Path), default="dist")
def verify_command(directory: Path) -> None:
    """Check a release directory: SHA256SUMS covers every file and matches, and every
    book has all its editions as its manifest describes them."""
    if not directory.is_dir():  # a missing input is a build error (1), as a manuscript's is
        raise PublishError("no such directory" if not directory.exists() else
                           "not a directory", directory)
    files, books = verify_directory(directory, [f".{name}" for name in WRITERS])
    click.echo(f"{directory}: {plural(files, 'file')} of {plural(books, 'book')} verified")


@cli.command("outline")
@several_manuscripts
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (shape in the README; a list of them for several manuscripts).")
def outline_command(manuscript: list[Path], as_json: bool, encoding: str | None, strict: bool,
                    counter: WarningCounter) -> None:
    """Show the normalized structure: parts, chapters, sections, dialogue, notes, images."""
    data = []
    for path in manuscript:
        data.append(outline(read_book(path, encoding, counter)))
        check_strict(counter, strict)
    if as_json:
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False,
                              indent=2))
        return
    for i, one in enumerate(data):
        if len(data) > 1:
            click.echo(("\n" if i else "") + f"== {manuscript[i]}")
        for line in format_outline(one):
            click.echo(line)


cli.add_command(production.cover_command)
cli.add_command(production.check_command)
cli.add_command(lint.lint_command)


def main() -> None:
    # The build makes a million short-lived objects and no reference cycles
    # worth collecting while it runs; the cyclic collector only costs time.
    gc.disable()
    call_with_stack_room(cli)
