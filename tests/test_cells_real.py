"""Cells from the real Syria module: exact partition of the boundary, speed, stability under small moves,
and an independent Monte-Carlo check of the shares (nearest marker on the sphere, by brute force)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import DATA
from pyproj import Geod

from whoholds.geometry.cells import MARKER_METHODS, marker_cells, settlement_mask
from whoholds.io.wikipedia import read_wikipedia_module
from whoholds.profiles import UNINHABITED, load_profile

SHARED = DATA
MODULE = SHARED / "syria" / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"
BOUNDARY = SHARED / "boundaries" / "ne_10m_admin0_deu_SYR.geojson"
pytestmark = pytest.mark.skipif(not (MODULE.exists() and BOUNDARY.exists()), reason="shared data not present")
GEOD = Geod(ellps="WGS84")


def geod_km2(geom) -> float:
    geom = shapely.orient_polygons(shapely.segmentize(geom, 0.001))
    return GEOD.geometry_area_perimeter(geom)[0] / 1e6


@pytest.fixture(scope="module")
def markers():
    snap = read_wikipedia_module(MODULE.read_bytes(), MODULE.name, load_profile("syria"), dt.date(2017, 7, 20))
    return snap.features


@pytest.fixture(scope="module")
def boundary():
    return gpd.read_file(BOUNDARY).geometry.union_all()


@pytest.fixture(scope="module")
def cells(markers, boundary):
    return {m: marker_cells(markers, boundary, m) for m in MARKER_METHODS}


def shares(cells) -> pd.Series:
    from whoholds.geometry.area import geodesic_area_km2

    a = geodesic_area_km2(cells.geometry.to_numpy())
    return pd.Series(a).groupby(cells["state"].to_numpy()).sum() / a.sum() * 100


@pytest.mark.parametrize("method", MARKER_METHODS)
def test_cells_cover_the_boundary_exactly(cells, boundary, method):
    c = cells[method]
    union = shapely.union_all(c.geometry.to_numpy())
    assert shapely.symmetric_difference(union, boundary).area < 1e-9 * boundary.area
    assert geod_km2(union) == pytest.approx(geod_km2(boundary), rel=1e-9)
    from whoholds.geometry.area import geodesic_area_km2

    # disjoint: the pieces' areas add up to the union's (and to the boundary's)
    assert geodesic_area_km2(c.geometry.to_numpy()).sum() == pytest.approx(geodesic_area_km2([boundary])[0], rel=1e-9)
    assert c.attrs["dropped"].get("outside_boundary", 0) == 0  # every marker of this map is in Syria
    assert (UNINHABITED in set(c["state"])) == method.endswith("capped")




@pytest.mark.slow
@pytest.mark.parametrize("method", ["voronoi", "voronoi-capped", "settlements-only"])
def test_moving_one_marker_by_a_kilometre_barely_changes_shares(markers, boundary, cells, method):
    base = shares(cells[method])
    rng = np.random.default_rng(42)
    pool = np.flatnonzero(settlement_mask(markers)) if method.startswith("settlements") else np.arange(len(markers))
    worst = 0.0
    for i, az in zip(rng.choice(pool, 4, replace=False), rng.uniform(0, 360, 4), strict=True):
        moved = markers.copy()
        p = moved.geometry.iloc[i]
        lon, lat, _ = GEOD.fwd(p.x, p.y, az, 1000.0)
        moved.iloc[i, moved.columns.get_loc("geometry")] = shapely.Point(lon, lat)
        new = shares(marker_cells(moved, boundary, method))
        keys = base.index.union(new.index)
        worst = max(worst, float((new.reindex(keys, fill_value=0) - base.reindex(keys, fill_value=0)).abs().max()))
    assert worst < 0.05


def _sample(boundary, n: int, rng) -> np.ndarray:
    """Points uniform by area (on the sphere) inside the boundary."""
    minx, miny, maxx, maxy = boundary.bounds
    out = []
    while sum(len(o) for o in out) < n:
        lon = rng.uniform(minx, maxx, 4 * n)
        lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(miny)), np.sin(np.radians(maxy)), 4 * n)))
        keep = shapely.contains_xy(boundary, lon, lat)
        out.append(np.column_stack([lon[keep], lat[keep]]))
    return np.concatenate(out)[:n]


def _unit(lonlat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


@pytest.mark.slow
@pytest.mark.parametrize("method", MARKER_METHODS)
def test_shares_agree_with_brute_force_nearest_marker(markers, boundary, cells, method):
    """Independent reference: 20,000 random points, nearest marker by great-circle distance (sphere)."""
    rng = np.random.default_rng(7)
    pts = _sample(boundary, 20_000, rng)
    mk = markers[settlement_mask(markers)] if method.startswith("settlements") else markers
    m_xyz = _unit(np.column_stack([mk.geometry.x, mk.geometry.y]))
    states = mk["state"].to_numpy()
    p_xyz = _unit(pts)
    best = np.empty(len(pts), int)
    cos_best = np.empty(len(pts))
    for k in range(0, len(pts), 1000):
        dots = p_xyz[k : k + 1000] @ m_xyz.T
        best[k : k + 1000] = dots.argmax(axis=1)
        cos_best[k : k + 1000] = dots.max(axis=1)
    assigned = states[best].astype(object)
    if method.endswith("capped"):
        km = 6371.0088 * np.arccos(np.clip(cos_best, -1, 1))
        assigned[km > 25.0] = UNINHABITED
    mc = pd.Series(assigned).value_counts(normalize=True) * 100
    exact = shares(cells[method])
    for state in exact.index.union(mc.index):
        e, m = exact.get(state, 0.0), mc.get(state, 0.0)
        sigma = np.sqrt(max(e, 0.5) / 100 * (1 - e / 100) / len(pts)) * 100
        assert abs(e - m) < 4 * sigma + 0.1, (state, e, m)
