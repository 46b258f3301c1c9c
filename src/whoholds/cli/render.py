"""`whoholds map` and `whoholds report`: static maps and the one-file HTML report of a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from ..errors import QueryError, StoreError
from .app import command, console

STORE_HELP = "Store folder (env WHOHOLDS_STORE, default ./whoholds-store)."
PROFILE_HELP = "Conflict profile: a built-in name (ukraine, syria) or a YAML file."
BOUNDARY_HELP = "Boundary override: a file with the country outline (default: the profile's)."


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(option, f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _open_store(path: Path):  # noqa: ANN202 - the Store type is the lead's
    if not path.exists():
        raise StoreError(path, "no store here; ingest maps first (whoholds ingest PATH --profile NAME)")
    from ..store import Store

    return Store(path)


def _profile(name: str):  # noqa: ANN202
    from ..profiles import load_profile

    return load_profile(name)


@command("map")
def map_command(
    date: str = typer.Option(..., "--date", "-d", help="Snapshot date (YYYY-MM-DD)."),
    profile: str = typer.Option("ukraine", "--profile", "-p", help=PROFILE_HELP),
    store: Path = typer.Option(Path("whoholds-store"), "--store", envvar="WHOHOLDS_STORE", help=STORE_HELP),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Map file, .png or .svg (default whoholds-map-PROFILE-DATE.png)."
    ),
    markers: bool = typer.Option(True, "--markers/--no-markers", help="Draw the points of marker snapshots."),
    cities: bool = typer.Option(True, "--cities/--no-cities", help="Label the main cities (GeoNames)."),
    boundary: str | None = typer.Option(None, "--boundary", help=BOUNDARY_HELP),
    title: str | None = typer.Option(None, "--title", help="Map title (default: the profile's name)."),
) -> None:
    """Draw a static map of who holds what on one date: fills, grey zone, boundary, cities, legend, scale."""
    day = _day(date, "--date")
    prof = _profile(profile)
    out = output or Path(f"whoholds-map-{prof.id}-{day}.png")
    from ..render.maps import snapshot_map

    st = _open_store(store)
    with console.status(f"drawing the {prof.id} map of {day}…"):
        path = snapshot_map(
            st, prof, day, out, boundary=boundary, markers=markers, cities=cities, title=title
        )
    console.print(f"wrote {path}", highlight=False)


@command("report")
def report_command(
    date_from: str = typer.Option(..., "--from", help="Start of the period (YYYY-MM-DD)."),
    date_to: str = typer.Option(..., "--to", help="End of the period (YYYY-MM-DD)."),
    output: Path = typer.Option(..., "--output", "-o", help="Report file (.html), one self-contained file."),
    profile: str = typer.Option("ukraine", "--profile", "-p", help=PROFILE_HELP),
    store: Path = typer.Option(Path("whoholds-store"), "--store", envvar="WHOHOLDS_STORE", help=STORE_HELP),
    by: str = typer.Option("actor", "--by", help="Group shares by actor or coalition."),
    every: str = typer.Option("day", "--every", help="Timeline step: day, week or month."),
    boundary: str | None = typer.Option(None, "--boundary", help=BOUNDARY_HELP),
) -> None:
    """Write one HTML file with the shares, maps, transfers, timeline and settlement changes of a period."""
    d1, d2 = _day(date_from, "--from"), _day(date_to, "--to")
    if d2 <= d1:
        raise QueryError(f"{d1} → {d2}", "--to must be after --from")
    if by not in ("actor", "coalition"):
        raise QueryError("--by", f"{by!r}: use actor or coalition")
    if every not in ("day", "week", "month"):
        raise QueryError("--every", f"{every!r}: use day, week or month")
    prof = _profile(profile)
    from ..render.period import period_report

    st = _open_store(store)
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
