"""The vertical EPUB (``writing_mode = "vertical-rl"``, ``--vertical``): columns
read top to bottom, right to left, pages turned leftwards.

What makes a reading system set the book vertically: the style sheet
``styles/vertical.css`` (``CSS``), which every content document links after
the theme's, setting ``writing-mode`` on ``html`` (Apple Books reads it
there and only there; Kobo's WebKit reader reads the CSS property); the
spine's ``page-progression-direction="rtl"`` (EPUB 3.3, which Kobo and Apple
Books follow); and the package's ``primary-writing-mode`` meta, which Kindle
reads.  The PDF stays horizontal: only the EPUB writer reads this option.
"""

from __future__ import annotations

from ebooklib import epub

from ..declarations.epub import VERTICAL, WRITING_MODE

#: Where the style sheet goes in the package, beside the theme's.
CSS_NAME = "vertical.css"


def is_vertical(options: object) -> bool:
    return WRITING_MODE.of(options) == VERTICAL


def set_vertical(pub: epub.EpubBook) -> None:
    """The package of a vertical book: pages progress right to left, the
    primary writing mode said for Kindle, and the style sheet."""
    pub.set_direction("rtl")  # ebooklib: the spine's page-progression-direction
    pub.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": VERTICAL})
    pub.add_item(epub.EpubItem(uid="css-vertical", file_name=f"styles/{CSS_NAME}",
                               media_type="text/css", content=CSS.encode()))


# Every rule is written for vertical-rl: the physical sides are block-start =
# right, block-end = left, inline-start = top, inline-end = bottom.  The
# theme's rules that name a side (margins, rules down the left, floats) are
# turned here, with physical sides rather than logical properties, which the
# older WebKit of e-ink readers does not know.
CSS = """\
/* publish: the vertical EPUB (writing_mode = "vertical-rl").  Columns top to
   bottom, right to left; Han upright and Latin turned on its side
   (text-orientation: mixed), brackets and marks in their vertical forms (the
   font's vert feature, which upright text takes); numbers of one or two
   digits upright side by side (<span class="tcy">).  Code and tables stay
   horizontal. */
html {
  -epub-writing-mode: vertical-rl;
  -webkit-writing-mode: vertical-rl;
  writing-mode: vertical-rl;
  -epub-text-orientation: mixed;
  -webkit-text-orientation: mixed;
  text-orientation: mixed;
}
body { padding: 0.5em 0; }
.tcy {
  -epub-text-combine: horizontal;
  -webkit-text-combine: horizontal;
  text-combine-upright: all;
}

h1 { margin: 0 1.5em 0 1.2em; }
h2 { margin: 0 1.4em 0 0.8em; }
h3 { margin: 0 1.2em 0 0.6em; }
h4, h5, h6 { margin: 0 1em 0 0.5em; }
h1.part-title { margin-top: 0; margin-right: 30%; }
.chapter-title .label, .part-title .label { margin-bottom: 0; margin-left: 0.4em; }
.dialogue { margin: 0 0.6em; }

blockquote { margin: 2em 1em; }
.front blockquote { margin: 2em 3em; }
blockquote p.attribution, .latin blockquote p.attribution { margin-top: 0; margin-left: 0.3em; }

ul, ol { margin: 2em 0.6em 0 0.6em; }
li { margin: 0 0.2em; }
nav ol { padding-left: 0; padding-top: 1em; }
nav > ol { padding-top: 0; }
nav li { margin: 0 0.3em; }

/* Code and tables read across, as in any book: each a horizontal block in
   the column flow, no taller than the page. */
pre, table {
  -epub-writing-mode: horizontal-tb;
  -webkit-writing-mode: horizontal-tb;
  writing-mode: horizontal-tb;
  max-height: 90vh;
  overflow: auto;
}
pre { margin: 0 0.8em; }
table { margin: auto 1em; }

figure { margin: 0 1.2em; }
figcaption { margin-top: 0; margin-left: 0.4em; }
img, figure img { max-width: 100vw; max-height: 90vh; }
.cover img { max-width: 100%; max-height: 100vh; }
math[display="block"] { margin: 0 0.6em; }

hr.scene-break {
  border: none;
  border-right: 1px solid #888;
  width: 0;
  height: 20%;
  margin: auto 1.5em;
}

.notes { margin-top: 0; margin-right: 2em; padding-right: 1em; border-top: none;
         border-right: 1px solid #999; }

.book-title { margin: 0 25% 0 0.5em; }
.book-subtitle { margin-bottom: 0; margin-left: 3em; }
.publisher { margin-top: 0; margin-right: 4em; }
.copyright { margin-top: 0; margin-right: 20%; }
.copyright dt { float: none; width: auto; margin-right: 0.6em; }
.copyright dd { margin: 1em 0 0 0.3em; }
.copyright:not(:lang(zh)):not(:lang(ja)):not(:lang(ko)) dt { width: auto; }
.copyright:not(:lang(zh)):not(:lang(ja)):not(:lang(ko)) dd { margin-left: 0.3em; }
.copyright p { margin-top: 0; margin-right: 1em; }

.admonition { margin: 0 1em; padding: 0.9em 0.1em 0 0.1em; border-left: none;
              border-top: 2pt solid #777; }
.admonition-important, .admonition-warning, .admonition-caution,
.admonition-danger, .admonition-error, .admonition-attention {
  border-left: none;
  border-top: 4pt solid #222;
}
.admonition-title { margin-bottom: 0; margin-left: 0.2em; }
ul > li.task > .task-box:first-child,
ul > li.task > p:first-child > .task-box:first-child {
  width: auto;
  height: 1.2em;
  margin-left: 0;
  margin-top: -1.2em;
}
dl.definitions { margin: 0 0.8em; }
dl.definitions dt { margin-top: 0; margin-right: 0.4em; }
dl.definitions dd { margin: 2em 0.1em 0 0.4em; }
"""
