"""Store format 2: polygon snapshots are members of a content-addressed feature store (each distinct geometry
stored once), read back exactly as they were read; stores of format 1 (a GeoParquet file per snapshot) still
read, alone or mixed with format 2; two maps of one date in one ingest are named, and the later one is current."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from whoholds.ingest import ingest
from whoholds.io import read_maps
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store, atomic_write_parquet, snapshot_key
from whoholds.store_check import check_store

UKRAINE = load_profile("ukraine")
GEOD = Geod(ellps="WGS84")
OCCUPIED = "Окуповано /// Occupied"


def ring(x: float, y: float, w: float, h: float) -> list[list[float]]:
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]


def write_map(path: Path, *features: tuple[str, list]) -> Path:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [r]}}
        for name, r in features]}
    path.write_text(json.dumps(fc, ensure_ascii=False))
    return path


A = ring(36.0, 48.0, 0.5, 0.5)
B = ring(37.0, 48.0, 0.3, 0.4)
C = ring(38.0, 47.5, 0.2, 0.2)


def geod_km2(r: list[list[float]]) -> float:
    lon, lat = zip(*r, strict=True)
    return abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6


def test_shared_features_are_stored_once_and_read_back_exactly(tmp_path: Path) -> None:
    maps = [write_map(tmp_path / "m_2024-05-01.geojson", (OCCUPIED, A), (OCCUPIED, B)),
            write_map(tmp_path / "m_2024-05-02.geojson", (OCCUPIED, A), (OCCUPIED, C)),
            write_map(tmp_path / "m_2024-05-03.geojson", (OCCUPIED, B), (OCCUPIED, A), (OCCUPIED, C))]
    store = Store(tmp_path / "store")
    assert ingest(maps, UKRAINE, store, workers=1).ok
    assert store.rows("SELECT count(*) FROM feature_chunks")[0][0] == 3  # A, B and C once each
    assert store.rows("SELECT count(*), sum(len(features)) FROM members")[0] == (3, 7)  # a row per snapshot
    assert set(store.catalog()["file"]) == {"features"}
    assert not list((store.path / "snapshots").iterdir())  # no file per snapshot any more
    for path, (_, row) in zip(maps, store.catalog().iterrows(), strict=True):
        want = next(iter(read_maps([path], UKRAINE))).features  # the reader's frame, not through the store
        got = store.features(row)
        assert list(got.columns) == list(want.columns)
        plain = gpd.read_file(path)  # and GDAL's reading of the file
        assert got["label"].tolist() == plain["name"].tolist()
        assert shapely.equals(got.geometry.values, plain.geometry.values).all()
        assert got["state"].tolist() == want["state"].tolist() and got["label"].tolist() == want["label"].tolist()
        assert shapely.equals_exact(got.geometry.values, want.geometry.values, 0).all()
    areas = shares(store, UKRAINE, all_dates=True)
    occupied = areas[areas["group"] == "russia"].set_index("date")["area_km2"]
    expected = [geod_km2(A) + geod_km2(B), geod_km2(A) + geod_km2(C), geod_km2(A) + geod_km2(B) + geod_km2(C)]
    assert occupied.tolist() == pytest.approx(expected, rel=1e-4)
    assert check_store(store).healthy


def test_worker_processes_store_the_same_features(tmp_path: Path) -> None:
    maps = [write_map(tmp_path / f"m_2024-06-0{d}.geojson", (OCCUPIED, A), (OCCUPIED, ring(37.0, 48.0, 0.1 * d, 0.3)))
            for d in range(1, 6)]
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    assert ingest(maps, UKRAINE, one, workers=1).ok and ingest(maps, UKRAINE, two, workers=2).ok
    assert two.rows("SELECT count(*) FROM feature_chunks")[0][0] == 6  # A once, and five others
    rows_one, rows_two = one.catalog(), two.catalog()
    assert rows_one["id"].tolist() == rows_two["id"].tolist()
    for (_, r1), (_, r2) in zip(rows_one.iterrows(), rows_two.iterrows(), strict=True):
        f1, f2 = one.features(r1), two.features(r2)
        assert f1["state"].tolist() == f2["state"].tolist()
        assert shapely.equals_exact(f1.geometry.values, f2.geometry.values, 0).all()


def test_a_format_1_store_still_reads_and_takes_format_2_snapshots(tmp_path: Path) -> None:
    old = write_map(tmp_path / "m_2024-07-01.geojson", (OCCUPIED, A))
    new = write_map(tmp_path / "m_2024-07-02.geojson", (OCCUPIED, A), (OCCUPIED, B))
    store = Store(tmp_path / "store")
    snap = next(iter(read_maps([old], UKRAINE)))
    atomic_write_parquet(snap.features, store.files / f"{snapshot_key(snap)}.parquet")  # what format 1 wrote
    assert store.put(snap, file_written=True).status == "new"
    assert store.catalog()["file"].tolist() == [f"snapshots/{snapshot_key(snap)}.parquet"]
    store.close()
    store = Store(tmp_path / "store")  # reopened: no migration needed, nothing refused
    assert ingest([new], UKRAINE, store, workers=1).ok
    assert store.catalog()["file"].tolist()[1] == "features"
    areas = shares(store, UKRAINE, all_dates=True)
    occupied = areas[areas["group"] == "russia"]["area_km2"].tolist()
    assert occupied == pytest.approx([geod_km2(A), geod_km2(A) + geod_km2(B)], rel=1e-4)
    assert check_store(store).healthy


def test_two_maps_of_one_date_in_one_ingest_are_named_and_the_later_is_current(tmp_path: Path) -> None:
    first = write_map(tmp_path / "east_2024-08-01.geojson", (OCCUPIED, A))
    later = write_map(tmp_path / "west_2024-08-01.geojson", (OCCUPIED, B))
    store = Store(tmp_path / "store")
    report = ingest([first, later], UKRAINE, store, workers=1)
    assert [(r.status, r.version) for r in report.results] == [("new", 1), ("new_version", 2)]
    assert len(report.notices) == 1
    notice = report.notices[0]
    assert "\n" not in notice and first.name in notice and later.name in notice and "2024-08-01" in notice
    current = store.latest(dt.date(2024, 8, 1), "ukraine")
    assert current.version == 2 and Path(current.source).name == later.name
    again = ingest([first, later], UKRAINE, store, workers=1)  # nothing new: nothing to notice
    assert again.notices == []


def _format_1_store(tmp_path: Path, maps: list[Path]) -> Store:
    """A store as format 1 wrote it: one GeoParquet file per snapshot."""
    store = Store(tmp_path / "store")
    for path in maps:
        snap = next(iter(read_maps([path], UKRAINE)))
        atomic_write_parquet(snap.features, store.files / f"{snapshot_key(snap)}.parquet")
        store.put(snap, file_written=True)
    return store


def test_store_upgrade_rewrites_format_1_snapshots_with_the_same_figures(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    maps = [write_map(tmp_path / "m_2024-09-01.geojson", (OCCUPIED, A)),
            write_map(tmp_path / "m_2024-09-02.geojson", (OCCUPIED, A), (OCCUPIED, B))]
    store = _format_1_store(tmp_path, maps)
    before = {sid: store.features(row) for sid, (_, row) in zip(store.catalog()["id"], store.catalog().iterrows(),
                                                                strict=True)}
    store.close()
    result = CliRunner().invoke(app, ["store", "upgrade", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "2 snapshots rewritten" in result.output and "2 old files removed" in result.output
    store = Store(tmp_path / "store")
    assert set(store.catalog()["file"]) == {"features"} and not list(store.files.iterdir())
    assert store.rows("SELECT count(*) FROM feature_chunks")[0][0] == 2  # A once
    for _, row in store.catalog().iterrows():
        got, want = store.features(row), before[row["id"]]
        assert got["label"].tolist() == want["label"].tolist()
        assert shapely.equals_exact(got.geometry.values, want.geometry.values, 0).all()
    occupied = shares(store, UKRAINE, all_dates=True)
    occupied = occupied[occupied["group"] == "russia"]["area_km2"].tolist()
    assert occupied == pytest.approx([geod_km2(A), geod_km2(A) + geod_km2(B)], rel=1e-4)
    assert check_store(store).healthy


@pytest.mark.parametrize("crash_at", ["chunk written", "in the transaction"])
def test_store_upgrade_interrupted_leaves_every_snapshot_readable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  crash_at: str) -> None:
    import whoholds.store_members as sm
    from whoholds.store_upgrade import upgrade_store

    maps = [write_map(tmp_path / "m_2024-10-01.geojson", (OCCUPIED, A)),
            write_map(tmp_path / "m_2024-10-02.geojson", (OCCUPIED, B))]
    store = _format_1_store(tmp_path, maps)
    want = shares(store, UKRAINE, all_dates=True)["area_km2"].tolist()
    real_chunk, real_insert = sm.write_chunk, sm._insert_members

    def chunk_then_die(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        real_chunk(*args, **kwargs)
        raise KeyboardInterrupt  # killed right after the chunk file went in

    def die_inside(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        real_insert(*args, **kwargs)
        raise KeyboardInterrupt  # killed with the members written but not committed

    if crash_at == "chunk written":
        monkeypatch.setattr(sm, "write_chunk", chunk_then_die)
    else:
        monkeypatch.setattr(sm, "_insert_members", die_inside)
    with pytest.raises(KeyboardInterrupt):
        upgrade_store(store)
    monkeypatch.undo()
    store.close()
    store = Store(tmp_path / "store")  # as a new process would find it
    assert all(f.endswith(".parquet") for f in store.catalog()["file"])  # nothing half-done
    assert store.rows("SELECT count(*) FROM members")[0][0] == 0
    assert shares(store, UKRAINE, all_dates=True)["area_km2"].tolist() == pytest.approx(want, rel=1e-12)
    report = check_store(store)
    assert report.healthy and report.orphans == [f"features/{p.name}" for p in (store.path / "features").iterdir()]
    assert upgrade_store(store).converted == 2  # run again: finishes the job
    after = check_store(store)
    assert set(store.catalog()["file"]) == {"features"} and after.healthy
    assert after.orphans == [] and store.vacuum() == 0  # the chunk is content-addressed: written again, now used
    assert shares(store, UKRAINE, all_dates=True)["area_km2"].tolist() == pytest.approx(want, rel=1e-12)
