"""Change pieces: the overlay of two snapshots kept without a boundary, cut later by any boundary.

Figures from stored pieces are checked against an independent computation per boundary: shapely overlays of
the whole snapshots clipped to that boundary, measured with pyproj.Geod.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from whoholds import load_profile
from whoholds.geometry.boundary import Boundary
from whoholds.geometry.diff import EdgeSet, region_between, state_codes
from whoholds.geometry.layers import orient
from whoholds.geometry.pieces import OVERLAP_FROM, OVERLAP_TO, TRANSFER, areas_inside, change_pieces, figures
from whoholds.metrics.timeline import timeline
from whoholds.store import Store
from whoholds.types import Snapshot

GEOD = Geod(ellps="WGS84")
UKR = load_profile("ukraine")
ORDER = ("occupied", "unknown", "liberated")


def ref_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.001))[0]) / 1e6 if not geom.is_empty else 0.0


def seg(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.segmentize(g, 0.01)


def put(store: Store, day: str, occupied: shapely.Geometry, unknown: shapely.Geometry | None = None) -> None:
    states = {"occupied": seg(occupied), **({"unknown": seg(unknown)} if unknown is not None else {})}
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=list(states.values()), crs="EPSG:4326")
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in states.values()) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", "polygons", f, digest))


def test_pieces_of_a_known_change_with_overlap():
    a = (np.array(["occupied", "unknown"]), orient(np.array([shapely.box(30, 46, 31, 47),
                                                             shapely.box(30.5, 46, 31.5, 47)], dtype=object)))
    b = (np.array(["occupied", "unknown"]), orient(np.array([shapely.box(30, 46, 31.2, 47),
                                                             shapely.box(30.5, 46, 31.5, 47)], dtype=object)))
    codes = state_codes(ORDER, "held")
    region = region_between(EdgeSet.of(*a, codes), EdgeSet.of(*b, codes))
    p = change_pieces(a, b, region, ORDER, "held")
    areas = areas_inside(np.array(p.geoms, dtype=object), shapely.box(29, 45, 35, 50))
    got = {(k, s, t): round(float(x), 6) for k, s, t, x in zip(p.kinds, p.from_states, p.to_states, areas,
                                                               strict=True)}
    strip = ref_km2(shapely.box(31, 46, 31.2, 47))
    assert got[(TRANSFER, "unknown", "occupied")] == pytest.approx(strip, rel=1e-6)
    # the overlap of occupied over unknown grew by the same strip
    overlap_delta = sum(x for (k, _, _), x in got.items() if k == OVERLAP_TO) - \
        sum(x for (k, _, _), x in got.items() if k == OVERLAP_FROM)
    assert overlap_delta == pytest.approx(strip, rel=1e-5)
    # a boundary that cuts the strip in half halves the transfer
    transfers, _ = figures(p, areas_inside(np.array(p.geoms, dtype=object), shapely.box(29, 45, 31.1, 50)))
    assert transfers[("unknown", "occupied")] == pytest.approx(ref_km2(shapely.box(31, 46, 31.1, 47)), rel=1e-6)


@pytest.mark.parametrize("box", [(30.0, 47.0, 34.0, 49.5), (31.05, 47.2, 31.55, 48.7)])
def test_timeline_for_another_boundary_from_stored_pieces(tmp_path, box):
    rng = np.random.default_rng(7)
    store = Store(tmp_path / "store")
    days = []
    occ = shapely.box(30.5, 47.5, 31.5, 48.5)
    for i in range(6):
        occ = shapely.union(occ, shapely.box(*(rng.uniform([30.8, 47.6], [31.8, 48.4]).tolist()), 31.9, 48.6)) \
            if i % 2 == 0 else shapely.difference(occ, shapely.box(31.0, 47.7, 31.1 + 0.05 * i, 48.0))
        unk = shapely.box(31.3, 47.9, 31.6 + 0.03 * i, 48.2)
        day = (dt.date(2024, 3, 1) + dt.timedelta(days=i)).isoformat()
        put(store, day, occ, unk)
        days.append((day, seg(occ), seg(unk)))
    timeline(store, UKR)  # the profile's boundary: fills the pieces cache as ingest does
    assert store.con.execute("SELECT count(DISTINCT from_id) FROM change_pieces").fetchone()[0] == 5
    clip = shapely.segmentize(shapely.box(*box), 0.01)
    res = timeline(store, UKR, boundary=Boundary("test:box", "box", clip, "toy", "test"), use_cache=False)
    occ_rows = res.frame[res.frame["group"] == "occupied"].reset_index(drop=True)
    for i in range(1, len(days)):
        _, o0, u0 = days[i - 1]
        _, o1, u1 = days[i]
        held0 = shapely.intersection(o0, clip)  # occupied wins over unknown (profile priority)
        held1 = shapely.intersection(o1, clip)
        assert occ_rows.loc[i, "area_km2"] == pytest.approx(ref_km2(held1), abs=1e-3)
        assert occ_rows.loc[i, "gains_km2"] == pytest.approx(ref_km2(shapely.difference(held1, held0)), abs=1e-3)
        assert occ_rows.loc[i, "losses_km2"] == pytest.approx(ref_km2(shapely.difference(held0, held1)), abs=1e-3)
    store.close()
