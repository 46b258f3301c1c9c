"""Scale out on Dask: territory shares (and ingest) of large archives, computed in parallel.

The sources of an archive (files, folders, tarballs -- whatever :func:`whoholds.io.iter_sources` expands) are
sorted by the time in their names and cut into contiguous runs, one Dask task each. A task reads its
sources with :func:`whoholds.io.read_source` and walks them with the library's engine: its first snapshot is
resolved whole (:func:`whoholds.metrics.areas.resolve_whole`), every next one only where its edges differ
from the previous one (:mod:`whoholds.geometry.diff`), so the cost of a task grows with what changed, not
with the size of the maps. Only small records (ids, dates, areas per state) travel back to the driver. The
task side (planning and the walk) is :mod:`whoholds.scale.partitions`; this module is the driver.

* :func:`dask_shares` -- ``shares(..., all_dates=True)`` straight from map files, no store needed; the same
  columns, the same figures (the engine is the same; runs start from a whole resolve, which agrees with
  the incremental chain to ~1e-9 km²), the same snapshot ids as an ingest would give.
* :func:`dask_ingest` -- workers read the maps and write the snapshots' GeoParquet files; the driver alone
  writes the catalog (DuckDB allows one writer); then the areas and transfers of the whole archive are
  computed on Dask in date ranges (:func:`whoholds.scale.areas.dask_areas`), so ``whoholds shares --all``
  and ``whoholds timeline`` are lookups afterwards.

Where it runs (:mod:`whoholds.scale.cluster`): a ``dask.distributed.Client`` -- of a ``LocalCluster`` or of a
cluster at ``tcp://HOST:8786`` -- or one of dask's local schedulers by name ("processes", "threads",
"synchronous"). To run on a cluster::

    pip install "whoholds[dask]"               # on the driver and on every worker
    dask scheduler                             # on one machine: prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 1   # on each worker machine

    from whoholds.scale import dask_shares, open_scheduler
    with open_scheduler("tcp://HOST:8786") as client:   # open_scheduler(None, workers=8): a LocalCluster
        frame = dask_shares(["/data/deepstate_raw_feed_all.tar.xz"], "ukraine", scheduler=client)

or from the command line ``whoholds dask shares PATH... --scheduler tcp://HOST:8786``. Files and folders
must be readable by the workers under the same paths (a shared file system). Members of an archive are
read by the driver and unpacked into ``spill_dir`` (a temporary folder with a cluster on this machine; on a
remote cluster pass a shared folder, or the bytes travel inside the tasks). For :func:`dask_ingest` the
store folder must be shared too (the workers write the snapshot files into it). About four runs per worker
core: each run pays one whole resolve, and more runs balance the load better.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, QueryError, StoreError
from ..geometry.boundary import Boundary, load_boundary
from ..ingest import IngestReport
from ..io.sources import Source
from ..profiles import Profile, load_profile
from .areas import AreasReport
from .cluster import Progress, check_scheduler, cores, is_client, run_tasks
from .partitions import PartitionResult, SnapshotFigures, plan_partitions, run_partition

__all__ = ["dask_ingest", "dask_shares", "plan_partitions"]

#: Snapshots per catalog transaction in :func:`dask_ingest` (as in ``whoholds.ingest``).
BATCH = 256


@dataclass
class DaskIngestReport(IngestReport):
    """What :func:`dask_ingest` did: an ingest's report, the area phase's and the wall time."""

    areas: AreasReport = field(default_factory=AreasReport)
    seconds: float = 0.0


def _local_cluster(client: Any) -> bool:
    """A client of a cluster on this machine (its workers see this machine's temporary folders)."""
    info = getattr(client, "scheduler_info", None)
    address = str(getattr(getattr(client, "scheduler", None), "address", "") or "")
    if not address and callable(info):
        try:
            address = str(info().get("address", ""))
        except Exception:
            address = ""
    return any(host in address for host in ("127.0.0.1", "localhost", "inproc://"))


@contextmanager
def _spill_folder(scheduler: Any, spill_dir: str | Path | None) -> Iterator[Path | None]:
    """Where archive members go: ``spill_dir``; else a temporary folder when the workers run on this
    machine; else (a remote cluster without a shared folder) nowhere -- the bytes travel with the tasks."""
    if spill_dir is not None:
        folder = Path(spill_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="whoholds-spill-", dir=folder) as tmp:
            yield Path(tmp)
    elif not is_client(scheduler) or _local_cluster(scheduler):
        with tempfile.TemporaryDirectory(prefix="whoholds-spill-") as tmp:
            yield Path(tmp)
    else:
        yield None


# ---- the driver -------------------------------------------------------------------------------------------
def _profile(profile: Profile | str) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(str(profile))


def _boundary(profile: Profile, boundary: Boundary | str | None) -> Boundary:
    return boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)


