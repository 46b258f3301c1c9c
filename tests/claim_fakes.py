"""A fake metric source for claim checks: snapshots on given dates, transfers per pair of dates, shares per
date, figures set by hand in each test (so verdicts are asserted against hand-computed values)."""

from __future__ import annotations

import pandas as pd

from whoholds.claims.metric_source import SnapshotRef

TOTAL = 600_000.0  # km² of the fake country


class Source:
    """Snapshots on given dates; transfers per (d1, d2); shares per (date, by)."""

    def __init__(self, profile, dates, transfers=None, shares=None, src="deepstate_occupied_daily.geojson.xz"):  # noqa: ANN001
        self.profile = profile
        self.dates = sorted(dates)
        self._transfers = transfers or {}
        self._shares = shares or {}
        self.src = src
        self.boundary_alternatives = ()
        self.store = object()

    def snapshot_dates(self):  # noqa: ANN201
        return list(self.dates)

    def nearest(self, date):  # noqa: ANN001, ANN201
        best = min(self.dates, key=lambda d: (abs((d - date).days), d > date))
        return SnapshotRef(best, f"snap-{best}", "polygons", self.src), abs((best - date).days)

    def transfers(self, d1, d2, by):  # noqa: ANN001, ANN201
        gains, losses = self._transfers[(d1, d2)]
        return pd.DataFrame({"group": ["russia", "ukraine"], "gains_km2": [gains, losses],
                             "losses_km2": [losses, gains], "net_km2": [gains - losses, losses - gains]})

    def shares(self, date, by, boundary=None):  # noqa: ANN001, ANN201
        rows = self._shares.get((date, by)) or self._shares[date]
        return pd.DataFrame([{"group": g, "kind": "actor", "area_km2": km2, "share_pct": 100 * km2 / TOTAL}
                             for g, km2 in rows.items()])

    def settlement_counts(self, ref, by):  # noqa: ANN001, ANN201
        raise AssertionError("not used")

    def marker_share_range(self, ref, by="actor"):  # noqa: ANN001, ANN201
        return None
