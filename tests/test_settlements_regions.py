"""Point-in-polygon settlement transitions on a small hand-built country of three regions: region of each
place, direction (taken / contested), the settlement definition, and the CLI output."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import put_toy_snapshot, write_three_square_regions
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.geometry.boundary import Boundary
from whoholds.geometry.regions import load_regions
from whoholds.metrics.settlement_places import SENSITIVITY, PlaceDefinition, place_states
from whoholds.metrics.settlements import settlement_changes
from whoholds.profiles import load_profile
from whoholds.store import Store

UKR = load_profile("ukraine")
SQUARE = Boundary("test:square", "Square", shapely.segmentize(shapely.box(30, 48, 33, 49), 0.01), "toy", "test")
# x positions: West region 30..31, Middle 31..32, East 32..33
PLACES = pd.DataFrame({
    "geonameid": [1, 2, 3, 4, 5, 6, 7],
    "name": ["Aville", "Bville", "Cville", "Dville", "Eville", "Fville", "Gville"],
    "name_local": ["А", "Б", "В", "Г", "Д", "Е", "Ж"],
    "lat": [48.5] * 6 + [47.0],
    "lon": [30.5, 31.2, 31.6, 31.9, 32.1, 32.9, 31.0],
    "feature_code": ["PPL", "PPL", "PPLX", "PPL", "PPLW", "PPL", "PPL"],
    "admin1_code": [""] * 7,
    "population": [1200, 0, 800, 40, 300, 9000, 5000],
})


@pytest.fixture()
def country(tmp_path):
    path = write_three_square_regions(tmp_path)
    st = Store(tmp_path / "store")
    put_toy_snapshot(st, "2024-03-01", occupied=shapely.box(30, 48, 31.5, 49), unknown=shapely.box(31.5, 48, 31.75, 49))
    # a week later: Russia reaches 31.95 (B stays, C and D taken, D from Ukraine), the grey zone moves to
    # 31.95..32.5 (E and nothing else), the occupied layer overlaps the grey zone at 31.9..31.95 (priority)
    put_toy_snapshot(st, "2024-03-08", occupied=shapely.box(30, 48, 31.95, 49), unknown=shapely.box(31.9, 48, 32.5, 49))
    yield st, load_regions(UKR, str(path), boundary=SQUARE), path
    st.close()


def test_place_states_follow_priority_and_boundary(country):
    st, _, _ = country
    snap = st.latest(dt.date(2024, 3, 8), "ukraine")
    got = place_states(PLACES["lon"].to_numpy(), PLACES["lat"].to_numpy(), snap, UKR, SQUARE)
    # D at 31.9 lies in both occupied and grey: occupied wins; F: nobody's layer, the default holder; G outside
    assert list(got) == ["occupied", "occupied", "occupied", "occupied", "unknown", "held", None]


def test_transitions_regions_and_directions(country):
    st, rs, _ = country
    res = settlement_changes(st, UKR, "2024-03-01", "2024-03-08", places=PLACES, boundary=SQUARE, regions=rs,
                             living_only=False)
    f = res.frame.set_index("name")
    # C: grey -> Russia (taken, from the grey zone); D: Ukraine -> Russia; E: Ukraine -> grey (contested)
    assert set(f.index) == {"Cville", "Dville", "Eville"}
    assert f.loc["Cville", "direction"] == "taken by russia" and f.loc["Cville", "from_group"] == "unknown"
    assert f.loc["Dville", "direction"] == "taken by russia" and f.loc["Dville", "from_group"] == "ukraine"
    assert f.loc["Eville", "direction"] == "contested" and f.loc["Eville", "to_group"] == "unknown"
    assert list(f["region_id"]) == ["SQ-M", "SQ-E", "SQ-M"]  # sorted by population: C 800, E 300, D 40
    assert list(f["region"]) == ["Middle", "East", "Middle"]
    d = res.directions.set_index("name")
    assert (d.loc["Russia", "settlements"], d.loc["Russia", "from_grey_zone"]) == (2, 1)
    assert d.loc["grey zone", "settlements"] == 1 and d.loc["grey zone", "direction"] == "contested"
    assert "Russia took 2 (1 of them from the grey zone); 1 became contested" in res.headline
    assert res.considered == 6

    living = settlement_changes(st, UKR, "2024-03-01", "2024-03-08", places=PLACES, boundary=SQUARE, regions=rs)
    assert set(living.frame["name"]) == {"Dville"}  # C is a city section (PPLX), E destroyed (PPLW)
    assert any(n.startswith("definition: living populated places") for n in living.notes)
    big = settlement_changes(st, UKR, "2024-03-01", "2024-03-08", places=PLACES, boundary=SQUARE, regions=rs,
                             living_only=False, min_population=500)
    assert set(big.frame["name"]) == {"Cville"}


def test_definitions():
    assert [d.short for d in SENSITIVITY] == ["all places", "living places", "living places, 500+ people"]
    frame = PlaceDefinition(True, 100).apply(PLACES)
    assert list(frame["name"]) == ["Aville", "Fville", "Gville"]  # B: population unknown (0) is not 100+
    assert "any population" in PlaceDefinition().text and "500+ inhabitants" in PlaceDefinition(True, 500).text
    assert len(PlaceDefinition(False).apply(PLACES)) == len(PLACES)


def test_population_unknown_is_na_for_the_gazetteer(country, tmp_path, monkeypatch):
    st, rs, _ = country
    csv = tmp_path / "places.csv"
    PLACES.rename(columns={"lat": "latitude", "lon": "longitude", "name_local": "name_uk_guess"}).to_csv(csv,
                                                                                                       index=False)
    res = settlement_changes(st, UKR, "2024-03-01", "2024-03-08", source="gazetteer", gazetteer=str(csv),
                             boundary=SQUARE, regions=rs, living_only=False)
    assert res.source == "gazetteer"
    assert res.frame.set_index("name").loc["Cville", "name_local"] == "В"
    zero = PLACES.assign(population=np.where(PLACES["name"] == "Dville", 0, PLACES["population"]))
    zero.rename(columns={"lat": "latitude", "lon": "longitude"}).to_csv(csv, index=False)
    res = settlement_changes(st, UKR, "2024-03-01", "2024-03-08", source="gazetteer", gazetteer=str(csv),
                             boundary=SQUARE, regions=rs)
    assert res.frame["population"].isna().all()  # D's population is unknown, not zero


def test_cli_settlements_and_shares_by_region(country, tmp_path):
    st, _, path = country
    csv = tmp_path / "places.csv"
    PLACES.rename(columns={"lat": "latitude", "lon": "longitude"}).to_csv(csv, index=False)
    box = tmp_path / "square.geojson"
    gpd.GeoDataFrame(geometry=[SQUARE.geometry], crs=4326).to_file(box, driver="GeoJSON")
    runner = CliRunner()
    out = runner.invoke(app, ["settlements", "2024-03-01", "2024-03-08", "--store", str(st.path), "--gazetteer",
                              str(csv), "--regions", str(path), "--boundary", str(box), "--all-places", "-f", "csv"])
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(pd.io.common.StringIO(out.stdout))
    assert set(frame["name"]) == {"Cville", "Dville", "Eville"}
    assert set(frame["region"]) == {"Middle", "East"}
    assert "definition: all GeoNames populated places" in out.stderr
    out = runner.invoke(app, ["shares", "--by", "region", "--date", "2024-03-01", "--store", str(st.path),
                              "--regions", str(path), "--boundary", str(box), "-f", "csv"])
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(pd.io.common.StringIO(out.stdout))
    west = frame[(frame["region_id"] == "SQ-W") & (frame["state"] == "russia")]
    assert west["pct"].iloc[0] == pytest.approx(100.0, abs=1e-6)
    out = runner.invoke(app, ["changes", "2024-03-01", "2024-03-08", "--by", "region", "--store", str(st.path),
                              "--regions", str(path), "--boundary", str(box), "-f", "csv"])
    assert out.exit_code == 0, out.output
    assert "SQ-E" in out.stdout
    out = runner.invoke(app, ["timeline", "--by", "region", "--region", "Middle", "--store", str(st.path),
                              "--regions", str(path), "--boundary", str(box), "-f", "csv"])
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(pd.io.common.StringIO(out.stdout))
    russia = frame[frame["state"] == "russia"].set_index("date")["pct"]
    assert russia.to_dict() == pytest.approx({"2024-03-01": 50.0, "2024-03-08": 95.0}, abs=1e-6)
    bad = runner.invoke(app, ["shares", "--by", "region", "--store", str(st.path), "--regions",
                              str(tmp_path / "none.geojson"), "--boundary", str(box)])
    assert bad.exit_code == 2 and "file not found" in bad.output and "Traceback" not in bad.output


def test_regions_fall_back_to_geonames_admin1_codes(tmp_path, monkeypatch):
    from whoholds.metrics.settlement_places import regions_of

    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "empty"))
    monkeypatch.delenv("WHOHOLDS_DATA", raising=False)
    pts = PLACES.assign(admin1_code=["05", "14", "11", "99", "05", "05", "05"])
    (rid, name, local), note = regions_of(UKR, SQUARE, pts, pts["lon"].to_numpy(), pts["lat"].to_numpy(), None)
    assert list(rid[:4]) == ["UA-14", "UA-09", "UA-43", ""]
    assert name[0] == "Donetsk Oblast" and local[1] == "Луганська область"
    assert "GeoNames admin1 codes" in note
