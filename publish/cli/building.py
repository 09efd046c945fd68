"""How the build commands read a manuscript and write its editions: the
options every command takes, the writers' flags from their declarations,
and ``build`` (read once, run the writers, write the records)."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import click

from ..errors import ConfigError, UsageError, did_you_mean
from ..files import build_time, staged
from ..log import LOGGER, PROGRESS, plural
from ..manifest import CHECKSUMS, earlier_editions, pdf_pages, write_checksums, write_manifest
from ..model import Book, BuildOptions, Variant, plain_text, walk_blocks, walk_sections
from ..options import Option, settle
from ..pagemap import CACHE, read_page_map
from ..reader import read
from ..themes import THEME_KEY, theme_dir
from ..variants import TARGETS, conversion, variant_book
from ..writers import COVER, WRITERS, cover_wanted, declared, write_cover
from .console import WarningCounter, check_strict, setup_logging

manuscript_help = "The manuscript: a directory with book.toml and .md files, or one .md file."
out_help = "Directory the editions are written to."
strict_help = "Treat warnings about the input as errors (exit 1, nothing written)."
encoding_help = "Text encoding of the manuscript files (e.g. gb18030, big5); default UTF-8."
VERSION_TAG = re.compile(r"v\d+(\.\d+){0,2}([-+][0-9A-Za-z][0-9A-Za-z.-]*)?")
LABEL = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]*")
#: Whose options book.toml's [edition] may hold: the writers' and the cover's.
EDITION_OPTIONS = [*WRITERS, COVER]


def common_options(func: Callable, several: bool = False) -> Callable:
    """The manuscript argument(s) and the options every command takes."""
    @click.argument("manuscript", type=click.Path(path_type=Path), nargs=-1 if several else 1,
                    required=False, metavar="[MANUSCRIPT]..." if several else "[MANUSCRIPT]")
    @click.option("--encoding", default=None, help=encoding_help)
    @click.option("--strict", is_flag=True, help=strict_help)
    @click.option("-v", "--verbose", count=True, help="Show more detail.")
    @click.option("-q", "--quiet", is_flag=True, help="Show only errors.")
    @functools.wraps(func)
    def wrapper(manuscript: Path | tuple[Path, ...] | None, encoding: str | None, strict: bool,
                verbose: int, quiet: bool, **kwargs: object) -> None:
        counter = setup_logging(verbose, quiet)
        if several:
            manuscript = list(manuscript or ()) or [Path("manuscript")]
        func(manuscript=manuscript or Path("manuscript"), encoding=encoding, strict=strict,
             counter=counter, **kwargs)
    return wrapper


def several_manuscripts(func: Callable) -> Callable:
    return common_options(func, several=True)


def out_option(func: Callable) -> Callable:
    return click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False),
                        default="dist", show_default=True, help=out_help)(func)


def build(formats: list[str], manuscript: list[Path], out: Path, encoding: str | None,
          strict: bool, counter: WarningCounter, theme: str | None = None,
          records: bool = False, version_label: str = "",
          values: Mapping[str, object] | None = None, clean: bool = False,
          variant: tuple[str, ...] = ()) -> Built:
    """Read each manuscript and write the editions ``formats`` name into ``out``,
    for the book and each of its variants (``variant``: these only); with
    ``records``, a build manifest for each book and one SHA256SUMS."""
    start = time.monotonic()
    version_label = version_label or version_from_ci(os.environ)
    books = []
    for path in manuscript:
        book = read_book(path, encoding, counter)
        check_edition_keys(book)
        for name in EDITION_OPTIONS:  # every value checked before anything is written, book.toml's
            settle(declared(name), values or {} if name in formats else {},  # for every edition
                   book.meta.options, book.meta.options_file, book.meta.option_lines)
        check_strict(counter, strict)
        books.append(book)
    slugs = [book.meta.slug for book in books]
    if len(set(slugs)) < len(slugs):
        twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        raise ConfigError(f"two manuscripts have the slug {twice[0]!r}: their editions "
                          "would overwrite each other (set slug in book.toml)")
    if (values or {}).get("proof") and formats != ["pdf"]:
        raise UsageError("--chapter makes a proof of some chapters, not an edition: give it "
                         "to publish pdf")
    written: list[str] = []
    built = Built()
    with staged(out, last=(CHECKSUMS,)) as stage:
        for book in books:
            if theme:  # typed by the user: any folder
                folder = theme_dir(theme, book.root)
            else:      # named by the manuscript: a built-in theme or one inside it
                named = book.meta.options.get(THEME_KEY) or "default"
                if not isinstance(named, str):
                    raise ConfigError(f"[edition] {THEME_KEY} must be text in quotes, not "
                                      f"{named!r}"[:200], book.meta.options_file,
                                      book.meta.option_lines.get(THEME_KEY))
                folder = theme_dir(named, book.root, trusted=False)
            built.themes.append(folder)
            build_options = BuildOptions(theme_dir=folder, version_label=version_label,
                                         values=MappingProxyType(dict(values or {})),
                                         cache=out / CACHE,
                                         built=build_time(book.manuscript or book.root,
                                                          book.meta.date))
            editions, cover = [], None
            for edition, options in editions_of(book, build_options, variant):
                done: dict[str, Path] = {}
                for i, name in enumerate(run_order(formats), 1):
                    PROGRESS.info("Step %d/%d - Writing %s%s", i, len(formats), name,
                                  f" ({options.variant})" if options.variant else "")
                    began = time.monotonic()
                    if name == "epub" and "pdf" in done:  # the print edition's page list
                        options = dataclasses.replace(options, page_map=read_page_map(
                            stage, done["pdf"].name))
                    done[name] = WRITERS[name](edition, stage, options)
                    built.seconds[done[name].name] = time.monotonic() - began
                    PROGRESS.debug("  %s written in %.2f s (%s bytes)", name,
                                   time.monotonic() - began, f"{done[name].stat().st_size:,}")
                    check_strict(counter, strict)
                editions += [done[name] for name in formats]
                if records and "pdf" in formats and cover_wanted(edition, options):
                    interior = stage / options.file_name(edition.meta.slug, ".pdf")
                    path, measures = write_cover(edition, stage, options, pdf_pages(interior))
                    editions.append(path)
                    cover = cover or measures
            if records:
                editions.append(write_records(book, formats, editions, stage, build_options,
                                              values, cover))
            written += [path.name for path in editions]
        if records:
            written.append(write_checksums(stage, [stage / name for name in written]).name)
    if clean:  # after the build put its files in place: a failed build removes nothing
        for book in books:
            for path in earlier_editions(out, book, set(written)):
                path.unlink()
                PROGRESS.info("Removed %s (an earlier build of %s)", path, book.meta.slug)
    if not counter.quiet:
        for name in written:
            click.echo(f"Wrote {out / name}")
    PROGRESS.info("Done in %.2f s", time.monotonic() - start)
    built.files = written
    return built


@dataclasses.dataclass
class Built:
    """What ``build`` wrote: the file names (in ``out``), each edition's
    writing time in seconds, and the theme folders the books were set in."""

    files: list[str] = dataclasses.field(default_factory=list)
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)
    themes: list[Path] = dataclasses.field(default_factory=list)


def run_order(formats: list[str]) -> list[str]:
    """The writers in the order they run: the PDF before the EPUB, which takes
    its page list from the PDF's pages (``publish.pagemap``)."""
    if "pdf" in formats and "epub" in formats:
        return sorted(formats, key=lambda name: name != "pdf")
    return list(formats)


