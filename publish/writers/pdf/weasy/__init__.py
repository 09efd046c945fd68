"""Every extension of WeasyPrint the print edition uses, behind one ``install``.

- ``speedups`` takes four short ways through WeasyPrint that leave every
  glyph where it was (installed first: justify's draw wrapper calls its line
  drawing);
- ``justify`` widens each CJK glyph of a justified line (WeasyPrint alone
  stretches only spaces);
- ``fontdata`` keeps WeasyPrint from copying whole font files.

They reach into WeasyPrint's internals, so ``install`` first checks the
versions they were written for — WeasyPrint and pydyf (the PDF's /ID is
rewritten in pydyf's write layout) — and each module checks the internals it
needs.  On another version the error names both; the option
``weasyprint_extensions = false`` (``--no-weasyprint-extensions``) builds a
valid PDF without them, with ragged Chinese lines, said in a warning.
"""

from __future__ import annotations

from ....errors import PrintError
from . import fontdata, justify, speedups

#: The versions the extensions were written for.
VERSIONS = {"weasyprint": "70.0", "pydyf": "0.13.0"}


def check_versions() -> None:
    """Raise PrintError unless WeasyPrint and pydyf are the versions above."""
    import pydyf
    import weasyprint

    found = {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}
    wrong = [name for name, version in VERSIONS.items() if found[name] != version]
    if wrong:
        versions = ", ".join(f"{name} {found[name]} (written for {VERSIONS[name]})"
                             for name in wrong)
        raise PrintError(f"the PDF writer's WeasyPrint extensions do not fit {versions}: run "
                         "scripts/setup.sh, or build without them with "
                         "--no-weasyprint-extensions (Chinese lines left ragged)")


def install() -> None:
    """Check the versions and every internal the extensions need, then install
    them in the order they must go in (idempotent)."""
    check_versions()
    justify.check()
    speedups.install()
    justify.install()
    fontdata.install()


def installed() -> bool:
    return justify.installed() and speedups.installed() and fontdata.installed()
