"""Command-line interface: thin Typer commands over the library (see `whoholds --help`).

Commands load lazily (see :mod:`.app`): importing this package imports no command module and no heavy
library, so `whoholds --help` and `--version` start instantly.
"""

from __future__ import annotations

from .app import COMMANDS, app

__all__ = ["COMMANDS", "app", "main"]


def main() -> None:
    app()
