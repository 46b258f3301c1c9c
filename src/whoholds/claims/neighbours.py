"""Claims vs claims: the independent estimates nearest to a claim in the ledger (or a published-claims CSV),
for when no map is within reach -- or beside a verdict, as context.

A neighbour is a figure of the same kind (a share, or an area) for the same party, from another source, within
``within_days`` of the claim's date; the nearest ``n`` are returned with how far apart they are. They are
labelled as other sources' claims, never as a verdict.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..profiles import Profile
from .model import Claim

DEFAULT_WITHIN_DAYS = 120
_METRIC_UNIT = {"share": "percent", "area": "km2"}


def csv_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a published-claims CSV (as_of, source_org, source_type, party, share_pct, area_km2, note, url)
    as ledger-like records: as_of, source_org, party, value, unit, url, note. Unreadable rows are skipped."""
    out: list[dict[str, Any]] = []
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            raw = (row.get("as_of") or "").strip()
            try:
                day = dt.date.fromisoformat(raw if len(raw) == 10 else f"{raw[:7]}-01")
            except ValueError:
                continue
            for col, unit in (("share_pct", "percent"), ("area_km2", "km2")):
                val = (row.get(col) or "").strip().replace(",", "")
                if not val:
                    continue
                try:
                    value = float(val)
                except ValueError:
                    continue
                out.append({"as_of": day, "source_org": (row.get("source_org") or "").strip(),
                            "source_type": (row.get("source_type") or "").strip() or None,
                            "party": (row.get("party") or "").strip(), "value": value, "unit": unit,
                            "url": (row.get("url") or "").strip() or None,
                            "note": (row.get("note") or "").strip() or None,
                            "precision": "month" if len(raw) == 7 else "day"})
    return out


def default_rows() -> list[dict[str, Any]]:
    """Published-claims CSVs of the data folder (``$WHOHOLDS_DATA/claims/*.csv``), when it is set."""
    folder = os.environ.get("WHOHOLDS_DATA")
    if not folder:
        return []
    rows: list[dict[str, Any]] = []
    for path in sorted(Path(folder, "claims").glob("*.csv")):
        try:
            rows += csv_rows(path)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return rows


def _day(value: Any) -> dt.date | None:
    """A ledger date as a plain date: the store's ledger gives pandas Timestamps (a datetime, which cannot be
    subtracted from a date), CSVs give text; None when it is missing or not a date."""
    try:
        if isinstance(value, dt.datetime):
            return None if value != value else value.date()  # NaT is not equal to itself
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def ledger_neighbours(claim: Claim, rows: Iterable[Mapping[str, Any]], profile: Profile, *, n: int = 3,
                      within_days: int = DEFAULT_WITHIN_DAYS) -> tuple[dict[str, Any], ...]:
    """The estimates nearest in time to the claim (one per source, ``n`` sources at most), of the same kind and
    party, from sources other than the claim's speaker."""
    from .ledger import party_key

    unit = _METRIC_UNIT.get(claim.metric)
    if unit is None or claim.as_of is None or not claim.subject:
        return ()
    if claim.region or claim.excluded or claim.inhabited:
        return ()  # the ledger's estimates are of the whole country: another denominator, not comparable
    want = party_key(claim.subject, profile)
    speaker = (claim.speaker or "").lower()
    found = []
    for r in rows:
        if r.get("unit") != unit or r.get("value") is None or r.get("as_of") is None:
            continue
        if party_key(str(r.get("party") or ""), profile) != want:
            continue
        src = str(r.get("source_org") or "")
        if speaker and src and (src.lower() in speaker or speaker in src.lower()):
            continue  # the claimant's own figures are not an independent estimate
        day = _day(r["as_of"])
        if day is None:
            continue
        days = (day - claim.as_of).days
        if abs(days) > within_days:
            continue
        value = float(r["value"])
        found.append({"source": src, "source_type": r.get("source_type"), "as_of": day.isoformat(),
                      "value": value, "unit": unit,
                      "party": r.get("party"), "days_from_claim": days,
                      "claim_minus_estimate": claim.value - value, "url": r.get("url")})
    found.sort(key=lambda d: (abs(d["days_from_claim"]), d["source"]))
    nearest_per_source: dict[str, dict[str, Any]] = {}
    for nb in found:  # one figure per source: several sources say more than one source's series
        nearest_per_source.setdefault(nb["source"], nb)
    return tuple(list(nearest_per_source.values())[:n])


def neighbours_text(claim: Claim, neighbours: tuple[dict[str, Any], ...]) -> str:
    """One sentence per neighbour, labelled as other sources' estimates (claims vs claims)."""
    if not neighbours:
        return ""
    unit = "%" if claim.metric == "share" else " km²"
    diff_unit = " percentage points" if claim.metric == "share" else " km²"
    parts = []
    for nb in neighbours:
        d = nb["days_from_claim"]
        when = "the same day" if d == 0 else f"{abs(d)} days {'after' if d > 0 else 'before'} the claim"
        gap = nb["claim_minus_estimate"]
        rel = "above" if gap > 0 else "below"
        kind = f" ({str(nb['source_type']).replace('_', ' ')})" if nb.get("source_type") else ""
        if abs(gap) < 0.05:
            parts.append(f"{nb['source']}{kind} gave the same {nb['value']:g}{unit} for {nb['as_of']} ({when})")
            continue
        parts.append(f"{nb['source']}{kind} gave {nb['value']:g}{unit} for {nb['as_of']} ({when}); the claim is "
                     f"{abs(gap):.1f}{diff_unit} {rel} it")
    return ("Claims vs claims (other sources' estimates, not a verdict): " + "; ".join(parts) + ".")
