"""Shares of territory per actor, coalition or state, for one date or every snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

import pandas as pd

from ..geometry.boundary import Boundary, load_boundary
from ..geometry.methods import method_text
from ..profiles import Profile
from ..store import Store
from .areas import snapshot_areas, walk_areas
from .quick import SHARE_COLUMNS, cached_shares, check_grouping, group_kind, grouped, remember_boundary, share_rows

__all__ = ["SHARE_COLUMNS", "GroupBy", "group_kind", "grouped", "share_rows", "shares"]

GroupBy = Literal["state", "actor", "coalition"]


def shares(
    store: Store,
    profile: Profile,
    date: dt.date | None = None,
    all_dates: bool = False,
    by: GroupBy = "actor",
    boundary: Boundary | str | None = None,
    *,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Area (km², exact on WGS84) and % of the boundary per group, for one date, the latest, or all.

    ``date`` must be a date with a snapshot (the error names the nearest ones). Without ``date`` and
    ``all_dates`` the latest snapshot is used.
    """
    check_grouping(by)
    if not all_dates and not isinstance(boundary, Boundary):
        quick = cached_shares(store, profile, date, by, boundary, marker_method=marker_method,
                              max_distance_km=max_distance_km)
        if quick is not None:
            return pd.DataFrame(quick[0], columns=SHARE_COLUMNS)
    if not isinstance(boundary, Boundary):
        spec = boundary
        boundary = load_boundary(profile, spec)
        remember_boundary(store, profile, spec, boundary)
    total = boundary.area_km2
    if all_dates:
        rows = store.current(profile.id)
        if rows.empty:
            store.latest(dt.date.today(), profile.id)  # raises the "empty store" error
        out: list[dict] = []
        polygons = rows[rows["kind"] != "markers"]
        if len(polygons):
            area_frame, _ = walk_areas(store, polygons, profile, boundary, progress=progress)
            by_id = {sid: g for sid, g in area_frame.groupby("snapshot_id", sort=False)}
            method = method_text("polygons")
            for row in polygons.itertuples():
                g = by_id.get(row.id)
                if g is None:
                    continue
                areas = dict(zip(g["state"], g["area_km2"], strict=True))
                out += share_rows(areas, float(g["overlap_km2"].iloc[0]), profile, by, boundary, total,
                                  pd.Timestamp(row.date).date(), row.id, row.source, method)
        for row in rows[rows["kind"] == "markers"].itertuples():
            snap = store.get(row.id)
            areas, overlap, method = snapshot_areas(store, snap, profile, boundary, marker_method=marker_method,
                                                    max_distance_km=max_distance_km)
            out += share_rows(areas, overlap, profile, by, boundary, total, snap.date, snap.id, snap.source, method)
            if progress:
                progress(1)
        frame = pd.DataFrame(out, columns=SHARE_COLUMNS)
        return frame.sort_values(["date", "area_km2"], ascending=[True, False], kind="stable").reset_index(drop=True)
    if date is None:
        dates = store.dates(profile.id)
        if not dates:
            store.latest(dt.date.today(), profile.id)
        date = dates[-1]
    snap = store.latest(date, profile.id)
    areas, overlap, method = snapshot_areas(store, snap, profile, boundary, marker_method=marker_method,
                                            max_distance_km=max_distance_km)
    return pd.DataFrame(share_rows(areas, overlap, profile, by, boundary, total, snap.date, snap.id, snap.source,
                                   method), columns=SHARE_COLUMNS)
