"""Run every benchmark, one after the other, each in its own process, and print ONE summary table:
each figure, its baseline (measured in the same run), the ratio and the target.

    python benchmarks/run.py [--quick]

``--quick`` skips the growth benchmark and samples the naive ingest baseline more sparsely.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import whoholds_env  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"


def table(rows: list[dict]) -> str:
    head = ("figure", "whoholds", "baseline (same run)", "ratio", "target", "met")
    body = [(r["figure"], r["value"], r["baseline"], r["ratio"], r["target"],
             {True: "yes", False: "NO", None: "–"}[r["met"]]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)])


#: Benchmarks that add their figures to the summary table (the others print their own).
ROWS_SCRIPTS = {"bench_timeline.py", "bench_startup.py", "bench_ingest.py", "bench_growth.py", "load_api.py"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    env = whoholds_env()
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="whoholds-bench-") as tmp:
        rows_file = str(Path(tmp) / "rows.jsonl")
        work = Path(tmp) / "work"
        benches = [
            ("timelines: daily export vs the naive script (issues 3, 11)",
             ["bench_timeline.py", "--skip-raw", "--keep", str(work)]),
            ("start-up of commands (issue 11)", ["bench_startup.py", "--work", str(work)]),
            ("ingest + shares, raw DeepStateMap feed, vs read floor and naive (issues 2, 11)",
             ["bench_ingest.py", "--sample-every", "40" if args.quick else "10"]),
            *([] if args.quick else [("growth: 100, 400, 1,359 snapshots (issue 11)", ["bench_growth.py"])]),
            ("Syria markers: parse and cell estimates (issue 5)", ["bench_syria.py"]),
            ("settlements between two dates over the full gazetteer (issue 10)", ["bench_settlements.py"]),
            ("shares per region over the daily export (issue 10)", ["bench_regions.py"]),
            ("reading articles: accuracy on the hand-annotated set (issue 9)", ["article_eval.py"]),
            ("reading articles: cost grows linearly with the text (issues 9, 15)", ["read_scaling.py"]),
            ("web API under load, 127.0.0.1 only (issues 11, 15)", ["load_api.py"]),
            *([] if args.quick else [("Dask: 1 vs 2 workers (issue 13)", ["bench_dask.py"])]),
        ]
        failed = 0
        for title, (script, *extra) in benches:
            print(f"\n=== {title} ===", flush=True)
            cmd = [sys.executable, str(HERE / script), *extra]
            if script in ROWS_SCRIPTS:
                cmd += ["--rows", rows_file]
            failed += subprocess.call(cmd, env=env) != 0
        rows = []
        if Path(rows_file).exists():
            rows = [json.loads(x) for x in Path(rows_file).read_text().splitlines() if x.strip()]
    print(f"\n=== summary: {started:%Y-%m-%d %H:%M} UTC; {machine()} ===\n")
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
