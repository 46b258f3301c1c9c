"""Map sources: what one map input is (:class:`Source`), its format and compression, whether a file is a map
at all, and its bytes (decompressed, within the size limits). Files, folders and archives are expanded into
Sources by :mod:`.walk`.
"""

from __future__ import annotations

import lzma
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InputError
from .limits import Limits, decompress_capped, read_capped
from .spreadsheet import is_spreadsheet, spreadsheet_as_csv

#: File suffix → format. ``.json`` is sniffed (GeoJSON or TopoJSON) when read.
MAP_SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".topojson": "topojson",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpkg": "gpkg",
    ".shp": "shp",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".fgb": "fgb",
    ".gml": "gml",
    ".umap": "geojson",
    ".map": "geojson",  # Wikimedia Commons Data:*.map pages (Kartographer JSON); sniffed like .json
    ".geojsonl": "geojsonseq",
    ".geojsons": "geojsonseq",
    ".geojsonseq": "geojsonseq",
    ".ndjson": "geojsonseq",
    ".jsonl": "geojsonseq",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "csv",  # spreadsheets are read as the CSV of their first sheet with a WKT column (.spreadsheet)
    ".ods": "csv",
}
#: Text suffixes that may hold a Wikipedia marker module (checked by content).
MARKER_SUFFIXES = (".lua", ".wiki", ".md", ".txt")
COMPRESSED = {".gz": "gzip", ".xz": "xz", ".bz2": "bz2"}
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2")
#: Files people try as maps that hold no areas or need another export: suffix → the one-line reason.
NOT_MAPS = {
    ".gpx": "a GPX file holds tracks, routes and waypoints (lines and points), never areas: export the "
            "control areas as polygons (GeoJSON, KML, a shapefile)",
    ".xls": "an old Excel workbook (.xls): save it as .xlsx or as CSV with a WKT geometry column",
}
SHAPEFILE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".qmd", ".shp.xml", ".fix")
#: The file that marks a folder as a whoholds store (skipped when a folder of maps holds one).
STORE_CATALOG = "catalog.duckdb"
_SKIP_NAMES = re.compile(r"^(readme|manifest|license|licence|changelog|notice|sources)([._-].*)?$", re.I)


@dataclass
class Source:
    """One map to read: a file on disk (``path``) or bytes taken out of an archive (``data``).

    ``name`` is the path, or ``archive.tar.xz::member/path`` for archive members. ``data``, when set, is the
    map's bytes already decompressed (``.geojson.gz`` members hold plain GeoJSON); a shapefile out of an
    archive is a small zip of its side-cars. ``fmt`` is one of geojson, topojson, kml, kmz, gpkg, shp,
    parquet, fgb, gml, geojsonseq (one Feature per line), csv (a WKT column), wikipedia.
    """

    name: str
    data: bytes | None
    path: Path | None
    fmt: str


