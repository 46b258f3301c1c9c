"""The embedded store: one GeoParquet file per snapshot version plus a DuckDB catalog.

Writes are atomic: a snapshot file is written to a temporary name and renamed into place *before* its
catalog row is inserted in a transaction, so a reader never sees a catalog row without its file, and an
ingest killed at any moment leaves every earlier snapshot readable (at worst an orphan file, which
``Store.vacuum`` removes).

It implements the SQL primitives of :class:`whoholds.store_base.StoreBase` (the Store interface every caller
uses; ``con``, the DuckDB connection, is this backend's own) and keeps the snapshot files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from .errors import StoreError
from .store_base import CATALOG_COLUMNS, GeometrySource, StoreBase, open_store
from .store_features import SCHEMA as FEATURE_SCHEMA
from .store_features import FeatureIds, Members, is_members_row
from .store_files import FileGeometry, atomic_write_parquet, read_snapshot_file, read_states_and_geometry
from .types import Snapshot

__all__ = ["DEFAULT_STORE", "FileGeometry", "PutResult", "Store", "StoreBase", "atomic_write_parquet",
           "default_store_path", "open_store", "read_snapshot_file", "read_states_and_geometry", "snapshot_key"]

if TYPE_CHECKING:  # imported where used, so that opening a store and reading cached figures stays light
    import geopandas as gpd
    import pandas as pd

DEFAULT_STORE = "whoholds-store"
PutStatus = Literal["new", "unchanged", "new_version"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    id VARCHAR PRIMARY KEY, profile VARCHAR NOT NULL, date DATE NOT NULL, "timestamp" TIMESTAMP,
    version INTEGER NOT NULL, kind VARCHAR NOT NULL, source VARCHAR NOT NULL, content_hash VARCHAR NOT NULL,
    file VARCHAR NOT NULL, n_features INTEGER NOT NULL, states VARCHAR NOT NULL, repairs VARCHAR NOT NULL,
    unmapped VARCHAR NOT NULL, dropped VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS areas (
    snapshot_id VARCHAR NOT NULL, boundary_id VARCHAR NOT NULL, method VARCHAR NOT NULL,
    state VARCHAR NOT NULL, area_km2 DOUBLE NOT NULL, overlap_km2 DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS transfers (
    from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL, boundary_id VARCHAR NOT NULL, method VARCHAR NOT NULL,
    from_state VARCHAR NOT NULL, to_state VARCHAR NOT NULL, area_km2 DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS boundaries (
    spec VARCHAR PRIMARY KEY, id VARCHAR NOT NULL, name VARCHAR NOT NULL, note VARCHAR NOT NULL,
    source VARCHAR NOT NULL, area_km2 DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS change_pieces (
    from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL, method VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    from_state VARCHAR NOT NULL, to_state VARCHAR NOT NULL, geometry BLOB
);
"""


def default_store_path() -> str:
    return os.environ.get("WHOHOLDS_STORE", DEFAULT_STORE)


@dataclass(frozen=True)
class PutResult:
    status: PutStatus
    id: str
    version: int
    date: dt.date
    source: str


def snapshot_key(snapshot: Snapshot) -> str:
    """Identity of a snapshot: same content, profile, date and time → same id (re-ingest is a no-op)."""
    ts = snapshot.timestamp.isoformat() if snapshot.timestamp else ""
    raw = f"{snapshot.content_hash}|{snapshot.profile}|{snapshot.date.isoformat()}|{ts}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _jsonable(d: dict) -> str:
    return json.dumps({str(k): int(v) for k, v in (d or {}).items()}, ensure_ascii=False, sort_keys=True)


#: Seconds a command waits for the catalog while another whoholds process has it open (DuckDB lets one process
#: at a time open a database file for writing; a cached command holds it for well under a second).
DEFAULT_LOCK_WAIT_SECONDS = 60.0


