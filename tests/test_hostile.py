"""Hostile and broken input: the catalogue of bad manuscripts and what each one
gives (built with a named warning, or exit 1 with a named one-line error; never a
traceback, never mojibake, never a half-written file); containment; resource
bounds.  The manuscripts are made here, from text written for these tests."""

from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from epub_validation import check_all

from publish.cli import cli
from publish.files import TEMP_PREFIX
from publish.typography import is_han

BIN = Path(sys.executable).parent


def png(width: int, height: int, rows: int | None = None) -> bytes:
    """A grey PNG; with ``rows`` < height, one that holds only that many rows of data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    packer = zlib.compressobj()
    row = b"\x00" + b"\x80" * width
    data = b"".join(packer.compress(row) for _ in range(height if rows is None else rows))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", data + packer.flush()) + chunk(b"IEND", b""))


def codecs_bom_be(text: str) -> bytes:
    return b"\xfe\xff" + text.encode("utf-16-be")


SIMPLIFIED = "# 第一章\n\n中文编码测试：汉字、标点，“引号”与《书名》。\n"
TRADITIONAL = "# 第一章\n\n中文編碼測試：漢字、標點，「引號」與《書名》。\n"
HKSCS = "# 第一章\n\n香港增補字符：啲嘢冇咗。\n"


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]      # path -> content; "->target" makes a symlink
    error: str = ""                    # exit 1 with this in the one-line message
    warning: str = ""                  # built, with this warning
    keeps: str = ""                    # these characters reach the text edition
    args: tuple[str, ...] = ()
    edition: str = "all"               # the command
    absent: tuple[str, ...] = ()       # never in any EPUB file
    contains: tuple[str, ...] = ()     # these strings are in the text edition
    packed: tuple[str, ...] = ()       # these files are in the EPUB (under EPUB/)
    once: tuple[str, ...] = ()         # these strings are in the text edition exactly once


CATALOGUE: dict[str, Case] = {
    # --- encodings ---
    **{f"{codec}-named": Case({"book.toml": f'title = "编码"\nencoding = "{codec}"\n',
                                "a.md": text.encode(codec)}, keeps=text)
       for codec, text in [("gb2312", SIMPLIFIED), ("gbk", SIMPLIFIED), ("gb18030", SIMPLIFIED),
                           ("big5", TRADITIONAL), ("big5hkscs", HKSCS)]},
    **{f"{codec}-unnamed": Case({"a.md": text.encode(codec)},
                                error="not valid UTF-8: bad byte", edition="txt")
       for codec, text in [("gb2312", SIMPLIFIED), ("gbk", SIMPLIFIED), ("gb18030", SIMPLIFIED),
                           ("big5", TRADITIONAL), ("big5hkscs", HKSCS)]},
    "gb18030-hint": Case({"a.md": SIMPLIFIED.encode("gb18030")},
                         error='add encoding = "gb18030"', edition="txt"),
    "big5-hint": Case({"a.md": TRADITIONAL.encode("big5")}, error='add encoding = "big5"',
                      edition="txt"),
    "hz-unnamed": Case({"a.md": SIMPLIFIED.encode("hz")}, error='add encoding = "hz"',
                       edition="txt"),
    "hz-named": Case({"a.md": SIMPLIFIED.encode("hz")}, args=("--encoding", "hz"),
                     keeps=SIMPLIFIED),
    "utf16-le-bom": Case({"a.md": SIMPLIFIED.encode("utf-16")}, keeps=SIMPLIFIED),
    "utf16-be-bom": Case({"a.md": codecs_bom_be(SIMPLIFIED)}, keeps=SIMPLIFIED),
    "utf8-bom-twice": Case({"a.md": ("\ufeff\ufeff" + SIMPLIFIED).encode()}, keeps="第一章"),
    "nul-bytes": Case({"a.md": "# 章\n\n中\x00文\n".encode()}, error="NUL byte at byte offset",
                      edition="txt"),
    "control-characters": Case({"a.md": "# 章\n\n第一页\x0c第二页\x01\x1b[0m。\n"},
                               warning="control character(s) removed", keeps="第一页第二页"),
    "mixed-line-endings": Case({"a.md": b"# \xe7\xab\xa0\r\n\r\n\xe7\xac\xac\xe4\xb8\x80\r"
                                        b"\xe8\xa1\x8c\n\n\xe7\xac\xac\xe4\xba\x8c\r\n"},
                               keeps="章第一行第二"),
    # --- structure ---
    "five-thousand-chapters": Case({"a.md": "".join(f"# 第{i}章\n\n正文{i}。\n\n"
                                                    for i in range(5000))},
                                   keeps="第4999章", edition="epub"),
    "lists-50-deep": Case({"a.md": "# 章\n\n" + "".join("  " * i + f"- 层{i}\n"
                                                        for i in range(50))}, keeps="层49"),
    "quotes-50-deep": Case({"a.md": "# 章\n\n" + ">" * 50 + " 深处的引文。\n"}, keeps="深处的引文"),
    # --- HTML and scripts ---
    "unclosed-html": Case({"a.md": "# 章\n\n<div><p>未闭合的 <b>粗体\n\n后文。\n"},
                          keeps="未闭合的粗体后文"),
    "script-iframe-handlers": Case(
        {"a.md": "# 章\n\n前文<script>alert('x')</script>后文<iframe src='http://x.test/'>"
                 "</iframe>。\n\n<p onclick=\"alert(1)\">点击</p>\n\n[链接](javascript:alert(1))\n"},
        warning="removed <script>", keeps="前文后文点击链接",
        absent=("<script", "onclick", "javascript:", "<iframe")),
    "inline-svg-with-script": Case({"a.md": "# 章\n\n<svg onload='alert(1)'><script>alert(1)"
                                            "</script></svg>文字。\n"},
                                   warning="removed <svg>", keeps="文字", absent=("alert",)),
    "mdx-components": Case({"a.md": "import Demo from './demo'\n\n# 章\n\n<Intro>\n\n引言。\n\n"
                                    "</Intro>\n\n<Sandpack>\n\n```js src/App.js\n"
                                    "export default function App() { return <Demo />; }\n```\n\n"
                                    "</Sandpack>\n\n## 小节 {/*section-id*/}\n\n正文。\n"},
                           warning="MDX component <Sandpack> unwrapped",
                           keeps="引言小节正文"),
    "uppercase-old-html": Case({"a.md": "# 书\n\n## 章\n\n<P>\n旧网页的段落。\n</P>\n\n<HR>\n\n后文。\n"},
                               keeps="旧网页的段落后文＊"),
    "tag-names-in-headings": Case({"a.md": "# 书\n\n## <a> 元素\n\n正文。\n\n## <div> 与 <span>\n\n"
                                           "正文。\n"}, keeps="元素与"),
    # --- images ---
    "image-missing": Case({"a.md": "# 章\n\n![缺](missing.png)\n"}, error="does not exist"),
    "image-outside": Case({"a.md": "# 章\n\n![外](../outside.png)\n"}, error="lies outside"),
    "image-symlink-outside": Case({"a.md": "# 章\n\n![链](link.png)\n", "link.png": "->/etc/hostname"},
                                  error="lies outside"),
    "image-remote": Case({"a.md": "# 章\n\n![远程图](https://example.test/a.png)\n"},
                         warning="remote image not fetched", keeps="远程图"),
    "image-file-url": Case({"a.md": "# 章\n\n![文件](file:///etc/hostname)\n"},
                           error="only files inside the manuscript"),
    "image-data-uri": Case({"a.md": "# 章\n\n![数据](data:image/png;base64,iVBORw0KGgo=)\n"},
                           warning="image in a data: URI not used", keeps="数据"),
    "image-corrupt": Case({"a.md": "# 章\n\n![坏](bad.png)\n", "bad.png": b"\x89PNG\r\n\x1a\nJUNK"},
                          error="cannot be decoded"),
    "image-truncated": Case({"a.md": "# 章\n\n![截](cut.png)\n", "cut.png": png(100, 100)[:-40]},
                            error="cannot be decoded"),
    "image-20000-square": Case({"a.md": "# 章\n\n![大](big.png)\n",
                                "big.png": png(20000, 20000, rows=4)},
                               error="400 megapixels is more than a book can use"),
    "image-fine": Case({"a.md": "# 章\n\n![好图](ok.png)\n", "ok.png": png(32, 32)}, keeps="好图"),
    "svg-file-with-script": Case(
        {"a.md": "# 书\n\n## 章\n\n![矢量图](s.svg)\n",
         "s.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9" onload="alert(1)">'
                  '<script>alert(2)</script><a href="javascript:alert(3)"><rect width="9" '
                  'height="9"/></a></svg>'},
        warning="scripts and event handlers removed", keeps="矢量图",
        absent=("alert", "<script", "onload")),
    # --- links ---
    "link-to-html-sibling": Case({"a.md": "# 书\n\n## 一\n\n见[第二章](two.html)。\n",
                                  "two.md": "## 二\n\n正文。\n"}, keeps="见第二章正文"),
    "links-missing-and-html": Case({"a.md": "# 章\n\n[缺章](missing.md)、[网页](other.html)。\n"},
                                   warning="is not in the book", keeps="缺章网页"),
    # --- characters ---
    "astral-combining-ivs": Case({"a.md": "# 章\n\n𠮷野家，𝌆，e\u0301，葛\U000E0100。\n"},
                                 keeps="𠮷野家𝌆e\u0301葛\U000E0100"),
    # publish all stops at the PDF's glyph check after the EPUB was made: nothing is kept.
    "no-font-has-it": Case({"a.md": "# 章\n\n私用区\ue000字。\n"}, error="no installed font"),
    # --- second round (issue 11): files from outside the manuscript ---
    "glob-symlink-to-etc": Case({"a.md": "# 章\n\n正文。\n", "ch2.md": "->/etc/passwd"},
                                error="lies outside the manuscript"),
    "glob-symlink-beside": Case({"a.md": "# 章\n\n正文。\n", "ch2.md": "->../outside.md"},
                                error="lies outside the manuscript"),
    "glob-symlink-to-dev-zero": Case({"a.md": "# 章\n\n正文。\n", "ch2.md": "->/dev/zero"},
                                     error="lies outside the manuscript"),
    "glob-symlink-inside": Case({"a.md": "# 一\n\n正文。\n", "b.md": "->sub/real.md",
                                 "sub/real.md": "# 二\n\n里面的文字。\n"}, keeps="正文里面的文字"),
    "glob-directory": Case({"a.md": "# 章\n\n正文。\n", "ch2.md": "<dir>"},
                           error="is a directory"),
    "glob-fifo": Case({"a.md": "# 章\n\n正文。\n", "ch2.md": "<fifo>"},
                      error="not a regular file"),
    "listed-fifo": Case({"book.toml": 'chapters = ["a.md", "f.md"]\n', "a.md": "# 章\n\n正文。\n",
                         "f.md": "<fifo>"}, error="not a regular file"),
    "listed-dev-zero": Case({"book.toml": 'chapters = ["a.md", "z.md"]\n',
                             "a.md": "# 章\n\n正文。\n", "z.md": "->/dev/zero"},
                            error="lies outside the manuscript"),
    "listed-directory": Case({"book.toml": 'chapters = ["a.md", "d.md"]\n',
                              "a.md": "# 章\n\n正文。\n", "d.md": "<dir>"}, error="is a directory"),
    "book-toml-symlink-out": Case({"book.toml": "->/etc/hostname", "a.md": "# 章\n\n正文。\n"},
                                  error="lies outside the manuscript"),
    "cover-fifo": Case({"book.toml": 'cover = "c.png"\n', "a.md": "# 章\n\n正文。\n",
                        "c.png": "<fifo>"}, error="not a regular file"),
    "theme-absolute-path": Case({"book.toml": '[edition]\ntheme = "/etc"\n',
                                 "a.md": "# 章\n\n正文。\n"}, error="a theme is a name or a folder"),
    "theme-dot-dot": Case({"book.toml": '[edition]\ntheme = "../../../../etc"\n',
                           "a.md": "# 章\n\n正文。\n"}, error="lies outside the manuscript"),
    "theme-builtin-dot-dot": Case({"book.toml": '[edition]\ntheme = "default/../../publish"\n',
                                   "a.md": "# 章\n\n正文。\n"}, error="lies outside the manuscript"),
    "theme-styles-symlink-out": Case({"book.toml": '[edition]\ntheme = "t"\n',
                                      "a.md": "# 章\n\n正文。\n", "styles/t": "->/etc"},
                                     error="lies outside the manuscript"),
    "theme-base-css-symlink": Case({"book.toml": '[edition]\ntheme = "t"\n',
                                    "a.md": "# 章\n\n正文。\n",
                                    "styles/t/base.css": "->/etc/hostname"},
                                   error="lies outside the theme folder", edition="epub"),
    "theme-imports-outside": Case({"book.toml": '[edition]\ntheme = "t"\n',
                                   "a.md": "# 章\n\n正文。\n",
                                   "styles/t/base.css": '@import url("../../../outside.css");\n'},
                                  error="lies outside the theme folder"),
    "theme-url-outside": Case({"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                               "styles/t/base.css": "p {\n  background: url(../../a.md) }\n"},
                              error="base.css:2: '../../a.md' lies outside the theme folder"),
    "theme-url-remote": Case({"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                              "styles/t/base.css": "p { background: url(https://x.test/a.png) }"},
                             error="a theme may only use files in its own folder"),
    "theme-resources-packed": Case({"book.toml": '[edition]\ntheme = "t"\n',
                                    "a.md": "# 章\n\n主题的正文。\n",
                                    "styles/t/base.css": '@import url("more.css");\n'
                                                         "h1 { background: url(img/bg.png) }\n",
                                    "styles/t/more.css": "p { color: #333 }\n",
                                    "styles/t/img/bg.png": png(8, 8)},
                                   keeps="主题的正文", packed=("styles/more.css",
                                                           "styles/img/bg.png")),
    "theme-then-style-css-packed": Case({"a.md": "# 章\n\n层叠的正文。\n",
                                         "style.css": '@import url("css/more.css");\n'
                                                      "h1 { background: url(img/bg.png) }\n",
                                         "css/more.css": "p { color: #333 }\n",
                                         "img/bg.png": png(8, 8)},
                                        keeps="层叠的正文", packed=(
                                            "styles/book/style.css", "styles/book/css/more.css",
                                            "styles/book/img/bg.png")),
    "theme-then-style-css-url-outside": Case(
        {"a.md": "# 章\n\n正文。\n", "style.css": "p { background: url(../outside.md) }\n"},
        error="style.css:1: '../outside.md' lies outside the manuscript folder"),
    # --- second round: what used to be a traceback ---
    "footnote-calls-itself": Case({"a.md": "# 章\n\n正文[^a]。\n\n[^a]: 自己的注[^a]。\n"},
                                  warning="footnote [^a] calls itself", keeps="正文自己的注"),
    "footnotes-call-each-other": Case({"a.md": "# 章\n\n正文[^a]。\n\n[^a]: 甲注[^b]。\n"
                                               "[^b]: 乙注[^a]。\n"},
                                      warning="calls itself through [^b]", keeps="正文甲注乙注"),
    "footnotes-in-a-circle-of-three": Case(
        {"a.md": "# 章\n\n正文[^a]。\n\n[^a]: 甲[^b]。\n[^b]: 乙[^c]。\n[^c]: 丙[^a]。\n"},
        warning="calls itself through [^b] through [^c]", keeps="正文甲乙丙"),
    **{f"raw-{tag}-nested-{n}": Case({"a.md": f"# 章\n\n前文{f'<{tag}>' * n}深处{f'</{tag}>' * n}"
                                           "后文。\n"},
                                     warning="nested more than 100 deep", keeps="前文深处后文")
       for tag, n in [("span", 500), ("div", 500), ("em", 300), ("blockquote", 2000)]},
    "raw-unclosed-nested-1000": Case({"a.md": "# 章\n\n" + "<div><span>" * 500 + "深。\n"},
                                     warning="nested more than 100 deep", keeps="深"),
    "list-nested-500": Case({"a.md": "# 章\n\n" + "".join("    " * i + f"- 层{i}\n"
                                                         for i in range(500))},
                            error="a list nested more than 100 levels deep", edition="txt"),
    "quotes-nested-500": Case({"a.md": "# 章\n\n" + "> " * 500 + "深。\n"},
                              error="block quotes nested more than 100", edition="txt"),
    "list-and-quote-alternating-300": Case({"a.md": "# 章\n\n" + "- > " * 300 + "深处。\n"},
                                           keeps="深处"),
    "title-with-newline": Case({"book.toml": 'title = "上\\n下"\nsubtitle = "副\\n题"\n'
                                             'author = "张\\n三"\n', "a.md": "# 章\n\n正文。\n"},
                               warning="title: line break or tab replaced", keeps="上下副题张三"),
    "metadata-control-characters": Case(
        {"book.toml": 'title = "书\\u0007名"\nauthor = ["甲\\u001b乙"]\npublisher = "社\\u0085"\n'
                      'description = "第一段\\u0001"\n', "a.md": "# 章\n\n正文。\n"},
        warning="control character(s) removed", keeps="书名甲乙"),
    "toml-arrays-3000-deep": Case({"book.toml": "x = " + "[" * 3000 + "]" * 3000 + "\n",
                                   "a.md": "# 章\n\n正文。\n"}, error="nested too deeply",
                                  edition="txt"),
    "toml-tables-3000-deep": Case({"book.toml": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
                                   "a.md": "# 章\n\n正文。\n"}, error="nested too deeply",
                                  edition="txt"),
    "marks-as-text": Case({"book.toml": '[edition]\nmarks = "false"\n', "a.md": "# 章\n\n正文。\n"},
                          error="book.toml:2: [edition] marks must be true or false"),
    "bleed-99999in": Case({"book.toml": '[edition]\nbleed = "99999in"\n', "a.md": "# 章\n\n正文。\n"},
                          error="is more than 25 mm", edition="pdf"),
    "chapter-label-table": Case({"book.toml": '[edition]\nchapter_label = {a = 1}\n',
                                 "a.md": "# 章\n\n正文。\n"}, error="chapter_label must be text"),
    "font-size-as-text": Case({"book.toml": '[edition]\nfont_size = "big"\n',
                               "a.md": "# 章\n\n正文。\n"}, error="font_size must be a"),
    "footnote-in-chapter-heading": Case({"a.md": "# 书\n\n前言。\n\n## 第一章[^1]\n\n正文。\n\n"
                                                 "[^1]: 标题的注。\n"},
                                        keeps="标题的注", contains=("第一章[1]\n",)),
    "heading-image-without-alt": Case({"a.md": "# 书\n\n## ![](i.png)\n\n正文。\n\n## 二\n\n后文。\n",
                                       "i.png": png(16, 8)}, warning="a heading without text",
                                      contains=("第一章",)),
    "heading-zero-width-space": Case({"a.md": "# 书\n\n## \u200b\n\n正文。\n\n### \u2060\n\n小节。\n"},
                                     warning="a heading without text", keeps="正文小节"),
    "headings-without-text-name-their-own-lines": Case(
        {"a.md": "# 书\n\n##\n\n正文。\n\n## \n\n后文。\n\n```\n## 代码里\n```\n\n\u200b\n---\n\n尾。\n"},
        warning="a.md:7: a heading without text", keeps="正文后文尾"),
    "chapter-level-deeper-than-headings": Case({"book.toml": "chapter_level = 6\n",
                                                "a.md": "# 书\n\n## 章\n\n正文。\n"},
                                               error="book.toml:1: chapter_level = 6, but"),
    "file-of-one-footnote-definition": Case({"a.md": "# 一\n\n正文[^1]。\n\n[^1]: 注。\n",
                                             "b.md": "[^x]: 只有注的文件。\n"},
                                            warning="is never referenced", keeps="只有注的文件"),
    "links-with-spaces-and-international-hosts": Case(
        {"a.md": "# 章\n\n[网](https://例子.测试/路径 有空格?q=中文#节)、[邮件](mailto:张三@例子.cn)、"
                 "<https://a.test/x%20y>。\n"}, keeps="网邮件"),
    # --- found by an independent probe of the classes above ---
    "theme-name-with-nul": Case({"book.toml": '[edition]\ntheme = "a\\u0000b"\n', "a.md": "# 章\n\n正文。\n"},
                                error="no theme 'ab'"),
    **{f"encoding-{name}": Case({"book.toml": f'encoding = "{name}"\n', "a.md": "# 章\n\n正文。\n"},
                                error="encoding", edition="txt")
       for name in ("rot13", "base64", "hex", "undefined", "utf\\u00008")},
    "encoding-rot13-on-the-command-line": Case({"a.md": "# 章\n\n正文。\n"}, error="not a text encoding",
                                               args=("--encoding", "rot_13"), edition="txt"),
    "contributors-not-a-list": Case({"book.toml": "contributors = 5\n", "a.md": "# 章\n\n正文。\n"},
                                    error="contributors must be a list"),
    "contributor-name-empty": Case({"book.toml": 'contributors = [{name = " ", role = "trl"}]\n',
                                    "a.md": "# 章\n\n正文。\n"}, error="name is empty"),
    "contributor-role-junk": Case({"book.toml": 'contributors = [{name = "甲", role = "译者"}]\n',
                                   "a.md": "# 章\n\n正文。\n"}, error="MARC relator code"),
    "contributor-role-empty": Case({"book.toml": 'contributors = [{name = "甲", role = ""}]\n',
                                    "a.md": "# 章\n\n正文。\n"}, keeps="正文", edition="epub"),
    "author-empty-strings": Case({"book.toml": 'authors = ["", " "]\n', "a.md": "# 章\n\n正文。\n"},
                                 keeps="正文"),
    "title-only-spaces": Case({"book.toml": 'title = "   "\nidentifier = " "\n',
                               "a.md": "# 章\n\n正文。\n"}, keeps="正文", edition="epub"),
    **{f"language-{i}": Case({"book.toml": f"language = {value}\n", "a.md": "# 章\n\n正文。\n"},
                             error="book.toml:1: language")
       for i, value in enumerate(['"zh_CN"', '"中文"', "5", '"zh Hans"', '"en\\"><x"',
                                  '"' + "a" * 300 + '"'])},
    "language-private-use-and-extension": Case({"book.toml": 'language = "zh-Hans-CN-x-pinyin"\n',
                                                "a.md": "# 章\n\n正文。\n"}, keeps="正文"),
    **{f"date-{i}": Case({"book.toml": f"date = {value}\n", "a.md": "# 章\n\n正文。\n"},
                         error="book.toml:1: date")
       for i, value in enumerate(['"去年冬天"', '"2024-02-30"', '"-0044-03-15"', '"2025年3月"',
                                  "[2025]"])},
    **{f"date-far-{i}": Case({"book.toml": f"date = {value}\n", "a.md": "# 章\n\n正文。\n"},
                             keeps="正文")
       for i, value in enumerate(['"0001-01-01"', '"2108-01-01"', "9999-12-31", '"1813-01-28"',
                                  '"2025"', '"2025-03"'])},
    "chapter-label-with-control": Case({"book.toml": '[edition]\nchapter_label = "回\\u0007"\n',
                                        "a.md": "# 章\n\n正文。\n"},
                                       warning="[edition] chapter_label: control character",
                                       keeps="正文"),
    "footnote-chain-of-1000": Case({"a.md": "# 章\n\n正文[^f0]。\n\n" + "".join(
        f"[^f{i}]: 注{i}[^f{i + 1}]。\n" for i in range(1000)) + "[^f1000]: 末注。\n"},
        warning="called from a note 10 notes deep", keeps="正文末注"),
    "tables-nested-in-cells": Case({"a.md": "# 章\n\n前文\n\n" + "<table><tr><td>" * 5 + "深处"
                                            + "</td></tr></table>" * 5 + "\n\n后文。\n"},
                                   keeps="前文深处后文", once=("深处",)),
    **{f"theme-css-trick-{i}": Case({"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                                    "styles/t/base.css": css, "styles/t/ok.png": png(4, 4)},
                                   error=error)
       for i, (css, error) in enumerate([
           ('p::before { content: "/*" }\np { background: url(../../../secret.png) }\n'
            'q::after { content: "*/" }\n', "base.css:2: '../../../secret.png' lies outside"),
           ("p { background: u\\72l(../../../x.png) }", "lies outside the theme folder"),
           ("p { background: url(\\2e\\2e/\\2e\\2e/x.png) }", "lies outside the theme folder"),
           ('p { background: image-set("../../x.png" 1x) }', "lies outside the theme folder"),
           ('@import\n  "../../../x.css";', "lies outside the theme folder"),
           ('p { background: url( "a\\"b.png" ) }', "'a\"b.png' does not exist"),
           ("p { background: url(ok.png) } q { background: url(bad.png) }", "bad.png"),
       ])},
    "theme-image-not-its-type": Case({"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                                      "styles/t/base.css": "p { background: url(x.png) }",
                                      "styles/t/x.png": "not a png"}, error="not a PNG image"),
    "theme-font-not-a-font": Case({"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                                   "styles/t/base.css": '@font-face { font-family: X; src: url(x.woff2) }',
                                   "styles/t/x.woff2": "garbage"}, error="not a font"),
    "theme-names-epub-readers-refuse": Case(
        {"book.toml": '[edition]\ntheme = "t"\nembed_fonts = true\n', "a.md": "# 章\n\n主题正文。\n",
         "styles/t/base.css": '@import "fonts.css";\np { background: url("a b.png?v=1#x") }\n'
                              "h1 { background: url(%E5%9B%BE.png) }\n",
         "styles/t/fonts.css": "p { color: #222 }\n", "styles/t/a b.png": png(4, 4),
         "styles/t/图.png": png(4, 4)}, keeps="主题正文", edition="epub",
        packed=("styles/res/001.css", "styles/res/002.png", "styles/res/003.png")),
    **{f"emphasis-crossing-{n}": Case(
        {"a.md": "# 章\n\n前" + "*a**b" * n + "心" + "b**a*" * n + "后。\n\n普通的*强调*。\n"},
        warning="emphasis markers that cross each other could not be read", keeps="前心后强调",
        contains=("*a**b" * n,)) for n in (2, 5, 400)},
    "dirty-digitisation": Case({"a.md": "# 第一回\n\n却说那女娲氏炼石补天之时．\"正是\"．锟斤拷烫烫烫"
                                        "\u00a0\u3000士隐意欲也跟了过去．\n"},
                               keeps="女娲氏炼石补天锟斤拷烫士隐"),
}


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True)
    (folder.parent / "outside.png").write_bytes(png(8, 8))
    (folder.parent / "outside.md").write_text("# 外\n\nOUTSIDE-MARKER\n", encoding="utf-8")
    (folder.parent / "outside.css").write_text("p { color: red }\n", encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "<dir>":
            path.mkdir()
        elif content == "<fifo>":
            os.mkfifo(path)
        elif isinstance(content, str) and content.startswith("->"):
            path.symlink_to(content[2:])
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every catalogue case built once: name -> (exit code, output, out dir)."""
    base = tmp_path_factory.mktemp("hostile")
    results = {}
    for name, case in CATALOGUE.items():
        book = make(base / name / "book", case.files)
        out = base / name / "out"
        result = CliRunner().invoke(cli, [case.edition, str(book), "-o", str(out), *case.args])
        results[name] = (result.exit_code, result.output, out, result.exception)
    return results


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_catalogue_case(name, outcomes):
    case = CATALOGUE[name]
    code, output, out, exception = outcomes[name]
    assert not isinstance(exception, Exception) or isinstance(exception, SystemExit), (
        f"traceback: {exception!r}")
    if case.error:
        assert code == 1, output
        errors = [line for line in output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and case.error in errors[0], output
        assert not out.exists() or not any(out.iterdir()), "a failed build wrote files"
        return
    assert code == 0, output
    if case.warning:
        assert case.warning in output, output
    texts = list(out.glob("*.txt"))
    if case.keeps and texts:
        text = texts[0].read_text(encoding="utf-8")
        missing = [ch for ch in case.keeps if ch not in text and not ch.isspace() and ch != "#"]
        assert not missing, f"lost {missing}"
    for needle in case.contains:
        assert needle in texts[0].read_text(encoding="utf-8")
    for needle in case.once:
        assert texts[0].read_text(encoding="utf-8").count(needle) == 1, needle
    for epub in out.glob("*.epub"):
        with zipfile.ZipFile(epub) as z:
            assert not [name for name in case.packed if f"EPUB/{name}" not in z.namelist()]
            content = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                              if n.endswith((".xhtml", ".opf", ".ncx", ".svg")))
        for needle in case.absent:
            assert needle not in content, f"{needle!r} got into the EPUB"
        if case.keeps and not texts:
            assert all(ch in content for ch in case.keeps if is_han(ch))


