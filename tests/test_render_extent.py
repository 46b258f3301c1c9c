"""Maps of a part of the country (--bbox, --zoom-to changes) with an overview inset; dense markers grouped."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from whoholds.errors import InputError
from whoholds.profiles import load_profile
from whoholds.render.extent import changes_bbox, parse_bbox, thin_points
from whoholds.render.maps import control_map_figure

matplotlib.use("Agg")


def test_parse_bbox():
    assert parse_bbox("36.5, 47, 39.5,49") == (36.5, 47.0, 39.5, 49.0)
    for bad in ("36,47,39", "a,b,c,d", "39,47,36,49", "36,50,39,49", "36,47,200,49", "nan,1,2,3"):
        with pytest.raises(InputError):
            parse_bbox(bad)


def test_changes_bbox_pads_and_has_a_minimum_size():
    small = gpd.GeoSeries([shapely.box(37.60, 48.00, 37.62, 48.01)])
    w, s, e, n = changes_bbox(small)
    assert (w, s, e, n) == pytest.approx((37.31, 47.705, 37.91, 48.305))  # 0.6° minimum, centred
    big = gpd.GeoSeries([shapely.box(36, 47, 37, 47.5), shapely.box(38, 48.5, 39, 49)])
    w, s, e, n = changes_bbox(big)
    assert (w, e) == pytest.approx((36 - 0.45, 39 + 0.45)) and (s, n) == pytest.approx((47 - 0.3, 49 + 0.3))
    assert changes_bbox(gpd.GeoSeries([], dtype="geometry")) is None


def test_thin_points_groups_by_cell_and_holder_only():
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100_000, 5_000)
    y = rng.uniform(0, 50_000, 5_000)
    holder = np.where(x < 50_000, "a", "b")
    t = thin_points(x, y, holder, (0, 100_000), above=600, cells=20)
    assert t.grouped and t.cell_size == 5_000
    assert t.count.sum() == 5_000 and len(t.x) <= 20 * 10 * 2
    # every dot lies in its group's cell, and no group mixes holders: its mean stays on its holder's side
    assert np.all(t.x[t.holder == "a"] < 50_000) and np.all(t.x[t.holder == "b"] >= 50_000)
    # an independent count: points per (cell, holder) from a plain loop
    cells = {}
    for xi, yi, hi in zip(x, y, holder, strict=True):
        key = (int(xi // 5_000), int(yi // 5_000), hi)
        cells[key] = cells.get(key, 0) + 1
    assert sorted(cells.values()) == sorted(t.count.tolist())
    few = thin_points(x[:100], y[:100], holder[:100], (0, 100_000))
    assert not few.grouped and len(few.x) == 100


def test_zoomed_map_shows_the_box_and_an_overview():
    prof = load_profile("ukraine")
    country = shapely.box(22, 44, 40, 52.5)
    layers = gpd.GeoDataFrame({"state": ["occupied", "held"]},
                              geometry=[shapely.box(36, 46, 40, 50), shapely.box(22, 44, 36, 52.5)], crs=4326)
    changed = gpd.GeoDataFrame({"from_state": ["held"], "to_state": ["occupied"]},
                               geometry=[shapely.box(35.9, 48.0, 36.0, 48.1)], crs=4326)
    bbox = changes_bbox(changed)
    fig = control_map_figure(layers, country, prof, title="t", date="2025-01-01", changed=changed, bbox=bbox)
    main = fig.axes[0]
    inset = [a for a in main.child_axes if a.get_label() == "overview inset"]
    assert len(inset) == 1
    # the main axes span the bbox (projected), not the country: check against pyproj directly
    from whoholds.render.cartography import display_crs

    to_map = Transformer.from_crs(4326, display_crs(country), always_xy=True)
    cx, cy = to_map.transform((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2)
    (x0, x1), (y0, y1) = main.get_xlim(), main.get_ylim()
    assert x0 < cx < x1 and y0 < cy < y1
    country_x = to_map.transform([22, 40], [48, 48])[0]
    assert (x1 - x0) < 0.1 * (country_x[1] - country_x[0])
    whole = control_map_figure(layers, country, prof, title="t", date="2025-01-01")
    assert not [a for a in whole.axes[0].child_axes if a.get_label() == "overview inset"]
    (w0, w1) = whole.axes[0].get_xlim()
    assert (w1 - w0) > 0.9 * (country_x[1] - country_x[0])
