"""Settlements that changed hands between two dates over the full gazetteer (33,681 GeoNames places).

Two days of the daily DeepStateMap export are ingested first (not timed: "after ingest"). Then
``settlement_changes`` runs cold (first call in the process: reads the gazetteer, tiles the regions) and warm
(both cached, as in a long-running server or a second command of a session; the target is <= 1 s). Baseline,
measured in the same run: the naive way with geopandas -- a GeoDataFrame of all places, ``sjoin`` with each
snapshot's features and with the boundary, compare the two joins.

    python benchmarks/bench_settlements.py
"""

from __future__ import annotations

import json
import lzma
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, measured  # noqa: E402

ARCHIVE = DATA / "ukraine" / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"
GAZETTEER = DATA / "settlements" / "geonames_UA_populated_places.csv.xz"
DAYS = ("2024-10-01", "2024-11-30")
REPEAT = 3


def naive(store, profile, boundary, places) -> set[int]:
    import geopandas as gpd

    pts = gpd.GeoDataFrame(places[["geonameid"]], geometry=gpd.points_from_xy(places["lon"], places["lat"]),
                           crs=4326)
    inside = set(gpd.sjoin(pts, gpd.GeoDataFrame(geometry=[boundary.geometry], crs=4326), predicate="within")[
        "geonameid"])
    held = []
    for day in DAYS:
        snap = store.latest(__import__("datetime").date.fromisoformat(day), profile.id)
        joined = gpd.sjoin(pts, snap.features[["state", "geometry"]], predicate="within")
        held.append(dict(zip(joined["geonameid"], joined["state"], strict=False)))
    return {g for g in inside if held[0].get(g) != held[1].get(g)}


def main() -> None:
    from whoholds.geometry.boundary import load_boundary
    from whoholds.ingest import ingest
    from whoholds.io.gazetteer import read_gazetteer
    from whoholds.metrics.settlements import settlement_changes
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    for path in (ARCHIVE, GAZETTEER):
        if not path.exists():
            sys.exit(f"{path}: not found (set WHOHOLDS_DATA)")
    profile = load_profile("ukraine")
    with tempfile.TemporaryDirectory() as tmp:
        with lzma.open(ARCHIVE, "rt") as fh:
            features = [f for f in json.load(fh)["features"] if f["properties"]["date"] in DAYS]
        small = Path(tmp) / "two_days.geojson"
        small.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        store = Store(Path(tmp) / "store")
        with measured("ingest two days (not part of the target)"):
            ingest([small], profile, store, unlabelled_state="occupied", workers=1)
        boundary = load_boundary(profile)
        with measured("cold: first call (reads the gazetteer, tiles the regions)"):
            res = settlement_changes(store, profile, DAYS[0], DAYS[1], source="gazetteer", living_only=False)
        warm = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            res = settlement_changes(store, profile, DAYS[0], DAYS[1], source="gazetteer", living_only=False)
            warm.append(time.perf_counter() - start)
        ours = min(warm)
        print(f"  warm: {ours:.2f} s (best of {REPEAT}); {len(res.frame)} of {res.considered:,} places changed "
              f"hands; target <= 1 s: {'met' if ours <= 1.0 else 'NOT met'}")
        places = read_gazetteer(GAZETTEER)
        base = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            want = naive(store, profile, boundary, places)
            base.append(time.perf_counter() - start)
        baseline = min(base)
        print(f"baseline (geopandas sjoin of {len(places):,} points with each snapshot and the boundary): "
              f"{baseline:.2f} s (best of {REPEAT}); same places: {want == set(res.frame['geonameid'])}")
        print(f"ratio: {ours / baseline:.2f}x the baseline's time (regions, grey-zone rules and definition "
              "included)")
        store.close()


if __name__ == "__main__":
    main()
