"""`read` on wire copy, briefings and bulletins written for this test (not taken from any article): each figure's
speaker, data source, as-of date, unit, rate and qualifier, against values worked out by hand.

Calendar used for the hand-worked dates: 14 March 2025 is a Friday (1 January 2025 was a Wednesday; 14 March is
day 73 of the year, 72 days = 10 weeks + 2 days after a Wednesday). So "on Wednesday" = 12 March, "on Thursday" =
13 March, "on Monday" = 10 March, "on Sunday" = 9 March; the weekend before Monday 17 March is 15–16 March.
"""

from __future__ import annotations

import datetime as dt
import re

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


# ---- periods: ranges across months, dated peaks, "over the year", calendar "a year earlier", comparisons ------
@pytest.mark.parametrize(("text", "ref", "value", "as_of"), [
    ("Some 88,000 people crossed back from Lebanon between November 27 and January 10, the agency said.",
     D(2025, 2, 3), 88000, D(2025, 1, 10)),
    ("Nearly 41,000 people fled the fighting between 15 October and 15 January, OCHA said.", D(2025, 2, 3), 41000,
     D(2025, 1, 15)),
    ("Ukrainian troops hold about 500 square kilometres, down from 1,200 square kilometres at the height of the "
     "offensive in May 2024, the analysts said.", D(2025, 1, 9), 1200, D(2024, 5, 31)),
    ("Russia held 18.2% of Ukraine at the end of 2024, up 0.7 percentage points over the year, according to a Wire "
     "Desk analysis of DeepState maps.", D(2025, 1, 6), 0.7, D(2024, 12, 31)),
    ("Rebel factions hold 6 percent of the country, against 9 percent a year earlier, the monitor said.",
     D(2024, 3, 1), 9, D(2023, 3, 1)),  # the same calendar day, not 365 days back across 29 February
    ("In the first half of 2025, Russian troops took 2,050 square kilometres, about twice the same period last "
     "year, the analysis showed.", D(2025, 7, 2), 2050, D(2025, 6, 30)),
    ("Ukrainian forces still held 210 square kilometres of the region as of October 3, the general staff said.",
     D(2025, 10, 6), 210, D(2025, 10, 3)),
])
def test_period_phrases_date_their_figures(text: str, ref: dt.date, value: float, as_of: dt.date) -> None:
    country = "syria" if re.search(r"Lebanon|OCHA|Rebel", text) else "ukraine"
    assert _read(text, ref, country=country)[value]["as_of"] == as_of


def test_a_first_paragraph_opening_with_by_is_not_a_byline() -> None:
    from whoholds.claims.article import article_from_text

    art = article_from_text("By the end of October, Russian forces held 79.5 percent of the Donetsk region, "
                            "according to DeepState.\n\nFighting went on near Pokrovsk.", "t")
    assert art.outlet is None and "79.5 percent" in art.text
    byline = article_from_text("Heavy fighting near Pokrovsk\n\nBy Jane Doe\n\nRussian forces held 79.5 percent "
                               "of the Donetsk region, according to DeepState.", "t")
    assert byline.outlet == "Jane Doe" and byline.title == "Heavy fighting near Pokrovsk"


# ---- speaker: abbreviated titles, units with ordinals, lower-case bodies, references back --------------------
def test_abbreviated_title_and_ordinal_unit_names() -> None:
    got = _read("Donetsk regional Gov. Vadym Filashkin told reporters on Monday that 310 people were evacuated. "
                "Russian troops are about 3 kilometres from the town, a spokesman for the 3rd Assault Brigade said "
                "on Tuesday.", FRI)
    assert (got[310]["speaker"], got[310]["role"]) == ("Vadym Filashkin", "Gov")
    # a spokesman of a named body: the person (the gold's v-item lists both spellings, data source null)
    assert got[3]["speaker"] in ("3rd Assault Brigade", "spokesman for the 3rd Assault Brigade")
    assert got[3]["as_of"] == D(2025, 3, 11)


def test_a_lower_case_body_after_according_to_and_present_tense_is_the_articles_day() -> None:
    text = ("Russian forces shelled the town 40 times, the brigade's press officer said on Wednesday. Around 1,100 "
            "people remain in Kurakhove, according to the district military administration.")
    got = _read(text, FRI)
    assert got[1100]["speaker"] == "district military administration"
    assert got[1100]["as_of"] == FRI  # "remain": the state as the article is written, not Wednesday's statement


