"""The embedded store's operations on content-addressed features (format 2, see :mod:`whoholds.store_features`):
write a batch of snapshots' members and their new features, read a snapshot's features back, hand worker
processes what they need to read geometries, and find the snapshots whose chunk files are missing or damaged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError
from .store_features import (
    CHUNKS,
    MEMBERS,
    STORE_FORMAT,
    MemberGeometry,
    Members,
    feature_id,
    geometries,
    members_frame,
    write_chunk,
)

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store
    from .types import Snapshot


def _missing_wkb(lacking: set[str], stored: list[tuple[str, Members, Snapshot | None]]) -> dict[str, bytes]:
    """WKB of features this process handed on before but whose chunk is gone (a store being repaired by a
    re-ingest), taken from the snapshots' own features where they are at hand."""
    import shapely

    out: dict[str, bytes] = {}
    for _sid, m, snap in stored:
        if snap is None or snap.features is None or not lacking - out.keys():
            continue
        want = [i for i, fid in enumerate(m.ids) if fid in lacking and fid not in out]
        if want:
            wkbs = shapely.to_wkb(snap.features.geometry.values[want])
            for wkb in wkbs.tolist():
                out[feature_id(wkb)] = wkb
    return {k: v for k, v in out.items() if k in lacking}


def write_members(store: Store, catalog: pd.DataFrame, stored: list[tuple[str, Members, Snapshot | None]],
                  extra: dict[str, bytes], present: list[tuple[str, Members, Snapshot | None]] = (),
                  converted: list[str] = ()) -> None:
    """New features into one chunk file (written and renamed first), then, in one transaction, their
    ``feature_chunks`` rows and chunk hash, the ``members`` rows of ``stored`` and the ``catalog`` rows.
    ``present``: snapshots stored before, whose features are stored again if their chunk went missing.
    ``converted``: catalog rows of format 1 whose features ``stored`` now holds (``store upgrade``): they
    point to the members in the same transaction."""
    import pandas as pd

    from .store_check import ensure_hashes

    needed = {fid for _, m, _ in [*stored, *present] for fid in m.ids} | set(extra)
    have = {r[0] for r in store.rows("SELECT id FROM feature_chunks WHERE id IN (SELECT unnest(?))",
                                     [sorted(needed)])}
    todo = needed - have
    wkb = {fid: extra[fid] for fid in todo if fid in extra}
    lacking = todo - wkb.keys()
    if lacking:
        wkb.update(_missing_wkb(lacking, [*stored, *present]))
        lacking -= wkb.keys()
    if lacking:
        raise StoreError(store.path, f"{len(lacking)} features to store are no longer at hand (their chunk file "
                                     "went missing during this run); run the ingest again")
    chunk = write_chunk(store.path / CHUNKS, wkb) if wkb else None
    ensure_hashes(store)
    with store.transaction():
        if chunk is not None:
            rel, sha, size = chunk
            ids = sorted(wkb)
            store.insert_frame("feature_chunks", pd.DataFrame({"id": ids, "chunk": [rel] * len(ids)}))
            store.execute("DELETE FROM file_hashes WHERE id = ?", [rel])
            store.execute("INSERT INTO file_hashes VALUES (?, ?, ?)", [rel, sha, size])
        if stored:
            _insert_members(store, stored)
        if len(catalog):
            store.insert_frame("snapshots", catalog)
        if converted:
            store.execute("UPDATE snapshots SET file = ? WHERE id IN (SELECT unnest(?))", [MEMBERS, list(converted)])
            store.execute("DELETE FROM file_hashes WHERE id IN (SELECT unnest(?))", [list(converted)])
        if stored:
            store.execute("DELETE FROM store_meta WHERE key = 'format'")
            store.execute("INSERT INTO store_meta VALUES ('format', ?)", [str(STORE_FORMAT)])
        if chunk is not None and _flag(store, "damaged") and not _orphans(store):
            store.execute("DELETE FROM store_meta WHERE key = 'damaged'")  # repaired: the hot path skips the scan


