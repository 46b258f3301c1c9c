"""The area cache of a whole archive built on Dask: date-range partitions, stitched exactly at their edges.

The snapshots of a profile (the store's current polygon snapshots, in time order) are cut into contiguous date
ranges, one task each. A task walks its range with the library's incremental engine
(:func:`whoholds.geometry.diff.compare` where two consecutive snapshots' edges differ) and returns only the
transfers of each consecutive pair and the change of overlap; ranges overlap by one snapshot, so the pair
that crosses an edge -- the last snapshot of one range to the first of the next -- is computed by the later
range, and every consecutive pair of the archive is computed exactly once. The first range also resolves
its first snapshot whole (unless its areas are cached). The driver then does what the single-process walk
(:func:`whoholds.metrics.areas.walk_areas`) does: starting from the first areas it adds each pair's
transfers in time order, so the areas are those of the single-process engine (the same operations in the
same order), and writes the areas and transfers the cache lacks. Timelines and ``shares --all`` are then
lookups.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..profiles import Profile
from .cluster import Progress, cores, run_tasks

#: A range shorter than this many pairs costs more in reading its first snapshot than it saves.
MIN_PAIRS_PER_RANGE = 8
METHOD = "polygons"


@dataclass
class RangeResult:
    """What one date range sends back: small (areas and transfers only, no geometry)."""

    first_areas: dict[str, float] | None  # only when asked to resolve the first snapshot whole
    first_overlap: float
    steps: list[tuple[dict[tuple[str, str], float], float]]  # per consecutive pair: (transfers, overlap change)


@dataclass
class AreasReport:
    """What :func:`dask_areas` did."""

    snapshots: int = 0  # polygon snapshots of the profile
    pairs: int = 0  # consecutive pairs computed on Dask
    ranges: int = 0  # date-range tasks
    areas_written: int = 0  # snapshots whose areas went into the cache
    transfers_written: int = 0  # pairs whose transfers went into the cache
    workers: int = 0
    seconds: float = 0.0
    edges: list[str] = field(default_factory=list)  # first date of every range after the first


_BOUNDARIES: dict[tuple[str, str | None], Any] = {}


def _boundary(profile: Profile, spec: str | None) -> Any:
    """A worker loads the boundary once per process (tasks carry its spec, not its geometry)."""
    from ..geometry.boundary import load_boundary

    key = (profile.id, spec)
    if key not in _BOUNDARIES:
        _BOUNDARIES[key] = load_boundary(profile, spec)
    return _BOUNDARIES[key]


def walk_range(task: tuple[list[Any], bool], profile: Profile, boundary_spec: str | None) -> RangeResult:
    """Worker: the transfers between consecutive snapshot files of one date range (files in time order)."""
    from ..geometry.diff import EdgeSet, compare, region_between, state_codes
    from ..geometry.layers import default_state, polygon_input
    from ..metrics.areas import resolve_whole

    files, resolve_first = task
    boundary = _boundary(profile, boundary_spec)
    default = default_state(profile)
    order = profile.resolution_order
    codes = state_codes(order, default)
    first_areas, first_overlap = None, 0.0
    steps: list[tuple[dict[tuple[str, str], float], float]] = []
    prev = None
    for i, path in enumerate(files):
        inp = polygon_input(*path(), profile)
        for s in np.unique(inp.states):
            codes.setdefault(str(s), len(codes) + 1)
        edges = EdgeSet.of(inp.states, inp.geoms, codes)
        if i == 0 and resolve_first:
            first_areas, first_overlap = resolve_whole(inp, profile, boundary)
        if prev is not None:
            step = compare((prev[0].states, prev[0].geoms), (inp.states, inp.geoms), region_between(prev[1], edges),
                           boundary.geometry, order, default)
            steps.append((dict(step.transfers), float(step.overlap_delta)))
        prev = (inp, edges)
    return RangeResult(first_areas, float(first_overlap), steps)


def plan_ranges(n_rows: int, ranges: int) -> list[tuple[int, int]]:
    """Row ranges ``(a, b)`` (rows a..b inclusive) cutting the ``n_rows - 1`` consecutive pairs into at most
    ``ranges`` contiguous runs of at least :data:`MIN_PAIRS_PER_RANGE` pairs; consecutive ranges share a row."""
    pairs = n_rows - 1
    if pairs <= 0:
        return [(0, 0)] if n_rows == 1 else []
    n = max(1, min(int(ranges), pairs // MIN_PAIRS_PER_RANGE or 1))
    cuts = np.linspace(0, pairs, n + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]


def _cache(store: Any, ids: list[str], boundary_id: str) -> tuple[dict[str, tuple[dict[str, float], float]],
                                                                   set[tuple[str, str]]]:
    """Cached areas (per snapshot: areas, overlap) and the pairs with cached transfers, among ``ids``."""
    got = store.area_rows(ids, boundary_id, METHOD)
    areas: dict[str, tuple[dict[str, float], float]] = {}
    for sid, state, area, overlap in got:
        areas.setdefault(sid, ({}, float(overlap)))[0][state] = float(area)
    done = store.transfer_pairs(ids, boundary_id, METHOD)
    return areas, done


def _forget(store: Any, ids: list[str], boundary_id: str) -> None:
    """Drop the cached areas and transfers of these snapshots (a rebuild), in one transaction."""
    store.forget_figures(ids, boundary_id, METHOD)


def dask_areas(
    store: Any,
    profile: Profile,
    scheduler: Any,
    *,
    boundary: str | None = None,
    ranges: int | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> AreasReport:
    """Fill the store's cache of areas (every polygon snapshot) and transfers (every consecutive pair) on Dask.

    ``scheduler``: a ``dask.distributed.Client`` or a local scheduler name (see :mod:`whoholds.scale.cluster`);
    the store folder must be readable by every worker under the same path. ``boundary``: the override of
    ``load_boundary`` (the cache is keyed by it). ``ranges``: date-range tasks (default 4 per worker core).
    Only what the cache lacks is computed, from the first snapshot that lacks something on; ``rebuild``
    drops the profile's cached polygon areas and transfers for this boundary and computes them all again.
    """
    from ..geometry.boundary import load_boundary
    from ..metrics.areas import save_areas, save_transfers

    started = time.perf_counter()
    report = AreasReport(workers=cores(scheduler, workers))
    rows = store.current(profile.id)
    rows = rows[rows["kind"] == "polygons"].reset_index(drop=True)
    report.snapshots = len(rows)
    if rows.empty:
        return report
    bnd_id = load_boundary(profile, boundary).id
    ids = rows["id"].tolist()
    if rebuild:
        _forget(store, ids, bnd_id)
    cached, done = _cache(store, ids, bnd_id)
    lacking = [i for i, sid in enumerate(ids) if sid not in cached or (i and (ids[i - 1], sid) not in done
                                                                      and ids[i - 1] != sid)]
    if not lacking:
        report.seconds = time.perf_counter() - started
        return report
    start = max(lacking[0] - 1, 0)
    base = cached.get(ids[start])
    chain = rows.iloc[start:]
    sources = store.geometry_sources(chain["id"].tolist())
    paths = [sources[i] for i in chain["id"]]
    plan = plan_ranges(len(chain), ranges or 4 * report.workers)
    tasks = [(paths[a:b + 1], k == 0 and base is None) for k, (a, b) in enumerate(plan)]
    results = run_tasks(scheduler, walk_range, tasks, workers=workers, weights=[max(b - a, 1) for a, b in plan],
                        phase="areas", progress=progress, profile=profile, boundary_spec=boundary)
    report.ranges = len(plan)
    report.edges = [str(chain["date"].iloc[a].date()) for a, _ in plan[1:]]
    steps = [s for r in results for s in r.steps]
    report.pairs = len(steps)
    areas, overlap = base if base is not None else (results[0].first_areas or {}, results[0].first_overlap)
    new_areas: list[tuple] = []
    new_transfers: list[tuple] = []
    chain_ids = chain["id"].tolist()
    for i, sid in enumerate(chain_ids):
        if i:
            transfers, delta = steps[i - 1]
            prev = chain_ids[i - 1]
            # as walk_areas: the areas follow the transfers, in time order (a no-change pair is one empty row)
            areas = dict(areas)
            for (src, dst), v in transfers.items():
                areas[src] = areas.get(src, 0.0) - v
                areas[dst] = areas.get(dst, 0.0) + v
            areas = {s: v for s, v in areas.items() if v > 1e-9}
            overlap += delta
            if (prev, sid) not in done and prev != sid:
                done.add((prev, sid))
                new_transfers += [(prev, sid, a, b, v) for (a, b), v in transfers.items()] or [(prev, sid, "", "", 0.0)]
                report.transfers_written += 1
        if sid in cached:
            areas, overlap = cached[sid]  # what the cache says stays what every query says
        else:
            cached[sid] = (areas, overlap)
            new_areas += [(sid, s, a, overlap) for s, a in areas.items()]
            report.areas_written += 1
    save_areas(store, new_areas, bnd_id, METHOD)
    save_transfers(store, new_transfers, bnd_id, METHOD)
    report.seconds = time.perf_counter() - started
    return report
