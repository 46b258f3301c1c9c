"""Transfer matrices: hand-made layers with exactly known answers, conservation, grouping, bad input.

The references are computed here, independently of whoholds: pyproj.Geod areas of finely segmentised
boxes (so that the parallels follow the same lon/lat lines whoholds' edges do).
"""

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
from whoholds.metrics.changes import resolve_actors, transfer_between, transfer_matrix
from whoholds.profiles.loader import profile_from_dict
from whoholds.store import Store
from whoholds.types import Snapshot

GEOD = Geod(ellps="WGS84")
UKR = load_profile("ukraine")


def ref_km2(geom: shapely.Geometry) -> float:
    """Independent area: pyproj.Geod on the geometry densified to 0.001° along its lon/lat edges."""
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.001))[0]) / 1e6


def box(x0: float, x1: float, y0: float = 48.0, y1: float = 49.0) -> shapely.Polygon:
    return shapely.box(x0, y0, x1, y1)


def layers(**pieces: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"state": list(pieces)}, geometry=list(pieces.values()), crs="EPSG:4326")


# Day 1: occupied 30-31, grey zone 31-31.5, Ukraine-held 31.5-33.
# Day 2: occupied 30-31.25 (took 31-31.25 from the grey zone), grey 31.25-31.75 (took 31.5-31.75 from the
# held area), held 31.75-33, and Ukraine liberated 30-30.2 from occupied.
L1 = layers(occupied=box(30.2, 31).union(box(30, 30.2)), unknown=box(31, 31.5), held=box(31.5, 33))
L2 = layers(occupied=box(30.2, 31.25), liberated=box(30, 30.2), unknown=box(31.25, 31.75), held=box(31.75, 33))


def test_hand_made_matrix_is_exact_including_grey_zone():
    res = transfer_between(L1, L2, UKR, by="state")
    m = res.matrix
    expect = {
        ("occupied", "occupied"): ref_km2(box(30.2, 31)),
        ("occupied", "liberated"): ref_km2(box(30, 30.2)),
        ("unknown", "occupied"): ref_km2(box(31, 31.25)),
        ("unknown", "unknown"): ref_km2(box(31.25, 31.5)),
        ("held", "unknown"): ref_km2(box(31.5, 31.75)),
        ("held", "held"): ref_km2(box(31.75, 33)),
    }
    for (a, b), v in expect.items():
        assert m.loc[a, b] == pytest.approx(v, rel=1e-9, abs=1e-6), (a, b)
    off = m.to_numpy().sum() - sum(expect.values())
    assert abs(off) < 1e-6  # every other cell is zero
    assert res.changed_km2 == pytest.approx(expect[("occupied", "liberated")] + expect[("unknown", "occupied")]
                                            + expect[("held", "unknown")], rel=1e-9)
    # the changed pieces are exactly the off-diagonal cells
    ch = res.changed.set_index(["from_state", "to_state"])["area_km2"]
    assert set(ch.index) == {("occupied", "liberated"), ("unknown", "occupied"), ("held", "unknown")}
    for key, v in ch.items():
        assert v == pytest.approx(expect[key], rel=1e-9)


def test_conservation_rows_are_areas_at_d1_columns_at_d2():
    res = transfer_between(L1, L2, UKR, by="state")
    for state, geom in zip(L1["state"], L1.geometry, strict=True):
        assert res.state_matrix.loc[state].sum() == pytest.approx(ref_km2(geom), rel=1e-9)
    for state, geom in zip(L2["state"], L2.geometry, strict=True):
        assert res.state_matrix[state].sum() == pytest.approx(ref_km2(geom), rel=1e-9)
    s = res.summary.set_index("group")
    assert (s["net_km2"] - (s["area_d2_km2"] - s["area_d1_km2"])).abs().max() < 1e-6
    assert s["gains_km2"].sum() == pytest.approx(s["losses_km2"].sum(), rel=1e-12)


def test_grouping_by_actor_keeps_grey_zone_apart_and_nets_within_an_actor():
    res = transfer_between(L1, L2, UKR, by="actor")
    m = res.matrix
    assert set(m.index) == {"russia", "unknown", "ukraine"}
    grey_to_russia = ref_km2(box(31, 31.25))
    ukr_to_grey = ref_km2(box(31.5, 31.75))
    russia_to_ukr = ref_km2(box(30, 30.2))
    assert m.loc["unknown", "russia"] == pytest.approx(grey_to_russia, rel=1e-9)
    assert m.loc["ukraine", "unknown"] == pytest.approx(ukr_to_grey, rel=1e-9)
    assert m.loc["russia", "ukraine"] == pytest.approx(russia_to_ukr, rel=1e-9)
    s = res.summary.set_index("group")
    assert s.loc["russia", "gains_km2"] == pytest.approx(grey_to_russia, rel=1e-9)
    assert s.loc["russia", "losses_km2"] == pytest.approx(russia_to_ukr, rel=1e-9)
    assert s.loc["unknown", "kind"] == "contested"
    co = transfer_between(L1, L2, UKR, by="coalition").matrix
    assert "russia_and_proxies" in co.index and "ukraine_side" in co.index


