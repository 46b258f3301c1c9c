"""The shared Syria module (../shared/data/syria): counts against its README, spot checks, speed.

Definitions used below (also in docs/syria-markers.md):
* *active entry* — a ``{ lat, long, mark }`` entry that is not commented out (README: 6,184 - 5 = 6,179);
* *plain dot* — a side-coloured marker whose key has no facility suffix (single-side, stable mixed and
  contested dots; README: 4,916);
* *side group* — all keys starting with that side (gov_*, SDF_*, ...), counted over active entries.
The snapshot itself then drops overlays (23 pass_* icons merged into their dots, 14 minimap/road/label
images) and 5 true duplicates (same point, mark and name): 6,179 - 23 - 14 - 5 = 6,137 markers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest
from conftest import DATA as SHARED_DATA

from whoholds.errors import InputError
from whoholds.io.wikipedia import is_plain_dot, module_markers, read_wikipedia_module
from whoholds.profiles import load_profile

DATA = SHARED_DATA / "syria"
MAIN = DATA / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"
SECONDARY = DATA / "wikipedia_zh_Module_Syrian_and_Iraqi_insurgency_detailed_map.md"
MARKS = DATA / "wikipedia_zh_Module_Middle_East_conflicts_map_marks.md"
DAY = dt.date(2017, 7, 20)

pytestmark = pytest.mark.skipif(not MAIN.exists(), reason="shared Syria data not present")

#: "All 61 distinct mark keys" table of the README (raw file names as written there).
README_MARKS = {
    "SDF": 1824,
    "gov": 1797,
    "opp": 756,
    "gov_base": 343,
    "gov_hill": 309,
    "IS": 297,
    "JaN": 130,
    "SDF_hill": 125,
    "stable_opp_JaN": 97,
    "opp_base": 51,
    "opp_hill": 51,
    "gov_industry": 48,
    "SDF_base": 37,
    "SDF_industry": 35,
    "JaN_base": 32,
    "gov_oil": 29,
    "gov_air": 24,
    "IS_oil": 22,
    "IS_base": 13,
    "IS_hill": 12,
    "SDF_oil": 12,
    "JaN_hill": 12,
    "opp_industry": 11,
    "pass_N": 11,
    "stable_gov_SDF": 9,
    "SDF_air": 7,
    "pass_SE": 6,
    "Trk_base": 5,
    "gov_heli": 5,
    "IS_industry": 5,
    "pass_NE": 4,
    "svg:BSicon STRlg yellow.svg": 4,
    "svg:BSicon STRrf red.svg": 4,
    "gov_naval": 4,
    "SDF_IS": 4,
    "JaN_industry": 3,
    "svg:BSicon STRrf yellow.svg": 3,
    "svg:BSicon STRlg red.svg": 3,
    "IS_air": 3,
    "svg:Rif_Aleppo2.svg": 2,
    "svg:BSicon STRlf red.svg": 2,
    "SDF_heli": 2,
    "svg:Rif Damashq.svg": 2,
    "gov_opp": 2,
    "svg:Battle_of_Daraa_City.svg": 2,
    "svg:BSicon STRlf black.svg": 2,
    "svg:Deir ez-Zor clashes (2017).svg": 2,
    "svg:Battle of Qamishli.svg": 2,
    "svg:Battle of Raqqa (2017) for Templates.svg": 2,
    "svg:Syria location map road overlay.svg": 1,
    "opp_air": 1,
    "svg:BSicon STRrf green.svg": 1,
    "svg:Location dot grey.svg": 1,
    "svg:BSicon STRlf green.svg": 1,
    "IS_heli": 1,
    "svg:BSicon STRlf yellow.svg": 1,
    "pass_NW": 1,
    "svg:BSicon exv-STRlg grey.svg": 1,
    "opp_heli": 1,
    "JaN_air": 1,
    "pass_E": 1,
}


@pytest.fixture(scope="module")
def syria():
    return load_profile("syria")


@pytest.fixture(scope="module")
def data() -> bytes:
    return MAIN.read_bytes()


@pytest.fixture(scope="module")
def entries(data):
    return module_markers(data, MAIN.name)


@pytest.fixture(scope="module")
def snap(data, syria):
    return read_wikipedia_module(data, MAIN.name, syria, DAY)


def test_file_is_the_documented_copy(data):
    assert hashlib.sha256(data).hexdigest() == "8f918fe3f8eee5efd30b667faab212e7713a7dec5356a2a3b3490d2ff8335026"




def test_every_mark_key_of_the_readme_with_its_count(entries):
    readme = Counter({k.replace("_", " ") if k.startswith("svg:") else k: v for k, v in README_MARKS.items()})
    assert len(README_MARKS) == 61
    assert Counter(entries["mark"]) == readme


def test_readme_totals(entries, snap):
    marks = entries["mark"]
    assert len(entries) == 6179
    assert snap.dropped["commented_out"] == 5
    raw = marks.str.startswith("svg:")
    passes = marks.str.startswith("pass_")
    side = ~raw & ~passes
    assert (raw.sum(), passes.sum(), side.sum()) == (36, 23, 6120)
    plain = marks.map(is_plain_dot)
    assert plain.sum() == 4916
    facilities = Counter(m.rsplit("_", 1)[1] for m in marks[side & ~plain])
    assert facilities == {"hill": 509, "base": 481, "industry": 102, "oil": 63, "air": 36, "heli": 9, "naval": 4}
    contested = marks.isin(["gov_opp", "SDF_IS"])  # the README's "contested" row
    assert contested.sum() == 6
    by_side = Counter(m.split("_")[0] for m in marks[side & ~contested])
    assert dict(by_side) == {"gov": 2559, "SDF": 2042, "opp": 871, "IS": 353, "JaN": 178, "stable": 106, "Trk": 5}


def test_snapshot_accounting(entries, snap, syria):
    f = snap.features
    assert snap.unmapped == {}
    assert snap.dropped == {"commented_out": 5, "overlay:pass": 23, "overlay:image": 14, "duplicate": 5}
    assert len(f) == len(entries) - 23 - 14 - 5 == 6137
    assert snap.repairs["long=366514. read as 36.6514"] == 1
    assert set(f["state"]) <= {s.id for s in syria.states if s.kind != "excluded"}
    assert (f["feature_type"] == "border_crossing").sum() == 23
    assert (f["feature_type"] == "dam").sum() == 22
    assert f.crs.to_epsg() == 4326 and list(f.columns) == [
        "state",
        "label",
        "fill",
        "name",
        "mark",
        "marksize",
        "feature_type",
        "geometry",
    ]


@pytest.mark.parametrize(
    ("name", "lat", "lon", "state", "ftype"),
    [
        ("Manbij", 36.528, 37.954, "sdf", "settlement"),
        ("Kobanî (Ayn al-Arab)", 36.890, 38.354, "sdf", "border_crossing"),
        ("Jarabulus", 36.817, 38.011, "opp", "border_crossing"),
        ("Palmyra", 34.56, 38.285, "gov", "settlement"),
        ("Idlib", 35.931, 36.634, "mixed_opp_hts", "settlement"),
        ("Hajin", 34.689, 40.831, "isis", "settlement"),
        ("Al-Tanf Crossing", 33.437, 38.895, "opp", "border_crossing"),
        ("Quneitra", 33.125, 35.825, "mixed_opp_hts", "settlement"),
        ("Al-Sukhnah", 34.887, 38.871, "isis", "settlement"),
        ("Khan Shaykhun", 35.442, 36.6505, "hts", "settlement"),
        ("Douma", 32.852, 36.774, "gov", "settlement"),  # the as-Suwayda village, not Eastern Ghouta's Douma
        ("Afrin", 36.511, 36.871, "sdf", "settlement"),
        ("Kharab Suluq", 36.74, 36.6514, "sdf", "settlement"),
        ("Nassib Crossing", 32.523, 36.188, "opp", "border_crossing"),
        ("al-Thawrah (Tabqa)", 35.835, 38.546, "sdf", "settlement"),
        ("Tishrin Dam", 36.391, 38.2, "sdf", "dam"),
    ],
)
def test_spot_checks(snap, name, lat, lon, state, ftype):
    f = snap.features
    at = f[(f.geometry.y.round(4) == round(lat, 4)) & (f.geometry.x.round(4) == round(lon, 4))]
    row = at[at["name"] == name]
    assert len(row) == 1, at[["name", "state"]]
    assert (row["state"].iloc[0], row["feature_type"].iloc[0]) == (state, ftype)


def test_same_name_places_are_kept_apart(snap):
    afrin = snap.features[snap.features["name"] == "Afrin"]
    assert sorted(afrin["state"]) == ["gov", "sdf"]  # Afrin town (SDF) and a village near Aleppo (gov)


def test_secondary_module_border_crossings(syria):
    s = read_wikipedia_module(SECONDARY.read_bytes(), SECONDARY.name, syria, DAY)
    assert s.unmapped == {} and s.dropped == {"overlay:pass": 8}
    assert s.repairs["quoted lat read as a number"] == 16
    assert set(s.features["feature_type"]) == {"border_crossing"}
    states = dict(zip(s.features["name"], s.features["state"], strict=True))
    assert states["Tal Sufouq border crossing"] == "mixed_gov_sdf"
    assert states["Abu Kamal–Al-Qa'im border crossing"] == "isis"
    assert states["Semalka border crossing"] == "sdf"
    assert states["Tawsin border crossing"] == "gov"


def test_marks_module_is_not_a_marker_map(syria):
    with pytest.raises(InputError, match="no 'marks = "):
        read_wikipedia_module(MARKS.read_bytes(), MARKS.name, syria, DAY)


def test_shared_file_has_no_date(data, syria):
    with pytest.raises(InputError, match="has no date: pass --date"):
        read_wikipedia_module(data, MAIN.name, syria, None)
