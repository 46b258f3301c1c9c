"""Real DeepStateMap days: whoholds' transfers, timeline and settlements against independent computations.

The references never go through whoholds: the GeoJSON files are read with ``json`` and shapely, the boundary
from the Natural Earth extract in ../shared/data/boundaries, and every area is pyproj.Geod's
``geometry_area_perimeter`` of a shapely difference or intersection computed here.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
import shapely
from conftest import DATA
from pyproj import Geod
from shapely.geometry import shape

from whoholds import load_profile
from whoholds.ingest import ingest
from whoholds.metrics.changes import transfer_matrix
from whoholds.metrics.settlements import settlement_changes
from whoholds.metrics.timeline import timeline
from whoholds.store import Store

DAILY = DATA / "ukraine" / "deepstate_daily_occupied_cyterat"
NE_UKR = DATA / "boundaries" / "ne_10m_admin0_deu_UKR.geojson"
DAYS = ["20241101", "20241115", *(f"202412{d:02d}" for d in range(1, 11))]
GEOD = Geod(ellps="WGS84")
UKR = load_profile("ukraine")

pytestmark = pytest.mark.skipif(not DAILY.exists(), reason="../shared/data not available")


def geod_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def densified(geom: shapely.Geometry, max_km: float = 1.0) -> shapely.Geometry:
    """Every edge longer than ``max_km`` gets intermediate points on its geodesic (pyproj.Geod.npts), so a
    lon/lat overlay follows geodesic edges -- the convention GeographicLib's areas use."""

    def ring(coords: np.ndarray) -> list[tuple[float, float]]:
        out = [tuple(coords[0])]
        for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
            n = int(GEOD.inv(x0, y0, x1, y1)[2] // (max_km * 1000))
            if n:
                out.extend(GEOD.npts(x0, y0, x1, y1, n))
            out.append((x1, y1))
        return out

    polys = []
    for p in shapely.get_parts(geom):
        polys.append(shapely.Polygon(ring(np.asarray(p.exterior.coords)),
                                     [ring(np.asarray(h.coords)) for h in p.interiors]))
    return shapely.make_valid(shapely.MultiPolygon(polys))


def day(s: str) -> dt.date:
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))


@pytest.fixture(scope="module")
def raw() -> dict[dt.date, shapely.Geometry]:
    out = {}
    for d in DAYS:
        fc = json.loads((DAILY / f"deepstatemap_data_{d}.geojson").read_text("utf-8"))
        out[day(d)] = shapely.make_valid(shapely.union_all([shape(f["geometry"]) for f in fc["features"]]))
    return out


@pytest.fixture(scope="module")
def boundary() -> shapely.Geometry:
    fc = json.loads(NE_UKR.read_text("utf-8"))
    return shapely.make_valid(shapely.union_all([shape(f["geometry"]) for f in fc["features"]]))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("real") / "store")
    report = ingest([DAILY / f"deepstatemap_data_{d}.geojson" for d in DAYS], UKR, st, unlabelled_state="occupied",
                    workers=1)
    assert not report.errors and len(report.results) == len(DAYS)
    yield st
    st.close()


def test_daily_gains_losses_match_geod_of_symmetric_differences(store, raw, boundary):
    res = timeline(store, UKR, start="2024-12-01", end="2024-12-10")
    occ = res.frame[res.frame["group"] == "occupied"].set_index("date")
    dates = sorted(raw)
    checked = 0
    for a, b in zip(dates[:-1], dates[1:], strict=True):
        if b < dt.date(2024, 12, 2):
            continue
        gains = geod_km2(shapely.intersection(shapely.difference(raw[b], raw[a]), boundary))
        losses = geod_km2(shapely.intersection(shapely.difference(raw[a], raw[b]), boundary))
        assert occ.loc[b, "gains_km2"] == pytest.approx(gains, abs=0.01), b
        assert occ.loc[b, "losses_km2"] == pytest.approx(losses, abs=0.01), b
        checked += 1
    assert checked == 9
    assert (occ["gains_km2"].iloc[1:] > 0).any()


