"""Timelines on small hand-made archives whose answers are known: periods follow the agencies' convention,
gaps are reported and never filled, suspect snapshots are found from the data and can be excluded."""

from __future__ import annotations

import datetime as dt
import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from whoholds import load_profile
from whoholds.errors import QueryError, StoreError
from whoholds.geometry.boundary import Boundary
from whoholds.metrics.timeline import (
    CONVENTION_PERIODS,
    SuspectRules,
    find_gaps,
    period_bounds,
    timeline,
)
from whoholds.store import Store
from whoholds.types import Snapshot

GEOD = Geod(ellps="WGS84")
UKR = load_profile("ukraine")
# Edges are cut below 1 km (whoholds densifies longer edges along geodesics), so boxes keep their parallels.
BOUNDARY = Boundary("test:box", "Test box", shapely.segmentize(shapely.box(30, 48, 34, 49), 0.01), "toy", "test")


def ref_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.001))[0]) / 1e6


def strip(x0: float, x1: float) -> shapely.Polygon:
    return shapely.box(x0, 48, x1, 49)


def put(store: Store, day: str, hour: int | None = None, **states: shapely.Geometry) -> None:
    geoms = [shapely.segmentize(g, 0.01) for g in states.values()]
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=geoms, crs="EPSG:4326")
    ts = dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00") if hour is not None else None
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in geoms) + day.encode() + str(hour).encode())
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", "polygons", f, digest.hexdigest(),
                       timestamp=ts))


def rows(result, group: str) -> pd.DataFrame:
    return result.frame[result.frame["group"] == group].reset_index(drop=True)


@pytest.fixture()
def store(tmp_path):
    st = Store(tmp_path / "store")
    yield st
    st.close()


def test_snapshot_timeline_known_gains_losses_and_areas(store):
    put(store, "2024-01-31", occupied=strip(30, 31))
    put(store, "2024-02-10", occupied=strip(30, 31.2))                          # +31-31.2
    put(store, "2024-02-20", occupied=strip(30, 31).union(strip(31.5, 31.6)))   # -31-31.2, +31.5-31.6
    put(store, "2024-02-29", occupied=strip(30, 31).union(strip(31.5, 31.6)), unknown=strip(31.6, 31.7))
    res = timeline(store, UKR, boundary=BOUNDARY)
    occ = rows(res, "occupied")
    assert list(occ["date"]) == [dt.date(2024, 1, 31), dt.date(2024, 2, 10), dt.date(2024, 2, 20),
                                 dt.date(2024, 2, 29)]
    assert np.isnan(occ.loc[0, "gains_km2"])
    assert occ.loc[1, "gains_km2"] == pytest.approx(ref_km2(strip(31, 31.2)), rel=1e-6)
    assert occ.loc[2, "gains_km2"] == pytest.approx(ref_km2(strip(31.5, 31.6)), rel=1e-6)
    assert occ.loc[2, "losses_km2"] == pytest.approx(ref_km2(strip(31, 31.2)), rel=1e-6)
    assert occ.loc[3, "area_km2"] == pytest.approx(ref_km2(strip(30, 31)) + ref_km2(strip(31.5, 31.6)), rel=1e-6)
    grey = rows(res, "unknown")
    assert grey.loc[3, "gains_km2"] == pytest.approx(ref_km2(strip(31.6, 31.7)), rel=1e-6)
    assert grey.loc[0, "area_km2"] == 0.0  # a group is present on every date, with 0 where it holds nothing
    held = rows(res, "held")
    assert held.loc[3, "losses_km2"] == pytest.approx(ref_km2(strip(31.6, 31.7)), rel=1e-6)
    # net is the change of area, shares add up to 100 %
    for g in ("occupied", "held", "unknown"):
        r = rows(res, g)
        assert np.allclose(r["net_km2"][1:], np.diff(r["area_km2"]), atol=1e-6)
    total = res.frame.groupby("date")["share_pct"].sum()
    assert np.allclose(total, 100.0, atol=1e-6)
    assert res.convention.startswith("each snapshot compared with the previous one")
    assert {"date", "group", "area_km2", "share_pct", "gains_km2", "losses_km2", "net_km2", "suspect",
            "suspect_reason"} <= set(res.frame.columns)


