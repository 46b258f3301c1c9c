"""Exports (`whoholds export`, `whoholds.render.export`) re-read from disk and checked against independent
computations: every polygon's km² against pyproj.Geod, the layers' total against the boundary, and the changed
pieces against a geopandas overlay of the two exported layer files done here in the test."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd
import pyogrio
import pytest
from conftest import data_path
from pyproj import Geod
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.errors import QueryError
from whoholds.ingest import ingest
from whoholds.profiles import load_profile
from whoholds.render.export import export_catalog, export_changes, export_layers
from whoholds.store import Store

UKRAINE = load_profile("ukraine")
FILES = ["deepstate_raw_2024-10-01_1727771655.geojson.gz", "deepstate_raw_2024-11-01_1730495471.geojson.gz"]
D1, D2 = "2024-10-01", "2024-11-01"
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    path = tmp_path_factory.mktemp("export") / "store"
    st = Store(path)
    report = ingest([folder / f for f in FILES], UKRAINE, st, workers=1)
    assert report.ok and report.count("new") == 2
    yield st
    st.close()


def geod_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def read(path):
    if path.suffix == ".parquet":
        import geopandas as gpd

        return gpd.read_parquet(path)
    return pyogrio.read_dataframe(path)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_layers_areas_match_geod_and_cover_the_boundary(store, tmp_path, fmt):
    from whoholds.geometry.boundary import load_boundary

    out = export_layers(store, UKRAINE, D2, tmp_path / "layers", fmt)
    assert out.exists() and out.suffix == {"geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet"}[fmt]
    frame = read(out)
    assert frame.crs is None or frame.crs.to_epsg() == 4326
    assert len(frame) == frame["state"].nunique() >= 4  # one disjoint layer per state
    independent = np.array([geod_km2(g) for g in frame.geometry])
    assert frame["area_km2"].to_numpy() == pytest.approx(independent, rel=1e-6, abs=1e-3)
    boundary = load_boundary(UKRAINE)
    assert independent.sum() == pytest.approx(geod_km2(boundary.geometry), rel=1e-4)
    assert frame["share_pct"].sum() == pytest.approx(100.0, abs=0.01)
    assert {str(d)[:10] for d in frame["date"]} == {D2}
    assert {"snapshot_id", "source", "boundary", "method", "whoholds_version", "colour", "name"} <= set(frame.columns)


def test_changes_match_an_independent_overlay(store, tmp_path):
    import geopandas as gpd

    a = pyogrio.read_dataframe(export_layers(store, UKRAINE, D1, tmp_path / "a.gpkg", "gpkg"))
    b = pyogrio.read_dataframe(export_layers(store, UKRAINE, D2, tmp_path / "b.gpkg", "gpkg"))
    both = gpd.overlay(a[["state", "geometry"]], b[["state", "geometry"]], how="intersection", keep_geom_type=True)
    moved = both[both["state_1"] != both["state_2"]]
    expected = moved.assign(km2=[geod_km2(g) for g in moved.geometry]).groupby(["state_1", "state_2"])["km2"].sum()
    expected = expected[expected > 0.01]

    out = export_changes(store, UKRAINE, D1, D2, tmp_path / "changes.geojson", "geojson")
    raw = json.loads(out.read_text())
    assert raw["type"] == "FeatureCollection"
    ch = pyogrio.read_dataframe(out)
    assert (ch["from_state"] != ch["to_state"]).all()
    assert ch["area_km2"].to_numpy() == pytest.approx([geod_km2(g) for g in ch.geometry], rel=1e-6, abs=1e-3)
    got = ch.groupby(["from_state", "to_state"])["area_km2"].sum()
    got = got[got > 0.01]
    assert set(got.index) == set(expected.index)
    for key, km2 in expected.items():
        assert got[key] == pytest.approx(km2, rel=1e-4, abs=0.05), key
    assert {str(d)[:10] for d in ch["d1"]} == {D1} and {str(d)[:10] for d in ch["d2"]} == {D2}


def test_catalog_as_sqlite_and_csv(store, tmp_path):
    [db] = export_catalog(store, tmp_path / "cat", "sqlite")
    assert db.suffix == ".sqlite"
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT date, source FROM snapshots ORDER BY date").fetchall()
    assert [r[0][:10] for r in rows] == [D1, D2]
    assert [r[1].rsplit("/", 1)[-1] for r in rows] == FILES
    written = export_catalog(store, tmp_path / "cat.csv", "csv", profile=UKRAINE)
    frame = pd.read_csv(written[0])
    assert len(frame) == 2 and set(frame["profile"]) == {"ukraine"}


def test_bad_requests_are_one_line_errors(store, tmp_path):
    with pytest.raises(QueryError, match="unknown geometry format"):
        export_layers(store, UKRAINE, D2, tmp_path / "x", "shp")
    with pytest.raises(QueryError, match="nearest"):
        export_layers(store, UKRAINE, "2024-10-15", tmp_path / "x", "geojson")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_cli_export(store, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["export", "layers", D1, "-o", str(tmp_path / "l.gpkg"), "-f", "gpkg",
                            "--store", str(store.path)])
    assert r.exit_code == 0, r.output
    assert len(pyogrio.read_dataframe(tmp_path / "l.gpkg")) >= 4
    r = runner.invoke(app, ["export", "changes", D1, D2, "-o", str(tmp_path / "c"), "--store", str(store.path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "c.geojson").exists()
    r = runner.invoke(app, ["export", "catalog", "-o", str(tmp_path / "k.sqlite"), "-f", "sqlite",
                            "--store", str(store.path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "layers", "2030-01-01", "-o", str(tmp_path / "z"), "--store", str(store.path)])
    assert r.exit_code == 2 and "Traceback" not in r.output
