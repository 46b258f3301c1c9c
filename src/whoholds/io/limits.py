"""Size limits for decompressing untrusted input: a compression bomb is a one-line error, not a MemoryError.

Two limits, both configurable through the environment (read at each use, so tests and the server can
change them):

- ``WHOHOLDS_MAX_MEMBER_MB`` (default 256): the most bytes one map may decompress to (a file, an archive
  member, a ``.gz``). The largest real map we know (the DeepStateMap daily series) is 49 MB.
- ``WHOHOLDS_MAX_RATIO`` (default 1000): the most a stream may expand relative to its compressed size,
  checked once it has produced ``RATIO_FLOOR`` bytes (small files may legitimately expand a lot). Real
  data: the DeepStateMap feed archive expands 166-fold, the daily series 340-fold; a zero-filled deflate
  bomb 1030-fold and xz/bz2 bombs far more.

Archives inside archives are read one level deep only (``MAX_NESTING``).

A third limit bounds the geometry of one map once read: ``WHOHOLDS_MAX_VERTICES`` (default 1,000,000)
vertices in all the polygons of one snapshot (a file of many dates holds many snapshots). The largest real
maps we know have ~12,000 (a DeepStateMap feed snapshot); overlaying, densifying and storing a
million-vertex polygon takes about a gigabyte, so more is refused in one line before that work starts
(raise the variable for a genuinely detailed map).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import InputError

DEFAULT_MAX_MEMBER_MB = 256
DEFAULT_MAX_RATIO = 1000
DEFAULT_MAX_VERTICES = 1_000_000
#: Below this many output bytes the ratio is not checked.
RATIO_FLOOR = 8 << 20
#: An archive inside an archive is read; one more level is refused.
MAX_NESTING = 1
CHUNK = 1 << 20


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(name, f"must be a number, not {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise InputError(name, f"must be a positive number, not {raw!r}")
    return value


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_ratio: float

    @classmethod
    def from_env(cls) -> Limits:
        mb = _env_number("WHOHOLDS_MAX_MEMBER_MB", DEFAULT_MAX_MEMBER_MB)
        return cls(int(mb * (1 << 20)), _env_number("WHOHOLDS_MAX_RATIO", DEFAULT_MAX_RATIO))

    def too_big(self, name: str, size: int) -> InputError:
        return InputError(name, f"decompresses to more than {self.max_bytes >> 20} MB ({size >> 20} MB or more); "
                                "a compression bomb, or raise WHOHOLDS_MAX_MEMBER_MB")

    def too_dense(self, name: str, out: int, compressed: int) -> InputError:
        return InputError(name, f"expands more than {self.max_ratio:g}-fold ({out >> 20} MB out of "
                                f"{max(compressed, 1) >> 10} KB); a compression bomb, or raise WHOHOLDS_MAX_RATIO")

    def check(self, name: str, out: int, compressed: int | None) -> None:
        """InputError when ``out`` decompressed bytes from ``compressed`` input bytes break a limit."""
        if out > self.max_bytes:
            raise self.too_big(name, out)
        if compressed is not None and out > RATIO_FLOOR and out > self.max_ratio * max(compressed, 1):
            raise self.too_dense(name, out, compressed)


def nesting_of(name: str) -> int:
    """How deep inside archives a source name sits: ``a.zip::b.zip::c.geojson`` → 2."""
    return name.count("::")


def read_capped(read: Callable[[int], bytes], name: str, compressed: int | None = None,
                limits: Limits | None = None) -> bytes:
    """All bytes of a stream (``read(n)`` like a file's), refused as soon as a limit is broken."""
    limits = limits or Limits.from_env()
    parts: list[bytes] = []
    total = 0
    while True:
        piece = read(CHUNK)
        if not piece:
            return b"".join(parts)
        total += len(piece)
        limits.check(name, total, compressed)
        parts.append(piece)


def _stream(dec_factory: Callable[[], object], data: bytes) -> Iterator[bytes]:
    """Decompressed pieces of ``data`` (concatenated streams followed), never more than CHUNK at once."""
    dec: object = dec_factory()
    pending = data
    while True:
        out = dec.decompress(pending, CHUNK)  # type: ignore[attr-defined]
        if out:
            yield out
        pending = getattr(dec, "unconsumed_tail", b"")
        if dec.eof:  # type: ignore[attr-defined]
            rest = dec.unused_data  # type: ignore[attr-defined]
            if rest and rest.strip(b"\0"):  # concatenated streams (parallel compressors write those)
                dec, pending = dec_factory(), rest
                continue
            return
        if out or pending:
            continue
        raise EOFError("compressed data ends before the end-of-stream marker")


def decompress_capped(data: bytes, kind: str, name: str, limits: Limits | None = None) -> bytes:
    """gzip/xz/bz2 ``data`` decompressed within the limits (see the module doc)."""
    import bz2
    import lzma

    limits = limits or Limits.from_env()
    factory: Callable[[], object] = {
        "gzip": lambda: zlib.decompressobj(wbits=31),
        "xz": lzma.LZMADecompressor,
        "bz2": bz2.BZ2Decompressor,
    }[kind]
    parts: list[bytes] = []
    total = 0
    for piece in _stream(factory, data):
        total += len(piece)
        limits.check(name, total, len(data))
        parts.append(piece)
    return b"".join(parts)


def check_zip_members(name: str, opened: object, limits: Limits | None = None) -> None:
    """InputError when a zip that GDAL will open itself (a KMZ, a zipped shapefile) would decompress beyond
    the limits, judged by its members' declared sizes before anything is inflated. ``opened`` is a path or
    a binary file object; a file that is no zip is left to GDAL's own error."""
    import zipfile

    limits = limits or Limits.from_env()
    try:
        with zipfile.ZipFile(opened) as zf:  # type: ignore[arg-type]
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    limits.check(name, total, packed)


def check_vertices(name: str, count: int) -> None:
    """InputError when one snapshot's polygons hold more than ``WHOHOLDS_MAX_VERTICES`` vertices."""
    limit = int(_env_number("WHOHOLDS_MAX_VERTICES", DEFAULT_MAX_VERTICES))
    if count > limit:
        raise InputError(name, f"holds {count:,} polygon vertices, more than the {limit:,} limit (real control maps "
                               "hold thousands); simplify it, or raise WHOHOLDS_MAX_VERTICES")
