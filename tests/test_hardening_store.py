"""A store cannot be poisoned, and a damaged one is detected and repaired: wrong-profile input is refused,
snapshots can be removed (caches follow), missing files are found and restored by re-ingesting."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import data_path
from pyproj import Geod

from whoholds.errors import InputError, StoreError
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store
from whoholds.store_check import check_store, remove_snapshots, snapshot_ids

UKRAINE = load_profile("ukraine")
GEOD = Geod(ellps="WGS84")


def square(x: float, y: float, size: float) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def write_map(folder: Path, day: str, *squares: tuple[str, list]) -> Path:
    path = folder / f"control_{day}.geojson"
    features = [{"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [r]}}
                for name, r in squares]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return path


@pytest.fixture
def three(tmp_path: Path) -> tuple[Store, list[Path]]:
    """A store with three dated snapshots of growing occupied squares (areas computed)."""
    maps = [write_map(tmp_path, f"2024-0{m}-01", ("Окуповано", square(37.5, 47.8, 0.2 * m))) for m in (1, 2, 3)]
    store = Store(tmp_path / "store")
    report = ingest(maps, UKRAINE, store, workers=1)
    assert report.ok and report.count("new") == 3
    return store, maps


def feature_file(store: Store, sid: str) -> Path:
    """The one file a snapshot's features are in: its GeoParquet file (store format 1) or the chunk file of
    the content-addressed feature store (format 2) its features were stored in."""
    (rel,) = {r[0] for r in store.rows("SELECT c.chunk FROM (SELECT unnest(features) AS feature FROM members WHERE "
                                       "snapshot_id = ?) m JOIN feature_chunks c ON c.id = m.feature", [sid])}
    return store.path / rel


def _occupied(frame) -> dict[dt.date, float]:  # noqa: ANN001
    rows = frame[frame["group"] == "russia"]
    return {pd_date: km2 for pd_date, km2 in zip(rows["date"], rows["area_km2"], strict=True)}


def test_wrong_profile_marker_module_is_refused_and_the_series_still_works(three) -> None:
    store, _ = three
    module = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    before = store.catalog()
    report = ingest([module], UKRAINE, store, dt.date(2024, 2, 15), workers=1)
    assert len(report.errors) == 1 and "wrong --profile" in str(report.errors[0])
    assert str(module) in str(report.errors[0])
    assert store.catalog()["id"].tolist() == before["id"].tolist()
    assert len(shares(store, UKRAINE, all_dates=True)) > 0  # the whole series still answers


def test_remove_snapshot_drops_row_file_and_caches_and_figures_recompute(three, tmp_path: Path) -> None:
    store, maps = three
    full = shares(store, UKRAINE, all_dates=True)
    assert len(set(full["date"])) == 3
    middle = store.current("ukraine").iloc[1]
    files = remove_snapshots(store, snapshot_ids(store, [middle["id"][:8]]))
    assert middle["file"] == "features" and files == []  # its features are shared, content-addressed
    assert middle["id"] not in store.catalog()["id"].tolist()
    assert store.rows("SELECT count(*) FROM members WHERE snapshot_id = ?", [middle["id"]])[0][0] == 0
    for table, col in (("areas", "snapshot_id"), ("transfers", "from_id"), ("transfers", "to_id")):
        n = store.con.execute(f"SELECT count(*) FROM {table} WHERE {col} = ?", [middle["id"]]).fetchone()[0]
        assert n == 0, table
    # Independent reference: a fresh store that never held the middle snapshot.
    fresh = Store(tmp_path / "fresh")
    ingest([maps[0], maps[2]], UKRAINE, fresh, workers=1)
    got, want = _occupied(shares(store, UKRAINE, all_dates=True)), _occupied(shares(fresh, UKRAINE, all_dates=True))
    assert got.keys() == want.keys() and len(got) == 2
    for day in got:
        assert got[day] == pytest.approx(want[day], rel=1e-9)
    lon, lat = zip(*square(37.5, 47.8, 0.6), strict=True)
    assert max(got.values()) == pytest.approx(abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6, rel=1e-4)


def test_remove_by_date_and_unknown_ids(three) -> None:
    store, _ = three
    ids = snapshot_ids(store, date=dt.date(2024, 3, 1), profile="ukraine")
    assert len(ids) == 1
    remove_snapshots(store, ids)
    assert dt.date(2024, 3, 1) not in store.dates("ukraine")
    with pytest.raises(Exception, match="no snapshot"):
        snapshot_ids(store, ["ffffffffffff"])
    with pytest.raises(Exception, match="no snapshot on this date"):
        snapshot_ids(store, date=dt.date(2024, 3, 1))


def test_missing_file_is_detected_never_served_and_restored_by_reingest(three) -> None:
    store, maps = three
    assert check_store(store).healthy
    rows = store.current("ukraine")
    path = feature_file(store, rows["id"].iloc[0])
    path.unlink()
    report = check_store(store)
    # one ingest batch stored the three maps' features in one chunk: all three snapshots lost features
    assert report.missing == [(sid, f"features/{path.name}") for sid in rows["id"]] and not report.healthy
    with pytest.raises(StoreError, match="missing or damaged"):
        shares(store, UKRAINE, all_dates=True)  # the cached areas exist, but their features are gone
    again = ingest(maps, UKRAINE, store, workers=1)
    assert again.ok and [r.status for r in again.results] == ["unchanged"] * 3
    assert check_store(store).healthy
    assert len(shares(store, UKRAINE, all_dates=True)) > 0


def test_truncated_file_is_detected_and_restored(three) -> None:
    store, maps = three
    rows = store.current("ukraine")
    path = feature_file(store, rows["id"].iloc[2])
    path.write_bytes(path.read_bytes()[:200])
    assert check_store(store).missing == []
    assert check_store(store).changed == [(sid, f"features/{path.name}") for sid in rows["id"]]
    with pytest.raises(StoreError):
        shares(store, UKRAINE, all_dates=True)
    ingest(maps, UKRAINE, store, workers=1)
    assert check_store(store).healthy


def test_read_only_store_is_refused_before_any_work(three, monkeypatch: pytest.MonkeyPatch) -> None:
    store, maps = three
    monkeypatch.setattr("os.access", lambda *a, **k: False)  # root ignores permission bits: simulate
    with pytest.raises(StoreError, match="not writable"):
        ingest(maps, UKRAINE, store, workers=1)


def test_snapshots_remove_and_store_check_commands(three) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    store, _ = three
    path = str(store.path)
    sid = store.current("ukraine").iloc[0]["id"]
    store.close()
    runner = CliRunner()
    ok = runner.invoke(app, ["store", "check", "--store", path])
    assert ok.exit_code == 0 and "3 files ok" in ok.stdout
    gone = runner.invoke(app, ["snapshots", "remove", sid, "--store", path])
    assert gone.exit_code == 0 and "removed 1 snapshot" in gone.stdout
    listing = runner.invoke(app, ["snapshots", "--store", path, "--format", "csv"])
    assert listing.exit_code == 0 and sid not in listing.stdout and listing.stdout.count("\n") == 3
    bad = runner.invoke(app, ["snapshots", "remove", "--store", path])
    assert bad.exit_code == 2


def test_same_area_as_two_states_warns_with_independent_km2(tmp_path: Path) -> None:
    from whoholds.io import read_maps

    path = write_map(tmp_path, "2024-03-01", ("Окуповано", square(37.5, 47.8, 0.4)),
                     ("Статус невідомий", square(37.7, 47.9, 0.4)))
    (snap,) = read_maps([path], UKRAINE)
    lon, lat = zip(*[[37.7, 47.9], [37.9, 47.9], [37.9, 48.2], [37.7, 48.2], [37.7, 47.9]], strict=True)
    want = abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6
    (key,) = [k for k in snap.repairs if "same area" in k]
    assert "occupied" in key and "unknown" in key
    assert snap.repairs[key] == pytest.approx(want, abs=1)


def test_map_mostly_outside_the_country_is_flagged_or_refused(tmp_path: Path) -> None:
    from whoholds.io import read_maps

    inside = ("Окуповано", square(37.5, 47.8, 0.1))
    outside = ("Окуповано", square(41.5, 52.0, 0.5))  # in Russia, east of Ukraine's boundary box
    (snap,) = read_maps([write_map(tmp_path, "2024-03-01", inside, outside)], UKRAINE)
    (key,) = [k for k in snap.repairs if "outside the boundary" in k]
    lon, lat = zip(*outside[1], strict=True)
    assert snap.repairs[key] == pytest.approx(abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6, rel=1e-3)
    with pytest.raises(InputError, match="outside profile 'ukraine'"):
        list(read_maps([write_map(tmp_path, "2024-03-02", ("Окуповано", square(30.0, 53.0, 0.5)))], UKRAINE))


def test_cp1251_labels_are_decoded_and_classified(tmp_path: Path) -> None:
    from whoholds.io import read_maps

    path = write_map(tmp_path, "2024-03-01", ("Окуповано", square(37.5, 47.8, 0.2)))
    path.write_bytes(path.read_text("utf-8").encode("cp1251"))
    (snap,) = read_maps([path], UKRAINE)
    assert snap.features["state"].tolist() == ["occupied"]
    assert snap.features["label"].tolist() == ["Окуповано"]
    assert snap.repairs.get("text decoded from cp1251") == 1


def test_a_store_poisoned_by_an_older_version_is_cured_by_remove(three, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the fit check now prevents, made by hand: Syria's module stored under the Ukraine profile breaks
    the whole series; `snapshots remove --date` takes it out and the series answers again."""
    from typer.testing import CliRunner

    from whoholds.cli import app

    store, _ = three
    module = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    with monkeypatch.context() as m:
        m.setattr("whoholds.io.readers.check_fit", lambda name, snaps, profile: snaps)
        assert ingest([module], UKRAINE, store, dt.date(2024, 2, 15), workers=1).ok
    path = str(store.path)
    store.close()
    runner = CliRunner()
    broken = runner.invoke(app, ["shares", "--all", "--store", path])
    assert broken.exit_code == 2 and "Traceback" not in broken.stderr
    cured = runner.invoke(app, ["snapshots", "remove", "--date", "2024-02-15", "--store", path])
    assert cured.exit_code == 0, cured.stderr
    for cmd in (["shares", "--all"], ["timeline", "--format", "csv"]):
        result = runner.invoke(app, [*cmd, "--store", path])
        assert result.exit_code == 0, (cmd, result.stderr)


