"""From a snapshot's features to disjoint state layers clipped to the boundary.

Overlap rule: where features of different states overlap, the state earlier in
``Profile.resolution_order`` wins (the profile's ``priority`` list, then profile order, the default holder
last); the overlapped area is reported. Land inside the boundary that no feature covers goes to the
profile's default holder, or to the pseudo-state ``unassigned`` when the profile has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from ..profiles import UNASSIGNED, Profile
from ..types import Snapshot
from .area import densify_geodesic, geodesic_area_km2
from .boundary import Boundary
from .methods import POLYGON_METHOD, method_text  # noqa: F401 (method_text: re-exported, it lived here)
from .prepared import prepared

if TYPE_CHECKING:
    import geopandas as gpd

#: Map edges are geodesics: edges longer than this are densified along the geodesic before any overlay.
DENSIFY_KM = 2.0


@dataclass
class Layers:
    """Disjoint state layers of one snapshot inside one boundary."""

    frame: gpd.GeoDataFrame  # state, geometry, area_km2
    overlap_km2: float
    method: str
    boundary_id: str
    snapshot_id: str

    def areas(self) -> dict[str, float]:
        return dict(zip(self.frame["state"], self.frame["area_km2"], strict=True))


def orient(geoms: np.ndarray) -> np.ndarray:
    """Exterior rings counter-clockwise, holes clockwise: the diff engine relies on this."""
    return shapely.orient_polygons(geoms, exterior_cw=False)


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygonal part of an overlay result (drop stray lines and points)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    tid = shapely.get_type_id(geom)
    if tid in (3, 6):
        return geom
    parts = shapely.get_parts(geom)
    parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    return shapely.union_all(parts) if len(parts) else shapely.Polygon()


@dataclass
class RectRegion:
    """A region made of disjoint rectangles, each with the boundary's piece inside it.

    Clipping to a rectangle is linear-time (GEOS rectangle intersection); only rectangles that cross the
    boundary need a true overlay.
    """

    rects: np.ndarray  # (n, 4)
    inside: np.ndarray  # rectangle lies within the boundary
    pieces: np.ndarray  # boundary ∩ rectangle
    geometry: shapely.Geometry  # union of the pieces

    @classmethod
    def of(cls, rects: np.ndarray, boundary: shapely.Geometry | None) -> RectRegion:
        """The rectangles cut by ``boundary`` (None: no boundary, the rectangles themselves)."""
        boxes = shapely.box(rects[:, 0], rects[:, 1], rects[:, 2], rects[:, 3])
        if boundary is None:
            return cls(rects, np.ones(len(rects), bool), boxes, shapely.union_all(boxes))
        inside = shapely.contains(prepared(boundary), boxes)
        pieces = boxes.copy()
        if (~inside).any():
            pieces[~inside] = shapely.intersection(boundary, boxes[~inside])
        keep = ~shapely.is_empty(pieces)
        rects, inside, pieces = rects[keep], inside[keep], pieces[keep]
        return cls(rects, inside, pieces, shapely.union_all(pieces) if len(pieces) else shapely.Polygon())

    @property
    def empty(self) -> bool:
        return len(self.rects) == 0

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.geometry.bounds

    def clip(self, geoms: np.ndarray) -> np.ndarray:
        gb = shapely.bounds(geoms)
        out = []
        for (x0, y0, x1, y1), inside, piece in zip(self.rects, self.inside, self.pieces, strict=True):
            near = (gb[:, 0] < x1) & (gb[:, 2] > x0) & (gb[:, 1] < y1) & (gb[:, 3] > y0)
            if not near.any():
                continue
            boxed = shapely.clip_by_rect(geoms[near], x0, y0, x1, y1)
            boxed = boxed[~shapely.is_empty(boxed)]
            if not inside and len(boxed):
                boxed = shapely.intersection(shapely.make_valid(boxed), piece)
            out.append(boxed)
        return np.concatenate(out) if out else np.empty(0, dtype=object)


def _clip(geoms: np.ndarray, region: shapely.Geometry | RectRegion) -> np.ndarray:
    geoms = distinct(geoms)
    if isinstance(region, RectRegion):
        return region.clip(geoms)
    return shapely.intersection(geoms, region)


def distinct(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` without exact repeats (same WKB), first occurrences in order: a repeated feature adds nothing
    to a union but its cost."""
    if len(geoms) < 2:
        return geoms
    _, first = np.unique(shapely.to_wkb(geoms), return_index=True)
    return geoms if len(first) == len(geoms) else geoms[np.sort(first)]


