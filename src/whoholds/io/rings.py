"""Shapely geometry straight from simdjson coordinate buffers (the GeoJSON fast path's cache misses).

Polygons and MultiPolygons whose rings are closed and have at least 4 positions are built in one
``shapely.from_ragged_array`` call per type and file; anything else (unclosed rings, mixed dimensions,
GeometryCollections, non-numeric coordinates) goes through ``shapely.from_geojson`` on the geometry's text,
where unclosed rings are closed — as GDAL does — and flagged so the repair log counts them.
"""

from __future__ import annotations

import json
from array import array

import numpy as np
import shapely
import simdjson

#: (geometry type, ring structure, flat coordinate buffer): what :func:`from_rings` builds from. The ring
#: structure lists ring lengths; for a MultiPolygon each polygon's rings follow a -1.
Rings = tuple[str, array, object]
_SKIP: Rings = ("skip", array("q"), b"")


def _ring_layout(gtype: str, struct: array, n_doubles: int) -> tuple[list[int], list[int], int] | None:
    """(ring lengths, rings per polygon, coordinate dimension), or None when the geometry needs the
    lenient path (empty parts, rings of fewer than 4 positions, mixed dimensions)."""
    if gtype == "Polygon":
        rings = struct.tolist()
        polys = [len(rings)]
    else:
        rings, polys = [], []
        for n in struct:
            if n < 0:
                polys.append(0)
            else:
                rings.append(n)
                polys[-1] += 1
    npos = sum(rings)
    if npos == 0 or not polys or min(polys) == 0 or min(rings) < 4 or n_doubles % npos:
        return None
    dim = n_doubles // npos
    return (rings, polys, dim) if dim >= 2 else None


def from_rings(items: list[Rings]) -> list[shapely.Geometry | None]:
    """Build Polygons/MultiPolygons straight from simdjson's coordinate buffers, vectorised per type.
    Geometries with an unclosed or degenerate ring are left as None for the lenient path."""
    out: list[shapely.Geometry | None] = [None] * len(items)
    for gtype in ("Polygon", "MultiPolygon"):
        idx: list[int] = []
        xys: list[np.ndarray] = []
        rings: list[int] = []
        polys: list[int] = []
        parts: list[int] = []
        for i, (t, struct, buf) in enumerate(items):
            if t != gtype:
                continue
            flat = np.frombuffer(buf, dtype=np.float64)
            layout = _ring_layout(t, struct, len(flat))
            if layout is None:
                continue
            idx.append(i)
            xys.append(flat.reshape(-1, layout[2])[:, :2])
            rings.extend(layout[0])
            polys.extend(layout[1])
            parts.append(len(layout[1]))
        if not idx:
            continue
        coords = np.concatenate(xys)
        ring_offsets = np.zeros(len(rings) + 1, dtype=np.int64)
        np.cumsum(rings, out=ring_offsets[1:])
        closed = (coords[ring_offsets[:-1]] == coords[ring_offsets[1:] - 1]).all(axis=1)
        if not closed.all():  # rare: rebuild this type without the geometries that have an open ring
            bad = _items_with_open_rings(idx, polys, parts, closed)
            subset = [it if i not in bad and it[0] == gtype else _SKIP for i, it in enumerate(items)]
            rebuilt = from_rings(subset)
            for i in idx:
                out[i] = rebuilt[i]
            continue
        poly_offsets = np.zeros(len(polys) + 1, dtype=np.int64)
        np.cumsum(polys, out=poly_offsets[1:])
        if gtype == "Polygon":
            geoms = shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords, (ring_offsets, poly_offsets))
        else:
            geom_offsets = np.zeros(len(parts) + 1, dtype=np.int64)
            np.cumsum(parts, out=geom_offsets[1:])
            geoms = shapely.from_ragged_array(
                shapely.GeometryType.MULTIPOLYGON, coords, (ring_offsets, poly_offsets, geom_offsets)
            )
        for i, geom in zip(idx, geoms, strict=True):
            out[i] = geom
    return out


