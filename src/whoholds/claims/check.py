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
from .check_common import Variant, contested_for, err_text, fmt, group_mask, members_of, provenance, total
from .check_context import (
    era_between,
    era_layer_share,
    find_region,
    region_rows,
    source_aware,
    subject_rows,
)
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef, StoreMetrics
from .model import Claim, SensitivityRow, Verdict, VerdictLabel
from .neighbours import ledger_neighbours, neighbours_text
from .verdict import Judgement, Tolerance, combine, judge, rule_text, tolerance_for

__all__ = ["DEFAULT_MAX_DISTANCE_DAYS", "MetricSource", "MetricsUnavailable", "SnapshotRef", "StoreMetrics",
           "check", "check_claim"]

DEFAULT_MAX_DISTANCE_DAYS = 45

Finisher = Callable[..., Verdict]
Uncheckable = Callable[..., Verdict]


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
    if ledger_rows is not None:
        near = ledger_neighbours(claim, ledger_rows, source.profile)
        if near:
            verdict = dataclasses.replace(verdict, neighbours=near,
                                          explanation=f"{verdict.explanation} {neighbours_text(claim, near)}")
    return verdict


def _check(claim: Claim, source: MetricSource, limit: int) -> Verdict:
    tol = tolerance_for(claim.metric)
    rule = rule_text(claim.comparator, claim.qualifier, claim.value, tol, claim.low, claim.high)
    reason = _unread(claim, source)
    if reason:
        return _uncheckable(claim, rule, reason)
    try:
        if claim.metric in ("settlement_count", "settlement_change"):
            hook = _settlement_checker()
            if hook is not None:
                return hook(claim, source, rule, limit)
            if claim.metric == "settlement_count":
                return _check_settlement_count(claim, source, rule, limit)
            return _check_settlement_change(claim, source, rule, limit)
        if claim.metric in ("share", "area"):
            return _check_level(claim, source, rule, limit)
        return check_change(claim, source, rule, limit, _finish, _uncheckable)
    except MetricsUnavailable as exc:
        return _uncheckable(claim, rule, str(exc))
    except (StoreError, QueryError) as exc:
        return _uncheckable(claim, rule, f"the store cannot answer: {exc.problem}")


def _unread(claim: Claim, source: MetricSource) -> str:
    """Why one of the five readings is missing or unsure ("" when all were read)."""
    if claim.subject is None:
        return (f"the claim names no actor or coalition the {source.profile.id} profile knows (say who holds, "
                "gained or lost the territory)")
    if claim.unsure:
        return f"the parse is unsure: {claim.unsure}"
    if claim.figure is not None and not claim.direction_text and claim.figure.direction is None:
        return "no verb says whether the actor holds, gained or lost the territory"
    if claim.metric.endswith("change") and (claim.period_start is None or claim.period_end is None):
        note = claim.figure.note if claim.figure is not None and claim.figure.note else ""
        return note or "the claim gives no period for the change (e.g. 'in November', 'since 1 March')"
    if claim.metric in ("area", "share", "settlement_count") and claim.as_of is None:
        return "the claim has no date (give one with --date)"
    if (claim.region or claim.excluded or claim.inhabited) and claim.metric not in ("share", "area"):
        where = f"the {claim.region} region" if claim.region else "a part of the country"
        return (f"the figure is about {where}; whoholds computes regional shares and areas, not regional "
                "changes, and a national figure would not answer it")
    if claim.rate_days and not claim.metric.endswith("change"):
        return "a rate of a level ('per day' of an area held) is not a figure whoholds can compute"
    return ""


def check(claim: Claim, store: Any, profile: Any, *, max_distance_days: int = DEFAULT_MAX_DISTANCE_DAYS,
          boundaries: tuple[str, ...] = (), ledger_rows: Iterable[Mapping[str, Any]] | None = None) -> Verdict:
    """`check_claim` over a real store."""
    return check_claim(claim, StoreMetrics(store, profile, boundaries), max_distance_days=max_distance_days,
                       ledger_rows=ledger_rows)


def _uncheckable(claim: Claim, rule: str, reason: str, figure: Figure | None = None,
                 ref: SnapshotRef | None = None, dist: int | None = None) -> Verdict:
    text = f"This claim cannot be checked with the data at hand: {reason}."
    if figure is not None and ref is not None:
        text += (f" For reference only, the nearest snapshot ({ref.date}, {dist} days away) gives "
                 f"{fmt(figure.value, claim.metric)}; that is not a verdict.")
    return Verdict(claim=claim, label=VerdictLabel.UNCHECKABLE, figure=figure, tolerance=rule,
                   explanation=text, snapshot_date=ref.date if ref else None, distance_days=dist, reason=reason)


