"""Which places count as settlements, and who holds each of them on a date.

:class:`PlaceDefinition` is the one definition of "a settlement" every count uses (the CLI, the claim
checker, the sensitivity table): all GeoNames populated places, or living places only (without city sections,
abandoned, historical and destroyed places), with an optional minimum population. Its ``text`` is printed with
every count.

:func:`place_states` gives each point the state that holds it on one snapshot: one STRtree over the points,
queried with the snapshot's polygons (the same repaired, geodesic polygons the area engine overlays), the
state earliest in the profile's resolution order winning where features overlap, the profile's default holder
for points inside the boundary that no feature covers. No Python loop over points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from ..errors import InputError
from ..io.gazetteer import NOT_LIVING
from ..profiles import Profile

if TYPE_CHECKING:
    import pandas as pd

    from ..geometry.boundary import Boundary
    from ..types import Snapshot


@dataclass(frozen=True)
class PlaceDefinition:
    """What counts as a settlement: ``living_only`` drops PPLX/PPLQ/PPLH/PPLW; ``min_population`` > 0 keeps
    only places with a known population at least that large (GeoNames' 0 means unknown)."""

    living_only: bool = True
    min_population: int = 0
    extract: str = ""  # a pre-filtered list (e.g. GeoNames cities500) whose own definition applies

    @property
    def text(self) -> str:
        if self.extract:
            return self.extract + (f", {self.min_population:,}+ inhabitants" if self.min_population else "")
        what = ("living populated places (GeoNames PPL*, without city sections PPLX, abandoned PPLQ, historical "
                "PPLH, destroyed PPLW)" if self.living_only else "all GeoNames populated places (PPL*)")
        pop = f", {self.min_population:,}+ inhabitants" if self.min_population else ", any population (most " \
            "villages have none recorded)"
        return what + pop

    @property
    def short(self) -> str:
        base = "living places" if self.living_only else "all places"
        return f"{base}, {self.min_population:,}+ people" if self.min_population else base

    def apply(self, places: pd.DataFrame) -> pd.DataFrame:
        keep = np.ones(len(places), dtype=bool)
        if self.living_only and "feature_code" in places:
            keep &= ~places["feature_code"].isin(NOT_LIVING).to_numpy()
        if self.min_population:
            keep &= places["population"].fillna(0).to_numpy() >= self.min_population
        return places[keep].reset_index(drop=True)


#: The definitions a settlement-count verdict is re-counted under (its sensitivity table).
SENSITIVITY = (PlaceDefinition(False, 0), PlaceDefinition(True, 0), PlaceDefinition(True, 500))


def inside_boundary(lon: np.ndarray, lat: np.ndarray, boundary: Boundary) -> np.ndarray:
    from ..geometry.prepared import prepared

    return shapely.contains_xy(prepared(boundary.geometry), lon, lat)


def place_states(lon: np.ndarray, lat: np.ndarray, snapshot: Snapshot, profile: Profile, boundary: Boundary,
                 inside: np.ndarray | None = None, tree: shapely.STRtree | None = None) -> np.ndarray:
    """State holding each point on ``snapshot`` (object array; None outside the boundary).

    ``tree``: an STRtree of the points inside the boundary (in order), to share between snapshots."""
    from ..geometry.layers import default_state, engine_input

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    inside = inside_boundary(lon, lat, boundary) if inside is None else inside
    out = np.full(len(lon), None, dtype=object)
    out[inside] = default_state(profile)
    inp = engine_input(snapshot, profile, boundary)
    if len(inp.geoms) == 0 or not inside.any():
        return out
    idx = np.flatnonzero(inside)
    rank = {s: i for i, s in enumerate(inp.order)}
    geom_rank = np.array([rank.get(str(s), len(rank)) for s in inp.states])
    tree = tree if tree is not None else points_tree(lon, lat, inside)
    geom_idx, point_idx = tree.query(inp.geoms, predicate="intersects")
    if len(point_idx):
        order = np.lexsort((geom_rank[geom_idx], point_idx))  # per point, the highest-priority state first
        point_idx, geom_idx = point_idx[order], geom_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        out[idx[point_idx[first]]] = inp.states[geom_idx[first]]
    return out


def points_tree(lon: np.ndarray, lat: np.ndarray, inside: np.ndarray) -> shapely.STRtree:
    return shapely.STRtree(shapely.points(np.asarray(lon, float)[inside], np.asarray(lat, float)[inside]))


def group_array(states: np.ndarray, profile: Profile, by: str) -> np.ndarray:
    """``profile.group_of`` over an array of states, computed once per distinct state."""
    import pandas as pd

    codes, uniq = pd.factorize(states, use_na_sentinel=True)  # None → -1
    groups = np.array([profile.group_of(str(s), by) for s in uniq] + [None], dtype=object)
    return groups[codes]


def is_contested(profile: Profile, key: object) -> bool:
    """A grey-zone group: a state of kind contested/mixed (a place there is contested, never taken)."""
    st = profile.state_by_id.get(str(key)) if key is not None else None
    return st is not None and st.kind in ("contested", "mixed")


def directions_of(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Count per direction: "taken" per group, "contested" for places that entered the grey zone.

    A place whose holder at D2 is contested is counted as contested, never as taken by anyone."""
    import pandas as pd

    cols = ["direction", "group", "name", "settlements", "from_grey_zone", "people"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    grey_to = np.array([is_contested(profile, g) for g in frame["to_group"]], dtype=bool)
    grey_from = np.array([is_contested(profile, g) for g in frame["from_group"]], dtype=bool)
    key = np.where(grey_to, "", frame["to_group"].astype(str).to_numpy())
    pop = frame["population"].fillna(0).to_numpy()
    rows = []
    for k in dict.fromkeys(key):
        m = key == k
        rows.append({"direction": "contested" if k == "" else "taken", "group": k or None,
                     "name": "grey zone" if k == "" else profile.display_name(k), "settlements": int(m.sum()),
                     "from_grey_zone": 0 if k == "" else int((m & grey_from).sum()), "people": int(pop[m].sum())})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["direction", "settlements"], ascending=[False, False], kind="stable").reset_index(
        drop=True)


def regions_of(profile: Profile, b: Boundary, pts: pd.DataFrame, lon: np.ndarray, lat: np.ndarray,
                regions: Any) -> tuple[list[np.ndarray], str]:
    """(region id, English name, local name) per point, and a note on where they came from."""
    from ..geometry.regions import RegionSet, load_regions

    n = len(lon)
    empty = [np.full(n, "", dtype=object) for _ in range(3)]
    if regions is False or n == 0:
        return empty, ""
    try:
        rs = regions if isinstance(regions, RegionSet) else load_regions(profile, regions, boundary=b)
    except InputError as exc:
        if regions is not None:
            raise
        from ..geometry.regions import COUNTRY_ISO2

        iso2 = COUNTRY_ISO2.get((profile.boundary.country or "").upper(), "")
        if "admin1_code" not in pts or not iso2:
            return empty, f"regions not shown: {exc}"
        from ..geometry.region_names import by_admin1

        units = {c: by_admin1(iso2, c) for c in pts["admin1_code"].unique()}
        codes = pts["admin1_code"].to_numpy()
        return [np.array([getattr(units[c], a, "") or "" for c in codes], dtype=object)
                for a in ("iso", "name", "local")], "regions from GeoNames admin1 codes (no regions file found)"
    where = rs.locate(lon, lat)
    table = [np.array([getattr(r, a) for r in rs.regions] + [""], dtype=object) for a in ("id", "name", "name_local")]
    return [t[where] for t in table], f"regions: {rs.note}"