def _text_list(values: list[Any]) -> list[str | None]:
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def _insert_members(store: Store, stored: list[tuple[str, Members, Snapshot | None]]) -> None:
    """One row per snapshot (lists of feature ids, states, labels, fills), in one statement."""
    import pyarrow as pa

    text = pa.list_(pa.string())
    table = pa.table({
        "snapshot_id": pa.array([sid for sid, _, _ in stored], pa.string()),
        "features": pa.array([m.ids for _, m, _ in stored], text),
        "states": pa.array([m.states for _, m, _ in stored], text),
        "labels": pa.array([_text_list(m.labels) for _, m, _ in stored], text),
        "fills": pa.array([_text_list(m.fills) for _, m, _ in stored], text),
    })
    store.con.register("_members_in", table)
    try:
        store.execute("INSERT INTO members SELECT * FROM _members_in")
    finally:
        store.con.unregister("_members_in")


def _flag(store: Any, key: str) -> bool:
    return bool(store.rows("SELECT count(*) FROM store_meta WHERE key = ?", [key])[0][0])


#: Feature id → chunk file, per store folder, as this process last read them (ids are content addresses: a
#: mapping only goes stale when a damaged chunk is forgotten, and reading then fails and refreshes it).
_CHUNK_OF: dict[str, dict[str, str]] = {}


def _store_key(store: Any) -> str:
    """The store folder and its catalog file's identity (a store removed and made anew at the same path is
    another store)."""
    try:
        st = (Path(store.path) / "catalog.duckdb").stat()
        return f"{store.path}|{st.st_ino}|{st.st_ctime_ns}"
    except OSError:
        return str(store.path)


def _chunks_of(store: Store, ids: set[str], *, fresh: bool = False) -> dict[str, str]:
    key = _store_key(store)
    known = _CHUNK_OF.get(key)
    if known is None or fresh:  # all of them in one query (tens of thousands of short rows at most)
        known = _CHUNK_OF[key] = dict(store.rows("SELECT id, chunk FROM feature_chunks"))
    todo = [i for i in ids if i not in known]
    if todo:  # stored since (by this process or another)
        known.update(store.rows("SELECT id, chunk FROM feature_chunks WHERE id IN (SELECT unnest(?))", [todo]))
    return known


def _unreadable(store: Store, sid: str, exc: BaseException) -> StoreError:
    return StoreError(store.path / CHUNKS, f"features of snapshot {sid} unreadable ({type(exc).__name__}); "
                                           "see `whoholds store check`")


def _member_lists(store: Store, ids: list[str]) -> dict[str, tuple]:
    """Snapshot id → (feature ids, states, labels, fills) of format-2 snapshots."""
    if len(ids) == 1:  # the primary-key look-up
        got = store.rows("SELECT snapshot_id, features, states, labels, fills FROM members WHERE snapshot_id = ?",
                         ids)
    else:
        got = store.rows("SELECT snapshot_id, features, states, labels, fills FROM members WHERE snapshot_id IN "
                         "(SELECT unnest(?))", [list(ids)])
    return {r[0]: r[1:] for r in got}


def member_features(store: Store, sid: str) -> Any:
    """The features GeoDataFrame of a format-2 snapshot (the columns and order format 1's file held)."""
    lists = _member_lists(store, [sid]).get(sid)
    if lists is None:
        raise StoreError(store.path, f"the features of snapshot {sid} are not in the store (see `whoholds store "
                                     "check`)")
    fids, states, labels, fills = lists
    for attempt in (0, 1):
        chunk_of = _chunks_of(store, set(fids), fresh=bool(attempt))
        if any(f not in chunk_of for f in fids):
            raise StoreError(store.path / CHUNKS, f"features of snapshot {sid} are missing; re-ingest its source "
                                                  "(see `whoholds store check`)")
        try:
            geoms = geometries(list(fids), chunk_of, Path(store.path))
            break
        except Exception as exc:  # pyarrow raises several types for damaged files
            if attempt:
                raise _unreadable(store, sid, exc) from None
    return members_frame(list(zip(states, labels, fills, strict=True)), geoms)


def member_sources(store: Store, lists: dict[str, tuple[list[str], list[str]]]) -> dict[str, MemberGeometry]:
    """Picklable (states, geometries) sources of format-2 snapshots (id → (feature ids, states))."""
    chunk_of = _chunks_of(store, {f for fids, _ in lists.values() for f in fids})
    root = str(store.path)
    # One object per distinct id, state and (id, chunk) pair: a feed's snapshots repeat them (the raw feed:
    # 467,491 members, 8,722 distinct features), so the sources of a whole archive cost references, not copies
    # (~130 MB fewer in the process that hands them to workers).
    one: dict[str, str] = {}
    pair: dict[str, tuple[str, str]] = {}
    out = {}
    for sid, (fids, states) in lists.items():
        ids = tuple([one.setdefault(f, f) for f in fids])
        chunks = tuple([pair[f] if f in pair else pair.setdefault(f, (f, chunk_of[f]))
                        for f in dict.fromkeys(ids) if f in chunk_of])
        out[sid] = MemberGeometry(root, tuple([one.setdefault(s, s) for s in states]), ids, chunks)
    return out


