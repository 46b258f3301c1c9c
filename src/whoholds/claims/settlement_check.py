"""Settlement-count claims on polygon maps: "Russian forces liberated 12 settlements over the past week".

The count is the number of places of the full gazetteer whose holder became the claimant between the two
snapshots closest to the period's ends (:func:`whoholds.metrics.settlements.settlement_changes`): gross,
places the claimant took; a place that entered the grey zone is contested, never counted as taken; for "lost",
the places others took from the claimant. What counts as a settlement is the one :class:`PlaceDefinition`,
printed with the figure: living places of any population is the primary definition, and the sensitivity
table re-counts under every definition of :data:`~whoholds.metrics.settlement_places.SENSITIVITY` (all places /
living places / 500+ people), net of places lost, and counting places now in the grey zone (a claimant's
"liberated" may be a tracker's "contested": a verdict of false must hold under that reading too). All variants
come from one point-in-polygon pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..types import Figure

if TYPE_CHECKING:
    import pandas as pd

    from .metric_source import MetricSource, SnapshotRef
    from .model import Claim, Verdict

PRIMARY_INDEX = 1  # living places, any population


def changed_places(source: MetricSource, r1: SnapshotRef, r2: SnapshotRef, by: str) -> tuple[pd.DataFrame, Any]:
    """Every place (all definitions) whose holder changed between the two snapshots, and the result object."""
    from .metric_source import MetricsUnavailable

    own = getattr(source, "settlement_changes", None)
    if own is not None:  # a metric source that computes it itself (tests, other stores)
        res = own(r1, r2, by)
        return res.frame, res
    store = getattr(source, "store", None)
    if store is None:
        raise MetricsUnavailable("this metric source cannot locate settlements on polygon maps")
    from ..errors import InputError
    from ..metrics.settlements import settlement_changes

    try:
        # Only the full gazetteer: a list of towns (cities500) would undercount villages and call a true
        # claim false.
        res = settlement_changes(store, source.profile, r1.date, r2.date, source="gazetteer", by=by,
                                 living_only=False, regions=False)
    except InputError as exc:
        raise MetricsUnavailable(f"no full gazetteer of villages to count settlements with ({exc})") from None
    return res.frame, res


def _count(frame: pd.DataFrame, subject: str, lost: bool, profile: Any, with_grey: bool = False) -> tuple[int, int]:
    """(count in the claim's direction, count in the other direction); grey-zone entries are never taken,
    except in the ``with_grey`` variant, where a place the other side held at D1 and that is contested at D2
    counts as the claimant's (the claimant's map may already show it as taken)."""
    from ..metrics.settlement_places import is_contested

    if frame.empty:
        return 0, 0
    grey_to = frame["to_group"].map(lambda g: is_contested(profile, g)).astype(bool)
    taken = frame[~grey_to]
    if with_grey:
        entered = frame[grey_to]
        other = int((entered["from_group"].astype(str) != subject).sum())
        mine = int((entered["from_group"].astype(str) == subject).sum())
        a, b = _count(frame, subject, lost, profile)
        return (a + mine, b + other) if lost else (a + other, b + mine)
    by_subject = int((taken["to_group"].astype(str) == subject).sum())
    from_subject = int((taken["from_group"].astype(str) == subject).sum())
    return (from_subject, by_subject) if lost else (by_subject, from_subject)


def check_settlement_change(claim: Claim, source: MetricSource, rule: str, r1: SnapshotRef, r2: SnapshotRef,
                            dist: int, by: str) -> Verdict:
    """The verdict of a settlement-change claim between two polygon snapshots, with its sensitivity table."""
    from ..metrics.settlement_places import SENSITIVITY
    from .check_common import Variant, provenance
    from .finish import finish

    profile = source.profile
    subject = str(claim.subject)
    name = profile.display_name(subject)
    lost = claim.direction == "lost"
    verb = "lost to others" if lost else "taken"
    frame, res = changed_places(source, r1, r2, by)
    prov = provenance(frame, (r1, r2), "settlements located in the snapshots' polygons")
    source_note = next((n.split("; ", 1)[-1] for n in getattr(res, "notes", []) if "lie inside the boundary" in n),
                       "")

    def figure(definition_index: int, net: bool = False, with_grey: bool = False) -> tuple[float, Figure, str]:
        d = SENSITIVITY[definition_index]
        mine, other = _count(d.apply(frame), subject, lost, profile, with_grey)
        value = float(mine - other if net else mine)
        grey = ("places that entered the grey zone counted as the claimant's" if with_grey
                else "a place entering the grey zone is contested, never taken")
        what = (f"settlements {verb} {'by' if not lost else 'from'} {name}"
                + (" net of those going the other way" if net else "")
                + f" between {r1.date} and {r2.date}: {d.text}; {grey}")
        return value, Figure(value, "settlements", what + (f"; {source_note}" if source_note else ""), prov,
                             r2.date), d.short

    value, fig, short = figure(PRIMARY_INDEX)
    variants: list[Variant] = []
    for i in range(len(SENSITIVITY)):
        if i != PRIMARY_INDEX:
            v, f, s = figure(i)
            variants.append(Variant(f"definition: {s}", v, f, ""))
    v, f, _ = figure(PRIMARY_INDEX, net=True)
    variants.append(Variant(f"net: {short}, minus those going the other way", v, f, ""))
    v, f, _ = figure(PRIMARY_INDEX, with_grey=True)
    if v != value:  # a tracker's grey zone may be the claimant's "liberated": shown, and a false needs both
        variants.append(Variant(f"contested: {short}, also counting places now in the grey zone", v, f,
                         "the map shows them contested, not taken"))
    return finish(claim, source, rule, value, fig, variants, (r1, r2), dist,
                   f"{short}, gross count of places {verb} (grey zone = contested)")
