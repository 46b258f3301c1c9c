"""The API routes behind the map page: calendar, GeoJSON layers/changes, settlements, downloads, offline docs.

Figures are compared with independent computations (pyproj.Geod areas of the returned polygons) or with the
library functions the CLI calls; dates in a gap get the snapshot in force and say so.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings

import pyogrio
import pytest
from conftest import data_path
from pyproj import Geod

from whoholds.ingest import ingest
from whoholds.metrics.changes import transfer_matrix
from whoholds.profiles import load_profile
from whoholds.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from whoholds.api import create_app

UKRAINE = load_profile("ukraine")
# a hole on purpose: no December snapshot
FILES = ["deepstate_raw_2024-09-01_1725222208.geojson.gz", "deepstate_raw_2024-10-01_1727771655.geojson.gz",
         "deepstate_raw_2024-11-01_1730495471.geojson.gz",
         "deepstate_raw_2025-01-01_1735766502.geojson.gz"]
DATES = ["2024-09-01", "2024-10-01", "2024-11-01", "2025-01-01"]
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    path = tmp_path_factory.mktemp("apiweb") / "store"
    with Store(path) as st:
        report = ingest([folder / f for f in FILES], UKRAINE, st, workers=1)
    assert report.ok
    return path


@pytest.fixture(scope="module")
def client(store_path):
    with TestClient(create_app(store_path)) as c:
        yield c


def km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_calendar_lists_dates_gaps_and_months(client):
    r = client.get("/api/calendar").json()
    assert r["dates"] == DATES
    assert r["months"] == ["2024-09", "2024-10", "2024-11", "2025-01"]
    assert len(r["gaps"]) == 1 and r["gaps"][0]["after"] == "2024-11-01" and r["gaps"][0]["before"] == "2025-01-01"


def test_layers_exact_areas_match_geod(client):
    resp = client.get("/api/layers.geojson", params={"date": DATES[1]})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/geo+json")
    frame = pyogrio.read_dataframe(io.BytesIO(resp.content))
    for state, area, geom in zip(frame["state"], frame["area_km2"], frame.geometry, strict=True):
        assert area == pytest.approx(km2(geom), rel=1e-5), state
    body = resp.json()
    assert body["date"] == DATES[1] and body["note"] is None and body["simplified_deg"] is None
    assert sum(f["properties"]["share_pct"] for f in body["features"]) == pytest.approx(100, abs=0.01)


def test_layers_simplified_for_zoom_keep_exact_figures(client):
    exact = client.get("/api/layers.geojson", params={"date": DATES[1]})
    coarse = client.get("/api/layers.geojson", params={"date": DATES[1], "zoom": 4})
    assert len(coarse.content) < len(exact.content) / 2
    a = {f["properties"]["state"]: f["properties"]["area_km2"] for f in exact.json()["features"]}
    b = {f["properties"]["state"]: f["properties"]["area_km2"] for f in coarse.json()["features"]}
    assert a == b  # the figures are always those of the exact layers
    shown = pyogrio.read_dataframe(io.BytesIO(coarse.content))
    for state, geom in zip(shown["state"], shown.geometry, strict=True):  # the drawing of large areas is close
        if a[state] > 10_000:
            assert km2(geom) == pytest.approx(a[state], rel=0.01), state


def test_date_in_a_gap_gets_the_snapshot_in_force(client):
    body = client.get("/api/layers.geojson", params={"date": "2024-12-15", "zoom": 5}).json()
    assert body["date"] == "2024-11-01" and body["requested_date"] == "2024-12-15"
    assert "in force" in body["note"] and "44 days earlier" in body["note"]
    before = client.get("/api/layers.geojson", params={"date": "2020-01-01"})
    assert before.status_code == 400 and DATES[0] in before.json()["error"]


def test_changes_geojson_matches_the_library(client, store_path):
    body = client.get("/api/changes.geojson", params={"d1": DATES[0], "d2": DATES[2], "by": "actor"}).json()
    with Store(store_path, create=False) as st:
        lib = transfer_matrix(st, UKRAINE, DATES[0], DATES[2], by="actor")
    assert body["changed_km2"] == pytest.approx(lib.changed_km2, rel=1e-12)
    got = {r["group"]: r["net_km2"] for r in body["summary"]}
    assert got == pytest.approx(dict(zip(lib.summary["group"], lib.summary["net_km2"], strict=True)), abs=1e-9)
    pieces = sum(f["properties"]["area_km2"] for f in body["features"])
    assert pieces == pytest.approx(body["changed_km2"], rel=1e-6)
    w, s, e, n = body["bbox"]
    assert 22 < w < e < 41 and 44 < s < n < 53


def test_month_uses_the_period_convention(client):
    # January 2025: last snapshot on or before 2024-12-31 (2024-11-01) -> last on or before 2025-01-31
    body = client.get("/api/changes.geojson", params={"month": "2025-01"}).json()
    assert (body["d1"], body["d2"]) == ("2024-11-01", "2025-01-01")
    assert "period convention" in body["how"]
    assert client.get("/api/changes.geojson", params={"month": "2025-13"}).status_code == 400
    assert client.get("/api/changes.geojson", params={"month": "January"}).status_code == 422


def test_settlements_and_places(client):
    r = client.get("/api/settlements", params={"d1": DATES[0], "d2": DATES[2]}).json()
    assert r["total"] == len(r["rows"]) or r["total"] > 500
    assert "changed hands" in r["headline"]
    # the page's view: the columns of `whoholds settlements` (display names, taken/contested), row for row
    assert len(r["view"]) == len(r["rows"]) and r["view"]
    assert set(r["view"][0]) == {"name", "name_local", "region", "population", "from", "to", "direction"}
    names = {"ukraine": "Ukraine", "russia": "Russia", "unknown": "Unknown status (grey zone)"}
    for full, seen in zip(r["rows"], r["view"], strict=True):
        assert seen["name"] == full["name"] and seen["to"] != full["to_group"]  # a name, not a key
        assert seen["direction"] in ("taken", "contested")
        assert seen["to"] == names.get(full["to_group"], seen["to"])
    places = client.get("/api/places", params={"n": 10}).json()["rows"]
    assert "Kyiv" in {p["name"] for p in places} and len(places) == 10


def test_downloads(client):
    r = client.get("/api/export/layers", params={"date": "2024-12-20", "format": "gpkg"})
    assert r.status_code == 200 and "2024-11-01" in r.headers["content-disposition"]
    assert r.content[:16] == b"SQLite format 3\x00"
    r = client.get("/api/export/changes", params={"d1": DATES[0], "d2": DATES[1]})
    data = json.loads(r.content)
    assert data["type"] == "FeatureCollection" and all(f["properties"]["from_state"] != f["properties"]["to_state"]
                                                       for f in data["features"])
    csv = client.get("/api/export/table", params={"name": "shares", "date": DATES[0]}).text
    assert csv.splitlines()[0].startswith("date,group,name")
    assert client.get("/api/export/catalog", params={"format": "sqlite"}).content[:6] == b"SQLite"
    assert client.get("/api/export/layers", params={"format": "shp"}).status_code == 400
    assert client.get("/api/export/table", params={"name": "passwords"}).status_code == 400


def test_docs_work_offline(client):
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/openapi.json").json()["paths"]["/api/layers.geojson"]


def test_page_assets_are_local(client):
    html = client.get("/").text
    assert "/static/vendor/maplibre-gl.js" in html and "http" not in html.replace("http-equiv", "")
    lib = client.get("/static/vendor/maplibre-gl.js")
    assert lib.status_code == 200 and b"maplibre" in lib.content[:5000].lower()
    for name in ("app.js", "map.js", "chart.js"):
        text = client.get(f"/static/{name}").text
        text = text.replace("http://www.w3.org/2000/svg", "")  # the SVG namespace is a name, not a download
        assert "https://" not in text and "http://" not in text, name


@pytest.mark.slow
def test_marker_store_points_and_range_across_methods(tmp_path):
    from whoholds.geometry.cells import MARKER_METHODS

    module = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    syria = load_profile("syria")
    with Store(tmp_path / "store") as st:
        assert ingest([module], syria, st, dt.date(2017, 7, 20), workers=1).ok
    with TestClient(create_app(tmp_path / "store")) as c:
        points = c.get("/api/markers.geojson", params={"profile": "syria"}).json()
        assert points["kind"] == "markers" and len(points["features"]) > 1000
        assert all(f["geometry"]["type"] == "Point" for f in points["features"])
        assert {f["properties"]["state"] for f in points["features"]} >= {"gov", "sdf", "isis"}
        r = c.get("/api/marker-range", params={"profile": "syria", "by": "actor"}).json()
        assert r["methods"] == list(MARKER_METHODS)
        for row in r["summary"]:
            assert row["min_pct"] <= row["max_pct"]
        assert any("depending on method" in row["sentence"] for row in r["summary"])
        assert c.get("/api/layers.geojson", params={"profile": "syria", "method": "nearest"}).status_code == 400
