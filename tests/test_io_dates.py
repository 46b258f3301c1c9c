"""Snapshot dates: CLI > feature property > file name; undated, future and unparsable dates are errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from whoholds.errors import InputError
from whoholds.io import date_from_name, parse_date_value, read_maps
from whoholds.io.dates import NO_DATE, group_rows
from whoholds.profiles import load_profile

UTC = dt.UTC


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("map_2024-12-01.geojson", dt.date(2024, 12, 1)),
        ("map_2024_12_01.geojson", dt.date(2024, 12, 1)),
        ("deepstatemap_data_20241201.geojson", dt.date(2024, 12, 1)),
        ("x.tar.xz::geojsons/2024-12-01/map.geojson", None),  # only the member's own file name counts
        ("archive_2020-01-01.tar::maps/2024.12.01.kml", dt.date(2024, 12, 1)),
        ("v12345678.geojson", None),  # not a date: month 56
        ("map.geojson", None),
    ],
)
def test_calendar_dates_in_names(name: str, day: dt.date | None) -> None:
    assert date_from_name(name) == (day, None)


def test_unix_timestamp_gives_date_and_utc_time() -> None:
    day, stamp = date_from_name("feed.tar.xz::geojsons/1648989208.geojson")
    assert day == dt.date(2022, 4, 3)
    assert stamp == dt.datetime(2022, 4, 3, 12, 33, 28, tzinfo=UTC)


def test_calendar_date_and_timestamp_together() -> None:
    day, stamp = date_from_name("deepstate_raw_2022-04-03_1648989208.geojson.gz")
    assert day == dt.date(2022, 4, 3) and stamp is not None and stamp.hour == 12
    with pytest.raises(InputError, match="disagree"):
        date_from_name("raw_2023-04-03_1648989208.geojson")


def test_out_of_range_numbers_are_not_timestamps() -> None:
    assert date_from_name("layer_9999999999.geojson") == (None, None)  # year 2286
    assert date_from_name("id_0123456789.geojson") == (None, None)  # 1973


def test_several_dates_in_a_name_are_an_error() -> None:
    with pytest.raises(InputError, match="several dates"):
        date_from_name("maps_2022-04-03_2025-08-03.geojson")


def test_future_date_in_name_is_an_error() -> None:
    future = dt.datetime.now(UTC).date() + dt.timedelta(days=3)
    with pytest.raises(InputError, match="in the future"):
        date_from_name(f"map_{future.isoformat()}.geojson")


@pytest.mark.parametrize(
    ("value", "day", "has_time"),
    [
        ("2024-07-08", dt.date(2024, 7, 8), False),
        ("20240708", dt.date(2024, 7, 8), False),
        (20240708, dt.date(2024, 7, 8), False),
        ("2024-07-08T06:30:00Z", dt.date(2024, 7, 8), True),
        ("2024-07-08T23:30:00-02:00", dt.date(2024, 7, 9), True),
        (1720420200, dt.date(2024, 7, 8), True),
        (dt.date(2024, 7, 8), dt.date(2024, 7, 8), False),
        (dt.datetime(2024, 7, 8, 0, 0), dt.date(2024, 7, 8), False),
    ],
)
def test_property_values(value: object, day: dt.date, has_time: bool) -> None:
    got, stamp = parse_date_value(value, "f.geojson")
    assert got == day and (stamp is not None) == has_time


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "31/12/2024x", 12.5, ""])
def test_unparsable_property_values_name_the_file_and_value(value: object) -> None:
    with pytest.raises(InputError) as err:
        parse_date_value(value, "f.geojson")
    assert err.value.source == "f.geojson" and repr(value) in err.value.problem


def test_group_rows_precedence() -> None:
    # no property: the file name
    assert group_rows("m_2024-01-02.geojson", 2, [], None, None) == {(dt.date(2024, 1, 2), None): [0, 1]}
    # property beats the file name
    got = group_rows("m_2024-01-02.geojson", 2, ["2024-03-01", "2024-03-01"], "date", None)
    assert got == {(dt.date(2024, 3, 1), None): [0, 1]}
    # explicit date beats both (one date in the file)
    got = group_rows("m_2024-01-02.geojson", 2, ["2024-03-01", "2024-03-01"], "date", dt.date(2024, 5, 5))
    assert list(got) == [(dt.date(2024, 5, 5), None)]
    # several dates: one group each; an explicit date selects one
    got = group_rows("m.geojson", 3, ["2024-03-01", "2024-03-02", "2024-03-01"], "date", None)
    assert got == {(dt.date(2024, 3, 1), None): [0, 2], (dt.date(2024, 3, 2), None): [1]}
    got = group_rows("m.geojson", 3, ["2024-03-01", "2024-03-02", "2024-03-01"], "date", dt.date(2024, 3, 2))
    assert got == {(dt.date(2024, 3, 2), None): [1]}
    with pytest.raises(InputError, match="2024-04-01 is not one of them"):
        group_rows("m.geojson", 2, ["2024-03-01", "2024-03-02"], "date", dt.date(2024, 4, 1))
    with pytest.raises(InputError, match="1 of 2 polygon features have no 'date'"):
        group_rows("m.geojson", 2, ["2024-03-01", None], "date", None)
    with pytest.raises(InputError) as err:
        group_rows("map.geojson", 1, [], None, None)
    assert err.value.problem == NO_DATE


def _fc(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _feature(name: str, x: float, props: dict | None = None) -> dict:
    ring = [[x, 47.0], [x + 0.5, 47.0], [x + 0.5, 47.5], [x, 47.0]]
    return {"type": "Feature", "properties": {"name": name, **(props or {})},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def test_read_undated_file_is_an_error(tmp_path: Path) -> None:
    path = _fc(tmp_path / "control.geojson", [_feature("Окуповано", 37)])
    with pytest.raises(InputError) as err:
        list(read_maps([path], load_profile("ukraine")))
    assert err.value.source == str(path)
    assert "no snapshot date: pass --date" in err.value.problem


def test_cli_date_overrides_and_future_cli_date_is_refused(tmp_path: Path) -> None:
    path = _fc(tmp_path / "control_2024-01-02.geojson", [_feature("Окуповано", 37)])
    profile = load_profile("ukraine")
    (snap,) = read_maps([path], profile, date=dt.date(2023, 6, 1))
    assert snap.date == dt.date(2023, 6, 1)
    with pytest.raises(InputError, match="in the future"):
        list(read_maps([path], profile, date=dt.datetime.now(UTC).date() + dt.timedelta(days=1)))


def test_multi_date_file_splits_with_distinct_hashes(tmp_path: Path) -> None:
    path = _fc(
        tmp_path / "daily.geojson",
        [_feature("Окуповано", 37, {"date": "2024-07-08"}), _feature("Окуповано", 38, {"date": "2024-07-09"})],
    )
    profile = load_profile("ukraine")
    snaps = list(read_maps([path], profile))
    assert [s.date for s in snaps] == [dt.date(2024, 7, 8), dt.date(2024, 7, 9)]
    assert len({s.content_hash for s in snaps}) == 2
    assert all(len(s.features) == 1 for s in snaps)
    (one,) = read_maps([path], profile, date=dt.date(2024, 7, 9))
    assert one.content_hash == snaps[1].content_hash


def test_future_property_date_is_an_error(tmp_path: Path) -> None:
    future = (dt.datetime.now(UTC).date() + dt.timedelta(days=30)).isoformat()
    path = _fc(tmp_path / "f.geojson", [_feature("Окуповано", 37, {"date": future})])
    with pytest.raises(InputError, match=f"{future} is in the future"):
        list(read_maps([path], load_profile("ukraine")))
