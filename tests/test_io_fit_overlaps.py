"""The ingest warning about one area drawn as two states works on maps of any size: above the vertex budget
a lattice test picks the pairs to intersect, and the km² stated equal pyproj.Geod's on the true overlap."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import shapely
from pyproj import Geod

from whoholds.io import read_maps
from whoholds.io.fit import VERTEX_BUDGET
from whoholds.profiles import load_profile

GEOD = Geod(ellps="WGS84")
UKRAINE = load_profile("ukraine")


def disc(cx: float, cy: float, r: float, n: int) -> list[list[float]]:
    pts = [[cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)] for i in range(n)]
    return [*pts, pts[0]]


def write(path: Path, *shapes: tuple[str, list]) -> Path:
    features = [{"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [r]}}
                for name, r in shapes]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def warning_km2(path: Path) -> float | None:
    (snap,) = list(read_maps([path], UKRAINE, date=dt.date(2024, 5, 1)))
    found = [v for k, v in snap.repairs.items() if k.startswith("warning: same area drawn as")]
    return float(found[0]) if found else None


def test_overlap_of_big_polygons_is_measured(tmp_path: Path) -> None:
    n = 15_000  # two rings: 30,000 vertices, above the budget
    assert 2 * n > VERTEX_BUDGET
    a, b = disc(36.0, 48.0, 0.5, n), disc(36.6, 48.0, 0.5, n)
    truth = shapely.Polygon(a).intersection(shapely.Polygon(b))
    expected = abs(GEOD.geometry_area_perimeter(shapely.geometry.polygon.orient(truth))[0]) / 1e6
    assert expected > 100
    got = warning_km2(write(tmp_path / "big.geojson", ("Окуповано", a), ("Звільнено", b)))
    assert got is not None and abs(got - expected) <= 1  # the warning rounds to whole km²


def test_touching_big_polygons_are_no_overlap(tmp_path: Path) -> None:
    n = 15_000
    left = [[35.0 + 0.5 * i / n, 47.5] for i in range(n)] + [[35.5, 48.5], [35.0, 48.5], [35.0, 47.5]]
    right = [[35.5, 47.5], [36.0, 47.5], [36.0, 48.5]] + [[35.5, 48.5 - 1.0 * i / n] for i in range(n)] + [[35.5, 47.5]]
    assert warning_km2(write(tmp_path / "touch.geojson", ("Окуповано", left), ("Звільнено", right))) is None


def test_remembered_facts_give_the_same_warnings_as_a_fresh_check(tmp_path: Path) -> None:
    """A feed's second map repeats the first's features (the geometry cache hands out the same objects), so its
    fit check combines remembered per-feature and per-pair facts: the warnings must equal a from-scratch check's
    and pyproj.Geod's km² of the true overlap, also when a new feature brings a new overlapping pair."""
    from whoholds.io import fit_cache
    from whoholds.io.features import GeometryCache

    n = 15_000
    a, b, c = disc(36.0, 48.0, 0.5, n), disc(36.6, 48.0, 0.5, n), disc(36.0, 48.7, 0.4, 400)
    first = write(tmp_path / "first.geojson", ("Окуповано", a), ("Звільнено", b))
    second = write(tmp_path / "second.geojson", ("Окуповано", a), ("Звільнено", b), ("Звільнено", c))

    def warnings(path: Path, cache: GeometryCache) -> dict:
        (snap,) = list(read_maps([path], UKRAINE, date=dt.date(2024, 5, 1), cache=cache))
        return {k: v for k, v in snap.repairs.items() if k.startswith("warning")}

    fit_cache.clear()
    shared = GeometryCache()
    remembered = [warnings(first, shared), warnings(second, shared)]
    fit_cache.clear()
    fresh = [warnings(first, GeometryCache()), warnings(second, GeometryCache())]
    assert remembered == fresh
    ab = shapely.Polygon(a).intersection(shapely.Polygon(b))
    ac = shapely.Polygon(a).intersection(shapely.Polygon(c))
    km2 = [abs(GEOD.geometry_area_perimeter(shapely.geometry.polygon.orient(g))[0]) / 1e6 for g in (ab, ac)]
    assert all(k > 1 for k in km2)
    (one,), (two,) = remembered[0].values(), remembered[1].values()
    assert abs(one - km2[0]) <= 1 and abs(two - (km2[0] + km2[1])) <= 1
