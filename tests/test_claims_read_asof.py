"""`read` on paragraphs written for this test in the style of wire copy: each figure's as-of date (by the one period
reader, `whoholds.claims.dates.resolve`) and its speaker, asserted against dates worked out by hand."""

from __future__ import annotations

import datetime as dt

from whoholds.claims.article import Article, extract_figures
from whoholds.profiles import load_profile

D = dt.date


def _read(text: str, date: dt.date, outlet: str, country: str = "ukraine") -> dict[float, tuple]:
    figs = extract_figures(Article(text=text, source="t", date=date, outlet=outlet), load_profile(country))
    return {f.value: (f.as_of, f.speaker, f.data_source) for f in figs}


def test_quarter_and_last_months_of_a_year_date_their_figures() -> None:
    got = _read("Russian troops seized about 1,650 square kilometres in Q2 2025, a Wire Desk analysis of DeepState "
                "data showed, compared with 980 square kilometres in the last three months of 2024.",
                D(2025, 7, 4), "Wire Desk")
    assert got[1650][0] == D(2025, 6, 30)
    assert got[980][0] == D(2024, 12, 31)
    assert got[1650][1:] == ("Wire Desk", "DeepState")


def test_month_range_across_a_year_end_dates_to_its_last_month() -> None:
    got = _read("Some 52,000 refugees came back from Lebanon between October and January, the UN refugee agency "
                "UNHCR said.", D(2025, 2, 20), "Levant Desk", "syria")
    assert got[52000][0] == D(2025, 1, 31)


def test_this_year_and_a_named_month_in_one_sentence_each_date_their_own_figure() -> None:
    got = _read("Russian forces have taken 2,870 square kilometres this year, including 415 square kilometres in "
                "May, according to the Wire Desk's count based on ISW maps.", D(2025, 6, 12), "Wire Desk")
    assert got[2870][0] == D(2025, 6, 12)  # "this year": up to the article's date
    assert got[415][0] == D(2025, 5, 31)
    assert got[2870][1] == "Wire Desk"  # the outlet, not "Wire Desk's"


def test_present_tense_background_after_a_quote_is_the_outlets() -> None:
    text = ('"Our positions near Siversk are holding," said Oleksandr Marchenko, a brigade spokesman, adding that '
            "Russian forces had lost 340 troops there in June. Russia controls about 19 percent of Ukraine, "
            "including Crimea, which it annexed in 2014.")
    got = _read(text, D(2025, 7, 2), "Wire Desk")
    assert got[340][:2] == (D(2025, 6, 30), "Oleksandr Marchenko")
    assert got[19][:2] == (D(2025, 7, 2), "Wire Desk")  # the outlet's voice, today's level (not 2014)


def test_backshifted_speech_still_goes_on_with_the_speaker() -> None:
    text = ("Regional governor Ivan Fedorov said on Monday that 14 villages had been evacuated. Russian troops "
            "had advanced 6 kilometres towards the city, he said.")
    got = _read(text, D(2025, 3, 5), "Wire Desk")
    assert got[14][1] == "Ivan Fedorov" and got[6][1] == "Ivan Fedorov"


def test_over_the_same_period_takes_the_period_of_the_sentence_before() -> None:
    text = ("Between November and January, some 61,000 refugees returned from Jordan, the agency said. Another "
            "240,000 displaced people went back to their villages over the same period, it said.")
    got = _read(text, D(2025, 2, 20), "Levant Desk", "syria")
    assert got[61000][0] == D(2025, 1, 31) and got[240000][0] == D(2025, 1, 31)


def test_over_the_same_period_alone_cannot_be_dated() -> None:
    from whoholds.claims.dates import resolve

    info = resolve("Russia gained 300 km2 over the same period.", D(2025, 2, 20), "ukraine")
    assert info.period_start is None and "period named earlier" in info.unresolved


def test_a_number_word_after_a_determiner_is_no_figure() -> None:
    got = _read("The ministry said it had restored power to 41 villages in the three provinces since January.",
                D(2025, 3, 2), "Levant Desk", "syria")
    assert sorted(got) == [41]


def test_a_share_of_them_takes_the_period_of_the_figure_it_divides() -> None:
    text = ("Aid groups recorded the return of 900,000 displaced people to Aleppo province between October and "
            "January. About half of them went back to the city itself, the groups said.")
    got = _read(text, D(2025, 3, 3), "Levant Desk", "syria")
    assert got[900000][0] == D(2025, 1, 31) and got[50][0] == D(2025, 1, 31)


def test_a_present_tense_estimate_is_of_the_article_date_not_an_earlier_statement() -> None:
    text = ("About 95,000 Syrians have returned from Lebanon since January, Lebanon's interior minister said on "
            "Monday. The UN refugee agency estimates that 400,000 more could return by the end of the year.")
    got = _read(text, D(2025, 4, 10), "Levant Desk", "syria")  # 10 April 2025 is a Thursday
    assert got[95000][0] == D(2025, 4, 7)
    assert got[400000][1] == "UNHCR" or "refugee agency" in got[400000][1]
    assert got[400000][0] != D(2025, 4, 7)
