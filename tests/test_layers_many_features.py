"""Maps of very many features: repeats add nothing to a state's area and cost nothing, features inside the
boundary skip the overlay with it (a map of 20,000 copies of one square used to take minutes and gigabytes in
the clip to the boundary). Areas are checked against pyproj.Geod on the union computed here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod

from whoholds.geometry.layers import _clip, distinct

SRC = str(Path(__file__).resolve().parents[1] / "src")
GEOD = Geod(ellps="WGS84")
SQUARE = shapely.box(37.5, 47.8, 37.8, 48.0)


def test_distinct_drops_exact_repeats_and_keeps_order() -> None:
    a, b = shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)
    got = distinct(np.array([a, b, shapely.box(0, 0, 1, 1), a, b], dtype=object))
    assert [g.wkt for g in got] == [a.wkt, b.wkt]
    one = np.array([a], dtype=object)
    assert distinct(one) is one


def test_clip_skips_the_overlay_only_for_features_properly_inside() -> None:
    region = shapely.box(0, 0, 10, 10)
    inside, crossing, outside = shapely.box(1, 1, 2, 2), shapely.box(9, 9, 11, 11), shapely.box(20, 20, 21, 21)
    got = _clip(np.array([inside, crossing, outside], dtype=object), region)
    assert got[0].equals(inside)
    assert got[1].equals(shapely.box(9, 9, 10, 10))
    assert got[2].is_empty


def test_a_map_of_twenty_thousand_repeats_is_the_area_of_its_distinct_features(tmp_path: Path) -> None:
    extra = [shapely.box(36.0 + 0.01 * i, 48.5, 36.005 + 0.01 * i, 48.505) for i in range(300)]
    polygons = [SQUARE] * 20_000 + extra + extra
    features = [{"type": "Feature", "properties": {"name": "Occupied"},
                 "geometry": shapely.geometry.mapping(p)} for p in polygons]
    path = tmp_path / "deepstate_2024-11-01.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": SRC}
    run = [sys.executable, "-m", "whoholds"]
    out = subprocess.run([*run, "ingest", str(path), "--profile", "ukraine", "--store", str(store),
                          "--workers", "1"], env=env, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([*run, "shares", "--store", str(store), "--date", "2024-11-01", "--by", "state",
                          "--format", "json"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = {r["group"]: r for r in json.loads(out.stdout)}
    expected = abs(GEOD.geometry_area_perimeter(shapely.union_all([SQUARE, *extra]))[0]) / 1e6
    assert abs(rows["occupied"]["area_km2"] - expected) < 1e-6 * expected
