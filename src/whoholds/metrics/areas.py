"""Areas per state for snapshots, computed once and cached in the store's catalog.

A single snapshot is resolved whole. A sequence (an archive, a timeline) is walked incrementally:
the first snapshot whole, each next one only where it differs from its predecessor
(see ``geometry.diff``). Both results land in the catalog tables ``areas`` and ``transfers``, keyed by
snapshot ids, boundary id and method, so every later query is a lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from ..geometry.area import geodesic_area_km2
from ..geometry.boundary import Boundary
from ..geometry.diff import EdgeSet, Step, compare, region_between, state_codes
from ..geometry.layers import EngineInput, default_state, engine_input, method_text, polygon_input, resolve
from ..profiles import Profile
from ..store import Store, read_states_and_geometry
from ..types import Snapshot

Progress = Callable[[int], None]
#: Below this many pairs to compute, worker start-up costs more than it saves.
PARALLEL_MIN_PAIRS = 64


def _steps_worker(files: list[tuple[str, Path]], profile: Profile, boundary_spec: str | None) -> list[Step]:
    """Worker: transfers between consecutive snapshots of one contiguous run (files in time order)."""
    from ..geometry.boundary import load_boundary

    boundary = load_boundary(profile, boundary_spec)
    default = default_state(profile)
    codes = state_codes(profile.resolution_order, default)
    prev = None
    out = []
    for _sid, path in files:
        inp = polygon_input(*read_states_and_geometry(path), profile)
        for s in np.unique(inp.states):
            codes.setdefault(str(s), len(codes) + 1)
        edges = EdgeSet.of(inp.states, inp.geoms, codes)
        if prev is not None:
            step = compare((prev[0].states, prev[0].geoms), (inp.states, inp.geoms), region_between(prev[1], edges),
                           boundary.geometry, profile.resolution_order, default)
            step.region = None
            out.append(step)
        prev = (inp, edges)
    return out


def _parallel_steps(store: Store, needed: list[tuple[str, str]], profile: Profile, boundary_spec: str | None,
                    executor: Executor, workers: int, progress: Progress | None) -> dict[tuple[str, str], Step]:
    """Compute the needed pairs in contiguous runs spread over the workers."""
    files = dict(store.con.execute("SELECT id, file FROM snapshots WHERE id IN (SELECT unnest(?))",
                                   [sorted({i for pair in needed for i in pair})]).fetchall())
    runs: list[list[tuple[str, str]]] = []
    for pair in needed:
        if runs and runs[-1][-1][1] == pair[0] and len(runs[-1]) < max(16, len(needed) // (4 * workers)):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    futures = []
    for run in runs:
        chain = [run[0][0]] + [b for _, b in run]
        futures.append((run, executor.submit(_steps_worker, [(i, store.path / files[i]) for i in chain],
                                             profile, boundary_spec)))
    out: dict[tuple[str, str], Step] = {}
    for run, fut in futures:
        for pair, step in zip(run, fut.result(), strict=True):
            out[pair] = step
        if progress:
            progress(len(run))
    return out


def method_key(snapshot_kind: str, marker_method: str, max_distance_km: float | None) -> str:
    return "polygons" if snapshot_kind != "markers" else f"markers:{marker_method}:{max_distance_km}"


def _cached_areas(store: Store, ids: list[str], boundary_id: str, method: str) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=["snapshot_id", "state", "area_km2", "overlap_km2"])
    return store.con.execute(
        "SELECT snapshot_id, state, area_km2, overlap_km2 FROM areas WHERE boundary_id = ? AND method = ? "
        "AND snapshot_id IN (SELECT unnest(?))",
        [boundary_id, method, ids],
    ).df()


def save_areas(store: Store, rows: list[tuple], boundary_id: str, method: str) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["snapshot_id", "state", "area_km2", "overlap_km2"])
    frame.insert(1, "boundary_id", boundary_id)
    frame.insert(2, "method", method)
    frame = frame[["snapshot_id", "boundary_id", "method", "state", "area_km2", "overlap_km2"]]
    store.con.execute("BEGIN TRANSACTION")
    store.con.execute(
        "DELETE FROM areas WHERE boundary_id = ? AND method = ? AND snapshot_id IN (SELECT unnest(?))",
        [boundary_id, method, sorted(set(frame["snapshot_id"]))],
    )
    store.con.register("_new_areas", frame)
    store.con.execute("INSERT INTO areas SELECT * FROM _new_areas")
    store.con.unregister("_new_areas")
    store.con.execute("COMMIT")


def save_transfers(store: Store, rows: list[tuple], boundary_id: str, method: str) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["from_id", "to_id", "from_state", "to_state", "area_km2"])
    frame.insert(2, "boundary_id", boundary_id)
    frame.insert(3, "method", method)
    store.con.execute("BEGIN TRANSACTION")
    store.con.register("_new_transfers", frame)
    store.con.execute("INSERT INTO transfers SELECT * FROM _new_transfers")
    store.con.unregister("_new_transfers")
    store.con.execute("COMMIT")


def resolve_whole(inp: EngineInput, profile: Profile, boundary: Boundary) -> tuple[dict[str, float], float]:
    pieces, overlap = resolve(inp.states, inp.geoms, inp.order, default_state(profile), boundary.geometry)
    keys = list(pieces)
    areas = geodesic_area_km2(np.array([pieces[k] for k in keys], dtype=object))
    return dict(zip(keys, areas.tolist(), strict=True)), overlap


def snapshot_areas(
    store: Store,
    snapshot: Snapshot,
    profile: Profile,
    boundary: Boundary,
    *,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
) -> tuple[dict[str, float], float, str]:
    """(area km² per state, overlap km², method text) of one snapshot, from the cache when possible."""
    method = method_key(snapshot.kind, marker_method, max_distance_km)
    cached = _cached_areas(store, [snapshot.id], boundary.id, method)
    if cached.empty:
        inp = engine_input(snapshot, profile, boundary, marker_method=marker_method,
                           max_distance_km=max_distance_km)
        areas, overlap = resolve_whole(inp, profile, boundary)
        save_areas(store, [(snapshot.id, s, a, overlap) for s, a in areas.items()], boundary.id, method)
    else:
        areas = dict(zip(cached["state"], cached["area_km2"], strict=True))
        overlap = float(cached["overlap_km2"].iloc[0])
    return areas, overlap, method_text(snapshot.kind, marker_method, max_distance_km)


def walk_areas(
    store: Store,
    rows: pd.DataFrame,
    profile: Profile,
    boundary: Boundary,
    *,
    loaded: Mapping[str, Snapshot] | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
    workers: int = 1,
    boundary_spec: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Areas of every snapshot in ``rows`` (catalog rows in time order) and transfers between neighbours.

    Returns (areas: snapshot_id, state, area_km2, overlap_km2; transfers: from_id, to_id, from_state,
    to_state, area_km2). Pairs already in the cache are not recomputed; snapshots already in memory
    (``loaded``, e.g. during ingest) are not re-read.
    """
    ids = rows["id"].tolist()
    method = "polygons"
    kinds = set(rows["kind"]) if len(rows) else set()
    if kinds - {"polygons"}:
        raise ValueError("walk_areas handles polygon snapshots; marker snapshots are resolved one by one")
    cached_areas = _cached_areas(store, ids, boundary.id, method)
    have_area = set(cached_areas["snapshot_id"])
    pairs = list(zip(ids[:-1], ids[1:], strict=True))
    done = set()
    if pairs:
        done = {
            (f, t) for f, t in store.con.execute(
                "SELECT DISTINCT from_id, to_id FROM transfers WHERE boundary_id = ? AND method = ? "
                "AND from_id IN (SELECT unnest(?))", [boundary.id, method, ids[:-1]]).fetchall()
        }
    loaded = dict(loaded or {})
    default = default_state(profile)
    order = profile.resolution_order
    codes = state_codes(order, default)
    cache_inp: dict[str, tuple[EngineInput, EdgeSet]] = {}
    needed = [pair for pair in pairs if pair not in done]
    precomputed: dict[tuple[str, str], Step] = {}
    if executor is not None and workers > 1 and len(needed) >= PARALLEL_MIN_PAIRS:
        precomputed = _parallel_steps(store, needed, profile, boundary_spec, executor, workers, progress)

    files = dict(zip(rows["id"], rows["file"], strict=True)) if "file" in rows else {}

    def inputs(sid: str) -> tuple[EngineInput, EdgeSet]:
        if sid not in cache_inp:
            if sid in loaded:
                inp = engine_input(loaded[sid], profile, boundary)
            elif files.get(sid):
                inp = polygon_input(*read_states_and_geometry(store.path / files[sid]), profile)
            else:
                inp = engine_input(store.get(sid), profile, boundary)
            for s in np.unique(inp.states):
                codes.setdefault(str(s), len(codes) + 1)
            cache_inp[sid] = (inp, EdgeSet.of(inp.states, inp.geoms, codes))
        return cache_inp[sid]

    new_areas: list[tuple] = []
    new_transfers: list[tuple] = []
    areas: dict[str, float] = {}
    overlap = 0.0
    out_areas: list[tuple] = []
    out_transfers: pd.DataFrame | list[tuple] = []
    for i, sid in enumerate(ids):
        cached_here = sid in have_area
        if i > 0 and (ids[i - 1], sid) not in done:
            prev = ids[i - 1]
            step = precomputed.get((prev, sid))
            if step is None:
                (ia, ea), (ib, eb) = inputs(prev), inputs(sid)
                step = compare((ia.states, ia.geoms), (ib.states, ib.geoms), region_between(ea, eb),
                               boundary.geometry, order, default)
            for (src, dst), v in step.transfers.items():
                new_transfers.append((prev, sid, src, dst, v))
            if not step.transfers:
                new_transfers.append((prev, sid, "", "", 0.0))  # computed: nothing changed hands
            if not cached_here:
                areas = dict(areas)
                for (src, dst), v in step.transfers.items():
                    areas[src] = areas.get(src, 0.0) - v
                    areas[dst] = areas.get(dst, 0.0) + v
                areas = {s: v for s, v in areas.items() if v > 1e-9}
                overlap += step.overlap_delta
                new_areas.extend((sid, s, a, overlap) for s, a in areas.items())
            if i >= 2:
                cache_inp.pop(ids[i - 2], None)
        elif not cached_here and i == 0:
            inp, _ = inputs(sid)
            areas, overlap = resolve_whole(inp, profile, boundary)
            new_areas.extend((sid, s, a, overlap) for s, a in areas.items())
        elif not cached_here:
            # The pair was computed before but this snapshot's areas were not kept: resolve it whole.
            inp, _ = inputs(sid)
            areas, overlap = resolve_whole(inp, profile, boundary)
            new_areas.extend((sid, s, a, overlap) for s, a in areas.items())
        if cached_here:
            mine = cached_areas[cached_areas["snapshot_id"] == sid]
            areas = dict(zip(mine["state"], mine["area_km2"], strict=True))
            overlap = float(mine["overlap_km2"].iloc[0]) if len(mine) else 0.0
        out_areas.extend((sid, s, a, overlap) for s, a in areas.items())
        if progress and not precomputed:
            progress(1)
    save_areas(store, new_areas, boundary.id, method)
    save_transfers(store, new_transfers, boundary.id, method)
    if pairs:
        cached_t = store.con.execute(
            "SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE boundary_id = ? AND "
            "method = ? AND from_state <> '' AND from_id IN (SELECT unnest(?))",
            [boundary.id, method, ids[:-1]],
        ).df()
        pair_set = set(pairs)
        keep = [(f, t) in pair_set for f, t in zip(cached_t["from_id"], cached_t["to_id"], strict=True)]
        out_transfers = cached_t[keep]
    area_frame = pd.DataFrame(out_areas, columns=["snapshot_id", "state", "area_km2", "overlap_km2"])
    transfer_frame = (
        out_transfers if isinstance(out_transfers, pd.DataFrame)
        else pd.DataFrame(out_transfers, columns=["from_id", "to_id", "from_state", "to_state", "area_km2"])
    )
    return area_frame, transfer_frame.reset_index(drop=True)
