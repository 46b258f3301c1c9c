"""Growth: ingest archives of the first 100, 400 and all 1,359 snapshots of the raw DeepStateMap feed and
report time per snapshot (ingest) and the cold timeline's cost per changed edge.

A flat time per snapshot means a linear total. The cold timeline (figure cache emptied, figures computed
again from the change pieces stored at ingest) should grow with the changed edges -- the (state, directed
edge) pairs whose multiplicity differs between neighbours, which the engine keys on -- not with
snapshots x vertices (the vertices of all snapshots are printed for comparison). The archive's members are
in no time order, so a prefix is a sample of the whole period: the fewer snapshots, the further apart
neighbours are and the more changes per pair; time per changed edge is the fair comparison.

    python benchmarks/bench_growth.py [--sizes 100,400,1359] [--rows FILE]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import RAW, emit, whoholds_env  # noqa: E402


def write_subsets(sizes: list[int], work: Path) -> dict[int, Path]:
    """Uncompressed tar files of the first n members (decompressed once)."""
    from whoholds.io.tarstream import iter_tar

    paths = {n: work / f"feed-{n}.tar" for n in sizes}
    tars = {n: tarfile.open(p, "w") for n, p in paths.items()}  # noqa: SIM115 (closed below, one per size)
    with open(RAW, "rb") as fh:
        for i, (name, data) in enumerate(iter_tar(fh)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            for n, tar in tars.items():
                if i < n:
                    tar.addfile(info, io.BytesIO(data))
            if i + 1 >= max(sizes):
                break
    for tar in tars.values():
        tar.close()
    return paths


def child(store: str, archive: str) -> dict:
    import shapely

    from whoholds import load_profile
    from whoholds.geometry.diff import InputMemo, changed_boxes_of_parts, state_codes
    from whoholds.geometry.layers import default_state
    from whoholds.ingest import ingest
    from whoholds.metrics.timeline import timeline
    from whoholds.store import Store

    prof = load_profile("ukraine")
    st = Store(store)
    t0 = time.perf_counter()
    report = ingest([archive], prof, st)
    ingest_s = time.perf_counter() - t0
    memo = InputMemo(state_codes(prof.resolution_order, default_state(prof)))
    rows = st.current(prof.id)
    rows = rows[rows["kind"] == "polygons"]
    changed = vertices = 0
    prev = None
    for sid in rows["id"].tolist():
        states, geoms = st.states_and_geometry(sid)  # a file (store format 1) or members (format 2)
        vertices += int(shapely.get_num_coordinates(geoms).sum())
        _, parts = memo.input(states, geoms, prof)
        if prev is not None:
            changed += len(changed_boxes_of_parts(prev, parts))
        prev = parts
    st.con.execute("DELETE FROM areas")
    st.con.execute("DELETE FROM transfers")
    t0 = time.perf_counter()
    timeline(st, prof)
    cold_s = time.perf_counter() - t0
    return {"n": len(report.results), "ingest_s": ingest_s, "cold_s": cold_s, "changed": changed,
            "vertices": vertices}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,400,1359")
    ap.add_argument("--rows")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="whoholds-growth-") as tmp:
        work = Path(tmp)
        paths = write_subsets(sizes, work)
        results = []
        for n in sizes:
            proc = subprocess.run([sys.executable, __file__, "--child", str(work / f"store-{n}"), str(paths[n])],
                                  capture_output=True, text=True, env=whoholds_env(), check=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(r)
            print(f"{r['n']:5d} snapshots: ingest {r['ingest_s']:.1f} s = {1000 * r['ingest_s'] / r['n']:.1f} ms per "
                  f"snapshot, {1e6 * r['ingest_s'] / max(r['changed'], 1):.0f} µs per changed edge; "
                  f"cold timeline {r['cold_s']:.2f} s; changed edges {r['changed']:,} "
                  f"({1e6 * r['cold_s'] / max(r['changed'], 1):.1f} µs each); all vertices {r['vertices']:,} "
                  f"({1e9 * r['cold_s'] / r['vertices']:.0f} ns each)", flush=True)
    first, last = results[0], results[-1]
    per = [r["ingest_s"] / r["n"] for r in results]
    flat = per[-1] / per[0]
    emit(args.rows, f"growth: ingest time per snapshot, {last['n']} vs {first['n']} snapshots",
         f"{1000 * per[-1]:.1f} ms", f"{1000 * per[0]:.1f} ms at {first['n']}", f"{flat:.2f}×", "flat (≈ 1×)",
         flat <= 1.5)
    per_edge = [r["ingest_s"] / max(r["changed"], 1) for r in results]
    emit(args.rows, f"growth: ingest time per changed edge, {last['n']} vs {first['n']} snapshots",
         f"{1e6 * per_edge[-1]:.0f} µs", f"{1e6 * per_edge[0]:.0f} µs at {first['n']}",
         f"{per_edge[-1] / per_edge[0]:.2f}×", "flat (≈ 1×)", per_edge[-1] / per_edge[0] <= 1.5)
    edge = [r["cold_s"] / max(r["changed"], 1) for r in results]
    emit(args.rows, f"growth: cold timeline per changed edge, {last['n']} vs {first['n']} snapshots",
         f"{1e6 * edge[-1]:.1f} µs", f"{1e6 * edge[0]:.1f} µs at {first['n']}", f"{edge[-1] / edge[0]:.2f}×",
         "flat (≈ 1×)", edge[-1] / edge[0] <= 1.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
