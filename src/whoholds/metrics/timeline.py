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

``exclude_suspect=True`` drops them before changes are computed.

Areas and transfers between consecutive snapshots come from the store's cache (filled at ingest by the
incremental engine, :func:`whoholds.metrics.areas.walk_areas`), so a timeline over a whole archive is mostly
a lookup; pairs that are not cached yet (periods, pairs around excluded snapshots, another boundary) are
computed where the two snapshots differ and cached in turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import QueryError, StoreError
from ..geometry.boundary import Boundary, load_boundary
from ..profiles import Profile
from ..types import Provenance
from .changes import check_by, check_order, parse_date
from .shares import group_kind

EVERY = ("snapshot", "day", "week", "month")
Progress = Callable[[int], None]

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


@dataclass(frozen=True)
class SuspectRules:
    """When a snapshot is flagged (all thresholds relative to the archive itself, none to dates)."""

    #: A change is large above ``factor`` × the median change between consecutive snapshots ...
    factor: float = 10.0
    #: ... and above this many km².
    min_km2: float = 5.0
    #: Spike: comparing the neighbours directly keeps at most this fraction of the change.
    reversal: float = 0.5
    #: Outlier: an actor's area lies this fraction (of the neighbours' area) beyond both neighbours.
    relative: float = 0.02
    #: Glitches up to this many consecutive snapshots long are recognised.
    max_run: int = 3


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


