"""Undrawn land enclosed by the other side's polygons and the coast (geometry.coast_gaps), on a hand-made
country, with areas from pyproj.Geod."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Geod

from whoholds.geometry.coast_gaps import enclosed_gaps

GEOD = Geod(ellps="WGS84")


def geod_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.001))[0]) / 1e6


def test_coastal_sliver_inside_occupied_land_is_found() -> None:
    # A 2°×1° country; the occupied polygon covers its eastern half, reaches the coast at the front line but
    # east of it stops 0.01° short of the southern coast (another coastline), leaving a sliver that only
    # occupied land and the sea enclose.
    country = shapely.box(30, 45, 32, 46)
    occupied = shapely.union(shapely.box(31, 45.01, 32, 46), shapely.box(31, 45, 31.1, 45.01))
    liberated = shapely.box(30.2, 45.5, 30.4, 45.7)
    gaps = enclosed_gaps(country, {"occupied": occupied, "liberated": liberated},
                         other_side=lambda s: s == "occupied")
    assert [g.states for g in gaps] == [("occupied",)]
    assert gaps[0].km2 == pytest.approx(geod_km2(shapely.box(31.1, 45, 32, 45.01)), rel=1e-4)


def test_the_default_holders_land_and_its_own_side_are_not_gaps() -> None:
    country = shapely.box(30, 45, 32, 46)
    occupied = shapely.box(31, 45, 32, 46)  # reaches the coast: nothing enclosed
    hole_of_liberated = shapely.box(30.2, 45.2, 30.6, 45.6).difference(shapely.box(30.3, 45.3, 30.4, 45.4))
    gaps = enclosed_gaps(country, {"occupied": occupied, "liberated": hole_of_liberated},
                         other_side=lambda s: s == "occupied")
    assert gaps == []  # the hole inside liberated land borders the default holder's side only


def test_pocket_enclosed_by_two_other_side_states_is_one_gap() -> None:
    country = shapely.box(30, 45, 32, 46)
    a = shapely.box(31, 45.0, 32, 45.5).difference(shapely.box(31.4, 45.4, 31.6, 45.5))
    b = shapely.box(31, 45.5, 32, 46).difference(shapely.box(31.4, 45.5, 31.6, 45.6))
    gaps = enclosed_gaps(country, {"occupied": a, "occupied_2014": b}, other_side=lambda s: True)
    assert [g.states for g in gaps] == [("occupied", "occupied_2014")]
    assert gaps[0].km2 == pytest.approx(geod_km2(shapely.box(31.4, 45.4, 31.6, 45.6)), rel=1e-4)
