"""The end of every claim check: rate the computed figure (and each alternative definition), explain it in
words a journalist can quote, apply the tracker rule -- or say why the claim cannot be checked."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..types import Figure
from .check_common import Variant, err_text, fmt
from .check_context import source_aware
from .metric_source import MetricSource, SnapshotRef
from .model import Claim, SensitivityRow, Verdict, VerdictLabel
from .verdict import Judgement, Tolerance, combine, judge, tolerance_for


def uncheckable(claim: Claim, rule: str, reason: str, figure: Figure | None = None,
                 ref: SnapshotRef | None = None, dist: int | None = None) -> Verdict:
    text = f"This claim cannot be checked with the data at hand: {reason}."
    if figure is not None and ref is not None:
        text += (f" For reference only, the nearest snapshot ({ref.date}, {dist} days away) gives "
                 f"{fmt(figure.value, claim.metric)}; that is not a verdict.")
    return Verdict(claim=claim, label=VerdictLabel.UNCHECKABLE, figure=figure, tolerance=rule,
                   explanation=text, snapshot_date=ref.date if ref else None, distance_days=dist, reason=reason)


def finish(claim: Claim, source: MetricSource, rule: str, primary_value: float, primary_fig: Figure,
            variants: list[Variant], refs: tuple[SnapshotRef, ...], dist: int, definition_note: str, *,
            tol: Tolerance | None = None, notes: list[str] | None = None,
            value_text: Callable[[float | None], str] | None = None) -> Verdict:
    if not (math.isfinite(claim.value) and math.isfinite(primary_value)):
        return uncheckable(claim, rule, "the claimed or computed figure is not a finite number")
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
    change = f"did not {'gain' if claim.direction == 'gained' else 'lose'}" if claim.negated else claim.direction
    if claim.negated and net:
        verb = f"did not make {verb}"
    elif claim.negated:
        verb = change
    of = f" of the {claim.region} region" if claim.region else " of the territory"
    if claim.excluded:
        of += " excluding " + ", ".join(claim.excluded)
    if claim.inhabited:
        of = " of the inhabited area"
    span = f"between {claim.period_start} and {claim.period_end}"
    if claim.rate_days and claim.figure is not None and "per" not in quote and "a day" not in quote:
        quote += " per day" if claim.rate_days == 1 else f" per {claim.rate_days:g} days"
    what = {
        "share": f"{subject} {holds} {qual}{quote}{of}",
        "area": f"{subject} {holds} {qual}{quote}",
        "settlement_count": f"{subject} {holds} {qual}{quote} settlements",
        "area_change": f"{subject} {verb} {qual}{quote} {span}",
        "share_change": f"{subject} {change} {qual}{quote}{of} {span}",
        "settlement_change": f"{subject} {change} {qual}{quote} settlements {span}",
    }[metric]
    text = f"{who} {said} that {what}."
    src = ", ".join(dict.fromkeys(_short_source(r.source) for r in refs if r.source)) or "stored"
    if len(refs) == 1:
        text += (f" On the {src} map of {refs[0].date} ({_days(dist)} from the claim's date), the figure is "
                 f"{show(primary.computed)}.")
    else:
        text += (f" Between the {src} maps of {refs[0].date} and {refs[-1].date} (at most {_days(dist)} from the "
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
        text += (f" The primary definition makes the claim {primary.label.value}, but an alternative rates it "
                 f"better, so it is rated on the closest alternative ({show(basis.computed)}).")
    elif label == VerdictLabel.FALSE and len(values) > 1:
        text += " It is false under every alternative definition."
    return text + f" Verdict: {label.value}."


def _short_source(source: str) -> str:
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def _variant_kind(name: str) -> str:
    for key, label in (("contested", "contested land"), ("read as", "coalition membership"),
                       ("boundary", "boundary"), ("marker", "marker-estimate method"),
                       ("summed", "endpoints vs summed steps"), ("gross", "gross vs net"),
                       ("net", "gross vs net")):
        if key in name:
            return label
    return name


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
