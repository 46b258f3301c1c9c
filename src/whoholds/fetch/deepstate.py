"""Download the DeepStateMap feed (deepstatemap.live) into a folder that ``whoholds ingest`` reads as is.

The public API of deepstatemap.live::

    GET /api/history/last            {"id": <unix ts>, "createdAt": ..., "map": <GeoJSON FeatureCollection>, ...}
    GET /api/history/public          [{"id": <unix ts>, "createdAt": "2022-04-03T12:33:28.000Z", ...}, ...]
    GET /api/history/<id>/geojson    <GeoJSON FeatureCollection> of that snapshot

Every snapshot is saved as ``deepstate_<unix ts>.geojson`` (the id is the snapshot's unix time), so the
reader takes the date and time from the name -- ``whoholds ingest FOLDER --profile ukraine`` needs no
``--date``. A snapshot served by ``/geojson`` is saved byte for byte, so its content hash (and snapshot id)
equals that of the same snapshot taken from an archive of the raw feed; the ``map`` of ``/last`` is written
back out as compact JSON. Files are written atomically; a file already in the folder is not fetched again.

Every failure (host unreachable, HTTP error, a reply that is not the API's JSON, no snapshot in a range,
a folder that cannot be written) is one :class:`~whoholds.errors.InputError` line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from .. import __version__
from ..errors import InputError

__all__ = [
    "BASE_URL",
    "HistoryEntry",
    "fetch_deepstate",
    "fetch_deepstate_range",
    "history",
    "snapshot_name",
]

BASE_URL = "https://deepstatemap.live/api/history"
USER_AGENT = f"whoholds/{__version__} (territorial-control research tool)"
TIMEOUT = httpx.Timeout(60.0, connect=15.0)
_UNIX_MIN = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
_UNIX_MAX = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp())


@dataclass(frozen=True)
class HistoryEntry:
    """One snapshot of the feed's history: its id (the unix time) and its UTC time."""

    id: int | str
    time: dt.datetime

    @property
    def ts(self) -> int:
        """Unix seconds of the snapshot: the id when it is one, else the time."""
        ts = _as_ts(self.id)
        return ts if ts is not None else int(self.time.timestamp())

    @property
    def name(self) -> str:
        return snapshot_name(self.ts)


def snapshot_name(ts: int) -> str:
    """``deepstate_<unix ts>.geojson``: the reader takes the snapshot's date and time from it."""
    return f"deepstate_{int(ts)}.geojson"


# ---- HTTP ------------------------------------------------------------------------------------------------
@contextmanager
def _client(client: httpx.Client | None) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
        return
    with httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True) as own:
        yield own


