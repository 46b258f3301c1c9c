"""Spreadsheets (.xlsx, .ods) holding a map as a table: a WKT geometry column beside the state column, as
analysts keep them in Excel or LibreOffice. GDAL reads the sheets (header row forced); the first sheet with a
WKT column is turned into CSV text for :mod:`.tabular`, so everything else (SRID prefixes, state columns,
dates) works as for a CSV file. A sheet of lat/lon points or without any geometry column is one line."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from ..errors import InputError

SPREADSHEET_SUFFIXES = (".xlsx", ".ods")


def is_spreadsheet(name: str) -> bool:
    return name.lower().endswith(SPREADSHEET_SUFFIXES)


def _sheets(path: str) -> list[tuple[list[str], list[list[object]]]]:
    """(header, rows) of every sheet, read by GDAL with the first row as the header."""
    import pyogrio
    import pyogrio.raw

    options = {"OGR_XLSX_HEADERS": "FORCE", "OGR_ODS_HEADERS": "FORCE", "OGR_XLSX_FIELD_TYPES": "STRING",
               "OGR_ODS_FIELD_TYPES": "STRING"}
    pyogrio.set_gdal_config_options(options)
    try:
        out = []
        for layer, _ in pyogrio.list_layers(path):
            meta, _, _, values = pyogrio.raw.read(path, layer=layer, read_geometry=False)
            header = [str(f) for f in meta["fields"]]
            out.append((header, [list(col) for col in zip(*values, strict=True)] if len(values) else []))
        return out
    finally:
        pyogrio.set_gdal_config_options({k: None for k in options})


def spreadsheet_as_csv(data: bytes, name: str) -> bytes:
    """The first sheet with a WKT geometry column, as UTF-8 CSV bytes; InputError when there is none."""
    from .limits import check_zip_members
    from .ogr import _first_line, _gdal_errors
    from .tabular import geometry_column, point_columns

    if data[:2] == b"PK":  # both formats are zips GDAL inflates itself: the decompression limits first
        check_zip_members(name, io.BytesIO(data))
    suffix = Path(name.split("::")[-1]).suffix.lower() or ".xlsx"
    with tempfile.TemporaryDirectory(prefix="whoholds-") as tmp:
        target = Path(tmp) / f"sheet{suffix}"
        target.write_bytes(data)
        try:
            sheets = _sheets(str(target))
        except _gdal_errors() as exc:
            raise InputError(name, f"cannot be read as a spreadsheet: {_first_line(exc)}") from None
    for header, rows in sheets:
        if geometry_column(header) is not None:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
            return buf.getvalue().encode("utf-8")
    for header, _ in sheets:
        points = point_columns(",".join(header).encode())
        if points is not None:
            raise InputError(name, f"a sheet of points ({points[0]}/{points[1]} columns) without a WKT geometry "
                                   "column: points are not areas, and control shares need polygons (a WKT column "
                                   "of POLYGONs)")
    raise InputError(name, "no sheet has a WKT geometry column (a header named WKT, wkt_geom, geometry, geom or "
                           "the_geom); not a map")
