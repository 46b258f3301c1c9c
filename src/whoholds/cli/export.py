"""`whoholds export layers|changes|catalog`: the geometry behind the figures for QGIS, the tables for Datasette."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, console, user_errors
from .options import BoundaryOpt, ProfileOpt, StoreOpt, open_store, profile_of

export_app = typer.Typer(help="Export resolved layers, changed areas (GeoJSON/GeoPackage/GeoParquet) or the "
                              "catalog and ledger (CSV/SQLite).", no_args_is_help=True)
app.add_typer(export_app, name="export")

GeoFormatOpt = Annotated[str, typer.Option("--format", "-f", help="geojson, gpkg or parquet (GeoParquet).")]
OutArg = Annotated[Path, typer.Option("--output", "-o", help="File to write (the format's suffix is added "
                                                             "when missing).")]


@export_app.command("layers")
@user_errors
def export_layers_cmd(
    date: Annotated[str, typer.Argument(help="Snapshot date YYYY-MM-DD (a date with a snapshot).")],
    output: OutArg,
    profile: ProfileOpt = "ukraine",
    fmt: GeoFormatOpt = "geojson",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
) -> None:
    """The disjoint state layers of one snapshot, clipped to the boundary, with km² and % per state."""
    from ..render.export import export_layers

    prof = profile_of(profile)
    with open_store(store) as st:
        out = export_layers(st, prof, date, output, fmt, boundary=boundary)
    console.print(f"wrote {out}")


@export_app.command("changes")
@user_errors
def export_changes_cmd(
    d1: Annotated[str, typer.Argument(help="Earlier date YYYY-MM-DD.")],
    d2: Annotated[str, typer.Argument(help="Later date YYYY-MM-DD.")],
    output: OutArg,
    profile: ProfileOpt = "ukraine",
    fmt: GeoFormatOpt = "geojson",
    on_or_before: Annotated[bool, typer.Option("--on-or-before", help="Use the last snapshot on or before each "
                                                                      "date (the period convention).")] = False,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
) -> None:
    """The pieces that changed hands between two snapshots: from_state, to_state and km² per piece."""
    from ..render.export import export_changes

    prof = profile_of(profile)
    with open_store(store) as st:
        out = export_changes(st, prof, d1, d2, output, fmt, on_or_before=on_or_before, boundary=boundary)
    console.print(f"wrote {out}")


@export_app.command("catalog")
@user_errors
def export_catalog_cmd(
    output: OutArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (one file per table) or sqlite (Datasette).")]
    = "csv",
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Only this profile's snapshots.")] = None,
    store: StoreOpt = None,
) -> None:
    """The snapshot catalog and the claims ledger as CSV or one SQLite file (e.g. `datasette FILE.sqlite`)."""
    from ..render.export import export_catalog

    prof = profile_of(profile) if profile else None
    with open_store(store) as st:
        written = export_catalog(st, output, fmt, profile=prof)
    for path in written:
        console.print(f"wrote {path}")