# ---- the walk -------------------------------------------------------------------------------------------
class _Walker:
    """Areas per snapshot and transfers per pair, from the store's cache or computed (and cached)."""

    def __init__(self, store: Any, profile: Profile, boundary: Boundary, progress: Progress | None,
                 workers: int | None, boundary_spec: str | None) -> None:
        self.store, self.profile, self.boundary = store, profile, boundary
        self.progress = progress
        self.workers = workers
        self.boundary_spec = boundary_spec
        self.areas: dict[str, dict[str, float]] = {}
        self.transfers: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
        self._layers: dict[str, Any] = {}
        self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self, n_pairs: int) -> tuple[Any, int]:
        workers = self.workers or 1
        if workers <= 1 or n_pairs < 64 or not _spawn_safe():
            return None, 1
        if self._executor is None:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        return self._executor, workers

    def walk(self, rows: pd.DataFrame) -> None:
        """Fill areas of every row and transfers of every consecutive pair of ``rows`` (time order)."""
        if rows.empty:
            return
        ids = rows["id"].tolist()
        pairs = [p for p in zip(ids[:-1], ids[1:], strict=True) if p[0] != p[1]]
        if self._complete(ids, pairs):
            return
        if (rows["kind"] == "markers").any():
            self._walk_slow(rows)
            return
        self.read_cache([i for i in ids if i not in self.areas], [p for p in pairs if p not in self.transfers])
        if self._complete(ids, pairs):
            return
        from .areas import walk_areas

        executor, workers = self._pool(len(pairs))
        areas, transfers = walk_areas(self.store, rows, self.profile, self.boundary, progress=self.progress,
                                      executor=executor, workers=workers, boundary_spec=self.boundary_spec)
        self._take(areas, transfers, pairs)

    def walk_pairs(self, rows: pd.DataFrame, pairs: list[tuple[int, int]]) -> None:
        """Transfers between the given (row index, row index) pairs of ``rows``, which need not be neighbours."""
        ids = rows["id"].to_numpy()
        wanted = [(ids[i], ids[j]) for i, j in pairs]
        self.read_cache([], [p for p in wanted if p not in self.transfers])
        for (i, j), key in zip(pairs, wanted, strict=True):
            if key not in self.transfers:
                self.walk(rows.iloc[[i, j]])

    def _complete(self, ids: list[str], pairs: list[tuple[str, str]]) -> bool:
        return all(i in self.areas for i in ids) and all(p in self.transfers for p in pairs)

    def read_cache(self, ids: list[str], pairs: list[tuple[str, str]]) -> None:
        """Areas and transfers already in the store's cache (tables ``areas`` and ``transfers``)."""
        con = getattr(self.store, "con", None)
        if con is None or (not ids and not pairs):
            return
        from .areas import method_key

        method = method_key("polygons", "", None)
        if ids:
            got = con.execute(
                "SELECT snapshot_id, state, area_km2 FROM areas WHERE boundary_id = ? AND method = ? "
                "AND snapshot_id IN (SELECT unnest(?))", [self.boundary.id, method, ids]).df()
            for sid, state, area in zip(got["snapshot_id"].tolist(), got["state"].tolist(),
                                        got["area_km2"].tolist(), strict=True):
                self.areas.setdefault(sid, {})[state] = float(area)
        if pairs:
            got = con.execute(
                "SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers WHERE boundary_id = ? AND "
                "method = ? AND from_id IN (SELECT unnest(?))",
                [self.boundary.id, method, sorted({a for a, _ in pairs})]).df()
            wanted = set(pairs)
            keys = list(zip(got["from_id"].tolist(), got["to_id"].tolist(), strict=True))
            for key, src, dst, area in zip(keys, got["from_state"].tolist(), got["to_state"].tolist(),
                                           got["area_km2"].tolist(), strict=True):
                if key not in wanted:
                    continue
                entry = self.transfers.setdefault(key, {})  # a pair with no change is cached as one empty row
                if src and src != dst:
                    entry[(src, dst)] = entry.get((src, dst), 0.0) + float(area)

    def _take(self, areas: pd.DataFrame, transfers: pd.DataFrame, pairs: list[tuple[str, str]]) -> None:
        for sid, g in areas.groupby("snapshot_id", sort=False):
            self.areas[sid] = dict(zip(g["state"], g["area_km2"].astype(float), strict=True))
        fresh = {p: {} for p in pairs}
        for row in transfers.itertuples(index=False):
            key = (row.from_id, row.to_id)
            if key in fresh and row.from_state and row.from_state != row.to_state:
                fresh[key][(row.from_state, row.to_state)] = fresh[key].get((row.from_state, row.to_state), 0.0) \
                    + float(row.area_km2)
        self.transfers.update(fresh)

    def _walk_slow(self, rows: pd.DataFrame) -> None:
        """Marker snapshots (cells estimated per snapshot): whole layers and full overlays."""
        from ..geometry.layers import state_layers
        from .changes import transfer_between

        def layers(sid: str) -> Any:
            if sid not in self._layers:
                self._layers[sid] = state_layers(self.store.get(sid), self.profile, self.boundary)
            return self._layers[sid]

        ids = rows["id"].tolist()
        for i, sid in enumerate(ids):
            lay = layers(sid)
            self.areas[sid] = lay.areas()
            if i and ids[i - 1] != sid and (ids[i - 1], sid) not in self.transfers:
                res = transfer_between(layers(ids[i - 1]), lay, self.profile, "state")
                m = res.state_matrix
                self.transfers[(ids[i - 1], sid)] = {
                    (a, b): float(m.loc[a, b]) for a in m.index for b in m.columns if a != b and m.loc[a, b] > 1e-9
                }
            if self.progress:
                self.progress(1)

    def gross(self, a: str, b: str) -> float:
        return float(sum(self.transfers.get((a, b), {}).values()))


def _spawn_safe() -> bool:
    """Worker processes are started with "spawn", which re-imports ``__main__`` from its file."""
    import os
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return bool(path) and os.path.exists(path)


# ---- suspects and gaps ----------------------------------------------------------------------------------
def _label(row: Any) -> str:
    ts = row.get("timestamp") if isinstance(row, dict) else getattr(row, "timestamp", None)
    if ts is not None and not pd.isna(ts):
        return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")
    return pd.Timestamp(row["date"] if isinstance(row, dict) else row.date).date().isoformat()


