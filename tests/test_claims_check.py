"""Claim → computed figures → verdict, on a constructed metric source with known figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from whoholds.claims.check import MetricsUnavailable, SnapshotRef, check_claim
from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.parse import parse_claim
from whoholds.errors import StoreError
from whoholds.profiles import load_profile

SYRIA = load_profile("syria")
UKRAINE = load_profile("ukraine")
COLS = ["date", "group", "name", "kind", "area_km2", "share_pct", "snapshot_id", "source", "boundary", "method",
        "whoholds_version"]


def share_frame(rows: list[tuple[str, str, float]], day: dt.date, total: float = 185_000.0) -> pd.DataFrame:
    return pd.DataFrame(
        [(day, g, g, kind, pct * total / 100, pct, f"snap-{day}", "fake-map", "fake-boundary", "polygons", "0")
         for g, kind, pct in rows], columns=COLS)


class FakeSource:
    """Snapshots on fixed dates; shares by date and grouping; transfers; settlement counts."""

    def __init__(self, profile, dates, shares=None, transfers=None, counts=None, alt=(), kind="polygons"):  # noqa: ANN001
        self.profile = profile
        self.dates = sorted(dates)
        self._shares = shares or {}
        self._transfers = transfers
        self._counts = counts or {}
        self.boundary_alternatives = tuple(alt)
        self.kind = kind
        self.calls: list[tuple] = []

    def nearest(self, date):  # noqa: ANN001, ANN201
        if not self.dates:
            raise StoreError("fake", f"the store has no {self.profile.id} snapshots")
        best = min(self.dates, key=lambda d: abs((d - date).days))
        return SnapshotRef(best, f"snap-{best}", self.kind, "fake-map"), abs((best - date).days)

    def snapshot_dates(self):  # noqa: ANN201
        return list(self.dates)

    def shares(self, date, by, boundary=None):  # noqa: ANN001, ANN201
        self.calls.append(("shares", date, by, boundary))
        return self._shares[(date, by, boundary)]

    def transfers(self, d1, d2, by):  # noqa: ANN001, ANN201
        if self._transfers is None:
            raise MetricsUnavailable("area changes are not available in this installation")
        return self._transfers

    def settlement_counts(self, ref, by):  # noqa: ANN001, ANN201
        return self._counts[ref.date]

    def marker_share_range(self, ref, by="actor"):  # noqa: ANN001, ANN201
        return None


D = dt.date(2018, 12, 10)


def syria_source(gov: float, contested: float = 0.0, **kw) -> FakeSource:  # noqa: ANN003
    rows = [("pro_government", "coalition", gov), ("sdf_bloc", "coalition", 27.0),
            ("contested_gov", "contested", contested), ("turkish_backed", "coalition", 100 - gov - 27 - contested)]
    shares = {(D, "coalition", None): share_frame(rows, D),
              (D, "actor", None): share_frame([("gov", "actor", gov), ("sdf", "actor", 27.0)], D)}
    for b, delta in kw.pop("alt_shares", {}).items():
        shares[(D, "coalition", b)] = share_frame([("pro_government", "coalition", gov + delta)], D)
    return FakeSource(SYRIA, [D], shares, **kw)


def claim_9650(date: dt.date = dt.date(2018, 12, 11)):  # noqa: ANN201
    return parse_claim("over 96.5% of the country has been retaken by pro-government forces and militia",
                       SYRIA, date, "Mikhail Mizintsev")


def test_share_claim_false_under_every_variant() -> None:
    v = check_claim(claim_9650(), syria_source(60.0, contested=2.0))
    assert v.label == L.FALSE
    assert v.figure.value == pytest.approx(60.0) and v.figure.unit == "percent"
    assert v.snapshot_date == D and v.distance_days == 1
    assert v.error == pytest.approx(36.5)
    names = [r.variant for r in v.sensitivity]
    assert any("contested" in n for n in names)
    assert "false under every alternative" in v.explanation
    assert "Mikhail Mizintsev said" in v.explanation
    assert v.figure.provenance.snapshot_ids == (f"snap-{D}",)


def test_false_primary_rescued_by_a_variant_is_not_false() -> None:
    # Primary 80% (16.5 pp short: false); counting 8 pp of contested land for the claimant gives 88% (8.5 pp).
    v = check_claim(claim_9650(), syria_source(80.0, contested=8.0))
    assert v.label == L.OVERSTATED
    assert "closest alternative" in v.explanation


def test_accurate_share_and_boundary_variant() -> None:
    c = parse_claim("Pro-government forces control about 60 percent of Syria", SYRIA, D)
    v = check_claim(c, syria_source(60.8, alt=("pov-sy",), alt_shares={"pov-sy": 0.7}))
    assert v.label == L.ACCURATE
    assert [r.variant for r in v.sensitivity][-1] == "boundary pov-sy"
    assert v.sensitivity[-1].value == pytest.approx(61.5)


@pytest.mark.parametrize(("text", "gov", "label"), [
    ("Government forces hold 60% of Syria", 58.5, L.ROUGHLY_ACCURATE),
    ("Government forces hold 60% of Syria", 55.0, L.OVERSTATED),
    ("Government forces hold 60% of Syria", 65.0, L.UNDERSTATED),
    ("Government forces hold nearly 70% of Syria", 60.0, L.OVERSTATED),
    ("Government forces hold between 55 and 62 percent of Syria", 60.0, L.ACCURATE),
])
def test_actor_claims(text: str, gov: float, label: L) -> None:
    c = parse_claim(text, SYRIA, D)
    assert c.subject == "gov" and c.subject_kind == "actor"
    assert check_claim(c, syria_source(gov)).label == label


def test_far_snapshot_cannot_be_checked_but_shows_nearest_figure() -> None:
    src = syria_source(41.7)
    src.dates = [dt.date(2017, 7, 20)]
    day = dt.date(2017, 7, 20)
    src._shares[(day, "coalition", None)] = share_frame([("pro_government", "coalition", 41.7)], day)
    v = check_claim(claim_9650(), src)
    assert v.label == L.UNCHECKABLE
    assert v.reason == ("the store has no syria snapshot within 45 days of 2018-12-11; the nearest is 2017-07-20 "
                        "(509 days)")
    assert v.figure is not None and v.figure.value == pytest.approx(41.7)
    assert "nearest snapshot" in v.explanation and "not a verdict" in v.explanation
    assert check_claim(claim_9650(), src, max_distance_days=600).label == L.FALSE


def test_empty_store_and_missing_actor_and_missing_metric() -> None:
    v = check_claim(claim_9650(), FakeSource(SYRIA, []))
    assert v.label == L.UNCHECKABLE and "no syria snapshot" in v.reason
    c = parse_claim("Hezbollah holds 5% of Syria", SYRIA, D, strict=False)
    v = check_claim(c, syria_source(60))
    assert v.label == L.UNCHECKABLE and "names no actor" in v.reason
    c = parse_claim("Russian forces captured 574 square kilometres in November", UKRAINE, dt.date(2024, 12, 2))
    src = FakeSource(UKRAINE, [dt.date(2024, 10, 31), dt.date(2024, 11, 30)])
    v = check_claim(c, src)
    assert v.label == L.UNCHECKABLE and "not available" in v.reason


def test_area_change_in_november() -> None:
    """A plain verb is a gross figure; the period's snapshots follow the one convention (31 Oct → 30 Nov)."""
    c = parse_claim("Russian forces captured 574 square kilometres in November", UKRAINE, dt.date(2024, 12, 2))
    assert (c.metric, c.subject, c.direction, c.measure) == ("area_change", "russia", "gained", None)
    assert (c.period_start, c.period_end) == (dt.date(2024, 11, 1), dt.date(2024, 11, 30))
    summary = pd.DataFrame({"group": ["russia", "ukraine"], "gains_km2": [600.0, 40.0],
                            "losses_km2": [40.0, 600.0], "net_km2": [560.0, -560.0]})
    src = FakeSource(UKRAINE, [dt.date(2024, 10, 31), dt.date(2024, 11, 1), dt.date(2024, 11, 30)],
                     transfers=summary)
    v = check_claim(c, src)
    # |574 - 600| = 26 <= 10 % of 600: accurate on the gross gains; net 560 is the alternative
    assert v.label == L.ACCURATE and v.figure.value == pytest.approx(600.0)
    assert v.sensitivity[1].value == pytest.approx(560.0)
    assert v.figure.provenance.snapshot_ids == ("snap-2024-10-31", "snap-2024-11-30")
    # the snapshot before the month too far from its start (allowed: 3 days for a 30-day period)
    far = FakeSource(UKRAINE, [dt.date(2024, 10, 20), dt.date(2024, 11, 30)], transfers=summary)
    v = check_claim(c, far)
    assert v.label == L.UNCHECKABLE and "within 3 days before 2024-11-01" in v.reason
    # the archive starts inside the month: a partial period is never judged
    v = check_claim(c, FakeSource(UKRAINE, [dt.date(2024, 11, 2), dt.date(2024, 11, 30)], transfers=summary))
    assert v.label == L.UNCHECKABLE and "only part of the period" in v.reason