@pytest.mark.slow
def test_every_built_epub_passes_epubcheck(outcomes):
    epubs = sorted(epub for code, _, out, _ in outcomes.values() if code == 0
                   for epub in out.glob("*.epub"))
    assert len(epubs) >= 20
    reports = check_all(epubs)
    bad = {str(path.relative_to(path.parents[2])): r.messages[:3]
           for path, r in reports.items() if r.fatals or r.errors}
    assert not bad, bad


# --- resource bounds ------------------------------------------------------------------


def ten_megabytes_of_one_paragraph(folder: Path) -> Path:
    rng = random.Random(10)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    pieces, size = ["# 一章\n\n"], 0
    while size < 10_000_000:
        piece = "".join(rng.choice(chars) for _ in range(rng.randint(5, 30)))
        piece += rng.choice("，。、；：？！") + (" English words " if rng.random() < 0.05 else "")
        pieces.append(piece)
        size += len(piece.encode())
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("".join(pieces) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["txt", "epub"])
def test_ten_megabyte_paragraph_within_a_gigabyte(edition, tmp_path):
    book = ten_megabytes_of_one_paragraph(tmp_path / "book")
    peak = tmp_path / "peak"
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "peak_memory.py"),
                           str(peak), edition, str(book), "-o", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    peak_mb = int(peak.read_text()) / 1024
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    written = next(p for p in (tmp_path / "out").iterdir() if p.is_file())
    assert written.stat().st_size > (9_000_000 if edition == "txt" else 4_000_000)


