"""Write the EPUB 3 edition: ``dist/<slug>.epub``.

Content documents come from ``xhtml`` (one file per chapter, plus cover,
title page, copyright page and front matter); ebooklib writes the package
document, the navigation document (nested TOC, landmarks) and the NCX.
Each content document is typed as front matter, body or back matter
(``epub:type`` on its body), and the landmarks' ``bodymatter`` is the
first chapter (or part) of the body, not a preface.
The archive is written with fixed timestamps taken from
``SOURCE_DATE_EPOCH`` (``mimetype`` first and stored), so two builds of the
same book are byte-identical.  Never imports WeasyPrint.

Every document is styled by the theme's base.css and epub.css, then the
manuscript's style.css if it has one (packed under ``styles/book/`` with
what it names), then the faces book.toml chooses.

``cover`` draws the cover when the book names no image; ``accessibility``
writes the EPUB Accessibility 1.1 metadata; ``vertical`` makes the vertical
book (``writing_mode``), its style sheet after the theme's.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from ebooklib import epub

from ... import model as m
from ...errors import FontError, WriterError
from ...files import atomic_write, build_time
from ...fontcss import font_css
from ...fonts import (
    BODY_FONT,
    HEADING_FONT,
    KAI_FAMILIES,
    cjk_region,
    face_characters,
    faces,
    find_font,
    subset_font,
)
from ...formula import MATHML_NS
from ...highlight import HIGHLIGHT
from ...images import SVG, ImageProblem, clean_svg
from ...labels import labels
from ...languages import book_languages
from ...log import LOGGER, PROGRESS
from ...media import EXTENSIONS, media_type, sniff
from ...themes import BOOK_STYLE, MEDIA_TYPES, book_style, theme_dir, theme_files
from ...xhtml import CHAPTER_LABEL, MATTER_TYPES, Renderer, attr
from ...xhtml.pages import markers_by_place
from ..declarations.epub import EMBED_FONTS
from ..declarations.epub import OPTIONS as OPTIONS
from . import accessibility, pagelist
from .cover import make_cover
from .vertical import CSS_NAME, is_vertical, set_vertical

NAME = "epub"
SUFFIX = ".epub"

CREATOR_ROLES = ("aut", "ive", "ivr")
CSS_FILES = ("base.css", "epub.css")
#: The options this writer reads (see publish.options) are declared apart, in
#: ``declarations.epub``: every command knows them without importing ebooklib.


def write(book: m.Book, out_dir: Path, options: m.BuildOptions) -> Path:
    """Write the EPUB of ``book`` into ``out_dir`` and return its path."""
    data = build(book, options)
    return atomic_write(out_dir / options.file_name(book.meta.slug, SUFFIX), data)


def build(book: m.Book, options: m.BuildOptions) -> bytes:
    """The EPUB as bytes."""
    return _EpubBuilder(book, options).build()


class _EpubBuilder:
    def __init__(self, book: m.Book, options: m.BuildOptions):
        self.book = book
        self.options = options
        self.files: dict[str, str] = {}          # top-level id -> file name
        self.images: dict[str, tuple[str, str]] = {}  # manuscript path -> (file name, media type)
        self.svgs: dict[str, bytes] = {}          # manuscript path -> the SVG rewritten
        self.root = Path(self.book.root or ".").resolve()
        self.docs: list[tuple[str, str, str]] = []  # (uid, file name, xhtml)
        self.theme = options.theme_dir or theme_dir("default")
        self.css_files = [name for name in CSS_FILES if (self.theme / name).is_file()]
        self.css = [f"styles/{name}" for name in self.css_files]
        self.vertical = is_vertical(options)
        if self.vertical and not cjk_region(book.meta.language):
            LOGGER.warning("writing_mode = vertical-rl in a book in %r: vertical text is for "
                           "Chinese, Japanese and Korean; its lines will be turned on their "
                           "side", book.meta.language)
        if self.vertical:  # after the theme's, before the manuscript's style.css
            self.css.append(f"styles/{CSS_NAME}")
        # The manuscript's style.css after the theme's, in a folder of its own.
        self.book_style = book_style(book.root)
        self.book_folder = _free_folder(self.theme)
        if self.book_style is not None:
            self.css.append(f"styles/{self.book_folder}/{BOOK_STYLE}")
        self.chapter_unit = str(CHAPTER_LABEL.of(options))
        self.renderer = Renderer(book, self.href, self.image_href, chapter_unit=self.chapter_unit,
                                 highlight=bool(HIGHLIGHT.of(options)),
                                 upright_numbers=self.vertical)
        page_map = options.page_map
        if page_map is not None:  # the PDF was built in this run: its pages' markers
            self.renderer.page_markers = markers_by_place(
                [(p.label, p.address, p.offset) for p in page_map.pages], m.places(book))
        self.embed = bool(EMBED_FONTS.of(options))
        self.words = labels(book.meta.language, book.meta.labels)
        self.faces = font_css(str(BODY_FONT.of(options)), str(HEADING_FONT.of(options)),
                              languages=book_languages(book))

    # -- links ------------------------------------------------------------------
    def href(self, target: str) -> str:
        """The URL of an id from inside any content document."""
        top = target.split("-", 1)[0]
        return f"{self.files.get(top, '')}#{target}"

    def image_href(self, src: str) -> str:
        """The packed name of a manuscript image (``images/001.png``).  An SVG
        is packed rewritten (``images.clean_svg``), with the manuscript images
        it shows packed beside it and its hrefs pointing at them."""
        if src not in self.images:
            path = self.root / src
            media = media_type(path) or "image/png"
            self.images[src] = (f"images/{len(self.images) + 1:03d}{EXTENSIONS[media]}", media)
            if media == SVG:
                def link(real: Path, _media: str) -> str:
                    return self.image_href(real.relative_to(self.root).as_posix())[len("images/"):]
                try:
                    self.svgs[src] = clean_svg(path, [self.root], link).data
                except ImageProblem as e:
                    raise WriterError(f"image {src!r}: {e}", path) from None
        return self.images[src][0]

    # -- assembling --------------------------------------------------------------
    def build(self) -> bytes:
        """The EPUB as bytes; the order of these steps is the order of the package."""
        pub = epub.EpubBook()
        pub.FOLDER_NAME = "EPUB"
        self._metadata(pub)
        if self.vertical:
            set_vertical(pub)
        self._name_files()
        cover = self._cover(pub)
        toc = self._documents(cover)
        pages = pagelist.pages(self.docs)
        if pages and self.options.page_map is not None:
            accessibility.add_page_source(pub, self.options.page_map.source)
        nav = self._navigation(pub, toc)
        self._spine(pub, nav, cover)
        self._resources(pub)
        buffer = io.BytesIO()
        when = self.options.built or build_time(self.book.manuscript or self.book.root,
                                                self.book.meta.date)
        _DeterministicWriter(buffer, pub, when, {
            "mtime": when, "landmark_title": self.words["landmarks"], "epub3_pages": False,
        }, pages).write()
        return buffer.getvalue()

    def _name_files(self) -> None:
        """A file per part and chapter (``ch03.xhtml``), and one for the front matter."""
        book = self.book
        for item in book.body:
            for chapter in (item.chapters if isinstance(item, m.Part) else (item,)):
                self.files[chapter.id] = f"{chapter.id}.xhtml"
            if isinstance(item, m.Part):
                self.files[item.id] = f"{item.id}.xhtml"
        if book.front is not None:
            self.files[book.front.id] = "front.xhtml"

    def _documents(self, cover: str) -> list[object]:
        """Render every content document, in reading order; return the nested TOC."""
        book, meta, r = self.book, self.book.meta, self.renderer
        if cover:
            self._doc("cover", "cover.xhtml", meta.title, cover, "cover")
        self._doc("titlepage", "titlepage.xhtml", meta.title, r.title_page(), "frontmatter")
        self._doc("copyright", "copyright.xhtml", self.words["copyright"],
                  r.copyright_page(self.options.version_label), "frontmatter")
        if book.front is not None:
            self._doc("front", "front.xhtml", meta.title, r.front(book.front), "frontmatter")
        toc: list[object] = []
        for item in book.body:
            if isinstance(item, m.Part):
                self._doc(item.id, self.files[item.id], m.plain_text(item.title), r.part(item),
                          MATTER_TYPES[item.matter])
                children = [self._chapter(c) for c in item.chapters]
                title = r.part_label(item) + m.plain_text(item.title)
                toc.append((epub.Section(title, self.files[item.id]), children))
            else:
                toc.append(self._chapter(item))
        return toc

    def _navigation(self, pub: epub.EpubBook, toc: list[object]) -> epub.EpubNav:
        """The navigation document (styled as the book) and the NCX."""
        nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title=self.words["contents"])
        for css in self.css:
            nav.add_link(href=css, rel="stylesheet", type="text/css")
        pub.add_item(nav)
        pub.add_item(epub.EpubNcx())
        pub.toc = toc
        return nav

    def _spine(self, pub: epub.EpubBook, nav: epub.EpubNav, cover: str) -> None:
        """The content documents in reading order, the contents after the
        copyright page, and the EPUB 2 guide."""
        spine: list[object] = []
        for uid, file_name, content in self.docs:
            item = epub.EpubItem(uid=uid, file_name=file_name,
                                 media_type="application/xhtml+xml",
                                 content=content.encode("utf-8"))
            if f'<math xmlns="{MATHML_NS}"' in content:
                item.properties = ["mathml"]  # EPUB 3: a document holding MathML says so
            pub.add_item(item)
            spine.append(uid)
            if uid == "copyright":
                spine.append(nav)
        pub.spine = spine
        # The body starts at chapter 1 (or its part), after the front matter.
        first = self.book.first_body
        first_chapter = self.files[first.id] if first is not None else "titlepage.xhtml"
        words = self.words
        pub.guide = [
            *([{"href": "cover.xhtml", "title": words["cover"], "type": "cover"}] if cover else []),
            {"href": "nav.xhtml", "title": words["contents"], "type": "toc"},
            {"href": first_chapter, "title": words["body"], "type": "text"},
        ]

    def _chapter(self, chapter: m.Chapter) -> object:
        file_name = self.files[chapter.id]
        label = self.renderer.label(chapter)
        self._doc(chapter.id, file_name, label + m.plain_text(chapter.title),
                  self.renderer.chapter(chapter, label), MATTER_TYPES[chapter.matter])
        link = epub.Link(file_name, label + m.plain_text(chapter.title), chapter.id)
        sections = [self._section(s, file_name) for s in chapter.sections]
        return (link, sections) if sections else link

    def _section(self, section: m.Section, file_name: str) -> object:
        link = epub.Link(f"{file_name}#{section.id}", m.plain_text(section.title), section.id)
        children = [self._section(s, file_name) for s in section.sections]
        return (link, children) if children else link

    def _doc(self, uid: str, file_name: str, title: str, body: str, body_class: str) -> None:
        self.docs.append((uid, file_name,
                          self.renderer.document(title, body, self._css_for(file_name),
                                                 body_class)))

    def _css_for(self, file_name: str) -> list[str]:
        depth = file_name.count("/")
        css = (list(self.css) + (["styles/faces.css"] if self.faces else [])
               + (["styles/fonts.css"] if self.embed else []))
        return ["../" * depth + c for c in css]

    # -- metadata ----------------------------------------------------------------
    def _metadata(self, pub: epub.EpubBook) -> None:
        meta = self.book.meta
        pub.set_identifier(meta.identifier)
        pub.set_title(meta.title)
        pub.set_language(meta.language)
        if meta.subtitle:
            pub.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
            pub.add_metadata(None, "meta", "subtitle",
                             {"refines": "#subtitle", "property": "title-type"})
        creators = contributors = 0
        for c in meta.contributors:
            if c.role in CREATOR_ROLES:
                creators += 1
                pub.add_author(c.name, role=c.role, uid=f"creator{creators}")
            else:
                contributors += 1
                uid = f"contributor{contributors}"
                pub.add_metadata("DC", "contributor", c.name, {"id": uid})
                pub.add_metadata(None, "meta", c.role, {"refines": f"#{uid}", "property": "role",
                                                       "scheme": "marc:relators"})
        for key in ("publisher", "date", "rights", "description"):
            value = getattr(meta, key)
            if value:
                pub.add_metadata("DC", key, value)
        accessibility.add_metadata(pub, self.book, self.words)

    # -- cover, images, styles, fonts --------------------------------------------
    def _cover(self, pub: epub.EpubBook) -> str:
        """Add the cover image; return the cover page's body ("" for none)."""
        meta = self.book.meta
        if meta.cover:
            data = (Path(self.book.root or ".") / meta.cover).read_bytes()
            media = sniff(data[:512]) or "image/jpeg"
        else:
            data, media = make_cover(self.book), "image/png"
        name = f"images/cover{EXTENSIONS[media]}"
        pub.set_cover(name, data, create_page=False)
        alt = self.words["cover_alt"].format(title=meta.title)
        return (f'<section class="cover" epub:type="cover">'
                f'<img src="{name}" alt="{attr(alt)}"/></section>\n')

    def _resources(self, pub: epub.EpubBook) -> None:
        for i, (name, data) in enumerate(theme_files(self.theme, self.css_files).items()):
            # The theme's CSS and what it imports or names, at the same place
            # relative to each other, so its relative URLs hold.
            uid = f"css-{Path(name).stem}" if name in self.css_files else f"theme-{i}"
            pub.add_item(epub.EpubItem(uid=uid, file_name=f"styles/{name}",
                                       media_type=MEDIA_TYPES[Path(name).suffix.lower()],
                                       content=data))
        for i, (name, data) in enumerate(self.book_style.package.items()
                                         if self.book_style is not None else ()):
            # style.css beside the manuscript and what it names, likewise.
            pub.add_item(epub.EpubItem(uid="css-book" if name == BOOK_STYLE else f"book-{i}",
                                       file_name=f"styles/{self.book_folder}/{name}",
                                       media_type=MEDIA_TYPES[Path(name).suffix.lower()],
                                       content=data))
        for src, (file_name, media) in self.images.items():
            data = self.svgs[src] if src in self.svgs else (self.root / src).read_bytes()
            pub.add_item(epub.EpubItem(uid=f"img-{Path(file_name).stem}", file_name=file_name,
                                       media_type=media, content=data))
        if self.faces:  # the faces chosen in book.toml or on the command line
            pub.add_item(epub.EpubItem(uid="css-faces", file_name="styles/faces.css",
                                       media_type="text/css", content=self.faces.encode()))
        if self.embed:
            self._fonts(pub)

    def _fonts(self, pub: epub.EpubBook) -> None:
        """Embed the faces the book uses, each subset to the characters it sets."""
        bodies = [content.split("<body", 1)[1] for _, _, content in self.docs]
        language = self.book.meta.language
        used = face_characters(bodies, language)
        words, book = self.words, faces(language)
        used[(book.sans, True)] |= set(words["contents"] + words["landmarks"])
        rules, total, count = [], 0, 0
        for (family, bold), chars in used.items():
            if family.startswith("Noto Sans Mono") or not chars:
                continue  # code falls back to the reading system's monospace
            characters = "".join(sorted(chars))
            try:
                font = find_font(family, bold)
            except FontError:
                if family in KAI_FAMILIES:
                    continue  # emphasis falls back to the reading system's Kai face
                raise
            data = subset_font(font, characters)
            total += len(data)
            count = max(count, len(characters))
            stem = _font_stem(family, bold)
            kind = "otf" if data[:4] == b"OTTO" else "ttf"  # CFF or TrueType outlines
            file_name = f"fonts/{stem}.{kind}"
            pub.add_item(epub.EpubItem(uid=f"font-{stem}", file_name=file_name,
                                       media_type=f"font/{kind}", content=data))
            rules.append(f'@font-face {{ font-family: "{family}"; '
                         f'font-weight: {"bold" if bold else "normal"}; font-style: normal; '
                         f'src: url("../{file_name}"); }}\n')
        pub.add_item(epub.EpubItem(uid="css-fonts", file_name="styles/fonts.css",
                                   media_type="text/css", content="".join(rules).encode()))
        PROGRESS.info("Embedded fonts: %d faces, up to %d characters each, %.0f KB",
                      len(rules), count, total / 1024)


