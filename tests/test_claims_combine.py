"""The overall label across definitions (verdict.combine): a primary "false" gives way to an alternative definition
that rates the claim better; any other label stays (an inflated count must not become accurate by counting the grey
zone as taken).
Figures by hand against the area-change tolerance (accurate within ±10 %, roughly ±25 %, over/understated to
±50 %, false beyond)."""

from __future__ import annotations

from whoholds.claims.model import VerdictLabel as L
from whoholds.claims.verdict import combine, judge, tolerance_for

AREA = tolerance_for("area_change")


def j(claimed: float, computed: float):  # noqa: ANN201
    return judge("exact", claimed, computed, AREA)


def test_understated_primary_keeps_its_label() -> None:
    primary, net = j(1000, 1400), j(1000, 1050)  # -29 %: understated; -5 %: accurate
    assert primary.label is L.UNDERSTATED and net.label is L.ACCURATE
    label, basis = combine(primary, [net])
    assert label is L.UNDERSTATED and basis is primary


def test_the_best_alternative_wins_and_a_worse_one_is_ignored() -> None:
    primary = j(1000, 2600)  # -62 %: false
    label, basis = combine(primary, [j(1000, 3000), j(1000, 1200), j(1000, 1020), j(1000, 1060)])
    assert label is L.ACCURATE and basis.computed == 1020


def test_accurate_and_roughly_accurate_primaries_keep_their_label() -> None:
    assert combine(j(1000, 1010), [j(1000, 3000)])[0] is L.ACCURATE
    rough = j(1000, 1200)  # -17 %: roughly accurate
    assert rough.label is L.ROUGHLY_ACCURATE
    assert combine(rough, [j(1000, 1000)])[0] is L.ROUGHLY_ACCURATE


def test_false_stays_false_when_every_alternative_is_false() -> None:
    assert combine(j(1000, 3000), [j(1000, 2500)])[0] is L.FALSE
