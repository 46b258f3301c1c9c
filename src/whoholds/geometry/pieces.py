"""Change pieces: where two snapshots differ, as geometry, before any boundary is applied.

The holder of a point depends only on which features cover it, so the land that went from state S to state T
between two snapshots is the same set whatever the boundary; a boundary only cuts it. The engine therefore
overlays two snapshots inside their changed rectangles (see ``geometry.diff``) *without* the boundary and keeps
the result as pieces: (kind, from state, to state, polygon). Figures for any boundary are then the areas of
the pieces inside it, ``A(piece ∩ boundary)`` -- one vectorised pass over every pair of an archive, so a
timeline for another boundary (or with its figure cache emptied) costs what changed, not the map size.

Kinds: ``transfer`` (land that went from ``from_state`` to ``to_state``; the default holder is explicit), and
``overlap_from`` / ``overlap_to`` (land where a feature of ``from_state`` was covered by a feature of an
earlier-priority state, in the first / second snapshot: the overlap figure changes by their difference).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from .area import geodesic_area_km2
from .layers import polygonal
from .prepared import prepared

TRANSFER = "transfer"
OVERLAP_FROM = "overlap_from"
OVERLAP_TO = "overlap_to"


@dataclass
class ChangePieces:
    """Pieces of one pair of snapshots (parallel lists; ``geoms`` holds polygons or multipolygons)."""

    kinds: list[str] = field(default_factory=list)
    from_states: list[str] = field(default_factory=list)
    to_states: list[str] = field(default_factory=list)
    geoms: list[shapely.Geometry] = field(default_factory=list)

    def add(self, kind: str, src: str, dst: str, geom: shapely.Geometry) -> None:
        geom = polygonal(geom)
        if not geom.is_empty:
            self.kinds.append(kind)
            self.from_states.append(src)
            self.to_states.append(dst)
            self.geoms.append(geom)

    def __len__(self) -> int:
        return len(self.geoms)


def change_pieces(
    a: tuple[np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray],
    region: np.ndarray | None,
    order: tuple[str, ...],
    default: str,
) -> ChangePieces:
    """Pieces of land that changed hands between snapshots ``a`` and ``b`` (states, polygons) inside ``region``.

    ``region``: disjoint rectangles containing every edge whose multiplicity differs (None: nothing changed).
    Inside it, the outlines of both snapshots' features are noded together once and polygonized into faces;
    no feature edge crosses a face, so one interior point per face tells which features cover all of it, and
    the holder in each snapshot follows from ``order`` (the earliest drawn state wins; nobody: the default
    holder, which is never built as a geometry). Faces whose holder changed are the transfers; faces where a
    state's land lies under an earlier state's in one snapshot only are the overlap change. One noding and
    one polygonization per pair, instead of a chain of pairwise overlays over many small fragments, each of
    which pays GEOS's per-call overhead (3x faster on the raw feed, and its areas drift less).
    """
    out = ChangePieces()
    if region is None or len(region) == 0:
        return out
    drawn = [s for s in order if s != default]
    rank = {s: i for i, s in enumerate(drawn)}
    parts_a, rank_a = _clipped(a, region, rank)
    parts_b, rank_b = _clipped(b, region, rank)
    if len(parts_a) + len(parts_b) == 0:
        return out
    lines = shapely.union_all(shapely.boundary(np.concatenate([parts_a, parts_b])))  # noded linework
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    if len(faces) == 0:
        return out
    points = shapely.point_on_surface(faces)
    n = len(drawn)
    cover_a = _cover(points, parts_a, rank_a, n)
    cover_b = _cover(points, parts_b, rank_b, n)
    holder_a = np.where(cover_a.any(1), cover_a.argmax(1), n)  # n: no drawn state, the default holder
    holder_b = np.where(cover_b.any(1), cover_b.argmax(1), n)
    names = [*drawn, default]
    moved = holder_a != holder_b
    if moved.any():
        key = holder_a[moved] * (n + 1) + holder_b[moved]
        for k in np.unique(key):
            out.add(TRANSFER, names[k // (n + 1)], names[k % (n + 1)], _merge(faces[moved][key == k]))
    # Overlap: a drawn state's land under an earlier state's. Faces where that is so in both snapshots cancel.
    under_a = _losers(cover_a, holder_a, n)
    under_b = _losers(cover_b, holder_b, n)
    for kind, mine, other in ((OVERLAP_FROM, under_a, under_b), (OVERLAP_TO, under_b, under_a)):
        only = mine & ~other
        for s in np.flatnonzero(only.any(0)):
            out.add(kind, drawn[s], "", _merge(faces[only[:, s]]))
    return out


def _clipped(snapshot: tuple[np.ndarray, np.ndarray], rects: np.ndarray, rank: dict[str, int]
             ) -> tuple[np.ndarray, np.ndarray]:
    """(polygons, their states' ranks): each drawn feature cut to each rectangle it meets (a linear-time clip)."""
    states, geoms = snapshot
    code = np.array([rank.get(str(s), -1) for s in states], dtype=np.int64)
    geoms, code = geoms[code >= 0], code[code >= 0]
    out, owner = [], []
    if len(geoms):
        gb = shapely.bounds(geoms)
        for x0, y0, x1, y1 in rects:
            near = np.flatnonzero((gb[:, 0] < x1) & (gb[:, 2] > x0) & (gb[:, 1] < y1) & (gb[:, 3] > y0))
            if len(near):
                out.append(shapely.clip_by_rect(geoms[near], x0, y0, x1, y1))
                owner.append(code[near])
    if not out:
        return np.empty(0, dtype=object), np.empty(0, np.int64)
    parts, idx = shapely.get_parts(np.concatenate(out), return_index=True)
    poly = shapely.get_type_id(parts) == 3
    return parts[poly], np.concatenate(owner)[idx[poly]]


def _cover(points: np.ndarray, parts: np.ndarray, ranks: np.ndarray, n_states: int) -> np.ndarray:
    """(faces, states) booleans: which states' features cover each face (tested at its interior point)."""
    cover = np.zeros((len(points), n_states), bool)
    if len(parts):
        hit_point, hit_part = shapely.STRtree(parts).query(points, predicate="within")
        cover[hit_point, ranks[hit_part]] = True
    return cover


def _losers(cover: np.ndarray, holder: np.ndarray, n: int) -> np.ndarray:
    """The covering states that do not hold the face (an earlier state does)."""
    under = cover.copy()
    rows = np.flatnonzero(holder < n)
    under[rows, holder[rows]] = False
    return under


def _merge(faces: np.ndarray) -> shapely.Geometry:
    """One geometry of adjacent faces: dissolving shared edges (a coverage union) needs no overlay."""
    if len(faces) == 1:
        return faces[0]
    try:
        return shapely.coverage_union_all(faces)
    except shapely.errors.GEOSException:  # GEOS rejects some valid face sets (rings touching at a point)
        return shapely.union_all(faces)


def areas_inside(geoms: np.ndarray, boundary: shapely.Geometry) -> np.ndarray:
    """Area (km²) of each piece inside ``boundary``. Pieces are cut polygon by polygon: only the polygons that
    cross the boundary's outline need an overlay; those wholly inside or outside are measured or skipped."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms))
    if len(geoms) == 0:
        return out
    parts, owner = shapely.get_parts(geoms, return_index=True)
    ready = prepared(boundary)
    inside = shapely.contains_properly(ready, parts)
    cut = ~inside & shapely.intersects(ready, parts)
    area = np.zeros(len(parts))
    area[inside] = geodesic_area_km2(parts[inside])
    if cut.any():
        area[cut] = geodesic_area_km2(shapely.intersection(parts[cut], _local(boundary, parts[cut])))
    np.add.at(out, owner, area)
    return out


def _local(boundary: shapely.Geometry, geoms: np.ndarray) -> np.ndarray:
    """The boundary cut to each piece's bounding box (a linear-time clip), so that each overlay only meets the
    few boundary vertices near its piece; the whole boundary where such a clip is not a valid polygon."""
    x0, y0, x1, y1 = shapely.bounds(geoms).T
    pad = 1e-9  # the box must contain the piece, edges included
    local = np.array([shapely.clip_by_rect(boundary, a - pad, b - pad, c + pad, d + pad)
                      for a, b, c, d in zip(x0, y0, x1, y1, strict=True)], dtype=object)
    bad = ~shapely.is_valid(local)
    local[bad] = boundary
    return local


def figures(pieces: ChangePieces, areas: np.ndarray) -> tuple[dict[tuple[str, str], float], float]:
    """(transfers (from, to) → km², change of the overlap figure) from the pieces' areas inside a boundary."""
    transfers: dict[tuple[str, str], float] = {}
    overlap_delta = 0.0
    for kind, src, dst, area in zip(pieces.kinds, pieces.from_states, pieces.to_states, areas, strict=True):
        if kind == TRANSFER:
            if area > 0:
                transfers[(src, dst)] = transfers.get((src, dst), 0.0) + float(area)
        elif kind == OVERLAP_TO:
            overlap_delta += float(area)
        else:
            overlap_delta -= float(area)
    return {k: v for k, v in transfers.items() if v > 1e-12}, overlap_delta
