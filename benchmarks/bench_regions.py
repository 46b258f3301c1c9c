"""Shares per region over the whole daily DeepStateMap export (769 snapshots, 27 oblasts), after ingest.

whoholds walks the archive incrementally (each snapshot compared with the previous one only where their edges
differ, once per region tile touched). Baseline, measured in the same run: each snapshot cut by the region
tiles whole (the engine's layers intersected with every tile), timed on a sample of snapshots spread over
the archive and scaled to all of them. Also checks the walked totals against the national figures.

    python benchmarks/bench_regions.py [--sample N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, measured  # noqa: E402

ARCHIVE = DATA / "ukraine" / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"


def main() -> None:
    from whoholds.geometry.regions import load_regions
    from whoholds.ingest import ingest
    from whoholds.metrics.regions import region_shares
    from whoholds.metrics.shares import shares
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    sample = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 12
    if not ARCHIVE.exists():
        sys.exit(f"{ARCHIVE}: not found (set WHOHOLDS_DATA)")
    profile = load_profile("ukraine")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        with measured("ingest the daily export (not part of the figure)"):
            ingest([ARCHIVE], profile, store, unlabelled_state="occupied", workers=2)
        regions = load_regions(profile)
        n = len(store.current(profile.id))
        with measured(f"region shares of all {n} snapshots, walked incrementally") as m:
            frame = region_shares(store, profile, None, regions, by="actor", all_dates=True)
        days = sorted(set(frame["date"]))
        picks = [days[i * (len(days) - 1) // max(sample - 1, 1)] for i in range(sample)]
        start = time.perf_counter()
        for day in picks:
            region_shares(store, profile, day, regions, by="actor")
        per = (time.perf_counter() - start) / len(picks)
        baseline = per * n
        print(f"baseline (each snapshot cut whole): {per:.2f} s per snapshot on {len(picks)} snapshots, "
              f"{baseline:.0f} s for all {n}")
        print(f"ratio: {baseline / m.seconds:.0f}x faster than the baseline")
        national = shares(store, profile, all_dates=True, by="actor").set_index(["date", "group"])["area_km2"]
        totals = frame.groupby(["date", "state"])["km2"].sum()
        print(f"largest difference between the regions' total and the national figure over all snapshots: "
              f"{(totals - national.loc[totals.index]).abs().max():.1e} km²")
        store.close()


if __name__ == "__main__":
    main()
