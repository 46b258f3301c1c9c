"""Scale out on Dask: territory shares (and ingest) of large archives, computed in parallel.

The sources of an archive (files, folders, tarballs -- whatever :func:`whoholds.io.iter_sources` expands) are
sorted by the time in their names and cut into contiguous runs, one ``dask.bag`` partition each. A partition
reads its sources with :func:`whoholds.io.read_source` and walks them with the library's engine: its first
snapshot is resolved whole (:func:`whoholds.metrics.areas.resolve_whole`), every next one only where its edges
differ from the previous one (:class:`~whoholds.geometry.diff.EdgeSet`,
:func:`~whoholds.geometry.diff.region_between`, :func:`~whoholds.geometry.diff.compare`), so the cost of a
partition grows with what changed, not with the size of the maps. Only small records (ids, dates, areas per
state) travel back to the driver. That partition side (planning and the task) is
:mod:`whoholds.scale.partitions`; this module is the driver.

* :func:`dask_shares` -- ``shares(..., all_dates=True)`` straight from map files, no store needed; the same
  columns, the same figures (the engine is the same; partitions start from a whole resolve, which agrees with
  the incremental chain to ~1e-9 km²), the same snapshot ids as an ingest would give.
* :func:`dask_ingest` -- workers read the maps and write the snapshots' GeoParquet files; the driver alone
  writes the DuckDB catalog (DuckDB allows one writer) and the area cache, then fills in the few transfers
  between partitions, so ``whoholds shares --all`` and ``whoholds timeline`` are lookups afterwards.

Schedulers: ``"processes"`` (default; a local pool, one Python process per core), ``"threads"`` (the GEOS
work releases the GIL only in part), ``"synchronous"`` (one thread, for debugging), or a
``dask.distributed.Client``. To run on a cluster::

    pip install "dask[distributed]"           # on the driver and on every worker
    dask scheduler                             # on one machine: prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 1   # on each worker machine (whoholds installed there too)

    from dask.distributed import Client
    from whoholds.scale import dask_shares
    client = Client("tcp://HOST:8786")          # or Client(LocalCluster(n_workers=8, threads_per_worker=1))
    frame = dask_shares(["/data/deepstate_raw_feed_all.tar.xz"], "ukraine", scheduler=client, partitions=64)

or from the command line ``whoholds dask shares PATH... --scheduler tcp://HOST:8786``. Files and folders
must be readable by the workers under the same paths (a shared file system). Members of an archive are
read by the driver and unpacked into ``spill_dir`` (a temporary folder with the local schedulers; on a
cluster pass a shared folder, or the bytes travel inside the tasks). For :func:`dask_ingest` the store
folder must be shared too (the workers write the snapshot files into it). Give about four partitions per
worker core: each partition pays one whole resolve, and more partitions balance the load better.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, QueryError
from ..geometry.boundary import Boundary, load_boundary
from ..io.sources import Source
from ..profiles import Profile, load_profile
from .partitions import PartitionResult, SnapshotFigures, plan_partitions, run_partition

__all__ = ["SCHEDULERS", "dask_ingest", "dask_shares", "plan_partitions"]

#: Scheduler names accepted besides a ``dask.distributed.Client``.
SCHEDULERS = ("processes", "threads", "synchronous")
_ALIASES = {"sync": "synchronous", "single-threaded": "synchronous", "multiprocessing": "processes"}
#: Snapshots per catalog transaction in :func:`dask_ingest` (as in ``whoholds.ingest``).
BATCH = 256


@contextmanager
def _spill_folder(scheduler: Any, spill_dir: str | Path | None) -> Iterator[Path | None]:
    """Where archive members go: ``spill_dir``; else a temporary folder for the local schedulers; else (a
    cluster without a shared folder) nowhere -- the bytes travel with the tasks."""
    if spill_dir is not None:
        folder = Path(spill_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="whoholds-spill-", dir=folder) as tmp:
            yield Path(tmp)
    elif isinstance(scheduler, str) or scheduler is None:
        with tempfile.TemporaryDirectory(prefix="whoholds-spill-") as tmp:
            yield Path(tmp)
    else:
        yield None


# ---- the driver -------------------------------------------------------------------------------------------
def _profile(profile: Profile | str) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(str(profile))


def _boundary(profile: Profile, boundary: Boundary | str | None) -> Boundary:
    return boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)


def _scheduler(scheduler: Any) -> Any:
    if scheduler is None or not isinstance(scheduler, str):
        return scheduler  # dask's default, or a dask.distributed Client (anything with .get)
    name = _ALIASES.get(scheduler.strip().lower(), scheduler.strip().lower())
    if name not in SCHEDULERS:
        raise InputError("--scheduler", f"unknown scheduler {scheduler!r} (use {', '.join(SCHEDULERS)}, "
                                        "or a dask.distributed Client / tcp:// address)")
    return name


def _default_partitions(scheduler: Any, workers: int | None) -> int:
    cores = workers
    if cores is None and hasattr(scheduler, "nthreads"):
        try:
            cores = sum(scheduler.nthreads().values())
        except Exception:  # a Client that cannot answer: fall back to this machine
            cores = None
    return 4 * max(1, cores or os.cpu_count() or 1)


def _run_runs(runs: Iterable[list[tuple[int, Source]]], **kwargs: Any) -> list[PartitionResult]:
    """A bag partition holds one planned run (``partition_size=1``); the walk is :func:`run_partition`."""
    return run_partition([item for run in runs for item in run], **kwargs)


def _compute(plan: list[list[tuple[int, Source]]], scheduler: Any, workers: int | None,
             **kwargs: Any) -> PartitionResult:
    import dask.bag as db

    tasks = db.from_sequence(plan, partition_size=1).map_partitions(_run_runs, **kwargs)
    options: dict[str, Any] = {"scheduler": scheduler}
    if workers and scheduler in ("processes", "threads"):
        options["num_workers"] = int(workers)
    if scheduler == "processes":
        options["chunksize"] = 1  # dask batches 6 tasks per worker by default: a few big tasks would share one
    merged = PartitionResult()
    for part in tasks.compute(**options):
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
) -> pd.DataFrame:
    """Shares of every snapshot in ``paths`` computed on Dask: the columns of ``shares(..., all_dates=True)``.

    ``partitions``: contiguous runs of the time-sorted sources (default: 4 per worker core). ``scheduler``:
    "processes" | "threads" | "synchronous" | a ``dask.distributed.Client`` (see the module docstring).
    ``workers``: size of the local pool. Unreadable inputs raise the first one's :class:`InputError`
    unless ``errors`` is given, in which case they are appended to it and the others are counted.
    ``date`` and ``unlabelled_state`` are those of ``whoholds ingest``. ``spill_dir``: where members of
    archives are unpacked for the workers (default: a temporary folder with the local schedulers; with a
    cluster give a folder every worker can read, else the bytes travel inside the tasks).
    """
    from ..metrics.changes import check_by
    from ..metrics.shares import SHARE_COLUMNS, share_rows

    check_by(by)
    prof = _profile(profile)
    bnd = _boundary(prof, boundary)
    if unlabelled_state is not None and unlabelled_state not in prof.state_by_id:
        raise InputError("--unlabelled-state", f"{unlabelled_state!r} is not a state of profile {prof.id}")
    sched = _scheduler(scheduler)
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    found: list[InputError] = []
    with _spill_folder(sched, spill_dir) as spill:
        plan = plan_partitions(paths, partitions or _default_partitions(sched, workers), found, spill=spill)
        if not plan:
            _raise_first(found)
            raise InputError(", ".join(map(str, paths)) or "(no paths)", "no maps found")
        result = _compute(plan, sched, workers, profile=prof, boundary=bnd, date=date,
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
    progress: Callable[[str], None] | None = None,
    spill_dir: str | Path | None = None,
) -> Any:
    """``whoholds.ingest.ingest`` on Dask: returns the same :class:`~whoholds.ingest.IngestReport`.

    Workers read the maps, write the snapshot files into ``store.files`` (atomic, as ingest does) and compute
    the areas; this process writes the catalog in input order (one transaction per batch, so versions come
    out as with ``ingest``), caches the areas and the transfers inside each partition, and -- with
    ``update_areas`` -- lets :func:`whoholds.ingest.refresh_areas` compute the few pairs between partitions.
    ``boundary`` is the override of ``load_boundary`` (a file or ``natural-earth:ISO3[:pov]``); the cache is
    keyed by it. ``spill_dir`` as for :func:`dask_shares`.
    """
    from ..ingest import IngestReport, refresh_areas
    from ..metrics.areas import method_key, save_areas, save_transfers

    step = progress or (lambda _msg: None)
    prof = _profile(profile)
    if unlabelled_state is not None and unlabelled_state not in prof.state_by_id:
        raise InputError("--unlabelled-state", f"{unlabelled_state!r} is not a state of profile {prof.id} "
                                               f"(states: {', '.join(prof.state_by_id)})")
    bnd = load_boundary(prof, boundary)
    sched = _scheduler(scheduler)
    report = IngestReport()
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    step("listing the maps")
    with _spill_folder(sched, spill_dir) as spill:
        plan = plan_partitions(paths, partitions or _default_partitions(sched, workers), report.errors, spill=spill)
        if not plan:
            return report
        report.sources = sum(len(p) for p in plan)
        step(f"reading {report.sources} maps in {len(plan)} partitions")
        result = _compute(plan, sched, workers, profile=prof, boundary=bnd, files=store.files, date=date,
                          unlabelled_state=unlabelled_state)
    report.errors.extend(result.errors)
    step(f"writing the catalog of {len(result.figures)} snapshots")
    stubs = [f.stub for f in result.figures]
    for i in range(0, len(stubs), BATCH):
        report.results.extend(store.put_many(stubs[i:i + BATCH]))
    for s in stubs:
        report.unmapped.update(s.unmapped)
        report.repairs.update(s.repairs)
        report.dropped.update(s.dropped)
    step("caching areas and transfers")
    for kind in ("polygons", "markers"):
        method = method_key(kind, "voronoi-capped", None)
        save_areas(store, [(f.snapshot_id, s, a, f.overlap_km2) for f in result.figures if f.kind == kind
                           for s, a in f.areas.items()], bnd.id, method)
    pairs = [f for f in result.figures if f.previous_id and f.previous_id != f.snapshot_id]
    known = set()
    if pairs:
        known = set(store.con.execute(
            "SELECT DISTINCT from_id, to_id FROM transfers WHERE boundary_id = ? AND method = 'polygons' "
            "AND from_id IN (SELECT unnest(?))", [bnd.id, sorted({f.previous_id for f in pairs})]).fetchall())
    rows: list[tuple] = []
    for f in pairs:
        if (f.previous_id, f.snapshot_id) in known:
            continue
        known.add((f.previous_id, f.snapshot_id))
        rows += [(f.previous_id, f.snapshot_id, a, b, v) for (a, b), v in (f.transfers or {}).items()]
        if not f.transfers:
            rows.append((f.previous_id, f.snapshot_id, "", "", 0.0))  # computed: nothing changed hands
    save_transfers(store, rows, bnd.id, "polygons")
    if update_areas and any(f.kind == "polygons" for f in result.figures):
        step("linking the partitions")
        refresh_areas(store, prof, boundary=boundary)
    return report
