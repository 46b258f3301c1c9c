"""Areas against independent references: pyproj.Geod (GeographicLib) and published constants."""

from __future__ import annotations

import json
import lzma

import numpy as np
import pyproj
import pytest
import shapely
from conftest import data_path

from whoholds.geometry.area import densify_geodesic, geodesic_area_km2

GEOD = pyproj.Geod(ellps="WGS84")
WGS84_SURFACE_KM2 = 510_065_621.724  # total surface of the WGS84 ellipsoid (published)


def geod_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_octant_is_one_eighth_of_the_ellipsoid():
    octant = shapely.box(0, 0, 90, 90)
    assert geodesic_area_km2([octant])[0] == pytest.approx(WGS84_SURFACE_KM2 / 8, rel=1e-9)


def test_lonlat_box_matches_geod_on_densified_edges():
    box = shapely.box(30, 45, 31, 46)
    # Along a parallel the geodesic departs from the lon/lat line; densify the reference to follow it.
    reference = geod_km2(shapely.segmentize(box, 0.0005))
    assert geodesic_area_km2([box])[0] == pytest.approx(reference, rel=1e-8)


def test_holes_multipolygons_and_empties():
    outer = shapely.box(30, 45, 32, 47)
    hole = shapely.box(30.5, 45.5, 31.0, 46.0)
    poly = shapely.Polygon(outer.exterior.coords, [hole.exterior.coords])
    multi = shapely.MultiPolygon([poly, shapely.box(40, 40, 40.1, 40.1)])
    got = geodesic_area_km2([poly, multi, shapely.Polygon(), shapely.Point(1, 1)])
    want_poly = geodesic_area_km2([outer])[0] - geodesic_area_km2([hole])[0]
    assert got[0] == pytest.approx(want_poly, rel=1e-12)
    assert got[1] == pytest.approx(want_poly + geodesic_area_km2([shapely.box(40, 40, 40.1, 40.1)])[0], rel=1e-12)
    assert got[2] == 0 and got[3] == 0


@pytest.mark.parametrize("iso", ["UKR", "SYR"])
def test_country_boundaries_agree_with_geod(iso):
    gj = json.loads(data_path("boundaries", f"ne_10m_admin0_deu_{iso}.geojson").read_text())
    geom = shapely.from_geojson(json.dumps(gj["features"][0]["geometry"]))
    parts = shapely.get_parts(geom)
    ours = geodesic_area_km2(densify_geodesic(parts, 2.0)).sum()
    assert ours == pytest.approx(geod_km2(geom), rel=1e-7)


def test_real_daily_occupied_polygons_agree_with_geod():
    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    with lzma.open(path, "rt") as fh:
        features = json.load(fh)["features"][::97]
    for f in features:
        geom = shapely.make_valid(shapely.from_geojson(json.dumps(f["geometry"])))
        ours = geodesic_area_km2(densify_geodesic(shapely.get_parts(geom), 2.0)).sum()
        assert ours == pytest.approx(geod_km2(geom), rel=1e-6), f["properties"]["date"]


def test_area_is_additive_under_clipping():
    """A(X) = A(X ∩ R) + A(X minus R): what the incremental engine relies on."""
    rng = np.random.default_rng(7)
    pts = rng.uniform([30, 46], [36, 50], size=(40, 2))
    x = shapely.concave_hull(shapely.MultiPoint(pts), ratio=0.3)
    r = shapely.box(32.03, 47.01, 33.97, 48.99)
    whole = geodesic_area_km2([x])[0]
    split = geodesic_area_km2([shapely.intersection(x, r), shapely.difference(x, r)]).sum()
    assert split == pytest.approx(whole, rel=1e-12)