def test_area_lost_by_subject() -> None:
    c = parse_claim("The occupiers lost 100 square kilometres over the past week", UKRAINE, dt.date(2024, 12, 8))
    assert (c.subject, c.direction) == ("russia", "lost")
    assert (c.period_start, c.period_end) == (dt.date(2024, 12, 2), dt.date(2024, 12, 8))
    summary = pd.DataFrame({"group": ["russia"], "gains_km2": [10.0], "losses_km2": [110.0], "net_km2": [-100.0]})
    v = check_claim(c, FakeSource(UKRAINE, [dt.date(2024, 12, 1), dt.date(2024, 12, 8)], transfers=summary))
    # gross losses 110 (|100 - 110| <= 11); the net loss 100 is the alternative
    assert v.label == L.ACCURATE and v.figure.value == pytest.approx(110.0)
    assert v.sensitivity[1].value == pytest.approx(100.0)


def test_settlement_change() -> None:
    c = parse_claim("Ukrainian forces liberated 12 settlements over the past week", UKRAINE, dt.date(2024, 12, 8))
    assert c.metric == "settlement_change"
    counts = {dt.date(2024, 12, 1): pd.DataFrame({"group": ["ukraine", "russia"], "count": [100, 50]}),
              dt.date(2024, 12, 8): pd.DataFrame({"group": ["ukraine", "russia"], "count": [105, 45]})}
    v = check_claim(c, FakeSource(UKRAINE, list(counts), counts=counts))
    assert v.figure.value == 5 and v.label == L.FALSE


def test_settlement_count() -> None:
    c = parse_claim("Russian forces hold 150 villages", UKRAINE, dt.date(2024, 12, 1))
    assert (c.metric, c.subject) == ("settlement_count", "russia")
    counts = {dt.date(2024, 12, 1): pd.DataFrame({"group": ["ukraine", "russia"], "n": [100, 140]})}
    v = check_claim(c, FakeSource(UKRAINE, list(counts), counts=counts))
    assert v.figure.value == 140 and v.label == L.ROUGHLY_ACCURATE


def test_negated_claim() -> None:
    c = parse_claim("it does not seem like pro-government forces are in control of 96.5% of Syria", SYRIA, D)
    assert c.negated and c.comparator == "ceiling"
    assert check_claim(c, syria_source(60.0)).label == L.ACCURATE
