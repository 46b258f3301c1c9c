"""The store's tables beyond the catalog, as operations of every store kind (a part of
:class:`whoholds.store_base.StoreBase`, written once over its SQL primitives): the figure cache (areas per
snapshot, transfers per pair of consecutive snapshots), the change pieces, the remembered boundaries, the
claims ledger's tables, and whole tables for copies and exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

AREA_COLUMNS = ["snapshot_id", "state", "area_km2", "overlap_km2"]
TRANSFER_COLUMNS = ["from_id", "to_id", "from_state", "to_state", "area_km2"]
PIECE_COLUMNS = ["from_id", "to_id", "method", "kind", "from_state", "to_state", "geometry"]
#: The claims ledger's tables (:mod:`whoholds.claims.ledger`), in the common dialect; older catalogs get the
#: later columns on open.
LEDGER_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ledger_sources (
        source_id VARCHAR PRIMARY KEY, kind VARCHAR, name VARCHAR, url VARCHAR, title VARCHAR,
        published DATE, path VARCHAR, added_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS ledger_figures (
        figure_id VARCHAR PRIMARY KEY, source_id VARCHAR, indicator VARCHAR, indicator_key VARCHAR,
        party VARCHAR, party_key VARCHAR, source_org VARCHAR, source_type VARCHAR, speaker VARCHAR,
        value DOUBLE PRECISION, low DOUBLE PRECISION, high DOUBLE PRECISION, unit VARCHAR, qualifier VARCHAR,
        as_of DATE, as_of_precision VARCHAR, period_start DATE, cumulative BOOLEAN, quote VARCHAR,
        surface VARCHAR, note VARCHAR, url VARCHAR, verdict VARCHAR, computed DOUBLE PRECISION,
        added_at TIMESTAMP)""",
    # Added for issue 9.
    "ALTER TABLE ledger_figures ADD COLUMN IF NOT EXISTS negated BOOLEAN",
    "ALTER TABLE ledger_figures ADD COLUMN IF NOT EXISTS data_source VARCHAR",
    "ALTER TABLE ledger_figures ADD COLUMN IF NOT EXISTS per VARCHAR",
)
#: Tables copied whole by ``store copy`` (rows whose key the destination lacks): table → key column.
KEYED_TABLES = {"boundaries": "spec", "ledger_sources": "source_id", "ledger_figures": "figure_id"}