@pytest.mark.parametrize("data", [b'\xc6\xe3\x98B\x05\xf2\x9f\xf6\xba\xd5)\n\xa3',  # found by benchmarks/fuzz.py
                                  b"\xff\xfe{\x00", b"\xef\xbb\xbf", b"\x00\x00\x00{"])
def test_undecodable_bytes_are_one_line_errors(data: bytes) -> None:
    from whoholds.io import Source, read_source

    with pytest.raises(InputError):
        read_source(Source("x.geojson", data, None, "geojson"), UKRAINE, dt.date(2024, 3, 1))


def test_border_crossing_polygon_outside_part_is_measured(tmp_path: Path) -> None:
    """A square mostly in Belarus that dips into Ukraine: the part outside, checked against an independent
    equal-area (LAEA) computation with geopandas."""
    import geopandas as gpd
    import shapely

    from whoholds.geometry.boundary import load_boundary
    from whoholds.io import read_maps

    ring = square(27.0, 51.3, 1.0)  # across Ukraine's northern border near Mozyr: more than half in Belarus
    (snap,) = read_maps([write_map(tmp_path, "2024-03-01", ("Окуповано", ring),
                                   ("Окуповано", square(37.5, 47.8, 0.05)))], UKRAINE)
    (key,) = [k for k in snap.repairs if "outside the boundary" in k]
    outside = shapely.difference(shapely.Polygon(ring), load_boundary(UKRAINE).geometry)
    laea = "+proj=laea +lat_0=51.5 +lon_0=27.5 +ellps=WGS84"
    want = float(gpd.GeoSeries([outside], crs=4326).to_crs(laea).area.iloc[0]) / 1e6
    lon, lat = zip(*ring, strict=True)
    assert 0.5 < want / (abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6) < 0.99  # crosses, mostly outside
    assert snap.repairs[key] == pytest.approx(want, rel=2e-3)
