"""Period phrase families read by `whoholds.claims.period_text` (and so by `check` and `read` through
`whoholds.claims.dates.resolve`): quarters, month ranges across a year end, stretches of a year ("the first three
months of 2025"), a start named with its month ("since the start of the operation in September 2015"), and years
that date an event in a side clause ("Crimea, which it annexed in 2014") rather than the figure.

Every expected date is worked out by hand from the calendar in the test, never from the code's output.
"""

from __future__ import annotations

import datetime as dt

import pytest

from whoholds.claims.dates import resolve
from whoholds.claims.period_text import period_mentions

D = dt.date


def _one(text: str, ref: dt.date, profile: str = "ukraine") -> tuple[dt.date, dt.date, str]:
    got = [m for m in period_mentions(text, ref, profile) if m.period is not None]
    assert len(got) == 1, [m.text for m in got]
    return got[0].period.start, got[0].period.end, got[0].kind


# ---- quarters ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "ref", "start", "end"), [
    ("Russian forces took 1,120 km2 over the first quarter, the agency found.", D(2025, 4, 3), D(2025, 1, 1),
     D(2025, 3, 31)),
    ("Russia gained 1,523 square kilometres in Q3 2025.", D(2025, 10, 6), D(2025, 7, 1), D(2025, 9, 30)),
    ("In Q4 2024, Russian troops seized 1,560 km2.", D(2025, 1, 6), D(2024, 10, 1), D(2024, 12, 31)),
    ("in the third quarter of 2024", D(2025, 6, 1), D(2024, 7, 1), D(2024, 9, 30)),
    ("the third-quarter gain of 1,400 km2", D(2024, 10, 2), D(2024, 7, 1), D(2024, 9, 30)),
    ("in 2024's fourth quarter", D(2025, 2, 1), D(2024, 10, 1), D(2024, 12, 31)),
    # no year: the latest such quarter begun by the statement date (Q4 named in February is last year's)
    ("in the fourth quarter", D(2025, 2, 10), D(2024, 10, 1), D(2024, 12, 31)),
    # "the last quarter": the one before the current one
    ("in the last quarter", D(2025, 5, 10), D(2025, 1, 1), D(2025, 3, 31)),
    ("in the last quarter of 2024", D(2025, 5, 10), D(2024, 10, 1), D(2024, 12, 31)),
    # a quarter still running ends on the statement date
    ("so far in the second quarter", D(2025, 5, 10), D(2025, 4, 1), D(2025, 5, 10)),
])
def test_quarters(text: str, ref: dt.date, start: dt.date, end: dt.date) -> None:
    assert _one(text, ref) == (start, end, "quarter")


# ---- month ranges --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "ref", "start", "end"), [
    ("Between December and March, 400,000 Syrians returned.", D(2025, 4, 10), D(2024, 12, 1), D(2025, 3, 31)),
    ("48,000 people went back between November and February", D(2019, 3, 25), D(2018, 11, 1), D(2019, 2, 28)),
    ("2,356 km2 between August and October", D(2024, 11, 4), D(2024, 8, 1), D(2024, 10, 31)),
    ("from October 2024 to January 2025", D(2025, 6, 1), D(2024, 10, 1), D(2025, 1, 31)),
    ("from November to February 2024", D(2024, 6, 1), D(2023, 11, 1), D(2024, 2, 29)),  # leap year
    ("in December-February", D(2025, 3, 10), D(2024, 12, 1), D(2025, 2, 28)),
    # the last month still running: the range ends on the statement date
    ("between January and April", D(2025, 4, 15), D(2025, 1, 1), D(2025, 4, 15)),
])
def test_month_ranges(text: str, ref: dt.date, start: dt.date, end: dt.date) -> None:
    assert _one(text, ref) == (start, end, "range")


def test_day_ranges_are_still_day_ranges() -> None:
    assert _one("between 1 and 7 December", D(2025, 1, 1)) == (D(2024, 12, 1), D(2024, 12, 7), "range")
    assert _one("from December 1 to 7", D(2025, 1, 1)) == (D(2024, 12, 1), D(2024, 12, 7), "range")


