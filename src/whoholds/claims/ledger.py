"""The ledger: every reported figure over time, by indicator and source, with inconsistency flags.

Two DuckDB tables in the store's catalog (``<store>/catalog.duckdb``), created idempotently:
``ledger_sources`` (one row per article, CSV or command line a figure came from) and ``ledger_figures`` (one
row per reported figure). Re-reading the same article or CSV adds nothing new (ids are content hashes).

Flags (thresholds in docs/claims.md):
- ``cumulative_fall``: a cumulative figure ("since the start of the year") of one source that falls between
  two of its dates within the same period;
- ``implausible_jump``: consecutive figures of one source for one indicator that move too fast — shares by at
  least 10 pp and at least 5 pp per 30 days; other figures by at least 50 % and at least 50 % per 30 days;
- ``sources_disagree``: two sources for the same indicator and party within 31 days of each other that are
  far apart — shares by more than 10 pp, other figures by a ratio above 1.5 ("claims vs claims").
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from .model import ReportedFigure, Verdict

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ledger_sources (
        source_id VARCHAR PRIMARY KEY, kind VARCHAR, name VARCHAR, url VARCHAR, title VARCHAR,
        published DATE, path VARCHAR, added_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS ledger_figures (
        figure_id VARCHAR PRIMARY KEY, source_id VARCHAR, indicator VARCHAR, indicator_key VARCHAR,
        party VARCHAR, party_key VARCHAR, source_org VARCHAR, source_type VARCHAR, speaker VARCHAR,
        value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR, qualifier VARCHAR, as_of DATE,
        as_of_precision VARCHAR, period_start DATE, cumulative BOOLEAN, quote VARCHAR, surface VARCHAR,
        note VARCHAR, url VARCHAR, verdict VARCHAR, computed DOUBLE, added_at TIMESTAMP)""",
)
FIGURE_COLUMNS = (
    "figure_id", "source_id", "indicator", "indicator_key", "party", "party_key", "source_org", "source_type",
    "speaker", "value", "low", "high", "unit", "qualifier", "as_of", "as_of_precision", "period_start",
    "cumulative", "quote", "surface", "note", "url", "verdict", "computed", "added_at",
)
CSV_COLUMNS = ("as_of", "source_org", "source_type", "party", "share_pct", "area_km2", "note", "url")

# Thresholds of the flags (documented in docs/claims.md).
SAME_DATE_DAYS = 31
DISAGREE_PP = 10.0
DISAGREE_RATIO = 1.5
JUMP_PP = 10.0
JUMP_PP_PER_30D = 5.0
JUMP_REL = 0.5
JUMP_REL_PER_30D = 0.5

#: Party names of published estimates → the Syria profile's actor ids (anything else is kept as written).
PARTY_KEYS = {
    "government": "gov", "government_liberated": "gov", "government_liberated_from_isis": "gov",
    "free_from_terrorists": "gov", "pro_government": "gov", "regime": "gov",
    "sdf": "sdf", "isil": "isis", "isis": "isis", "islamic_state": "isis", "opposition": "opp",
    "rebels": "opp", "rebels_incl_hts": "opp", "rebels_incl_hts_and_turkey": "opp", "hts": "hts",
}


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


def open_ledger(store_path: str | Path) -> Ledger:
    """The ledger of a store: through `whoholds.store.Store` when available, else its catalog file directly."""
    path = Path(store_path)
    try:
        from ..store import Store  # type: ignore[attr-defined]
    except ImportError:
        Store = None  # noqa: N806
    if Store is not None:
        try:
            return Ledger(Store(str(path)).con)
        except Exception:  # noqa: BLE001 - a store that cannot open falls back to the catalog file
            pass
    import duckdb

    path.mkdir(parents=True, exist_ok=True)
    return Ledger(duckdb.connect(str(path / "catalog.duckdb")))


