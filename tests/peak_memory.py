"""Run the publish CLI and write its peak resident memory in kB (VmHWM) to a file:
``python peak_memory.py OUT publish-args...``.

Measured from inside: a child's ru_maxrss (wait4) includes the resident size of
the process it was forked from, here the test run itself.
"""

from __future__ import annotations

import atexit
import sys

out = sys.argv.pop(1)


def record() -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(out, "w", encoding="ascii") as f:
        f.write(peak)


atexit.register(record)
sys.argv[0] = "publish"
from publish.cli import main  # noqa: E402

main()
