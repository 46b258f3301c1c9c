"""`whoholds serve`: the web page and REST API over a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .app import command, console
from .options import StoreOpt

#: uvicorn's own limits: its header-size limit sits above the app's (413/414/431 come from the app, as JSON,
#: not a reset connection); too many open connections get 503; idle keep-alive connections close after 5 s.
SERVER_LIMITS = {"h11_max_incomplete_event_size": 256 * 1024, "limit_concurrency": 128, "timeout_keep_alive": 5}


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

    from ..errors import StoreError
    from ..store_base import open_store

    try:
        st = open_store(store, create=False)  # a folder or a database that is not a store fails here
    except StoreError as exc:
        if not exc.problem.startswith("no store here"):
            raise
        raise InputError(exc.source, "no store here; run `whoholds ingest PATH --profile NAME` first (or pass "
                                     "--store)") from None
    # a folder as an absolute path; an address as given (it may carry a password: shown without it)
    path = st.path.resolve() if isinstance(st.path, Path) else getattr(st, "dsn", st.path)
    console.print(f"whoholds: serving {st.path} on http://{host}:{port}/  (API docs: /docs; Ctrl+C stops)")
    st.close()
    if reload:
        os.environ["WHOHOLDS_STORE"] = str(path)
        uvicorn.run("whoholds.api.app:create_app", factory=True, host=host, port=port, reload=True, **SERVER_LIMITS)
        return
    from ..api import create_app

    try:
        uvicorn.run(create_app(path, claim_seconds=claim_seconds), host=host, port=port, log_level="info",
                    **SERVER_LIMITS)
    except OSError as exc:  # e.g. the port is taken (uvicorn usually exits by itself then)
        raise InputError(f"{host}:{port}", f"cannot listen ({exc.strerror or exc})") from None