def editions_of(book: Book, options: BuildOptions,
                chosen: tuple[str, ...] = ()) -> Iterator[tuple[Book, BuildOptions]]:
    """The book and each of its variants (book.toml's ``variants``; only the
    ``chosen`` ones when given), each with the options it is written with."""
    settings = {v.language: v for v in book.meta.variants}
    for tag in chosen or ("", *settings):
        if not tag:
            yield book, options
            continue
        try:
            same = conversion(book.meta.language, tag) is None
        except ValueError as e:
            raise ConfigError(str(e)) from None
        if same:  # the book is written in it
            PROGRESS.info("%s is written in %s: the variant is the book", book.meta.slug, tag)
            yield book, options
            continue
        began = time.monotonic()
        edition = variant_book(book, settings.get(tag) or Variant(tag))
        PROGRESS.info("Variant %s: converted in %.2f s", tag, time.monotonic() - began)
        yield edition, dataclasses.replace(options, variant=tag)


def write_records(book: Book, formats: list[str], editions: list[Path], stage: Path,
                  build_options: BuildOptions, values: Mapping[str, object] | None,
                  cover: Mapping[str, object] | None) -> Path:
    """The build manifest of what ``publish all`` wrote for a book: its
    editions (every variant's), the print cover's measures, and the profile
    and the options that changed it, which ``publish check`` reads."""
    profile = None
    if "pdf" in formats:
        options = declared("pdf")
        settled = settle(options, values or {}, book.meta.options)
        defaults = {option.name: option.default for option in options}
        profile = {key: settled[key] for key in ("profile", "pdfx", "bleed", "paper")
                   if settled.get(key) and (key == "profile" or settled[key] != defaults[key])}
    return write_manifest(book, editions, stage, build_options, cover, profile)


