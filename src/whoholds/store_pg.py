"""A store in PostgreSQL/PostGIS for teams: the catalog, every snapshot's features and the area cache in one
database that many people query (psycopg 3).

Same catalog columns and the same snapshot ids as the embedded store (:class:`whoholds.store.Store`); the
features of a snapshot are rows of ``features`` with their geometry as PostGIS ``geometry(Geometry, 4326)``
(lon/lat WGS84, as in the GeoParquet files) and their other columns as JSON; ``areas`` and ``transfers`` hold
the same cache. Areas stay those computed in Python (exact geodesic areas on WGS84, one definition); PostGIS'
``ST_Area(geography)`` on the same densified polygons agrees to 1e-6 relative (a test checks it).

Writes take a transaction-scoped advisory lock (one writer at a time; readers never wait: MVCC) and are
atomic: a reader sees a snapshot's catalog row and all its features, or neither.

What it serves today: the catalog queries of the Store interface (``catalog``, ``current``, ``dates``,
``get``, ``latest``, ``nearest``, ``on_or_before``) and ``put_many``; ``whoholds store copy`` moves stores
between the two kinds (:mod:`whoholds.store_copy`). The metrics still query the embedded store's DuckDB
catalog directly, so ``shares``/``timeline`` run on an embedded store (copy one out to use them).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .errors import StoreError
from .store import PutResult, Store, _jsonable, snapshot_key
from .types import Snapshot

#: Advisory-lock key of writers (any constant shared by every whoholds process).
WRITE_LOCK = 0x77686F686F6C6473  # "whoholds"
CATALOG_COLUMNS = ["id", "profile", "date", "timestamp", "version", "kind", "source", "content_hash", "file",
                   "n_features", "states", "repairs", "unmapped", "dropped", "ingested_at"]
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
CREATE TABLE IF NOT EXISTS transfers (
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, boundary_id TEXT NOT NULL, method TEXT NOT NULL,
    from_state TEXT NOT NULL, to_state TEXT NOT NULL, area_km2 DOUBLE PRECISION NOT NULL
);
"""


