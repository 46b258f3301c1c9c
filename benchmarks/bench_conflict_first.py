"""Issue 9: the first conflict inference of a process, with the place-name index cold (built from the GeoNames
files, as before the cache existed) and warm (read from the user cache folder). Each run is a fresh process (the module
already imported, the profiles not yet loaded: that is in both); printed: seconds of each and the ratio cold/warm.

    WHOHOLDS_DATA=... python benchmarks/bench_conflict_first.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

_PROBE = """
import time
from whoholds.claims.conflict import infer_conflict
t = time.perf_counter()
guess = infer_conflict("Russian forces entered Kurakhove and Pokrovsk, the General Staff said on Monday.")
print(time.perf_counter() - t, guess.profile)
"""


def _run(cache: str) -> float:
    env = {**os.environ, "WHOHOLDS_CACHE": cache}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    seconds, profile = out.stdout.split()
    assert profile == "ukraine", out.stdout
    return float(seconds)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(_run(cache))  # empty cache: the index is built (the cost before the cache)
            warm.append(_run(cache))  # the index written by the run before
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"first inference, cold index {c:.3f} s, warm index {w:.3f} s, ratio {c / w:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
