"""Benchmark: whoholds' full timeline (areas, gross gains, losses) against the naive way, in the same run.

1. The naive baseline (``naive_timeline.py``) on DeepStateMap's 769 daily occupied-area snapshots.
2. ``whoholds ingest`` of the same file into a temporary store (timed separately: ingest also fills the
   store's cache of areas and transfers between consecutive snapshots).
3. ``whoholds.metrics.timeline.timeline`` over the whole archive, every snapshot, with gains and losses:
   "after ingest" (the cache as ingest left it) and "cold" (cache emptied first, so every pair is overlaid
   again, with 1 and with 2 worker processes).
4. The same for the raw DeepStateMap feed (1,359 snapshots, three states), unless ``--skip-raw``.

Each measurement runs in a fresh Python process so that its peak RSS is its own; wall times are taken
around the call (imports excluded). The figures are compared day by day with the baseline.

Run: ``python benchmarks/bench_timeline.py [--skip-raw] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data" / "ukraine"
DAILY = DATA / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"
RAW = DATA / "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz"


def _rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


# ---- child processes ----------------------------------------------------------------------------------------
def child_naive(out: str) -> dict:
    sys.path.insert(0, str(HERE))
    from naive_timeline import load_boundary, load_daily, naive_timeline

    t0 = time.perf_counter()
    days = load_daily(DAILY)
    boundary = load_boundary()
    t1 = time.perf_counter()
    frame = naive_timeline(days, boundary)
    t2 = time.perf_counter()
    frame.to_parquet(out)
    return {"read_s": t1 - t0, "compute_s": t2 - t1, "n": len(frame), "rss_mb": _rss_mb()[0]}


def child_ingest(store: str, path: str, unlabelled: str | None) -> dict:
    from whoholds import load_profile
    from whoholds.ingest import ingest
    from whoholds.store import Store

    st = Store(store)
    t0 = time.perf_counter()
    report = ingest([path], load_profile("ukraine"), st, unlabelled_state=unlabelled)
    wall = time.perf_counter() - t0
    own, kids = _rss_mb()
    return {"wall_s": wall, "n": len(report.results), "errors": len(report.errors), "rss_mb": own,
            "workers_rss_mb": kids}


def child_timeline(store: str, out: str, workers: int, cold: bool) -> dict:
    from whoholds import load_profile
    from whoholds.metrics.timeline import timeline
    from whoholds.store import Store

    st = Store(store)
    if cold:
        st.con.execute("DELETE FROM areas")
        st.con.execute("DELETE FROM transfers")
    prof = load_profile("ukraine")
    t0 = time.perf_counter()
    result = timeline(st, prof, every="snapshot", by="state", workers=workers)
    wall = time.perf_counter() - t0
    own, kids = _rss_mb()
    frame = result.frame.drop(columns=["method"])
    frame.to_parquet(out)
    return {"wall_s": wall, "rows": len(frame), "snapshots": int(frame["snapshot_id"].nunique()), "rss_mb": own,
            "workers_rss_mb": kids, "gaps": len(result.gaps), "suspects": len(result.suspects)}


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the report ---------------------------------------------------------------------------------------------
def compare(naive_path: Path, whoholds_path: Path) -> dict:
    import numpy as np
    import pandas as pd

    nv = pd.read_parquet(naive_path)
    wf = pd.read_parquet(whoholds_path)
    occ = wf[wf["group"] == "occupied"].copy()
    occ["date"] = occ["date"].astype(str)
    m = nv.merge(occ, on="date", suffixes=("_naive", ""))
    out = {"days_compared": len(m)}
    for label, a, b in (("area", "area_km2", "occupied_km2"), ("gains", "gains_km2", "gains_km2_naive"),
                        ("losses", "losses_km2", "losses_km2_naive"), ("net", "net_km2", "net_km2_naive")):
        d = (m[a] - m[b]).abs().to_numpy(dtype=float)
        ok = np.isfinite(d)
        i = int(np.nanargmax(d)) if ok.any() else 0
        out[label] = (float(np.nanmax(d)) if ok.any() else float("nan"), str(m["date"].iloc[i]))
        out[label + "_median"] = float(np.nanmedian(d)) if ok.any() else float("nan")
    rel = ((m["area_km2"] - m["occupied_km2"]) / m["occupied_km2"]).abs()
    out["area_rel_max"] = float(rel.max())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="whoholds timeline vs the naive baseline")
    ap.add_argument("--skip-raw", action="store_true", help="only the daily occupied-area archive")
    ap.add_argument("--keep", type=Path, help="keep the temporary stores in this folder")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        res = {"naive": lambda: child_naive(*rest),
               "ingest": lambda: child_ingest(rest[0], rest[1], rest[2] if len(rest) > 2 else None),
               "timeline": lambda: child_timeline(rest[0], rest[1], int(rest[2]), rest[3] == "cold")}[mode]()
        print(json.dumps(res))
        return 0

    work = Path(tempfile.mkdtemp(prefix="whoholds-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; work folder {work}")
    try:
        # -- daily occupied-area archive
        print("\n== DeepStateMap daily occupied area (769 snapshots) ==")
        naive = run_child("naive", str(work / "naive.parquet"))
        print(f"naive baseline: parse {naive['read_s']:.2f} s (not counted); make_valid → project → clip → area "
              f"→ differences: {naive['compute_s']:.2f} s, peak RSS {naive['rss_mb']:.0f} MB")
        store = work / "daily-store"
        shutil.rmtree(store, ignore_errors=True)
        ing = run_child("ingest", str(store), str(DAILY), "occupied")
        print(f"whoholds ingest (reads the file, stores {ing['n']} snapshots, fills the area/transfer cache): "
              f"{ing['wall_s']:.2f} s, peak RSS {ing['rss_mb']:.0f} MB (+ workers {ing['workers_rss_mb']:.0f} MB)")
        warm = run_child("timeline", str(store), str(work / "daily-warm.parquet"), "1", "warm")
        print(f"whoholds timeline after ingest: {warm['wall_s']:.3f} s, peak RSS {warm['rss_mb']:.0f} MB, "
              f"{warm['snapshots']} snapshots, {warm['gaps']} gaps, {warm['suspects']} suspects")
        colds = {}
        for w in (1, 2):
            cold_store = work / f"daily-store-cold{w}"
            shutil.rmtree(cold_store, ignore_errors=True)
            shutil.copytree(store, cold_store)
            colds[w] = run_child("timeline", str(cold_store), str(work / f"daily-cold{w}.parquet"), str(w), "cold")
            print(f"whoholds timeline cold (cache emptied, every pair overlaid again), {w} worker"
                  f"{'s' * (w > 1)}: {colds[w]['wall_s']:.2f} s, peak RSS {colds[w]['rss_mb']:.0f} MB "
                  f"(+ workers {colds[w]['workers_rss_mb']:.0f} MB)")
        cmp = compare(work / "naive.parquet", work / "daily-warm.parquet")
        cmp_cold = compare(work / "naive.parquet", work / "daily-cold1.parquet")
        base = naive["compute_s"]
        print("\nratio naive / whoholds (same run):")
        print(f"  timeline after ingest ............ {base / warm['wall_s']:7.1f}×")
        print(f"  timeline cold, 1 process ......... {base / colds[1]['wall_s']:7.1f}×")
        print(f"  timeline cold, 2 workers ......... {base / colds[2]['wall_s']:7.1f}×")
        both = (naive["read_s"] + base) / (ing["wall_s"] + warm["wall_s"])
        print(f"  ingest + timeline vs parse + naive {both:7.1f}×")
        print(f"\nmax |whoholds - naive| per day over {cmp['days_compared']} days (km²):")
        for k in ("gains", "losses", "net", "area"):
            v, day = cmp[k]
            print(f"  {k:6s} {v:.4f} (on {day}; median {cmp[k + '_median']:.4f})")
        print(f"  (area: {cmp['area_rel_max']:.1e} relative -- the baseline measures straight edges in its equal-area "
              "projection, whoholds geodesic edges; tests check whoholds against pyproj.Geod directly)")
        print(f"  cold run vs naive: gains {cmp_cold['gains'][0]:.4f}, losses {cmp_cold['losses'][0]:.4f}, "
              f"area {cmp_cold['area'][0]:.4f}")
        # -- raw feed
        if not args.skip_raw:
            print("\n== DeepStateMap raw feed (1,359 snapshots, three states) ==")
            raw = work / "raw-store"
            shutil.rmtree(raw, ignore_errors=True)
            ing = run_child("ingest", str(raw), str(RAW))
            print(f"whoholds ingest: {ing['wall_s']:.1f} s, {ing['n']} snapshots, peak RSS {ing['rss_mb']:.0f} MB "
                  f"(+ workers {ing['workers_rss_mb']:.0f} MB)")
            warm = run_child("timeline", str(raw), str(work / "raw-warm.parquet"), "1", "warm")
            print(f"whoholds timeline after ingest: {warm['wall_s']:.2f} s (target ≤ 10 s), peak RSS "
                  f"{warm['rss_mb']:.0f} MB (target ≤ 2 GB), {warm['snapshots']} snapshots, {warm['gaps']} gaps, "
                  f"{warm['suspects']} suspects")
            cold_store = work / "raw-store-cold"
            shutil.rmtree(cold_store, ignore_errors=True)
            shutil.copytree(raw, cold_store)
            cold = run_child("timeline", str(cold_store), str(work / "raw-cold.parquet"), "2", "cold")
            print(f"whoholds timeline cold (cache emptied), 2 workers: {cold['wall_s']:.2f} s, peak RSS "
                  f"{cold['rss_mb']:.0f} MB (+ workers {cold['workers_rss_mb']:.0f} MB)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
