"""What every route shares: the store of a request, profiles, dates, JSON-ready values, error statuses."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from fastapi import Request
from fastapi.responses import Response

from ..errors import InputError, QueryError, StoreError, WhoholdsError
from ..profiles import Profile, builtin_profiles, load_profile
from .work import Overloaded, ResponseCache, Unprocessable, store_stamp


class NotFound(QueryError):
    """Something the request names is not there (a profile): HTTP 404."""


class Busy(StoreError):
    """The catalog is locked by another process (e.g. an ingest in progress): HTTP 503 with Retry-After."""

    retry_after = 2


#: HTTP status of each user error (most specific class first). See the README of the API in ``app.py``.
STATUS: tuple[tuple[type[WhoholdsError], int], ...] = (
    (NotFound, 404),
    (Busy, 503),
    (Overloaded, 503),
    (Unprocessable, 422),
    (StoreError, 404),
    (InputError, 400),
    (QueryError, 400),
    (WhoholdsError, 400),
)


def status_of(exc: WhoholdsError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def one_line(text: object) -> str:
    return " ".join(str(text).split())


#: CLI option -> the API parameter that says the same (the rest keep their name, dashes as underscores).
_PARAMS = {"methods": "method", "store": "the server's store"}
_FLAG = re.compile(r"(?<![\w`-])--([a-z][a-z-]*)")
_DAY = re.compile(r"\bD([12])\b")


def api_words(message: str) -> str:
    """A library message in the API's words: CLI options (``--by``) become parameter names (``by``), ``D1``
    becomes ``d1``; text in backticks (a command to run) is left as it is."""
    parts = message.split("`")
    for i in range(0, len(parts), 2):
        text = _FLAG.sub(lambda m: _PARAMS.get(m.group(1), m.group(1).replace("-", "_")), parts[i])
        parts[i] = _DAY.sub(lambda m: f"d{m.group(1)}", text)
    return "`".join(parts)


# ---- the store --------------------------------------------------------------------------------------------
class StoreAccess:
    """Opens the store for one request and closes it after, so ``whoholds ingest`` can write between
    requests. Readers do not wait for one another: every request has its own DuckDB connection (connections
    of one process share the database, with its own transactions); only an ingest in another process makes
    the open fail, and that request gets 503 with Retry-After."""

    def __init__(self, path: str | Path) -> None:
        self.path = path  # a folder or a postgresql:// address (open_store and stamp_at take either)
        self.responses = ResponseCache()

    def stamp(self) -> tuple:
        return store_stamp(self.path)

    @contextmanager
    def open(self) -> Iterator[Any]:
        from ..store_base import open_store

        try:
            store = open_store(self.path, create=False)
        except StoreError as exc:
            if exc.problem.startswith("cannot open catalog"):
                raise Busy(exc.source, "the store is busy (another process is writing it); try again "
                                       "in a moment") from None
            raise
        try:
            yield store
        finally:
            store.close()


def store_of(request: Request) -> StoreAccess:
    return request.app.state.store


def _finish(data: Any) -> bytes:
    if isinstance(data, dict | list):
        return json.dumps(jsonable(data), ensure_ascii=False, separators=(",", ":")).encode()
    return data


def _reply(hit: tuple[bytes, str], headers: dict[str, str] | None, fresh: bool) -> Response:
    head = {"Cache-Control": "no-cache", "X-Whoholds-Cache": "miss" if fresh else "hit", **(headers or {})}
    return Response(content=hit[0], media_type=hit[1], headers=head)


def cached(request: Request, key: tuple, compute: Any, media_type: str = "application/json",
           heavy: bool = True, headers: dict[str, str] | None = None) -> Response:
    """The finished response for ``key`` under the store's current state, computing it at most once
    (``heavy``: in the bounded heavy pool, with its time budget). For sync routes (run in a thread)."""
    access = store_of(request)
    full_key = (*key, access.stamp())
    hit = access.responses.get(full_key)
    fresh = hit is None
    if hit is None:
        data = _finish(request.app.state.heavy.run(compute) if heavy else compute())
        hit = (data, media_type)
        access.responses.put(full_key, *hit)
    return _reply(hit, headers, fresh)


async def acached(request: Request, key: tuple, compute: Any, media_type: str = "application/json",
                  heavy: bool = True, headers: dict[str, str] | None = None) -> Response:
    """:func:`cached` for async routes: a hit is answered on the event loop at once (no thread hop, which
    is most of a warm request's cost under concurrency); a miss computes in a worker thread."""
    from starlette.concurrency import run_in_threadpool

    access = store_of(request)
    full_key = (*key, access.stamp())
    hit = access.responses.get(full_key)
    fresh = hit is None
    if hit is None:
        runner = request.app.state.heavy
        data = await run_in_threadpool(lambda: _finish(runner.run(compute) if heavy else compute()))
        hit = (data, media_type)
        access.responses.put(full_key, *hit)
    return _reply(hit, headers, fresh)


# ---- parameters -----------------------------------------------------------------------------------------
def profile_of(name: str | None) -> Profile:
    """A built-in profile (the web API does not read profile files from the server's disk)."""
    key = (name or "").strip().lower()
    if key not in builtin_profiles():
        raise NotFound(f"profile {name!r}", f"unknown (built-in profiles: {', '.join(builtin_profiles())})")
    return load_profile(key)


def day_of(value: str | None, what: str) -> dt.date | None:
    """``YYYY-MM-DD`` or None; anything else is a one-line QueryError naming the parameter."""
    if value is None or not str(value).strip():
        return None
    from ..metrics.changes import parse_date

    return parse_date(value, what)


def latest_day(store: Any, profile: Profile) -> dt.date:
    dates = store.dates(profile.id)
    if not dates:
        raise StoreError(store.path, f"the store has no {profile.id} snapshots; run `whoholds ingest ... "
                                     f"--profile {profile.id}` first")
    return dates[-1]


# ---- JSON -------------------------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """Plain JSON values: ISO dates, NaN/inf -> null, numpy -> Python, frames -> lists of records."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.DataFrame):
        from ..io.writers import frame_records

        return frame_records(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | Decimal):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, pd.Timestamp | dt.datetime):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray | pd.Series | pd.Index):
        return [jsonable(v) for v in value]
    return value if isinstance(value, str) else str(value)


def boundary_info(profile: Profile) -> dict[str, Any]:
    from ..geometry.boundary import load_boundary

    b = load_boundary(profile)
    return {"id": b.id, "name": b.name, "area_km2": b.area_km2, "note": b.note, "source": str(b.source)}
