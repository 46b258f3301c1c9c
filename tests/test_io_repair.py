"""Geometry repair: each kind of repair is done and counted; nothing is dropped silently."""

from __future__ import annotations

import numpy as np
import shapely

from whoholds.io import repair_geometries
from whoholds.io.repair import REPAIR_KINDS, polygonal_part


def _arr(*geoms: object) -> np.ndarray:
    out = np.empty(len(geoms), dtype=object)
    out[:] = list(geoms)
    return out


def test_valid_ccw_polygon_is_untouched() -> None:
    square = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
    fixed, counts = repair_geometries(_arr(square))
    assert fixed[0].equals_exact(square, 0)
    assert counts == dict.fromkeys(REPAIR_KINDS, 0)


def test_bow_tie_is_made_valid_and_keeps_its_area() -> None:
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    fixed, counts = repair_geometries(_arr(bow_tie))
    assert counts["make_valid"] == 1
    assert fixed[0].is_valid and fixed[0].geom_type in ("Polygon", "MultiPolygon")
    assert abs(fixed[0].area - 2.0) < 1e-12  # the two triangles


def test_clockwise_exterior_is_reoriented() -> None:
    cw = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)])
    fixed, counts = repair_geometries(_arr(cw))
    assert counts["orientation"] == 1
    assert fixed[0].exterior.is_ccw


def test_repeated_points_are_removed() -> None:
    dup = shapely.Polygon([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
    fixed, counts = repair_geometries(_arr(dup))
    assert counts["duplicate_points"] == 1
    assert shapely.get_num_coordinates(fixed[0]) == 5


def test_collapsed_polygon_is_empty_after_repair_and_counted_once() -> None:
    flat = shapely.Polygon([(0, 0), (1, 0), (2, 0), (0, 0)])  # zero area, invalid
    fixed, counts = repair_geometries(_arr(flat, shapely.Polygon()))
    assert fixed[0] is None and fixed[1] is None
    assert counts["empty_after_repair"] == 2
    assert counts["make_valid"] == 0  # an empty result is not also a make_valid repair


def test_collections_keep_only_their_polygons_and_z_is_dropped() -> None:
    gc = shapely.GeometryCollection(
        [
            shapely.Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 0, 5)]),
            shapely.LineString([(0, 0), (3, 3)]),
            shapely.Polygon([(5, 5), (6, 5), (6, 6), (5, 5)]),
        ]
    )
    fixed, counts = repair_geometries(_arr(gc))
    assert counts["geometry_collection"] == 1
    assert fixed[0].geom_type == "MultiPolygon" and not fixed[0].has_z
    assert abs(fixed[0].area - 1.0) < 1e-12


def test_polygonal_part_of_nested_collection_and_lines() -> None:
    nested = shapely.GeometryCollection([shapely.GeometryCollection([shapely.box(0, 0, 1, 1)]), shapely.Point(3, 3)])
    parts = polygonal_part(_arr(nested, shapely.LineString([(0, 0), (1, 1)])))
    assert parts[0].equals(shapely.box(0, 0, 1, 1))
    assert parts[1].is_empty


def test_missing_geometry_counts_as_empty() -> None:
    fixed, counts = repair_geometries(_arr(None, shapely.box(0, 0, 1, 1)))
    assert fixed[0] is None and fixed[1] is not None
    assert counts["empty_after_repair"] == 1


def test_vectorised_counts_add_up() -> None:
    geoms = _arr(
        shapely.box(0, 0, 1, 1),  # ccw, valid
        shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)]),  # cw
        shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]),  # bow-tie
    )
    fixed, counts = repair_geometries(geoms)
    assert len(fixed) == 3 and all(g is not None and g.is_valid for g in fixed)
    assert counts["orientation"] >= 1 and counts["make_valid"] == 1
