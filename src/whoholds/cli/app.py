"""The Typer application object and the error handling every command shares."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import WhoholdsError

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


def user_errors(func: F) -> F:
    """Turn WhoholdsError (and unreadable-file OSErrors) into one red line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
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

    return wrapper  # type: ignore[return-value]


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a CLI command that reports user errors in one line."""

    def decorator(func: F) -> F:
        app.command(*args, **kwargs)(user_errors(func))
        return func

    return decorator
