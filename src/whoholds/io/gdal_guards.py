"""Checks before GDAL opens a file it would read without limits of its own: XML entity declarations (billion
laughs, external entities) in KML/GML, zips (KMZ, zipped shapefiles) that would inflate beyond the
decompression limits, and a KML that only links to a map kept elsewhere."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .limits import check_zip_members
from .sources import Source

_ENTITY = re.compile(rb"<!ENTITY", re.I)


def refuse_zip_bomb(source: Source, data: bytes | None) -> None:
    """The decompression limits (:mod:`.limits`) for zips GDAL inflates itself (KMZ, zipped shapefiles)."""
    if data is not None:
        if data[:2] == b"PK":
            check_zip_members(source.name, io.BytesIO(data))
    elif source.path is not None and (source.fmt == "kmz" or source.path.suffix.lower() == ".zip"):
        check_zip_members(source.name, source.path)


def refuse_xml_entities(source: Source, data: bytes | None) -> None:
    """InputError for KML/GML (or a KMZ's documents) that declare XML entities: they can expand to gigabytes
    (billion laughs) or pull in local files (external entities), and no map needs them."""
    if source.fmt not in ("kml", "gml", "kmz"):
        return
    if data is not None:
        blob = data
    elif source.path is not None:
        with source.path.open("rb") as fh:
            blob = fh.read() if source.fmt == "kmz" else fh.read(1 << 16)
    else:
        return
    docs = [blob]
    if source.fmt == "kmz":
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                docs = [zf.open(i).read(1 << 16) for i in zf.infolist() if i.filename.lower().endswith(".kml")]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
            return  # GDAL gives the error for a broken KMZ
    for doc in docs:
        head = doc[: 1 << 16]
        if b"<!DOCTYPE" in head.upper() and _ENTITY.search(head):
            raise InputError(source.name, "the XML declares entities (<!DOCTYPE ... <!ENTITY>): refused, since they "
                                          "can expand without bound or read local files; no map needs them")


def network_link_message(source: Source, data: bytes | None) -> str | None:
    """The message for a KML that only links to a live map elsewhere (Google Earth NetworkLink)."""
    if source.fmt != "kml":
        return None
    head = data[:1 << 16] if data is not None else (source.path.read_bytes()[:1 << 16] if source.path else b"")
    if b"<NetworkLink" not in head or b"<Placemark" in head:
        return None
    m = re.search(rb"<href>\s*([^<\s]{1,200})", head)
    where = f" ({m.group(1).decode('utf-8', 'replace')})" if m else ""
    return (f"holds only a NetworkLink to a map kept elsewhere{where}, no polygons; download the linked file "
            "(save it as .kml/.kmz) and read that")


def refuse_inconsistent_shapefile(source: Source, data: bytes | None) -> None:
    """InputError when a shapefile's side-cars disagree: GDAL reads the shapes the ``.shx`` index points at and
    the attributes the ``.dbf`` holds, so an index from another export silently loses or misreads shapes (a
    map with fewer areas than drawn: shares understated, confidently)."""
    if source.fmt != "shp":
        return
    for stem, parts in _shapefile_parts(source, data).items():
        if ".shp" in parts and ".shx" in parts:
            problem = shapefile_index_problem(parts[".shp"], parts[".shx"], parts.get(".dbf"))
            if problem is not None:
                where = f" ({stem})" if stem else ""
                raise InputError(source.name, f"{problem}{where}: the side-cars disagree (from different exports?); "
                                              "re-export the layer or rebuild the index (GDAL: SHAPE_RESTORE_SHX=YES)")


def _shapefile_parts(source: Source, data: bytes | None) -> dict[str, dict[str, bytes]]:
    """{stem: {'.shp'|'.shx'|'.dbf': bytes}} of the shapefile(s) a source holds (side-cars matched in any case)."""
    import zipfile

    found: dict[str, dict[str, bytes]] = {}
    wanted = (".shp", ".shx", ".dbf")
    if data is None and source.path is not None and source.path.suffix.lower() == ".shp":
        stem = source.path.stem.lower()
        for side in source.path.parent.iterdir():
            if side.stem.lower() == stem and side.suffix.lower() in wanted and side.is_file():
                found.setdefault("", {})[side.suffix.lower()] = side.read_bytes()
        return found
    try:
        target = io.BytesIO(data) if data is not None else source.path
        if target is None:
            return found
        with zipfile.ZipFile(target) as zf:
            for info in zf.infolist():
                low = info.filename.lower()
                if low.endswith(wanted) and "__macosx/" not in low:
                    found.setdefault(info.filename[:-4].lower(), {})[low[-4:]] = zf.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return {}  # GDAL gives the error for a broken zip
    return found


def shapefile_index_problem(shp: bytes, shx: bytes, dbf: bytes | None) -> str | None:
    """What is wrong between a .shp, its .shx index and its .dbf, or None when they agree (ESRI shapefile
    technical description: 100-byte headers; .shx records are big-endian (offset, length) in 16-bit words;
    each .shp record starts with its big-endian 1-based record number)."""
    import numpy as np

    if len(shp) < 100 or len(shx) < 100:
        return "the .shp or .shx is shorter than its 100-byte header"
    if (len(shx) - 100) % 8:
        return "the .shx index is cut short (not a whole number of records)"
    declared = int.from_bytes(shp[24:28], "big") * 2
    if declared > len(shp):
        return f"the .shp is {len(shp):,} bytes but its header says {declared:,} (truncated)"
    index = np.frombuffer(shx, dtype=">i4", offset=100).reshape(-1, 2).astype(np.int64) * 2
    n = len(index)
    if dbf is not None and len(dbf) >= 8:
        rows = int.from_bytes(dbf[4:8], "little")
        if rows != n:
            return f"the .shx index lists {n:,} shapes but the .dbf {rows:,} records"
    if n == 0:
        return None
    offsets, lengths = index[:, 0], index[:, 1]
    bad = (offsets < 100) | (lengths < 0) | (offsets + 8 + lengths > len(shp))
    if bad.any():
        return f"the .shx index points outside the .shp (shape {int(np.argmax(bad)) + 1:,} of {n:,})"
    body = np.frombuffer(shp, dtype=np.uint8)
    heads = body[offsets[:, None] + np.arange(4)].astype(np.int64)
    numbers = (heads[:, 0] << 24) | (heads[:, 1] << 16) | (heads[:, 2] << 8) | heads[:, 3]
    wrong = numbers != np.arange(1, n + 1)
    if wrong.any():
        return f"the .shx index does not point at the .shp's shapes (shape {int(np.argmax(wrong)) + 1:,} of {n:,})"
    return None


#: GDAL's KML reader gives up ("Invalid root element") on documents nested about this deep.
KML_MAX_DEPTH = 90
_TAG = re.compile(rb"<(/?)[A-Za-z_][^<>]*?(/?)>")
_DECLARED = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)", re.I)


def xml_failure_message(source: Source, data: bytes | None) -> str | None:
    """A clearer reason than GDAL's parser message for a KML/GML it cannot open: bytes that are not the
    UTF-8 the document declares, or folders nested deeper than GDAL reads. None when neither applies."""
    if source.fmt not in ("kml", "gml"):
        return None
    blob = data if data is not None else (source.path.read_bytes() if source.path is not None else b"")
    declared = _DECLARED.search(blob[:200])
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
        try:
            blob.decode("utf-8")
        except UnicodeDecodeError as exc:
            return (f"not UTF-8 text, as the XML declares: byte 0x{blob[exc.start]:02x} at offset {exc.start}; "
                    "save the file as UTF-8 (or declare its real encoding)")
    depth = deepest = 0
    for m in _TAG.finditer(blob):
        if m.group(1):
            depth -= 1
        elif not m.group(2):
            depth += 1
            deepest = max(deepest, depth)
    if deepest > KML_MAX_DEPTH:
        return (f"elements nested {deepest} levels deep (folders inside folders); GDAL reads at most about "
                f"{KML_MAX_DEPTH}: flatten the folders")
    return None


def refuse_geopackage_views(source: Source, path: str) -> None:
    """InputError for a GeoPackage whose layers include SQL views: a view's query runs when GDAL reads it, and
    a hostile one (an endless recursive query) never returns. Exported control maps hold tables; the check
    reads only the schema, through SQLite in read-only immutable mode (no query of the file is executed)."""
    import sqlite3
    from urllib.parse import quote

    if source.fmt != "gpkg" or path.startswith("/vsi"):
        return
    try:
        con = sqlite3.connect(f"file:{quote(path)}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return  # GDAL names the problem
    try:
        views = {str(row[0]).lower() for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        if not views:
            return
        layers = [str(row[0]) for row in con.execute("SELECT table_name FROM gpkg_contents")]
    except sqlite3.Error:
        return
    finally:
        con.close()
    bad = [name for name in layers if name.lower() in views]
    if bad:
        shown = ", ".join(repr(b[:40]) for b in bad[:3])
        raise InputError(source.name, f"layer {shown} is an SQL view, whose query would run on reading (it may "
                                      "never end); export the layers as plain tables")


def refuse_parquet_bomb(source: Source, target: object) -> None:
    """The limits for a GeoParquet file, from its footer before pyarrow decompresses anything: the row groups'
    uncompressed size against ``WHOHOLDS_MAX_MEMBER_MB`` (and the ratio), and the row count against the vertex
    limit (every polygon has at least four vertices): a few kilobytes of repeated, dictionary-encoded rows
    would otherwise inflate to gigabytes in memory. A file without a readable footer is left to the reader."""
    from .limits import DEFAULT_MAX_VERTICES, Limits, _env_number

    try:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(target).metadata  # type: ignore[arg-type]
        rows = int(meta.num_rows)
        inflated = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        packed = sum(meta.row_group(i).column(j).total_compressed_size for i in range(meta.num_row_groups)
                     for j in range(meta.num_columns))
    except Exception:  # noqa: BLE001 - pyarrow raises many types for files that are not Parquet
        return
    finally:
        if hasattr(target, "seek"):
            target.seek(0)  # type: ignore[union-attr]
    Limits.from_env().check(source.name, int(inflated), int(packed))
    limit = int(_env_number("WHOHOLDS_MAX_VERTICES", DEFAULT_MAX_VERTICES))
    if 4 * rows > limit:
        raise InputError(source.name, f"holds {rows:,} rows: at four vertices each at least, more than the {limit:,} "
                                      "polygon-vertex limit (real control maps hold thousands); simplify it, or "
                                      "raise WHOHOLDS_MAX_VERTICES")
