"""Ingest: read control maps (files, folders, archives) and store them as dated snapshots.

Reading and writing each snapshot's GeoParquet file run in worker processes; the catalog is written by
this process only, one transaction per snapshot, in the order of the inputs. After the new snapshots are
in, the areas of the whole sequence are brought up to date incrementally (see ``metrics.areas``) so that
``shares --all`` and timelines are lookups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from .errors import InputError
from .io import iter_sources, load_bytes, read_source
from .io.sources import Source
from .procs import check_workers, release_memory, worker_pool
from .profiles import Profile
from .store import PutResult, Store, atomic_write_parquet, snapshot_key
from .store_check import check_store_writable, present_sources, record_file_hashes
from .store_features import FeatureIds, Members, is_plain
from .types import Snapshot

log = logging.getLogger(__name__)
#: Snapshots per catalog transaction during ingest.
BATCH = 128
#: New features' WKB bytes the writing process holds at most before it stores them (a batch of a feed's first
#: maps brings most of its distinct features).
BATCH_BYTES = 8 << 20


@dataclass
class IngestReport:
    """What an ingest did: one result per snapshot, one error per unreadable input, totals."""

    results: list[PutResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    sources: int = 0
    #: Maps of one date (and time) read in this one ingest from different files: (date, earlier source, later
    #: source, the later one's version). The later one in input order is current (see :func:`ingest`).
    same_date: list[tuple[dt.date, str, str, int]] = field(default_factory=list)

    @property
    def notices(self) -> list[str]:
        """One line per date that two files of this ingest both gave (which one is current, and why)."""
        return [f"{day}: two maps of this date in one ingest, {first} and {later}; {later} (later in the input "
                f"order) is current as version {version}, {first} stays stored as version {version - 1}"
                for day, first, later, version in self.same_date]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.errors


def _write(snapshot: Snapshot, files: Path | None) -> None:
    if files is None or is_plain(snapshot.features):
        return  # a database store, or features stored as members (put_many stores them): no file of its own
    path = files / f"{snapshot_key(snapshot)}.parquet"
    if not path.exists():
        atomic_write_parquet(snapshot.features, path)


#: This worker process's feature ids, per ingest run (a run's token): which WKB it already sent back.
_RUN_IDS: dict[str, FeatureIds] = {}


def _members(snaps: list[Snapshot], run: str) -> list[Members | None]:
    ids = _RUN_IDS.get(run)
    if ids is None:
        _RUN_IDS.clear()  # one run at a time per worker process
        ids = _RUN_IDS[run] = FeatureIds()
    return [ids.members(s.features) if is_plain(s.features) else None for s in snaps]


@dataclass(frozen=True)
class KnownSource:
    """A file already stored under the same name with the same bytes: re-reading it would change nothing."""

    name: str
    content_hash: str


Outcome = list[Snapshot] | tuple[list[Snapshot], list[Members | None]] | InputError | KnownSource


def _work(source: Source, profile: Profile, date: dt.date | None, files: Path,
          unlabelled_state: str | None, known: frozenset[tuple[str, str]] = frozenset(), light: bool = False,
          run: str = "") -> Outcome:
    """Worker: read one source and write its snapshot files; errors come back as values.

    ``light``: send back the snapshots without their features, only their counts and, for snapshots stored
    as members of the content-addressed feature store, their members (the WKB of features new to this run).
    """
    try:
        if known and date is None and source.fmt not in ("shp", "wikipedia"):
            # Hash before parsing: a re-ingested archive then costs a read and a hash per member.
            data = load_bytes(source)
            digest = hashlib.sha256(data).hexdigest()
            if (digest, source.name) in known:
                return KnownSource(source.name, digest)
            source = Source(source.name, data, source.path, source.fmt)
        snaps = read_source(source, profile, date, unlabelled_state=unlabelled_state)
        for snap in snaps:
            _write(snap, files)
        if not light:
            return snaps
        members = _members(snaps, run)
        for snap, mem in zip(snaps, members, strict=True):
            if mem is not None:  # the counts per state from the members: no pandas pass over the frame
                snap.feature_counts = dict(Counter(mem.states))
                snap.features = None  # type: ignore[assignment]
        return [s.lighten() for s in snaps], members
    except InputError as exc:
        return exc
    finally:
        if light:
            release_memory()


def _peek(iterable: Iterable[Source], n: int) -> tuple[list[Source], Iterator[Source]]:
    it = iter(iterable)
    return list(islice(it, n)), it


def ingest(
    paths: Sequence[str | Path],
    profile: Profile,
    store: Store,
    date: dt.date | None = None,
    *,
    unlabelled_state: str | None = None,
    workers: int | None = None,
    progress: Callable[[Snapshot | None], None] | None = None,
    update_areas: bool = True,
) -> IngestReport:
    """Read every map in ``paths`` into ``store``. Bad inputs are reported in ``errors``; the others go in.

    A source that cannot be read leaves the store untouched; a source already stored is a no-op
    ('unchanged'); a changed file for a stored date becomes a new version of that date.

    Which map of a date is current: the latest version of its (date, time) slot, i.e. the one stored last.
    Two files of one ingest with the same date (and time) are stored in the order of the inputs (files as
    given, folders and archives member by member), so the later one is current; each such pair is listed in
    ``IngestReport.same_date`` (one line each in ``notices``), never silently.
    """
    if unlabelled_state is not None and unlabelled_state not in profile.state_by_id:
        raise InputError("--unlabelled-state", f"{unlabelled_state!r} is not a state of profile {profile.id} "
                                               f"(states: {', '.join(profile.state_by_id)})")
    check_workers(workers)
    check_store_writable(store)
    report = IngestReport()
    known = present_sources(store, profile.id)  # a source whose file went missing is read again
    sources = iter_sources(paths, errors=report.errors)
    head, rest = _peek(sources, 3)
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    loaded: dict[str, Snapshot] = {}

    pending: list[Snapshot] = []
    pending_members: list[Members | None] = []
    pending_bytes = [0]
    run = uuid.uuid4().hex
    # With worker processes, the area walk reads snapshots from their files in the workers; keeping every
    # snapshot in memory here as well would only cost RAM.
    keep_loaded = len(head) < 3 or workers <= 1
    light = not keep_loaded and store.files is not None  # features not in files travel back to be stored
    fresh: list[str] = []
    last_of_slot: dict[tuple, str] = {}  # (profile, date, time) → source of the last map stored this run

    def flush() -> None:
        # One catalog transaction per batch: a killed ingest loses at most the batch in flight.
        results = store.put_many(pending, pending_members) if light else store.put_many(pending)
        record_file_hashes(store, [r.id for r in results])
        for snap, result in zip(pending, results, strict=True):
            report.results.append(result)
            if result.status == "unchanged":
                continue
            slot = (snap.profile, snap.date, snap.timestamp)
            earlier = last_of_slot.get(slot)
            if earlier is not None and earlier != snap.source:
                report.same_date.append((snap.date, earlier, snap.source, result.version))
            last_of_slot[slot] = snap.source
            fresh.append(result.id)
            if keep_loaded and snap.kind == "polygons":
                loaded[result.id] = snap
        pending.clear()
        pending_members.clear()
        pending_bytes[0] = 0

    def accept(outcome: Outcome) -> None:
        report.sources += 1
        if isinstance(outcome, KnownSource):
            report.results.extend(store.stored_as(outcome.content_hash, outcome.name, profile.id))
            if progress:
                progress(None)
            return
        if isinstance(outcome, InputError):
            report.errors.append(outcome)
            if progress:
                progress(None)
            return
        snaps, members = outcome if isinstance(outcome, tuple) else (outcome, [None] * len(outcome))
        for snap, mem in zip(snaps, members, strict=True):
            pending.append(snap)
            pending_members.append(mem)
            pending_bytes[0] += sum(len(w) for w in mem.new.values()) if mem is not None else 0
            report.unmapped.update(snap.unmapped)
            report.repairs.update(snap.repairs)
            report.dropped.update(snap.dropped)
            if progress:
                progress(snap)
        if len(pending) >= BATCH or pending_bytes[0] >= BATCH_BYTES:
            flush()

    if len(head) < 3 or workers <= 1:
        for source in chain(head, rest):  # streamed: a list would hold every member in memory
            accept(_work(source, profile, date, store.files, unlabelled_state, known))
        flush()
        if update_areas and loaded:
            refresh_areas(store, profile, loaded=loaded)
        return report
    started = time.perf_counter()
    with worker_pool(workers) as pool:  # workers die with this process (a killed ingest leaves none)
        window: list[Future] = []
        for source in chain(head, rest):  # streamed: a list would hold every member in memory
            window.append(pool.submit(_work, source, profile, date, store.files, unlabelled_state, known, light,
                                      run))
            if len(window) >= 4 * workers:
                accept(window.pop(0).result())
        for fut in window:
            accept(fut.result())
        flush()
        log.info("read and stored %d snapshots in %.1f s", len(report.results), time.perf_counter() - started)
    if update_areas and fresh:
        release_memory(arrow=True)  # what reading and storing left in this process's heap, before the walk
        # Fresh workers: the readers' heaps are fragmented by every map they parsed (~100 MB each on the feed).
        started = time.perf_counter()
        with worker_pool(workers) as pool:
            refresh_areas(store, profile, loaded=loaded, executor=pool, workers=workers)
        log.info("areas brought up to date in %.1f s", time.perf_counter() - started)
    return report


def refresh_areas(store: Store, profile: Profile, *, loaded: dict[str, Snapshot] | None = None,
                  boundary: str | None = None, progress: Callable[[int], None] | None = None,
                  executor: ProcessPoolExecutor | None = None, workers: int = 1) -> None:
    """Bring the cached areas and transfers of the profile's snapshot sequence up to date."""
    from .geometry.boundary import load_boundary
    from .metrics.areas import walk_areas
    from .metrics.quick import remember_boundary

    rows = store.current(profile.id)
    rows = rows[rows["kind"] == "polygons"]
    if len(rows):
        bnd = load_boundary(profile, boundary)
        remember_boundary(store, profile, boundary, bnd)
        walk_areas(store, rows, profile, bnd, loaded=loaded, progress=progress, executor=executor,
                   workers=workers, boundary_spec=boundary)
