"""Per-feature and per-pair facts of the fit check (:mod:`.fit`), remembered across the snapshots of a feed.

Consecutive snapshots of a feed repeat almost every feature: the readers hand out the same repaired geometry
object for a feature they saw before (their geometry cache, keyed by the feature's content hash), so each fact
is keyed by the geometry object (kept in the entry, so its ``id`` is not reused) and computed once:

- per feature, against one boundary: planar area, whether it touches the boundary, whether it crosses it, and
  the lattice estimate of its share outside (:func:`outside_facts`);
- per pair of features: the lattice verdict and the geodesic km² of their intersection (:func:`pair_facts`);
- prepared copies of the features the lattice tests query (:func:`prepared_copy`): building a big polygon's
  prepared index costs more than all of its point tests.

Every fact depends on its feature(s) alone, so a snapshot's verdict is the same as when computed from scratch.
The caches are per thread: GEOS prepared geometries must not be built or queried by two threads at once, and
the API checks uploads in worker threads. Each is bounded (entries, or coordinates for prepared copies).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

#: Features remembered per boundary, and pairs remembered (a feed has ~18,000 distinct features).
KEEP_FEATURES = 50_000
KEEP_PAIRS = 50_000
#: Coordinates of prepared copies kept per thread (a prepared index costs a few times its coordinates).
KEEP_PREPARED_COORDS = 3_000_000

_LOCAL = threading.local()


class _Lru:
    """An LRU map from a geometry object (or a pair) to a value, holding the key objects alive."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.data: OrderedDict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = OrderedDict()

    def get(self, objs: tuple[Any, ...]) -> Any:
        hit = self.data.get(tuple(map(id, objs)))
        if hit is None or any(a is not b for a, b in zip(hit[0], objs, strict=True)):
            return None
        return hit[1]

    def put(self, objs: tuple[Any, ...], value: Any) -> None:
        key = tuple(map(id, objs))
        self.data[key] = (objs, value)
        self.data.move_to_end(key)
        while len(self.data) > self.keep:
            self.data.popitem(last=False)


def _state() -> dict[str, Any]:
    d = _LOCAL.__dict__
    if "features" not in d:
        d["features"] = {}  # id(boundary) → (boundary, _Lru)
        d["pairs"] = _Lru(KEEP_PAIRS)
        d["prepared"] = OrderedDict()  # id(geom) → (geom, prepared copy, coordinates)
        d["prepared_coords"] = 0
    return d


def clear() -> None:
    """Forget every remembered fact of this thread (tests; a long-lived process between feeds)."""
    _LOCAL.__dict__.clear()


def prepared_copy(geom: Any) -> Any:
    """A private prepared copy of ``geom`` for this thread, kept while it is among the recently used."""
    import shapely

    st = _state()
    cache: OrderedDict[int, tuple[Any, Any, int]] = st["prepared"]
    hit = cache.get(id(geom))
    if hit is not None and hit[0] is geom:
        cache.move_to_end(id(geom))
        return hit[1]
    copy = shapely.from_wkb(shapely.to_wkb(geom))
    shapely.prepare(copy)
    n = int(shapely.get_num_coordinates(geom))
    if n <= KEEP_PREPARED_COORDS:
        cache[id(geom)] = (geom, copy, n)
        st["prepared_coords"] += n
        while st["prepared_coords"] > KEEP_PREPARED_COORDS and cache:
            _, (_, _, dropped) = cache.popitem(last=False)
            st["prepared_coords"] -= dropped
    return copy


def prepared_copies(geoms: np.ndarray) -> np.ndarray:
    out = np.empty(len(geoms), dtype=object)
    out[:] = [prepared_copy(g) for g in geoms]
    return out


#: Per feature, against one boundary: (planar area, touches the boundary, crosses it, lattice outside share).
Facts = tuple[float, bool, bool, float]


def outside_facts(boundary: Any, geoms: np.ndarray,
                  fractions: Callable[[Any, np.ndarray], np.ndarray]) -> tuple[np.ndarray, ...]:
    """(planar area, touches, crosses, estimated outside share) per geometry, computed for the new ones only
    (``fractions(boundary, polygons)`` estimates the outside share of crossing polygons)."""
    import shapely

    st = _state()
    entry = st["features"].get(id(boundary))
    if entry is None or entry[0] is not boundary:
        st["features"].clear()  # one boundary at a time in practice: a new one replaces the old facts
        entry = (boundary, _Lru(KEEP_FEATURES))
        st["features"][id(boundary)] = entry
    memo: _Lru = entry[1]
    facts: list[Facts | None] = [memo.get((g,)) for g in geoms]
    todo = [i for i, f in enumerate(facts) if f is None]
    if todo:
        new = geoms[todo]
        hits = shapely.intersects(boundary, new)
        crossing = hits & ~shapely.contains_properly(boundary, new)
        planar = shapely.area(new)
        frac = np.zeros(len(new))
        if crossing.any():
            frac[crossing] = fractions(boundary, new[crossing])
        for j, i in enumerate(todo):
            f = (float(planar[j]), bool(hits[j]), bool(crossing[j]), float(frac[j]))
            facts[i] = f
            memo.put((geoms[i],), f)
    arr = np.array(facts, dtype=float).reshape(-1, 4)
    return arr[:, 0], arr[:, 1].astype(bool), arr[:, 2].astype(bool), arr[:, 3]


def pair_facts(geoms: np.ndarray, left: np.ndarray, right: np.ndarray, what: str,
               compute: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """``compute(geoms, left, right)`` per pair (``what`` names the fact: "lattice", "km2"), remembered per
    pair of geometry objects so that each pair is computed once."""
    memo: _Lru = _state()["pairs"]
    out = np.zeros(len(left), dtype=float)
    todo = []
    for i, (a, b) in enumerate(zip(geoms[left], geoms[right], strict=True)):
        hit = memo.get((a, b))
        if hit is not None and what in hit:
            out[i] = hit[what]
        else:
            todo.append(i)
    if todo:
        idx = np.asarray(todo)
        found = np.asarray(compute(geoms, left[idx], right[idx]), dtype=float)
        out[idx] = found
        for i, value in zip(todo, found.tolist(), strict=True):
            pair = (geoms[left[i]], geoms[right[i]])
            hit = memo.get(pair)
            if hit is None:
                hit = {}
                memo.put(pair, hit)
            hit[what] = value
    return out
