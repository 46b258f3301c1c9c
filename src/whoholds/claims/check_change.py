"""Checking a change over a period ("captured 574 km² in November", "a net loss of 20 km²", "15 km² per day in
spring"): the period's two snapshots come from the one period convention
(:func:`whoholds.metrics.periods.period_endpoints`); gross and net, sign and rates are read as the claim says.

- A plain verb ("captured", "won back", "lost") is a **gross** figure: the area the actor took (or lost),
  whatever it lost (or took) back; the net figure is an alternative definition, shown only when it has the
  claim's sign.
- "net" in the claim makes the net figure the only definition: a net of the wrong sign is never rescued by a
  gross figure.
- A rate ("per day", "weekly") is compared as a rate: the computed change divided by the days between the two
  snapshots, times the rate's days.
"""

from __future__ import annotations

import dataclasses

from ..metrics.periods import Period, PeriodEndpoints, period_endpoints
from ..types import Figure
from .check_common import Variant, fmt, group_mask, provenance, total
from .finish import finish, uncheckable
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef
from .model import Claim, Verdict, VerdictLabel
from .verdict import judge, tolerance_for


def period_refs(source: MetricSource, claim: Claim, limit: int
                ) -> tuple[tuple[SnapshotRef, SnapshotRef, int, PeriodEndpoints] | None, str, PeriodEndpoints | None]:
    """The two snapshots of the claim's period, or (None, reason) when the archive cannot give them."""
    start = claim.period_start
    end = claim.period_end or claim.as_of
    if start is None or end is None:
        note = claim.figure.note if claim.figure is not None and claim.figure.note else ""
        return None, note or "the claim gives no period for the change (e.g. 'in November')", None
    if end < start:
        return None, f"the period {start} – {end} is empty", None
    dates = source.snapshot_dates()
    if not dates:
        return None, f"no {source.profile.id} snapshot in the store", None
    ends = period_endpoints(dates, Period(start, end))
    if not ends.ok:
        return None, f"{ends.note} (period {start} – {end})", ends
    # The snapshots must be close to the period's ends: within a tenth of the period (3 days at least).
    allowed = min(limit, max(3, ends.period.days // 10))
    d1 = abs((ends.period.base_day - ends.before).days)
    d2 = (ends.period.end - ends.after).days
    if ends.partial:
        return None, f"the archive covers only part of the period {start} – {end}: {ends.note}", ends
    if d1 > allowed:
        return None, (f"the store has no {source.profile.id} snapshot within {allowed} days before {start} "
                      f"(the last one is {ends.before}, {d1} days earlier)"), ends
    if d2 > allowed:
        return None, (f"the store has no {source.profile.id} snapshot within {allowed} days of {end}; the last "
                      f"one is {ends.after} ({d2} days earlier)"), ends
    r1, _ = source.nearest(ends.before)
    r2, _ = source.nearest(ends.after)
    return (r1, r2, max(d1, d2), ends), "", ends


def check_change(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    got, reason, ends = period_refs(source, claim, limit)
    if got is None:
        since = _since_era(claim, source, rule, ends, limit)
        return since if since is not None else uncheckable(claim, rule, reason)
    r1, r2, dist, ends = got
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    name = source.profile.display_name(claim.subject or "")
    sign = -1.0 if claim.direction == "lost" else 1.0
    verb = "lost" if sign < 0 else "gained"
    span = max((r2.date - r1.date).days, 1)
    notes = [f"period {ends.period.start} – {ends.period.end}: snapshots {r1.date} → {r2.date} "
             f"(last on or before {ends.period.base_day} → last on or before {ends.period.end})"]
    if ends.note:
        notes.append(ends.note)
    tol = tolerance_for(claim.metric)
    per = ""
    if claim.rate_days:
        # Compare the rate: the computed change per rate unit; the absolute floors shrink with it.
        scale = claim.rate_days / span
        tol = dataclasses.replace(tol, floors=tuple(f * scale for f in tol.floors))  # type: ignore[arg-type]
        per = f" per {'day' if claim.rate_days == 1 else f'{claim.rate_days:g} days'}"
        notes.append(f"the claim is a rate: the computed change over {span} days is divided by "
                     f"{span / claim.rate_days:g}")
    else:
        scale = 1.0
    variants: list[Variant] = []
    if claim.metric == "area_change":
        summ = source.transfers(r1.date, r2.date, by)
        mine = group_mask(summ, claim.subject)
        net = total(summ, mine, "net_km2")
        gross = total(summ, mine, "gains_km2" if sign > 0 else "losses_km2")
        prov = provenance(summ, (r1, r2), "transfer matrix")
        net_def = (f"net area {verb} by {name}{per} between {r1.date} and {r2.date} "
                   f"({'gains minus losses' if sign > 0 else 'losses minus gains'})")
        gross_def = (f"gross area {verb} by {name}{per} between {r1.date} and {r2.date} (ignoring land "
                     f"{'lost' if sign > 0 else 'regained'} in the same period)")
        signed_net = sign * net * scale
        if claim.measure == "net":
            value, definition = signed_net, net_def
        else:
            value, definition = gross * scale, gross_def
            if signed_net > 0:
                variants.append(Variant(f"net area {verb}", signed_net,
                                        Figure(signed_net, "km2", net_def, prov, r2.date), ""))
            if judge(claim.comparator, claim.value, value, tol, low=claim.low, high=claim.high,
                     qualifier=claim.qualifier).label is VerdictLabel.FALSE:
                # only a "false" can change (verdict.combine): the walk is not paid for otherwise
                variants += _stepwise(source, claim, (r1.date, r2.date), by, sign, scale, per, name, prov)
        fig = Figure(value, "km2", definition, prov, r2.date)
    elif claim.metric == "share_change":
        s1, s2 = source.shares(r1.date, by), source.shares(r2.date, by)
        value = sign * (total(s2, group_mask(s2, claim.subject), "share_pct")
                        - total(s1, group_mask(s1, claim.subject), "share_pct")) * scale
        if value < 0 and claim.measure != "net" and claim.comparator != "ceiling":
            # "Ukraine has liberated 0.03% of its territory this year" while its share fell: the claim is a gross
            # share taken, which the change of net shares cannot give
            return uncheckable(claim, rule, f"the claim is a share {verb} (a gross figure), while {name}'s share "
                               f"of the territory {'fell' if sign > 0 else 'rose'} between {r1.date} and "
                               f"{r2.date}: the change of shares, a net figure, cannot tell how much was {verb}")
        definition = f"change in {name}'s share of the territory{per} between {r1.date} and {r2.date}, pp"
        fig = Figure(value, "percentage points", definition,
                     provenance(s2[group_mask(s2, claim.subject)], (r1, r2)), r2.date)
    else:
        raise MetricsUnavailable(f"no check for {claim.metric} here")
    return finish(claim, source, rule, value, fig, variants, (r1, r2), dist, definition, tol=tol, notes=notes,
                  value_text=lambda v: fmt(v, claim.metric) + per)


#: Periods longer than this are also summed step by step: a gross figure over months counts land that changed
#: hands and back (a tracker's daily or monthly reports add up), which the endpoint comparison does not.
_STEPWISE_MIN_DAYS = 8


def _stepwise(source: MetricSource, claim: Claim, days: tuple, by: str, sign: float, scale: float, per: str,
              name: str, prov: object) -> list[Variant]:
    """The gross figure summed month by month and map by map, as alternative definitions."""
    d1, d2 = days
    step = getattr(source, "stepwise_transfers", None)
    if step is None or (d2 - d1).days < _STEPWISE_MIN_DAYS:
        return []
    out: list[Variant] = []
    col = "gains_km2" if sign > 0 else "losses_km2"
    verb = "gained" if sign > 0 else "lost"
    for every, what in (("month", "month by month"), ("snapshot", "map by map")):
        if every == "month" and (d2 - d1).days < 60:
            continue
        summed = step(d1, d2, by, every)
        if summed is None or not len(summed):
            continue
        value = total(summed, group_mask(summed, claim.subject), col) * scale
        definition = (f"gross area {verb} by {name}{per} between {d1} and {d2}, summed {what} (land that "
                      "changed hands and back inside the period counts)")
        out.append(Variant(f"gross summed {what}", value, Figure(value, "km2", definition, prov, d2), ""))  # type: ignore[arg-type]
    return out


def _since_era(claim: Claim, source: MetricSource, rule: str, ends: PeriodEndpoints | None,
               limit: int) -> Verdict | None:
    """"Since the full-scale invasion" on an archive that starts after it: the change is the holder's area on
    the last map minus the layer that represents the line before the event ("occupied since 2014"), when the
    profile names such a layer and the map has it; None otherwise (the claim then cannot be checked)."""
    if claim.metric != "area_change" or ends is None or ends.after is None or claim.period_start is None:
        return None
    profile = source.profile
    era = next((e for e in profile.eras if e.start == claim.period_start and e.before_states), None)
    if era is None or (ends.period.end - ends.after).days > min(limit, max(3, ends.period.days // 10)):
        return None
    holder = {profile.actor_of(s) for s in era.before_states}
    members = ({claim.subject} if claim.subject in profile.actor_by_id else
               set(profile.coalition_by_id[claim.subject].members) if claim.subject in profile.coalition_by_id
               else set())
    takes = claim.direction == "gained" and bool(holder & members)
    gives = claim.direction == "lost" and not (holder & members)
    if not (takes or gives) or claim.rate_days:
        return None
    ref, _ = source.nearest(ends.after)
    states = source.shares(ref.date, "state")
    if not len(states) or not set(era.before_states) & set(states["group"].astype(str)):
        return None
    kinds = {s.id: s.actor for s in profile.states if s.kind == "actor"}
    groups = states["group"].astype(str)
    held = float(states.loc[groups.map(lambda g: kinds.get(g) in holder), "area_km2"].sum())
    before = float(states.loc[groups.isin(era.before_states), "area_km2"].sum())
    value = held - before
    layers = ", ".join(profile.display_name(s) for s in era.before_states)
    definition = (f"area held by {', '.join(profile.display_name(h or '') for h in holder)} on {ref.date} minus the "
                  f"'{layers}' layer of that map (the line before {era.name})")
    fig = Figure(value, "km2", definition, provenance(states.iloc[0:0], (ref,)), ref.date)
    note = (f"the store has no map from before {era.name} ({era.start}); the change since then is estimated from "
            f"the {ref.date} map's '{layers}' layer, which represents the line before it")
    return finish(claim, source, rule, value, fig, [], (ref,), (ends.period.end - ref.date).days, definition,
                  notes=[note])