class Ledger:
    """Reported figures in DuckDB (tables ``ledger_sources`` and ``ledger_figures``)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        for stmt in SCHEMA:
            con.execute(stmt)

    # ---- writing -------------------------------------------------------------------------------------
    def add_source(self, kind: str, name: str | None, *, url: str | None = None, title: str | None = None,
                   published: dt.date | None = None, path: str | None = None) -> str:
        sid = _hash(kind, name, url, title, published, path)
        self.con.execute(
            "INSERT OR IGNORE INTO ledger_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, kind, name, url, title, published, path, dt.datetime.now()],
        )
        return sid

    def add_records(self, records: Iterable[dict[str, Any]]) -> int:
        """Insert figure rows (dicts with FIGURE_COLUMNS keys); rows already present are skipped."""
        rows = []
        now = dt.datetime.now()
        for r in records:
            r = {k: r.get(k) for k in FIGURE_COLUMNS}
            r["added_at"] = r["added_at"] or now
            r["cumulative"] = bool(r["cumulative"])
            if not r["figure_id"]:
                r["figure_id"] = _hash(r["source_id"], r["indicator"], r["party"], r["value"], r["as_of"],
                                       r["quote"], r["surface"], r["source_org"], r["unit"])
            rows.append([r[k] for k in FIGURE_COLUMNS])
        if not rows:
            return 0
        before = self.count()
        placeholders = ", ".join("?" for _ in FIGURE_COLUMNS)
        self.con.executemany(f"INSERT OR IGNORE INTO ledger_figures VALUES ({placeholders})", rows)
        return self.count() - before

    def count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM ledger_figures").fetchone()[0])

    def add_figures(self, figures: Iterable[ReportedFigure], *, source_id: str, url: str | None = None,
                    source_type: str = "article", verdicts: dict[int, Verdict] | None = None,
                    profile: Any = None) -> int:
        """Record reported figures (``verdicts`` maps a figure's position to its verdict, when checked)."""
        records = []
        for i, f in enumerate(figures):
            v = (verdicts or {}).get(i)
            records.append({
                "source_id": source_id, "indicator": f.indicator or f.counts or f.unit,
                "indicator_key": indicator_key(f.indicator or f.counts or f.unit, f.unit, f.metric),
                "party": f.subject, "party_key": party_key(f.subject, profile),
                "source_org": f.speaker, "source_type": source_type, "speaker": f.speaker,
                "value": f.value, "low": f.low, "high": f.high, "unit": f.unit, "qualifier": f.qualifier,
                "as_of": f.as_of, "as_of_precision": "day", "period_start": f.period_start,
                "cumulative": f.cumulative, "quote": f.quote, "surface": f.surface,
                "note": ("negated; " if f.negated else "") + (f.note or ""), "url": url,
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
        sid = self.add_source("csv", p.name, path=str(p))
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
    def list(self, indicator: str | None = None, source: str | None = None, party: str | None = None) -> pd.DataFrame:
        """Figures over time; ``indicator``/``source``/``party`` are case-insensitive substrings."""
        where, args = [], []
        if indicator:
            where.append("(indicator ILIKE ? OR indicator_key ILIKE ?)")
            args += [f"%{indicator}%", f"%{_slug(indicator)}%"]
        if source:
            where.append("(source_org ILIKE ? OR speaker ILIKE ? OR s.name ILIKE ?)")
            args += [f"%{source}%"] * 3
        if party:
            where.append("(party ILIKE ? OR party_key ILIKE ?)")
            args += [f"%{party}%"] * 2
        sql = ("SELECT f.*, s.name AS source_name, s.kind AS source_kind FROM ledger_figures f "
               "LEFT JOIN ledger_sources s USING (source_id)")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY indicator_key, party_key, as_of, source_org"
        return self.con.execute(sql, args).df()

    def flags(self, indicator: str | None = None, source: str | None = None) -> pd.DataFrame:
        return find_flags(self.list(indicator=indicator, source=source))


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


# ---- flags -----------------------------------------------------------------------------------------------
FLAG_COLUMNS = ("flag", "indicator", "party", "source", "date1", "value1", "date2", "value2", "message")


def _interval(row: Any) -> tuple[dt.date, dt.date]:
    d = pd.Timestamp(row["as_of"]).date()
    prec = row.get("as_of_precision") if hasattr(row, "get") else None
    if prec == "month":
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return d, nxt - dt.timedelta(days=1)
    if prec == "year":
        return d, dt.date(d.year, 12, 31)
    return d, d


def _gap_days(a: Any, b: Any) -> int:
    a0, a1 = _interval(a)
    b0, b1 = _interval(b)
    if a1 < b0:
        return (b0 - a1).days
    if b1 < a0:
        return (a0 - b1).days
    return 0


def _is_share(unit: str | None) -> bool:
    return unit in ("percent", "percentage points")


def _fmt_val(v: float, unit: str | None) -> str:
    if unit == "percent":
        return f"{v:g}%"
    if unit == "km2":
        return f"{v:,.0f} km²"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"


def _confirmed(df: pd.DataFrame, a: Any, b: Any) -> bool:
    """Whether the same source's figures for the same party in another unit (a share beside an area) move the
    same way between the same two dates -- a real change told twice, not a typo."""
    other = df[(df["_src"] == a["_src"]) & (df["_party"] == a["_party"]) & (df["unit"] != a["unit"])]
    v1 = other.loc[other["as_of"] == a["as_of"], "value"]
    v2 = other.loc[other["as_of"] == b["as_of"], "value"]
    if not len(v1) or not len(v2):
        return False
    return (float(v2.iloc[0]) - float(v1.iloc[0])) * (b["value"] - a["value"]) > 0


def find_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Inconsistency flags over ledger rows (see the module doc for the rules)."""
    out: list[dict[str, Any]] = []
    if df is None or not len(df):
        return pd.DataFrame(columns=FLAG_COLUMNS)
    df = df[df["as_of"].notna() & df["value"].notna()].copy()
    if "note" in df.columns:  # a stated negation ("it does not seem ... 96.5%") is not an assertion
        df = df[~df["note"].fillna("").astype(str).str.startswith("negated")]
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    df["_src"] = df["source_org"].fillna("").astype(str)
    df["_party"] = df["party_key"].fillna("").astype(str)
    df["_ind"] = df["indicator_key"].fillna(df["indicator"]).astype(str)
    df["_ps"] = df["period_start"].astype(str) if "period_start" in df.columns else ""

    def flag(kind: str, a: Any, b: Any, message: str) -> None:
        out.append({"flag": kind, "indicator": a["indicator"], "party": a["party"] or "",
                    "source": a["_src"] if a["_src"] == b["_src"] else f"{a['_src']} vs {b['_src']}",
                    "date1": a["as_of"], "value1": a["value"], "date2": b["as_of"], "value2": b["value"],
                    "message": message})

    # One source's own series.
    for (_src, _ind, _party, _unit), g in df.groupby(["_src", "_ind", "_party", "unit"], dropna=False):
        g = g.drop_duplicates(subset=["as_of", "value"]).sort_values("as_of")
        rows = [r for _, r in g.iterrows()]
        for a, b in zip(rows, rows[1:], strict=False):
            if bool(a["cumulative"]) != bool(b["cumulative"]) or (bool(a["cumulative"]) and a["_ps"] != b["_ps"]):
                continue  # a cumulative count restarts with its period ("since the start of the year")
            days = max((b["as_of"] - a["as_of"]).days, 1)
            delta = b["value"] - a["value"]
            if bool(a["cumulative"]) and bool(b["cumulative"]) and a["_ps"] == b["_ps"] and delta < 0:
                flag("cumulative_fall", a, b,
                     f"{a['_src']}: cumulative '{a['indicator']}' falls from {_fmt_val(a['value'], a['unit'])} "
                     f"({a['as_of']}) to {_fmt_val(b['value'], b['unit'])} ({b['as_of']})")
                continue
            if _is_share(a["unit"]):
                jump = abs(delta) >= JUMP_PP and abs(delta) * 30 / days >= JUMP_PP_PER_30D
                size = f"{abs(delta):.1f} pp in {days} days"
            else:
                # Relative to the earlier figure, signed: a fall from 100 to 8 is -92 %, not +1,150 %.
                rel = delta / max(abs(a["value"]), 1.0)
                jump = abs(rel) >= JUMP_REL and abs(rel) * 30 / days >= JUMP_REL_PER_30D
                size = f"{rel:+.0%} in {days} days"
            if jump and _confirmed(df, a, b):
                jump = False  # the source's own series in another unit moves the same way between the same dates
            if jump:
                flag("implausible_jump", a, b,
                     f"{a['_src']}: '{a['indicator']}' jumps from {_fmt_val(a['value'], a['unit'])} ({a['as_of']}) "
                     f"to {_fmt_val(b['value'], b['unit'])} ({b['as_of']}), {size}")
    # Different sources, same indicator and party, about the same date.
    seen: set[tuple[str, str]] = set()
    for (_ind, _party, _unit), g in df.groupby(["_ind", "_party", "unit"], dropna=False):
        if not _party:
            continue
        rows = [r for _, r in g.sort_values("as_of").iterrows()]
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a["_src"] == b["_src"] or _gap_days(a, b) > SAME_DATE_DAYS:
                    continue
                if _is_share(a["unit"]):
                    far = abs(a["value"] - b["value"]) > DISAGREE_PP
                    size = f"{abs(a['value'] - b['value']):.1f} pp apart"
                else:
                    lo, hi = sorted([abs(a["value"]), abs(b["value"])])
                    far = lo == 0 and hi > 0 or (lo > 0 and hi / lo > DISAGREE_RATIO)
                    size = f"ratio {hi / lo:.2f}" if lo else "one is zero"
                key = tuple(sorted([str(a["figure_id"]), str(b["figure_id"])]))
                if far and key not in seen:
                    seen.add(key)  # type: ignore[arg-type]
                    flag("sources_disagree", a, b,
                         f"claims vs claims: {a['_src']} {_fmt_val(a['value'], a['unit'])} ({a['as_of']}) vs "
                         f"{b['_src']} {_fmt_val(b['value'], b['unit'])} ({b['as_of']}) for "
                         f"'{a['indicator']}' of {a['party'] or a['_party']}, {size}")
    return pd.DataFrame(out, columns=FLAG_COLUMNS)
