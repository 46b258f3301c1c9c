"""Wordings found by putting officials' and outlets' claims (MoD briefings, General Staff, SANA, monitors,
headlines, fact-checkers' restatements) to ``check``: each class below got a confident label on the wrong
reading before it was fixed — mostly a wrong "false". The sentences are our own, in the style of real ones.

The fake stores are set by hand so that the wrong reading gives a definite label: Russia holds 111,600 of
600,000 km² (18.6 %) and Ukraine the rest; in Syria the government holds 41.7 % and the SDF 23.2 %.
"""

from __future__ import annotations

import datetime as dt

import pytest
from claim_fakes import Source

from whoholds.claims.check import check_claim
from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.parse import parse_claims
from whoholds.claims.verdict import AREA, judge
from whoholds.profiles import load_profile

UKR = load_profile("ukraine")
SYR = load_profile("syria")
D = dt.date
DAY = D(2025, 12, 1)
YEAR = (D(2024, 12, 31), D(2025, 12, 31))


class UkraineSource(Source):
    def __init__(self) -> None:
        dates = sorted({DAY, *YEAR, D(2024, 11, 30), D(2024, 12, 2)})
        shares = {d: {"russia": 111_600.0, "ukraine": 488_400.0} for d in dates}
        shares[YEAR[0]] = {"russia": 108_000.0, "ukraine": 492_000.0}  # 18.0 % a year before: Ukraine's share fell
        super().__init__(UKR, dates, transfers={YEAR: (4_200.0, 9.0), (YEAR[0], DAY): (3_750.0, 9.0)},
                         shares=shares)


class SyriaSource(Source):
    def __init__(self) -> None:
        # 41.7 % and 23.2 % of the fake 600,000 km²
        held = {"gov": 250_200.0, "sdf": 139_200.0, "isis": 105_600.0, "opp": 54_600.0}
        super().__init__(SYR, [D(2017, 7, 20)], shares={D(2017, 7, 20): held}, src="syria_markers.md")


def verdicts(text: str, profile=UKR, date: dt.date = DAY):  # noqa: ANN001, ANN201
    claims = parse_claims(text, profile, date)
    assert claims, text
    source = UkraineSource() if profile is UKR else SyriaSource()
    return [check_claim(c, source) for c in claims]


# --- 1. quoted denials: the sentence says the figure is false (before: 6 of 6 judged as asserted, 5 "false")
@pytest.mark.parametrize("text", [
    "Claims that Russia holds 30% of Ukraine are false.",
    "It is false that Russia occupies 30% of Ukraine.",
    "The claim that Russia controls a quarter of Ukraine is untrue, the ministry said.",
    "The ministry dismissed reports that Russia occupies 30 percent of the country.",
    "Suggestions that Moscow controls 35% of Ukraine are simply wrong.",
])
def test_a_quoted_denial_is_judged_as_the_negation(text: str) -> None:
    v = verdicts(text)[0]
    assert v.claim.negated, text
    assert v.label is L.ACCURATE, (text, v.label, v.explanation)


def test_a_denied_change_is_judged_as_the_negation() -> None:
    v = verdicts("Russian claims of having taken 6,000 km² in 2025 are wildly exaggerated.", date=D(2026, 1, 1))[0]
    assert v.claim.negated and v.label is L.ACCURATE  # not 6,000: 4,200


def test_denying_only_so_much_says_more() -> None:
    # "reports that it holds only 20% are false": it holds more than 20% (41.7 %) — before: "false"
    v = verdicts("Reports that the government controls only 20% of Syria are false, SANA said.", SYR,
                 D(2017, 7, 21))[0]
    assert v.claim.comparator == "floor"
    assert v.label is L.ACCURATE


def test_a_plain_statement_is_not_a_denial() -> None:
    v = verdicts("Russia holds 30% of Ukraine, the false-flag report said.")[0]
    assert not v.claim.negated and v.label is L.FALSE  # 30 vs 18.6: 11.4 pp


# --- 2. a loss of a share is no share held (before: 4 of 4 "false": "Ukraine holds 19 %" against 81.4 %)
@pytest.mark.parametrize("text", [
    "Ukraine has lost almost 20% of its territory to Russia.",
    "Ukraine has lost about 19 percent of its territory since 2014.",
    "Kyiv has lost control of roughly 19% of the country.",
    "ISIS has lost 60% of its territory in Syria.",
])
def test_a_share_lost_is_not_a_share_held(text: str) -> None:
    profile = SYR if "ISIS" in text else UKR
    v = verdicts(text, profile, D(2017, 7, 21) if profile is SYR else DAY)[0]
    assert v.label is L.UNCHECKABLE, (text, v.label)