def _font_stem(family: str, bold: bool) -> str:
    """The file name of an embedded face: ``serif-regular`` for Noto Serif CJK
    SC, ``sans-tc-bold`` for Noto Sans CJK TC Bold, ``kai-regular`` for LXGW
    WenKai, ``kai-hk-regular`` for AR PL UKai HK."""
    region = family.rsplit(" ", 1)[-1]
    kind = "kai" if family in KAI_FAMILIES else "sans" if " Sans " in family else "serif"
    local = "-" + region.lower() if region in ("TC", "HK", "TW", "JP", "KR") else ""
    return f"{kind}{local}-{'bold' if bold else 'regular'}"


def _free_folder(theme: Path) -> str:
    """A folder under ``styles/`` that no file of the theme uses (``book``,
    else ``book-1``…): the manuscript's style.css is packed there."""
    n = 0
    while (theme / (f"book-{n}" if n else "book")).exists():
        n += 1
    return f"book-{n}" if n else "book"


class _DeterministicWriter(epub.EpubWriter):
    """ebooklib's writer with an archive whose bytes do not depend on the clock."""

    def __init__(self, out: io.BytesIO, book: epub.EpubBook, when: dt.datetime, options: dict,
                 pages: list[tuple[str, str, str]] = ()):
        super().__init__(out, book, options)
        self.when = when
        self.pages = pages  # the page list: (file name, marker id, folio)

    def _get_nav(self, item):
        """ebooklib's navigation document, with the print edition's page list."""
        return pagelist.with_page_list(super()._get_nav(item), self.pages)

    def write(self) -> None:
        self.out = _FixedTimeZip(self.file_name, self.when)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry has the same time stamp and permissions."""

    def __init__(self, file: io.BytesIO, when: dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.date_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            info.compress_type = self.compression if compress_type is None else compress_type
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
