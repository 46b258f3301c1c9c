"""Markers that changed hands between two marker snapshots, and the counts per pair of holders.

The same marker in two snapshots is matched by position, never by name (names repeat): first identical
positions, then mutual nearest neighbours. Markers present in only one snapshot are reported as appeared /
disappeared, not as changes (definitions in :mod:`whoholds.metrics.markers`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from ..geometry.cells import settlement_mask
from ..io.wikipedia import base_feature_type
from .marker_inputs import check_marker_grouping, require_markers

if TYPE_CHECKING:
    from ..profiles import Profile
    from ..types import Snapshot


def _marker_table(snapshot: Snapshot, profile: Profile, by: str) -> pd.DataFrame:
    f = require_markers(snapshot, "marker changes")
    geoms = f.geometry.to_numpy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    plain = settlement_mask(f)
    ftype = (
        f["feature_type"].astype(str).to_numpy()
        if "feature_type" in f.columns
        else np.array([base_feature_type(m) for m in f["mark"]])
    )
    cat = np.where(plain, "settlement", ftype)
    return pd.DataFrame(
        {
            "name": f["name"].fillna("").astype(str).to_numpy() if "name" in f.columns else "",
            "feature_type": ftype,
            "cat": cat,
            "settlement": plain,
            "lat": lat,
            "lon": lon,
            "state": f["state"].astype(str).to_numpy(),
            "group": [profile.group_of(s, by) for s in f["state"]],
        }
    )


def _project(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    from pyproj import Transformer

    tr = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m", always_xy=True
    )
    x, y = tr.transform(lon, lat)
    return np.column_stack([x, y])


def _match(a: pd.DataFrame, b: pd.DataFrame, max_match_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (ia, ib) of the same marker in two snapshots: first identical positions (same category:
    settlement dot vs facility type), then mutual nearest neighbours within ``max_match_m``."""
    ka = pd.DataFrame({"x": a["lon"].round(5), "y": a["lat"].round(5), "c": a["cat"]})
    kb = pd.DataFrame({"x": b["lon"].round(5), "y": b["lat"].round(5), "c": b["cat"]})
    ka["n"] = ka.groupby(["x", "y", "c"]).cumcount()
    kb["n"] = kb.groupby(["x", "y", "c"]).cumcount()
    ka["ia"] = np.arange(len(ka))
    kb["ib"] = np.arange(len(kb))
    m = ka.merge(kb, on=["x", "y", "c", "n"], how="inner")
    ia, ib = m["ia"].to_numpy(), m["ib"].to_numpy()
    if max_match_m <= 0:
        return ia, ib
    free_a = np.setdiff1d(np.arange(len(a)), ia)
    free_b = np.setdiff1d(np.arange(len(b)), ib)
    if len(free_a) == 0 or len(free_b) == 0:
        return ia, ib
    lon0 = float(np.median(np.concatenate([a["lon"], b["lon"]])))
    lat0 = float(np.median(np.concatenate([a["lat"], b["lat"]])))
    xa = _project(a["lon"].to_numpy()[free_a], a["lat"].to_numpy()[free_a], lon0, lat0)
    xb = _project(b["lon"].to_numpy()[free_b], b["lat"].to_numpy()[free_b], lon0, lat0)
    ca, cb = a["cat"].to_numpy()[free_a], b["cat"].to_numpy()[free_b]
    extra_a, extra_b = [], []
    for c in np.intersect1d(ca, cb):
        sa, sb = np.flatnonzero(ca == c), np.flatnonzero(cb == c)
        pa, pb = shapely.points(xa[sa]), shapely.points(xb[sb])
        ta, tb = shapely.STRtree(pa), shapely.STRtree(pb)
        (qa, nb), _ = tb.query_nearest(pa, max_distance=max_match_m, return_distance=True, all_matches=False)
        (qb, na), _ = ta.query_nearest(pb, max_distance=max_match_m, return_distance=True, all_matches=False)
        back = dict(zip(qb.tolist(), na.tolist(), strict=True))
        mutual = np.array([back.get(j, -1) == i for i, j in zip(qa.tolist(), nb.tolist(), strict=True)], bool)
        extra_a.append(free_a[sa[qa[mutual]]])
        extra_b.append(free_b[sb[nb[mutual]]])
    if extra_a:
        ia = np.concatenate([ia, *extra_a])
        ib = np.concatenate([ib, *extra_b])
    return ia, ib


CHANGE_COLUMNS = [
    "change",
    "name",
    "feature_type",
    "settlement",
    "lat",
    "lon",
    "from_state",
    "to_state",
    "from_group",
    "to_group",
    "distance_m",
]