def _lower_name(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name.lower()


def is_archive(name: str) -> bool:
    low = _lower_name(name)
    return low.endswith(ARCHIVE_SUFFIXES)


def strip_compression(name: str) -> tuple[str, str | None]:
    """(name without a .gz/.xz/.bz2 suffix, compression or None)."""
    for suffix, kind in COMPRESSED.items():
        if name.lower().endswith(suffix):
            return name[: -len(suffix)], kind
    return name, None


def format_of(name: str, head: bytes | None = None) -> str | None:
    """The map format of a file name (after removing a compression suffix), or None if not a map.

    ``head`` (the first bytes of the content) is needed to recognise marker modules in .lua/.wiki/.md/.txt.
    """
    inner, _ = strip_compression(name)
    low = _lower_name(inner)
    for suffix, fmt in MAP_SUFFIXES.items():
        if low.endswith(suffix):
            return fmt
    if low.endswith(MARKER_SUFFIXES):
        from .wikipedia import looks_like_wikipedia_module

        return "wikipedia" if head is not None and looks_like_wikipedia_module(head) else None
    return None


def _skipped(name: str) -> bool:
    low = _lower_name(name)
    return (
        low.startswith((".", "~", "__macosx"))
        or bool(_SKIP_NAMES.match(low))
        or low.endswith(SHAPEFILE_SIDECARS)
        or "__macosx/" in name.lower()
    )


def decompress(data: bytes, kind: str | None, name: str) -> bytes:
    """Decompress gzip/xz/bz2 bytes (also recognised by their magic numbers) within the size limits of
    :mod:`.limits`; InputError if corrupt or a compression bomb."""
    if kind is None:
        if data[:2] == b"\x1f\x8b":
            kind = "gzip"
        elif data[:6] == b"\xfd7zXZ\x00":
            kind = "xz"
        elif data[:3] == b"BZh":
            kind = "bz2"
        else:
            return data
    try:
        return decompress_capped(data, kind, name)
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise InputError(name, f"corrupt or truncated {kind} data ({exc})") from None


def load_bytes(source: Source) -> bytes:
    """The source's content, read from disk if needed and decompressed."""
    if source.data is not None:
        return source.data
    if source.path is None:
        raise InputError(source.name, "source has neither data nor a path")
    try:
        info = source.path.stat()
        limits = Limits.from_env()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(source.name, not_regular(info.st_mode))
        if info.st_size > limits.max_bytes:
            raise InputError(source.name, f"is {info.st_size >> 20} MB, more than the {limits.max_bytes >> 20} MB "
                                          "limit for one map (raise WHOHOLDS_MAX_MEMBER_MB)")
        with source.path.open("rb") as fh:  # capped: a file that grows while it is read cannot exhaust memory
            raw = read_capped(fh.read, source.name, None, limits)
    except OSError as exc:
        raise InputError(source.name, f"cannot read file: {exc.strerror or exc}") from None
    _, kind = strip_compression(source.path.name)
    if is_spreadsheet(source.path.name):
        return spreadsheet_as_csv(raw, source.name)
    if source.fmt in ("gpkg", "parquet", "fgb", "kmz") and kind is None:
        return raw
    if source.fmt == "shp" and kind is None:
        return raw
    return decompress(raw, kind, source.name)


def not_regular(mode: int) -> str:
    """Why a path that is not a regular file is not read (reading a FIFO or /dev/zero never ends)."""
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")
    return f"is {kind}, not a map file; refused (copy the map to a regular file first)"


def regular_file_error(path: Path) -> InputError | None:
    """InputError when ``path`` (after following symlinks) is not a regular file or cannot be examined."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return InputError(str(path), f"cannot read file: {exc.strerror or exc}")
    return None if stat.S_ISREG(mode) else InputError(str(path), not_regular(mode))


def _report(errors: list[InputError] | None, error: InputError) -> None:
    if errors is None:
        raise error
    errors.append(error)


def _head(path: Path, size: int = 1 << 16) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def _is_map_json(name: str, head: bytes) -> bool:
    """False for a ``.json`` file in a folder or archive that is plainly not GeoJSON/TopoJSON/Esri JSON (no
    "type" or "rings" key near the start: package.json, metadata...), or a ``.csv``/``.tsv`` without a WKT
    geometry column. Other files, and explicit paths, are always tried."""
    inner, _ = strip_compression(name)
    low = inner.lower()
    if low.endswith((".csv", ".tsv")):
        from .tabular import looks_like_wkt_table

        return looks_like_wkt_table(head)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark: sniff the decoded text
        head = head[: len(head) & ~1].decode("utf-16", "replace").encode("utf-8")
    return not low.endswith((".json", ".map")) or b'"type"' in head[: 1 << 16] or b'"rings"' in head[: 1 << 16]


def _is_map_table(kind: str | None, path: Path) -> bool:
    """A .csv/.tsv in a folder is a map only when its header names a WKT column (most CSVs are not maps); a
    spreadsheet when one of its sheets does."""
    if is_spreadsheet(path.name):
        try:
            spreadsheet_as_csv(path.read_bytes(), str(path))
        except (InputError, OSError):
            return False
        return True
    return kind is not None or _is_map_json(str(path), _head(path))