def read_book(path: Path, encoding: str | None, counter: WarningCounter) -> Book:
    """Read one manuscript; its warnings come out once each, in source order."""
    began = time.monotonic()
    books: list[Book] = []
    with counter.held(lambda: [source.path for book in books for source in book.sources]):
        books.append(read(path, encoding=encoding, edition_keys={
            option.name for option in declared_options(EDITION_OPTIONS)} | {THEME_KEY}))
    book = books[0]
    PROGRESS.info("Read %s: %s in %.2f s", path, plural(len(book.chapters), "chapter"),
                  time.monotonic() - began)
    for chapter in book.chapters:
        PROGRESS.debug("  %s %s: %s, %s", chapter.id, plain_text(chapter.title)[:40],
                       plural(sum(1 for _ in walk_blocks(chapter.blocks)) + sum(
                           1 for s in walk_sections(chapter.sections)
                           for _ in walk_blocks(s.blocks)), "block"),
                       plural(len(chapter.notes), "note"))
    return book


def check_edition_keys(book: Book) -> None:
    """A warning for each [edition] key no writer (and no theme) reads."""
    known = {option.name for option in declared_options(EDITION_OPTIONS)
             if option.setting} | {THEME_KEY}
    for key in book.meta.options:
        if key not in known:
            LOGGER.warning("%s:%s: unknown key %r in [edition]%s (known keys: %s)",
                           book.meta.options_file, book.meta.option_lines.get(key, "?"), key,
                           did_you_mean(key, known), ", ".join(sorted(known)))


def version_from_ci(environ: Mapping[str, str]) -> str:
    """The version label a CI tag build asks for: ``v1.2.0`` -> ``1.2.0`` ("" when
    not building a tag).  A tag that is not a version is an error."""
    if environ.get("GITHUB_REF_TYPE") != "tag":
        return ""
    tag = environ.get("GITHUB_REF_NAME", "")
    if not VERSION_TAG.fullmatch(tag):
        raise ConfigError(f"tag {tag!r} is not a version (v1.2.3, v1.2.3-rc.1): "
                          "the editions would carry it in their names")
    return tag[1:]


def check_label(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value and not LABEL.fullmatch(value):
        raise click.BadParameter(f"{value!r}: use letters, digits and . + _ - "
                                 "(it becomes part of the file names)")
    return value


def edition_options(func: Callable) -> Callable:
    """Options of every edition: output folder, theme, version label."""
    func = click.option("--theme", default=None,
                        help="Theme: a folder under styles/ (default: book.toml's, else "
                             "'default'), or a path.")(func)
    func = click.option("--variant", multiple=True, type=click.Choice(list(TARGETS)),
                        help="Build this edition in another Chinese script (repeat for "
                             "several): converted with OpenCC, file names <slug>.<variant>.epub "
                             "(default: the book and book.toml's variants).")(func)
    func = click.option("--version-label", default="", callback=check_label,
                        help="Edition label for the copyright page and file names (default: "
                             "the tag of a CI tag build, v1.2.0 -> 1.2.0).")(func)
    return out_option(func)


def writer_options(formats: list[str]) -> Callable[[Callable], Callable]:
    """The flags of the options the writers ``formats`` declare (each once),
    from their declarations: a flag left out defers to book.toml, then the
    declared default."""
    def decorate(func: Callable) -> Callable:
        for option in reversed(declared_options(formats)):
            if option.kind is bool:
                flag = f"{option.flag_name}/--no-{option.flag_name[2:]}"
                func = click.option(flag, option.name, default=None, help=option.help)(func)
                continue
            kind = (click.Choice(option.choices) if option.choices else
                    {str: click.STRING, int: click.INT, float: click.FLOAT}[option.kind])
            shown = f" [default: {option.default}]" if option.default not in ("", None) else ""
            func = click.option(option.flag_name, *option.aliases, option.name, type=kind,
                                default=None, help=option.help + shown)(func)
            if option.shorthand:  # --vertical: the same value as --writing-mode vertical-rl
                short, value = option.shorthand
                func = click.option(f"--{short}", option.name, flag_value=value, default=None,
                                    help=f"Short for {option.flag_name} {value}.")(func)
        return func
    return decorate


def declared_options(formats: list[str]) -> list[Option]:
    """The options the writers ``formats`` read, each once, in their order."""
    seen: dict[str, Option] = {}
    for name in formats:
        for option in declared(name):
            seen.setdefault(option.name, option)
    return list(seen.values())


def command_values(formats: list[str], kwargs: dict[str, object]) -> dict[str, object]:
    """Command-line values as _build's keywords: the writers' options (those
    given) gathered in ``values``."""
    names = {option.name for option in declared_options(formats)}
    values = {name: kwargs.pop(name) for name in list(kwargs) if name in names}
    kwargs["values"] = {name: value for name, value in values.items() if value is not None}
    return kwargs