class StoreTables:
    """Operations on the cache, piece, boundary and ledger tables; the primitives come from the store kind."""

    path: Any

    # the SQL primitives every store kind provides (see StoreBase)
    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def frame(self, sql: str, args: Sequence[Any] = ()) -> pd.DataFrame:
        raise NotImplementedError

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def insert_frame(self, table: str, frame: pd.DataFrame) -> None:
        raise NotImplementedError

    def tables(self) -> set[str]:
        raise NotImplementedError

    # ---- boundaries -------------------------------------------------------------------------------
    def remember_boundary(self, spec: str, boundary: Any) -> None:
        """Keep a boundary's id, names and area under ``spec`` so cached figures can be read without it."""
        with self.transaction():
            self.execute("DELETE FROM boundaries WHERE spec = ?", [spec])
            self.execute("INSERT INTO boundaries VALUES (?, ?, ?, ?, ?, ?)",
                         [spec, boundary.id, boundary.name, boundary.note, boundary.source, boundary.area_km2])

    def boundary_meta(self, spec: str) -> dict[str, Any] | None:
        rows = self.rows("SELECT id, name, note, source, area_km2 FROM boundaries WHERE spec = ?", [spec])
        return None if not rows else dict(zip(("id", "name", "note", "source", "area_km2"), rows[0], strict=True))

    # ---- the figure cache (areas per snapshot, transfers per pair) --------------------------------
    def area_rows(self, ids: Sequence[str], boundary_id: str, method: str) -> list[tuple[str, str, float, float]]:
        """Cached (snapshot_id, state, area_km2, overlap_km2) of these snapshots."""
        if not ids:
            return []
        return self.rows("SELECT snapshot_id, state, area_km2, overlap_km2 FROM areas WHERE boundary_id = ? AND "
                         "method = ? AND snapshot_id IN (SELECT unnest(?))", [boundary_id, method, list(ids)])

    def replace_areas(self, frame: pd.DataFrame, boundary_id: str, method: str) -> None:
        """Store areas (columns :data:`AREA_COLUMNS`), replacing any cached for their snapshots."""
        if frame.empty:
            return
        frame = frame[AREA_COLUMNS].copy()
        frame.insert(1, "boundary_id", boundary_id)
        frame.insert(2, "method", method)
        with self.transaction():
            self.execute("DELETE FROM areas WHERE boundary_id = ? AND method = ? AND snapshot_id IN "
                         "(SELECT unnest(?))", [boundary_id, method, sorted(set(frame["snapshot_id"]))])
            self.insert_frame("areas", frame)

    def add_transfers(self, frame: pd.DataFrame, boundary_id: str, method: str) -> None:
        """Store transfers (columns :data:`TRANSFER_COLUMNS`; a pair with none: one row with empty states),
        replacing any cached for their pairs: two readers that computed the same pair at once (a shared
        store, a cold cache) leave it once, never twice."""
        if frame.empty:
            return
        frame = frame[TRANSFER_COLUMNS].copy()
        frame.insert(2, "boundary_id", boundary_id)
        frame.insert(3, "method", method)
        keys = sorted({f"{a}>{b}" for a, b in zip(frame["from_id"], frame["to_id"], strict=True)})
        with self.transaction():
            self.execute("DELETE FROM transfers WHERE boundary_id = ? AND method = ? AND from_id || '>' || to_id "
                         "IN (SELECT unnest(?))", [boundary_id, method, keys])
            self.insert_frame("transfers", frame)

    def transfer_pairs(self, from_ids: Sequence[str], boundary_id: str, method: str) -> set[tuple[str, str]]:
        """The (from, to) pairs with cached transfers, among pairs starting at ``from_ids``."""
        if not from_ids:
            return set()
        return {(f, t) for f, t in self.rows(
            "SELECT DISTINCT from_id, to_id FROM transfers WHERE boundary_id = ? AND method = ? "
            "AND from_id IN (SELECT unnest(?))", [boundary_id, method, list(from_ids)])}

    def transfer_frame(self, from_ids: Sequence[str], boundary_id: str, method: str) -> pd.DataFrame:
        """Cached transfers (columns :data:`TRANSFER_COLUMNS`, no 'nothing changed' rows) from ``from_ids``."""
        return self.frame("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE "
                          "boundary_id = ? AND method = ? AND from_state <> '' AND from_id IN (SELECT unnest(?))",
                          [boundary_id, method, list(from_ids)])

    def forget_figures(self, ids: Sequence[str], boundary_id: str, method: str) -> None:
        """Drop the cached areas of these snapshots and the transfers from them (a rebuild), atomically."""
        with self.transaction():
            self.execute("DELETE FROM areas WHERE boundary_id = ? AND method = ? AND snapshot_id IN "
                         "(SELECT unnest(?))", [boundary_id, method, list(ids)])
            self.execute("DELETE FROM transfers WHERE boundary_id = ? AND method = ? AND from_id IN "
                         "(SELECT unnest(?))", [boundary_id, method, list(ids)])

    def drawn_area_rows(self) -> pd.DataFrame:
        """(snapshot_id, state, area_km2) of the cached whole-map areas (the snapshot listing's 'drawn')."""
        return self.frame("SELECT snapshot_id, state, area_km2 FROM areas WHERE method = 'polygons' "
                          "OR method LIKE 'markers:%'")

    # ---- change pieces (the boundary-free overlay of consecutive snapshots) -----------------------
    def replace_pieces(self, frame: pd.DataFrame, method: str) -> None:
        """Store change-piece rows (columns :data:`PIECE_COLUMNS`, geometry as WKB), replacing their pairs'."""
        if frame.empty:
            return
        keys = sorted({f"{a}>{b}" for a, b in zip(frame["from_id"], frame["to_id"], strict=True)})
        with self.transaction():
            self.execute("DELETE FROM change_pieces WHERE method = ? AND from_id || '>' || to_id IN "
                         "(SELECT unnest(?))", [method, keys])
            self.insert_frame("change_pieces", frame[PIECE_COLUMNS])

    def piece_rows(self, from_ids: Sequence[str], method: str) -> list[tuple]:
        """(from_id, to_id, kind, from_state, to_state, geometry WKB) of the stored pieces from ``from_ids``."""
        if not from_ids:
            return []
        return [(a, b, k, s, d, None if g is None else bytes(g)) for a, b, k, s, d, g in self.rows(
            "SELECT from_id, to_id, kind, from_state, to_state, geometry FROM change_pieces WHERE method = ? "
            "AND from_id IN (SELECT unnest(?))", [method, sorted(set(from_ids))])]

    # ---- the claims ledger's tables --------------------------------------------------------------
    def ensure_ledger(self) -> None:
        """Create the ledger tables if missing (idempotent; a writer)."""
        if {"ledger_sources", "ledger_figures"} <= self.tables() and "per" in self.columns("ledger_figures"):
            return
        with self.transaction():
            for stmt in LEDGER_SCHEMA:
                self.execute(stmt)

    def columns(self, table: str) -> list[str]:
        return list(self.frame(f"SELECT * FROM {table} LIMIT 0").columns)

    # ---- small texts kept with the store (a user's profile YAML) ------------------------------------
    def keep_text(self, name: str, text: str) -> None:
        """Keep ``text`` under ``name`` (replacing any), e.g. ``profiles/my-war.yaml``."""
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS kept_texts (name VARCHAR PRIMARY KEY, text VARCHAR NOT NULL)")
            self.execute("DELETE FROM kept_texts WHERE name = ?", [name])
            self.execute("INSERT INTO kept_texts VALUES (?, ?)", [name, text])

    def kept_text(self, name: str) -> str | None:
        return self.kept_texts().get(name)

    def kept_texts(self) -> dict[str, str]:
        if "kept_texts" not in self.tables():
            return {}
        return dict(self.rows("SELECT name, text FROM kept_texts ORDER BY name"))

    # ---- whole tables (copy, export) --------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """All rows of one of the store's tables (``areas``, ``transfers``, ``ledger_figures``...)."""
        if name not in self.tables():
            raise StoreError(self.path, f"no table {name}")
        return self.frame(f"SELECT * FROM {name}")