# --- 3. "liberated from X": X is the loser, not the holder (before: 3 of 3 read as "X holds 96.5 %")
@pytest.mark.parametrize("text", [
    "Over 96.5% of Syria's territory has been liberated from terrorists, the Russian general staff said.",
    "More than 85 percent of Syrian territory has been freed from terrorists.",
    "Some 90% of the country has been cleared of ISIS fighters, the ministry said.",
])
def test_land_taken_from_someone_names_no_holder(text: str) -> None:
    v = verdicts(text, SYR, D(2017, 7, 21))[0]
    assert v.label is L.UNCHECKABLE, (text, v.label, v.claim.subject)


# --- 4. an actor named after the figure, with a figure of its own (before: "SDF holds 42 %": "false")
@pytest.mark.parametrize("text", [
    "Government-held areas account for 42% of Syria, SDF areas 23% and ISIS 18%.",
    "Regime-controlled land makes up 42 percent of Syria, SDF territory 23 percent.",
])
def test_an_actor_named_after_the_figure_goes_with_its_own(text: str) -> None:
    vs = verdicts(text, SYR, D(2017, 7, 21))
    first = vs[0]
    assert first.label is L.UNCHECKABLE or first.claim.subject == "gov", (text, first.claim.subject)


# --- 5. the country's name as the place, not the actor (before: "Ukraine holds 18.3 %": "false")
@pytest.mark.parametrize("text", [
    "Russia occupied 19.0% of Ukraine on 30 November, up from 18.3% a year ago.",
    "Russia occupied 18.6% of Ukraine on 1 December, compared with 18.1% in Ukraine a year earlier.",
])
def test_the_country_named_as_the_place_is_not_the_holder(text: str) -> None:
    for v in verdicts(text):
        assert v.claim.subject != "ukraine" or v.label is L.UNCHECKABLE, (text, v.claim.value, v.label)


# --- 6. "gained X and lost Y": each verb governs its own figure (before: "Russia lost 4,400 km²": "false")
@pytest.mark.parametrize("text", [
    "In 2025, Russia gained a total of 4,200 km² and lost 9 km².",
    "In 2025 Russian forces captured 4,200 sq km, while losing 9 sq km.",
    "Russia took 4,200 km² in 2025 but lost 9 km².",
])
def test_each_verb_of_a_pair_governs_its_own_figure(text: str) -> None:
    vs = verdicts(text, date=D(2026, 1, 1))
    assert [v.claim.direction for v in vs] == ["gained", "lost"], text
    assert all(v.label is L.ACCURATE for v in vs), [(v.claim.value, v.label) for v in vs]


# --- 7. a part named inside the clause (before: "Russia holds 27,000 km²": "false")
@pytest.mark.parametrize("text", [
    "Russia now occupies 111,600 km², of which Crimea accounts for 27,000 km².",
    "Russia holds 111,600 square kilometres, of which the south makes up some 27,000 km².",
    "Russia controls 111,600 km², of these roughly 27,000 km² lie along the coast.",
])
def test_a_part_of_the_figure_is_not_judged_as_the_whole(text: str) -> None:
    vs = verdicts(text)
    assert vs[0].label is L.ACCURATE
    assert len(vs) == 2 and vs[1].label is L.UNCHECKABLE, [(v.claim.value, v.label) for v in vs]


# --- 8. an exclusion of land that is no region (before: "excluding the desert" judged on the whole country)
@pytest.mark.parametrize("text", [
    "Government forces control around 50% of the country excluding the desert.",
    "Not counting the uninhabited Badia, the government holds 55% of Syria.",
])
def test_leaving_out_the_desert_is_not_the_whole_country(text: str) -> None:
    v = verdicts(text, SYR, D(2017, 7, 21))[0]
    assert v.label is L.UNCHECKABLE, (text, v.label)


# --- 9. an average rate whose unit was not read (before: "350 km² a month on average" judged as a year's total)
@pytest.mark.parametrize("text", [
    "Russia captured about 350 km² a month on average in 2025.",
    "Russian forces gained an average of 350 km² in 2025, the monthly figures show.",
])
def test_an_average_is_not_a_total(text: str) -> None:
    v = verdicts(text, date=D(2026, 1, 1))[0]
    assert v.label is not L.FALSE, (text, v.label)
    assert v.label is L.UNCHECKABLE or v.claim.rate_days, (text, v.label)


# --- 10. "about" widens the relative band, not the small-number floor (before: "around 300" vs 143: roughly)
@pytest.mark.parametrize(("claimed", "computed", "label"), [
    (300.0, 143.0, L.OVERSTATED),   # error 157 > floor 150: hand-computed, not "roughly accurate"
    (280.0, 143.0, L.ROUGHLY_ACCURATE),      # error 137 ≤ floor 150
    (110_000.0, 111_600.0, L.ACCURATE),  # 1,600 ≤ 2 × 2 % of 111,600 = 4,464
])
def test_about_does_not_double_the_floors(claimed: float, computed: float, label: L) -> None:
    assert judge("approx", claimed, computed, AREA).label is label


