"""Settlement counts, changed hands, strategic markers and the estimate range (metrics.markers)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
import shapely
from conftest import DATA

from whoholds.errors import QueryError
from whoholds.io.wikipedia import read_wikipedia_module
from whoholds.metrics.markers import (
    changed_markers,
    changes_summary,
    marker_share_range,
    settlement_counts,
    share_range_summary,
    strategic_markers,
)
from whoholds.profiles import UNINHABITED, load_profile
from whoholds.types import Snapshot

SHARED = DATA
MODULE = SHARED / "syria" / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"
BOUNDARY = SHARED / "boundaries" / "ne_10m_admin0_deu_SYR.geojson"
real = pytest.mark.skipif(not MODULE.exists(), reason="shared data not present")


@pytest.fixture(scope="module")
def syria():
    return load_profile("syria")


def snapshot(rows, date=dt.date(2017, 7, 20)) -> Snapshot:
    """rows: (name, lon, lat, state, mark, feature_type)."""
    frame = gpd.GeoDataFrame(
        {
            "state": [r[3] for r in rows],
            "label": [r[0] for r in rows],
            "fill": None,
            "name": [r[0] for r in rows],
            "mark": [r[4] for r in rows],
            "marksize": 5.0,
            "feature_type": [r[5] for r in rows],
        },
        geometry=[shapely.Point(r[1], r[2]) for r in rows],
        crs="EPSG:4326",
    )
    return Snapshot(
        date=date, source="hand.lua", profile="syria", kind="markers", features=frame, content_hash="x", id=f"id-{date}"
    )


@pytest.fixture(scope="module")
def real_snap(syria):
    return read_wikipedia_module(MODULE.read_bytes(), MODULE.name, syria, dt.date(2017, 7, 20))


# ---- settlement counts -------------------------------------------------------------------------------------
def test_settlement_counts_hand_built(syria):
    s = snapshot(
        [
            ("A", 36.0, 35.0, "gov", "gov", "settlement"),
            ("B", 36.1, 35.0, "gov", "gov", "border_crossing"),  # a town with a crossing icon still counts
            ("C", 36.2, 35.0, "gov", "gov_base", "base"),  # a base does not
            ("D", 36.3, 35.0, "opp", "opp", "settlement"),
            ("E", 36.4, 35.0, "turkey", "Trk_base", "base"),
            ("F", 36.5, 35.0, "mixed_opp_hts", "stable_opp_JaN", "settlement"),
        ]
    )
    c = settlement_counts(s, syria, by="coalition")
    assert dict(zip(c["group"], c["count"], strict=True)) == {
        "pro_government": 2,
        "turkish_backed": 1,
        "mixed_opp_hts": 1,
    }
    assert c["share_pct"].sum() == pytest.approx(100.0)
    assert set(c["of_total"]) == {4}
    every = settlement_counts(s, syria, by="actor", settlements_only=False)
    assert dict(zip(every["group"], every["count"], strict=True)) == {
        "gov": 3,
        "opp": 1,
        "turkey": 1,
        "mixed_opp_hts": 1,
    }
    with pytest.raises(QueryError):
        settlement_counts(s, syria, by="region")


@real
def test_settlement_counts_real(real_snap, syria):
    c = settlement_counts(real_snap, syria, by="state")
    # README plain dots per key, minus the five true duplicates (4 SDF, 1 gov) the reader drops
    assert dict(zip(c["group"], c["count"], strict=True)) == {
        "sdf": 1824 - 4,
        "gov": 1797 - 1,
        "opp": 756,
        "isis": 297,
        "hts": 130,
        "mixed_opp_hts": 97,
        "mixed_gov_sdf": 9,
        "contested_other": 4,
        "contested_gov": 2,
    }
    assert int(c["of_total"].iloc[0]) == 4916 - 5


# ---- changed hands -----------------------------------------------------------------------------------------
def test_changed_markers_match_by_position_not_name(syria):
    before = snapshot(
        [
            ("Afrin", 36.871, 36.511, "sdf", "SDF", "settlement"),
            ("Afrin", 37.326, 36.2257, "gov", "gov", "settlement"),  # same name, another village
            ("Tell X", 37.0, 36.0, "opp", "opp", "settlement"),
            ("Tell X base", 37.0, 36.0, "opp", "opp_base", "base"),  # same point, other category
            ("Gone", 38.0, 35.0, "isis", "IS", "settlement"),
            ("Moved", 38.5, 35.5, "isis", "IS", "settlement"),
        ]
    )
    after = snapshot(
        [
            ("Afrin", 36.871, 36.511, "opp", "opp", "settlement"),  # changed hands
            ("Afrin", 37.326, 36.2257, "gov", "gov", "settlement"),  # unchanged
            ("Tell X", 37.0, 36.0, "opp", "opp", "settlement"),
            ("Tell X base", 37.0, 36.0, "gov", "gov_base", "base"),  # the base changed, the village did not
            ("Moved", 38.5025, 35.5, "gov", "gov", "settlement"),  # ~230 m away: same marker
            ("New", 39.0, 35.0, "sdf", "SDF", "settlement"),
        ],
        date=dt.date(2018, 3, 20),
    )
    ch = changed_markers(before, after, syria)
    moved = ch[ch["change"] == "changed hands"]
    assert sorted(moved["name"]) == ["Afrin", "Moved", "Tell X base"]
    afrin = moved[moved["name"] == "Afrin"].iloc[0]
    assert (afrin["from_state"], afrin["to_state"], afrin["lat"]) == ("sdf", "opp", 36.511)
    assert (afrin["from_group"], afrin["to_group"]) == ("sdf_bloc", "turkish_backed")
    assert moved[moved["name"] == "Moved"]["distance_m"].iloc[0] == pytest.approx(228, abs=5)
    assert list(ch[ch["change"] == "disappeared"]["name"]) == ["Gone"]
    assert list(ch[ch["change"] == "appeared"]["name"]) == ["New"]
    assert ch.attrs["matched"] == 5
    summary = changes_summary(ch, syria)
    row = summary[(summary["change"] == "changed hands") & (summary["to_group"] == "pro_government")]
    assert int(row["count"].sum()) == 1  # settlements only: "Moved" (the base is a facility)
    strict = changed_markers(before, after, syria, max_match_m=100)
    assert "Moved" in set(strict[strict["change"] == "appeared"]["name"])


@real
def test_changed_markers_real_module_against_itself(real_snap, syria):
    ch = changed_markers(real_snap, real_snap, syria)
    assert ch.empty and ch.attrs["matched"] == len(real_snap.features)


# ---- strategic markers --------------------------------------------------------------------------------------
@real
def test_strategic_markers_real(real_snap, syria):
    crossings = strategic_markers(real_snap, syria, ["border_crossing"])
    assert len(crossings) == 23
    tanf = crossings[crossings["name"] == "Al-Tanf Crossing"].iloc[0]
    assert (tanf["state"], tanf["group"]) == ("opp", "turkish_backed")
    assert set(crossings[crossings["group"] == "pro_government"]["name"]) >= {"Masnaa Crossing", "Arida Crossing"}
    ports = strategic_markers(real_snap, syria, ["naval"])
    assert len(ports) == 4 and set(ports["state"]) == {"gov"}
    default = strategic_markers(real_snap, syria)
    assert set(default["feature_type"]) == {"border_crossing", "air", "heli", "naval", "base", "dam", "oil"}
    with pytest.raises(QueryError, match="unknown marker type"):
        strategic_markers(real_snap, syria, ["castle"])


def test_polygon_snapshot_is_refused(syria):
    s = snapshot([("A", 36.0, 35.0, "gov", "gov", "settlement")])
    s.kind = "polygons"
    with pytest.raises(QueryError, match="needs a marker snapshot"):
        settlement_counts(s, syria)


# ---- estimate range -------------------------------------------------------------------------------------------
def test_share_range_hand_built(syria):
    s = snapshot(
        [
            ("W", -0.05, 0.0, "gov", "gov", "settlement"),
            ("E", 0.05, 0.0, "opp", "opp_base", "base"),
        ]
    )
    square = shapely.box(-0.1, -0.1, 0.1, 0.1)
    r = marker_share_range(s, syria, square, by="actor", max_distance_km=5)
    wide = r.pivot_table(index="group", columns="method", values="share_pct", fill_value=0.0)
    assert wide.loc["gov", "voronoi"] == pytest.approx(50.0, abs=1e-6)
    assert wide.loc["gov", "settlements-only"] == pytest.approx(100.0)
    assert wide.loc["opp", "settlements-only"] == 0.0
    assert 0 < wide.loc[UNINHABITED, "voronoi-capped"] < 100
    assert r.groupby("method")["share_pct"].sum().round(9).eq(100.0).all()
    summary = share_range_summary(r).set_index("group")
    assert summary.loc["gov", "max_pct"] == pytest.approx(100.0)
    assert summary.loc["opp", "min_pct"] == 0.0 and summary.loc["opp", "min_method"].startswith("settlements")
    assert "depending on method" in summary.loc["gov", "sentence"]


@real
@pytest.mark.slow
def test_share_range_real(real_snap, syria):
    boundary = gpd.read_file(BOUNDARY).geometry.union_all()
    r = marker_share_range(real_snap, syria, boundary)
    s = share_range_summary(r).set_index("group")
    # Regression guard on the July-2017 figures (see docs/syria-markers.md), not an independent reference:
    assert 38.0 < s.loc["pro_government", "min_pct"] < s.loc["pro_government", "max_pct"] < 44.5
    assert 22.5 < s.loc["sdf_bloc", "min_pct"] <= s.loc["sdf_bloc", "max_pct"] < 24.0
    assert s.loc[UNINHABITED, "min_pct"] == 0.0 and 5 < s.loc[UNINHABITED, "max_pct"] < 12
