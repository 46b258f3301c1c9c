"""A store in PostgreSQL/PostGIS for teams: the catalog, every snapshot's features and the area cache in one
database that many people query (psycopg 3).

Same catalog columns and the same snapshot ids as the embedded store (:class:`whoholds.store.Store`); the
features of a snapshot are rows of ``features`` with their geometry as PostGIS ``geometry(Geometry, 4326)``
(lon/lat WGS84, as in the GeoParquet files) and their other columns as JSON; ``areas`` and ``transfers`` hold
the same cache. Areas stay those computed in Python (exact geodesic areas on WGS84, one definition); PostGIS'
``ST_Area(geography)`` on the same densified polygons agrees to 1e-6 relative (a test checks it).

Writes take a transaction-scoped advisory lock (one writer at a time; readers never wait: MVCC) and are
atomic: a reader sees a snapshot's catalog row and all its features, or neither.

It implements the SQL primitives of :class:`whoholds.store_base.StoreBase`, so every command runs on it as on
the embedded store (``--store postgresql://…``); ``whoholds store copy`` moves stores between the two kinds
(:mod:`whoholds.store_copy`). The claims ledger lives here too (tables ``ledger_*``, :mod:`whoholds.claims.ledger`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import StoreError
from .store import PutResult, _jsonable, snapshot_key
from .store_base import CATALOG_COLUMNS, GeometrySource, StoreBase, display_location, is_postgres
from .store_check import CheckReport
from .types import Snapshot

__all__ = ["WRITE_LOCK", "PgGeometry", "PgStore", "is_postgres", "postgis_areas_km2"]

#: Advisory-lock key of writers (any constant shared by every whoholds process).
WRITE_LOCK = 0x77686F686F6C6473  # "whoholds"
_COLS = ", ".join(f'"{c}"' for c in CATALOG_COLUMNS)

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS snapshots (
    id TEXT PRIMARY KEY, profile TEXT NOT NULL, date DATE NOT NULL, "timestamp" TIMESTAMP,
    version INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, content_hash TEXT NOT NULL,
    file TEXT NOT NULL, n_features INTEGER NOT NULL, states TEXT NOT NULL, repairs TEXT NOT NULL,
    unmapped TEXT NOT NULL, dropped TEXT NOT NULL, ingested_at TIMESTAMP NOT NULL, columns TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_slot ON snapshots (profile, date, "timestamp");
CREATE TABLE IF NOT EXISTS features (
    snapshot_id TEXT NOT NULL REFERENCES snapshots (id), n INTEGER NOT NULL, state TEXT NOT NULL,
    props JSONB NOT NULL, geom geometry(Geometry, 4326), PRIMARY KEY (snapshot_id, n)
);
CREATE TABLE IF NOT EXISTS areas (
    snapshot_id TEXT NOT NULL, boundary_id TEXT NOT NULL, method TEXT NOT NULL,
    state TEXT NOT NULL, area_km2 DOUBLE PRECISION NOT NULL, overlap_km2 DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS areas_key ON areas (boundary_id, method, snapshot_id);
CREATE TABLE IF NOT EXISTS transfers (
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, boundary_id TEXT NOT NULL, method TEXT NOT NULL,
    from_state TEXT NOT NULL, to_state TEXT NOT NULL, area_km2 DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_key ON transfers (boundary_id, method, from_id);
CREATE TABLE IF NOT EXISTS boundaries (
    spec TEXT PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, note TEXT NOT NULL,
    source TEXT NOT NULL, area_km2 DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS change_pieces (
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, method TEXT NOT NULL, kind TEXT NOT NULL,
    from_state TEXT NOT NULL, to_state TEXT NOT NULL, geometry BYTEA
);
CREATE INDEX IF NOT EXISTS change_pieces_key ON change_pieces (method, from_id);
"""


