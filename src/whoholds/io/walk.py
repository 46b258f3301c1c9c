"""Walking map inputs: files, folders and archives expanded into one :class:`~.sources.Source` per map.

Folders are walked recursively in sorted order, skipping README/MANIFEST/LICENSE files, hidden files,
shapefile side-cars, a whoholds store kept among the maps, and anything that is not a map. Archives (.zip, .tar,
.tar.gz/.tgz, .tar.xz, .tar.bz2) are streamed member by member, in archive order, so a large archive is never held
in memory at once; a .zip that holds one shapefile is one source. What a file is (its format, compression,
whether it is a map at all) is decided in :mod:`.sources`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from ..errors import InputError
from .limits import MAX_NESTING, Limits, nesting_of, read_capped
from .sources import (
    ARCHIVE_SUFFIXES,
    MAP_SUFFIXES,
    MARKER_SUFFIXES,
    NOT_MAPS,
    SHAPEFILE_SIDECARS,
    STORE_CATALOG,
    Source,
    _head,
    _is_map_json,
    _is_map_table,
    _lower_name,
    _report,
    _skipped,
    decompress,
    format_of,
    is_archive,
    regular_file_error,
    strip_compression,
)
from .spreadsheet import is_spreadsheet, spreadsheet_as_csv
from .tarstream import TarError, iter_tar


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
