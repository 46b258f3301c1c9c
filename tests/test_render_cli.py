"""`whoholds map` and `whoholds report`: thin commands, one-line errors (store and metrics faked)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import types

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from typer.testing import CliRunner

import whoholds.cli.render  # noqa: F401 - registers the commands
from whoholds.cli.app import app

runner = CliRunner()
BOUNDARY = box(30.0, 46.0, 38.0, 51.0)


class _Snap:
    def __init__(self, date):
        self.date, self.kind, self.source, self.id, self.timestamp = date, "polygons", "/d/s.geojson", "x", None
        self.features = gpd.GeoDataFrame({"state": []}, geometry=[], crs="EPSG:4326")


class _Store:
    dates = [dt.date(2024, 12, 1)]

    def profiles(self):
        return ["ukraine"]

    def __init__(self, path, create=True):
        from pathlib import Path

        from whoholds.errors import StoreError

        if not Path(path).exists() and not create:
            raise StoreError(path, "no store here; run `whoholds ingest` first (or pass --store)")
        self.path = path

    def nearest(self, date, profile_id):
        best = min(self.dates, key=lambda d: abs((d - date).days))
        return _Snap(best), (best - date).days


@pytest.fixture
def fakes(monkeypatch):
    store_mod = types.ModuleType("whoholds.store")
    store_mod.Store = _Store
    store_mod.default_store_path = lambda: os.environ.get("WHOHOLDS_STORE", "whoholds-store")
    bnd_mod = types.ModuleType("whoholds.geometry.boundary")
    bnd_mod.load_boundary = lambda profile, override=None: types.SimpleNamespace(
        id="b", name="Fake boundary", geometry=BOUNDARY, note="", source="fake")
    layers_mod = types.ModuleType("whoholds.geometry.layers")
    layers_mod.state_layers = lambda snap, profile, boundary: types.SimpleNamespace(
        frame=gpd.GeoDataFrame({"state": ["occupied", "held"]},
                               geometry=[box(34, 46, 38, 51), box(30, 46, 34, 51)], crs="EPSG:4326"),
        method="fake method")
    for name, mod in (("whoholds.store", store_mod), ("whoholds.geometry.boundary", bnd_mod),
                      ("whoholds.geometry.layers", layers_mod)):
        monkeypatch.setitem(sys.modules, name, mod)


def test_map_command_writes_png(tmp_path, fakes):
    store = tmp_path / "store"
    store.mkdir()
    out = tmp_path / "m.png"
    res = runner.invoke(app, ["map", "--date", "2024-12-01", "--store", str(store), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "wrote" in res.stdout


def test_map_command_store_from_env(tmp_path, fakes, monkeypatch):
    store = tmp_path / "store"
    store.mkdir()
    monkeypatch.setenv("WHOHOLDS_STORE", str(store))
    res = runner.invoke(app, ["map", "--date", "2024-12-01", "-o", str(tmp_path / "m.svg"), "--no-cities"])
    assert res.exit_code == 0, res.output
    assert "Fake boundary" in (tmp_path / "m.svg").read_text()


@pytest.mark.parametrize(
    "args,message",
    [
        (["map", "--date", "2024-13-01"], "not a date"),
        (["map", "--date", "2024-12-03"], "nearest is 2024-12-01 (2 days away)"),
        (["map", "--date", "2024-12-01", "-o", "x.pdf"], "use .png or .svg"),
        (["report", "--from", "2024-12-01", "--to", "2024-09-01", "-o", "r.html"], "--to must be after --from"),
        (["report", "--from", "2024-09-01", "--to", "2024-12-01", "-o", "r.html", "--by", "x"], "--by"),
        (["report", "--from", "2024-09-01", "--to", "2024-12-01", "-o", "r.pdf"], "HTML"),
    ],
)
def test_bad_input_is_one_line(tmp_path, fakes, monkeypatch, args, message):
    store = tmp_path / "store"
    store.mkdir()
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, [*args, "--store", str(store)])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert err.startswith("error:") and message in " ".join(err.split())
    assert "Traceback" not in res.output


def test_missing_store_is_one_line(tmp_path, fakes):
    res = runner.invoke(app, ["map", "--date", "2024-12-01", "--store", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "no store here" in res.stderr


def test_report_command(tmp_path, fakes, monkeypatch):
    def shares(store, profile, date=None, by="actor", **kw):
        return pd.DataFrame({"date": [date] * 2, "group": ["russia", "ukraine"], "name": ["Russia", "Ukraine"],
                             "area_km2": [1.0, 2.0], "share_pct": [33.33, 66.67], "boundary": ["b"] * 2})

    mod = types.ModuleType("whoholds.metrics.shares")
    mod.shares = shares
    monkeypatch.setitem(sys.modules, "whoholds.metrics.shares", mod)
    for name in ("whoholds.metrics.changes", "whoholds.metrics.timeline", "whoholds.metrics.settlements"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(_Store, "dates", [dt.date(2024, 9, 1), dt.date(2024, 12, 1)])
    store = tmp_path / "store"
    store.mkdir()
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--from", "2024-09-01", "--to", "2024-12-01", "-o", str(out),
                              "--store", str(store)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "33.33" in html and "data:image/png;base64," in html
