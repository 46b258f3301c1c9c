"""The web API and page: ``create_app(store_path)`` returns a FastAPI app over one whoholds store.

Every route calls the same library functions as the CLI (``shares``, ``snapshot_listing``,
``transfer_matrix``, ``timeline``, ``parse_claims`` + ``check``, ``snapshot_map``, ``timeline_chart``,
``period_report``); the JSON carries the provenance columns the library returns (snapshot ids, sources,
boundary, method, whoholds version). OpenAPI docs are at ``/docs`` and ``/openapi.json``; the page is ``/``.

Errors are JSON ``{"error": "<one line>"}``, never a traceback:

====  ===================================================================================================
400   the request cannot be answered as asked (InputError, QueryError): not a date, a date without a
      snapshot (the message names the nearest stored dates), D2 before D1, unknown grouping or period,
      a text with no checkable claim
404   not there: unknown profile, no store at the path, no snapshots of the profile (StoreError), unknown URL
413   a request body over 64 KiB; 414 a query string over 4 KiB; 431 request headers too large
422   a malformed parameter (wrong type, missing field, a number out of range such as 1e309), or a claim
      whose reading took longer than its time budget
503   the store is locked by another process (an ingest), or the server's workers are all busy, or a
      computation overran its budget (it goes on; the response comes from the cache on retry): see the
      Retry-After header
500   a bug: one line naming the exception type; the traceback goes to the server log only
====  ===================================================================================================

Each request opens the store for itself and closes it after (readers never wait for one another), so
``whoholds ingest`` can add snapshots while the server runs: requests made during the write get 503 with
Retry-After, and finished responses are cached by the store's state (a write invalidates them). Claim text
is read in worker processes with a time budget, geometry work in a bounded pool (:mod:`.work`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import WhoholdsError
from .common import StoreAccess, api_words, one_line, status_of
from .limits import BodyTooLarge, RequestLimits
from .work import ClaimReaders, HeavyRunner

log = logging.getLogger("whoholds.api")
STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """Who holds what in an armed conflict: exact territorial-control figures (km² on the WGS84
ellipsoid) from stored control-map snapshots, changes between dates, timelines, maps, reports and claim
checks. Every figure carries its provenance. Errors are `{"error": "<one line>"}` (400 bad request,
404 not there, 413/414/431 request too large, 422 malformed parameter or too costly a claim, 503 busy: see
Retry-After)."""


def _error(status: int, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return JSONResponse({"error": api_words(one_line(message))}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(
    store_path: str | os.PathLike[str] | None = None,
    *,
    claim_workers: int = 2,
    claim_seconds: float = 5.0,
    heavy_workers: int = 2,
    heavy_seconds: float = 60.0,
) -> FastAPI:
    """The API and the page over the store at ``store_path`` (default: ``$WHOHOLDS_STORE`` or
    ``./whoholds-store``). The store need not exist yet: routes answer 404 until it does.

    ``claim_workers`` processes read claim text, ``claim_seconds`` each (then 422); ``heavy_workers``
    threads do geometry work, ``heavy_seconds`` each before the request gets 503 (the work goes on)."""
    from contextlib import asynccontextmanager

    from ..store import default_store_path
    from . import docs, downloads, geo, media, routes

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202 - the workers start and stop with the server
        app.state.readers.start()
        yield
        app.state.readers.close()
        app.state.heavy.close()

    app = FastAPI(
        title="whoholds",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "data", "description": "Profiles, snapshots, shares, changes and timelines (JSON, GeoJSON)."},
            {"name": "claims", "description": "Check a claim about territorial control."},
            {"name": "downloads", "description": "Layers and changed areas for GIS; tables as CSV or SQLite."},
            {"name": "images", "description": "Maps, charts and the HTML report."},
        ],
    )
    app.state.store = StoreAccess(store_path if store_path is not None else default_store_path())
    app.state.media_cache = media.MediaCache()
    app.state.readers = ClaimReaders(claim_workers, claim_seconds)
    app.state.heavy = HeavyRunner(heavy_workers, heavy_seconds)
    app.add_middleware(RequestLimits)

    @app.exception_handler(WhoholdsError)
    async def _user_error(_request: Request, exc: WhoholdsError) -> JSONResponse:
        return _error(status_of(exc), str(exc), getattr(exc, "retry_after", None))

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        text = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and text == "Not Found":
            text = f"{request.url.path}: no such page or API route (see /docs)"
        return _error(exc.status_code, text)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, BodyTooLarge):
            return _error(413, "request body: too large")
        log.exception("internal error on %s", request.url.path)
        return _error(500, f"internal error ({type(exc).__name__}); the details are in the server log")

    app.include_router(routes.router)
    app.include_router(geo.router)
    app.include_router(downloads.router)
    app.include_router(media.router)
    docs.mount(app)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
