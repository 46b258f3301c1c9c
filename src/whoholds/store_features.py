"""The embedded store's content-addressed features (store format 2).

A feed's snapshots repeat most of their features byte for byte (the DeepStateMap raw feed: 467,491 features in
1,359 snapshots, 17,723 distinct ones), so a snapshot is stored as a list of feature ids plus its per-feature
attributes (table ``members``: one row per snapshot, its feature ids, states, labels and fills as lists, so
reading a snapshot is one primary-key look-up), and each distinct
processed geometry once, as WKB in a *chunk* file ``features/<hash>.parquet`` (columns ``id``, ``geometry``)
that the catalog table ``feature_chunks`` (feature id → chunk) points to. A feature's id is a hash of its
processed (repaired) geometry's WKB: the same geometry is stored once whatever profile, state or label it has.

Writes stay atomic in the order the store's format 1 used: the chunk file is written to a temporary name and
renamed into place, then its ``feature_chunks`` rows, the ``members`` rows and the catalog rows go in one
transaction (an ingest killed in between leaves at most an orphan chunk, which ``Store.vacuum`` removes).
Chunk files are hashed at write time (table ``file_hashes``, keyed by the chunk's path), so ``store check``
and the missing-file guard of cached figures cover them as they cover format 1's per-snapshot files.

Snapshots stored by format 1 (one GeoParquet file per snapshot, ``file`` = ``snapshots/<id>.parquet``) are
read as before: a store of either format, or a mix, opens and reads without a migration.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: The store format this code writes (1: a GeoParquet file per snapshot; 2: content-addressed features).
STORE_FORMAT = 2
#: The ``file`` of a catalog row whose features are members of the content-addressed store.
MEMBERS = "features"
CHUNKS = "features"
#: Feature frames with exactly these columns are stored as members (polygon snapshots); others (marker
#: snapshots, with more columns) keep a GeoParquet file of their own.
PLAIN_COLUMNS = ("state", "label", "fill", "geometry")

SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    snapshot_id VARCHAR PRIMARY KEY, features VARCHAR[] NOT NULL, states VARCHAR[] NOT NULL, labels VARCHAR[],
    fills VARCHAR[]
);
CREATE TABLE IF NOT EXISTS feature_chunks (id VARCHAR PRIMARY KEY, chunk VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""


def is_members_row(file: object) -> bool:
    """True for a catalog row stored by format 2 (its features are members, not a file of its own)."""
    return str(file) == MEMBERS


def is_plain(frame: Any) -> bool:
    return frame is not None and tuple(frame.columns) == PLAIN_COLUMNS


def feature_id(wkb: bytes) -> str:
    """Content address of a processed geometry (deduplication, not security: SHA-1 is fast and plenty)."""
    return hashlib.sha1(wkb, usedforsecurity=False).hexdigest()[:32]


@dataclass
class Members:
    """A snapshot's features as the store keeps them: per feature its id, state, label and fill, plus the WKB
    of the features this process has not handed on before (``new``: id → WKB)."""

    ids: list[str]
    states: list[str]
    labels: list[Any]
    fills: list[Any]
    new: dict[str, bytes]


class FeatureIds:
    """Ids of geometry objects, each computed once per process run: the readers hand out the same repaired
    geometry object for a feature they saw before (their geometry cache), so a snapshot costs a dictionary
    look-up per known feature and a WKB + hash per new one. ``sent`` remembers which WKB went out already."""

    def __init__(self, keep: int = 200_000) -> None:
        self.keep = keep
        self._ids: OrderedDict[int, tuple[Any, str]] = OrderedDict()
        self.sent: set[str] = set()

    def members(self, frame: Any) -> Members:
        import shapely

        geoms = list(frame.geometry.values)
        ids: list[str | None] = []
        todo: list[int] = []
        for i, g in enumerate(geoms):
            hit = self._ids.get(id(g))
            if hit is not None and hit[0] is g:  # the entry keeps g alive, so its id() is not reused
                ids.append(hit[1])
            else:
                ids.append(None)
                todo.append(i)
        new: dict[str, bytes] = {}
        if todo:
            import numpy as np

            arr = np.empty(len(todo), dtype=object)
            arr[:] = [geoms[i] for i in todo]
            for i, wkb in zip(todo, shapely.to_wkb(arr).tolist(), strict=True):
                fid = feature_id(wkb)
                ids[i] = fid
                self._ids[id(geoms[i])] = (geoms[i], fid)
                if fid not in self.sent:
                    self.sent.add(fid)
                    new[fid] = wkb
            while len(self._ids) > self.keep:
                self._ids.popitem(last=False)
        return Members([str(i) for i in ids], [str(s) for s in frame["state"].tolist()], frame["label"].tolist(),
                       frame["fill"].tolist(), new)


def write_chunk(folder: Path, features: dict[str, bytes]) -> tuple[str, str, int]:
    """Write ``features`` (id → WKB) as one chunk file, atomically; (relative path, sha256, bytes)."""
    import pyarrow as pa

    ids = sorted(features)
    name = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:24] + ".parquet"
    folder.mkdir(exist_ok=True)
    path = folder / name
    table = pa.table({"id": pa.array(ids, pa.string()), "geometry": pa.array([features[i] for i in ids], pa.binary())})
    from .store_files import write_table_atomic

    write_table_atomic(table, path)
    from .store_check import file_sha256

    return f"{CHUNKS}/{name}", file_sha256(path), path.stat().st_size


#: Chunk files of this process as raw WKB by feature id (compact: ~16 bytes a vertex), least recently used first,
#: bounded by bytes; and the geometries parsed from them, bounded by vertices. A feature keeps one geometry object
#: while it is cached, which is what the engine's per-object memo (``geometry.diff.InputMemo``) builds on.
_CHUNKS: OrderedDict[str, tuple[dict[str, bytes], int]] = OrderedDict()
_GEOMS: OrderedDict[tuple[str, str], tuple[Any, int]] = OrderedDict()
_CHUNK_LOCK = threading.Lock()
MAX_CACHED_BYTES = 256 << 20
MAX_CACHED_VERTICES = 1_000_000
_VERTICES = [0]


def chunk_wkb(path: str) -> tuple[str, dict[str, bytes]]:
    """(cache key, feature id → WKB) of one chunk file; read once per process while it fits the cache. A file
    that changed since (size or time) is read again."""
    import pyarrow.parquet as pq

    st = os.stat(path)
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    with _CHUNK_LOCK:
        hit = _CHUNKS.get(key)
        if hit is not None:
            _CHUNKS.move_to_end(key)
            return key, hit[0]
    table = pq.read_table(path)
    wkbs = table.column("geometry").to_pylist()
    out = dict(zip(table.column("id").to_pylist(), wkbs, strict=True))
    with _CHUNK_LOCK:
        _CHUNKS[key] = (out, sum(len(w) for w in wkbs))
        total = sum(v[1] for v in _CHUNKS.values())
        while total > MAX_CACHED_BYTES and len(_CHUNKS) > 1:
            _, (_, dropped) = _CHUNKS.popitem(last=False)
            total -= dropped
    return key, out


def forget_cached() -> None:
    """Empty this process's chunk and geometry caches (a process about to wait on workers that read the same
    chunks: its copy would only add to the peak memory)."""
    with _CHUNK_LOCK:
        _CHUNKS.clear()
        _GEOMS.clear()
        _VERTICES[0] = 0


def geometries(ids: list[str], chunk_of: dict[str, str], root: Path) -> np.ndarray:
    """Geometries of feature ``ids`` (in that order) from their chunk files under ``root``."""
    import numpy as np
    import shapely

    out = np.empty(len(ids), dtype=object)
    chunks = {chunk: chunk_wkb(str(root / chunk)) for chunk in {chunk_of[fid] for fid in ids}}
    todo: dict[tuple[str, str], list[int]] = {}
    with _CHUNK_LOCK:
        for i, fid in enumerate(ids):
            key = (chunks[chunk_of[fid]][0], fid)
            hit = _GEOMS.get(key)
            if hit is not None:
                _GEOMS.move_to_end(key)
                out[i] = hit[0]
            else:
                todo.setdefault(key, []).append(i)
    if todo:
        keys = list(todo)
        wkbs = [chunks[chunk_of[fid]][1][fid] for _, fid in keys]
        parsed = shapely.from_wkb(np.array(wkbs, dtype=object))
        sizes = shapely.get_num_coordinates(parsed).tolist()
        with _CHUNK_LOCK:
            for key, geom, size in zip(keys, parsed.tolist(), sizes, strict=True):
                for i in todo[key]:
                    out[i] = geom
                old = _GEOMS.pop(key, None)  # another thread parsed it meanwhile
                _VERTICES[0] += size - (old[1] if old else 0)
                _GEOMS[key] = (geom, size)
            while _VERTICES[0] > MAX_CACHED_VERTICES and len(_GEOMS) > len(keys):
                _, (_, dropped) = _GEOMS.popitem(last=False)
                _VERTICES[0] -= dropped
    return out


@dataclass(frozen=True)
class MemberGeometry:
    """A format-2 snapshot's (states, geometries): its members and where their chunks are; picklable, for worker
    processes (they read the chunk files, never the catalog, which another process may hold open)."""

    root: str
    states: tuple[str, ...]
    ids: tuple[str, ...]
    chunk_of: tuple[tuple[str, str], ...]

    def __call__(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        geoms = geometries(list(self.ids), dict(self.chunk_of), Path(self.root))
        return np.asarray(self.states, dtype=object), geoms


def members_frame(rows: list[tuple], geoms: np.ndarray) -> Any:
    """The features GeoDataFrame of a format-2 snapshot, as format 1's file held it (state, label, fill, geometry)."""
    from .io.features import polygon_frame

    states = [r[0] for r in rows]
    labels = [r[1] for r in rows]
    fills = [r[2] for r in rows]
    return polygon_frame(states, labels, fills, list(geoms))