def bad_chunks(store: Any, *, deep: bool = False) -> dict[str, str]:
    """Chunk files (relative path → 'missing' or 'changed') that are gone or differ from what was recorded when
    they were written (size; with ``deep``, also the SHA-256)."""
    from .store_check import file_sha256

    if "feature_chunks" not in store.tables() or "file_hashes" not in store.tables():
        return {}
    rows = store.rows("SELECT h.id, h.sha256, h.bytes FROM file_hashes h WHERE h.id IN "
                      "(SELECT DISTINCT chunk FROM feature_chunks)")
    bad: dict[str, str] = {}
    for rel, sha, size in rows:
        path = Path(store.path) / rel
        try:
            now = path.stat().st_size
        except OSError:
            bad[rel] = "missing"
            continue
        if now != size or (deep and file_sha256(path) != sha):
            bad[rel] = "changed"
    return bad


def snapshots_in(store: Any, chunks: list[str], ids: list[str] | None = None) -> dict[str, str]:
    """Snapshot id → first of ``chunks`` it has features in (among ``ids`` when given)."""
    if not chunks:
        return {}
    sql = (f"SELECT m.snapshot_id, min(c.chunk) FROM {_UNNESTED} m JOIN feature_chunks c ON c.id = m.feature "
           "WHERE c.chunk IN (SELECT unnest(?))")
    args: list[Any] = [chunks]
    if ids is not None:
        sql += " AND m.snapshot_id IN (SELECT unnest(?))"
        args.append(ids)
    return dict(store.rows(sql + " GROUP BY m.snapshot_id", args))


def damaged_snapshots(store: Any, ids: list[str] | None = None, *, deep: bool = False) -> dict[str, tuple[str, str]]:
    """Format-2 snapshots (among ``ids`` when given) whose features are not all readable: snapshot id →
    (chunk path, 'missing' or 'changed'); a feature whose chunk was forgotten counts as missing ('features')."""
    if "members" not in store.tables():
        return {}
    bad = bad_chunks(store, deep=deep)
    out = {sid: (rel, bad[rel]) for sid, rel in snapshots_in(store, sorted(bad), ids).items()}
    if deep or _flag(store, "damaged"):  # features whose chunk was forgotten (a repair not finished)
        for sid in _orphans(store, ids):
            out.setdefault(sid, (CHUNKS, "missing"))
    return out


#: The members table with one row per (snapshot, feature).
_UNNESTED = "(SELECT snapshot_id, unnest(features) AS feature FROM members)"


def _orphans(store: Any, ids: list[str] | None = None) -> list[str]:
    """Format-2 snapshots with a feature no chunk holds."""
    sql = (f"SELECT DISTINCT m.snapshot_id FROM {_UNNESTED} m LEFT JOIN feature_chunks c ON c.id = m.feature "
           "WHERE c.id IS NULL")
    args: list[Any] = []
    if ids is not None:
        sql += " AND m.snapshot_id IN (SELECT unnest(?))"
        args.append(ids)
    return [r[0] for r in store.rows(sql, args)]


def forget_chunks(store: Any, chunks: list[str]) -> None:
    """Drop damaged chunks (file, rows, hash), so that re-ingesting their snapshots' sources stores them again."""
    if not chunks:
        return
    with store.transaction():
        store.execute("DELETE FROM feature_chunks WHERE chunk IN (SELECT unnest(?))", [chunks])
        store.execute("DELETE FROM file_hashes WHERE id IN (SELECT unnest(?))", [chunks])
        store.execute("DELETE FROM store_meta WHERE key = 'damaged'")
        store.execute("INSERT INTO store_meta VALUES ('damaged', '1')")
    _CHUNK_OF.pop(_store_key(store), None)
    for rel in chunks:
        (Path(store.path) / rel).unlink(missing_ok=True)
