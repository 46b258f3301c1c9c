"""The naive timeline: what a public script does, snapshot by snapshot, with nothing reused.

For every daily snapshot of DeepStateMap's occupied area (one MultiPolygon per day; everything else inside the
boundary is Ukrainian): make_valid -> project to an equal-area CRS -> clip to the Natural Earth boundary of
Ukraine -> area; gains and losses are the areas of the differences with the previous snapshot.

This is the baseline `bench_timeline.py` measures whoholds against. Run it on its own with
``python benchmarks/naive_timeline.py [FILE.geojson.xz]``.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import sys
import time
from pathlib import Path

import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import shape

DATA = Path(os.environ.get("WHOHOLDS_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
DAILY = DATA / "ukraine" / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"
BOUNDARY = DATA / "boundaries" / "ne_10m_admin0_deu_UKR.geojson"

#: Lambert azimuthal equal-area on the WGS84 ellipsoid, centred on Ukraine.
EQUAL_AREA = CRS.from_proj4("+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")


def load_daily(path: Path = DAILY) -> list[tuple[str, dict]]:
    """(date, GeoJSON geometry) per feature, in file order."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        fc = json.load(fh)
    return [(f["properties"]["date"], f["geometry"]) for f in fc["features"]]


def load_boundary(path: Path = BOUNDARY):
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    return shapely.union_all([shape(f["geometry"]) for f in fc["features"]])


def naive_timeline(days: list[tuple[str, dict]], boundary_wgs84) -> pd.DataFrame:
    """date, occupied_km2, held_km2, gains_km2, losses_km2, net_km2 (gains/losses of the occupier)."""
    to_ea = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True).transform
    boundary = shapely.transform(shapely.make_valid(boundary_wgs84), to_ea, interleaved=False)
    total = boundary.area / 1e6
    rows = []
    prev = None
    for date, geojson in days:
        geom = shapely.make_valid(shape(geojson))
        geom = shapely.transform(geom, to_ea, interleaved=False)
        geom = geom.intersection(boundary)
        area = geom.area / 1e6
        if prev is None:
            gains = losses = float("nan")
        else:
            gains = geom.difference(prev).area / 1e6
            losses = prev.difference(geom).area / 1e6
        rows.append((date, area, total - area, gains, losses, gains - losses))
        prev = geom
    return pd.DataFrame(rows, columns=["date", "occupied_km2", "held_km2", "gains_km2", "losses_km2", "net_km2"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DAILY)
    ap.add_argument("--csv", type=Path, help="write the timeline here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    days = load_daily(args.path)
    boundary = load_boundary()
    t1 = time.perf_counter()
    frame = naive_timeline(days, boundary)
    t2 = time.perf_counter()
    print(f"read {len(days)} snapshots in {t1 - t0:.2f} s; naive timeline in {t2 - t1:.2f} s")
    if args.csv:
        frame.to_csv(args.csv, index=False)
    else:
        print(frame.tail().to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
