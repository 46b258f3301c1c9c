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
    ("About 1,900 people were evacuated from Kupiansk district this week, Minister of Internal Affairs Ihor "
     "Klymenko said on Tuesday.", 1900, "Ihor Klymenko", "Minister of Internal Affairs"),
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


# ---- as-of: the period compared with, an event's date, a start, a week of a month ------------------------------
@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("In February alone, Russian troops took 380 square kilometres, slightly more than in January.", 380,
     D(2025, 2, 28)),
    ("Russian forces gained 95 square kilometres in the last week of February, less than during the week before.",
     95, D(2025, 2, 28)),
])
def test_a_period_after_than_is_compared_with_and_does_not_date_the_figure(
        text: str, value: float, as_of: dt.date) -> None:
    assert _read(text, "ukraine")[value]["as_of"] == as_of


def test_a_period_after_than_keeps_its_own_figure_when_a_when_clause_gives_it_one() -> None:
    got = _read("Russian troops took 420 square kilometres in February, slightly more than in January, when they "
                "took 350 square kilometres.", "ukraine")
    assert (got[420]["as_of"], got[350]["as_of"]) == (D(2025, 2, 28), D(2025, 1, 31))


@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("Velyka Novosilka, which Russian forces seized last month, is now empty; fewer than 40 residents remain, a "
     "local official told Reuters.", 40, FRI),
    ("Only 300 people still live in Toretsk, which Russian troops captured last week, a regional official said.",
     300, FRI),
])
def test_a_relative_date_inside_an_event_clause_dates_the_event_not_the_figure(
        text: str, value: float, as_of: dt.date) -> None:
    assert _read(text, "ukraine")[value]["as_of"] == as_of


@pytest.mark.parametrize(("text", "value", "start"), [
    ("Government forces have retaken more than half of the enclave since launching an offensive in early "
     "February, the monitor said on Friday.", 50, D(2025, 2, 1)),
    ("Russian troops have taken 60 villages since opening a new push in mid-January, the ministry said on Friday.",
     60, D(2025, 1, 11)),
])
def test_since_an_event_in_part_of_a_month_is_a_start_and_the_figure_stands_at_the_statement(
        text: str, value: float, start: dt.date) -> None:
    country = "syria" if "enclave" in text else "ukraine"
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet="Wire Desk"), load_profile(country))
    got = next(f for f in figs if f.value == value)
    assert (got.period_start, got.as_of) == (start, FRI)


@pytest.mark.parametrize(("text", "value", "start", "as_of"), [
    ("Russian forces captured 2 villages in the second week of February, the General Staff said.", 2,
     D(2025, 2, 8), D(2025, 2, 14)),
    ("About 15 assault groups reached the canal in the third week of January, and about a dozen were destroyed, "
     "the officer said.", 15, D(2025, 1, 15), D(2025, 1, 21)),
    ("Russian troops advanced 4 kilometres in the last week of February, a Ukrainian commander said.", 4,
     D(2025, 2, 22), D(2025, 2, 28)),
])
def test_a_week_of_a_month_is_seven_days_of_it(text: str, value: float, start: dt.date, as_of: dt.date) -> None:
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet="Wire Desk"), load_profile("ukraine"))
    got = next(f for f in figs if f.value == value)
    assert (got.period_start, got.as_of) == (start, as_of)


# ---- a dateline of the date alone dates an article that has no other date ------------------------------------
@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("March 4, 2019 — Monitors have counted about 41,000 people leaving the pocket since the start of January, "
     "according to the observatory's count.", 41000, D(2019, 3, 4)),
    ("12 November 2023 - Some 6,500 families have returned to the district since the start of the year, the "
     "local council said.", 6500, D(2023, 11, 12)),
])
def test_a_bare_date_dateline_is_the_article_date(text: str, value: float, as_of: dt.date) -> None:
    from whoholds.claims.article import article_from_text

    art = article_from_text(text, "t")
    assert art.date == as_of
    art = Article(text=art.text, source="t", date=art.date, outlet="Wire Desk")
    got = next(f for f in extract_figures(art, load_profile("syria")) if f.value == value)
    assert got.as_of == as_of  # a cumulative count stands on the day of the dateline


def test_a_month_and_year_opening_a_sentence_is_not_a_dateline() -> None:
    from whoholds.claims.anchor import dateline_date

    assert dateline_date("March 2025 saw 400 square kilometres change hands.") is None
    assert dateline_date("March 3 — the ministry said") is None  # no year and no hint: not used