# --- containment ------------------------------------------------------------------------

REACHING_OUT = """# 章

<link rel="stylesheet" href="../secret.css">
<style>@import url("../secret.css"); @import url("{root}/secret.css");
p {{ background: url(../secret.txt) }}</style>

正文<img src="http://127.0.0.1:9/x.png" alt="远程">，<a href="file://{root}/secret.txt">文件</a>，
<object data="../secret.txt"></object><iframe src="../secret.txt"></iframe>
<video src="../secret.txt"></video><embed src="../secret.txt"><audio src="https://x.test/a.mp3">
</audio>。

<p style="background: url(../secret.txt)">样式</p>

<svg><image href="../secret.txt"/></svg>
"""


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["txt", "epub", "pdf"])
def test_no_edition_reads_outside_or_uses_the_network(edition, tmp_path):
    """Every file a build opens (Python's audit hook) is in the manuscript, the theme,
    the output directory, the installed software or a font directory; nothing
    touches a socket; the secret beside the manuscript reaches no edition."""
    import tempfile

    for name in ("secret.css", "secret.txt"):
        (tmp_path / name).write_text("SECRET-MARKER", encoding="utf-8")
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.md").write_text(REACHING_OUT.format(root=tmp_path), encoding="utf-8")
    out = tmp_path / "out"
    log = tmp_path / "audit.json"
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "audit_build.py"),
                           str(log), edition, str(book), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    record = json.loads(log.read_text(encoding="utf-8"))
    assert record["network"] == []
    allowed = [book, out, Path(__file__).parent.parent / "styles",
               Path(__file__).parent.parent / "publish", Path(sys.prefix),
               Path(sys.base_prefix), Path(sys.exec_prefix), Path("/usr/share/fonts"),
               Path("/etc/fonts"), Path("/usr/lib"), Path("/usr/share/fontconfig")]
    temp = Path(tempfile.gettempdir())
    system = {Path("/etc/mime.types"), Path("/dev/null"), temp, log}
    strays = []
    for name in sorted(set(record["opened"])):
        path = Path(name).resolve()
        if path in system or any(path.is_relative_to(root.resolve()) for root in allowed):
            continue
        if path.parent == temp:  # tempfile probing where it may write
            continue
        strays.append(name)
    assert not strays, strays
    # (the files beside the manuscript, not the standard library's secrets.py)
    assert not any(Path(name).name in ("secret.css", "secret.txt") for name in record["opened"])
    for written in (p for p in out.iterdir() if p.is_file()):  # not the cache folder
        data = written.read_bytes()
        if written.suffix == ".epub":
            with zipfile.ZipFile(written) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        assert b"SECRET-MARKER" not in data


