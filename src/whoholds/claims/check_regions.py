"""Level claims whose denominator or era is not the plain national map: a claim about the time before an event
(judged on the layer that represents it), a share of a region or with regions excluded, of the inhabited area.
See `whoholds.claims.check_context` for the rules."""

from __future__ import annotations

import contextlib
from typing import Any

from ..types import Figure
from .check_common import Variant, fmt, group_mask, provenance, total
from .check_context import era_layer_share, find_region, region_rows, subject_rows
from .finish import finish, uncheckable
from .metric_source import MetricSource, MetricsUnavailable, SnapshotRef
from .model import Claim, Verdict


def check_era(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int, era: Any) -> Verdict:
    """A level claim dated before an era boundary, and only later maps: judged on the layer that represents
    that time, or not at all."""
    profile = source.profile
    col = "share_pct" if claim.metric == "share" else "area_km2"
    value = era_layer_share(claim, profile, era, source.shares(ref.date, "state"), col)
    if value is None:
        return uncheckable(claim, rule, f"the claim is about {claim.as_of}, before {era.name} ({era.start}), and "
                                         f"the store's maps are all from after it (nearest {ref.date}); none has "
                                         "a layer that represents that time")
    layers = ", ".join(profile.display_name(s) for s in era.before_states)
    definition = (f"{'share of the territory' if col == 'share_pct' else 'area'} in the '{layers}' layer of the "
                  f"{ref.date} map, which represents the line before {era.name}")
    fig = Figure(value, "percent" if col == "share_pct" else "km2", definition, provenance(
        source.shares(ref.date, "state").iloc[0:0], (ref,)), ref.date)
    note = (f"the claim is about {claim.as_of}, before {era.name} ({era.start}); it is judged on the "
            f"'{layers}' layer of the {ref.date} map, not on the post-{era.start.year} front line")
    return finish(claim, source, rule, value, fig, [], (ref,), dist, definition, notes=[note])


def check_denominator(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int) -> Verdict:
    """A share of a region, a share with regions excluded, or of the inhabited area only."""
    profile = source.profile
    by = "coalition" if claim.subject_kind == "coalition" else "actor"
    name = profile.display_name(claim.subject or "")
    store = getattr(source, "store", None)
    if claim.inhabited:
        return check_inhabited(claim, source, rule, ref, dist, by, name)
    if claim.region:
        return _check_region(claim, source, rule, ref, dist, by, name, find_region(profile, claim.region))
    regions = _with_sevastopol(profile, [find_region(profile, r) for r in claim.excluded])
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
    return finish(claim, source, rule, value, fig, [], (ref,), dist, definition, notes=[note])


def check_inhabited(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int, by: str,
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
    variants: list[Variant] = []
    mdf = source.marker_share_range(ref, by)
    if mdf is not None and len(mdf) and {"group", "method", "share_pct"} <= set(mdf.columns):
        for method, part in mdf.groupby("method"):  # methods that leave land uninhabited (capped cells)
            groups = part["group"].astype(str)
            empty_m = float(part.loc[groups == UNINHABITED, "share_pct"].sum())
            if 0 < empty_m < 100:
                v = 100.0 * float(part.loc[groups == str(claim.subject), "share_pct"].sum()) / (100.0 - empty_m)
                variants.append(Variant(f"marker estimate: {method}", v, None, f"{empty_m:.1f}% uninhabited"))
    return finish(claim, source, rule, value, fig, variants, (ref,), dist, definition,
                  notes=[f"of the whole country the figure would be {fmt(pct, 'share')}"])


def _with_sevastopol(profile: Any, regions: list[Any]) -> list[Any]:
    """"Crimea" in a claim is the peninsula: the Autonomous Republic and the city of Sevastopol, which admin-1
    boundaries keep apart (UA-43, UA-40)."""
    ids = {getattr(r, "id", None) for r in regions}
    if "UA-43" in ids and "UA-40" not in ids:
        with contextlib.suppress(MetricsUnavailable):
            regions = [*regions, find_region(profile, "Sevastopol")]
    return regions


def _region_figure(rows: Any, profile: Any, claim: Claim, by: str, contested: bool = False) -> float:
    from .check_common import CONTESTED_KINDS, members_of

    mine = subject_rows(rows, profile, claim.subject, by)
    col = "pct" if claim.metric == "share" else "km2"
    value = float(mine[col].sum())
    if contested:
        members = members_of(claim.subject, profile)
        for _, row in rows.iterrows():
            st = profile.state_by_id.get(str(row["state"]))
            if st is not None and st.kind in CONTESTED_KINDS and set(st.parties) & members:
                value += float(row[col])
    return value


def _check_region(claim: Claim, source: MetricSource, rule: str, ref: SnapshotRef, dist: int, by: str, name: str,
                  region: Any) -> Verdict:
    """A share (or area) of one region, with the same sensitivity a national figure gets: contested land counted
    for the claimant, and on marker maps every estimate method."""
    profile = source.profile
    store = getattr(source, "store", None)
    rows = region_rows(store, profile, ref.date, [region])
    unit = "percent" if claim.metric == "share" else "km2"
    value = _region_figure(rows, profile, claim, by)
    definition = (f"{'share' if unit == 'percent' else 'area'} of the {region.name} region held by {name} "
                  "(region boundaries; contested land not counted)")
    method = "region shares of the marker estimate" if ref.kind == "markers" else "region shares"
    fig = Figure(value, unit, definition, provenance(rows.iloc[0:0], (ref,), method), ref.date)
    variants: list[Variant] = []
    with_contested = _region_figure(rows, profile, claim, by, contested=True)
    if with_contested != value:
        variants.append(Variant(f"contested/mixed land counted for {name}", with_contested, None, ""))
    if ref.kind == "markers":
        from ..geometry.cells import MARKER_METHODS
        from ..metrics.regions import region_shares

        for method in MARKER_METHODS:
            other = region_shares(store, profile, ref.date, [region], marker_method=method)
            variants.append(Variant(f"marker estimate: {method}", _region_figure(other, profile, claim, by), None,
                                    ""))
    return finish(claim, source, rule, value, fig, variants, (ref,), dist, definition)
