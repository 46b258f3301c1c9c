"""`whoholds dask ingest` and `whoholds dask shares`: large archives on Dask (see ``whoholds.scale``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from .app import app, console, err_console, user_errors
from .options import BoundaryOpt, ByOpt, FormatOpt, OutputOpt, ProfileOpt, StoreOpt, check_format, open_store, parse_day

dask_app = typer.Typer(
    help="Large archives on Dask: a local process pool or a dask.distributed cluster (--scheduler tcp://HOST:8786).",
    no_args_is_help=True,
)
app.add_typer(dask_app, name="dask")

PathsArg = Annotated[list[Path], typer.Argument(help="Map files, folders or archives (.zip/.tar/.tar.xz).")]
SchedulerOpt = Annotated[str, typer.Option(
    "--scheduler", help="processes, threads, synchronous, or the address of a dask.distributed scheduler "
                        "(tcp://HOST:8786; needs `pip install distributed`).")]
PartitionsOpt = Annotated[int | None, typer.Option(
    "--partitions", min=1, help="Contiguous runs of snapshots, one task each (default: 4 per core).")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, help="Local pool size (default: all cores).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Snapshot date YYYY-MM-DD (overrides names/properties).")]
UnlabelledOpt = Annotated[str | None, typer.Option(
    "--unlabelled-state", help="State for polygons with no label/fill/mark at all (e.g. occupied).")]


def _scheduler(value: str) -> Any:
    """A scheduler name, or a dask.distributed Client for an address."""
    text = value.strip()
    if "://" not in text and text.count(":") != 1:
        return text
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError("--scheduler", f"{text} is a cluster address, which needs dask.distributed "
                                        "(pip install distributed)") from None
    try:
        return Client(text, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(text, f"cannot reach the dask scheduler ({type(exc).__name__})") from None


@dask_app.command("ingest")
@user_errors
def dask_ingest_cmd(
    paths: PathsArg,
    profile: ProfileOpt = "ukraine",
    date: DateOpt = None,
    unlabelled_state: UnlabelledOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    scheduler: SchedulerOpt = "processes",
    partitions: PartitionsOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Ingest on Dask: workers read maps and write snapshot files; this process writes the catalog."""
    from ..profiles import load_profile
    from ..scale import dask_ingest

    prof = load_profile(profile)
    st = open_store(store, create=True)
    with console.status("starting…") as status:
        report = dask_ingest(paths, prof, st, parse_day(date), unlabelled_state=unlabelled_state, boundary=boundary,
                             partitions=partitions, scheduler=_scheduler(scheduler), workers=workers,
                             progress=lambda msg: status.update(msg + "…"))
    new, ver, same = report.count("new"), report.count("new_version"), report.count("unchanged")
    console.print(f"[bold]{len(report.results)}[/] snapshots from {report.sources} sources into {st.path}: "
                  f"{new} new, {ver} new versions of stored dates, {same} unchanged")
    if report.unmapped:
        console.print(f"[yellow]labels the profile does not map ({sum(report.unmapped.values())} features, left "
                      f"out):[/] " + ", ".join(f"{k!r} {v}" for k, v in report.unmapped.most_common(10)))
    else:
        console.print("unmapped labels: none")
    for err in report.errors:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(2)


@dask_app.command("shares")
@user_errors
def dask_shares_cmd(
    paths: PathsArg,
    profile: ProfileOpt = "ukraine",
    by: ByOpt = "actor",
    date: DateOpt = None,
    unlabelled_state: UnlabelledOpt = None,
    boundary: BoundaryOpt = None,
    scheduler: SchedulerOpt = "processes",
    partitions: PartitionsOpt = None,
    workers: WorkersOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Shares of every snapshot straight from map files on Dask (no store): the columns of `shares --all`."""
    from ..io.writers import write_frame
    from ..profiles import load_profile
    from ..scale import dask_shares

    fmt = check_format(fmt, output)
    prof = load_profile(profile)
    errors: list[InputError] = []
    with console.status("computing on dask…"):
        frame = dask_shares(paths, prof, by=by, boundary=boundary, partitions=partitions,
                            scheduler=_scheduler(scheduler), workers=workers, date=parse_day(date),
                            unlabelled_state=unlabelled_state, errors=errors)
    write_frame(frame, fmt, output, title=f"Territory by {by}, {prof.name}, {frame['date'].nunique()} dates (dask)")
    for err in errors:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(2)
