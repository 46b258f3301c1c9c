"""`whoholds dask ingest|shares|timeline`: large archives on a Dask cluster (see ``whoholds.scale``).

With no ``--scheduler`` each command starts a ``distributed.LocalCluster`` of ``--workers`` processes on
127.0.0.1 and stops it at the end; with ``--scheduler tcp://HOST:8786`` it uses that cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from .app import app, console, err_console, user_errors
from .options import (
    BoundaryOpt,
    ByOpt,
    FormatOpt,
    OutputOpt,
    ProfileOpt,
    StoreOpt,
    check_format,
    counted,
    open_store,
    parse_day,
    progress_bar,
)

dask_app = typer.Typer(
    help="Large archives on Dask: a local cluster of worker processes, or a dask.distributed cluster "
         "(--scheduler tcp://HOST:8786). Needs `pip install 'whoholds[dask]'`.",
    no_args_is_help=True,
)
app.add_typer(dask_app, name="dask")

PathsArg = Annotated[list[Path], typer.Argument(help="Map files, folders or archives (.zip/.tar/.tar.xz).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Address of a dask.distributed scheduler (tcp://HOST:8786). Default: start a local "
                        "cluster of --workers processes. Also: processes, threads, synchronous (no cluster).")]
PartitionsOpt = Annotated[int | None, typer.Option(
    "--partitions", min=1, help="Tasks: contiguous runs of maps or date ranges (default: 4 per worker).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Worker processes of the local cluster (default: one per core).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Snapshot date YYYY-MM-DD (overrides names/properties).")]
UnlabelledOpt = Annotated[str | None, typer.Option(
    "--unlabelled-state", help="State for polygons with no label/fill/mark at all (e.g. occupied).")]


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """A Rich bar per phase, advanced as each Dask task ends."""
    with progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], advance=done, total=total)

        yield report


def _where(sched: Any) -> str:
    """Where it ran, for the summary line."""
    from ..scale.cluster import cores, is_client

    if not is_client(sched):
        return f"dask's {sched} scheduler"
    n = cores(sched)
    return f"{n} Dask worker{'s' * (n != 1)}"


def _errors(errors: list[InputError]) -> None:
    for err in errors:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(2)


@dask_app.command("ingest")
@user_errors
def dask_ingest_cmd(
    paths: PathsArg,
    profile: ProfileOpt = "ukraine",
    date: DateOpt = None,
    unlabelled_state: UnlabelledOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    scheduler: SchedulerOpt = None,
    partitions: PartitionsOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Ingest on Dask: workers read the maps and write the snapshot files, this process writes the catalog,
    then the areas and transfers of the whole archive are computed on the workers in date ranges."""
    from ..profiles import load_profile
    from ..scale import dask_ingest, open_scheduler

    prof = load_profile(profile)
    day = parse_day(date)
    st = open_store(store, create=True)
    with open_scheduler(scheduler, workers) as sched, _progress() as report:
        where = _where(sched)
        result = dask_ingest(paths, prof, st, day, unlabelled_state=unlabelled_state, boundary=boundary,
                             partitions=partitions, scheduler=sched, workers=workers, progress=report)
    if result.unmapped:
        console.print(f"[yellow]labels the profile does not map ({sum(result.unmapped.values())} features, left "
                      f"out):[/] " + ", ".join(f"{k!r} {v}" for k, v in result.unmapped.most_common(10)))
    else:
        console.print("unmapped labels: none")
    new, ver, same = result.count("new"), result.count("new_version"), result.count("unchanged")
    a = result.areas
    console.print(f"{counted(len(result.results), 'snapshot')} from {counted(result.sources, 'source')} into "
                  f"{st.path}: {new} new, {counted(ver, 'new version')} of stored dates, {same} unchanged; cached "
                  f"areas of {counted(a.areas_written, 'snapshot')} and transfers of "
                  f"{counted(a.transfers_written, 'pair')} ({counted(a.ranges, 'date range')}); {where}, "
                  f"{result.seconds:.1f} s", highlight=False, soft_wrap=True)
    _errors(result.errors)


