"""Checking a claim against the store: the computed figures, the sensitivity table, the verdict.

The metrics are reached through a `MetricSource` (see `whoholds.claims.metric_source`): `StoreMetrics` (the
real store and `whoholds.metrics`) or any object with the same methods (tests use small fakes). Everything
the source cannot answer becomes the verdict "cannot be checked" with the reason; the figure of the nearest
snapshot is still shown when there is one, labelled as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import QueryError, StoreError
from ..profiles import Profile
from ..types import Figure, Provenance
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef, StoreMetrics
from .model import Claim, SensitivityRow, Verdict, VerdictLabel
from .verdict import Judgement, combine, judge, rule_text, tolerance_for

DEFAULT_MAX_DISTANCE_DAYS = 45
CONTESTED_KINDS = ("contested", "mixed")


# ---- helpers -------------------------------------------------------------------------------------------
def _members(claim: Claim, profile: Profile) -> set[str]:
    if claim.subject in profile.coalition_by_id and claim.subject not in profile.actor_by_id:
        return set(profile.coalition_by_id[claim.subject].members)
    return {claim.subject} if claim.subject else set()


def _by(claim: Claim) -> str:
    return "coalition" if claim.subject_kind == "coalition" else "actor"


def _group_mask(df: pd.DataFrame, group: str | None) -> pd.Series:
    """Rows of ``group`` in a metric frame (an empty frame may come without a ``group`` column)."""
    return df["group"].astype(str) == group if len(df) else pd.Series(dtype=bool)


def _sum(df: pd.DataFrame, mask: pd.Series, col: str) -> float:
    return float(pd.to_numeric(df.loc[mask, col], errors="coerce").fillna(0).sum()) if len(df) else 0.0


def _provenance(df: pd.DataFrame, refs: tuple[SnapshotRef, ...], method: str = "") -> Provenance:
    def col(name: str, default: str) -> str:
        if len(df) and name in df.columns:
            vals = [str(v) for v in df[name].dropna().unique()]
            if vals:
                return ";".join(vals)
        return default

    return Provenance(
        snapshot_ids=tuple(r.id for r in refs), sources=tuple(dict.fromkeys(r.source for r in refs)),
        boundary=col("boundary", "profile default"), method=col("method", method or "whoholds"),
        version=col("whoholds_version", __version__),
    )


def _contested_for(df: pd.DataFrame, members: set[str], profile: Profile, col: str) -> float:
    """Contested/mixed land one of whose parties is the claimant (a member of the claiming coalition)."""
    if not len(df):
        return 0.0
    total = 0.0
    for _, row in df.iterrows():
        st = profile.state_by_id.get(str(row["group"]))
        kind = row["kind"] if "kind" in df.columns else (st.kind if st is not None else "")
        if kind not in CONTESTED_KINDS:
            continue
        parties = set(st.parties) if st is not None else set()
        if parties & members:
            total += float(row[col])
    return total

#: How a value of each metric is written: (the figure, a difference from it); other metrics are counts.
_FORMATS = {
    "share": ("{:.1f}%", "{:.1f} percentage points"),
    "share_change": ("{:+.2f} pp", "{:.2f} percentage points"),
    "area": ("{:,.0f} km²", "{:,.0f} km²"),
    "area_change": ("{:,.0f} km²", "{:,.0f} km²"),
}
_COUNT_FORMATS = ("{:,.0f}", "{:,.0f}")


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "n/a"
    return _FORMATS.get(metric, _COUNT_FORMATS)[0].format(value)


def _err_text(error: float, metric: str) -> str:
    return _FORMATS.get(metric, _COUNT_FORMATS)[1].format(abs(error))


# ---- the check -----------------------------------------------------------------------------------------
def check_claim(claim: Claim, source: MetricSource, *,
                max_distance_days: int = DEFAULT_MAX_DISTANCE_DAYS) -> Verdict:
    """Compute the claim's figure from the store, rate it, and rate it again under every sensitivity variant."""
    tol = tolerance_for(claim.metric)
    rule = rule_text(claim.comparator, claim.qualifier, claim.value, tol, claim.low, claim.high)
    if claim.subject is None:
        return _uncheckable(claim, rule, "the claim names no actor or coalition the "
                            f"{source.profile.id} profile knows (say who holds, gained or lost the territory)")
    try:
        if claim.metric in ("share", "area"):
            return _check_level(claim, source, rule, max_distance_days)
        if claim.metric == "settlement_count":
            return _check_settlement_count(claim, source, rule, max_distance_days)
        return _check_change(claim, source, rule, max_distance_days)
    except MetricsUnavailable as exc:
        return _uncheckable(claim, rule, str(exc))
    except (StoreError, QueryError) as exc:
        return _uncheckable(claim, rule, f"the store cannot answer: {exc.problem}")


