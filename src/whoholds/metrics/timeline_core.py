"""The timeline's rules on plain catalog rows, free of pandas and of any geometry library.

:func:`whoholds.metrics.timeline.timeline` (every figure, computed where it is not cached) and
:func:`whoholds.metrics.quick_timeline.cached_timeline` (the figures straight from the store's cache, for a
command that starts in a fraction of a second) both run :func:`timeline_parts`, so they pick the same
snapshots, flag the same suspects and write the same rows. What differs is where the areas and transfers
come from: a ``figures`` object with ``areas`` ({snapshot id: {state: km²}}), ``transfers`` ({(from id, to
id): {(from state, to state): km²}}), ``gross(a, b)``, ``profile``, and ``walk(positions)`` /
``walk_pairs(pairs)`` that make the figures of rows of ``seq`` (by position) available.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import __version__
from ..errors import QueryError, StoreError
from ..geometry.methods import POLYGON_METHOD
from ..profiles import Profile
from .periods import Period, period_bounds, period_endpoints
from .quick import group_kind
from .suspects import SuspectRules, as_day, as_time, find_suspects, gap_records, suspect_records

CONVENTION_PERIODS = (
    "agencies' convention: each {unit} compares the last snapshot on or before its start boundary (the end "
    "of the previous {unit}) with the last snapshot on or before its end; gains = area held at the end and "
    "not at the start (gross), losses = area held at the start and lost by the end (recaptures), "
    "net = gains - losses; changes reversed within the {unit} are not counted; no interpolation over gaps"
)
CONVENTION_SNAPSHOTS = (
    "each snapshot compared with the previous one: gains = area held now and not before (gross), losses = "
    "area held before and lost now (recaptures), net = gains - losses; no interpolation over gaps"
)
CHANGE_METHOD = (
    "changes: transfers between the two snapshots' disjoint state layers, overlaid only where their edges "
    "differ"
)
#: How every timeline figure is obtained (the ``method`` column).
TIMELINE_METHOD = f"{POLYGON_METHOD}; {CHANGE_METHOD}"
FRAME_COLUMNS = [
    "date", "group", "name", "kind", "area_km2", "share_pct", "gains_km2", "losses_km2", "net_km2", "suspect",
    "suspect_reason", "period_start", "from_date", "to_date", "carried", "snapshot_id", "from_snapshot_id",
    "timestamp", "source", "boundary", "method", "whoholds_version",
]


class Figures(Protocol):
    profile: Profile
    areas: dict[str, dict[str, float]]
    transfers: dict[tuple[str, str], dict[tuple[str, str], float]]

    def walk(self, positions: list[int]) -> None: ...

    def walk_pairs(self, pairs: list[tuple[int, int]]) -> None: ...

    def gross(self, a: str, b: str) -> float: ...


@dataclass
class TimelineParts:
    """Rows of the timeline (FRAME_COLUMNS), gaps and suspects as plain records, and what to say."""

    records: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    suspects: list[dict[str, Any]]
    convention: str
    notes: list[str] = field(default_factory=list)
    method: str = TIMELINE_METHOD


# ---- periods --------------------------------------------------------------------------------------------
def timeline_span(rows: list[dict[str, Any]], day0: dt.date | None, day1: dt.date | None, profile_id: str,
                  store_path: Any) -> tuple[int, int, dt.date, dt.date]:
    """``rows`` (catalog rows in time order) a timeline from ``day0`` to ``day1`` reads: (first, stop) row
    positions -- the snapshot before the range included, as the base of the first change -- and the range."""
    if not rows:
        raise StoreError(store_path, f"the store has no {profile_id} snapshots; run `whoholds ingest ... "
                                     f"--profile {profile_id}` first")
    days = [as_day(r["date"]) for r in rows]
    lo = day0 or days[0]
    hi = day1 or days[-1]
    inside = [i for i, d in enumerate(days) if lo <= d <= hi]
    if not inside:
        raise QueryError(
            f"{lo.isoformat()} … {hi.isoformat()}",
            f"no {profile_id} snapshots in this range; the store holds {days[0].isoformat()} … "
            f"{days[-1].isoformat()} ({len(set(days))} dates)",
        )
    return max(inside[0] - 1, 0), inside[-1] + 1, lo, hi


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Catalog rows in time order: by date, then time (rows without a time first), stable."""
    def key(r: dict[str, Any]) -> tuple:
        ts = as_time(r.get("timestamp"))
        return as_day(r["date"]), ts is not None, ts or dt.datetime.min

    return sorted(rows, key=key)


