"""Decoding: a manuscript file's bytes to text with LF line ends.

UTF-8 (a BOM is dropped) and UTF-16 with a BOM are read as such; any other
encoding must be named (``encoding`` in book.toml, ``--encoding``).  An
undecodable file is an error naming the offset of the first bad byte and the
encodings that would fit; control characters are removed with a warning.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import ConfigError, ManuscriptError
from ..inputs import read_input
from ..log import LOGGER
from ..typography import is_han
from .configuration import CONFIG_NAME


def read_text(path: Path, root: Path, what: str, encoding: str | None, in_toml: bool) -> str:
    """The text of the manuscript file ``path`` (``what`` it is, for messages),
    read through the inputs gate (inside ``root``) and decoded; ``in_toml``:
    an encoding would be named in book.toml, not on the command line."""
    return decode(read_input(path, [root], what, name=path.name), path, encoding, in_toml)


def decode(data: bytes, path: Path, encoding: str | None, in_toml: bool) -> str:
    """Bytes of a manuscript file to text with LF line ends.

    UTF-8 (a BOM is dropped) and UTF-16 with a BOM are read as such; any
    other encoding must be named.  An undecodable file is an error naming
    the offset of the first bad byte.
    """
    if encoding:
        try:
            found = codecs.lookup(encoding)
        except (LookupError, ValueError):
            raise ConfigError(f"unknown encoding {encoding!r}"[:120], path) from None
        if not getattr(found, "_is_text_encoding", True) or found.name == "undefined":
            raise ConfigError(f"{encoding!r} is not a text encoding (use e.g. gb18030, big5)",
                              path)
        codec = encoding
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise ManuscriptError(_decode_hint(data, e, codec, in_toml), path) from None
    except (UnicodeError, LookupError, ValueError) as e:  # a codec that decodes no text
        raise ConfigError(f"cannot decode with {encoding!r}: {e}"[:200], path) from None
    if "\x00" in text:
        offset = data.find(b"\x00")
        raise ManuscriptError(f"contains a NUL byte at byte offset {offset}; is it a text file?",
                              path)
    if not encoding and _looks_hz(text):
        where = (f'add encoding = "hz" to {CONFIG_NAME}' if in_toml else "run with --encoding hz")
        raise ManuscriptError("looks like HZ-encoded Chinese (7-bit, between ~{ and ~}), which "
                              f"would be read as ASCII gibberish; {where}", path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if (bad := _CONTROL.search(text)):
        # No edition can carry them (XML forbids them); a form feed was a page break.
        LOGGER.warning("%s:%d: %d control character(s) removed (the first is U+%04X)",
                       path, text.count("\n", 0, bad.start()) + 1, len(_CONTROL.findall(text)),
                       ord(bad.group()))
        text = _CONTROL.sub("", text.replace("\x0c", "\n\n"))
    return text


# C0 controls but tab and newline, DEL, and the two non-characters XML forbids.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


_HZ_RUN = re.compile(r"~\{([\x21-\x7e]{2})+~\}")


def _looks_hz(text: str) -> bool:
    """Runs of ASCII pairs between ~{ and ~} that decode as HZ to Han characters."""
    runs = _HZ_RUN.findall(text[:100_000])
    if not runs or not text.isascii():
        return False
    try:
        decoded = text.encode("ascii").decode("hz")
    except UnicodeDecodeError:
        return False
    return sum(is_han(ch) for ch in decoded) >= 4


def _decode_hint(data: bytes, e: UnicodeDecodeError, codec: str, in_toml: bool) -> str:
    name = "UTF-8" if codec == "utf-8-sig" else codec
    line = data.count(b"\n", 0, e.start) + 1
    message = (f"not valid {name}: bad byte 0x{data[e.start]:02x} at byte offset {e.start} "
               f"(line {line})")
    if codec != "utf-8-sig":
        return message
    fits = []
    for candidate in ("gb18030", "big5", "big5hkscs"):
        try:
            data.decode(candidate)
            fits.append(candidate)
        except UnicodeDecodeError:
            continue
    if "big5" in fits and "big5hkscs" in fits:
        fits.remove("big5hkscs")  # Big5 text is Big5-HKSCS text too; name the common one
    if fits[:1] == ["gb18030"] and len(fits) > 1 and not _looks_simplified(
            data.decode("gb18030")):
        fits.append(fits.pop(0))
    guess = fits[0] if fits else "gb18030"
    others = " or ".join(f'"{c}"' for c in fits[1:]) or '"big5"'
    where = (f'add encoding = "{guess}" (or {others}) to {CONFIG_NAME}' if in_toml
             else f"run with --encoding {guess} (or {others.replace(chr(34), '')})")
    return f"{message}; if it uses a legacy encoding, {where}"


def _looks_simplified(text: str) -> bool:
    """True when nearly every Han character is in GB2312, as in real Simplified text.

    Big5 bytes read as GB18030 decode to rare characters outside it.
    """
    han = [ch for ch in text if is_han(ch)]
    if not han:
        return True
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(han)

