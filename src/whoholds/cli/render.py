"""`whoholds map` and `whoholds report`: static maps and the one-file HTML report of a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from ..errors import QueryError
from .app import command, console
from .options import ProfileOpt, StoreOpt, open_store, resolve_profile

BOUNDARY_HELP = "Boundary override: a file with the country outline (default: the profile's)."


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(option, f"{value!r} is not a date (expected YYYY-MM-DD)") from None


@command("map")
def map_command(
    date: str | None = typer.Option(None, "--date", "-d", help="Snapshot date (YYYY-MM-DD; default: the latest)."),
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Map file, .png or .svg (default whoholds-map-PROFILE-DATE.png)."
    ),
    markers: bool = typer.Option(True, "--markers/--no-markers", help="Draw the points of marker snapshots."),
    cities: bool = typer.Option(True, "--cities/--no-cities", help="Label the main cities (GeoNames)."),
    boundary: str | None = typer.Option(None, "--boundary", help=BOUNDARY_HELP),
    title: str | None = typer.Option(None, "--title", help="Map title (default: the profile's name)."),
    bbox: str | None = typer.Option(None, "--bbox", help="Show only W,S,E,N (degrees), with an overview inset."),
) -> None:
    """Draw a static map of who holds what on one date: fills, grey zone, boundary, cities, legend, scale."""
    from ..render.extent import parse_bbox

    extent = parse_bbox(bbox) if bbox is not None else None
    st = open_store(store)
    prof = resolve_profile(profile, st)
    day = _day(date, "--date") if date is not None else latest_day(st, prof.id)
    out = output or Path(f"whoholds-map-{prof.id}-{day}.png")
    from ..render.maps import snapshot_map

    with console.status(f"drawing the {prof.id} map of {day}…"):
        path = snapshot_map(
            st, prof, day, out, boundary=boundary, markers=markers, cities=cities, title=title, bbox=extent
        )
    console.print(f"wrote {path}", highlight=False)


def latest_day(store: object, profile: str) -> dt.date:
    """The store's latest snapshot date of ``profile`` (commands without --date), said on the terminal."""
    days = store.dates(profile)  # type: ignore[attr-defined]
    if not days:
        raise QueryError("--date", f"the store holds no {profile} snapshot; ingest maps first")
    console.print(f"latest snapshot: {days[-1]} (pass --date for another)", highlight=False)
    return days[-1]


def _period_days(store: Path | None, profile: str | None, text: str) -> tuple[dt.date, dt.date]:
    """The snapshot dates of a named period under the one convention (whoholds.metrics.periods)."""
    from ..metrics.periods import parse_period, store_period_endpoints

    named = parse_period(text)
    if named is None:
        raise QueryError(f"--period {text}", "not a month YYYY-MM or a year YYYY")
    st = open_store(store)
    ends = store_period_endpoints(st, resolve_profile(profile, st).id, named)
    if not ends.ok:
        raise QueryError(f"--period {text}", ends.note)
    if ends.partial:
        console.print(f"PARTIAL PERIOD: {ends.note}", highlight=False)
    return ends.before, ends.after  # type: ignore[return-value]


@command("report")
def report_command(
    date_from: str | None = typer.Option(None, "--from", help="Start of the period (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="End of the period (YYYY-MM-DD)."),
    output: Path = typer.Option(..., "--output", "-o", help="Report file (.html), one self-contained file."),
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    by: str = typer.Option("actor", "--by", help="Group shares by actor or coalition."),
    every: str = typer.Option("day", "--every", help="Timeline step: day, week, month or year."),
    boundary: str | None = typer.Option(None, "--boundary", help=BOUNDARY_HELP),
    period: str | None = typer.Option(None, "--period", help="Instead of --from/--to: a month YYYY-MM or a year "
                                                             "YYYY (the one period convention picks the snapshots)."),
) -> None:
    """Write one HTML file with the shares, maps, transfers, timeline and settlement changes of a period."""
    if period is not None:
        d1, d2 = _period_days(store, profile, period)
    elif date_from is None or date_to is None:
        raise QueryError("--from/--to", "give both dates, or --period YYYY-MM")
    else:
        d1, d2 = _day(date_from, "--from"), _day(date_to, "--to")
    if d2 <= d1:
        raise QueryError(f"{d1} → {d2}", "--to must be after --from")
    if by not in ("actor", "coalition"):
        raise QueryError("--by", f"{by!r}: use actor or coalition")
    if every not in ("day", "week", "month", "year"):
        raise QueryError("--every", f"{every!r}: use day, week, month or year")
    st = open_store(store)
    prof = resolve_profile(profile, st)
    from ..render.period import period_report

    with console.status("building the report…") as status:
        path = period_report(
            st,
            prof,
            d1,
            d2,
            output,
            boundary=boundary,
            by=by,
            every=every,
            on_step=lambda msg: status.update(f"building the report: {msg}…"),
        )
    console.print(f"wrote {path}", highlight=False)
