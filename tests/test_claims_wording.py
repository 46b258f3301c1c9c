"""Wordings that change what a figure means: a definite verdict on them is either read right or not given.

Each sentence is our own, in the style of wire copy and officials' statements. The fake store is set so that the
national share (18.6 %) or the plain period gain would make a definite verdict — usually "false" — if the wording
were ignored; the test asserts that the claim is read as written (computed on the right denominator) or reported
as "cannot be checked" with the reason.
"""

from __future__ import annotations

import datetime as dt
import sys
import types

import pandas as pd
import pytest
from claim_fakes import Source

from whoholds.claims.check import check_claim
from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.parse import parse_claims
from whoholds.profiles import load_profile

UKR = load_profile("ukraine")
D = dt.date
DAY = D(2025, 6, 1)
YEAR_END = (D(2024, 12, 31), D(2025, 12, 31))
NOV = (D(2024, 10, 31), D(2024, 11, 30))


class FakeSource(Source):
    """Russia holds 111,600 of 600,000 km² (18.6 %) on every date; it gained 4,200 km² in 2025, 720 in Nov 2024."""

    def __init__(self) -> None:
        dates = sorted({DAY, *YEAR_END, *NOV, D(2025, 1, 1), D(2025, 11, 30), D(2025, 6, 30)})
        held = {"russia": 111_600.0, "ukraine": 488_400.0}
        super().__init__(UKR, dates, transfers={YEAR_END: (4_200.0, 10.0), NOV: (720.0, 10.0)},
                         shares={d: held for d in dates})


def verdict(text: str, date: dt.date = D(2025, 12, 2)):  # noqa: ANN201
    claims = parse_claims(text, UKR, date)
    assert claims, text
    return check_claim(claims[0], FakeSource()), claims[0]


@pytest.mark.parametrize(("text", "why"), [
    # an exclusion that is no region: judged on the whole country it would be "false"
    ("Russian forces occupy some 7 percent of Ukraine's territory, not counting the areas seized in 2014, as of "
     "1 June 2025.", "leaves out 'the areas seized in 2014'"),
    ("Moscow holds about 11 percent of Ukraine, apart from territories occupied before 2022, as of 1 June 2025.",
     "leaves out 'territories occupied before 2022'"),
    ("Russia controls roughly 12% of Ukraine, not including the parts of Donbas it held before the invasion, "
     "as of 1 June 2025.", "leaves out"),
    ("Russian troops hold 12 percent of mainland Ukraine as of 1 June 2025.", None),  # no claim at all
    # a difference between two amounts is no amount
    ("Russian forces captured 2,500 km² more in 2025 than in 2024, analysts said.", "difference between two"),
    ("Russia captured 1,000 sq km fewer in 2025 than a year earlier.", "difference between two"),
    ("Russia's gains in November 2024 were 500 square kilometres higher than in October.",
     "difference between two"),
    ("Russian troops took 300 km² above last year's total in 2025.", "difference between two"),
    # a share of something other than land
    ("Russia holds 30 percent of Ukraine's coastline as of 1 June 2025.", "'coastline'"),
    ("Russia controls 40 percent of Ukraine's mineral resources as of 1 June 2025, the report said.",
     "'mineral resources'"),
    ("Russia occupies 25 percent of Ukraine's arable land as of 1 June 2025.", "'arable land'"),
    ("Russia controls territory home to 10 percent of Ukraine's pre-war population as of 1 June 2025.",
     "'pre-war population'"),
    # a relative change of a quantity is no share of the country
    ("Russia's territorial gains fell 30% in December 2024, analysts said.", "relative change"),
    ("Russian forces increased their territorial gains by 15 percent in 2025.", "relative change"),
    ("The pace of Russia's advance slowed by some 40 percent in 2025.", None),
    # held and contested land together
    ("Russia occupies 21 percent of Ukraine, including the grey zone, as of 1 June 2025.", "contested land"),
    ("Russian forces hold or contest some 21 percent of Ukraine as of 1 June 2025.", "contested land"),
])
def test_a_wording_the_reading_cannot_resolve_is_never_judged(text: str, why: str | None) -> None:
    if why is None:
        assert all(c.unsure for c in parse_claims(text, UKR, D(2025, 12, 2)))
        return
    v, _claim = verdict(text)
    assert v.label == L.UNCHECKABLE, (text, v.label, v.explanation)
    assert why in v.reason


