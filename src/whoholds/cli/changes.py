"""Commands about change: changes (transfer matrix), timeline, settlements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import InputError, QueryError
from .app import command, console
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
    progress_bar,
)

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

ActorOpt = Annotated[
    list[str] | None,
    typer.Option("--actor", help="Only these actors/coalitions/states (repeatable; aliases allowed)."),
]
IMAGE_SUFFIXES = (".png", ".svg")



def date_pair(d1: str | None, d2: str | None, start: str | None, end: str | None, *, need_end: bool
              ) -> tuple[str, str | None]:
    """The two dates of ``changes``/``settlements``, given positionally (D1 D2) or as --from/--to (the
    spelling of ``timeline``); both spellings of one date must agree."""
    def one(positional: str | None, option: str | None, what: str, flag: str) -> str | None:
        if positional is not None and option is not None and positional != option:
            raise InputError(f"{what} {positional} and {flag} {option}", "two different dates: give one")
        return positional if positional is not None else option

    first, last = one(d1, start, "D1", "--from"), one(d2, end, "D2", "--to")
    if first is None:
        raise InputError("dates", "give the start date: D1 D2, or --from D1 --to D2 (YYYY-MM-DD)")
    if need_end and last is None:
        raise InputError(f"D1 {first}", "give the end date too: D1 D2, or --from D1 --to D2 (YYYY-MM-DD)")
    return first, last


def _image_path(path: Path | None, option: str) -> Path | None:
    if path is None:
        return None
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise InputError(path, f"{option} writes PNG or SVG: give a file ending in .png or .svg")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, f"folder {folder} does not exist")
    return path


def _only(frame: pd.DataFrame, column: str, keys: list[str] | None) -> pd.DataFrame:
    return frame if keys is None else frame[frame[column].isin(keys)].reset_index(drop=True)


def _region_days(st: Any, prof: Any, d1: str, d2: str | None, run: Any) -> tuple[dt.date, dt.date]:
    """The two dates of ``changes --by region``: D1 D2, or a month/year under the same period convention."""
    from ..metrics.changes import parse_date
    from ..metrics.periods import CONVENTION, parse_period, store_period_endpoints

    if d2 is not None:
        return parse_date(d1, "D1"), parse_date(d2, "D2")
    period = parse_period(d1)
    if period is None:
        raise InputError(f"D1 {d1}", "give two dates YYYY-MM-DD, or one month YYYY-MM / year YYYY")
    ends = store_period_endpoints(st, prof.id, period)
    if not ends.ok:
        raise QueryError(period.describe(), ends.note or "no two snapshots cover this period")
    run.note(f"{period.describe()}: {CONVENTION} ({ends.before} → {ends.after})"
             + (f"; PARTIAL PERIOD: {ends.note}" if ends.partial else ""))
    return ends.before, ends.after


@command("changes")
def changes_cmd(
    d1: Annotated[str | None, typer.Argument(help="Start date YYYY-MM-DD (a date with a snapshot), or a month "
                                                  "YYYY-MM or a year YYYY alone (the period convention picks the "
                                                  "snapshots); or give --from.")] = None,
    d2: Annotated[str | None, typer.Argument(help="End date YYYY-MM-DD (a date with a snapshot); or give --to.")
                  ] = None,
    start: Annotated[str | None, typer.Option("--from", help="Start date YYYY-MM-DD, or a month YYYY-MM / year "
                                                             "YYYY alone (same as D1).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="End date YYYY-MM-DD (same as D2).")] = None,
    by: ByOpt = "state",
    actor: ActorOpt = None,
    matrix: Annotated[bool, typer.Option("--matrix", help="Write the matrix (from, to, km²) instead of the "
                                                          "per-group summary.")] = False,
    map_out: Annotated[Path | None, typer.Option("--map", help="Draw the changed areas to this PNG/SVG.")] = None,
    zoom_to: Annotated[str | None, typer.Option("--zoom-to", help="--map: 'changes' shows the changed areas "
                                                                  "close up, with an overview inset.")] = None,
    bbox: Annotated[str | None, typer.Option("--bbox", help="--map: show only W,S,E,N (degrees).")] = None,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file for --by region.")] = None,
    region: Annotated[list[str] | None, typer.Option("--region", help="--by region: only these regions.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Km² that went from each state to each other state between D1 and D2 (gross gains, losses, net); with
    --by region, where they happened.

    Dates: `changes D1 D2` or `changes --from D1 --to D2` (YYYY-MM-DD; or one month YYYY-MM / year YYYY)."""
    from ..geometry.boundary import load_boundary
    from ..metrics.changes import check_by, check_order, parse_date, resolve_actors, transfer_matrix
    from ..metrics.periods import CONVENTION, parse_period, period_transfers
    from ..render.definitions import figure_definitions

    d1, d2 = date_pair(d1, d2, start, end, need_end=False)
    run = begin(fmt, output, profile=profile, store=store, wide=wide, verbose=verbose)
    prof, st = run.profile, run.store
    if by == "region":
        from .regions import changes_by_region

        day1, day2 = _region_days(st, prof, d1, d2, run)
        return changes_by_region(st, prof, day1, day2, regions, boundary, run.fmt, run.output, region)
    check_by(by)
    map_out = _image_path(map_out, "--map")
    from ..render.extent import parse_bbox

    if zoom_to not in (None, "changes"):
        raise InputError(f"--zoom-to {zoom_to}", "the only zoom target is 'changes'")
    if (zoom_to or bbox) and map_out is None:
        raise InputError("--zoom-to/--bbox", "apply to the map: add --map FILE.png")
    if zoom_to and bbox:
        raise InputError("--zoom-to and --bbox", "choose one")
    extent = parse_bbox(bbox) if bbox is not None else None
    keys = resolve_actors(prof, actor, by)
    period = parse_period(d1) if d2 is None else None
    if d2 is None and period is None:
        raise InputError(f"D1 {d1}", "give two dates YYYY-MM-DD, or one month YYYY-MM / year YYYY")
    if period is not None:  # one period convention (whoholds.metrics.periods), as check/timeline/report
        with progress_bar() as bar:
            bar.add_task(f"overlaying {period.describe()}", total=None)
            result, ends = period_transfers(st, prof, period, by=by, boundary=boundary)
        day1, day2 = ends.before, ends.after
        run.note(f"{period.describe()}: {CONVENTION} ({day1} → {day2})"
              + (f"; PARTIAL PERIOD: {ends.note}" if ends.partial else ""))
    else:
        day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
        check_order(day1, day2)
        with progress_bar() as bar:
            bar.add_task(f"overlaying {day1} and {day2}", total=None)
            result = transfer_matrix(st, prof, day1, day2, by=by, boundary=boundary)
    title = f"Changes {day1} → {day2} by {by}, {prof.name}"
    summary = _only(result.summary, "group", keys)
    if result.provenance is not None:
        summary = summary.assign(**result.provenance.as_dict())
    if run.table:
        moves = result.long_frame()
        moves = moves[(moves["from"] != moves["to"]) & (moves["area_km2"] >= 0.005)]
        if keys is not None:
            moves = moves[moves["from"].isin(keys) | moves["to"].isin(keys)]
        moves = moves.sort_values("area_km2", ascending=False).assign(
            **{"from": lambda f: f["from"].map(lambda g: prof.display_name(str(g))),
               "to": lambda f: f["to"].map(lambda g: prof.display_name(str(g)))})
        run.write(moves[["from", "to", "area_km2"]].rename(columns={"area_km2": "km2"}),
                  f"Land that changed hands {day1} → {day2} (holder on {day1} → holder on {day2})")
        first = ["name", "net_km2", "gains_km2", "losses_km2", "area_d1_km2", "area_d2_km2"]
        shown = summary[[c for c in first if c in summary.columns]
                        + [c for c in summary.columns if c not in first and c not in ("group", "kind")]]
        run.write(shown, title)
        console.print(result.headline(prof), highlight=False, soft_wrap=True)
    else:
        frame = result.long_frame() if matrix else summary
        if matrix and keys is not None:
            frame = frame[frame["from"].isin(keys) | frame["to"].isin(keys)].reset_index(drop=True)
        run.write(frame, title)
        if output is not None:
            run.note(result.headline(prof))
    bnd = result.boundary if result.boundary is not None else load_boundary(prof, boundary)
    for line in figure_definitions(prof, bnd, changes=True):
        run.define(line)
    for line in result.notes:
        run.detail(line)
    if map_out is not None:
        from ..render.extent import changes_bbox
        from ..render.maps import control_map

        if zoom_to == "changes":
            extent = changes_bbox(result.changed)
            if extent is None:
                run.note("nothing changed hands: the map shows the whole country")

        layers2 = result.layers[1] if result.layers else None
        control_map(
            layers2.frame if layers2 is not None else None, result.boundary.geometry if result.boundary else None,
            prof, out=map_out, title=f"Changed areas {day1} → {day2}", date=day2,
            source=f"{result.d1.source if result.d1 else ''}", method=result.method, changed=result.changed,
            bbox=extent,
        )
        run.note(f"map written to {map_out}")


