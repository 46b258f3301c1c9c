"""Territory shares on real data against independent pyproj.Geod computations written here."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import lzma

import pyproj
import pytest
import shapely
from conftest import data_path

from whoholds.errors import QueryError
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store

GEOD = pyproj.Geod(ellps="WGS84")
UKRAINE = load_profile("ukraine")


def geod_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def ne_boundary(iso: str):
    gj = json.loads(data_path("boundaries", f"ne_10m_admin0_deu_{iso}.geojson").read_text())
    return shapely.make_valid(shapely.from_geojson(json.dumps(gj["features"][0]["geometry"])))


def test_occupied_area_2024_12_01_against_geod(tmp_path):
    """The daily DeepStateMap export: one occupied MultiPolygon per day, Ukraine holds the rest."""
    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    store = Store(tmp_path / "s")
    ingest([path], UKRAINE, store, unlabelled_state="occupied", workers=1)
    frame = shares(store, UKRAINE, dt.date(2024, 12, 1), by="actor")
    russia = frame.set_index("group").loc["russia"]

    with lzma.open(path, "rt") as fh:
        feature = next(f for f in json.load(fh)["features"] if f["properties"]["date"] == "2024-12-01")
    occupied = shapely.intersection(shapely.make_valid(shapely.from_geojson(json.dumps(feature["geometry"]))),
                                    ne_boundary("UKR"))
    want = geod_km2(occupied)
    assert 105_000 < want < 115_000
    # 2e-6: the reference clips with the border's edges as straight lon/lat lines, whoholds as geodesics.
    assert russia["area_km2"] == pytest.approx(want, rel=2e-6)
    ukr = geod_km2(ne_boundary("UKR"))
    assert russia["share_pct"] == pytest.approx(100 * want / ukr, abs=1e-4)
    assert frame["area_km2"].sum() == pytest.approx(ukr, rel=1e-6)
    for col in ("snapshot_id", "source", "boundary", "method", "whoholds_version"):
        assert frame[col].notna().all() and (frame[col] != "").all()


def test_three_states_with_priority_against_geod(monthly_store):
    """Raw feed 2024-12-01: occupied (2014 and 2022) first, then grey zone, then liberated; rest Ukraine."""
    with gzip.open(data_path("ukraine", "deepstate_raw_feed_monthly",
                             "deepstate_raw_2024-12-01_1733089579.geojson.gz")) as fh:
        raw = json.load(fh)
    by_state: dict[str, list] = {}
    for f in raw["features"]:
        if f["geometry"]["type"] not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            continue
        state = UKRAINE.classify(f["properties"].get("name"), f["properties"].get("fill"))
        geom = shapely.make_valid(shapely.from_geojson(json.dumps(f["geometry"])))
        by_state.setdefault(state, []).append(geom)
    boundary = ne_boundary("UKR")
    russia = shapely.intersection(shapely.union_all(by_state["occupied"] + by_state["occupied_2014"]), boundary)
    grey = shapely.difference(shapely.intersection(shapely.union_all(by_state["unknown"]), boundary), russia)
    frame = shares(monthly_store, UKRAINE, dt.date(2024, 12, 1), by="actor").set_index("group")
    # 2e-6: the reference clips along the border's edges as straight lon/lat lines, whoholds as geodesics.
    assert frame.loc["russia", "area_km2"] == pytest.approx(geod_km2(russia), rel=2e-6)
    assert frame.loc["unknown", "area_km2"] == pytest.approx(geod_km2(grey), rel=1e-5)
    assert frame.loc["ukraine", "area_km2"] == pytest.approx(geod_km2(boundary) - geod_km2(russia) - geod_km2(grey),
                                                             rel=2e-6)


def test_all_dates_equal_single_dates(monthly_store):
    everything = shares(monthly_store, UKRAINE, all_dates=True, by="state")
    assert everything["date"].nunique() == 41
    for day in (dt.date(2022, 9, 1), dt.date(2025, 8, 1)):
        one = shares(monthly_store, UKRAINE, day, by="state").set_index("group")["area_km2"]
        many = everything[everything["date"] == day].set_index("group")["area_km2"]
        assert many.to_dict() == pytest.approx(one.to_dict(), abs=1e-6)


def test_unknown_date_names_the_nearest(monthly_store):
    with pytest.raises(QueryError, match="nearest before: 2024-12-01; nearest after: 2025-01-01"):
        shares(monthly_store, UKRAINE, dt.date(2024, 12, 5))


def test_coalition_grouping_keeps_grey_zone_separate(monthly_store):
    frame = shares(monthly_store, UKRAINE, dt.date(2023, 6, 2), by="coalition").set_index("group")
    assert set(frame.index) == {"russia_and_proxies", "ukraine_side", "unknown"}
    assert frame.loc["unknown", "kind"] == "contested"
    assert frame["share_pct"].sum() == pytest.approx(100.0, abs=1e-6)