def _nearest(source: MetricSource, date: dt.date) -> tuple[SnapshotRef, int]:
    try:
        return source.nearest(date)
    except (StoreError, QueryError) as exc:
        raise StoreError(exc.source, f"no {source.profile.id} snapshot in the store ({exc.problem})") from None


def _finish(claim: Claim, source: MetricSource, rule: str, primary_value: float, primary_fig: Figure,
            variants: list[Variant], refs: tuple[SnapshotRef, ...], dist: int, definition_note: str, *,
            tol: Tolerance | None = None, notes: list[str] | None = None,
            value_text: Callable[[float | None], str] | None = None) -> Verdict:
    tol = tol or tolerance_for(claim.metric)
    show = value_text or (lambda v: fmt(v, claim.metric))

    def j(v: float) -> Judgement:
        return judge(claim.comparator, claim.value, v, tol, low=claim.low, high=claim.high,
                     qualifier=claim.qualifier)

    primary = j(primary_value)
    rows = [SensitivityRow("primary: " + definition_note, primary_value, primary.label, primary.error,
                           primary_fig)]
    judged: list[Judgement] = []
    for v in variants:
        jj = j(v.value)
        judged.append(jj)
        rows.append(SensitivityRow(v.name, v.value, jj.label, jj.error, v.figure, v.note))
    label, basis = combine(primary, judged)
    explanation = _explain(claim, source.profile, label, primary, basis, rows, refs, dist, show)
    if notes:
        explanation += " Note: " + "; ".join(notes) + "."
    verdict = Verdict(claim=claim, label=label, figure=primary_fig, tolerance=rule, explanation=explanation,
                      sensitivity=tuple(rows), snapshot_date=refs[-1].date, distance_days=dist,
                      error=primary.error, notes=tuple(notes or ()))
    return source_aware(verdict, source.profile, refs)


def _explain(claim: Claim, profile: Any, label: VerdictLabel, primary: Judgement, basis: Judgement,
             rows: list[SensitivityRow], refs: tuple[SnapshotRef, ...], dist: int,
             show: Callable[[float | None], str]) -> str:
    who = claim.speaker or "The claim"
    said = "said" if claim.speaker else "says"
    subject = profile.display_name(claim.subject or "")
    metric = claim.metric
    quote = claim.figure.surface if claim.figure else f"{claim.value:g}"
    qual = f"{claim.qualifier} " if claim.qualifier and claim.qualifier not in quote else ""
    holds = "does not hold" if claim.negated else "holds"
    net = "a net " if claim.measure == "net" else ""
    verb = f"{net}{'gain' if claim.direction == 'gained' else 'loss'} of" if net else claim.direction
    of = f" of the {claim.region} region" if claim.region else " of the territory"
    if claim.excluded:
        of += " excluding " + ", ".join(claim.excluded)
    span = f"between {claim.period_start} and {claim.period_end}"
    if claim.rate_days and claim.figure is not None and "per" not in quote and "a day" not in quote:
        quote += " per day" if claim.rate_days == 1 else f" per {claim.rate_days:g} days"
    what = {
        "share": f"{subject} {holds} {qual}{quote}{of}",
        "area": f"{subject} {holds} {qual}{quote}",
        "settlement_count": f"{subject} {holds} {qual}{quote} settlements",
        "area_change": f"{subject} {verb} {qual}{quote} {span}",
        "share_change": f"{subject} {claim.direction} {qual}{quote}{of} {span}",
        "settlement_change": f"{subject} {claim.direction} {qual}{quote} settlements {span}",
    }[metric]
    text = f"{who} {said} that {what}."
    src = ", ".join(dict.fromkeys(_short_source(r.source) for r in refs if r.source)) or "stored"
    if len(refs) == 1:
        text += (f" On the {src} map of {refs[0].date} ({dist} day(s) from the claim's date), the figure is "
                 f"{show(primary.computed)}.")
    else:
        text += (f" Between the {src} maps of {refs[0].date} and {refs[-1].date} (at most {dist} day(s) from the "
                 f"period's ends), the figure is {show(primary.computed)}.")
    if primary.error == 0:
        text += " The computed figure lies within what the claim states."
    else:
        direction = "more" if primary.error > 0 else "less"
        text += f" The claim says {err_text(primary.error, metric)} {direction} than the data show."
    values = [r.value for r in rows if r.value is not None]
    if len(values) > 1:
        kinds = ", ".join(dict.fromkeys(_variant_kind(r.variant) for r in rows[1:]))
        text += (f" Under the {len(rows) - 1} alternative definition(s) checked ({kinds}) the figure ranges "
                 f"from {show(min(values))} to {show(max(values))}.")
    if basis is not primary:
        text += (" The primary definition makes the claim false, but not every alternative does, so it is rated "
                 f"on the closest alternative ({show(basis.computed)}).")
    elif label == VerdictLabel.FALSE and len(values) > 1:
        text += " It is false under every alternative definition."
    return text + f" Verdict: {label.value}."