def test_the_wordings_that_are_resolved_are_judged_on_their_own_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    # Crimea (27,000 km², all Russian-held) left out of numerator and denominator: 84,600 / 573,000 = 14.76 %
    rows = pd.DataFrame({"region_id": ["UA-43", "UA-43"], "region": ["Crimea", "Crimea"],
                         "region_local": ["Krym", "Krym"], "state": ["occupied", "held"],
                         "km2": [27_000.0, 0.0], "region_km2": [27_000.0, 27_000.0], "pct": [100.0, 0.0]})
    module = types.ModuleType("whoholds.geometry.regions")
    module.region_shares = lambda *a, **k: rows  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "whoholds.geometry.regions", module)
    for text in ("Russia occupies 14.8 percent of Ukraine excluding Crimea as of 1 June 2025.",
                 "Excluding Crimea, Russia occupies 14.8 percent of Ukraine as of 1 June 2025.",
                 "Russia occupies 14.8 percent of Ukraine, aside from Crimea, as of 1 June 2025.",
                 "Russia occupies 14.8 percent of Ukraine if Crimea is excluded, as of 1 June 2025.",
                 "Russia occupies 14.8 percent of Ukraine outside Crimea as of 1 June 2025."):
        claims = parse_claims(text, UKR, D(2025, 12, 2))
        assert claims[0].excluded == ("Crimea",), text
        assert not claims[0].unsure, (text, claims[0].unsure)


@pytest.mark.parametrize(("text", "start", "end"), [
    # the frame at the head of the sentence dates a relative period, whatever today is
    ("By December 2024 Russia had seized 4,000 sq km since the start of the year.", D(2024, 1, 1),
     D(2024, 12, 31)),
    ("By November 2025 Russia had seized 3,000 sq km this year.", D(2025, 1, 1), D(2025, 11, 30)),
    ("As of June 2025, Russia had captured 2,000 km² since the start of the year.", D(2025, 1, 1),
     D(2025, 6, 30)),
])
def test_a_frame_at_the_head_of_the_sentence_anchors_relative_periods(text: str, start: dt.date,
                                                                      end: dt.date) -> None:
    claims = parse_claims(text, UKR, D(2026, 12, 3))
    assert (claims[0].period_start, claims[0].period_end) == (start, end)


def test_amount_to_is_a_change_not_the_level_reached() -> None:
    # "gains amount to 0.7%" is the change; read as the share held it would be "false" (0.7 vs 18.6)
    v, claim = verdict("Russia's advances in 2025 amount to 0.7 percent of Ukraine's territory.")
    assert claim.metric == "share_change" and claim.direction == "gained"
    assert v.label != L.FALSE


def test_a_negated_change_is_stated_as_negated() -> None:
    v, claim = verdict("Russia did not capture 1,000 km² in November 2024.")
    assert claim.negated and claim.comparator == "ceiling"
    assert "did not gain 1,000 km²" in v.explanation and v.label == L.ACCURATE  # 720 km² ≤ 1,000


@pytest.mark.parametrize("text", [
    "The government controls territory home to two-thirds of Syrians as of July 2017.",
    "Damascus now rules over land home to about 60 percent of the country, a monitor said on 20 July 2017.",
    "Government forces hold 70 percent of Syria's population centres, the monitor said on 20 July 2017.",
])
def test_people_are_not_land(text: str) -> None:
    claims = parse_claims(text, load_profile("syria"), D(2017, 7, 21))
    assert all(c.unsure for c in claims), [(c.value, c.metric) for c in claims]


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Russian forces seized 200 km² in the week to 8 December 2024, the monitor said.", D(2024, 12, 2),
     D(2024, 12, 8)),
    ("Russian troops took 180 sq km in the seven days ending December 8.", D(2024, 12, 2), D(2024, 12, 8)),
    ("Russia captured 610 km² in the 30 days to 8 December 2024.", D(2024, 11, 9), D(2024, 12, 8)),
])
def test_a_stretch_of_days_ending_on_a_date_is_a_period(text: str, start: dt.date, end: dt.date) -> None:
    claims = parse_claims(text, UKR, D(2024, 12, 10))
    assert (claims[0].period_start, claims[0].period_end) == (start, end)


