"""`whoholds store copy SRC DEST`: move a store between a folder and PostgreSQL/PostGIS (see whoholds.store_copy)."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import app, console, user_errors

store_app = typer.Typer(help="Stores: copy between a folder (GeoParquet + DuckDB) and PostgreSQL/PostGIS.",
                        no_args_is_help=True)
app.add_typer(store_app, name="store")


@store_app.command("copy")
@user_errors
def store_copy_cmd(
    src: Annotated[str, typer.Argument(help="Source store: a folder, or postgresql://user@host/db.")],
    dest: Annotated[str, typer.Argument(help="Destination store (created if missing): a folder or postgresql://…")],
) -> None:
    """Copy every snapshot, its features and the area cache, without loss; what DEST holds is left alone."""
    from ..store_copy import copy_store, open_store_at

    source = open_store_at(src, create=False)
    target = open_store_at(dest, create=True)
    try:
        report = copy_store(source, target)
    finally:
        source.close()
        target.close()
    console.print(f"{report.copied} snapshots copied from {src} to {dest} ({report.already_there} already there), "
                  f"with {report.area_rows} cached areas and {report.transfer_rows} cached transfers",
                  highlight=False, soft_wrap=True)
