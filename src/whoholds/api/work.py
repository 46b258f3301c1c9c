"""Keeping one slow request from freezing the others.

* :class:`ClaimReaders` -- reading claim text (regular expressions, quantulum3) runs in a few worker
  *processes*, each task with a time budget. Pure-Python parsing holds the GIL, so a thread could not be
  stopped and would slow every other request; a worker process that overruns is killed and replaced, and the
  request gets 422 (the text was too costly to read). When every worker is busy for longer than the wait
  budget the request gets 503 with Retry-After.
* :class:`HeavyRunner` -- geometry work that needs the store (layers, changes, exports, drawings) runs in a
  small bounded thread pool (Shapely releases the GIL) with a time budget: past it the request gets 503 with
  Retry-After while the work finishes in the background and fills the response cache, so a retry is served.
* :class:`ResponseCache` -- finished responses keyed by the request and the store's state (the catalog
  files' size and time, the snapshot folder's time), bounded in bytes: warm reads need no store at all, and a
  write (ingest, removal) invalidates every entry.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from ..errors import QueryError, StoreError


class Unprocessable(QueryError):
    """The request's own input cannot be processed: a number out of range, a text too costly to read (HTTP 422)."""


class Overloaded(StoreError):
    """Every worker is busy, or heavy work overran its budget (HTTP 503 with Retry-After)."""

    retry_after = 5


# ---- claim reading in worker processes ----------------------------------------------------------------------
def _reader_main(conn: Any, warm: bool = True) -> None:
    """A worker process: read claims until the pipe closes. Imports (and quantulum3's models) load once."""
    import datetime as dt

    from ..profiles import load_profile

    with contextlib.suppress(OSError):  # a costly text must not take the CPU from the server's own requests
        os.nice(10)
    if warm:
        from ..claims import parse_claims

        with contextlib.suppress(Exception):  # the first parse loads the unit models
            parse_claims("Russia controls 18% of Ukraine", load_profile("ukraine"), dt.date(2025, 1, 1), None)
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, payload = task
        try:
            if kind == "sleep":  # a diagnostic task: the tests and the load benchmark's stand-in for a slow text
                time.sleep(float(payload))
                conn.send(("ok", []))
                continue
            from ..claims import parse_claim, parse_claims

            text, profile_id, day, speaker = payload
            profile = load_profile(profile_id)
            claims = parse_claims(text, profile, day, speaker)
            if not claims:  # a figure with no actor/period: reported as "cannot be checked", with why
                claims = [parse_claim(text, profile, day, speaker, strict=False)]
            conn.send(("ok", claims))
        except Exception as exc:  # noqa: BLE001 - sent back; the request maps it to 4xx/500
            conn.send(("error", _portable(exc)))


def _portable(exc: Exception) -> tuple[str, str, str, str]:
    """(module, class, source, message) of an exception, rebuilt in the server by :func:`_rebuilt`."""
    from ..errors import WhoholdsError

    if isinstance(exc, WhoholdsError):
        return type(exc).__module__, type(exc).__name__, exc.source, exc.problem
    return "builtins", type(exc).__name__, "", str(exc)


def _rebuilt(module: str, name: str, source: str, message: str) -> Exception:
    import importlib

    from ..errors import QueryError, WhoholdsError

    cls = getattr(importlib.import_module(module), name, None) if module.startswith(("whoholds", "builtins")) else None
    if isinstance(cls, type) and issubclass(cls, WhoholdsError):
        try:
            return cls(source, message)
        except TypeError:
            return QueryError(source, message)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == "builtins":
        return cls(message)
    return RuntimeError(f"{name}: {message}")


class _Reader:
    def __init__(self, ctx: Any, warm: bool = True) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_reader_main, args=(child, warm), daemon=True, name="whoholds-claim-reader")
        self.proc.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.conn.poll(timeout):
            self.ready = self.conn.recv()[0] == "ready"
        return self.ready

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(2)
        with contextlib.suppress(Exception):
            self.conn.close()


