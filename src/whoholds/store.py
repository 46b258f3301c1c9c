"""The embedded store: one GeoParquet file per snapshot version plus a DuckDB catalog.

Writes are atomic: a snapshot file is written to a temporary name and renamed into place *before* its
catalog row is inserted in a transaction, so a reader never sees a catalog row without its file, and an
ingest killed at any moment leaves every earlier snapshot readable (at worst an orphan file, which
``Store.vacuum`` removes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from .errors import QueryError, StoreError
from .types import Snapshot

if TYPE_CHECKING:  # imported where used, so that opening a store and reading cached figures stays light
    import geopandas as gpd
    import numpy as np
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


_GEO_META = json.dumps({
    "version": "1.0.0", "primary_column": "geometry",
    "columns": {"geometry": {"encoding": "WKB", "geometry_types": [], "crs": None}},
}).encode()


def atomic_write_parquet(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoParquet 1.0 file (WKB geometry, CRS OGC:CRS84 = lon/lat WGS84) via a temp file + rename."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    columns = {c: frame[c].to_numpy() for c in frame.columns if c != frame.geometry.name}
    table = pa.table({**{c: pa.array(v, from_pandas=True) for c, v in columns.items()},
                      "geometry": pa.array(shapely.to_wkb(frame.geometry.values), type=pa.binary())})
    table = table.replace_schema_metadata({b"geo": _GEO_META})
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_states_and_geometry(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Only what the overlay engine needs of a snapshot file: the state column and the geometries."""
    import numpy as np
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path, columns=["state", "geometry"])
    states = np.asarray(table.column("state").to_pylist(), dtype=object)
    return states, shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))


def read_snapshot_file(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path)
    frame = table.drop(["geometry"]).to_pandas()
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def _jsonable(d: dict) -> str:
    return json.dumps({str(k): int(v) for k, v in (d or {}).items()}, ensure_ascii=False, sort_keys=True)


