"""Figures from marker snapshots: settlement counts, places that changed hands, strategic markers, and the
range of territory estimates across marker methods.

Definitions (also in docs/syria-markers.md):

* **settlement** — a plain side-coloured dot of the map (single side, mixed or contested), i.e. a marker
  whose mark has no facility suffix. Hills, bases, airports, industry, oil/gas and dam icons are not
  settlements. A plain dot that carries a border-crossing icon (Jarabulus, Kobanî, Arida crossing...) is a
  settlement *and* a strategic marker.
* **changed hands** — the same marker in two snapshots (matched by position, never by name: names repeat)
  with a different state. Markers present in only one snapshot are reported as appeared / disappeared,
  not as changes. Comparing two snapshots is :mod:`whoholds.metrics.marker_changes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely

from ..errors import QueryError
from ..geometry.cells import DEFAULT_MAX_DISTANCE_KM, MARKER_METHODS, describe_method, settlement_mask
from .marker_changes import CHANGE_COLUMNS, changed_markers, changes_summary
from .marker_inputs import add_provenance, check_marker_grouping, require_markers

if TYPE_CHECKING:
    from ..profiles import Profile
    from ..types import Snapshot

__all__ = [
    "CHANGE_COLUMNS",
    "DEFAULT_STRATEGIC_TYPES",
    "changed_markers",
    "changes_summary",
    "marker_share_range",
    "region_estimate",
    "region_settlement_counts",
    "settlement_counts",
    "share_range_summary",
    "strategic_markers",
]

#: Marker types listed by ``strategic_markers`` unless others are asked for.
DEFAULT_STRATEGIC_TYPES = ("border_crossing", "air", "heli", "naval", "base", "dam", "oil")


def settlement_counts(
    snapshot: Snapshot,
    profile: Profile,
    by: str = "actor",
    settlements_only: bool = True,
) -> pd.DataFrame:
    """How many markers each actor, coalition or state holds: columns ``group, name, count, share_pct``
    (share of all counted markers), then ``of_total`` (the denominator), ``date, snapshot_id, source`` and
    ``method`` (what was counted)."""
    check_marker_grouping(by)
    f = require_markers(snapshot, "settlement counts")
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
    add_provenance(out, snapshot)
    return out


def region_settlement_counts(
    snapshot: Snapshot,
    profile: Profile,
    regions: Any = None,
    by: str = "actor",
    settlements_only: bool = True,
) -> pd.DataFrame:
    """Settlement markers per region (governorate) and group: ``region_id, region, region_local, group, name,
    count, share_pct`` (of the region's counted markers), ``of_total``; markers outside every region are the
    region ``""`` ("outside the regions")."""
    from ..geometry.regions import RegionSet, load_regions

    check_marker_grouping(by)
    f = require_markers(snapshot, "settlement counts per region")
    if settlements_only:
        f = f[settlement_mask(f)]
    rs = regions if isinstance(regions, RegionSet) else load_regions(profile, regions)
    where = rs.locate(shapely.get_x(f.geometry.to_numpy()), shapely.get_y(f.geometry.to_numpy()))
    info = [(r.id, r.name, r.name_local) for r in rs.regions] + [("", "outside the regions", "")]
    frame = pd.DataFrame({"r": where, "group": [profile.group_of(s, by) for s in f["state"]]})
    counts = frame.groupby(["r", "group"]).size().rename("count").reset_index()
    totals = counts.groupby("r")["count"].transform("sum")
    out = pd.DataFrame({
        "region_id": [info[i][0] for i in counts["r"]], "region": [info[i][1] for i in counts["r"]],
        "region_local": [info[i][2] for i in counts["r"]], "group": counts["group"],
        "name": [profile.display_name(g) for g in counts["group"]], "count": counts["count"].astype(int),
        "share_pct": 100.0 * counts["count"] / totals, "of_total": totals.astype(int),
    })
    out = out.sort_values(["region", "count"], ascending=[True, False], kind="stable").reset_index(drop=True)
    out["method"] = "count of " + ("plain settlement dots" if settlements_only else "all markers") + \
        f" per region and {by}; regions: {rs.id}"
    add_provenance(out, snapshot)
    return out


def region_estimate(
    snapshot: Snapshot,
    profile: Profile,
    regions: Any = None,
    *,
    boundary: Any = None,
    by: str = "coalition",
    method: str = "voronoi-capped",
    max_distance_km: float | None = None,
) -> pd.DataFrame:
    """The marker territory estimate (``method``) broken down by region (governorate): the columns of
    :func:`whoholds.metrics.regions.region_shares`; regions add up to the national estimate."""
    from ..geometry.boundary import Boundary, load_boundary
    from .regions import REGION_COLUMNS, snapshot_region_rows

    check_marker_grouping(by)
    require_markers(snapshot, "a marker territory estimate per region")
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    rows = snapshot_region_rows(snapshot, profile, regions, b, by, marker_method=method,
                                max_distance_km=max_distance_km)
    return pd.DataFrame(rows, columns=REGION_COLUMNS)


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
    check_marker_grouping(by)
    f = require_markers(snapshot, "strategic markers")
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
    add_provenance(out, snapshot)
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

    check_marker_grouping(by)
    f = require_markers(snapshot, "a marker territory estimate")
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
    add_provenance(out, snapshot)
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