# ---- stretches at one end of a year or month -----------------------------------------------------------
@pytest.mark.parametrize(("text", "ref", "start", "end"), [
    ("1,100 km2 in the last three months of 2024", D(2025, 4, 2), D(2024, 10, 1), D(2024, 12, 31)),
    ("over the first three months of 2025", D(2025, 4, 2), D(2025, 1, 1), D(2025, 3, 31)),
    ("in the first six months of the year", D(2025, 8, 1), D(2025, 1, 1), D(2025, 6, 30)),
    ("in the first ten days of March", D(2025, 4, 1), D(2025, 3, 1), D(2025, 3, 10)),
    ("in the last two weeks of 2024", D(2025, 1, 5), D(2024, 12, 18), D(2024, 12, 31)),
])
def test_parts_of_a_year_or_month(text: str, ref: dt.date, start: dt.date, end: dt.date) -> None:
    assert _one(text, ref) == (start, end, "part")


def test_the_past_three_months_is_still_a_trailing_window() -> None:
    start, end, kind = _one("over the past three months", D(2025, 4, 2))
    assert (end, kind) == (D(2025, 4, 2), "relative") and (end - start).days == 89


# ---- a start named with its month -------------------------------------------------------------------------
def test_since_the_operation_in_a_named_month() -> None:
    # the Russian operation in Syria began on 30 September 2015; the text names the month
    m = [p for p in period_mentions("Since the start of the operation in September 2015, troops liberated 1,411 "
                                    "settlements", D(2019, 4, 2), "syria") if p.period]
    assert [(p.kind, p.period.start, p.period.end, p.cumulative) for p in m] == [
        ("since", D(2015, 9, 30), D(2019, 4, 2), True)]
    # an event the profile does not know: the month named is the start
    m = [p for p in period_mentions("since the offensive in August 2024, Ukraine", D(2024, 11, 1), "ukraine")
         if p.period]
    assert [(p.period.start, p.period.end) for p in m] == [(D(2024, 8, 1), D(2024, 11, 1))]


# ---- years that date an event, not the figure -----------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Russia occupies roughly a fifth of Ukraine's territory, including Crimea, which it annexed in 2014.",
    "Moscow's forces now occupy about 18.6 percent of Ukraine, including the Crimean peninsula annexed in 2014.",
    "Ukraine holds about 450 km2 of the Kursk region, where its troops launched an incursion in August.",
])
def test_event_in_a_side_clause_is_not_the_figures_period(text: str) -> None:
    info = resolve(text, D(2025, 2, 24), "ukraine")
    assert info.period_start is None and info.period_end is None


def test_a_year_of_the_figure_itself_is_kept() -> None:
    info = resolve("Russia captured 4,168 square kilometres of Ukrainian land in 2024.", D(2025, 1, 2), "ukraine")
    assert (info.period_start, info.period_end) == (D(2024, 1, 1), D(2024, 12, 31))
    info = resolve("In 2021, Russia held 7% of Ukraine.", D(2025, 1, 2), "ukraine")
    assert (info.period_start, info.period_end) == (D(2021, 1, 1), D(2021, 12, 31))


# ---- starts written as an event: "since ... a week ago", "after ... on May 10" ---------------------------
def test_since_an_event_a_week_ago_counts_from_it() -> None:
    info = resolve("Turkish forces have seized about 1,000 km2 since the offensive began a week ago, the monitor "
                   "said.", D(2019, 10, 16), "syria")
    assert (info.period_start, info.period_end, info.cumulative) == (D(2019, 10, 9), D(2019, 10, 16), True)


def test_after_an_event_on_a_date_counts_from_it() -> None:
    info = resolve("Troops seized around 180 km2 after opening a new front on May 10, the group said.",
                   D(2024, 6, 3), "ukraine")
    assert (info.said_on, info.period_start, info.period_end, info.cumulative) == (
        None, D(2024, 5, 10), D(2024, 6, 3), True)