@dask_app.command("shares")
@user_errors
def dask_shares_cmd(
    paths: PathsArg,
    profile: ProfileOpt = "ukraine",
    by: ByOpt = "actor",
    date: DateOpt = None,
    unlabelled_state: UnlabelledOpt = None,
    boundary: BoundaryOpt = None,
    scheduler: SchedulerOpt = None,
    partitions: PartitionsOpt = None,
    workers: WorkersOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Shares of every snapshot straight from map files on Dask (no store): the columns of `shares --all`."""
    import time

    from ..metrics.changes import check_by
    from ..profiles import load_profile
    from ..render.tables import write_result
    from ..scale import dask_shares, open_scheduler

    fmt = check_format(fmt, output)
    check_by(by)
    prof = load_profile(profile)
    day = parse_day(date)
    errors: list[InputError] = []
    started = time.perf_counter()
    with open_scheduler(scheduler, workers) as sched, _progress() as report:
        where = _where(sched)
        frame = dask_shares(paths, prof, by=by, boundary=boundary, partitions=partitions, scheduler=sched,
                            workers=workers, date=day, unlabelled_state=unlabelled_state, errors=errors,
                            progress=report)
    write_result(frame, fmt, output, title=f"Territory by {by}, {prof.name}, {frame['date'].nunique()} dates (dask)")
    err_console.print(f"{len(frame)} rows ({frame['snapshot_id'].nunique()} snapshots, {frame['date'].nunique()} "
                      f"dates) written to {output or 'stdout'}; {where}, {time.perf_counter() - started:.1f} s",
                      highlight=False, soft_wrap=True)
    _errors(errors)


@dask_app.command("timeline")
@user_errors
def dask_timeline_cmd(
    start: Annotated[str | None, typer.Option("--from", help="First date YYYY-MM-DD (default: the first).")]
    = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date YYYY-MM-DD (default: the last).")] = None,
    every: Annotated[str, typer.Option("--every", help="snapshot, day, week or month.")] = "snapshot",
    by: ByOpt = "state",
    exclude_suspect: Annotated[bool, typer.Option("--exclude-suspect", help="Drop suspect snapshots before "
                                                                            "computing changes.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the cached areas and transfers of this "
                                                            "boundary and compute them all again.")] = False,
    profile: ProfileOpt = "ukraine",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    scheduler: SchedulerOpt = None,
    partitions: PartitionsOpt = None,
    workers: WorkersOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """The timeline of `whoholds timeline`, its areas and transfers computed on Dask in date ranges."""
    import time

    from ..metrics.changes import check_by, check_order, parse_date
    from ..metrics.periods import check_every
    from ..profiles import load_profile
    from ..render.tables import write_result
    from ..scale import dask_timeline, open_scheduler

    # every bad option is one line before a cluster starts
    fmt = check_format(fmt, output)
    check_by(by)
    check_every(every)
    day0 = parse_date(start, "--from") if start else None
    day1 = parse_date(end, "--to") if end else None
    if day0 is not None and day1 is not None:
        check_order(day0, day1, ("--from", "--to"))
    prof = load_profile(profile)
    st = open_store(store, create=False)
    started = time.perf_counter()
    with open_scheduler(scheduler, workers) as sched, _progress() as report:
        where = _where(sched)
        result, areas = dask_timeline(st, prof, day0, day1, every=every, by=by, exclude_suspect=exclude_suspect,
                                      boundary=boundary, scheduler=sched, ranges=partitions, workers=workers,
                                      rebuild=rebuild, progress=report)
    frame = result.frame
    title = f"Timeline by {by} ({every}), {prof.name} (dask)"
    if fmt == "table" and output is None:
        write_result(frame[["date", "name", "area_km2", "share_pct", "gains_km2", "losses_km2", "net_km2", "suspect",
                           "snapshot_id"]], "table", None, title=title)
    else:
        write_result(frame, fmt, output, title=title)
    for line in result.notes:
        err_console.print(line, highlight=False, soft_wrap=True)
    err_console.print(f"{len(frame)} rows ({frame['date'].nunique()} points) written to {output or 'stdout'}; "
                      f"{areas.pairs} pairs computed in {areas.ranges} date ranges, areas of {areas.areas_written} "
                      f"snapshots and transfers of {areas.transfers_written} pairs cached; {where}, "
                      f"{time.perf_counter() - started:.1f} s", highlight=False, soft_wrap=True)
