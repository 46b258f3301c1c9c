"""Vectorised geometry repair (Shapely 2): every change is counted, none is hidden.

Steps, in order, on an array of polygonal geometries (Polygon, MultiPolygon, or GeometryCollections that
hold polygons, as some KML-derived feeds have):

1. drop Z/M (``force_2d``); areas and overlays are 2-D on the ellipsoid;
2. ``geometry_collection``: collections are reduced to their polygonal parts (a MultiPolygon);
3. ``duplicate_points``: consecutive repeated vertices removed;
4. ``make_valid``: invalid polygons rebuilt with GEOS ``make_valid(method="structure")``, which keeps only
   polygonal output (collapsed slivers vanish) — self-intersections, bow-ties, bad holes;
5. ``orientation``: rings re-oriented to the GeoJSON rule (exterior counter-clockwise, holes clockwise);
6. ``empty_after_repair``: geometries with no area left are dropped (the caller removes those rows).
"""

from __future__ import annotations

import numpy as np
import shapely

#: Repair kinds, in the order they are applied (keys of the counts dict; zero counts are kept).
REPAIR_KINDS = ("geometry_collection", "duplicate_points", "make_valid", "orientation", "empty_after_repair")

_POLYGON = 3
_MULTIPOLYGON = 6
_COLLECTION = 7


def polygonal_part(geoms: np.ndarray) -> np.ndarray:
    """Each geometry reduced to its polygonal part: Polygon/MultiPolygon as they are, anything else →
    the MultiPolygon of its polygon parts (recursively), or an empty Polygon when it has none."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    todo = np.flatnonzero(~np.isin(types, (_POLYGON, _MULTIPOLYGON)))
    for i in todo:
        parts = _polygon_parts(geoms[i])
        if not parts:
            out[i] = shapely.Polygon()
        elif len(parts) == 1:
            out[i] = parts[0]
        else:
            out[i] = shapely.multipolygons(parts)
    return out


def _polygon_parts(geom: shapely.Geometry | None) -> list[shapely.Polygon]:
    if geom is None or geom.is_empty:
        return []
    type_id = shapely.get_type_id(geom)
    if type_id == _POLYGON:
        return [geom]
    if type_id == _MULTIPOLYGON:
        return list(shapely.get_parts(geom))
    if type_id == _COLLECTION:
        parts: list[shapely.Polygon] = []
        for part in shapely.get_parts(geom):
            parts.extend(_polygon_parts(part))
        return parts
    return []


def _without_repeated_points(geoms: np.ndarray) -> np.ndarray:
    """``remove_repeated_points`` that survives rings collapsing below 3 distinct points: GEOS refuses to
    build those, so such rings are dropped (a point- or line-sized ring has no area; a collapsed exterior
    drops its part) and the rest is kept."""
    try:
        return shapely.remove_repeated_points(geoms, tolerance=0.0)
    except shapely.errors.GEOSException:
        out = np.empty(len(geoms), dtype=object)
        for i, geom in enumerate(geoms):
            try:
                out[i] = shapely.remove_repeated_points(geom, tolerance=0.0)
            except shapely.errors.GEOSException:
                out[i] = _drop_collapsed_rings(geom)
        return out


def _ring_coords(ring: shapely.Geometry) -> np.ndarray | None:
    """The ring's coordinates without consecutive repeats, or None when fewer than 3 distinct points remain."""
    xy = shapely.get_coordinates(ring)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = (xy[1:] != xy[:-1]).any(axis=1)
    xy = xy[keep]
    if len({tuple(p) for p in xy}) < 3:
        return None
    return xy


def _drop_collapsed_rings(geom: shapely.Geometry) -> shapely.Geometry:
    polygons = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) != _POLYGON or part.is_empty:
            continue
        shell = _ring_coords(part.exterior)
        if shell is None:
            continue
        holes = [h for h in (_ring_coords(r) for r in part.interiors) if h is not None]
        polygons.append(shapely.Polygon(shell, holes))
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def repair_flags(geoms: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Repaired geometries (None where nothing polygonal is left) and a boolean array per repair kind.

    The per-geometry flags let callers that cache repaired geometries (the GeoJSON fast path) add up the
    same counts as a single :func:`repair_geometries` call over the whole file would give.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    flags = {kind: np.zeros(n, dtype=bool) for kind in REPAIR_KINDS}
    if n == 0:
        return np.empty(0, dtype=object), flags
    missing = shapely.is_missing(geoms)
    geoms = np.where(missing, shapely.Polygon(), geoms)
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)

    types = shapely.get_type_id(geoms)
    flags["geometry_collection"] = ~np.isin(types, (_POLYGON, _MULTIPOLYGON))
    if flags["geometry_collection"].any():
        geoms = polygonal_part(geoms)

    before = shapely.get_num_coordinates(geoms)
    geoms = _without_repeated_points(geoms)
    flags["duplicate_points"] = shapely.get_num_coordinates(geoms) != before

    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms[invalid] = polygonal_part(fixed)
    flags["make_valid"] = invalid

    oriented = shapely.orient_polygons(geoms, exterior_cw=False)
    flags["orientation"] = ~shapely.equals_identical(oriented, geoms)
    geoms = oriented

    empty = shapely.is_empty(geoms) | (shapely.area(geoms) == 0.0)
    flags["empty_after_repair"] = empty
    # An empty result is not also counted as any other repair.
    for kind in REPAIR_KINDS[:-1]:
        flags[kind] &= ~empty
    result = np.asarray(geoms, dtype=object)
    result[empty] = None
    return result, flags


def repair_geometries(geoms: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    """Repair polygonal geometries; return (repaired array, {repair kind: count}).

    The result has the input's length; rows whose geometry is empty after repair hold None (and are
    counted in ``empty_after_repair``), so callers can drop them together with their attributes.
    """
    repaired, flags = repair_flags(geoms)
    return repaired, {kind: int(mask.sum()) for kind, mask in flags.items()}
