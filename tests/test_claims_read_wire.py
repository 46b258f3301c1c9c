"""`read` on wire copy, briefings and bulletins written for this test (not taken from any article): each figure's
speaker, data source, as-of date, unit, rate and qualifier, against values worked out by hand.

Calendar used for the hand-worked dates: 14 March 2025 is a Friday (1 January 2025 was a Wednesday; 14 March is
day 73 of the year, 72 days = 10 weeks + 2 days after a Wednesday). So "on Wednesday" = 12 March, "on Thursday" =
13 March, "on Monday" = 10 March, "on Sunday" = 9 March; the weekend before Monday 17 March is 15–16 March.
"""

from __future__ import annotations

import datetime as dt

import pytest

from whoholds.claims.article import Article, extract_figures
from whoholds.profiles import load_profile

D = dt.date
FRI = D(2025, 3, 14)


def _read(text: str, date: dt.date | None, outlet: str = "Wire Desk", country: str = "ukraine") -> dict[float, dict]:
    figs = extract_figures(Article(text=text, source="t", date=date, outlet=outlet), load_profile(country))
    return {f.value: {"speaker": f.speaker, "data_source": f.data_source, "as_of": f.as_of, "unit": f.unit,
                      "per": f.per, "qualifier": f.qualifier, "role": f.speaker_role, "note": f.note}
            for f in figs}


# ---- speaker: appositions, reporting verbs with an object, months are not names -----------------------------
@pytest.mark.parametrize(("text", "value", "speaker", "role_word", "as_of"), [
    ('"We have brought 4,500 families back to their homes since January," Ahmad Ibrahim, the governor of Rif '
     "Dimashq, told the state news agency SANA on Sunday.", 4500, "Ahmad Ibrahim", None, D(2025, 3, 9)),
    ("Some 860 people were evacuated from Kupiansk on Thursday, Oleh Syniehubov, the head of the Kharkiv "
     "regional administration, said.", 860, "Oleh Syniehubov", None, D(2025, 3, 13)),  # evacuated on Thursday
    ("More than 1,000 people a day crossed from Lebanon into Syria this month, said Gonzalo Vargas Llosa, "
     "UNHCR's representative in Syria.", 1000, "Gonzalo Vargas Llosa", None, FRI),
    ("Nearly 2,300 homes in the region have been damaged since January, Serhiy Lysak, governor of "
     "Dnipropetrovsk, said on Wednesday.", 2300, "Serhiy Lysak", None, D(2025, 3, 12)),
])
def test_a_name_before_its_role_is_the_speaker_not_the_place_in_the_role(
        text: str, value: float, speaker: str, role_word: str | None, as_of: dt.date) -> None:
    country = "syria" if ("Syria" in text or "Dimashq" in text) else "ukraine"
    got = _read(text, FRI, country=country)[value]
    assert got["speaker"] == speaker
    assert got["as_of"] == as_of


def test_a_month_before_said_is_not_the_speaker() -> None:
    got = _read("About 640 families returned to Saraqib in the first week of March, said Khaled Omar, a member of "
                "the local council.", FRI, country="syria")
    assert got[640]["speaker"] == "Khaled Omar"


def test_a_body_that_published_figures_is_what_by_its_count_refers_to() -> None:
    text = ("UNHCR, the U.N. refugee agency, published new figures on Wednesday. By its count, 312,000 Syrians "
            "have returned from neighbouring countries since December 8.")
    got = _read(text, FRI, country="syria")[312000]
    assert (got["speaker"], got["data_source"]) == ("UNHCR", "UNHCR")
    assert got["as_of"] == D(2025, 3, 12)  # the day of the statement, not the article's


def test_he_noted_refers_back_to_the_official_who_spoke_to_reporters() -> None:
    text = ("Oleh Syniehubov, governor of the Kharkiv region, spoke to reporters on Thursday. He noted that 1,200 "
            "people had been evacuated from the Kupiansk district in the past week.")
    got = _read(text, FRI)[1200]
    assert got["speaker"] == "Oleh Syniehubov"
    assert got["as_of"] == D(2025, 3, 13)


def test_the_ministry_added_is_the_ministry_named_before() -> None:
    text = ("Russia's Defence Ministry said on Wednesday its forces had taken the village of Kostiantynopil. "
            "Ukrainian losses in the area exceeded 240 troops over the past day, the ministry added.")
    got = _read(text, FRI)[240]
    assert got["speaker"] == "Russia's Defence Ministry"
    assert got["as_of"] == D(2025, 3, 12)
    assert got["qualifier"] == "exceeded" or got["qualifier"] in ("more than", None)


