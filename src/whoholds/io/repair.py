"""Vectorised geometry repair (Shapely 2): every change is counted, none is hidden.

Steps, in order, on an array of polygonal geometries (Polygon, MultiPolygon, or GeometryCollections that
hold polygons, as some KML-derived feeds have):

1. drop Z/M (``force_2d``); areas and overlays are 2-D on the ellipsoid;
   ``antimeridian``: a lon/lat polygon with an edge jumping more than 180° of longitude crosses the
   antimeridian (RFC 7946 §3.1.9 asks writers to cut it; many do not): read plainly it would wrap the other
   way round the globe, over every country on its latitudes, so it is cut at ±180° into its two real parts;
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
REPAIR_KINDS = ("antimeridian", "geometry_collection", "duplicate_points", "make_valid", "orientation",
                "empty_after_repair")

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


def _crosses_antimeridian(xy: np.ndarray) -> bool:
    """True when a ring's lon/lat coordinates jump more than 180° between neighbours. Edges along ±180°
    itself (a world-covering mask drawn from -180 to 180) are not crossings."""
    x = xy[:, 0]
    jump = np.abs(np.diff(x)) > 180.0
    on_line = (np.abs(x[:-1]) == 180.0) | (np.abs(x[1:]) == 180.0)
    return bool((jump & ~on_line).any())


def _unwrapped(xy: np.ndarray) -> np.ndarray:
    """The ring with longitudes made continuous (179, -179 → 179, 181)."""
    x = xy[:, 0].copy()
    step = np.diff(x)
    shift = np.where(step > 180.0, -360.0, np.where(step < -180.0, 360.0, 0.0))
    x[1:] += np.cumsum(shift)
    return np.column_stack([x, xy[:, 1]])


def _cut_at_antimeridian(geom: shapely.Geometry) -> shapely.Geometry | None:
    """The polygon(s) of ``geom`` cut at ±180° when one of its rings crosses the antimeridian, else None.

    Each crossing part is unwrapped to continuous longitudes, then the pieces beyond ±180° are moved back by
    360°. A ring that does not close once unwrapped (it circles a pole) is left as it is."""
    parts = list(shapely.get_parts(geom))
    if not any(shapely.get_type_id(p) == _POLYGON and _crosses_antimeridian(shapely.get_coordinates(p.exterior))
               for p in parts):
        return None
    pieces: list[shapely.Geometry] = []
    for part in parts:
        if shapely.get_type_id(part) != _POLYGON or part.is_empty:
            continue
        shell = _unwrapped(shapely.get_coordinates(part.exterior))
        if abs(shell[0, 0] - shell[-1, 0]) > 1e-9:
            return None
        holes = []
        for ring in part.interiors:
            if len(shapely.get_coordinates(ring)) < 4:
                continue  # not a ring: dropped by the repair steps anyway
            hole = _unwrapped(shapely.get_coordinates(ring))
            hole[:, 0] += 360.0 * np.round((shell[:, 0].mean() - hole[:, 0].mean()) / 360.0)
            holes.append(hole)
        whole = shapely.make_valid(shapely.Polygon(shell, holes), method="structure", keep_collapsed=False)
        for offset in (-360.0, 0.0, 360.0):
            window = shapely.box(-180.0 - offset, -90.0, 180.0 - offset, 90.0)
            piece = shapely.intersection(whole, window)
            if not piece.is_empty:
                pieces.extend(shapely.get_parts(shapely.transform(piece, lambda c, o=offset: c + [o, 0.0])))
    polygons = [p for p in polygonal_part(np.asarray(pieces, dtype=object)) if not p.is_empty]
    parts_out = [q for p in polygons for q in shapely.get_parts(p)]
    if not parts_out:
        return shapely.Polygon()
    # Oriented here so that the cut is not also counted as an orientation repair.
    return shapely.orient_polygons(shapely.multipolygons(parts_out) if len(parts_out) > 1 else parts_out[0],
                                   exterior_cw=False)


def _antimeridian(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geometries cut at the antimeridian where they cross it, and which were (see the module doc). Only
    geometries in lon/lat range whose longitudes span more than 180° are examined, so this costs nothing on
    ordinary maps."""
    flags = np.zeros(len(geoms), dtype=bool)
    box = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        wide = (box[:, 2] - box[:, 0] > 180.0) & (box[:, 0] >= -180.0) & (box[:, 2] <= 180.0) & (
            box[:, 1] >= -90.0) & (box[:, 3] <= 90.0)
    for i in np.flatnonzero(wide):
        cut = _cut_at_antimeridian(geoms[i])
        if cut is not None:
            geoms[i], flags[i] = cut, True
    return geoms, flags


def repair_flags(geoms: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Repaired geometries (None where nothing polygonal is left) and a boolean array per repair kind.

    The per-geometry flags let callers that cache repaired geometries (the GeoJSON fast path) add up the
    same counts as a single :func:`repair_geometries` call over the whole file would give.
    """
    # Coordinates near the double's limit (1e300) overflow inside GEOS: no warning lines on the terminal,
    # the reader refuses such a map in one line once the bounds are checked.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _repair_flags(geoms)


def _repair_flags(geoms: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    flags = {kind: np.zeros(n, dtype=bool) for kind in REPAIR_KINDS}
    if n == 0:
        return np.empty(0, dtype=object), flags
    missing = shapely.is_missing(geoms)
    geoms = np.where(missing, shapely.Polygon(), geoms)
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    geoms, flags["antimeridian"] = _antimeridian(np.asarray(geoms, dtype=object))

    types = shapely.get_type_id(geoms)
    flags["geometry_collection"] = ~np.isin(types, (_POLYGON, _MULTIPOLYGON))
    if flags["geometry_collection"].any():
        geoms = polygonal_part(geoms)

    before = shapely.get_num_coordinates(geoms)
    geoms = _without_repeated_points(geoms)
    flags["duplicate_points"] = shapely.get_num_coordinates(geoms) != before

    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = polygonal_part(shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False))
        again = ~shapely.is_valid(fixed)
        if again.any():  # GEOS can leave a self-intersection behind (vertices a few ULPs apart): once more
            fixed[again] = polygonal_part(shapely.make_valid(fixed[again], method="structure", keep_collapsed=False))
        geoms[invalid] = fixed
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
