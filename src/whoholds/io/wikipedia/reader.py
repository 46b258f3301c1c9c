"""A module's markers as a marker Snapshot: classified through the profile, de-duplicated, overlays merged.

Overlay icons (border-crossing and dam icons, minimaps, siege rings) are merged into the dot they sit on
or dropped with a count; marks the profile does not know are counted in ``Snapshot.unmapped``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ...types import MARKER_COLUMNS, Snapshot
from .entries import EntryReader, Marker, ReadLog
from .marks import base_feature_type
from .text import decode_module_text, module_date

if TYPE_CHECKING:
    import geopandas as gpd

    from ...profiles.model import Profile

#: Overlay feature type -> the name its dropped-count uses.
_OVERLAY_KIND = {"border_crossing": "pass", "dam": "dam"}


def module_markers(data: bytes, name: str = "<module>") -> pd.DataFrame:
    """Every active (not commented-out) well-formed entry of a module, before classification, overlay
    merging and de-duplication: columns ``line, lat, lon, mark, marksize, label, name``. For audits."""
    text, _ = decode_module_text(data, name)
    reader = EntryReader(name, text)
    rows = reader.markers()
    return pd.DataFrame(
        [(m.line, m.lat, m.lon, m.mark, m.marksize, m.label, m.name) for m in rows],
        columns=["line", "lat", "lon", "mark", "marksize", "label", "name"],
    )


def read_wikipedia_module(data: bytes, name: str, profile: Profile, date: dt.date | None) -> Snapshot:
    """Read a Wikipedia map module's markers into a marker Snapshot (see the package docstring)."""
    if not data.strip():
        raise InputError(name, "empty file")
    text, _ = decode_module_text(data, name)
    if date is None:
        date = module_date(text, name)
    reader = EntryReader(name, text)
    markers = reader.markers()
    log = reader.log
    _report_malformed(log)
    if not markers:
        raise InputError(
            name,
            "the marks table holds no readable marker"
            + (
                f" ({len(log.malformed)} malformed entries, first at line "
                f"{min(x[0] for x in log.malformed)}: {log.malformed[0][1]})"
                if log.malformed
                else ""
            ),
        )
    return markers_snapshot(markers, log, name, profile, date, hashlib.sha256(data).hexdigest())


def markers_snapshot(markers: list[Marker], log: ReadLog, name: str, profile: Profile, date: dt.date,
                     content_hash: str) -> Snapshot:
    """A marker Snapshot of read markers: classified by their marks, de-duplicated, overlays merged (shared
    with marker maps saved as GeoJSON points, :mod:`whoholds.io.marker_points`)."""
    kept, overlays, unmapped = _classify(markers, profile, log)
    places = _deduplicate(kept, log)
    _count_clashes(places, log)
    _merge_overlays(places, overlays, log)
    log.repairs = Counter({k: v for k, v in log.repairs.items() if v})
    return Snapshot(
        date=date,
        source=name,
        profile=profile.id,
        kind="markers",
        features=_marker_frame(places),
        content_hash=content_hash,
        repairs=dict(log.repairs),
        unmapped=dict(unmapped),
        dropped=dict(log.dropped),
    )


def _report_malformed(log: ReadLog) -> None:
    """Count the malformed entries as dropped, one count per problem with the lines it occurs on."""
    by_problem: dict[str, list[int]] = {}
    for line, problem in log.malformed:
        by_problem.setdefault(problem, []).append(line)
    for problem, lines in by_problem.items():
        log.dropped[f"malformed entry: {problem} ({_lines_phrase(lines)})"] += len(lines)


def _classify(
    markers: list[Marker], profile: Profile, log: ReadLog
) -> tuple[list[tuple[Marker, str, str]], list[tuple[Marker, str]], Counter[str]]:
    """Split the markers into holders (marker, state, feature_type), overlays to merge into the dot
    beneath them (marker, feature_type), and a count of the marks the profile does not know."""
    unmapped: Counter[str] = Counter()
    kept: list[tuple[Marker, str, str]] = []
    overlays: list[tuple[Marker, str]] = []  # pass/dam icons to merge into the dot beneath
    excluded_states = {s.id for s in profile.states if s.kind == "excluded"}
    state_cache: dict[str, str | None] = {}
    for mk in markers:
        if mk.mark not in state_cache:
            state_cache[mk.mark] = profile.classify(mark=mk.mark)
        state = state_cache[mk.mark]
        ftype = base_feature_type(mk.mark)
        if state is None:
            unmapped[mk.mark] += 1
            continue
        if state in excluded_states or ftype in ("border_crossing", "siege", "pressure", "image"):
            if ftype in ("border_crossing", "dam") and state in excluded_states:
                overlays.append((mk, ftype))
            else:
                log.dropped[f"overlay:{ftype if ftype != 'other' else 'icon'}"] += 1
            continue
        kept.append((mk, state, ftype))
    return kept, overlays, unmapped


