"""Property tests: random manuscripts mixing CJK, Latin, punctuation, Markdown
syntax and HTML fragments.  The reader never crashes (a ``PublishError`` is an
answer, anything else a bug), the text edition keeps every Han character, and
every XHTML file of the EPUB is well-formed XML.

200 examples each in the suite; ``HYPOTHESIS_PROFILE=thorough`` runs 10,000.
"""

from __future__ import annotations

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