def test_monthly_period_compares_boundaries_and_ignores_reversed_changes(store):
    put(store, "2024-01-31", occupied=strip(30, 31))
    put(store, "2024-02-10", occupied=strip(30, 31.2))
    put(store, "2024-02-20", occupied=strip(30, 31).union(strip(31.5, 31.6)))
    put(store, "2024-03-15", occupied=strip(30, 31).union(strip(31.5, 31.8)))
    res = timeline(store, UKR, start="2024-02-01", end="2024-03-31", every="month", boundary=BOUNDARY)
    occ = rows(res, "occupied")
    assert list(occ["date"]) == [dt.date(2024, 2, 29), dt.date(2024, 3, 31)]
    feb = occ.iloc[0]
    # Feb: last snapshot on or before Jan 31 vs last on or before Feb 29; 31-31.2 came and went: not counted
    assert feb["from_date"] == dt.date(2024, 1, 31) and feb["to_date"] == dt.date(2024, 2, 20)
    assert feb["gains_km2"] == pytest.approx(ref_km2(strip(31.5, 31.6)), rel=1e-6)
    assert feb["losses_km2"] == pytest.approx(0.0, abs=1e-6)
    mar = occ.iloc[1]
    assert mar["gains_km2"] == pytest.approx(ref_km2(strip(31.6, 31.8)), rel=1e-6)
    assert mar["period_start"] == dt.date(2024, 3, 1)
    assert res.convention == CONVENTION_PERIODS.format(unit="month")
    assert "last snapshot on or before" in res.convention
    # weekly: the week holding Feb 10 shows the gain, the next one the recapture
    wk = rows(timeline(store, UKR, start="2024-02-05", end="2024-02-25", every="week", boundary=BOUNDARY),
              "occupied")
    assert wk.loc[0, "gains_km2"] == pytest.approx(ref_km2(strip(31, 31.2)), rel=1e-6)
    assert wk.loc[2, "losses_km2"] == pytest.approx(ref_km2(strip(31, 31.2)), rel=1e-6)


def test_days_without_snapshots_are_gaps_and_carried_not_interpolated(store):
    for day, x in (("2024-05-01", 31.0), ("2024-05-02", 31.1), ("2024-05-04", 31.2), ("2024-05-05", 31.3),
                   ("2024-05-06", 31.4), ("2024-05-20", 31.5), ("2024-05-21", 31.6)):
        put(store, day, occupied=strip(30, x))
    res = timeline(store, UKR, every="day", boundary=BOUNDARY)
    gaps = res.gaps
    assert list(gaps["after"]) == [dt.date(2024, 5, 2), dt.date(2024, 5, 6)]
    assert list(gaps["missing_days"]) == [1, 13]
    assert list(gaps["kind"]) == ["missing days", "long hole"]
    occ = rows(res, "occupied").set_index("date")
    # May 3 has no snapshot: it repeats May 2's (flagged), and May 4 shows the change of both days
    assert bool(occ.loc[dt.date(2024, 5, 3), "carried"]) is True
    assert occ.loc[dt.date(2024, 5, 3), "gains_km2"] == 0.0
    assert occ.loc[dt.date(2024, 5, 3), "to_date"] == dt.date(2024, 5, 2)
    assert occ.loc[dt.date(2024, 5, 4), "gains_km2"] == pytest.approx(ref_km2(strip(31.1, 31.2)), rel=1e-6)
    assert any("not interpolated" in n for n in res.notes)
    assert find_gaps([]).empty


def test_spike_reversed_by_the_next_snapshot_is_flagged_and_can_be_excluded(store):
    days = pd.date_range("2024-06-01", periods=12, freq="D").date
    for i, day in enumerate(days):
        x = 31 + 0.01 * i
        if i == 6:  # a bad day: a big block wrongly drawn, gone the next day
            put(store, day.isoformat(), occupied=strip(30, x).union(strip(32, 33)))
        else:
            put(store, day.isoformat(), occupied=strip(30, x))
    res = timeline(store, UKR, boundary=BOUNDARY)
    sus = res.suspects
    assert list(sus["date"]) == [days[6]]
    assert "spike" in sus.iloc[0]["rule"] and "outlier" in sus.iloc[0]["rule"]
    assert "reverses" in sus.iloc[0]["reason"]
    occ = rows(res, "occupied").set_index("date")
    assert bool(occ.loc[days[6], "suspect"]) and occ.loc[days[6], "suspect_reason"]
    assert occ.loc[days[6], "gains_km2"] > 7000  # flagged, not hidden
    ex = timeline(store, UKR, boundary=BOUNDARY, exclude_suspect=True)
    occ = rows(ex, "occupied").set_index("date")
    assert days[6] not in occ.index
    assert bool(ex.suspects["excluded"].all())
    # the step over the excluded day is the direct comparison of its neighbours: two days of 0.01°
    assert occ.loc[days[7], "gains_km2"] == pytest.approx(ref_km2(strip(31.05, 31.07)), rel=1e-6)
    assert occ.loc[days[7], "from_date"] == days[5]
    assert not occ["suspect"].any()