def check(claim: Claim, store: Any, profile: Profile, *, max_distance_days: int = DEFAULT_MAX_DISTANCE_DAYS,
          boundaries: tuple[str, ...] = ()) -> Verdict:
    """`check_claim` over a real store."""
    return check_claim(claim, StoreMetrics(store, profile, boundaries), max_distance_days=max_distance_days)


def _uncheckable(claim: Claim, rule: str, reason: str, figure: Figure | None = None,
                 ref: SnapshotRef | None = None, dist: int | None = None) -> Verdict:
    text = f"This claim cannot be checked with the data at hand: {reason}."
    if figure is not None and ref is not None:
        text += (f" For reference only, the nearest snapshot ({ref.date}, {dist} days away) gives "
                 f"{_fmt(figure.value, claim.metric)}; that is not a verdict.")
    return Verdict(claim=claim, label=VerdictLabel.UNCHECKABLE, figure=figure, tolerance=rule,
                   explanation=text, snapshot_date=ref.date if ref else None, distance_days=dist, reason=reason)


def _nearest(source: MetricSource, date: dt.date) -> tuple[SnapshotRef, int]:
    try:
        return source.nearest(date)
    except (StoreError, QueryError) as exc:
        raise StoreError(exc.source, f"no {source.profile.id} snapshot in the store ({exc.problem})") from None


def _too_far(source: MetricSource, date: dt.date, ref: SnapshotRef, dist: int, limit: int) -> str:
    return (f"the store has no {source.profile.id} snapshot within {limit} days of {date}; the nearest is "
            f"{ref.date} ({dist} days)")


def _finish(claim: Claim, source: MetricSource, rule: str, primary_value: float, primary_fig: Figure,
            variants: list[tuple[str, float, Figure | None, str]], refs: tuple[SnapshotRef, ...],
            dist: int, definition_note: str) -> Verdict:
    tol = tolerance_for(claim.metric)

    def j(v: float) -> Judgement:
        return judge(claim.comparator, claim.value, v, tol, low=claim.low, high=claim.high,
                     qualifier=claim.qualifier)

    primary = j(primary_value)
    rows = [SensitivityRow("primary: " + definition_note, primary_value, primary.label, primary.error,
                           primary_fig)]
    judged: list[Judgement] = []
    for name, value, fig, note in variants:
        jj = j(value)
        judged.append(jj)
        rows.append(SensitivityRow(name, value, jj.label, jj.error, fig, note))
    label, basis = combine(primary, judged)
    explanation = _explain(claim, source.profile, label, primary, basis, rows, refs, dist)
    return Verdict(claim=claim, label=label, figure=primary_fig, tolerance=rule, explanation=explanation,
                   sensitivity=tuple(rows), snapshot_date=refs[-1].date, distance_days=dist,
                   error=primary.error)


