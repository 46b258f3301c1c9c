"""Incremental overlay: recompute only where two snapshots differ.

Consecutive snapshots of an archive share almost all their geometry. With rings oriented the same way
(exterior counter-clockwise), the set of *directed* edges of each state determines, for any point, how many
features of that state cover it (its winding number). So if the multisets of (state, directed edge) of two
snapshots agree outside a region R, their resolved layers agree outside R too, and every difference between
them -- areas, transfers between states -- can be computed inside R alone. R is the union of small grid
cells touched by the edges that differ; its cost grows with what changed, not with the size of the map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely

from ..profiles import Profile
from .area import densify_geodesic
from .layers import DENSIFY_KM, POLYGON_METHOD, EngineInput, orient
from .pieces import areas_inside, change_pieces, figures

#: Grid cell (degrees) used to turn changed edges into a region.
CELL_DEG = 0.05
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class EdgeSet:
    """Sorted 64-bit keys of a snapshot's (state, directed edge) multiset, with the edges' bounding boxes."""

    keys: np.ndarray
    boxes: np.ndarray  # (n, 4) minx, miny, maxx, maxy in the order of ``keys``

    @classmethod
    def of(cls, states: np.ndarray, geoms: np.ndarray, codes: dict[str, int]) -> EdgeSet:
        keys, boxes, _ = edge_keys(states, geoms, codes)
        return cls.sorted(keys, boxes)

    @classmethod
    def sorted(cls, keys: np.ndarray, boxes: np.ndarray) -> EdgeSet:
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], boxes[order])


def edge_keys(states: np.ndarray, geoms: np.ndarray, codes: dict[str, int]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(64-bit key, bounding box, index of its geometry) of every (state, directed edge), unsorted."""
    if len(geoms) == 0:
        return np.zeros(0, np.uint64), np.zeros((0, 4)), np.zeros(0, np.int64)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_owner = shapely.get_rings(parts, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[:-1] == ring_idx[1:]
    p0, p1 = coords[:-1][same], coords[1:][same]
    geom_of_edge = owner[ring_owner[ring_idx[:-1][same]]]
    state_code = np.array([codes[s] for s in states], dtype=np.uint64)[geom_of_edge]
    bits = np.ascontiguousarray(np.column_stack([p0, p1])).view(np.uint64)
    key = state_code * _MIX
    with np.errstate(over="ignore"):
        for col in range(4):
            key = (key ^ bits[:, col]) * _MIX
            key ^= key >> np.uint64(29)
    return key, np.column_stack([np.minimum(p0, p1), np.maximum(p0, p1)]), geom_of_edge


Part = tuple[str, bytes]  # (state, WKB of one oriented polygon before densifying)


@dataclass
class PartEdges:
    """A snapshot's polygons by name, with each distinct polygon's edge keys and boxes."""

    names: list[Part]
    edges: dict[Part, tuple[np.ndarray, np.ndarray]]


class InputMemo:
    """Engine inputs of a run of snapshots in time order, each distinct feature densified and hashed once.

    Consecutive snapshots repeat most features byte for byte; a feature's densified polygon and edge keys
    are kept while the previous snapshot still has it (memory stays one snapshot's worth), so a snapshot
    costs what changed in it plus a WKB pass. The inputs are the ones :func:`polygon_input` builds.
    """

    def __init__(self, codes: dict[str, int]) -> None:
        self.codes = codes
        self.seen: dict[Part, tuple[shapely.Geometry, np.ndarray, np.ndarray]] = {}
        # Per feature geometry *object* (readers and the feature store hand out one object per distinct
        # feature): (the object, which keeps its id() from being reused, its oriented parts' WKB, the parts).
        self.by_object: dict[int, tuple[shapely.Geometry, list[bytes], np.ndarray]] = {}

    def _split(self, geoms: list[shapely.Geometry]) -> None:
        """Oriented single polygons of geometries not seen before, and their WKB (their names)."""
        arr = np.empty(len(geoms), dtype=object)
        arr[:] = geoms
        parts, owner = shapely.get_parts(arr, return_index=True)
        is_poly = shapely.get_type_id(parts) == 3
        parts, owner = orient(parts[is_poly]), owner[is_poly]
        wkbs = shapely.to_wkb(parts).tolist()
        cuts = np.searchsorted(owner, np.arange(len(geoms) + 1))
        for j, g in enumerate(geoms):
            self.by_object[id(g)] = (g, wkbs[cuts[j]:cuts[j + 1]], parts[cuts[j]:cuts[j + 1]])

    def input(self, states: np.ndarray, geoms: np.ndarray, profile: Profile) -> tuple[EngineInput, PartEdges]:
        counted = {s.id for s in profile.counted_states}
        keep = [i for i, s in enumerate(states.tolist()) if s in counted]
        kept = [geoms[i] for i in keep]
        fresh = {id(g): g for g in kept if (hit := self.by_object.get(id(g))) is None or hit[0] is not g}
        if fresh:
            self._split(list(fresh.values()))
        names: list[Part] = []
        part_geoms: list[shapely.Geometry] = []
        for i, g in zip(keep, kept, strict=True):
            state = str(states[i])
            _, wkbs, parts = self.by_object[id(g)]
            names.extend((state, w) for w in wkbs)
            part_geoms.extend(parts)
        self.by_object = {id(g): self.by_object[id(g)] for g in kept}  # forget what this snapshot no longer has
        out_states = np.array([n[0] for n in names], dtype=object).astype(str)
        for s in np.unique(out_states):
            self.codes.setdefault(str(s), len(self.codes) + 1)
        new = [i for i, name in enumerate(names) if name not in self.seen]
        if new:
            todo = np.empty(len(new), dtype=object)
            todo[:] = [part_geoms[i] for i in new]
            dense = densify_geodesic(todo, DENSIFY_KM)
            keys, boxes, owner = edge_keys(out_states[new], dense, self.codes)
            cuts = np.searchsorted(owner, np.arange(len(new) + 1))  # edge_keys lists edges geometry by geometry
            for j, i in enumerate(new):
                self.seen[names[i]] = (dense[j], keys[cuts[j]:cuts[j + 1]], boxes[cuts[j]:cuts[j + 1]])
        self.seen = {name: self.seen[name] for name in names}  # forget what this snapshot no longer has
        geoms_out = np.empty(len(names), dtype=object)
        geoms_out[:] = [self.seen[name][0] for name in names]
        edges = {name: (k, b) for name, (_, k, b) in self.seen.items()}
        return EngineInput(out_states, geoms_out, profile.resolution_order, POLYGON_METHOD), PartEdges(names, edges)


def region_between_parts(a: PartEdges, b: PartEdges, cell: float = CELL_DEG) -> np.ndarray | None:
    """:func:`region_between` for snapshots given by parts (see :func:`changed_boxes_of_parts`)."""
    return region_of(changed_boxes_of_parts(a, b), cell)


def changed_boxes_of_parts(a: PartEdges, b: PartEdges) -> np.ndarray:
    """Boxes of the edges whose multiplicity differs. Polygons both snapshots have (same state, same bytes)
    bring the same edges to both sides and cancel, so only the edges of the others are compared."""
    count_a, count_b = Counter(a.names), Counter(b.names)

    def edge_set(only: Counter[Part], edges: dict[Part, tuple[np.ndarray, np.ndarray]]) -> EdgeSet:
        items = [edges[name] for name, k in only.items() for _ in range(k)]
        if not items:
            return EdgeSet(np.zeros(0, np.uint64), np.zeros((0, 4)))
        return EdgeSet.sorted(np.concatenate([k for k, _ in items]), np.concatenate([bx for _, bx in items]))

    return changed_boxes(edge_set(count_a - count_b, a.edges), edge_set(count_b - count_a, b.edges))


def changed_boxes(a: EdgeSet, b: EdgeSet) -> np.ndarray:
    """Bounding boxes of the edges whose multiplicity differs between ``a`` and ``b``."""
    if len(a.keys) == len(b.keys) and np.array_equal(a.keys, b.keys):
        return np.zeros((0, 4))
    ua, ca = _unique_sorted(a.keys)
    ub, cb = _unique_sorted(b.keys)
    pos = np.minimum(np.searchsorted(ub, ua), max(len(ub) - 1, 0))
    same = (ub[pos] == ua) & (cb[pos] == ca) if len(ub) else np.zeros(len(ua), bool)
    same_keys = ua[same]
    return np.concatenate([a.boxes[~_member(a.keys, same_keys)], b.boxes[~_member(b.keys, same_keys)]])


def _unique_sorted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(keys) == 0:
        return keys, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def _member(sorted_keys: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if len(sorted_set) == 0:
        return np.zeros(len(sorted_keys), bool)
    pos = np.minimum(np.searchsorted(sorted_set, sorted_keys), len(sorted_set) - 1)
    return sorted_set[pos] == sorted_keys


def region_of(boxes: np.ndarray, cell: float = CELL_DEG) -> np.ndarray | None:
    """Disjoint rectangles (n, 4) covering the grid cells the boxes touch (None when nothing changed).

    Rectangles rather than a union of cells, because clipping to a rectangle is a linear-time GEOS
    operation; the rectangles only have to contain every changed edge, so merging cells is always safe.
    """
    if len(boxes) == 0:
        return None
    i0 = np.floor(boxes[:, 0] / cell).astype(np.int64)
    j0 = np.floor(boxes[:, 1] / cell).astype(np.int64)
    i1 = np.floor(boxes[:, 2] / cell).astype(np.int64)
    j1 = np.floor(boxes[:, 3] / cell).astype(np.int64)
    spans = (i1 - i0 + 1) * (j1 - j0 + 1)
    rep = np.repeat(np.arange(len(boxes)), spans)
    offs = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    width = (i1 - i0 + 1)[rep]
    cells = np.unique(np.column_stack([i0[rep] + offs % width, j0[rep] + offs // width]), axis=0)
    polys = shapely.box(cells[:, 0] * cell, cells[:, 1] * cell, (cells[:, 0] + 1) * cell, (cells[:, 1] + 1) * cell)
    rects = shapely.bounds(shapely.get_parts(shapely.coverage_union_all(polys)))
    return _merge_overlapping(rects)


def _merge_overlapping(rects: np.ndarray) -> np.ndarray:
    """Merge rectangles whose interiors overlap until none do (touching edges are fine)."""
    rects = rects.copy()
    while True:
        r = rects
        ov = (r[:, None, 0] < r[None, :, 2]) & (r[None, :, 0] < r[:, None, 2]) \
            & (r[:, None, 1] < r[None, :, 3]) & (r[None, :, 1] < r[:, None, 3])
        np.fill_diagonal(ov, False)
        if not ov.any():
            return rects
        i, j = np.argwhere(ov)[0]
        merged = [min(r[i, 0], r[j, 0]), min(r[i, 1], r[j, 1]), max(r[i, 2], r[j, 2]), max(r[i, 3], r[j, 3])]
        keep = np.ones(len(r), bool)
        keep[[i, j]] = False
        rects = np.vstack([r[keep], merged])


@dataclass
class Step:
    """What changed between two snapshots inside one boundary, computed inside the changed region only."""

    transfers: dict[tuple[str, str], float]  # (from, to) km², from != to
    overlap_delta: float = 0.0
    region: np.ndarray | None = None  # rectangles (n, 4)


def compare(
    a: tuple[np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray],
    region: np.ndarray | None,
    boundary: shapely.Geometry,
    order: tuple[str, ...],
    default: str,
) -> Step:
    """Transfers between two snapshots inside ``boundary``, overlaid inside ``region`` only.

    The overlay itself does not depend on the boundary (:func:`whoholds.geometry.pieces.change_pieces`);
    the boundary only cuts its pieces.
    """
    if region is None:
        return Step({})
    pieces = change_pieces(a, b, region, order, default)
    transfers, overlap_delta = figures(pieces, areas_inside(np.array(pieces.geoms, dtype=object), boundary))
    return Step(transfers, overlap_delta, region)


def region_between(a: EdgeSet, b: EdgeSet, cell: float = CELL_DEG) -> np.ndarray | None:
    return region_of(changed_boxes(a, b), cell)


def state_codes(order: tuple[str, ...], default: str, states: Iterable[str] = ()) -> dict[str, int]:
    return {s: i + 1 for i, s in enumerate(dict.fromkeys([*order, default, *states]))}


def transfers_between(
    a: tuple[np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray],
    boundary: shapely.Geometry,
    order: tuple[str, ...],
    default: str,
) -> Step:
    """Everything that changed hands between two snapshots (any two, not only consecutive ones)."""
    codes = state_codes(order, default, [*np.unique(a[0]), *np.unique(b[0])])
    region = region_between(EdgeSet.of(a[0], a[1], codes), EdgeSet.of(b[0], b[1], codes))
    return compare(a, b, region, boundary, order, default)
