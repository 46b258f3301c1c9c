"""JSON routes: profiles, snapshots, shares, changes, timeline and claim checks (thin layers over the library)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from .. import __version__
from ..errors import QueryError, StoreError
from .common import acached, boundary_info, day_of, jsonable, profile_of, store_of
from .geo import in_force_day

router = APIRouter(prefix="/api")

ProfileQ = Annotated[str, Query(description="Built-in profile: ukraine or syria.")]
ByQ = Annotated[str, Query(description="Grouping: state, actor or coalition.")]


@router.get("/profiles", tags=["data"], summary="Built-in profiles and what the store holds of each")
def profiles(request: Request) -> dict[str, Any]:
    from ..profiles import builtin_profiles

    out = []
    held: dict[str, list[dt.date]] = {}
    store_error = None
    try:
        with store_of(request).open() as st:
            held = {pid: st.dates(pid) for pid in builtin_profiles()}
    except StoreError as exc:
        store_error = str(exc)
    for pid in builtin_profiles():
        p = profile_of(pid)
        dates = held.get(pid, [])
        out.append({
            "id": p.id, "name": p.name, "description": p.description,
            "boundary": {"country": p.boundary.country, "source": p.boundary.source, "pov": p.boundary.pov,
                         "note": p.boundary.note},
            "default_holder": p.default_holder,
            "actors": [{"id": a.id, "name": a.name, "colour": a.colour} for a in p.actors],
            "coalitions": [{"id": c.id, "name": c.name, "members": list(c.members), "colour": c.colour}
                           for c in p.coalitions],
            "states": [{"id": s.id, "name": s.name, "kind": s.kind, "actor": s.actor, "colour": s.colour}
                       for s in p.states],
            "snapshot_dates": len(dates),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
        })
    from ..store_base import display_location

    return jsonable({"store": display_location(store_of(request).path), "store_error": store_error,
                     "profiles": out})


@router.get("/snapshots", tags=["data"], summary="Stored snapshots of a profile (the `whoholds snapshots` listing)")
async def snapshots(request: Request, profile: ProfileQ = "ukraine") -> Response:
    from ..metrics.catalog import snapshot_listing

    prof = profile_of(profile)

    def compute() -> dict[str, Any]:
        with store_of(request).open() as st:
            listing = snapshot_listing(st, prof)
            dates = st.dates(prof.id)
        return {"profile": prof.id, "dates": dates, "snapshots": listing}

    return await acached(request, ("snapshots", prof.id), compute, heavy=False)


@router.get("/shares", tags=["data"], summary="Area (km², WGS84) and % of the country per group")
async def shares(
    request: Request,
    profile: ProfileQ = "ukraine",
    date: Annotated[str | None, Query(description="Date YYYY-MM-DD (default: the latest); a date between "
                                                  "snapshots gets the snapshot in force, and says so.")] = None,
    by: ByQ = "actor",
    all: Annotated[bool, Query(description="Every stored snapshot (then `date` is ignored).")] = False,
) -> Response:
    from ..metrics.shares import shares as compute_shares

    prof = profile_of(profile)
    day = None if all else day_of(date, "date")

    def compute() -> dict[str, Any]:
        note, use = None, day
        with store_of(request).open() as st:
            if day is not None:
                use, note = in_force_day(st, prof, day)  # the catalog only: no snapshot file is read
            frame = compute_shares(st, prof, use, all_dates=all, by=by)
        return {
            "profile": prof.id, "by": by, "all": all, "requested_date": day, "note": note,
            "date": None if all or frame.empty else frame["date"].iloc[0],
            "boundary": boundary_info(prof), "colours": {g: prof.colour_of(g) for g in frame["group"].unique()},
            "rows": frame,
        }

    return await acached(request, ("shares", prof.id, day, by, all), compute)


@router.get("/changes", tags=["data"], summary="Transfer matrix: km² that went from each holder to each other")
async def changes(
    request: Request,
    d1: Annotated[str | None, Query(description="Earlier date YYYY-MM-DD (the snapshot in force on it).")] = None,
    d2: Annotated[str | None, Query(description="Later date YYYY-MM-DD (the snapshot in force on it).")] = None,
    profile: ProfileQ = "ukraine",
    by: ByQ = "state",
    period: Annotated[str | None, Query(description="Instead of d1/d2: a month YYYY-MM or a year YYYY "
                                                    "(the one period convention picks the snapshots).")] = None,
) -> Response:
    prof = profile_of(profile)
    day1 = day2 = None
    if period is None:
        if d1 is None or d2 is None:  # a missing parameter is a malformed request (422), as before
            from fastapi.exceptions import RequestValidationError

            missing = "d1" if d1 is None else "d2"
            raise RequestValidationError([{"loc": ("query", missing), "type": "missing",
                                           "msg": "Field required (or give period=YYYY-MM)"}])
        day1, day2 = day_of(d1, "d1"), day_of(d2, "d2")
    return await acached(request, ("changes-json", prof.id, day1, day2, by, period),
                         lambda: _changes(request, prof, day1, day2, by, period))


def _changes(request: Request, prof: Any, day1: Any, day2: Any, by: str, period: str | None) -> dict[str, Any]:
    from ..metrics.changes import transfer_matrix
    from ..metrics.periods import parse_period, period_transfers

    ends = None
    with store_of(request).open() as st:
        if period is not None:
            named = parse_period(period)
            if named is None:
                raise QueryError(f"period {period}", "not a month YYYY-MM or a year YYYY")
            result, ends = period_transfers(st, prof, named, by=by)
            day1, day2 = ends.before, ends.after
        else:
            if day2 < day1:
                raise QueryError(f"d2 {day2}", f"is before d1 {day1}; give the earlier date first")
            result = transfer_matrix(st, prof, day1, day2, by=by, on_or_before=True)
    m = result.matrix
    moved = [f"{name} {asked}: no snapshot that day, the snapshot in force is of {snap.date}"
             for name, asked, snap in (("d1", day1, result.d1), ("d2", day2, result.d2)) if snap.date != asked]
    return jsonable({
        "profile": prof.id, "by": by, "requested": {"d1": day1, "d2": day2}, "note": "; ".join(moved) or None,
        "d1": result.d1.date if result.d1 else day1, "d2": result.d2.date if result.d2 else day2,
        "headline": result.headline(prof), "changed_km2": result.changed_km2,
        "colours": {g: prof.colour_of(g) for g in m.index},
        "summary": result.summary, "transfers": result.long_frame(),
        "matrix": {"from": list(m.index), "to": list(m.columns), "km2": m.to_numpy().tolist()},
        "provenance": result.provenance.as_dict() if result.provenance else None,
        "notes": result.notes,
        "period": None if ends is None else {"label": ends.period.describe(), "start": ends.period.start,
                                             "end": ends.period.end, "partial": ends.partial, "note": ends.note},
    })


@router.get("/timeline", tags=["data"], summary="Area, gross gains, losses and net per snapshot or period")
async def timeline(
    request: Request,
    profile: ProfileQ = "ukraine",
    start: Annotated[str | None, Query(alias="from", description="First date YYYY-MM-DD.")] = None,
    end: Annotated[str | None, Query(alias="to", description="Last date YYYY-MM-DD.")] = None,
    every: Annotated[str, Query(description="snapshot, day, week or month.")] = "snapshot",
    by: ByQ = "state",
    exclude_suspect: Annotated[bool, Query(description="Drop suspect snapshots first.")] = False,
) -> Response:
    def compute() -> dict[str, Any]:
        quick = cached_timeline_payload(request, profile, start, end, every, by, exclude_suspect)
        if quick is not None:
            return quick
        result, prof = run_timeline(request, profile, start, end, every, by, exclude_suspect)
        return {
            "profile": prof.id, "by": result.by, "every": result.every, "convention": result.convention,
            "method": result.method, "notes": result.notes, "provenance": result.provenance.as_dict(),
            "rows": result.frame, "gaps": result.gaps, "suspects": result.suspects,
        }

    profile_of(profile)
    return await acached(request, ("timeline", profile, start, end, every, by, exclude_suspect), compute)


def cached_timeline_payload(request: Request, profile: str, start: str | None, end: str | None, every: str,
                            by: str, exclude_suspect: bool) -> dict[str, Any] | None:
    """The timeline route's answer from the store's cache (:mod:`whoholds.metrics.quick_timeline`: the same
    rules and values as the full path), or None when the cache does not cover it."""
    from ..io.records import json_records
    from ..metrics.quick_timeline import cached_timeline
    from ..metrics.suspects import GAP_COLUMNS, SUSPECT_COLUMNS
    from ..metrics.timeline_core import FRAME_COLUMNS
    from ..types import Provenance

    prof = profile_of(profile)
    day0, day1 = day_of(start, "from"), day_of(end, "to")
    with store_of(request).open() as st:
        got = cached_timeline(st, prof, day0, day1, every, by, exclude_suspect)
    if got is None:
        return None
    parts, bnd = got
    rows = json_records(parts.records, FRAME_COLUMNS)
    prov = Provenance(tuple(dict.fromkeys(str(r["snapshot_id"]) for r in rows)),
                      tuple(dict.fromkeys(str(r["source"]) for r in rows)), bnd.id, parts.method, __version__)
    return {
        "profile": prof.id, "by": by, "every": every, "convention": parts.convention, "method": parts.method,
        "notes": parts.notes, "provenance": prov.as_dict(), "rows": rows,
        "gaps": json_records(parts.gaps, GAP_COLUMNS), "suspects": json_records(parts.suspects, SUSPECT_COLUMNS),
    }


def run_timeline(request: Request, profile: str, start: str | None, end: str | None, every: str, by: str,
                 exclude_suspect: bool = False) -> tuple[Any, Any]:
    """The library's timeline for the request's parameters (shared by the JSON and the chart routes)."""
    from ..metrics.timeline import timeline as compute_timeline

    prof = profile_of(profile)
    day0, day1 = day_of(start, "from"), day_of(end, "to")
    with store_of(request).open() as st:
        result = compute_timeline(st, prof, day0, day1, every=every, by=by, exclude_suspect=exclude_suspect)
    return result, prof


# ---- claims ---------------------------------------------------------------------------------------------
class CheckRequest(BaseModel):
    text: str = Field(..., min_length=1, max_length=5000, description="The claim, e.g. 'Russia controls about "
                                                                      "18% of Ukraine'.")
    country: str = Field("ukraine", description="Built-in profile: ukraine or syria.")
    date: str | None = Field(None, description="Date of the claim YYYY-MM-DD (default: today).")
    speaker: str | None = Field(None, max_length=200, description="Who made the claim.")
    max_distance_days: int = Field(45, ge=0, le=3650, description="Max days between the claim's date and the "
                                                                  "snapshot used for a verdict.")
    claim_url: str | None = Field(None, max_length=2000, description="Where the claim appeared (ClaimReview).")


@router.post("/check", tags=["claims"], summary="Check a claim: parsed claim, computed figure, verdict, ClaimReview")
async def check(request: Request, body: CheckRequest) -> Response:
    prof = profile_of(body.country)
    day = day_of(body.date, "date") or dt.date.today()
    speaker = (body.speaker or "").strip() or None
    screen_numbers(body.text)
    key = ("check", prof.id, body.text, day, speaker, body.max_distance_days, body.claim_url)
    return await acached(request, key, lambda: _check(request, body, prof, day, speaker), heavy=False)


def _check(request: Request, body: CheckRequest, prof: Any, day: dt.date, speaker: str | None) -> dict[str, Any]:
    from ..claims import check as check_claim
    from ..claims import to_claimreview
    from .work import Unprocessable

    try:  # read in a worker process with a time budget (see .work.ClaimReaders)
        claims = request.app.state.readers.run("parse", (body.text, prof.id, day, speaker))
    except (OverflowError, ValueError) as exc:  # a number the parser cannot hold: the client's input
        raise Unprocessable("text", f"a number in the claim cannot be read ({type(exc).__name__}: {exc})") from None
    with store_of(request).open() as st:
        verdicts = [check_claim(c, st, prof, max_distance_days=body.max_distance_days) for c in claims]
    if not verdicts:
        raise QueryError("claim", "no checkable claim")
    return {
        "profile": prof.id, "date": day,
        "verdicts": [v.as_dict() for v in verdicts],
        "claimreview": [to_claimreview(v, claim_url=body.claim_url) for v in verdicts],
    }


_NUMBER = re.compile(r"\d[\d,.]*(?:\s?[eE][+-]?\d+)?")


def screen_numbers(text: str) -> None:
    """422 for a number no float can hold (``1e309``, a 400-digit run): it cannot be a figure about land, and
    the arithmetic would overflow. Linear in the text (one pass of a regex without nested repetition)."""
    from .work import Unprocessable

    for match in _NUMBER.finditer(text):
        token = match.group().replace(",", "").replace(" ", "").rstrip(".")
        if token.count(".") > 1:
            continue
        try:
            value = float(token)
        except ValueError:
            continue
        if math.isinf(value):
            raise Unprocessable(f"text {token[:20]!r}", "a number out of range (larger than any figure can be)")


#: Figures in one `/api/ledger` answer (``total`` says how many there are; the CSV download has them all).
LEDGER_ROWS = 1000


@router.get("/ledger", tags=["claims"], summary="The claims ledger: reported figures over time, with flags")
async def ledger(request: Request) -> Response:
    """``{"total", "shown", "figures": [...], "flags": [...], "flag_kinds": {kind: explanation}}`` — the same
    document as `whoholds ledger --format json`. A figure: ``speaker``, ``measure`` (what is counted), ``series``
    (its kind: running total, a day's figure, a level), ``party``, ``value`` (``low``/``high`` for a range),
    ``unit``, ``per``, ``as_of`` (YYYY-MM-DD), ``negated``, ``qualifier``, ``document``/``url`` (where it was
    read), ``data_source``, ``verdict``. A flag: ``flag`` (its kind), ``message`` (this flag's reason),
    ``explanation`` (what the kind means), ``party``, ``source``, both figures' ``date``/``value``/``document``."""
    def compute() -> dict[str, Any]:
        from ..claims.ledger import Ledger
        from ..render.ledger import ledger_document

        with store_of(request).open() as st:
            book = Ledger(st)
            rows = book.list()
            flags = book.flags()
        return ledger_document(rows, flags, limit=LEDGER_ROWS)

    return await acached(request, ("ledger",), compute, heavy=False)
