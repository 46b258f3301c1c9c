"""Population per actor: GeoNames points and raster zonal sums, against sums computed here."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin

from whoholds import load_profile
from whoholds.errors import InputError
from whoholds.metrics.population import population_shares, raster_sums

UKR = load_profile("ukraine")
LAYERS = gpd.GeoDataFrame(
    {"state": ["occupied", "unknown", "held", "liberated"]},
    geometry=[shapely.box(30, 48, 30.5, 49), shapely.box(30.5, 48, 30.7, 49), shapely.box(30.7, 48, 31, 49),
              shapely.box(30, 47, 31, 48)],
    crs="EPSG:4326",
)
PLACES = pd.DataFrame({
    "name": ["a", "b", "c", "d", "e", "f"],
    "lat": [48.5, 48.2, 48.5, 48.5, 47.5, 10.0],
    "lon": [30.1, 30.4, 30.6, 30.9, 30.5, 10.0],
    "population": [1000, 500, 200, 3000, 300, 99999],
})


def test_geonames_points_summed_per_actor():
    res = population_shares(LAYERS, UKR, by="actor", places=PLACES)
    f = res.frame.set_index("group")
    assert f.loc["russia", "population"] == 1500
    assert f.loc["unknown", "population"] == 200
    assert f.loc["ukraine", "population"] == 3300  # held 3000 + liberated 300
    assert f["share_pct"].sum() == pytest.approx(100.0)
    assert f.loc["russia", "share_pct"] == pytest.approx(100 * 1500 / 5000)
    assert list(res.frame.columns) == ["group", "name", "population", "share_pct"]
    by_state = population_shares(LAYERS, UKR, by="state", places=PLACES).frame.set_index("group")
    assert by_state.loc["liberated", "population"] == 300
    # the caveat says how much the points cover and that one place lies outside
    assert "5 GeoNames places" in res.coverage_note and "1 places outside" in res.coverage_note
    assert "%" in res.coverage_note and "40,000,000" in res.coverage_note


def test_default_places_are_the_country_geonames_places():
    layers = gpd.GeoDataFrame({"state": ["held"]}, geometry=[shapely.box(22, 44, 41, 53)], crs=4326)
    res = population_shares(layers, UKR, by="actor")
    assert res.frame.loc[0, "population"] > 30_000_000
    assert "not a census" in res.coverage_note


def _write_raster(path, data, transform, crs="EPSG:4326", nodata=None):
    with rasterio.open(path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1,
                       dtype=data.dtype, crs=crs, transform=transform, nodata=nodata) as ds:
        ds.write(data, 1)


def test_raster_zonal_sums_known_cells(tmp_path):
    # 20 x 10 cells of 0.1°, covering 30-31 E, 47-49 N; cell value = 1 + column index (1..10)
    data = np.tile(np.arange(1, 11, dtype="float32"), (20, 1))
    data[0, 0] = -9999  # nodata, inside "occupied"
    path = tmp_path / "pop.tif"
    _write_raster(path, data, from_origin(30, 49, 0.1, 0.1), nodata=-9999)
    sums = raster_sums(LAYERS, path)
    # occupied 30-30.5 E x 48-49 N: columns 0-4 (values 1..5) x 10 rows, minus the nodata cell (value 1)
    assert sums[0] == pytest.approx(10 * (1 + 2 + 3 + 4 + 5) - 1)
    assert sums[1] == pytest.approx(10 * (6 + 7))          # unknown 30.5-30.7
    assert sums[2] == pytest.approx(10 * (8 + 9 + 10))     # held 30.7-31
    assert sums[3] == pytest.approx(10 * sum(range(1, 11)))  # liberated: the southern half
    res = population_shares(LAYERS, UKR, by="actor", places=PLACES, raster=path)
    f = res.frame.set_index("group")
    assert f.loc["russia", "raster_population"] == pytest.approx(149)
    assert f.loc["ukraine", "raster_population"] == pytest.approx(270 + 550)
    assert f["raster_share_pct"].sum() == pytest.approx(100.0)
    assert "raster pop.tif" in res.method


def test_raster_in_a_projected_crs(tmp_path):
    # 1 km cells in ETRS89-LAEA; the expected sum uses cell centres transformed back to lon/lat here
    to_laea = Transformer.from_crs(4326, 3035, always_xy=True)
    x0, y0 = to_laea.transform(29.9, 49.1)
    x1, y1 = to_laea.transform(31.1, 46.9)
    left, top = min(x0, x1) - 5000, max(y0, y1) + 5000
    w, h = int((max(x0, x1) - left) / 1000) + 10, int((top - min(y0, y1)) / 1000) + 10
    rng = np.random.default_rng(7)
    data = rng.integers(0, 100, size=(h, w)).astype("float32")
    path = tmp_path / "laea.tif"
    _write_raster(path, data, from_origin(left, top, 1000, 1000), crs="EPSG:3035")
    cols, rows = np.meshgrid(np.arange(w), np.arange(h))
    cx, cy = left + (cols + 0.5) * 1000, top - (rows + 0.5) * 1000
    lon, lat = Transformer.from_crs(3035, 4326, always_xy=True).transform(cx.ravel(), cy.ravel())
    pts = shapely.points(lon, lat)
    expect = [float(data.ravel()[shapely.contains(g, pts)].sum()) for g in LAYERS.geometry]
    got = raster_sums(LAYERS, path)
    for e, g in zip(expect, got, strict=True):
        assert g == pytest.approx(e, rel=1e-3)


def test_unreadable_raster_is_one_clear_error(tmp_path):
    bad = tmp_path / "broken.tif"
    bad.write_bytes(b"this is not a GeoTIFF")
    with pytest.raises(InputError, match="cannot read population raster") as exc:
        population_shares(LAYERS, UKR, places=PLACES, raster=bad)
    assert "\n" not in str(exc.value)
    with pytest.raises(InputError, match="population raster not found"):
        raster_sums(LAYERS, tmp_path / "missing.tif")


def test_unreadable_raster_in_the_cli(tmp_path):
    import datetime as dt
    import hashlib

    from typer.testing import CliRunner

    from whoholds.cli import app
    from whoholds.store import Store
    from whoholds.types import Snapshot

    st = Store(tmp_path / "store")
    f = gpd.GeoDataFrame({"state": ["occupied"], "label": ["x"], "fill": [None]},
                         geometry=[shapely.box(37, 47.5, 37.5, 48)], crs=4326)
    st.put(Snapshot(dt.date(2024, 5, 1), "toy", "ukraine", "polygons", f, hashlib.sha256(b"toy").hexdigest()))
    st.close()
    bad = tmp_path / "broken.tif"
    bad.write_bytes(b"garbage")
    result = CliRunner().invoke(app, ["shares", "--store", str(tmp_path / "store"), "--population", "--raster",
                                      str(bad)])
    assert result.exit_code == 2
    err = [line for line in (result.stderr or result.output).splitlines() if line.strip()]
    assert err[-1].startswith("error:") and "cannot read population raster" in err[-1]
