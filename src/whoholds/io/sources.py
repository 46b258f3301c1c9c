"""Map sources: files, folders and archives expanded into one :class:`Source` per map.

Folders are walked recursively in sorted order, skipping README/MANIFEST/LICENSE files, hidden files,
shapefile side-cars and anything that is not a map. Archives (.zip, .tar, .tar.gz/.tgz, .tar.xz, .tar.bz2)
are streamed member by member, in archive order, so a large archive is never held in memory at once; a
.zip that holds one shapefile is one source. Single compressed files (.gz, .xz, .bz2) are decompressed.
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InputError
from .limits import MAX_NESTING, Limits, decompress_capped, nesting_of, read_capped
from .spreadsheet import is_spreadsheet, spreadsheet_as_csv
from .tarstream import TarError, iter_tar

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


def iter_sources(paths: Sequence[str | Path], errors: list[InputError] | None = None) -> Iterator[Source]:
    """One Source per map in ``paths`` (files, folders, archives).

    With ``errors`` given, a missing path, an unknown format or an unreadable archive member is appended to
    it and the others go on; without it the first problem raises :class:`InputError`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            _report(errors, InputError(str(raw), "no such file or folder"))
            continue
        found = 0
        n_errors = len(errors) if errors is not None else 0
        inner = _iter_folder(path, errors) if path.is_dir() else _iter_file(path, errors, explicit=True)
        for source in inner:
            found += 1
            yield source
        if not found and (errors is None or len(errors) == n_errors):
            what = "folder" if path.is_dir() else "archive"
            _report(errors, InputError(str(raw), f"{what} holds no map files (see `whoholds ingest --help` for the "
                                                 "formats read)"))


def _iter_folder(folder: Path, errors: list[InputError] | None) -> Iterator[Source]:
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: str(p.relative_to(folder)))
    # A whoholds store kept inside the folder of maps is not a map: its feature files (GeoParquet), some being
    # written by an ingest running beside this one, would be read as snapshots.
    stores = {p.parent for p in files if p.name == STORE_CATALOG}
    for path in files:
        if stores and any(parent in stores for parent in path.parents):
            continue
        rel = str(path.relative_to(folder))
        if _skipped(rel) or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        yield from _iter_file(path, errors, explicit=False)


def _head(path: Path, size: int = 1 << 16) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def _iter_file(path: Path, errors: list[InputError] | None, explicit: bool) -> Iterator[Source]:
    name = str(path)
    problem = regular_file_error(path)
    if problem is not None:  # a FIFO, /dev/zero behind a symlink...: opening or reading it would never end
        if explicit or problem.problem.startswith("cannot read"):  # listed a moment ago, gone or unreadable now: say so
            _report(errors, problem)
        return
    if is_archive(name):
        yield from _iter_archive(name, path, None, errors)
        return
    inner, kind = strip_compression(path.name)
    head = None
    if _lower_name(inner).endswith(MARKER_SUFFIXES):
        head = _head(path, 1 << 22) if kind is None else None
        if kind is not None:
            try:
                head = decompress(path.read_bytes(), kind, name)
            except InputError as exc:
                _report(errors, exc)
                return
    fmt = format_of(path.name, head)
    if fmt is None:
        reason = NOT_MAPS.get(PurePosixPath(_lower_name(inner)).suffix)
        if explicit:
            _report(errors, InputError(name, reason or _unknown_format(path.name)))
        return
    if not explicit and kind is None and not _is_map_json(name, _head(path)):
        return
    if fmt == "csv" and not (explicit and is_spreadsheet(path.name)) and not _is_map_table(kind, path):
        if explicit:
            _report(errors, InputError(name, _not_a_map_table(_head(path))))
        return
    yield Source(name=name, data=None, path=path, fmt=fmt)


def _not_a_map_table(head: bytes) -> str:
    from .tabular import point_columns

    points = point_columns(head)
    if points is not None:  # a list of places: points have no area, so no share of territory can come from it
        return (f"a table of points ({points[0]}/{points[1]} columns) without a WKT geometry column: points "
                "are not areas, and control shares need polygons (a WKT column of POLYGONs)")
    return ("a table without a WKT geometry column (a header named WKT, wkt_geom, geometry, geom or the_geom); "
            "not a map")


def _unknown_format(name: str) -> str:
    known = ", ".join(sorted({*MAP_SUFFIXES, *ARCHIVE_SUFFIXES}))
    return (
        f"unknown map format {PurePosixPath(name).suffix or '(no suffix)'!r}; "
        f"whoholds reads {known}, their .gz/.xz, and Wikipedia marker modules"
    )


def member_source(name: str, data: bytes) -> Source | None:
    """A Source for archive member bytes (decompressed), or None when the member is not a map."""
    inner, kind = strip_compression(name)
    if kind is not None:
        data = decompress(data, kind, name)
    fmt = format_of(inner, data if _lower_name(inner).endswith(MARKER_SUFFIXES) else None)
    if fmt is None:
        return None
    if is_spreadsheet(inner):
        data = spreadsheet_as_csv(data, name)
    return Source(name=name, data=data, path=None, fmt=fmt)


