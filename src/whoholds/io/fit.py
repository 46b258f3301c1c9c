"""Does a read map fit its profile? Refuse what would poison the store, flag what would mislead.

Refused (InputError, nothing stored):

- a date before the profile's ``conflict_start`` (or before 1900 when the profile has none);
- a marker module no marker of which the profile recognises, or read with a profile that has no marker
  states (Syria's module with ``--profile ukraine``);
- features that all lie outside the profile's boundary box (the wrong country);
- polygons that all collapsed in repair (the map would read as "100 % held by the default holder");
- a map whose drawn area lies (all but ``1 - MAX_LOST_SHARE``) outside the boundary.

Flagged loudly (a ``warning:`` entry in the snapshot's repair log, printed by ``ingest``):

- more than ``WARN_LOST_SHARE`` of the drawn area outside the boundary (km² stated). Real maps draw
  some sea and some land across the border (up to a few per cent), which is no cause for alarm;
- most polygons lost in repair;
- the same area drawn as two different states (states and km² named), above ``OVERLAP_MIN_KM2``, on maps
  of any size (big maps: a lattice test picks the pairs to intersect exactly, see ``VERTEX_BUDGET``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from .classify import intersects_box, profile_bbox
from .fit_cache import outside_facts, pair_facts, prepared_copies

if TYPE_CHECKING:
    from ..profiles import Profile
    from ..types import Snapshot

#: Without a profile ``conflict_start``, dates before this are refused (no control map predates it).
EARLIEST = dt.date(1900, 1, 1)
MAX_LOST_SHARE = 0.99
WARN_LOST_SHARE = 0.5
OVERLAP_MIN_KM2 = 1.0
#: Prefix of the repair-log keys that ``ingest`` prints as warnings.
WARNING = "warning: "
#: Longest label shown in a message (labels are user data: a 1 MB label must not flood a terminal).
MAX_SHOWN = 80


def shown(label: object) -> str:
    """A label as quoted in a message: cut to MAX_SHOWN characters."""
    text = str(label)
    return repr(text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…")


def check_fit(name: str, snapshots: list[Snapshot], profile: Profile) -> list[Snapshot]:
    """``snapshots`` (warnings added to their repair logs), or InputError when they do not fit ``profile``."""
    for snap in snapshots:
        check_date(name, snap.date, profile)
        if any(len(str(k)) > MAX_SHOWN * 4 for k in snap.unmapped):  # marker keys are user text too
            cut: Counter[str] = Counter()
            for key, n in snap.unmapped.items():
                cut[str(key)[: MAX_SHOWN * 4]] += n
            snap.unmapped = dict(cut)
        if snap.kind == "markers":
            _check_markers(name, snap, profile)
        else:
            _check_polygons(name, snap, profile)
    return snapshots


def check_date(name: str, day: dt.date, profile: Profile) -> None:
    start = getattr(profile, "conflict_start", None)
    floor = start or EARLIEST
    if day < floor:
        what = f"the start of the {profile.id} conflict ({start})" if start else f"{EARLIEST.year}"
        raise InputError(name, f"snapshot date {day} is before {what}; pass the right --date or fix the date")


def _examples(counts: dict[str, int]) -> str:
    return ", ".join(shown(k) for k, _ in Counter(counts).most_common(3))


def _box_text(box: tuple[float, float, float, float]) -> str:
    return f"lon {box[0]:.1f}..{box[2]:.1f}, lat {box[1]:.1f}..{box[3]:.1f}"


def _check_markers(name: str, snap: Snapshot, profile: Profile) -> None:
    kept = len(snap.features)
    unmapped = sum(snap.unmapped.values())
    if not any(s.marks for s in profile.states):
        raise InputError(name, f"is a marker map, but profile {profile.id!r} has no marker states (it reads "
                               "polygon maps); wrong --profile?")
    if kept == 0:
        detail = f" (marks e.g. {_examples(snap.unmapped)})" if unmapped else ""
        raise InputError(name, f"none of the {unmapped} markers has a mark profile {profile.id!r} recognises"
                               f"{detail}; wrong --profile?")
    box = profile_bbox(profile)
    if box is not None:
        xy = snap.features.geometry.values
        import shapely

        inside = shapely.intersects(shapely.box(*box), xy)
        if not inside.any():
            raise InputError(name, f"all {kept} markers lie outside profile {profile.id!r}'s boundary "
                                   f"({_box_text(box)}); wrong --profile, or swapped coordinates?")
    if unmapped > kept:
        snap.repairs[f"{WARNING}most markers have marks the profile does not know (unmapped)"] = unmapped


def _check_polygons(name: str, snap: Snapshot, profile: Profile) -> None:
    import shapely

    frame = snap.features
    lost = int(snap.repairs.get("empty_after_repair", 0))
    if len(frame) == 0:
        if lost:
            raise InputError(name, f"every polygon ({lost}) collapsed to nothing in repair (no area left); "
                                   "nothing to store")
        return  # nothing drawn: the default holder holds everything, as the map says
    if lost > len(frame):
        snap.repairs[f"{WARNING}most polygons collapsed to nothing in repair"] = lost
    geoms = np.asarray(frame.geometry.values, dtype=object)
    box = profile_bbox(profile)
    if box is not None:
        bounds = shapely.bounds(geoms)
        if not any(intersects_box(b, box) for b in bounds):
            raise InputError(name, f"all {len(frame)} polygons lie outside profile {profile.id!r}'s boundary "
                                   f"({_box_text(box)}); wrong --profile, or wrong coordinates?")
    _outside_share(name, snap, profile, geoms)
    _overlaps(snap, geoms, frame["state"].to_numpy())


def _prepared_boundary(profile: Profile) -> object | None:
    from .classify import _boundary_bbox

    if _boundary_bbox(profile) is None:  # no boundary available here: nothing to measure against
        return None
    from ..geometry.boundary import load_boundary
    from ..geometry.prepared import prepared

    return prepared(load_boundary(profile).geometry)


def _outside_share(name: str, snap: Snapshot, profile: Profile, geoms: np.ndarray) -> None:
    """Refuse (more than MAX_LOST_SHARE) or flag (more than WARN_LOST_SHARE) drawn area outside the boundary.

    Cheap first: polygons that miss the boundary count whole, and the outside part of border-crossing
    polygons is estimated from a grid of points inside each (a prepared-geometry test, cheap enough for
    every snapshot of a 1,359-file archive). Only when that estimate comes near the warning threshold is
    the outside part measured exactly (geodesic km² of the difference), for the message and the decision."""
    import shapely

    from ..geometry.area import geodesic_area_km2

    boundary = _prepared_boundary(profile)
    if boundary is None:
        return
    # per feature, computed once per distinct feature of a feed (see fit_cache)
    planar, hits, crosses, fractions = outside_facts(boundary, geoms, _outside_fractions)
    crossing = np.flatnonzero(crosses)
    if planar.sum() <= 0:
        return
    rough = float(planar[~hits].sum())
    if len(crossing):
        rough += float((planar[crossing] * fractions[crossing]).sum())
    if rough / float(planar.sum()) <= 0.8 * WARN_LOST_SHARE:
        return
    drawn = geodesic_area_km2(geoms)
    lost = float(drawn[~hits].sum())
    if len(crossing):
        lost += float(geodesic_area_km2(shapely.difference(geoms[crossing], boundary)).sum())
    share = lost / float(drawn.sum())
    if share > WARN_LOST_SHARE:
        _refuse_swapped_axes(name, boundary, geoms, share)
    if share > MAX_LOST_SHARE:
        raise InputError(name, f"{lost:,.0f} of the {drawn.sum():,.0f} km² drawn ({share:.0%}) lie outside "
                               f"profile {profile.id!r}'s boundary; wrong --profile, or wrong coordinates?")
    if share > WARN_LOST_SHARE:
        snap.repairs[f"{WARNING}drawn area outside the boundary, left out ({share:.0%}), km²"] = round(lost)


#: A map most of whose area lies outside the boundary is refused as [lat, lon] when swapping the axes would
#: leave at most this share outside.
SWAPPED_FITS = 0.1


def _refuse_swapped_axes(name: str, boundary: object, geoms: np.ndarray, share: float) -> None:
    """InputError when the polygons would lie inside the boundary with latitude and longitude swapped: a
    [lat, lon] GeoJSON whose box still touches the country's (Syria's boxes overlap their own mirror image),
    which the bounding-box test at reading cannot tell."""
    import shapely

    from ..geometry.area import geodesic_area_km2

    swapped = shapely.transform(geoms, lambda xy: xy[:, ::-1])
    if np.abs(shapely.bounds(swapped)[:, [1, 3]]).max() > 90:
        return
    drawn = float(geodesic_area_km2(swapped).sum())
    inside = float(geodesic_area_km2(shapely.intersection(swapped, boundary)).sum())
    if drawn > 0 and 1 - inside / drawn <= SWAPPED_FITS:
        raise InputError(name, f"latitude and longitude look swapped (latitude written first): {share:.0%} of the "
                               f"drawn area lies outside the boundary as given, {1 - inside / drawn:.0%} with the "
                               "axes swapped; write longitude first, then latitude (GeoJSON's order)")


#: Grid points per side used to estimate the outside share of a border-crossing polygon.
GRID = 8


def _outside_fractions(boundary: object, polygons: np.ndarray) -> np.ndarray:
    """Share of each polygon's area outside ``boundary``, estimated on a GRID×GRID lattice over its box
    (all lattices in one vectorised pass: ~10 µs a polygon)."""
    import shapely

    b = shapely.bounds(polygons)
    t = (np.arange(GRID) + 0.5) / GRID
    u, v = (a.ravel() for a in np.meshgrid(t, t))
    xs = (b[:, [0]] + (b[:, [2]] - b[:, [0]]) * u).ravel()
    ys = (b[:, [1]] + (b[:, [3]] - b[:, [1]]) * v).ravel()
    owner = np.repeat(np.arange(len(polygons)), GRID * GRID)
    # private prepared copies: the snapshot's geometries may be cached and shared with other threads (GEOS
    # prepared geometries must not be built or queried by two threads at once)
    polygons = prepared_copies(polygons)
    inside = shapely.contains_xy(polygons[owner], xs, ys)
    out = inside & ~shapely.contains_xy(boundary, xs, ys)
    n_in = np.bincount(owner, weights=inside, minlength=len(polygons))
    n_out = np.bincount(owner, weights=out, minlength=len(polygons))
    # A thin polygon no lattice point falls in counts as half out.
    return np.where(n_in > 0, n_out / np.maximum(n_in, 1), 0.5)


#: Most vertices the pairwise overlap test intersects exactly without a cheaper test first. Hand-made and
#: small maps are far below it; the DeepStateMap feed's big polygons are far above (intersecting every pair
#: whose boxes touch would double the ingest time). Above it, a lattice test (:func:`_lattice_overlaps`)
#: keeps only the pairs some lattice point falls in both of; only those are intersected exactly.
VERTEX_BUDGET = 20_000
#: Lattice points per side over the shared box of two polygons (the lattice test above the budget).
OVERLAP_GRID = 12


def _lattice_overlaps(geoms: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """:func:`_lattice_test` of each pair, remembered across snapshots (consecutive snapshots of a feed share
    most repaired geometries, the reader's GeometryCache: each pair is tested once; see fit_cache)."""
    return pair_facts(geoms, left, right, "lattice", _lattice_test) > 0


def _intersection_km2(geoms: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    import shapely

    from ..geometry.area import geodesic_area_km2

    return geodesic_area_km2(shapely.intersection(geoms[left], geoms[right]))


def _lattice_test(geoms: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """True for the pairs (left[i], right[i]) that share a point of an OVERLAP_GRID² lattice over the
    intersection of their boxes: one vectorised pass, on private prepared copies (the snapshot's geometries
    may be shared with other threads). An overlap that catches no lattice point is smaller than one lattice
    cell (1/144 of the shared box) and is not warned about at ingest; the area engine still resolves it by
    priority and reports the km² overlapped with every figure."""
    import shapely

    used = np.unique(np.concatenate([left, right]))
    copies = np.empty(len(geoms), dtype=object)
    copies[used] = prepared_copies(geoms[used])
    bl, br = shapely.bounds(geoms[left]), shapely.bounds(geoms[right])
    lo = np.maximum(bl[:, :2], br[:, :2])
    hi = np.minimum(bl[:, 2:], br[:, 2:])
    t = (np.arange(OVERLAP_GRID) + 0.5) / OVERLAP_GRID
    u, v = (a.ravel() for a in np.meshgrid(t, t))
    xs = (lo[:, [0]] + (hi[:, [0]] - lo[:, [0]]) * u).ravel()
    ys = (lo[:, [1]] + (hi[:, [1]] - lo[:, [1]]) * v).ravel()
    pair = np.repeat(np.arange(len(left)), OVERLAP_GRID * OVERLAP_GRID)
    both = shapely.contains_xy(copies[left][pair], xs, ys)
    inside = np.flatnonzero(both)  # the second polygon is asked only about points inside the first
    both[inside] = shapely.contains_xy(copies[right][pair[inside]], xs[inside], ys[inside])
    return np.bincount(pair, weights=both, minlength=len(left)) > 0


def _overlaps(snap: Snapshot, geoms: np.ndarray, states: np.ndarray) -> None:
    """Warn about area drawn as two different states (the profile's priority decides; say how much)."""
    import shapely


    if len(set(states.tolist())) < 2:
        return
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms)  # bounding boxes only: the budget test comes before any exact test
    pick = (left < right) & (states[left] != states[right])
    left, right = left[pick], right[pick]
    if len(left) == 0:
        return
    vertices = shapely.get_num_coordinates(geoms)
    if int(vertices[left].sum() + vertices[right].sum()) > VERTEX_BUDGET:
        keep = _lattice_overlaps(geoms, left, right)
        left, right = left[keep], right[keep]
        if len(left) == 0:
            return
    areas = pair_facts(geoms, left, right, "km2", _intersection_km2)
    totals: Counter[tuple[str, str]] = Counter()
    for a, b, km2 in zip(states[left], states[right], areas, strict=True):
        totals[tuple(sorted((str(a), str(b))))] += float(km2)  # type: ignore[index]
    for (a, b), km2 in sorted(totals.items()):
        if km2 >= OVERLAP_MIN_KM2:
            snap.repairs[f"{WARNING}same area drawn as {a} and {b}, km²"] = round(km2)
