"""A lean streaming reader for (compressed) tar archives: member by member, bounded memory.

``tarfile``'s stream mode re-slices its buffer in 10 KB steps, which costs about 0.4 s of pure Python on
the 662 MB feed archive; this reader decompresses in 1 MB pieces and cuts members out of one buffer.
It handles POSIX ustar, GNU long names and pax ``path``/``size`` records; any other member type (links,
devices, directories) is skipped. Checksums are verified, so a corrupt archive is an error, not garbage.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from .limits import RATIO_FLOOR, Limits

BLOCK = 512
CHUNK = 1 << 20
READ = 1 << 16


class TarError(Exception):
    """The archive is corrupt or truncated."""


def _decompressor(magic: bytes):  # noqa: ANN202 - one of three decompressor types or None
    if magic[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMADecompressor()
    if magic[:2] == b"\x1f\x8b":
        return zlib.decompressobj(wbits=31)
    if magic[:3] == b"BZh":
        return bz2.BZ2Decompressor()
    return None


def _number(field: bytes) -> int:
    if field[:1] and field[0] & 0x80:  # GNU base-256 for big sizes
        return int.from_bytes(bytes([field[0] & 0x7F]) + field[1:], "big")
    text = field.split(b"\0", 1)[0].strip()
    return int(text, 8) if text else 0


def _checksum_ok(header: bytes) -> bool:
    try:
        stored = _number(header[148:156])
    except ValueError:
        return False
    total = sum(header[:148]) + 8 * 32 + sum(header[156:])
    return stored == total


def _pax(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        length = int(data[pos:space])
        key, _, value = data[space + 1 : pos + length - 1].partition(b"=")
        out[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
        pos += length
    return out


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    """Decompressed pieces of at most CHUNK bytes (xz shrinks the feed 166-fold: never inflate blindly)."""
    data = fh.read(READ)
    dec = _decompressor(data)
    if dec is None:
        while data:
            yield data
            data = fh.read(CHUNK)
        return
    errors = (lzma.LZMAError, zlib.error, OSError, EOFError, ValueError)
    while True:
        try:
            out = dec.decompress(data, CHUNK)
        except errors as exc:
            raise TarError(f"corrupt compressed data ({exc})") from None
        if out:
            yield out
        if hasattr(dec, "unconsumed_tail"):  # zlib
            data = dec.unconsumed_tail
            finished = dec.eof
            rest = dec.unused_data
        else:
            data = b""
            finished = dec.eof
            rest = dec.unused_data if finished else b""
            if not finished and not dec.needs_input:
                continue
        if finished:
            more = rest or fh.read(READ)
            if not more:
                return
            dec = _decompressor(more)  # concatenated streams (parallel compressors write those)
            if dec is None:
                return  # trailing garbage after the last stream: ignored, as gzip does
            data = more
            continue
        if not data:
            data = fh.read(READ)
            if not data:
                raise TarError("truncated compressed data")


class _Counted:
    """A file wrapper that counts the compressed bytes read (for the expansion-ratio limit)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.read_bytes = fh, 0

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        self.read_bytes += len(data)
        return data


def _limited(chunks: Iterator[bytes], counted: _Counted, limits: Limits) -> Iterator[bytes]:
    out = 0
    for piece in chunks:
        out += len(piece)
        if out > RATIO_FLOOR and out > limits.max_ratio * max(counted.read_bytes, 1):
            raise TarError(f"expands more than {limits.max_ratio:g}-fold ({out >> 20} MB out of "
                           f"{counted.read_bytes >> 10} KB); a compression bomb, or raise WHOHOLDS_MAX_RATIO")
        yield piece


def iter_tar(fh: BinaryIO, limits: Limits | None = None) -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) for every regular file in a tar stream, plain or gzip/xz/bz2 compressed.

    ``limits`` (default: from the environment, see :mod:`.limits`) caps each member's size and the
    stream's expansion ratio."""
    limits = limits or Limits.from_env()
    buf = bytearray()
    pos = 0
    counted = _Counted(fh)
    chunks = _limited(_chunks(counted), counted, limits)  # type: ignore[arg-type]
    long_name: str | None = None
    pax: dict[str, str] = {}

    def need(n: int) -> bool:
        nonlocal buf, pos
        while len(buf) - pos < n:
            piece = next(chunks, None)
            if piece is None:
                return False
            if pos:
                del buf[:pos]
                pos = 0
            buf += piece
        return True

    while True:
        if not need(BLOCK):
            if len(buf) - pos == 0:
                return  # archive without end-of-archive blocks: tolerated, like tarfile
            raise TarError("truncated archive (partial header)")
        header = bytes(buf[pos : pos + BLOCK])
        if not header.strip(b"\0"):
            return  # end-of-archive marker
        if not _checksum_ok(header):
            raise TarError("bad tar header checksum (corrupt archive, or not a tar)")
        try:
            size = int(pax.get("size", _number(header[124:136])))
        except ValueError:
            raise TarError("bad member size in tar header") from None
        kind = header[156:157]
        if size > limits.max_bytes or size < 0:
            name = header[:100].split(b"\0", 1)[0].decode("utf-8", "replace")
            raise TarError(f"member {name!r} is {size >> 20} MB, more than the {limits.max_bytes >> 20} MB "
                           "limit for one map; a compression bomb, or raise WHOHOLDS_MAX_MEMBER_MB")
        padded = BLOCK + -(-size // BLOCK) * BLOCK
        if not need(padded):
            raise TarError("truncated archive (a member is cut short)")
        data = bytes(buf[pos + BLOCK : pos + BLOCK + size])
        pos += padded
        if kind == b"L":
            long_name = data.rstrip(b"\0").decode("utf-8", "replace")
            continue
        if kind == b"x":
            pax = _pax(data)
            continue
        if kind == b"g":
            continue
        name = header[:100].split(b"\0", 1)[0].decode("utf-8", "replace")
        if header[257:262] == b"ustar":
            prefix = header[345:500].split(b"\0", 1)[0].decode("utf-8", "replace")
            if prefix:
                name = f"{prefix}/{name}"
        name = pax.get("path", long_name or name)
        long_name, pax = None, {}
        if kind in (b"0", b"\0", b"7"):
            yield name, data