def _default_partitions(scheduler: Any, workers: int | None) -> int:
    return 4 * cores(scheduler, workers)


def _compute(plan: list[list[tuple[int, Source]]], scheduler: Any, workers: int | None,
             progress: Progress | None, **kwargs: Any) -> PartitionResult:
    """One task per planned run of sources; progress counts sources."""
    parts = run_tasks(scheduler, run_partition, plan, workers=workers, weights=[len(p) for p in plan],
                      phase="reading maps", progress=progress, **kwargs)
    merged = PartitionResult()
    for part in parts:
        merged.figures.extend(part.figures)
        merged.errors.extend(part.errors)
    merged.figures.sort(key=lambda f: f.order)
    return merged


def _raise_first(errors: list[InputError]) -> None:
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more unreadable inputs)" if len(errors) > 1 else ""
        raise InputError(first.source, first.problem + more)


def _current(figures: list[SnapshotFigures]) -> list[SnapshotFigures]:
    """What ``Store.current`` would list after ingesting these in input order: one snapshot per (date, time)
    slot -- the last one given -- in time order (undated times first)."""
    slots: dict[tuple[dt.date, dt.datetime | None], SnapshotFigures] = {}
    for f in figures:  # input order: a later different snapshot of a slot is a newer version
        slots[(f.date, f.timestamp)] = f
    return sorted(slots.values(), key=lambda f: (f.date, f.timestamp is not None,
                                                 f.timestamp.replace(tzinfo=None) if f.timestamp else dt.datetime.min))