def test_a_subject_interrupted_by_anonymity_and_the_official_said() -> None:
    text = ("A senior Syrian security official, speaking on condition of anonymity, told Wire Desk that 450 "
            "fighters had surrendered in Deir ez-Zor. About 90 of them were foreigners, the official said.")
    got = _read(text, FRI, country="syria")
    assert got[450]["speaker"] == got[90]["speaker"] == "senior Syrian security official"


def test_the_think_tank_itself_and_the_same_figures_refer_back() -> None:
    text = ("A Wire Desk analysis of maps from the Institute for the Study of War shows Russian forces gained 530 "
            "square kilometres in February. The think tank itself put the gain at 610 square kilometres in its "
            "update on Wednesday.")
    got = _read(text, FRI)
    assert (got[530]["speaker"], got[530]["data_source"]) == ("Wire Desk", "Institute for the Study of War")
    assert got[610]["speaker"] == "Institute for the Study of War"
    text = ("Some 48,000 refugees returned from Lebanon in January, the Syrian Center for Policy Research said, "
            "citing data from Lebanon's general security directorate. About 1,500 a day crossed in the last week "
            "of the month, according to the same directorate figures.")
    got = _read(text, FRI, country="syria")
    assert got[48000]["speaker"] == got[1500]["speaker"] == "Syrian Center for Policy Research"
    assert got[48000]["data_source"] == got[1500]["data_source"] == "Lebanon's general security directorate"
    assert got[1500]["per"] == "day"


def test_a_bodys_own_survey_is_its_own_data() -> None:
    text = ("The Syrian Center for Policy Research said 61,000 people went back to Aleppo in March, citing figures "
            "from Turkey's interior ministry. The centre's own household survey found that about 30 percent of them "
            "had no home to return to.")
    got = _read(text, D(2025, 4, 10), country="syria")
    assert got[61000]["data_source"] == "Turkey's interior ministry"
    assert (got[30]["speaker"], got[30]["data_source"]) == ("Syrian Center for Policy Research",) * 2


def test_present_tense_background_after_a_dated_quote_is_the_outlets_of_the_day() -> None:
    text = ("Colonel Hassan Abdo, a spokesman for the Military Operations Command, said on Monday that fighters had "
            "entered 9 villages near Hama. About 3 million Syrians live in Turkey.")
    got = _read(text, FRI, country="syria")
    assert (got[9]["speaker"], got[9]["as_of"]) == ("Hassan Abdo", D(2025, 3, 10))
    assert (got[3000000]["speaker"], got[3000000]["as_of"]) == ("Wire Desk", FRI)


def test_a_rate_followed_by_where_it_happens() -> None:
    got = _read("At the peak of the assault, Russian units launched up to 60 attacks a day in the Kupiansk sector, "
                "the brigade said.", FRI)
    assert (got[60]["per"], got[60]["qualifier"], got[60]["as_of"]) == ("day", "up to", None)


# ---- which war: landmarks, a dated start, regions, hyphenated and village names ------------------------------
@pytest.mark.parametrize(("text", "profile"), [
    ("Russian aircraft flew 34 sorties from Hmeimim over the past day, the reconciliation centre said.", "syria"),
    ("Since the war began in February 2022, 6.7 million people have fled abroad, the agency said.", "ukraine"),
    ("Since the start of the operation in September 2015, 1,200 settlements have joined the truce.", "syria"),
    ("Government forces advanced in Rif Dimashq and Quneitra governorates.", "syria"),
    ("Engineers cleared 300 mines in Deir ez-Zor city, the army said.", "syria"),
    ("The brigade repelled assaults near Bohoiavlenka overnight.", "ukraine"),  # villages only
])
def test_conflict_inferred_from_landmarks_dated_starts_regions_and_villages(text: str, profile: str) -> None:
    from whoholds.claims.conflict import infer_conflict

    assert infer_conflict(text).profile == profile


def test_an_unsure_conflict_says_so() -> None:
    from whoholds.claims.conflict import infer_conflict

    guess = infer_conflict("Troops repelled 12 attacks overnight, the general staff said.")
    assert guess.profile is None and guess.reason


