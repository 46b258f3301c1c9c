"""Figures from marker snapshots: settlement counts, places that changed hands, strategic markers, and the
range of territory estimates across marker methods.

Definitions (also in docs/syria-markers.md):

* **settlement** — a plain side-coloured dot of the map (single side, mixed or contested), i.e. a marker
  whose mark has no facility suffix. Hills, bases, airports, industry, oil/gas and dam icons are not
  settlements. A plain dot that carries a border-crossing icon (Jarabulus, Kobanî, Arida crossing...) is a
  settlement *and* a strategic marker.
* **changed hands** — the same marker in two snapshots (matched by position, never by name: names repeat)
  with a different state. Markers present in only one snapshot are reported as appeared / disappeared,
  not as changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from ..errors import QueryError
from ..geometry.cells import DEFAULT_MAX_DISTANCE_KM, MARKER_METHODS, describe_method, settlement_mask
from ..io.wikipedia import base_feature_type

if TYPE_CHECKING:
    from ..profiles import Profile
    from ..types import Snapshot

__all__ = [
    "DEFAULT_STRATEGIC_TYPES",
    "changed_markers",
    "changes_summary",
    "marker_share_range",
    "settlement_counts",
    "share_range_summary",
    "strategic_markers",
]

#: Marker types listed by ``strategic_markers`` unless others are asked for.
DEFAULT_STRATEGIC_TYPES = ("border_crossing", "air", "heli", "naval", "base", "dam", "oil")
_BY = ("actor", "coalition", "state")


def _check_by(by: str) -> None:
    if by not in _BY:
        raise QueryError("--by", f"unknown grouping {by!r} (use actor, coalition or state)")


def _require_markers(snapshot: Snapshot, what: str) -> pd.DataFrame:
    if snapshot.kind != "markers":
        raise QueryError(
            snapshot.source or snapshot.date,
            f"{what} needs a marker snapshot (e.g. a Wikipedia map module); this one is {snapshot.kind}",
        )
    return snapshot.features


def _provenance(snapshot: Snapshot) -> dict[str, Any]:
    return {"date": snapshot.date, "snapshot_id": snapshot.id, "source": snapshot.source}


def settlement_counts(
    snapshot: Snapshot,
    profile: Profile,
    by: str = "actor",
    settlements_only: bool = True,
) -> pd.DataFrame:
    """How many markers each actor, coalition or state holds: columns ``group, name, count, share_pct``
    (share of all counted markers), then ``of_total`` (the denominator), ``date, snapshot_id, source`` and
    ``method`` (what was counted)."""
    _check_by(by)
    f = _require_markers(snapshot, "settlement counts")
    if settlements_only:
        f = f[settlement_mask(f)]
        what = "plain settlement dots (single-side, mixed and contested; facilities, hills, bases, dams excluded)"
    else:
        what = "all markers (settlements and facilities)"
    groups = f["state"].map(lambda s: profile.group_of(s, by))
    counts = groups.value_counts()
    total = int(counts.sum())
    rows = [
        {"group": g, "name": profile.display_name(g), "count": int(n), "share_pct": 100.0 * n / total if total else 0.0}
        for g, n in counts.items()
    ]
    out = pd.DataFrame(rows, columns=["group", "name", "count", "share_pct"])
    out = out.sort_values(["count", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["of_total"] = total
    out["method"] = f"count of {what} per {by}"
    for k, v in _provenance(snapshot).items():
        out[k] = v
    return out


# ---------------------------------------------------------------------------------------------------------
# Changes between two snapshots
# ---------------------------------------------------------------------------------------------------------
def _marker_table(snapshot: Snapshot, profile: Profile, by: str) -> pd.DataFrame:
    f = _require_markers(snapshot, "marker changes")
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
    _check_by(by)
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
        gone = a.drop(index=a.index[ia])
        new = b.drop(index=b.index[ib])
        parts.append(
            pd.DataFrame(
                {
                    "change": "disappeared",
                    "name": gone["name"].to_numpy(),
                    "feature_type": gone["feature_type"].to_numpy(),
                    "settlement": gone["settlement"].to_numpy(),
                    "lat": gone["lat"].to_numpy(),
                    "lon": gone["lon"].to_numpy(),
                    "from_state": gone["state"].to_numpy(),
                    "to_state": None,
                    "from_group": gone["group"].to_numpy(),
                    "to_group": None,
                    "distance_m": np.nan,
                }
            )
        )
        parts.append(
            pd.DataFrame(
                {
                    "change": "appeared",
                    "name": new["name"].to_numpy(),
                    "feature_type": new["feature_type"].to_numpy(),
                    "settlement": new["settlement"].to_numpy(),
                    "lat": new["lat"].to_numpy(),
                    "lon": new["lon"].to_numpy(),
                    "from_state": None,
                    "to_state": new["state"].to_numpy(),
                    "from_group": None,
                    "to_group": new["group"].to_numpy(),
                    "distance_m": np.nan,
                }
            )
        )
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


# ---------------------------------------------------------------------------------------------------------
# Strategic markers
# ---------------------------------------------------------------------------------------------------------
def strategic_markers(
    snapshot: Snapshot,
    profile: Profile,
    types: Sequence[str] | None = DEFAULT_STRATEGIC_TYPES,
    *,
    by: str = "coalition",
) -> pd.DataFrame:
    """Border crossings, air bases, ports, bases, dams... with their holders.

    Columns: ``feature_type, name, state, holder`` (state display name), ``group, group_name`` (``by``),
    ``lat, lon``, then provenance. ``types=None`` lists every non-settlement marker plus crossings.
    """
    _check_by(by)
    f = _require_markers(snapshot, "strategic markers")
    if types is None:
        keep = (f["feature_type"] != "settlement").to_numpy()
    else:
        wanted = {t.strip().lower().replace("-", "_") for t in types}
        wanted = {"border_crossing" if t in ("crossing", "crossings", "border") else t for t in wanted}
        known = (
            set(f["feature_type"].unique()) | set(DEFAULT_STRATEGIC_TYPES) | {"hill", "industry", "rural", "settlement"}
        )
        bad = sorted(wanted - known)
        if bad:
            raise QueryError("--types", f"unknown marker type(s) {', '.join(bad)} (known: {', '.join(sorted(known))})")
        keep = f["feature_type"].isin(wanted).to_numpy()
    s = f[keep]
    groups = [profile.group_of(x, by) for x in s["state"]]
    out = pd.DataFrame(
        {
            "feature_type": s["feature_type"].to_numpy(),
            "name": s["name"].to_numpy(),
            "state": s["state"].to_numpy(),
            "holder": [profile.display_name(x) for x in s["state"]],
            "group": groups,
            "group_name": [profile.display_name(g) for g in groups],
            "lat": shapely.get_y(s.geometry.to_numpy()),
            "lon": shapely.get_x(s.geometry.to_numpy()),
        }
    )
    order = {t: i for i, t in enumerate(DEFAULT_STRATEGIC_TYPES)}
    out = (
        out.assign(_o=out["feature_type"].map(lambda t: order.get(t, 99)))
        .sort_values(["_o", "feature_type", "group", "name"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    for k, v in _provenance(snapshot).items():
        out[k] = v
    return out


# ---------------------------------------------------------------------------------------------------------
# Territory estimate across methods
# ---------------------------------------------------------------------------------------------------------
def marker_share_range(
    snapshot: Snapshot,
    profile: Profile,
    boundary_geom: Any,
    methods: Sequence[str] = MARKER_METHODS,
    *,
    by: str = "coalition",
    max_distance_km: float | None = DEFAULT_MAX_DISTANCE_KM,
) -> pd.DataFrame:
    """Territory share per group under every marker method, with each group's range across methods.

    Long format: ``group, name, method, area_km2, share_pct, min_pct, max_pct`` (min/max of that group's
    share over ``methods``; a group missing under a method counts as 0 there), then ``definition``,
    ``boundary`` and provenance. Shares are of the boundary area (the cells' total, uninhabited included).
    """
    from ..geometry.area import geodesic_area_km2
    from ..geometry.cells import marker_cells

    _check_by(by)
    f = _require_markers(snapshot, "a marker territory estimate")
    methods = list(methods)
    if not methods:
        raise QueryError("--methods", "no method given")
    bad = [m for m in methods if m not in MARKER_METHODS]
    if bad:
        raise QueryError("--methods", f"unknown method(s) {', '.join(bad)} (choose from {', '.join(MARKER_METHODS)})")
    geom = getattr(boundary_geom, "geometry", boundary_geom)
    boundary_id = getattr(boundary_geom, "id", "") or "boundary"
    rows = []
    for method in methods:
        cells = marker_cells(f, geom, method=method, max_distance_km=max_distance_km)
        areas = geodesic_area_km2(cells.geometry.to_numpy())
        total = float(areas.sum())
        grp = pd.Series(areas).groupby([profile.group_of(s, by) for s in cells["state"]]).sum()
        for g, a in grp.items():
            rows.append(
                {
                    "group": g,
                    "name": profile.display_name(g),
                    "method": method,
                    "area_km2": float(a),
                    "share_pct": 100.0 * a / total,
                    "definition": describe_method(method, max_distance_km),
                    "dropped": ", ".join(f"{k} {v}" for k, v in cells.attrs.get("dropped", {}).items()),
                }
            )
    out = pd.DataFrame(rows)
    wide = out.pivot_table(index="group", columns="method", values="share_pct", aggfunc="sum", fill_value=0.0)
    out["min_pct"] = out["group"].map(wide.min(axis=1))
    out["max_pct"] = out["group"].map(wide.max(axis=1))
    first = out.groupby("group")["share_pct"].transform("max")
    out = out.assign(_k=-first).sort_values(["_k", "group", "method"], kind="stable").drop(columns="_k")
    out["boundary"] = boundary_id
    for k, v in _provenance(snapshot).items():
        out[k] = v
    out = out.reset_index(drop=True)
    out.attrs["methods"] = methods
    return out


def share_range_summary(ranges: pd.DataFrame) -> pd.DataFrame:
    """One row per group: ``group, name, min_pct, max_pct, min_method, max_method, sentence`` — e.g.
    "Pro-government forces: between 41.7% and 43.5% depending on method"."""
    rows = []
    methods = list(ranges.attrs.get("methods") or ranges["method"].unique())
    for g, part in ranges.groupby("group", sort=False):
        shares = {m: 0.0 for m in methods}
        shares.update(dict(zip(part["method"], part["share_pct"], strict=True)))
        lo_m = min(shares, key=lambda m: shares[m])
        hi_m = max(shares, key=lambda m: shares[m])
        name = part["name"].iloc[0]
        lo, hi = shares[lo_m], shares[hi_m]
        sentence = (
            f"{name}: {lo:.1f}% under every method"
            if round(lo, 1) == round(hi, 1)
            else f"{name}: between {lo:.1f}% ({lo_m}) and {hi:.1f}% ({hi_m}) depending on method"
        )
        rows.append(
            {
                "group": g,
                "name": name,
                "min_pct": lo,
                "max_pct": hi,
                "min_method": lo_m,
                "max_method": hi_m,
                "sentence": sentence,
            }
        )
    return pd.DataFrame(rows, columns=["group", "name", "min_pct", "max_pct", "min_method", "max_method", "sentence"])
