"""Numbers as written → normalised values, units, ranges and qualifiers (issue 4)."""

from __future__ import annotations

import pytest

from whoholds.claims.quantities import (
    COUNT,
    KM2,
    PERCENT,
    POINTS,
    extract_quantities,
    normalise_number,
    qualifier_before,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,411", 1411), ("1,497,650", 1497650), ("1.5 million", 1_500_000), ("1,2 million", 1_200_000),
     ("96.5", 96.5), ("two", 2), ("14,239", 14239)],
)
def test_normalise_number(text: str, value: float) -> None:
    assert normalise_number(text) == pytest.approx(value)


def test_normalise_number_without_number_raises() -> None:
    with pytest.raises(ValueError):
        normalise_number("no figure here")


def one(text: str):  # noqa: ANN201
    qs = extract_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


def test_percent_with_floor_qualifier() -> None:
    q = one("over 96.5% of the country has been retaken")
    assert (q.value, q.unit, q.qualifier, q.comparator, q.surface) == (96.5, PERCENT, "over", "floor", "96.5%")


def test_range_between() -> None:
    q = one("between 60 and 65 percent of Syrian territory")
    assert q.unit == PERCENT and (q.low, q.high) == (60, 65) and q.comparator == "range"
    assert q.value == pytest.approx(62.5)


def test_range_with_dash_and_from_to() -> None:
    assert (one("60-65% of the country").low, one("60-65% of the country").high) == (60, 65)
    q = one("from 60 to 65 percent of the land")
    assert (q.low, q.high, q.qualifier) == (60, 65, "from")


@pytest.mark.parametrize(
    ("text", "qualifier", "comparator"),
    [("nearly 70%", "nearly", "near_below"), ("almost 70%", "almost", "near_below"),
     ("about 70%", "about", "approx"), ("~70%", "~", "approx"), ("more than 70%", "more than", "floor"),
     ("at least 70%", "at least", "floor"), ("up to 70%", "up to", "ceiling"), ("under 70%", "under", "ceiling"),
     ("exactly 70%", "exactly", "exact"), ("just over 70%", "just over", "near_above"), ("70%", None, "exact")],
)
def test_qualifiers(text: str, qualifier: str | None, comparator: str) -> None:
    q = one(text)
    assert (q.qualifier, q.comparator) == (qualifier, comparator)


def test_post_qualifier_or_more() -> None:
    q = one("500 or more settlements")
    assert (q.value, q.comparator) == (500, "floor")


def test_percentage_points_are_not_percent() -> None:
    qs = extract_quantities("Russia's share rose by 2.5 percentage points to 18.5%")
    assert [(q.value, q.unit) for q in qs] == [(2.5, POINTS), (18.5, PERCENT)]
    assert qs[0].surface == "2.5 percentage points"


@pytest.mark.parametrize(
    ("text", "km2"),
    [("574 square kilometres", 574), ("574 km²", 574), ("574 km2", 574), ("574 sq. km", 574),
     ("574 sq km", 574), ("200 hectares", 2), ("1,000 square miles", 2589.988)],
)
def test_areas_normalised_to_km2(text: str, km2: float) -> None:
    q = one(text)
    assert q.unit == KM2 and q.value == pytest.approx(km2, rel=1e-6)


def test_decimal_comma() -> None:
    assert one("96,5% of the territory").value == pytest.approx(96.5)


def test_word_fractions_of_territory_are_shares() -> None:
    q = one("Russia occupies almost a fifth of Ukraine")
    assert (q.value, q.unit, q.comparator) == (20, PERCENT, "near_below")


def test_dates_years_durations_and_vague_amounts_are_not_figures() -> None:
    assert extract_quantities("Mizintsev said on December 11, 2018, during a meeting") == []
    assert extract_quantities("Since the start of 2018, over the past 24 hours") == []
    assert extract_quantities("thousands of ISIS fighters and dozens of villages") == []
    assert extract_quantities("an AFP analysis") == []
    qs = extract_quantities("On 12 December 2018, 25 villages")
    assert [(q.value, q.unit) for q in qs] == [(25, COUNT)]


def test_qualifier_before_needs_word_boundary() -> None:
    assert qualifier_before("moreover 5", 9) == (None, "exact")
    assert qualifier_before("over 5", 5) == ("over", "floor")
