"""The Store interface on both kinds (embedded folder and PostgreSQL/PostGIS): the same calls, the same answers,
the same errors. Each test runs once per kind (fixture ``any_store``; the PostgreSQL runs are skipped only
when no server can be started, see tests/pg_server.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from whoholds.errors import QueryError, StoreError
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store_check import check_store, remove_snapshots, snapshot_ids

UKRAINE = load_profile("ukraine")


def small_map(path: Path, x0: float) -> Path:
    """One occupied 0.5° × 0.5° square in eastern Ukraine."""
    ring = [[x0, 48.0], [x0 + 0.5, 48.0], [x0 + 0.5, 48.5], [x0, 48.5], [x0, 48.0]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Окуповано /// Occupied"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    return path


def test_reingest_is_a_noop_and_changed_content_a_new_version(any_store, tmp_path):
    f = small_map(tmp_path / "map_2024-05-01.geojson", 36.0)
    assert [r.status for r in ingest([f], UKRAINE, any_store).results] == ["new"]
    assert [r.status for r in ingest([f], UKRAINE, any_store).results] == ["unchanged"]
    small_map(f, 36.2)
    changed = ingest([f], UKRAINE, any_store).results
    assert [(r.status, r.version) for r in changed] == [("new_version", 2)]
    assert len(any_store.catalog()) == 2
    snap = any_store.latest(dt.date(2024, 5, 1), "ukraine")
    assert snap.version == 2 and snap.features.geometry.iloc[0].bounds[0] == pytest.approx(36.2)


def test_catalog_queries_and_their_errors(any_store, tmp_path):
    with pytest.raises(StoreError, match="no ukraine snapshots"):
        any_store.latest_row(dt.date(2024, 5, 1), "ukraine")
    for day, x0 in (("2024-05-01", 36.0), ("2024-05-10", 36.5)):
        ingest([small_map(tmp_path / f"m_{day}.geojson", x0)], UKRAINE, any_store)
    assert any_store.dates("ukraine") == [dt.date(2024, 5, 1), dt.date(2024, 5, 10)]
    assert any_store.profiles() == ["ukraine"] and any_store.latest_date("ukraine") == dt.date(2024, 5, 10)
    row, dist = any_store.nearest_row(dt.date(2024, 5, 4), "ukraine")
    assert (row["date"], dist) == (dt.date(2024, 5, 1), -3)
    row, dist = any_store.nearest_row(dt.date(2024, 5, 7), "ukraine")
    assert (row["date"], dist) == (dt.date(2024, 5, 10), 3)
    assert any_store.on_or_before(dt.date(2024, 5, 9), "ukraine").date == dt.date(2024, 5, 1)
    with pytest.raises(QueryError, match="nearest before: 2024-05-01; nearest after: 2024-05-10"):
        any_store.latest(dt.date(2024, 5, 5), "ukraine")
    assert any_store.stamp()[0] == 2


def test_a_failed_write_leaves_the_store_as_it_was(any_store, tmp_path):
    ingest([small_map(tmp_path / "a_2024-05-01.geojson", 36.0)], UKRAINE, any_store)
    before = any_store.table("areas")
    assert len(before)
    with pytest.raises(RuntimeError, match="disk full"), any_store.transaction():
        any_store.execute("DELETE FROM areas")
        raise RuntimeError("disk full")
    pd.testing.assert_frame_equal(any_store.table("areas"), before)


def test_figures_and_removal(any_store, tmp_path):
    """An occupied 0.5° square: its area from the store equals the geodesic area of the square."""
    from pyproj import Geod

    for day, x0 in (("2024-05-01", 36.0), ("2024-05-02", 36.1), ("2024-05-03", 36.2)):
        ingest([small_map(tmp_path / f"m_{day}.geojson", x0)], UKRAINE, any_store)
    frame = shares(any_store, UKRAINE, dt.date(2024, 5, 2), by="state").set_index("group")
    # a map's edges are geodesics (as GeoJSON readers densify them): pyproj's geodesic polygon of the corners
    want = abs(Geod(ellps="WGS84").polygon_area_perimeter([36.1, 36.6, 36.6, 36.1], [48.0, 48.0, 48.5, 48.5])[0]) / 1e6
    assert 2000 < want < 2100 and frame.loc["occupied", "area_km2"] == pytest.approx(want, rel=1e-6)
    assert check_store(any_store).healthy and check_store(any_store).ok == 3
    middle = snapshot_ids(any_store, date=dt.date(2024, 5, 2))
    remove_snapshots(any_store, middle)
    assert any_store.dates("ukraine") == [dt.date(2024, 5, 1), dt.date(2024, 5, 3)]
    ids = set(any_store.table("areas")["snapshot_id"]) | set(any_store.table("transfers")["to_id"])
    assert middle[0] not in ids  # no figure of, or across, the removed snapshot
    assert any_store.boundary_meta("ukraine") is None or "id" in any_store.boundary_meta("ukraine")
