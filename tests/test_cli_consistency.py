"""CLI consistency: commands default to the latest snapshot and say so, `export layers` takes --date as well as
the old positional date, `timeline --every year` follows the one period convention, `check` takes its profile
from a one-profile store, the report's sentences end with one period."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from typer.testing import CliRunner

from whoholds.cli import app

GEOD = Geod(ellps="WGS84")
DAYS = (("2023-06-01", 0.2), ("2024-03-01", 0.4), ("2024-09-01", 0.6))


def square(size: float) -> list[list[float]]:
    x, y = 37.5, 47.8
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def km2(size: float) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.Polygon(square(size)))[0]) / 1e6


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    for day, size in DAYS:
        (folder / f"control_{day}.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Окуповано"},
             "geometry": {"type": "Polygon", "coordinates": [square(size)]}}]}), "utf-8")
    result = run("ingest", str(folder), "--store", str(folder / "store"), "--profile", "ukraine", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    return folder / "store"


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(app, list(args))


def test_export_layers_date_option_positional_and_latest(store: Path, tmp_path: Path) -> None:
    def occupied_km2(path: Path) -> float:
        doc = json.loads(path.read_text("utf-8"))
        return sum(f["properties"]["area_km2"] for f in doc["features"] if f["properties"]["state"] == "occupied")

    old = run("export", "layers", "2024-03-01", "-o", str(tmp_path / "a.geojson"), "--store", str(store))
    new = run("export", "layers", "--date", "2024-03-01", "-o", str(tmp_path / "b.geojson"), "--store", str(store))
    latest = run("export", "layers", "-o", str(tmp_path / "c.geojson"), "--store", str(store))
    assert old.exit_code == new.exit_code == latest.exit_code == 0, old.stderr + new.stderr + latest.stderr
    assert "latest snapshot: 2024-09-01" in latest.stdout
    assert abs(occupied_km2(tmp_path / "a.geojson") - km2(0.4)) < 1e-6 * km2(0.4)
    assert occupied_km2(tmp_path / "b.geojson") == occupied_km2(tmp_path / "a.geojson")
    assert abs(occupied_km2(tmp_path / "c.geojson") - km2(0.6)) < 1e-6 * km2(0.6)
    both = run("export", "layers", "2024-03-01", "--date", "2023-06-01", "-o", str(tmp_path / "d.geojson"),
               "--store", str(store))
    assert both.exit_code == 2 and "two dates" in both.stderr


def test_timeline_every_year(store: Path) -> None:
    result = run("timeline", "--every", "year", "--store", str(store), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout.split("\nDenominator")[0]))
            if r["group"] == "occupied"]
    assert [r["date"] for r in rows] == ["2023-12-31", "2024-12-31"]
    last = rows[-1]
    # The year 2024 compares the last snapshot of 2023 (2023-06-01) with the last of 2024 (2024-09-01).
    assert (last["from_date"], last["to_date"]) == ("2023-06-01", "2024-09-01")
    assert abs(float(last["area_km2"]) - km2(0.6)) < 1e-6 * km2(0.6)
    assert abs(float(last["net_km2"]) - (km2(0.6) - km2(0.2))) < 1e-6 * km2(0.6)
    assert "partial period: the year of 2023-01-01" in result.stdout + result.stderr


def test_check_takes_the_profile_from_a_one_profile_store(store: Path, tmp_path: Path) -> None:
    claim = "Russia occupies 0.5% of Ukraine"
    inferred = run("check", claim, "--date", "2024-09-01", "--store", str(store), "--format", "json")
    named = run("check", claim, "--date", "2024-09-01", "--store", str(store), "--format", "json",
                "--profile", "ukraine")
    assert inferred.exit_code == named.exit_code == 0, inferred.stderr + named.stderr
    a, b = json.loads(inferred.stdout), json.loads(named.stdout)
    assert (a["label"], a["computed"]) == (b["label"], b["computed"])
    assert abs(a["computed"]["value"] - 100 * km2(0.6) / 599_094.6) < 0.01  # the boundary's km², as the output states
    empty = run("check", claim, "--store", str(tmp_path / "nothing"))
    assert empty.exit_code == 2 and "--country" in empty.stderr and "Traceback" not in empty.stderr


def test_map_defaults_to_the_latest_snapshot(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    result = run("map", "--store", str(store), "-o", str(out), "--no-cities")
    assert result.exit_code == 0, result.stderr
    assert "latest snapshot: 2024-09-01" in result.stdout and out.stat().st_size > 1000


def test_report_sentences_end_with_one_period(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", "--from", "2023-06-01", "--to", "2024-09-01", "-o", str(out), "--store", str(store),
                 "--every", "year")
    assert result.exit_code == 0, result.stderr
    html = out.read_text("utf-8")
    assert "boundary." in html and ".." not in html.replace("...", "")


def test_check_takes_a_user_yaml_profile_kept_in_the_store(tmp_path: Path) -> None:
    """The store's only profile may be a user's YAML (kept in the store at ingest, the file gone since)."""
    from test_profiles_schema import EXAMPLE_MODULE, _doc_profile, _write

    profile = _write(tmp_path, _doc_profile(), "iraq.yaml")
    assert run("ingest", str(EXAMPLE_MODULE), "--profile", str(profile), "--store", str(tmp_path / "st")).exit_code == 0
    profile.unlink()
    result = run("check", "The government controls about half of Iraq", "--store", str(tmp_path / "st"),
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["claim"]["profile"] == "iraq"
