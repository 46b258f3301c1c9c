"""Fuzz the GeoJSON reader (plain and in its dialects), KML, the Wikipedia/Lua reader and the claim parser.

    python benchmarks/fuzz.py [--minutes 1] [--only geojson,lua,claims,dialects,kml,style,...] [--seed 0]

Inputs come from the hypothesis strategies in ``tests/fuzz_targets.py`` and ``tests/fuzz_targets2.py`` (map
styles, Esri JSON, antimeridian polygons, KML variants and encodings, CSV tables, shapefile side-cars; the
same the CI tests run a bounded number of). Every input must end in a result or a one-line WhoholdsError;
anything else is a crash, printed with its input. Reports inputs tried, crashes, and the slowest input per
target. Exit code 1 when any target crashed.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests"))
sys.path.insert(0, str(HERE.parents[0] / "src"))


class _Stop(Exception):
    """Time is up for this target."""


def fuzz(name: str, seconds: float, seed: int) -> tuple[int, list[tuple[str, str]], tuple[float, str]]:
    """(inputs tried, crashes as (input, error), (seconds, repr) of the slowest input) for one target."""
    from fuzz_targets import TARGETS
    from fuzz_targets2 import TARGETS2
    from hypothesis import HealthCheck, Phase, given, settings

    strategy, run = {**TARGETS, **TARGETS2}[name]
    tried = 0
    crashes: list[tuple[str, str]] = []
    slowest = (0.0, "")
    end = time.monotonic() + seconds

    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def body(value: object) -> None:
        nonlocal tried, slowest
        if time.monotonic() > end:
            raise _Stop
        tried += 1
        started = time.perf_counter()
        try:
            run(value)
        except Exception as exc:  # noqa: BLE001 - a crash is what we are counting
            crashes.append((repr(value)[:300], "".join(traceback.format_exception_only(exc)).strip()))
        took = time.perf_counter() - started
        if took > slowest[0]:
            slowest = (took, repr(value)[:200])

    random.seed(seed)
    with contextlib.suppress(_Stop):
        body()
    return tried, crashes, slowest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--only", default="geojson,lua,claims,dialects,kml,style,esri,antimeridian,kml2,tables,"
                                          "shapefile")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not 0 < args.minutes <= 24 * 60:
        parser.error("--minutes must be between 0 and 1440")
    total = 0
    for name in args.only.split(","):
        tried, crashes, slowest = fuzz(name.strip(), args.minutes * 60, args.seed)
        total += len(crashes)
        print(f"{name:8s} {tried:8d} inputs  {len(crashes):4d} crashes  slowest input {slowest[0]:.2f} s: "
              f"{slowest[1]}", flush=True)
        for value, error in crashes[:5]:
            print(f"    {error}\n      input: {value}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
