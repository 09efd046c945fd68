"""Output files: written atomically, stamped with a reproducible build time.

A failed or interrupted build never leaves a half-written edition and never
destroys the previous one (``atomic_write``).  ``build_time`` is the one
clock every edition uses.  Imports nothing from the package.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".publish-tmp-"


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def build_time() -> dt.datetime:
    """The build's time: ``SOURCE_DATE_EPOCH`` when set, else now (UTC, whole seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)
