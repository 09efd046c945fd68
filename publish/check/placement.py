"""Where a PDF page draws its images: the content stream walked with the
current transformation matrix (CTM) kept through ``q``/``Q``/``cm``, into
form XObjects, to each image's ``Do`` (or inline image), so its placed size
in points, and with its pixels its effective resolution, is known.  The same
walk notes a DeviceRGB colour operator (``rg``/``RG``), which PDF/X-1a forbids.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_DEPTH = 12  # forms nested deeper than this are not followed (a cycle, or a hostile file)


@dataclass(frozen=True)
class Placement:
    """An image drawn (``pixels`` its width and height) at ``width_pt`` ×
    ``height_pt``, or (``pixels`` None) a DeviceRGB colour operator."""

    name: str
    pixels: tuple[int, int] | None
    width_pt: float = 0.0
    height_pt: float = 0.0
    rgb_operator: str = ""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: ``cm`` makes CTM' = M × CTM)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def resources(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    """(page number, resource dictionary) for each page and each form XObject it
    draws, however deep."""
    for number, page in enumerate(pdf.pages, 1):
        res = page.obj.get("/Resources")
        if res is not None:
            yield from _with_forms(number, res, set(), 0)


def _with_forms(number: int, res: pikepdf.Dictionary, seen: set, depth: int
                ) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    yield number, res
    for xobject in (res.get("/XObject") or {}).values():
        if xobject.get("/Subtype") != "/Form" or depth >= _DEPTH or xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        inner = xobject.get("/Resources")
        if inner is not None:
            yield from _with_forms(number, inner, seen, depth + 1)


def image_placements(page: pikepdf.Page) -> Iterator[Placement]:
    res = page.obj.get("/Resources") or pikepdf.Dictionary()
    yield from _walk(page, res, IDENTITY, 0)


def _walk(stream: object, res: pikepdf.Dictionary, ctm: Matrix, depth: int
          ) -> Iterator[Placement]:
    stack: list[Matrix] = []
    for instruction in pikepdf.parse_content_stream(stream):
        operator = str(instruction.operator)
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q" and stack:
            ctm = stack.pop()
        elif operator == "cm":
            ctm = multiply(tuple(float(v) for v in instruction.operands), ctm)
        elif operator in ("rg", "RG"):
            yield Placement("", None, rgb_operator=operator)
        elif operator == "INLINE IMAGE":
            image = instruction.iimage
            yield _placed("inline image", (int(image.width), int(image.height)), ctm)
        elif operator == "Do":
            yield from _draw(instruction.operands[0], res, ctm, depth)


def _draw(name: pikepdf.Name, res: pikepdf.Dictionary, ctm: Matrix, depth: int
          ) -> Iterator[Placement]:
    xobject = (res.get("/XObject") or {}).get(name)
    if xobject is None:
        return
    if xobject.get("/Subtype") == "/Image":
        yield _placed(str(name)[1:], (int(xobject.Width), int(xobject.Height)), ctm)
    elif xobject.get("/Subtype") == "/Form" and depth < _DEPTH:
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        yield from _walk(xobject, xobject.get("/Resources") or res,
                         multiply(matrix, ctm), depth + 1)


def _placed(name: str, pixels: tuple[int, int], ctm: Matrix) -> Placement:
    """An image fills the unit square of its space: its sides are the CTM's
    images of (1, 0) and (0, 1)."""
    a, b, c, d, _, _ = ctm
    return Placement(name, pixels, math.hypot(a, b), math.hypot(c, d))