SECRET_WAYS_IN = {
    "glob-symlink": {"a.md": "# 章\n\n正文。\n", "b.md": "->{root}/secret.md"},
    "listed-symlink": {"book.toml": 'chapters = ["a.md", "b.md"]\n', "a.md": "# 章\n\n正文。\n",
                       "b.md": "->../secret.md"},
    "theme-path": {"book.toml": '[edition]\ntheme = "../secret-theme"\n', "a.md": "# 章\n\n正文。\n"},
    "theme-absolute": {"book.toml": '[edition]\ntheme = "{root}/secret-theme"\n',
                       "a.md": "# 章\n\n正文。\n"},
    "theme-base-symlink": {"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                           "styles/t/base.css": "->{root}/secret-theme/base.css"},
    "theme-import": {"book.toml": '[edition]\ntheme = "t"\n', "a.md": "# 章\n\n正文。\n",
                     "styles/t/base.css": '@import url("../../../secret-theme/base.css");\n'
                                          "p { background: url(../../../secret.png) }\n"},
    "svg-image-reference": {"a.md": "# 章\n\n![图](s.svg)\n",
                            "s.svg": '<svg xmlns="http://www.w3.org/2000/svg" '
                                     'xmlns:xlink="http://www.w3.org/1999/xlink" width="8" '
                                     'height="8"><image xlink:href="../secret.png" width="8" '
                                     'height="8"/></svg>'},
}


@pytest.mark.slow
@pytest.mark.parametrize("way", list(SECRET_WAYS_IN))
def test_the_second_round_ways_in_open_nothing_outside(way, tmp_path):
    """Symlinked chapters, theme paths and imports, SVG references: whatever the
    build answers, it opens no file of the secrets beside the manuscript."""
    (tmp_path / "secret.md").write_text("# 秘\n\nSECRET-MARKER\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(png(8, 8))
    (tmp_path / "secret-theme").mkdir()
    (tmp_path / "secret-theme" / "base.css").write_text("/* SECRET-MARKER */", encoding="utf-8")
    files = {name: content.replace("{root}", str(tmp_path)) if isinstance(content, str)
             else content for name, content in SECRET_WAYS_IN[way].items()}
    book = make(tmp_path / "book", files)
    log = tmp_path / "audit.json"
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "audit_build.py"),
                           str(log), "all", str(book), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    opened = json.loads(log.read_text(encoding="utf-8"))["opened"]
    assert not [name for name in opened if name.startswith(str(tmp_path)) and "secret" in name]
    for written in out.glob("*") if out.exists() else []:
        assert b"SECRET-MARKER" not in written.read_bytes()


@pytest.mark.slow
def test_verify_opens_nothing_outside_the_folder(tmp_path):
    _, out = built(tmp_path)
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    sums = out / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{'0' * 64}  ../secret.txt\n")
    (out / "link.txt").symlink_to(tmp_path / "secret.txt")
    log = tmp_path / "audit.json"
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "audit_build.py"),
                           str(log), "verify", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    opened = json.loads(log.read_text(encoding="utf-8"))["opened"]
    assert not [name for name in opened if name.startswith(str(tmp_path)) and "secret" in name]


