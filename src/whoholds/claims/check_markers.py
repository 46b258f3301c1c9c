"""Settlement claims on marker snapshots (the built-in check; `whoholds.claims.settlement_check`, when
installed, takes over through the hook in `whoholds.claims.check`)."""

from __future__ import annotations

from typing import Any

from ..types import Figure
from .check_common import Variant, contested_for, members_of, provenance, total
from .finish import finish, uncheckable
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef
from .model import Claim, Verdict


def _count_col(df: Any) -> str:
    for c in ("count", "n", "settlements", "n_settlements", "markers"):
        if c in df.columns:
            return c
    raise MetricsUnavailable(f"settlement counts came without a count column (columns: {list(df.columns)})")


def check_settlement_count(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    assert claim.as_of is not None
    ref, dist = source.nearest(claim.as_of)
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    if dist > limit:
        far = (f"the store has no {source.profile.id} snapshot within {limit} days of {claim.as_of}; the nearest "
               f"is {ref.date} ({dist} days)")
        return uncheckable(claim, rule, far, None, ref, dist)
    df = source.settlement_counts(ref, by)
    col = _count_col(df)
    mine = df["group"].astype(str) == claim.subject
    value = total(df, mine, col)
    name = source.profile.display_name(claim.subject or "")
    definition = f"settlement markers held by {name} (grouped by {by})"
    fig = Figure(value, "settlements", definition, provenance(df[mine], (ref,), "settlement markers"), ref.date)
    variants: list[Variant] = []
    extra = contested_for(df.rename(columns={col: "_n"}), members_of(claim.subject, source.profile),
                          source.profile, "_n")
    if extra > 0:
        variants.append(Variant(f"contested settlements counted for {name}", value + extra, None, ""))
    return finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


def check_settlement_change(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    from .check_change import period_refs

    got, reason, _ends = period_refs(source, claim, limit)
    if got is None:
        return uncheckable(claim, rule, reason)
    r1, r2, dist, _ = got
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    if _places_on_polygons(source, r1, r2):  # polygon maps: count gazetteer places, not markers
        from .settlement_check import check_settlement_change as check_on_polygons

        return check_on_polygons(claim, source, rule, r1, r2, dist, by)
    name = source.profile.display_name(claim.subject or "")
    sign = -1.0 if claim.direction == "lost" else 1.0
    verb = "lost" if sign < 0 else "gained"
    c1, c2 = source.settlement_counts(r1, by), source.settlement_counts(r2, by)
    n1 = total(c1, c1["group"].astype(str) == claim.subject, _count_col(c1))
    n2 = total(c2, c2["group"].astype(str) == claim.subject, _count_col(c2))
    value = sign * (n2 - n1)
    definition = f"net settlements {verb} by {name} between {r1.date} and {r2.date}"
    fig = Figure(value, "settlements", definition, provenance(c2, (r1, r2), "settlement markers"), r2.date)
    variants: list[Variant] = []
    moves_of = getattr(source, "settlement_transfers", None)
    moves = moves_of(r1, r2, by) if moves_of is not None else None
    if moves is not None and len(moves) and {"from_group", "to_group"} <= set(moves.columns):
        changed = moves[moves["change"] == "changed hands"] if "change" in moves.columns else moves
        if "settlement" in changed.columns:
            changed = changed[changed["settlement"].astype(bool)]
        side = "to_group" if sign > 0 else "from_group"
        gross = float((changed[side].astype(str) == claim.subject).sum())
        variants.append(Variant(f"gross settlements {verb} (markers matched by position, ignoring those "
                                f"{'lost' if sign > 0 else 'regained'})", gross, None, ""))
    return finish(claim, source, rule, value, fig, variants, (r1, r2), dist, definition)


def _places_on_polygons(source: MetricSource, r1: SnapshotRef, r2: SnapshotRef) -> bool:
    """Settlement changes between polygon maps are counted over gazetteer places (claims/settlement_check)."""
    located = hasattr(source, "settlement_changes") or hasattr(source, "store")
    return located and "markers" not in (r1.kind, r2.kind)