def test_unassigned_land_is_a_row_and_a_column():
    prof = profile_from_dict({
        "id": "toy", "name": "Toy", "boundary": {"country": "XXX"},
        "actors": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "states": [{"id": "held_a", "kind": "actor", "actor": "a"}, {"id": "held_b", "kind": "actor", "actor": "b"}],
    })
    l1 = layers(held_a=box(30, 31), unassigned=box(31, 32), held_b=box(32, 33))
    l2 = layers(held_a=box(30, 31.5), unassigned=box(31.5, 31.8), held_b=box(31.8, 33))
    m = transfer_between(l1, l2, prof, by="actor").matrix
    assert m.loc["unassigned", "a"] == pytest.approx(ref_km2(box(31, 31.5)), rel=1e-9)
    assert m.loc["b", "unassigned"] == pytest.approx(0.0, abs=1e-9)
    assert m.loc["unassigned", "b"] == pytest.approx(ref_km2(box(31.8, 32)), rel=1e-9)
    assert m.loc["unassigned", "unassigned"] == pytest.approx(ref_km2(box(31.5, 31.8)), rel=1e-9)


def test_identical_layers_change_nothing():
    res = transfer_between(L1, L1, UKR)
    assert res.changed_km2 == pytest.approx(0.0, abs=1e-9)
    assert res.changed.empty
    assert (res.summary["net_km2"].abs() < 1e-9).all()


def test_resolve_actors_accepts_aliases_and_rejects_unknown_names():
    assert resolve_actors(UKR, ["Russian forces"], "actor") == ["russia"]
    assert resolve_actors(UKR, ["russia"], "coalition") == ["russia_and_proxies"]
    assert set(resolve_actors(UKR, ["Ukraine"], "state")) == {"liberated", "held"}
    assert resolve_actors(UKR, None, "actor") is None
    with pytest.raises(QueryError, match="unknown to profile ukraine"):
        resolve_actors(UKR, ["martians"], "actor")


# ---- store level ------------------------------------------------------------------------------------------
# Map edges are geodesics and whoholds densifies edges longer than 2 km along them; boxes stored in a
# snapshot are therefore cut into 0.01° (< 1 km) pieces first, so that their parallels stay parallels.
BOUNDARY = Boundary("test:box", "Test box", shapely.segmentize(box(30, 33), 0.01), "hand-made", "test")


def put(store: Store, day: str, **states: shapely.Geometry) -> None:
    geoms = [shapely.segmentize(g, 0.01) for g in states.values()]
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=geoms, crs="EPSG:4326")
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in states.values()) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"test-{day}", "ukraine", "polygons", f, digest))


@pytest.fixture()
def store(tmp_path):
    st = Store(tmp_path / "store")
    put(st, "2024-03-01", occupied=box(30, 31), unknown=box(31, 31.5))
    put(st, "2024-03-05", occupied=box(30, 31.25), unknown=box(31.25, 31.75))
    yield st
    st.close()


def test_transfer_matrix_from_store(store):
    res = transfer_matrix(store, UKR, "2024-03-01", "2024-03-05", by="state", boundary=BOUNDARY)
    assert res.d1.date == dt.date(2024, 3, 1) and res.d2.date == dt.date(2024, 3, 5)
    m = res.matrix
    assert m.loc["unknown", "occupied"] == pytest.approx(ref_km2(box(31, 31.25)), rel=1e-6)
    assert m.loc["held", "unknown"] == pytest.approx(ref_km2(box(31.5, 31.75)), rel=1e-6)
    assert m.loc["held", "held"] == pytest.approx(ref_km2(box(31.75, 33)), rel=1e-6)
    assert res.provenance.snapshot_ids == (res.d1.id, res.d2.id)
    assert res.provenance.boundary == "test:box"
    assert all("1e-" in n or "e-1" in n for n in res.notes)  # conservation notes carry tiny residuals
    long = res.long_frame()
    assert {"d1", "d2", "from", "to", "area_km2", "snapshot_ids", "boundary"} <= set(long.columns)
    assert len(res.layers) == 2


def test_bad_dates_are_one_clear_error(store):
    with pytest.raises(QueryError, match="nearest before: 2024-03-01; nearest after: 2024-03-05"):
        transfer_matrix(store, UKR, "2024-03-03", "2024-03-05", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="is before D1"):
        transfer_matrix(store, UKR, "2024-03-05", "2024-03-01", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="not a date"):
        transfer_matrix(store, UKR, "March 1", "2024-03-05", boundary=BOUNDARY)
    with pytest.raises(QueryError, match="unknown grouping"):
        transfer_matrix(store, UKR, "2024-03-01", "2024-03-05", by="side", boundary=BOUNDARY)


def test_on_or_before_uses_the_last_snapshot_of_each_date(store):
    res = transfer_matrix(store, UKR, "2024-03-03", "2024-03-31", boundary=BOUNDARY, on_or_before=True)
    assert (res.d1.date, res.d2.date) == (dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    with pytest.raises(QueryError, match="no ukraine snapshot on or before"):
        transfer_matrix(store, UKR, "2024-02-01", "2024-03-31", boundary=BOUNDARY, on_or_before=True)


def test_empty_store_is_a_store_error(tmp_path):
    st = Store(tmp_path / "empty")
    with pytest.raises(StoreError, match="no ukraine snapshots"):
        transfer_matrix(st, UKR, "2024-03-01", "2024-03-05", boundary=BOUNDARY)
    st.close()


def test_summary_columns():
    res = transfer_between(L1, L2, UKR, by="actor")
    assert list(res.summary.columns) == ["group", "name", "kind", "area_d1_km2", "area_d2_km2", "gains_km2",
                                         "losses_km2", "net_km2"]
    assert isinstance(res.matrix, pd.DataFrame) and res.matrix.index.name == "from"
    assert np.isclose(res.matrix.to_numpy().sum(), ref_km2(box(30, 33)), rtol=1e-9)