def test_an_opening_point_frames_the_sentence_and_since_an_edge_of_a_month() -> None:
    text = ("By the end of September, Russian forces held 77.4 percent of the Zaporizhzhia region, up 0.6 percentage "
            "points since the end of June, according to a Wire Desk analysis of DeepState maps.")
    got = _read(text, D(2025, 10, 8))
    assert got[77.4]["as_of"] == got[0.6]["as_of"] == D(2025, 9, 30)  # not the article's 8 October
    from whoholds.claims.period_text import period_mentions

    (since,) = [p for p in period_mentions("up 2 points since the middle of 2024", D(2025, 3, 1)) if p.cumulative]
    assert (since.period.start, since.period.end) == (D(2024, 7, 1), D(2025, 3, 1))


def test_a_fraction_as_a_level_and_on_the_same_date() -> None:
    text = ("By the end of June, Russian forces held 99.7 percent of the Luhansk region, according to a Wire Desk "
            "analysis of DeepState maps. In the Kherson region, their share on the same date stood at roughly "
            "two-thirds.")
    got = _read(text, D(2025, 7, 3))
    share = next(v for v in got if 66 < v < 67)
    assert (got[share]["unit"], got[share]["qualifier"]) == ("percent", "roughly")
    assert got[share]["as_of"] == got[99.7]["as_of"] == D(2025, 6, 30)


# ---- second batch: events dated by a month, own points, state media, unnamed bodies, one-war trackers --------
def test_since_an_event_dated_by_a_month_is_cumulative_to_the_statement() -> None:
    got = _read("The UN refugee agency estimates that 1.2 million Syrians have returned home since the fall of the "
                "Assad government in December, including 400,000 from abroad.", D(2025, 5, 20), country="syria")
    assert got[1200000]["as_of"] == got[400000]["as_of"] == D(2025, 5, 20)  # not 31 December 2024
    assert got[1200000]["speaker"] == "UN refugee agency"


def test_a_before_the_invasion_population_is_undated_beside_said_on_friday() -> None:
    got = _read("Kupiansk district chief Andriy Besedin said on Friday that some 3,000 civilians were still living "
                "in the town, down from 27,000 before the full-scale invasion.", D(2024, 10, 21))
    assert (got[3000]["as_of"], got[3000]["qualifier"]) == (D(2024, 10, 18), "some")
    assert got[27000]["as_of"] is None  # a population "before the invasion": some earlier census, date unknown
    assert got[27000]["speaker"] == "Andriy Besedin"


def test_state_television_and_an_unnamed_military() -> None:
    got = _read("Government forces have retaken 92 percent of eastern Ghouta, state television reported on Sunday. "
                "The military said 105,000 civilians had left the enclave since the start of the offensive.",
                D(2018, 3, 26), outlet="Levant Desk", country="syria")
    assert (got[92]["speaker"], got[92]["as_of"]) == ("state television", D(2018, 3, 25))
    assert got[105000]["speaker"] == "military"  # a body, unnamed — not the outlet


def test_a_possessive_city_body_with_a_participle_clause() -> None:
    got = _read("Some 6,500 people have been evacuated from Pokrovsk since August 1, the city's military "
                "administration said on Tuesday, adding that about 16,000 residents remained.", D(2024, 9, 5))
    assert got[6500]["speaker"] == got[16000]["speaker"] == "city's military administration"
    assert got[6500]["as_of"] == D(2024, 9, 3)


def test_a_tracker_of_one_war_places_the_article() -> None:
    from whoholds.claims.conflict import infer_conflict

    guess = infer_conflict("Russian troops advanced by an average of 17 square kilometres a day in October, a Wire "
                           "Desk review of DeepState data shows.")
    assert guess.profile == "ukraine" and "DeepState" in guess.evidence["ukraine"]


# ---- third batch: quotes over sentences, a comparison's own year, captions, bare "officials said" ------------
def test_a_quote_over_two_sentences_is_the_speaker_named_after_it() -> None:
    got = _read('"We lost 14 positions in one week. Nobody is talking about it," said Oleksiy, a drone unit '
                "commander, who gave only his first name.", D(2024, 12, 2))
    assert got[14]["speaker"] == "Oleksiy"


