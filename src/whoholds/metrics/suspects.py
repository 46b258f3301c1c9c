"""Snapshots that look wrong (suspects) and holes in an archive (gaps), found in the data itself (plain
Python: the cached timeline runs the same rules without NumPy or pandas).

The rules (spike, outlier) are described in :mod:`whoholds.metrics.timeline`; every threshold is relative
to the archive (:class:`SuspectRules`), none is a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas only for the frames: the rules run on plain rows (the cached timeline is pandas-free)
    import pandas as pd

    from .area_walker import AreaWalker

SUSPECT_COLUMNS = ["snapshot_id", "date", "timestamp", "rule", "reason", "excluded"]
GAP_COLUMNS = ["after", "before", "missing_days", "kind", "cadence_days"]


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


def as_day(value: Any) -> dt.date:
    """A catalog date (a date, a datetime or a pandas Timestamp) as a date."""
    return value.date() if isinstance(value, dt.datetime) else value


def as_time(value: Any) -> dt.datetime | None:
    """A catalog timestamp as a datetime, None when missing (None, NaT)."""
    if value is None or value != value:  # NaT is not equal to itself
        return None
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def _label(row: dict[str, Any]) -> str:
    ts = as_time(row.get("timestamp"))
    return ts.strftime("%Y-%m-%d %H:%M") if ts is not None else as_day(row["date"]).isoformat()


def detect_suspects(walker: AreaWalker, rows: pd.DataFrame, rules: SuspectRules) -> pd.DataFrame:
    """Flag snapshots whose change is reversed by the next one (spike) or whose area is far off both
    neighbours (outlier). ``rows``: catalog rows in time order, already walked."""
    recs = rows.to_dict("records")
    found = find_suspects(walker, recs, rules, lambda pairs: walker.walk_pairs(rows, pairs))
    import pandas as pd

    return pd.DataFrame(suspect_records(recs, found), columns=SUSPECT_COLUMNS)


def find_suspects(figures: Any, rows: list[dict[str, Any]], rules: SuspectRules,
                  walk_pairs: Callable[[list[tuple[int, int]]], None]) -> dict[int, list[tuple[str, str]]]:
    """The rules on plain catalog rows (time order): {row index: [(rule, reason)]}. ``figures``: areas and
    transfers of the rows (``areas``, ``gross(a, b)``, ``profile``); ``walk_pairs`` fills the transfers of
    (row index, row index) pairs that are not neighbours."""
    walker = figures
    ids = [r["id"] for r in rows]
    n = len(ids)
    out: dict[int, list[tuple[str, str]]] = {}
    if n < 3:
        return out
    gross = [walker.gross(ids[i - 1], ids[i]) for i in range(1, n)]  # gross[i-1]: step into i
    moving = [g for g in gross if g > 0]
    typical = _median(moving) if moving else 0.0
    big = max(rules.min_km2, rules.factor * typical)
    labels = [_label(r) for r in rows]
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
    area = [[walker.areas.get(i, {}).get(s, 0.0) for s in states] for i in ids]
    if candidates and states:
        # the direct comparison moves at least half the L1 distance between the two area vectors: skip the
        # candidates that cannot pass
        candidates = [(k, r) for k, r in candidates
                      if 0.5 * sum(abs(x - y) for x, y in zip(area[k + r], area[k - 1], strict=True))
                      <= rules.reversal * min(gross[k - 1], gross[k + r - 1])]
    if candidates:
        walk_pairs([(k - 1, k + r) for k, r in candidates])
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
    if not actors:
        return out
    columns = [[i for i, s in enumerate(states) if walker.profile.actor_of(s) == a] for a in actors]
    held = [[sum(row[i] for i in cols) for cols in columns] for row in area]  # held[snapshot][actor]
    flagged_at: set[int] = set()
    for r in range(1, rules.max_run + 1):
        if n - 1 - r < 1:
            break
        flagged_now: set[int] = set()
        for k in range(1, n - r):  # runs k .. k+r-1 with a neighbour on each side
            for si, actor in enumerate(actors):
                before, after = held[k - 1][si], held[k + r][si]
                window = [held[j][si] for j in range(k, k + r)]
                lo, hi = min(before, after), max(before, after)
                margin = max(big, rules.relative * hi)
                low, high = max(window) < lo - margin, min(window) > hi + margin
                if not (low or high):
                    continue
                flagged_now.add(k)
                if k in flagged_at:
                    continue  # already explained by a shorter run
                word = "smaller" if low else "larger"
                for j in range(k, k + r):
                    reason = (f"outlier: {actor} {held[j][si]:,.1f} km², far {word} than in both "
                              f"neighbours ({labels[k - 1]}: {before:,.1f}, {labels[k + r]}: {after:,.1f} km²)")
                    if all(reason != x[1] for x in out.get(j, [])):
                        out.setdefault(j, []).append(("outlier", reason))
        flagged_at |= flagged_now
    return out


def _median(values: list[float]) -> float:
    """The median (the mean of the two middle values of an even count), as a float."""
    s = sorted(values)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2.0


def suspect_records(rows: list[dict[str, Any]], found: dict[int, list[tuple[str, str]]]) -> list[dict[str, Any]]:
    """One record per flagged row (SUSPECT_COLUMNS), in time order."""
    recs = []
    for k in sorted(found):
        row = rows[k]
        rules = sorted({r for r, _ in found[k]})
        recs.append({
            "snapshot_id": row["id"], "date": as_day(row["date"]), "timestamp": as_time(row.get("timestamp")),
            "rule": "+".join(rules), "reason": "; ".join(r for _, r in found[k]), "excluded": False,
        })
    return recs


def find_gaps(dates: list[dt.date], long_days: int = 7) -> pd.DataFrame:
    """Holes in a sequence of snapshot dates, relative to its typical cadence (median spacing)."""
    import pandas as pd

    return pd.DataFrame(gap_records(dates, long_days), columns=GAP_COLUMNS)


def gap_records(dates: list[dt.date], long_days: int = 7) -> list[dict[str, Any]]:
    """:func:`find_gaps` as plain records (GAP_COLUMNS)."""
    days = sorted(set(dates))
    if len(days) < 2:
        return []
    diffs = [(b - a).days for a, b in zip(days[:-1], days[1:], strict=True)]
    cadence = max(1, int(round(_median(diffs))))
    recs = []
    for (a, b), d in zip(zip(days[:-1], days[1:], strict=True), diffs, strict=True):
        if d > 1.5 * cadence:
            missing = int(d - 1) if cadence == 1 else int(round(d / cadence)) - 1
            kind = "long hole" if d >= max(long_days, 7 * cadence) else "missing days"
            recs.append({"after": a, "before": b, "missing_days": missing, "kind": kind, "cadence_days": cadence})
    return recs
