"""Marker commands end to end: ingest the shared module into a temporary store, then query it."""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from typer.testing import CliRunner

MODULE = (
    DATA
    / "syria"
    / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"
)
pytestmark = pytest.mark.skipif(not MODULE.exists(), reason="shared data not present")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    from whoholds.cli import app

    path = str(tmp_path_factory.mktemp("store") / "st")
    r = CliRunner().invoke(app, ["ingest", str(MODULE), "--profile", "syria", "--date", "2017-07-20", "--store", path])
    assert r.exit_code == 0, r.output
    return path


def run(*args: str) -> tuple[int, str]:
    from whoholds.cli import app

    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout if r.exit_code == 0 else r.output


def test_settlement_counts_json(store):
    code, out = run(
        "settlement-counts", "--date", "2017-07-20", "--by", "coalition", "--store", store, "--format", "json"
    )
    assert code == 0, out
    rows = {r["group"]: r for r in json.loads(out)}
    assert rows["pro_government"]["count"] == 1796
    assert rows["pro_government"]["of_total"] == 4911


def test_markers_table(store):
    code, out = run("markers", "--store", store, "-t", "border_crossing,naval")
    assert code == 0, out
    assert "Al-Tanf Crossing" in out and "Port of Tartus" in out and "(27)" in out


def test_marker_changes_same_date(store):
    code, out = run("marker-changes", "2017-07-20", "2017-07-20", "--store", store, "--format", "csv")
    assert code == 0, out
    assert out.strip().splitlines()[0].startswith("change,name,feature_type")
    assert len(out.strip().splitlines()) == 1  # header only: nothing changed


def test_marker_changes_from_to_spelling(store):
    old = run("marker-changes", "2017-07-20", "2017-07-20", "--store", store, "--format", "csv")
    new = run("marker-changes", "--from", "2017-07-20", "--to", "2017-07-20", "--store", store, "--format", "csv")
    assert old == new and old[0] == 0


def test_estimate(store):
    code, out = run("estimate", "--date", "2017-07-20", "--store", store, "--methods", "voronoi,voronoi-capped")
    assert code == 0, out
    assert "Pro-government forces: between" in out and "Uninhabited" in out


def test_errors_are_one_line(store, tmp_path):
    code, out = run("settlement-counts", "--date", "2019-01-01", "--store", store)
    assert code == 2 and out.startswith("error:") and "nearest before: 2017-07-20" in out
    code, out = run("estimate", "--store", store, "--methods", "kriging")
    assert code == 2 and "unknown method" in out
    code, out = run("marker-changes", "2017-07-20", "2017-07-20", "--store", store, "--by", "region")
    assert code == 2 and "unknown grouping" in out
    code, out = run("markers", "--store", str(tmp_path / "empty"))
    assert code == 2 and out.startswith("error:")
