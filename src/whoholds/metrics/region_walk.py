"""Region areas over a sequence of polygon snapshots, incrementally.

The first snapshot is cut by the region tiles whole (:func:`whoholds.metrics.regions.state_by_region`). Each
next one is compared with its predecessor by the national incremental engine (:mod:`whoholds.geometry.diff`:
the small rectangles where the two snapshots' edges differ), run once per tile those rectangles touch, with the
tile as the boundary: the transfers inside each region. Adding them to the previous areas gives the new ones --
the same additive, exact-area arithmetic the national timeline uses, so a whole archive costs little more than
its first snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from ..geometry.boundary import Boundary
from ..geometry.diff import EdgeSet, compare, region_between, state_codes
from ..geometry.layers import EngineInput, default_state, polygon_input, resolve
from ..profiles import Profile

if TYPE_CHECKING:
    from ..geometry.regions import RegionSet


def _input(store: Any, row: Any, profile: Profile) -> EngineInput:
    if hasattr(store, "states_and_geometry"):
        return polygon_input(*store.states_and_geometry(row.id), profile)
    f = store.get(row.id).features
    return polygon_input(f["state"].to_numpy(), np.asarray(f.geometry.values, dtype=object), profile)


def walk_regions(store: Any, rows: Any, profile: Profile, regions: RegionSet, boundary: Boundary,
                 progress: Callable[[int], None] | None = None) -> Iterator[tuple[Any, dict[str, np.ndarray]]]:
    """(catalog row, km² per state → array over regions) for every polygon snapshot of ``rows``, in order."""
    from .regions import ExplicitLayers, state_by_region

    default = default_state(profile)
    order = profile.resolution_order
    codes = state_codes(order, default)
    tiles = regions.geometries
    tb = shapely.bounds(tiles)
    prev: tuple[EngineInput, EdgeSet] | None = None
    areas: dict[str, np.ndarray] = {}
    for row in rows.itertuples():
        inp = _input(store, row, profile)
        for s in np.unique(inp.states):
            codes.setdefault(str(s), len(codes) + 1)
        edges = EdgeSet.of(inp.states, inp.geoms, codes)
        if prev is None:
            pieces, _ = resolve(inp.states, inp.geoms, inp.order, default, boundary.geometry, fill_default=False)
            areas = state_by_region(ExplicitLayers(list(pieces), list(pieces.values()), ""), regions, default)
        else:
            rects = region_between(prev[1], edges)
            areas = {k: v.copy() for k, v in areas.items()}
            if rects is not None and len(rects):
                for i in range(len(tiles)):
                    near = ((rects[:, 0] <= tb[i, 2]) & (rects[:, 2] >= tb[i, 0]) & (rects[:, 1] <= tb[i, 3])
                            & (rects[:, 3] >= tb[i, 1]))
                    if not near.any():
                        continue
                    step = compare((prev[0].states, prev[0].geoms), (inp.states, inp.geoms), rects[near], tiles[i],
                                   order, default)
                    for (src, dst), km2 in step.transfers.items():
                        areas.setdefault(src, np.zeros(len(tiles)))[i] -= km2
                        areas.setdefault(dst, np.zeros(len(tiles)))[i] += km2
        prev = (inp, edges)
        yield row, areas
        if progress:
            progress(1)