class Store:
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
        self.files.mkdir(exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path / "catalog.duckdb"))
            self.con.execute(_SCHEMA)
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(self.path / "catalog.duckdb", f"cannot open catalog: {first}") from None

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing ----------------------------------------------------------------------------------
    def write_file(self, snapshot: Snapshot) -> str:
        """Write the snapshot's GeoParquet file (atomic; safe to call from worker processes). Returns id."""
        sid = snapshot_key(snapshot)
        path = self.files / f"{sid}.parquet"
        if not path.exists():
            atomic_write_parquet(snapshot.features, path)
        return sid

    def put(self, snapshot: Snapshot, *, file_written: bool = False) -> PutResult:
        """Store one snapshot: 'unchanged' if already there, else 'new' or 'new_version' of its date."""
        if not file_written:
            self.write_file(snapshot)
        return self.put_many([snapshot])[0]

    def put_many(self, snapshots: list[Snapshot]) -> list[PutResult]:
        """Store many snapshots (files already written) in one catalog transaction, in the given order."""
        if not snapshots:
            return []
        ids = [snapshot_key(s) for s in snapshots]
        known = dict(self.con.execute("SELECT id, version FROM snapshots WHERE id IN (SELECT unnest(?))",
                                      [ids]).fetchall())
        slots = self.con.execute(
            'SELECT profile, date, "timestamp", max(version) FROM snapshots WHERE profile IN (SELECT unnest(?)) '
            'GROUP BY profile, date, "timestamp"', [sorted({s.profile for s in snapshots})]
        ).fetchall()
        top = {(p, d, t): v for p, d, t, v in slots}
        results, rows = [], []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for sid, snap in zip(ids, snapshots, strict=True):
            if sid in known:
                snap.id, snap.version = sid, known[sid]
                results.append(PutResult("unchanged", sid, known[sid], snap.date, snap.source))
                continue
            slot = (snap.profile, snap.date, snap.timestamp)
            version = top.get(slot, 0) + 1
            top[slot] = version
            known[sid] = version
            states = snap.state_counts()
            rows.append((sid, snap.profile, snap.date, snap.timestamp, version, snap.kind, snap.source,
                         snap.content_hash, f"snapshots/{sid}.parquet", sum(states.values()), _jsonable(states),
                         _jsonable(snap.repairs), _jsonable(snap.unmapped), _jsonable(snap.dropped), now))
            snap.id, snap.version = sid, version
            results.append(PutResult("new" if version == 1 else "new_version", sid, version, snap.date, snap.source))
        if rows:
            import pandas as pd

            frame = pd.DataFrame(rows, columns=["id", "profile", "date", "timestamp", "version", "kind", "source",
                                                "content_hash", "file", "n_features", "states", "repairs",
                                                "unmapped", "dropped", "ingested_at"])
            frame["timestamp"] = pd.to_datetime(frame["timestamp"])
            frame["date"] = pd.to_datetime(frame["date"])
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.register("_new_snapshots", frame)
                self.con.execute('INSERT INTO snapshots SELECT id, profile, CAST(date AS DATE), "timestamp", version, '
                                 "kind, source, content_hash, file, n_features, states, repairs, unmapped, dropped, "
                                 "ingested_at FROM _new_snapshots")
                self.con.unregister("_new_snapshots")
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        return results

    def stored_sources(self, profile: str) -> frozenset[tuple[str, str]]:
        """(content hash, source) of the profile's stored snapshots, to skip re-reading an identical file."""
        rows = self.con.execute("SELECT DISTINCT content_hash, source FROM snapshots WHERE profile = ?",
                                [profile]).fetchall()
        return frozenset((h, src) for h, src in rows)

    def stored_as(self, content_hash: str, source: str, profile: str) -> list[PutResult]:
        """'unchanged' results for the snapshots stored from this very file (same name, same bytes)."""
        rows = self.con.execute(
            "SELECT id, version, date, source FROM snapshots WHERE content_hash = ? AND source = ? AND profile = ? "
            "ORDER BY date", [content_hash, source, profile]).fetchall()
        return [PutResult("unchanged", sid, version, date, source) for sid, version, date, source in rows]

    # ---- reading ----------------------------------------------------------------------------------
    def catalog(self, profile: str | None = None) -> pd.DataFrame:
        where, args = ("WHERE profile = ?", [profile]) if profile else ("", [])
        return self.con.execute(
            f'SELECT * FROM snapshots {where} ORDER BY profile, date, "timestamp" NULLS FIRST, version', args
        ).df()

    def current(self, profile: str, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
        """Catalog rows of the latest version of every (date, time) slot, in time order."""
        rows = self.con.execute(
            'SELECT * FROM snapshots WHERE profile = ? QUALIFY row_number() OVER '
            '(PARTITION BY date, "timestamp" ORDER BY version DESC) = 1 '
            'ORDER BY date, "timestamp" NULLS FIRST',
            [profile],
        ).df()
        if start is not None:
            rows = rows[rows["date"].dt.date >= start]
        if end is not None:
            rows = rows[rows["date"].dt.date <= end]
        self._require_files(rows)
        return rows.reset_index(drop=True)

    def current_rows(self, profile: str) -> list[dict[str, Any]]:
        """:meth:`current` as plain records (no pandas): id, date, timestamp, kind, source, file, version."""
        keys = ("id", "date", "timestamp", "kind", "source", "file", "version")
        rows = self.con.execute(
            'SELECT id, date, "timestamp", kind, source, file, version FROM snapshots WHERE profile = ? '
            'QUALIFY row_number() OVER (PARTITION BY date, "timestamp" ORDER BY version DESC) = 1 '
            'ORDER BY date, "timestamp" NULLS FIRST', [profile]).fetchall()
        recs = [dict(zip(keys, r, strict=True)) for r in rows]
        self._require_files(recs)
        return recs

    def cached_figures(self, boundary_id: str, method: str, ids: list[str]
                       ) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, str, str, float]]]:
        """The cached areas (snapshot id, state, km²) of ``ids`` and transfers (from id, to id, from state,
        to state, km²) out of ``ids``, for one boundary and method (tables ``areas`` and ``transfers``)."""
        areas = self.con.execute(
            "SELECT snapshot_id, state, area_km2 FROM areas WHERE boundary_id = ? AND method = ? "
            "AND snapshot_id IN (SELECT unnest(?))", [boundary_id, method, ids]).fetchall()
        transfers = self.con.execute(
            "SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE boundary_id = ? AND "
            "method = ? AND from_id IN (SELECT unnest(?))", [boundary_id, method, ids]).fetchall()
        return areas, transfers

    def _require_files(self, rows: pd.DataFrame | list[dict[str, Any]]) -> None:
        """No figure is served from a cache whose snapshot file is gone (see ``store_check``)."""
        from .store_check import require_files

        require_files(self, rows)

    def dates(self, profile: str) -> list[dt.date]:
        rows = self.con.execute("SELECT DISTINCT date FROM snapshots WHERE profile = ? ORDER BY date",
                                [profile]).fetchall()
        return [r[0] for r in rows]

    def get(self, snapshot_id: str) -> Snapshot:
        row = self.con.execute("SELECT * FROM snapshots WHERE id = ?", [snapshot_id]).df()
        if row.empty:
            raise StoreError(self.path, f"no snapshot with id {snapshot_id}")
        return self._load(row.iloc[0])

    def _load(self, row: pd.Series) -> Snapshot:
        import pandas as pd

        path = self.path / row["file"]
        try:
            features = read_snapshot_file(path)
        except Exception as exc:  # pyarrow raises several types for damaged files
            raise StoreError(path, f"snapshot file unreadable ({type(exc).__name__})") from None
        ts = row["timestamp"]
        return Snapshot(
            date=pd.Timestamp(row["date"]).date(), source=row["source"], profile=row["profile"],
            kind=row["kind"], features=features, content_hash=row["content_hash"],
            repairs=json.loads(row["repairs"]), unmapped=json.loads(row["unmapped"]),
            dropped=json.loads(row["dropped"]), version=int(row["version"]), id=row["id"],
            timestamp=None if pd.isna(ts) else pd.Timestamp(ts).to_pydatetime(),
        )

    def _require(self, profile: str) -> pd.DataFrame:
        rows = self.current(profile)
        if rows.empty:
            raise StoreError(self.path, f"the store has no {profile} snapshots; run `whoholds ingest ... "
                                        f"--profile {profile}` first")
        return rows

    def latest_row(self, date: dt.date, profile: str) -> dict[str, Any]:
        """The catalog row of :meth:`latest` (no snapshot file read, no pandas): id, date, timestamp, kind,
        source, file, version."""
        rows = self.con.execute(
            'SELECT id, date, "timestamp", kind, source, file, version FROM snapshots WHERE profile = ? AND date = ? '
            'ORDER BY "timestamp" DESC NULLS LAST, version DESC LIMIT 1', [profile, date]).fetchall()
        if not rows:
            if not self.con.execute("SELECT count(*) FROM snapshots WHERE profile = ?", [profile]).fetchone()[0]:
                raise StoreError(self.path, f"the store has no {profile} snapshots; run `whoholds ingest ... "
                                            f"--profile {profile}` first")
            raise QueryError(date, f"no {profile} snapshot on this date; {self.nearest_hint(date, profile)}")
        keys = ("id", "date", "timestamp", "kind", "source", "file", "version")
        return self._row_with_file(dict(zip(keys, rows[0], strict=True)))

    def remember_boundary(self, spec: str, boundary: Any) -> None:
        """Keep a boundary's id, names and area under ``spec`` so cached figures can be read without it."""
        self.con.execute("INSERT OR REPLACE INTO boundaries VALUES (?, ?, ?, ?, ?, ?)",
                         [spec, boundary.id, boundary.name, boundary.note, boundary.source, boundary.area_km2])

    def boundary_meta(self, spec: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT id, name, note, source, area_km2 FROM boundaries WHERE spec = ?",
                               [spec]).fetchone()
        return None if row is None else dict(zip(("id", "name", "note", "source", "area_km2"), row, strict=True))

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
        """The catalog row of :meth:`nearest` (no snapshot file read, no pandas) and its distance in days:
        id, date, timestamp, kind, source, file, version. Among the time slots of the nearest date, the
        last one of a date on or before ``date``, the first one of a later date."""
        keys = ("id", "date", "timestamp", "kind", "source", "file", "version")
        rows = self.con.execute(
            'SELECT id, date, "timestamp", kind, source, file, version FROM snapshots WHERE profile = ? '
            'QUALIFY row_number() OVER (PARTITION BY date, "timestamp" ORDER BY version DESC) = 1 '
            'ORDER BY date, "timestamp" NULLS FIRST', [profile]).fetchall()
        if not rows:
            raise StoreError(self.path, f"the store has no {profile} snapshots; run `whoholds ingest ... "
                                        f"--profile {profile}` first")
        days = [(r[1] - date).days for r in rows]
        best = min(range(len(rows)), key=lambda i: (abs(days[i]), days[i] > 0, -i if days[i] <= 0 else i))
        return self._row_with_file(dict(zip(keys, rows[best], strict=True))), days[best]

    def _row_with_file(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row, if its snapshot file is there: the cached-figure paths read no file, yet no figure may be
        served from a cache whose snapshot file is gone (the full check with sizes is ``store_check``)."""
        if not (self.path / str(row["file"])).is_file():
            raise StoreError(self.path / str(row["file"]),
                             f"snapshot file of {row['id']} is missing; re-ingest {row['source']} to restore it, "
                             f"or `whoholds snapshots remove {row['id']}` (see `whoholds store check`)")
        return row

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

    def vacuum(self) -> int:
        """Delete snapshot files (and temp files) that no catalog row references; returns how many."""
        known = {Path(f).name for (f,) in self.con.execute("SELECT file FROM snapshots").fetchall()}
        removed = 0
        for p in self.files.iterdir():
            if p.name not in known:
                p.unlink()
                removed += 1
        return removed
