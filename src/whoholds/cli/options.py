"""Options shared by every command, and :class:`Run`, the one preamble of a command that prints figures
(format check → store → profile → write), so they read and behave the same everywhere.

Nothing heavy is imported here: the store (DuckDB, GeoPandas) and the writers (pandas) load inside functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import dates
from ..errors import QueryError, StoreError
from ..profiles import Profile, load_profile
from ..render.tables import TECHNICAL_COLUMNS, technical_columns  # noqa: F401 (one rule for every table)

if TYPE_CHECKING:
    import pandas as pd
    from rich.progress import Progress

    from ..store import Store
    from ..store_base import StoreBase

StoreOpt = Annotated[
    str | None,  # not a Path: a postgresql://host/db address would lose a slash
    typer.Option("--store", help="Store folder, or postgresql://user@host/db for a shared PostGIS store (env "
                                 "WHOHOLDS_STORE, default ./whoholds-store).", show_default=False),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="Profile: ukraine, syria, or a YAML file (default: the store's profile).",
                 show_default=False),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv, json or parquet.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
ByOpt = Annotated[str, typer.Option("--by", help="state, actor or coalition (shares, changes, timeline: also region).")]
BoundaryOpt = Annotated[
    str | None,
    typer.Option("--boundary", help="Denominator: a vector file, or natural-earth:ISO3[:pov]. Default: the profile's."),
]
WideOpt = Annotated[bool, typer.Option("--wide", help="Tables: show every column even if wider than the terminal.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Also the technical details (ids, overlaps, "
                                                                  "method internals).")]


def open_store(path: str | Path | None, *, create: bool = False) -> StoreBase:
    from ..store_base import open_store as open_at

    return open_at(path, create=create)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 snapshot``, ``2 snapshots``: the count and the noun in the number it takes."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def profile_of(name: str) -> Profile:
    return load_profile(name)


def store_profiles(store: Store) -> list[str]:
    """The ids of the profiles that have snapshots in ``store``."""
    return store.profiles()


def resolve_profile(name: str | None, store: Store | None, default: str | None = "ukraine") -> Profile:
    """The profile a command works with: the one named; else the store's only profile; else ``default`` when
    the store holds it too (or holds nothing yet); else an error that lists the profiles to choose from."""
    if name is not None:
        return load_profile(name)
    held = store_profiles(store) if store is not None else []
    if len(held) == 1:
        from ..profiles.stored import stored_profile

        return stored_profile(store, held[0])
    if not held or default in held:
        if default is None:
            raise QueryError("--profile", "no profile given and the store holds none; pass --profile NAME")
        return load_profile(default)
    choices = " or ".join(f"--profile {p}" for p in held)
    raise QueryError("--profile", f"the store holds several profiles ({', '.join(held)}); pass {choices}")


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


def progress_bar(summary: bool = True) -> Progress:
    """The progress bar every long command shows (on stderr, gone when done), then, for a step that took more
    than a second, one line saying what was done and how long it took."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .app import err_console

    class _Bar(Progress):
        def __exit__(self, *exc: Any) -> None:
            super().__exit__(*exc)
            if not summary or exc[0] is not None:
                return
            for task in self.tasks:
                took = task.finished_time if task.finished_time is not None else task.elapsed
                if took is not None and took >= SUMMARY_AFTER_S:
                    count = f" ({int(task.completed):,} of {int(task.total):,})" if task.total else ""
                    err_console.print(f"{task.description}{count}: done in {took:.1f} s", highlight=False,
                                      markup=False)

    console = err_console._get()
    return _Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)


#: Steps at least this long get a one-line summary when they end.
SUMMARY_AFTER_S = 1.0


@dataclass
class Run:
    """One command's checked options, store and profile, and the only way it writes results.

    Tables go to the terminal fitted to its width (``--wide``: every column); machine formats keep every
    column. Definitions (denominator, boundary, method) are said once, in plain words: on stdout, or on
    stderr when stdout carries CSV/JSON (so the data stays parseable)."""

    fmt: str
    output: Path | None
    profile: Profile
    store: Store | None
    wide: bool = False
    verbose: bool = False
    _said: set[str] = field(default_factory=set)

    @property
    def table(self) -> bool:
        """Results are a table on the terminal (not a file, not a machine format)."""
        return self.fmt == "table" and self.output is None

    def write(self, frame: pd.DataFrame, title: str, *, keep: tuple[str, ...] = ()) -> None:
        """Write ``frame``: a fitted table on stdout, or the format asked for (all columns, provenance kept).
        ``keep``: columns a narrow table must not drop (the label and the date always stay)."""
        if self.table:
            from ..render.tables import print_frame

            if not self.verbose:  # said in plain words by define(); the technical strings stay in files
                frame = frame.drop(columns=[c for c in technical_columns(frame) if c in frame.columns])
            print_frame(frame, title, wide=self.wide, keep=keep)
            return
        from ..render.tables import write_result

        write_result(frame, self.fmt, self.output, title=title)

    def define(self, text: str) -> None:
        """State a definition once (the same sentence is not repeated within a command)."""
        text = " ".join(text.split())
        if not text or text in self._said:
            return
        self._said.add(text)
        from .app import console, err_console

        data_on_stdout = self.output is None and self.fmt != "table"  # keep CSV/JSON on stdout parseable
        target = err_console if data_on_stdout else console
        target.print(text, highlight=False, markup=False, soft_wrap=True)

    def detail(self, text: str) -> None:
        """Technical detail, shown only with --verbose (on stderr)."""
        if self.verbose:
            from .app import err_console

            err_console.print(text, highlight=False, markup=False, soft_wrap=True)

    def note(self, text: str) -> None:
        """A remark about the run (file written, nearest snapshot used...), on stderr."""
        from .app import err_console

        err_console.print(text, highlight=False, markup=False, soft_wrap=True)


def begin(fmt: str = "table", output: Path | None = None, *, profile: str | None = None, store: Path | None = None,
          default_profile: str | None = "ukraine", create: bool = False, need_store: bool = True,
          wide: bool = False, verbose: bool = False) -> Run:
    """The preamble every figure command shares: check the format, open the store, resolve the profile."""
    fmt = check_format(fmt, output)
    st = None
    if need_store or store is not None:
        try:
            st = open_store(store, create=create)
        except StoreError:
            if need_store:
                raise
    prof = resolve_profile(profile, st, default_profile)
    return Run(fmt=fmt, output=output, profile=prof, store=st, wide=wide, verbose=verbose)

