"""Settlements that changed hands on the real daily DeepStateMap archive over the full GeoNames gazetteer,
checked against an independent geopandas sjoin written here."""

from __future__ import annotations

import datetime as dt
import json
import lzma

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import data_path

from whoholds.ingest import ingest
from whoholds.io.gazetteer import read_gazetteer
from whoholds.metrics.settlements import settlement_changes
from whoholds.profiles import load_profile
from whoholds.store import Store

UKR = load_profile("ukraine")
DAYS = ("2024-10-15", "2024-11-30")  # the autumn 2024 advance south of Pokrovsk


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    with lzma.open(path, "rt") as fh:
        collection = json.load(fh)
    features = [f for f in collection["features"] if f["properties"]["date"] in DAYS]
    assert len(features) == 2
    folder = tmp_path_factory.mktemp("daily")
    small = folder / "deepstate_occupied_two_days.geojson"
    small.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    st = Store(folder / "store")
    report = ingest([small], UKR, st, unlabelled_state="occupied", workers=1)
    assert report.ok and report.count("new") == 2
    occupied = {f["properties"]["date"]: shapely.make_valid(shapely.from_geojson(json.dumps(f["geometry"])))
                for f in features}
    yield st, occupied
    st.close()


def reference(places: pd.DataFrame, occupied: dict[str, shapely.Geometry]) -> set[int]:
    """Independent: geopandas sjoin of the places with Ukraine's boundary and each day's occupied polygon."""
    pts = gpd.GeoDataFrame(places[["geonameid"]], geometry=gpd.points_from_xy(places["lon"], places["lat"]),
                           crs=4326)
    admin0 = gpd.read_file(data_path("boundaries", "ne_10m_admin0_deu_UKR.geojson"))[["geometry"]]
    inside = gpd.sjoin(pts, admin0, predicate="within", how="inner")["geonameid"]
    held = []
    for day in DAYS:
        occ = gpd.GeoDataFrame(geometry=[occupied[day]], crs=4326)
        held.append(set(gpd.sjoin(pts, occ, predicate="within", how="inner")["geonameid"]))
    return set(inside) & (held[0] ^ held[1])


def test_changed_hands_equal_an_independent_sjoin(two_days):
    st, occupied = two_days
    places = read_gazetteer(data_path("settlements", "geonames_UA_populated_places.csv.xz"))
    assert len(places) == 33_681
    res = settlement_changes(st, UKR, DAYS[0], DAYS[1], source="gazetteer", living_only=False)
    got = set(res.frame["geonameid"])
    want = reference(places, occupied)
    assert len(want) > 50  # villages: far more than the handful of 500+ towns
    assert got == want
    # every change on this single-layer map is Ukraine -> Russia or back; no grey zone here
    assert set(zip(res.frame["from_group"], res.frame["to_group"], strict=True)) <= {("ukraine", "russia"),
                                                                                    ("russia", "ukraine")}
    taken = res.directions.set_index("name")
    assert taken.loc["Russia", "settlements"] == (res.frame["to_group"] == "russia").sum()
    assert set(res.frame["region_id"]) <= {"UA-14", "UA-63", "UA-09", "UA-23", "UA-12", "UA-65", "UA-59"}
    assert (res.frame["region_id"] == "UA-14").sum() > len(res.frame) / 2  # mostly Donetsk oblast
    assert {"Selydove", "Toretsk", "Hirnyk"} <= set(res.frame["name"])

    # the definition moves the count, and each variant is again the sjoin's answer on the filtered places
    living = settlement_changes(st, UKR, DAYS[0], DAYS[1], source="gazetteer", regions=False)
    alive = places[~places["feature_code"].isin(["PPLX", "PPLQ", "PPLH", "PPLW"])]
    assert set(living.frame["geonameid"]) == reference(alive, occupied)
    big = settlement_changes(st, UKR, DAYS[0], DAYS[1], source="gazetteer", min_population=500, regions=False)
    assert set(big.frame["geonameid"]) == reference(alive[alive["population"] >= 500], occupied)
    assert len(big.frame) < len(living.frame) <= len(res.frame)
    assert big.frame["population"].notna().all()
    assert any("definition: living populated places" in n for n in living.notes)
    assert living.headline.startswith(f"{len(living.frame)} settlements changed hands between 2024-10-15 and "
                                      "2024-11-30")
    assert res.d1.date == dt.date(2024, 10, 15)


def test_settlement_claim_checked_on_the_polygon_map(two_days):
    import dataclasses

    from whoholds.claims.check import check
    from whoholds.claims.model import VerdictLabel
    from whoholds.claims.parse import parse_claim

    st, occupied = two_days
    places = read_gazetteer(data_path("settlements", "geonames_UA_populated_places.csv.xz"))
    alive = places[~places["feature_code"].isin(["PPLX", "PPLQ", "PPLH", "PPLW"])]
    ids = reference(alive, occupied)
    d1, d2 = (dt.date.fromisoformat(d) for d in DAYS)
    taken = {g for g in ids if not shapely.contains_xy(occupied[DAYS[0]], *alive.set_index("geonameid").loc[
        g, ["lon", "lat"]])}
    base = parse_claim("Russian forces liberated 5 settlements over the past week.", UKR, date=d2)
    for value, label in ((len(taken), VerdictLabel.ACCURATE), (3 * len(taken), VerdictLabel.FALSE)):
        # the period convention compares the last snapshot on or before the day before the period starts
        c = dataclasses.replace(base, value=float(value), period_start=d1 + dt.timedelta(days=1), period_end=d2)
        v = check(c, st, UKR)
        assert v.figure.value == len(taken)
        assert v.label == label
        assert {r.variant for r in v.sensitivity} >= {"definition: all places",
                                                      "definition: living places, 500+ people"}