def changed_markers(
    snap1: Snapshot,
    snap2: Snapshot,
    profile: Profile,
    max_match_m: float = 500.0,
    *,
    by: str = "coalition",
    include_unmatched: bool = True,
) -> pd.DataFrame:
    """Markers whose holder differs between two snapshots, matched by position (not by name).

    Columns: ``change`` ("changed hands", "appeared", "disappeared"), ``name, feature_type, settlement``
    (plain dot?), ``lat, lon`` (of the later snapshot when present), ``from_state, to_state, from_group,
    to_group`` (groups ``by`` actor/coalition/state), ``distance_m`` (how far the matched marker moved).
    Markers present in only one snapshot are listed as appeared/disappeared, never counted as changes.
    """
    check_marker_grouping(by)
    a = _marker_table(snap1, profile, by)
    b = _marker_table(snap2, profile, by)
    ia, ib = _match(a, b, max_match_m)
    moved = np.zeros(len(ia))
    if len(ia):
        from pyproj import Geod

        _, _, moved = Geod(ellps="WGS84").inv(
            a["lon"].to_numpy()[ia], a["lat"].to_numpy()[ia], b["lon"].to_numpy()[ib], b["lat"].to_numpy()[ib]
        )
    pa, pb = a.iloc[ia].reset_index(drop=True), b.iloc[ib].reset_index(drop=True)
    diff = (pa["state"] != pb["state"]).to_numpy()
    changed = pd.DataFrame(
        {
            "change": "changed hands",
            "name": np.where(pb["name"] != "", pb["name"], pa["name"])[diff],
            "feature_type": pb["feature_type"][diff].to_numpy(),
            "settlement": pb["settlement"][diff].to_numpy(),
            "lat": pb["lat"][diff].to_numpy(),
            "lon": pb["lon"][diff].to_numpy(),
            "from_state": pa["state"][diff].to_numpy(),
            "to_state": pb["state"][diff].to_numpy(),
            "from_group": pa["group"][diff].to_numpy(),
            "to_group": pb["group"][diff].to_numpy(),
            "distance_m": np.asarray(moved)[diff],
        }
    )
    parts = [changed]
    if include_unmatched:
        parts.append(_unmatched(a.drop(index=a.index[ia]), "disappeared"))
        parts.append(_unmatched(b.drop(index=b.index[ib]), "appeared"))
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CHANGE_COLUMNS)
    order = {"changed hands": 0, "disappeared": 1, "appeared": 2}
    out = (
        out.assign(_o=out["change"].map(order))
        .sort_values(["_o", "to_group", "from_group", "name"], kind="stable", na_position="last")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    out = out[CHANGE_COLUMNS].astype({"settlement": bool, "lat": float, "lon": float, "distance_m": float})
    out.attrs["from_date"] = snap1.date
    out.attrs["to_date"] = snap2.date
    out.attrs["matched"] = int(len(ia))
    return out


def _unmatched(markers: pd.DataFrame, change: str) -> pd.DataFrame:
    """Rows for markers found in one snapshot only: a "disappeared" one was held before, an "appeared" one
    after; the other side stays empty."""
    state, group = markers["state"].to_numpy(), markers["group"].to_numpy()
    gone = change == "disappeared"
    return pd.DataFrame(
        {
            "change": change,
            "name": markers["name"].to_numpy(),
            "feature_type": markers["feature_type"].to_numpy(),
            "settlement": markers["settlement"].to_numpy(),
            "lat": markers["lat"].to_numpy(),
            "lon": markers["lon"].to_numpy(),
            "from_state": state if gone else None,
            "to_state": None if gone else state,
            "from_group": group if gone else None,
            "to_group": None if gone else group,
            "distance_m": np.nan,
        }
    )


def changes_summary(
    changes: pd.DataFrame, profile: Profile | None = None, settlements_only: bool = True
) -> pd.DataFrame:
    """Counts of markers that changed hands per (from_group, to_group); appeared/disappeared per group."""
    c = changes[changes["settlement"].astype(bool)] if settlements_only else changes
    rows = []
    moved = c[c["change"] == "changed hands"]
    for (fg, tg), n in moved.groupby(["from_group", "to_group"]).size().sort_values(ascending=False).items():
        rows.append({"change": "changed hands", "from_group": fg, "to_group": tg, "count": int(n)})
    for kind, col in (("disappeared", "from_group"), ("appeared", "to_group")):
        part = c[c["change"] == kind]
        for g, n in part.groupby(col).size().sort_values(ascending=False).items():
            rows.append(
                {
                    "change": kind,
                    "from_group": g if kind == "disappeared" else None,
                    "to_group": g if kind == "appeared" else None,
                    "count": int(n),
                }
            )
    out = pd.DataFrame(rows, columns=["change", "from_group", "to_group", "count"])
    if profile is not None:
        out["from"] = out["from_group"].map(lambda g: profile.display_name(g) if isinstance(g, str) else "")
        out["to"] = out["to_group"].map(lambda g: profile.display_name(g) if isinstance(g, str) else "")
    return out