def lock_wait_seconds() -> float:
    """The wait for a busy catalog: ``$WHOHOLDS_LOCK_WAIT`` seconds (default 60), read when a store opens."""
    text = os.environ.get("WHOHOLDS_LOCK_WAIT", "").strip()
    if not text:
        return DEFAULT_LOCK_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError("WHOHOLDS_LOCK_WAIT", f"{text!r} is not a number of seconds (0 or more)")
    return seconds


def _connect_waiting(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the catalog, waiting (backing off to 0.25 s) while another process holds its lock, so commands
    run side by side (two terminals, a script's parallel calls, the web server) queue instead of failing."""
    import time

    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


def _is_read_only_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, PermissionError) or "read-only" in text or "permission denied" in text


class Store(StoreBase):
    """A folder holding snapshots (GeoParquet) and a DuckDB catalog (``catalog.duckdb``)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.path = Path(path if path is not None else default_store_path())
        self.files = self.path / "snapshots"
        if not self.path.exists():
            if not create:
                raise StoreError(self.path, "no store here; run `whoholds ingest` first (or pass --store)")
            self.files.mkdir(parents=True)
        elif not self.path.is_dir():
            raise StoreError(self.path, "is not a folder")
        self.read_only = False
        self._ids = FeatureIds()  # feature ids of geometry objects this process stored (see store_features)
        wait = lock_wait_seconds()
        self._depth = 0
        try:
            self.files.mkdir(exist_ok=True)
            self.con = _connect_waiting(self.path / "catalog.duckdb", wait)
            self.con.execute(_SCHEMA + FEATURE_SCHEMA)
        except (duckdb.Error, PermissionError, OSError) as exc:
            # A store on read-only media, or shared without write permission: read commands still work.
            if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
                why = (f"busy: another process has the store open for writing (waited {wait:g} s; "
                       "WHOHOLDS_LOCK_WAIT sets how long)")
                raise StoreError(self.path / "catalog.duckdb", why) from None
            if not (self.path / "catalog.duckdb").is_file() or not _is_read_only_error(exc):
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise StoreError(self.path / "catalog.duckdb", f"cannot open catalog: {first}") from None
            self._open_read_only()

    def _open_read_only(self) -> None:
        """The catalog copied into memory from a read-only attach: read commands work (their caches of
        figures are kept for this process only), nothing is written to the store."""
        try:
            self.con = duckdb.connect(":memory:")
            quoted = str(self.path / "catalog.duckdb").replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS stored (READ_ONLY)")
            self.con.execute("COPY FROM DATABASE stored TO memory")
            self.con.execute("DETACH stored")
            self.con.execute(_SCHEMA + FEATURE_SCHEMA)
            self.read_only = True
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(self.path / "catalog.duckdb", f"cannot open catalog: {first}") from None

    def close(self) -> None:
        self.con.close()

    # ---- SQL primitives (DuckDB: one process writes the catalog file at a time) -------------------
    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(args)).fetchall()

    def frame(self, sql: str, args: Sequence[Any] = ()) -> pd.DataFrame:
        return self.con.execute(sql, list(args)).df()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(args))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.con.executemany(sql, [list(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:  # already inside one: part of it
            yield
            return
        self.con.execute("BEGIN TRANSACTION")
        self._depth += 1
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._depth -= 1

    def insert_frame(self, table: str, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        self.con.register("_rows_in", frame)
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows_in")
        finally:
            self.con.unregister("_rows_in")

    def tables(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}

    # ---- snapshot files ---------------------------------------------------------------------------
    def features(self, row: Any) -> gpd.GeoDataFrame:
        if is_members_row(row["file"]):
            from .store_members import member_features

            return member_features(self, str(row["id"]))
        path = self.path / row["file"]
        try:
            return read_snapshot_file(path)
        except Exception as exc:  # pyarrow raises several types for damaged files
            raise StoreError(path, f"snapshot file unreadable ({type(exc).__name__})") from None

    def geometry_sources(self, ids: Sequence[str]) -> dict[str, GeometrySource]:
        from .store_members import member_sources

        where = "s.id = ?" if len(ids) == 1 else "s.id IN (SELECT unnest(?))"  # one id: a primary-key look-up
        got = self.rows(f"SELECT s.id, s.file, m.features, m.states FROM snapshots s LEFT JOIN members m "
                        f"ON m.snapshot_id = s.id WHERE {where}", [ids[0]] if len(ids) == 1 else [list(ids)])
        files = {sid: file for sid, file, _, _ in got}
        out: dict[str, GeometrySource] = {sid: FileGeometry(str(self.path / files[sid])) for sid in ids
                                          if sid in files and not is_members_row(files[sid])}
        out.update(member_sources(self, {sid: (f or [], st or []) for sid, file, f, st in got
                                         if is_members_row(file)}))
        return out

    def write_file(self, snapshot: Snapshot) -> str:
        """Write the snapshot's GeoParquet file (atomic; safe to call from worker processes) unless its features
        are stored as members (polygon snapshots: see ``store_features``). Returns id."""
        from .store_features import is_plain

        sid = snapshot_key(snapshot)
        path = self.files / f"{sid}.parquet"
        if not path.exists() and not is_plain(snapshot.features):
            atomic_write_parquet(snapshot.features, path)
        return sid

    def put(self, snapshot: Snapshot, *, file_written: bool = False) -> PutResult:
        """Store one snapshot: 'unchanged' if already there, else 'new' or 'new_version' of its date."""
        if not file_written:
            self.write_file(snapshot)
        return self.put_many([snapshot])[0]

    def put_many(self, snapshots: list[Snapshot], members: Sequence[Members | None] | None = None
                 ) -> list[PutResult]:
        """Store many snapshots in one catalog transaction, in the given order. Polygon snapshots go in as
        members of the content-addressed feature store (``members``: what ingest workers computed; else
        computed here from the features); others must have their GeoParquet file written already."""
        if not snapshots:
            return []
        from .store_features import MEMBERS, is_plain

        ids = [snapshot_key(s) for s in snapshots]
        known = dict(self.rows("SELECT id, version FROM snapshots WHERE id IN (SELECT unnest(?))", [ids]))
        slots = self.rows('SELECT profile, date, "timestamp", max(version) FROM snapshots WHERE profile IN '
                          '(SELECT unnest(?)) GROUP BY profile, date, "timestamp"',
                          [sorted({s.profile for s in snapshots})])
        top = {(p, d, t): v for p, d, t, v in slots}
        results, rows = [], []
        given = list(members) if members is not None else [None] * len(snapshots)
        stored: list[tuple[str, Members, Snapshot]] = []
        present: list[tuple[str, Members, Snapshot]] = []  # stored before: features again if lost
        extra: dict[str, bytes] = {}  # WKB of features other snapshots of this batch reuse
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for sid, snap, mem in zip(ids, snapshots, given, strict=True):
            if mem is None and is_plain(snap.features) and not (self.files / f"{sid}.parquet").exists():
                mem = self._ids.members(snap.features)
            if mem is not None:
                extra.update(mem.new)
            if sid in known:
                if mem is not None:
                    present.append((sid, mem, snap))
                snap.id, snap.version = sid, known[sid]
                results.append(PutResult("unchanged", sid, known[sid], snap.date, snap.source))
                continue
            slot = (snap.profile, snap.date, snap.timestamp)
            version = top.get(slot, 0) + 1
            top[slot] = version
            known[sid] = version
            states = dict(Counter(mem.states)) if mem is not None else snap.state_counts()  # no pandas pass
            file = MEMBERS if mem is not None else f"snapshots/{sid}.parquet"
            if mem is not None:
                stored.append((sid, mem, snap))
            rows.append((sid, snap.profile, snap.date, snap.timestamp, version, snap.kind, snap.source,
                         snap.content_hash, file, sum(states.values()), _jsonable(states),
                         _jsonable(snap.repairs), _jsonable(snap.unmapped), _jsonable(snap.dropped), now))
            snap.id, snap.version = sid, version
            results.append(PutResult("new" if version == 1 else "new_version", sid, version, snap.date, snap.source))
        if rows or extra or present:
            import pandas as pd

            from .store_members import write_members

            frame = pd.DataFrame(rows, columns=CATALOG_COLUMNS)
            frame["timestamp"] = pd.to_datetime(frame["timestamp"])
            frame["date"] = pd.to_datetime(frame["date"])
            write_members(self, frame, stored, extra, present)
        return results

    def put_copies(self, rows: pd.DataFrame, frames: list[Any]) -> set[str]:
        """Files first (atomic), then the catalog rows not here yet in one transaction (see StoreBase); rows of
        the content-addressed format (``file`` = 'features') keep it: their features go in as members."""
        from .store_members import write_members

        have = {r[0] for r in self.rows("SELECT id FROM snapshots WHERE id IN (SELECT unnest(?))",
                                        [rows["id"].tolist()])}
        stored, extra = [], {}
        for (_, row), frame in zip(rows.iterrows(), frames, strict=True):
            if row["id"] in have:
                continue
            if is_members_row(row["file"]):
                ids = FeatureIds()  # a fresh one: every feature's WKB comes along, the store keeps the new ones
                mem = ids.members(frame)
                extra.update(mem.new)
                stored.append((row["id"], mem, None))
            else:
                atomic_write_parquet(frame, self.path / row["file"])
        new = rows[~rows["id"].isin(have)]
        write_members(self, new[CATALOG_COLUMNS], stored, extra)  # type: ignore[arg-type]
        return set(new["id"])

    def keep_text(self, name: str, text: str) -> None:
        """A file of the store folder (``profiles/<id>.yaml``: readable, and where earlier versions kept it)."""
        from .io.writers import write_text_atomic

        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, text)

    def kept_texts(self) -> dict[str, str]:
        folder = self.path / "profiles"
        found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        return {f"profiles/{p.name}": p.read_text("utf-8") for p in found}

    # ---- integrity --------------------------------------------------------------------------------
    def _require_files(self, rows: pd.DataFrame | list[dict[str, Any]]) -> None:
        """No figure is served from a cache whose snapshot file is gone (see ``store_check``)."""
        from .store_check import require_files

        require_files(self, rows)

    def _row_with_file(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row, if its snapshot file is there: the cached-figure paths read no file, yet no figure may be
        served from a cache whose snapshot file is gone (the full check with sizes is ``store_check``)."""
        if is_members_row(row["file"]):
            self._require_files([row])
            return row
        if not (self.path / str(row["file"])).is_file():
            raise StoreError(self.path / str(row["file"]),
                             f"snapshot file of {row['id']} is missing; re-ingest {row['source']} to restore it, "
                             f"or `whoholds snapshots remove {row['id']}` (see `whoholds store check`)")
        return row

    def where(self, snapshot_id: str, file: str) -> str:
        return str(self.path / file)

    def check(self, *, record_missing_hashes: bool = False) -> Any:
        from .store_check import check_files

        return check_files(self, record_missing_hashes=record_missing_hashes)

    def vacuum(self) -> int:
        """Delete snapshot and feature chunk files (and temp files) that no catalog row references; returns how
        many. (Features no snapshot uses any more stay in their chunks: chunks are shared.)"""
        from .store_features import CHUNKS

        known = {Path(f).name for (f,) in self.rows("SELECT file FROM snapshots")}
        used = {Path(c).name for (c,) in self.rows("SELECT DISTINCT chunk FROM feature_chunks")}
        removed = 0
        for folder, keep in ((self.files, known), (self.path / CHUNKS, used)):
            for p in folder.iterdir() if folder.is_dir() else ():
                if p.name not in keep:
                    p.unlink()
                    removed += 1
        return removed
