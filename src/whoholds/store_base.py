"""The Store interface: every operation the metrics, claims, render, CLI and API layers need of a store, typed,
written once over a few SQL primitives that each backend provides.

Two backends implement the primitives: the embedded store (:class:`whoholds.store.Store`: GeoParquet files
and a DuckDB catalog in a folder) and the team store (:class:`whoholds.store_pg.PgStore`: PostgreSQL/PostGIS).
The SQL here is the common dialect of both: ``?`` placeholders, ``IN (SELECT unnest(?))`` for a list
parameter, ``ON CONFLICT DO NOTHING``, window functions in sub-queries (no ``QUALIFY``); the PostgreSQL
backend translates placeholders and list parameters. Callers above the store never write SQL and never ask
which backend they hold: :func:`open_store` picks it from the location (a folder, or ``postgresql://…``).
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QueryError, StoreError
from .store_tables import AREA_COLUMNS, KEYED_TABLES, LEDGER_SCHEMA, PIECE_COLUMNS, TRANSFER_COLUMNS, StoreTables

__all__ = ["AREA_COLUMNS", "CATALOG_COLUMNS", "KEYED_TABLES", "LEDGER_SCHEMA", "PIECE_COLUMNS", "TRANSFER_COLUMNS",
           "GeometrySource", "StoreBase", "display_location", "is_postgres", "open_store", "stamp_at"]

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .types import Snapshot

CATALOG_COLUMNS = ["id", "profile", "date", "timestamp", "version", "kind", "source", "content_hash", "file",
                   "n_features", "states", "repairs", "unmapped", "dropped", "ingested_at"]
CATALOG_SELECT = ", ".join(f'"{c}"' for c in CATALOG_COLUMNS)
ROW_KEYS = ("id", "date", "timestamp", "kind", "source", "file", "version")
_ROW_SELECT = 'id, date, "timestamp", kind, source, file, version'
#: The latest version of every (date, time) slot of one profile, in time order (portable: no QUALIFY).
_CURRENT = ('SELECT {cols} FROM (SELECT *, row_number() OVER (PARTITION BY date, "timestamp" ORDER BY '
            "version DESC) AS rn FROM snapshots WHERE profile = ?) s WHERE rn = 1 "
            'ORDER BY date, "timestamp" NULLS FIRST')
#: A picklable callable a worker process calls for a snapshot's (states, geometries) without the store.
GeometrySource = Callable[[], "tuple[np.ndarray, np.ndarray]"]


def is_postgres(location: Any) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def display_location(location: Any) -> str:
    """A store's location as messages and API answers show it: a database address without its password."""
    import re

    return re.sub(r"^(postgres(?:ql)?://[^:/@]+):[^@/]*@", r"\1:***@", str(location))


def open_store(location: str | Path | None = None, *, create: bool = False) -> StoreBase:
    """The store at ``location``: a PostgreSQL/PostGIS store for a ``postgresql://`` address, else the embedded
    store in that folder (default: ``$WHOHOLDS_STORE`` or ``./whoholds-store``). The one way the CLI, the API
    and the library open a store."""
    from .store import Store, default_store_path

    where = default_store_path() if location is None else location
    if is_postgres(where):
        from .store_pg import PgStore

        return PgStore(str(where), create=create)
    return Store(where, create=create)


