"""Markers -> cells on hand-built marker sets whose areas are known exactly.

Reference areas are computed here, independently of whoholds.geometry.area, with pyproj.Geod
(GeographicLib) on oriented polygons densified to 0.001° so that each edge is, as in the cells, a straight line in
lon/lat (Geod reads an edge as a geodesic; on 100 m edges the two agree to ~1e-12).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from whoholds.errors import QueryError
from whoholds.geometry.cells import MARKER_METHODS, describe_method, marker_cells
from whoholds.profiles import UNINHABITED

GEOD = Geod(ellps="WGS84")


def geod_km2(geom) -> float:
    """Geod sums signed ring areas: orient (exterior counter-clockwise, holes clockwise) first."""
    geom = shapely.orient_polygons(shapely.segmentize(geom, 0.001))
    return GEOD.geometry_area_perimeter(geom)[0] / 1e6


def markers(points, states, marks=None) -> gpd.GeoDataFrame:
    data = {"state": states}
    if marks is not None:
        data["mark"] = marks
    return gpd.GeoDataFrame(data, geometry=[shapely.Point(p) for p in points], crs="EPSG:4326")


def by_state(cells) -> dict[str, float]:
    out: dict[str, float] = {}
    for state, geom in zip(cells["state"], cells.geometry, strict=True):
        out[state] = out.get(state, 0.0) + geod_km2(geom)
    return out


SQUARE = shapely.box(-0.1, -0.1, 0.1, 0.1)  # centred on (0, 0): the projection's centre


def test_two_symmetric_markers_split_the_square_at_the_meridian():
    cells = marker_cells(markers([(-0.05, 0.0), (0.05, 0.0)], ["gov", "opp"]), SQUARE, "voronoi")
    west, east = geod_km2(shapely.box(-0.1, -0.1, 0, 0.1)), geod_km2(shapely.box(0, -0.1, 0.1, 0.1))
    areas = by_state(cells)
    assert areas["gov"] == pytest.approx(west, rel=1e-9)
    assert areas["opp"] == pytest.approx(east, rel=1e-9)
    assert list(cells["marker"]) == [0, 1]


def test_four_markers_take_a_quadrant_each():
    pts = [(-0.05, -0.05), (0.05, -0.05), (-0.05, 0.05), (0.05, 0.05)]
    cells = marker_cells(markers(pts, ["a", "b", "c", "d"]), SQUARE, "voronoi")
    quadrants = {
        "a": shapely.box(-0.1, -0.1, 0, 0),
        "b": shapely.box(0, -0.1, 0.1, 0),
        "c": shapely.box(-0.1, 0, 0, 0.1),
        "d": shapely.box(0, 0, 0.1, 0.1),
    }
    areas = by_state(cells)
    for state, quad in quadrants.items():
        assert areas[state] == pytest.approx(geod_km2(quad), rel=1e-9)
    # and geometrically: each cell is its quadrant
    for state, geom in zip(cells["state"], cells.geometry, strict=True):
        assert shapely.symmetric_difference(geom, quadrants[state]).area < 1e-12


def test_cells_partition_the_boundary_exactly():
    rng = np.random.default_rng(5)
    outer = shapely.Polygon(
        [(38.0, 34.0), (39.6, 34.1), (39.5, 35.3), (38.1, 35.2)],
        holes=[[(38.6, 34.5), (38.8, 34.5), (38.8, 34.7), (38.6, 34.7)]],
    )
    island = shapely.box(37.6, 34.5, 37.7, 34.6)  # 25 km off the nearest marker
    boundary = shapely.MultiPolygon([outer, island])
    n = 150
    pts = np.column_stack([rng.uniform(37.95, 39.65, n), rng.uniform(33.95, 35.35, n)])
    states = rng.choice(["gov", "opp", "sdf"], n)
    for method in MARKER_METHODS:
        mk = markers(pts, states, rng.choice(["gov", "gov_base"], n))
        cells = marker_cells(mk, boundary, method, max_distance_km=10, outside_tolerance_km=1000)
        assert UNINHABITED in set(cells["state"]) or not method.endswith("capped")
        total = sum(geod_km2(g) for g in cells.geometry)
        union = shapely.union_all(cells.geometry.values)
        assert total == pytest.approx(geod_km2(boundary), rel=1e-9), method
        assert geod_km2(union) == pytest.approx(total, rel=1e-9), method  # no overlaps
        assert shapely.symmetric_difference(union, boundary).area < 1e-9 * boundary.area
        assert cells.crs.to_epsg() == 4326


def test_cap_makes_an_uninhabited_class_of_far_land():
    box = shapely.box(37.0, 34.0, 39.0, 36.0)
    cells = marker_cells(markers([(38.0, 35.0)], ["gov"]), box, "voronoi-capped", max_distance_km=20)
    areas = by_state(cells)
    # Reference: a geodesic circle of radius 20 km drawn with 20,000 vertices. The cells use a 256-gon
    # inscribed in it, which is smaller by 1 - sin(2π/256)·256/(2π) ≈ 1.0e-4.
    az = np.linspace(0, 360, 20000, endpoint=False)
    lon, lat, _ = GEOD.fwd(np.full(az.shape, 38.0), np.full(az.shape, 35.0), az, np.full(az.shape, 20000.0))
    circle = abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6
    assert areas["gov"] == pytest.approx(circle, rel=2e-4)
    assert areas["gov"] + areas[UNINHABITED] == pytest.approx(geod_km2(box), rel=1e-9)
    uncapped = by_state(marker_cells(markers([(38.0, 35.0)], ["gov"]), box, "voronoi"))
    assert uncapped == pytest.approx({"gov": geod_km2(box)}, rel=1e-9)


def test_cap_only_cuts_cells_reaching_beyond_it():
    pts = [(38.0 + 0.05 * i, 35.0) for i in range(5)]  # 4.6 km apart, all cells within 25 km in x
    box = shapely.box(37.9, 34.9, 38.3, 35.1)
    cells = marker_cells(markers(pts, ["gov"] * 5), box, "voronoi-capped", max_distance_km=25)
    assert UNINHABITED not in set(cells["state"])


def test_settlements_only_ignores_facilities():
    mk = markers([(-0.05, 0.0), (0.05, 0.0)], ["opp", "gov"], ["opp", "gov_base"])
    assert by_state(marker_cells(mk, SQUARE, "settlements-only")) == pytest.approx({"opp": geod_km2(SQUARE)})
    cells = marker_cells(mk, SQUARE, "settlements-only")
    assert cells.attrs["dropped"] == {"not_a_settlement": 1}
    with_types = mk.drop(columns="mark").assign(feature_type=["settlement", "base"])
    assert set(marker_cells(with_types, SQUARE, "settlements-only")["state"]) == {"opp"}


def test_markers_outside_the_boundary_are_dropped_and_counted():
    mk = markers([(-0.05, 0.0), (0.105, 0.0), (0.3, 0.0)], ["gov", "opp", "sdf"])  # 0.5 km and 22 km out
    cells = marker_cells(mk, SQUARE, "voronoi", outside_tolerance_km=5)
    assert set(cells["state"]) == {"gov", "opp"}
    assert cells.attrs["dropped"] == {"outside_boundary": 1}
    assert cells.attrs["near_boundary_kept"] == 1
    with pytest.raises(QueryError, match="outside the boundary"):
        marker_cells(markers([(5.0, 5.0)], ["gov"]), SQUARE)


def test_markers_at_one_point_make_one_cell_and_the_later_one_wins():
    mk = markers([(-0.05, 0.0), (-0.05, 0.0), (0.05, 0.0), (0.05, 0.0)], ["gov", "opp", "sdf", "sdf"])
    cells = marker_cells(mk, SQUARE, "voronoi")
    assert sorted(cells["state"]) == ["opp", "sdf"]
    assert cells.attrs["dropped"] == {"same_point": 2, "same_point_other_state": 1}
    assert set(cells["marker"]) == {1, 3}


def test_bad_requests():
    mk = markers([(0.0, 0.0)], ["gov"])
    with pytest.raises(QueryError, match="unknown marker method"):
        marker_cells(mk, SQUARE, "kriging")
    with pytest.raises(QueryError, match="positive max distance"):
        marker_cells(mk, SQUARE, "voronoi-capped", max_distance_km=None)
    with pytest.raises(QueryError, match="no markers"):
        marker_cells(mk.iloc[:0], SQUARE)
    with pytest.raises(QueryError, match="boundary"):
        marker_cells(mk, shapely.Polygon())
    assert "25 km" in describe_method("voronoi-capped", 25.0)
    one = marker_cells(mk, SQUARE)  # a single marker holds everything
    assert by_state(one) == pytest.approx({"gov": geod_km2(SQUARE)})
