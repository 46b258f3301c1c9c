"""Profiles: loading errors, label/fill/mark classification, grouping and aliases."""

from __future__ import annotations

import pytest

from whoholds.errors import InputError
from whoholds.profiles import UNASSIGNED, load_profile, profile_from_dict

UKRAINE = load_profile("ukraine")
SYRIA = load_profile("syria")


@pytest.mark.parametrize(
    ("label", "fill", "state"),
    [
        ("Окуповано /// Occupied\xa0/// geoJSON.status.occupied\n", "#a52714", "occupied"),
        ("Окупований Крим /// Occupied Crimea\xa0/// geoJSON.territories.crimea", "#880e4f", "occupied_2014"),
        ("ОРДЛО /// CADR and CALR", "#880e4f", "occupied_2014"),
        ("Статус невідомий /// Unknown status /// geoJSON.status.unknown\n", "#bdbdbd", "unknown"),
        ("Звільнено 25.03 /// Liberated 25.03\xa0/// geoJSON.status.dismissed_at {{at:25.03}}", "#0f9d58",
         "liberated"),
        ('"Придністров\'я/// Transnistria /// geoJSON.territories.transnistria"', "#ff5252", "outside"),
        ("Окупована область Петсамо\n///\nOccupied Petsamo", "#ff5252", "outside"),
        ("Багатокутник 11", "#a52714", "occupied"),  # "Polygon 11": the fill decides
        ("24.03", "#0288d1", "liberated"),
        ("Зміїний /// Snake Island", "#a52714", "occupied"),  # a place name, not a status
        # ISW-style English layer names
        ("Russian-controlled Ukrainian Territory before February 24, 2022", None, "occupied_2014"),
        ("Assessed Russian-controlled Ukrainian Territory", None, "occupied"),
        ("Assessed Russian Advances in Ukraine", None, "unknown"),
        ("Claimed Russian Territory in Ukraine", None, "unknown"),
        ("Something else entirely", None, None),
    ],
)
def test_ukraine_labels(label, fill, state):
    assert UKRAINE.classify(label, fill) == state


@pytest.mark.parametrize(
    ("mark", "state"),
    [("gov", "gov"), ("gov_hill", "gov"), ("SDF_air", "sdf"), ("JaN", "hts"), ("IS_oil", "isis"),
     ("stable_opp_JaN", "mixed_opp_hts"), ("gov_opp", "contested_gov"), ("SDF_IS", "contested_other"),
     ("pass_N", "overlay"), ("Trk_base", "turkey")],
)
def test_syria_marks(mark, state):
    assert SYRIA.classify(mark=mark) == state


def test_grouping_and_resolution_order():
    assert UKRAINE.resolution_order == ("occupied_2014", "occupied", "unknown", "liberated", "held")
    assert UKRAINE.group_of("occupied_2014", "actor") == "russia"
    assert UKRAINE.group_of("liberated", "coalition") == "ukraine_side"
    assert UKRAINE.group_of("unknown", "actor") == "unknown"  # contested stays its own row
    assert UKRAINE.group_of(UNASSIGNED, "actor") == UNASSIGNED
    assert SYRIA.group_of("gov", "coalition") == "pro_government"
    assert SYRIA.group_of("mixed_opp_hts", "coalition") == "mixed_opp_hts"  # parties in two coalitions


def test_natural_language_aliases():
    aliases = SYRIA.subject_aliases()
    assert aliases["pro-government forces"] == "pro_government"
    assert aliases["daesh"] == "isis"
    assert UKRAINE.subject_aliases()["occupiers"] == "russia"
    longest_first = list(aliases)
    assert len(longest_first[0]) >= len(longest_first[-1])


def test_user_profile_file_and_its_errors(tmp_path):
    good = tmp_path / "sudan.yaml"
    good.write_text(
        "id: sudan\nname: Sudan\nboundary: {country: SDN}\ndefault_holder: null\n"
        "actors: [{id: saf, name: SAF, colour: '#123456'}, {id: rsf, name: RSF}]\n"
        "states:\n  - {id: saf, kind: actor, actor: saf, labels: ['\\bSAF\\b']}\n"
        "  - {id: rsf, kind: actor, actor: rsf, fills: ['#ff0000']}\n"
    )
    profile = load_profile(str(good))
    assert profile.classify("SAF held", None) == "saf" and profile.classify("x", "FF0000") == "rsf"
    assert profile.resolution_order == ("saf", "rsf")

    with pytest.raises(InputError, match="no such profile"):
        load_profile(str(tmp_path / "missing.yaml"))
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("id: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_profile(str(bad_yaml))
    with pytest.raises(InputError, match="unknown actor"):
        profile_from_dict({"id": "x", "boundary": {"country": "SDN"}, "actors": [],
                           "states": [{"id": "a", "kind": "actor", "actor": "nobody"}]})
    with pytest.raises(InputError, match="bad pattern"):
        profile_from_dict({"id": "x", "boundary": {"country": "SDN"}, "actors": [{"id": "a"}],
                           "states": [{"id": "a", "actor": "a", "labels": ["(unclosed"]}]})
    with pytest.raises(InputError, match="default_holder"):
        profile_from_dict({"id": "x", "boundary": {"country": "SDN"}, "default_holder": "nobody",
                           "actors": [], "states": []})
