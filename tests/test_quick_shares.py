"""Shares read from the cache alone (no boundary load, no pandas) equal the full computation, and the fast
path's modules import no heavy library."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from whoholds import load_profile
from whoholds.geometry.boundary import load_boundary
from whoholds.metrics.quick import boundary_key, cached_shares
from whoholds.metrics.shares import shares
from whoholds.store import Store
from whoholds.types import Snapshot

UKR = load_profile("ukraine")


def put(store: Store, day: str, occupied: shapely.Geometry) -> None:
    f = gpd.GeoDataFrame({"state": ["occupied"], "label": ["occupied"], "fill": [None]},
                         geometry=[shapely.segmentize(occupied, 0.01)], crs="EPSG:4326")
    digest = hashlib.sha256(shapely.to_wkb(occupied) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", "polygons", f, digest))


def test_cached_shares_equal_the_full_path(tmp_path):
    store = Store(tmp_path / "store")
    put(store, "2024-05-01", shapely.box(35.0, 47.0, 37.0, 48.5))
    put(store, "2024-05-02", shapely.box(35.0, 47.0, 37.5, 48.5))
    assert cached_shares(store, UKR, dt.date(2024, 5, 2), "state") is None  # nothing cached yet
    full = shares(store, UKR, dt.date(2024, 5, 2), by="state", boundary=load_boundary(UKR))  # Boundary: full path
    shares(store, UKR, dt.date(2024, 5, 2), by="state")  # remembers the boundary
    rows, bnd = cached_shares(store, UKR, dt.date(2024, 5, 2), "state")
    assert bnd.id == load_boundary(UKR).id
    assert bnd.area_km2 == pytest.approx(load_boundary(UKR).area_km2, rel=1e-12)
    assert [r["group"] for r in rows] == list(full["group"])
    for r, (_, f) in zip(rows, full.iterrows(), strict=True):
        assert r["area_km2"] == pytest.approx(f["area_km2"], abs=1e-9)
        assert r["share_pct"] == pytest.approx(f["share_pct"], abs=1e-12)
        assert (r["snapshot_id"], r["boundary"], r["method"]) == (f["snapshot_id"], f["boundary"], f["method"])
    latest, _ = cached_shares(store, UKR, None, "actor")
    assert latest[0]["date"] == dt.date(2024, 5, 2)
    store.close()


def test_boundary_key_follows_the_file(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text("{}")
    first = boundary_key(UKR, str(path))
    path.write_text("{ }")
    assert boundary_key(UKR, str(path)) != first
    assert boundary_key(UKR) != boundary_key(load_profile("syria"))


def test_fast_path_modules_import_no_heavy_library():
    code = ("import sys, whoholds.store, whoholds.metrics.quick, whoholds.render.tables, whoholds.dates; "
            "print(sorted(m for m in ('pandas', 'geopandas', 'shapely', 'numpy', 'pyarrow', 'matplotlib', 'pyogrio') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
