"""Store integrity: remove snapshots, verify files against their recorded hashes, find missing files.

A snapshot's GeoParquet file is hashed when it is stored (table ``file_hashes``); ``check_store``
re-hashes every file and reports missing, changed and orphan files. Cached figures (tables ``areas`` and
``transfers``) are only valid while the files they came from exist unchanged: :func:`require_files`
refuses to serve from a store whose files are gone, and :func:`remove_snapshots` deletes a snapshot's
catalog row and every cached figure that involves it in one transaction (the file goes after the commit:
a crash in between leaves an orphan file, which ``Store.vacuum`` removes, never a row without a file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QueryError, StoreError
from .store_features import CHUNKS, MEMBERS, is_members_row

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store

_HASHES = """CREATE TABLE IF NOT EXISTS file_hashes (
    id VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL)"""
#: Catalog tables that cache figures computed from snapshot files: (table, columns naming snapshot ids).
CACHE_TABLES = (("areas", ("snapshot_id",)), ("transfers", ("from_id", "to_id")))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _ensure(store: Store) -> None:
    store.execute(_HASHES)


#: Public name of :func:`_ensure` (the feature store records its chunk files' hashes in the same table).
ensure_hashes = _ensure


def check_store_writable(store: Store) -> None:
    """StoreError before any work when the store's folders cannot be written (read-only folder, mount)."""
    import os

    if getattr(store, "read_only", False):
        raise StoreError(store.path, "the store is read-only (opened for reading only); fix its permissions or "
                                     "pass another --store")
    if store.files is None:  # features live in the database: its permissions decide, at the first write
        return
    for folder in (store.path, store.files):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(folder, "the store folder is not writable; fix its permissions or pass another --store")


def record_file_hashes(store: Store, ids: Iterable[str]) -> None:
    """Record the hash and size of the files of ``ids`` (not yet recorded)."""
    ids = sorted(set(ids))
    if not ids or store.files is None:
        return
    _ensure(store)
    rows = store.rows("SELECT s.id, s.file FROM snapshots s LEFT JOIN file_hashes h ON h.id = s.id "
                      "WHERE s.id IN (SELECT unnest(?)) AND h.id IS NULL AND s.file <> ?", [ids, MEMBERS])
    values = []
    for sid, rel in rows:
        path = store.path / rel
        if path.exists():
            values.append((sid, file_sha256(path), path.stat().st_size))
    if values:  # one statement: DuckDB's executemany runs one statement per row (10-20 ms each on disk)
        ids_, shas, sizes = (list(col) for col in zip(*values, strict=True))
        store.execute("INSERT INTO file_hashes SELECT unnest(?), unnest(?), unnest(?) ON CONFLICT DO NOTHING",
                      [ids_, shas, sizes])


def missing_files(store: Store, rows: pd.DataFrame | list[dict]) -> list[tuple[str, str, str]]:
    """(id, file, source) of the catalog ``rows`` (a frame or plain records) whose snapshot file does not
    exist, or whose size differs from the one recorded when it was stored (a truncated file: a stat, no
    hashing)."""
    _ensure(store)
    recs = rows if isinstance(rows, list) else rows[["id", "file", "source"]].to_dict("records")
    sizes = dict(store.rows("SELECT id, bytes FROM file_hashes WHERE id IN (SELECT unnest(?))",
                            [[r["id"] for r in recs]]))
    bad = []
    members = [r for r in recs if is_members_row(r["file"])]
    if members:  # format 2: the chunk files their features are in
        from .store_members import damaged_snapshots

        gone = damaged_snapshots(store, [r["id"] for r in members])
        bad.extend((r["id"], gone[r["id"]][0], r["source"]) for r in members if r["id"] in gone)
        recs = [r for r in recs if not is_members_row(r["file"])]
    for r in recs:
        try:
            size = (store.path / r["file"]).stat().st_size
        except OSError:
            bad.append((r["id"], r["file"], r["source"]))
            continue
        if r["id"] in sizes and sizes[r["id"]] != size:
            bad.append((r["id"], r["file"], r["source"]))
    return bad


