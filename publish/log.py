"""The two loggers of ``publish``.

- ``LOGGER`` ('publish'): warnings about the input (a removed ``<script>``,
  an unknown book.toml key, a link to nowhere).  They name the file and line.
  ``--strict`` turns any of them into failure.
- ``PROGRESS`` ('publish.progress'): info-level step lines for long work
  ("Step 1/2 - Writing txt").

Only ``cli`` configures handlers and levels.  Imports nothing from the package.
"""

import logging

LOGGER = logging.getLogger("publish")
PROGRESS = logging.getLogger("publish.progress")
