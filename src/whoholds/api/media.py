"""Image and document routes: the control map (SVG/PNG), the timeline chart and the one-file HTML report.

Each is drawn by ``whoholds.render`` into a temporary file, returned, and kept in a small in-memory cache
keyed by the request and the store's catalog state (a new ingest invalidates it).
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .common import day_of, latest_day, profile_of, store_of
from .routes import ByQ, ProfileQ, run_timeline

router = APIRouter(prefix="/api")

MEDIA = {".svg": "image/svg+xml", ".png": "image/png", ".html": "text/html; charset=utf-8"}
CACHE_ITEMS = 48


class MediaCache:
    """The last drawings of one app (bytes), least recently used first out."""

    def __init__(self, size: int = CACHE_ITEMS) -> None:
        self.size = size
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, draw: Callable[[Path], Path], suffix: str) -> bytes:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        with tempfile.TemporaryDirectory(prefix="whoholds-api-") as tmp:
            data = Path(draw(Path(tmp) / f"out{suffix}")).read_bytes()
        with self.lock:
            self.items[key] = data
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return data


def _catalog_state(store: Any) -> tuple:
    return store.stamp()


def _cached(request: Request, key: tuple, draw: Callable[[Path], Path], suffix: str) -> bytes:
    """The drawing for ``key``, drawn at most once, in the bounded heavy pool with its time budget (503 past it,
    while the drawing finishes and fills the cache). ``draw`` opens the store itself if it needs it."""
    cache = request.app.state.media_cache
    with cache.lock:
        if key in cache.items:
            cache.items.move_to_end(key)
            return cache.items[key]
    return request.app.state.heavy.run(lambda: cache.get(key, draw, suffix))


def _with_store(request: Request, draw: Callable[[Any, Path], Path]) -> Callable[[Path], Path]:
    """A drawing that opens its own connection (it may outlive the request that asked for it)."""

    def run(out: Path) -> Path:
        with store_of(request).open() as st:
            return draw(st, out)

    return run


def _reply(data: bytes, suffix: str, filename: str | None = None) -> Response:
    headers = {"Cache-Control": "no-cache"}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(content=data, media_type=MEDIA[suffix], headers=headers)


def _image_suffix(fmt: str) -> str:
    from ..errors import QueryError

    suffix = "." + fmt.strip().lower().lstrip(".")
    if suffix not in (".svg", ".png"):
        raise QueryError(f"format {fmt!r}", "use svg or png")
    return suffix


@router.get("/map.svg", tags=["images"], summary="Control map of one snapshot (render's snapshot_map)",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def map_svg(
    request: Request,
    profile: ProfileQ = "ukraine",
    date: Annotated[str | None, Query(description="Snapshot date YYYY-MM-DD (default: the latest).")] = None,
    cities: Annotated[bool, Query(description="Label the main cities.")] = True,
) -> Response:
    return _map(request, profile, date, cities, ".svg")


@router.get("/map.png", tags=["images"], summary="The same map as PNG", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def map_png(request: Request, profile: ProfileQ = "ukraine", date: str | None = None, cities: bool = True) -> Response:
    return _map(request, profile, date, cities, ".png")


def _map(request: Request, profile: str, date: str | None, cities: bool, suffix: str) -> Response:
    from ..render.maps import snapshot_map

    prof = profile_of(profile)
    day = day_of(date, "date")
    with store_of(request).open() as st:
        day = day or latest_day(st, prof)
        key = ("map", prof.id, day, cities, suffix, _catalog_state(st))
    data = _cached(request, key, _with_store(request, lambda s, out: snapshot_map(s, prof, day, out, cities=cities)),
                   suffix)
    return _reply(data, suffix, f"whoholds-map-{prof.id}-{day}{suffix}")


@router.get("/timeline.svg", tags=["images"], summary="Timeline chart (render's timeline_chart)",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def timeline_svg(
    request: Request,
    profile: ProfileQ = "ukraine",
    start: Annotated[str | None, Query(alias="from", description="First date YYYY-MM-DD.")] = None,
    end: Annotated[str | None, Query(alias="to", description="Last date YYYY-MM-DD.")] = None,
    every: Annotated[str, Query(description="snapshot, day, week or month.")] = "snapshot",
    by: ByQ = "actor",
    exclude_suspect: bool = False,
    fmt: Annotated[str, Query(alias="format", description="svg or png.")] = "svg",
) -> Response:
    from ..render.charts import timeline_chart

    suffix = _image_suffix(fmt)
    with store_of(request).open() as st:
        state = _catalog_state(st)
    result, prof = run_timeline(request, profile, start, end, every, by, exclude_suspect)
    frame = result.frame
    sources = "; ".join(dict.fromkeys(PurePath(str(s)).name for s in frame["source"]))
    if len(sources) > 300:
        sources = f"{frame['source'].nunique()} files, e.g. {PurePath(str(frame['source'].iloc[-1])).name}"
    title = f"{prof.name}: timeline by {by} ({every})"
    key = ("timeline", prof.id, start, end, every, by, exclude_suspect, suffix, state)
    data = _cached(request, key, lambda out: timeline_chart(frame, prof, out, title=title, source=sources,
                                                   method=f"{result.method}; {result.convention}"), suffix)
    return _reply(data, suffix)


@router.get("/report.html", tags=["images"], summary="One self-contained HTML report of a period",
            response_class=Response, responses={200: {"content": {"text/html": {}}}})
def report_html(
    request: Request,
    start: Annotated[str, Query(alias="from", description="Start of the period YYYY-MM-DD.")],
    end: Annotated[str, Query(alias="to", description="End of the period YYYY-MM-DD.")],
    profile: ProfileQ = "ukraine",
    by: Annotated[str, Query(description="actor or coalition.")] = "actor",
    every: Annotated[str, Query(description="Timeline step: day, week or month.")] = "day",
) -> Response:
    from ..render.period import period_report

    prof = profile_of(profile)
    d1, d2 = day_of(start, "from"), day_of(end, "to")
    with store_of(request).open() as st:
        key = ("report", prof.id, d1, d2, by, every, _catalog_state(st))
    data = _cached(request, key, _with_store(request, lambda s, out: period_report(s, prof, d1, d2, out, by=by,
                                                                                  every=every)), ".html")
    return _reply(data, ".html", f"whoholds-report-{prof.id}-{d1}-{d2}.html")
