"""Run the publish CLI with an audit hook recording every file it opens and every
network call, then write them as JSON: ``python audit_build.py LOG publish-args...``.

A separate process, because an audit hook cannot be removed once added.
"""

from __future__ import annotations

import json
import os
import sys

log_path = sys.argv.pop(1)
opened: list[str] = []
network: list[str] = []


def hook(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.fsdecode(args[0]))
    elif event.startswith(("socket.", "urllib.")) and event != "socket.__new__":
        network.append(f"{event} {args!r}"[:200])


sys.addaudithook(hook)
sys.argv[0] = "publish"
import click  # noqa: E402

from publish.cli import cli  # noqa: E402

try:
    cli(standalone_mode=False)
except click.ClickException as e:  # as the command line shows it: one line, exit 1
    e.show()
    sys.exit(e.exit_code)
finally:
    with open(log_path, "w", encoding="utf-8") as f:
        json.dump({"opened": opened, "network": network}, f)
