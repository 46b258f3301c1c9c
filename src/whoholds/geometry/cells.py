"""Markers -> territory estimate: nearest-marker (Voronoi) cells clipped to the country boundary.

A marker map says who holds each *place*, not each square kilometre. To compare it with area claims we give
every point of the country to a marker by a stated rule and report the rule with the figure:

``voronoi``            every point goes to the nearest marker (any kind: settlement, hill, base, dam...).
``voronoi-capped``     as ``voronoi``, but only within ``max_distance_km`` of that marker; land farther from
                       every marker is its own class, ``uninhabited`` (unassigned), not handed to a side.
``settlements-only``   nearest *plain settlement dot* (facilities, hills, bases and dams ignored).
``settlements-capped`` ``settlements-only`` with the distance cap.

Geometry, in one pass and vectorised (Shapely 2, no per-vertex Python):

1. Markers and boundary are projected to an azimuthal equidistant projection centred on the boundary,
   so "nearest" is metric (distances from the centre are exact; elsewhere within ~0.1% over a country of
   Syria's size).
2. Markers farther than ``outside_tolerance_km`` outside the boundary are dropped and counted; markers on
   the boundary's edge (border crossings, posts a few hundred metres off the generalised Natural Earth line)
   stay generators.
3. Several markers at one point make one generator; if they disagree, the **later row** (the marker drawn
   on top on the map) wins; such points are counted.
4. ``shapely.voronoi_polygons`` (ordered) gives one cell per generator; capped methods intersect each cell
   with a geodesic circle (256 vertices exactly ``max_distance_km`` away, from ``pyproj.Geod.fwd``) and keep
   the rest of the cell as ``uninhabited``.
5. Cells are densified (≤ 2 km segments, before the cap splits them, so neighbours share vertices) so that
   their straight projected edges survive the trip back to EPSG:4326, transformed back, and clipped to the
   boundary *in EPSG:4326*: the pieces are disjoint and their union is the boundary itself (not a
   re-projected copy).

No area is computed here (see ``whoholds.geometry.area``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from ..errors import QueryError
from ..profiles.model import UNINHABITED

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DEFAULT_MAX_DISTANCE_KM",
    "MARKER_METHODS",
    "OUTSIDE_TOLERANCE_KM",
    "describe_method",
    "marker_cells",
    "settlement_mask",
]

#: Territory-estimate methods for marker snapshots, in the order reports list them.
MARKER_METHODS = ("voronoi", "voronoi-capped", "settlements-only", "settlements-capped")
#: Default cap for the capped methods (see docs/syria-markers.md for why 25 km).
DEFAULT_MAX_DISTANCE_KM = 25.0
#: Markers farther than this outside the boundary are dropped (border posts sit on the line).
OUTSIDE_TOLERANCE_KM = 5.0
_DENSIFY_M = 2_000.0
_CIRCLE_VERTICES = 256

_DESCRIPTIONS = {
    "voronoi": "nearest marker of any kind (Voronoi cells in an azimuthal equidistant projection centred "
    "on the country), clipped to the boundary",
    "voronoi-capped": "nearest marker of any kind, but only within {cap:g} km of it (geodesic); land "
    "farther from every marker is 'uninhabited, unassigned'",
    "settlements-only": "nearest plain settlement dot (facilities, hills, bases and dams ignored), clipped "
    "to the boundary",
    "settlements-capped": "nearest plain settlement dot within {cap:g} km (geodesic); land farther from "
    "every settlement is 'uninhabited, unassigned'",
}


def describe_method(method: str, max_distance_km: float | None = DEFAULT_MAX_DISTANCE_KM) -> str:
    """One-line definition of a method, for provenance and reports."""
    if method not in _DESCRIPTIONS:
        raise QueryError(method, f"unknown marker method (choose from {', '.join(MARKER_METHODS)})")
    cap = max_distance_km if max_distance_km is not None else float("nan")
    return f"markers→cells ({method}): " + _DESCRIPTIONS[method].format(cap=cap)


def settlement_mask(markers: pd.DataFrame) -> np.ndarray:
    """Rows that are plain settlement dots (by mark key when present, else by feature_type)."""
    if "mark" in markers.columns:
        from ..io.wikipedia import is_plain_dot

        return np.fromiter((isinstance(m, str) and is_plain_dot(m) for m in markers["mark"]), bool, len(markers))
    if "feature_type" in markers.columns:
        return markers["feature_type"].isin(["settlement", "border_crossing"]).to_numpy()
    raise QueryError("markers", "no 'mark' or 'feature_type' column to tell settlements from facilities")


def _as_geometry(boundary_geom: Any) -> shapely.Geometry:
    geom = boundary_geom
    if hasattr(geom, "geometry") and not isinstance(geom, shapely.Geometry):
        geom = geom.geometry  # a Boundary object, GeoSeries or GeoDataFrame
    if hasattr(geom, "union_all"):
        geom = geom.union_all()
    if not isinstance(geom, shapely.Geometry) or geom.is_empty:
        raise QueryError("boundary", "the boundary is empty or not a geometry")
    if shapely.get_type_id(geom) not in (3, 6):
        polys = [g for g in shapely.get_parts(geom) if shapely.get_type_id(g) in (3, 6)]
        if not polys:
            raise QueryError("boundary", "the boundary has no polygon")
        geom = shapely.union_all(polys)
    return geom


def _aeqd(boundary: shapely.Geometry):  # -> (forward, inverse) coordinate functions
    from pyproj import CRS, Transformer

    c = boundary.centroid
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={c.y:.6f} +lon_0={c.x:.6f} +datum=WGS84 +units=m +no_defs")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def forward(xy: np.ndarray) -> np.ndarray:
        x, y = fwd.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    def inverse(xy: np.ndarray) -> np.ndarray:
        x, y = inv.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return forward, inverse


def _geodesic_circles(lon: np.ndarray, lat: np.ndarray, radius_m: float, forward: Any) -> np.ndarray:
    """Polygons (in the projection) whose vertices lie exactly ``radius_m`` from each centre on WGS84."""
    from pyproj import Geod

    n = len(lon)
    az = np.linspace(0.0, 360.0, _CIRCLE_VERTICES, endpoint=False)
    lons = np.repeat(lon, _CIRCLE_VERTICES)
    lats = np.repeat(lat, _CIRCLE_VERTICES)
    azs = np.tile(az, n)
    x, y, _ = Geod(ellps="WGS84").fwd(lons, lats, azs, np.full(lons.shape, radius_m))
    xy = forward(np.column_stack([x, y])).reshape(n, _CIRCLE_VERTICES, 2)
    ring = np.concatenate([xy, xy[:, :1, :]], axis=1)[:, ::-1, :]  # closed, counter-clockwise
    return shapely.polygons(ring)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Drop points/lines that an intersection can leave in a GeometryCollection."""
    out = geoms.copy()
    coll = shapely.get_type_id(out) == 7
    for i in np.flatnonzero(coll):  # rare: only cells touching the boundary at a vertex
        parts = [p for p in shapely.get_parts(out[i]) if shapely.get_type_id(p) in (3, 6)]
        out[i] = shapely.union_all(parts) if parts else shapely.Polygon()
    return out