def _get(client: httpx.Client, url: str) -> bytes:
    try:
        reply = client.get(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    except httpx.DecodingError:
        raise InputError(url, "unreadable reply (its compression is broken)") from None
    except httpx.TimeoutException:
        raise InputError(url, "no answer from deepstatemap.live (timed out); try again later") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot reach deepstatemap.live ({type(exc).__name__}: "
                              f"{_one_line(str(exc)) or 'no detail'})") from None
    if reply.status_code == 404:
        raise InputError(url, "HTTP 404: no such snapshot or API path on deepstatemap.live")
    if reply.status_code >= 400:
        raise InputError(url, f"HTTP {reply.status_code} {reply.reason_phrase}".rstrip())
    return reply.content


def _json(url: str, body: bytes) -> Any:
    if not body.strip():
        raise InputError(url, "empty reply from deepstatemap.live")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        head = _one_line(body[:60].decode("utf-8", "replace"))
        raise InputError(url, f"the reply is not JSON (starts with {head!r})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _feature_collection(url: str, doc: Any, what: str = "the reply") -> dict:
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        raise InputError(url, f"{what} is not a GeoJSON FeatureCollection")
    if not doc["features"]:
        raise InputError(url, f"{what} holds no features")
    return doc


# ---- ids and times ---------------------------------------------------------------------------------------
def _as_ts(value: Any) -> int | None:
    try:
        ts = int(value)
    except (TypeError, ValueError):
        return None
    if ts >= 1000 * _UNIX_MIN:  # milliseconds
        ts //= 1000
    return ts if _UNIX_MIN <= ts < _UNIX_MAX else None


def _iso_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        t = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


def _entry(url: str, item: Any) -> HistoryEntry:
    """The id and time of one history item; the time is the id (unix seconds) or else ``createdAt``."""
    if not isinstance(item, dict) or "id" not in item:
        raise InputError(url, "a history entry has no 'id'")
    ts = _as_ts(item["id"])
    when = dt.datetime.fromtimestamp(ts, tz=dt.UTC) if ts is not None else _iso_time(item.get("createdAt"))
    if when is None:
        raise InputError(url, f"history entry {item['id']!r}: neither the id nor 'createdAt' is a time")
    raw = item["id"]
    return HistoryEntry(int(raw) if isinstance(raw, int) or str(raw).isdigit() else str(raw), when)


def _moment(when: dt.date | dt.datetime, what: str, end_of_day: bool) -> dt.datetime:
    if isinstance(when, dt.datetime):
        return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    if isinstance(when, dt.date):
        t = dt.time(23, 59, 59) if end_of_day else dt.time(0, 0)
        return dt.datetime.combine(when, t, tzinfo=dt.UTC)
    raise InputError(what, f"{when!r} is not a date or a datetime")


def history(*, client: httpx.Client | None = None, base_url: str = BASE_URL) -> list[HistoryEntry]:
    """Every snapshot the feed lists (``/api/history/public``), oldest first."""
    url = f"{base_url.rstrip('/')}/public"
    with _client(client) as http:
        doc = _json(url, _get(http, url))
    if isinstance(doc, dict):  # tolerate {"data": [...]} / {"items": [...]}
        doc = next((v for v in doc.values() if isinstance(v, list)), None)
    if not isinstance(doc, list):
        raise InputError(url, "the history is not a list of snapshots")
    if not doc:
        raise InputError(url, "the history lists no snapshots")
    return sorted((_entry(url, item) for item in doc), key=lambda e: e.time)


# ---- saving ----------------------------------------------------------------------------------------------
def _folder(out_folder: str | Path) -> Path:
    out = Path(out_folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out, f"cannot create the folder ({exc.strerror or type(exc).__name__})") from None
    if not out.is_dir():
        raise InputError(out, "is not a folder")
    return out


def _save(path: Path, data: bytes) -> Path:
    from ..io.writers import write_bytes_atomic

    try:
        return write_bytes_atomic(path, data)
    except OSError as exc:
        raise InputError(path, f"cannot write ({exc.strerror or type(exc).__name__})") from None


def _fetch_one(http: httpx.Client, base: str, entry: HistoryEntry, out: Path) -> Path:
    path = out / entry.name
    if path.exists() and path.stat().st_size > 0:
        return path
    url = f"{base}/{entry.id}/geojson"
    body = _get(http, url)
    doc = _json(url, body)
    if isinstance(doc, dict) and isinstance(doc.get("map"), dict):  # some deployments wrap it like /last
        body = json.dumps(_feature_collection(url, doc["map"], "the snapshot's 'map'"), ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
    else:
        _feature_collection(url, doc, "the snapshot")
    return _save(path, body)


def fetch_deepstate(
    out_folder: str | Path,
    *,
    when: Literal["latest"] | dt.date | dt.datetime | None = "latest",
    client: httpx.Client | None = None,
    base_url: str = BASE_URL,
) -> Path:
    """Download one DeepStateMap snapshot into ``out_folder`` and return the file's path.

    ``when``: ``"latest"`` or None -- the current map (``/api/history/last``); a datetime -- the last snapshot
    published at or before it (UTC if naive); a date -- the last snapshot of that day (UTC).
    ``client``: an ``httpx.Client`` to use (tests pass one with a mock transport).
    """
    out = _folder(out_folder)
    base = base_url.rstrip("/")
    with _client(client) as http:
        if when is None or (isinstance(when, str) and when.strip().lower() == "latest"):
            url = f"{base}/last"
            doc = _json(url, _get(http, url))
            if not isinstance(doc, dict):
                raise InputError(url, "the reply is not the API's JSON object (id, map)")
            fc = _feature_collection(url, doc.get("map"), "its 'map'")
            path = out / _entry(url, doc).name
            data = json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            return _save(path, data)
        if isinstance(when, str):
            raise InputError("when", f"{when!r}: use 'latest', a date or a datetime")
        moment = _moment(when, "when", end_of_day=True)
        entries = history(client=http, base_url=base)
        before = [e for e in entries if e.time <= moment]
        if not before:
            raise InputError(f"{base}/public", f"no snapshot at or before {moment:%Y-%m-%d %H:%M} UTC; the history "
                                               f"starts at {entries[0].time:%Y-%m-%d %H:%M} UTC")
        return _fetch_one(http, base, before[-1], out)


def fetch_deepstate_range(
    out_folder: str | Path,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    *,
    every: Literal["snapshot", "day"] = "snapshot",
    client: httpx.Client | None = None,
    base_url: str = BASE_URL,
    pause: float = 0.5,
    progress: Callable[[HistoryEntry, Path], None] | None = None,
) -> list[Path]:
    """Backfill the history: every snapshot from ``start`` to ``end`` (dates are whole UTC days, inclusive).

    ``every="day"`` keeps only the last snapshot of each day. Files already in the folder are skipped, so an
    interrupted backfill resumes where it stopped. ``pause`` seconds between downloads keep the load on the
    volunteers' server low. Returns the paths, oldest first.
    """
    if every not in ("snapshot", "day"):
        raise InputError("--every", f"{every!r}: use snapshot or day")
    lo, hi = _moment(start, "--from", end_of_day=False), _moment(end, "--to", end_of_day=True)
    if hi < lo:
        raise InputError("--to", f"{hi:%Y-%m-%d} is before --from {lo:%Y-%m-%d}; give the earlier date first")
    out = _folder(out_folder)
    base = base_url.rstrip("/")
    paths: list[Path] = []
    with _client(client) as http:
        entries = history(client=http, base_url=base)
        chosen = [e for e in entries if lo <= e.time <= hi]
        if every == "day":
            chosen = list({e.time.date(): e for e in chosen}.values())
        if not chosen:
            raise InputError(f"{base}/public", f"no snapshot between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}; the history "
                                               f"runs from {entries[0].time:%Y-%m-%d} to {entries[-1].time:%Y-%m-%d}")
        for i, entry in enumerate(chosen):
            fresh = not (out / entry.name).exists()
            path = _fetch_one(http, base, entry, out)
            paths.append(path)
            if progress:
                progress(entry, path)
            if fresh and pause > 0 and i < len(chosen) - 1:
                time.sleep(pause)
    return paths


def parse_when(value: str) -> dt.date | dt.datetime:
    """``YYYY-MM-DD`` (a whole UTC day) or ``YYYY-MM-DDTHH:MM[:SS]`` (UTC unless an offset is given)."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            return dt.date.fromisoformat(text)
        return _moment(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), "", end_of_day=False)
    except ValueError:
        raise InputError(value, "not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
