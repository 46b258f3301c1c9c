"""Ingest the whole DeepStateMap raw-feed archive and compute shares for all of it (issues 2 and 11).

Targets: within 2x of the read floor and >= 10x the naive peer, peak RSS <= 1 GB, for 1,359 snapshots
(662 MB of GeoJSON unpacked) on a 2-core machine. Baselines, measured in the same run:

* read floor: decompress the archive and parse every member with simdjson, nothing else;
* naive peer: the straightforward way per file (pyogrio read -> make_valid -> union per state -> clip to the
  boundary -> priority differences -> pyproj.Geod area) on every k-th snapshot, extrapolated per snapshot to
  the whole archive (compute only, reading excluded: generous to the peer).

    python benchmarks/bench_ingest.py [--sample-every 10] [--rows FILE] [--profile [--profile-limit N]]
    python benchmarks/bench_ingest.py profile-only [--limit 200]     # the stage profile alone
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, emit, measured  # noqa: E402

ARCHIVE = DATA / "ukraine" / "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz"


def naive_shares(data: bytes, profile, boundary, geod) -> dict[str, float]:
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(io.BytesIO(data))
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    states = [profile.classify(n, f) for n, f in zip(frame.get("name"), frame.get("fill"), strict=True)]
    covered = shapely.Polygon()
    out = {}
    for state in profile.resolution_order:
        geoms = [shapely.make_valid(g) for g, s in zip(frame.geometry, states, strict=True) if s == state]
        if not geoms:
            continue
        layer = shapely.difference(shapely.intersection(shapely.union_all(geoms), boundary), covered)
        out[state] = abs(geod.geometry_area_perimeter(layer)[0]) / 1e6
        covered = shapely.union(covered, layer)
    return out


def run_baseline(every: int) -> tuple[float, int]:
    import pyproj

    from whoholds.geometry.boundary import load_boundary
    from whoholds.profiles import load_profile

    profile = load_profile("ukraine")
    boundary = load_boundary(profile).geometry
    geod = pyproj.Geod(ellps="WGS84")
    n = 0
    seconds = 0.0
    with tarfile.open(ARCHIVE, "r:xz") as tar:
        for i, member in enumerate(m for m in tar if m.isfile()):
            data = tar.extractfile(member).read()
            if i % every:
                continue
            start = time.perf_counter()
            naive_shares(data, profile, boundary, geod)
            seconds += time.perf_counter() - start
            n += 1
    return seconds / n, n


def read_floor() -> tuple[float, int]:
    """Seconds to decompress the archive and parse every member with simdjson (the least any reader does)."""
    import simdjson

    from whoholds.io.tarstream import iter_tar

    start = time.perf_counter()
    n = 0
    with open(ARCHIVE, "rb") as fh:
        for _name, data in iter_tar(fh):
            simdjson.Parser().parse(data)
            n += 1
    return time.perf_counter() - start, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample-every", type=int, default=10, help="baseline on every k-th snapshot")
    parser.add_argument("--rows", help="append summary rows (JSON lines) for benchmarks/run.py here")
    parser.add_argument("--profile", action="store_true", help="also profile one ingest (one process), by stage")
    parser.add_argument("--profile-limit", type=int, default=0, help="profile the first n snapshots only (0: all)")
    args = parser.parse_args()
    if not ARCHIVE.exists():
        sys.exit(f"{ARCHIVE}: not found (set WHOHOLDS_DATA to the shared data folder)")

    from whoholds.ingest import ingest
    from whoholds.metrics.shares import shares
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    profile = load_profile("ukraine")
    print(f"whoholds: ingest {ARCHIVE.name} into a fresh store, then shares for every snapshot")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        with measured() as total:
            with measured("ingest (read, classify, repair, store, incremental areas)"):
                report = ingest([ARCHIVE], profile, store)
            with measured("shares --all"):
                frame = shares(store, profile, all_dates=True, by="state")
        with measured("re-ingest of the same archive (no-op; not in the total)"):
            again = ingest([ARCHIVE], profile, store)
    n = len(report.results)
    print(f"  snapshots: {n} ({report.count('new')} new, {report.count('new_version')} new versions), "
          f"rows of shares: {len(frame)}, unchanged on re-ingest: {again.count('unchanged')}")
    print(f"  unmapped labels: {dict(report.unmapped) or 'none'}")
    print(f"whoholds ingest + shares for all: {total.seconds:.1f} s wall, peak RSS {total.peak_rss_mb:.0f} MB, "
          f"{n / total.seconds:.1f} snapshots/s")
    with measured() as floor_m:
        floor, members = read_floor()
    print(f"read floor (decompress + simdjson parse of {members} members, one process): {floor:.1f} s, "
          f"peak RSS {floor_m.peak_rss_mb:.0f} MB")

    print(f"baseline (naive per-snapshot overlay, every {args.sample_every}th snapshot, extrapolated):")
    with measured() as base:
        per_snapshot, sampled = run_baseline(args.sample_every)
    estimate = per_snapshot * n
    print(f"  {sampled} snapshots in {base.seconds:.1f} s; {per_snapshot * 1000:.1f} ms per snapshot "
          f"-> {estimate:.0f} s for {n} (compute only, reading excluded)")
    print(f"ratio: whoholds is {estimate / total.seconds:.1f}x faster than the naive baseline "
          f"(ingest + all shares vs baseline compute alone)")
    label = f"raw feed ingest + shares for all ({n} snapshots)"
    emit(args.rows, label, f"{total.seconds:.1f} s", f"read floor {floor:.1f} s",
         f"{total.seconds / floor:.1f}× the floor", "≤ 2× floor", total.seconds <= 2 * floor)
    emit(args.rows, label + " vs naive", f"{total.seconds:.1f} s", f"naive {estimate:.0f} s (extrapolated)",
         f"{estimate / total.seconds:.1f}×", "≥ 10×", estimate / total.seconds >= 10)
    emit(args.rows, "raw feed ingest + shares: peak RSS (all processes)", f"{total.peak_rss_mb:.0f} MB",
         f"read floor {floor_m.peak_rss_mb:.0f} MB", f"{total.peak_rss_mb / max(floor_m.peak_rss_mb, 1):.1f}×",
         "≤ 1024 MB", total.peak_rss_mb <= 1024)
    if args.profile:
        profile_ingest(args.profile_limit or None)


#: The profile's stages: (label, functions whose cumulative time counts for it, by "module:function").
STAGES = (
    ("read: decompress + simdjson parse + feature keys", ("tarstream:iter_tar", "geojson_fast:parse_json",
                                                         "geojson_fast:_scan")),
    ("new features: build + repair (once per distinct)", ("rings:build_pending", "features:repair_entries")),
    ("classify + fit check + frame per snapshot", ("snapshots:snapshots_of", "fit:check_fit")),
    ("store writes (members, chunks, catalog)", ("store:put_many", "check:record_file_hashes")),
    ("engine inputs (new parts densified + hashed)", ("diff:input",)),
    ("changed region (edges of changed features)", ("diff:region_between_parts",)),
    ("change pieces (overlay inside the region)", ("pieces:change_pieces",)),
    ("figures (areas inside the boundary)", ("areas:figures_inside", "areas:resolve_whole")),
)


def stage_seconds(stats: dict) -> dict[str, float]:
    """Cumulative seconds of each stage's functions (a function is counted once, at its outermost call)."""
    out = {}
    for label, names in STAGES:
        total = 0.0
        for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items():
            module = Path(path).stem
            if f"{module}:{func}" in names or f"{module.removeprefix('store_')}:{func}" in names:
                total += ct
        out[label] = total
    return out


