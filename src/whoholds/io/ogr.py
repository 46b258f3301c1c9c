"""The GDAL/pyogrio reader (KML/KMZ, GeoPackage, Shapefile, TopoJSON, FlatGeobuf, GML, GeoJSON the fast
path leaves aside) and GeoParquet through GeoPandas, all into a :class:`FeatureTable` in EPSG:4326."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from .features import FILL_KEYS, LABEL_KEYS, STATE_KEYS, FeatureTable, alt_labels, repair_entries, text_or_none
from .gdal_guards import network_link_message as _network_link
from .gdal_guards import (
    refuse_geopackage_views,
    refuse_inconsistent_shapefile,
    refuse_parquet_bomb,
    refuse_xml_entities,
    refuse_zip_bomb,
    xml_failure_message,
)
from .html_attributes import with_html_attributes
from .sources import Source, strip_compression

_SUFFIX = {
    "geojson": ".geojson",
    "topojson": ".topojson",
    "kml": ".kml",
    "kmz": ".kmz",
    "gpkg": ".gpkg",
    "shp": ".zip",
    "fgb": ".fgb",
    "gml": ".gml",
    "parquet": ".parquet",
}
_POINT_IDS = (0, 4)
_LINE_IDS = (1, 2, 5)
_POLYGON_IDS = (3, 6)
_BRUSH = re.compile(r"BRUSH\([^)]*?fc:(#[0-9A-Fa-f]{6})")


def _gdal_errors() -> tuple[type[BaseException], ...]:
    import pyogrio.errors as pe

    return (
        pe.DataSourceError,
        pe.DataLayerError,
        pe.FieldError,
        pe.GeometryError,
        pe.CRSError,
        shapely.errors.GEOSException,
        RuntimeError,
        ValueError,
        OSError,
    )


def _first_line(exc: BaseException) -> str:
    """The gist of a GDAL error in one short line (GDAL quotes whole SQL statements: keep what failed)."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    if len(text) > 200 and " failed: " in text:
        text = text.rsplit(" failed: ", 1)[1]
    return text if len(text) <= 200 else text[:197] + "..."


@contextlib.contextmanager
def gdal_path(source: Source, data: bytes | None) -> Iterator[str]:
    """A path GDAL can open: the file itself, /vsizip/ for zipped shapefiles, or a temporary copy of
    in-memory (archive member or decompressed) bytes with the right suffix."""
    path = source.path
    if path is not None and strip_compression(path.name)[1] is None:
        text = str(path)
        yield f"/vsizip/{text}" if path.suffix.lower() == ".zip" else text
        return
    if data is None:
        raise InputError(source.name, "nothing to read")
    suffix = _SUFFIX.get(source.fmt, "")
    if source.fmt == "shp" and data[:2] != b"PK":
        raise InputError(source.name, "a shapefile must come with its .dbf/.shx side-cars (or zipped)")
    with tempfile.TemporaryDirectory(prefix="whoholds-") as tmp:
        target = Path(tmp) / f"map{suffix}"
        target.write_bytes(data)
        yield f"/vsizip/{target}" if suffix == ".zip" else str(target)


def _geometry_kind(geoms: np.ndarray) -> np.ndarray:
    """'polygon' / 'points' / 'lines' / 'none' per geometry (collections: polygon if any part is)."""
    types = shapely.get_type_id(geoms)
    kind = np.full(len(geoms), "none", dtype=object)
    kind[np.isin(types, _POINT_IDS)] = "points"
    kind[np.isin(types, _LINE_IDS)] = "lines"
    kind[np.isin(types, _POLYGON_IDS)] = "polygon"
    for i in np.flatnonzero(types == 7):
        parts = shapely.get_type_id(_flat_parts(geoms[i]))
        has = set(parts.tolist())
        kind[i] = "polygon" if has & {3, 6} else ("lines" if has & {1, 2, 5} else "points")
    return kind


