"""Benchmark: the area walk of a whole archive on a dask.distributed LocalCluster, 1 vs 2 workers (strong scaling).

1. The archive is ingested once into a temporary store without areas (not part of the comparison).
2. Baseline, same run: the single-process engine (``whoholds.ingest.refresh_areas``: the first snapshot whole,
   every next one where its edges differ) fills the cache of areas and consecutive transfers.
3. ``whoholds.scale.dask_areas(..., rebuild=True)`` on a LocalCluster of 1 and then 2 worker processes (one
   thread each): the same cache, computed in date ranges stitched at their edges. Cluster start-up is timed
   apart. The figures are checked against the baseline's (max |difference| in km²).
4. The projection for docs/scale.md: core-seconds per snapshot, stored bytes per snapshot, and what 10 wars x
   10 years of daily maps need (snapshots, bytes, core-hours, workers for a one-hour rebuild).

Run: ``python benchmarks/bench_dask.py [--raw] [--ranges N]`` (``--raw``: the raw DeepStateMap feed, 1,359
snapshots of three states, instead of the 769 daily occupied-area maps). On a shared machine the timings
are as noisy as its load; the ratios are measured in one run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from common import DATA, measured  # noqa: E402

DAILY = DATA / "ukraine" / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"
RAW = DATA / "ukraine" / "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz"
WARS, YEARS = 10, 10


def _cpu_seconds() -> float:
    """CPU time of this (worker) process so far."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def cache(store) -> tuple[list, list]:
    areas = store.con.execute("SELECT snapshot_id, state, area_km2 FROM areas ORDER BY ALL").fetchall()
    transfers = store.con.execute("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers "
                                  "ORDER BY ALL").fetchall()
    return areas, transfers


def max_diff(got: tuple[list, list], want: tuple[list, list]) -> float:
    worst = 0.0
    for g, w in zip(got, want, strict=True):
        if len(g) != len(w):
            return float("inf")
        for a, b in zip(g, w, strict=True):
            if a[:-1] != b[:-1]:
                return float("inf")
            worst = max(worst, abs(a[-1] - b[-1]))
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", action="store_true", help="the raw feed (1,359 snapshots) instead of the daily maps")
    parser.add_argument("--ranges", type=int, default=None, help="date-range tasks (default 4 per worker)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per cluster size (the best is kept)")
    args = parser.parse_args()

    from whoholds.ingest import ingest, refresh_areas
    from whoholds.profiles import load_profile
    from whoholds.scale import dask_areas, open_scheduler

    profile = load_profile("ukraine")
    source, unlabelled = (RAW, None) if args.raw else (DAILY, "occupied")
    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        from whoholds.store import Store

        store = Store(tmp / "store")
        print(f"archive: {source.name}", flush=True)
        cpu = time.process_time()
        with measured("ingest without areas, one process (for the projection)"):
            report = ingest([source], profile, store, workers=1, unlabelled_state=unlabelled, update_areas=False)
        ingest_cpu = time.process_time() - cpu
        print(f"    {ingest_cpu:.2f} CPU s", flush=True)
        n = len(store.current(profile.id))
        stored = sum(p.stat().st_size for p in store.files.glob("*.parquet"))
        print(f"  {n} snapshots, {stored / 2**20:.1f} MB of GeoParquet ({stored / n / 1024:.0f} KB each), "
              f"{report.count('new')} new", flush=True)

        cpu = time.process_time()
        with measured("baseline: single-process walk (refresh_areas)") as base:
            refresh_areas(store, profile)
        base_cpu = time.process_time() - cpu
        print(f"    {base_cpu:.2f} CPU s", flush=True)
        want = cache(store)

        timings: dict[int, float] = {}
        for workers in (1, 2):
            started = time.perf_counter()
            with open_scheduler(None, workers) as client:
                client.run(lambda: None)  # every worker is up
                print(f"  LocalCluster of {workers} worker(s) up in {time.perf_counter() - started:.2f} s", flush=True)
                best = float("inf")
                for attempt in range(args.repeat):
                    before = sum(client.run(_cpu_seconds).values())
                    with measured(f"dask_areas on {workers} worker(s), cold cache, run {attempt + 1}") as run:
                        done = dask_areas(store, profile, client, ranges=args.ranges, rebuild=True)
                    used = sum(client.run(_cpu_seconds).values()) - before
                    best = min(best, run.seconds)
                    print(f"    {done.pairs} pairs in {done.ranges} date ranges, {used:.2f} CPU s on the workers; "
                          f"max |diff| vs baseline: {max_diff(cache(store), want):.2e} km²", flush=True)
            timings[workers] = best

        t0, t1, t2 = base.seconds, timings[1], timings[2]
        print(f"\nstrong scaling (best of {args.repeat}): 1 worker {t1:.2f} s, 2 workers {t2:.2f} s -> speed-up "
              f"{t1 / t2:.2f}x, efficiency {t1 / (2 * t2):.0%}; 1 worker / single process: {t1 / t0:.2f}")

        # CPU seconds per snapshot of one process (robust to the load of a shared machine): reading the maps
        # and writing the store, then the area walk
        read_cpu, walk_cpu = ingest_cpu / n, base_cpu / n
        snapshots = WARS * YEARS * 365.25
        efficiency = min(1.0, t1 / (2 * t2))
        core_hours = snapshots * (read_cpu + walk_cpu) / 3600
        print(f"\nprojection, {WARS} wars x {YEARS} years of daily maps like these:")
        print(f"  snapshots: {snapshots:,.0f}")
        print(f"  stored: {snapshots * stored / n / 2**30:.2f} GB of GeoParquet ({stored / n / 1024:.0f} KB each)")
        print(f"  core-hours for a full rebuild (read + store + area cache): {core_hours:.2f} = {snapshots:,.0f} x "
              f"({read_cpu * 1000:.1f} + {walk_cpu * 1000:.1f}) CPU ms")
        for eff in sorted({efficiency, 0.8}):
            print(f"  workers for a one-hour rebuild at {eff:.0%} parallel efficiency: "
                  f"{max(1, int(-(-core_hours // eff)))}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    t = time.perf_counter()
    code = main()
    print(f"(total {time.perf_counter() - t:.0f} s)")
    sys.exit(code)
