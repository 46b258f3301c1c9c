"""`whoholds serve` (the web page and REST API) and `whoholds fetch deepstate` (download the live feed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .app import command, console, user_errors
from .options import StoreOpt

#: uvicorn's own limits: its header-size limit sits above the app's (413/414/431 come from the app, as JSON,
#: not a reset connection); too many open connections get 503; idle keep-alive connections close after 5 s.
SERVER_LIMITS = {"h11_max_incomplete_event_size": 256 * 1024, "limit_concurrency": 128, "timeout_keep_alive": 5}

try:  # the `whoholds fetch` group (defined with `fetch wikipedia`); a group of our own if it is not there
    from .markers import fetch_app
except ImportError:  # pragma: no cover - depends on the other modules of the tree
    from .app import app as _app

    fetch_app = typer.Typer(help="Download public control maps into a folder (then `whoholds ingest FOLDER`).",
                            no_args_is_help=True)
    _app.add_typer(fetch_app, name="fetch")


@command("serve")
def serve_cmd(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 exposes it to the network).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    claim_seconds: Annotated[float, typer.Option(help="Time budget for reading one claim (then 422).", min=0.5,
                                                 max=600)] = 5.0,
) -> None:
    """Serve the web page (/) and the REST API (/api/..., docs at /docs) over a store."""
    import os

    import uvicorn

    from ..store import default_store_path

    path = Path(store) if store is not None else Path(default_store_path())
    if not path.is_dir():
        raise InputError(path, "no store here; run `whoholds ingest PATH --profile NAME` first (or pass --store)")
    console.print(f"whoholds: serving {path.resolve()} on http://{host}:{port}/  (API docs: /docs; Ctrl+C stops)")
    if reload:
        os.environ["WHOHOLDS_STORE"] = str(path.resolve())
        uvicorn.run("whoholds.api.app:create_app", factory=True, host=host, port=port, reload=True, **SERVER_LIMITS)
        return
    from ..api import create_app

    try:
        uvicorn.run(create_app(path, claim_seconds=claim_seconds), host=host, port=port, log_level="info",
                    **SERVER_LIMITS)
    except OSError as exc:  # e.g. the port is taken (uvicorn usually exits by itself then)
        raise InputError(f"{host}:{port}", f"cannot listen ({exc.strerror or exc})") from None


def _when(value: str | None, option: str) -> dt.date | dt.datetime | None:
    from ..io.fetch_deepstate import parse_when

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
    from ..io.fetch_deepstate import fetch_deepstate, fetch_deepstate_range

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