def require_files(store: Store, rows: pd.DataFrame | list[dict]) -> None:
    """StoreError when a snapshot file of ``rows`` is missing: no figure is served from its cache."""
    if len(rows) == 0:
        return
    gone = missing_files(store, rows)
    if gone:
        sid, rel, source = gone[0]
        more = f" (and {len(gone) - 1} more)" if len(gone) > 1 else ""
        raise StoreError(store.path / rel, f"snapshot file of {sid} is missing or damaged{more}; re-ingest "
                                           f"{source} to restore it, or `whoholds snapshots remove {sid}` "
                                           "(see `whoholds store check`)")


def present_sources(store: Store, profile: str) -> frozenset[tuple[str, str]]:
    """(content hash, source) of the profile's stored snapshots whose files are intact: re-reading such a
    source would change nothing. A file that is missing or damaged (size differs from the recorded one)
    is deleted here, so re-ingesting its source writes it again."""
    if store.files is None:  # features live in the database, with their catalog rows
        return store.stored_sources(profile)
    rows = store.frame("SELECT id, content_hash, source, file FROM snapshots WHERE profile = ?", [profile])
    if rows.empty:
        return frozenset()
    missing = missing_files(store, rows)
    bad_ids = {sid for sid, _, _ in missing}
    for r in rows.itertuples():
        if r.id in bad_ids and not is_members_row(r.file):
            (store.path / r.file).unlink(missing_ok=True)
    chunks = sorted({rel for _, rel, _ in missing if rel.startswith(f"{CHUNKS}/")})  # damaged chunk files
    if chunks:  # format 2: every snapshot with features in a damaged chunk is read again
        from .store_members import forget_chunks, snapshots_in

        bad_ids |= set(snapshots_in(store, chunks))
        forget_chunks(store, chunks)
    gone = {(r.content_hash, r.source) for r in rows.itertuples() if r.id in bad_ids}
    return frozenset((r.content_hash, r.source) for r in rows.itertuples() if (r.content_hash, r.source) not in gone)


@dataclass
class CheckReport:
    snapshots: int = 0
    ok: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (id, file)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (id, file)
    unhashed: list[str] = field(default_factory=list)  # ids stored before hashes were recorded
    orphans: list[str] = field(default_factory=list)  # files no catalog row names

    @property
    def healthy(self) -> bool:
        return not self.missing and not self.changed


def check_store(store: Any, *, record_missing_hashes: bool = False) -> CheckReport:
    """Verify every snapshot's stored features (embedded: files present and equal to their recorded hashes;
    PostgreSQL: every catalog row has all its features)."""
    return store.check(record_missing_hashes=record_missing_hashes)


def check_files(store: Store, *, record_missing_hashes: bool = False) -> CheckReport:
    """The embedded store's check: every snapshot file present, and equal to the hash recorded when stored."""
    _ensure(store)
    rows = store.rows("SELECT s.id, s.file, h.sha256, h.bytes FROM snapshots s LEFT JOIN file_hashes h "
                      "ON h.id = s.id ORDER BY s.date, s.id")
    report = CheckReport(snapshots=len(rows))
    known = set()
    from .store_members import damaged_snapshots

    in_bad = damaged_snapshots(store, deep=True)
    for sid, rel, sha, size in rows:
        if is_members_row(rel):  # format 2: whole if the chunk files of its features are
            if sid in in_bad:
                chunk, why = in_bad[sid]
                (report.missing if why == "missing" else report.changed).append((sid, chunk))
            else:
                report.ok += 1
            continue
        path = store.path / rel
        known.add(Path(rel).name)
        if not path.exists():
            report.missing.append((sid, rel))
        elif sha is None:
            report.unhashed.append(sid)
            report.ok += 1
        elif path.stat().st_size != size or file_sha256(path) != sha:
            report.changed.append((sid, rel))
        else:
            report.ok += 1
    if store.files.exists():
        report.orphans = sorted(p.name for p in store.files.iterdir() if p.name not in known)
    chunks = store.path / CHUNKS
    if chunks.is_dir():
        used = {Path(c).name for (c,) in store.rows("SELECT DISTINCT chunk FROM feature_chunks")}
        report.orphans += sorted(f"{CHUNKS}/{p.name}" for p in chunks.iterdir() if p.name not in used)
    if record_missing_hashes and report.unhashed:
        record_file_hashes(store, report.unhashed)
    return report