@pytest.mark.parametrize(("text", "why"), [
    ("Ukraine liberated 10 villages in the Kharkiv region in September 2024.", "local"),
    ("Russian forces captured the town of Pokrovsk and 12 nearby villages in November 2025.", "local"),
    ("Russia captured 40 settlements in November 2024, including 10 towns.", "part of another"),
])
def test_local_and_partial_counts_are_not_national_counts(text: str, why: str) -> None:
    claims = parse_claims(text, UKR, D(2025, 12, 2))
    judged = [c for c in claims if c.value in (10, 12)]
    assert judged and all(why in c.unsure for c in judged)
    assert all(not c.unsure for c in claims if c.value == 40)  # the whole's own clause is clear


@pytest.mark.parametrize("text", [
    "Russia could capture 25 percent of Ukraine by the end of 2025, analysts warned.",
    "Russian forces are expected to take another 3,000 sq km in 2025.",
    "Analysts say Russia would need to capture 10,000 km² in 2025 to take all of Donetsk.",
    "If current trends continue, Russia will hold 20 percent of Ukraine by December 2025.",
    "Moscow wants to control 30 percent of Ukraine as of 1 June 2025, the official said.",
    "Russia is on track to seize 5,000 km² in 2025.",
])
def test_forecasts_aims_and_conditions_are_not_judged(text: str) -> None:
    claims = parse_claims(text, UKR, D(2025, 12, 2))
    assert claims and all("forecast, an aim or a condition" in c.unsure for c in claims)


@pytest.mark.parametrize("text", [
    "In May, Russian forces captured 450 km², the ministry said.",
    "Russian troops may have captured 450 km² in May 2025, analysts said.",
    "Russia claimed to have captured 5,000 km² in 2025.",
])
def test_months_hedges_and_reported_claims_are_still_judged(text: str) -> None:
    claims = parse_claims(text, UKR, D(2025, 12, 2))
    assert claims and not any(c.unsure for c in claims)


@pytest.mark.parametrize(("text", "values"), [
    ("Russia captured 4 200 km² in 2025, the think tank said.", [4200.0]),  # a space between thousands
    ("Since 2015, 1\u00a0497\u00a0650 places were prepared and 290\u202f278 refugees returned.", [1497650.0, 290278.0]),
    ("By December 12 300 soldiers had left.", [300.0]),  # a date, then a count: never 12,300
    ("In 2024 200 km² changed hands.", [200.0]),  # a year, then a figure
])
def test_thousands_grouped_by_spaces(text: str, values: list[float]) -> None:
    from whoholds.claims.quantities import extract_quantities

    assert [q.value for q in extract_quantities(text)] == values


@pytest.mark.parametrize(("text", "script"), [
    ("Росія окупувала 18% території України станом на 1 червня 2025 року.", "Cyrillic"),
    ("سيطرت الحكومة على 60 بالمئة من سوريا", "Arabic"),
])
def test_a_claim_in_another_script_is_one_line_not_noise(text: str, script: str) -> None:
    from whoholds.claims.parse import parse_claim
    from whoholds.errors import QueryError

    with pytest.raises(QueryError, match=f"written in {script} script"):
        parse_claim(text, UKR, D(2025, 12, 2))
    assert not parse_claims("Russia occupies 18% of Ukraine (Україна) as of 1 June 2025.", UKR, D(2025, 12, 2))[
        0].unsure  # a name in another script inside English text is fine
