"""render.charts: timeline, share bars and transfer matrix on synthetic data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from whoholds.errors import InputError
from whoholds.profiles import load_profile
from whoholds.render.charts import (
    share_bar_chart,
    share_bar_figure,
    timeline_chart,
    timeline_figure,
    transfer_chart,
    transfer_figure,
)


@pytest.fixture(scope="module")
def profile():
    return load_profile("ukraine")


def _timeline(n: int, freq: str = "D") -> pd.DataFrame:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2024-09-01", periods=n, freq=freq)
    rows, occ = [], 110_000.0
    for i, d in enumerate(dates):
        g, loss = (0.0, 0.0) if i == 0 else (abs(rng.normal(60, 20)), abs(rng.normal(5, 3)))
        occ += g - loss
        rows.append((d.date(), "russia", occ, g, loss, g - loss, i == n // 2))
        rows.append((d.date(), "ukraine", 490_000 - occ, loss, g, loss - g, i == n // 2))
        rows.append((d.date(), "unknown", 5_000.0, 2.0, 2.0, 0.0, False))
    return pd.DataFrame(rows, columns=["date", "group", "area_km2", "gains_km2", "losses_km2", "net_km2",
                                       "suspect"])


def _texts(fig) -> str:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_title(loc="left"), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_yticklabels()]
    out += [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    return "\n".join(out)


@pytest.mark.parametrize("n,freq", [(90, "D"), (12, "MS"), (1, "D")])
def test_timeline_png(tmp_path, profile, n, freq):
    out = timeline_chart(_timeline(n, freq), profile, tmp_path / "t.png", title="Control", source="feed",
                         method="geodesic")
    img = imread(out)
    assert out.read_bytes()[:4] == b"\x89PNG" and img.shape[1] == 1650 and 900 < img.shape[0] < 2500


def test_timeline_content(profile):
    fig = timeline_figure(_timeline(30), profile, title="Control", source="DeepStateMap", method="geodesic")
    text = _texts(fig)
    assert "Russia" in text and "Ukraine" in text and "Unknown status (grey zone)" in text
    assert "suspect snapshot" in text  # marked and explained
    assert "Source: DeepStateMap" in text and "Method: geodesic" in text
    assert "km²" in text  # units on the axes
    ax_bottom = fig.axes[0]
    # dates on the shared x axis are readable: a date locator, not raw numbers
    assert "Date" in type(ax_bottom.xaxis.get_major_formatter()).__name__
    # numbers on the km² axes have thousands separators
    assert any("," in t.get_text() for ax in fig.axes for t in ax.get_yticklabels())
    # losses are drawn below zero
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert min(heights) < 0 < max(heights)


def test_timeline_negative_losses_and_no_suspect_column(profile):
    df = _timeline(10).drop(columns="suspect")
    df["losses_km2"] = -df["losses_km2"]
    fig = timeline_figure(df, profile)
    assert "suspect snapshot" not in _texts(fig)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert min(heights) < 0


def test_timeline_bad_input(tmp_path, profile):
    with pytest.raises(InputError, match="missing columns"):
        timeline_chart(pd.DataFrame({"date": [], "group": []}), profile, tmp_path / "t.png")
    with pytest.raises(InputError, match="no rows"):
        timeline_chart(_timeline(3).iloc[0:0], profile, tmp_path / "t.png")


def test_timeline_svg_has_text(tmp_path, profile):
    out = timeline_chart(_timeline(20), profile, tmp_path / "t.svg", title="Control <test>", source="s",
                         method="m")
    text = out.read_text()
    ET.fromstring(text.encode())
    assert "Russia" in text and "Control &lt;test&gt;" in text


@pytest.fixture
def shares():
    return pd.DataFrame({"group": ["russia", "ukraine", "unknown", "unassigned"],
                         "name": ["Russia", "Ukraine", "Unknown status (grey zone)", "Unassigned"],
                         "share_pct": [18.32, 79.26, 0.91, 1.51], "area_km2": [109765.0, 474822.0, 5473.0, 9034.0]})


def test_share_bar_chart(tmp_path, profile, shares):
    out = share_bar_chart(shares, profile, tmp_path / "s.png", title="Shares", caption="Source: x · Method: y")
    assert out.read_bytes()[:4] == b"\x89PNG"
    fig = share_bar_figure(shares, profile, "Shares", "Source: x")
    text = _texts(fig)
    assert "79.26% · 474,822 km²" in text and "0.91% · 5,473 km²" in text and "Source: x" in text
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "Ukraine"  # largest on top
    bars = fig.axes[0].patches
    assert any(b.get_hatch() for b in bars)  # the pseudo-state is hatched


def test_share_bar_chart_missing_column(tmp_path, profile):
    with pytest.raises(InputError):
        share_bar_chart(pd.DataFrame({"group": ["a"]}), profile, tmp_path / "s.png")


def test_transfer_chart(tmp_path, profile):
    states = ["held", "occupied", "unknown"]
    m = pd.DataFrame([[474000.0, 1600.0, 40.0], [12.0, 108000.0, 30.0], [200.0, 900.0, 4300.0]],
                     index=states, columns=states)
    out = transfer_chart(m, profile, tmp_path / "m.png", title="Transfers", caption="Source: feed")
    assert out.read_bytes()[:4] == b"\x89PNG"
    fig = transfer_figure(m, profile, "Transfers")
    text = _texts(fig)
    assert "1,600.0" in text and "Held by Ukraine" in text
    assert "475,640.0" in text  # row total (held at start)
    assert "474,212.0" in text  # column total (held at end)
    assert f"{m.to_numpy().sum():,.1f}" in text
    with pytest.raises(InputError):
        transfer_chart(pd.DataFrame(), profile, tmp_path / "e.png")
