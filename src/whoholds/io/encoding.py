"""Text encodings of JSON maps: UTF-8 is the rule (RFC 8259), but files saved on Windows arrive as UTF-16
(with a byte-order mark) or in a legacy code page (cp1251 for Ukrainian and Russian labels).

:func:`to_utf8` returns UTF-8 bytes and the encoding it decoded from (None when the input was UTF-8), so
the reader can log the conversion as a repair. A file that is neither UTF-8, UTF-16/32 nor plausible
cp1251 is an error that says where the first bad byte is.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of the non-ASCII letters of a cp1251 reading that must be Cyrillic to accept that reading.
CYRILLIC_SHARE = 0.8


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the first bytes look like ASCII JSON in UTF-16 (every other byte 0)."""
    sample = head[:64]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if not even.strip(b"\0") and odd.strip(b"\0"):
        return "utf-16-be"
    if not odd.strip(b"\0") and even.strip(b"\0"):
        return "utf-16-le"
    return None


#: A well-formed UTF-8 multi-byte sequence: present in a file that is not UTF-8, it means mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: A Cyrillic letter glued to a Latin one: Latin-1 text ("café") read as cp1251 ("cafй").
_GLUED = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def _plausible_cp1251(data: bytes) -> bool:
    """True for text that reads as Cyrillic words in cp1251; False for mixed UTF-8 or Latin-1 text."""
    if _UTF8_SEQUENCE.search(data):
        return False
    text = data.decode("cp1251", errors="replace")
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return False
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    glued = len(_GLUED.findall(text))
    return cyrillic >= CYRILLIC_SHARE * len(letters) and glued <= 0.1 * cyrillic


def looks_non_utf8(data: bytes) -> bool:
    """Cheap test on the first bytes: a byte-order mark, or UTF-16 without one."""
    return data.startswith(tuple(bom for bom, _ in _BOMS)) or _utf16_without_bom(data) is not None


def to_utf8(data: bytes, name: str) -> tuple[bytes, str | None]:
    """(UTF-8 bytes, encoding decoded from or None). InputError for undecodable bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-8-sig":
                return data[len(bom):], "utf-8 with byte-order mark"
            return _decode(data[len(bom):], enc, name), enc.removesuffix("-le").removesuffix("-be")
    guess = _utf16_without_bom(data)
    if guess is not None:
        return _decode(data, guess, name), guess
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\0" not in data and _plausible_cp1251(data):
            try:
                return data.decode("cp1251").encode("utf-8"), "cp1251"
            except UnicodeDecodeError:  # 0x98 is no cp1251 character: not cp1251 after all
                pass
        raise InputError(name, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                               "(and not UTF-16 or Cyrillic cp1251); save the file as UTF-8") from None
    return data, None


def _decode(data: bytes, encoding: str, name: str) -> bytes:
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"broken {encoding} text at offset {exc.start}: {exc.reason}") from None
