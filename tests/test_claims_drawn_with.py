"""A foreign army whose land the map draws as its local allies' (profile `drawn_with`): a claim about its area or
share alone is refused with the reason, never rated on its few own places; the coalition is still checked."""

from __future__ import annotations

import datetime as dt

import pytest

from whoholds.claims.check import check_claim
from whoholds.claims.model import VerdictLabel
from whoholds.claims.parse import parse_claim
from whoholds.errors import InputError
from whoholds.profiles import load_profile
from whoholds.profiles.loader import profile_from_dict

DAY = dt.date(2017, 7, 20)


class MarkerSource:
    """Shares of one snapshot, by hand: Turkey's own dots hold 32 km², the coalition with the opposition 17,010."""

    def __init__(self, profile):  # noqa: ANN001
        from claim_fakes import Source

        rows = {"turkey": 32.0, "opp": 16_978.0, "turkish_backed": 17_010.0, "gov": 80_000.0, "sdf": 43_000.0,
                "us_coalition": 0.0, "sdf_bloc": 43_000.0}
        self._fake = Source(profile, [DAY], shares={DAY: rows}, src="syria_module.md")

    def __getattr__(self, name):  # noqa: ANN001, ANN204
        return getattr(self._fake, name)


@pytest.mark.parametrize("text", [
    "The Turkish army controls about 2,000 km² of northern Syria",
    "Turkish forces hold some 2,000 square kilometres in Syria",
    "Turkey controls around 1% of Syrian territory",
    "US forces control 30% of Syria",
])
def test_an_actor_drawn_as_its_allies_is_not_checked_alone(text: str) -> None:
    profile = load_profile("syria")
    claim = parse_claim(text, profile, date=DAY)
    assert claim is not None
    verdict = check_claim(claim, MarkerSource(profile))
    assert verdict.label is VerdictLabel.UNCHECKABLE, verdict.explanation
    assert "mostly marked as" in (verdict.reason or "") and "(the coalition) can be checked" in verdict.reason


def test_an_actor_without_drawn_with_is_still_checked() -> None:
    profile = load_profile("syria")
    claim = parse_claim("The SDF controls about 23% of Syria", profile, date=DAY)
    verdict = check_claim(claim, MarkerSource(profile))
    assert verdict.label is not VerdictLabel.UNCHECKABLE, verdict.explanation


def test_drawn_with_must_name_other_known_actors() -> None:
    data = {"id": "x", "name": "X", "boundary": {"country": "Ukraine"},
            "actors": [{"id": "a", "drawn_with": ["nobody"]}],
            "states": [{"id": "s", "kind": "actor", "actor": "a"}]}
    with pytest.raises(InputError, match="drawn_with"):
        profile_from_dict(data)