# ---- the rules --------------------------------------------------------------------------------------------
def timeline_parts(seq: list[dict[str, Any]], figures: Figures, profile: Profile, lo: dt.date, hi: dt.date,
                   every: str, by: str, exclude_suspect: bool, rules: SuspectRules, archive: tuple[dt.date, dt.date],
                   boundary_id: str, total_km2: float) -> TimelineParts:
    """The timeline over ``seq`` (catalog rows in time order, from :func:`timeline_span`): suspects, the
    snapshots each point compares, and one record per point and group. ``archive``: the first and last
    dates the store holds (for the partial-period notes)."""
    figures.walk(list(range(len(seq))))
    found = find_suspects(figures, seq, rules, figures.walk_pairs)
    suspects = suspect_records(seq, found)
    bad = {s["snapshot_id"] for s in suspects} if exclude_suspect else set()
    for s in suspects:
        s["excluded"] = exclude_suspect
    recs = [dict(r, _seq=i) for i, r in enumerate(seq) if r["id"] not in bad]
    for i, r in enumerate(recs):
        r["_pos"] = i
    adates = [as_day(r["date"]) for r in recs]
    notes: list[str] = []
    if every == "snapshot":
        inside = [i for i, d in enumerate(adates) if d >= lo]
        if not inside:
            raise QueryError(f"{lo.isoformat()} … {hi.isoformat()}", "every snapshot in range is suspect")
        start_idx = inside[0]
        base = recs[start_idx - 1] if start_idx > 0 else None
        chosen = [(None, None, adates[i], recs[i]) for i in range(start_idx, len(recs))]
        convention = CONVENTION_SNAPSHOTS
    else:
        chosen, base = _periods(recs, adates, lo, hi, every)
        notes += _partial_notes(lo, hi, every, archive[0], archive[1])
        convention = CONVENTION_PERIODS.format(unit=every)
    chain = list(dict.fromkeys(([base["_seq"]] if base is not None else []) + [c[3]["_seq"] for c in chosen]))
    figures.walk(chain)
    records = _records(figures, profile, by, boundary_id, total_km2, chosen, base, suspects, exclude_suspect, every)
    gaps = gap_records([d for d in (as_day(r["date"]) for r in seq) if d >= lo])
    if gaps:
        days = sum(int(g["missing_days"]) for g in gaps)
        notes.append(f"{days} day{'s' * (days != 1)} without a snapshot in {len(gaps)} "
                     f"gap{'s' * (len(gaps) != 1)} (reported, not interpolated)")
    if suspects:
        verb = "excluded" if exclude_suspect else "flagged (exclude them with --exclude-suspect)"
        notes.append(f"{len(suspects)} suspect snapshot{'s' * (len(suspects) != 1)} {verb}")
    return TimelineParts(records, gaps, suspects, convention, notes)


def _periods(recs: list[dict], adates: list[dt.date], lo: dt.date, hi: dt.date, every: str
             ) -> tuple[list[tuple[dt.date, dt.date, dt.date, dict]], dict | None]:
    """For every period touching [lo, hi]: (start, end, label, record of the last snapshot on or before end).

    The snapshots come from the one period convention (:func:`whoholds.metrics.periods.period_endpoints`).
    """
    last_of = {d: recs[i] for i, d in enumerate(adates)}  # recs are sorted: the last record of each date
    days = sorted(last_of)
    chosen = []
    base = None
    for p0, p1 in period_bounds(lo, hi, every):
        ends = period_endpoints(days, Period(max(p0, lo), min(p1, hi)), presorted=True)
        if ends.after is None:
            continue
        if not chosen:
            base = last_of[ends.before] if ends.before is not None and ends.before != ends.after else None
        chosen.append((max(p0, lo), p1, p1, last_of[ends.after]))
    return chosen, base


