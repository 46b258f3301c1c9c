"""Shares, changes and timelines per admin-1 region (oblast, governorate).

The snapshot's disjoint state layers come from the same engine the national shares use
(:func:`whoholds.geometry.layers.state_layers`: repair, clip, overlap priority, geodesic edges); each layer
is cut by the region tiles of :func:`whoholds.geometry.regions.load_regions`, which tile the same boundary,
and measured by the one area function. So the regions of a date add up to the national figure to rounding.
The default holder (the land no feature covers) is each region's remainder: region area minus the other
states, exactly as the national engine gives it the boundary's uncovered rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .. import __version__
from ..errors import QueryError
from ..geometry.area import geodesic_area_km2
from ..geometry.boundary import Boundary, load_boundary
from ..geometry.layers import default_state, engine_input, method_text, resolve
from ..profiles import PSEUDO_STATES, Profile
from ..types import Snapshot
from .changes import check_by, check_order, parse_date

if TYPE_CHECKING:
    import pandas as pd

    from ..geometry.regions import RegionSet

REGION_COLUMNS = ["region_id", "region", "region_local", "state", "name", "km2", "region_km2", "pct", "date",
                  "snapshot_id", "source", "regions", "boundary", "method", "whoholds_version"]
CHANGE_COLUMNS = ["region_id", "region", "region_local", "group", "name", "km2_d1", "km2_d2", "gained_km2",
                  "lost_km2", "net_km2"]
#: A remainder below this (m²-level rounding of a subtraction) is not a row.
SLIVER_KM2 = 1e-6


def _regions_for(profile: Profile, regions: RegionSet | str | list | None, boundary: Boundary) -> RegionSet:
    from ..geometry.regions import RegionSet, load_regions

    if isinstance(regions, RegionSet):
        if regions.boundary_id != boundary.id:
            raise QueryError("regions", f"tile the boundary {regions.boundary_id}, not {boundary.id}")
        return regions
    if isinstance(regions, list | tuple):  # some Region objects (a claim's region): rows of those only
        full = load_regions(profile, boundary=boundary)
        wanted = {r.id for r in regions}
        return RegionSet([r for r in full if r.id in wanted], full.boundary_id, full.source, full.note, id=full.id)
    return load_regions(profile, regions, boundary=boundary)


@dataclass
class ExplicitLayers:
    """A snapshot's disjoint, boundary-clipped layers except the default holder's (the boundary's rest)."""

    states: list[str]
    geometry: list[shapely.Geometry]
    method: str

    def __getitem__(self, key: str) -> list:  # the two columns state_by_region reads
        return self.states if key == "state" else self.geometry


def explicit_layers(snapshot: Snapshot, profile: Profile, boundary: Boundary, **kw: Any) -> ExplicitLayers:
    """The engine's layers (same repair, clip, priority and geodesic edges as the national shares) without
    computing the default holder's huge remainder, which each region gets as its own rest."""
    inp = engine_input(snapshot, profile, boundary, **kw)
    pieces, _ = resolve(inp.states, inp.geoms, inp.order, default_state(profile), boundary.geometry,
                        fill_default=False)
    return ExplicitLayers(list(pieces), list(pieces.values()), inp.method)


def state_by_region(layers_frame: Any, regions: RegionSet, default: str) -> dict[str, np.ndarray]:
    """km² of every state in every region (state → array over regions); ``default`` gets each region's rest."""
    tiles = regions.geometries
    region_km2 = np.array([r.km2 for r in regions])
    out: dict[str, np.ndarray] = {}
    geoms = getattr(layers_frame, "geometry", None)
    geoms = geoms.values if hasattr(geoms, "values") else geoms
    for state, geom in zip(layers_frame["state"], geoms, strict=True):
        if state == default or geom is None or geom.is_empty:
            continue
        near = shapely.intersects(tiles, geom)  # prepared tiles; a cheap pre-filter
        km2 = np.zeros(len(tiles))
        if near.any():
            km2[near] = geodesic_area_km2(shapely.intersection(tiles[near], geom))
        out[str(state)] = km2
    rest = region_km2 - (np.sum(list(out.values()), axis=0) if out else 0.0)
    out[default] = np.where(rest > SLIVER_KM2, rest, 0.0)
    return out


def _rows(snapshot: Snapshot, profile: Profile, regions: RegionSet, boundary: Boundary, by: str, **kw: Any) -> list:
    layers = explicit_layers(snapshot, profile, boundary, **kw)
    per_state = state_by_region(layers, regions, default_state(profile))
    return rows_of(per_state, profile, regions, by, (snapshot.date, snapshot.id, snapshot.source), boundary.id,
                   layers.method)


def rows_of(per_state: dict[str, np.ndarray], profile: Profile, regions: RegionSet, by: str,
            snapshot: tuple[Any, str, str], boundary_id: str, method: str) -> list:
    """REGION_COLUMNS rows from km² per state and region; ``snapshot``: (date, id, source)."""
    grouped: dict[str, np.ndarray] = {}
    for state, km2 in per_state.items():
        key = profile.group_of(state, by) if by != "state" else state
        grouped[key] = grouped.get(key, 0.0) + km2
    rows = []
    for i, r in enumerate(regions):
        for key, km2 in sorted(grouped.items(), key=lambda kv: -kv[1][i]):
            if km2[i] <= SLIVER_KM2 or (key in PSEUDO_STATES and km2[i] < 1e-3):
                continue
            rows.append((r.id, r.name, r.name_local, key, profile.display_name(key), float(km2[i]), r.km2,
                         100.0 * float(km2[i]) / r.km2 if r.km2 else float("nan"), *snapshot, regions.id,
                         boundary_id, method, __version__))
    return rows


def snapshot_region_rows(snapshot: Snapshot, profile: Profile, regions: RegionSet | str | None,
                         boundary: Boundary, by: str = "state", **kw: Any) -> list:
    """Rows (REGION_COLUMNS) of one snapshot already in memory (markers become cells first: ``kw``)."""
    return _rows(snapshot, profile, _regions_for(profile, regions, boundary), boundary, by, **kw)


def region_shares(
    store: Any,
    profile: Profile,
    date: dt.date | str | None,
    regions: RegionSet | str | list | None = None,
    *,
    by: str = "state",
    boundary: Boundary | str | None = None,
    all_dates: bool = False,
    marker_method: str = "voronoi-capped",
    max_distance_km: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """km² and % of each region per state (or actor/coalition with ``by``) on ``date`` (the latest when None),
    or on every stored snapshot with ``all_dates``. Columns: :data:`REGION_COLUMNS` (``state`` holds the group)."""
    import pandas as pd

    if by != "state":
        check_by(by)
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    rs = _regions_for(profile, regions, b)
    kw = {"marker_method": marker_method, "max_distance_km": max_distance_km}
    if all_dates:
        rows = store.current(profile.id)
        if rows.empty:
            store.latest(dt.date.today(), profile.id)  # raises the "empty store" error
        return region_series(store, profile, rows, rs, by=by, boundary=b, progress=progress, **kw)
    if date is None:
        days = store.dates(profile.id)
        if not days:
            store.latest(dt.date.today(), profile.id)
        date = days[-1]
    snap = store.latest(parse_date(date), profile.id)
    out = pd.DataFrame(_rows(snap, profile, rs, b, by, **kw), columns=REGION_COLUMNS)
    if progress:
        progress(1)
    return out


def region_series(store: Any, profile: Profile, rows: pd.DataFrame, regions: RegionSet | str | None = None, *,
                  by: str = "state", boundary: Boundary | str | None = None,
                  progress: Callable[[int], None] | None = None, **kw: Any) -> pd.DataFrame:
    """:func:`region_shares` of every snapshot in ``rows`` (catalog rows in time order): polygon snapshots
    walked incrementally (:mod:`.region_walk`), marker snapshots one by one."""
    import pandas as pd

    from .region_walk import walk_regions

    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    rs = _regions_for(profile, regions, b)
    out: list = []
    polygons = rows[rows["kind"] != "markers"]
    for row, per_state in walk_regions(store, polygons, profile, rs, b, progress):
        date = row.date.date() if hasattr(row.date, "date") else row.date
        out += rows_of(per_state, profile, rs, by, (date, row.id, row.source), b.id, method_text("polygons"))
    for row in rows[rows["kind"] == "markers"].itertuples():
        out += _rows(store.get(row.id), profile, rs, b, by, **kw)
        if progress:
            progress(1)
    frame = pd.DataFrame(out, columns=REGION_COLUMNS)
    return frame.sort_values(["date"], kind="stable").reset_index(drop=True)


def _group_geoms(layers: ExplicitLayers, profile: Profile, by: str) -> dict[str, shapely.Geometry]:
    out: dict[str, list] = {}
    for state, geom in zip(layers.states, layers.geometry, strict=True):
        out.setdefault(profile.group_of(str(state), by) if by != "state" else str(state), []).append(geom)
    return {k: shapely.union_all(np.array(v, dtype=object)) for k, v in out.items()}


def region_changes(
    store: Any,
    profile: Profile,
    d1: dt.date | str,
    d2: dt.date | str,
    regions: RegionSet | str | None = None,
    *,
    by: str = "actor",
    boundary: Boundary | str | None = None,
) -> pd.DataFrame:
    """Where the changes between D1 and D2 happened: per region and group, km² at D1 and D2, gross gains
    (held at D2, not at D1), losses and net. Columns: :data:`CHANGE_COLUMNS`."""
    import pandas as pd

    from .changes import snapshot_on

    if by != "state":
        check_by(by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    rs = _regions_for(profile, regions, b)
    default = default_state(profile)
    snaps = [snapshot_on(store, day1, profile, "D1"), snapshot_on(store, day2, profile, "D2")]
    explicit = [explicit_layers(s, profile, b) for s in snaps]  # everything but the default's remainder
    areas = [state_by_region(f, rs, default) for f in explicit]
    default_group = profile.group_of(default, by) if by != "state" else default
    tiles = rs.geometries
    geoms = [_group_geoms(f, profile, by) for f in explicit]
    empty = shapely.Polygon()

    def union_except(d: int, g: str) -> shapely.Geometry:
        parts = [v for k, v in geoms[d].items() if k != g]
        return shapely.union_all(np.array(parts, dtype=object)) if parts else empty

    group_of = {s: (profile.group_of(s, by) if by != "state" else s) for a in areas for s in a}
    groups = list(dict.fromkeys(group_of[s] for a in areas for s in a))
    out = []
    for g in groups:
        km2 = [sum((v for s, v in a.items() if group_of[s] == g), np.zeros(len(rs))) for a in areas]
        # Gains are land held at D2 and not at D1. For the default holder's group, whose land is the huge
        # remainder of the boundary, that is land the other groups held at D1 and no longer at D2.
        if g == default_group:
            n1, n2 = union_except(0, g), union_except(1, g)
            gained, lost = shapely.difference(n1, n2), shapely.difference(n2, n1)
        else:
            g1, g2 = geoms[0].get(g, empty), geoms[1].get(g, empty)
            gained, lost = shapely.difference(g2, g1), shapely.difference(g1, g2)
        gain = geodesic_area_km2(shapely.intersection(tiles, gained))
        loss = geodesic_area_km2(shapely.intersection(tiles, lost))
        for i, r in enumerate(rs):
            if max(km2[0][i], km2[1][i], gain[i], loss[i]) <= SLIVER_KM2:
                continue
            out.append((r.id, r.name, r.name_local, g, profile.display_name(g), float(km2[0][i]), float(km2[1][i]),
                        float(gain[i]), float(loss[i]), float(gain[i] - loss[i])))
    frame = pd.DataFrame(out, columns=CHANGE_COLUMNS)
    frame.attrs.update(d1=snaps[0].date, d2=snaps[1].date, snapshot_ids=f"{snaps[0].id};{snaps[1].id}",
                       regions=rs.id, note=rs.note)
    return frame.sort_values(["net_km2"], key=np.abs, ascending=False, kind="stable").reset_index(drop=True)
