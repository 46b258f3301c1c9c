"""Core commands: ingest, snapshots, shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import InputError
from ..ingest import ingest as run_ingest
from ..io.fit import WARNING
from ..metrics.shares import shares as compute_shares
from ..profiles import load_profile
from .app import command, console, err_console
from .options import (
    BoundaryOpt,
    ByOpt,
    FormatOpt,
    OutputOpt,
    ProfileOpt,
    StoreOpt,
    check_format,
    open_store,
    parse_day,
    progress_bar,
)


@command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Map files, folders or archives (.zip/.tar/.tar.xz).")],
    profile: ProfileOpt = "ukraine",
    date: Annotated[str | None, typer.Option(help="Snapshot date YYYY-MM-DD (overrides properties and names).")]
    = None,
    unlabelled_state: Annotated[
        str | None,
        typer.Option("--unlabelled-state", help="State for polygons with no label/fill/mark at all "
                                                "(e.g. 'occupied' for single-layer occupied-area exports)."),
    ] = None,
    store: StoreOpt = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: up to 2).")] = None,
) -> None:
    """Read control maps and store them as dated snapshots (re-ingesting the same content is a no-op)."""
    prof = load_profile(profile)
    st = open_store(store, create=True)
    with progress_bar() as bar:
        task = bar.add_task("reading maps", total=None)
        report = run_ingest(paths, prof, st, parse_day(date), unlabelled_state=unlabelled_state, workers=workers,
                            progress=lambda _s: bar.advance(task))
        bar.update(task, description="updating areas")
    new, ver, same = report.count("new"), report.count("new_version"), report.count("unchanged")
    console.print(f"[bold]{len(report.results)}[/] snapshots from {report.sources} sources into {st.path}: "
                  f"{new} new, {ver} new versions of stored dates, {same} unchanged")
    for r in report.results:
        if r.status == "new_version":
            console.print(f"  {r.date}: changed content for a stored date, kept as version {r.version} ({r.source})")
    warnings = {k: v for k, v in report.repairs.items() if k.startswith(WARNING)}
    if report.repairs:
        fixed = ", ".join(f"{k} {v}" for k, v in sorted(report.repairs.items()) if v and k not in warnings)
        console.print(f"repairs (logged per snapshot): {fixed or 'none'}")
    for key, value in sorted(warnings.items()):  # summed over snapshots; each snapshot's log has its own
        text, km2 = key.removeprefix(WARNING), key.endswith(", km²")
        shown = f"{text.removesuffix(', km²')}: {value:,} km²" if km2 else f"{text}: {value:,}"
        err_console.print(f"[bold yellow]warning:[/] {escape(shown)}", highlight=False, soft_wrap=True)
    if report.dropped:
        console.print("dropped (by design): " + ", ".join(f"{k} {v}" for k, v in sorted(report.dropped.items())))
    if report.unmapped:
        console.print(f"[yellow]labels the profile does not map ({sum(report.unmapped.values())} features, "
                      f"left out):[/]")
        for label, n in report.unmapped.most_common(20):
            console.print(f"  {n:6d}  {label}")
    else:
        console.print("unmapped labels: none")
    for err in report.errors:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(2)


# `snapshots` (list and remove) lives in store_admin.py.


@command("shares")
def shares_cmd(
    date: Annotated[str | None, typer.Option(help="Snapshot date YYYY-MM-DD (default: the latest).")] = None,
    all_dates: Annotated[bool, typer.Option("--all", help="Every stored snapshot.")] = False,
    by: ByOpt = "actor",
    profile: ProfileOpt = "ukraine",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    method: Annotated[str, typer.Option(help="Marker snapshots: voronoi, voronoi-capped, settlements-only...")]
    = "voronoi-capped",
    max_distance_km: Annotated[float | None, typer.Option(help="Marker snapshots: cap of voronoi-capped.")] = None,
    population: Annotated[bool, typer.Option(help="Also population held (GeoNames points).")] = False,
    raster: Annotated[Path | None, typer.Option(help="Population raster (GeoTIFF) for --population.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Area (km², exact on WGS84) and share of the country per actor, coalition or state."""
    from ..io.writers import write_frame

    fmt = check_format(fmt, output)
    prof = load_profile(profile)
    st = open_store(store)
    if raster is not None and not population:
        raise InputError(raster, "--raster needs --population")
    if population and all_dates:
        raise InputError("--population", "works for one date at a time; drop --all or give --date")
    with progress_bar() as bar:
        task = bar.add_task("computing areas", total=len(st.current(prof.id)) if all_dates else None)
        frame = compute_shares(st, prof, parse_day(date), all_dates, by, boundary, marker_method=method,
                               max_distance_km=max_distance_km, progress=lambda n: bar.advance(task, n))
    title = f"Territory by {by}, {prof.name}" + ("" if all_dates else f", {frame['date'].iloc[0]}")
    write_frame(frame, fmt, output, title=title)
    if fmt == "table" or output is not None:
        from ..geometry.boundary import load_boundary

        bnd = load_boundary(prof, boundary)
        err_console.print(f"denominator: {bnd.area_km2:,.1f} km², {' '.join(bnd.note.split())} [{bnd.source}]",
                          highlight=False, markup=False)
    if population:
        from ..geometry.boundary import load_boundary
        from ..geometry.layers import state_layers
        from ..metrics.population import population_shares

        snap = st.get(str(frame["snapshot_id"].iloc[-1]))
        layers = state_layers(snap, prof, load_boundary(prof, boundary), marker_method=method,
                              max_distance_km=max_distance_km)
        result = population_shares(layers.frame, prof, by=by, raster=raster)
        write_frame(result.frame, "table" if output is not None else fmt, None,
                    title=f"Population by {by}, {snap.date}")
        console.print(result.coverage_note)