def _partial_notes(lo: dt.date, hi: dt.date, every: str, first: dt.date, last: dt.date) -> list[str]:
    """The first and last periods the archive covers only in part (flagged in every output)."""
    bounds = period_bounds(lo, hi, every)
    out = []
    if bounds and (bounds[0][0] < first or lo > bounds[0][0]):
        out.append(f"partial period: the {every} of {bounds[0][0]} starts before the "
                   f"{'archive' if bounds[0][0] < first and lo <= first else 'requested range'} ({max(first, lo)})")
    if bounds and (bounds[-1][1] > last or hi < bounds[-1][1]):
        out.append(f"partial period: the {every} of {bounds[-1][0]} ends after the "
                   f"{'archive' if bounds[-1][1] > last else 'requested range'} ({min(last, hi)})")
    return out


def _records(figures: Figures, profile: Profile, by: str, boundary_id: str, total: float, chosen: list,
             base: dict | None, suspects: list[dict], exclude_suspect: bool, every: str) -> list[dict[str, Any]]:
    reasons = {s["snapshot_id"]: s["reason"] for s in suspects}
    gmap: dict[str, str] = {}

    def group(state: str) -> str:
        if state not in gmap:
            gmap[state] = profile.group_of(state, by)
        return gmap[state]

    all_groups: dict[str, None] = {}
    per_point = []
    prev = base
    for p0, _p1, label, row in chosen:
        sid = row["id"]
        areas: dict[str, float] = {}
        for s, v in figures.areas.get(sid, {}).items():
            areas[group(s)] = areas.get(group(s), 0.0) + v
        flows: dict[str, list[float]] | None = None
        if prev is not None:
            flows = {}
            if prev["id"] != sid:
                for (src, dst), v in figures.transfers.get((prev["id"], sid), {}).items():
                    g1, g2 = group(src), group(dst)
                    if g1 == g2:
                        continue
                    flows.setdefault(g2, [0.0, 0.0])[0] += v
                    flows.setdefault(g1, [0.0, 0.0])[1] += v
        for g in areas:
            all_groups.setdefault(g)
        if flows:
            for g in flows:
                all_groups.setdefault(g)
        per_point.append((p0, label, row, prev, areas, flows))
        prev = row
    names = {g: (profile.display_name(g), group_kind(profile, g, by)) for g in all_groups}
    out = []
    for p0, label, row, before, areas, flows in per_point:
        to_date = as_day(row["date"])
        from_date = as_day(before["date"]) if before is not None else None
        carried = every != "snapshot" and (to_date < p0 or (before is not None and before["id"] == row["id"]))
        ts = as_time(row.get("timestamp"))
        suspect = row["id"] in reasons and not exclude_suspect
        reason = reasons.get(row["id"], "") if not exclude_suspect else ""
        for g in all_groups:
            a = areas.get(g, 0.0)
            if flows is None:
                gains = losses = float("nan")
            else:
                gains, losses = flows.get(g, (0.0, 0.0))
            out.append({
                "date": label, "group": g, "name": names[g][0], "kind": names[g][1],
                "area_km2": a, "share_pct": 100.0 * a / total if total else float("nan"),
                "gains_km2": gains, "losses_km2": losses, "net_km2": gains - losses,
                "suspect": suspect, "suspect_reason": reason,
                "period_start": p0, "from_date": from_date, "to_date": to_date, "carried": bool(carried),
                "snapshot_id": row["id"], "from_snapshot_id": before["id"] if before is not None else None,
                "timestamp": ts, "source": row["source"], "boundary": boundary_id, "method": TIMELINE_METHOD,
                "whoholds_version": __version__,
            })
    return out
