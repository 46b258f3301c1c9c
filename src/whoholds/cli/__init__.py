"""Command-line interface: thin Typer commands over the library (see `whoholds --help`)."""

from __future__ import annotations

import importlib
import pkgutil

from .app import app

# Each module registers its commands on `app` when imported; this order is the order of `--help`.
_ORDER = ("core", "changes", "markers", "render", "claims", "serve", "scale", "demo")
for _name in (*_ORDER, *sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name not in _ORDER)):
    if _name not in ("app", "options"):
        importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app()