def first_members(n: int, work: Path) -> Path:
    """An uncompressed tar of the first ``n`` members in time order (names are unix times)."""
    from whoholds.io.tarstream import iter_tar

    with open(ARCHIVE, "rb") as fh:
        names = sorted(name for name, _ in iter_tar(fh))
    keep = set(names[:n])
    out = work / f"first-{n}.tar"
    with open(ARCHIVE, "rb") as fh, tarfile.open(out, "w") as tar:
        for name, data in iter_tar(fh):
            if name in keep:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out


def profile_ingest(limit: int | None = None, dump: str | None = None) -> None:
    """Where ingest time goes: one ingest + shares in this process only (workers=1) under cProfile, by stage
    (see STAGES) and the top functions by own time. ``limit``: the first n snapshots in time order only."""
    import cProfile
    import pstats

    from whoholds.ingest import ingest
    from whoholds.metrics.shares import shares
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    profile = load_profile("ukraine")
    with tempfile.TemporaryDirectory() as tmp:
        source = first_members(limit, Path(tmp)) if limit else ARCHIVE
        store = Store(Path(tmp) / "store")
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        report = ingest([source], profile, store, workers=1)
        shares(store, profile, all_dates=True, by="state")
        prof.disable()
        wall = time.perf_counter() - start
    stats = pstats.Stats(prof)
    if dump:
        stats.dump_stats(dump)
    n = len(report.results)
    print(f"profile: ingest + shares of {n} snapshots in one process, {wall:.1f} s under cProfile "
          f"({1000 * wall / max(n, 1):.1f} ms per snapshot)")
    for label, seconds in stage_seconds(stats.stats).items():  # type: ignore[attr-defined]
        per = 1000 * seconds / max(n, 1)
        print(f"  {label:52s} {seconds:7.2f} s  {100 * seconds / wall:5.1f} %  {per:6.2f} ms/snapshot")
    stats.sort_stats("tottime").print_stats(15)


def main_profile() -> None:
    parser = argparse.ArgumentParser(description="profile only: " + (profile_ingest.__doc__ or ""))
    parser.add_argument("--limit", type=int, default=200, help="first n snapshots in time order (0: all)")
    parser.add_argument("--dump", help="also write the raw cProfile statistics here (for pstats / snakeviz)")
    args = parser.parse_args(sys.argv[2:])
    profile_ingest(args.limit or None, args.dump)


if __name__ == "__main__":
    if sys.argv[1:2] == ["profile-only"]:
        main_profile()
    else:
        main()
