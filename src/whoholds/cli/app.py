"""The Typer application object and the error handling every command shares."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
import typer
from rich.console import Console
from rich.markup import escape

from ..errors import WhoholdsError
from .crashlog import is_store_failure, one_line, os_error_line, write_crash_log
from .guards import check_numeric_options

app = typer.Typer(
    name="whoholds",
    help="Who holds what in an armed conflict: exact territorial-control figures from real map data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        console.print(f"whoholds {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Who holds what in an armed conflict: exact territorial-control figures from real map data."""

F = TypeVar("F", bound=Callable[..., Any])
#: Exceptions that are the CLI framework's own control flow (exit codes, usage errors), never bugs.
_PASS_THROUGH = tuple({typer.Exit, typer.Abort, *(getattr(typer.exceptions, n) for n in ("TyperException",)
                                                    if hasattr(typer.exceptions, n)),
                       click.exceptions.Exit, click.ClickException, click.exceptions.Abort})


def user_errors(func: F) -> F:
    """Turn WhoholdsError (and unreadable-file OSErrors) into one red line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_numeric_options(kwargs)
            return func(*args, **kwargs)
        except WhoholdsError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            err_console.print(f"[bold red]error:[/] {exc.filename}: {exc.strerror}", highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; the store is left as it was before the unfinished step")
            sys.exit(130)
        except _PASS_THROUGH:
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