def _short_source(source: str) -> str:
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def _variant_kind(name: str) -> str:
    for key, label in (("contested", "contested land"), ("read as", "coalition membership"),
                       ("boundary", "boundary"), ("marker", "marker-estimate method"), ("gross", "gross vs net"),
                       ("net", "gross vs net")):
        if key in name:
            return label
    return name


# ---- levels: shares and areas held ---------------------------------------------------------------------
def _check_level(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    assert claim.as_of is not None
    profile = source.profile
    ref, dist = _nearest(source, claim.as_of)
    era = era_between(profile, claim.as_of, ref.date)
    if era is not None:
        return _check_era(claim, source, rule, ref, dist, era)
    era = era_between(profile, ref.date, claim.as_of)
    if era is not None:  # a map from before the event never judges a claim about the time after it
        return _uncheckable(claim, rule, f"the nearest snapshot ({ref.date}) is from before {era.name} "
                                         f"({era.start}) and the claim is about {claim.as_of}, after it")
    if claim.region or claim.excluded or claim.inhabited:
        if dist > limit:
            return _uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit))
        return _check_denominator(claim, source, rule, ref, dist)
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    col = "share_pct" if claim.metric == "share" else "area_km2"
    unit = "percent" if claim.metric == "share" else "km2"
    df = source.shares(ref.date, by)
    members = members_of(claim.subject, profile)
    mine = group_mask(df, claim.subject)
    value = total(df, mine, col)
    what = "share of the territory" if claim.metric == "share" else "area"
    name = profile.display_name(claim.subject or "")
    definition = f"{what} held by {name} (grouped by {by}); contested and mixed land not counted"
    fig = Figure(value, unit, definition, provenance(df[mine] if len(df) else df, (ref,)), ref.date)
    if dist > limit:
        return _uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit), fig, ref, dist)
    variants: list[Variant] = []
    extra = contested_for(df, members, profile, col)
    if extra > 0:
        v = value + extra
        variants.append(Variant(f"contested/mixed land counted for {name}", v,
                                Figure(v, unit, definition.replace("not counted", f"counted for {name}"),
                                       fig.provenance, ref.date), f"+{fmt(extra, claim.metric)} contested/mixed"))
    alt = _coalition_alternative(claim, profile, by)
    if alt is not None:
        df2 = source.shares(ref.date, alt[0])
        m2 = group_mask(df2, alt[1])
        v = total(df2, m2, col)
        if abs(v - value) > 1e-9:
            variants.append(Variant(f"read as {profile.display_name(alt[1])} ({alt[0]})", v,
                                    Figure(v, unit, f"{what} held by {profile.display_name(alt[1])}",
                                           provenance(df2[m2] if len(df2) else df2, (ref,)), ref.date), ""))
    for b in source.boundary_alternatives:
        df3 = source.shares(ref.date, by, boundary=b)
        m3 = group_mask(df3, claim.subject)
        v = total(df3, m3, col)
        variants.append(Variant(f"boundary {b}", v, Figure(v, unit, f"{definition}; boundary {b}",
                                                           provenance(df3[m3] if len(df3) else df3, (ref,)),
                                                           ref.date), ""))
    if claim.metric == "share":
        mdf = source.marker_share_range(ref, by)
        if mdf is not None and len(mdf) and {"group", "method", "share_pct"} <= set(mdf.columns):
            for method, part in mdf[mdf["group"].astype(str) == claim.subject].groupby("method"):
                variants.append(Variant(f"marker estimate: {method}", float(part["share_pct"].sum()), None, ""))
    return _finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


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


def _check_era(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int, era: Any) -> Verdict:
    """A level claim dated before an era boundary, and only later maps: judged on the layer that represents
    that time, or not at all."""
    profile = source.profile
    col = "share_pct" if claim.metric == "share" else "area_km2"
    value = era_layer_share(claim, profile, era, source.shares(ref.date, "state"), col)
    if value is None:
        return _uncheckable(claim, rule, f"the claim is about {claim.as_of}, before {era.name} ({era.start}), and "
                                         f"the store's maps are all from after it (nearest {ref.date}); none has "
                                         "a layer that represents that time")
    layers = ", ".join(profile.display_name(s) for s in era.before_states)
    definition = (f"{'share of the territory' if col == 'share_pct' else 'area'} in the '{layers}' layer of the "
                  f"{ref.date} map, which represents the line before {era.name}")
    fig = Figure(value, "percent" if col == "share_pct" else "km2", definition, provenance(
        source.shares(ref.date, "state").iloc[0:0], (ref,)), ref.date)
    note = (f"the claim is about {claim.as_of}, before {era.name} ({era.start}); it is judged on the "
            f"'{layers}' layer of the {ref.date} map, not on the post-{era.start.year} front line")
    return _finish(claim, source, rule, value, fig, [], (ref,), dist, definition, notes=[note])


