"""The book laid out in units and assembled: the parallel path of the PDF writer.

A unit is a part's page or a chapter of the body (``document.Parts``).  The
units are laid out in worker processes (``parallel``), those the last build
kept taken from the cache where they fall at the same page (``unitcache``);
the front matter is laid out last, its contents' page numbers the units'
(``document.toc_folios_css``); ``merge`` joins them.  ``write_proof`` lays
out only the chapters asked for, at the pages they have in the book.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ... import model as m
from ...errors import PrintError
from ...labels import labels
from ...log import LOGGER, PROGRESS, plural
from ...pagemap import CACHE, write_page_map
from . import merge, overflow, parallel, press, weasy
from .document import toc_folios_css
from .fetch import _PrintImages
from .pagemap import page_starts, starts_map
from .unitcache import UnitCache, code_fingerprint, font_fingerprint
from .weasy import justify


@dataclass(frozen=True)
class Setup:
    """What laying the book out in units shares with the one-document path."""
    book: m.Book
    out_dir: Path
    render: object          # XHTML (, style sheets) -> WeasyPrint Document
    stylesheets: list
    css: object             # CSS text -> a WeasyPrint style sheet of the build
    job: press.Job
    written: dict           # write_pdf's options
    identifier: bytes
    images: _PrintImages
    refused: list[str]
    trim: tuple[float, float]  # the trimmed page, mm
    settings: str           # a digest of all but the units' XHTML (unitcache)
    cache: Path | None      # the build cache's folder (BuildOptions.cache)


def write_units(setup: Setup, parts, jobs: int, name: str) -> bytes:
    """The PDF of the book laid out a unit at a time in ``jobs`` processes
    (``parallel``), the units kept from the last build used again
    (``unitcache``), its front matter last, joined (``merge``)."""
    with _units(setup, parts, name) as (work, cache, keys):
        kept = _kept(cache, keys, range(len(keys)))
        laid = parallel.lay_out(work, jobs, kept)
        # What a unit not laid out now logged when it was is told again.
        retold = [item for item in laid if item is kept.get(item.index) or item.refolioed]
        for item in retold:
            parallel.retell(item)
        refolioed = sum(item.refolioed for item in laid)
        fresh = len(laid) - len(retold)
        laid = _keep(cache, keys, laid)
        front = _front(setup, parts, work, laid, cache)
        cache.prune()
        return _join(setup, front, laid, work, name, (fresh, refolioed), jobs)


@contextlib.contextmanager
def _units(setup: Setup, parts, name: str):
    """The work of laying out ``parts``' body units, the cache of the edition
    ``name`` and each unit's key; a folder for the units' PDFs while it lasts."""
    import tempfile

    root = setup.cache or setup.out_dir / CACHE
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".units-", dir=root))
    try:
        links = [parallel.ids_and_links(source) for source in parts.body]
        work = parallel.Work(
            lambda source: setup.render(parts.alone(source, dated=False)), list(parts.body),
            [frozenset(linked - own) for own, linked in links], folder, root / "fonts",
            lambda rendered: _told(setup.book, rendered, setup.refused),
            lambda rendered: rendered.write_pdf(
                finisher=_unit_finisher(setup.identifier, setup.job), **setup.written),
            setup.images.failures)
        cache = UnitCache(root / "units" / name, setup.settings)
        keys = [cache.key(parts.alone(source, dated=False), foreign,
                          Path(setup.book.root or "."))
                for source, foreign in zip(parts.body, work.foreign)]
        yield work, cache, keys
    finally:
        setup.images.close()
        shutil.rmtree(folder, ignore_errors=True)


def _kept(cache: UnitCache, keys: list[str], indices) -> dict:
    """The kept units among ``indices``, by index."""
    return {index: laid for index in indices
            if (laid := cache.get(keys[index], index)) is not None}


def _keep(cache: UnitCache, keys: list[str], laid: list) -> list:
    """``laid`` with each unit laid out now kept in the cache."""
    return [item if item.path.parent == cache.folder else cache.put(keys[item.index], item)
            for item in laid]


def write_proof(setup: Setup, parts, spec: str, jobs: int, name: str) -> bytes:
    """A PDF of the chapters ``spec`` names, their folios and running heads
    the book's: the pages before them counted from the cache, or laid out
    (and kept) when it lacks some."""
    chosen = _chosen(parts, spec)
    with _units(setup, parts, name) as (work, cache, keys):
        kept = _kept(cache, keys, range(chosen.stop))
        if missing := [i for i in range(chosen.start) if i not in kept]:
            PROGRESS.info("Counting the pages of %s before the proof (kept for the next)",
                          plural(len(missing), "chapter"))
            counted = parallel.lay_out(dataclasses.replace(
                work, sources=work.sources[:chosen.start], foreign=work.foreign[:chosen.start]),
                jobs, kept)
            kept.update({item.index: item for item in _keep(cache, keys, counted)})
        base = sum(parallel.padded(kept[i].pages) for i in range(chosen.start))
        sub = dataclasses.replace(work, sources=[work.sources[i] for i in chosen],
                                  foreign=[work.foreign[i] for i in chosen])
        shifted = {j: dataclasses.replace(kept[i], index=j) for j, i in enumerate(chosen)
                   if i in kept}
        laid = parallel.lay_out(sub, jobs, shifted, base)
        laid = [item if item.path.parent == cache.folder else
                dataclasses.replace(cache.put(keys[chosen[item.index]], item), index=item.index)
                for item in laid]
        PROGRESS.info("Proof of %s: pages %d–%d", spec, base + 1,
                      base + sum(parallel.padded(item.pages) for item in laid))
        data = merge.merge(parallel.merge_units(laid), 0, setup.identifier, work.fonts,
                           _blank_page(setup, work), first=base + 1)
        setup.images.check()
        return data


def _chosen(parts, spec: str) -> range:
    """The body units the chapters ``spec`` names (``37``, ``3-5``, an id) take."""
    chapters = [(index, chapter) for index, chapter in enumerate(parts.chapters)
                if chapter is not None]
    numbers = {number: index for index, (_, number) in chapters}
    ids = {chapter_id: index for index, (chapter_id, _) in chapters}
    first, _, last = spec.partition("-") if re.fullmatch(r"\d+-\d+", spec) else (spec, "", spec)
    found = [numbers.get(int(part)) if part.isdigit() else ids.get(part)
             for part in (first, last)]
    if None in found or found[0] > found[1]:
        raise PrintError(f"--chapters {spec}: the book's body has chapters 1 to "
                         f"{len(chapters)}; give a number, a range such as 3-5, or a "
                         "chapter's id")
    return range(found[0], found[1] + 1)


def safe(spec: str) -> str:
    """``spec`` as part of a file name."""
    return re.sub(r"[^\w.-]+", "_", spec)[:60]


def _front(setup: Setup, parts, work, laid, cache: UnitCache):
    """The front matter laid out in this process, its contents' page numbers
    those of the body units ``laid`` (kept in ``cache`` like a unit)."""
    book = setup.book
    folios = {anchor: str(offset + page + 1) for item, offset in zip(laid, _offsets(laid))
              for anchor, page in item.anchors.items()}
    front_css = toc_folios_css(labels(book.meta.language, book.meta.labels), folios)
    sheets = [*setup.stylesheets, setup.css(front_css)]
    source = parts.alone(parts.front)
    own, linked = parallel.ids_and_links(source)
    key = cache.key(source + front_css, frozenset(linked - own), Path(book.root or "."))
    if (kept := cache.get(key, -1)) is not None:
        parallel.retell(kept)
        return kept
    kept_log = parallel.Keep()
    with parallel.keeping(kept_log), weasy.units.unit(lambda pages: 0, work.fonts):
        front = parallel.unit_result(work, -1, setup.render(source, sheets),
                                     frozenset(linked - own), work.folder / "front.pdf")
    front = dataclasses.replace(front, told={**front.told, "log": kept_log.records})
    return cache.put(key, front)


def _blank_page(setup: Setup, work) -> Path:
    """A PDF of the job's blank page (the trim, the bleed, the marks), the
    page one document gets where a chapter ends on a recto."""
    width, height = setup.trim
    sheet = setup.css(press.blank_page_css(width, height, setup.job))
    path = work.folder / "blank.pdf"
    lang = setup.book.meta.language.replace('"', "")  # a tagged page has the book's language
    path.write_bytes(setup.render(f'<html lang="{lang}"><body></body></html>', [sheet]).write_pdf(
        finisher=_unit_finisher(setup.identifier, setup.job), **setup.written))
    return path


def _join(setup: Setup, front, laid, work, name: str, fresh: tuple[int, int],
          jobs: int) -> bytes:
    """Join the front matter and the body units; the page map beside it."""
    job = setup.job
    front_pages = parallel.padded(front.pages)
    total = front_pages + _offsets(laid)[-1] + laid[-1].pages
    extra = press.padded(total, job.profile) - total
    if extra:
        PROGRESS.info("%s added to fill a %d-page signature", plural(extra, "blank page"),
                      job.profile.signature)
    press.check_pages(job, total + extra, setup.trim)
    data = merge.merge(parallel.merge_units([front, *laid]), front_pages, setup.identifier,
                       work.fonts, _blank_page(setup, work), extra)
    _tell(setup, [front, *laid])
    setup.images.check()
    laid_out, refolioed = fresh
    PROGRESS.info("%s (%d front matter); %s of %d laid out%s, in %s",
                  plural(total + extra, "page"), front_pages, plural(laid_out, "chapter"),
                  len(laid), f" ({refolioed} more given new folios)" if refolioed else "",
                  plural(min(jobs, max(laid_out + refolioed, 1)), "process", "processes"))
    starts = [*front.told["starts"], *([("", 0)] * (front_pages - front.pages))]
    for item in laid:
        starts += item.told["starts"] + [("", 0)] * (parallel.padded(item.pages) - item.pages)
    starts = starts[:total] + [("", 0)] * extra
    write_page_map(setup.out_dir, starts_map(setup.book, starts, front_pages, name))
    return data


def settings(stylesheets, sheets, options: m.BuildOptions, job: press.Job) -> str:
    """A digest of what lays a unit out besides its XHTML: publish's code,
    WeasyPrint's version, the fonts installed, the options, the style sheets'
    text and the theme's files."""
    import weasyprint

    parts = [code_fingerprint(), weasyprint.__version__, font_fingerprint(), repr(job),
             repr(sorted((k, repr(v)) for k, v in options.values.items()))]
    parts += [getattr(sheet, "publish_text", "") for sheet in stylesheets]
    for theme, _ in sheets:
        for path in sorted(theme.paths):
            stat = path.stat()
            parts.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _offsets(laid) -> list[int]:
    """The body pages before each unit."""
    offsets, offset = [], 0
    for item in laid:
        offsets.append(offset)
        offset += parallel.padded(item.pages)
    return offsets


