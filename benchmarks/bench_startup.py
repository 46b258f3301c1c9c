"""Start-up: cold-process wall time of `whoholds --help`, `--version`, `shares --date D` and `check ...` on a
built store (the 769-snapshot daily archive), median of several runs, against the bare interpreter start
(`python -c pass`) measured in the same run.

    python benchmarks/bench_startup.py [--runs 5] [--work DIR] [--rows FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import daily_store, emit, median, wall, whoholds_env  # noqa: E402

HEAVY = ("pandas", "geopandas", "shapely", "matplotlib", "trafilatura", "fastapi", "dask", "pyarrow", "pyogrio")
DATE = "2025-03-01"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--rows")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="whoholds-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    store = daily_store(work)
    py = sys.executable
    who = [py, "-m", "whoholds"]
    st = ["--store", str(store)]
    # warm the caches the commands fill on first use (boundary metadata, figures), and the OS file cache
    wall([*who, "shares", "--date", DATE, *st])
    claim = [*who, "check", "Russia occupies about 18.5% of Ukraine", "--country", "ukraine", "--date", DATE, *st]
    wall(claim)
    code = f"import sys, whoholds.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([py, "-c", code], capture_output=True, text=True, env=whoholds_env(),
                            check=True).stdout.strip()
    print(f"heavy modules imported by `import whoholds.cli`: {loaded or 'none'}")
    base = median(wall([py, "-c", "pass"], args.runs))
    print(f"python -c pass: {base:.3f} s (median of {args.runs})")
    cases = [
        ("start-up: whoholds --help", [*who, "--help"], 0.3),
        ("start-up: whoholds --version", [*who, "--version"], 0.3),
        (f"start-up: whoholds shares --date {DATE} (cached)", [*who, "shares", "--date", DATE, *st], 0.8),
        ("start-up: whoholds check '<claim>' (built store)", claim, 1.0),
    ]
    library = ("import datetime as d, sys; from whoholds.profiles import load_profile; "
               "from whoholds.store import Store; from whoholds.metrics.quick import cached_shares; "
               "from whoholds.render.tables import records_table; from rich.console import Console; "
               f"r, b = cached_shares(Store(sys.argv[1]), load_profile('ukraine'), d.date.fromisoformat('{DATE}')); "
               "Console().print(records_table(r, list(r[0]), 'shares'))")
    cases.append((f"start-up: library path of shares --date {DATE} (no CLI)", [py, "-c", library, str(store)], 0.8))
    # the timeline command answered from the cache (its ratio to the naive script: bench_timeline.py)
    out = str(work / "startup-timeline.csv")
    cases.append(("start-up: whoholds timeline -f csv (cached, 769 snapshots)",
                  [*who, "timeline", "-f", "csv", "-o", out, *st], None))
    for label, cmd, target in cases:
        times = wall(cmd, args.runs)
        t = median(times)
        print(f"{label}: median {t:.3f} s, runs {', '.join(f'{x:.2f}' for x in times)}")
        emit(args.rows, label, f"{t:.2f} s", f"python -c pass {base:.2f} s", f"{t / base:.0f}× interpreter",
             f"≤ {target} s" if target else "(bench_timeline: ≥ 50× naive)", t <= target if target else None)
    code = ("import runpy, sys\n"
            f"sys.argv = ['whoholds', 'timeline', '-f', 'csv', '-o', {out!r}, '--store', {str(store)!r}]\n"
            "try:\n    runpy.run_module('whoholds', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            f"print('LOADED:' + ','.join(m for m in {HEAVY + ('numpy', 'pydantic')!r} if m in sys.modules))")
    lines = subprocess.run([py, "-c", code], capture_output=True, text=True, env=whoholds_env(),
                           check=True).stdout.splitlines()
    loaded = next((x.removeprefix("LOADED:") for x in lines if x.startswith("LOADED:")), "?")
    print(f"heavy modules imported by the cached `whoholds timeline -f csv`: {loaded or 'none'}")


if __name__ == "__main__":
    main()