def _flat_parts(geom: shapely.Geometry) -> np.ndarray:
    parts = shapely.get_parts(geom)
    while (shapely.get_type_id(parts) == 7).any():
        parts = shapely.get_parts(parts)
    return parts


def _columns(names: Sequence[str], values: Sequence[np.ndarray]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for name, arr in zip(names, values, strict=True):
        arr = np.asarray(arr)
        if arr.dtype.kind == "M":
            out[name] = [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in arr]
        else:
            out[name] = [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in arr.tolist()]
    return out


def _first_of(cols: dict[str, list[object]], keys: Sequence[str], n: int) -> list[str | None]:
    present = [cols[k] for k in keys if k in cols]
    out: list[str | None] = []
    for i in range(n):
        value = None
        for col in present:
            value = text_or_none(col[i])
            if value is not None:
                break
        out.append(value)
    return out


def _alt_column(cols: dict[str, list[object]], labels: list[str | None], layer: str | None
                ) -> list[tuple[str, ...] | None]:
    """Per row, the other values that may name the state (:func:`.features.alt_labels`), the layer last."""
    wanted = {k.lower() for k in STATE_KEYS}
    keys = [k for k in cols if k.lower() in wanted]
    if not keys and not layer:
        return []
    out: list[tuple[str, ...] | None] = []
    for i, label in enumerate(labels):
        props: dict[str, object] = {k: cols[k][i] for k in keys}
        if layer and "layer" not in {k.lower() for k in props}:
            props["layer"] = layer
        out.append(alt_labels(props, label))
    return out


def _styles_to_fill(styles: list[object]) -> list[str | None]:
    out: list[str | None] = []
    for style in styles:
        m = _BRUSH.search(style) if isinstance(style, str) else None
        out.append(m.group(1).lower() if m else None)
    return out


def _to_table(
    name: str,
    geoms: np.ndarray,
    cols: dict[str, list[object]],
    crs: object,
    date_keys: Sequence[str],
    closed: np.ndarray | None = None,
    layer: str | None = None,
    label_keys: Sequence[str] = (),
) -> FeatureTable:
    """Polygon rows of one layer, reprojected and repaired; ``closed`` flags rows whose rings were closed.
    ``layer`` (a KML folder, a GeoPackage layer) is one more place the state may be named."""
    geoms = np.asarray(geoms, dtype=object)
    kinds = _geometry_kind(geoms)
    dropped = Counter({k: int(v) for k, v in Counter(kinds.tolist()).items() if k in ("points", "lines")})
    if (kinds == "none").any():
        dropped["null_geometry"] += int((kinds == "none").sum())
    keep = np.flatnonzero(kinds == "polygon")
    geoms = geoms[keep]
    closed = np.zeros(len(keep), dtype=bool) if closed is None else np.asarray(closed, dtype=bool)[keep]
    cols = {k: [v[i] for i in keep] for k, v in cols.items()}
    has_crs = crs is not None
    if has_crs:
        geoms = _to_wgs84(name, geoms, crs)
    n = len(geoms)
    fills = _first_of(cols, FILL_KEYS, n)
    if "OGR_STYLE" in cols:
        styled = _styles_to_fill(cols["OGR_STYLE"])
        fills = [f if f is not None else s for f, s in zip(fills, styled, strict=True)]
    # The profile's date property in any case (ArcGIS writes "Date" or "DATE"), the exact spelling first.
    candidates = [c for k in date_keys for c in sorted(cols, key=lambda c: c != k) if c.lower() == k.lower()]
    date_prop = next((c for c in candidates if any(v is not None for v in cols[c])), None)
    if label_keys:  # the profile (or --state-field) names the properties: any case, no other place tried
        lowered = {k.lower(): v for k, v in reversed(cols.items())}
        labels = _first_of(lowered, [k.lower() for k in label_keys], n)
    else:
        labels = _first_of(cols, LABEL_KEYS, n)
    table = FeatureTable(
        geometry=[],
        flags=[],
        bounds=[],
        label=labels,
        fill=fills,
        mark=_first_of(cols, ("mark",), n),
        date=list(cols[date_prop]) if date_prop else [],
        date_property=date_prop,
        dropped=dropped,
        has_crs=has_crs,
        alt=[] if label_keys else _alt_column(cols, labels, layer),
    )
    entries = repair_entries(geoms, closed)
    table.geometry = [e[0] for e in entries]
    table.flags = [e[1] for e in entries]
    table.bounds = [e[2] for e in entries]
    return table


def _to_wgs84(name: str, geoms: np.ndarray, crs: object) -> np.ndarray:
    import geopandas as gpd

    check_projected_over_degrees(name, geoms, crs)
    try:
        series = gpd.GeoSeries(geoms, crs=crs)
        if series.crs is not None and not series.crs.equals("EPSG:4326") and series.crs.to_epsg() != 4326:
            series = series.to_crs(4326)
    except Exception as exc:  # pyproj raises several types for unusable CRSs
        raise InputError(name, f"cannot reproject from {crs} to EPSG:4326: {_first_line(exc)}") from None
    return np.asarray(series.values, dtype=object)


def check_projected_over_degrees(name: str, geoms: np.ndarray, crs: object) -> None:
    """InputError when a projected CRS (metres) is declared over coordinates that are plainly degrees."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as exc:
        raise InputError(name, f"unknown or unreadable CRS {str(crs)[:60]!r}: {_first_line(exc)}") from None
    if not parsed.is_projected or len(geoms) == 0:
        return
    b = shapely.bounds(np.asarray(geoms, dtype=object))
    b = b[~np.isnan(b).any(axis=1)]
    if len(b) and np.abs(b[:, [0, 2]]).max() <= 180 and np.abs(b[:, [1, 3]]).max() <= 90:
        raise InputError(name, f"the CRS says {parsed.name} (projected, in metres) but the coordinates look like "
                               f"degrees (e.g. {b[0, 0]:.4f}, {b[0, 1]:.4f}); fix the .prj or the 'crs' member")


def _prj_declared(source: Source, data: bytes | None) -> bool:
    """True when a shapefile comes with a .prj side-car (GDAL ignores one it cannot parse)."""
    import zipfile

    if source.path is not None and data is None and source.path.suffix.lower() == ".shp":
        return source.path.with_suffix(".prj").exists() or source.path.with_suffix(".PRJ").exists()
    blob: object = io.BytesIO(data) if data is not None else source.path
    try:
        with zipfile.ZipFile(blob) as zf:  # type: ignore[arg-type]
            return any(n.lower().endswith(".prj") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError, TypeError):
        return False


def _concat(tables: list[FeatureTable]) -> FeatureTable:
    first = tables[0]
    if len(tables) == 1:
        return first
    dropped: Counter[str] = Counter()
    for t in tables:
        dropped.update(t.dropped)
    date_prop = next((t.date_property for t in tables if t.date_property), None)
    dates: list[object] = []
    if date_prop:
        for t in tables:
            dates.extend(t.date if t.date_property == date_prop else [None] * len(t))
    return FeatureTable(
        geometry=[g for t in tables for g in t.geometry],
        flags=[f for t in tables for f in t.flags],
        bounds=[b for t in tables for b in t.bounds],
        label=[x for t in tables for x in t.label],
        fill=[x for t in tables for x in t.fill],
        mark=[x for t in tables for x in t.mark],
        alt=[x for t in tables for x in (t.alt or [None] * len(t))] if any(t.alt for t in tables) else [],
        date=dates,
        date_property=date_prop,
        dropped=dropped,
        has_crs=all(t.has_crs for t in tables),
    )


def read_with_gdal(source: Source, data: bytes | None, date_keys: Sequence[str], label_keys: Sequence[str] = ()
                   ) -> FeatureTable:
    """Every layer of a GDAL-readable map (points/lines dropped and counted) as one repaired table."""
    import pyogrio
    import pyogrio.raw

    if source.fmt == "parquet":
        return _read_parquet(source, data, date_keys, label_keys)
    errors = _gdal_errors()
    tables: list[FeatureTable] = []
    refuse_xml_entities(source, data)
    refuse_zip_bomb(source, data)
    refuse_inconsistent_shapefile(source, data)
    with gdal_path(source, data) as path:
        refuse_geopackage_views(source, path)
        try:
            layers = pyogrio.list_layers(path)
        except errors as exc:
            raise InputError(source.name, _network_link(source, data) or xml_failure_message(source, data) or
                             f"cannot be read as {source.fmt}: {_first_line(exc)}") from None
        if source.fmt in ("kml", "kmz"):
            pyogrio.set_gdal_config_options({"LIBKML_RESOLVE_STYLE": "YES"})
        if source.fmt == "gml":  # a GML's schemaLocation must not make GDAL fetch a URL the file names
            pyogrio.set_gdal_config_options({"GML_DOWNLOAD_WFS_SCHEMA": "NO", "GML_SKIP_RESOLVE_ELEMS": "ALL"})
        for layer, gtype in layers:
            if gtype is None:
                continue  # a table without geometry (GeoPackage attribute tables)
            try:
                with warnings.catch_warnings():
                    # unclosed rings are closed below and counted in repairs["ring_closed"]
                    warnings.filterwarnings("ignore", "Non closed ring", RuntimeWarning)
                    if source.fmt in ("kml", "kmz"):
                        quoted = str(layer).replace('"', '""')
                        sql = f'SELECT *, OGR_STYLE FROM "{quoted}"'
                        meta, _, wkb, values = pyogrio.raw.read(path, sql=sql)
                    else:
                        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer)
            except errors as exc:
                raise InputError(source.name, f"layer {layer!r} cannot be read: {_first_line(exc)}") from None
            geoms = shapely.from_wkb(wkb, on_invalid="ignore")
            broken = shapely.is_missing(geoms) & np.array([w is not None for w in wkb], dtype=bool)
            if broken.any():  # unclosed rings: close them as GDAL's WKB reader would, and say so
                geoms[broken] = shapely.from_wkb(np.asarray(wkb, dtype=object)[broken], on_invalid="fix")
            cols = _columns(list(meta["fields"]), values)
            if source.fmt in ("kml", "kmz"):
                cols = with_html_attributes(cols)
            if source.fmt == "shp" and meta.get("crs") is None and _prj_declared(source, data):
                raise InputError(source.name, "the .prj side-car is not a coordinate system GDAL can read; fix or "
                                              "remove it (without a .prj, coordinates are read as lon/lat)")
            named = str(layer) if source.fmt in ("kml", "kmz", "gpkg") else None
            # KML's own date: a placemark's <TimeStamp><when> (GDAL's "timestamp" field), after the profile's.
            keys = (*date_keys, "timestamp") if source.fmt in ("kml", "kmz") else date_keys
            tables.append(_to_table(source.name, geoms, cols, meta.get("crs"), keys, broken, named, label_keys))
    linked = _network_link(source, data) if not any(len(t) or t.dropped for t in tables) else None
    if linked:
        raise InputError(source.name, linked)
    if not tables:
        raise InputError(source.name, "no layer with geometries")
    return _concat(tables)


def _read_parquet(source: Source, data: bytes | None, date_keys: Sequence[str], label_keys: Sequence[str] = ()
                  ) -> FeatureTable:
    import geopandas as gpd

    target: object = source.path if data is None else io.BytesIO(data)
    refuse_parquet_bomb(source, target)
    try:
        frame = gpd.read_parquet(target)
    except Exception as exc:  # pyarrow and geopandas raise many types for non-GeoParquet files
        raise InputError(source.name, f"cannot be read as GeoParquet: {_first_line(exc)}") from None
    geoms = np.asarray(frame.geometry.values, dtype=object)
    cols = _columns(
        [c for c in frame.columns if c != frame.geometry.name],
        [frame[c].to_numpy() for c in frame.columns if c != frame.geometry.name],
    )
    return _to_table(source.name, geoms, cols, frame.crs, date_keys, label_keys=label_keys)
