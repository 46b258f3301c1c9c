"""Core commands: ingest, snapshots, shares."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..errors import InputError
from .app import command, console, err_console
from .options import (
    BoundaryOpt,
    ByOpt,
    FormatOpt,
    OutputOpt,
    ProfileOpt,
    StoreOpt,
    VerboseOpt,
    WideOpt,
    begin,
    counted,
    open_store,
    parse_day,
    progress_bar,
    resolve_profile,
)


@command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Map files (GeoJSON, newline-delimited GeoJSON, Esri JSON, "
                                                     "TopoJSON, uMap, KML/KMZ, GeoPackage, Shapefile, GeoParquet, "
                                                     "FlatGeobuf, GML, CSV/TSV or .xlsx/.ods with a WKT column, "
                                                     "Mapbox/MapLibre styles with inline GeoJSON, Commons .map, "
                                                     "Wikipedia map modules or marker maps as GeoJSON points; also "
                                                     ".gz/.xz; docs/formats.md), folders or archives "
                                                     "(.zip/.tar/.tar.xz).")],
    profile: ProfileOpt = None,
    date: Annotated[str | None, typer.Option(help="Snapshot date YYYY-MM-DD (overrides properties and names).")]
    = None,
    unlabelled_state: Annotated[
        str | None,
        typer.Option("--unlabelled-state", help="State for polygons with no label/fill/mark at all "
                                                "(e.g. 'occupied' for single-layer occupied-area exports)."),
    ] = None,
    state_field: Annotated[list[str] | None, typer.Option(
        "--state-field", help="Feature property (any case) that names the state, e.g. Status; repeatable, first "
                              "non-empty wins (default: name, label, status..., then other state-like ones).")]
    = None,
    store: StoreOpt = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: up to 2).")] = None,
) -> None:
    """Read control maps and store them as dated snapshots (re-ingesting the same content is a no-op)."""
    from ..ingest import ingest as run_ingest
    from ..profiles import load_profile
    from ..profiles.recognise import recognised_unlabelled_state
    from ..profiles.stored import keep_profile

    named = load_profile(profile) if profile is not None else None  # a bad profile leaves no store behind
    st = open_store(store, create=True)
    prof = named or resolve_profile(None, st)
    if unlabelled_state is None:
        found = recognised_unlabelled_state(prof, paths)
        if found is not None:
            unlabelled_state, why = found
            console.print(f"{why}: polygons without a label count as “{prof.display_name(unlabelled_state)}” "
                          f"(--unlabelled-state STATE to change)", highlight=False)
    if profile is not None:
        keep_profile(st, profile, prof)
    if state_field:
        import dataclasses

        prof = dataclasses.replace(prof, label_properties=tuple(state_field))
    started = time.perf_counter()
    with progress_bar(summary=False) as bar:
        task = bar.add_task("reading maps", total=None)
        report = run_ingest(paths, prof, st, parse_day(date), unlabelled_state=unlabelled_state, workers=workers,
                            progress=lambda _s: bar.advance(task))
        bar.update(task, description="updating areas")
    new, ver, same = report.count("new"), report.count("new_version"), report.count("unchanged")
    console.print(f"{counted(len(report.results), 'snapshot')} from {counted(report.sources, 'source')} into "
                  f"{st.path} in {time.perf_counter() - started:.1f} s: {new} new, "
                  f"{counted(ver, 'new version')} of stored dates, {same} unchanged", highlight=False)
    twins = {(d, later) for d, _, later, _ in report.same_date}
    for r in report.results:
        if r.status == "new_version" and (r.date, r.source) not in twins:
            console.print(f"  {r.date}: changed content for a stored date, kept as version {r.version} "
                          f"({escape(r.source)})", highlight=False)
    for notice in report.notices:  # two files of one date in this very ingest: say which one is current
        err_console.print(f"[bold yellow]notice:[/] {escape(notice)}", highlight=False, soft_wrap=True)
    from ..io.fit import WARNING

    warnings = {k: v for k, v in report.repairs.items() if k.startswith(WARNING)}
    if report.repairs:
        fixed = ", ".join(f"{k} {v}" for k, v in sorted(report.repairs.items()) if v and k not in warnings)
        console.print(f"repairs (logged per snapshot): {escape(fixed) or 'none'}", highlight=False)
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
            console.print(f"  {n:6d}  {escape(str(label))}", highlight=False)
    else:
        console.print("unmapped labels: none")
    for err in report.errors:
        err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(2)


# `snapshots` (list and remove) lives in store_admin.py.


@command("shares")
def shares_cmd(
    date: Annotated[str | None, typer.Option(help="Snapshot date YYYY-MM-DD (default: the latest).")] = None,
    all_dates: Annotated[bool, typer.Option("--all", help="Every stored snapshot.")] = False,
    by: ByOpt = "actor",
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    method: Annotated[str, typer.Option(help="Marker snapshots: voronoi, voronoi-capped, settlements-only...")]
    = "voronoi-capped",
    max_distance_km: Annotated[float | None, typer.Option(help="Marker snapshots: cap of voronoi-capped.")] = None,
    population: Annotated[bool, typer.Option(help="Also population held (GeoNames points).")] = False,
    raster: Annotated[Path | None, typer.Option(help="Population raster (GeoTIFF) for --population.")] = None,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file for --by region.")] = None,
    region: Annotated[list[str] | None, typer.Option("--region", help="--by region: only these regions.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Area (km², exact on WGS84) and share of the country per actor, coalition or state (or per region and
    actor with --by region)."""
    run = begin(fmt, output, profile=profile, store=store, wide=wide, verbose=verbose)
    prof, st = run.profile, run.store
    if by == "region":
        from .regions import shares_by_region

        return shares_by_region(st, prof, parse_day(date), all_dates, regions, boundary, run.fmt, run.output,
                                region, marker_method=method, max_distance_km=max_distance_km)
    if raster is not None and not population:
        raise InputError(raster, "--raster needs --population")
    if population and all_dates:
        raise InputError("--population", "works for one date at a time; drop --all or give --date")
    if not all_dates and run.table and not verbose and not population and _cached_shares_table(
            run, parse_day(date), by, boundary, method, max_distance_km):
        return  # printed from the catalog alone: no pandas, no geometry stack
    from ..geometry.boundary import load_boundary
    from ..metrics.shares import shares as compute_shares
    from ..render.definitions import figure_definitions

    bnd = load_boundary(prof, boundary)
    with progress_bar() as bar:
        task = bar.add_task("computing areas", total=len(st.current(prof.id)) if all_dates else None)
        frame = compute_shares(st, prof, parse_day(date), all_dates, by, bnd, marker_method=method,
                               max_distance_km=max_distance_km, progress=lambda n: bar.advance(task, n))
    title = f"Territory by {by}, {prof.name}" + ("" if all_dates else f", {frame['date'].iloc[0]}")
    if population and not run.table:  # one file, one table: the population columns join the area rows
        pop = _population(st, prof, frame, bnd, by, raster, method, max_distance_km)
        run.write(with_population(frame, pop.frame), title)
        run.define(pop.coverage_note)
        population = False
    else:
        run.write(frame, title)  # ids, kinds and overlaps: with --verbose and in the machine formats
    methods = set(map(str, frame["method"])) if "method" in frame.columns else set()
    marker = any(m.startswith("marker") for m in methods)
    for line in figure_definitions(prof, bnd, "markers" if marker else "polygons", methods=(method,),
                                   max_distance_km=max_distance_km):
        run.define(line)
    run.detail(f"boundary: {bnd.id} from {bnd.source}; method: {'; '.join(sorted(methods))}")
    if population:
        result = _population(st, prof, frame, bnd, by, raster, method, max_distance_km)
        from .options import Run

        Run("table", None, prof, st, wide=wide, verbose=verbose).write(
            result.frame, f"Population by {by}, {frame['date'].iloc[-1]}")
        run.define(result.coverage_note)


