"""Checking a claim against the store: the computed figures, the sensitivity table, the verdict.

The metrics are reached through a `MetricSource` (see `whoholds.claims.metric_source`): `StoreMetrics` (the
real store and `whoholds.metrics`) or any object with the same methods (tests use small fakes). Everything
the source cannot answer becomes the verdict "cannot be checked" with the reason; the figure of the nearest
snapshot is still shown when there is one, labelled as such.

A definite label needs the five readings -- metric, subject, direction, period, denominator (docs/claims.md,
"Confidence"); changes over periods are checked in `whoholds.claims.check_change` under the one period
convention; trackers, eras and named denominators in `whoholds.claims.check_context`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..errors import QueryError, StoreError
from ..types import Figure
from .check_change import check_change
from .check_common import Variant, contested_for, fmt, members_of, provenance, rows_of, share_records, total_of
from .check_context import era_between
from .check_markers import check_settlement_change, check_settlement_count
from .check_regions import check_denominator, check_era
from .finish import finish, uncheckable
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef, StoreMetrics
from .model import Claim, Verdict
from .neighbours import ledger_neighbours, neighbours_text
from .plausible import implausible_reason
from .verdict import rule_text, tolerance_for

__all__ = ["DEFAULT_MAX_DISTANCE_DAYS", "MetricSource", "MetricsUnavailable", "SnapshotRef", "StoreMetrics",
           "check", "check_claim"]

DEFAULT_MAX_DISTANCE_DAYS = 45

#: kept for callers of the former private name (the CLI reports a claim without a store through it)
_uncheckable = uncheckable


def _settlement_checker() -> Callable[..., Verdict] | None:
    """The hook for settlement claims: `whoholds.claims.settlement_check.check_settlements(claim, source, rule,
    limit)` when that module exists (it returns a Verdict), else the built-in marker-count check below."""
    try:
        from .settlement_check import check_settlements  # type: ignore[import-not-found]
    except ImportError:
        return None
    return check_settlements


# ---- the check -----------------------------------------------------------------------------------------
def check_claim(claim: Claim, source: MetricSource, *, max_distance_days: int = DEFAULT_MAX_DISTANCE_DAYS,
                ledger_rows: Iterable[Mapping[str, Any]] | None = None) -> Verdict:
    """Compute the claim's figure from the store, rate it, and rate it again under every sensitivity variant.

    ``ledger_rows`` (ledger or published-claims records) add the nearest independent estimates to the verdict
    (claims vs claims) -- what a fact-checker can still publish when no map is within reach.
    """
    verdict = _check(claim, source, max_distance_days)
    if ledger_rows is not None and "not a plausible quantity" not in (verdict.reason or ""):
        near = ledger_neighbours(claim, ledger_rows, source.profile)
        if near:
            verdict = dataclasses.replace(verdict, neighbours=near,
                                          explanation=f"{verdict.explanation} {neighbours_text(claim, near)}")
    return verdict


def _check(claim: Claim, source: MetricSource, limit: int) -> Verdict:
    implausible = claim.implausible or implausible_reason(claim.value, claim.metric,
                                                          claim.figure.surface if claim.figure else "")
    if implausible:  # never rated, least of all "false": the figure is not a quantity a map can have
        return uncheckable(claim, "", implausible)
    tol = tolerance_for(claim.metric)
    rule = rule_text(claim.comparator, claim.qualifier, claim.value, tol, claim.low, claim.high)
    reason = _unread(claim, source)
    if reason:
        return uncheckable(claim, rule, reason)
    try:
        if claim.metric in ("settlement_count", "settlement_change"):
            hook = _settlement_checker()
            if hook is not None:
                return hook(claim, source, rule, limit)
            if claim.metric == "settlement_count":
                return check_settlement_count(claim, source, rule, limit)
            return check_settlement_change(claim, source, rule, limit)
        if claim.metric in ("share", "area"):
            return _check_level(claim, source, rule, limit)
        return check_change(claim, source, rule, limit)
    except MetricsUnavailable as exc:
        return uncheckable(claim, rule, str(exc))
    except (StoreError, QueryError) as exc:
        return uncheckable(claim, rule, f"the store cannot answer: {exc.problem}")


def _unread(claim: Claim, source: MetricSource) -> str:
    """Why one of the five readings is missing or unsure ("" when all were read)."""
    if claim.subject is None:
        return (f"the claim names no actor or coalition the {source.profile.id} profile knows (say who holds, "
                "gained or lost the territory)")
    if (claim.region or claim.excluded or claim.inhabited) and claim.metric not in ("share", "area"):
        where = f"the {claim.region} region" if claim.region else "a part of the country"
        return (f"the figure is about {where}; whoholds computes regional shares and areas, not regional "
                "changes, and a national figure would not answer it")
    if claim.unsure:
        return f"the parse is unsure: {claim.unsure}"
    drawn_as_allies = _drawn_with_allies(claim, source.profile)
    if drawn_as_allies:
        return drawn_as_allies
    if claim.figure is not None and not claim.direction_text and claim.figure.direction is None:
        return "no verb says whether the actor holds, gained or lost the territory"
    if claim.metric.endswith("change") and (claim.period_start is None or claim.period_end is None):
        note = claim.figure.note if claim.figure is not None and claim.figure.note else ""
        return note or "the claim gives no period for the change (e.g. 'in November', 'since 1 March')"
    if claim.metric in ("area", "share", "settlement_count") and claim.as_of is None:
        note = claim.figure.note if claim.figure is not None and claim.figure.note else ""
        return note or "the claim has no date (give one with --date)"  # "at its peak": a date --date cannot give
    if claim.rate_days and not claim.metric.endswith("change"):
        return "a rate of a level ('per day' of an area held) is not a figure whoholds can compute"
    return ""


def _drawn_with_allies(claim: Claim, profile: Any) -> str:
    """Why a claim about one actor alone cannot be checked when the profile says the map draws the land it holds
    as its allies' (its own few places are not its zone of control); "" otherwise."""
    if claim.subject_kind == "coalition" or claim.metric.startswith("settlement"):
        return ""
    actor = next((a for a in profile.actors if a.id == claim.subject), None)
    if actor is None or not actor.drawn_with:
        return ""
    names = {a.id: a.name for a in profile.actors}
    allies = " and ".join(names[m] for m in actor.drawn_with)
    whole = next((c for c in profile.coalitions if {actor.id, *actor.drawn_with} <= set(c.members)), None)
    ask = f"; a claim about {whole.name} (the coalition) can be checked" if whole is not None else ""
    return (f"on the {profile.id} maps, land held by {actor.name} together with {allies} is mostly marked as "
            f"{allies}; the few places marked for {actor.name} alone are not their zone of control{ask}")


