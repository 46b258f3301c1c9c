"""Wikipedia map-module reader: every parsing pitfall of the Syria README, each on a tiny inline snippet."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata

import pytest

from whoholds.errors import InputError
from whoholds.io.wikipedia import (
    base_feature_type,
    canonical_mark,
    is_plain_dot,
    looks_like_wikipedia_module,
    module_markers,
    read_wikipedia_module,
)
from whoholds.profiles import load_profile

DAY = dt.date(2017, 7, 20)
HEAD = "local m = mw.loadData('Module:Middle East conflicts map marks') return {\n\n`   marks = {`\n"
TAIL = "`   },`\n`   containerArgs = {`\n`       'Syria',`\n`   }`\n\n}\n"


@pytest.fixture(scope="module")
def syria():
    return load_profile("syria")


def mirror(*lines: str) -> bytes:
    """A Markdown-mirror module (as in ../shared/data/syria) around the given entry lines."""
    return (HEAD + "\n".join(lines) + "\n" + TAIL).encode("utf-8")


def lua(*lines: str) -> bytes:
    """A raw Lua module, as the MediaWiki API returns it."""
    body = "\n".join(lines)
    return (
        f"local m = mw.loadData('Module:Middle East conflicts map marks')\nreturn {{\n  marks = {{\n{body}\n"
        "  },\n  containerArgs = { 'Syria', float = 'left' }\n}\n"
    ).encode()


def read(data: bytes, profile, name: str = "test.md", date: dt.date | None = DAY):
    return read_wikipedia_module(data, name, profile, date)


def one(snap):
    assert len(snap.features) == 1, snap.features
    return snap.features.iloc[0]


# ---- Markdown mirror artefacts ---------------------------------------------------------------------------
def test_backtick_wrapped_line_and_wikilink_separators(syria):
    snap = read(
        mirror(
            '`       { lat = 33.191, long = 35.869, mark = m.gov_hill, marksize = 6, label = "`[`Tall``   ``Shahim`]'
            '(https://zh.wikipedia.org/wiki/Tall_Shahim "wikilink")`", label_size = 0 },`'
        ),
        syria,
    )
    row = one(snap)
    assert row["name"] == "Tall Shahim"
    assert row["label"] == "[[Tall Shahim|Tall Shahim]]"
    assert (row["state"], row["mark"], row["feature_type"], row["marksize"]) == ("gov", "gov_hill", "hill", 6.0)
    assert (row.geometry.x, row.geometry.y) == (35.869, 33.191)
    assert snap.kind == "markers" and snap.unmapped == {} and snap.features.crs.to_epsg() == 4326
    assert (
        snap.content_hash
        == hashlib.sha256(
            mirror(
                '`       { lat = 33.191, long = 35.869, mark = m.gov_hill, marksize = 6, label = "`[`Tall``   '
                '``Shahim`](https://zh.wikipedia.org/wiki/Tall_Shahim "wikilink")`", label_size = 0 },`'
            )
        ).hexdigest()
    )


def test_ayn_written_as_backtick_is_kept(syria):
    snap = read(
        mirror(
            '`       { lat = 36.212, long = 37.464, mark = m.gov, marksize = 4, label = "`[`Al``   ``` `Afish ``]'
            '(https://zh.wikipedia.org/wiki/Al_\\`Afish "wikilink")``", link = "East Aleppo offensive (2015–16)#Al '
            '`Afish", label_size = 0 },``',
            '`       { lat = 36.190, long = 37.524, mark = m.gov, marksize = 5, label = "`[`` `Ayn ```   ``al``   '
            '``Jamajimah`](https://zh.wikipedia.org/wiki/\\`Ayn_al_Jamajimah "wikilink")``", link = "East Aleppo '
            'offensive (2015–16)#`Ayn al Jamajimah", label_size = 0 },``',
            '`       { lat = 36.194, long = 37.484, mark = m.gov, marksize = 5, label = "`[``Wadi`ah``](https://zh.'
            'wikipedia.org/wiki/Wadi\\`ah "wikilink")``", link = "East Aleppo offensive (2015–16)#Wadi`ah", '
            "label_size = 0 },``",
        ),
        syria,
    )
    assert list(snap.features["name"]) == ["Al `Afish", "`Ayn al Jamajimah", "Wadi`ah"]
    assert snap.features.iloc[0]["label"] == "[[Al `Afish|Al `Afish]]"


def test_escaped_parentheses_in_urls_and_small_tags(syria):
    snap = read(
        mirror(
            '`       { lat = 34.904, long = 37.748, mark = m.gov_hill, marksize = 9, label = "`[`Abu``   ``Duhur``   '
            '``Mountain``   ``(1006)`](https://zh.wikipedia.org/wiki/Abu_Duhur_Mountain_\\(1006\\) "wikilink")`", '
            "label_size = 0 },`",
            '`       { lat = 36.698, long = 38.957, mark = m.SDF, marksize = 8, label = "`[`Tell``   ``Abyad``   '
            '`<small>`(Girê``   ``Sipî)`</small>](https://zh.wikipedia.org/wiki/Tell_Abyad "wikilink")`", '
            "label_size = 0 },`",
        ),
        syria,
    )
    assert list(snap.features["name"]) == ["Abu Duhur Mountain (1006)", "Tell Abyad (Girê Sipî)"]
    assert snap.features.iloc[0]["label"].startswith("[[Abu Duhur Mountain (1006)|")


def test_label_broken_across_lines_keeps_line_numbers(syria):
    data = mirror(
        '`       { lat = 32.523, long = 36.188, mark = m.opp, marksize = 5, label = "`[',
        '`Nassib``   ``Crossing`](https://zh.wikipedia.org/wiki/Battle_of_Nasib_Border_Crossing "wikilink")`", '
        'link = "Battle of Nasib Border Crossing", label_size = 75, position = "bottom" },`',
        '`       { lat = 35.835, long = 38.546, mark = m.SDF, marksize = 12, label = "`[`al-Thawrah`',
        '<small>`(Tabqa)`</small>](https://zh.wikipedia.org/wiki/Al-Thawrah#Syrian_Civil_War "wikilink")`", '
        'link = "Al-Thawrah#Syrian Civil War", label_size = 100, position = "left" },`',
        '`       { lat = 35.0, long = 38.0, mark = m.gov, marksize = 5, label = "Broken },`',
    )
    snap = read(data, syria)
    assert list(snap.features["name"]) == ["Nassib Crossing", "al-Thawrah (Tabqa)"]
    assert snap.repairs["label broken across lines joined"] == 2
    # The entry on file line 8 has an unterminated string: reported with that line number.
    (key,) = [k for k in snap.dropped if k.startswith("malformed")]
    assert "line 8" in key and "unterminated string" in key
    assert snap.dropped[key] == 1


def test_garbled_markdown_stays_local(syria):
    # A wikilink whose conversion went wrong must not swallow the entries after it.
    snap = read(
        mirror(
            '`       { lat = 32.523, long = 36.188, mark = m.opp, marksize = 5, label = "`[',
            'Nassib``   ``Crossing`](https://zh.wikipedia.org/wiki/X "wikilink")`", label_size = 75 },`',
            '`       { lat = 35.1, long = 36.1, mark = m.gov, marksize = 5, label = "Next" },`',
            '`       { lat = 35.2, long = 36.2, mark = m.gov, marksize = 5, label = "After" },`',
        ),
        syria,
    )
    assert list(snap.features["name"])[-2:] == ["Next", "After"]
    assert sum(v for k, v in snap.dropped.items() if k.startswith("malformed")) <= 2
    assert all("line 5" in k for k in snap.dropped if k.startswith("malformed"))


def test_unicode_nonbreaking_hyphen_bidi_marks_and_nfc(syria):
    snap = read(
        lua(
            '{ lat = 35.7, long = 36.6, mark = m.stable_opp_JaN, label = "[[Maarrat al\u2011Nu\'man]]" },',
            '{ lat = 37.0, long = 41.2, mark = m.SDF, label = "[[Tell Tamer|Tell Tamer (Girê\u200e Xurma)]]" },',
            '{ lat = 35.1, long = 36.1, mark = m.gov, marksize = 4, label = "[[Z\u0327alfa]]" },',
        ),
        syria,
    )
    assert list(snap.features["name"]) == [
        "Maarrat al-Nu'man",
        "Tell Tamer (Girê Xurma)",
        unicodedata.normalize("NFC", "Z\u0327alfa"),
    ]
    assert all("\u200e" not in n and "\u2011" not in n for n in snap.features["name"])


# ---- malformed values --------------------------------------------------------------------------------------
def test_long_missing_decimal_point_is_repaired_and_logged(syria):
    snap = read(
        lua(
            '{ lat = 36.7400, long = 366514., mark = m.SDF, marksize = 5, label = "[[Kharab Suluq]]" },',
            '{ lat = 36.70, long = 36.70, mark = m.SDF, marksize = 5, label = "[[A]]" },',
            '{ lat = 36.72, long = 36.62, mark = m.SDF, marksize = 5, label = "[[B]]" },',
        ),
        syria,
    )
    row = snap.features[snap.features["name"] == "Kharab Suluq"].iloc[0]
    assert row.geometry.x == pytest.approx(36.6514) and row.geometry.y == pytest.approx(36.74)
    assert snap.repairs == {"long=366514. read as 36.6514": 1}


def test_integer_and_quoted_numbers_and_missing_spaces(syria):
    snap = read(
        lua(
            '{ lat = 36, long = 38.695, mark = m.SDF, marksize = 6, label = "[[Mushayrifat al-Miftah]]" },',
            '{ lat = "36.277", long = "41.281", mark = m.SDF, marksize = "4", label_size = "75" },',
            '{ lat= 32.646, long = 36.5725, mark = m.gov, marksize= 7, label= "[[Rsas]]" },',
            '{ lat = 36.07, long = 37.12, mark = m.gov_base, marksize =" 7", label_size =0, link = "X" },',
            '{ lat = 36.157, long = 40.613, mark = m.SDF, marksize = 0, label = "[[Al Hulw]]" },',
        ),
        syria,
    )
    f = snap.features
    assert f.geometry.y.iloc[0] == 36.0
    assert list(f["marksize"]) == [6.0, 4.0, 7.0, 7.0, 0.0]
    assert snap.repairs["quoted lat read as a number"] == 1
    assert snap.repairs["quoted long read as a number"] == 1
    assert snap.repairs["quoted marksize read as a number"] == 2
    assert f["name"].iloc[1] == ""  # no label, no link
    assert f["name"].iloc[3] == "X"


def test_lmarksize_typo_is_ignored_and_reported(syria):
    snap = read(
        lua(
            '{ lat = 35.983, long = 37.404, mark = m.gov_base, lmarksize = 8, label = "[[Al-Safira Military Research '
            'Facility]]", link = "Cities and towns during the Syrian Civil War#al-Safira", label_size = 0 },'
        ),
        syria,
    )
    row = one(snap)
    assert math.isnan(row["marksize"])
    assert snap.repairs == {"unknown field 'lmarksize' ignored (line 4)": 1}


# ---- labels and links ---------------------------------------------------------------------------------------
def test_link_only_link_before_label_and_plain_strings(syria):
    snap = read(
        mirror(
            '`       { lat = 36.1438, long = 36.719, mark = m.JaN, marksize = 4, link = "`[`Halazun`](https://zh.'
            'wikipedia.org/wiki/Halazun "wikilink")`", label_size = 0 },`',
            '`       { lat = 36.564, long = 37.275, mark = m.opp, marksize = 5, link = "#Duwaybiq", label_size = 0 },`',
            '`       { lat = 36.538, long = 37.269, mark = m.opp, marksize = 5, link = "Dabiq, Syria#civilwar", '
            'label = "`[`Dabiq`](https://zh.wikipedia.org/wiki/Dabiq,_Syria#civilwar "wikilink")`", label_size = 0},`',
            '`       { lat = 36.667, long = 37.279, mark = m.opp_industry, marksize = 5, label = "Gas plant", '
            "label_size = 0 },`",
            '`       { lat = 35.1, long = 36.0, mark = m.gov, marksize = 4, link = "Cities and towns during the Syrian '
            'Civil War#Kafr Buhum", label_size = 0 },`',
            '`       { lat = 36.3, long = 37.7, mark = m.gov, marksize = 5, label = "`[`Zakiyah`](https://zh.wikipedia'
            '.org/wiki/Zakiyah "wikilink")`", "East Aleppo offensive (January–March 2017)#Zakiyah", label_size = 0 },`',
        ),
        syria,
    )
    assert list(snap.features["name"]) == ["Halazun", "Duwaybiq", "Dabiq", "Gas plant", "Kafr Buhum", "Zakiyah"]
    assert snap.repairs == {"unnamed field ignored (a link written without 'link =')": 1}


def test_raw_lua_and_mirror_give_the_same_markers(syria):
    m = read(
        mirror(
            '`       { lat = 35.442, long = 36.6505, mark = m.JaN, marksize = 12, label = "`[`Khan``   ``Shaykhun`]'
            '(https://zh.wikipedia.org/wiki/Cities_and_towns_during_the_Syrian_Civil_War#Khan_Shaykhun "wikilink")`", '
            'link = "Cities and towns during the Syrian Civil War#Khan Shaykhun", label_size = 70, position = "top" },`'
        ),
        syria,
    )
    r = read(
        lua(
            '{ lat = 35.442, long = 36.6505, mark = m.JaN, marksize = 12, label = "[[Cities and towns during the '
            'Syrian Civil War#Khan Shaykhun|Khan Shaykhun]]", link = "Cities and towns during the Syrian Civil War#'
            'Khan Shaykhun", label_size = 70, position = "top" },'
        ),
        syria,
    )
    cols = ["state", "name", "mark", "marksize", "feature_type"]
    assert one(m)[cols].tolist() == one(r)[cols].tolist() == ["hts", "Khan Shaykhun", "JaN", 12.0, "settlement"]
    assert one(m).geometry.equals(one(r).geometry)


def test_index_syntax_long_strings_comments_and_semicolons(syria):
    snap = read(
        lua(
            "--[[ a block comment { lat = 1, long = 2, mark = m.gov } ]]",
            "{ lat = 35.0, long = 36.0; mark = m['gov_air']; label = [[Hama Military Airport]] };",
            "{ ['lat'] = 35.1, ['long'] = 36.1, mark = m.opp, label = 'Kafr ' .. 'Nabudah' }, -- trailing",
        ),
        syria,
    )
    assert list(snap.features["mark"]) == ["gov_air", "opp"]
    assert list(snap.features["name"]) == ["Hama Military Airport", "Kafr Nabudah"]
    assert snap.dropped == {"commented_out": 1}


# ---- structure ----------------------------------------------------------------------------------------------
def test_commented_out_entries_are_counted(syria):
    snap = read(
        mirror(
            '`       --{ lat = 34.885, long = 36.996, mark = m.gov, marksize = 6, label = "`[`Tal``   ``Khazneh`]'
            '(https://zh.wikipedia.org/wiki/Tal_Khazneh "wikilink")`", link = "Tal Khazneh", label_size = 0 },`',
            '`       -- { lat = 32.9, long = 36.349, mark = m.gov, marksize = 5, label = "Ishnaan", label_size = 0},`',
            '`       { lat = 36.133, long = 36.817, mark = m.opp, marksize = 8, label = "Atarib", label_size = 0 }, -- '
            "INTENTIONALLY OUT OF ORDER`",
            '`       { lat = 36.3244, long = 38.3378, mark = m.SDF, marksize = 5, label = "Dibsiyah" }, `',
        ),
        syria,
    )
    assert list(snap.features["name"]) == ["Atarib", "Dibsiyah"]
    assert snap.dropped == {"commented_out": 2}


def test_pass_overlay_becomes_border_crossing_on_its_dot(syria):
    snap = read(
        lua(
            "{ lat = 36.817, long = 38.011, mark = m.pass_N, marksize = 20 },",
            '{ lat = 36.817, long = 38.011, mark = m.opp, marksize = 8, label = "[[Jarabulus]]" },',
            "{ lat = 33.437, long = 38.895, mark = m.pass_SE, marksize = 18 },",
            '{ lat = 33.437, long = 38.895, mark = m.opp, marksize = 5, label = "[[Al-Tanf Crossing]]" },',
            "{ lat = 30.0, long = 30.0, mark = m.pass_E, marksize = 18 },",
        ),
        syria,
    )
    f = snap.features
    assert list(f["feature_type"]) == ["border_crossing", "border_crossing"]
    assert list(f["state"]) == ["opp", "opp"] and all(is_plain_dot(m) for m in f["mark"])
    assert snap.dropped["overlay:pass"] == 2
    assert snap.dropped["overlay:pass with no dot beneath (line 8)"] == 1


def test_duplicates_images_and_dams(syria):
    snap = read(
        mirror(
            '`       { lat = 36.103, long = 37.308, mark = "Rif_Aleppo2.svg", marksize = 184, label = "Aleppo"},`',
            '`       { lat = 36.103, long = 37.308, mark = "Rif_Aleppo2.svg", marksize = 184}, -- mobile`',
            '`       { lat = 36.5269, long = 36.655, mark = m.SDF, marksize = 5, label = "Darmash Qanli" },`',
            '`       { lat = 36.5269, long = 36.655, mark = m.SDF, marksize = 5, label = "Darmash Qanli" },`',
            '`       { lat = 35.728, long = 37.471, mark = m.gov, marksize = 6, label = "Rashadiyah" },`',
            '`       { lat = 35.728, long = 37.471, mark = m.gov, marksize = 6, label = "Rashādīyah" },`',
            '`       { lat = 36.149, long = 37.967, mark = m.gov, marksize = 5, label = "Tabarat Kalash" },`',
            '`       { lat = 36.149, long = 37.967, mark = m.gov, marksize = 4, label = "Tell al-Tutoun" },`',
            '`       { lat = 36.4137, long = 37.2853, mark = "BSicon STRrf yellow.svg", label = "Shahba Dam" },`',
            '`       { lat = 35.9444, long = 36.4044, mark = "BSicon exv-STRlg grey.svg", label = "Darkush Dam" },`',
            '`       { lat = 36.6980, long = 37.7257, mark = "BSicon STRrf green.svg", label = "Sajur Dam" },`',
            '`       { lat = 36.273, long = 37.1629, mark = "Location dot grey.svg", label = "Aleppo" },`',
        ),
        syria,
    )
    f = snap.features
    assert list(f["name"]) == [
        "Darmash Qanli",
        "Rashadiyah",
        "Tabarat Kalash",
        "Tell al-Tutoun",
        "Shahba Dam",
        "Darkush Dam",
        "Sajur Dam",
    ]
    assert list(f["state"][-3:]) == ["sdf", "hts", "opp"]
    assert set(f["feature_type"][-3:]) == {"dam"}
    assert snap.dropped == {"overlay:image": 3, "duplicate": 2}


def test_raw_icon_files_of_the_marks_module_map_to_their_keys(syria):
    # The secondary module writes icons as file names.
    snap = read(
        lua(
            '{ lat = "36.277", long = "41.281", mark = "Mountain pass 12x12 e.svg", marksize = "20" },',
            '{ lat = "36.277", long = "41.281", mark = "Dot_yellow_ff4.svg", marksize = "6", label = "[[Umm al Jaris '
            'border crossing]]" },',
            '{ lat = "36.061", long = "41.254", mark = "Map-ctl2-red+yellow.svg", marksize = "6", '
            'label = "[[Tal Sufouq border crossing]]" },',
            '{ lat = "35.813", long = "41.367", mark = "Location dot red.svg", marksize = "6", label = "[[Tawsin]]" },',
            '{ lat = "34.4", long = "40.9", mark = "Abm-yellow-icon-2.png", marksize = "6" },',
        ),
        syria,
    )
    f = snap.features
    assert list(f["mark"]) == ["SDF", "stable_gov_SDF", "gov", "SDF_base"]
    assert list(f["state"]) == ["sdf", "mixed_gov_sdf", "gov", "sdf"]
    assert list(f["feature_type"]) == ["border_crossing", "settlement", "settlement", "base"]
    assert snap.dropped == {"overlay:pass": 1}


def test_unknown_mark_is_reported_not_dropped_silently(syria):
    snap = read(
        lua(
            '{ lat = 35.0, long = 36.0, mark = m.spc, marksize = 5, label = "[[X]]" },',
            '{ lat = 35.1, long = 36.1, mark = m.gov, marksize = 5, label = "[[Y]]" },',
            '{ lat = 35.2, long = 36.2, mark = "Some other picture.png", marksize = 5, label = "[[Z]]" },',
        ),
        syria,
    )
    assert snap.unmapped == {"spc": 1}
    assert snap.dropped == {"overlay:image": 1}
    assert list(snap.features["name"]) == ["Y"]


# ---- malformed entries and tables ---------------------------------------------------------------------------
def test_malformed_entries_are_counted_with_line_numbers_and_neighbours_survive(syria):
    snap = read(
        lua(
            '{ lat = 35.0, long = 36.0, mark = m.gov, label = "[[Good 1]]" },',  # line 4
            '{ lat = 35.0, mark = m.gov, label = "[[No long]]" },',  # 5
            '{ lat = "abc", long = 36.0, mark = m.gov },',  # 6
            '{ lat = 35.0, long = 36.0, label = "[[No mark]]" },',  # 7
            "{ lat = 35.0 long = 36.0, mark = m.gov },",  # 8: missing comma
            '{ lat = 35.0, long = 36.0, mark = m.gov, label = "[[Brace lost]]",',  # 9: no closing brace
            '{ lat = 35.3, long = 36.3, mark = m.opp, label = "[[Good 2]]" },',  # 10
            "{ lat = 35.4, long = 36.4, mark = m.gov, label = x() },",  # 11: function call
            "{ lat = 95.0, long = 36.0, mark = m.gov },",  # 12: impossible latitude
            "{ lat = 35.5, long = 36.5, mark = 7 },",  # 13
        ),
        syria,
    )
    assert list(snap.features["name"]) == ["Good 1", "Good 2"]
    dropped = snap.dropped
    assert dropped["malformed entry: no long (line 5)"] == 1
    assert dropped["malformed entry: lat is not a number ('abc') (line 6)"] == 1
    assert dropped["malformed entry: no mark (line 7)"] == 1
    assert any("line 8" in k and "expected ','" in k for k in dropped)
    assert dropped["malformed entry: entry is not closed with '}' before the next entry starts (line 9)"] == 1
    assert dropped["malformed entry: function call x(...) is not a marker value (line 11)"] == 1
    assert dropped["malformed entry: lat = 95.0 is not a coordinate (line 12)"] == 1
    assert dropped["malformed entry: mark is not a key or an icon name (7) (line 13)"] == 1
    assert sum(v for k, v in dropped.items() if k.startswith("malformed")) == 8


def test_truncated_table_is_an_error_naming_file_and_line(syria):
    data = lua("{ lat = 35.0, long = 36.0, mark = m.gov },")
    cut = data[: data.index(b"containerArgs") - 8]  # drop the marks table's closing brace and the rest
    with pytest.raises(InputError) as err:
        read(cut, syria, name="broken.lua")
    assert err.value.source == "broken.lua"
    assert "line" in err.value.problem and "never closed" in err.value.problem


def test_not_a_module_and_empty_file(syria):
    with pytest.raises(InputError, match="no 'marks = "):
        read(b"return { containerArgs = { 'Syria' } }", syria)
    with pytest.raises(InputError, match="empty file"):
        read(b"  \n", syria)
    with pytest.raises(InputError, match="not UTF-8"):
        read(b"\xff\xfe{ lat = 1 }", syria)
    with pytest.raises(InputError, match="no readable marker"):
        read(lua("{ lat = 1 },"), syria)


# ---- dates ----------------------------------------------------------------------------------------------------
def test_no_date_is_an_error_unless_header_or_file_name_has_one(syria):
    data = lua("{ lat = 35.0, long = 36.0, mark = m.gov },")
    with pytest.raises(InputError) as err:
        read(data, syria, name="module.lua", date=None)
    assert err.value.problem.startswith("a Wikipedia map module has no date: pass --date (see ")
    assert read(data, syria, name="Syrian_Civil_War_detailed_map_2018-12-05.lua", date=None).date == dt.date(
        2018, 12, 5
    )
    header = (
        b"-- whoholds: Module:Syrian Civil War detailed map, en.wikipedia.org, revision 873123456 of "
        b"2018-12-05T10:11:12Z\n"
    )
    assert read(header + data, syria, name="module.lua", date=None).date == dt.date(2018, 12, 5)
    assert read(header + data, syria, name="module.lua", date=DAY).date == DAY  # explicit date wins


# ---- helpers ---------------------------------------------------------------------------------------------------
def test_detection():
    assert looks_like_wikipedia_module(lua("{ lat = 35.0, long = 36.0, mark = m.gov },"))
    assert looks_like_wikipedia_module(mirror("`       { lat = 35.0, long = 36.0, mark = m.gov },`"))
    assert looks_like_wikipedia_module(b'{ lat = "36.277", long = "41.281", mark = "Location dot red.svg" }')
    assert not looks_like_wikipedia_module(b'{"type": "FeatureCollection", "features": []}')
    assert not looks_like_wikipedia_module(b"local p = { gov = 'Location dot red.svg' } return p")


@pytest.mark.parametrize(
    ("mark", "ftype"),
    [
        ("gov", "settlement"),
        ("stable_opp_JaN", "settlement"),
        ("SDF_IS", "settlement"),
        ("truce_gov_opp", "settlement"),
        ("gov_hill", "hill"),
        ("IS_oil", "oil"),
        ("SDF_rural3", "rural"),
        ("pass_NE", "border_crossing"),
        ("dam_W", "dam"),
        ("gov_siege", "siege"),
        ("IS_NE", "pressure"),
        ("svg:BSicon STRrf red.svg", "dam"),
        ("svg:Rif Damashq.svg", "image"),
        ("banana", "other"),
    ],
)
def test_feature_types(mark, ftype):
    assert base_feature_type(mark) == ftype


def test_canonical_marks():
    assert canonical_mark("gov_hill", True) == "gov_hill"
    assert canonical_mark("Location_dot_red.svg", False) == "gov"
    assert canonical_mark("File:icon NuclearPowerPlant-green.svg", False) == "opp_industry"
    assert canonical_mark("80x80-green-black-anim.gif", False) == "IS_Trk"
    assert canonical_mark("Rif_Aleppo2.svg", False) == "svg:Rif Aleppo2.svg"


def test_module_markers_lists_entries_before_merging():
    table = module_markers(
        lua(
            "{ lat = 36.817, long = 38.011, mark = m.pass_N, marksize = 20 },",
            '{ lat = 36.817, long = 38.011, mark = m.opp, marksize = 8, label = "[[Jarabulus]]" },',
        )
    )
    assert list(table["mark"]) == ["pass_N", "opp"] and list(table["line"]) == [4, 5]
