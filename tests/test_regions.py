"""Regions: a hand-built square country with known shares, the real Natural Earth admin-1 units against the
national engine (totals to 1e-6 km²) and against an independent pyproj.Geod computation, and name lookup."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import geopandas as gpd
import pyproj
import pytest
import shapely
import shapely.geometry
from conftest import data_path, put_toy_snapshot, write_three_square_regions

from whoholds.errors import InputError, QueryError
from whoholds.geometry.boundary import Boundary, load_boundary
from whoholds.geometry.regions import load_regions
from whoholds.ingest import ingest
from whoholds.metrics.regions import region_changes, region_shares
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store

GEOD = pyproj.Geod(ellps="WGS84")
UKR = load_profile("ukraine")
SYR = load_profile("syria")
MONTHLY = ("deepstate_raw_2024-11-01_1730495471.geojson.gz", "deepstate_raw_2024-12-01_1733089579.geojson.gz")


def geod_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


# ---- a square country of three regions ------------------------------------------------------------------
SQUARE = Boundary("test:square", "Square", shapely.segmentize(shapely.box(30, 48, 33, 49), 0.01), "toy", "test")


@pytest.fixture()
def square(tmp_path):
    path = write_three_square_regions(tmp_path)
    st = Store(tmp_path / "store")
    # Russia holds the West region and the western half of the Middle one; the grey zone a quarter of it.
    put_toy_snapshot(st, "2024-01-01", occupied=shapely.box(30, 48, 31.5, 49), unknown=shapely.box(31.5, 48, 31.75, 49))
    put_toy_snapshot(st, "2024-02-01", occupied=shapely.box(30, 48, 32.25, 49))
    yield st, str(path)
    st.close()


def test_three_region_square_country_known_shares(square):
    st, path = square
    rs = load_regions(UKR, path, boundary=SQUARE)
    assert [r.id for r in rs] == ["SQ-W", "SQ-M", "SQ-E"] and [r.name for r in rs] == ["West", "Middle", "East"]
    f = region_shares(st, UKR, "2024-01-01", rs, by="actor", boundary=SQUARE)
    pct = {(r.region_id, r.state): r.pct for r in f.itertuples()}
    # Between the same two parallels, area is proportional to the longitude span (the ellipsoid is symmetric
    # about its axis): the shares are exact fractions.
    assert pct[("SQ-W", "russia")] == pytest.approx(100.0, abs=1e-9)
    assert pct[("SQ-M", "russia")] == pytest.approx(50.0, abs=1e-9)
    assert pct[("SQ-M", "unknown")] == pytest.approx(25.0, abs=1e-9)
    assert pct[("SQ-M", "ukraine")] == pytest.approx(25.0, abs=1e-9)
    assert pct[("SQ-E", "ukraine")] == pytest.approx(100.0, abs=1e-9)
    assert ("SQ-E", "russia") not in pct
    west = f[f.region_id == "SQ-W"].iloc[0]
    assert west["region_km2"] == pytest.approx(geod_km2(shapely.segmentize(shapely.box(30, 48, 31, 49), 0.01)),
                                               rel=1e-6)
    assert list(f.columns[:8]) == ["region_id", "region", "region_local", "state", "name", "km2", "region_km2",
                                   "pct"]
    # where February's gains happened: the rest of Middle (half of it) and a quarter of East
    c = region_changes(st, UKR, "2024-01-01", "2024-02-01", rs, by="actor", boundary=SQUARE)
    got = {(r.region_id, r.group): r for r in c.itertuples()}
    m_km2 = rs.by_id("SQ-M").km2
    assert got[("SQ-M", "russia")].gained_km2 == pytest.approx(0.5 * m_km2, rel=1e-9)
    assert got[("SQ-E", "russia")].gained_km2 == pytest.approx(0.25 * rs.by_id("SQ-E").km2, rel=1e-9)
    assert got[("SQ-M", "unknown")].lost_km2 == pytest.approx(0.25 * m_km2, rel=1e-9)
    assert got[("SQ-E", "ukraine")].lost_km2 == pytest.approx(0.25 * rs.by_id("SQ-E").km2, rel=1e-9)
    assert got[("SQ-M", "ukraine")].net_km2 == pytest.approx(-0.25 * m_km2, rel=1e-9)
    assert ("SQ-W", "russia") not in got or got[("SQ-W", "russia")].net_km2 == pytest.approx(0, abs=1e-6)


def test_regions_that_do_not_tile_the_boundary_are_made_to(square, tmp_path):
    """Overlapping units, a unit poking outside, a gap: the tiles still add up to the boundary."""
    st, _ = square
    regions = gpd.GeoDataFrame({"name": ["A", "B"]}, geometry=[shapely.box(29.5, 48, 31.6, 49),
                                                                shapely.box(31.5, 48, 32.5, 49)], crs=4326)
    path = tmp_path / "rough.geojson"
    regions.to_file(path, driver="GeoJSON")
    rs = load_regions(UKR, str(path), boundary=SQUARE)
    assert sum(r.km2 for r in rs) == pytest.approx(SQUARE.area_km2, abs=1e-6)
    # B's tile gets the uncovered strip 32.5..33 (its only neighbour); the overlap 31.5..31.6 stays with A
    assert rs.regions[1].km2 == pytest.approx(1.4 / 3 * SQUARE.area_km2, rel=1e-9)
    f = region_shares(st, UKR, "2024-01-01", rs, boundary=SQUARE)
    national = shares(st, UKR, dt.date(2024, 1, 1), by="state", boundary=SQUARE)
    assert f.groupby("state")["km2"].sum().to_dict() == pytest.approx(
        national.set_index("group")["area_km2"].to_dict(), abs=1e-6)


def test_bad_regions_input(square, tmp_path):
    st, _ = square
    with pytest.raises(InputError, match="file not found"):
        load_regions(UKR, str(tmp_path / "nope.geojson"), boundary=SQUARE)
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="cannot read regions"):
        load_regions(UKR, str(bad), boundary=SQUARE)
    with pytest.raises(QueryError):
        region_shares(st, UKR, "2024-01-05", None, boundary=SQUARE)
    elsewhere = tmp_path / "elsewhere.geojson"
    gpd.GeoDataFrame({"name": ["Far"]}, geometry=[shapely.box(10, 10, 11, 11)], crs=4326).to_file(elsewhere)
    with pytest.raises(InputError, match="cover only 0% of the boundary"):
        load_regions(UKR, str(elsewhere), boundary=SQUARE)


# ---- real admin-1 units ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    st = Store(tmp_path_factory.mktemp("regions") / "store")
    report = ingest([folder / name for name in MONTHLY], UKR, st, workers=1)
    assert report.ok
    yield st
    st.close()


def test_names_resolve_in_english_and_local_forms():
    data_path("boundaries", "admin1_UKR_naturalearth.geojson")
    rs = load_regions(UKR)
    assert len(rs) == 27
    want = {
        "Donetsk region": "UA-14", "Donetsk oblast": "UA-14", "Donetska": "UA-14", "Donetska oblast": "UA-14",
        "the Donetsk Oblast": "UA-14", "Донецька область": "UA-14", "Донецкая область": "UA-14",
        "Luhansk": "UA-09", "Lugansk region": "UA-09", "Луганська область": "UA-09", "Crimea": "UA-43",
        "Kyiv city": "UA-30", "Kyiv region": "UA-32", "Kyiv Oblast": "UA-32", "Kiev oblast": "UA-32",
        "Sevastopol": "UA-40", "Zaporizhzhia oblast": "UA-23", "Zaporozhye region": "UA-23",
        "Kharkivska oblast": "UA-63", "Odessa": "UA-51", "Odesa Oblast": "UA-51", "Kherson region": "UA-65",
        "UA-14": "UA-14", "Transcarpathia": "UA-21", "Mykolaiv region": "UA-48", "Sevastopol city": "UA-40",
        "city of Kyiv": "UA-30", "Kiev": "UA-30",
    }
    got = {t: (r.id if (r := rs.find(t)) else None) for t in want}
    assert got == want
    for text in ("Kursk", "Atlantis region", "", "oblast", "Donbas", "Kherson city", "Donetsk city",
                 "Donetsk People's Republic"):
        assert rs.find(text) is None
    donetsk = rs.find("Donetsk region")
    assert (donetsk.name, donetsk.name_local) == ("Donetsk Oblast", "Донецька область")
    syria = load_regions(SYR)
    assert syria.find("Idlib governorate").id == "SY-ID" and syria.find("Rif Dimashq").id == "SY-RD"
    assert syria.find("Deir ez-Zor province").id == "SY-DY" and syria.find("حلب").id == "SY-HL"
    assert syria.find("Damascus").id == "SY-DI"


@pytest.mark.parametrize("profile", [UKR, SYR], ids=["UKR", "SYR"])
def test_real_regions_tile_the_boundary(profile):
    iso = profile.boundary.country
    data_path("boundaries", f"admin1_{iso}_naturalearth.geojson")
    rs = load_regions(profile)
    b = load_boundary(profile)
    assert sum(r.km2 for r in rs) == pytest.approx(b.area_km2, abs=1e-6)
    tiles = rs.geometries
    assert shapely.area(shapely.intersection(tiles[:, None], tiles[None, :])).sum() == pytest.approx(
        shapely.area(tiles).sum(), rel=1e-12)  # no overlaps: only the diagonal intersects with area


def test_region_totals_equal_national_and_independent_reference(real_store):
    for day in (dt.date(2024, 11, 1), dt.date(2024, 12, 1)):
        f = region_shares(real_store, UKR, day, by="state")
        national = shares(real_store, UKR, day, by="state").set_index("group")["area_km2"]
        totals = f.groupby("state")["km2"].sum()
        assert set(totals.index) == set(national.index)
        for state, km2 in national.items():
            assert totals[state] == pytest.approx(km2, abs=1e-6), state
        assert f.groupby("region_id")["pct"].sum().to_numpy() == pytest.approx(100.0, abs=1e-9)
    # Independent: Russian-held Donetsk oblast from the raw feed, Natural Earth's admin-1 polygon and
    # pyproj.Geod (straight lon/lat edges; whoholds follows geodesics, hence the tolerance).
    with gzip.open(data_path("ukraine", "deepstate_raw_feed_monthly", MONTHLY[1])) as fh:
        raw = json.load(fh)
    occupied = []
    for feat in raw["features"]:
        if feat["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            state = UKR.classify(feat["properties"].get("name"), feat["properties"].get("fill"))
            if state in ("occupied", "occupied_2014"):
                occupied.append(shapely.make_valid(shapely.geometry.shape(feat["geometry"])))
    ne = gpd.read_file(data_path("boundaries", "admin1_UKR_naturalearth.geojson"))
    donetsk = shapely.make_valid(ne.loc[ne["gn_id"] == 709716].geometry.iloc[0])
    admin0 = gpd.read_file(data_path("boundaries", "ne_10m_admin0_deu_UKR.geojson")).geometry.iloc[0]
    held = shapely.intersection(shapely.intersection(shapely.union_all(occupied), donetsk), admin0)
    want_pct = 100 * geod_km2(held) / geod_km2(shapely.intersection(donetsk, admin0))
    got = region_shares(real_store, UKR, "2024-12-01", by="actor")
    row = got[(got.region_id == "UA-14") & (got.state == "russia")].iloc[0]
    assert 60 < want_pct < 75
    assert row["pct"] == pytest.approx(want_pct, abs=0.01)


def test_changes_by_region_add_up_to_the_national_net(real_store):
    c = region_changes(real_store, UKR, "2024-11-01", "2024-12-01", by="actor")
    s1 = shares(real_store, UKR, dt.date(2024, 11, 1)).set_index("group")["area_km2"]
    s2 = shares(real_store, UKR, dt.date(2024, 12, 1)).set_index("group")["area_km2"]
    net = c.groupby("group")["net_km2"].sum()
    assert net["russia"] == pytest.approx(s2["russia"] - s1["russia"], abs=1e-3)
    assert net["russia"] > 500  # November 2024: Russia's largest monthly gain in two years
    assert (c["km2_d2"] - c["km2_d1"]).to_numpy() == pytest.approx(c["net_km2"].to_numpy(), abs=1e-3)
    top = c.iloc[0]
    assert top["region_id"] == "UA-14"  # most of it in Donetsk oblast


def test_geoboundaries_file_with_territorial_sea():
    """geoBoundaries' coastal units reach into the sea (~43,000 km² beyond the land polygon): clipped away."""
    path = data_path("boundaries", "admin1_UKR_geoboundaries.geojson")
    rs = load_regions(UKR, str(path))
    ne = load_regions(UKR)
    assert {r.id for r in rs} == {r.id for r in ne}  # matched on the ISO codes: the same stable ids
    assert sum(r.km2 for r in rs) == pytest.approx(load_boundary(UKR).area_km2, abs=1e-6)
    assert 800 < rs.by_id("UA-30").km2 < 900  # Kyiv city: 839 km² officially; Natural Earth's 1:10m has 1,642
    assert rs.by_id("UA-30").km2 < ne.by_id("UA-30").km2
    assert "43," in rs.note  # the territorial sea dropped is reported


