"""Areas per snapshot and transfers per pair of snapshots, for the timeline: from the store's cache when
they are there, else computed (by the incremental engine, :func:`whoholds.metrics.areas.walk_areas`) and cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ..geometry.boundary import Boundary
from ..profiles import Profile

Progress = Callable[[int], None]


class AreaWalker:
    """Areas per snapshot and transfers per pair, from the store's cache or computed (and cached)."""

    def __init__(self, store: Any, profile: Profile, boundary: Boundary, progress: Progress | None,
                 workers: int | None, boundary_spec: str | None, use_cache: bool = True) -> None:
        self.store, self.profile, self.boundary = store, profile, boundary
        self.use_cache = use_cache
        self.progress = progress
        self.workers = workers
        self.boundary_spec = boundary_spec
        self.areas: dict[str, dict[str, float]] = {}
        self.transfers: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
        self._layers: dict[str, Any] = {}
        self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self, n_pairs: int) -> tuple[Any, int]:
        workers = self.workers or 1
        if workers <= 1 or n_pairs < 64 or not _spawn_safe():
            return None, 1
        if self._executor is None:
            from ..procs import worker_pool

            self._executor = worker_pool(workers)  # workers die with this process
        return self._executor, workers

    def walk(self, rows: pd.DataFrame) -> None:
        """Fill areas of every row and transfers of every consecutive pair of ``rows`` (time order)."""
        if rows.empty:
            return
        ids = rows["id"].tolist()
        pairs = [p for p in zip(ids[:-1], ids[1:], strict=True) if p[0] != p[1]]
        if self._complete(ids, pairs):
            return
        if (rows["kind"] == "markers").any():
            self._walk_slow(rows)
            return
        self.read_cache([i for i in ids if i not in self.areas], [p for p in pairs if p not in self.transfers])
        if self._complete(ids, pairs):
            return
        from .areas import walk_areas

        executor, workers = self._pool(len(pairs))
        areas, transfers = walk_areas(self.store, rows, self.profile, self.boundary, progress=self.progress,
                                      executor=executor, workers=workers, boundary_spec=self.boundary_spec,
                                      use_cache=self.use_cache)
        self._take(areas, transfers, pairs)

    def walk_pairs(self, rows: pd.DataFrame, pairs: list[tuple[int, int]]) -> None:
        """Transfers between the given (row index, row index) pairs of ``rows``, which need not be neighbours."""
        ids = rows["id"].to_numpy()
        wanted = [(ids[i], ids[j]) for i, j in pairs]
        self.read_cache([], [p for p in wanted if p not in self.transfers])
        for (i, j), key in zip(pairs, wanted, strict=True):
            if key not in self.transfers:
                self.walk(rows.iloc[[i, j]])

    def _complete(self, ids: list[str], pairs: list[tuple[str, str]]) -> bool:
        return all(i in self.areas for i in ids) and all(p in self.transfers for p in pairs)

    def read_cache(self, ids: list[str], pairs: list[tuple[str, str]]) -> None:
        """Areas and transfers already in the store's cache (tables ``areas`` and ``transfers``)."""
        con = getattr(self.store, "con", None)
        if con is None or (not ids and not pairs) or not self.use_cache:
            return
        from .areas import method_key

        method = method_key("polygons", "", None)
        if ids:
            got = con.execute(
                "SELECT snapshot_id, state, area_km2 FROM areas WHERE boundary_id = ? AND method = ? "
                "AND snapshot_id IN (SELECT unnest(?))", [self.boundary.id, method, ids]).df()
            for sid, state, area in zip(got["snapshot_id"].tolist(), got["state"].tolist(),
                                        got["area_km2"].tolist(), strict=True):
                self.areas.setdefault(sid, {})[state] = float(area)
        if pairs:
            got = con.execute(
                "SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE boundary_id = ? AND "
                "method = ? AND from_id IN (SELECT unnest(?))",
                [self.boundary.id, method, sorted({a for a, _ in pairs})]).df()
            wanted = set(pairs)
            keys = list(zip(got["from_id"].tolist(), got["to_id"].tolist(), strict=True))
            for key, src, dst, area in zip(keys, got["from_state"].tolist(), got["to_state"].tolist(),
                                           got["area_km2"].tolist(), strict=True):
                if key not in wanted:
                    continue
                entry = self.transfers.setdefault(key, {})  # a pair with no change is cached as one empty row
                if src and src != dst:
                    entry[(src, dst)] = entry.get((src, dst), 0.0) + float(area)

    def _take(self, areas: pd.DataFrame, transfers: pd.DataFrame, pairs: list[tuple[str, str]]) -> None:
        # Plain lists, not groupby/itertuples: this runs over every row of an archive.
        for sid, state, area in zip(areas["snapshot_id"].tolist(), areas["state"].tolist(),
                                    areas["area_km2"].tolist(), strict=True):
            self.areas.setdefault(sid, {})[state] = float(area)
        fresh: dict[tuple[str, str], dict[tuple[str, str], float]] = {p: {} for p in pairs}
        for a, b, src, dst, area in zip(transfers["from_id"].tolist(), transfers["to_id"].tolist(),
                                        transfers["from_state"].tolist(), transfers["to_state"].tolist(),
                                        transfers["area_km2"].tolist(), strict=True):
            entry = fresh.get((a, b))
            if entry is not None and src and src != dst:
                entry[(src, dst)] = entry.get((src, dst), 0.0) + float(area)
        self.transfers.update(fresh)

    def _walk_slow(self, rows: pd.DataFrame) -> None:
        """Marker snapshots (cells estimated per snapshot): whole layers and full overlays."""
        from ..geometry.layers import state_layers
        from .changes import transfer_between

        def layers(sid: str) -> Any:
            if sid not in self._layers:
                self._layers[sid] = state_layers(self.store.get(sid), self.profile, self.boundary)
            return self._layers[sid]

        ids = rows["id"].tolist()
        for i, sid in enumerate(ids):
            lay = layers(sid)
            self.areas[sid] = lay.areas()
            if i and ids[i - 1] != sid and (ids[i - 1], sid) not in self.transfers:
                res = transfer_between(layers(ids[i - 1]), lay, self.profile, "state")
                m = res.state_matrix
                self.transfers[(ids[i - 1], sid)] = {
                    (a, b): float(m.loc[a, b]) for a in m.index for b in m.columns if a != b and m.loc[a, b] > 1e-9
                }
            if self.progress:
                self.progress(1)

    def gross(self, a: str, b: str) -> float:
        return float(sum(self.transfers.get((a, b), {}).values()))


def _spawn_safe() -> bool:
    """Worker processes are started with "spawn", which re-imports ``__main__`` from its file."""
    import os
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return bool(path) and os.path.exists(path)
