"""Room on the stack for the build (see ``call_with_stack_room``)."""

from __future__ import annotations

from collections.abc import Callable


def call_with_stack_room(function: Callable[[], object]) -> object:
    """Call ``function`` from a frame with room above it for a deep call stack.

    CPython (3.11 on) keeps its frames in 16 KB chunks and frees a chunk as
    soon as the stack falls back below its start, so a recursion that keeps
    crossing a chunk boundary (WeasyPrint's layout does, at some depths) maps
    and unmaps 16 KB each time: 12,000 times on 117 pages of a novel, about
    2 s of system time on the whole novel.  A first frame with 9,000 local
    slots gets a 128 KB chunk of its own, and every frame of the build fits
    in what is left of it.
    """
    code = _call.__code__
    names = code.co_varnames + tuple(f"_{i}" for i in range(9000))
    try:
        roomy = type(_call)(code.replace(co_varnames=names, co_nlocals=len(names)), {})
    except (TypeError, ValueError):  # a Python whose code objects take no such change
        roomy = _call
    return roomy(function)


def _call(function: Callable[[], object]) -> object:
    return function()
