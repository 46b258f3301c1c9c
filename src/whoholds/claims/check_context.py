"""What decides whether a computed figure may judge a claim at all: the tracker the claim names, the era it is
about, and the denominator it names (a region, regions excluded, the inhabited area).

- **Trackers.** The profile names the known trackers and the snapshot sources each made. When a claim names a
  tracker ("according to ISW") and the store's maps come from another one, a figure that disagrees gets the
  label "differs by source" (both figures and why trackers differ), never "false".
- **Eras.** A level claim dated before an era boundary (the full-scale invasion) is judged only on a snapshot
  from before it, or on a layer that represents that time (the profile's ``before_states``, e.g. "occupied
  since 2014"); otherwise it cannot be checked.
- **Regions.** A share "of the Donetsk region" or "excluding Crimea" needs region boundaries, reached through
  the `whoholds.geometry.regions` / `whoholds.metrics.regions` contract, imported when needed: without them
  the claim cannot be checked -- a regional share is never compared with the national one.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..profiles import Profile
from ..profiles.model import Era, Tracker
from .metric_source import MetricsUnavailable, SnapshotRef
from .model import Claim, Verdict, VerdictLabel

DIFFERS_WHEN = (VerdictLabel.OVERSTATED, VerdictLabel.UNDERSTATED, VerdictLabel.FALSE)


# ---- trackers ------------------------------------------------------------------------------------------
def tracker_of_source(profile: Profile, source: str) -> Tracker | None:
    """The profile's tracker whose ``sources`` patterns match a snapshot's source path or URL."""
    for tracker in profile.trackers:
        if any(re.search(p, source, re.I) for p in tracker.sources):
            return tracker
    return None


def store_trackers(profile: Profile, refs: tuple[SnapshotRef, ...]) -> list[Tracker | None]:
    return [tracker_of_source(profile, r.source or "") for r in refs]


def source_aware(verdict: Verdict, profile: Profile, refs: tuple[SnapshotRef, ...]) -> Verdict:
    """The verdict, relabelled "differs by source" when the claim names another tracker than the store's and
    the figures disagree; a note either way."""
    claim = verdict.claim
    if not claim.tracker or verdict.label == VerdictLabel.UNCHECKABLE:
        return verdict
    named = next((t for t in profile.trackers if t.id == claim.tracker), None)
    if named is None:
        return verdict
    held = store_trackers(profile, refs)
    if held and all(t is not None and t.id == named.id for t in held):
        return dataclasses.replace(verdict, notes=(*verdict.notes, f"the claim cites {named.name}, whose maps "
                                                   "the store holds: a like-for-like comparison"))
    store_name = next((t.name for t in held if t is not None), None) or "maps of an unnamed source"
    why = f"{named.name}: {named.convention}" if named.convention else ""
    other = next((t for t in held if t is not None), None)
    if other is not None and other.convention:
        why += f" {other.name}: {other.convention}"
    note = (f"the claim cites {named.name}; the store holds {store_name}. Trackers draw control differently, "
            f"so a difference between them is not an error of the claim. {why}").strip()
    if verdict.label not in DIFFERS_WHEN:
        return dataclasses.replace(verdict, notes=(*verdict.notes, note))
    computed = verdict.figure.value if verdict.figure is not None else None
    text = (f"Differs by source: the claim ({named.name}) says {claim.value:g} "
            f"{_unit(claim.unit)}; {store_name} gives "
            f"{'n/a' if computed is None else f'{computed:,.1f}'} {_unit(claim.unit)}. {note} "
            f"Against {store_name} alone the claim would be rated {verdict.label.value}; that is not a verdict on "
            f"the claim. Verdict: {VerdictLabel.DIFFERS_BY_SOURCE.value}.")
    return dataclasses.replace(verdict, label=VerdictLabel.DIFFERS_BY_SOURCE, explanation=text,
                               reason=f"not comparable: the claim cites {named.name}, the store holds {store_name}",
                               notes=(*verdict.notes, note))


def _unit(unit: str) -> str:
    return {"percent": "%", "km2": "km²", "percentage points": "pp"}.get(unit, unit)


# ---- eras ----------------------------------------------------------------------------------------------
def era_between(profile: Profile, claim_day: Any, snapshot_day: Any) -> Era | None:
    """The era boundary between the claim's date and a snapshot's, if any (the claim before it)."""
    for era in profile.eras:
        if claim_day < era.start <= snapshot_day:
            return era
    return None


def era_layer_share(claim: Claim, profile: Profile, era: Era, by_state: Any, col: str) -> float | None:
    """The claim's figure from the layer that represents the time before ``era`` (e.g. "occupied since 2014"),
    when the subject is the actor of that layer and the map has it; else None."""
    if not era.before_states or by_state is None or not len(by_state):
        return None
    actors = {profile.actor_of(s) for s in era.before_states}
    subject = claim.subject
    if subject in profile.coalition_by_id and subject not in profile.actor_by_id:
        members = set(profile.coalition_by_id[subject].members)
    else:
        members = {subject}
    if not (actors & members) or not set(era.before_states) & set(by_state["group"].astype(str)):
        return None
    mask = by_state["group"].astype(str).isin(era.before_states)
    return float(by_state.loc[mask, col].sum())


# ---- regions ---------------------------------------------------------------------------------------------
def _region_contract() -> tuple[Any, Any]:
    try:
        from ..geometry.regions import load_regions
        from ..metrics.regions import region_shares
    except ImportError:
        raise MetricsUnavailable("region boundaries are not available in this installation") from None
    return load_regions, region_shares


def find_region(profile: Profile, name: str) -> Any:
    """The Region a claim names, or MetricsUnavailable("no boundaries for region X")."""
    try:
        load_regions, _ = _region_contract()
        regions = load_regions(profile)
    except MetricsUnavailable:
        raise MetricsUnavailable(f"no boundaries for region {name}") from None
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable region file is a reason, not a crash
        raise MetricsUnavailable(f"no boundaries for region {name} ({exc})") from None
    region = regions.find(name)
    if region is None:
        raise MetricsUnavailable(f"no boundaries for region {name}")
    return region


def region_rows(store: Any, profile: Profile, day: Any, regions: list[Any]) -> Any:
    """``region_shares`` of the contract: region_id, region, region_local, state, km2, region_km2, pct."""
    _, region_shares = _region_contract()
    return region_shares(store, profile, day, regions)


def subject_rows(frame: Any, profile: Profile, subject: str | None, by: str) -> Any:
    """Rows of a by-state frame (column ``state``) whose state belongs to the subject under ``by``."""
    groups = frame["state"].astype(str).map(lambda s: profile.group_of(s, by))
    return frame[groups == subject]
