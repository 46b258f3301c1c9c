"""Options shared by every command, so they read the same everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .. import dates
from ..errors import QueryError
from ..profiles import Profile, load_profile
from ..store import Store, default_store_path

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder (env WHOHOLDS_STORE, default ./whoholds-store).", show_default=False),
]
ProfileOpt = Annotated[str, typer.Option("--profile", "-p", help="Profile: ukraine, syria, or a YAML file.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv, json or parquet.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
ByOpt = Annotated[str, typer.Option("--by", help="state, actor or coalition (shares, changes, timeline: also region).")]
BoundaryOpt = Annotated[
    str | None,
    typer.Option("--boundary", help="Denominator: a vector file, or natural-earth:ISO3[:pov]. Default: the profile's."),
]


def open_store(path: Path | None, *, create: bool = False) -> Store:
    return Store(path if path is not None else default_store_path(), create=create)


def profile_of(name: str) -> Profile:
    return load_profile(name)


def parse_day(value: str | None, what: str = "--date") -> dt.date | None:
    """An optional date option: None stays None."""
    return None if value is None else dates.parse_day(value, what)


def check_format(fmt: str, out: Path | None) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "csv", "json", "parquet"):
        raise QueryError("--format", f"unknown format {fmt!r} (use table, csv, json or parquet)")
    if fmt == "parquet" and out is None:
        raise QueryError("--format parquet", "needs an output file: add -o FILE.parquet")
    return fmt


def progress_bar() -> Progress:
    """The progress bar every long command shows (on stderr, gone when done)."""
    from .app import err_console

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=True)
