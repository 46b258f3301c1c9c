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
from .layers import RectRegion, polygonal, resolve
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
    The default holder is never built as a geometry: what a drawn state lost and no drawn state took went to
    the default holder, and what it gained that no drawn state held came from it.
    """
    out = ChangePieces()
    if region is None or len(region) == 0:
        return out
    clip = RectRegion.of(region, None)
    over_a: list[tuple[str, shapely.Geometry]] = []
    over_b: list[tuple[str, shapely.Geometry]] = []
    la, _ = resolve(a[0], a[1], order, default, clip, fill_default=False, overlaps=over_a)
    lb, _ = resolve(b[0], b[1], order, default, clip, fill_default=False, overlaps=over_b)
    for state, geom in over_a:
        out.add(OVERLAP_FROM, state, "", geom)
    for state, geom in over_b:
        out.add(OVERLAP_TO, state, "", geom)
    # What state s lost is ga_s \ gb_s: small when little changed, so the pieces are cut from it (not from the
    # whole layers): land that went to another drawn state t is lost_s ∩ gb_t, the rest went to the default.
    lost = {s: _minus(ga, lb.get(s)) for s, ga in la.items()}
    won = {t: _minus(gb, la.get(t)) for t, gb in lb.items()}
    into: dict[str, list[shapely.Geometry]] = {}
    for s, piece in lost.items():
        if piece.is_empty:
            continue
        taken = []
        for t, gb in lb.items():
            if t != s and shapely.intersects(piece, gb):
                part = polygonal(shapely.intersection(piece, gb))
                if not part.is_empty:
                    out.add(TRANSFER, s, t, part)
                    taken.append(part)
                    into.setdefault(t, []).append(part)
        out.add(TRANSFER, s, default, _minus(piece, _union(taken)))
    for t, piece in won.items():
        if piece.is_empty:
            continue
        # what t won from other drawn states was counted above (the same land as ga_s ∩ won_t)
        out.add(TRANSFER, default, t, _minus(piece, _union(into.get(t, []))))
    return out


def _minus(geom: shapely.Geometry, other: shapely.Geometry | None) -> shapely.Geometry:
    if other is None or other.is_empty or not shapely.intersects(geom, other):
        return geom
    return polygonal(shapely.difference(geom, other))


def _union(geoms: list[shapely.Geometry]) -> shapely.Geometry | None:
    if not geoms:
        return None
    return geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)


def areas_inside(geoms: np.ndarray, boundary: shapely.Geometry) -> np.ndarray:
    """Area (km²) of each piece inside ``boundary``; pieces wholly inside or outside need no overlay."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms))
    if len(geoms) == 0:
        return out
    ready = prepared(boundary)
    inside = shapely.contains_properly(ready, geoms)
    out[inside] = geodesic_area_km2(geoms[inside])
    cut = ~inside & shapely.intersects(ready, geoms)
    if cut.any():
        out[cut] = geodesic_area_km2(shapely.intersection(geoms[cut], _local(boundary, geoms[cut])))
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