def _iter_archive(
    name: str, path: Path | None, data: bytes | None, errors: list[InputError] | None
) -> Iterator[Source]:
    low = _lower_name(name)
    if low.endswith(".zip"):
        yield from _iter_zip(name, path, data, errors)
    else:
        yield from _iter_tar(name, path, data, errors)


def _shapefile_part(member: str) -> tuple[str, str] | None:
    """(stem, suffix) when ``member`` is a shapefile or one of its side-cars."""
    low = member.lower()
    for suffix in (".shp", *SHAPEFILE_SIDECARS):
        if low.endswith(suffix):
            return member[: -len(suffix)], suffix
    return None


def _zip_parts(parts: dict[str, bytes], stem: str) -> bytes:
    buf = io.BytesIO()
    base = PurePosixPath(stem).name
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for suffix, blob in sorted(parts.items()):
            out.writestr(base + suffix, blob)
    return buf.getvalue()


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


def _iter_members(
    archive: str, members: Iterator[tuple[str, bytes]], errors: list[InputError] | None
) -> Iterator[Source]:
    shapefiles: dict[str, dict[str, bytes]] = {}
    for member, blob in members:
        full = f"{archive}::{member}"
        if "__macosx/" in member.lower() or _lower_name(member).startswith("."):
            continue
        part = _shapefile_part(member)
        if part is not None:  # side-cars may come before or after their .shp: gather, emit at the end
            shapefiles.setdefault(part[0], {})[part[1]] = blob
            continue
        if _skipped(member):
            continue
        try:
            if is_archive(member):
                if nesting_of(full) > MAX_NESTING:
                    raise InputError(full, "archive nested more than one level deep inside archives; refused "
                                           "(unpack the outer archive first)")
                yield from _iter_archive(full, None, blob, errors)
                continue
            src = member_source(full, blob)
        except InputError as exc:
            _report(errors, exc)
            continue
        if src is not None and (_is_map_json(src.name, src.data or b"")):
            yield src
    for stem, parts in sorted(shapefiles.items()):
        if ".shp" in parts:
            yield Source(name=f"{archive}::{stem}.shp", data=_zip_parts(parts, stem), path=None, fmt="shp")


def _iter_tar(name: str, path: Path | None, data: bytes | None, errors: list[InputError] | None) -> Iterator[Source]:
    def members() -> Iterator[tuple[str, bytes]]:
        try:
            with io.BytesIO(data) if data is not None else open(path, "rb") as fh:  # type: ignore[arg-type]
                yield from iter_tar(fh, Limits.from_env())
        except (TarError, OSError) as exc:
            _report(errors, InputError(name, f"cannot read archive: {exc}"))

    yield from _iter_members(name, members(), errors)


def _iter_zip(name: str, path: Path | None, data: bytes | None, errors: list[InputError] | None) -> Iterator[Source]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else str(path))
    except (zipfile.BadZipFile, OSError) as exc:
        _report(errors, InputError(name, f"cannot read zip archive: {exc}"))
        return
    with zf:
        infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
        usable = [i for i in infos if "__macosx/" not in i.filename.lower()]
        shapefiles = [i for i in usable if i.filename.lower().endswith(".shp")]
        others = [i for i in usable if _shapefile_part(i.filename) is None and not _skipped(i.filename)]
        limits = Limits.from_env()
        for info in usable:  # declared sizes first: a bomb is refused before a byte is inflated
            try:
                limits.check(f"{name}::{info.filename}", info.file_size, info.compress_size)
            except InputError as exc:
                _report(errors, exc)
                return
        lower_case = all(i.filename.endswith(part[1]) for i in usable
                         if (part := _shapefile_part(i.filename)) is not None)
        if len(shapefiles) == 1 and lower_case and not any(format_of(i.filename, b"") for i in others):
            # The common case: a zipped shapefile is one map, read by GDAL straight from the zip (GDAL's
            # zip reader misses upper-case side-cars, .SHP/.DBF: those are repacked below).
            yield Source(name=name, data=data, path=path if data is None else None, fmt="shp")
            return

        def members() -> Iterator[tuple[str, bytes]]:
            for info in usable:
                member = f"{name}::{info.filename}"
                try:
                    with zf.open(info) as fh:  # streamed: declared sizes may lie
                        blob = read_capped(fh.read, member, info.compress_size, limits)
                except InputError as exc:
                    _report(errors, exc)
                    continue
                except (zipfile.BadZipFile, OSError, zlib.error, EOFError, NotImplementedError,
                        RuntimeError, ValueError) as exc:
                    _report(errors, InputError(member, f"cannot read archive member: {exc}"))
                    continue
                yield info.filename, blob

        yield from _iter_members(name, members(), errors)