def detect_suspects(walker: _Walker, rows: pd.DataFrame, rules: SuspectRules) -> pd.DataFrame:
    """Flag snapshots whose change is reversed by the next one (spike) or whose area is far off both
    neighbours (outlier). ``rows``: catalog rows in time order, already walked."""
    ids = rows["id"].tolist()
    n = len(ids)
    out: dict[int, list[tuple[str, str]]] = {}
    if n < 3:
        return _suspect_frame(rows, out)
    gross = np.array([walker.gross(ids[i - 1], ids[i]) for i in range(1, n)])  # gross[i-1]: step into i
    moving = gross[gross > 0]
    typical = float(np.median(moving)) if len(moving) else 0.0
    big = max(rules.min_km2, rules.factor * typical)
    labels = [_label(r) for r in rows.to_dict("records")]
    # spikes: a large change into a run of 1..max_run snapshots and a large change out of it, of which the
    # direct comparison of the run's neighbours keeps little
    candidates = []
    for k in range(1, n - 1):
        if gross[k - 1] <= big:
            continue
        for r in range(1, rules.max_run + 1):
            if k + r >= n:
                break
            if gross[k + r - 1] > big:
                candidates.append((k, r))
                break
    states = sorted({s for i in ids for s in walker.areas.get(i, {})})
    area = np.array([[walker.areas.get(i, {}).get(s, 0.0) for s in states] for i in ids]) if states else None
    if candidates and area is not None:
        # the direct comparison moves at least half the L1 distance between the two area vectors: skip the
        # candidates that cannot pass
        candidates = [(k, r) for k, r in candidates
                      if 0.5 * np.abs(area[k + r] - area[k - 1]).sum()
                      <= rules.reversal * min(gross[k - 1], gross[k + r - 1])]
    if candidates:
        walker.walk_pairs(rows, [(k - 1, k + r) for k, r in candidates])
        for k, r in candidates:
            into, out_of = gross[k - 1], gross[k + r - 1]
            direct = walker.gross(ids[k - 1], ids[k + r])
            if direct <= rules.reversal * min(into, out_of):
                for j in range(k, k + r):
                    reason = (f"spike: {into:,.1f} km² changed hands since {labels[k - 1]} and the next "
                              f"snapshot ({labels[k + r]}) reverses it: comparing {labels[k - 1]} with "
                              f"{labels[k + r]} directly gives {direct:,.1f} km² (typical change per "
                              f"snapshot {typical:,.1f} km²)")
                    out.setdefault(j, []).append(("spike", reason))
    # outliers: an actor's area beyond both neighbours (runs of up to max_run snapshots); contested and
    # unassigned land is left to the spike rule, since grey zones legitimately swell and shrink
    actors = sorted({a for s in states if (a := walker.profile.actor_of(s))})
    if area is not None and actors:
        area = np.column_stack([area[:, [i for i, s in enumerate(states) if walker.profile.actor_of(s) == a]]
                                .sum(axis=1) for a in actors])
        states = actors
        from numpy.lib.stride_tricks import sliding_window_view

        flagged_at: set[int] = set()
        for r in range(1, rules.max_run + 1):
            if n - 1 - r < 1:
                break
            ks = np.arange(1, n - r)  # runs k .. k+r-1 with a neighbour on each side
            before, after = area[ks - 1], area[ks + r]
            window = sliding_window_view(area, r, axis=0)[ks]  # (len(ks), n_actors, r)
            lo, hi = np.minimum(before, after), np.maximum(before, after)
            margin = np.maximum(big, rules.relative * hi)
            low = window.max(axis=2) < lo - margin
            high = window.min(axis=2) > hi + margin
            for i, si in zip(*np.nonzero(low | high), strict=True):
                k = int(ks[i])
                if k in flagged_at:
                    continue  # already explained by a shorter run
                word = "smaller" if low[i, si] else "larger"
                for j in range(k, k + r):
                    reason = (f"outlier: {states[si]} {area[j, si]:,.1f} km², far {word} than in both "
                              f"neighbours ({labels[k - 1]}: {before[i, si]:,.1f}, {labels[k + r]}: "
                              f"{after[i, si]:,.1f} km²)")
                    if all(reason != x[1] for x in out.get(j, [])):
                        out.setdefault(j, []).append(("outlier", reason))
            flagged_at.update(int(ks[i]) for i in np.flatnonzero((low | high).any(axis=1)))
    return _suspect_frame(rows, out)


