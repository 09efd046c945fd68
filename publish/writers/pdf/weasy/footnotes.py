"""A footnote stays on the page of its call, in WeasyPrint 70.

When a paragraph's line runs past the foot of a page and breaking before it
would leave an orphan, WeasyPrint's line layout (``layout.block.
_linebox_layout``: "report footnotes and see if we don't overflow") moves the
page's last notes to the next page to make room for that one line: the
calls stay, their notes go.  Here that step is left out: the paragraph
breaks where its orphans and widows allow, or goes to the next page whole,
as it does on a page without notes, and the page ends a line short rather
than part a note from its call.  With print.css's ``footnote-policy: line``
(a line whose note no longer fits goes to the next page with its note) a
call and its note share a page whenever the note fits on one.

The change is one line of WeasyPrint's function (``report = …`` becomes
``report = False``), so ``install`` compiles WeasyPrint's own source with
that line changed, at its own line numbers, in its own module; the line
must be there exactly once.  A page without notes is laid out as before
(the step only ever moves notes).
"""

from __future__ import annotations

import inspect

from ....errors import PrintError

#: The line of ``_linebox_layout`` that decides to move notes for an orphan.
REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"

_installed = False


def install() -> None:
    """Keep WeasyPrint from moving notes off their calls' page (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.layout import block

    lines, first = inspect.getsourcelines(block._linebox_layout)
    source = "".join(lines)
    if source.count(REPORT_LINE) != 1:
        raise PrintError("WeasyPrint's layout.block._linebox_layout does not decide in one "
                         f"line `{REPORT_LINE}` as WeasyPrint 70's does (run scripts/setup.sh)")
    source = "\n" * (first - 1) + source.replace(REPORT_LINE, "report = False")
    namespace: dict[str, object] = {}
    exec(compile(source, block.__file__, "exec"), vars(block), namespace)
    block._linebox_layout = namespace["_linebox_layout"]
    _installed = True


def installed() -> bool:
    return _installed
