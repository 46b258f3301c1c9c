"""Where a claim check gets its figures: the `MetricSource` protocol and `StoreMetrics`, its implementation
over a real store and the `whoholds.metrics` functions (tests use small fakes with the same methods).

The metrics are imported when first asked for, so an installation without one of them still checks the other
claims; a metric that cannot be computed raises `MetricsUnavailable`, which the check turns into "cannot be
checked" with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..profiles import Profile

if TYPE_CHECKING:
    import pandas as pd


class MetricsUnavailable(Exception):
    """The installation or the store cannot compute a metric (missing module, marker-only data...)."""


@dataclass(frozen=True)
class SnapshotRef:
    """The snapshot a figure is computed from (``snapshot`` is the full Snapshot when there is one)."""

    date: dt.date
    id: str
    kind: str = "polygons"
    source: str = ""
    snapshot: Any = None


class MetricSource(Protocol):
    profile: Profile
    boundary_alternatives: tuple[str, ...]

    def nearest(self, date: dt.date) -> tuple[SnapshotRef, int]: ...
    def snapshot_dates(self) -> list[dt.date]: ...
    def shares(self, date: dt.date, by: str, boundary: str | None = None) -> pd.DataFrame: ...
    def transfers(self, d1: dt.date, d2: dt.date, by: str) -> pd.DataFrame: ...
    def settlement_counts(self, ref: SnapshotRef, by: str) -> pd.DataFrame: ...
    def marker_share_range(self, ref: SnapshotRef, by: str = "actor") -> pd.DataFrame | None: ...


class StoreMetrics:
    """`MetricSource` over a `whoholds.store.Store` and the `whoholds.metrics` functions."""

    def __init__(self, store: Any, profile: Profile, boundary_alternatives: tuple[str, ...] = ()) -> None:
        self.store = store
        self.profile = profile
        self.boundary_alternatives = tuple(boundary_alternatives)

    def nearest(self, date: dt.date) -> tuple[SnapshotRef, int]:
        # the catalog row is enough for area figures, which come from the cache; the snapshot itself (its file,
        # read with GeoPandas) only for marker snapshots, whose checks count the markers
        row, dist = self.store.nearest_row(date, self.profile.id)
        snap = self.store.get(row["id"]) if row["kind"] == "markers" else None
        return SnapshotRef(date=row["date"], id=row["id"], kind=row["kind"], source=row["source"], snapshot=snap), \
            abs(int(dist))

    def snapshot_dates(self) -> list[dt.date]:
        """Every date the store holds for the profile (the period convention picks from them)."""
        return list(self.store.dates(self.profile.id))

    def shares(self, date: dt.date, by: str, boundary: str | None = None) -> pd.DataFrame:
        try:
            from ..metrics.shares import shares
        except ImportError as exc:
            raise MetricsUnavailable(f"shares are not available in this installation ({exc})") from None
        return shares(self.store, self.profile, date=date, by=by, boundary=boundary)

    def share_records(self, date: dt.date, by: str, boundary: str | None = None) -> list[dict] | None:
        """The rows of :meth:`shares` when the store's cache holds them (no pandas, no geometry stack), else
        None."""
        from ..metrics.quick import cached_shares

        quick = cached_shares(self.store, self.profile, date, by, boundary)
        return None if quick is None else quick[0]

    def transfers(self, d1: dt.date, d2: dt.date, by: str) -> pd.DataFrame:
        try:
            from ..metrics.changes import transfer_matrix
        except ImportError as exc:
            raise MetricsUnavailable(f"area changes are not available in this installation ({exc})") from None
        result = transfer_matrix(self.store, self.profile, d1, d2, by=by)
        summary = result.summary.copy()
        prov = getattr(result, "provenance", None)
        if prov is not None:
            summary["boundary"], summary["method"], summary["whoholds_version"] = (
                prov.boundary, prov.method, prov.version)
        return summary

    def stepwise_transfers(self, d1: dt.date, d2: dt.date, by: str, every: str) -> pd.DataFrame | None:
        """Gains and losses per group summed over the steps between ``d1`` and ``d2`` (``every``: "snapshot"
        — consecutive maps — or "month"), from the timeline's cached figures; suspect snapshots left out.
        None when the store cannot give them. Land that changed hands and back inside the period counts here,
        as in a tracker's daily or monthly reports, and not in the endpoint comparison."""
        try:
            from ..metrics.timeline import timeline
        except ImportError:
            return None
        frame = timeline(self.store, self.profile, d1 + dt.timedelta(days=1), d2, every=every, by=by,
                         exclude_suspect=True).frame
        if not len(frame):
            return None
        inside = frame[(frame["from_date"].map(_day) >= d1) & (frame["to_date"].map(_day) <= d2)]
        return inside.groupby("group", as_index=False)[["gains_km2", "losses_km2", "net_km2"]].sum()

    def settlement_counts(self, ref: SnapshotRef, by: str) -> pd.DataFrame:
        try:
            from ..metrics.markers import settlement_counts
        except ImportError as exc:
            raise MetricsUnavailable(f"settlement counts are not available in this installation ({exc})") \
                from None
        if ref.kind != "markers":
            raise MetricsUnavailable(f"the {ref.date} snapshot has no settlement markers (it is {ref.kind})")
        return settlement_counts(ref.snapshot, self.profile, by)

    def settlement_transfers(self, r1: SnapshotRef, r2: SnapshotRef, by: str) -> pd.DataFrame | None:
        """Markers that changed hands between two marker snapshots (from_group, to_group, change)."""
        if r1.kind != "markers" or r2.kind != "markers":
            return None
        try:
            from ..metrics.markers import changed_markers
        except ImportError:
            return None
        return changed_markers(r1.snapshot, r2.snapshot, self.profile, by=by)

    def marker_share_range(self, ref: SnapshotRef, by: str = "actor") -> pd.DataFrame | None:
        """Shares under every marker-estimate method (marker snapshots only): group, method, share_pct."""
        if ref.kind != "markers":
            return None
        try:
            from ..geometry.boundary import load_boundary
            from ..metrics.markers import marker_share_range

            return marker_share_range(ref.snapshot, self.profile, load_boundary(self.profile), by=by)
        except ImportError:
            pass
        try:
            from ..geometry.cells import MARKER_METHODS
            from ..metrics.shares import shares
        except ImportError:
            return None
        frames = []
        for method in MARKER_METHODS:
            df = shares(self.store, self.profile, date=ref.date, by=by, marker_method=method)
            frames.append(df.assign(method=method)[["group", "kind", "method", "share_pct", "area_km2"]])
        import pandas as pd

        return pd.concat(frames, ignore_index=True) if frames else None


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else \
        dt.date.fromisoformat(str(value)[:10])
