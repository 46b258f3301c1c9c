"""The readers on the real DeepStateMap files in ../shared/data (skipped when the data is not there)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA
from pyproj import Geod

from whoholds.io import GeometryCache, iter_sources, read_maps, read_source
from whoholds.profiles import load_profile

UKRAINE = load_profile("ukraine")
GEOD = Geod(ellps="WGS84")

#: Polygon labels of the raw feed that once went unmapped: a Wagner-mutiny layer over Rostov oblast
#: (Russia; 2 files of 2023-06-24) and a stray yellow "Polygon 54" off the Horn of Africa (2023-02-07).
PENDING = {
    'Під контролем бойовиків-повстанців пвк "вагнер" /// Under the control of rebels-militants wagner',
    "Багатокутник 54",
}


def data(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found at {path} (set WHOHOLDS_DATA)")
    return path


def manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def km2_by_state(snapshot) -> dict[str, float]:  # noqa: ANN001
    out: Counter[str] = Counter()
    for state, geom in zip(snapshot.features.state, snapshot.features.geometry, strict=True):
        out[state] += abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
    return dict(out)


def test_raw_feed_monthly_files() -> None:
    folder = data("ukraine", "deepstate_raw_feed_monthly")
    rows = {r["file"]: r for r in manifest(folder)}
    snaps = list(read_maps([folder], UKRAINE))
    assert len(snaps) == len(rows) == 41
    for snap in snaps:
        row = rows[Path(snap.source).name]
        assert snap.timestamp == dt.datetime.fromisoformat(row["snapshot_utc"].replace("Z", "+00:00"))
        assert snap.date == snap.timestamp.date()
        assert set(snap.unmapped) <= PENDING
        assert snap.dropped["points"] > 0
        assert {"occupied", "occupied_2014", "liberated", "unknown"} <= set(snap.features.state)
        assert snap.features.geometry.is_valid.all()
    assert [s.date for s in snaps] == sorted(s.date for s in snaps)
    later = [s for s in snaps if s.date >= dt.date(2024, 1, 1)]
    assert all(s.dropped.get("excluded:outside", 0) > 0 for s in later)  # other countries' layers


@pytest.mark.parametrize("stamp", ["2022-04-03", "2023-06-02", "2025-08-01"])
def test_fast_path_equals_gdal_on_real_files(stamp: str) -> None:
    (path,) = data("ukraine", "deepstate_raw_feed_monthly").glob(f"deepstate_raw_{stamp}_*.geojson.gz")
    (src,) = iter_sources([path])
    fast = read_source(src, UKRAINE, cache=GeometryCache())[0]
    gdal = read_source(src, UKRAINE, engine="gdal")[0]
    assert fast.features.state.tolist() == gdal.features.state.tolist()
    assert (fast.repairs, fast.dropped, fast.unmapped) == (gdal.repairs, gdal.dropped, gdal.unmapped)
    assert km2_by_state(fast) == km2_by_state(gdal)  # identical geometry, identical areas
    assert all(a.equals_exact(b, 0) for a, b in zip(fast.features.geometry, gdal.features.geometry, strict=True))


def test_cyterat_daily_files_and_the_merged_archive_agree() -> None:
    folder = data("ukraine", "deepstate_daily_occupied_cyterat")
    rows = manifest(folder)
    snaps = list(read_maps([folder], UKRAINE, unlabelled_state="occupied"))
    assert len(snaps) == len(rows) == 80
    assert [s.date.strftime("%Y%m%d") for s in snaps] == [r["date"] for r in rows]
    for snap in snaps:
        assert snap.features.state.tolist() == ["occupied"] and not snap.unmapped
        assert snap.repairs["unlabelled_as:occupied"] == 1
    merged = data("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    days = list(read_maps([merged], UKRAINE, unlabelled_state="occupied"))
    assert len(days) == 769 and len({s.content_hash for s in days}) == 769
    assert days[0].date == dt.date(2024, 7, 8) and days[-1].date == dt.date(2026, 8, 22)
    by_date = {s.date: s for s in days}
    dec1 = next(s for s in snaps if s.date == dt.date(2024, 12, 1))
    area = km2_by_state(dec1)["occupied"]
    assert area == pytest.approx(km2_by_state(by_date[dec1.date])["occupied"], rel=1e-12)
    assert 111_000 < area < 112_000  # SOURCES.md: ~111,181 km² in LAEA; this is the ellipsoidal area


def test_formerly_unmapped_labels_are_handled() -> None:
    """The Wagner-mutiny layer is another country's; Polygon 54 lies off Africa and is dropped as outside."""
    wagner = next(label for label in PENDING if "wagner" in label)
    assert UKRAINE.classify(wagner, "#ce93d8") == "outside"
    assert UKRAINE.classify("Окуповано /// Occupied", "#a52714") == "occupied"
    # Snake Island is a place, not a status: its fill decides.
    assert UKRAINE.classify("Зміїний /// Snake Island", "#a52714") == "occupied"
    assert UKRAINE.classify("Зміїний /// Snake Island", "#0f9d58") == "liberated"


@pytest.mark.slow
def test_whole_raw_feed_archive() -> None:
    archive = data("ukraine", "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz")
    unmapped: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    states: Counter[str] = Counter()
    n = 0
    for src in iter_sources([archive]):
        for snap in read_source(src, UKRAINE):
            n += 1
            assert snap.timestamp is not None and snap.date == snap.timestamp.date()
            unmapped.update(snap.unmapped)
            dropped.update(snap.dropped)
            states.update(snap.features.state)
    assert n == 1359
    assert not unmapped, unmapped  # every polygon label inside the boundary's box maps
    assert dropped["unmapped_outside_boundary"] == 1  # "Polygon 54", a stray shape off the Horn of Africa
    assert dropped["points"] == 344_603
    assert states["liberated"] > 0 and states["unknown"] > 0 and states["occupied_2014"] > 0
