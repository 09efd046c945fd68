"""``publish lint``: the findings of ``publish.lint`` printed, one a line
(``file:line:column: severity rule: message: old → new``), and ``--fix``'s
diffs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..log import plural
from .building import common_options
from .console import WarningCounter, check_strict

if TYPE_CHECKING:
    from ..lint import Finding


def _context(text: str, finding: Finding) -> str:
    before = text[max(0, finding.start - 4):finding.start].rsplit("\n", 1)[-1]
    after = text[finding.end:finding.end + 4].split("\n", 1)[0]
    old = f"{before}{finding.old}{after}"
    if finding.new is None:
        return old
    return f"{old} → {before}{finding.new}{after}"


@click.command("lint")
@common_options
@click.option("--fix", "fixing", is_flag=True,
              help="Rewrite the files with the fixable findings fixed (atomically) and "
                   "print the diff.")
def lint_command(manuscript: Path, encoding: str | None, strict: bool, counter: WarningCounter,
                 fixing: bool) -> None:
    """Check a Chinese manuscript's punctuation and spacing (GB/T 15834, clreq):
    each finding with file, line, column, rule and the suggested text.  Exit
    status 1 when an error-level finding is left."""
    # Imported here: the other commands need none of lint's rules and tables.
    from ..lint import ERROR, RULES, fix, lint

    report = lint(manuscript, encoding)
    check_strict(counter, strict)
    if fixing:
        for diff in fix(report).values():
            click.echo(diff, nl=False)
        report = lint(manuscript, encoding)
    texts = {source.path: source.text for source in report.sources}
    for f in report.findings:
        click.echo(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}: "
                   f"{_context(texts[f.path], f)}")
    errors = sum(1 for f in report.findings if f.severity == ERROR)
    click.echo(f"{plural(len(report.findings), 'finding')} ({plural(errors, 'error')}) "
               f"in {plural(len(report.sources), 'file')}; rules: {len(RULES)}", err=True)
    if errors:
        raise SystemExit(1)
