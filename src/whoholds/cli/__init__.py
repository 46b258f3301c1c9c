"""Command-line interface: thin Typer commands over the library (see `whoholds --help`)."""

from __future__ import annotations

import importlib
import pkgutil

from .app import app

# Each module in this package registers its commands on `app` when imported.
for _info in pkgutil.iter_modules(__path__):
    if _info.name != "app":
        importlib.import_module(f"{__name__}.{_info.name}")


def main() -> None:
    app()