# --- 11. "is" is a verb, not Islamic State (before: "two actors ('government' and 'is')")
@pytest.mark.parametrize("text", [
    "More than a third of Syria is held by the government.",
    "About 40% of the country is controlled by the government, the monitor said.",
])
def test_is_is_a_verb(text: str) -> None:
    v = verdicts(text, SYR, D(2017, 7, 21))[0]
    assert v.claim.subject == "gov" and v.label is L.ACCURATE, (text, v.label, v.explanation)


# --- 12. a gross figure over months also counts land that changed hands and back (before: "Ukraine liberated
# some 200 km² in 2025" was "false" against the 9 km² of the endpoint comparison; its daily reports add to 209)
class SteppedSource(UkraineSource):
    def stepwise_transfers(self, d1, d2, by, every):  # noqa: ANN001, ANN201
        import pandas as pd

        assert (d1, d2) == YEAR
        gains = {"month": 144.0, "snapshot": 209.0}[every]  # what Ukraine took, summed month by month / map by map
        return pd.DataFrame({"group": ["russia", "ukraine"], "gains_km2": [4_400.0, gains],
                             "losses_km2": [gains, 4_400.0], "net_km2": [4_400.0 - gains, gains - 4_400.0]})


@pytest.mark.parametrize(("text", "label"), [
    ("Ukraine liberated some 200 square kilometres in 2025.", L.ACCURATE),   # 209: within 2 × 10 %
    ("Ukrainian forces won back around 150 km² last year.", L.ACCURATE),     # 144 month by month
    ("Ukraine regained 290 km² in 2025, the General Staff said.", L.OVERSTATED),  # 81 over 209 = 39 %
    ("Ukraine liberated 1,000 square kilometres in 2025.", L.FALSE),         # beyond every definition
])
def test_a_gross_figure_over_months_is_also_summed_step_by_step(text: str, label: L) -> None:
    claim = parse_claims(text, UKR, D(2026, 1, 1))[0]
    v = check_claim(claim, SteppedSource())
    assert v.label is label, (text, v.label, v.explanation)
    assert check_claim(claim, UkraineSource()).label is L.FALSE  # the endpoints alone (9 km²) make it false


# --- 13. round two: a change restated as a share, another month's figure, land outside someone's control,
# a gross share against a falling net share, "failed to", "occupied … in <month>" (before: 11 of 13 got a label)
@pytest.mark.parametrize("text", [
    "Russia has taken 3,750 km² this year, equivalent to 0.6% of Ukraine.",        # "Russia holds 0.6%": false
    "About 81% of Ukraine remains outside Moscow's control.",                        # "Russia holds 81%": false
    "Some 19% of the country is beyond Kyiv's control, officials said.",
    "Russia occupied 0.08% of Ukraine in November.",                                # "Russia holds 0.08%": false
    "Over the past week Russia occupied 0.02 percent of Ukraine.",
    "Ukraine has liberated 0.03% of its territory this year.",                       # its share fell: "overstated"
])
def test_round_two_wordings_are_not_judged_on_the_wrong_definition(text: str) -> None:
    for v in verdicts(text, date=D(2025, 12, 1)):
        if v.claim.unit == "percent" or v.claim.metric == "share_change":
            assert v.label is L.UNCHECKABLE, (text, v.claim.value, v.label)


def test_a_change_restated_as_a_share_with_its_period_is_a_change_of_share() -> None:
    vs = verdicts("Russian troops seized 3,750 sq km in 2025, or roughly 0.6 percent of Ukraine.")
    assert [(v.claim.metric, v.label) for v in vs] == [("area_change", L.ACCURATE), ("share_change", L.ACCURATE)]


@pytest.mark.parametrize("text", [
    "Russian troops advanced 475 km² in November, nearly double October's 246 km².",
    "Russia gained 475 km² in November 2025, far more than September's 268 km², DeepState said.",
])
def test_a_figure_owned_by_another_period_is_not_the_claims_period(text: str) -> None:
    vs = parse_claims(text, UKR, DAY)
    assert [bool(c.unsure) for c in vs] == [False, True], [(c.value, c.unsure) for c in vs]


@pytest.mark.parametrize("text", [
    "Russia failed to capture even 5,000 km² in 2025.",
    "Reports that Russia took 5,000 km² in 2025 are outdated.",
])
def test_failed_to_and_outdated_are_negations(text: str) -> None:
    v = verdicts(text, date=D(2026, 1, 1))[0]
    assert v.claim.negated and v.label is L.ACCURATE, (text, v.label)  # not 5,000: 4,200