def _explain(claim: Claim, profile: Profile, label: VerdictLabel, primary: Judgement, basis: Judgement,
             rows: list[SensitivityRow], refs: tuple[SnapshotRef, ...], dist: int) -> str:
    who = claim.speaker or "The claim"
    said = "said" if claim.speaker else "says"
    subject = profile.display_name(claim.subject or "")
    metric = claim.metric
    quote = claim.figure.surface if claim.figure else f"{claim.value:g}"
    qual = f"{claim.qualifier} " if claim.qualifier and claim.qualifier not in quote else ""
    holds = "does not hold" if claim.negated else "holds"
    what = {
        "share": f"{subject} {holds} {qual}{quote} of the territory",
        "area": f"{subject} {holds} {qual}{quote}",
        "settlement_count": f"{subject} {holds} {qual}{quote} settlements",
        "area_change": f"{subject} {claim.direction} {qual}{quote} between {claim.period_start} and "
                       f"{claim.period_end}",
        "share_change": f"{subject} {claim.direction} {qual}{quote} of the territory between "
                        f"{claim.period_start} and {claim.period_end}",
        "settlement_change": f"{subject} {claim.direction} {qual}{quote} settlements between "
                             f"{claim.period_start} and {claim.period_end}",
    }[metric]
    text = f"{who} {said} that {what}."
    src = ", ".join(dict.fromkeys(_short_source(r.source) for r in refs if r.source)) or "stored"
    if len(refs) == 1:
        text += (f" On the {src} map of {refs[0].date} ({dist} day(s) from the claim's date), the figure is "
                 f"{_fmt(primary.computed, metric)}.")
    else:
        text += (f" Between the {src} maps of {refs[0].date} and {refs[-1].date} (at most {dist} day(s) from the "
                 f"period's ends), the figure is {_fmt(primary.computed, metric)}.")
    if primary.error == 0:
        text += " The computed figure lies within what the claim states."
    else:
        direction = "more" if primary.error > 0 else "less"
        text += f" The claim says {_err_text(primary.error, metric)} {direction} than the data show."
    values = [r.value for r in rows if r.value is not None]
    if len(values) > 1:
        kinds = ", ".join(dict.fromkeys(_variant_kind(r.variant) for r in rows[1:]))
        text += (f" Under the {len(rows) - 1} alternative definition(s) checked ({kinds}) the figure ranges "
                 f"from {_fmt(min(values), metric)} to {_fmt(max(values), metric)}.")
    if basis is not primary:
        text += (" The primary definition makes the claim false, but not every alternative does, so it is rated "
                 f"on the closest alternative ({_fmt(basis.computed, metric)}).")
    elif label == VerdictLabel.FALSE and len(values) > 1:
        text += " It is false under every alternative definition."
    return text + f" Verdict: {label.value}."


def _short_source(source: str) -> str:
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def _variant_kind(name: str) -> str:
    for key, label in (("contested", "contested land"), ("read as", "coalition membership"),
                       ("boundary", "boundary"), ("marker", "marker-estimate method"), ("gross", "gross vs net")):
        if key in name:
            return label
    return name


