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

import pandas as pd

from .. import __version__
from ..geometry.boundary import Boundary, load_boundary
from ..profiles import Profile
from ..types import Provenance
from .area_walker import AreaWalker, Progress
from .changes import check_by, check_order, parse_date
from .periods import EVERY, check_every  # noqa: F401 - EVERY: this module's API
from .quick import boundary_for
from .suspects import GAP_COLUMNS, SUSPECT_COLUMNS, SuspectRules, as_day, find_gaps  # noqa: F401 - find_gaps: API
from .timeline_core import (  # noqa: F401 - the conventions and columns are this module's API
    CHANGE_METHOD,
    CONVENTION_PERIODS,
    CONVENTION_SNAPSHOTS,
    FRAME_COLUMNS,
    TimelineParts,
    period_bounds,
    timeline_parts,
    timeline_span,
)


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


class _WalkedFigures:
    """The :class:`~whoholds.metrics.timeline_core.Figures` of the full path: the walker, over rows of ``seq``
    by position (cached figures read, missing ones computed and cached)."""

    def __init__(self, walker: AreaWalker, seq: pd.DataFrame) -> None:
        self.walker, self.seq = walker, seq
        self.profile, self.areas, self.transfers = walker.profile, walker.areas, walker.transfers

    def walk(self, positions: list[int]) -> None:
        self.walker.walk(self.seq.iloc[positions])

    def walk_pairs(self, pairs: list[tuple[int, int]]) -> None:
        self.walker.walk_pairs(self.seq, pairs)

    def gross(self, a: str, b: str) -> float:
        return self.walker.gross(a, b)


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
    The rules (which snapshots, suspects, rows) are :func:`whoholds.metrics.timeline_core.timeline_parts`.
    """
    check_every(every)
    check_by(by)
    rules = rules or SuspectRules()
    day0 = parse_date(start, "--from") if start is not None else None
    day1 = parse_date(end, "--to") if end is not None else None
    if day0 is not None and day1 is not None:
        check_order(day0, day1, ("--from", "--to"))
    rows = store.current(profile.id)
    rows = rows.sort_values(["date", "timestamp"], kind="stable", na_position="first").reset_index(drop=True)
    recs = rows.to_dict("records")
    first, stop, lo, hi = timeline_span(recs, day0, day1, profile.id, getattr(store, "path", "store"))
    spec = boundary if isinstance(boundary, str) else None
    # the cached figures need only the boundary's id and area: its geometry is read when a figure is computed
    b = boundary if isinstance(boundary, Boundary) else boundary_for(store, profile, boundary)
    if isinstance(boundary, Boundary) and boundary.id != load_boundary(profile, None).id:
        workers = 1  # worker processes rebuild the boundary from its spec; a custom object has none
    seq = rows.iloc[first:stop].reset_index(drop=True)
    walker = AreaWalker(store, profile, b, progress, workers, spec, use_cache)
    try:
        archive = (as_day(recs[0]["date"]), as_day(recs[-1]["date"]))
        parts = timeline_parts(recs[first:stop], _WalkedFigures(walker, seq), profile, lo, hi, every, by,
                               exclude_suspect, rules, archive, b.id, b.area_km2)
    finally:
        walker.close()
    return result_of(parts, every, by, b)


def result_of(parts: TimelineParts, every: str, by: str, boundary: Any) -> TimelineResult:
    """The frames of a timeline computed by :func:`~whoholds.metrics.timeline_core.timeline_parts`."""
    return TimelineResult(pd.DataFrame(parts.records, columns=FRAME_COLUMNS),
                          pd.DataFrame(parts.gaps, columns=GAP_COLUMNS),
                          pd.DataFrame(parts.suspects, columns=SUSPECT_COLUMNS), parts.convention, every, by,
                          boundary, parts.method, parts.notes)