def test_a_year_after_up_from_dates_only_the_earlier_figure() -> None:
    got = _read("Assad's forces control about 63 percent of Syria, up from 20 percent in 2015, the Jusoor Center "
                "said in a report on Monday, while Kurdish-led forces hold about 25 percent.", D(2019, 10, 9),
                outlet="Levant Desk", country="syria")
    assert got[20]["as_of"] == D(2015, 12, 31)
    assert got[63]["as_of"] == got[25]["as_of"] == D(2019, 10, 7)  # Monday's statement, not 2015
    assert got[63]["speaker"] == "Jusoor Center"


def test_a_caption_with_a_figure_is_read_and_a_photo_credit_is_not() -> None:
    from whoholds.claims.boilerplate import is_boilerplate

    assert is_boilerplate("Photo: Reuters/Jane Doe")
    caption = ("Photo: Residents leave Kurakhove on Nov. 3, 2024. About 1,000 people remained in the town, local "
               "officials said.")
    assert not is_boilerplate(caption)
    got = _read(caption, D(2024, 11, 20))
    assert (got[1000]["speaker"], got[1000]["qualifier"]) == ("local officials", "about")


def test_led_authorities_say_and_one_war_phrases() -> None:
    from whoholds.claims.conflict import infer_conflict

    text = ("Kurdish-led authorities say 40,000 people, mostly women and children, remain in al-Hol camp, including "
            "about 16,000 Iraqis.")
    got = _read(text, D(2025, 3, 4), outlet="Levant Desk", country="syria")
    assert got[40000]["speaker"] == got[16000]["speaker"] == "Kurdish-led authorities"
    assert infer_conflict(text).profile == "syria"
    assert infer_conflict("In total, 1,046 settlements have been freed since the start of the special military "
                          "operation, the spokesman told a briefing.").profile == "ukraine"


# ---- fourth batch: possessive after s, "the week to Sunday", an unnamed air force ------------------------------
def test_by_reuters_count_and_the_week_to_a_weekday() -> None:
    got = _read("By Reuters' count, at least 11 settlements changed hands in the week to Sunday.", D(2025, 3, 5),
                outlet="Reuters")
    assert (got[11]["speaker"], got[11]["qualifier"]) == ("Reuters", "at least")
    assert got[11]["as_of"] == D(2025, 3, 2)  # 5 March 2025 is a Wednesday; the Sunday before is 2 March
    got = _read("Some 2,800 people were evacuated in the seven days to Friday, regional governor Serhiy Lysak said.",
                D(2025, 7, 9))
    assert got[2800]["as_of"] == D(2025, 7, 4)  # 9 July 2025 is a Wednesday


def test_the_air_force_said_with_no_body_named_before() -> None:
    got = _read("Overnight, Russia launched 6 missiles and 87 drones at Ukraine, the air force said on Saturday "
                "morning.", D(2025, 5, 3))
    assert got[6]["speaker"] == got[87]["speaker"] == "air force"
    assert got[87]["as_of"] == D(2025, 5, 3)


def test_a_bodys_official_named_with_a_possessive_and_bulletin_counts() -> None:
    got = _read("Roughly two-thirds of the 1.1 million people displaced in Idlib have found shelter in camps, OCHA's "
                "Mark Cutts said.", D(2020, 3, 2), outlet="Levant Desk", country="syria")
    assert got[1100000]["speaker"] == "Mark Cutts" and got[1100000]["role"] == "OCHA"
    text = ("Over the past 24 hours, 1,112 refugees returned to Syria from Lebanon and Jordan, the Russian Centre for "
            "Reconciliation of the Opposing Sides said in its daily bulletin. In total, 311,430 people have come back "
            "since September 30, 2015, the centre said.")
    got = _read(text, D(2019, 4, 4), outlet="Levant Desk", country="syria")
    centre = "Russian Centre for Reconciliation of the Opposing Sides"
    assert got[1112]["speaker"] == got[311430]["speaker"] == centre
    assert got[311430]["as_of"] == D(2019, 4, 4)
    neg = _read("The number of returnees did not exceed 3,000 in February, contrary to official claims, according to "
                "the Syrian Observatory for Human Rights.", D(2019, 3, 10), country="syria")[3000]
    assert (neg["speaker"], neg["as_of"]) == ("Syrian Observatory for Human Rights", D(2019, 2, 28))