def _check_level(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    if claim.as_of is None:
        return _uncheckable(claim, rule, "the claim has no date (give one with --date)")
    profile = source.profile
    ref, dist = _nearest(source, claim.as_of)
    by = _by(claim)
    col = "share_pct" if claim.metric == "share" else "area_km2"
    unit = "percent" if claim.metric == "share" else "km2"
    df = source.shares(ref.date, by)
    members = _members(claim, profile)
    mine = _group_mask(df, claim.subject)
    value = _sum(df, mine, col)
    what = "share of the territory" if claim.metric == "share" else "area"
    name = profile.display_name(claim.subject or "")
    definition = f"{what} held by {name} (grouped by {by}); contested and mixed land not counted"
    fig = Figure(value, unit, definition, _provenance(df[mine] if len(df) else df, (ref,)), ref.date)
    if dist > limit:
        return _uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit), fig, ref, dist)
    variants: list[tuple[str, float, Figure | None, str]] = []
    extra = _contested_for(df, members, profile, col)
    if extra > 0:
        v = value + extra
        variants.append((f"contested/mixed land counted for {name}", v,
                         Figure(v, unit, definition.replace("not counted", f"counted for {name}"),
                                fig.provenance, ref.date), f"+{_fmt(extra, claim.metric)} contested/mixed"))
    # Coalition membership: an actor's claim read for its coalition, a coalition's for its leading member.
    alt: tuple[str, str] | None = None
    if by == "actor" and claim.subject:
        coal = profile.coalition_of(claim.subject)
        if coal and coal != claim.subject:
            alt = ("coalition", coal)
    elif by == "coalition" and claim.subject in profile.coalition_by_id:
        first = profile.coalition_by_id[claim.subject].members[:1]
        if first and len(profile.coalition_by_id[claim.subject].members) > 1:
            alt = ("actor", first[0])
    if alt is not None:
        df2 = source.shares(ref.date, alt[0])
        m2 = _group_mask(df2, alt[1])
        v = _sum(df2, m2, col)
        if abs(v - value) > 1e-9:
            variants.append((f"read as {profile.display_name(alt[1])} ({alt[0]})", v,
                             Figure(v, unit, f"{what} held by {profile.display_name(alt[1])}",
                                    _provenance(df2[m2] if len(df2) else df2, (ref,)), ref.date), ""))
    for b in source.boundary_alternatives:
        df3 = source.shares(ref.date, by, boundary=b)
        m3 = _group_mask(df3, claim.subject)
        v = _sum(df3, m3, col)
        variants.append((f"boundary {b}", v, Figure(v, unit, f"{definition}; boundary {b}",
                                                    _provenance(df3[m3] if len(df3) else df3, (ref,)),
                                                    ref.date), ""))
    if claim.metric == "share":
        mdf = source.marker_share_range(ref, by)
        if mdf is not None and len(mdf) and {"group", "method", "share_pct"} <= set(mdf.columns):
            for method, part in mdf[mdf["group"].astype(str) == claim.subject].groupby("method"):
                v = float(part["share_pct"].sum())
                variants.append((f"marker estimate: {method}", v, None, ""))
    return _finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


def _count_col(df: pd.DataFrame) -> str:
    for c in ("count", "n", "settlements", "n_settlements", "markers"):
        if c in df.columns:
            return c
    raise MetricsUnavailable(f"settlement counts came without a count column (columns: {list(df.columns)})")


def _check_settlement_count(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    if claim.as_of is None:
        return _uncheckable(claim, rule, "the claim has no date (give one with --date)")
    ref, dist = _nearest(source, claim.as_of)
    by = _by(claim)
    if dist > limit:
        return _uncheckable(claim, rule, _too_far(source, claim.as_of, ref, dist, limit), None, ref, dist)
    df = source.settlement_counts(ref, by)
    col = _count_col(df)
    mine = df["group"].astype(str) == claim.subject
    value = _sum(df, mine, col)
    name = source.profile.display_name(claim.subject or "")
    definition = f"settlement markers held by {name} (grouped by {by})"
    fig = Figure(value, "settlements", definition, _provenance(df[mine], (ref,), "settlement markers"), ref.date)
    variants: list[tuple[str, float, Figure | None, str]] = []
    extra = _contested_for(df.rename(columns={col: "_n"}), _members(claim, source.profile), source.profile,
                           "_n")
    if extra > 0:
        variants.append((f"contested settlements counted for {name}", value + extra, None, ""))
    return _finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)


def _places_on_polygons(source: MetricSource, r1: SnapshotRef, r2: SnapshotRef) -> bool:
    """Settlement changes between polygon maps are counted over gazetteer places (claims/settlement_check)."""
    located = hasattr(source, "settlement_changes") or hasattr(source, "store")
    return located and "markers" not in (r1.kind, r2.kind)