def is_postgres(location: Any) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def _json_value(value: Any) -> Any:
    """A feature property as JSON (NaN and missing values become null)."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


class PgStore(Store):
    """A store in PostgreSQL/PostGIS at a ``postgresql://user@host/db`` address (see the module docstring)."""

    def __init__(self, dsn: str, *, create: bool = True) -> None:  # noqa: D107 -- the Store API, another backend
        try:
            import psycopg
        except ImportError:
            raise StoreError(dsn, "a PostgreSQL store needs psycopg: pip install 'whoholds[postgres]'") from None
        self.path = dsn  # what messages name; no folder
        self.dsn = dsn
        try:
            self.pg = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(dsn, f"cannot connect ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
        if create:
            with self.pg.transaction():
                self.pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                self.pg.execute(_SCHEMA)
        elif self.pg.execute("SELECT to_regclass('snapshots')").fetchone()[0] is None:
            raise StoreError(dsn, "no whoholds store in this database; run `whoholds store copy` into it first")

    def close(self) -> None:
        self.pg.close()

    def _frame(self, sql: str, args: list[Any] | None = None) -> Any:
        import pandas as pd

        cur = self.pg.execute(sql, args or [])
        cols = [d.name for d in cur.description]
        frame = pd.DataFrame(cur.fetchall(), columns=cols)
        for col in ("date", "timestamp", "ingested_at"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col])
        return frame

    # ---- writing ----------------------------------------------------------------------------------
    def write_file(self, snapshot: Snapshot) -> str:
        return snapshot_key(snapshot)  # features go into the database with the catalog row

    def put_many(self, snapshots: list[Snapshot], *, rows: list[dict] | None = None) -> list[PutResult]:
        """Store snapshots in one transaction under the writers' advisory lock, in the given order.

        ``rows`` (for a copy): their catalog rows as stored elsewhere, kept as they are (id, version, ingested_at).
        """
        import shapely

        if not snapshots:
            return []
        ids = [r["id"] for r in rows] if rows is not None else [snapshot_key(s) for s in snapshots]
        results: list[PutResult] = []
        with self.pg.transaction():
            self.pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            known = dict(self.pg.execute("SELECT id, version FROM snapshots WHERE id = ANY(%s)", [ids]).fetchall())
            slots = self.pg.execute(
                'SELECT profile, date, "timestamp", max(version) FROM snapshots WHERE profile = ANY(%s) '
                'GROUP BY profile, date, "timestamp"', [sorted({s.profile for s in snapshots})]).fetchall()
            top = {(p, d, t): v for p, d, t, v in slots}
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            for i, (sid, snap) in enumerate(zip(ids, snapshots, strict=True)):
                if sid in known:
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

    def put_cache(self, areas: Any, transfers: Any) -> None:
        """Add rows to the area cache (frames with the columns of the embedded store's tables)."""
        with self.pg.transaction():
            self.pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            for table, frame in (("areas", areas), ("transfers", transfers)):
                if len(frame):
                    cols = ", ".join(frame.columns)
                    with self.pg.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in frame.itertuples(index=False):
                            copy.write_row(list(row))

    def stored_sources(self, profile: str) -> frozenset[tuple[str, str]]:
        rows = self.pg.execute("SELECT DISTINCT content_hash, source FROM snapshots WHERE profile = %s",
                               [profile]).fetchall()
        return frozenset((h, src) for h, src in rows)

    # ---- reading ----------------------------------------------------------------------------------
    def catalog(self, profile: str | None = None) -> Any:
        where, args = ("WHERE profile = %s", [profile]) if profile else ("", [])
        return self._frame(f'SELECT {_COLS} FROM snapshots {where} ORDER BY profile, date, "timestamp" NULLS FIRST, '
                           "version", args)

    def current(self, profile: str, start: dt.date | None = None, end: dt.date | None = None) -> Any:
        rows = self._frame(
            f'SELECT {_COLS} FROM (SELECT *, row_number() OVER (PARTITION BY date, "timestamp" ORDER BY version DESC) '
            'AS rn FROM snapshots WHERE profile = %s) s WHERE rn = 1 ORDER BY date, "timestamp" NULLS FIRST',
            [profile])
        if start is not None:
            rows = rows[rows["date"].dt.date >= start]
        if end is not None:
            rows = rows[rows["date"].dt.date <= end]
        return rows.reset_index(drop=True)

    def dates(self, profile: str) -> list[dt.date]:
        rows = self.pg.execute("SELECT DISTINCT date FROM snapshots WHERE profile = %s ORDER BY date",
                               [profile]).fetchall()
        return [r[0] for r in rows]

    def get(self, snapshot_id: str) -> Snapshot:
        row = self._frame(f"SELECT {_COLS} FROM snapshots WHERE id = %s", [snapshot_id])
        if row.empty:
            raise StoreError(self.path, f"no snapshot with id {snapshot_id}")
        return self._load(row.iloc[0])

    def features(self, snapshot_id: str) -> Any:
        """The snapshot's features as the GeoDataFrame its GeoParquet file would hold (same columns, order)."""
        import geopandas as gpd
        import pandas as pd
        import shapely

        (columns,) = self.pg.execute("SELECT columns FROM snapshots WHERE id = %s", [snapshot_id]).fetchone()
        got = self.pg.execute("SELECT state, props, ST_AsBinary(geom) FROM features WHERE snapshot_id = %s "
                              "ORDER BY n", [snapshot_id]).fetchall()
        data: dict[str, list] = {c: [] for c in json.loads(columns) if c != "geometry"}
        for state, props, _ in got:
            data["state"].append(state)
            for c in data:
                if c != "state":
                    data[c].append(props.get(c))
        geoms = shapely.from_wkb([bytes(g) if g is not None else None for _, _, g in got])
        return gpd.GeoDataFrame(pd.DataFrame(data), geometry=list(geoms), crs="EPSG:4326")

    def _load(self, row: Any) -> Snapshot:
        import pandas as pd

        ts = row["timestamp"]
        return Snapshot(
            date=pd.Timestamp(row["date"]).date(), source=row["source"], profile=row["profile"],
            kind=row["kind"], features=self.features(row["id"]), content_hash=row["content_hash"],
            repairs=json.loads(row["repairs"]), unmapped=json.loads(row["unmapped"]),
            dropped=json.loads(row["dropped"]), version=int(row["version"]), id=row["id"],
            timestamp=None if pd.isna(ts) else pd.Timestamp(ts).to_pydatetime(),
        )

    def cache(self) -> tuple[Any, Any]:
        """(areas, transfers): the whole area cache, as frames."""
        return (self._frame("SELECT * FROM areas"), self._frame("SELECT * FROM transfers"))

    def vacuum(self) -> int:
        return 0  # no files: features live and die with their catalog row



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