def test_daily_areas_match_geod_of_clipped_polygons(store, raw, boundary):
    res = timeline(store, UKR, start="2024-12-01", end="2024-12-10")
    occ = res.frame[res.frame["group"] == "occupied"].set_index("date")
    held = res.frame[res.frame["group"] == "held"].set_index("date")
    total = geod_km2(boundary)
    b = densified(boundary)
    for d in (dt.date(2024, 12, 1), dt.date(2024, 12, 10)):
        # both outlines follow their geodesics before the clip, as GeographicLib's areas assume
        ref = geod_km2(shapely.intersection(densified(raw[d]), b))
        assert occ.loc[d, "area_km2"] == pytest.approx(ref, rel=1e-7), d
        assert occ.loc[d, "area_km2"] + held.loc[d, "area_km2"] == pytest.approx(total, rel=1e-7)
    assert 109_000 < occ.loc[dt.date(2024, 12, 1), "area_km2"] < 111_000


def test_month_matrix_matches_reference_and_conserves(store, raw, boundary):
    res = transfer_matrix(store, UKR, "2024-11-01", "2024-12-01", by="state")
    a, b = raw[dt.date(2024, 11, 1)], raw[dt.date(2024, 12, 1)]
    gains = geod_km2(shapely.intersection(shapely.difference(b, a), boundary))
    losses = geod_km2(shapely.intersection(shapely.difference(a, b), boundary))
    m = res.matrix
    assert m.loc["held", "occupied"] == pytest.approx(gains, abs=0.01)
    assert m.loc["occupied", "held"] == pytest.approx(losses, abs=0.01)
    l1, l2 = res.layers
    for state, area in l1.areas().items():
        assert m.loc[state].sum() == pytest.approx(area, rel=1e-9)
    for state, area in l2.areas().items():
        assert m[state].sum() == pytest.approx(area, rel=1e-9)
    # the same pair through the timeline's cache agrees with the full overlay
    tl = timeline(store, UKR, start="2024-11-01", end="2024-12-01", every="month")
    occ = tl.frame[tl.frame["group"] == "occupied"].set_index("date")
    nov = occ.loc[dt.date(2024, 11, 30)]
    # November: first snapshot in range (Nov 1) to the last on or before Nov 30 (Nov 15)
    assert nov["from_date"] == dt.date(2024, 11, 1) and nov["to_date"] == dt.date(2024, 11, 15)
    mid = raw[dt.date(2024, 11, 15)]
    assert nov["gains_km2"] == pytest.approx(geod_km2(shapely.intersection(shapely.difference(mid, a), boundary)),
                                             abs=0.01)
    dec = occ.loc[dt.date(2024, 12, 31)]
    assert dec["from_date"] == dt.date(2024, 11, 15) and dec["to_date"] == dt.date(2024, 12, 1)


def test_settlements_that_changed_hands_are_the_ones_the_polygons_say(store, raw):
    res = settlement_changes(store, UKR, "2024-11-01", "2024-12-01", min_population=1000)
    assert len(res.frame) >= 1
    a, b = raw[dt.date(2024, 11, 1)], raw[dt.date(2024, 12, 1)]
    pts = shapely.points(res.frame["lon"].to_numpy(), res.frame["lat"].to_numpy())
    # every listed place: Ukrainian (not in the occupied polygon) before, occupied after -- or the reverse
    before, after = shapely.contains(a, pts), shapely.contains(b, pts)
    assert np.all(before != after)
    assert set(res.frame["to_group"]) <= {"russia", "ukraine"}
    assert "Toretsk" in set(res.frame["name"])
    assert (res.frame["population"] >= 1000).all()
    row = res.counts.set_index("group").loc["russia"]
    assert row["gained"] == (res.frame["to_group"] == "russia").sum()
    assert res.headline.startswith(f"{len(res.frame)} settlements of 1,000+ inhabitants changed hands")