def _check_change(claim: Claim, source: MetricSource, rule: str, limit: int) -> Verdict:
    start = claim.period_start
    end = claim.period_end or claim.as_of
    if start is None or end is None:
        note = claim.figure.note if claim.figure is not None and claim.figure.note else ""
        return _uncheckable(claim, rule, note or "the claim gives no period for the change (e.g. 'in November')")
    if end <= start:
        return _uncheckable(claim, rule, f"the period {start} – {end} is empty")
    # Endpoints must be close to the period's ends: within a tenth of the period (3 days at least).
    allowed = min(limit, max(3, (end - start).days // 10))
    r1, d1 = _nearest(source, start)
    r2, d2 = _nearest(source, end)
    dist = max(d1, d2)
    if d1 > allowed:
        return _uncheckable(claim, rule, _too_far(source, start, r1, d1, allowed), None, r1, d1)
    if d2 > allowed:
        return _uncheckable(claim, rule, _too_far(source, end, r2, d2, allowed), None, r2, d2)
    if r1.date >= r2.date:
        return _uncheckable(claim, rule, f"only one snapshot ({r1.date}) covers the period {start} – {end}")
    by = _by(claim)
    profile = source.profile
    name = profile.display_name(claim.subject or "")
    sign = 1.0 if claim.direction != "lost" else -1.0
    verb = "lost" if sign < 0 else "gained"
    variants: list[tuple[str, float, Figure | None, str]] = []
    if claim.metric == "area_change":
        summ = source.transfers(r1.date, r2.date, by)
        mine = _group_mask(summ, claim.subject)
        net = _sum(summ, mine, "net_km2")
        gains = _sum(summ, mine, "gains_km2")
        losses = _sum(summ, mine, "losses_km2")
        value = sign * net
        net_of = "gains minus losses" if sign > 0 else "losses minus gains"
        definition = f"net area {verb} by {name} between {r1.date} and {r2.date} ({net_of})"
        prov = _provenance(summ, (r1, r2), "transfer matrix")
        fig = Figure(value, "km2", definition, prov, r2.date)
        gross = gains if sign > 0 else losses
        variants.append((f"gross area {verb} (ignoring land {'lost' if sign > 0 else 'regained'})", gross,
                         Figure(gross, "km2", f"gross area {verb} by {name}", prov, r2.date), ""))
    elif claim.metric == "share_change":
        s1 = source.shares(r1.date, by)
        s2 = source.shares(r2.date, by)
        m1 = s1["group"].astype(str) == claim.subject
        m2 = s2["group"].astype(str) == claim.subject
        value = sign * (_sum(s2, m2, "share_pct") - _sum(s1, m1, "share_pct"))
        definition = f"change in {name}'s share of the territory between {r1.date} and {r2.date}, pp"
        fig = Figure(value, "percentage points", definition, _provenance(s2[m2], (r1, r2)), r2.date)
        members = _members(claim, profile)
        c1 = _contested_for(s1, members, profile, "share_pct")
        c2 = _contested_for(s2, members, profile, "share_pct")
        if c1 or c2:
            v = value + sign * (c2 - c1)
            variants.append((f"contested/mixed land counted for {name}", v, None, ""))
    elif _places_on_polygons(source, r1, r2):  # settlement_change on polygon maps: gazetteer places
        from .settlement_check import check_settlement_change

        return check_settlement_change(claim, source, rule, r1, r2, dist, by)
    else:  # settlement_change
        c1 = source.settlement_counts(r1, by)
        c2 = source.settlement_counts(r2, by)
        col1, col2 = _count_col(c1), _count_col(c2)
        n1 = _sum(c1, c1["group"].astype(str) == claim.subject, col1)
        n2 = _sum(c2, c2["group"].astype(str) == claim.subject, col2)
        value = sign * (n2 - n1)
        definition = f"net settlements {verb} by {name} between {r1.date} and {r2.date}"
        fig = Figure(value, "settlements", definition, _provenance(c2, (r1, r2), "settlement markers"), r2.date)
        moves_of = getattr(source, "settlement_transfers", None)
        moves = moves_of(r1, r2, by) if moves_of is not None else None
        if moves is not None and len(moves) and {"from_group", "to_group"} <= set(moves.columns):
            changed = moves[moves["change"] == "changed hands"] if "change" in moves.columns else moves
            if "settlement" in changed.columns:
                changed = changed[changed["settlement"].astype(bool)]
            side = "to_group" if sign > 0 else "from_group"
            gross = float((changed[side].astype(str) == claim.subject).sum())
            variants.append((f"gross settlements {verb} (markers matched by position, ignoring those "
                             f"{'lost' if sign > 0 else 'regained'})", gross, None, ""))
    return _finish(claim, source, rule, value, fig, variants, (r1, r2), dist, definition)