def stamp_at(location: str | Path) -> tuple:
    """What changes whenever the store at ``location`` is written, cheaply: the catalog files' size and time and
    the snapshots folder's time for a folder (three ``stat`` calls); for a database, one query (catalog,
    figure cache and ledger row counts and the last ingest)."""
    import os

    if is_postgres(location):
        try:
            import psycopg

            with psycopg.connect(str(location), connect_timeout=5) as con:
                tables = [t for (t,) in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))"
                    " AND table_name IN ('snapshots', 'areas', 'ledger_figures', 'ledger_sources')")]
                counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in sorted(tables)]
                last = con.execute("SELECT max(ingested_at) FROM snapshots").fetchone()[0] if tables else None
                return (*counts, last)
        except Exception:  # noqa: BLE001 -- no stamp: the request opens the store and reports the error
            return (None,)
    out: list[Any] = []
    path = Path(location)
    for p in (path / "catalog.duckdb", path / "catalog.duckdb.wal", path / "snapshots"):
        try:
            s = os.stat(p)
            out.append((s.st_mtime_ns, s.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


class StoreBase(StoreTables, ABC):
    """What every store offers (see the module docstring). ``path``: what messages name (a folder or a DSN)."""

    path: Any
    #: The folder of snapshot files, or None when features live in the database.
    files: Path | None = None

    # ---- primitives (per backend) -----------------------------------------------------------------
    @abstractmethod
    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Run a query of the common dialect; its rows as tuples."""

    @abstractmethod
    def frame(self, sql: str, args: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a query; its rows as a DataFrame (dates and timestamps as datetime64)."""

    @abstractmethod
    def execute(self, sql: str, args: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """One atomic write; writers of the same store take turns (readers never wait)."""

    @abstractmethod
    def insert_frame(self, table: str, frame: pd.DataFrame) -> None:
        """Append ``frame``'s rows to ``table`` (columns by name), inside the caller's transaction."""

    @abstractmethod
    def tables(self) -> set[str]:
        """Names of the tables the store holds."""

    @abstractmethod
    def features(self, row: Any) -> Any:
        """The features (GeoDataFrame) of the snapshot of catalog ``row`` (needs ``id`` and ``file``)."""

    @abstractmethod
    def geometry_sources(self, ids: Sequence[str]) -> dict[str, GeometrySource]:
        """For each id: what a worker calls for the snapshot's (states, geometries), picklable."""

    @abstractmethod
    def write_file(self, snapshot: Snapshot) -> str: ...

    @abstractmethod
    def put_many(self, snapshots: list[Snapshot]) -> list[Any]: ...

    @abstractmethod
    def check(self, *, record_missing_hashes: bool = False) -> Any:
        """Integrity report of every snapshot's stored features (:class:`whoholds.store_check.CheckReport`)."""

    @abstractmethod
    def close(self) -> None: ...

    def vacuum(self) -> int:
        return 0

    def where(self, snapshot_id: str, file: str) -> str:
        """Where a snapshot's features are kept, for messages (its file in a folder store)."""
        return f"{self.path} (features of snapshot {snapshot_id})"

    def delete_snapshot_rows(self, ids: Sequence[str]) -> None:
        """Inside the caller's transaction: the catalog rows of ``ids`` and every cached figure involving them."""
        from .store_check import delete_rows

        delete_rows(self, list(ids))

    def _row_with_file(self, row: dict[str, Any]) -> dict[str, Any]:
        return row

    def _require_files(self, rows: pd.DataFrame | list[dict[str, Any]]) -> None:
        return None

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the catalog ------------------------------------------------------------------------------
    def catalog(self, profile: str | None = None) -> pd.DataFrame:
        where, args = ("WHERE profile = ?", [profile]) if profile else ("", [])
        return self.frame(f'SELECT {CATALOG_SELECT} FROM snapshots {where} ORDER BY profile, date, '
                          '"timestamp" NULLS FIRST, version', args)

    def current(self, profile: str, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
        """Catalog rows of the latest version of every (date, time) slot, in time order."""
        rows = self.frame(_CURRENT.format(cols=CATALOG_SELECT), [profile])
        if start is not None:
            rows = rows[rows["date"].dt.date >= start]
        if end is not None:
            rows = rows[rows["date"].dt.date <= end]
        self._require_files(rows)
        return rows.reset_index(drop=True)

    def current_rows(self, profile: str) -> list[dict[str, Any]]:
        """:meth:`current` as plain records (no pandas): id, date, timestamp, kind, source, file, version."""
        keys = ("id", "date", "timestamp", "kind", "source", "file", "version")
        rows = self.rows(_CURRENT.format(cols='id, date, "timestamp", kind, source, file, version'), [profile])
        recs = [dict(zip(keys, r, strict=True)) for r in rows]
        self._require_files(recs)
        return recs

    def cached_figures(self, boundary_id: str, method: str, ids: list[str]
                       ) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, str, str, float]]]:
        """The cached areas (snapshot id, state, km²) of ``ids`` and transfers (from id, to id, from state,
        to state, km²) out of ``ids``, for one boundary and method."""
        areas = self.rows("SELECT snapshot_id, state, area_km2 FROM areas WHERE boundary_id = ? AND method = ? "
                          "AND snapshot_id IN (SELECT unnest(?))", [boundary_id, method, ids])
        transfers = self.rows("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE "
                              "boundary_id = ? AND method = ? AND from_id IN (SELECT unnest(?))",
                              [boundary_id, method, ids])
        return areas, transfers

    def dates(self, profile: str) -> list[dt.date]:
        return [r[0] for r in self.rows("SELECT DISTINCT date FROM snapshots WHERE profile = ? ORDER BY date",
                                        [profile])]

    def profiles(self) -> list[str]:
        """Ids of the profiles that have snapshots here."""
        return [str(r[0]) for r in self.rows("SELECT DISTINCT profile FROM snapshots ORDER BY profile")]

    def latest_date(self, profile: str) -> dt.date | None:
        return self.rows("SELECT max(date) FROM snapshots WHERE profile = ?", [profile])[0][0]

    def stamp(self) -> tuple:
        """(snapshot count, last ingest time): changes whenever a snapshot is stored or removed."""
        return tuple(self.rows("SELECT count(*), max(ingested_at) FROM snapshots")[0])

    def stored_sources(self, profile: str) -> frozenset[tuple[str, str]]:
        """(content hash, source) of the profile's stored snapshots, to skip re-reading an identical file."""
        rows = self.rows("SELECT DISTINCT content_hash, source FROM snapshots WHERE profile = ?", [profile])
        return frozenset((h, src) for h, src in rows)

    def stored_as(self, content_hash: str, source: str, profile: str) -> list[Any]:
        """'unchanged' results for the snapshots stored from this very file (same name, same bytes)."""
        from .store import PutResult

        rows = self.rows("SELECT id, version, date, source FROM snapshots WHERE content_hash = ? AND source = ? "
                         "AND profile = ? ORDER BY date", [content_hash, source, profile])
        return [PutResult("unchanged", sid, version, date, src) for sid, version, date, src in rows]

    def ids_like(self, prefix: str) -> list[str]:
        return [r[0] for r in self.rows("SELECT id FROM snapshots WHERE starts_with(id, ?)", [prefix])]

    def ids_on(self, date: dt.date, profile: str | None = None) -> list[str]:
        where, args = "date = ?", [date]
        if profile:
            where, args = where + " AND profile = ?", [*args, profile]
        return [r[0] for r in self.rows(f"SELECT id FROM snapshots WHERE {where}", args)]

    # ---- snapshots --------------------------------------------------------------------------------
    def get(self, snapshot_id: str) -> Snapshot:
        row = self.frame(f"SELECT {CATALOG_SELECT} FROM snapshots WHERE id = ?", [snapshot_id])
        if row.empty:
            raise StoreError(self.path, f"no snapshot with id {snapshot_id}")
        return self._load(row.iloc[0])

    def _load(self, row: pd.Series) -> Snapshot:
        import pandas as pd

        from .types import Snapshot

        ts = row["timestamp"]
        return Snapshot(
            date=pd.Timestamp(row["date"]).date(), source=row["source"], profile=row["profile"],
            kind=row["kind"], features=self.features(row), content_hash=row["content_hash"],
            repairs=json.loads(row["repairs"]), unmapped=json.loads(row["unmapped"]),
            dropped=json.loads(row["dropped"]), version=int(row["version"]), id=row["id"],
            timestamp=None if pd.isna(ts) else pd.Timestamp(ts).to_pydatetime(),
        )

    def _no_snapshots(self, profile: str) -> StoreError:
        return StoreError(self.path, f"the store has no {profile} snapshots; run `whoholds ingest ... "
                                     f"--profile {profile}` first")

    def _require(self, profile: str) -> pd.DataFrame:
        rows = self.current(profile)
        if rows.empty:
            raise self._no_snapshots(profile)
        return rows

    def latest_row(self, date: dt.date, profile: str) -> dict[str, Any]:
        """The catalog row of :meth:`latest` (no snapshot read, no pandas): id, date, timestamp, kind, source,
        file, version."""
        rows = self.rows(f'SELECT {_ROW_SELECT} FROM snapshots WHERE profile = ? AND date = ? '
                         'ORDER BY "timestamp" DESC NULLS LAST, version DESC LIMIT 1', [profile, date])
        if not rows:
            if not self.rows("SELECT count(*) FROM snapshots WHERE profile = ?", [profile])[0][0]:
                raise self._no_snapshots(profile)
            raise QueryError(date, f"no {profile} snapshot on this date; {self.nearest_hint(date, profile)}")
        return self._row_with_file(dict(zip(ROW_KEYS, rows[0], strict=True)))

    def latest(self, date: dt.date, profile: str) -> Snapshot:
        """The latest snapshot of exactly that date (last time slot, last version)."""
        rows = self._require(profile)
        day = rows[rows["date"].dt.date == date]
        if day.empty:
            raise QueryError(date, f"no {profile} snapshot on this date; {self.nearest_hint(date, profile)}")
        return self._load(day.iloc[-1])

    def nearest(self, date: dt.date, profile: str) -> tuple[Snapshot, int]:
        """The snapshot nearest to ``date`` (ties go to the earlier one) and its distance in days."""
        row, dist = self.nearest_row(date, profile)
        return self.get(row["id"]), dist

    def nearest_row(self, date: dt.date, profile: str) -> tuple[dict[str, Any], int]:
        """The catalog row of :meth:`nearest` and its distance in days. Among the time slots of the nearest
        date, the last one of a date on or before ``date``, the first one of a later date."""
        rows = self.rows(_CURRENT.format(cols=_ROW_SELECT), [profile])
        if not rows:
            raise self._no_snapshots(profile)
        days = [(r[1] - date).days for r in rows]
        best = min(range(len(rows)), key=lambda i: (abs(days[i]), days[i] > 0, -i if days[i] <= 0 else i))
        return self._row_with_file(dict(zip(ROW_KEYS, rows[best], strict=True))), days[best]

    def on_or_before(self, date: dt.date, profile: str) -> Snapshot:
        rows = self._require(profile)
        before = rows[rows["date"].dt.date <= date]
        if before.empty:
            raise QueryError(date, f"no {profile} snapshot on or before this date; "
                                   f"{self.nearest_hint(date, profile)}")
        return self._load(before.iloc[-1])

    def nearest_hint(self, date: dt.date, profile: str) -> str:
        dates = self.dates(profile)
        if not dates:
            return f"the store has no {profile} snapshots"
        before = [d for d in dates if d < date]
        after = [d for d in dates if d > date]
        parts = []
        if before:
            parts.append(f"nearest before: {before[-1]}")
        if after:
            parts.append(f"nearest after: {after[0]}")
        return "; ".join(parts) + f" ({len(dates)} dates stored, {dates[0]} to {dates[-1]})"

    def states_and_geometry(self, snapshot_id: str) -> tuple[np.ndarray, np.ndarray]:
        """What the overlay engine needs of a snapshot: its state column and its geometries."""
        return self.geometry_sources([snapshot_id])[snapshot_id]()

    # ---- copies between stores (``whoholds store copy``) ------------------------------------------
    def put_copies(self, rows: pd.DataFrame, frames: list[Any]) -> set[str]:
        """Store snapshots copied from another store, their catalog ``rows`` kept as they are (id, version,
        ingest time), their features ``frames``; snapshots already here are left alone. Returns the ids added."""
        raise NotImplementedError

    def add_rows(self, table: str, frame: pd.DataFrame, key: str | None = None) -> int:
        """Append rows to ``table`` in one transaction; with ``key``, only rows whose key is not there yet."""
        if not len(frame):
            return 0
        with self.transaction():
            if key is not None:
                have = {r[0] for r in self.rows(f"SELECT {key} FROM {table}")}
                frame = frame[~frame[key].isin(have)]
            self.insert_frame(table, frame)
        return len(frame)