def marker_cells(
    markers: gpd.GeoDataFrame,
    boundary_geom: Any,
    method: str = "voronoi",
    max_distance_km: float | None = DEFAULT_MAX_DISTANCE_KM,
    *,
    outside_tolerance_km: float = OUTSIDE_TOLERANCE_KM,
) -> gpd.GeoDataFrame:
    """Territory estimate from markers: disjoint cells (EPSG:4326) whose union is the boundary.

    Columns: ``state`` (the generating marker's state, or ``uninhabited`` beyond the cap), ``marker`` (index
    label of the generating row, None for uninhabited pieces), ``geometry``. ``frame.attrs`` holds
    ``method`` (definition text), ``generators`` (markers used), ``near_boundary_kept`` (generators
    outside the boundary but within the tolerance) and ``dropped`` ({reason: count}): ``outside_boundary``,
    ``same_point`` (markers sharing a point with a later one), ``same_point_other_state`` (such points whose
    markers disagree: the later marker's state is used), ``not_a_settlement`` (settlements-* methods),
    ``not_located`` (empty or non-point geometry, no state).
    """
    import geopandas as gpd

    if method not in MARKER_METHODS:
        raise QueryError(method, f"unknown marker method (choose from {', '.join(MARKER_METHODS)})")
    capped = method.endswith("-capped")
    if capped and (max_distance_km is None or not np.isfinite(max_distance_km) or max_distance_km <= 0):
        raise QueryError(method, "a capped method needs a positive max distance in km")
    if markers is None or "state" not in markers.columns:
        raise QueryError("markers", "a marker frame with a 'state' column is needed")
    boundary = _as_geometry(boundary_geom)
    dropped: dict[str, int] = {}

    frame = markers
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geoms = frame.geometry.to_numpy()
    ok = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms) & frame["state"].notna().to_numpy()
    if (~ok).any():
        dropped["not_located"] = int((~ok).sum())
    if method.startswith("settlements"):
        plain = settlement_mask(frame)
        n_fac = int((ok & ~plain).sum())
        if n_fac:
            dropped["not_a_settlement"] = n_fac
        ok &= plain
    idx = np.flatnonzero(ok)
    if len(idx) == 0:
        raise QueryError("markers", f"no markers to build cells from (method {method})")
    lon = shapely.get_x(geoms[idx])
    lat = shapely.get_y(geoms[idx])
    states = frame["state"].to_numpy()[idx]
    labels = frame.index.to_numpy()[idx]

    forward, inverse = _aeqd(boundary)
    xy = forward(np.column_stack([lon, lat]))
    boundary_p = shapely.transform(boundary, forward)
    shapely.prepare(boundary_p)

    # Markers outside the boundary (beyond the tolerance) are dropped and counted.
    dist = shapely.distance(boundary_p, shapely.points(xy))
    outside = dist > outside_tolerance_km * 1000.0
    if outside.any():
        dropped["outside_boundary"] = int(outside.sum())
    near_kept = int(((dist > 0) & ~outside).sum())
    keep = ~outside
    lon, lat, xy, states, labels = lon[keep], lat[keep], xy[keep], states[keep], labels[keep]
    if len(xy) == 0:
        raise QueryError("markers", "every marker lies outside the boundary")

    # One generator per point: the later row wins (it is drawn on top of the earlier ones).
    key = pd.DataFrame({"x": np.round(lon, 7), "y": np.round(lat, 7)})
    later = key.duplicated(keep="last").to_numpy()
    if later.any():
        grp = pd.DataFrame({"x": key["x"], "y": key["y"], "s": states})
        n_states = grp.groupby(["x", "y"])["s"].nunique()
        conflicts = int((n_states > 1).sum())
        dropped["same_point"] = int(later.sum())
        dropped["same_point_other_state"] = conflicts
    keep = ~later
    lon, lat, xy, states, labels = lon[keep], lat[keep], xy[keep], states[keep], labels[keep]
    dropped = {k: v for k, v in dropped.items() if v}

    # Voronoi cells in the projection, extended well past the boundary.
    minx, miny, maxx, maxy = boundary_p.bounds
    pad = 100_000.0
    env = shapely.box(
        min(minx, xy[:, 0].min()) - pad,
        min(miny, xy[:, 1].min()) - pad,
        max(maxx, xy[:, 0].max()) + pad,
        max(maxy, xy[:, 1].max()) + pad,
    )
    if len(xy) == 1:
        cells = np.array([env], dtype=object)
    else:
        vor = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=env, ordered=True)
        cells = shapely.get_parts(vor)
        if len(cells) != len(xy):  # pragma: no cover - GEOS guarantees one cell per distinct point
            raise QueryError("markers", "Voronoi diagram did not give one cell per marker")
        cells = shapely.intersection(cells, env)
    # Densify now, before any piece is split, so that neighbouring pieces keep identical shared vertices.
    cells = shapely.segmentize(cells, _DENSIFY_M)
    piece_geoms = [cells]
    piece_state = [states.astype(object)]
    piece_marker = [labels.astype(object)]
    if capped:
        radius = float(max_distance_km) * 1000.0
        # Cells whose farthest vertex is well inside the radius need no circle (a cell is convex, so its
        # farthest point is a vertex; the 1% margin covers the projection's scale error).
        coords, which = shapely.get_coordinates(cells, return_index=True)
        far = np.zeros(len(cells))
        np.maximum.at(far, which, np.hypot(coords[:, 0] - xy[which, 0], coords[:, 1] - xy[which, 1]))
        part = np.flatnonzero(far >= 0.99 * radius)
        circles = _geodesic_circles(lon[part], lat[part], radius, forward)
        inside = shapely.covered_by(cells[part], circles)
        part, circles = part[~inside], circles[~inside]
        near_part = shapely.intersection(cells[part], circles)
        far_part = shapely.difference(cells[part], circles)
        cells = cells.copy()
        cells[part] = near_part
        piece_geoms = [cells, far_part]
        piece_state = [states.astype(object), np.full(len(part), UNINHABITED, dtype=object)]
        piece_marker = [labels.astype(object), np.full(len(part), None, dtype=object)]
    pieces = np.concatenate(piece_geoms)
    p_state = np.concatenate(piece_state)
    p_marker = np.concatenate(piece_marker)

    # Back to EPSG:4326, then clip to the boundary itself.
    pieces = shapely.transform(pieces, inverse)
    shapely.prepare(boundary)
    within = shapely.contains_properly(boundary, pieces)
    cut = np.flatnonzero(~within)
    pieces = pieces.copy()
    pieces[cut] = _polygonal(shapely.intersection(pieces[cut], boundary))
    nonempty = ~shapely.is_empty(pieces)
    out = gpd.GeoDataFrame(
        {"state": p_state[nonempty], "marker": p_marker[nonempty]},
        geometry=pieces[nonempty],
        crs="EPSG:4326",
    ).reset_index(drop=True)
    out.attrs["method"] = describe_method(method, max_distance_km)
    out.attrs["dropped"] = dropped
    out.attrs["generators"] = len(xy)
    out.attrs["near_boundary_kept"] = near_kept
    return out