class ClaimReaders:
    """``workers`` claim-reading processes (started on first use); ``budget`` seconds per text; ``warm``: load
    the parser's models when a worker starts rather than on its first claim."""

    def __init__(self, workers: int = 2, budget: float = 5.0, wait: float = 10.0, warm: bool = True) -> None:
        self.workers, self.budget, self.wait, self.warm = max(1, workers), budget, wait, warm
        self.idle: queue.Queue[_Reader] = queue.Queue()
        self.lock = threading.Lock()
        self.started = False
        self.closed = False
        self.all: list[_Reader] = []
        self.ctx = mp.get_context("spawn")  # no fork of a process that runs threads

    def start(self) -> None:
        """Start the workers now (the server does, so they warm up while the first page loads)."""
        self._start()

    def _start(self) -> None:
        with self.lock:
            if self.started:
                return
            self.started = True
            for _ in range(self.workers):
                self._spawn()

    def _spawn(self) -> None:
        if self.closed:
            return
        reader = _Reader(self.ctx, self.warm)
        self.all.append(reader)
        self.idle.put(reader)

    def _replace(self, reader: _Reader) -> None:
        reader.kill()
        with self.lock:
            if reader in self.all:
                self.all.remove(reader)
            self._spawn()

    def run(self, kind: str, payload: Any) -> Any:
        """Run one task; 422 (Unprocessable) past the budget, 503 (Overloaded) when no worker frees up in time."""
        self._start()
        try:
            reader = self.idle.get(timeout=self.wait)
        except queue.Empty:
            raise Overloaded("claim reader", "every claim reader is busy; try again in a few seconds") from None
        try:
            if not reader.wait_ready(max(self.wait, 60.0)):  # a fresh worker loads its libraries first (once)
                self.idle.put(reader)
                reader = None
                raise Overloaded("claim reader", "the claim readers are starting; try again in a few seconds")
            reader.conn.send((kind, payload))
            if not reader.conn.poll(self.budget):
                threading.Thread(target=self._replace, args=(reader,), daemon=True).start()
                reader = None
                raise Unprocessable("text", f"reading this claim took longer than {self.budget:g} s; shorten it or "
                                      "split it into sentences")
            status, value = reader.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            threading.Thread(target=self._replace, args=(reader,), daemon=True).start()
            reader = None
            raise Overloaded("claim reader", "a claim reader stopped; try again") from None
        finally:
            if reader is not None:
                self.idle.put(reader)
        if status == "error":
            raise _rebuilt(*value)
        return value

    def close(self) -> None:
        self.closed = True
        for reader in list(self.all):
            with contextlib.suppress(Exception):
                reader.conn.send(None)
            reader.kill()
        self.all.clear()


# ---- geometry work in a bounded thread pool -----------------------------------------------------------------
class HeavyRunner:
    """At most ``workers`` heavy computations at once, ``budget`` seconds each before the request gets 503."""

    def __init__(self, workers: int = 2, budget: float = 60.0, queue_limit: int = 8) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="whoholds-heavy")
        self.budget, self.queue_limit = budget, queue_limit
        self.pending = 0
        self.lock = threading.Lock()

    def run(self, func: Callable[[], Any]) -> Any:
        with self.lock:
            if self.pending >= self.queue_limit:
                raise Overloaded("server", "too many map computations are queued; try again in a few seconds")
            self.pending += 1
        future = self.pool.submit(func)
        future.add_done_callback(lambda _f: self._done())
        try:
            return future.result(timeout=self.budget)
        except FutureTimeout:
            raise Overloaded("server", f"this computation takes longer than {self.budget:g} s; it goes on in "
                                       "the background, try again in a moment") from None

    def _done(self) -> None:
        with self.lock:
            self.pending -= 1

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


# ---- finished responses ---------------------------------------------------------------------------------------
def store_stamp(path: str | Path) -> tuple:
    """What changes whenever the store is written (see :func:`whoholds.store_base.stamp_at`)."""
    from ..store_base import stamp_at

    return stamp_at(path)


class ResponseCache:
    """Least-recently-used finished responses (bytes + media type), at most ``max_bytes`` in all."""

    def __init__(self, max_bytes: int = 256 * 2**20) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: tuple, data: bytes, media_type: str) -> None:
        if len(data) > self.max_bytes // 4:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self.items[key] = (data, media_type)
            self.size += len(data)
            while self.size > self.max_bytes and self.items:
                _, (gone, _t) = self.items.popitem(last=False)
                self.size -= len(gone)
