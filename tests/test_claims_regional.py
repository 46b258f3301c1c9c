"""Regional denominators in claim checks: "excluding Crimea" is the whole peninsula, and a regional share gets the
same sensitivity as a national one (contested land counted for the claimant)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.store import Store
from whoholds.types import Snapshot

GEOD = pyproj.Geod(ellps="WGS84")
runner = CliRunner()
DONETSK_EAST = shapely.box(37.6, 46.9, 39.0, 48.4)
GREY_STRIP = shapely.box(37.3, 46.9, 37.6, 48.4)


def _km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.01))[0]) / 1e6


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("regional") / "store"
    geoms = [shapely.segmentize(DONETSK_EAST, 0.01), shapely.segmentize(GREY_STRIP, 0.01)]
    frame = gpd.GeoDataFrame({"state": ["occupied", "unknown"], "label": ["occupied", "unknown"],
                              "fill": [None, None]}, geometry=geoms, crs="EPSG:4326")
    st = Store(path)
    st.put(Snapshot(dt.date(2025, 6, 1), "toy.geojson", "ukraine", "polygons", frame,
                    hashlib.sha256(b"".join(shapely.to_wkb(g) for g in geoms)).hexdigest()))
    st.close()
    return str(path)


def _check(store: str, text: str) -> dict:
    r = runner.invoke(app, ["check", text, "--country", "ukraine", "--date", "2025-06-01", "--store", store,
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output[r.output.index("{"): r.output.rindex("}") + 1])


def _regions() -> gpd.GeoDataFrame:
    return gpd.read_file(data_path("boundaries", "admin1_UKR_naturalearth.geojson"))


def _unit(regions: gpd.GeoDataFrame, word: str) -> shapely.Geometry:
    hit = regions[regions.apply(lambda row: word in " ".join(map(str, row.values)).lower(), axis=1)]
    assert len(hit) >= 1, word
    return shapely.union_all(hit.geometry.to_numpy())


def test_excluding_crimea_takes_out_sevastopol_too(store):
    plain = _check(store, "Russia controls about 2% of Ukraine excluding Crimea")
    both = _check(store, "Russia controls about 2% of Ukraine excluding Crimea and Sevastopol")
    assert plain["computed"]["value"] == pytest.approx(both["computed"]["value"], rel=1e-9)
    regions = _regions()
    country = shapely.union_all(regions.geometry.to_numpy())
    peninsula = shapely.union_all([_unit(regions, "crime"), _unit(regions, "sevastop")])
    expected = 100 * _km2(shapely.intersection(country, DONETSK_EAST)) / (_km2(country) - _km2(peninsula))
    # Natural Earth admin-1 tiles the admin-0 boundary: the independent figure agrees to a few hundredths of a pp
    assert plain["computed"]["value"] == pytest.approx(expected, abs=0.05)


def test_a_regional_share_shows_contested_land_as_an_alternative(store):
    got = _check(store, "Russia controls about 60% of the Donetsk region")
    donetsk = _unit(_regions(), "donet")
    held = 100 * _km2(shapely.intersection(donetsk, DONETSK_EAST)) / _km2(donetsk)
    grey = 100 * _km2(shapely.intersection(donetsk, GREY_STRIP)) / _km2(donetsk)
    assert got["computed"]["value"] == pytest.approx(held, abs=0.1)
    rows = {r["variant"]: r["value"] for r in got["sensitivity"]}
    contested = [v for k, v in rows.items() if k.startswith("contested/mixed land counted for")]
    assert contested and contested[0] == pytest.approx(held + grey, abs=0.1)


def test_a_region_the_claim_names_is_never_answered_nationally(tmp_path: Path, store):
    got = _check(store, "Russia controls about 9% of the Donetsk region")
    assert "Donetsk" in json.dumps(got["computed"]) or "Donetsk" in got.get("explanation", "")
    assert got["computed"]["value"] > 20  # the national share of this toy map is under 2 %


def test_a_regional_verdict_states_the_region_as_its_denominator(store):
    r = runner.invoke(app, ["check", "Russia controls about 60% of the Donetsk region", "--country", "ukraine",
                            "--date", "2025-06-01", "--store", store])
    assert r.exit_code == 0, r.output
    denominators = [line for line in r.stdout.splitlines() if line.startswith("Denominator:")]
    assert len(denominators) == 1 and "Donetsk" in denominators[0], denominators