def _check_denominator(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int) -> Verdict:
    """A share of a region, a share with regions excluded, or of the inhabited area only."""
    profile = source.profile
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    name = profile.display_name(claim.subject or "")
    store = getattr(source, "store", None)
    if claim.inhabited:
        return _check_inhabited(claim, source, rule, ref, dist, by, name)
    if claim.region:
        region = find_region(profile, claim.region)
        rows = region_rows(store, profile, ref.date, [region])
        mine = subject_rows(rows, profile, claim.subject, by)
        if claim.metric == "share":
            value, unit = float(mine["pct"].sum()), "percent"
        else:
            value, unit = float(mine["km2"].sum()), "km2"
        definition = (f"{'share' if unit == 'percent' else 'area'} of the {region.name} region held by {name} "
                      "(region boundaries; contested land not counted)")
        fig = Figure(value, unit, definition, provenance(rows.iloc[0:0], (ref,), "region shares"), ref.date)
        return _finish(claim, source, rule, value, fig, [], (ref,), dist, definition)
    regions = [find_region(profile, r) for r in claim.excluded]
    rows = region_rows(store, profile, ref.date, regions)
    df = source.shares(ref.date, by)
    mine = group_mask(df, claim.subject)
    km2 = total(df, mine, "area_km2")
    pct = total(df, mine, "share_pct")
    whole = km2 * 100.0 / pct if pct else None
    out_km2 = float(subject_rows(rows, profile, claim.subject, by)["km2"].sum())
    region_km2 = float(rows.drop_duplicates("region_id")["region_km2"].sum()) if len(rows) else 0.0
    names = ", ".join(r.name for r in regions)
    if claim.metric == "area":
        value, unit = km2 - out_km2, "km2"
    else:
        if whole is None or whole <= region_km2:
            raise MetricsUnavailable(f"the national area is unknown, so a share excluding {names} cannot be made")
        value, unit = 100.0 * (km2 - out_km2) / (whole - region_km2), "percent"
    definition = (f"{'share of the territory' if unit == 'percent' else 'area'} held by {name} excluding {names} "
                  f"(numerator and denominator both without {names})")
    fig = Figure(value, unit, definition, provenance(df[mine], (ref,)), ref.date)
    incl = pct if unit == "percent" else km2
    note = f"including {names} the figure would be {fmt(incl, claim.metric)}"
    return _finish(claim, source, rule, value, fig, [], (ref,), dist, definition, notes=[note])


def _check_inhabited(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int, by: str,
                     name: str) -> Verdict:
    from ..profiles.model import UNINHABITED

    df = source.shares(ref.date, by)
    empty = group_mask(df, UNINHABITED)
    if not empty.any() or claim.metric != "share":
        raise MetricsUnavailable("the store's map has no uninhabited-area layer, so 'of the inhabited area' "
                                 "cannot be computed")
    mine = group_mask(df, claim.subject)
    pct, gap = total(df, mine, "share_pct"), total(df, empty, "share_pct")
    value = 100.0 * pct / (100.0 - gap) if gap < 100 else 0.0
    definition = f"share of the inhabited area held by {name} (land far from any settlement marker left out)"
    fig = Figure(value, "percent", definition, provenance(df[mine], (ref,)), ref.date)
    return _finish(claim, source, rule, value, fig, [], (ref,), dist, definition,
                   notes=[f"of the whole country the figure would be {fmt(pct, 'share')}"])


# ---- settlements (markers) -----------------------------------------------------------------------------
def _count_col(df: Any) -> str:
    for c in ("count", "n", "settlements", "n_settlements", "markers"):
        if c in df.columns:
            return c
    raise MetricsUnavailable(f"settlement counts came without a count column (columns: {list(df.columns)})")


def _check_settlement_count(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    assert claim.as_of is not None
    ref, dist = _nearest(source, claim.as_of)
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    if dist > limit:
        return _uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit), None, ref, dist)
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
    return _finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


def _check_settlement_change(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    from .check_change import period_refs

    got, reason, _ends = period_refs(source, claim, limit)
    if got is None:
        return _uncheckable(claim, rule, reason)
    r1, r2, dist, _ = got
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
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
    return _finish(claim, source, rule, value, fig, variants, (r1, r2), dist, definition)
