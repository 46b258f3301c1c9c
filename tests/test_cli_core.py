"""The core commands end to end: one-line errors, nothing stored from bad input, figures printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import data_path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "whoholds", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in " ".join(lines[0].split()), lines[0]


def feature_collection(ring, name="Окуповано /// Occupied"):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}


GOOD_RING = [[36.0, 48.0], [36.5, 48.0], [36.5, 48.5], [36.0, 48.5], [36.0, 48.0]]


@pytest.fixture()
def store_with_one(tmp_path):
    good = tmp_path / "front_2024-05-01.geojson"
    good.write_text(json.dumps(feature_collection(GOOD_RING)))
    store = tmp_path / "store"
    proc = run("ingest", str(good), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    return store


def catalog_ids(store: Path) -> list[str]:
    from whoholds.store import Store

    with Store(store, create=False) as st:
        return sorted(st.catalog()["id"])


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("truncated_2024-05-02.geojson", '{"type": "FeatureCollection", "features": [{"type": "Fea', "truncated_2024"),
        ("empty_2024-05-02.geojson", "", "empty"),
        ("undated.geojson", json.dumps(feature_collection(GOOD_RING)), "no snapshot date"),
        ("future_2099-01-01.geojson", json.dumps(feature_collection(GOOD_RING)), "future"),
        ("swapped_2024-05-02.geojson", json.dumps(feature_collection([[y, x] for x, y in GOOD_RING])), "swapped"),
        ("projected_2024-05-02.geojson",
         json.dumps(feature_collection([[x * 100000, y * 100000] for x, y in GOOD_RING])), "projected"),
        ("nolabel_2024-05-02.geojson", json.dumps(feature_collection(GOOD_RING, name="Something else")),
         "recognises"),
    ],
)
def test_bad_input_is_one_line_and_store_unchanged(store_with_one, tmp_path, name, content, needle):
    before = catalog_ids(store_with_one)
    bad = tmp_path / name
    bad.write_text(content)
    proc = run("ingest", str(bad), "--store", str(store_with_one))
    one_line_error(proc, name)
    assert needle.lower() in proc.stderr.lower(), proc.stderr
    assert catalog_ids(store_with_one) == before


def test_query_errors_are_one_line(store_with_one, tmp_path):
    one_line_error(run("shares", "--store", str(store_with_one), "--date", "2024-05-09"), "nearest before: 2024-05-01")
    one_line_error(run("shares", "--store", str(store_with_one), "--date", "yesterday"), "not a date")
    one_line_error(run("shares", "--store", str(tmp_path / "nowhere")), "no store here")
    one_line_error(run("shares", "--store", str(store_with_one), "--by", "party"), "unknown grouping")
    one_line_error(run("shares", "--store", str(store_with_one), "--format", "parquet"), "needs an output file")
    one_line_error(run("ingest", str(tmp_path / "missing.geojson"), "--store", str(store_with_one)), "missing.geojson")
    one_line_error(run("ingest", "x.geojson", "--profile", "narnia", "--store", str(store_with_one)), "narnia")


def test_ingest_reports_and_shares_print(tmp_path):
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    store = tmp_path / "store"
    proc = run("ingest", str(folder), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "41 new" in proc.stdout and "unmapped labels: none" in proc.stdout
    again = run("ingest", str(folder), "--store", str(store))
    assert "41 unchanged" in " ".join(again.stdout.split())
    shares = run("shares", "--store", str(store), "--date", "2024-12-01", "--format", "json")
    rows = {r["group"]: r for r in json.loads(shares.stdout)}
    assert set(rows) == {"russia", "ukraine", "unknown"}
    assert sum(r["share_pct"] for r in rows.values()) == pytest.approx(100, abs=1e-6)
    assert rows["russia"]["source"].endswith("deepstate_raw_2024-12-01_1733089579.geojson.gz")
    listing = run("snapshots", "--store", str(store), "--format", "csv")
    assert listing.returncode == 0 and listing.stdout.count("\n") == 42