def test_check_of_an_undated_peak_says_why_not_give_a_date() -> None:
    from whoholds.claims.check import _unread
    from whoholds.claims.parse import to_claim

    (fig,) = extract_figures(Article(text="At the height of the offensive, Russian troops held roughly 1,300 square "
                                          "kilometres around Kharkiv, the analysts said.", source="t", date=FRI,
                                     outlet="Wire Desk"), load_profile("ukraine"))
    claim = to_claim(fig, load_profile("ukraine"))
    assert claim is not None
    why = _unread(claim, type("S", (), {"profile": load_profile("ukraine")})())
    assert "does not date" in why and "--date" not in why


# ---- fifth batch: contrasting claims, appositions of long names, unnamed officials -----------------------------
def test_two_parties_contrasted_in_one_sentence_each_keep_their_figure() -> None:
    got = _read("While Moscow says its troops have taken 190 settlements this year, Ukrainian officials put the "
                "number at fewer than 100.", D(2025, 8, 1))
    assert got[190]["speaker"] == "Moscow"
    assert (got[100]["speaker"], got[100]["qualifier"]) == ("Ukrainian officials", "fewer than")


def test_a_long_body_name_before_its_apposition() -> None:
    got = _read("The Syrian Observatory for Human Rights, a Britain-based war monitor, said more than 1,000 civilians "
                "had been killed in coastal areas since Thursday.", D(2025, 3, 9), country="syria")
    assert got[1000]["speaker"] == "Syrian Observatory for Human Rights"
    got = _read("Lebanese General Security said 1,500 Syrians left Lebanon on Saturday through the Masnaa crossing.",
                D(2024, 10, 1), country="syria")
    assert got[1500]["speaker"] == "Lebanese General Security"


def test_unnamed_officials_speak_and_their_number_is_not_a_claim() -> None:
    got = _read("Two officials, who spoke on condition of anonymity because they were not authorised to brief the "
                "media, said about 300 fighters remained in the town.", D(2024, 12, 1), country="syria")
    assert set(got) == {300}
    assert (got[300]["speaker"], got[300]["qualifier"]) == ("officials", "about")


# ---- sixth batch: parts of months, "by Friday", unnamed officials and titles -----------------------------------
@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("Russian forces captured 52 square kilometres in mid-February, DeepState said.", 52, D(2025, 2, 20)),
    ("Between mid-January and early March, about 180,000 refugees returned from Turkey, the ministry said.", 180000,
     D(2025, 3, 10)),
    ("Late last month, Russian troops seized 6 villages, Ukraine's military said.", 6, D(2025, 2, 28)),
])
def test_parts_of_months_date_their_figures(text: str, value: float, as_of: dt.date) -> None:
    country = "syria" if "Turkey" in text else "ukraine"
    assert _read(text, FRI, country=country)[value]["as_of"] == as_of


def test_by_friday_and_bare_officials_and_an_unnamed_governor() -> None:
    got = _read("By Friday, 3,400 people had been evacuated, officials said.", D(2025, 3, 17))
    assert (got[3400]["speaker"], got[3400]["as_of"]) == ("officials", FRI)
    got = _read("Earlier this week, 9 civilians were wounded in Kherson, the regional governor said.", FRI)
    assert got[9]["speaker"] == "regional governor"


def test_headline_attributions() -> None:
    got = _read("Over 1 million Syrians return home since Assad fall - UN", D(2025, 4, 3), country="syria")
    assert got[1000000]["speaker"] == "UN"
    got = _read("UN: 280,000 displaced in a week in northwest Syria", D(2025, 4, 3), country="syria")
    assert got[280000]["speaker"] == "UN"
    got = _read("Russia gains 610 sq km in March, analysts say", D(2025, 4, 3))
    assert (got[610]["speaker"], got[610]["as_of"]) == ("analysts", D(2025, 3, 31))
    got = _read("Analysis: Russia took 400 sq km in May", D(2025, 4, 3))
    assert got[400]["speaker"] == "Wire Desk"  # a label, not a speaker


# ---- seventh batch: role before the name, nationality bodies, relative clauses, spellings of places ------------
def test_a_role_then_the_name_closing_the_clause() -> None:
    text = ("IOM said on Tuesday that 85,000 internally displaced people had returned to Aleppo and Idlib in the "
            'previous month.\n\n"Many find their homes destroyed," said IOM\'s chief of mission in Syria, Rania '
            "Sheikh. Only 30 percent of returnees had access to safe water, she said.\n\nThe country has some 7 "
            "million internally displaced people.")
    got = _read(text, D(2025, 4, 10), outlet="Levant Desk", country="syria")
    assert (got[85000]["speaker"], got[85000]["as_of"]) == ("IOM", D(2025, 3, 31))
    assert got[30]["speaker"] == "Rania Sheikh"
    assert (got[7000000]["speaker"], got[7000000]["as_of"]) == ("Levant Desk", D(2025, 4, 10))


