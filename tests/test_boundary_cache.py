"""Built boundaries are cached per source file (path, size, mtime) in the user cache folder: the cached one is the
same boundary (id, name, geometry), a changed file is read again, and a damaged cache file is rebuilt, never
trusted."""

from __future__ import annotations

import json
import os

import pyproj
import shapely

from whoholds.geometry import boundary as bmod


def _square(path, lon0, lat0, size):
    ring = [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size], [lon0, lat0]]
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
           "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    path.write_text(json.dumps(doc))


def _geod_km2(geom):
    return abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def test_cached_boundary_is_the_same_and_follows_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "country.geojson"
    _square(src, 30.0, 48.0, 1.0)
    first = bmod.boundary_from_file(str(src))
    cached = list((tmp_path / "cache" / "boundaries").glob("*.wkb"))
    assert len(cached) == 1
    bmod.boundary_from_file.cache_clear()
    monkeypatch.setattr(bmod, "_geodesic", lambda g: (_ for _ in ()).throw(AssertionError("rebuilt")))
    again = bmod.boundary_from_file(str(src))  # from the cache: no GDAL read, no densifying
    assert (again.id, again.name) == (first.id, first.name)
    assert shapely.equals_exact(again.geometry, first.geometry, tolerance=0)
    assert abs(_geod_km2(again.geometry) - _geod_km2(shapely.box(30, 48, 31, 49))) < 1.0  # an independent area
    monkeypatch.undo()
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "cache"))

    _square(src, 30.0, 48.0, 2.0)  # the file changes: read again, not the stale cache
    os.utime(src, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns + 10**9))
    bmod.boundary_from_file.cache_clear()
    bigger = bmod.boundary_from_file(str(src))
    assert bigger.id != first.id
    assert abs(_geod_km2(bigger.geometry) - _geod_km2(shapely.box(30, 48, 32, 50))) < 1.0


def test_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "country.geojson"
    _square(src, 10.0, 10.0, 1.0)
    first = bmod.boundary_from_file(str(src))
    (cached,) = (tmp_path / "cache" / "boundaries").glob("*.wkb")
    cached.write_bytes(cached.read_bytes()[:40])  # cut short
    bmod.boundary_from_file.cache_clear()
    again = bmod.boundary_from_file(str(src))
    assert again.id == first.id
    assert shapely.equals_exact(again.geometry, first.geometry, tolerance=0)
    bmod.boundary_from_file.cache_clear()
