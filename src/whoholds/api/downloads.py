"""Downloads: the geometry of any figure (GeoJSON, GeoPackage, GeoParquet) and the tables (CSV, SQLite).

The same library functions as ``whoholds export ...`` (:mod:`whoholds.render.export`), written to a
temporary folder of the server (never a path the client names) and returned as an attachment.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..errors import QueryError
from .common import cached, day_of, profile_of, store_of
from .geo import MonthQ, ProfileQ, in_force, pair_of

router = APIRouter(prefix="/api/export")

MEDIA = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
         "parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8",
         "sqlite": "application/vnd.sqlite3"}
GeoFormatQ = Annotated[str, Query(alias="format", description="geojson, gpkg (GeoPackage) or parquet (GeoParquet).")]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _written(write: Any, name: str) -> bytes:
    """Bytes of the file ``write(folder / name)`` produced in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="whoholds-export-") as tmp:
        out = write(Path(tmp) / name)
        return Path(out if not isinstance(out, list) else out[0]).read_bytes()


@router.get("/layers", tags=["downloads"], summary="Resolved state layers of a date (GeoJSON/GeoPackage/GeoParquet)",
            response_class=Response)
def export_layers(request: Request, profile: ProfileQ = "ukraine", date: str | None = None,
                  fmt: GeoFormatQ = "geojson") -> Response:
    from ..render.export import GEO_FORMATS, geo_format

    prof, key, day = profile_of(profile), geo_format(fmt), day_of(date, "date")
    with store_of(request).open() as st:
        snap_date = in_force(st, prof, day)[0].date
    name = f"whoholds-{prof.id}-layers-{snap_date}{GEO_FORMATS[key]}"

    def compute() -> bytes:
        from ..render.export import export_layers as write_layers

        with store_of(request).open() as st:
            return _written(lambda out: write_layers(st, prof, snap_date, out, key), name)

    return cached(request, ("export-layers", prof.id, snap_date, key), compute, MEDIA[key],
                  headers=_attachment(name))


@router.get("/changes", tags=["downloads"], summary="Pieces that changed hands between two dates, with from/to and km²",
            response_class=Response)
def export_changes(request: Request, profile: ProfileQ = "ukraine", d1: str | None = None, d2: str | None = None,
                   month: MonthQ = None, fmt: GeoFormatQ = "geojson") -> Response:
    from ..render.export import GEO_FORMATS, geo_format

    prof, key = profile_of(profile), geo_format(fmt)
    with store_of(request).open() as st:
        s1, s2, _how = pair_of(st, prof, d1, d2, month)
    a, b = s1.date, s2.date
    name = f"whoholds-{prof.id}-changes-{a}-{b}{GEO_FORMATS[key]}"

    def compute() -> bytes:
        from ..render.export import export_changes as write_changes

        with store_of(request).open() as st:
            return _written(lambda out: write_changes(st, prof, a, b, out, key), name)

    return cached(request, ("export-changes", prof.id, a, b, key), compute, MEDIA[key], headers=_attachment(name))


@router.get("/catalog", tags=["downloads"], summary="The snapshot catalog as CSV, or catalog and ledger as SQLite",
            response_class=Response)
def export_catalog(request: Request, profile: str | None = None,
                   fmt: Annotated[str, Query(alias="format", description="csv or sqlite.")] = "csv") -> Response:
    from ..render.export import TABLE_FORMATS, table_format

    prof, key = (profile_of(profile) if profile else None), table_format(fmt)
    name = f"whoholds-catalog{'-' + prof.id if prof else ''}{TABLE_FORMATS[key]}"

    def compute() -> bytes:
        from ..render.export import export_catalog as write_catalog

        with store_of(request).open() as st:
            return _written(lambda out: write_catalog(st, out, key, profile=prof), name)

    return cached(request, ("export-catalog", prof.id if prof else None, key), compute, MEDIA[key],
                  heavy=False, headers=_attachment(name))


@router.get("/table", tags=["downloads"], summary="A figure table as CSV: shares of a date, changes, or the timeline",
            response_class=Response)
def export_table(
    request: Request,
    name: Annotated[str, Query(description="shares, changes or timeline.")],
    profile: ProfileQ = "ukraine",
    date: str | None = None,
    d1: str | None = None,
    d2: str | None = None,
    month: MonthQ = None,
    by: Annotated[str, Query(description="state, actor or coalition.")] = "actor",
    every: Annotated[str, Query(description="Timeline step: snapshot, day, week or month.")] = "month",
) -> Response:
    from ..io.writers import frame_to_csv

    prof = profile_of(profile)
    if name not in ("shares", "changes", "timeline"):
        raise QueryError(f"name {name!r}", "use shares, changes or timeline")

    def compute() -> bytes:
        with store_of(request).open() as st:
            if name == "shares":
                from ..metrics.shares import shares

                snap = in_force(st, prof, day_of(date, "date"))[0]
                frame = shares(st, prof, snap.date, by=by)
            elif name == "changes":
                from ..metrics.changes import transfer_matrix

                s1, s2, _how = pair_of(st, prof, d1, d2, month)
                frame = transfer_matrix(st, prof, s1.date, s2.date, by=by).long_frame()
            else:
                from ..metrics.timeline import timeline

                frame = timeline(st, prof, every=every, by=by).frame
        return frame_to_csv(frame).encode()

    filename = f"whoholds-{prof.id}-{name}.csv"
    return cached(request, ("table", name, prof.id, date, d1, d2, month, by, every), compute, MEDIA["csv"],
                  headers=_attachment(filename))