def test_far_smaller_snapshot_is_an_outlier(store):
    days = pd.date_range("2024-07-01", periods=8, freq="D").date
    for i, day in enumerate(days):
        occ = strip(30, 31 + 0.01 * i)
        if i == 4:  # half the occupied area missing from one snapshot
            occ = strip(30, 30.5)
        put(store, day.isoformat(), occupied=occ)
    res = timeline(store, UKR, boundary=BOUNDARY)
    assert list(res.suspects["date"]) == [days[4]]
    assert "smaller" in res.suspects.iloc[0]["reason"]
    # nothing is flagged in a steady archive: the thresholds come from the archive itself
    quiet = timeline(store, UKR, boundary=BOUNDARY, end=days[3])
    assert quiet.suspects.empty


def test_big_real_advances_are_not_suspect(store):
    # a large change that stays (an offensive) is not a spike
    for i, day in enumerate(pd.date_range("2024-08-01", periods=6, freq="D").date):
        put(store, day.isoformat(), occupied=strip(30, 31 + (0.01 * i if i < 3 else 1.0 + 0.01 * i)))
    res = timeline(store, UKR, boundary=BOUNDARY, rules=SuspectRules())
    assert res.suspects.empty


def test_several_snapshots_a_day_and_by_actor(store):
    put(store, "2024-09-01", 8, occupied=strip(30, 31))
    put(store, "2024-09-01", 20, occupied=strip(30, 31.1), liberated=strip(33, 34))
    put(store, "2024-09-02", 9, occupied=strip(30, 31.2), liberated=strip(33, 34))
    res = timeline(store, UKR, by="actor", boundary=BOUNDARY)
    ru = rows(res, "russia")
    assert len(ru) == 3 and ru["timestamp"].notna().all()
    assert ru.loc[1, "gains_km2"] == pytest.approx(ref_km2(strip(31, 31.1)), rel=1e-6)
    ua = rows(res, "ukraine")
    # held -> liberated stays inside Ukraine's side: no gain, no loss for the actor
    assert ua.loc[1, "losses_km2"] == pytest.approx(ref_km2(strip(31, 31.1)), rel=1e-6)
    assert ua.loc[1, "gains_km2"] == pytest.approx(0.0, abs=1e-9)
    day = rows(timeline(store, UKR, by="actor", every="day", boundary=BOUNDARY), "russia")
    assert list(day["to_date"]) == [dt.date(2024, 9, 1), dt.date(2024, 9, 2)]
    assert day.loc[1, "gains_km2"] == pytest.approx(ref_km2(strip(31.1, 31.2)), rel=1e-6)


def test_from_date_compares_with_the_snapshot_before(store):
    put(store, "2024-10-01", occupied=strip(30, 31))
    put(store, "2024-10-02", occupied=strip(30, 31.3))
    res = timeline(store, UKR, start="2024-10-02", boundary=BOUNDARY)
    occ = rows(res, "occupied")
    assert len(occ) == 1
    assert occ.loc[0, "gains_km2"] == pytest.approx(ref_km2(strip(31, 31.3)), rel=1e-6)


def test_bad_input(store, tmp_path):
    with pytest.raises(StoreError, match="no ukraine snapshots"):
        timeline(store, UKR, boundary=BOUNDARY)
    put(store, "2024-10-01", occupied=strip(30, 31))
    with pytest.raises(QueryError, match="is before --from"):
        timeline(store, UKR, start="2024-10-05", end="2024-10-01", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="no ukraine snapshots in this range; the store holds 2024-10-01"):
        timeline(store, UKR, start="2023-01-01", end="2023-02-01", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="unknown period"):
        timeline(store, UKR, every="fortnight", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="unknown grouping"):
        timeline(store, UKR, by="side", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="not a date"):
        timeline(store, UKR, start="yesterday", boundary=BOUNDARY)


def test_period_bounds():
    assert period_bounds(dt.date(2024, 2, 28), dt.date(2024, 3, 1), "day") == [
        (dt.date(2024, 2, 28),) * 2, (dt.date(2024, 2, 29),) * 2, (dt.date(2024, 3, 1),) * 2]
    weeks = period_bounds(dt.date(2024, 2, 28), dt.date(2024, 3, 12), "week")
    assert weeks[0] == (dt.date(2024, 2, 26), dt.date(2024, 3, 3)) and len(weeks) == 3
    months = period_bounds(dt.date(2023, 12, 15), dt.date(2024, 2, 1), "month")
    assert months == [(dt.date(2023, 12, 1), dt.date(2023, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
                      (dt.date(2024, 2, 1), dt.date(2024, 2, 29))]
