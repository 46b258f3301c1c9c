"""Shares of territory per actor, coalition or state, for one date or every snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

import pandas as pd

from .. import __version__
from ..errors import QueryError
from ..geometry.boundary import Boundary, load_boundary
from ..geometry.layers import method_text
from ..profiles import PSEUDO_STATES, Profile
from ..store import Store
from .areas import snapshot_areas, walk_areas

GroupBy = Literal["state", "actor", "coalition"]
SHARE_COLUMNS = ["date", "group", "name", "kind", "area_km2", "share_pct", "overlap_km2", "snapshot_id", "source",
                 "boundary", "method", "whoholds_version"]


def group_kind(profile: Profile, key: str, by: str) -> str:
    if key in PSEUDO_STATES:
        return key
    if key in profile.state_by_id and (by == "state" or profile.state_by_id[key].kind != "actor"):
        return profile.state_by_id[key].kind if by != "state" else "state"
    return "coalition" if by == "coalition" and key in profile.coalition_by_id else "actor"


def grouped(areas: dict[str, float], profile: Profile, by: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for state, area in areas.items():
        key = profile.group_of(state, by)
        out[key] = out.get(key, 0.0) + area
    return out


def share_rows(areas: dict[str, float], overlap: float, profile: Profile, by: str, boundary: Boundary,
               total_km2: float, date: dt.date, snapshot_id: str, source: str, method: str) -> list[dict]:
    rows = []
    for key, area in sorted(grouped(areas, profile, by).items(), key=lambda kv: -kv[1]):
        if key in PSEUDO_STATES and area < 1e-3:
            continue  # a rounding sliver (< 1,000 m²) of unassigned land is not a row
        rows.append({
            "date": date, "group": key, "name": profile.display_name(key), "kind": group_kind(profile, key, by),
            "area_km2": area, "share_pct": 100.0 * area / total_km2, "overlap_km2": overlap,
            "snapshot_id": snapshot_id, "source": source, "boundary": boundary.id, "method": method,
            "whoholds_version": __version__,
        })
    return rows


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
    if by not in ("state", "actor", "coalition"):
        raise QueryError("--by", f"unknown grouping {by!r} (use state, actor or coalition)")
    if not isinstance(boundary, Boundary):
        boundary = load_boundary(profile, boundary)
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