def check(claim: Claim, store: Any, profile: Any, *, max_distance_days: int = DEFAULT_MAX_DISTANCE_DAYS,
          boundaries: tuple[str, ...] = (), ledger_rows: Iterable[Mapping[str, Any]] | None = None) -> Verdict:
    """`check_claim` over a real store."""
    return check_claim(claim, StoreMetrics(store, profile, boundaries), max_distance_days=max_distance_days,
                       ledger_rows=ledger_rows)


def _nearest(source: MetricSource, date: dt.date) -> tuple[SnapshotRef, int]:
    try:
        return source.nearest(date)
    except (StoreError, QueryError) as exc:
        raise StoreError(exc.source, f"no {source.profile.id} snapshot in the store ({exc.problem})") from None


# ---- levels: shares and areas held ---------------------------------------------------------------------
def _check_level(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    assert claim.as_of is not None
    profile = source.profile
    ref, dist = _nearest(source, claim.as_of)
    era = era_between(profile, claim.as_of, ref.date)
    if era is not None:
        return check_era(claim, source, rule, ref, dist, era)
    era = era_between(profile, ref.date, claim.as_of)
    if era is not None:  # a map from before the event never judges a claim about the time after it
        return uncheckable(claim, rule, f"the nearest snapshot ({ref.date}) is from before {era.name} "
                                         f"({era.start}) and the claim is about {claim.as_of}, after it")
    if claim.region or claim.excluded or claim.inhabited:
        if dist > limit:
            return uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit))
        return check_denominator(claim, source, rule, ref, dist)
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    col = "share_pct" if claim.metric == "share" else "area_km2"
    unit = "percent" if claim.metric == "share" else "km2"
    # rows as dicts: cached figures reach the verdict without importing pandas (a cold `whoholds check`)
    df = share_records(source, ref.date, by)
    members = members_of(claim.subject, profile)
    mine = rows_of(df, claim.subject)
    value = total_of(mine, col)
    what = "share of the territory" if claim.metric == "share" else "area"
    name = profile.display_name(claim.subject or "")
    definition = f"{what} held by {name} (grouped by {by}); contested and mixed land not counted"
    fig = Figure(value, unit, definition, provenance(mine, (ref,)), ref.date)
    if dist > limit:
        return uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit), fig, ref, dist)
    variants: list[Variant] = []
    extra = contested_for(df, members, profile, col)
    if extra > 0:
        v = value + extra
        variants.append(Variant(f"contested/mixed land counted for {name}", v,
                                Figure(v, unit, definition.replace("not counted", f"counted for {name}"),
                                       fig.provenance, ref.date), f"+{fmt(extra, claim.metric)} contested/mixed"))
    alt = _coalition_alternative(claim, profile, by)
    if alt is not None:
        m2 = rows_of(share_records(source, ref.date, alt[0]), alt[1])
        v = total_of(m2, col)
        if abs(v - value) > 1e-9:
            variants.append(Variant(f"read as {profile.display_name(alt[1])} ({alt[0]})", v,
                                    Figure(v, unit, f"{what} held by {profile.display_name(alt[1])}",
                                           provenance(m2, (ref,)), ref.date), ""))
    for b in source.boundary_alternatives:
        m3 = rows_of(share_records(source, ref.date, by, b), claim.subject)
        v = total_of(m3, col)
        variants.append(Variant(f"boundary {b}", v, Figure(v, unit, f"{definition}; boundary {b}",
                                                           provenance(m3, (ref,)), ref.date), ""))
    if claim.metric == "share":
        mdf = source.marker_share_range(ref, by)
        if mdf is not None and len(mdf) and {"group", "method", "share_pct"} <= set(mdf.columns):
            for method, part in mdf[mdf["group"].astype(str) == claim.subject].groupby("method"):
                variants.append(Variant(f"marker estimate: {method}", float(part["share_pct"].sum()), None, ""))
    return finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


def _coalition_alternative(claim: Claim, profile: Any, by: str) -> tuple[str, str] | None:
    """An actor's claim read for its coalition, a coalition's for its leading member."""
    if by == "actor" and claim.subject:
        coal = profile.coalition_of(claim.subject)
        if coal and coal != claim.subject:
            return ("coalition", coal)
    elif by == "coalition" and claim.subject in profile.coalition_by_id:
        members = profile.coalition_by_id[claim.subject].members
        if len(members) > 1:
            return ("actor", members[0])
    return None


def _too_far(source: MetricSource, date: dt.date, ref: SnapshotRef, dist: int, limit: int) -> str:
    return (f"the store has no {source.profile.id} snapshot within {limit} days of {date}; the nearest is "
            f"{ref.date} ({dist} days)")


