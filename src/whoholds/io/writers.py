"""Write result frames as CSV, JSON or Parquet, and geometries as GeoJSON/GeoParquet/GPKG.

Every file is written atomically: the bytes go to a temporary file in the destination folder, which is then
moved over the destination with :func:`os.replace`. A failure half-way (full disk, an exception while
serialising, Ctrl-C) leaves the previous file, if any, untouched and no temporary file behind.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from .atomic import atomic_path, write_bytes_atomic, write_text_atomic  # noqa: F401 - atomic files (no pandas)

if TYPE_CHECKING:
    import geopandas as gpd

FrameFormat = Literal["table", "csv", "json", "parquet"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "parquet")

#: Output suffix -> (pyogrio driver or "parquet"), for :func:`write_geo`.
GEO_SUFFIXES: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".gpkg": "GPKG",
}


# ---- JSON -------------------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    """One cell as a JSON-ready Python value: ISO dates, NaN/NaT/None -> None, numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        if ts.tzinfo is None and ts == ts.normalize():
            return ts.date().isoformat()
        return ts.isoformat()
    if isinstance(value, np.datetime64):
        return _json_value(pd.Timestamp(value)) if not np.isnat(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [_json_value(v) for v in value]
    if hasattr(value, "__geo_interface__"):
        return value.__geo_interface__
    if isinstance(value, Path):
        return str(value)
    return value if isinstance(value, str) else str(value)


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as JSON-ready dicts (column order kept)."""
    df = _plain(df)
    cols = [str(c) for c in df.columns]
    return [
        {c: _json_value(v) for c, v in zip(cols, row, strict=True)} for row in df.itertuples(index=False, name=None)
    ]


def frame_to_json(df: pd.DataFrame) -> str:
    return json.dumps(frame_records(df), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


# ---- CSV --------------------------------------------------------------------------------------------------
def frame_to_csv(df: pd.DataFrame) -> str:
    df = _plain(df)
    buf = io.StringIO()
    df.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return buf.getvalue()


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """A copy without the index, with geometry as WKT (CSV/JSON have no geometry type)."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(df).__name__}")
    out = pd.DataFrame(df).copy(deep=False)
    for c in out.columns:
        if str(out[c].dtype) == "geometry":
            out[c] = [g.wkt if g is not None else None for g in df[c]]
    # datetime columns with a time of exactly midnight everywhere are dates: write them as dates
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]) and getattr(out[c].dt, "tz", None) is None:
            s = out[c].dropna()
            if len(s) and (s == s.dt.normalize()).all():
                out[c] = [d.date() if not pd.isna(d) else None for d in out[c]]
    return out


# ---- the entry point --------------------------------------------------------------------------------------
def write_frame(df: pd.DataFrame, fmt: FrameFormat | str, out: Path | str | None, title: str = "") -> None:
    """Write a result frame in one of ``csv|json|parquet`` (a ``table`` is drawn by the render stage:
    :func:`whoholds.render.tables.write_table`).

    - ``csv``/``json``: to stdout when ``out`` is None, else atomically to ``out``. JSON is a list of records
      with ISO dates and null for missing values. Provenance columns are kept.
    - ``parquet``: needs ``out``.
    """
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out) if out is not None and str(out) != "-" else None
    if fmt == "table":
        raise InputError("--format", "a table is drawn by whoholds.render.tables.write_table, not written here")
    if fmt == "csv":
        text = frame_to_csv(df)
    elif fmt == "json":
        text = frame_to_json(df)
    else:
        if out is None:
            raise InputError("--output", "parquet is a binary format: give a file with -o/--output FILE.parquet")
        with atomic_path(out) as tmp:
            _parquet_frame(df).to_parquet(tmp, index=False)
        return
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text_atomic(out, text)


def _parquet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet keeps real types; only mixed object columns that Arrow cannot type are made strings."""
    import pyarrow as pa

    out = df.reset_index(drop=True) if not isinstance(df.index, pd.RangeIndex) else df
    for c in out.columns:
        if out[c].dtype == object and str(out[c].dtype) != "geometry":
            try:
                pa.array(out[c], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                out = out.copy(deep=False) if out is df else out
                out[c] = out[c].map(lambda v: None if v is None else str(v))
    return out


def write_geo(gdf: gpd.GeoDataFrame, out: Path | str) -> Path:
    """Write a GeoDataFrame as GeoJSON (.geojson/.json), GeoParquet (.parquet) or GeoPackage (.gpkg)."""
    out = Path(out)
    suffix = out.suffix.lower()
    kind = GEO_SUFFIXES.get(suffix)
    if kind is None:
        raise InputError(out, f"unknown geometry format {suffix or '(no suffix)'}; use .geojson, .parquet or .gpkg")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    with atomic_path(out) as tmp:
        if kind == "parquet":
            gdf.to_parquet(tmp, index=False)
        else:
            # The temp file has no telling suffix, so the driver is explicit; GPKG refuses to write over the
            # empty placeholder file, so it is removed first (the name stays reserved for us in practice).
            tmp.unlink()
            # the layer is named after the destination, not the temporary file (GeoJSON's "name" member too)
            extra = {"layer": re.sub(r"\W+", "_", out.stem).strip("_") or "layer"} if kind in ("GPKG", "GeoJSON") \
                else {}
            gdf.to_file(tmp, driver=kind, engine="pyogrio", **extra)
    return out