@command("timeline")
def timeline_cmd(
    start: Annotated[str | None, typer.Option("--from", help="First date YYYY-MM-DD (default: the first).")]
    = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date YYYY-MM-DD (default: the last).")] = None,
    every: Annotated[str, typer.Option("--every", help="snapshot, day, week, month or year.")] = "snapshot",
    by: ByOpt = "state",
    actor: ActorOpt = None,
    exclude_suspect: Annotated[bool, typer.Option("--exclude-suspect", help="Drop suspect snapshots before "
                                                                            "computing changes.")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Draw the timeline to this PNG/SVG.")] = None,
    workers: Annotated[int, typer.Option(help="Processes for pairs not cached yet.")] = 2,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute every figure (from the change "
                                                               "geometry stored at ingest); read and write no "
                                                               "cached figures.")] = False,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file for --by region.")] = None,
    region: Annotated[list[str] | None, typer.Option("--region", help="--by region: only these regions.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Area, gross gains, losses and net per state/actor for every snapshot or period; gaps and suspects
    (with --by region: each region's shares over time)."""
    from ..metrics.choices import check_by, parse_date, resolve_actors
    from ..metrics.periods import check_every
    from ..render.definitions import figure_definitions

    run = begin(fmt, output, profile=profile, store=store, wide=wide, verbose=verbose)
    prof, st = run.profile, run.store
    if by == "region":
        from .regions import timeline_by_region

        check_every(every)
        return timeline_by_region(st, prof, parse_date(start, "--from") if start else None,
                                  parse_date(end, "--to") if end else None, every, regions, boundary, run.fmt,
                                  run.output, region)
    check_by(by)
    check_every(every)
    chart = _image_path(chart, "--chart")
    keys = resolve_actors(prof, actor, by)
    day0 = parse_date(start, "--from") if start else None
    day1 = parse_date(end, "--to") if end else None
    if chart is None and not no_cache and run.fmt in ("table", "csv", "json") and _cached_timeline(
            run, day0, day1, every, by, exclude_suspect, boundary, keys):
        return  # answered from the store's cache: no pandas, no geometry stack
    from ..metrics.timeline import timeline

    with progress_bar() as bar:
        task = bar.add_task("comparing snapshots", total=len(st.dates(prof.id)))  # dates: no second catalog read
        result = timeline(st, prof, day0, day1, every=every, by=by, exclude_suspect=exclude_suspect,
                          boundary=boundary, progress=lambda n: bar.advance(task, n), workers=workers,
                          use_cache=not no_cache)
    frame = _only(result.frame, "group", keys)
    title = f"Timeline by {by} ({every}), {prof.name}"
    if run.table:
        _timeline_tables(run, frame, result.gaps, result.suspects, title)
    else:
        run.write(frame, title)
    for line in figure_definitions(prof, result.boundary):
        run.define(line)
    run.define(f"Changes: {result.convention}")
    for line in result.notes:
        run.define(line)
    if chart is not None:
        from pathlib import PurePath

        from ..render.charts import timeline_chart

        sources = "; ".join(dict.fromkeys(PurePath(str(s)).name for s in frame["source"]))
        timeline_chart(frame, prof, out=chart, title=f"{prof.name}: {title.split(',')[0].lower()}",
                       source=sources, method=f"{result.method}; {result.convention}")
        run.note(f"chart written to {chart}")


def _timeline_tables(run: Any, frame: Any, gaps: Any, suspects: Any, title: str) -> None:
    """The timeline on the terminal: its table, then gaps and suspects (frames, or RecordFrames of the cache)."""
    columns = ["date", "name", "area_km2", "share_pct", "net_km2", "gains_km2", "losses_km2", "suspect"]
    if "to_date" in frame.columns and any(str(a)[:10] != str(b)[:10] for a, b in
                                          zip(frame["date"].tolist(), frame["to_date"].tolist(), strict=False)):
        # a period's row is dated by the period's end; say which maps its figures come from
        columns[-1:-1] = ["from_date", "to_date"]
    if run.verbose:
        columns += [c for c in ("group", "overlap_km2") if c in frame.columns]
    columns += ["snapshot_id", "source", "boundary", "method", "whoholds_version"]
    run.write(frame[[c for c in columns if c in frame.columns]], title)
    if len(gaps):
        run.write(gaps, "Gaps in the archive (reported, not interpolated)")
    if len(suspects):
        run.write(suspects, "Suspect snapshots")


def _cached_timeline(run: Any, day0: dt.date | None, day1: dt.date | None, every: str, by: str,
                     exclude_suspect: bool, boundary: str | None, keys: list[str] | None) -> bool:
    """Write the timeline from the store's cache, as the full path would (False when it is not all cached)."""
    from ..metrics.quick_timeline import cached_timeline

    got = cached_timeline(run.store, run.profile, day0, day1, every, by, exclude_suspect, boundary)
    if got is None:
        return False
    parts, bnd = got
    from ..io.records import write_records
    from ..metrics.timeline_core import FRAME_COLUMNS
    from ..render.definitions import figure_definitions

    records = parts.records if keys is None else [r for r in parts.records if r["group"] in keys]
    if run.table:
        from ..metrics.suspects import GAP_COLUMNS, SUSPECT_COLUMNS
        from ..render.record_frame import RecordFrame

        title = f"Timeline by {by} ({every}), {run.profile.name}"
        _timeline_tables(run, RecordFrame(records, FRAME_COLUMNS), RecordFrame(parts.gaps, GAP_COLUMNS),
                         RecordFrame(parts.suspects, SUSPECT_COLUMNS), title)
    else:
        write_records(records, FRAME_COLUMNS, run.fmt, run.output)
    for line in figure_definitions(run.profile, bnd):
        run.define(line)
    run.define(f"Changes: {parts.convention}")
    for line in parts.notes:
        run.define(line)
    return True


@command("settlements")
def settlements_cmd(
    d1: Annotated[str | None, typer.Argument(help="Start date YYYY-MM-DD (a date with a snapshot); or give "
                                                  "--from.")] = None,
    d2: Annotated[str | None, typer.Argument(help="End date YYYY-MM-DD (a date with a snapshot); or give --to.")
                  ] = None,
    start: Annotated[str | None, typer.Option("--from", help="Start date YYYY-MM-DD (same as D1).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="End date YYYY-MM-DD (same as D2).")] = None,
    source: Annotated[str, typer.Option("--source", help="auto (the full gazetteer where it resolves, else "
                                                         "GeoNames cities500), gazetteer, geonames (cities500) or "
                                                         "markers (the snapshots' settlement markers).")] = "auto",
    min_population: Annotated[int, typer.Option("--min-population", help="Only places with at least this many "
                                                                         "inhabitants.")] = 0,
    all_places: Annotated[bool, typer.Option("--all-places", help="Count every populated place, also city "
                                                                  "sections and abandoned, historical or destroyed "
                                                                  "places (default: living places only).")] = False,
    gazetteer: Annotated[str | None, typer.Option("--gazetteer", help="GeoNames file (CSV extract or country "
                                                                      "dump .zip/.txt).")] = None,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file.")] = None,
    by: ByOpt = "actor",
    actor: ActorOpt = None,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Settlements whose holder changed between D1 and D2: region, from → to, population where known, a count
    per direction (a place entering the grey zone is contested, never taken); the definition is stated.

    Dates: `settlements D1 D2` or `settlements --from D1 --to D2` (YYYY-MM-DD)."""
    from ..geometry.boundary import load_boundary
    from ..metrics.changes import check_by, check_order, parse_date, resolve_actors
    from ..metrics.settlements import SOURCES, settlement_changes
    from ..render.definitions import boundary_sentence, settlement_sentence
    from .regions import print_settlements

    d1, d2 = date_pair(d1, d2, start, end, need_end=True)
    run = begin(fmt, output, profile=profile, store=store, wide=wide, verbose=verbose)
    prof, st = run.profile, run.store
    check_by(by)
    if source not in SOURCES:
        raise InputError(f"--source {source}", f"unknown settlement source; use one of {', '.join(SOURCES)}")
    if min_population < 0:
        raise InputError(f"--min-population {min_population}", "must be 0 or more")
    keys = resolve_actors(prof, actor, by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    with progress_bar() as bar:
        bar.add_task(f"locating settlements on {day1} and {day2}", total=None)
        result = settlement_changes(st, prof, day1, day2, source=source, min_population=min_population, by=by,
                                    boundary=boundary, living_only=not all_places, gazetteer=gazetteer,
                                    regions=regions)
    print_settlements(result, prof, keys, by, run)
    run.define(settlement_sentence(result.source))
    if result.source != "markers":
        run.define(boundary_sentence(load_boundary(prof, boundary)))
