"""Plain PNGs read a band of rows at a time, never decoded whole.

A 9400×9400 RGB image is 350 MB once Pillow has decoded it.  For a plain
8-bit, non-interlaced PNG, ``png_layout`` reads where the chunks are and
``png_rows`` inflates the pixel data a few rows at a time, so a large image
can be checked (``media.image_problem``) and resampled for print
(``raster.print_copy``) in little memory.  Imports nothing from the package.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PngLayout:
    """What a band-by-band reader needs of a PNG: its size, channels and the
    chunks besides the pixels (PLTE, tRNS), or None when it is not a plain
    8-bit, non-interlaced PNG."""

    def __init__(self, width: int, height: int, colour: int, extra: list[bytes],
                 idat: list[tuple[int, int]]):
        self.width, self.height, self.colour = width, height, colour
        self.channels = _PNG_CHANNELS[colour]
        self.stride = 1 + width * self.channels
        self.extra = extra      # whole PLTE and tRNS chunks, to copy
        self.idat = idat        # (offset, length) of each IDAT chunk's data


def png_layout(path: Path) -> PngLayout | None:
    """The layout of a plain PNG (``PngLayout``), or None for anything else
    (interlaced, 1, 2, 4 or 16 bits, malformed chunks)."""
    with path.open("rb") as f:
        if f.read(8) != SIGNATURE:
            return None
        header = None
        extra: list[bytes] = []
        idat: list[tuple[int, int]] = []
        while True:
            head = f.read(8)
            if len(head) < 8:
                return None
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IHDR":
                header = f.read(length)
                f.seek(4, 1)
            elif kind in (b"PLTE", b"tRNS"):
                extra.append(head + f.read(length + 4))
            elif kind == b"IDAT":
                idat.append((f.tell(), length))
                f.seek(length + 4, 1)
            elif kind == b"IEND":
                break
            else:
                f.seek(length + 4, 1)
    if header is None or len(header) != 13 or not idat:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or interlace or colour not in _PNG_CHANNELS or not width or not height:
        return None
    return PngLayout(width, height, colour, extra, idat)


def png_rows(path: Path, layout: PngLayout, rows: int):
    """The PNG's filtered scanlines (filter byte first), ``rows`` at a time,
    decompressed as they are read; raises ValueError when the data is cut short,
    too long or not zlib, or a row has an unknown filter."""
    inflate = zlib.decompressobj()
    want = rows * layout.stride
    left = layout.height * layout.stride
    pending = bytearray()
    with path.open("rb") as f:
        for offset, length in layout.idat:
            f.seek(offset)
            remaining = length
            while remaining:
                data = f.read(min(remaining, 1 << 20))
                if not data:
                    raise ValueError("image file is truncated")
                remaining -= len(data)
                while data:
                    try:
                        pending += inflate.decompress(data, max(want, 1 << 16))
                    except zlib.error as e:
                        raise ValueError(f"broken PNG data ({e})") from None
                    data = inflate.unconsumed_tail
                    while len(pending) >= want and left:
                        block = bytes(pending[:min(want, left)])
                        del pending[:len(block)]
                        left -= len(block)
                        _check_filters(block, layout.stride)
                        yield block
        pending += inflate.flush()
    if left and len(pending) >= left:
        block = bytes(pending[:left])
        del pending[:left]
        _check_filters(block, layout.stride)
        left = 0
        yield block
    if left:
        raise ValueError("image file is truncated")


def _check_filters(block: bytes, stride: int) -> None:
    if max(block[::stride]) > 4:
        raise ValueError("a PNG row has an unknown filter")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, kind, data and CRC."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
