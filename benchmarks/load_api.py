"""Load test of the web API (issues 11 and 15): `python benchmarks/load_api.py [--requests 2000 --concurrency 8]`.

Starts `whoholds serve` on 127.0.0.1 (only; a free port) over a store (``--store``, or a temporary one built from
``--snapshots`` monthly raw-feed files), warms it, then sends a bounded number of requests (each phase also
stops after ``--max-seconds``) at the given concurrency and prints p50/p95/max latency and errors:

* warm ``GET /api/shares?date=D`` (target p95 <= 50 ms) and ``POST /api/check`` (target p95 <= 300 ms), over
  every snapshot date and a set of claims written for this benchmark;
* the same again with one hostile slow claim in parallel (a long digit run: a slow read for quantulum3), sent
  again as soon as it is answered -- its own latency and status are printed too;
* the first (cold) check of each distinct claim, for reference.

"Warm" means the server has answered the same request before under the same store state: the response comes
from its cache (keyed by request and store state), so these figures measure the server, not the engine.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, emit  # noqa: E402

HOST = "127.0.0.1"  # never anything else
SRC = Path(__file__).resolve().parents[1] / "src"
CLAIMS = [
    "Russia controls about 19% of Ukraine",
    "Russian forces occupy roughly 18 percent of Ukrainian territory",
    "Ukraine holds more than 80% of its territory",
    "Russia occupies about 113,000 square kilometres of Ukraine",
    "Russia has captured around 500 km2 in the past month",
    "Moscow controls nearly a fifth of Ukraine",
    "Ukraine controls 75% of the country",
    "Russia holds 20% of Ukraine",
]
HOSTILE = "Russia took " + "7" * 260 + " square kilometres of Ukraine"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def build_store(snapshots: int, folder: Path) -> Path:
    from whoholds.ingest import ingest
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    files = sorted((DATA / "ukraine" / "deepstate_raw_feed_monthly").glob("*.geojson.gz"))[-snapshots:]
    path = folder / "store"
    with Store(path) as st:
        report = ingest(files, load_profile("ukraine"), st, workers=1)
    if not report.ok:
        raise SystemExit("could not build the benchmark store")
    return path


def start_server(store: Path, port: int, claim_seconds: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "whoholds", "serve", "--store", str(store), "--host", HOST,
                             "--port", str(port), "--claim-seconds", str(claim_seconds)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/profiles", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


class LightClient:
    """A keep-alive HTTP/1.1 client on the standard library's http.client: each request costs the load
    generator a fraction of what httpx costs, and on a 2-core machine the generator's CPU is taken from the
    server it measures. ``get``/``post`` return an object with ``status_code``, as httpx does."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        import http.client
        from urllib.parse import urlsplit

        url = urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)

    def _send(self, method: str, path: str, body: bytes | None = None) -> Any:
        import http.client

        headers = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in (1, 2):  # the server closes idle keep-alive connections: reconnect once
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                resp.read()
                resp.status_code = resp.status
                return resp
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str, params: dict | None = None) -> Any:
        from urllib.parse import urlencode

        return self._send("GET", path + (f"?{urlencode(params)}" if params else ""))

    def post(self, path: str, json: Any = None) -> Any:
        import json as _json

        return self._send("POST", path, _json.dumps(json).encode())

    def __enter__(self) -> LightClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def run_phase(base: str, make_request, n: int, concurrency: int, max_seconds: float, light: bool = False) -> dict:
    import httpx

    lat: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(n))
    stop_at = time.perf_counter() + max_seconds

    def worker() -> None:
        with (LightClient(base) if light else httpx.Client(base_url=base, timeout=60)) as client:
            while time.perf_counter() < stop_at:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t0 = time.perf_counter()
                try:
                    status = make_request(client, i).status_code
                except (httpx.HTTPError, OSError) as exc:
                    status = type(exc).__name__
                dt = time.perf_counter() - t0
                with lock:
                    if status == 200:
                        lat.append(dt)
                    else:
                        errors[str(status)] = errors.get(str(status), 0) + 1

    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    arr = np.array(lat) * 1000 if lat else np.array([np.nan])
    return {"n": len(lat), "p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "max": float(arr.max()), "errors": errors}


class Hostile:
    """One hostile slow claim at a time, resent as soon as it is answered, until stopped."""

    def __init__(self, base: str) -> None:
        self.base, self.stop, self.results = base, threading.Event(), []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self.stop.is_set():
                t0 = time.perf_counter()
                try:
                    status = client.post("/api/check", json={"text": HOSTILE, "date": "2025-08-01"}).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                self.results.append((status, time.perf_counter() - t0))

    def __enter__(self) -> Hostile:
        self.thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(180)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="an existing store (default: a temporary one)")
    ap.add_argument("--snapshots", type=int, default=12, help="monthly snapshots in the temporary store")
    ap.add_argument("--requests", type=int, default=2000, help="requests per phase (at most 20000)")
    ap.add_argument("--concurrency", type=int, default=8, help="parallel clients (at most 64)")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="time limit per phase")
    ap.add_argument("--claim-seconds", type=float, default=5.0, help="the server's claim-reading budget")
    ap.add_argument("--rows", help="append summary rows (JSON lines) for benchmarks/run.py here")
    ap.add_argument("--client", choices=("light", "httpx"), default="light",
                    help="load generator: keep-alive http.client (light: little CPU taken from the server on a "
                         "small machine) or httpx")
    args = ap.parse_args()
    n, conc = min(args.requests, 20000), max(1, min(args.concurrency, 64))
    import httpx

    with tempfile.TemporaryDirectory(prefix="whoholds-load-") as tmp:
        store = args.store or build_store(args.snapshots, Path(tmp))
        port = free_port()
        server = start_server(store, port, args.claim_seconds)
        base = f"http://{HOST}:{port}"
        try:
            dates = httpx.get(base + "/api/calendar").json()["dates"]
            day = dates[-1]
            cold = []
            for text in CLAIMS:  # first checks: computed, then cached
                t0 = time.perf_counter()
                httpx.post(base + "/api/check", json={"text": text, "date": day}, timeout=120)
                cold.append((time.perf_counter() - t0) * 1000)
            for d in dates:
                httpx.get(base + "/api/shares", params={"date": d}, timeout=120)

            def shares(c, i):
                return c.get("/api/shares", params={"date": dates[i % len(dates)]})

            def check(c, i):
                return c.post("/api/check", json={"text": CLAIMS[i % len(CLAIMS)], "date": day})

            def floor(c, i):
                return c.get("/static/style.css")

            light = args.client == "light"
            rows = [("GET static file", "floor (baseline)", None,
                     run_phase(base, floor, n, conc, args.max_seconds, light))]
            for label, req, target in (("GET /api/shares", shares, 50), ("POST /api/check", check, 300)):
                rows.append((label, "alone", target, run_phase(base, req, n, conc, args.max_seconds, light)))
            hostile_runs = []
            for label, req, target in (("GET /api/shares", shares, 50), ("POST /api/check", check, 300)):
                with Hostile(base) as h:
                    rows.append((label, "+ hostile claim", target,
                                 run_phase(base, req, n, conc, args.max_seconds, light)))
                hostile_runs += h.results
        finally:
            server.terminate()
            server.wait(30)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nweb API load: {n} requests per phase, concurrency {conc}, 127.0.0.1, {args.client} client, "
          f"{len(dates)} snapshots; "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end")
    print(f"{'request':18} {'phase':16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95 target':>11}  errors")
    for label, phase, target, r in rows:
        goal = "" if target is None else f"<= {target} " + ("ok" if r["p95"] <= target else "MISSED")
        print(f"{label:18} {phase:16} {r['n']:6d} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {goal:>11}  "
              f"{r['errors'] or 0}")
    floor = rows[0][3]
    for label, phase, target, r in rows[1:]:
        emit(args.rows, f"web API {label} p95, warm, {phase} (concurrency {conc}, {r['n']} requests, "
                        f"{args.client} client)",
             f"{r['p95']:.1f} ms", f"static file p95 {floor['p95']:.1f} ms",
             f"{r['p95'] / floor['p95']:.1f}× a static file",
             f"≤ {target} ms", r["p95"] <= target and not r["errors"])
    print(f"cold first checks of {len(CLAIMS)} claims: median {np.median(cold):.0f} ms, max {max(cold):.0f} ms")
    if hostile_runs:
        statuses = sorted({str(s) for s, _ in hostile_runs})
        secs = [t for _, t in hostile_runs]
        print(f"hostile claim: {len(hostile_runs)} sent, status {', '.join(statuses)}, "
              f"{min(secs):.1f}-{max(secs):.1f} s each (budget {args.claim_seconds:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
