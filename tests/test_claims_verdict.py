"""Verdict rules on constructed figures with known answers: every label, the tolerance boundaries."""

from __future__ import annotations

import pytest

from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.verdict import (
    AREA_CHANGE,
    COUNT,
    SHARE,
    claim_error,
    combine,
    judge,
    label_for,
    rule_text,
    tolerance_for,
)

A, R, OV, U, F = L.ACCURATE, L.ROUGHLY_ACCURATE, L.OVERSTATED, L.UNDERSTATED, L.FALSE


@pytest.mark.parametrize(
    ("computed", "label"),
    [(60.0, A), (60.5, A), (61.0, A),  # ±1 pp accurate, inclusive
     (61.01, R), (57.0, R),  # up to ±3 pp roughly accurate, inclusive
     (56.9, OV), (50.0, OV),  # claim above the data: overstated up to 10 pp, inclusive
     (49.9, F),  # beyond 10 pp: false
     (66.0, U), (70.0, U), (70.01, F)],
)
def test_share_point_claim(computed: float, label: L) -> None:
    assert judge("exact", 60.0, computed, SHARE).label == label


@pytest.mark.parametrize(("computed", "label"), [(97.0, A), (96.5, A), (95.6, A), (94.0, R), (90.0, OV), (60.0, F)])
def test_share_floor_over(computed: float, label: L) -> None:
    assert judge("floor", 96.5, computed, SHARE, qualifier="over").label == label


@pytest.mark.parametrize(("computed", "label"), [(10.0, A), (20.0, A), (22.0, R), (25.0, U), (31.0, F)])
def test_share_ceiling_up_to(computed: float, label: L) -> None:
    assert judge("ceiling", 20.0, computed, SHARE, qualifier="up to").label == label


@pytest.mark.parametrize(
    ("computed", "label", "error"),
    [(68.0, A, 0.0), (67.0, A, 0.0), (70.0, A, 0.0), (70.5, A, -0.5), (66.0, A, 1.0), (64.0, R, 3.0),
     (60.0, OV, 7.0), (74.0, U, -4.0)],
)
def test_share_nearly_is_a_band_below(computed: float, label: L, error: float) -> None:
    j = judge("near_below", 70.0, computed, SHARE, qualifier="nearly")
    assert (j.label, j.error) == (label, pytest.approx(error))


@pytest.mark.parametrize(("computed", "label"), [(62.0, A), (58.0, A), (65.0, R), (54.0, R), (52.0, OV), (49.0, F)])
def test_share_about_doubles_the_bands(computed: float, label: L) -> None:
    assert judge("approx", 60.0, computed, SHARE, qualifier="about").label == label


def test_exactly_halves_the_accurate_band() -> None:
    assert judge("exact", 60.0, 60.7, SHARE).label == A
    assert judge("exact", 60.0, 60.7, SHARE, qualifier="exactly").label == R
    assert judge("exact", 60.0, 60.5, SHARE, qualifier="exactly").label == A


@pytest.mark.parametrize(("computed", "label"), [(63.0, A), (60.0, A), (65.0, A), (58.0, R), (70.0, U), (80.0, F)])
def test_share_range(computed: float, label: L) -> None:
    assert judge("range", 62.5, computed, SHARE, low=60.0, high=65.0).label == label


@pytest.mark.parametrize(
    ("claimed", "computed", "label"),
    [(100, 100, A), (100, 96, A), (100, 90, R), (100, 80, OV), (100, 60, F), (100, 125, U),
     (3, 2, R), (4, 2, OV), (5, 2, F), (2, 2, A), (1, 2, R)],
)
def test_counts_relative_with_small_number_floors(claimed: float, computed: float, label: L) -> None:
    assert judge("exact", claimed, computed, COUNT).label == label


@pytest.mark.parametrize(("computed", "label"), [(540, A), (574, A), (700, R), (450, OV), (300, F), (1500, F)])
def test_area_change_574_km2(computed: float, label: L) -> None:
    assert judge("exact", 574, computed, AREA_CHANGE).label == label


def test_area_change_small_values_use_absolute_floor() -> None:
    # 12 km² claimed, 8 km² measured: 4 km² off is within the 5 km² floor of "accurate".
    assert judge("exact", 12, 8, AREA_CHANGE).label == A


def test_claim_error_signs() -> None:
    assert claim_error("exact", 10, 8) == 2  # claim says more: positive
    assert claim_error("floor", 10, 12) == 0
    assert claim_error("floor", 10, 8) == 2
    assert claim_error("ceiling", 10, 12) == -2
    assert claim_error("range", 5, 3, low=4, high=6) == 1
    assert claim_error("near_above", 10, 13, band=2) == -1
    with pytest.raises(ValueError):
        claim_error("bogus", 1, 1)  # type: ignore[arg-type]


def test_label_for_zero_thresholds() -> None:
    assert label_for(0.0, (0.0, 0.0, 0.0)) == A
    assert label_for(1.0, (0.0, 0.0, 0.0)) == F


def test_combine_false_only_if_false_under_all_variants() -> None:
    primary = judge("floor", 96.5, 60.0, SHARE)
    assert primary.label == F
    all_false = [judge("floor", 96.5, 70.0, SHARE), judge("floor", 96.5, 80.0, SHARE)]
    assert combine(primary, all_false)[0] == F
    rescue = [judge("floor", 96.5, 70.0, SHARE), judge("floor", 96.5, 90.0, SHARE)]
    label, basis = combine(primary, rescue)
    assert label == OV and basis.computed == 90.0
    ok = judge("exact", 60, 62, SHARE)
    assert combine(ok, [judge("exact", 60, 10, SHARE)]) == (R, ok)


def test_tolerances_and_rule_text() -> None:
    assert tolerance_for("share") is SHARE
    assert tolerance_for("settlement_change") is COUNT
    text = rule_text("floor", "over", 96.5, SHARE)
    assert "floor" in text and "±1 pp" in text and "false beyond" in text
    assert "range" in rule_text("range", "between", 62.5, SHARE, 60, 65)
    assert "±10%" in rule_text("exact", None, 574, AREA_CHANGE)