def snapshot_ids(store: Store, ids: Iterable[str] = (), date: dt.date | None = None,
                 profile: str | None = None) -> list[str]:
    """Catalog ids for ``ids`` (full or unique prefixes) and/or every version of ``date``; QueryError if none."""
    out: list[str] = []
    for raw in ids:
        hits = store.ids_like(raw)
        if not hits:
            raise QueryError(raw, "no snapshot with this id (see `whoholds snapshots`)")
        if len(hits) > 1:
            raise QueryError(raw, f"id prefix matches {len(hits)} snapshots; give more characters")
        out.extend(hits)
    if date is not None:
        hits = store.ids_on(date, profile)
        if not hits:
            raise QueryError(date, f"no snapshot on this date{f' for profile {profile}' if profile else ''}")
        out.extend(hits)
    return sorted(set(out))


def remove_snapshots(store: Store, ids: list[str]) -> list[str]:
    """Remove snapshots, their cached figures and their files (atomic in the catalog). Returns the files
    removed. Figures of neighbouring snapshots that were computed across a removed one are dropped too,
    so the next query recomputes them from the files that remain."""
    if not ids:
        return []
    check_store_writable(store)
    rows = store.rows("SELECT id, file FROM snapshots WHERE id IN (SELECT unnest(?))", [ids])
    if not rows:
        raise StoreError(store.path, "none of these snapshots is in the store")
    with store.transaction():
        store.delete_snapshot_rows(ids)
    files = getattr(store, "files", None)
    if files is None:  # features live in the database: gone with their rows
        return []
    still = {r[0] for r in store.rows("SELECT file FROM snapshots")}
    removed = []
    for _sid, rel in rows:
        if is_members_row(rel):  # format 2: features may be shared with other snapshots; they stay
            continue
        if rel not in still:  # another profile's row may share no file, but be safe
            (store.path / rel).unlink(missing_ok=True)
            removed.append(rel)
    return removed


def delete_rows(store: Any, ids: list[str]) -> None:
    """Inside the caller's transaction: the catalog rows of ``ids``, every cached figure that involves them,
    and the derived caches (see :func:`_drop_derived_caches`)."""
    for table, cols in CACHE_TABLES:
        cond = " OR ".join(f"{c} IN (SELECT unnest(?))" for c in cols)
        store.execute(f"DELETE FROM {table} WHERE {cond}", [ids] * len(cols))
    _drop_derived_caches(store)
    if "file_hashes" in store.tables():
        store.execute("DELETE FROM file_hashes WHERE id IN (SELECT unnest(?))", [ids])
    if "members" in store.tables():
        store.execute("DELETE FROM members WHERE snapshot_id IN (SELECT unnest(?))", [ids])
    store.execute("DELETE FROM snapshots WHERE id IN (SELECT unnest(?))", [ids])


def _drop_derived_caches(store: Store) -> None:
    """Other cache tables (added by later versions: anything but the catalog's own tables) are emptied,
    since they may hold figures computed across the removed snapshots."""
    own = {"snapshots", "file_hashes", "members", "feature_chunks", "store_meta", *(t for t, _ in CACHE_TABLES)}
    for table in sorted(store.tables()):
        if table not in own and table.startswith(("cache_", "figure")):
            store.execute(f"DELETE FROM {table}")