def test_the_outlets_own_review_beside_an_officials_claim() -> None:
    text = ("The Kremlin said on Tuesday that Russian forces now control 99 percent of the Luhansk region. A Wire "
            "Desk review of open-source maps puts the figure at 98.5 percent.")
    got = _read(text, FRI)
    assert (got[99]["speaker"], got[99]["as_of"]) == ("Kremlin", D(2025, 3, 11))
    assert (got[98.5]["speaker"], got[98.5]["as_of"], got[98.5]["unit"]) == ("Wire Desk", FRI, "percent")


def test_outlet_analysis_of_think_tank_data_keeps_both() -> None:
    got = _read("Russian forces captured 476 square kilometres of Ukrainian land in February, according to a Wire "
                "Desk analysis of data from the Institute for the Study of War.", FRI)[476]
    assert (got["speaker"], got["data_source"]) == ("Wire Desk", "Institute for the Study of War")
    assert (got["as_of"], got["unit"]) == (D(2025, 2, 28), "km2")


def test_background_in_the_outlets_voice_after_a_general_staff_statement() -> None:
    text = ("Ukraine's General Staff said on Friday that its troops had repelled 47 attacks near Pokrovsk over the "
            "past 24 hours. Moscow's forces hold about 113,000 square kilometres of Ukrainian territory, including "
            "Crimea.")
    got = _read(text, FRI)
    assert got[47]["speaker"] == "Ukraine's General Staff"
    assert (got[113000]["speaker"], got[113000]["qualifier"], got[113000]["unit"]) == ("Wire Desk", "about", "km2")


# ---- as-of: an undated earlier point, the weekend, "as of Monday", cumulative figures -----------------------
@pytest.mark.parametrize("text", [
    "At the peak of its incursion, Ukraine controlled some 1,300 square kilometres of the Kursk region, a senior "
    "Ukrainian commander told reporters on Tuesday.",
    "At the height of the offensive, Russian troops held roughly 1,300 square kilometres around Kharkiv, the "
    "analysts said.",
    "Russian forces held 1,300 square kilometres west of the river at one point, Ukraine's military said on "
    "Monday.",
])
def test_a_figure_at_an_undated_earlier_peak_has_no_as_of_date(text: str) -> None:
    got = _read(text, FRI)[1300]
    assert got["as_of"] is None  # not the statement's day: the peak was earlier and the text does not date it
    assert "does not date" in got["note"]


def test_over_the_weekend_is_dated_to_its_sunday() -> None:
    got = _read("Over the weekend, 23 settlements came under Russian shelling, the regional military "
                "administration said.", D(2025, 3, 17))[23]
    assert got["as_of"] == D(2025, 3, 16)
    got = _read("Russian drones hit 14 substations last weekend, Ukraine's energy ministry said.", FRI)[14]
    assert got["as_of"] == D(2025, 3, 9)  # the weekend of 8–9 March


def test_as_of_a_weekday_is_that_day() -> None:
    got = _read("As of Monday, 2,450 people remained in the town, mayor Vadym Filashkin said.", FRI)[2450]
    assert (got["as_of"], got["speaker"]) == (D(2025, 3, 10), "Vadym Filashkin")


@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("Since the start of the year, Russian troops have captured 1,150 square kilometres, DeepState said on Monday.",
     1150, D(2025, 3, 10)),
    ("So far this year, 96,000 refugees have returned from Turkey, the Turkish interior ministry said.", 96000, FRI),
    ("In February, the Russian army advanced by 389 square kilometres, the analysts at DeepState said.", 389,
     D(2025, 2, 28)),
    ("Russian forces seized 126 square kilometres last week, according to the DeepState monitoring group.", 126,
     D(2025, 3, 9)),
    ("Russian troops had taken about 4,100 square kilometres in 2024, the think tank said in its year-end review.",
     4100, D(2024, 12, 31)),
])
def test_cumulative_and_past_period_figures_are_dated_by_their_period(text: str, value: float,
                                                                       as_of: dt.date) -> None:
    assert _read(text, FRI)[value]["as_of"] == as_of


def test_said_on_thursday_resolved_against_a_dateline() -> None:
    from whoholds.claims.article import article_from_text

    art = article_from_text("KYIV, March 7, 2025 (Wire Desk) - Ukraine's air force said on Thursday it had shot "
                            "down 58 of 112 drones launched overnight.\n\nThe attack targeted energy sites.", "t")
    assert art.date == D(2025, 3, 7)
    got = {f.value: f for f in extract_figures(art, load_profile("ukraine"))}
    assert got[58].as_of == got[112].as_of == D(2025, 3, 6)
    assert got[58].speaker == "Ukraine's air force"


def test_a_rate_keeps_its_unit_and_qualifier() -> None:
    got = _read("Between 300 and 400 people a day are crossing back from Lebanon, the governor of Homs said on "
                "Sunday.", FRI, country="syria")
    (fig,) = got.values()
    assert (fig["per"], fig["as_of"]) == ("day", D(2025, 3, 9))
