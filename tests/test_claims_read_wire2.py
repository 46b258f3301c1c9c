"""`read` on more wire copy written for this test (not taken from any article): who speaks when a title runs into
a name, when an unnamed person is quoted by an outlet, when an agency is named in lower case or with its country,
and whose data a figure rests on when a country's body is named by its adjective.

Calendar used for the hand-worked dates: 14 March 2025 is a Friday, so "on Tuesday" = 11 March, "on Wednesday" =
12 March, "on Thursday" = 13 March.
"""

from __future__ import annotations

import datetime as dt

import pytest

from whoholds.claims.article import Article, extract_figures
from whoholds.profiles import load_profile

D = dt.date
FRI = D(2025, 3, 14)


def _read(text: str, country: str, outlet: str = "Wire Desk") -> dict[float, dict]:
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet=outlet), load_profile(country))
    return {f.value: {"speaker": f.speaker, "data_source": f.data_source, "as_of": f.as_of,
                      "role": f.speaker_role} for f in figs}


# ---- a title naming a body, then the person ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "speaker", "role"), [
    ("Since the start of the month, Russian forces have taken 14 villages, Commander of the Ground Forces Oleg "
     "Salyukov said on Tuesday.", 14, "Oleg Salyukov", "Commander of the Ground Forces"),
    ("Ukrainian units have pushed back about 6 kilometres near Kupiansk, Chief of the General Staff Anatoliy "
     "Barhylevych told a briefing on Tuesday.", 6, "Anatoliy Barhylevych", "Chief of the General Staff"),
    ("Russian troops have lost 1,200 servicemen near Siversk this week, Commander of the 10th Brigade Petro "
     "Kovalenko said on Tuesday.", 1200, "Petro Kovalenko", "Commander of the 10th Brigade"),
])
def test_a_title_that_names_a_body_is_the_role_and_the_name_after_it_the_speaker(
        text: str, value: float, speaker: str, role: str) -> None:
    got = _read(text, "ukraine")[value]
    assert (got["speaker"], got["role"], got["data_source"]) == (speaker, role, None)  # a person, not a body
    assert got["as_of"] == D(2025, 3, 11)


# ---- an unnamed person quoted by an outlet: the person speaks, the outlet only heard it ------------------------
@pytest.mark.parametrize(("text", "value", "speaker"), [
    ("\u201cWe have lost about a quarter of our positions near Pokrovsk,\u201d a Ukrainian company commander told "
     "The Associated Press.", 25, "Ukrainian company commander"),
    ("Russian troops hold nearly 40% of Toretsk, a Ukrainian soldier fighting in the town told Reuters, asking "
     "not to be named.", 40, "Ukrainian soldier"),
    ("About 900 residents remain in Kostiantynivka, the head of the city's military administration said on "
     "Tuesday.", 900, "head of the city's military administration"),
    ("Some 3,000 people were evacuated from the district in a week, a spokeswoman for the regional "
     "administration told Ukrinform.", 3000, "spokeswoman for the regional administration"),
])
def test_an_unnamed_person_named_by_role_is_the_speaker_not_the_outlet_or_the_body(
        text: str, value: float, speaker: str) -> None:
    got = _read(text, "ukraine", outlet="Reuters")[value]
    assert got["speaker"] == speaker
    assert got["data_source"] is None  # a person's word, not a body's data


@pytest.mark.parametrize("text", [
    "Colonel Andriy Melnyk, who commands a brigade near Chasiv Yar, said on Tuesday that his unit had repelled 30 "
    "assaults. The colonel said 4 of them had reached the canal.",
    "Major Andriy Melnyk, whose battalion holds the line south of Pokrovsk, said on Tuesday that his men had "
    "repelled 30 assaults. The major said 4 of them had reached the trenches.",
])
def test_a_place_in_a_relative_clause_is_not_the_speaker_and_a_bare_title_refers_back(text: str) -> None:
    got = _read(text, "ukraine")
    assert got[30]["speaker"] == got[4]["speaker"] == "Andriy Melnyk"
    assert got[30]["as_of"] == D(2025, 3, 11)


# ---- an agency named in lower case with an abbreviation, or by its country's possessive ------------------------
@pytest.mark.parametrize(("text", "value", "speaker"), [
    ("More than 45,000 people have returned to Homs since January, the U.N. refugee agency said on Wednesday.",
     45000, "U.N. refugee agency"),
    ("Some 80,000 Syrians have crossed back from Turkiye since December, the U.N. migration agency said on "
     "Wednesday.", 80000, "U.N. migration agency"),
])
def test_a_lower_case_agency_with_an_abbreviation_speaks(text: str, value: float, speaker: str) -> None:
    got = _read(text, "syria", outlet="Reuters")[value]
    assert (got["speaker"], got["data_source"], got["as_of"]) == (speaker, speaker, D(2025, 3, 12))


def test_a_country_s_agency_with_a_capitalised_name_puts_its_own_figure() -> None:
    text = ("About 120,000 people have left Lebanon for Syria in ten days, the U.N. refugee agency said on "
            "Thursday. Lebanon's General Security agency put the figure at 135,000.")
    got = _read(text, "syria", outlet="Reuters")
    assert got[120000]["speaker"] == "U.N. refugee agency"
    assert (got[135000]["speaker"], got[135000]["data_source"]) == ("Lebanon's General Security agency",) * 2


# ---- a body named by its country's adjective is the data source, not the adjective ----------------------------
@pytest.mark.parametrize(("text", "value", "source"), [
    ("About 600,000 people went back to Hama, the Omran Center said, citing figures from the Turkish interior "
     "ministry.", 600000, "Turkish interior ministry"),
    ("Nearly 70,000 Syrians returned from Jordan in two months, according to a Reuters analysis of data from the "
     "Jordanian interior ministry.", 70000, "Jordanian interior ministry"),
])
def test_a_ministry_named_by_its_country_s_adjective_is_the_data_source(text: str, value: float, source: str) -> None:
    assert _read(text, "syria")[value]["data_source"] == source
