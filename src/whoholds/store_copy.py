"""``whoholds store copy SRC DEST``: move a store between the embedded kind (a folder: GeoParquet + DuckDB) and
PostgreSQL/PostGIS (``postgresql://…``), without loss.

Every catalog row is copied as it is (id, version, ingest time), every snapshot's features (all columns, the
geometry bit for bit), the figure cache (areas, transfers, change pieces), the remembered boundaries and the
claims ledger; snapshots the destination already holds are left alone, and their cache rows are not copied
twice. :func:`store_digest` hashes all of that, so a round trip can be checked: the digest of the source
equals the digest of the copy. Written once over the Store interface: the same code for every pair of kinds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .store_base import CATALOG_COLUMNS, KEYED_TABLES, StoreBase, open_store

#: Snapshots per destination transaction.
BATCH = 64
#: Cache tables: table → the columns naming the snapshots a row belongs to.
CACHE_TABLES = {"areas": ("snapshot_id",), "transfers": ("from_id", "to_id"), "change_pieces": ("from_id", "to_id")}


@dataclass
class CopyReport:
    snapshots: int = 0  # in the source
    copied: int = 0
    already_there: int = 0
    area_rows: int = 0
    transfer_rows: int = 0
    ledger_rows: int = 0


def open_store_at(location: str | Path, *, create: bool = False) -> StoreBase:
    """An embedded store for a folder, a PostgreSQL store for a ``postgresql://`` address."""
    return open_store(location, create=create)


def copy_store(src: StoreBase, dest: StoreBase) -> CopyReport:
    """Copy every snapshot, its features, the caches and the ledger of ``src`` into ``dest`` (module docstring)."""
    report = CopyReport()
    catalog = src.catalog()
    report.snapshots = len(catalog)
    have = set(dest.catalog()["id"])
    todo = catalog[~catalog["id"].isin(have)].reset_index(drop=True)
    inserted: set[str] = set()
    for start in range(0, len(todo), BATCH):
        rows = todo.iloc[start:start + BATCH]
        inserted |= dest.put_copies(rows, [src.features(row) for _, row in rows.iterrows()])
    report.copied, report.already_there = len(inserted), len(catalog) - len(inserted)
    present = src.tables()
    for table, cols in CACHE_TABLES.items():
        if table not in present:
            continue
        frame = src.table(table)
        mine = frame[cols[0]].isin(inserted)
        for c in cols[1:]:
            mine |= frame[c].isin(inserted)
        # another writer may have stored some snapshots meanwhile: their cache rows are its to write
        n = dest.add_rows(table, frame[mine])
        if table == "areas":
            report.area_rows = n
        elif table == "transfers":
            report.transfer_rows = n
    for name, text in src.kept_texts().items():  # a user's profile YAML
        if dest.kept_text(name) is None:
            dest.keep_text(name, text)
    if {"ledger_sources", "ledger_figures"} & present:
        dest.ensure_ledger()
    for table, key in KEYED_TABLES.items():
        if table in present:
            n = dest.add_rows(table, src.table(table), key)
            report.ledger_rows += n if table.startswith("ledger") else 0
    return report


def store_digest(store: StoreBase) -> str:
    """SHA-256 of a store's whole content: catalog rows, every snapshot's features (columns, values, geometry as
    WKB), the caches, the boundaries and the ledger (exact values), in a canonical order -- equal for a store
    and its copy."""
    import pandas as pd
    import shapely

    h = hashlib.sha256()
    catalog = store.catalog().sort_values("id").reset_index(drop=True)
    for _, row in catalog.iterrows():
        values = [("" if pd.isna(row[c]) else str(pd.Timestamp(row[c])) if c in ("date", "timestamp", "ingested_at")
                   else str(row[c])) for c in CATALOG_COLUMNS]
        h.update(json.dumps(values).encode())
        frame = store.features(row)
        h.update(json.dumps(list(frame.columns)).encode())
        for c in frame.columns:
            if c == "geometry":
                for wkb in shapely.to_wkb(frame.geometry.to_numpy(), hex=True):
                    h.update(str(wkb).encode())
            else:
                h.update(json.dumps([None if pd.isna(v) else v for v in frame[c].tolist()], default=str).encode())
    h.update(json.dumps(store.kept_texts(), sort_keys=True).encode())
    present = store.tables()
    for table in [*CACHE_TABLES, *KEYED_TABLES]:
        if table not in present:
            continue
        frame = store.table(table)
        if not len(frame):
            continue
        cols = sorted(frame.columns)
        rows = sorted(tuple(_canonical(v) for v in r) for r in frame[cols].itertuples(index=False))
        h.update(json.dumps([table, cols, rows]).encode())
    return h.hexdigest()


def _canonical(value: object) -> str:
    """One text per value whichever backend read it (NULL/NaN/NaT alike, timestamps and bytes as text)."""
    import pandas as pd

    if value is None or (not isinstance(value, (str, bytes, bytearray, memoryview)) and pd.isna(value)):
        return "null"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "isoformat"):
        return str(pd.Timestamp(value))
    if hasattr(value, "item"):
        value = value.item()
    return repr(value)