def resolve(
    states: np.ndarray,
    geoms: np.ndarray,
    order: tuple[str, ...],
    default: str,
    region: shapely.Geometry | RectRegion,
    fill_default: bool = True,
    overlaps: list[tuple[str, shapely.Geometry]] | None = None,
) -> tuple[dict[str, shapely.Geometry], float]:
    """Disjoint geometry per state inside ``region`` (already clipped to the boundary).

    Returns (state → geometry, overlap area km²). ``default`` receives the region's uncovered rest unless
    ``fill_default`` is False (then its explicit polygons are left out too: it only gets the rest).
    ``overlaps``, when given, receives (state, the part of its features covered by earlier states).
    """
    result: dict[str, shapely.Geometry] = {}
    if len(geoms):
        bounds = shapely.bounds(geoms)
        rx0, ry0, rx1, ry1 = region.bounds
        near = (bounds[:, 0] <= rx1) & (bounds[:, 2] >= rx0) & (bounds[:, 1] <= ry1) & (bounds[:, 3] >= ry0)
        states, geoms = states[near], geoms[near]
    covered = shapely.Polygon()
    overlap = 0.0
    for state in order:
        if state == default and not fill_default:
            continue
        mine = geoms[states == state]
        if len(mine) == 0:
            continue
        clipped = shapely.get_parts(_clip(mine, region))
        clipped = clipped[shapely.get_type_id(clipped) == 3]
        union = polygonal(shapely.union_all(clipped) if len(clipped) != 1 else clipped[0])
        if union.is_empty:
            continue
        if not covered.is_empty and shapely.intersects(union, covered):
            whole = geodesic_area_km2([union])[0]
            if overlaps is not None:
                overlaps.append((state, polygonal(shapely.intersection(union, covered))))
            union = polygonal(shapely.difference(union, covered))
            overlap += float(whole - geodesic_area_km2([union])[0])
        if not union.is_empty:
            result[state] = shapely.union(result[state], union) if state in result else union
            covered = shapely.union(covered, union) if not covered.is_empty else union
    if not fill_default:
        return result, overlap
    area = region.geometry if isinstance(region, RectRegion) else region
    rest = polygonal(shapely.difference(area, covered)) if not covered.is_empty else area
    if not rest.is_empty:
        result[default] = shapely.union(result[default], rest) if default in result else rest
    return result, overlap


def default_state(profile: Profile) -> str:
    return profile.default_holder or UNASSIGNED


def counted_parts(states: np.ndarray, geoms: np.ndarray, profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """(states, oriented single polygons) of the features whose state counts towards area."""
    keep = np.isin(states, [s.id for s in profile.counted_states])
    parts, owner = shapely.get_parts(geoms[keep], return_index=True)
    is_poly = shapely.get_type_id(parts) == 3
    return states[keep].astype(str)[owner[is_poly]], orient(parts[is_poly])


def polygon_input(states: np.ndarray, geoms: np.ndarray, profile: Profile) -> EngineInput:
    """Engine input straight from a snapshot's state and geometry columns."""
    states, parts = counted_parts(states, geoms, profile)
    return EngineInput(states, densify_geodesic(parts, DENSIFY_KM), profile.resolution_order, POLYGON_METHOD)


@dataclass(frozen=True)
class EngineInput:
    """What the overlay engine needs of a snapshot: states, single polygons, resolution order."""

    states: np.ndarray
    geoms: np.ndarray
    order: tuple[str, ...]
    method: str


def engine_input(
    snapshot: Snapshot,
    profile: Profile,
    boundary: Boundary,
    *,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
) -> EngineInput:
    """Polygon features as they are; marker snapshots turned into cells first (a documented estimate)."""
    if snapshot.kind != "markers":
        f = snapshot.features
        return polygon_input(f["state"].to_numpy(), np.asarray(f.geometry.values, dtype=object), profile)
    from .cells import marker_cells

    kwargs = {} if max_distance_km is None else {"max_distance_km": max_distance_km}
    cells = marker_cells(snapshot.features, boundary.geometry, method=marker_method, **kwargs)
    parts, owner = shapely.get_parts(cells.geometry.values, return_index=True)
    states = cells["state"].to_numpy().astype(str)[owner]
    order = tuple(dict.fromkeys([*profile.resolution_order, *states]))
    method = method_text("markers", marker_method, max_distance_km)
    return EngineInput(states, densify_geodesic(orient(parts), DENSIFY_KM), order, method)


def state_layers(
    snapshot: Snapshot,
    profile: Profile,
    boundary: Boundary,
    *,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
) -> Layers:
    """Disjoint, boundary-clipped layers of one snapshot (markers become cells first)."""
    import geopandas as gpd

    inp = engine_input(snapshot, profile, boundary, marker_method=marker_method, max_distance_km=max_distance_km)
    pieces, overlap = resolve(inp.states, inp.geoms, inp.order, default_state(profile), boundary.geometry)
    keys = list(pieces)
    values = np.array([pieces[k] for k in keys], dtype=object)
    frame = gpd.GeoDataFrame(
        {"state": keys, "area_km2": geodesic_area_km2(values)}, geometry=values, crs="EPSG:4326"
    )
    return Layers(frame, overlap, inp.method, boundary.id, snapshot.id)
