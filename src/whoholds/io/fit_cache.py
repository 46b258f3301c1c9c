"""Per-feature and per-pair facts of the fit check (:mod:`.fit`), remembered across the snapshots of a feed.

Consecutive snapshots of a feed repeat almost every feature: the readers hand out the same repaired geometry
object for a feature they saw before (their geometry cache, keyed by the feature's content hash), so each fact
is keyed by the geometry object (kept in the entry, so its ``id`` is not reused) and computed once:

- per feature, against one boundary: planar area, whether it touches the boundary, whether it crosses it, and
  the lattice estimate of its share outside (:func:`outside_facts`);
- per pair of features: the lattice verdict and the geodesic km² of their intersection (:func:`pair_facts`).

Every fact depends on its feature(s) alone, so a snapshot's verdict is the same as when computed from scratch.
The caches are per thread (the API checks uploads in worker threads; no locking needed) and bounded (entries).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import islice
from typing import Any

import numpy as np

#: Features remembered per boundary, and pairs remembered (a feed has ~18,000 distinct features).
KEEP_FEATURES = 50_000
KEEP_PAIRS = 50_000

_LOCAL = threading.local()


def _bound(data: dict, keep: int) -> None:
    """Drop the oldest entries of ``data`` (dicts keep insertion order) beyond ``keep``."""
    if len(data) > keep:
        for key in list(islice(data, len(data) - keep)):
            del data[key]


def _state() -> dict[str, Any]:
    d = _LOCAL.__dict__
    if "features" not in d:
        d["features"] = {}  # id(boundary) → (boundary, {id(feature): (feature, Facts)})
        d["pairs"] = {}  # (id(a), id(b)) → (a, b, {fact name: value})
    return d


def clear() -> None:
    """Forget every remembered fact of this thread (tests; a long-lived process between feeds)."""
    _LOCAL.__dict__.clear()


def prepared_copies(geoms: np.ndarray) -> np.ndarray:
    """Private prepared copies of ``geoms`` (the originals may be shared with other threads). Not kept: a
    prepared index costs several times its polygon's memory (~100 MB per ingest worker for a feed's features),
    and with the facts above remembered, only new features and their partners are prepared at all."""
    import shapely

    copies = shapely.from_wkb(shapely.to_wkb(geoms))
    shapely.prepare(copies)
    return copies


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
        entry = (boundary, {})
        st["features"][id(boundary)] = entry
    memo: dict[int, tuple[Any, Facts]] = entry[1]
    facts: list[Facts | None] = []
    todo = []
    for i, g in enumerate(geoms):  # the keys hold their objects, so a matching id with the same object is a hit
        hit = memo.get(id(g))
        if hit is not None and hit[0] is g:
            facts.append(hit[1])
        else:
            facts.append(None)
            todo.append(i)
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
            memo[id(geoms[i])] = (geoms[i], f)
        _bound(memo, KEEP_FEATURES)
    arr = np.array(facts, dtype=float).reshape(-1, 4)
    return arr[:, 0], arr[:, 1].astype(bool), arr[:, 2].astype(bool), arr[:, 3]


def pair_facts(geoms: np.ndarray, left: np.ndarray, right: np.ndarray, what: str,
               compute: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """``compute(geoms, left, right)`` per pair (``what`` names the fact: "lattice", "km2"), remembered per
    pair of geometry objects so that each pair is computed once."""
    memo: dict[tuple[int, int], tuple[Any, Any, dict[str, float]]] = _state()["pairs"]
    out = np.zeros(len(left), dtype=float)
    todo = []
    for i, (a, b) in enumerate(zip(geoms[left], geoms[right], strict=True)):
        hit = memo.get((id(a), id(b)))
        if hit is not None and hit[0] is a and hit[1] is b and what in hit[2]:
            out[i] = hit[2][what]
        else:
            todo.append(i)
    if todo:
        idx = np.asarray(todo)
        found = np.asarray(compute(geoms, left[idx], right[idx]), dtype=float)
        out[idx] = found
        for i, value in zip(todo, found.tolist(), strict=True):
            a, b = geoms[left[i]], geoms[right[i]]
            hit = memo.get((id(a), id(b)))
            if hit is None or hit[0] is not a or hit[1] is not b:
                hit = memo[(id(a), id(b))] = (a, b, {})
            hit[2][what] = value
        _bound(memo, KEEP_PAIRS)
    return out
