"""Areas per state for snapshots, computed once and cached in the store's catalog.

A single snapshot is resolved whole. A sequence (an archive, a timeline) is walked incrementally:
the first snapshot whole, each next one only where it differs from its predecessor
(see ``geometry.diff``). Both results land in the catalog tables ``areas`` and ``transfers``, keyed by
snapshot ids, boundary id and method, so every later query is a lookup.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, Future
from itertools import islice

import numpy as np
import pandas as pd

from ..geometry.area import geodesic_area_km2
from ..geometry.boundary import Boundary
from ..geometry.diff import InputMemo, PartEdges, Step, region_between_parts, state_codes
from ..geometry.layers import EngineInput, default_state, engine_input, method_text, resolve
from ..geometry.methods import method_key
from ..geometry.pieces import ChangePieces, areas_inside, change_pieces, figures
from ..procs import release_memory
from ..profiles import Profile
from ..store_base import AREA_COLUMNS, TRANSFER_COLUMNS, GeometrySource, StoreBase
from ..store_features import forget_cached
from ..types import Snapshot
from .piece_cache import load_pieces, save_pieces

Progress = Callable[[int], None]
#: Below this many pairs to compute, worker start-up costs more than it saves.
PARALLEL_MIN_PAIRS = 64


def chain_pieces(inputs: Iterable[tuple[np.ndarray, np.ndarray]], profile: Profile) -> list[ChangePieces]:
    """Change pieces between each snapshot and the next of ``inputs`` ((states, geometries) in time order)."""
    default = default_state(profile)
    memo = InputMemo(state_codes(profile.resolution_order, default))
    prev = None
    out = []
    for states, geoms in inputs:
        inp, edges = memo.input(states, geoms, profile)
        if prev is not None:
            out.append(change_pieces((prev[0].states, prev[0].geoms), (inp.states, inp.geoms),
                                     region_between_parts(prev[1], edges), profile.resolution_order, default))
        prev = (inp, edges)
    return out


def _pieces_worker(files: list[tuple[str, GeometrySource]], profile: Profile, boundary_spec: str | None = None,
                   boundary_id: str | None = None) -> tuple[list[ChangePieces], list[Step] | None]:
    """Worker: change pieces between consecutive snapshots of one contiguous run (files in time order), and
    their figures inside the boundary when it can be rebuilt here (its id must match ``boundary_id``)."""
    out = chain_pieces((source() for _sid, source in files), profile)
    steps = None
    if boundary_id is not None:
        from ..geometry.boundary import load_boundary

        bnd = load_boundary(profile, boundary_spec)
        if bnd.id == boundary_id:
            steps = list(figures_inside(dict(enumerate(out)), bnd).values())
    from ..procs import release_memory

    release_memory()
    return out, steps


#: Pairs per worker task at most: a task's pieces travel back in one message and are held until stored.
MAX_RUN = 48


def _parallel_pieces(store: StoreBase, needed: list[tuple[str, str]], profile: Profile, executor: Executor,
                     workers: int, progress: Progress | None, boundary_spec: str | None = None,
                     boundary_id: str | None = None, method: str = "polygons"
                     ) -> tuple[dict[tuple[str, str], ChangePieces], dict[tuple[str, str], Step]]:
    """Compute the needed pairs in contiguous runs spread over the workers (with their figures inside the
    boundary when the workers can rebuild it from ``boundary_spec``). Each run's pieces are stored as it
    arrives; only those without figures are returned (memory stays a few runs' worth, not the archive's)."""
    sources = store.geometry_sources(sorted({i for pair in needed for i in pair}))  # one query (a scan) for all
    size = min(MAX_RUN, max(16, len(needed) // (4 * workers)))
    runs: list[list[tuple[str, str]]] = []
    for pair in needed:
        if runs and runs[-1][-1][1] == pair[0] and len(runs[-1]) < size:
            runs[-1].append(pair)
        else:
            runs.append([pair])
    def submit(run: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], Future]:
        chain = [run[0][0]] + [b for _, b in run]
        return run, executor.submit(_pieces_worker, [(i, sources[i]) for i in chain], profile, boundary_spec,
                                    boundary_id)

    # A bounded window of runs in flight: finished runs' pieces wait in this process until stored, so submitting
    # them all at once would hold as many as the workers finish ahead of the writer.
    pending = iter(runs)
    futures = deque(submit(run) for run in islice(pending, 2 * workers))
    out: dict[tuple[str, str], ChangePieces] = {}
    steps: dict[tuple[str, str], Step] = {}
    while futures:
        run, fut = futures.popleft()
        pieces, figures = fut.result()
        futures.extend(submit(r) for r in islice(pending, 1))
        save_pieces(store, dict(zip(run, pieces, strict=True)), method)
        if figures is not None:
            steps.update(zip(run, figures, strict=True))
        else:
            out.update(zip(run, pieces, strict=True))
        if progress:
            progress(len(run))
    return out, steps


def figures_inside(pieces: dict[tuple[str, str], ChangePieces], boundary: Boundary) -> dict[tuple[str, str], Step]:
    """Transfers and overlap change of every pair inside ``boundary``: one vectorised pass over all pieces."""
    geoms = np.array([g for p in pieces.values() for g in p.geoms], dtype=object)
    areas = areas_inside(geoms, boundary.geometry)
    out: dict[tuple[str, str], Step] = {}
    at = 0
    for pair, p in pieces.items():
        transfers, overlap_delta = figures(p, areas[at:at + len(p)])
        out[pair] = Step(transfers, overlap_delta)
        at += len(p)
    return out


def _cached_areas(store: StoreBase, ids: list[str], boundary_id: str, method: str) -> pd.DataFrame:
    return pd.DataFrame(store.area_rows(ids, boundary_id, method), columns=AREA_COLUMNS)


def save_areas(store: StoreBase, rows: list[tuple], boundary_id: str, method: str) -> None:
    store.replace_areas(pd.DataFrame(rows, columns=AREA_COLUMNS), boundary_id, method)


def save_transfers(store: StoreBase, rows: list[tuple], boundary_id: str, method: str) -> None:
    store.add_transfers(pd.DataFrame(rows, columns=TRANSFER_COLUMNS), boundary_id, method)


def resolve_whole(inp: EngineInput, profile: Profile, boundary: Boundary) -> tuple[dict[str, float], float]:
    pieces, overlap = resolve(inp.states, inp.geoms, inp.order, default_state(profile), boundary.geometry)
    keys = list(pieces)
    areas = geodesic_area_km2(np.array([pieces[k] for k in keys], dtype=object))
    return dict(zip(keys, areas.tolist(), strict=True)), overlap


def snapshot_areas(
    store: StoreBase,
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
    store: StoreBase,
    rows: pd.DataFrame,
    profile: Profile,
    boundary: Boundary,
    *,
    loaded: Mapping[str, Snapshot] | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
    workers: int = 1,
    boundary_spec: str | None = None,
    use_cache: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Areas of every snapshot in ``rows`` (catalog rows in time order) and transfers between neighbours.

    Returns (areas: snapshot_id, state, area_km2, overlap_km2; transfers: from_id, to_id, from_state,
    to_state, area_km2). Figures already in the cache are not recomputed; pairs whose change pieces are
    stored (ingest stores them) are figured from the pieces alone; the others are overlaid where the two
    snapshots differ (in worker processes when ``executor`` is given) and their pieces stored. Snapshots
    already in memory (``loaded``, e.g. during ingest) are not re-read. ``use_cache=False`` recomputes every
    figure from the pieces and writes no figures. ``boundary_spec``: how workers rebuild ``boundary`` (they
    then also compute the figures of the pairs they overlay).
    """
    ids = rows["id"].tolist()
    method = "polygons"
    kinds = set(rows["kind"]) if len(rows) else set()
    if kinds - {"polygons"}:
        raise ValueError("walk_areas handles polygon snapshots; marker snapshots are resolved one by one")
    cached_areas = _cached_areas(store, ids if use_cache else [], boundary.id, method)
    have_area = set(cached_areas["snapshot_id"])
    by_id = {sid: g for sid, g in cached_areas.groupby("snapshot_id", sort=False)} if len(cached_areas) else {}
    pairs = list(zip(ids[:-1], ids[1:], strict=True))
    done = set()
    if pairs and use_cache:
        done = store.transfer_pairs(ids[:-1], boundary.id, method)
    loaded = dict(loaded or {})
    default = default_state(profile)
    order = profile.resolution_order
    codes = state_codes(order, default)
    cache_inp: dict[str, tuple[EngineInput, PartEdges]] = {}

    memo = InputMemo(codes)

    def inputs(sid: str) -> tuple[EngineInput, PartEdges]:
        if sid not in cache_inp:
            if sid in loaded:
                f = loaded[sid].features
                cache_inp[sid] = memo.input(f["state"].to_numpy(), np.asarray(f.geometry.values, dtype=object),
                                            profile)
            else:
                cache_inp[sid] = memo.input(*store.states_and_geometry(sid), profile)
        return cache_inp[sid]

    needed = [pair for pair in pairs if pair not in done]
    # Snapshots resolved whole (the first; one whose pair's transfers are cached but its areas are not), before
    # any worker starts: this process then frees their geometry before the workers' memory adds to its own.
    needed_set = set(needed)
    whole = {sid: resolve_whole(inputs(sid)[0], profile, boundary) for i, sid in enumerate(ids)
             if sid not in have_area and (i == 0 or (ids[i - 1], sid) not in needed_set)}
    if whole and executor is not None:
        cache_inp.clear()
        memo = InputMemo(codes)
        forget_cached()
        release_memory(arrow=True)
    pieces = load_pieces(store, needed, method)
    missing = [pair for pair in needed if pair not in pieces]
    computed = 0
    steps: dict[tuple[str, str], Step] = {}
    if missing:
        if executor is not None and workers > 1 and len(missing) >= PARALLEL_MIN_PAIRS:
            fresh, steps = _parallel_pieces(store, missing, profile, executor, workers, progress, boundary_spec,
                                            boundary.id, method)  # stored as they arrive
        else:
            fresh = {}
            for a, b in missing:
                (ia, ea), (ib, eb) = inputs(a), inputs(b)
                fresh[(a, b)] = change_pieces((ia.states, ia.geoms), (ib.states, ib.geoms),
                                              region_between_parts(ea, eb), order, default)
                for old in [k for k in cache_inp if k not in (a, b)]:
                    del cache_inp[old]
                if progress:
                    progress(1)
            save_pieces(store, fresh, method)
        computed = len(missing)
        pieces.update(fresh)
    steps.update(figures_inside({pair: pieces[pair] for pair in needed if pair not in steps}, boundary))

    new_areas: list[tuple] = []
    new_transfers: list[tuple] = []
    areas: dict[str, float] = {}
    overlap = 0.0
    out_areas: list[tuple] = []
    for i, sid in enumerate(ids):
        cached_here = sid in have_area
        step = steps.get((ids[i - 1], sid)) if i > 0 else None
        if step is not None:
            prev = ids[i - 1]
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
        elif not cached_here:
            # The first snapshot, or a pair computed before whose snapshot areas were not kept: resolved whole.
            areas, overlap = whole[sid]
            new_areas.extend((sid, s, a, overlap) for s, a in areas.items())
        if cached_here:
            mine = by_id[sid]
            areas = dict(zip(mine["state"], mine["area_km2"], strict=True))
            overlap = float(mine["overlap_km2"].iloc[0]) if len(mine) else 0.0
        out_areas.extend((sid, s, a, overlap) for s, a in areas.items())
    if progress and len(ids) > computed:
        progress(len(ids) - computed)
    area_frame = pd.DataFrame(out_areas, columns=["snapshot_id", "state", "area_km2", "overlap_km2"])
    columns = TRANSFER_COLUMNS
    if not use_cache:
        fresh_t = pd.DataFrame([t for t in new_transfers if t[2]], columns=columns)
        return area_frame, fresh_t.reset_index(drop=True)
    save_areas(store, new_areas, boundary.id, method)
    save_transfers(store, new_transfers, boundary.id, method)
    transfer_frame = pd.DataFrame(columns=columns)
    if pairs:
        cached_t = store.transfer_frame(ids[:-1], boundary.id, method)
        pair_set = set(pairs)
        keep = [(f, t) in pair_set for f, t in zip(cached_t["from_id"], cached_t["to_id"], strict=True)]
        transfer_frame = cached_t[keep]
    return area_frame, transfer_frame.reset_index(drop=True)
