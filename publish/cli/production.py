"""The print shop's commands: ``publish cover`` (the full-wrap cover of a
print profile) and ``publish check`` (the preflight of what a build wrote)."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

import click

from ..files import build_time, staged
from ..log import PROGRESS, plural
from ..manifest import pdf_pages
from ..model import BuildOptions
from ..profiles import PROFILES
from ..writers import COVER, declared, write_cover
from .building import (
    build,
    check_edition_keys,
    check_label,
    command_values,
    common_options,
    encoding_help,
    out_option,
    read_book,
    version_from_ci,
    writer_options,
)
from .console import WarningCounter, check_strict, setup_logging


@click.command("cover")
@common_options
@out_option
@click.option("--version-label", default="", callback=check_label,
              help="Edition label of the file names (default: the tag of a CI tag build).")
@writer_options([COVER])
@click.option("--pages", type=click.IntRange(1, 100_000), default=None,
              help="The interior's page count (default: the PDF in OUT, else built first).")
def cover_command(manuscript: Path, out: Path, version_label: str, pages: int | None,
                  encoding: str | None, strict: bool, counter: WarningCounter,
                  **kwargs: object) -> None:
    """Write the print cover: OUT/<slug>-cover.pdf, back, spine and front on one
    page with the profile's bleed, the spine as wide as the interior is thick."""
    values = command_values([COVER], kwargs)["values"]
    book = read_book(manuscript, encoding, counter)
    check_edition_keys(book)
    check_strict(counter, strict)
    options = BuildOptions(version_label=version_label or version_from_ci(os.environ),
                           values=MappingProxyType(values),
                           built=build_time(book.manuscript or book.root, book.meta.date))
    interior = out / options.file_name(book.meta.slug, ".pdf")
    if pages is None and interior.is_file():
        pages = pdf_pages(interior)
        PROGRESS.info("Cover for %s: %s", interior, plural(pages, "page"))
    elif pages is None:
        PROGRESS.info("No %s yet: building the interior first, for its page count", interior)
        pdf_values = {o.name for o in declared("pdf")}
        build(["pdf"], [manuscript], out, encoding, strict, counter,
               version_label=options.version_label,
               values={k: v for k, v in values.items() if k in pdf_values})
        pages = pdf_pages(interior)
    with staged(out) as stage:
        path, _ = write_cover(book, stage, options, pages)
    if not counter.quiet:
        click.echo(f"Wrote {out / path.name}")


@click.command("check")
@click.argument("paths", type=click.Path(path_type=Path, exists=True), nargs=-1)
@click.option("--profile", type=click.Choice(list(PROFILES)), default=None,
              help="The print profile to check against (default: the build manifest's, "
                   "else print).")
@click.option("--manuscript", type=click.Path(path_type=Path, exists=True), default=None,
              help="The manuscript the editions were built from: each edition must hold "
                   "every Han character of its text.")
@click.option("--encoding", default=None, help=encoding_help)
def check_command(paths: tuple[Path, ...], profile: str | None, manuscript: Path | None,
                  encoding: str | None) -> None:
    """Preflight what a build wrote (PATH: an output folder or edition files;
    default dist): PDF fonts, page boxes, PDF/X, image resolution and page count
    against the print profile; EPUBCheck, cover, language and alt text; the same
    chapters in every edition.  Exit 1 when any finding is an error."""
    from .. import check as preflight  # pikepdf, read only here: the builds start without it

    counter = setup_logging(0, True)
    book = read_book(manuscript, encoding, counter) if manuscript else None
    findings = preflight.run(list(paths) or [Path("dist")], profile, book)
    for f in findings:
        click.echo(f"{f.severity:<8} {f.edition}  {f.where or '-'}  [{f.rule}]  {f.message}")
    errors = sum(f.severity == "error" for f in findings)
    click.echo(f"{plural(len(findings), 'finding')}, {plural(errors, 'error')}")
    if errors:
        raise click.exceptions.Exit(1)
