"""The options the print cover (``writers/pdf/cover.py``) reads."""

from __future__ import annotations

from ...options import Option
from .pdf import BLEED, MARKS, PAPER_KIND, PDFX, PROFILE, TRIM

PAPER_CALIPER = Option("paper_caliper_mm", float, None, "The thickness of one page of the "
                       "interior's paper in mm, the printer's figure (overrides --paper).",
                       minimum=0.01, maximum=0.5, example=0.065)
OPTIONS = (TRIM, BLEED, MARKS, PROFILE, PDFX, PAPER_KIND, PAPER_CALIPER)
