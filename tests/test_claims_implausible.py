"""A claim whose figure is not a plausible quantity (not finite, more digits than any figure, larger than the
Earth's surface, a share over 100 %) is never rated, least of all "false": it cannot be checked, and says why.

The fake store gives a definite figure (60 % / ~111,000 km² held), so any rating would be possible: the test fails
if one is given."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from test_claims_check import syria_source

from whoholds.claims.check import check_claim
from whoholds.claims.model import Claim
from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.parse import parse_claim
from whoholds.claims.plausible import EARTH_SURFACE_KM2, implausible_reason, unreadable_numerals
from whoholds.errors import QueryError
from whoholds.profiles import load_profile

SYRIA = load_profile("syria")
UKRAINE = load_profile("ukraine")
DAY = dt.date(2018, 12, 11)


@pytest.mark.parametrize(("text", "why"), [
    ("pro-government forces hold 1e309 km2 of Syria", "not a finite number"),
    ("pro-government forces hold 1e309% of the country", "not a finite number"),
    ("pro-government forces hold 123456789012345678901234567 km2 of Syria", "larger than the Earth"),
    ("pro-government forces hold 123,456,789,012,345,678,901,234,567 km2 of Syria", "larger than the Earth"),
    ("pro-government forces hold 9 trillion square kilometres of Syria", "larger than the Earth"),
    ("pro-government forces now control 250% of the country", "cannot exceed 100%"),
    ("pro-government forces hold 5e6 km2 of Syria", "scientific notation"),
])
def test_implausible_figures_cannot_be_checked(text: str, why: str) -> None:
    claim = parse_claim(text, SYRIA, DAY)
    v = check_claim(claim, syria_source(60.0))
    assert v.label == L.UNCHECKABLE
    assert "is not a plausible quantity" in v.explanation and why in v.explanation
    assert v.label != L.FALSE


def test_russia_holds_1e309_km2_of_ukraine_is_read_and_not_rated() -> None:
    claim = parse_claim("Russia holds 1e309 km2 of Ukraine", UKRAINE, dt.date(2025, 1, 1))
    assert claim.subject == "russia" and claim.metric == "area" and math.isinf(claim.value)
    assert claim.figure is not None and claim.figure.surface == "1e309"
    assert "not a plausible quantity" in claim.implausible


def test_an_implausible_number_without_an_actor_says_both() -> None:
    with pytest.raises(QueryError, match="not a plausible quantity"):
        parse_claim("someone holds 1e309 km2", SYRIA, DAY)


def test_a_claim_built_by_hand_with_an_infinite_value_is_not_rated() -> None:
    claim = Claim(quote="x", metric="share", value=math.inf, unit="percent", subject="pro_government",
                  subject_kind="coalition", as_of=DAY, profile="syria", direction_text="hold")
    assert check_claim(claim, syria_source(60.0)).label == L.UNCHECKABLE


def test_plausible_figures_are_still_rated() -> None:
    v = check_claim(parse_claim("pro-government forces hold 60% of the country", SYRIA, DAY), syria_source(60.0))
    assert v.label == L.ACCURATE
    v = check_claim(parse_claim("pro-government forces hold 99% of the country", SYRIA, DAY), syria_source(60.0))
    assert v.label == L.FALSE  # a plausible but wrong figure is still false


def test_the_bounds() -> None:
    # the WGS84 ellipsoid's area, from its own formula: 2πa²(1 + (1-e²)/e · artanh e)
    a, f = 6378137.0, 1 / 298.257223563
    e = math.sqrt(f * (2 - f))
    assert pytest.approx(2 * math.pi * a * a * (1 + (1 - e * e) / e * math.atanh(e)) / 1e6) == EARTH_SURFACE_KM2
    assert implausible_reason(603_628.0, "area") == ""  # Ukraine's whole area is plausible
    assert implausible_reason(100.0, "share") == ""
    assert implausible_reason(-100.5, "share_change") != ""
    assert implausible_reason(math.nan, "area") != ""
    assert [t[0] for t in unreadable_numerals("Russia took 1,411 km2 in 2024 and 1e309 km2, or 1234567890123456")] \
        == ["1e309", "1234567890123456"]
    assert unreadable_numerals("18.6 percent, 4,168 km2, 1.5 million people, 2024-12-31") == []


def test_parse_claims_keeps_the_implausible_claim_beside_a_plausible_one() -> None:
    from whoholds.claims.parse import parse_claims

    claims = parse_claims("pro-government forces hold 60% of the country and 1e309 km2 of land", SYRIA, DAY)
    assert [(c.value, bool(c.implausible)) for c in claims] == [(60.0, False), (math.inf, True)]
    assert [check_claim(c, syria_source(60.0)).label for c in claims] == [L.ACCURATE, L.UNCHECKABLE]
    only = parse_claims("Russia holds 1e309 km2 of Ukraine", UKRAINE, dt.date(2025, 1, 1))
    assert len(only) == 1 and only[0].implausible


def test_ledger_neighbours_are_not_sought_for_an_implausible_figure() -> None:
    rows = [{"as_of": "2018-12-31", "source_org": "Jusoor", "party": "pro_government", "indicator": "territory_share",
             "value": 60.3, "unit": "percent"}]
    v = check_claim(parse_claim("pro-government forces hold 1e309% of the country", SYRIA, DAY), syria_source(60.0),
                    ledger_rows=rows)
    assert v.label == L.UNCHECKABLE and not v.neighbours
