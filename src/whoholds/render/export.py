"""Exports for GIS and Datasette users: the geometry behind every figure, and the store's tables.

* :func:`export_layers` -- the resolved, disjoint state layers of one snapshot (the polygons whose geodesic
  areas are the shares), one feature per state with its km², % of the boundary and provenance.
* :func:`export_changes` -- the pieces that changed hands between two snapshots, one feature per piece with
  ``from_state``/``to_state`` (a loss for the first, a gain for the second) and its km².
* :func:`export_catalog` -- the snapshot catalog (and the claims ledger, when the store has one) as CSV or
  SQLite, for Datasette or a spreadsheet.

Geometry formats: ``geojson`` (RFC 7946, lon/lat WGS84), ``gpkg`` (GeoPackage, EPSG:4326) and ``parquet``
(GeoParquet). Every file is written atomically (see :mod:`whoholds.io.writers`). The areas are the engine's own
(:mod:`whoholds.geometry.area`), so an exported layer reproduces the figure it came from.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InputError, QueryError

if TYPE_CHECKING:
    import geopandas as gpd

    from ..profiles import Profile

#: Format name -> file suffix of the geometry exports.
GEO_FORMATS: dict[str, str] = {"geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet"}
#: Format name -> file suffix of the table exports.
TABLE_FORMATS: dict[str, str] = {"csv": ".csv", "sqlite": ".sqlite"}


def geo_format(fmt: str) -> str:
    """The normalised geometry format name (``geojson``, ``gpkg`` or ``parquet``); anything else is an error."""
    key = str(fmt).strip().lower().lstrip(".")
    key = {"json": "geojson", "geopackage": "gpkg", "geoparquet": "parquet"}.get(key, key)
    if key not in GEO_FORMATS:
        raise QueryError(f"format {fmt!r}", f"unknown geometry format; use {', '.join(GEO_FORMATS)}")
    return key


def table_format(fmt: str) -> str:
    key = str(fmt).strip().lower().lstrip(".")
    key = {"sqlite3": "sqlite", "db": "sqlite"}.get(key, key)
    if key not in TABLE_FORMATS:
        raise QueryError(f"format {fmt!r}", f"unknown table format; use {', '.join(TABLE_FORMATS)}")
    return key


def _state_columns(profile: Profile, states: list[str]) -> dict[str, list[Any]]:
    defs = profile.state_by_id
    return {
        "name": [profile.display_name(s) for s in states],
        "kind": [defs[s].kind if s in defs else "unassigned" for s in states],
        "actor": [profile.actor_of(s) or "" for s in states],
        "colour": [profile.colour_of(s) for s in states],
    }


def layers_frame(store: Any, profile: Profile, date: dt.date | str, *, boundary: Any = None) -> gpd.GeoDataFrame:
    """The resolved state layers of the snapshot of ``date`` with km², % of the boundary and provenance."""
    import geopandas as gpd

    from ..geometry.layers import state_layers
    from ..metrics.changes import snapshot_on
    from .maps import resolve_boundary

    snap = snapshot_on(store, date, profile)
    bnd = resolve_boundary(profile, boundary)
    layers = state_layers(snap, profile, bnd)
    f = layers.frame
    f = f[~f.geometry.is_empty].reset_index(drop=True)
    states = [str(s) for s in f["state"]]
    area = f["area_km2"].to_numpy(dtype=float)
    data = {
        "state": states, **_state_columns(profile, states),
        "area_km2": area, "share_pct": area / bnd.area_km2 * 100.0,
        "date": snap.date.isoformat(), "snapshot_id": snap.id, "source": str(snap.source),
        "boundary": bnd.id, "method": layers.method, "whoholds_version": __version__,
    }
    return gpd.GeoDataFrame(data, geometry=f.geometry.values, crs="EPSG:4326")


def changes_frame(
    store: Any, profile: Profile, d1: dt.date | str, d2: dt.date | str, *, on_or_before: bool = False,
    boundary: Any = None,
) -> gpd.GeoDataFrame:
    """The pieces that changed hands between two snapshots (``transfer_matrix``'s changed places)."""
    import geopandas as gpd

    from ..metrics.changes import transfer_matrix

    result = transfer_matrix(store, profile, d1, d2, by="state", boundary=boundary, on_or_before=on_or_before)
    ch = result.changed
    frm, to = [str(s) for s in ch["from_state"]], [str(s) for s in ch["to_state"]]
    names = {f"from_{k}": v for k, v in _state_columns(profile, frm).items() if k in ("name", "actor", "colour")}
    names |= {f"to_{k}": v for k, v in _state_columns(profile, to).items() if k in ("name", "actor", "colour")}
    prov = result.provenance.as_dict() if result.provenance is not None else {}
    data = {
        "from_state": frm, "to_state": to, **names,
        "area_km2": ch["area_km2"].to_numpy(dtype=float),
        "d1": result.d1.date.isoformat() if result.d1 else str(d1),
        "d2": result.d2.date.isoformat() if result.d2 else str(d2),
        "snapshot_ids": str(prov.get("snapshot_id", "")), "boundary": str(prov.get("boundary", "")),
        "method": str(prov.get("method", result.method)), "whoholds_version": __version__,
    }
    return gpd.GeoDataFrame(data, geometry=ch.geometry.values, crs="EPSG:4326")


def _out_path(path: str | Path, fmt: str, suffixes: dict[str, str]) -> Path:
    out = Path(path)
    if out.is_dir():
        raise InputError(out, "is a folder; give a file name")
    if out.suffix.lower() != suffixes[fmt]:
        out = out.with_name(out.name + suffixes[fmt])
    return out


def write_geo_frame(frame: gpd.GeoDataFrame, path: str | Path, fmt: str) -> Path:
    """Write ``frame`` in one of GEO_FORMATS (the suffix is added when missing); returns the path written."""
    from ..io.writers import write_geo

    key = geo_format(fmt)
    return write_geo(frame, _out_path(path, key, GEO_FORMATS))


def export_layers(store: Any, profile: Profile, date: dt.date | str, path: str | Path, fmt: str = "geojson",
                  *, boundary: Any = None) -> Path:
    """Write the resolved state layers of the snapshot of ``date`` (``whoholds export layers``)."""
    key = geo_format(fmt)
    return write_geo_frame(layers_frame(store, profile, date, boundary=boundary), path, key)


def export_changes(store: Any, profile: Profile, d1: dt.date | str, d2: dt.date | str, path: str | Path,
                   fmt: str = "geojson", *, on_or_before: bool = False, boundary: Any = None) -> Path:
    """Write the pieces that changed hands between the snapshots of ``d1`` and ``d2`` (``whoholds export
    changes``); ``on_or_before``: the last snapshot on or before each date (the period convention)."""
    key = geo_format(fmt)
    frame = changes_frame(store, profile, d1, d2, on_or_before=on_or_before, boundary=boundary)
    return write_geo_frame(frame, path, key)


def catalog_tables(store: Any, profile: Profile | None = None) -> dict[str, Any]:
    """The tables worth exporting: ``snapshots`` (the catalog) and, when present, the claims ledger."""
    tables = {"snapshots": store.catalog(profile.id if profile is not None else None)}
    present = store.tables()
    for name in ("ledger_sources", "ledger_figures"):
        if name in present:
            tables[name] = store.table(name)
    return tables


def export_catalog(store: Any, path: str | Path, fmt: str = "csv", *, profile: Profile | None = None) -> list[Path]:
    """Write the catalog (and ledger) as one SQLite file, or one CSV per table (``<stem>_<table>.csv`` next
    to ``path``; the snapshot catalog goes to ``path`` itself). Returns the files written."""
    import sqlite3

    from ..io.writers import atomic_path, frame_to_csv, write_text_atomic

    key = table_format(fmt)
    out = _out_path(path, key, TABLE_FORMATS)
    tables = catalog_tables(store, profile)
    if key == "csv":
        written = []
        for name, frame in tables.items():
            target = out if name == "snapshots" else out.with_name(f"{out.stem}_{name}.csv")
            written.append(write_text_atomic(target, frame_to_csv(frame)))
        return written
    with atomic_path(out) as tmp:
        tmp.unlink()  # sqlite3 writes a fresh database file
        con = sqlite3.connect(tmp)
        try:
            for name, frame in tables.items():
                _sqlite_ready(frame).to_sql(name, con, index=False)
            con.commit()
        finally:
            con.close()
    return [out]


def _sqlite_ready(frame: Any) -> Any:
    """Dates and timestamps as ISO text (SQLite has no date type; Datasette shows text as is)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda v: None if pd.isna(v) else pd.Timestamp(v).isoformat())
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    return out
