"""Commands about change: changes (transfer matrix), timeline, settlements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ..errors import InputError
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
    progress_bar,
)

ActorOpt = Annotated[
    list[str] | None,
    typer.Option("--actor", help="Only these actors/coalitions/states (repeatable; aliases allowed)."),
]
IMAGE_SUFFIXES = (".png", ".svg")



def _image_path(path: Path | None, option: str) -> Path | None:
    if path is None:
        return None
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise InputError(path, f"{option} writes PNG or SVG: give a file ending in .png or .svg")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, f"folder {folder} does not exist")
    return path


def _note(text: str) -> None:
    err_console.print(text, highlight=False, soft_wrap=True)


def _only(frame: pd.DataFrame, column: str, keys: list[str] | None) -> pd.DataFrame:
    return frame if keys is None else frame[frame[column].isin(keys)].reset_index(drop=True)


@command("changes")
def changes_cmd(
    d1: Annotated[str, typer.Argument(help="Start date YYYY-MM-DD (a date with a snapshot).")],
    d2: Annotated[str, typer.Argument(help="End date YYYY-MM-DD (a date with a snapshot).")],
    by: ByOpt = "state",
    actor: ActorOpt = None,
    matrix: Annotated[bool, typer.Option("--matrix", help="Write the matrix (from, to, km²) instead of the "
                                                          "per-group summary.")] = False,
    map_out: Annotated[Path | None, typer.Option("--map", help="Draw the changed areas to this PNG/SVG.")] = None,
    profile: ProfileOpt = "ukraine",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Km² that went from each state to each other state between D1 and D2 (gross gains, losses, net)."""
    from ..io.writers import write_frame
    from ..metrics.changes import check_by, check_order, parse_date, resolve_actors, transfer_matrix

    fmt = check_format(fmt, output)
    check_by(by)
    map_out = _image_path(map_out, "--map")
    prof = load_profile(profile)
    keys = resolve_actors(prof, actor, by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    st = open_store(store)
    with progress_bar() as bar:
        bar.add_task(f"overlaying {day1} and {day2}", total=None)
        result = transfer_matrix(st, prof, day1, day2, by=by, boundary=boundary)
    title = f"Changes {day1} → {day2} by {by}, {prof.name}"
    summary = _only(result.summary, "group", keys)
    if result.provenance is not None:
        summary = summary.assign(**result.provenance.as_dict())
    if fmt == "table" and output is None:
        m = result.matrix.copy()
        m.index = [prof.display_name(str(i)) for i in m.index]
        m.columns = [prof.display_name(str(c)) for c in m.columns]
        write_frame(m.rename_axis("from \\ to (km²)").reset_index(), "table", None,
                    title=f"Transfer matrix {day1} → {day2} (rows: holder on {day1}; columns: holder on {day2})")
        write_frame(summary.drop(columns=["group", "kind"]), "table", None, title=title)
        console.print(result.headline(prof), highlight=False, soft_wrap=True)
    else:
        frame = _only(result.long_frame(), "to", None) if matrix else summary
        if matrix and keys is not None:
            frame = frame[frame["from"].isin(keys) | frame["to"].isin(keys)].reset_index(drop=True)
        write_frame(frame, fmt, output, title=title)
        if output is not None:
            _note(result.headline(prof))
    if map_out is not None:
        from ..render.maps import control_map

        layers2 = result.layers[1] if result.layers else None
        control_map(
            layers2.frame if layers2 is not None else None, result.boundary.geometry if result.boundary else None,
            prof, out=map_out, title=f"Changed areas {day1} → {day2}", date=day2,
            source=f"{result.d1.source if result.d1 else ''}", method=result.method, changed=result.changed,
        )
        _note(f"map written to {map_out}")


@command("timeline")
def timeline_cmd(
    start: Annotated[str | None, typer.Option("--from", help="First date YYYY-MM-DD (default: the first).")]
    = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date YYYY-MM-DD (default: the last).")] = None,
    every: Annotated[str, typer.Option("--every", help="snapshot, day, week or month.")] = "snapshot",
    by: ByOpt = "state",
    actor: ActorOpt = None,
    exclude_suspect: Annotated[bool, typer.Option("--exclude-suspect", help="Drop suspect snapshots before "
                                                                            "computing changes.")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Draw the timeline to this PNG/SVG.")] = None,
    workers: Annotated[int, typer.Option(help="Processes for pairs not cached yet.")] = 2,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute every figure (from the change "
                                                               "geometry stored at ingest); read and write no "
                                                               "cached figures.")] = False,
    profile: ProfileOpt = "ukraine",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Area, gross gains, losses and net per state/actor for every snapshot or period; gaps and suspects."""
    from ..io.writers import write_frame
    from ..metrics.changes import check_by, parse_date, resolve_actors
    from ..metrics.timeline import EVERY, timeline

    fmt = check_format(fmt, output)
    check_by(by)
    if every not in EVERY:
        raise InputError(f"--every {every}", f"unknown period; use one of: {', '.join(EVERY)}")
    chart = _image_path(chart, "--chart")
    prof = load_profile(profile)
    keys = resolve_actors(prof, actor, by)
    day0 = parse_date(start, "--from") if start else None
    day1 = parse_date(end, "--to") if end else None
    st = open_store(store)
    with progress_bar() as bar:
        task = bar.add_task("comparing snapshots", total=len(st.current(prof.id)))
        result = timeline(st, prof, day0, day1, every=every, by=by, exclude_suspect=exclude_suspect,
                          boundary=boundary, progress=lambda n: bar.advance(task, n), workers=workers,
                          use_cache=not no_cache)
    frame = _only(result.frame, "group", keys)
    title = f"Timeline by {by} ({every}), {prof.name}"
    if fmt == "table" and output is None:
        shown = frame[["date", "name", "area_km2", "share_pct", "gains_km2", "losses_km2", "net_km2", "suspect",
                       "snapshot_id", "source", "boundary", "method", "whoholds_version"]]
        write_frame(shown, "table", None, title=title)
        if len(result.gaps):
            write_frame(result.gaps, "table", None, title="Gaps in the archive (reported, not interpolated)")
        if len(result.suspects):
            write_frame(result.suspects, "table", None, title="Suspect snapshots")
    else:
        write_frame(frame, fmt, output, title=title)
    _note(f"convention: {result.convention}")
    for line in result.notes:
        _note(line)
    if chart is not None:
        from pathlib import PurePath

        from ..render.charts import timeline_chart

        sources = "; ".join(dict.fromkeys(PurePath(str(s)).name for s in frame["source"]))
        timeline_chart(frame, prof, out=chart, title=f"{prof.name}: {title.split(',')[0].lower()}",
                       source=sources, method=f"{result.method}; {result.convention}")
        _note(f"chart written to {chart}")


@command("settlements")
def settlements_cmd(
    d1: Annotated[str, typer.Argument(help="Start date YYYY-MM-DD (a date with a snapshot).")],
    d2: Annotated[str, typer.Argument(help="End date YYYY-MM-DD (a date with a snapshot).")],
    source: Annotated[str, typer.Option("--source", help="geonames (GeoNames places) or markers (the "
                                                         "snapshots' settlement markers).")] = "geonames",
    min_population: Annotated[int, typer.Option("--min-population", help="Only places with at least this many "
                                                                         "inhabitants.")] = 0,
    by: ByOpt = "actor",
    actor: ActorOpt = None,
    profile: ProfileOpt = "ukraine",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Settlements whose holder changed between D1 and D2 (name, population, from → to, coordinates)."""
    from ..io.writers import write_frame
    from ..metrics.changes import check_by, check_order, parse_date, resolve_actors
    from ..metrics.settlements import SOURCES, settlement_changes

    fmt = check_format(fmt, output)
    check_by(by)
    if source not in SOURCES:
        raise InputError(f"--source {source}", f"unknown settlement source; use one of {', '.join(SOURCES)}")
    if min_population < 0:
        raise InputError(f"--min-population {min_population}", "must be 0 or more")
    prof = load_profile(profile)
    keys = resolve_actors(prof, actor, by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    st = open_store(store)
    with progress_bar() as bar:
        bar.add_task(f"locating settlements on {day1} and {day2}", total=None)
        result = settlement_changes(st, prof, day1, day2, source=source, min_population=min_population, by=by,
                                    boundary=boundary)
    frame = result.frame
    if keys is not None:
        frame = frame[frame["from_group"].isin(keys) | frame["to_group"].isin(keys)].reset_index(drop=True)
    frame = frame.assign(d1=result.d1.date, d2=result.d2.date, snapshot_ids=f"{result.d1.id};{result.d2.id}",
                         sources=f"{result.d1.source};{result.d2.source}")
    title = f"Settlements that changed hands {day1} → {day2} ({source})"
    if fmt == "table" and output is None:
        write_frame(_only(result.counts, "group", keys).drop(columns=["group"]), "table", None, title=f"Per {by}")
        shown = frame.assign(**{"from": [prof.display_name(str(g)) for g in frame["from_group"]],
                                "to": [prof.display_name(str(g)) for g in frame["to_group"]]})
        write_frame(shown[["name", "population", "lat", "lon", "from", "to", "snapshot_ids", "sources"]], "table",
                    None, title=title)
        console.print(result.headline, highlight=False, soft_wrap=True)
    else:
        write_frame(frame, fmt, output, title=title)
        _note(result.headline)
    for line in result.notes:
        _note(line)
