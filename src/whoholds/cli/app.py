"""The Typer application object, the lazy command registry, and the error handling every command shares.

Start-up is kept instant: ``whoholds --help`` lists the commands from :data:`COMMANDS` (name → module and
one-line help) without importing a single command module, and running a command imports only the module
that defines it. Command modules register their commands on :data:`app` when they are imported; the heavy
libraries (pandas, geopandas, matplotlib, ...) are imported inside the command bodies.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

from ..errors import WhoholdsError
from . import light_params
from .crashlog import is_store_failure, one_line, os_error_line, write_crash_log
from .guards import check_numeric_options

#: Command (or command group) name → (module in whoholds.cli, one-line help for ``whoholds --help``).
#: The order is the order of ``--help``. A test checks that every entry matches its command's docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("core", "Read control maps and store them as dated snapshots (re-ingesting the same "
                       "content is a no-op)."),
    "snapshots": ("store_admin", "List stored snapshots, or remove some."),
    "shares": ("core", "Area (km², exact on WGS84) and share of the country per actor, coalition or "
                       "state (or per region and actor with --by region)."),
    "changes": ("changes", "Km² that went from each state to each other state between D1 and D2 "
                           "(gross gains, losses, net); with --by region, where they happened."),
    "timeline": ("changes", "Area, gross gains, losses and net per state/actor for every snapshot or "
                            "period; gaps and suspects (with --by region: each region's shares over "
                            "time)."),
    "settlements": ("changes", "Settlements whose holder changed between D1 and D2: region, from → "
                               "to, population where known, a count per direction (a place entering "
                               "the grey zone is contested, never taken); the definition is stated."),
    "markers": ("markers", "Strategic markers (border crossings, air bases, ports, bases, dams...) "
                           "with their holders."),
    "settlement-counts": ("markers", 'How many settlements (marker dots) each actor or coalition '
                                     'holds: "X of Y settlements".'),
    "marker-changes": ("markers", "Places that changed hands between two marker snapshots (matched by"
                                  " position, not by name)."),
    "estimate": ("markers", "Territory estimate from a marker map under every method, and each "
                            "group's range across them."),
    "map": ("render", "Draw a static map of who holds what on one date: fills, grey zone, boundary, "
                      "cities, legend, scale."),
    "report": ("render", "Write one HTML file with the shares, maps, transfers, timeline and "
                         "settlement changes of a period."),
    "check": ("claims", "Check a claim about territorial control against the stored maps: parsed "
                        "claim, figure, verdict."),
    "read": ("claims", "Read an article: every quantitative claim with its speaker and date; "
                       "checkable ones checked; all recorded in the ledger."),
    "ledger": ("ledger", "Reported figures over time, by indicator and source, with inconsistency flags."),
    "fetch": ("fetch", "Download public control maps into a folder (then `whoholds ingest FOLDER`)."),
    "profile": ("profile", "Conflict profiles: write a starter profile from a map, check one against the schema."),
    "serve": ("serve", "Serve the web page (/) and the REST API (/api/..., docs at /docs) over a store."),
    "dask": ("scale", "Large archives on Dask: a local cluster of worker processes, or a "
                      "dask.distributed cluster (--scheduler tcp://HOST:8786). Needs `pip install "
                      "'whoholds[dask]'`."),
    "demo": ("demo", "Ingest real Ukraine and Syria maps, then print shares, a month of changes and a claim check."),
    "export": ("export", "Export resolved layers, changed areas (GeoJSON/GeoPackage/GeoParquet) or "
                         "the catalog and ledger (CSV/SQLite)."),
    "store": ("store_admin", "Check the store's files against the catalog; copy a store between a "
                             "folder and PostgreSQL/PostGIS."),
}
#: Modules that hold no commands.
_NOT_COMMANDS = frozenset({"app", "options", "context", "regions", "crashlog", "guards", "light_params"})


def _command_modules() -> list[str]:
    """Every module of this package that may define commands (a directory listing; nothing is imported)."""
    return [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in _NOT_COMMANDS]


class LazyGroup(TyperGroup):
    """The root group: lists commands from :data:`COMMANDS` and imports a command's module only to run it.

    A command module that is not in the registry (added later, by someone else) still works: its commands
    are found by importing it, which ``--help`` then does too.
    """

    _listing = False

    def _registered(self) -> dict[str, tuple[str, str]]:
        present = set(_command_modules())
        return {name: spec for name, spec in COMMANDS.items() if spec[0] in present}

    def _unregistered_modules(self) -> list[str]:
        known = {module for module, _help in COMMANDS.values()}
        return [m for m in _command_modules() if m not in known]

    def _load(self, *modules: str) -> None:
        for module in modules:
            importlib.import_module(f"{__package__}.{module}")
        built = typer.main.get_command(app)
        for name, cmd in getattr(built, "commands", {}).items():
            self.commands.setdefault(name, cmd)

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self._registered())
        extra = self._unregistered_modules()
        if extra:
            self._load(*extra)
        return names + [n for n in self.commands if n not in names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self._registered().get(cmd_name)
        if spec is not None and self._listing:
            from typer.core import TyperCommand

            return TyperCommand(name=cmd_name, short_help=spec[1], help=spec[1])
        if spec is not None:
            self._load(spec[0])
        if cmd_name not in self.commands:  # moved, or defined by a module the registry does not know
            self._load(*_command_modules())
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # the root listing is written in plain text: Typer's Rich help formatter costs ~0.1 s of imports, a
        # third of the start-up budget of `whoholds --help`; each command's own --help keeps the Rich panels
        self._listing, mode = True, self.rich_markup_mode
        self.rich_markup_mode = None
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing, self.rich_markup_mode = False, mode


light_params.install()  # plain option values without importing Pydantic (see light_params)
app = typer.Typer(
    name="whoholds",
    help="Who holds what in an armed conflict: exact territorial-control figures from real map data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


class _LazyConsole:
    """A Rich console made on first use (importing Rich's console is not free) and re-made when the process's
    stdout changes (as under a test runner), so widths follow the environment of the command being run."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Any = None
        self._file: Any = None

    def _get(self) -> Any:
        file = sys.stderr if self._stderr else sys.stdout
        if self._console is None or file is not self._file:
            from rich.console import Console

            self._console, self._file = Console(stderr=self._stderr), file
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


console: Any = _LazyConsole()
err_console: Any = _LazyConsole(stderr=True)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"whoholds {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Who holds what in an armed conflict: exact territorial-control figures from real map data."""


F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _pass_through() -> tuple[type[BaseException], ...]:
    """Exceptions that are the CLI framework's own control flow (exit codes, usage errors), never bugs.
    Built when a command raises, so that Click proper is not imported at every start."""
    import click

    return tuple({typer.Exit, typer.Abort, *(getattr(typer.exceptions, n) for n in ("TyperException",)
                                             if hasattr(typer.exceptions, n)),
                  click.exceptions.Exit, click.ClickException, click.exceptions.Abort})


def escape(text: str) -> str:
    """Rich's markup escape, imported when an error is printed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def user_errors(func: F) -> F:
    """Turn WhoholdsError (and unreadable-file OSErrors) into one red line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_numeric_options(kwargs)
            return func(*args, **kwargs)
        except WhoholdsError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc.filename))}: {escape(str(exc.strerror))}",
                              highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; the store is left as it was before the unfinished step")
            sys.exit(130)
        except _pass_through():
            raise
        except ModuleNotFoundError as exc:  # an optional component not installed (e.g. the HTML cleaner)
            missing = (exc.name or "").split(".")[0] or "a required package"
            err_console.print(f"[bold red]error:[/] {escape(missing)} is not installed; this step needs it "
                              f"(pip install {escape(missing.replace('_', '-'))})", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except OSError as exc:  # disk full, read-only store, unreadable file...: the user's to fix
            err_console.print(f"[bold red]error:[/] {escape(os_error_line(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:  # a bug: one line here, the traceback in the log
            if is_store_failure(exc):  # a damaged or locked catalog: the user's to fix, not a bug
                err_console.print(f"[bold red]error:[/] store catalog: {escape(one_line(exc))}", highlight=False,
                                  soft_wrap=True)
                raise typer.Exit(2) from None
            log = write_crash_log(exc)
            where = f"; details in {log}" if log else ""
            err_console.print(f"[bold red]internal error:[/] {escape(one_line(exc) + where)}", highlight=False,
                              soft_wrap=True)
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a CLI command that reports user errors in one line."""

    def decorator(func: F) -> F:
        app.command(*args, **kwargs)(user_errors(func))
        return func

    return decorator
