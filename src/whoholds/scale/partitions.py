"""The partition side of :mod:`whoholds.scale` (the driver is :mod:`whoholds.scale.driver`): planning the
runs of sources and the task each runs.

Kept apart from the driver because this is what every Dask worker executes: :func:`plan_partitions` cuts
the time-sorted sources into contiguous runs, :func:`run_partition` walks one run with the library's engine
and sends back only small records (:class:`SnapshotFigures`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from ..errors import InputError
from ..geometry.boundary import Boundary
from ..io import date_from_name, iter_sources, read_source
from ..io.sources import Source, strip_compression
from ..profiles import Profile
from ..types import Snapshot


# ---- what a partition sends back ----------------------------------------------------------------------
@dataclass
class SnapshotFigures:
    """Areas of one snapshot as computed in a partition (small: this is what travels to the driver)."""

    order: tuple[int, int]  # (position of the source in the input, position of the snapshot in the source)
    snapshot_id: str
    date: dt.date
    timestamp: dt.datetime | None
    source: str
    kind: str
    areas: dict[str, float]
    overlap_km2: float
    method: str
    #: The snapshot without geometry (``features`` holds only the ``state`` column), for the catalog.
    stub: Snapshot | None = None


@dataclass
class PartitionResult:
    figures: list[SnapshotFigures] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def _sort_key(item: tuple[int, Source]) -> tuple:
    """Time in the source's name (date, time), else after every dated source, in input order."""
    index, source = item
    try:
        day, stamp = date_from_name(source.name)
    except InputError:
        day, stamp = None, None
    if day is None:
        return (1, dt.date.max, dt.datetime.max, index)
    return (0, day, (stamp.replace(tzinfo=None) if stamp else dt.datetime.min), index)


def plan_partitions(paths: Sequence[str | Path], partitions: int, errors: list[InputError] | None = None, *,
                    spill: Path | None = None) -> list[list[tuple[int, Source]]]:
    """The sources of ``paths`` sorted by the time in their names and cut into ``partitions`` contiguous runs
    (each item is ``(input position, Source)``).

    Members of archives arrive as bytes; with ``spill`` (a folder the workers can read) each is written there
    as it is read, so the driver never holds a whole archive in memory and the tasks carry paths, not bytes.
    The source keeps its name (``archive.tar.xz::member``), hence its date, provenance and content hash.
    """
    items = []
    for i, source in enumerate(iter_sources(list(paths), errors=errors)):
        if spill is not None and source.data is not None and source.fmt != "shp":
            base = strip_compression(PurePosixPath(source.name.split("::")[-1]).name)[0]
            file = Path(spill) / f"{i:07d}-{base}"
            file.write_bytes(source.data)
            source = Source(name=source.name, data=None, path=file, fmt=source.fmt)
        items.append((i, source))
    items.sort(key=_sort_key)
    if not items:
        return []
    n = max(1, min(int(partitions), len(items)))
    bounds = np.linspace(0, len(items), n + 1).round().astype(int)
    return [items[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


# ---- the worker -------------------------------------------------------------------------------------------
def _stub(snapshot: Snapshot) -> Snapshot:
    import pandas as pd

    return dataclasses.replace(snapshot, features=pd.DataFrame({"state": snapshot.features["state"].to_numpy()}))


def run_partition(
    items: Iterable[tuple[int, Source]],
    profile: Profile,
    boundary: Boundary | None,
    *,
    files: Path | None = None,
    date: dt.date | None = None,
    unlabelled_state: str | None = None,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
) -> PartitionResult:
    """Read a contiguous run of sources and compute every snapshot's areas (one Dask task).

    With ``files`` (a store's ``snapshots`` folder; :func:`dask_ingest`) each snapshot's GeoParquet file is
    written there and the results carry catalog stubs instead of areas: the ingest computes the areas
    afterwards, over the whole archive in date ranges (:mod:`whoholds.scale.areas`).
    """
    from ..store import atomic_write_parquet, snapshot_key

    out = PartitionResult()
    walk = _AreaWalk(profile, boundary, marker_method, max_distance_km) if files is None else None
    for index, source in items:
        try:
            snaps = read_source(source, profile, date, unlabelled_state=unlabelled_state)
        except InputError as exc:
            out.errors.append(exc)
            continue
        for j, snap in enumerate(snaps):
            sid = snapshot_key(snap)
            areas, overlap, method = {}, 0.0, ""
            if files is not None:
                path = Path(files) / f"{sid}.parquet"
                if not path.exists():
                    atomic_write_parquet(snap.features, path)
            else:
                areas, overlap, method = walk.next(snap)
            out.figures.append(SnapshotFigures(
                order=(index, j), snapshot_id=sid, date=snap.date, timestamp=snap.timestamp, source=snap.source,
                kind=snap.kind, areas=areas, overlap_km2=float(overlap), method=method,
                stub=_stub(snap) if files is not None else None,
            ))
    return out


class _AreaWalk:
    """The library's engine over a run of snapshots: the first polygon snapshot resolved whole, every next
    one only where its edges differ from the previous one; marker snapshots resolved one by one."""

    def __init__(self, profile: Profile, boundary: Boundary, marker_method: str, max_distance_km: float | None):
        from ..geometry.diff import state_codes
        from ..geometry.layers import default_state

        self.profile, self.boundary = profile, boundary
        self.marker_method, self.max_distance_km = marker_method, max_distance_km
        self.default = default_state(profile)
        self.codes = state_codes(profile.resolution_order, self.default)
        self.prev: tuple[Any, Any, dict[str, float], float] | None = None  # (input, edges, areas, overlap)

    def next(self, snap: Snapshot) -> tuple[dict[str, float], float, str]:
        from ..geometry.diff import EdgeSet, compare, region_between
        from ..geometry.layers import engine_input
        from ..metrics.areas import resolve_whole

        profile, boundary = self.profile, self.boundary
        if snap.kind == "markers":
            inp = engine_input(snap, profile, boundary, marker_method=self.marker_method,
                               max_distance_km=self.max_distance_km)
            areas, overlap = resolve_whole(inp, profile, boundary)
            return areas, overlap, inp.method
        inp = engine_input(snap, profile, boundary)
        for s in np.unique(inp.states):
            self.codes.setdefault(str(s), len(self.codes) + 1)
        edges = EdgeSet.of(inp.states, inp.geoms, self.codes)
        if self.prev is None:
            areas, overlap = resolve_whole(inp, profile, boundary)
        else:
            p_inp, p_edges, p_areas, p_overlap = self.prev
            step = compare((p_inp.states, p_inp.geoms), (inp.states, inp.geoms), region_between(p_edges, edges),
                           boundary.geometry, profile.resolution_order, self.default)
            areas = dict(p_areas)
            for (src, dst), v in step.transfers.items():
                areas[src] = areas.get(src, 0.0) - v
                areas[dst] = areas.get(dst, 0.0) + v
            areas = {s: v for s, v in areas.items() if v > 1e-9}
            overlap = p_overlap + step.overlap_delta
        self.prev = (inp, edges, areas, overlap)
        return areas, overlap, inp.method