def dask_shares(
    paths: Sequence[str | Path] | str | Path,
    profile: Profile | str,
    *,
    by: str = "actor",
    boundary: Boundary | str | None = None,
    partitions: int | None = None,
    scheduler: Any = "processes",
    workers: int | None = None,
    date: dt.date | None = None,
    unlabelled_state: str | None = None,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
    errors: list[InputError] | None = None,
    spill_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> Any:
    """Shares of every snapshot in ``paths`` computed on Dask: the columns of ``shares(..., all_dates=True)``.

    ``partitions``: contiguous runs of the time-sorted sources (default: 4 per worker core). ``scheduler``:
    a ``dask.distributed.Client`` or "processes" | "threads" | "synchronous" (see the module docstring).
    ``workers``: size of a local pool. Unreadable inputs raise the first one's :class:`InputError`
    unless ``errors`` is given, in which case they are appended to it and the others are counted.
    ``date`` and ``unlabelled_state`` are those of ``whoholds ingest``. ``spill_dir``: where members of
    archives are unpacked for the workers (default: a temporary folder when the workers run on this
    machine; with a remote cluster give a folder every worker can read, else the bytes travel inside the
    tasks). ``progress(phase, done, total)`` is called as each task ends (units: sources).
    """
    import pandas as pd

    from ..metrics.changes import check_by
    from ..metrics.shares import SHARE_COLUMNS, share_rows

    check_by(by)
    prof = _profile(profile)
    bnd = _boundary(prof, boundary)
    if unlabelled_state is not None and unlabelled_state not in prof.state_by_id:
        raise InputError("--unlabelled-state", f"{unlabelled_state!r} is not a state of profile {prof.id}")
    sched = check_scheduler(scheduler)
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    found: list[InputError] = []
    with _spill_folder(sched, spill_dir) as spill:
        plan = plan_partitions(paths, partitions or _default_partitions(sched, workers), found, spill=spill,
                               progress=progress)
        if not plan:
            _raise_first(found)
            raise InputError(", ".join(map(str, paths)) or "(no paths)", "no maps found")
        result = _compute(plan, sched, workers, progress, profile=prof, boundary=bnd, date=date,
                          unlabelled_state=unlabelled_state, marker_method=marker_method,
                          max_distance_km=max_distance_km)
    found += result.errors
    if errors is None:
        _raise_first(found)
    else:
        errors.extend(found)
    if not result.figures:
        raise QueryError(", ".join(map(str, paths)), "no snapshot could be read")
    rows: list[dict] = []
    total = bnd.area_km2
    chosen = _current(result.figures)
    for f in [f for f in chosen if f.kind != "markers"] + [f for f in chosen if f.kind == "markers"]:
        rows += share_rows(f.areas, f.overlap_km2, prof, by, bnd, total, f.date, f.snapshot_id, f.source, f.method)
    frame = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    return frame.sort_values(["date", "area_km2"], ascending=[True, False], kind="stable").reset_index(drop=True)


def dask_ingest(
    paths: Sequence[str | Path] | str | Path,
    profile: Profile | str,
    store: Any,
    date: dt.date | None = None,
    *,
    unlabelled_state: str | None = None,
    boundary: str | None = None,
    partitions: int | None = None,
    scheduler: Any = "processes",
    workers: int | None = None,
    update_areas: bool = True,
    progress: Progress | None = None,
    spill_dir: str | Path | None = None,
) -> DaskIngestReport:
    """``whoholds.ingest.ingest`` on Dask: the same report (:class:`~whoholds.ingest.IngestReport`), plus the
    area phase's (:class:`~whoholds.scale.areas.AreasReport`) and the wall time.

    Workers read the maps and write the snapshot files into ``store.files`` (atomic, as ingest does); this
    process writes the catalog in input order (one transaction per batch, so versions come out as with
    ``ingest``); then, with ``update_areas``, the areas of every polygon snapshot and the transfers of every
    consecutive pair are computed on Dask in date ranges and cached. ``boundary`` is the override of
    ``load_boundary`` (a file or ``natural-earth:ISO3[:pov]``); the cache is keyed by it. ``spill_dir`` as
    for :func:`dask_shares`.
    """
    from .areas import dask_areas

    if store.files is None:  # the workers write snapshot files; a database store takes its features from put_many
        raise StoreError(store.path, "`dask ingest` writes snapshot files: ingest into a store folder, then "
                                     "`whoholds store copy FOLDER postgresql://...` (or use `whoholds ingest`)")
    started = time.perf_counter()
    prof = _profile(profile)
    if unlabelled_state is not None and unlabelled_state not in prof.state_by_id:
        raise InputError("--unlabelled-state", f"{unlabelled_state!r} is not a state of profile {prof.id} "
                                               f"(states: {', '.join(prof.state_by_id)})")
    load_boundary(prof, boundary)  # a bad --boundary fails before any work
    sched = check_scheduler(scheduler)
    report = DaskIngestReport()
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    with _spill_folder(sched, spill_dir) as spill:
        plan = plan_partitions(paths, partitions or _default_partitions(sched, workers), report.errors, spill=spill,
                               progress=progress)
        report.sources = sum(len(p) for p in plan)
        if plan:
            result = _compute(plan, sched, workers, progress, profile=prof, boundary=None, files=store.files,
                              date=date, unlabelled_state=unlabelled_state)
            report.errors.extend(result.errors)
            stubs = [f.stub for f in result.figures]
            for i in range(0, len(stubs), BATCH):
                report.results.extend(store.put_many(stubs[i:i + BATCH]))
                if progress:
                    progress("writing the catalog", 0, len(stubs))
            for s in stubs:
                report.unmapped.update(s.unmapped)
                report.repairs.update(s.repairs)
                report.dropped.update(s.dropped)
            if update_areas and any(f.kind == "polygons" for f in result.figures):
                report.areas = dask_areas(store, prof, sched, boundary=boundary, workers=workers, progress=progress)
    report.seconds = time.perf_counter() - started
    return report