def _json_value(value: Any) -> Any:
    """A feature property as JSON (NaN and missing values become null)."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


_LIST_PARAM = re.compile(r"IN \(SELECT unnest\(\?\)\)")
#: PostgreSQL type oids returned as datetime64 columns (DATE, TIMESTAMP, TIMESTAMPTZ), as DuckDB's frames do.
_TIME_OIDS = {1082, 1114, 1184}


def _dialect(sql: str) -> str:
    """The common dialect (see :mod:`whoholds.store_base`) → psycopg: ``%s`` placeholders, ``= ANY(list)``."""
    return _LIST_PARAM.sub("= ANY(?)", sql).replace("%", "%%").replace("?", "%s")


def _plain(value: Any) -> Any:
    """A frame cell as psycopg writes it (numpy scalars → Python, NaT/NaN → NULL, Timestamp → datetime)."""
    import pandas as pd

    if value is None or (not isinstance(value, (str, bytes, list)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


@dataclass(frozen=True)
class PgGeometry:
    """A snapshot's (states, geometries) from the database; picklable, for worker processes."""

    dsn: str
    snapshot_id: str

    def __call__(self) -> tuple[Any, Any]:
        import os

        import psycopg

        key = (self.dsn, os.getpid())  # one connection per worker process (never one inherited through fork)
        con = _WORKER_CONNECTIONS.get(key)
        if con is None or con.closed:
            con = _WORKER_CONNECTIONS[key] = psycopg.connect(self.dsn, autocommit=True)
        return _states_and_geometry(con, self.snapshot_id)


#: Connections of worker processes reading snapshots (:class:`PgGeometry`), by (address, process id).
_WORKER_CONNECTIONS: dict[tuple[str, int], Any] = {}


def _states_and_geometry(con: Any, snapshot_id: str) -> tuple[Any, Any]:
    import numpy as np
    import shapely

    got = con.execute("SELECT state, ST_AsBinary(geom) FROM features WHERE snapshot_id = %s ORDER BY n",
                      [snapshot_id]).fetchall()
    states = np.asarray([s for s, _ in got], dtype=object)
    return states, shapely.from_wkb(np.array([None if g is None else bytes(g) for _, g in got], dtype=object))


