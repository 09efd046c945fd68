"""Property tests: random manuscripts mixing CJK, Latin, punctuation, Markdown
syntax and HTML fragments.  The reader never crashes (a ``PublishError`` is an
answer, anything else a bug), the text edition keeps every Han character, and
every XHTML file of the EPUB is well-formed XML.

200 examples each in the suite; ``HYPOTHESIS_PROFILE=thorough`` runs 10,000.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish import model as m
from publish.errors import PublishError
from publish.reader import read
from publish.typography import is_han
from publish.writers import WRITERS

settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

han = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)
latin = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABC0123456789 "), min_size=1,
                max_size=10)
punctuation = st.sampled_from(list("，。、；：？！“”‘’《》（）「」…—·") + ["……", "——"])
markdown = st.sampled_from(["\n", "\n\n", "# ", "## ", "### ", "**", "*", "_", "`", "> ",
                            "- ", "1. ", "[", "]", "](#x)", "](other.md)", "---", "|", " | ",
                            "\n```\n", "~~", "[^1]", "\n\n[^1]: ", "\\", "  \n", "**记者**：",
                            "{/*x*/}", "\n<Note>\n", "\n</Note>\n", "import a from 'b'\n"])
html = st.sampled_from(["<b>", "</b>", "<em>", "</em>", "<span class=\"x\">", "</span>",
                        "<div>", "</div>", "<br>", "<br/>", "<em class=\"dot\">", "<a href=\"#x\">",
                        "</a>", "&amp;", "&#x4e2d;", "&lt;", "<p>", "</p>", "<sup>", "</sup>",
                        "<table><tr><td>", "</td></tr></table>", "<ul><li>", "</li></ul>"])
hostile = st.sampled_from(["<!--", "-->", "<script>", "</script>", "<style>", "</style>",
                           "<p onclick='x'>", "<img src=\"x.png\">", "![", "](x.png)", "<ruby>",
                           "<rt>", "</rt>", "</ruby>", "<iframe src='http://x.test'>", "<svg>",
                           "</svg>", "<", ">", "&", "\x0c", "\u200b", "\ufeff", "\r\n", "\r",
                           "𠮷", "e\u0301", "葛\U000E0100"])

safe_manuscripts = st.lists(st.one_of(han, han, latin, punctuation, markdown, html),
                            max_size=40).map("".join)
any_manuscripts = st.lists(st.one_of(han, han, latin, punctuation, markdown, html, hostile),
                           max_size=40).map("".join)


def build(source: str, formats: tuple[str, ...]) -> tuple[m.Book, dict[str, Path]] | None:
    """Read ``source`` as a one-file manuscript and write ``formats``; None if the reader
    refused it with a PublishError (a missing image, say)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.md"
        path.write_text(source, encoding="utf-8")
        try:
            book = read(path)
        except PublishError:
            return None
        out = Path(tmp) / "out"
        results = {}
        for name in formats:
            written = WRITERS[name](book, out, m.BuildOptions())
            results[name] = written.read_bytes()
        return book, results


@given(safe_manuscripts)
def test_text_edition_keeps_every_han_character(source):
    built = build(source, ("txt",))
    if built is None:  # refused: only a manuscript with nothing in it may be
        assert not any(is_han(ch) for ch in source)
        return
    text = built[1]["txt"].decode("utf-8")
    wanted = Counter(ch for ch in source if is_han(ch))
    got = Counter(ch for ch in text if is_han(ch))
    lost = {ch: n - got[ch] for ch, n in wanted.items() if got[ch] < n}
    assert not lost, lost


@given(any_manuscripts)
@example("<p><![\n\n\n")     # Python 3.11's HTML parser asserted on these
@example("文字 <![foo]> 文字")
def test_reader_never_crashes_and_epub_xhtml_is_well_formed(source):
    built = build(source, ("epub", "txt"))
    if built is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        epub = Path(tmp) / "book.epub"
        epub.write_bytes(built[1]["epub"])
        with zipfile.ZipFile(epub) as z:
            for name in z.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    ElementTree.fromstring(z.read(name))  # raises on malformed XML
                    assert b"<script" not in z.read(name)


# --- issue 11: metadata strings, file names, nesting depths ------------------------------

any_text = st.text(max_size=30)  # every code point but surrogates: controls, line breaks, RTL…


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's, but for \\/)."""
    return json.dumps(value, ensure_ascii=False)


@given(st.fixed_dictionaries({key: any_text for key in
                              ("title", "subtitle", "author", "publisher", "rights",
                               "description", "translator")}))
@example({"title": "上\n下", "subtitle": "\x07", "author": "\u2028", "publisher": "\x85",
          "rights": "\r", "description": "a\x00b", "translator": " "})
def test_any_metadata_text_builds_valid_packages_or_one_error(values):
    with tempfile.TemporaryDirectory() as tmp:
        book_dir = Path(tmp) / "book"
        book_dir.mkdir()
        (book_dir / "book.toml").write_text(
            "".join(f"{key} = {toml_string(value)}\n" for key, value in values.items()),
            encoding="utf-8")
        (book_dir / "a.md").write_text("# 章\n\n正文。\n", encoding="utf-8")
        try:
            book = read(book_dir)
        except PublishError:
            return
        out = Path(tmp) / "out"
        epub = WRITERS["epub"](book, out, m.BuildOptions())
        text = WRITERS["txt"](book, out, m.BuildOptions()).read_text(encoding="utf-8")
        assert "正文" in text
        for field in (book.meta.title, book.meta.subtitle, *(c.name for c in book.meta.contributors)):
            assert "\n" not in field and not any(ord(ch) < 32 for ch in field)
        with zipfile.ZipFile(epub) as z:
            for name in z.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    ElementTree.fromstring(z.read(name))


file_names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
                     min_size=1, max_size=20).filter(lambda n: n not in (".", "..")
                                                      and len(n.encode()) < 200)


@given(st.lists(file_names, min_size=1, max_size=4, unique=True), st.lists(han, min_size=4,
                                                                           max_size=4))
@example(["²0"], ["一", "二", "三", "四"])  # "²".isdigit() but int("²") fails: found here
def test_any_chapter_file_names_keep_every_chapter(names, texts):
    with tempfile.TemporaryDirectory() as tmp:
        book_dir = Path(tmp) / "book"
        book_dir.mkdir()
        written = {}
        for name, text in zip(names, texts):
            path = book_dir / (name + ".md")
            path.write_text(f"# {text}\n\n{text}。\n", encoding="utf-8")
            written[name] = text
        try:
            book = read(book_dir)
        except PublishError:
            return
        out = Path(tmp) / "out"
        result = WRITERS["txt"](book, out, m.BuildOptions()).read_text(encoding="utf-8")
        for text in written.values():
            assert text in result


nesting = st.lists(st.sampled_from(["> ", "- ", "    - ", "1. ", "<div>", "<span>", "<em>",
                                    "<blockquote>", "<ul><li>", "<table><tr><td>", "[^1]", "**"]),
                   min_size=0, max_size=400)


@given(nesting, st.integers(min_value=1, max_value=3))
def test_any_nesting_depth_builds_or_is_one_error(openers, repeat):
    source = "# 章\n\n" + "".join(openers) * repeat + "深处。\n\n[^1]: 注[^1]。\n"
    built = build(source, ("txt", "epub"))
    if built is not None:
        assert "深处" in built[1]["txt"].decode("utf-8")
