"""The ledger: every reported figure over time, by indicator and source, with inconsistency flags.

Two tables in the store (the embedded store's DuckDB catalog, or the PostgreSQL store), created idempotently:
``ledger_sources`` (one row per article, CSV or command line a figure came from) and ``ledger_figures`` (one
row per reported figure). Re-reading the same article or CSV adds nothing new (ids are content hashes).

Figures of bulletins are keyed by what they count (`whoholds.claims.ledger_measures.bulletin_key`): returnees,
reception capacity, reception centres, restored facilities by category — kept apart whatever the wording.
Negated statements are stored as negations (``negated``) and never compared as if they were claims of the
value. The flags are in `whoholds.claims.ledger_checks`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..store_base import LEDGER_SCHEMA, StoreBase, open_store
from .ledger_checks import find_flags, format_value, restored_table
from .ledger_measures import bulletin_key, is_cumulative
from .model import ReportedFigure, Verdict

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = LEDGER_SCHEMA  # the tables live in the store (embedded or PostgreSQL): one definition, in store_base
FIGURE_COLUMNS = (
    "figure_id", "source_id", "indicator", "indicator_key", "party", "party_key", "source_org", "source_type",
    "speaker", "value", "low", "high", "unit", "qualifier", "as_of", "as_of_precision", "period_start",
    "cumulative", "quote", "surface", "note", "url", "verdict", "computed", "added_at", "negated", "data_source",
    "per",
)
CSV_COLUMNS = ("as_of", "source_org", "source_type", "party", "share_pct", "area_km2", "note", "url")

#: Party names of published estimates → the Syria profile's actor ids (anything else is kept as written).
PARTY_KEYS = {
    "government": "gov", "government_liberated": "gov", "government_liberated_from_isis": "gov",
    "free_from_terrorists": "gov", "pro_government": "gov", "regime": "gov",
    "sdf": "sdf", "isil": "isis", "isis": "isis", "islamic_state": "isis", "opposition": "opp",
    "rebels": "opp", "rebels_incl_hts": "opp", "rebels_incl_hts_and_turkey": "opp", "hts": "hts",
}


__all__ = ["CSV_COLUMNS", "FIGURE_COLUMNS", "Ledger", "find_flags", "format_value", "indicator_key", "open_ledger",
           "party_key"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def party_key(party: str | None, profile: Any = None) -> str | None:
    """A comparable key for a party: a coalition with a single member becomes that member."""
    if not party:
        return None
    slug = _slug(party)
    if slug in PARTY_KEYS:
        return PARTY_KEYS[slug]
    if profile is not None and party in getattr(profile, "coalition_by_id", {}):
        members = profile.coalition_by_id[party].members
        if len(members) == 1:
            return members[0]
    return slug


def indicator_key(indicator: str, unit: str, metric: str | None = None) -> str:
    """Comparable indicator: all territory shares are one indicator (the party is a separate key)."""
    if metric in ("share", "area") or indicator.startswith(("share of territory", "area held")):
        return "territory_share" if (metric == "share" or unit == "percent") else "territory_area"
    return _slug(indicator)


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def open_ledger(store: str | Path | None, *, create: bool = True) -> Ledger:
    """The ledger of the store at ``store`` (a folder or a ``postgresql://`` address; see
    :func:`whoholds.store_base.open_store`)."""
    return Ledger(open_store(store, create=create))


class Ledger:
    """Reported figures in a store's tables ``ledger_sources`` and ``ledger_figures`` (any store kind).
    ``create=False``: read only, the tables must exist."""

    def __init__(self, store: StoreBase, *, create: bool = True) -> None:
        self.store = store
        if create:
            store.ensure_ledger()

    # ---- writing -------------------------------------------------------------------------------------
    def add_source(self, kind: str, name: str | None, *, url: str | None = None, title: str | None = None,
                   published: dt.date | None = None, path: str | None = None, content: str | None = None) -> str:
        """The id of one version of a document (``content``: its text). The same text again is the same
        version; a changed text at the same path (or URL) is a new version, and `list` then shows only the
        newest version's figures (older ones stay in the store: ``list(history=True)``)."""
        parts: tuple[object, ...] = (kind, name, url, title, published, path)
        if content is not None:
            parts += (hashlib.sha1(content.encode("utf-8", "replace")).hexdigest(),)
        sid = _hash(*parts)
        self.store.execute(
            # the same text read again is the current version again (an old text back after a change)
            "INSERT INTO ledger_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (source_id) DO UPDATE SET added_at = excluded.added_at",
            [sid, kind, name, url, title, published, path, dt.datetime.now()],
        )
        return sid

    def replaced_versions(self, source_id: str) -> int:
        """How many older versions of this source's document (same path or URL) its newest version replaces."""
        rows = self.store.rows(
            "SELECT count(*) FROM ledger_sources o JOIN ledger_sources n ON o.kind = n.kind AND "
            "COALESCE(o.path, o.url, '') = COALESCE(n.path, n.url, '') WHERE n.source_id = ? AND "
            "COALESCE(n.path, n.url) IS NOT NULL AND o.source_id <> n.source_id", [source_id])
        return int(rows[0][0])

    def add_records(self, records: Iterable[dict[str, Any]]) -> int:
        """Insert figure rows (dicts with FIGURE_COLUMNS keys); rows already present are skipped."""
        rows = []
        now = dt.datetime.now()
        for r in records:
            r = {k: r.get(k) for k in FIGURE_COLUMNS}
            r["added_at"] = r["added_at"] or now
            r["cumulative"] = bool(r["cumulative"])
            r["negated"] = bool(r["negated"])
            if not r["figure_id"]:
                r["figure_id"] = _hash(r["source_id"], r["indicator"], r["party"], r["value"], r["as_of"],
                                       r["quote"], r["surface"], r["source_org"], r["unit"])
            rows.append([r[k] for k in FIGURE_COLUMNS])
        if not rows:
            return 0
        before = self.count()
        placeholders = ", ".join("?" for _ in FIGURE_COLUMNS)
        with self.store.transaction():
            self.store.executemany(f"INSERT INTO ledger_figures ({', '.join(FIGURE_COLUMNS)}) "
                                   f"VALUES ({placeholders}) ON CONFLICT DO NOTHING", rows)
        return self.count() - before

    def count(self) -> int:
        return int(self.store.rows("SELECT count(*) FROM ledger_figures")[0][0])

    def add_figures(self, figures: Iterable[ReportedFigure], *, source_id: str, url: str | None = None,
                    source_type: str = "article", verdicts: dict[int, Verdict] | None = None,
                    profile: Any = None) -> int:
        """Record reported figures (``verdicts`` maps a figure's position to its verdict, when checked)."""
        records = []
        for i, f in enumerate(figures):
            v = (verdicts or {}).get(i)
            indicator = f.indicator or f.counts or f.unit
            key = indicator_key(indicator, f.unit, f.metric)
            if f.metric is None and f.unit == "count":
                key = bulletin_key(indicator, f.quote) or key  # returnees, capacity, restored:<category>...
            records.append({
                "source_id": source_id, "indicator": indicator, "indicator_key": key,
                "party": f.subject, "party_key": party_key(f.subject, profile),
                "source_org": f.speaker, "source_type": source_type, "speaker": f.speaker,
                "value": f.value, "low": f.low, "high": f.high, "unit": f.unit, "qualifier": f.qualifier,
                "as_of": f.as_of, "as_of_precision": "day", "period_start": f.period_start,
                # the sentence's "in total" makes a running total of any figure but a day's: "over the past 24
                # hours, 905 ...; in total 285,900 ..." keeps 905 a day's figure
                "cumulative": f.cumulative or (is_cumulative(f.quote) and not (
                    f.period_start is not None and f.period_start == f.as_of)),
                "quote": f.quote, "surface": f.surface,
                "note": ("negated; " if f.negated else "") + (f.note or ""), "url": url, "negated": f.negated,
                "data_source": f.data_source, "per": f.per,
                "verdict": v.label.value if v is not None else None,
                "computed": v.figure.value if (v is not None and v.figure is not None) else None,
            })
        return self.add_records(records)

    def add_csv(self, path: str | Path) -> int:
        """Import published estimates (columns as_of, source_org, source_type, party, share_pct, area_km2,
        note, url; as_of YYYY-MM or YYYY-MM-DD). Returns the number of new figures."""
        p = Path(path)
        if not p.exists():
            raise InputError(str(p), "no such file")
        try:
            with p.open(newline="", encoding="utf-8") as fh:
                reader = csv.DictReader(fh)
                header = reader.fieldnames or []
                missing = [c for c in ("as_of", "source_org", "party") if c not in header]
                if missing or not ({"share_pct", "area_km2"} & set(header)):
                    raise InputError(str(p), f"not a claims CSV: missing columns {missing or ['share_pct/area_km2']}"
                                             f" (expected {', '.join(CSV_COLUMNS)})")
                rows = list(reader)
        except UnicodeDecodeError:
            raise InputError(str(p), "not a UTF-8 text CSV") from None
        sid = self.add_source("csv", p.name, path=str(p), content=p.read_text(encoding="utf-8"))
        records = []
        for n, row in enumerate(rows, start=2):
            as_of, precision = _csv_date(row.get("as_of", ""), p, n)
            for col, unit, ind in (("share_pct", "percent", "share of territory"),
                                   ("area_km2", "km2", "area held")):
                raw = (row.get(col) or "").strip()
                if not raw:
                    continue
                try:
                    value = float(raw.replace(",", ""))
                except ValueError:
                    raise InputError(str(p), f"line {n}: {col} {raw!r} is not a number") from None
                party = (row.get("party") or "").strip() or None
                records.append({
                    "source_id": sid, "indicator": ind, "indicator_key": indicator_key(ind, unit),
                    "party": party, "party_key": party_key(party), "source_org": (row.get("source_org") or "").strip(),
                    "source_type": (row.get("source_type") or "").strip() or None, "speaker": None,
                    "value": value, "unit": unit, "as_of": as_of, "as_of_precision": precision,
                    "cumulative": False, "note": (row.get("note") or "").strip() or None,
                    "url": (row.get("url") or "").strip() or None, "quote": None, "surface": raw,
                })
        return self.add_records(records)

    # ---- reading -------------------------------------------------------------------------------------
    def list(self, indicator: str | None = None, source: str | None = None, party: str | None = None, *,
             history: bool = False) -> pd.DataFrame:
        """Figures over time; ``indicator``/``source``/``party`` are case-insensitive substrings. Only the newest
        version of each document counts unless ``history`` (a re-read article that changed replaces its
        figures; the same text read twice adds nothing). ``source_title`` names the document (bulletin)."""
        where, args = [], []
        if not history:
            where.append(f"(f.source_id IS NULL OR f.source_id NOT IN ({_OLDER_VERSIONS}))")
        if indicator:
            where.append("(indicator ILIKE ? OR indicator_key ILIKE ?)")
            args += [f"%{indicator}%", f"%{_slug(indicator)}%"]
        if source:
            where.append("(source_org ILIKE ? OR speaker ILIKE ? OR s.name ILIKE ?)")
            args += [f"%{source}%"] * 3
        if party:
            where.append("(party ILIKE ? OR party_key ILIKE ?)")
            args += [f"%{party}%"] * 2
        sql = ("SELECT f.*, s.name AS source_name, s.kind AS source_kind, s.title AS source_title, "
               "s.path AS source_path, s.published AS source_published FROM ledger_figures f "
               "LEFT JOIN ledger_sources s USING (source_id)")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY indicator_key, party_key, as_of, source_org"
        return self.store.frame(sql, args)

    def flags(self, indicator: str | None = None, source: str | None = None, party: str | None = None
              ) -> pd.DataFrame:
        """Inconsistency flags over the figures the filters keep (`whoholds.claims.ledger_checks.find_flags`)."""
        return find_flags(self.list(indicator=indicator, source=source, party=party))

    def flags_of_source(self, source_id: str) -> pd.DataFrame:
        """The flags that involve a figure of one source (an article just read against the whole ledger)."""
        fl = self.flags()
        if fl.empty:
            return fl
        ids = set(self.store.frame("SELECT figure_id FROM ledger_figures WHERE source_id = ?", [source_id])
                  ["figure_id"])
        return fl[fl["figure_id1"].isin(ids) | fl["figure_id2"].isin(ids)].reset_index(drop=True)

    def facilities(self, source: str | None = None) -> pd.DataFrame:
        """Restored facilities by category over time, one row per speaker and date (see `restored_table`)."""
        return restored_table(self.list(source=source))


#: Versions of a document that a newer one replaced: a file is known by its path, a page by its URL, else by
#: name, title and date (portable SQL: DuckDB and PostgreSQL). Figures recorded without a source stay shown.
_OLDER_VERSIONS = (
    "SELECT source_id FROM (SELECT source_id, row_number() OVER (PARTITION BY kind, COALESCE(path, url, "
    "COALESCE(name, '') || '|' || COALESCE(title, '') || '|' || COALESCE(CAST(published AS VARCHAR), '')) "
    "ORDER BY added_at DESC NULLS LAST, source_id) AS rn FROM ledger_sources) v WHERE rn > 1")


def _csv_date(raw: str, path: Path, line: int) -> tuple[dt.date, str]:
    raw = (raw or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            return dt.date(int(raw[:4]), int(raw[5:7]), 1), "month"
        if re.fullmatch(r"\d{4}", raw):
            return dt.date(int(raw), 1, 1), "year"
        return dt.date.fromisoformat(raw), "day"
    except ValueError:
        raise InputError(str(path), f"line {line}: as_of {raw!r} is not YYYY-MM or YYYY-MM-DD") from None


