"""Benchmark: whoholds' full timeline (areas, gross gains, losses) against the naive way, in the same run.

1. The naive baseline (``naive_timeline.py``) on DeepStateMap's 769 daily occupied-area snapshots, run as a
   command (end to end: start-up, reading, compute; its compute time is reported separately).
2. ``whoholds ingest`` of the same file into a temporary store (timed separately: ingest also fills the
   store's cache of areas and transfers between consecutive snapshots, and the change pieces).
3. ``whoholds timeline`` as a command, end to end, after ingest (CSV of every snapshot with gains/losses).
4. ``whoholds.metrics.timeline.timeline`` over the whole archive, every snapshot, with gains and losses:
   "after ingest" (the cache as ingest left it); "cold" (the figure cache emptied: every figure is computed
   again from the change pieces stored at ingest, as for another boundary or ``use_cache=False``); and
   "nothing cached" (change pieces emptied too: every pair is overlaid again, 1 and 2 worker processes).
5. The same for the raw DeepStateMap feed (1,359 snapshots, three states), unless ``--skip-raw``.

Each measurement runs in a fresh Python process so that its peak RSS is its own; wall times are taken
around the call (imports excluded) unless it says "command". The figures are compared day by day with the
baseline.

Run: ``python benchmarks/bench_timeline.py [--skip-raw] [--keep DIR] [--rows FILE]``
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
sys.path.insert(0, str(HERE))

from common import DAILY, RAW, emit, median, wall  # noqa: E402


def _rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


# ---- child processes ----------------------------------------------------------------------------------------
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


def child_timeline(store: str, out: str, workers: int, cold: str) -> dict:
    from whoholds import load_profile
    from whoholds.metrics.timeline import timeline
    from whoholds.store import Store

    st = Store(store)
    if cold in ("cold", "nothing"):
        st.con.execute("DELETE FROM areas")
        st.con.execute("DELETE FROM transfers")
    if cold == "nothing":
        st.con.execute("DELETE FROM change_pieces")
    prof = load_profile("ukraine")
    t0 = time.perf_counter()
    result = timeline(st, prof, every="snapshot", by="state", workers=workers)
    wall = time.perf_counter() - t0
    own, kids = _rss_mb()
    frame = result.frame.drop(columns=["method"])
    frame.to_parquet(out)
    return {"wall_s": wall, "rows": len(frame), "snapshots": int(frame["snapshot_id"].nunique()), "rss_mb": own,
            "workers_rss_mb": kids, "gaps": len(result.gaps), "suspects": len(result.suspects)}


#: The timeline commands timed end to end (a fresh process each run, start-up included): label, options.
COMMANDS = {
    "csv": ("every snapshot, -f csv", ["--format", "csv"]),
    "json": ("every snapshot, -f json", ["--format", "json"]),
    "month": ("--every month, -f csv", ["--every", "month", "--format", "csv"]),
}


#: CPU seconds (user + system) of each timeline command run: less sensitive to other jobs than wall time.
COMMAND_CPU: dict[str, list[float]] = {}


def command_runs(store: Path, work: Path, runs: int) -> dict[str, list[float]]:
    """Wall seconds of each of COMMANDS, ``runs`` times each (interleaved, so load drift hits all alike)."""
    out: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for _ in range(runs):
        for key, (_label, opts) in COMMANDS.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out[key] += wall([sys.executable, "-m", "whoholds", "timeline", "--store", str(store), *opts,
                              "--output", str(work / f"daily-command-{key}.out")])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            COMMAND_CPU.setdefault(key, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return out


def naive_command(out: Path) -> dict:
    """The naive script as a user runs it (a fresh process, end to end); its own compute time from its output."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "naive_timeline.py"), "--csv", str(out)], capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - start
    compute = float(proc.stdout.split("naive timeline in ")[1].split(" s")[0])
    return {"wall_s": seconds, "compute_s": compute}


