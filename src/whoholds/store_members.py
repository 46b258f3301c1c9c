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
                  extra: dict[str, bytes], present: list[tuple[str, Members, Snapshot | None]] = ()) -> None:
    """New features into one chunk file (written and renamed first), then, in one transaction, their
    ``feature_chunks`` rows and chunk hash, the ``members`` rows of ``stored`` and the ``catalog`` rows.
    ``present``: snapshots stored before, whose features are stored again if their chunk went missing."""
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
    n_rows = sum(len(m.ids) for _, m, _ in stored)
    with store.transaction():
        if chunk is not None:
            rel, sha, size = chunk
            ids = sorted(wkb)
            store.insert_frame("feature_chunks", pd.DataFrame({"id": ids, "chunk": [rel] * len(ids)}))
            store.execute("DELETE FROM file_hashes WHERE id = ?", [rel])
            store.execute("INSERT INTO file_hashes VALUES (?, ?, ?)", [rel, sha, size])
        if n_rows:
            store.insert_frame("members", pd.DataFrame({
                "snapshot_id": [sid for sid, m, _ in stored for _ in m.ids],
                "n": [n for _, m, _ in stored for n in range(len(m.ids))],
                "feature": [f for _, m, _ in stored for f in m.ids],
                "state": [s for _, m, _ in stored for s in m.states],
                "label": pd.Series([x for _, m, _ in stored for x in m.labels], dtype=object),
                "fill": pd.Series([x for _, m, _ in stored for x in m.fills], dtype=object),
            }))
        if len(catalog):
            store.insert_frame("snapshots", catalog)
        if stored:
            store.execute("DELETE FROM store_meta WHERE key = 'format'")
            store.execute("INSERT INTO store_meta VALUES ('format', ?)", [str(STORE_FORMAT)])


def _unreadable(store: Store, sid: str, exc: BaseException) -> StoreError:
    return StoreError(store.path / CHUNKS, f"features of snapshot {sid} unreadable ({type(exc).__name__}); "
                                           "see `whoholds store check`")


def member_features(store: Store, sid: str) -> Any:
    """The features GeoDataFrame of a format-2 snapshot (the columns and order format 1's file held)."""
    rows = store.rows("SELECT m.state, m.label, m.fill, m.feature, c.chunk FROM members m LEFT JOIN "
                      "feature_chunks c ON c.id = m.feature WHERE m.snapshot_id = ? ORDER BY m.n", [sid])
    if any(r[4] is None for r in rows):
        raise StoreError(store.path / CHUNKS, f"features of snapshot {sid} are missing; re-ingest its source "
                                              "(see `whoholds store check`)")
    try:
        geoms = geometries([r[3] for r in rows], {r[3]: r[4] for r in rows}, Path(store.path))
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise _unreadable(store, sid, exc) from None
    return members_frame(rows, geoms)


def member_sources(store: Store, ids: list[str]) -> dict[str, MemberGeometry]:
    """Picklable (states, geometries) sources of format-2 snapshots, from one catalog query."""
    got = store.rows("SELECT m.snapshot_id, m.state, m.feature, c.chunk FROM members m LEFT JOIN feature_chunks c "
                     "ON c.id = m.feature WHERE m.snapshot_id IN (SELECT unnest(?)) ORDER BY m.snapshot_id, m.n",
                     [list(ids)])
    parts: dict[str, tuple[list[str], list[str], dict[str, str]]] = {sid: ([], [], {}) for sid in ids}
    for sid, state, fid, chunk in got:
        states, fids, chunk_of = parts[sid]
        states.append(state)
        fids.append(fid)
        if chunk is not None:
            chunk_of[fid] = chunk
    root = str(store.path)
    return {sid: MemberGeometry(root, tuple(s), tuple(f), tuple(c.items())) for sid, (s, f, c) in parts.items()}


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
    sql = ("SELECT m.snapshot_id, min(c.chunk) FROM members m JOIN feature_chunks c ON c.id = m.feature "
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
    sql = ("SELECT DISTINCT m.snapshot_id FROM members m LEFT JOIN feature_chunks c ON c.id = m.feature "
           "WHERE c.id IS NULL")
    args: list[Any] = []
    if ids is not None:
        sql += " AND m.snapshot_id IN (SELECT unnest(?))"
        args.append(ids)
    for (sid,) in store.rows(sql, args):
        out.setdefault(sid, (CHUNKS, "missing"))
    return out


def forget_chunks(store: Any, chunks: list[str]) -> None:
    """Drop damaged chunks (file, rows, hash), so that re-ingesting their snapshots' sources stores them again."""
    if not chunks:
        return
    with store.transaction():
        store.execute("DELETE FROM feature_chunks WHERE chunk IN (SELECT unnest(?))", [chunks])
        store.execute("DELETE FROM file_hashes WHERE id IN (SELECT unnest(?))", [chunks])
    for rel in chunks:
        (Path(store.path) / rel).unlink(missing_ok=True)
