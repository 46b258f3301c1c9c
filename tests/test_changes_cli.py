"""The `changes`, `timeline` and `settlements` commands: outputs, files, and one-line errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.store import Store
from whoholds.types import Snapshot

runner = CliRunner()


def put(store: Store, day: str, **states: shapely.Geometry) -> None:
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=list(states.values()), crs="EPSG:4326")
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in states.values()) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}.geojson", "ukraine", "polygons", f, digest))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    st = Store(path)
    # boxes inside Ukraine, near Pokrovsk (37.2 E, 48.3 N)
    put(st, "2024-06-01", occupied=shapely.box(37.5, 48.0, 38.0, 48.6))
    put(st, "2024-06-02", occupied=shapely.box(37.4, 48.0, 38.0, 48.6))
    put(st, "2024-06-03", occupied=shapely.box(37.3, 48.0, 38.0, 48.6), unknown=shapely.box(37.2, 48.0, 37.3, 48.6))
    put(st, "2024-06-05", occupied=shapely.box(37.2, 48.0, 38.0, 48.6))
    st.close()
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_changes_csv_and_matrix(store_path, tmp_path):
    code, out, _ = run("changes", "2024-06-01", "2024-06-03", "--by", "actor", "--format", "csv",
                       "--store", store_path)
    assert code == 0
    df = pd.read_csv(io.StringIO(out)).set_index("group")
    assert df.loc["russia", "gains_km2"] > 0 and df.loc["unknown", "gains_km2"] > 0
    assert df.loc["ukraine", "losses_km2"] == pytest.approx(df.loc["russia", "gains_km2"]
                                                             + df.loc["unknown", "gains_km2"])
    assert {"snapshot_ids", "boundary", "method", "whoholds_version"} <= set(df.columns)
    target = tmp_path / "m.json"
    code, _, err = run("changes", "2024-06-01", "2024-06-03", "--matrix", "--format", "json", "-o", str(target),
                       "--store", store_path)
    assert code == 0 and "changed hands" in err
    rows = json.loads(target.read_text())
    assert {(r["from"], r["to"]) for r in rows} >= {("held", "occupied"), ("held", "unknown")}


def test_changes_table_and_map(store_path, tmp_path):
    code, out, _ = run("changes", "2024-06-01", "2024-06-05", "--store", store_path)
    assert code == 0
    assert "Land that changed hands" in out and "changed hands between 2024-06-01 and 2024-06-05" in out
    png = tmp_path / "changes.png"
    code, _, err = run("changes", "2024-06-01", "2024-06-05", "--map", str(png), "--store", store_path,
                       "--format", "csv")
    assert code == 0, err
    assert png.exists() and png.read_bytes()[:4] == b"\x89PNG"


def test_timeline_csv_and_chart(store_path, tmp_path):
    code, out, err = run("timeline", "--every", "day", "--by", "actor", "--format", "csv", "--store", store_path)
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert set(df["group"]) == {"russia", "ukraine", "unknown"}
    assert df["date"].nunique() == 5  # June 1-5, June 4 carried from June 3
    assert df.loc[df["date"] == "2024-06-04", "carried"].all()
    assert "agencies' convention" in err and "1 day without a snapshot" in err
    svg = tmp_path / "tl.svg"
    code, _, err = run("timeline", "--chart", str(svg), "--format", "csv", "-o", str(tmp_path / "t.csv"),
                       "--store", store_path, "--actor", "Russian forces", "--by", "actor")
    assert code == 0, err
    assert svg.read_text().lstrip().startswith("<?xml")
    only = pd.read_csv(tmp_path / "t.csv")
    assert set(only["group"]) == {"russia"}


def test_settlements_json(store_path):
    code, out, err = run("settlements", "2024-06-01", "2024-06-05", "--format", "json", "--store", store_path)
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["to_group"] == "russia" for r in rows)
    assert all(37.2 <= r["lon"] <= 37.5 for r in rows)
    assert "settlements changed hands" in err


@pytest.mark.parametrize("args, message", [
    (("changes", "2024-06-04", "2024-06-05"), "nearest before: 2024-06-03; nearest after: 2024-06-05"),
    (("changes", "2024-06-05", "2024-06-01"), "is before D1"),
    (("changes", "2024-06-01", "2024-06-05", "--actor", "martians"), "unknown to profile ukraine"),
    (("changes", "2024-06-01", "2024-06-05", "--map", "out.gif"), "PNG or SVG"),
    (("changes", "2024-06-01", "2024-06-05", "--by", "side"), "unknown grouping"),
    (("changes", "2024-06-01", "2024-06-05", "--format", "parquet"), "needs an output file"),
    (("timeline", "--from", "2024-06-05", "--to", "2024-06-01"), "is before --from"),
    (("timeline", "--every", "fortnight"), "unknown period"),
    (("timeline", "--from", "2020-01-01", "--to", "2020-02-01"), "no ukraine snapshots in this range"),
    (("timeline", "--actor", "Atlantis"), "unknown to profile ukraine"),
    (("settlements", "2024-06-01", "2024-06-04"), "no ukraine snapshot on this date"),
    (("settlements", "2024-06-05", "2024-06-01"), "is before D1"),
    (("settlements", "2024-06-01", "2024-06-05", "--source", "osm"), "unknown settlement source"),
    (("settlements", "2024-06-01", "2024-06-05", "--source", "markers"), "without settlement markers"),
])
def test_bad_input_is_one_line(store_path, args, message):
    code, _, err = run(*args, "--store", store_path)
    assert code == 2
    assert message in one_error_line(err)


@pytest.mark.parametrize("command", [("changes", "2024-06-01", "2024-06-05"), ("timeline",),
                                     ("settlements", "2024-06-01", "2024-06-05")])
def test_empty_or_missing_store(tmp_path, command):
    code, _, err = run(*command, "--store", str(tmp_path / "nowhere"))
    assert code == 2 and "no store here" in one_error_line(err)
    empty = tmp_path / "empty"
    Store(empty).close()
    code, _, err = run(*command, "--store", str(empty))
    assert code == 2 and "no ukraine snapshots" in one_error_line(err)
