"""Syria from markers: parse the Wikipedia module and build every cell estimate, against a naive baseline.

Baseline, measured in the same run: Voronoi cells of all markers straight in lon/lat degrees with
shapely.voronoi_polygons, clipped to the boundary (no projection, no cap, no classes) -- the quickest
thing one could write, and a wrong one at that (degrees are not distances).

    python benchmarks/bench_syria.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, measured  # noqa: E402

MODULE = DATA / "syria" / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"


def main() -> None:
    import datetime as dt

    import shapely

    from whoholds.geometry.boundary import load_boundary
    from whoholds.geometry.cells import MARKER_METHODS, marker_cells
    from whoholds.io.wikipedia import read_wikipedia_module
    from whoholds.profiles import load_profile

    if not MODULE.exists():
        sys.exit(f"{MODULE}: not found (set WHOHOLDS_DATA)")
    profile = load_profile("syria")
    boundary = load_boundary(profile).geometry
    data = MODULE.read_bytes()
    read_wikipedia_module(data, MODULE.name, profile, dt.date(2017, 7, 20))  # warm imports
    with measured("parse the module (6,184 entries)"):
        snap = read_wikipedia_module(data, MODULE.name, profile, dt.date(2017, 7, 20))
    markers = snap.features
    times = {}
    for method in MARKER_METHODS:
        start = time.perf_counter()
        marker_cells(markers, boundary, method)
        times[method] = time.perf_counter() - start
        print(f"  cells, {method}: {times[method]:.2f} s")
    start = time.perf_counter()
    naive = shapely.voronoi_polygons(shapely.multipoints(markers.geometry.values), extend_to=boundary)
    shapely.intersection(shapely.get_parts(naive), boundary)
    baseline = time.perf_counter() - start
    print(f"baseline (lon/lat Voronoi, clipped): {baseline:.2f} s")
    for method, seconds in times.items():
        print(f"ratio {method}: {seconds / baseline:.1f}x the baseline's time (projection, classes and cap included)")


if __name__ == "__main__":
    main()