# --- nothing lost -----------------------------------------------------------------------


def long_book(folder: Path, chapters: int, seed: int) -> Path:
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"# 第{i + 1}章\n\n" + "".join(
        "".join(rng.choice(chars) for _ in range(rng.randint(40, 200))) + "。\n\n"
        for _ in range(12)) for i in range(chapters))
    (folder / "a.md").write_text(text, encoding="utf-8")
    (folder / "book.toml").write_text('title = "长书"\nslug = "long"\n', encoding="utf-8")
    return folder


def stray_temps(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_edition_and_no_temporary_files(tmp_path):
    import signal
    import time

    book = long_book(tmp_path / "book", 12, seed=1)
    out = tmp_path / "out"
    first = subprocess.run([str(BIN / "publish"), "all", str(book), "-o", str(out), "-q"],
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    long_book(book, 12, seed=2)  # the next build writes other bytes: these
    reference = tmp_path / "reference"
    assert subprocess.run([str(BIN / "publish"), "all", str(book), "-o", str(reference), "-q"],
                          capture_output=True, timeout=600).returncode == 0
    after = {p.name: p.read_bytes() for p in reference.iterdir() if p.is_file()}
    for delay in (0.5, 1.5, 3.0, 4.5):
        process = subprocess.Popen([str(BIN / "publish"), "all", str(book), "-o", str(out), "-q"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name, data in before.items():
            # Each file is the previous edition or the new one, whole; never a torn one.
            assert (out / name).read_bytes() in (data, after[name]), (
                f"{name} torn by SIGKILL at {delay} s")
    # A killed writer's temporary file, as if SIGKILL came in the middle of a write:
    finished = subprocess.Popen(["true"])
    finished.wait()
    dead = finished.pid  # a process id that no longer runs
    (out / f"{TEMP_PREFIX}{dead}-abc.pdf").write_bytes(b"%PDF-1.7 torn")
    done = subprocess.run([str(BIN / "publish"), "all", str(book), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert stray_temps(out) == []
    verified = subprocess.run([str(BIN / "publish"), "verify", str(out)], capture_output=True,
                              text=True)
    assert verified.returncode == 0, verified.stderr


@pytest.mark.slow
def test_two_builds_into_one_directory_at_once(tmp_path):
    book = long_book(tmp_path / "book", 6, seed=3)
    out = tmp_path / "out"
    runs = [subprocess.Popen([str(BIN / "publish"), "all", str(book), "-o", str(out), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read()
    assert stray_temps(out) == []
    verified = subprocess.run([str(BIN / "publish"), "verify", str(out)], capture_output=True,
                              text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr


# --- second round: verify, output folders, the previous build kept whole ----------------


def built(tmp_path: Path) -> tuple[Path, Path]:
    book = make(tmp_path / "book", {"a.md": "# 章\n\n正文。\n"})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(book), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return book, out


@pytest.mark.slow
@pytest.mark.parametrize("listed", ["../../../etc/hostname", "/etc/hostname", "sub/x.txt",
                                    "..", "link.txt", "fifo.txt"])
def test_verify_reads_only_regular_files_beside_the_checksums(listed, tmp_path):
    _, out = built(tmp_path)
    (out / "sub").mkdir()
    (out / "link.txt").symlink_to("/etc/hostname")
    os.mkfifo(out / "fifo.txt")
    sums = out / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{'0' * 64}  {listed}\n")
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "SHA256SUMS:" in errors[0], result.output
    assert any(word in errors[0] for word in ("not a file of this directory", "lies outside",
                                              "not a regular file")), errors[0]


@pytest.mark.slow
def test_verify_names_a_changed_size_before_hashing(tmp_path):
    _, out = built(tmp_path)
    pdf = next(out.glob("*.pdf"))
    with pdf.open("r+b") as f:  # a sparse 2 GB file: hashing it would read 2 GB
        f.truncate(2 << 30)
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1 and "checksum mismatch" in result.output, result.output


@pytest.mark.parametrize("where", ["/dev/null", "afile/sub"])
def test_an_output_path_that_is_no_folder_is_one_line(where, tmp_path):
    book = make(tmp_path / "book", {"a.md": "# 章\n\n正文。\n"})
    (tmp_path / "afile").write_text("x")
    out = where if where.startswith("/") else str(tmp_path / where)
    result = CliRunner().invoke(cli, ["txt", str(book), "-o", out])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error:" in result.output and "not a directory" in result.output


def test_an_output_parent_that_does_not_exist_is_made(tmp_path):
    book = make(tmp_path / "book", {"a.md": "# 章\n\n正文。\n"})
    result = CliRunner().invoke(cli, ["txt", str(book), "-o", str(tmp_path / "a" / "b" / "c")])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "a" / "b" / "c").glob("*.txt"))


def test_a_read_only_output_folder_is_one_line(tmp_path, monkeypatch):
    # The suite runs as root, which writes anywhere: the refusal is the operating
    # system's answer, so it is made here as the operating system gives it.
    book = make(tmp_path / "book", {"a.md": "# 章\n\n正文。\n"})

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    result = CliRunner().invoke(cli, ["txt", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Error: {tmp_path / 'out'}: permission denied" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("blocker", ["txt", "pdf", "epub", "manifest.json"])
def test_a_directory_in_the_way_leaves_the_previous_build_whole(blocker, tmp_path):
    book, out = built(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (book / "a.md").write_text("# 章\n\n改过的正文。\n", encoding="utf-8")
    target = next(name for name in before if name.endswith("." + blocker))
    (out / target).unlink()
    (out / target).mkdir()
    result = CliRunner().invoke(cli, ["all", str(book), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert "a directory stands where the edition goes" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == {name: data for name, data in before.items() if name != target}


@pytest.mark.slow
def test_verify_names_a_listed_file_no_manifest_describes_before_hashing(tmp_path):
    _, out = built(tmp_path)
    with (out / "big.bin").open("wb") as f:  # 20 GB, sparse: hashing it would take minutes
        f.truncate(20 << 30)
    sums = out / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{'0' * 64}  big.bin\n")
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1
    assert "big.bin is listed but no manifest describes it" in result.output, result.output


@pytest.mark.slow
@pytest.mark.parametrize("manifest", ["deep", "file-int", "file-null", "sparse-20g", "not-json"])
def test_verify_names_a_broken_manifest_in_one_line(manifest, tmp_path):
    _, out = built(tmp_path)
    path = next(out.glob("*.manifest.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    if manifest == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif manifest == "file-int":
        data["editions"].append({"file": 5, "bytes": 1, "sha256": "0" * 64})
        path.write_text(json.dumps(data))
    elif manifest == "file-null":
        data["editions"][0]["file"] = None
        path.write_text(json.dumps(data))
    elif manifest == "sparse-20g":
        with path.open("r+b") as f:
            f.truncate(20 << 30)
    else:
        path.write_text("{")
    if manifest != "sparse-20g":  # SHA256SUMS made anew, so only the manifest is wrong
        sums = out / "SHA256SUMS"
        sums.write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
                                for p in sorted(out.iterdir())
                                if p.name != "SHA256SUMS" and p.is_file()))
    result = CliRunner().invoke(cli, ["verify", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and path.name in errors[0], result.output


@pytest.mark.parametrize("name", ["²0.md", "ch①.md", "٣.md"])
def test_chapter_names_with_digits_of_other_kinds_sort(name, tmp_path):
    book = make(tmp_path / "book", {"a1.md": "# 一\n\n甲。\n", name: "# 二\n\n乙。\n"})
    (book.parent / "out").mkdir()
    (book.parent / "out" / f"{TEMP_PREFIX}²-x.txt").write_text("stale?")  # not a process id
    result = CliRunner().invoke(cli, ["txt", str(book), "-o", str(book.parent / "out")])
    assert result.exit_code == 0, result.output
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "²")
        assert CliRunner().invoke(cli, ["txt", str(book), "-o",
                                        str(book.parent / "out")]).exit_code == 0


@pytest.mark.slow
def test_a_note_in_a_heading_and_a_pictured_heading_print_as_readers_expect(tmp_path):
    """The note called in a title is set like any other note (not at the title's
    size), and a heading that is a picture is a line of text in the contents."""
    import pdfplumber

    book = make(tmp_path / "book", {
        "a.md": "# 书\n\n## 第一章[^1]\n\n正文[^2]。\n\n[^1]: 标题注。\n[^2]: 正文注。\n\n"
                "## ![插图章](i.png)\n\n后文。\n", "i.png": png(400, 200)})
    result = CliRunner().invoke(cli, ["pdf", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(next((tmp_path / "out").glob("*.pdf"))) as pdf:
        sizes = {c["text"]: round(c["size"], 1) for page in pdf.pages for c in page.chars
                 if c["text"] in "标正注"}
        contents = next(page for page in pdf.pages if "插图章" in (page.extract_text() or ""))
        assert not contents.images, "a picture in the table of contents"
    assert sizes["标"] == sizes["注"], sizes