def test_all_dates_walked_incrementally_equal_each_date_whole(real_store, square):
    from whoholds.metrics.regions import region_series

    walked = region_shares(real_store, UKR, None, by="state", all_dates=True)
    assert sorted(set(walked["date"])) == [dt.date(2024, 11, 1), dt.date(2024, 12, 1)]
    for day, part in walked.groupby("date"):
        whole = region_shares(real_store, UKR, day, by="state")
        a = part.set_index(["region_id", "state"])["km2"]
        b = whole.set_index(["region_id", "state"])["km2"]
        assert set(a.index) == set(b.index)
        assert (a - b.loc[a.index]).abs().max() < 1e-6
    st, path = square
    rs = load_regions(UKR, path, boundary=SQUARE)
    series = region_series(st, UKR, st.current("ukraine"), rs, by="actor", boundary=SQUARE)
    feb = series[series["date"] == dt.date(2024, 2, 1)].set_index(["region_id", "state"])["pct"]
    assert feb[("SQ-M", "russia")] == pytest.approx(100.0, abs=1e-9)
    assert feb[("SQ-E", "russia")] == pytest.approx(25.0, abs=1e-9)
    assert ("SQ-M", "unknown") not in feb.index


def test_region_timeline_every_month_takes_the_last_snapshot_on_or_before_each_month_end(square, tmp_path):
    """`timeline --by region --every month` follows the one period convention (metrics.periods)."""
    from whoholds.cli.regions import timeline_by_region

    st, path = square
    put_toy_snapshot(st, "2024-01-20", occupied=shapely.box(30, 48, 31.75, 49))
    out = tmp_path / "by_region.json"
    timeline_by_region(st, UKR, None, None, "month", path, SQUARE, "json", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert sorted({r["date"] for r in rows}) == ["2024-01-20", "2024-02-01"]
    middle = [r for r in rows if r["date"] == "2024-01-20" and r["region_id"] == "SQ-M" and r["name"] == "Russia"]
    assert len(middle) == 1 and abs(middle[0]["pct"] - 75.0) < 0.05  # 31°E..31.75°E of the 31..32 square