class PgStore(StoreBase):
    """A store in PostgreSQL/PostGIS at a ``postgresql://user@host/db`` address (see the module docstring)."""

    def __init__(self, dsn: str, *, create: bool = True) -> None:  # noqa: D107 -- the Store API, another backend
        try:
            import psycopg
        except ImportError:
            raise StoreError(display_location(dsn),
                             "a PostgreSQL store needs psycopg: pip install 'whoholds[postgres]'") from None
        self.path = display_location(dsn)  # what messages name (no password); no folder
        self.dsn = dsn
        self._depth = 0
        try:
            self.pg = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            raise StoreError(self.path, f"cannot connect ({type(exc).__name__}: {first})") from None
        if create:
            with self.transaction():
                self.pg.execute(_SCHEMA)
        else:
            have, complete = self.pg.execute("SELECT to_regclass('snapshots'), to_regclass('change_pieces')").fetchone()
            if have is None:
                raise StoreError(self.path, "no whoholds store in this database; run `whoholds ingest --store ...` or "
                                      "`whoholds store copy` into it first")
            if complete is None:  # a store made by an earlier version: add the tables it lacks (idempotent)
                with self.transaction():
                    self.execute(_SCHEMA)

    def close(self) -> None:
        self.pg.close()

    # ---- SQL primitives ---------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A database error (lost connection, missing privilege, ...) as one line naming the store."""
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            raise StoreError(self.path, f"database error ({type(exc).__name__}: {first})") from None

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._errors():
            return self.pg.execute(_dialect(sql), list(args)).fetchall()

    def frame(self, sql: str, args: Sequence[Any] = ()) -> Any:
        import pandas as pd

        with self._errors():
            cur = self.pg.execute(_dialect(sql), list(args))
            frame = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
        for d in cur.description:
            if d.type_code in _TIME_OIDS:
                frame[d.name] = pd.to_datetime(frame[d.name])
        return frame

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        with self._errors():
            self.pg.execute(_dialect(sql), list(args))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._errors(), self.pg.cursor() as cur:
            cur.executemany(_dialect(sql), [list(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction under the writers' advisory lock: one writer at a time, readers never wait (MVCC)."""
        if self._depth:
            yield
            return
        self._depth += 1
        try:
            with self._errors(), self.pg.transaction():
                self.pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                yield
        finally:
            self._depth -= 1

    def insert_frame(self, table: str, frame: Any) -> None:
        if not len(frame):
            return
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        with self._errors(), self.pg.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False):
                copy.write_row([_plain(v) for v in row])

    def tables(self) -> set[str]:
        return {r[0] for r in self.pg.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))")}

    # ---- features ---------------------------------------------------------------------------------
    def features(self, row: Any) -> Any:
        """The snapshot's features as the GeoDataFrame its GeoParquet file would hold (same columns, order)."""
        import geopandas as gpd
        import pandas as pd
        import shapely

        sid = row if isinstance(row, str) else row["id"]
        (columns,) = self.pg.execute("SELECT columns FROM snapshots WHERE id = %s", [sid]).fetchone()
        got = self.pg.execute("SELECT state, props, ST_AsBinary(geom) FROM features WHERE snapshot_id = %s "
                              "ORDER BY n", [sid]).fetchall()
        data: dict[str, list] = {c: [] for c in json.loads(columns) if c != "geometry"}
        for state, props, _ in got:
            data["state"].append(state)
            for c in data:
                if c != "state":
                    data[c].append(props.get(c))
        geoms = shapely.from_wkb([bytes(g) if g is not None else None for _, _, g in got])
        return gpd.GeoDataFrame(pd.DataFrame(data), geometry=list(geoms), crs="EPSG:4326")

    def geometry_sources(self, ids: Sequence[str]) -> dict[str, GeometrySource]:
        return {sid: PgGeometry(self.dsn, sid) for sid in ids}

    def states_and_geometry(self, snapshot_id: str) -> tuple[Any, Any]:
        return _states_and_geometry(self.pg, snapshot_id)

    # ---- writing ----------------------------------------------------------------------------------
    def write_file(self, snapshot: Snapshot) -> str:
        return snapshot_key(snapshot)  # features go into the database with the catalog row

    def put(self, snapshot: Snapshot, *, file_written: bool = False) -> PutResult:
        return self.put_many([snapshot])[0]

    def put_many(self, snapshots: list[Snapshot], *, rows: list[dict] | None = None) -> list[PutResult]:
        """Store snapshots in one transaction under the writers' advisory lock, in the given order.

        ``rows`` (for a copy): their catalog rows as stored elsewhere, kept as they are (id, version, ingested_at).
        """
        import shapely

        if not snapshots:
            return []
        ids = [r["id"] for r in rows] if rows is not None else [snapshot_key(s) for s in snapshots]
        results: list[PutResult] = []
        with self.transaction():
            known = dict(self.pg.execute("SELECT id, version FROM snapshots WHERE id = ANY(%s)", [ids]).fetchall())
            slots = self.pg.execute(
                'SELECT profile, date, "timestamp", max(version) FROM snapshots WHERE profile = ANY(%s) '
                'GROUP BY profile, date, "timestamp"', [sorted({s.profile for s in snapshots})]).fetchall()
            top = {(p, d, t): v for p, d, t, v in slots}
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            for i, (sid, snap) in enumerate(zip(ids, snapshots, strict=True)):
                if sid in known:
                    snap.id, snap.version = sid, known[sid]
                    results.append(PutResult("unchanged", sid, known[sid], snap.date, snap.source))
                    continue
                f = snap.features
                if rows is not None:
                    row = dict(rows[i])
                else:
                    slot = (snap.profile, snap.date, snap.timestamp)
                    top[slot] = top.get(slot, 0) + 1
                    states = f["state"].value_counts().to_dict() if len(f) else {}
                    row = dict(zip(CATALOG_COLUMNS, (
                        sid, snap.profile, snap.date, snap.timestamp, top[slot], snap.kind, snap.source,
                        snap.content_hash, f"snapshots/{sid}.parquet", len(f), _jsonable(states),
                        _jsonable(snap.repairs), _jsonable(snap.unmapped), _jsonable(snap.dropped), now), strict=True))
                known[sid] = int(row["version"])
                snap.id, snap.version = sid, int(row["version"])
                props = [c for c in f.columns if c not in ("state", "geometry")]
                self.pg.execute(
                    f"INSERT INTO snapshots ({_COLS}, columns) "
                    f"VALUES ({', '.join(['%s'] * (len(CATALOG_COLUMNS) + 1))})",
                    [*(row[c] for c in CATALOG_COLUMNS), json.dumps(list(f.columns))])
                # hex EWKB with SRID 4326: what COPY into a geometry(Geometry, 4326) column takes
                ewkb = shapely.to_wkb(shapely.set_srid(f.geometry.to_numpy(), 4326), hex=True, include_srid=True)
                with self.pg.cursor().copy("COPY features (snapshot_id, n, state, props, geom) FROM STDIN") as copy:
                    for n, (state, geom) in enumerate(zip(f["state"].tolist(), ewkb, strict=True)):
                        values = {c: _json_value(f[c].iloc[n]) for c in props}
                        copy.write_row([sid, n, state, json.dumps(values), geom])
                status = "new" if int(row["version"]) == 1 else "new_version"
                results.append(PutResult(status, sid, int(row["version"]), snap.date, snap.source))
        return results

    def put_copies(self, rows: Any, frames: list[Any]) -> set[str]:
        """The catalog rows kept as they are; another writer may store some meanwhile (then not ours)."""
        snaps = [_as_snapshot(row, f) for (_, row), f in zip(rows.iterrows(), frames, strict=True)]
        results = self.put_many(snaps, rows=[_native(row) for _, row in rows.iterrows()])
        return {r.id for r in results if r.status != "unchanged"}

    def delete_snapshot_rows(self, ids: Sequence[str]) -> None:
        self.execute("DELETE FROM features WHERE snapshot_id IN (SELECT unnest(?))", [list(ids)])
        super().delete_snapshot_rows(ids)

    # ---- integrity --------------------------------------------------------------------------------
    def check(self, *, record_missing_hashes: bool = False) -> CheckReport:
        """Every catalog row has all its features (a copy or ingest cut short would show here)."""
        rows = self.rows("SELECT s.id, s.file, s.n_features, count(f.n) FROM snapshots s LEFT JOIN features f "
                         "ON f.snapshot_id = s.id GROUP BY s.id, s.file, s.n_features, s.date "
                         "ORDER BY s.date, s.id")
        report = CheckReport(snapshots=len(rows))
        for sid, rel, expected, got in rows:
            if got == 0 and expected:
                report.missing.append((sid, rel))
            elif got != expected:
                report.changed.append((sid, rel))
            else:
                report.ok += 1
        return report


def _native(row: Any) -> dict:
    """A catalog row (pandas) as the Python values psycopg stores."""
    import pandas as pd

    out = {}
    for c in CATALOG_COLUMNS:
        v = row[c]
        if c == "date":
            v = pd.Timestamp(v).date()
        elif c in ("timestamp", "ingested_at"):
            v = None if pd.isna(v) else pd.Timestamp(v).to_pydatetime()
        elif hasattr(v, "item"):
            v = v.item()
        out[c] = v
    return out


def _as_snapshot(row: Any, features: Any) -> Snapshot:
    import pandas as pd

    ts = row["timestamp"]
    return Snapshot(date=pd.Timestamp(row["date"]).date(), source=row["source"], profile=row["profile"],
                    kind=row["kind"], features=features, content_hash=row["content_hash"],
                    repairs=json.loads(row["repairs"]), unmapped=json.loads(row["unmapped"]),
                    dropped=json.loads(row["dropped"]), version=int(row["version"]), id=row["id"],
                    timestamp=None if pd.isna(ts) else pd.Timestamp(ts).to_pydatetime())


def postgis_areas_km2(store: PgStore, geoms: Any, *, segment_deg: float | None = 0.001) -> Any:
    """``ST_Area(geography)`` of each geometry (lon/lat WGS84), km²: PostGIS' ellipsoidal area, to cross-check
    the areas computed in Python.

    The conventions differ on what an edge is: whoholds integrates each (densified, <= 2 km) edge exactly as
    a straight line in longitude/latitude, PostGIS takes it as a geodesic; the sliver between the two grows
    with the cube of the edge's length. ``segment_deg`` adds vertices on the lon/lat line itself
    (``ST_Segmentize`` in degrees), which leaves whoholds' area unchanged and brings the geodesic between
    close vertices onto that line, so both compute the area of the same polygons.
    """
    import numpy as np
    import shapely

    wkb = shapely.to_wkb(np.asarray(geoms, dtype=object), hex=False)
    geom = "ST_GeomFromWKB(g, 4326)" if segment_deg is None else "ST_Segmentize(ST_GeomFromWKB(g, 4326), %s)"
    args: list[Any] = [] if segment_deg is None else [float(segment_deg)]
    rows = store.pg.execute(f"SELECT ST_Area(geography({geom}), true) / 1e6 FROM unnest(%s::bytea[]) "
                            "WITH ORDINALITY AS t(g, i) ORDER BY i", [*args, list(wkb)]).fetchall()
    return np.array([r[0] for r in rows], dtype=float)
