"""Area, gross gains, losses and net per state, actor or coalition over a whole archive.

Every snapshot (or every day, week or month) gets its area per group and what changed hands since the
previous point. Period figures follow the convention of the agencies that publish monthly gains: compare the
last snapshot on or before the start boundary of a period with the last snapshot on or before its end; gains
are land held at the end and not at the start (gross), losses are land held at the start and not at the end
(recaptures), net = gains - losses. Changes reversed inside a period do not count.

Nothing is interpolated: days without a snapshot are listed in ``gaps``; a period without a snapshot of its
own repeats the previous snapshot and says so (``carried``). Snapshots that look wrong are listed in
``suspects`` with a reason found in the data (no hard-coded dates):

* spike -- a large change (compared with the archive's typical change per snapshot) that the next snapshot
  reverses: comparing the snapshots on either side directly shows that little of it was real;
* outlier -- a state's area far smaller or larger than in both neighbouring snapshots.

``exclude_suspect=True`` drops them before changes are computed. The rules live in
:mod:`whoholds.metrics.suspects`, with the gap finder.

Areas and transfers between consecutive snapshots come from the store's cache (filled at ingest by the
incremental engine, :func:`whoholds.metrics.areas.walk_areas`), so a timeline over a whole archive is mostly
a lookup; pairs that are not cached yet (periods, pairs around excluded snapshots, another boundary) are
computed where the two snapshots differ and cached in turn (:class:`whoholds.metrics.area_walker.AreaWalker`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import QueryError, StoreError
from ..geometry.boundary import Boundary, load_boundary
from ..profiles import Profile
from ..types import Provenance
from .area_walker import AreaWalker, Progress
from .changes import check_by, check_order, parse_date
from .periods import EVERY, Period, check_every, period_endpoints  # noqa: F401 - EVERY: this module's API
from .quick import boundary_for
from .shares import group_kind
from .suspects import SuspectRules, detect_suspects, find_gaps

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
FRAME_COLUMNS = [
    "date", "group", "name", "kind", "area_km2", "share_pct", "gains_km2", "losses_km2", "net_km2", "suspect",
    "suspect_reason", "period_start", "from_date", "to_date", "carried", "snapshot_id", "from_snapshot_id",
    "timestamp", "source", "boundary", "method", "whoholds_version",
]


@dataclass
class TimelineResult:
    """``frame``: one row per date and group (see FRAME_COLUMNS); ``gaps``: holes in the archive
    (after, before, missing_days, kind, cadence_days); ``suspects``: flagged snapshots (snapshot_id, date,
    timestamp, rule, reason, excluded)."""

    frame: pd.DataFrame
    gaps: pd.DataFrame
    suspects: pd.DataFrame
    convention: str
    every: str
    by: str
    boundary: Boundary | None = None
    method: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def provenance(self) -> Provenance:
        f = self.frame
        ids = tuple(dict.fromkeys(f["snapshot_id"].astype(str))) if len(f) else ()
        sources = tuple(dict.fromkeys(f["source"].astype(str))) if len(f) else ()
        return Provenance(ids, sources, self.boundary.id if self.boundary else "", self.method, __version__)

    def group_series(self, group: str, column: str = "area_km2") -> pd.Series:
        rows = self.frame[self.frame["group"] == group]
        return pd.Series(rows[column].to_numpy(), index=pd.to_datetime(rows["date"]), name=f"{group} {column}")


# ---- periods --------------------------------------------------------------------------------------------
def period_bounds(first: dt.date, last: dt.date, every: str) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of every day/week (Monday-Sunday)/month/year touching [first, last]."""
    out = []
    if every == "day":
        d = first
        while d <= last:
            out.append((d, d))
            d += dt.timedelta(days=1)
    elif every == "week":
        d = first - dt.timedelta(days=first.weekday())
        while d <= last:
            out.append((d, d + dt.timedelta(days=6)))
            d += dt.timedelta(days=7)
    elif every == "month":
        d = first.replace(day=1)
        while d <= last:
            nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            out.append((d, nxt - dt.timedelta(days=1)))
            d = nxt
    elif every == "year":
        for year in range(first.year, last.year + 1):
            out.append((dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return out


def _as_date(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


# ---- the public function --------------------------------------------------------------------------------
def timeline(
    store: Any,
    profile: Profile,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    every: str = "snapshot",
    by: str = "state",
    exclude_suspect: bool = False,
    boundary: Boundary | str | None = None,
    progress: Progress | None = None,
    *,
    rules: SuspectRules | None = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> TimelineResult:
    """Area, share, gross gains, losses (recaptures) and net per group for every snapshot or period.

    ``every``: snapshot | day | week (Monday-Sunday) | month. ``by``: state | actor | coalition.
    ``progress`` is called with the number of snapshot pairs done. ``workers``: processes for many pairs
    not in the cache yet (default 1 = this process; more needs a ``__main__`` guard in scripts, as every
    "spawn" pool does). ``use_cache=False`` reads no cached figures and writes none: every figure is
    recomputed (from the change geometry stored at ingest, else by overlaying the snapshots).
    """
    check_every(every)
    check_by(by)
    rules = rules or SuspectRules()
    day0 = parse_date(start, "--from") if start is not None else None
    day1 = parse_date(end, "--to") if end is not None else None
    if day0 is not None and day1 is not None:
        check_order(day0, day1, ("--from", "--to"))
    rows = store.current(profile.id)
    if rows.empty:
        raise StoreError(getattr(store, "path", "store"),
                         f"the store has no {profile.id} snapshots; run `whoholds ingest ... --profile "
                         f"{profile.id}` first")
    rows = rows.sort_values(["date", "timestamp"], kind="stable", na_position="first").reset_index(drop=True)
    rdates = rows["date"].dt.date
    lo = day0 or rdates.iloc[0]
    hi = day1 or rdates.iloc[-1]
    in_range = np.flatnonzero(((rdates >= lo) & (rdates <= hi)).to_numpy())
    if len(in_range) == 0:
        raise QueryError(
            f"{lo.isoformat()} … {hi.isoformat()}",
            f"no {profile.id} snapshots in this range; the store holds {rdates.iloc[0].isoformat()} … "
            f"{rdates.iloc[-1].isoformat()} ({rdates.nunique()} dates)",
        )
    spec = boundary if isinstance(boundary, str) else None
    # the cached figures need only the boundary's id and area: its geometry is read when a figure is computed
    b = boundary if isinstance(boundary, Boundary) else boundary_for(store, profile, boundary)
    if isinstance(boundary, Boundary) and boundary.id != load_boundary(profile, None).id:
        workers = 1  # worker processes rebuild the boundary from its spec; a custom object has none
    first = int(in_range[0])
    seq = rows.iloc[max(first - 1, 0):int(in_range[-1]) + 1].reset_index(drop=True)
    walker = AreaWalker(store, profile, b, progress, workers, spec, use_cache)
    try:
        walker.walk(seq)
        suspects = detect_suspects(walker, seq, rules)
        bad = set(suspects["snapshot_id"]) if exclude_suspect else set()
        if exclude_suspect and len(suspects):
            suspects["excluded"] = True
        active = seq[~seq["id"].isin(bad)].reset_index(drop=True)
        recs = active.to_dict("records")
        for i, r in enumerate(recs):
            r["_pos"] = i
        adates = np.array([_as_date(r["date"]) for r in recs], dtype=object)
        notes: list[str] = []
        if every == "snapshot":
            inside = np.flatnonzero(adates >= lo)
            if len(inside) == 0:
                raise QueryError(f"{lo.isoformat()} … {hi.isoformat()}", "every snapshot in range is suspect")
            start_idx = int(inside[0])
            base = recs[start_idx - 1] if start_idx > 0 else None
            chosen = [(None, None, adates[i], recs[i]) for i in range(start_idx, len(recs))]
            convention = CONVENTION_SNAPSHOTS
        else:
            chosen, base = _periods(recs, adates, lo, hi, every)
            notes += _partial_notes(lo, hi, every, rdates.iloc[0], rdates.iloc[-1])
            convention = CONVENTION_PERIODS.format(unit=every)
        chain = list(dict.fromkeys(([base["_pos"]] if base is not None else []) + [c[3]["_pos"] for c in chosen]))
        walker.walk(active.iloc[chain])
    finally:
        walker.close()
    frame = _build_frame(walker, profile, by, b, chosen, base, suspects, exclude_suspect, every)
    gaps = find_gaps(list(seq["date"].dt.date[seq["date"].dt.date >= lo]))
    if len(gaps):
        days = int(gaps["missing_days"].sum())
        notes.append(f"{days} day{'s' * (days != 1)} without a snapshot in {len(gaps)} "
                     f"gap{'s' * (len(gaps) != 1)} (reported, not interpolated)")
    if len(suspects):
        verb = "excluded" if exclude_suspect else "flagged (exclude them with --exclude-suspect)"
        notes.append(f"{len(suspects)} suspect snapshot{'s' * (len(suspects) != 1)} {verb}")
    from ..geometry.layers import POLYGON_METHOD

    method = f"{POLYGON_METHOD}; {CHANGE_METHOD}"
    frame["method"] = method
    return TimelineResult(frame, gaps, suspects, convention, every, by, b, method, notes)


def _periods(recs: list[dict], adates: np.ndarray, lo: dt.date, hi: dt.date, every: str
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


def _build_frame(walker: AreaWalker, profile: Profile, by: str, b: Boundary, chosen: list, base: dict | None,
                 suspects: pd.DataFrame, exclude_suspect: bool, every: str) -> pd.DataFrame:
    total = b.area_km2
    reasons = dict(zip(suspects["snapshot_id"], suspects["reason"], strict=True)) if len(suspects) else {}
    recs = []
    prev = base
    gmap: dict[str, str] = {}

    def group(state: str) -> str:
        if state not in gmap:
            gmap[state] = profile.group_of(state, by)
        return gmap[state]

    all_groups: dict[str, None] = {}
    per_point = []
    for p0, _p1, label, row in chosen:
        sid = row["id"]
        areas: dict[str, float] = {}
        for s, v in walker.areas.get(sid, {}).items():
            areas[group(s)] = areas.get(group(s), 0.0) + v
        flows: dict[str, list[float]] | None = None
        if prev is not None:
            flows = {}
            if prev["id"] != sid:
                for (src, dst), v in walker.transfers.get((prev["id"], sid), {}).items():
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
    for p0, label, row, before, areas, flows in per_point:
        to_date = _as_date(row["date"])
        from_date = _as_date(before["date"]) if before is not None else None
        carried = every != "snapshot" and (to_date < p0 or (before is not None and before["id"] == row["id"]))
        ts = row.get("timestamp")
        for g in all_groups:
            a = areas.get(g, 0.0)
            if flows is None:
                gains = losses = float("nan")
            else:
                gains, losses = flows.get(g, (0.0, 0.0))
            recs.append({
                "date": label, "group": g, "name": profile.display_name(g), "kind": group_kind(profile, g, by),
                "area_km2": a, "share_pct": 100.0 * a / total if total else float("nan"),
                "gains_km2": gains, "losses_km2": losses, "net_km2": gains - losses,
                "suspect": row["id"] in reasons and not exclude_suspect,
                "suspect_reason": reasons.get(row["id"], "") if not exclude_suspect else "",
                "period_start": p0, "from_date": from_date, "to_date": to_date, "carried": bool(carried),
                "snapshot_id": row["id"], "from_snapshot_id": before["id"] if before is not None else None,
                "timestamp": None if ts is None or pd.isna(ts) else pd.Timestamp(ts).to_pydatetime(),
                "source": row["source"], "boundary": b.id, "method": "", "whoholds_version": __version__,
            })
    return pd.DataFrame(recs, columns=FRAME_COLUMNS)
