"""The two loggers of ``publish``.

- ``LOGGER`` ('publish'): warnings about the input (a removed ``<script>``,
  an unknown book.toml key, a link to nowhere).  They name the file and line.
  ``--strict`` turns any of them into failure.
- ``PROGRESS`` ('publish.progress'): info-level step lines for long work
  ("Step 1/2 - Writing txt"); debug-level lines per chapter and step, with
  timings, that ``-v`` shows.

``plural`` counts things in these messages ("1 chapter", "2 chapters").

Only ``cli`` configures handlers and levels.  Imports nothing from the package.
"""

import logging

LOGGER = logging.getLogger("publish")
PROGRESS = logging.getLogger("publish.progress")


def plural(count: int, noun: str, nouns: str = "") -> str:
    """``plural(1, "chapter") -> '1 chapter'``, ``plural(2, "chapter") -> '2 chapters'``
    (``nouns`` when the plural is not ``noun + "s"``)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