def _items_with_open_rings(idx: list[int], polys: list[int], parts: list[int], closed: np.ndarray) -> set[int]:
    """Item indices (from ``idx``) owning a ring that is not closed."""
    rings_per_item = []
    p = 0
    for n_parts in parts:
        rings_per_item.append(sum(polys[p : p + n_parts]))
        p += n_parts
    owner = np.repeat(np.asarray(idx), rings_per_item)
    return set(owner[~closed].tolist())


def build_pending(
    items: list[tuple[tuple[str, array, object] | None, simdjson.Object]],
) -> tuple[np.ndarray, np.ndarray]:
    """Raw geometries for cache misses: from coordinate buffers where possible, else from GeoJSON text."""
    fast = [i for i, item in enumerate(items) if item[0] is not None]
    geoms = np.empty(len(items), dtype=object)
    closed = np.zeros(len(items), dtype=bool)
    if fast:
        geoms[fast] = from_rings([items[i][0] for i in fast])  # type: ignore[misc]
    slow = [i for i in range(len(items)) if geoms[i] is None]
    if slow:
        built, was_closed = _build([items[i][1].mini for i in slow])
        for j, i in enumerate(slow):
            geoms[i] = built[j]
            closed[i] = was_closed[j]
    return geoms, closed


def _build(minis: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Shapely geometries from GeoJSON geometry texts; unclosed rings are closed (and flagged) as GDAL's
    WKB 'fix' does, rings with too few points become empty geometries. A geometry whose coordinates are not
    rings of numeric positions at all (strings, wrong nesting) is None: the caller reports it."""
    geoms = shapely.from_geojson(minis, on_invalid="ignore")
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    closed = np.zeros(len(minis), dtype=bool)
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        closed[i] = True
        try:
            obj = json.loads(minis[i])
            if not _coordinates_ok(obj):
                geoms[i] = None
                continue
            geoms[i] = shapely.from_geojson(json.dumps(_close_rings(obj)), on_invalid="ignore")
        except (ValueError, TypeError, KeyError, IndexError, shapely.errors.GEOSException):
            geoms[i] = None
            continue
        if geoms[i] is None:
            geoms[i] = shapely.Polygon()
    return geoms, closed


def _is_position(p: object) -> bool:
    return (isinstance(p, list) and 2 <= len(p) <= 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p))


def _coordinates_ok(obj: object) -> bool:
    """True when a Polygon/MultiPolygon/GeometryCollection holds rings of numeric positions."""
    if not isinstance(obj, dict):
        return False
    gtype, coords = obj.get("type"), obj.get("coordinates")

    def polygon(rings: object) -> bool:
        return isinstance(rings, list) and all(isinstance(r, list) and all(map(_is_position, r)) for r in rings)

    if gtype == "Polygon":
        return polygon(coords)
    if gtype == "MultiPolygon":
        return isinstance(coords, list) and all(polygon(p) for p in coords)
    if gtype == "GeometryCollection":
        parts = obj.get("geometries")
        return isinstance(parts, list) and all(
            _coordinates_ok(g) for g in parts if isinstance(g, dict) and g.get("type") in
            ("Polygon", "MultiPolygon", "GeometryCollection"))
    return True  # points and lines are not built here


def _close_rings(obj: dict) -> dict:
    def close(ring: list) -> list:
        return ring + [ring[0]] if ring and ring[0] != ring[-1] else ring

    gtype = obj.get("type")
    if gtype == "Polygon":
        obj["coordinates"] = [close(r) for r in obj["coordinates"]]
    elif gtype == "MultiPolygon":
        obj["coordinates"] = [[close(r) for r in p] for p in obj["coordinates"]]
    elif gtype == "GeometryCollection":
        obj["geometries"] = [_close_rings(g) for g in obj["geometries"]]
    return obj
