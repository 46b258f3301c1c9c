"""A timeline read straight from the store's cache, without pandas, GeoPandas or Shapely.

After ingest the store holds every snapshot's areas and the transfers between consecutive snapshots
(tables ``areas`` and ``transfers``), and the boundary's id and area (table ``boundaries``). When those
cover a request, :func:`cached_timeline` answers it with the very rules of the full path
(:func:`whoholds.metrics.timeline_core.timeline_parts`) from a few catalog queries, so a ``whoholds timeline``
command costs its start-up and not the geometry stack's import. When anything is missing (another boundary,
a pair around a suspect not compared yet, marker snapshots, an empty cache) it returns None and the caller
runs :func:`whoholds.metrics.timeline.timeline`, which computes and caches what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..geometry.methods import method_key
from ..profiles import Profile
from .choices import check_by, check_order
from .periods import check_every
from .quick import BoundaryMeta, boundary_key
from .suspects import SuspectRules
from .timeline_core import TimelineParts, sort_rows, timeline_parts, timeline_span


class NotCached(Exception):
    """A figure the timeline needs is not in the store's cache."""


class CachedFigures:
    """The :class:`~whoholds.metrics.timeline_core.Figures` of ``seq`` from the cache alone: every area and
    transfer out of its snapshots, read in two queries; asking for one that is not there raises NotCached."""

    def __init__(self, store: Any, profile: Profile, boundary_id: str, seq: list[dict[str, Any]]) -> None:
        if any(r["kind"] == "markers" for r in seq):
            raise NotCached("marker snapshots")  # their cells are estimated per snapshot: the full path
        self.profile, self.seq = profile, seq
        self.areas: dict[str, dict[str, float]] = {}
        self.transfers: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
        areas, transfers = store.cached_figures(boundary_id, method_key("polygons", "", None), [r["id"] for r in seq])
        for sid, state, km2 in areas:
            self.areas.setdefault(sid, {})[state] = float(km2)
        for a, b, src, dst, km2 in transfers:
            entry = self.transfers.setdefault((a, b), {})  # a pair with no change is cached as one empty row
            if src and src != dst:
                entry[(src, dst)] = entry.get((src, dst), 0.0) + float(km2)

    def walk(self, positions: list[int]) -> None:
        ids = [self.seq[i]["id"] for i in positions]
        if any(i not in self.areas for i in ids):
            raise NotCached("areas")
        if any((a, b) not in self.transfers for a, b in zip(ids[:-1], ids[1:], strict=True) if a != b):
            raise NotCached("transfers")

    def walk_pairs(self, pairs: list[tuple[int, int]]) -> None:
        if any((self.seq[i]["id"], self.seq[j]["id"]) not in self.transfers for i, j in pairs):
            raise NotCached("transfers between the neighbours of a suspect")

    def gross(self, a: str, b: str) -> float:
        return float(sum(self.transfers.get((a, b), {}).values()))


def cached_timeline(store: Any, profile: Profile, start: dt.date | None = None, end: dt.date | None = None,
                    every: str = "snapshot", by: str = "state", exclude_suspect: bool = False,
                    boundary: str | None = None, *, rules: SuspectRules | None = None
                    ) -> tuple[TimelineParts, BoundaryMeta] | None:
    """:func:`whoholds.metrics.timeline.timeline`'s rows, gaps, suspects and notes from the cache, or None
    when the cache does not hold every figure they need. Errors (bad options, empty store, no snapshot in
    range) are raised as by the full path."""
    check_every(every)
    check_by(by)
    if start is not None and end is not None:
        check_order(start, end, ("--from", "--to"))
    if not hasattr(store, "boundary_meta") or not hasattr(store, "cached_figures"):
        return None
    rows = sort_rows(store.current_rows(profile.id))
    first, stop, lo, hi = timeline_span(rows, start, end, profile.id, getattr(store, "path", "store"))
    meta = store.boundary_meta(boundary_key(profile, boundary))
    if meta is None:
        return None  # the boundary was never measured with this store: the full path loads and remembers it
    bnd = BoundaryMeta(**meta)
    seq = rows[first:stop]
    try:
        figures = CachedFigures(store, profile, bnd.id, seq)
        parts = timeline_parts(seq, figures, profile, lo, hi, every, by, exclude_suspect, rules or SuspectRules(),
                               (rows[0]["date"], rows[-1]["date"]), bnd.id, bnd.area_km2)
    except NotCached:
        return None
    return parts, bnd
