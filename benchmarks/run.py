"""Run every benchmark, one after the other, each in its own process: `python benchmarks/run.py`.

Each prints wall time, peak RSS and its ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("ingest + shares, raw DeepStateMap feed (issue 2)", ["bench_ingest.py"]),
    ("timelines, daily export and raw feed (issue 3)", ["bench_timeline.py"]),
    ("Syria markers: parse and cell estimates (issue 5)", ["bench_syria.py"]),
    ("settlements between two dates over the full gazetteer (issue 10)", ["bench_settlements.py"]),
    ("shares per region over the daily export (issue 10)", ["bench_regions.py"]),
]


def main() -> int:
    failed = 0
    for title, args in BENCHMARKS:
        print(f"\n=== {title} ===", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / args[0]), *args[1:], *sys.argv[1:]]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