def _told(book: m.Book, rendered, refused: list[str]) -> dict:
    """In a worker: what a unit's layout tells (warnings logged as they come)."""
    overflow.check(book, rendered)
    told = {"starts": page_starts(rendered.pages), "refused": list(refused),
            "short": justify.short_lines(rendered.pages) if justify.installed() else 0}
    refused.clear()
    return told


def _tell(setup: Setup, laid) -> None:
    """What the units' layouts told, once for the book."""
    for url in dict.fromkeys(url for item in laid for url in item.told["refused"]):
        LOGGER.warning("%s: not fetched (outside the manuscript and theme)", url[:120])
    if short := sum(item.told["short"] for item in laid):
        PROGRESS.info("%s left short: spacing the characters out would have passed "
                      "a quarter em", plural(short, "line"))


def _unit_finisher(identifier: bytes, job: press.Job):
    """A unit's finisher: broadside pages turned, the bleed box (``_finisher``
    without what the join sets: page labels, the file identifier)."""
    def finisher(document, pdf) -> None:
        turn_broadsides(document, pdf)
        press.finish(pdf, job, identifier)
    return finisher


def turn_broadsides(document, pdf) -> None:
    """/Rotate 270 on each page laid out across the trim (see ``_finisher``)."""
    first = document.pages[0]
    for page, number in zip(document.pages, pdf.pages["Kids"][::3]):
        if (page.width > page.height) != (first.width > first.height):
            pdf.objects[number]["Rotate"] = 270
