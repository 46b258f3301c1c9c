"""CSV/TSV tables with a WKT geometry column (QGIS "Save as CSV" with GEOMETRY=AS_WKT, spreadsheet
exports): every other column is a property, so the state column is found like any other label."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from .features import FeatureTable

#: Header names (any case) of a WKT geometry column, most specific first.
WKT_COLUMNS = ("wkt", "wkt_geom", "geometry_wkt", "geometry", "geom", "the_geom", "shape", "polygon", "footprint")
_WKT_START = ("POLYGON", "MULTIPOLYGON", "GEOMETRYCOLLECTION", "POINT", "LINESTRING", "MULTIPOINT",
              "MULTILINESTRING", "SRID=")
#: Longest CSV field accepted (the csv module's default, 128 KB, is too small for a detailed polygon).
MAX_FIELD = 256 << 20


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") and first.count("\t") >= first.count(";") else (
        ";" if first.count(";") > first.count(",") else ",")


def geometry_column(header: Sequence[str]) -> int | None:
    """Index of the WKT geometry column in ``header``, or None."""
    low = [h.strip().strip('"').lower() for h in header]
    for name in WKT_COLUMNS:
        if name in low:
            return low.index(name)
    return None


def _header(head: bytes) -> list[str]:
    """The first line of a table's bytes split into cells (UTF-8, or UTF-16 with a byte-order mark)."""
    sample = head[:1 << 16]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" export
        text = sample[: len(sample) & ~1].decode("utf-16", "replace")
    else:
        text = sample.decode("utf-8-sig", "replace")
    return text.split("\n", 1)[0].rstrip("\r").split(_dialect(text))


def looks_like_wkt_table(head: bytes) -> bool:
    """True when the first line of ``head`` is a header with a WKT geometry column."""
    return geometry_column(_header(head)) is not None


#: Header names (any case) of point coordinate columns: a table of places, not of areas.
_LAT = ("lat", "latitude", "y", "широта", "lat_dd")
_LON = ("lon", "lng", "long", "longitude", "x", "довгота", "долгота", "lon_dd")


def point_columns(head: bytes) -> tuple[str, str] | None:
    """The (latitude, longitude) column names when the table's header has both, else None."""
    low = {h.strip().strip('"').lower(): h.strip().strip('"') for h in _header(head)}
    lat = next((low[k] for k in _LAT if k in low), None)
    lon = next((low[k] for k in _LON if k in low), None)
    return (lat, lon) if lat and lon else None


def read_wkt_table(data: bytes, name: str, date_keys: Sequence[str], label_keys: Sequence[str] = ()) -> FeatureTable:
    """Polygon rows of a CSV/TSV with a WKT column (coordinates read as lon/lat; ``SRID=n;`` honoured)."""
    import shapely

    from .ogr import _to_table

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text (save the CSV as UTF-8)") from None
    csv.field_size_limit(MAX_FIELD)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text)))
    except csv.Error as exc:
        raise InputError(name, f"not a readable CSV table: {exc}") from None
    if not rows:
        raise InputError(name, "empty file")
    header, body = [h.strip() for h in rows[0]], [r for r in rows[1:] if any(c.strip() for c in r)]
    col = geometry_column(header)
    if col is None:
        raise InputError(name, f"no WKT geometry column (looked for {', '.join(WKT_COLUMNS)}; columns: "
                               f"{', '.join(header[:12])})")
    wkts: list[str | None] = []
    srids: set[str] = set()
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise InputError(name, f"line {number} has {len(row)} fields, the header {len(header)}")
        value = row[col].strip()
        if value.upper().startswith("SRID="):
            srid, _, value = value.partition(";")
            srids.add(srid[5:].strip())
        if value and not value.upper().startswith(_WKT_START):
            raise InputError(name, f"line {number}: column {header[col]!r} is not WKT: {value[:40]!r}")
        wkts.append(value or None)
    try:
        geoms = shapely.from_wkt(np.asarray(wkts, dtype=object), on_invalid="raise")
    except shapely.errors.GEOSException as exc:
        raise InputError(name, f"unreadable WKT geometry: {str(exc).splitlines()[0][:100]}") from None
    if len(srids) > 1:
        raise InputError(name, f"rows in several coordinate systems (SRID {', '.join(sorted(srids))})")
    crs = f"EPSG:{srids.pop()}" if srids else None
    cols = {h: [r[i] if r[i].strip() else None for r in body] for i, h in enumerate(header) if i != col}
    return _to_table(name, np.asarray(geoms, dtype=object), cols, crs, date_keys, label_keys=label_keys)
