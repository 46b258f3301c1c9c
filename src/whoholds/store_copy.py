"""``whoholds store copy SRC DEST``: move a store between the embedded kind (a folder: GeoParquet + DuckDB) and
PostgreSQL/PostGIS (``postgresql://…``), without loss.

Every catalog row is copied as it is (id, version, ingest time), every snapshot's features (all columns, the
geometry bit for bit) and the area cache; snapshots the destination already holds are left alone, and their
cache rows are not copied twice. :func:`store_digest` hashes all of that, so a round trip can be checked:
the digest of the source equals the digest of the copy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .store import Store, atomic_write_parquet
from .store_pg import CATALOG_COLUMNS, PgStore, is_postgres

#: Snapshots per destination transaction.
BATCH = 64


@dataclass
class CopyReport:
    snapshots: int = 0  # in the source
    copied: int = 0
    already_there: int = 0
    area_rows: int = 0
    transfer_rows: int = 0


def open_store_at(location: str | Path, *, create: bool = False) -> Store:
    """An embedded store for a folder, a PostgreSQL store for a ``postgresql://`` address."""
    return PgStore(str(location), create=create) if is_postgres(location) else Store(location, create=create)


def _cache(store: Store) -> tuple[Any, Any]:
    if isinstance(store, PgStore):
        return store.cache()
    return (store.con.execute("SELECT * FROM areas").df(), store.con.execute("SELECT * FROM transfers").df())


def _features(store: Store, row: Any) -> Any:
    if isinstance(store, PgStore):
        return store.features(row["id"])
    from .store import read_snapshot_file

    return read_snapshot_file(Path(store.path) / row["file"])


def _put_embedded(dest: Store, rows: Any, frames: list[Any], areas: Any, transfers: Any) -> None:
    """Files first (atomic), then the catalog rows and the cache rows in one transaction."""
    for (_, row), frame in zip(rows.iterrows(), frames, strict=True):
        atomic_write_parquet(frame, Path(dest.path) / row["file"])
    dest.con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in (("snapshots", rows[CATALOG_COLUMNS]), ("areas", areas), ("transfers", transfers)):
            if len(frame):
                dest.con.register("_copied", frame)
                cols = ", ".join(f'"{c}"' for c in frame.columns)
                dest.con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _copied")
                dest.con.unregister("_copied")
        dest.con.execute("COMMIT")
    except BaseException:
        dest.con.execute("ROLLBACK")
        raise


def copy_store(src: Store, dest: Store) -> CopyReport:
    """Copy every snapshot, its features and the area cache of ``src`` into ``dest`` (see the module docstring)."""
    report = CopyReport()
    catalog = src.catalog()
    report.snapshots = len(catalog)
    have = set(dest.catalog()["id"]) if len(dest.catalog()) else set()
    todo = catalog[~catalog["id"].isin(have)].reset_index(drop=True)
    areas, transfers = _cache(src)
    inserted: set[str] = set()
    for start in range(0, len(todo), BATCH):
        rows = todo.iloc[start:start + BATCH]
        frames = [_features(src, row) for _, row in rows.iterrows()]
        if isinstance(dest, PgStore):
            snaps = [src._load(row) if isinstance(src, PgStore) else _as_snapshot(row, f)
                     for (_, row), f in zip(rows.iterrows(), frames, strict=True)]
            results = dest.put_many(snaps, rows=[_native(row) for _, row in rows.iterrows()])
            # another writer may have stored some meanwhile: their cache rows are its to write
            inserted |= {r.id for r in results if r.status != "unchanged"}
        else:
            _put_embedded(dest, rows, frames, areas.iloc[:0], transfers.iloc[:0])
            inserted |= set(rows["id"])
    areas = areas[areas["snapshot_id"].isin(inserted)]
    transfers = transfers[transfers["from_id"].isin(inserted) | transfers["to_id"].isin(inserted)]
    report.copied, report.already_there = len(inserted), len(catalog) - len(inserted)
    report.area_rows, report.transfer_rows = len(areas), len(transfers)
    if isinstance(dest, PgStore):
        dest.put_cache(areas, transfers)
    else:
        _put_embedded(dest, todo.iloc[:0], [], areas, transfers)
    return report


def _native(row: Any) -> dict:
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


def _as_snapshot(row: Any, features: Any) -> Any:
    import pandas as pd

    from .types import Snapshot

    ts = row["timestamp"]
    return Snapshot(date=pd.Timestamp(row["date"]).date(), source=row["source"], profile=row["profile"],
                    kind=row["kind"], features=features, content_hash=row["content_hash"],
                    repairs=json.loads(row["repairs"]), unmapped=json.loads(row["unmapped"]),
                    dropped=json.loads(row["dropped"]), version=int(row["version"]), id=row["id"],
                    timestamp=None if pd.isna(ts) else pd.Timestamp(ts).to_pydatetime())


def store_digest(store: Store) -> str:
    """SHA-256 of a store's whole content: catalog rows, every snapshot's features (columns, values, geometry as
    WKB) and the area cache (exact float values), in a canonical order -- equal for a store and its copy."""
    import pandas as pd
    import shapely

    h = hashlib.sha256()
    catalog = store.catalog().sort_values("id").reset_index(drop=True)
    for _, row in catalog.iterrows():
        values = [("" if pd.isna(row[c]) else str(pd.Timestamp(row[c])) if c in ("date", "timestamp", "ingested_at")
                   else str(row[c])) for c in CATALOG_COLUMNS]
        h.update(json.dumps(values).encode())
        frame = _features(store, row)
        h.update(json.dumps(list(frame.columns)).encode())
        for c in frame.columns:
            if c == "geometry":
                for wkb in shapely.to_wkb(frame.geometry.to_numpy(), hex=True):
                    h.update(str(wkb).encode())
            else:
                h.update(json.dumps([None if pd.isna(v) else v for v in frame[c].tolist()], default=str).encode())
    for frame in _cache(store):
        cols = sorted(frame.columns)
        rows = sorted(tuple(repr(v) for v in r) for r in frame[cols].itertuples(index=False))
        h.update(json.dumps([cols, rows]).encode())
    return h.hexdigest()