def _suspect_frame(rows: pd.DataFrame, found: dict[int, list[tuple[str, str]]]) -> pd.DataFrame:
    recs = []
    for k in sorted(found):
        row = rows.iloc[k]
        rules = sorted({r for r, _ in found[k]})
        recs.append({
            "snapshot_id": row["id"], "date": pd.Timestamp(row["date"]).date(),
            "timestamp": None if pd.isna(row.get("timestamp")) else pd.Timestamp(row["timestamp"]).to_pydatetime(),
            "rule": "+".join(rules), "reason": "; ".join(r for _, r in found[k]), "excluded": False,
        })
    return pd.DataFrame(recs, columns=["snapshot_id", "date", "timestamp", "rule", "reason", "excluded"])


def find_gaps(dates: list[dt.date], long_days: int = 7) -> pd.DataFrame:
    """Holes in a sequence of snapshot dates, relative to its typical cadence (median spacing)."""
    cols = ["after", "before", "missing_days", "kind", "cadence_days"]
    days = sorted(set(dates))
    if len(days) < 2:
        return pd.DataFrame(columns=cols)
    diffs = np.array([(b - a).days for a, b in zip(days[:-1], days[1:], strict=True)])
    cadence = max(1, int(round(float(np.median(diffs)))))
    recs = []
    for (a, b), d in zip(zip(days[:-1], days[1:], strict=True), diffs, strict=True):
        if d > 1.5 * cadence:
            missing = int(d - 1) if cadence == 1 else int(round(d / cadence)) - 1
            kind = "long hole" if d >= max(long_days, 7 * cadence) else "missing days"
            recs.append({"after": a, "before": b, "missing_days": missing, "kind": kind, "cadence_days": cadence})
    return pd.DataFrame(recs, columns=cols)


# ---- periods --------------------------------------------------------------------------------------------
def period_bounds(first: dt.date, last: dt.date, every: str) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of every day/week (Monday-Sunday)/month touching [first, last]."""
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
) -> TimelineResult:
    """Area, share, gross gains, losses (recaptures) and net per group for every snapshot or period.

    ``every``: snapshot | day | week (Monday-Sunday) | month. ``by``: state | actor | coalition.
    ``progress`` is called with the number of snapshot pairs done. ``workers``: processes for many pairs
    not in the cache yet (default 1 = this process; more needs a ``__main__`` guard in scripts, as every
    "spawn" pool does).
    """
    if every not in EVERY:
        raise QueryError(f"--every {every}", f"unknown period; use one of: {', '.join(EVERY)}")
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
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    if isinstance(boundary, Boundary) and boundary.id != load_boundary(profile, None).id:
        workers = 1  # worker processes rebuild the boundary from its spec; a custom object has none
    first = int(in_range[0])
    seq = rows.iloc[max(first - 1, 0):int(in_range[-1]) + 1].reset_index(drop=True)
    walker = _Walker(store, profile, b, progress, workers, spec)
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
            convention = CONVENTION_PERIODS.format(unit={"day": "day", "week": "week", "month": "month"}[every])
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
    """For every period touching [lo, hi]: (start, end, label, record of the last snapshot on or before end)."""
    bounds = period_bounds(lo, hi, every)
    chosen = []
    base = None
    if bounds:
        before = np.flatnonzero(adates < max(bounds[0][0], lo))
        base = recs[int(before[-1])] if len(before) else None
    for p0, p1 in bounds:
        upto = np.flatnonzero(adates <= min(p1, hi))
        if len(upto) == 0:
            continue
        chosen.append((max(p0, lo), p1, p1, recs[int(upto[-1])]))
    if base is None and chosen:
        # nothing before the first period: its figures run from the first snapshot in range instead
        first = np.flatnonzero(adates >= lo)
        if len(first) and recs[int(first[0])]["id"] != chosen[0][3]["id"]:
            base = recs[int(first[0])]
    return chosen, base


def _build_frame(walker: _Walker, profile: Profile, by: str, b: Boundary, chosen: list, base: dict | None,
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
