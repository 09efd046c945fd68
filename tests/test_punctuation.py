"""Typographic punctuation in the reader (publish/reader/punctuation.py).

The expectations come from English typographic convention, as The Chicago
Manual of Style (17th ed.) sets it out in its chapters on punctuation and
on abbreviations: curly quotation marks, periods and commas inside the
closing quote (American style), other marks inside only when they belong
to the quotation, the apostrophe (’, never ‘) for an omission at the start
of a word ('tis, '90s, rock 'n' roll) and in possessives, the en dash for
ranges, the em dash for a break, the ellipsis; and from Chinese convention
(W3C clreq; GB/T 15834-2011 标点符号用法): “ ” and ‘ ’ for Simplified
Chinese, 破折号 as two em dashes ——, 省略号 as two ellipses …….
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import pytest

from publish.reader.markdown import make_markdown
from publish.reader.punctuation import SmartPunctuationTreeprocessor, smarten

CHICAGO = [
    # Quotation marks, with the punctuation beside them.
    ('"Hello," she said.', "“Hello,” she said."),
    ('She said, "Hello."', "She said, “Hello.”"),
    ('Did she say "yes"?', "Did she say “yes”?"),
    ('"Did she say yes?"', "“Did she say yes?”"),
    ('"Stop!" he cried.', "“Stop!” he cried."),
    ('the words "heart"; "mind": and "soul".', "the words “heart”; “mind”: and “soul”."),
    ('(see "Notes")', "(see “Notes”)"),
    ('["quoted"]', "[“quoted”]"),
    ('"Did she say \'yes\'?"', "“Did she say ‘yes’?”"),
    ('"She said, \'I\'m here.\'"', "“She said, ‘I’m here.’”"),
    ("'Single quotes,' he said.", "‘Single quotes,’ he said."),
    ("'Keep your breath to cool your porridge'; and", "‘Keep your breath to cool your porridge’; and"),
    ('He turned---"Wait!"', "He turned—“Wait!”"),
    ('"I was---"', "“I was—”"),
    ('"Well..."', "“Well…”"),
    ('"...and then"', "“…and then”"),
    ('"It\'s 5 o\'clock."', "“It’s 5 o’clock.”"),
    ('Quotes "around" words "and" more "quotes".', "Quotes “around” words “and” more “quotes”."),
    ("“Already curly” and \"straight\"", "“Already curly” and “straight”"),
    # Apostrophes: contractions, elisions, possessives, abbreviated years.
    ("It's", "It’s"),
    ("don't won't can't", "don’t won’t can’t"),
    ("o'clock", "o’clock"),
    ("O'Reilly", "O’Reilly"),
    ("Bingley's sister", "Bingley’s sister"),
    ("the Bingleys' invitation", "the Bingleys’ invitation"),
    ("Charles's book", "Charles’s book"),
    ("'Tis the season", "’Tis the season"),
    ("'twas brillig", "’twas brillig"),
    ("\"'Tis true,\" she said.", "“’Tis true,” she said."),
    ("rock 'n' roll", "rock ’n’ roll"),
    ("give 'em hell", "give ’em hell"),
    ("the '90s", "the ’90s"),
    ("the class of '05", "the class of ’05"),
    ("the 1990's", "the 1990’s"),
    ("General ——'s regiment", "General ——’s regiment"),
    ("'cause I said so", "’cause I said so"),
    # Dashes and ellipses.
    ("pages 10--20", "pages 10–20"),
    ("1990--2000", "1990–2000"),
    ("the New York--London flight", "the New York–London flight"),
    ("Wait---what?", "Wait—what?"),
    ("He said -- quietly -- no.", "He said – quietly – no."),
    ("And then...", "And then…"),
    ("... and so on", "… and so on"),
    ("I wonder... perhaps", "I wonder… perhaps"),
    # Primes for feet and inches.
    ("5'10\" tall", "5′10″ tall"),
]

CHINESE = [
    ('他说："你好"然后走了', "他说：“你好”然后走了"),
    ('"引号"开头', "“引号”开头"),
    ('一个"引号"的例子', "一个“引号”的例子"),
    ("'单引号'和", "‘单引号’和"),
    ('他说："她说\'好\'。"', "他说：“她说‘好’。”"),
    ("使用'npm install'命令", "使用‘npm install’命令"),
    ('"JavaScript"语言', "“JavaScript”语言"),
    ("O'Reilly 出版社", "O’Reilly 出版社"),
    ("走了...又回来", "走了……又回来"),
    ("走了......", "走了……"),
    ("又回来--没有人", "又回来——没有人"),
    ("又回来---没有人", "又回来——没有人"),
    ("（0，1，2...）", "（0，1，2……）"),
    ('“你好”...', "“你好”……"),
    ('他说"Hello..."', "他说“Hello…”"),
]

AS_TYPED = [
    "“已经是弯引号”不动，「直角引号」和『书名』也不动。",
    "--verbose and --help",
    "a --> b <-- c",
    "a line ---- of hyphens",
    "four dots ....",
    "if...else, for...in, 1...10",
    "special characters & < > \" ' stay",
    "see https://example.com/a--b...c'd or mail a--b@example.com",
    "no marks at all",
]


@pytest.mark.parametrize("typed, expected", CHICAGO + CHINESE)
def test_typographic_punctuation(typed, expected):
    assert smarten(typed) == expected


@pytest.mark.parametrize("typed", AS_TYPED)
def test_left_as_typed(typed):
    assert smarten(typed) == typed


def test_no_straight_quote_left_in_english_prose():
    prose = ('"My dear Mr. Bennet," said his lady, "have you heard that Netherfield Park is '
             'let at last?" "\'Tis true," he said; "it\'s the talk of the \'90s."')
    out = smarten(prose)
    assert '"' not in out and "'" not in out


# --- in the Markdown tree ---------------------------------------------------------------


def render(source: str) -> str:
    return make_markdown().convert(source)


@pytest.mark.parametrize("source, expected", [
    ('"*Hello*," she said.', "<p>“<em>Hello</em>,” she said.</p>"),
    ('"**Stop**!"', "<p>“<strong>Stop</strong>!”</p>"),
    ("`x`'s value", "<p><code>x</code>’s value</p>"),
    ('a "`code`" in quotes', "<p>a “<code>code</code>” in quotes</p>"),
    ('"[it\'s](https://a.org/a--b "t--\'x\'") text"',
     '<p>“<a href="https://a.org/a--b" title="t--\'x\'">it’s</a> text”</p>'),
    ("# \"Quoted\" title", "<h1>“Quoted” title</h1>"),
    ('- "item"\n- it\'s', "<ul>\n<li>“item”</li>\n<li>it’s</li>\n</ul>"),
    ('line  \n"after a break"', "<p>line<br />\n“after a break”</p>"),
    ('\\"straight\\" and it\\\'s', "<p>\"straight\" and it's</p>"),
    ("反斜杠（'\\\\'）的", "<p>反斜杠（‘\\’）的</p>"),  # an escaped character is a character
    ('- ""（空字符串）', "<ul>\n<li>“”（空字符串）</li>\n</ul>"),  # an empty quotation
])
def test_in_the_tree(source, expected):
    assert render(source).replace("<br>", "<br />") == expected


@pytest.mark.parametrize("source, expected", [
    # pandoc's ~~del~~, ~sub~, ^sup^ (pymdownx): the marks are read first, the text inside
    # is punctuated like any other, and quotes close across the element.
    ('~~1990--2000~~ and "~~struck~~"', "<p><del>1990–2000</del> and “<del>struck</del>”</p>"),
    ('H~2~O -- "x^2^" it\'s', "<p>H<sub>2</sub>O – “x<sup>2</sup>” it’s</p>"),
    ("每天3~5次--每次5~10分钟...", "<p>每天3~5次——每次5~10分钟……</p>"),  # no subscript
    # An abbreviation is found as typed, before the pass; its title stays as written.
    ('The "HTML" spec -- HTML\'s rules\n\n*[HTML]: Hyper "Text"',
     '<p>The “<abbr title="Hyper &quot;Text&quot;">HTML</abbr>” spec – '
     '<abbr title="Hyper &quot;Text&quot;">HTML</abbr>’s rules</p>'),
    ('- [x] "done" -- yes', '<ul class="task-list">\n<li class="task-list-item task-done">'
                            "“done” – yes</li>\n</ul>"),
    ('Term\n:   "definition"', "<dl>\n<dt>Term</dt>\n<dd>“definition”</dd>\n</dl>"),
    ('## "Title" {#id .unnumbered}', '<h2 class="unnumbered" id="id">“Title”</h2>'),
    ('!!! note "It\'s a title"\n    "body"',
     '<div class="admonition note">\n<p class="admonition-title">It’s a title</p>\n'
     "<p>“body”</p>\n</div>"),
])
def test_with_the_markdown_of_pandoc_and_github(source, expected):
    assert render(source) == expected


@pytest.mark.parametrize("source", [
    'code `"x" -- ... it\'s` span',
    '```\n"code" -- ... it\'s\n```',
    '    "indented" -- code',
    '<code>"raw" -- ...</code> and <kbd>"k"</kbd>',
    '<div>\n"raw block" -- ...\n</div>',
    '<span title="a--b \'c\'">x</span>',
    "<https://example.com/a--b...c>",
])
def test_code_raw_html_and_urls_are_left_alone(source):
    assert not set(render(source)) & set("“”‘’–—…")


def test_math_elements_are_left_alone():
    """What an inline-math extension makes (``<math>``, a ``math`` or
    ``arithmatex`` class) keeps its text, and the quotes around it read it as a word."""
    root = etree.fromstring('<div><p>"<span class="arithmatex">\\(a\'\'\\)</span>" and '
                            '<math>"m"</math>\'s</p></div>')
    SmartPunctuationTreeprocessor(make_markdown()).run(root)
    p = root[0]
    assert p.text == "“" and p[0].text == "\\(a''\\)" and p[0].tail == "” and "
    assert p[1].text == '"m"' and p[1].tail == "’s"


def test_quotes_read_across_paragraphs_separately():
    """A quotation running on over paragraphs opens each, closes only the last."""
    html = render('"First paragraph of a speech.\n\n"Second, and last."')
    assert html == "<p>“First paragraph of a speech.</p>\n<p>“Second, and last.”</p>"
