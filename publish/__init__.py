"""publish: one Markdown manuscript in, every edition of the book out.

Library use::

    from publish import read, WRITERS
    book = read("manuscript")
    WRITERS["txt"](book, Path("dist"), BuildOptions())
"""

__version__ = "0.1.0"

from .model import BuildOptions  # noqa: E402
from .reader import read  # noqa: E402
from .writers import WRITERS  # noqa: E402

__all__ = ["WRITERS", "BuildOptions", "__version__", "read"]