# ---- "over the month": the month named before ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "start", "as_of"), [
    ("Russian forces advanced no more than 5 kilometres near Kupiansk in February, a Ukrainian spokesman said on "
     "Monday. According to DeepState, Russian troops captured 390 square kilometres over the month.", 390,
     D(2025, 2, 1), D(2025, 2, 28)),
    ("Ukrainian drones hit 14 refineries in January, the SBU said on Tuesday. Russian forces lost about 310 "
     "square kilometres of ground during the month, according to the analysts.", 310, D(2025, 1, 1),
     D(2025, 1, 31)),
])
def test_the_month_refers_to_the_month_of_the_figure_before(
        text: str, value: float, start: dt.date, as_of: dt.date) -> None:
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet="Wire Desk"), load_profile("ukraine"))
    got = next(f for f in figs if f.value == value)
    assert (got.period_start, got.as_of) == (start, as_of)


def test_the_month_does_not_take_a_year_named_before() -> None:
    text = ("Russia captured 4,100 square kilometres in 2024, the analysts said on Tuesday. Its troops took 420 "
            "square kilometres over the month, the General Staff said on Wednesday.")
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet="Wire Desk"), load_profile("ukraine"))
    got = next(f for f in figs if f.value == 420)
    assert got.period_start is None or got.period_start.year == 2025  # not the year 2024 named before


# ---- "the true figure was closer to X": the same count over the same period, approximately ---------------------
@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("The ministry says its troops took 4,100 sq km in 2024. DeepState maps suggest the real figure was closer to "
     "3,600 sq km.", 3600, D(2024, 12, 31)),
    ("Officials reported 1,150 returnees in February. Aid workers say the actual number was nearer to 900.", 900,
     D(2025, 2, 28)),
])
def test_the_true_figure_takes_the_period_of_the_figure_before(text: str, value: float, as_of: dt.date) -> None:
    figs = extract_figures(Article(text=text, source="t", date=FRI, outlet="Wire Desk"), load_profile("ukraine"))
    got = next(f for f in figs if f.value == value)
    assert got.as_of == as_of
    assert got.qualifier in ("closer to", "nearer to")


# ---- a body's people speaking for it: "SOHR activists have documented" -------------------------------------------
@pytest.mark.parametrize(("text", "value", "body"), [
    ("Airwars researchers have documented more than 140 civilian deaths in the province since January.", 140,
     "Airwars"),
    ("Jusoor analysts have counted about 230 returnee families in the town this month.", 230, "Jusoor"),
])
def test_a_body_s_people_speak_for_the_body_and_it_is_the_data_source(text: str, value: float, body: str) -> None:
    got = _read(text, "syria")[value]
    assert (got["speaker"], got["data_source"]) == (body, body)


# ---- a present clause after a dated one stands as of the statement ---------------------------------------------
@pytest.mark.parametrize(("text", "dated", "dated_as_of", "now", "now_as_of"), [
    ("Russian forces seized 11 villages in February and are advancing by about 25 square kilometres a day, the "
     "ministry said on Wednesday.", 11, D(2025, 2, 28), 25, D(2025, 3, 12)),
    ("Ukrainian troops lost 3 positions near Toretsk last week but now hold about 60% of the town, a commander "
     "said on Tuesday.", 3, D(2025, 3, 9), 60, D(2025, 3, 11)),
])
def test_a_present_clause_after_a_dated_one_is_as_of_the_statement(
        text: str, dated: float, dated_as_of: dt.date, now: float, now_as_of: dt.date) -> None:
    got = _read(text, "ukraine")
    assert (got[dated]["as_of"], got[now]["as_of"]) == (dated_as_of, now_as_of)


# ---- "pre-war" is "before the war": not the population today, and of no known date --------------------------------
# (A population "before the war" comes from a census of some earlier year: its as-of is unknown, not the eve of the
# invasion; the blind annotations of heldout5/heldout6 agree. "before the invasion" for a share of territory still
# dates it, see test_claims_read_asof.)
@pytest.mark.parametrize(("text", "now", "before"), [
    ("Around 2,000 of the town's 13,000 pre-war residents remain, the mayor said.", 2000, 13000),
    ("Only 700 people remain in the village, which had a prewar population of 4,200, the governor said.", 700,
     4200),
])
def test_a_pre_war_population_is_of_no_known_date(text: str, now: float, before: float) -> None:
    got = _read(text, "ukraine")
    same = _read(text.replace("pre-war residents", "residents before the war")
                 .replace("a prewar population of 4,200", "a population of 4,200 before the war"), "ukraine")
    assert got[before]["as_of"] is None and same[before]["as_of"] is None
    assert got[now]["as_of"] == FRI


@pytest.mark.parametrize(("text", "value"), [
    ("Around 45,000 people still live in Orikhiv district, less than a third of the pre-war population, the "
     "governor said.", 33.3333),
    ("About 8,000 residents remain in the city, roughly a quarter of its pre-war population, officials said.", 25),
])
def test_a_share_of_the_pre_war_population_is_of_now(text: str, value: float) -> None:
    got = _read(text, "ukraine")
    share = next(v for k, v in got.items() if abs(k - value) < 0.01)
    assert share["as_of"] == FRI
