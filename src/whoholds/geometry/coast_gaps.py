"""Land a map leaves undrawn inside the other side's areas: the coastline mismatch behind "Ukraine holds 1 % of
Crimea".

A map draws its polygons on its own coastline; the boundary whoholds measures against has another (Natural
Earth's admin-0 coast, with its lagoons and salt lakes counted as land). The boundary's land no polygon covers
goes to the profile's default holder, so the slivers between the map's coast and the boundary's (and lakes
the map leaves out) inside Russian-held Crimea and along the occupied Azov coast are counted as held by Ukraine:
on the DeepStateMap feed of 2024-11-01, 921 km² in 248 pieces, 283 km² of them in Crimea and Sevastopol.

:func:`enclosed_gaps` finds those pieces: parts of the undrawn land, other than the largest (the default
holder's own land), that border only polygons of states on another side than the default holder (and the
boundary's outline). They are not assigned to the enclosing state, since an encircled pocket (Azovstal, May
2022) looks the same; a figure should show them as their own row ("undrawn, enclosed by ..."), not as the
default holder's land.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely

from .area import geodesic_area_km2

#: Shared border shorter than this (degrees) is a touch at a corner or rounding, not a border.
MIN_SHARED_DEG = 1e-7


@dataclass(frozen=True)
class Gap:
    """Undrawn land enclosed by ``states`` (sorted ids) and the boundary's outline."""

    states: tuple[str, ...]
    geometry: shapely.Geometry
    km2: float


def enclosed_gaps(
    boundary: shapely.Geometry,
    drawn: Mapping[str, shapely.Geometry],
    other_side: Callable[[str], bool],
) -> list[Gap]:
    """Pieces of ``boundary`` that no geometry of ``drawn`` (state id → its polygons) covers, other than the
    largest, whose border is shared only with states for which ``other_side(state)`` holds, one Gap per set of
    enclosing states (largest first)."""
    polys = [g for g in drawn.values() if g is not None and not shapely.is_empty(g)]
    if not polys:
        return []
    free = shapely.get_parts(shapely.difference(boundary, shapely.union_all(polys)))
    free = free[(shapely.get_type_id(free) == 3) & ~shapely.is_empty(free)]
    if len(free) < 2:
        return []
    areas = geodesic_area_km2(free)
    others = np.delete(np.arange(len(free)), int(np.argmax(areas)))
    states = list(drawn)
    outlines = shapely.boundary(free[others])
    shared = np.array([[shapely.length(shapely.intersection(ring, drawn[s])) for s in states] for ring in outlines]
                      ).reshape(len(others), len(states))
    groups: dict[tuple[str, ...], list[int]] = {}
    for row, i in enumerate(others):
        touching = tuple(sorted(s for s, length in zip(states, shared[row], strict=True) if length > MIN_SHARED_DEG))
        if touching and all(other_side(s) for s in touching):
            groups.setdefault(touching, []).append(int(i))
    gaps = [Gap(key, shapely.union_all(free[idx]), float(areas[idx].sum())) for key, idx in groups.items()]
    return sorted(gaps, key=lambda g: -g.km2)