def same_figures(*paths: Path) -> tuple[float, ...]:
    """max |area/gains/losses difference| of each later frame against the first (same store, same rows)."""
    import numpy as np
    import pandas as pd

    ref = pd.read_parquet(paths[0])
    out = []
    for p in paths[1:]:
        other = pd.read_parquet(p)
        d = [np.nanmax(np.abs(ref[c].to_numpy(float) - other[c].to_numpy(float)))
             for c in ("area_km2", "gains_km2", "losses_km2")]
        out.append(float(max(d)))
    return tuple(out)


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

    nv = pd.read_csv(naive_path, dtype={"date": str})
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
    ap.add_argument("--rows", help="append summary rows (JSON lines) for benchmarks/run.py here")
    ap.add_argument("--runs", type=int, default=5, help="runs of each timeline command (median reported)")
    ap.add_argument("--naive-runs", type=int, default=1, choices=(1, 2),
                    help="2: run the naive script again after the commands, and the commands again after it")
    ap.add_argument("--commands-only", action="store_true",
                    help="only the naive script, ingest and the timeline commands (no in-Python or cold runs)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        res = {"ingest": lambda: child_ingest(rest[0], rest[1], rest[2] if len(rest) > 2 else None),
               "timeline": lambda: child_timeline(rest[0], rest[1], int(rest[2]), rest[3])}[mode]()
        print(json.dumps(res))
        return 0

    work = Path(tempfile.mkdtemp(prefix="whoholds-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; work folder {work}")
    try:
        # -- daily occupied-area archive
        print("\n== DeepStateMap daily occupied area (769 snapshots) ==")
        naive = naive_command(work / "naive.csv")
        print(f"naive baseline as a command: {naive['wall_s']:.2f} s end to end; of which make_valid → project → "
              f"clip → area → differences: {naive['compute_s']:.2f} s")
        store = work / "daily-store"
        shutil.rmtree(store, ignore_errors=True)
        ing = run_child("ingest", str(store), str(DAILY), "occupied")
        print(f"whoholds ingest (reads the file, stores {ing['n']} snapshots, fills the area/transfer cache): "
              f"{ing['wall_s']:.2f} s, peak RSS {ing['rss_mb']:.0f} MB (+ workers {ing['workers_rss_mb']:.0f} MB)")
        commands = command_runs(store, work, args.runs)
        naive_after = naive_command(work / "naive-2.csv") if args.naive_runs > 1 else None
        if naive_after is not None:  # the load drifts: both sides measured before and after each other
            commands = {k: v + command_runs(store, work, args.runs)[k] for k, v in commands.items()}
            naive = {"wall_s": median([naive["wall_s"], naive_after["wall_s"]]),
                     "compute_s": median([naive["compute_s"], naive_after["compute_s"]])}
        cmd_s = median(commands["csv"])
        for key, runs in commands.items():
            print(f"whoholds timeline as a command ({COMMANDS[key][0]}): median {median(runs):.3f} s of "
                  f"{len(runs)} runs ({', '.join(f'{x:.2f}' for x in runs)}); naive script {naive['wall_s']:.1f} s "
                  f"= {naive['wall_s'] / median(runs):.1f}×; CPU time median {median(COMMAND_CPU[key]):.3f} s")
        if args.commands_only:
            for key, runs in commands.items():
                t = median(runs)
                emit(args.rows, f"daily timeline command end to end, {COMMANDS[key][0]} (769 snapshots, median "
                     f"of {len(runs)})", f"{t:.3f} s", f"naive script {naive['wall_s']:.1f} s",
                     f"{naive['wall_s'] / t:.1f}×", "≥ 50×", naive["wall_s"] / t >= 50)
            return 0
        warm = run_child("timeline", str(store), str(work / "daily-warm.parquet"), "1", "warm")
        print(f"whoholds timeline after ingest: {warm['wall_s']:.3f} s, peak RSS {warm['rss_mb']:.0f} MB, "
              f"{warm['snapshots']} snapshots, {warm['gaps']} gaps, {warm['suspects']} suspects")
        colds = {}
        for key, w, mode, text in (("cold", 1, "cold", "figure cache emptied, computed from the stored change pieces"),
                                   ("nothing1", 1, "nothing", "nothing cached, every pair overlaid again"),
                                   ("nothing2", 2, "nothing", "nothing cached, every pair overlaid again")):
            cold_store = work / f"daily-store-{key}"
            shutil.rmtree(cold_store, ignore_errors=True)
            shutil.copytree(store, cold_store)
            colds[key] = run_child("timeline", str(cold_store), str(work / f"daily-{key}.parquet"), str(w), mode)
            print(f"whoholds timeline, {text}, {w} process{'es' * (w > 1)}: {colds[key]['wall_s']:.2f} s, "
                  f"peak RSS {colds[key]['rss_mb']:.0f} MB (+ workers {colds[key]['workers_rss_mb']:.0f} MB)")
        cmp = compare(work / "naive.csv", work / "daily-warm.parquet")
        cmp_cold = compare(work / "naive.csv", work / "daily-cold.parquet")
        base = naive["compute_s"]
        print("\nratio naive / whoholds (same run):")
        print(f"  command vs command (end to end) .. {naive['wall_s'] / cmd_s:7.1f}×")
        print(f"  timeline after ingest ............ {base / warm['wall_s']:7.1f}×")
        print(f"  timeline cold (change pieces) .... {base / colds['cold']['wall_s']:7.1f}×")
        print(f"  nothing cached, 1 process ........ {base / colds['nothing1']['wall_s']:7.1f}×")
        print(f"  nothing cached, 2 workers ........ {base / colds['nothing2']['wall_s']:7.1f}×")
        print(f"\nmax |whoholds - naive| per day over {cmp['days_compared']} days (km²):")
        for k in ("gains", "losses", "net", "area"):
            v, day = cmp[k]
            print(f"  {k:6s} {v:.4f} (on {day}; median {cmp[k + '_median']:.4f})")
        print(f"  (area: {cmp['area_rel_max']:.1e} relative -- the baseline measures straight edges in its equal-area "
              "projection, whoholds geodesic edges; tests check whoholds against pyproj.Geod directly)")
        print(f"  cold run vs naive: gains {cmp_cold['gains'][0]:.4f}, losses {cmp_cold['losses'][0]:.4f}, "
              f"area {cmp_cold['area'][0]:.4f}")
        same = same_figures(work / "daily-warm.parquet", work / "daily-cold.parquet", work / "daily-nothing1.parquet")
        print(f"  max |cold - after ingest| {same[0]:.1e} km², |nothing cached - after ingest| {same[1]:.1e} km²")
        for key, runs in commands.items():
            t = median(runs)
            emit(args.rows, f"daily timeline command end to end, {COMMANDS[key][0]} (769 snapshots, median of "
                 f"{len(runs)})", f"{t:.3f} s", f"naive script {naive['wall_s']:.1f} s",
                 f"{naive['wall_s'] / t:.1f}×", "≥ 50×", naive["wall_s"] / t >= 50)
        emit(args.rows, "daily timeline after ingest, in Python", f"{warm['wall_s']:.3f} s",
             f"naive compute {base:.1f} s", f"{base / warm['wall_s']:.0f}×", "(none)", None)
        emit(args.rows, "cold daily timeline (figure cache emptied)", f"{colds['cold']['wall_s']:.2f} s",
             f"naive compute {base:.1f} s", f"{base / colds['cold']['wall_s']:.1f}×", "≥ 20×, ±0.001 km²",
             base / colds["cold"]["wall_s"] >= 20 and max(same) <= 1e-3)
        emit(args.rows, "daily timeline, nothing cached (2 workers)", f"{colds['nothing2']['wall_s']:.2f} s",
             f"naive compute {base:.1f} s", f"{base / colds['nothing2']['wall_s']:.1f}×", "(none)", None)
        emit(args.rows, "cold timeline vs naive: max |Δ| gains/losses",
             f"{max(cmp_cold['gains'][0], cmp_cold['losses'][0]):.4f} km²", "naive per-day overlay", "–",
             "(projection error of the naive)", None)
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