def _deduplicate(kept: list[tuple[Marker, str, str]], log: ReadLog) -> list[list[Any]]:
    """The holders without duplicates, each as [marker, state, feature_type, folded name].

    Duplicates (same place, same mark, same name up to accents and case, or no name): keep the first,
    unless it has no name and a later twin has one. Two different names at one point are kept: the module
    has several pairs of neighbouring villages that were given the same coordinates.
    """
    seen: dict[tuple[float, float, str], list[int]] = {}
    dedup: list[list[Any]] = []
    dup = 0
    for mk, state, ftype in kept:
        key = (round(mk.lat, 6), round(mk.lon, 6), mk.mark)
        folded = _fold(mk.name)
        twin = next((j for j in seen.get(key, []) if not folded or not dedup[j][3] or dedup[j][3] == folded), None)
        if twin is not None:
            if not dedup[twin][0].name and mk.name:
                dedup[twin][0] = mk
                dedup[twin][3] = folded
            dup += 1
            continue
        seen.setdefault(key, []).append(len(dedup))
        dedup.append([mk, state, ftype, folded])
    if dup:
        log.dropped["duplicate"] += dup
    return dedup


def _count_clashes(places: list[list[Any]], log: ReadLog) -> None:
    """Log the points that carry markers of different holders (all are kept)."""
    holders: dict[tuple[float, float], set[str]] = {}
    for mk, state, _, _ in places:
        holders.setdefault((round(mk.lat, 6), round(mk.lon, 6)), set()).add(state)
    clashes = sum(1 for v in holders.values() if len(v) > 1)
    if clashes:
        log.repairs[
            "places with markers of different holders at the same point (all kept; cells: the later marker wins)"
        ] += clashes


def _merge_overlays(places: list[list[Any]], overlays: list[tuple[Marker, str]], log: ReadLog) -> None:
    """Border-crossing (pass_*) and dam (dam_*) icons sit on a side-coloured dot at the same coordinates:
    the dots beneath take the icon's feature type; an icon with no dot beneath is dropped with a count."""
    at: dict[tuple[float, float], list[int]] = {}
    for idx, (mk, _, _, _) in enumerate(places):
        at.setdefault((round(mk.lat, 4), round(mk.lon, 4)), []).append(idx)
    unmatched: dict[str, list[int]] = {}
    for mk, ftype in overlays:
        hits = at.get((round(mk.lat, 4), round(mk.lon, 4)), [])
        if not hits:
            unmatched.setdefault(ftype, []).append(mk.line)
            continue
        log.dropped[f"overlay:{_OVERLAY_KIND[ftype]}"] += 1
        for idx in hits:
            places[idx][2] = ftype
    for ftype, lines in unmatched.items():
        log.dropped[f"overlay:{_OVERLAY_KIND[ftype]} with no dot beneath ({_lines_phrase(lines)})"] += len(lines)


def _marker_frame(places: list[list[Any]]) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    lat = np.fromiter((r[0].lat for r in places), float, len(places))
    lon = np.fromiter((r[0].lon for r in places), float, len(places))
    frame = gpd.GeoDataFrame(
        {
            "state": [r[1] for r in places],
            "label": [r[0].label for r in places],
            "fill": [None] * len(places),
            "name": [r[0].name for r in places],
            "mark": [r[0].mark for r in places],
            "marksize": np.fromiter((r[0].marksize for r in places), float, len(places)),
            "feature_type": [r[2] for r in places],
        },
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )
    return frame[list(MARKER_COLUMNS)]


def _fold(name: str) -> str:
    """Name identity for duplicate detection: accents, case, spaces and punctuation ignored."""
    s = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in s.casefold() if ch.isalnum())


def _lines_phrase(lines: list[int], limit: int = 12) -> str:
    """'line 7' or 'lines 3, 9, 12' (the first ``limit`` in order, then how many more)."""
    word = "lines" if len(lines) > 1 else "line"
    lines = sorted(lines)
    shown = ", ".join(str(x) for x in lines[:limit])
    return f"{word} {shown}" + (f" and {len(lines) - limit} more" if len(lines) > limit else "")