def test_according_to_a_nationality_body_and_a_monitor_with_a_relative_clause() -> None:
    got = _read("That is up from about 470,000 a year ago, according to Ukrainian intelligence.", D(2025, 1, 20))
    assert (got[470000]["speaker"], got[470000]["as_of"]) == ("Ukrainian intelligence", D(2024, 1, 20))
    got = _read("The monitor, which relies on a network of sources on the ground, said 47 fighters had been killed "
                "in the clashes near Tal Rifaat.", D(2024, 12, 3), country="syria")
    assert got[47]["speaker"] == "monitor"


def test_spellings_of_one_place_meet() -> None:
    from whoholds.claims.conflict import infer_conflict, spelling_key

    assert spelling_key("tall rif`at") == spelling_key("tal rifaat") == "tal rifat"
    assert infer_conflict("Clashes went on near Tal Rifaat overnight.").profile == "syria"


# ---- eighth batch: a body's office, an event "began on" a day, a map "published on Monday" ---------------------
def test_an_office_of_a_body_and_it_said() -> None:
    text = ("According to the UN's humanitarian office, 42,000 people were newly displaced in Sweida province in the "
            "ten days to July 25. Aid convoys reached 6 of the 14 affected towns, it said.")
    got = _read(text, D(2025, 7, 28), outlet="Levant Desk", country="syria")
    assert got[42000]["speaker"] == got[6]["speaker"] == "UN's humanitarian office"
    assert got[42000]["as_of"] == D(2025, 7, 25)


def test_since_an_event_that_began_on_a_day_is_not_the_statement_day() -> None:
    got = _read("Russian forces have lost 47 square kilometres near Kupiansk since Ukraine's counteroffensive began "
                "on September 10, the Ukrainian General Staff said, while Moscow claimed to have taken 5 villages in "
                "the same period.", D(2025, 9, 30))
    assert got[47]["as_of"] == got[5]["as_of"] == D(2025, 9, 30)
    assert (got[47]["speaker"], got[5]["speaker"]) == ("Ukrainian General Staff", "Moscow")


def test_figures_that_go_on_from_a_map_published_on_monday_are_of_that_day() -> None:
    text = ("The regime controls 63.4% of Syria's territory, according to a map published by the Jusoor Center for "
            "Studies on Monday. The Syrian Democratic Forces hold 25.6%, and opposition factions 10.98%.")
    got = _read(text, D(2021, 1, 6), outlet="Levant Desk", country="syria")
    assert got[63.4]["as_of"] == got[25.6]["as_of"] == got[10.98]["as_of"] == D(2021, 1, 4)
    assert got[25.6]["speaker"] == "Jusoor Center for Studies"


def test_officials_in_a_place_and_months_to_a_month() -> None:
    got = _read("Moscow-installed officials in Donetsk said 14 people were killed on Saturday. Kyiv did not comment.",
                D(2025, 1, 27))
    assert got[14]["speaker"] == "Moscow-installed officials"
    got = _read("The number of Syrians registered in Turkey fell by 175,000 in the three months to March, to 2.76 "
                "million, according to Turkish migration authority figures.", D(2025, 4, 15), country="syria")
    assert got[175000]["as_of"] == got[2760000]["as_of"] == D(2025, 3, 31)


def test_per_the_un_and_an_agency_citing_local_sources() -> None:
    got = _read("Per the UN, some 70 percent of Syria's population needs aid.", D(2025, 5, 6), country="syria")
    assert (got[70]["speaker"], got[70]["qualifier"]) == ("UN", "some")
    got = _read("Syrian state news agency SANA, citing local sources, reported that 11 people were killed in an "
                "Israeli strike near Damascus.", D(2025, 5, 6), country="syria")
    assert got[11]["speaker"] == "SANA"
    got = _read("Some 300 people a day, or about 9,000 per month, cross back, the governor said.", D(2025, 5, 6),
                country="syria")
    assert (got[300]["per"], got[9000]["per"]) == ("day", "month")  # "per" as a rate is no attribution
