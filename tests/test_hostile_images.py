"""Hostile and awkward images: SVGs too big to draw (nested ``<use>``, patterns,
markers, sheer size, depth, references to themselves or to huge rasters), SVGs
that would make the EPUB invalid (DOCTYPE, Latin-1, other images, remote,
``file:`` and ``data:`` references, ``@import``), raster modes WeasyPrint draws
wrong, large rasters (resampled for print), and errors that point at the
image reference.  Each case asserts what a user wants: a one-line error naming
the file and line with exit 1, or a book whose EPUB passes EPUBCheck with no
error and no warning and whose PDF shows the image.  The files are made here."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_manuscript
from epub_validation import check_all

from publish.cli import cli

SVG_OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="60">')
GREEN = (0, 160, 80)
RED = (255, 0, 0)
BLUE = (0, 0, 255)


# --- making images ---------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def grey_png(width: int, height: int, rows: int | None = None) -> bytes:
    """A grey PNG; with ``rows`` < height, one holding only that many rows (its
    header claims the size, so only a decoder finds out)."""
    packer = zlib.compressobj()
    row = b"\x00" + b"\x80" * width
    data = b"".join(packer.compress(row) for _ in range(height if rows is None else rows))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + _chunk(b"IDAT", data + packer.flush()) + _chunk(b"IEND", b""))


def striped_rgb_png(width: int, height: int) -> bytes:
    """An RGB PNG of vertical stripes, every row the same (the "Up" filter makes
    the rest zeros): 88 megapixels in a few hundred KB."""
    packer = zlib.compressobj(9)
    first = b"\x00" + bytes((x * 7 + c * 50) % 256 for x in range(width) for c in range(3))
    rest = b"\x02" + bytes(3 * width)
    data = packer.compress(first) + b"".join(packer.compress(rest) for _ in range(height - 1))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + _chunk(b"IDAT", data + packer.flush()) + _chunk(b"IEND", b""))


def bad_filter_png(width: int, height: int) -> bytes:
    """A grey PNG whose 100th row has filter type 7."""
    row = b"\x00" + b"\x80" * width
    data = row * 99 + b"\x07" + b"\x80" * width + row * (height - 100)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(data)) + _chunk(b"IEND", b""))


def not_zlib_png(width: int, height: int) -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + _chunk(b"IDAT", b"this is not zlib data" * 50) + _chunk(b"IEND", b""))


def gradient_jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    grey = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", [grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                        grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM)]).save(out, "JPEG")
    return out.getvalue()


def pillow(mode: str, size: tuple[int, int], colour, fmt: str = "PNG", **options) -> bytes:
    from PIL import Image

    image = Image.new(mode, size, colour)
    if mode == "P":
        image.putpalette([*GREEN, *RED] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def solid(colour=RED, size=(120, 80), fmt: str = "PNG") -> bytes:
    return pillow("RGB", size, colour, fmt)


def svg(body: str, head: str = "", open_tag: str = SVG_OPEN) -> str:
    return f"{head}{open_tag}{body}</svg>\n"


GREEN_RECT = '<rect width="100" height="60" fill="#00a050"/>'


def use_bomb(levels: int, fan: int = 10) -> str:
    """A "billion laughs" of <use>: each level a group of ``fan`` uses of the one below."""
    defs = ['<rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        defs.append(f'<g id="l{level}">'
                    + "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(fan)) + "</g>")
    return svg(f"<defs>{''.join(defs)}</defs><use xlink:href=\"#l{levels}\"/>")


def pattern_bomb(levels: int, fan: int = 12) -> str:
    """Patterns whose tiles are filled with the pattern below: no <use> at all."""
    defs = ['<pattern id="p0" width="1" height="1"><rect width="1" height="1"/></pattern>']
    for level in range(1, levels + 1):
        defs.append(f'<pattern id="p{level}" width="9" height="9">'
                    + "".join(f'<rect width="1" height="1" fill="url(#p{level - 1})"/>'
                              for _ in range(fan)) + "</pattern>")
    return svg(f"<defs>{''.join(defs)}</defs>"
               f'<rect width="100" height="60" fill="url(#p{levels})"/>')


def marker_bomb(levels: int, vertices: int = 60) -> str:
    """Markers drawn at every vertex of a path that carries the marker below."""
    points = " ".join(f"{i},{i % 7}" for i in range(vertices))
    defs = ['<marker id="m0"><rect width="1" height="1"/></marker>']
    for level in range(1, levels + 1):
        defs.append(f'<marker id="m{level}"><polyline points="{points}" '
                    f'marker-mid="url(#m{level - 1})"/></marker>')
    return svg(f"<defs>{''.join(defs)}</defs>"
               f'<polyline points="{points}" marker-mid="url(#m{levels})"/>')


def css_pattern_bomb(levels: int, fan: int = 12) -> str:
    """The same bomb with the fills set from a style sheet."""
    rules = "".join(f".f{level} {{ fill: url(#p{level}) }} " for level in range(levels))
    defs = ['<pattern id="p0" width="1" height="1"><rect width="1" height="1"/></pattern>']
    for level in range(1, levels + 1):
        defs.append(f'<pattern id="p{level}" width="9" height="9">'
                    + "".join(f'<rect class="f{level - 1}" width="1" height="1"/>'
                              for _ in range(fan)) + "</pattern>")
    return svg(f"<style>{rules}</style><defs>{''.join(defs)}</defs>"
               f'<rect class="f{levels}" width="100" height="60"/>')


def illustrator_style(gradients: int, shapes: int) -> str:
    """As Illustrator writes them: gradient fills set by class from a style sheet
    (each shape draws one gradient, not all of them)."""
    css = "".join(f".st{i}{{fill:url(#SVGID_{i}_);}}" for i in range(gradients))
    defs = "".join(f'<linearGradient id="SVGID_{i}_"><stop offset="0" stop-color="#00a050"/>'
                   f'<stop offset="1" stop-color="#00a050"/></linearGradient>'
                   for i in range(gradients))
    rects = "".join(f'<rect class="st{i % gradients}" width="100" height="60"/>'
                    for i in range(shapes))
    return svg(f"<style>{css}</style><defs>{defs}</defs>{rects}")


def deep(levels: int) -> str:
    return svg("<g>" * levels + GREEN_RECT + "</g>" * levels)


def flat(count: int) -> str:
    return svg('<rect width="1" height="1"/>' * count)


def entity_bomb() -> str:
    lol = '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        lol += f'<!ENTITY {chr(ord("a") + level)} "{("&" + prev + ";") * 10}">'
    return svg("<text>&i;</text>", head=f"<!DOCTYPE svg [{lol}]>")


LONG_PATH = " ".join(f"L{i % 997} {i * 7 % 601}" for i in range(20_000))   # 200 KB
LICENCE = "<!--\n" + "Licensed under the Apache License, Version 2.0. " * 30 + "\n-->\n"


# --- the cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    error: str = ""                  # exit 1, one error line holding this…
    where: str = ""                  # …and this place ("a.md:5")
    warning: str = ""                # built, with this warning
    colour: tuple[int, int, int] | None = None   # a PDF page shows this colour
    epub_has: tuple[str, ...] = ()   # text in the packed images (after rewriting)
    epub_lacks: tuple[str, ...] = ()
    args: tuple[str, ...] = ()


def book(image: str, name: str = "pic.svg", line: int = 5, extra: str = "") -> dict:
    """a.md with the image reference at ``line`` (the file named in the text before it)."""
    text = "# 章\n\n正文提到 " + name + " 这个文件。\n" + "\n" * (line - 5) + f"\n![图]({name})\n"
    return {"a.md": text + extra, name: image}


ERRORS: dict[str, Case] = {
    # --- SVGs too big to draw ---
    "use-bomb": Case(book(use_bomb(6)), error="more than 50,000 elements", where="a.md:5"),
    "use-bomb-deeper": Case(book(use_bomb(9), line=9), error="more than 50,000 elements",
                            where="a.md:9"),
    "use-bomb-wide": Case(book(use_bomb(3, fan=60)), error="more than 50,000 elements"),
    "pattern-bomb": Case(book(pattern_bomb(6)), error="more than 50,000 elements"),
    "css-pattern-bomb": Case(book(css_pattern_bomb(6)), error="more than 50,000 elements"),
    "marker-bomb": Case(book(marker_bomb(4)), error="more than 50,000 elements"),
    "flat-huge": Case(book(flat(60_000)), error="more than 50,000 elements"),
    "long-path-used-often": Case(book(svg(f'<defs><path id="p" d="M0 0 {LONG_PATH}"/></defs>'
                                          + '<use href="#p"/>' * 40)),
                                 error="more than 50,000 elements"),
    "longest-path": Case(book(svg(f'<path d="M0 0 {LONG_PATH * 20}"/>')),
                         error="more than 50,000 elements"),
    "too-deep": Case(book(deep(150)), error="nested more than 100 levels"),
    "use-chain-deep": Case(book(svg('<g id="g0"><rect width="1" height="1"/></g>' + "".join(
        f'<g id="g{i}"><use href="#g{i - 1}"/></g>' for i in range(1, 120)))),
        error="more than 100 levels"),
    "use-cycle": Case(book(svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>')),
                      error="refers to itself"),
    "entity-bomb": Case(book(entity_bomb()), error="not a well-formed SVG"),
    "external-entity": Case(book(svg("<text>&x;</text>",
                                     head='<!DOCTYPE svg [<!ENTITY x SYSTEM "/etc/passwd">]>')),
                            error="not a well-formed SVG"),
    # --- what an SVG shows ---
    "svg-image-huge-png": Case({**book(svg('<image href="huge.png" width="10" height="10"/>')),
                                "huge.png": grey_png(13000, 13000, rows=2)},
                               error="169 megapixels", where="a.md:5"),
    "svg-image-huge-png-xlink": Case({**book(svg('<image xlink:href="sub/h.png"/>')),
                                      "sub/h.png": grey_png(20000, 9000, rows=2)},
                                     error="180 megapixels"),
    "svg-image-missing": Case(book(svg('<image href="nope.png"/>')), error="does not exist"),
    "svg-image-outside": Case(book(svg('<image href="../outside.png"/>')),
                              error="lies outside the manuscript"),
    "svg-image-corrupt": Case({**book(svg('<image href="bad.png"/>')),
                               "bad.png": b"\x89PNG\r\n\x1a\nJUNK"}, error="cannot be decoded"),
    "svg-image-of-bomb": Case({**book(svg('<image href="bomb.svg"/>')),
                               "bomb.svg": use_bomb(7)}, error="more than 50,000 elements"),
    "svg-images-multiply": Case({**book(svg('<image href="b.svg"/>' * 300)),
                                 "b.svg": svg('<image href="c.svg"/>' * 300),
                                 "c.svg": svg(GREEN_RECT)}, error="more than 50,000 elements"),
    "svg-image-of-itself": Case(book(svg('<image href="pic.svg"/>')), error="shows the SVG itself"),
    "svg-images-in-a-ring": Case({**book(svg('<image href="b.svg"/>')),
                                  "b.svg": svg('<image href="pic.svg"/>')},
                                 error="shows the SVG itself"),
    # --- large PNGs, checked a band of rows at a time ---
    "large-png-truncated": Case({"a.md": "# 章\n\n![大](big.png)\n",
                                 "big.png": grey_png(4000, 3000, rows=1000)},
                                error="image file is truncated", where="a.md:3"),
    "large-png-bad-filter": Case({"a.md": "# 章\n\n![大](big.png)\n",
                                  "big.png": bad_filter_png(4000, 3000)},
                                 error="unknown filter"),
    "large-png-not-zlib": Case({"a.md": "# 章\n\n![大](big.png)\n",
                                "big.png": not_zlib_png(4000, 3000)}, error="cannot be decoded"),
    "large-jpeg-truncated": Case({"a.md": "# 章\n\n![大](big.jpg)\n",
                                  "big.jpg": gradient_jpeg(4000, 3000)[:150_000]},
                                 error="truncated", where="a.md:3"),
    # --- not an SVG, not an image ---
    "xml-not-svg": Case(book('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>'),
                        error="unsupported type", where="a.md:5"),
    "svg-broken": Case(book(LICENCE + SVG_OPEN + "<rect>"), error="not a well-formed SVG"),
    # --- errors point at the reference ---
    "missing-named-earlier": Case({"a.md": "# 章\n\n先说 gone.png 这个名字。\n\n\n"
                                           "![图](gone.png)\n"},
                                  error="'gone.png' does not exist", where="a.md:6"),
    "second-reference-line": Case({"a.md": "# 章\n\n![一](ok.png)\n\n`![二](bad.png)`\n\n"
                                           "![二](bad.png)\n",
                                   "ok.png": solid(), "bad.png": b"\x89PNG\r\n\x1a\nJUNK"},
                                  error="cannot be decoded", where="a.md:7"),
    "html-img-line": Case({"a.md": "# 章\n\nbad.png\n\n<p>图：<img src=\"bad.png\" alt=\"x\"></p>\n",
                           "bad.png": b"GIF89a broken"}, error="cannot be decoded",
                          where="a.md:5"),
    "reference-definition-line": Case({"a.md": "# 章\n\n写 nothing.png。\n\n![图][r]\n\n"
                                               "[r]: nothing.png\n"},
                                      error="does not exist", where="a.md:7"),
    "percent-missing": Case({"a.md": "# 章\n\n![图](my%20pic.png)\n"},
                            error="'my%20pic.png' does not exist", where="a.md:3"),
}

BUILT: dict[str, Case] = {
    # --- SVGs an EPUB would reject as they are ---
    "svg-doctype": Case(book(svg(GREEN_RECT, head='<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC '
                                 '"-//W3C//DTD SVG 1.1//EN" '
                                 '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n')),
                        colour=GREEN, epub_lacks=("DOCTYPE",)),
    "svg-doctype-1.0": Case(book(svg(GREEN_RECT, head='<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG '
                                     '1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/'
                                     'svg10.dtd">\n')), colour=GREEN, epub_lacks=("DOCTYPE",)),
    "svg-doctype-entities": Case(book(svg('<text y="20">&who;</text>' + GREEN_RECT,
                                          head='<!DOCTYPE svg [<!ENTITY who "作者">]>')),
                                 colour=GREEN, epub_has=("作者",), epub_lacks=("ENTITY",)),
    "svg-latin1": Case(book(svg('<title>Café crème</title>' + GREEN_RECT,
                                head='<?xml version="1.0" encoding="ISO-8859-1"?>\n')
                            .encode("latin-1")),
                       colour=GREEN, epub_has=("Café crème", "utf-8")),
    "svg-utf16": Case(book(svg(GREEN_RECT, head='<?xml version="1.0" encoding="UTF-16"?>\n')
                           .encode("utf-16")), colour=GREEN),
    "svg-licence-first": Case(book(LICENCE + svg(GREEN_RECT)), colour=GREEN,
                              epub_has=("Licensed under the Apache License",)),
    "svg-licence-doctype-first": Case(book('<?xml version="1.0"?>\n' + LICENCE
                                           + '<!DOCTYPE svg [<!ENTITY g "#00a050">]>\n'
                                           + svg('<rect width="100" height="60" fill="&g;"/>')),
                                      colour=GREEN),
    "svg-without-namespace": Case(book(svg(GREEN_RECT, open_tag='<svg width="100" height="60">')),
                                  colour=GREEN),
    "svg-with-png": Case({**book(svg('<image href="red.png" width="100" height="60"/>')),
                          "red.png": solid()}, colour=RED, epub_has=('href="002.png"',)),
    "svg-with-png-in-folder": Case({**book(svg('<image xlink:href="../art/red%20one.png" '
                                               'width="100" height="60"/>'), name="pics/p.svg"),
                                    "art/red one.png": solid()},
                                   colour=RED, epub_has=('href="002.png"',)),
    "svg-with-jpeg": Case({**book(svg('<image href="b.jpg" width="100" height="60"/>')),
                           "b.jpg": solid(BLUE, fmt="JPEG")}, colour=BLUE),
    "svg-with-svg": Case({**book(svg('<image href="inner.svg" width="100" height="60"/>')),
                          "inner.svg": svg('<image href="red.png" width="100" height="60"/>'),
                          "red.png": solid()}, colour=RED, epub_has=('href="002.svg"',)),
    "svg-shared-png": Case({"a.md": "# 章\n\n![一](one.svg)\n\n![二](two.svg)\n\n![三](red.png)\n",
                            "one.svg": svg('<image href="red.png" width="100" height="60"/>'),
                            "two.svg": svg('<image href="red.png" width="100" height="60"/>'),
                            "red.png": solid()}, colour=RED),
    "svg-gradients-by-class": Case(book(illustrator_style(60, 600)), colour=GREEN),
    # --- references removed, with a warning naming the file ---
    "svg-remote-image": Case(book(svg(GREEN_RECT + '<image href="https://example.test/x.png" '
                                      'width="9" height="9"/>')),
                             warning="'pic.svg': removed what a book cannot carry", colour=GREEN,
                             epub_lacks=("example.test",)),
    "svg-remote-image-xlink": Case(book(svg(GREEN_RECT + '<image xlink:href="http://127.0.0.1:9/'
                                            'x.png"/>')),
                                   warning="<image> of remote", colour=GREEN,
                                   epub_lacks=("127.0.0.1",)),
    "svg-file-image": Case(book(svg(GREEN_RECT + '<image href="file:///etc/hostname"/>')),
                           warning="<image> of file:", colour=GREEN, epub_lacks=("file:",)),
    "svg-data-image": Case(book(svg(GREEN_RECT + '<image href="data:image/png;base64,'
                                    'iVBORw0KGgo="/>')),
                           warning="<image> of data:", colour=GREEN, epub_lacks=("data:",)),
    "svg-style-import": Case(book(svg('<style>@import url("https://example.test/a.css");\n'
                                      'rect { stroke: black }</style>' + GREEN_RECT)),
                             warning="@import", colour=GREEN, epub_lacks=("@import",)),
    "svg-style-import-escaped": Case(book(svg('<style>@\\69mport "../secret.css";</style>'
                                              + GREEN_RECT)),
                                     warning="@import", colour=GREEN, epub_lacks=("secret",)),
    "svg-style-import-local": Case({**book(svg('<style>@import "s.css";</style>' + GREEN_RECT)),
                                    "s.css": "rect { fill: red }"},
                                   warning="@import", colour=GREEN, epub_lacks=("s.css",)),
    "svg-css-remote-url": Case(book(svg('<style>circle { fill: url(https://example.test/#g) }'
                                        '</style><rect width="100" height="60" '
                                        'style="stroke: url(file:///etc/x)" fill="#00a050"/>')),
                               warning="url(", colour=GREEN,
                               epub_lacks=("example.test", "file:")),
    "svg-font-face": Case(book(svg('<style>@font-face { font-family: X; src: url(x.woff) }'
                                   '</style>' + GREEN_RECT)),
                          warning="@font-face", colour=GREEN, epub_lacks=("x.woff",)),
    "svg-use-other-file": Case({**book(svg('<use href="other.svg#r"/>' + GREEN_RECT)),
                                "other.svg": svg('<rect id="r" width="9" height="9"/>')},
                               warning="<use> of another file's", colour=GREEN,
                               epub_lacks=("other.svg",)),
    "svg-remote-fill": Case(book(svg('<rect width="100" height="60" fill="#00a050" '
                                     'stroke="url(https://example.test/p.svg#g)"/>')),
                            warning='stroke="url(', colour=GREEN, epub_lacks=("example.test",)),
    "svg-script-and-remote": Case(book(svg('<script>alert(1)</script>' + GREEN_RECT
                                           + '<a href="javascript:alert(2)"><text>x</text></a>'
                                           + '<image href="//example.test/x.png"/>')),
                                  warning="scripts and event handlers removed", colour=GREEN,
                                  epub_lacks=("alert", "example.test")),
    "svg-links-kept": Case(book(svg('<a href="https://example.test/">' + GREEN_RECT + "</a>"
                                    '<a href="other.md"><text>x</text></a>')),
                           warning="link 'other.md'", colour=GREEN,
                           epub_has=("https://example.test/",), epub_lacks=("other.md",)),
    # --- raster modes WeasyPrint draws wrong ---
    "png-16-bit-grey": Case({"a.md": "# 章\n\n![灰](g.png)\n",
                             "g.png": pillow("I;16", (200, 100), 0x8000)}, colour=(128, 128, 128)),
    "png-16-bit-grey-dark": Case({"a.md": "# 章\n\n![灰](g.png)\n",
                                  "g.png": pillow("I;16", (200, 100), 0x2000)},
                                 colour=(32, 32, 32)),
    "png-palette-transparency": Case({"a.md": "# 章\n\n![色](p.png)\n",
                                      "p.png": pillow("P", (200, 100), 1, transparency=0)},
                                     colour=RED),
    "png-grey-alpha": Case({"a.md": "# 章\n\n![灰](la.png)\n",
                            "la.png": pillow("LA", (200, 100), (60, 255))}, colour=(60, 60, 60)),
    "png-one-bit": Case({"a.md": "# 章\n\n![黑](b.png)\n", "b.png": pillow("1", (200, 100), 0)},
                        colour=(0, 0, 0)),
    "jpeg-cmyk": Case({"a.md": "# 章\n\n![红](c.jpg)\n",
                       "c.jpg": pillow("CMYK", (200, 100), (0, 255, 255, 0), "JPEG")},
                      colour=(237, 28, 36)),
    "jpeg-cmyk-large": Case({"a.md": "# 章\n\n![红](c.jpg)\n",
                             "c.jpg": pillow("CMYK", (3000, 1500), (0, 255, 255, 0), "JPEG")},
                            colour=(237, 28, 36)),
    "gif-transparent": Case({"a.md": "# 章\n\n![色](p.gif)\n",
                             "p.gif": pillow("P", (200, 100), 1, "GIF", transparency=0)},
                            colour=RED),
    "webp": Case({"a.md": "# 章\n\n![蓝](b.webp)\n", "b.webp": solid(BLUE, fmt="WEBP")},
                 colour=BLUE),
    # --- names ---
    "percent-encoded-name": Case({"a.md": "# 章\n\n![红](my%20pic.png)\n", "my pic.png": solid()},
                                 colour=RED),
    "percent-encoded-html": Case({"a.md": "# 章\n\n<p><img src=\"my%20pic.png\" alt=\"红\"></p>\n",
                                  "my pic.png": solid()}, colour=RED),
    "angle-bracket-name": Case({"a.md": "# 章\n\n![红](<my pic.png>)\n", "my pic.png": solid()},
                               colour=RED),
    "hash-and-percent-in-name": Case({"a.md": "# 章\n\n![红](a%231%25.png)\n", "a#1%.png": solid()},
                                     colour=RED),
    "literal-percent-name": Case({"a.md": "# 章\n\n![红](100%.png)\n", "100%.png": solid()},
                                 colour=RED),
    "reference-style-encoded": Case({"a.md": "# 章\n\n![红][r]\n\n[r]: x%20y.png\n",
                                     "x y.png": solid()}, colour=RED),
}


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True)
    write_manuscript(folder, files)
    (folder.parent / "outside.png").write_bytes(solid())
    return folder


def colour_pixels(pdf: Path, colour: tuple[int, int, int], tolerance: int = 24) -> int:
    """How many pixels of the PDF's pages, drawn at 72 dpi, are near ``colour``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    count = 0
    try:
        for page in document:
            image = page.render(scale=1).to_pil().convert("RGB")
            for n, pixel in image.getcolors(1 << 24):
                if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour)):
                    count += n
    finally:
        document.close()
    return count


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case built once: name -> (exit code, output, out dir, exception, seconds)."""
    base = tmp_path_factory.mktemp("images")
    results = {}
    for name, case in {**ERRORS, **BUILT}.items():
        folder = make(base / name / "book", case.files)
        out = base / name / "out"
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["all", str(folder), "-o", str(out), *case.args])
        results[name] = (result.exit_code, result.output, out, result.exception,
                         time.monotonic() - start)
    return results


@pytest.mark.parametrize("name", list(ERRORS))
def test_an_image_a_book_cannot_use_is_one_error(name, outcomes):
    case = ERRORS[name]
    code, output, out, exception, seconds = outcomes[name]
    assert not isinstance(exception, Exception) or isinstance(exception, SystemExit), (
        f"traceback: {exception!r}")
    assert code == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and case.error in errors[0], output
    named = Path(next(n for n in case.files if n.endswith(".md"))).name
    assert named in errors[0], errors[0]
    if case.where:
        assert f"{case.where}: " in errors[0], errors[0]
    assert not out.exists() or not any(out.iterdir()), "a failed build wrote files"
    assert seconds < 30, f"took {seconds:.0f} s to refuse"


@pytest.mark.parametrize("name", list(BUILT))
def test_an_awkward_image_is_built_and_shown(name, outcomes):
    case = BUILT[name]
    code, output, out, exception, _ = outcomes[name]
    assert not isinstance(exception, Exception) or isinstance(exception, SystemExit), (
        f"traceback: {exception!r}")
    assert code == 0, output
    assert "ERROR" not in output and "Failed to" not in output, output
    if case.warning:
        warnings = [line for line in output.splitlines() if case.warning in line]
        assert warnings, output
        assert all("a.md:" in w and any(n in w for n in case.files if not n.endswith(".md"))
                   for w in warnings), warnings
    else:
        assert "removed" not in output, output
    (epub,) = out.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        images = {n: z.read(n) for n in z.namelist() if n.startswith("EPUB/images/")
                  and "cover" not in n}
    assert images, "no image packed"
    packed = b"".join(data for n, data in images.items() if n.endswith(".svg")).decode("utf-8")
    for needle in case.epub_has:
        assert needle in packed, packed[:400]
    for needle in case.epub_lacks:
        assert needle not in packed, packed[:400]
    for data in images.values():
        assert not data.startswith(b"<?xml") or data.startswith(b"<?xml version='1.0' encoding"
                                                               b"='utf-8'?>")
    (pdf,) = out.glob("*.pdf")
    if case.colour:
        assert colour_pixels(pdf, case.colour) > 400, f"{case.colour} is not on any page"
    text = next(out.glob("*.txt")).read_text(encoding="utf-8")
    assert "［图" in text


def test_each_warning_names_its_own_reference(tmp_path):
    """The same remote image twice, its URL also in the text and in code: one
    warning per reference, each at that reference's line."""
    url = "https://example.test/a.png"
    folder = make(tmp_path / "book", {"a.md": f"# 章\n\n地址是 {url}。\n\n`![x]({url})`\n\n"
                                              f"![一]({url})\n\n正文。\n\n<img src=\"{url}\" "
                                              'alt="二">\n'})
    result = CliRunner().invoke(cli, ["txt", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "remote image" in line]
    assert [w.split("a.md:")[1].split(":")[0] for w in warnings] == ["7", "11"], warnings


@pytest.mark.slow
def test_every_built_epub_passes_epubcheck_with_no_warning(outcomes):
    epubs = {name: next(outcomes[name][2].glob("*.epub")) for name in BUILT}
    reports = check_all(list(epubs.values()))
    bad = {name: reports[path].messages[:3] for name, path in epubs.items()
           if reports[path].fatals or reports[path].errors or reports[path].warnings}
    assert not bad, bad


# --- print resolution ------------------------------------------------------------------


def placed_images(pdf: Path) -> list[tuple[tuple[int, int], float, float]]:
    """(pixels, width pt, height pt) of every image drawn in the PDF."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [(tuple(image["srcsize"]), image["width"], image["height"])
                for page in document.pages for image in page.images]


def build(tmp_path: Path, files: dict, *args: str) -> Path:
    folder = make(tmp_path / "book", files)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", str(folder), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.pdf"))


@pytest.mark.parametrize("profile, dpi", [((), 300), (("--profile", "screen"), 150)])
def test_a_large_photo_is_printed_at_the_resolution_the_page_needs(tmp_path, profile, dpi):
    from publish.writers.pdf import page_geometry, parse_trim

    files = {"a.md": "# 章\n\n![照片](p.jpg)\n\n![图](p.png)\n",
             "p.jpg": solid(BLUE, (4000, 3000), "JPEG"), "p.png": solid(RED, (3000, 3000))}
    pdf = build(tmp_path, files, *profile)
    measure = page_geometry(parse_trim("a5")).measure
    placed = placed_images(pdf)
    assert len(placed) == 2
    for (width, height), placed_width, placed_height in placed:
        assert placed_width == pytest.approx(measure, abs=0.5)   # the placed size is kept
        assert width == pytest.approx(measure / 72 * dpi, abs=2)
        assert placed_height == pytest.approx(placed_width * height / width, rel=0.01)
    assert pdf.stat().st_size < 600_000
    assert not any(p.name != "a.md" and p.suffix not in (".jpg", ".png")
                   for p in (tmp_path / "book").iterdir()), "a copy was written into the book"
    assert sorted(p.name for p in (tmp_path / "book").iterdir()) == ["a.md", "p.jpg", "p.png"]


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "P", "P-transparent"])
def test_a_large_png_reduced_band_by_band_equals_one_decoded_whole(tmp_path, mode, monkeypatch):
    """Every PNG filter (Pillow picks per row when optimizing), every plain mode,
    bands of 30 rows or so."""
    from PIL import Image, ImageChops

    import publish.raster
    monkeypatch.setattr(publish.raster, "_BAND_BYTES", 100_000)

    from publish.png import png_layout
    from publish.raster import _drawable, _reduced_png

    noise = Image.effect_noise((1201, 997), 80).convert("L")
    image = {"L": lambda: noise, "LA": lambda: Image.merge("LA", [noise, noise.rotate(90)]),
             "RGB": lambda: Image.merge("RGB", [noise, noise.rotate(90), noise.rotate(180)]),
             "RGBA": lambda: Image.merge("RGBA", [noise, noise.rotate(90), noise.rotate(180),
                                                  noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM)]),
             }.get(mode, lambda: noise.convert("P", palette=Image.Palette.ADAPTIVE, colors=64))()
    path = tmp_path / "n.png"
    image.save(path, optimize=True, **({"transparency": 3} if mode == "P-transparent" else {}))
    layout = png_layout(path)
    reduced = _reduced_png(path, layout, 3)
    with Image.open(path) as whole:
        whole.load()
        expected = _drawable(whole).reduce(3)
    assert reduced.mode == expected.mode and reduced.size == expected.size
    assert ImageChops.difference(reduced, expected).getbbox() is None


def test_a_photo_in_an_svg_keeps_its_size_once_resampled(tmp_path):
    """An <image> without width and height is as large as its pixels: the copy
    resampled for print must still fill the SVG (225×150 pt here)."""
    pdf = build(tmp_path, {"a.md": "# 章\n\n![图](p.svg)\n",
                           "p.svg": svg('<image href="big.png"/>', open_tag=(
                               '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" '
                               'viewBox="0 0 3000 2000">')),
                           "big.png": solid(RED, (3000, 2000))})
    assert colour_pixels(pdf, RED) > 0.9 * 225 * 150


def test_a_small_image_is_kept_as_it_is(tmp_path):
    pdf = build(tmp_path, {"a.md": "# 章\n\n![小](s.png)\n", "s.png": solid(RED, (64, 40))})
    ((size, width, height),) = placed_images(pdf)
    assert size == (64, 40) and width == pytest.approx(48) and height == pytest.approx(30)


def test_an_upright_photo_stays_upright(tmp_path):
    from PIL import Image

    image = Image.new("RGB", (3000, 1000), BLUE)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    pdf = build(tmp_path, {"a.md": "# 章\n\n![竖](r.jpg)\n", "r.jpg": out.getvalue()})
    ((size, width, height),) = placed_images(pdf)
    assert height > width * 2.5 and size[1] > size[0] * 2.5


def test_an_image_weasyprint_cannot_draw_stops_the_build(tmp_path, monkeypatch):
    """Should WeasyPrint fail on an image after every check, the build fails
    naming it (here the print copy is made corrupt on purpose)."""
    import publish.raster

    def broken_copy(path, max_width, dpi, out):
        out.mkdir(parents=True, exist_ok=True)
        (out / "0001.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
        return out / "0001.png"

    monkeypatch.setattr(publish.raster, "print_copy", broken_copy)
    folder = make(tmp_path / "book", {"a.md": "# 章\n\n![图](red.png)\n",
                                      "red.png": solid(RED, (3000, 2000))})
    result = CliRunner().invoke(cli, ["pdf", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "red.png" in errors[0] and "could not be drawn" in errors[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- resource bounds ---------------------------------------------------------------------


def peak(tmp_path: Path, folder: Path, edition: str = "pdf") -> tuple[float, float]:
    """Peak resident memory (MB) and wall time (s) of a build in a fresh process."""
    record = tmp_path / "peak"
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "peak_memory.py"),
                           str(record), edition, str(folder), "-o", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return int(record.read_text()) / 1024, time.monotonic() - start


@pytest.mark.slow
def test_an_88_megapixel_png_prints_within_bounds(tmp_path):
    folder = make(tmp_path / "book", {"a.md": "# 章\n\n![一](a.png)\n\n![二](b.png)\n\n"
                                              "![三](a.png)\n",
                                      "a.png": striped_rgb_png(9400, 9400)})
    (folder / "b.png").write_bytes((folder / "a.png").read_bytes())
    peak_mb, seconds = peak(tmp_path, folder)
    # Measured: 196 MB (772 MB when WeasyPrint decoded it whole, 350 MB to hold it decoded).
    assert peak_mb < 350, f"peak {peak_mb:.0f} MB"
    assert seconds < 60, f"{seconds:.0f} s"
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert pdf.stat().st_size < 1_000_000
    assert all(size[0] < 1400 for size, _, _ in placed_images(pdf))


@pytest.mark.slow
def test_an_88_megapixel_jpeg_prints_within_bounds(tmp_path):
    folder = make(tmp_path / "book", {"a.md": "# 章\n\n![一](a.jpg)\n",
                                      "a.jpg": gradient_jpeg(9400, 9400)})
    peak_mb, _ = peak(tmp_path, folder)
    # Measured: 108 MB (377 MB when the check decoded it whole).
    assert peak_mb < 250, f"peak {peak_mb:.0f} MB"
    assert all(size[0] < 1400 for size, _, _ in placed_images(next((tmp_path / "out").glob(
        "*.pdf"))))


@pytest.mark.slow
@pytest.mark.parametrize("maker", [lambda: use_bomb(7), lambda: pattern_bomb(7),
                                   lambda: marker_bomb(5), lambda: flat(2_000_000)],
                         ids=["use", "pattern", "marker", "flat"])
def test_an_svg_bomb_is_refused_quickly_in_little_memory(tmp_path, maker):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "a.md").write_text("# 章\n\n![炸](b.svg)\n", encoding="utf-8")
    (folder / "b.svg").write_text(maker(), encoding="utf-8")
    record = tmp_path / "peak"
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "peak_memory.py"),
                           str(record), "pdf", str(folder), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "b.svg" in done.stderr, done.stderr
    assert time.monotonic() - start < 20
    assert int(record.read_text()) / 1024 < 400


@pytest.mark.slow
def test_the_largest_svg_allowed_prints_in_bounded_time(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "a.md").write_text("# 章\n\n![大](b.svg)\n", encoding="utf-8")
    (folder / "b.svg").write_text(use_bomb(4, fan=7), encoding="utf-8")  # 2,801 drawn
    assert peak(tmp_path, folder)[0] < 640
    (folder / "b.svg").write_text(flat(49_000), encoding="utf-8")
    peak_mb, seconds = peak(tmp_path, folder)
    assert peak_mb < 900, f"peak {peak_mb:.0f} MB"
    assert seconds < 120, f"{seconds:.0f} s"
