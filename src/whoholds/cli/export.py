"""`whoholds export layers|changes|catalog`: the geometry behind the figures for QGIS, the tables for Datasette."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, console, user_errors
from .options import BoundaryOpt, ProfileOpt, StoreOpt, open_store, profile_of, resolve_profile

export_app = typer.Typer(help="Export resolved layers, changed areas (GeoJSON/GeoPackage/GeoParquet) or the "
                              "catalog and ledger (CSV/SQLite).", no_args_is_help=True)
app.add_typer(export_app, name="export")

GeoFormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="geojson, gpkg or parquet (GeoParquet); "
                                                                        "default: from the file's suffix, else "
                                                                        "geojson.")]
OutArg = Annotated[Path, typer.Option("--output", "-o", help="File to write (the format's suffix is added "
                                                             "when missing).")]


def _format_of(fmt: str | None, output: Path, formats: dict[str, str], default: str) -> str:
    """The format asked for, else the one the output file's suffix names (-o x.gpkg writes a GeoPackage)."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower()
    return next((name for name, ext in formats.items() if ext == suffix), default)


@export_app.command("layers")
@user_errors
def export_layers_cmd(
    output: OutArg,
    day: Annotated[str | None, typer.Argument(metavar="[DATE]", help="Snapshot date YYYY-MM-DD (the older form of "
                                                                   "--date).")] = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help="Snapshot date YYYY-MM-DD (a date with a "
                                                                 "snapshot; default: the latest).")] = None,
    profile: ProfileOpt = None,
    fmt: GeoFormatOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
) -> None:
    """The disjoint state layers of one snapshot, clipped to the boundary, with km² and % per state."""
    from ..errors import QueryError
    from ..render.export import GEO_FORMATS, export_layers
    from .render import latest_day

    if day is not None and date is not None and day.strip() != date.strip():
        raise QueryError("--date", f"two dates given ({day} and --date {date}); give one")
    with open_store(store) as st:
        prof = resolve_profile(profile, st)
        when = day or date or latest_day(st, prof.id).isoformat()
        out = export_layers(st, prof, when, output, _format_of(fmt, output, GEO_FORMATS, "geojson"),
                            boundary=boundary)
    console.print(f"wrote {out}")


@export_app.command("changes")
@user_errors
def export_changes_cmd(
    output: OutArg,
    d1: Annotated[str | None, typer.Argument(help="Earlier date YYYY-MM-DD; or give --from.")] = None,
    d2: Annotated[str | None, typer.Argument(help="Later date YYYY-MM-DD; or give --to.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Earlier date YYYY-MM-DD (same as D1).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Later date YYYY-MM-DD (same as D2).")] = None,
    profile: ProfileOpt = None,
    fmt: GeoFormatOpt = None,
    on_or_before: Annotated[bool, typer.Option("--on-or-before", help="Use the last snapshot on or before each "
                                                                      "date (the period convention).")] = False,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
) -> None:
    """The pieces that changed hands between two snapshots: from_state, to_state and km² per piece.

    Dates: `export changes D1 D2 -o FILE` or `export changes --from D1 --to D2 -o FILE` (YYYY-MM-DD)."""
    from ..render.export import GEO_FORMATS, export_changes
    from .changes import date_pair

    d1, d2 = date_pair(d1, d2, start, end, need_end=True)
    with open_store(store) as st:
        prof = resolve_profile(profile, st)
        out = export_changes(st, prof, d1, d2, output, _format_of(fmt, output, GEO_FORMATS, "geojson"),
                             on_or_before=on_or_before, boundary=boundary)
    console.print(f"wrote {out}")


@export_app.command("catalog")
@user_errors
def export_catalog_cmd(
    output: OutArg,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv (one file per table) or sqlite (Datasette); "
                                                                 "default: from the file's suffix, else csv.")]
    = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Only this profile's snapshots.")] = None,
    store: StoreOpt = None,
) -> None:
    """The snapshot catalog and the claims ledger as CSV or one SQLite file (e.g. `datasette FILE.sqlite`)."""
    from ..render.export import TABLE_FORMATS, export_catalog

    prof = profile_of(profile) if profile else None
    with open_store(store) as st:
        written = export_catalog(st, output, _format_of(fmt, output, TABLE_FORMATS, "csv"), profile=prof)
    for path in written:
        console.print(f"wrote {path}")