def _population(st, prof, frame, bnd, by: str, raster: Path | None, method: str,
                max_distance_km: float | None) -> Any:
    """Population held per group on the shares' snapshot (`whoholds.metrics.population.population_shares`)."""
    from ..geometry.layers import state_layers
    from ..metrics.population import population_shares

    snap = st.get(str(frame["snapshot_id"].iloc[-1]))
    layers = state_layers(snap, prof, bnd, marker_method=method, max_distance_km=max_distance_km)
    return population_shares(layers.frame, prof, by=by, raster=raster)


def with_population(frame: Any, pop: Any) -> Any:
    """The shares rows with ``population`` and ``population_pct`` (of the population counted) beside
    ``area_km2`` and ``share_pct`` (a group that holds no land has no row, and no people either)."""
    extra = pop[["group", "population", "share_pct"]].rename(columns={"share_pct": "population_pct"})
    return frame.merge(extra, on="group", how="left")


def _cached_shares_table(run, day, by: str, boundary: str | None, method: str,
                         max_distance_km: float | None) -> bool:
    """Print one date's shares from the store's cache (False when they are not cached)."""
    from ..metrics.quick import SHARE_COLUMNS, cached_shares
    from ..render.definitions import figure_definitions
    from ..render.tables import print_table, records_table, terminal_width

    quick = cached_shares(run.store, run.profile, day, by, boundary, marker_method=method,
                          max_distance_km=max_distance_km)
    if quick is None:
        return False
    rows, bnd = quick
    title = f"Territory by {by}, {run.profile.name}, {rows[0]['date'] if rows else day}"
    from .options import TECHNICAL_COLUMNS

    hidden = {"group", "kind", "overlap_km2", *TECHNICAL_COLUMNS}
    columns = [c for c in SHARE_COLUMNS if c not in hidden]
    print_table(records_table(rows, columns, title), None if run.wide else terminal_width())
    marker = any(str(r.get("method", "")).startswith("marker") for r in rows)
    for line in figure_definitions(run.profile, bnd, "markers" if marker else "polygons", methods=(method,),
                                   max_distance_km=max_distance_km):
        run.define(line)
    return True
