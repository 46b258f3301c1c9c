"""The embedded store's GeoParquet files: one per snapshot in store format 1 (and for marker snapshots, whose
feature frames have more columns), written atomically (a temporary file renamed into place)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np

__all__ = ["FileGeometry", "atomic_write_parquet", "read_snapshot_file", "read_states_and_geometry",
           "write_table_atomic"]

_GEO_META = json.dumps({
    "version": "1.0.0", "primary_column": "geometry",
    "columns": {"geometry": {"encoding": "WKB", "geometry_types": [], "crs": None}},
}).encode()


def atomic_write_parquet(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoParquet 1.0 file (WKB geometry, CRS OGC:CRS84 = lon/lat WGS84) via a temp file + rename."""
    import pyarrow as pa
    import shapely

    columns = {c: frame[c].to_numpy() for c in frame.columns if c != frame.geometry.name}
    table = pa.table({**{c: pa.array(v, from_pandas=True) for c, v in columns.items()},
                      "geometry": pa.array(shapely.to_wkb(frame.geometry.values), type=pa.binary())})
    write_table_atomic(table.replace_schema_metadata({b"geo": _GEO_META}), path)


def write_table_atomic(table: Any, path: Path) -> None:
    """Write an Arrow table as zstd Parquet through a temporary file in the same folder, moved over ``path``
    (a crash leaves the previous file or none, never half a file)."""
    import pyarrow.parquet as pq

    from .io.atomic import atomic_path

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_states_and_geometry(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Only what the overlay engine needs of a snapshot file: the state column and the geometries."""
    import numpy as np
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path, columns=["state", "geometry"])
    states = np.asarray(table.column("state").to_pylist(), dtype=object)
    return states, shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))


def read_snapshot_file(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path)
    frame = table.drop(["geometry"]).to_pandas()
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


@dataclass(frozen=True)
class FileGeometry:
    """A snapshot's (states, geometries) from its GeoParquet file; picklable, for worker processes."""

    path: str

    def __call__(self) -> tuple[np.ndarray, np.ndarray]:
        return read_states_and_geometry(Path(self.path))
