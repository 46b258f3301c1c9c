"""Store administration: ``snapshots`` (list, ``remove``), ``store check`` and ``store copy``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..store_check import check_store, remove_snapshots, snapshot_ids
from .app import app, console, err_console, user_errors
from .options import FormatOpt, OutputOpt, StoreOpt, WideOpt, check_format, open_store, parse_day

snapshots_app = typer.Typer(help="List stored snapshots, or remove some.", no_args_is_help=False)
store_app = typer.Typer(help="Check the store's files against the catalog; copy a store between a folder and "
                         "PostgreSQL/PostGIS.", no_args_is_help=True)
app.add_typer(snapshots_app, name="snapshots")
app.add_typer(store_app, name="store")


@snapshots_app.callback(invoke_without_command=True)
@user_errors
def snapshots_cmd(
    ctx: typer.Context,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Only this profile.")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """List stored snapshots: date, source, states, area, repairs, unmapped labels."""
    if ctx.invoked_subcommand is not None:
        return
    from pathlib import PurePath

    from ..metrics.catalog import snapshot_listing
    from ..profiles import load_profile
    from .options import Run

    fmt = check_format(fmt, output)
    st = open_store(store)
    prof = load_profile(profile) if profile else None
    run = Run(fmt=fmt, output=output, profile=prof, store=st, wide=wide)  # type: ignore[arg-type]
    frame = snapshot_listing(st, prof)
    if run.table:  # one row per snapshot: its file by name, most telling columns first
        frame = frame.assign(file=[PurePath(str(x)).name for x in frame["source"]])
        frame = frame[["date", "time", "drawn_km2", "file", "kind", "features", "states", "repairs", "unmapped",
                       "version", "profile", "id"]]
    run.write(frame, f"Snapshots in {st.path}")


@snapshots_app.command("remove")
@user_errors
def remove_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Snapshot ids (or unique prefixes), see `snapshots`.")]
    = None,
    date: Annotated[str | None, typer.Option(help="Remove every version of this date (YYYY-MM-DD).")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="With --date: only this profile.")]
    = None,
    store: StoreOpt = None,
) -> None:
    """Remove snapshots with their files and every cached figure computed from them (one transaction)."""
    if not ids and date is None:
        raise typer.BadParameter("give snapshot ids or --date")
    with open_store(store) as st:
        targets = snapshot_ids(st, ids or (), parse_day(date), profile)
        files = remove_snapshots(st, targets)
    console.print(f"removed {len(targets)} snapshot(s) and {len(files)} file(s) from {st.path}; cached figures "
                  "that involved them are dropped and recomputed on the next query", soft_wrap=True)


@store_app.command("check")
@user_errors
def check_cmd(store: StoreOpt = None) -> None:
    """Verify every snapshot: a folder store's files exist and match the hashes recorded when they were stored; a
    PostgreSQL store's catalog rows each have all their features in the features table."""
    with open_store(store) as st:
        report = check_store(st, record_missing_hashes=True)
    if st.files is None:  # PostgreSQL keeps features in a table, not in files: say what was checked there
        console.print(f"{report.snapshots} snapshots in {st.path}: {report.ok} complete (every feature the catalog "
                      f"counts is in the features table), {len(report.missing)} with no features, "
                      f"{len(report.changed)} with features missing", soft_wrap=True)
        if not report.healthy:
            for sid, rel in report.missing + report.changed:
                err_console.print(f"error: {st.where(sid, rel)}: not all in the features table; copy or re-ingest "
                                  f"it, or `whoholds snapshots remove {sid}`", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        return
    console.print(f"{report.snapshots} snapshots in {st.path}: {report.ok} files ok (present, and equal to the hash "
                  f"recorded when stored), {len(report.missing)} missing, {len(report.changed)} changed, "
                  f"{len(report.orphans)} orphan files", soft_wrap=True)
    if report.unhashed:
        console.print(f"  {len(report.unhashed)} files had no recorded hash (stored by an older version); "
                      "recorded now")
    if report.healthy:
        return
    for sid, rel in report.missing:
        err_console.print(f"error: {st.where(sid, rel)}: snapshot file of {sid} is missing; re-ingest its source to "
                          f"restore it, or `whoholds snapshots remove {sid}`", highlight=False, soft_wrap=True)
    for sid, rel in report.changed:
        err_console.print(f"error: {st.where(sid, rel)}: snapshot file of {sid} does not match its recorded hash; "
                          f"delete it and re-ingest its source, or `whoholds snapshots remove {sid}`",
                          highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@store_app.command("upgrade")
@user_errors
def store_upgrade_cmd(store: StoreOpt = None) -> None:
    """Rewrite snapshots stored by an older version (a GeoParquet file each) into the content-addressed feature
    store (each distinct feature once); batch by batch, each atomic. Not needed to read the store."""
    from ..store_upgrade import upgrade_store

    with open_store(store) as st:
        report = upgrade_store(st)
    if report.database:
        console.print(f"{st.path}: a database store keeps its features in the database; nothing to upgrade",
                      highlight=False, soft_wrap=True)
        return
    kept = f"; {report.kept} marker snapshots keep their files" if report.kept else ""
    console.print(f"{report.converted} snapshots rewritten into the feature store of {st.path}, "
                  f"{report.files_removed} old files removed{kept}", highlight=False, soft_wrap=True)


@store_app.command("copy")
@user_errors
def store_copy_cmd(
    src: Annotated[str, typer.Argument(help="Source store: a folder, or postgresql://user@host/db.")],
    dest: Annotated[str, typer.Argument(help="Destination store (created if missing): a folder or postgresql://…")],
) -> None:
    """Copy every snapshot, its features, the figure cache and the claims ledger, without loss; what DEST holds
    is left alone."""
    from ..store_copy import copy_store, open_store_at

    source = open_store_at(src, create=False)
    target = open_store_at(dest, create=True)
    try:
        report = copy_store(source, target)
    finally:
        source.close()
        target.close()
    ledger = f" and {report.ledger_rows} ledger rows" if report.ledger_rows else ""
    console.print(f"{report.copied} snapshots copied from {source.path} to {target.path} ({report.already_there} "
                  f"already there), with {report.area_rows} cached areas, {report.transfer_rows} cached "
                  f"transfers{ledger}", highlight=False, soft_wrap=True)
